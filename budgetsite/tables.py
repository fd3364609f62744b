"""Every table on a page, as the CSV and JSON files linked beside it.

The files are read back from the rendered page, so a download always holds the
rows and columns the reader sees. Amount cells carry data-value, the exact
amount in 천원, so a download never inherits a table's rounding to 백만원.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser

UNIT = "천원"
_VOID = {"br", "wbr", "img", "input", "hr", "meta", "link", "source", "col"}


@dataclass
class Table:
    id: str
    caption: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    amount_columns: set[int] = field(default_factory=set)

    @property
    def headers(self) -> list[str]:
        """Column names, amounts labelled with their unit, each name unique."""
        seen: dict[str, int] = {}
        out = []
        for i, name in enumerate(self.columns):
            name = f"{name} ({UNIT})" if i in self.amount_columns else name
            seen[name] = seen.get(name, 0) + 1
            out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        return out


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.table: Table | None = None
        self.section = ""          # thead, tbody or tfoot
        self.row: list | None = None
        self.cell: list[str] | None = None
        self.value: str | None = None
        self.in_caption = False
        self.unit_depth = 0        # inside the caption's unit note
        self.hidden_depth = 0      # inside aria-hidden or visually-hidden text
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in _VOID:
            self.stack.append(tag)
            classes = (a.get("class") or "").split()
            # Screen-reader text, markers and asides (badges, notes under a name) are not data.
            if self.hidden_depth or a.get("aria-hidden") == "true" or "visually-hidden" in classes \
                    or "rounded" in classes or "aside" in classes or "badge" in classes:
                self.hidden_depth += 1
            if self.unit_depth or (self.in_caption and "unit" in classes):
                self.unit_depth += 1
        if tag == "table":
            if not a.get("id"):
                raise ValueError("a table without an id cannot be offered for download")
            self.table = Table(a["id"])
        elif self.table is None:
            return
        elif tag == "caption":
            self.in_caption = True
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell, self.value = [], a.get("data-value")
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag not in _VOID and self.stack:
            while self.stack:
                open_tag = self.stack.pop()
                if self.hidden_depth:
                    self.hidden_depth -= 1
                if self.unit_depth:
                    self.unit_depth -= 1
                if open_tag == tag:
                    break
        if self.table is None:
            return
        if tag == "caption":
            self.in_caption = False
            self.table.caption = " ".join(self.table.caption.split())
        elif tag in ("th", "td") and self.cell is not None:
            if self.value is not None:
                self.row.append(int(self.value) if self.value.lstrip("-").isdigit() else None)
                if self.section != "thead":
                    self.table.amount_columns.add(len(self.row) - 1)
            else:
                self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.section == "thead":
                self.table.columns = self.row
            else:
                self.table.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.tables.append(self.table)
            self.table = None

    def handle_data(self, data):
        if self.table is None or self.hidden_depth:
            return
        if self.in_caption and not self.unit_depth and self.cell is None:
            self.table.caption += data
        elif self.cell is not None:
            self.cell.append(data)


def extract(html: str) -> list[Table]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.tables


def safe_text(value):
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
    for row in table.rows:
        writer.writerow(["" if v is None else safe_text(v) for v in row])
    # The BOM tells Excel the file is UTF-8, so Hangul opens readable.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def json_bytes(table: Table, page_path: str) -> bytes:
    body = {"caption": table.caption, "page": page_path, "unit": UNIT,
            "amount_columns": [table.headers[i] for i in sorted(table.amount_columns)],
            "rows": [dict(zip(table.headers, row)) for row in table.rows]}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def files(page_path: str, html: str) -> dict[str, bytes]:
    """The download files of one page, beside it: <page dir>/tables/<id>.csv|json."""
    folder = posixpath.join(posixpath.dirname(page_path), "tables")
    out = {}
    for t in extract(html):
        out[posixpath.join(folder, f"{t.id}.csv")] = csv_bytes(t)
        out[posixpath.join(folder, f"{t.id}.json")] = json_bytes(t, page_path)
    return out
