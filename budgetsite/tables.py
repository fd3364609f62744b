"""Every table the site shows, in one model: columns, and rows of cells that
each hold what the reader sees and the exact value the downloads carry. The
page (templates/_table.html), the CSV and the JSON are all rendered from
the same Table, so a download holds the rows and columns the reader sees;
an amount cell carries its exact amount in 천원, so a download never
inherits a table's rounding to 백만원.

A cell's kind names the function of render/markup.py that draws it; its
value is the words that function shows (asides, markers and screen-reader
text left out) or the exact number. tests/test_downloads.py reads every table back
from every page and holds it equal to its model.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup

UNIT = "천원"

Value = int | float | str | None


def words(*parts: Any) -> str:
    """Text as a reader sees it: each part as Jinja prints it, every run of
    whitespace one space."""
    return " ".join((str(parts[0]) if len(parts) == 1 else " ".join(map(str, parts))).split())


@dataclass(slots=True)
class Column:
    label: str
    num: bool = False              # right-aligned, as numbers are
    note: str = ""                 # a second, smaller line under the label
    file_label: str | None = None  # its name in the files, when the page's needs a unit (증감 → 증감 (백만원))
    sort: str | None = None        # data-sort-type, in a table the reader can sort
    sort_key: str = ""             # its name in the page's address when sorted by it (compare.js: #sort=change)

    @property
    def name(self) -> str:
        return self.file_label or words(self.label, self.note)


@dataclass(slots=True)
class Cell:
    kind: str            # the function of render/markup.py that draws it
    show: Any            # what that function draws
    value: Value         # what the files hold
    amount: bool = False  # value is an exact amount in 천원
    head: bool = False    # the row's header, <th scope="row">
    cls: str = ""         # the cell's class on the page


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """Where a table's downloads lead without JavaScript when its own files
    are not written (paths from the site root), and the words that say so."""
    csv: str
    json: str
    says: str


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    foot: list[list[Cell]] = field(default_factory=list)
    unit: str = ""              # after the caption: (단위: 천원)
    unit_of: str = "단위"        # what the unit measures: 단위, 금액 단위
    source: Any = None          # a SourceRef after the caption, in the files' caption too
    source_after: str = ""      # words after that source (부터)
    label: str = ""             # the scrolling region's name, when not the caption
    labelled_by: str = ""       # or the id of the heading that names it
    classes: str = ""
    links_caption: str = ""     # the download links' hidden words, when not the caption
    elsewhere: Elsewhere | None = None  # no files of its own: the links lead there without JavaScript (files())

    @property
    def file_caption(self) -> str:
        # source_link ends in a newline, so the page shows a space before source_after.
        return words(self.caption, self.source.label, self.source_after) if self.source else words(self.caption)

    @cached_property
    def amount_columns(self) -> set[int]:
        return {i for row in self.rows + self.foot for i, c in enumerate(row) if c.amount}

    @cached_property
    def headers(self) -> list[str]:
        """Column names in the files, amounts labelled with their unit, each name unique."""
        amounts = self.amount_columns
        seen: dict[str, int] = {}
        out = []
        for i, column in enumerate(self.columns):
            name = f"{column.name} ({UNIT})" if i in amounts else column.name
            seen[name] = seen.get(name, 0) + 1
            out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        return out

    @property
    def values(self) -> list[list[Value]]:
        return [[c.value for c in row] for row in self.rows + self.foot]


# Cells, one maker per way of drawing (the functions of render/markup.py).

def text(value: Any, head: bool = False, cls: str = "") -> Cell:
    return Cell("text", value, words(value), head=head, cls=cls)


def number(value: Any) -> Cell:
    """A number shown as text (a rate, a count): the files keep the text."""
    return Cell("text", value, words(value), cls="num")


def small(value: Any, note: Any, head: bool = False) -> Cell:
    """Text with a smaller note after it, both data: 'level (of)'."""
    return Cell("small", (value, note), words(value, f"({note})"), head=head)


def lines(value: Any, notes: Iterable[Any]) -> Cell:
    """Text with smaller lines under it, all data."""
    notes = [n for n in notes if n]
    return Cell("lines", (value, notes), words(value, *notes))


def missing(value: Any, gap: str) -> Cell:
    """A number, or the words that say there is none (자료 없음)."""
    return Cell("missing", (value, gap), words(value or gap), cls="num")


def count(n: int, none: str) -> Cell:
    """A count, or a quiet word in its place when it is none (not yet gathered: not a gap in the data)."""
    return Cell("count", (n, none), words(n or none), cls="num")


def money(c: Any, stage: bool = False) -> Cell:
    """A figure's cell (render.cell): its amount as the table's unit shows it,
    its markers, and with stage its stage under it (c: render.Amount or None);
    the files hold 천원."""
    return Cell("money", (c, stage), c.value if c else None, amount=True)


def amount(value: int | None, shown: str, title: str = "", note: str = "", mark: str = "") -> Cell:
    """An amount in 천원 as printed; note a smaller word after it, mark a
    link (※) to the recorded difference it is part of."""
    return Cell("amount", (shown, title, note, mark), value, amount=True)


def change(r: Any) -> Cell:
    """A comparison's change (render.Comparison), worked out from the two shown amounts."""
    return Cell("change", r, _number(r.delta_number))


def rate(r: Any) -> Cell:
    return Cell("rate", r, _number(r.rate_number))


def link(x: Any, head: bool = False, badges: Iterable[str] = (), aside: str = "") -> Cell:
    """A department's or project's name, linked to its page, with badges and
    an aside under it that are not data (a badge alone is: 신규, 종료)."""
    return Cell("link", (x, list(badges), aside), words(x.name), head=head)


def links(xs: list, empty: str = "") -> Cell:
    return Cell("links", (xs, empty), ", ".join(words(x.name) for x in xs) if xs else words(empty))


def item(name: str, child: bool = False, note: str = "") -> Cell:
    """A row's item as printed: └ before a child row, a note aside; the name is the data."""
    return Cell("item", (name, child, note), words(name), head=True)


def to(href: str, name: str, head: bool = False) -> Cell:
    """Words linked to a place in the site (href from the site root)."""
    return Cell("to", (href, name), words(name), head=head)


def badge(mark: str, cls: str) -> Cell:
    return Cell("badge", (mark, cls), words(mark))


def source(ref: Any, table: str = "", note: str = "", recovered: str = "", cls: str = "src") -> Cell:
    """A figure's source as its label reads (model.SourceRef.label), with the
    report's table, a note and a recovered amount's working after it."""
    return Cell("source", (ref, table, note, recovered), words(
        ref.label, f"({table})" if table else "", note, f"원문에 없는 금액: {recovered}" if recovered else ""),
        cls=cls)


def source_name(doc: Any) -> Cell:
    """A document's short name alone (model.Source), linked to its entry on the sources page."""
    return Cell("source_name", doc, words(doc.short))


def html(markup: Markup, plain: str) -> Cell:
    """Prose made from Markdown; plain is its words."""
    return Cell("html", markup, words(plain))


def _number(text: str) -> int | float | None:
    if not text:
        return None
    return int(text) if text.lstrip("-").isdigit() else float(text)


# The files.

def safe_text(value: Value) -> Value:
    """A text cell that a spreadsheet would run as a formula is written as text."""
    if not isinstance(value, str):
        return value
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value.startswith("-") and len(value) > 1):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.values:
        writer.writerow(["" if v is None else safe_text(v) for v in row])
    # The BOM tells Excel the file is UTF-8, so Hangul opens readable.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def json_bytes(table: Table, page_path: str) -> bytes:
    """One row per line: readable, and each line made by json's C encoder
    (an indented dump goes through its pure-Python one)."""
    headers = table.headers
    head = json.dumps({"caption": table.file_caption, "page": page_path, "unit": UNIT,
                       "amount_columns": [headers[i] for i in sorted(table.amount_columns)]}, ensure_ascii=False)
    rows = ",\n".join(json.dumps(dict(zip(headers, row)), ensure_ascii=False) for row in table.values)
    return f'{head[:-1]}, "rows": [\n{rows}\n]}}\n'.encode()


# Where JavaScript runs, static/tables.js makes a table's CSV and JSON from
# the table on the page, byte for byte these (tests/test_downloads.py). The
# files are also written, for readers without JavaScript, where they earn
# their space: on every page but the thousands of project pages, whose
# tables lead elsewhere instead (registry.project_tables: the project's rows
# are in data/budget.csv, the project whole in api/v1/projects/<id>.json).
# Those were 8-12 files a project page: 80,000 of the files at 10,000 projects.

def download_paths(page_path: str, table_id: str) -> tuple[str, str]:
    """Where a table of the page at page_path has its CSV and JSON: <page dir>/tables/<id>.csv|json."""
    base = posixpath.join(posixpath.dirname(page_path), "tables", table_id)
    return f"{base}.csv", f"{base}.json"


def files(page_path: str, tables: list[Table]) -> dict[str, bytes]:
    """The download files of one page's tables, beside it (download_paths; none for a table
    whose downloads lead elsewhere without JavaScript)."""
    out: dict[str, bytes] = {}
    ids: set[str] = set()
    for t in tables:
        if t.id in ids:
            raise ValueError(f"{page_path}: two tables with the id {t.id}, whose downloads would be one file")
        ids.add(t.id)
        if t.elsewhere is not None:
            continue
        csv_path, json_path = download_paths(page_path, t.id)
        out[csv_path] = csv_bytes(t)
        out[json_path] = json_bytes(t, page_path)
    return out
