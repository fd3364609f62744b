"""A treemap: a rectangle a part (a project, in its department), its area in
proportion to its amount, laid out by the squarified algorithm (squarify) in
Python and drawn by Altair as rect marks on two quantitative scales with no
axes; each rectangle links to its page (the href channel: an <a> around it in
the build-time SVG too, so it works without the chart library) and carries its
name where the name fits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import squarify

from .. import money
from .specs import AUTOSIZE, FONT, OKABE_ITO, SVG_WIDTH, TEXT, Chart

if TYPE_CHECKING:
    import altair as alt

# px as drawn (and laid out: SVG_WIDTH by HEIGHT), and live, where the chart
# fills its container, at most 30rem wide (style.css): on a wide screen the
# rectangles keep about their drawn shape, and an embed frame fits it as drawn.
HEIGHT = 300
PAD = 4            # px between a rectangle's edge and its name
LINE = TEXT + 2    # px from one line of a name to the next
# Text on each colour of the palette: dark on the light ones.
DARK_TEXT = {"#E69F00", "#56B4E9", "#F0E442", "#009E73", "#CC79A7", "#BBBBBB", "#999999"}
MORE_COLOURS = ["#999999", "#777777", "#BBBBBB"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    dx: float
    dy: float

    @property
    def area(self) -> float:
        return self.dx * self.dy


def layout(values: list[int], x: float, y: float, dx: float, dy: float) -> list[Rect]:
    """The rectangles of values (each > 0), in their order, squarified into
    the rectangle (x, y, dx, dy): they tile it, areas in proportion to values.
    Give values largest first, as the algorithm expects."""
    if not values:
        return []
    if any(v <= 0 for v in values):
        raise ValueError(f"treemap layout: every value must be above 0 ({values})")
    sizes = squarify.normalize_sizes(values, dx, dy)
    # squarify works a row's length out as area / width: with a sliver of a
    # part, its far edge may fall a rounding error outside; it is held inside.
    return [Rect(r["x"], r["y"], min(r["dx"], x + dx - r["x"]), min(r["dy"], y + dy - r["y"]))
            for r in squarify.squarify(sizes, x, y, dx, dy)]


@dataclass(frozen=True)
class Part:
    """One rectangle to draw: a project in its group (department), or the
    group's other projects as one (「그 밖의 사업 N개」)."""
    name: str
    group: str
    amount: int   # 천원, > 0
    href: str     # the part's page, from the site root
    share: str    # of the whole, as the table shows it
    words: str = ""  # its amount in words, when not exactly eok_man(amount) (a sum, to its coarsest unit)


def label_width(name: str) -> float:
    """A name's width in px as drawn at TEXT: Hangul (and other wide letters) a
    full TEXT, the rest about six tenths of it."""
    return sum(TEXT if ord(ch) > 0x2E7F else TEXT * 0.6 for ch in name)


def wrapped(name: str, width: float) -> list[str]:
    """The name's words in lines no wider than width where they can be
    (a word wider than that stays whole, on its own line)."""
    lines: list[str] = []
    for word in name.split():
        if lines and label_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _round(v: float) -> float:
    return round(v, 2)


def treemap(chart_id: str, title: str, groups: list[tuple[str, list[Part]]], root: str, summary: str = "") -> Chart | None:
    """Groups (name, parts), each group's parts largest first and groups in
    the order given (largest first): a rectangle a group, split into its parts.
    root: the way from the chart's page to the site root, which each link starts with."""
    groups = [(g, parts) for g, parts in groups if parts]
    if not groups:
        return None
    totals = [sum(p.amount for p in parts) for _, parts in groups]
    names = [g for g, _ in groups]
    colours = (OKABE_ITO + MORE_COLOURS)[: len(names)]
    rows: list[dict] = []
    for (group, parts), outer, colour in zip(groups, layout(totals, 0, 0, SVG_WIDTH, HEIGHT), colours):
        rows.append({"종류": "부서", "부서": group, "x": _round(outer.x), "x2": _round(outer.x + outer.dx),
                     "y": _round(outer.y), "y2": _round(outer.y + outer.dy)})
        for p, r in zip(parts, layout([p.amount for p in parts], outer.x, outer.y, outer.dx, outer.dy)):
            rows.append({
                "종류": "사업", "부서": group, "사업": p.name, "금액": p.words or money.eok_man(p.amount), "값": p.amount,
                "비중": p.share, "링크": root + p.href,
                "x": _round(r.x), "x2": _round(r.x + r.dx), "y": _round(r.y), "y2": _round(r.y + r.dy),
                "글_x": _round(r.x + PAD), "글_y": _round(r.y + PAD), "글자색": "#000000" if colour in DARK_TEXT else "#FFFFFF",
                **_label(p.name, r)})
    fixed, live = _shape(names, colours, SVG_WIDTH, HEIGHT), _shape(names, colours, "container", HEIGHT)
    fixed["autosize"] = live["autosize"] = AUTOSIZE
    description = summary or title
    return Chart(chart_id, title, {**live, "data": {"values": rows}, "description": description},
                 {**fixed, "data": {"values": rows}, "description": description}, summary)


def _shape(names: list[str], colours: list[str], width: int | str, height: int) -> dict:
    import altair as alt
    # A rectangle's drawn size: as laid out in the SVG, stretched to the container live.
    scale = "1" if width != "container" else f"(containerSize()[0] - 10) / {SVG_WIDTH}"
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, SVG_WIDTH], nice=False, zero=False))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[0, HEIGHT], nice=False, zero=False, reverse=True))
    colour = alt.Color("부서:N", sort=names, scale=alt.Scale(domain=names, range=colours),
                       legend=alt.Legend(columns=2, labelLimit=160) if len(names) > 1 else None)
    projects = alt.FieldEqualPredicate(field="종류", equal="사업")
    rects = alt.Chart().mark_rect(stroke="#FFFFFF", strokeWidth=1, cursor="pointer").encode(
        x=x, x2="x2:Q", y=y, y2="y2:Q", color=colour, href=alt.Href("링크:N"),
        tooltip=[alt.Tooltip("부서:N", title="부서"), alt.Tooltip("사업:N", title="사업"),
                 alt.Tooltip("금액:N", title="금액"), alt.Tooltip("비중:N", title="비중")],
    ).transform_filter(projects)
    # Each department's edge, over its projects: a wider white line.
    edges = alt.Chart().mark_rect(fill=None, stroke="#FFFFFF", strokeWidth=3, aria=False).encode(
        x=x, x2="x2:Q", y=y, y2="y2:Q").transform_filter(alt.FieldEqualPredicate(field="종류", equal="부서"))
    # The name on one line where it fits, else on the lines it was wrapped to at the drawn width, else none.
    def fits(k: str) -> str:
        return (f"(datum['x2'] - datum['x']) * {scale} >= datum['글_폭{k}'] && "
                f"(datum['y2'] - datum['y']) >= datum['글_높이{k}']")
    label = f"{fits('')} ? datum['사업'] : {fits('2')} ? datum['글_줄'] : ''"
    labels = alt.Chart().mark_text(align="left", baseline="top", fontSize=TEXT, limit=0, lineBreak="\n",
                                   lineHeight=LINE).encode(
        x=alt.X("글_x:Q", axis=None, scale=alt.Scale(domain=[0, SVG_WIDTH], nice=False, zero=False)),
        y=alt.Y("글_y:Q", axis=None, scale=alt.Scale(domain=[0, HEIGHT], nice=False, zero=False, reverse=True)),
        text=alt.TextValue(alt.ExprRef(expr=label)),
        color=alt.Color("글자색:N", scale=None), href=alt.Href("링크:N"),
    ).transform_filter(projects)
    chart: alt.LayerChart = alt.LayerChart(layer=[rects, edges, labels], data=alt.Data(values=[]))
    chart = chart.properties(width=width, height=height).configure(font=FONT).configure_view(stroke=None).configure_legend(
        orient="bottom", title=None, labelFontSize=TEXT, symbolType="square")
    return chart.to_dict(validate=False)


def _label(name: str, r: Rect) -> dict:
    """What the label expression needs: the name's width on one line and,
    wrapped to the rectangle as drawn, its lines and their size (px)."""
    lines = wrapped(name, r.dx - 2 * PAD)
    return {"글_폭": _round(label_width(name) + 2 * PAD), "글_높이": LINE + 2 * PAD, "글_줄": "\n".join(lines),
            "글_폭2": _round(max(label_width(x) for x in lines) + 2 * PAD), "글_높이2": LINE * len(lines) + 2 * PAD}


_HREF = re.compile(r'(href=")([^"]*)(")')


def linked_from(chart: Chart, old: str, new: str) -> Chart:
    """The same treemap with its links starting at new instead of old (the
    way to the site root from another page: an embed page)."""
    def rebase(href: str) -> str:
        return new + href[len(old):] if href.startswith(old) else href
    rows = [{**r, "링크": rebase(r["링크"])} if "링크" in r else r for r in chart.spec["data"]["values"]]
    svg = _HREF.sub(lambda m: m.group(1) + rebase(m.group(2)) + m.group(3), chart.svg) if chart.svg else chart.svg
    return replace(chart, spec={**chart.spec, "data": {"values": rows}}, fixed={**chart.fixed, "data": {"values": rows}},
                   svg=svg)
