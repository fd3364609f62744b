"""Markup made in Python: names and sources as links, which templates call
as functions, and every table cell, one function per kind of cell
(tables.Cell.kind).

Table cells are drawn here rather than in a template because there are
hundreds on a project page: a Jinja branch per cell cost as much as the
rest of the page (benchmarks/, README). Each function's words are the
cell's value in the downloads; tests/test_downloads.py reads every table
back from every page to hold them equal. Everything from the content is
escaped, as Jinja's autoescape would.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from ..tables import Cell

# Characters after which Chromium breaks a line even under word-break: keep-all.
_BREAKS_INSIDE = frozenset("·()[]-–~/,.:")


@lru_cache(maxsize=1 << 14)
def whole_words(text: str) -> Markup:
    """Text (a name, a source) that may wrap between its words but never inside
    one: even with word-break: keep-all, Chromium splits 업무보고(2025-09) at
    "(" and at the hyphen, or 운영·관리 at the dot, so such a word is kept
    whole in a span.word; a word of letters and digits alone needs none."""
    return Markup(" ".join(f'<span class="word">{escape(w)}</span>' if _BREAKS_INSIDE.intersection(w) else str(escape(w))
                           for w in str(text).split()))


def name_link(x: Any, root: str) -> Markup:
    """A project's or department's name, linked to its page."""
    return Markup(f'<a href="{escape(root)}{escape(x.path)}">{whole_words(x.name)}</a>')


def source_link(ref: Any, root: str, compact: bool = False) -> Markup:
    """A figure's source as its label reads (model.SourceRef.label): the
    document, the section it is printed in, the line. compact: the document
    and line, the whole label in the link's title; the link leads to the
    section either way. It ends in a newline, so words after it stand apart."""
    title = f' title="{escape(ref.label)}"' if compact and ref.section else ""
    section = f' · <span class="src-section">{whole_words(ref.section.path)}</span> ·' \
        if ref.section and not compact else ""
    return Markup(f'<a href="{escape(root)}{escape(ref.anchor)}"{title}>{whole_words(ref.source.short)}</a>'
                  f'{section} {escape(ref.place)}\n')


def _if(condition: Any, text: str) -> str:
    return text if condition else ""


# Markup + str escapes the str: every piece is joined as a plain str, each
# value from the content escaped on its own, as markupsafe.escape does it
# (&#34; and &#39; included) but without making a Markup of each.
def _e(value: Any) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&#34;").replace("'", "&#39;")


# Cells that are a whole <td>.

def _money(c: Cell, root: str) -> str:
    m, stage = c.show
    if not m:
        return '<td class="num empty" data-value=""><span class="no-data">자료 없음</span></td>'
    return (f'<td class="num" data-value="{m.value}"><span title="{_e(m.words)} · {_e(m.source)}">'
            f'{_e(m.text)}</span>'
            + _if(m.rounded, f'<span class="rounded" title="{_e(m.precision)} 단위 자료에서 옮긴 금액">*</span>')
            + _if(m.partial, '<span class="rounded" title="기본경비를 뺀 세부사업 합계">†</span>')
            + _if(m.recovered, '<span class="rounded" title="원문에 인쇄되지 않아 다른 숫자로 되살린 금액">‡</span>')
            + _if(stage, f'<span class="stage-tag">{_e(m.stage)}</span>') + "</td>")


def _amount(c: Cell, root: str) -> str:
    shown, title, note, mark = c.show
    titled = f' title="{_e(title)}"' if title else ""
    value = "" if c.value is None else c.value
    return (f'<td class="num"{titled} data-value="{value}">{_e(shown)}'
            + _if(note, f' <span class="rounded-note">({_e(note)})</span>')
            + _if(mark, f' <a href="#{_e(mark)}" title="자료 간 차이">※</a>') + "</td>")


def _change(c: Cell, root: str) -> str:
    r = c.show
    return (f'<td class="num change kind-{_e(r.kind)}" data-role="change" data-number="{_e(r.delta_number)}" '
            f'data-sort="{_e(r.delta_number)}">{_e(r.change)}</td>')


def _rate(c: Cell, root: str) -> str:
    r = c.show
    return (f'<td class="num" data-role="rate" data-number="{_e(r.rate_number)}" '
            f'data-sort="{_e(r.rate_sort)}">{_e(r.rate)}</td>')


# What goes inside the <td> or <th> of the other cells.

def _link(show: Any, root: str) -> str:
    x, badges, aside = show
    return (str(name_link(x, root)) + "".join(f' <span class="badge">{_e(b)}</span>' for b in badges)
            + _if(aside, f'<br><small class="aside">{_e(aside)}</small>'))


def _source(show: Any, root: str) -> str:
    ref, table, note, recovered = show
    return (str(source_link(ref, root)) + _if(table, f" <small>({_e(table)})</small>")
            + _if(note, f"<br><small>{_e(note)}</small>")
            + _if(recovered, f"<br><small><strong>원문에 없는 금액:</strong> {_e(recovered)}</small>"))


def _links(show: Any, root: str) -> str:
    xs, empty = show
    return ", ".join(name_link(x, root) for x in xs) if xs else _e(empty)


def _item(show: Any, root: str) -> str:
    name, child, note = show
    return (_if(child, '<span aria-hidden="true">└ </span>') + _e(name)
            + _if(note, f' <small class="aside">({_e(note)})</small>'))


_WHOLE: dict[str, Callable[[Cell, str], str]] = {"money": _money, "amount": _amount, "change": _change, "rate": _rate}
_INSIDE: dict[str, Callable[[Any, str], str]] = {
    "text": lambda v, root: _e(v),
    "link": _link,
    "source": _source,
    "links": _links,
    "item": _item,
    "to": lambda v, root: f'<a href="{_e(root)}{_e(v[0])}">{whole_words(v[1])}</a>',
    "badge": lambda v, root: f'<span class="badge badge-{_e(v[1])}">{_e(v[0])}</span>',
    "source_name": lambda v, root: f'<a href="{_e(root)}{_e(v.anchor)}">{_e(v.short)}</a>',
    "small": lambda v, root: f"{_e(v[0])} <small>({_e(v[1])})</small>",
    "lines": lambda v, root: _e(v[0]) + "".join(f"<br><small>{_e(n)}</small>" for n in v[1]),
    "missing": lambda v, root: _e(v[0]) if v[0] else f'<span class="no-data">{_e(v[1])}</span>',
    "count": lambda v, root: _e(v[0]) if v[0] else f"<small>{_e(v[1])}</small>",
    "html": lambda v, root: str(v),
}
KINDS = frozenset(_WHOLE) | frozenset(_INSIDE)


def cell(c: Cell, root: str) -> str:
    if (whole := _WHOLE.get(c.kind)) is not None:
        return whole(c, root)
    tag = "th" if c.head else "td"
    scope = ' scope="row"' if c.head else ""
    cls = f' class="{_e(c.cls)}"' if c.cls else ""
    return f"<{tag}{scope}{cls}>{_INSIDE[c.kind](c.show, root)}</{tag}>"


def table_row(cells: list[Cell], root: str) -> Markup:
    """A row of a table (templates/_table.html)."""
    return Markup("<tr>" + "".join([cell(c, root) for c in cells]) + "</tr>")
