"""The tests' reader of a rendered page's tables: what a reader sees in
each cell (screen-reader text, markers and asides left out) or, for an
amount cell, its exact data-value. The site's downloads are written from
its table model (budgetsite/tables.py); tests hold every one of them equal
to what this reads from the page, so a template that shows other words
than its model fails.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

import lxml.etree

UNIT = "천원"


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


# Screen-reader text, markers and asides (badges, notes under a name) are not data.
_NOT_DATA = {"visually-hidden", "rounded", "aside", "badge"}


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _text(el, out: list[str], skip_unit: bool = False, keep_badges: bool = False) -> list[str]:
    """What a reader sees in el: hidden and aside text left out, <br> a space."""
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):  # not a comment
            classes = _classes(child)
            if child.tag == "br":
                out.append(" ")
            elif child.get("aria-hidden") != "true" and (_NOT_DATA.isdisjoint(classes) or
                                                         keep_badges and classes[:1] == ["badge"]) \
                    and not (skip_unit and "unit" in classes):
                _text(child, out, skip_unit, keep_badges)
        if child.tail:
            out.append(child.tail)
    return out


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def _cell_text(c) -> str:
    if len(c) == 0:  # text alone, as most cells: nothing to walk
        return " ".join((c.text or "").split())
    # A badge beside a name is not data; a badge alone is (신규, 종료).
    return _words(_text(c, [])) or _words(_text(c, [], keep_badges=True))


def parse_number(text: str) -> int | float | None:
    if not text:
        return None
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _read(el) -> Table:
    if not el.get("id"):
        raise ValueError("a table without an id cannot be offered for download")
    table = Table(el.get("id"))
    for part in el:
        if part.tag == "caption":
            table.caption = _words(_text(part, [], skip_unit=True))
        elif part.tag in ("thead", "tbody", "tfoot", "tr"):
            for tr in [part] if part.tag == "tr" else part.iterchildren("tr"):
                row = []
                for c in tr.iterchildren("th", "td"):
                    if part.tag == "thead" and c.get("data-label"):
                        row.append(c.get("data-label"))  # a column's name with its unit, for the files
                        continue
                    if (number := c.get("data-number")) is not None:
                        row.append(parse_number(number))  # a derived number (change, rate): not an amount in 천원
                        continue
                    value = c.get("data-value")
                    if value is None:
                        row.append(_cell_text(c))
                        continue
                    row.append(int(value) if value.lstrip("-").isdigit() else None)
                    if part.tag != "thead":
                        table.amount_columns.add(len(row) - 1)
                if part.tag == "thead":
                    table.columns = row
                else:
                    table.rows.append(row)
    return table


# Plain elements: lxml.html's own classes cost a lookup for every element.
_PARSER = lxml.etree.HTMLParser()


def _cut_tables(html: str) -> list[str]:
    """Tables do not nest in our templates, so each can be cut out whole:
    the parser then never walks the charts' SVG and the rest of the page."""
    found = []
    end = 0
    while (start := html.find("<table", end)) >= 0:
        end = html.find("</table>", start)
        if end < 0:
            raise ValueError("a table is not closed")
        end += len("</table>")
        found.append(html[start:end])
    return found


_ID = re.compile(r'<table[^>]*?\sid="([^"]*)"')


def extract(html: str, made: dict[str, Table] | None = None) -> list[Table]:
    """Every table on the page, in order; those in made (by id) as they are."""
    tables: list[Table | None] = []
    unread = []
    for cut in _cut_tables(html):
        m = _ID.match(cut)
        tables.append(made[m.group(1)] if made and m and m.group(1) in made else None)
        if tables[-1] is None:
            unread.append(cut)
    if unread:
        page = lxml.etree.fromstring("<div>" + "".join(unread) + "</div>", _PARSER)  # parsed once per page
        read = iter([_read(t) for t in page.iter("table")])
        tables = [t or next(read) for t in tables]
    return cast("list[Table]", tables)  # each None was read just above
