"""Each chart's Vega-Lite spec, made with Altair: a bar a year with its stage written under it,
execution on a date axis, one stage per stacked chart; phone-sized text; the same figures as the
table the page puts under it.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from .. import money

if TYPE_CHECKING:
    import altair as alt


# Altair is imported only where it builds a chart shape: the import is slow,
# and every build paid it, even one with nothing to make.
# The Vega-Lite version Altair writes (alt.SCHEMA_VERSION, a test checks),
# without importing it.
VEGA_LITE = "6.4"


# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


STAGE_COLOURS = {
    "예산안": "#E69F00", "본예산": "#56B4E9", "최종예산": "#0072B2", "예산현액": "#009E73",
    "전년도이월액": "#F0E442", "원인행위액": "#CC79A7", "지출액": "#D55E00", "징수액": "#000000",
}


# Execution on one date: what could be spent as a wide light bar, what was
# spent as a dark bar of the same green inside it (read as a share of it),
# what was committed as a vermilion line across both.
EXECUTION = ("예산현액", "원인행위액", "지출액")


EXECUTION_COLOURS = ("#B3DECF", "#D55E00", "#00674B")


NO_DATA = "자료 없음"


MUTED = "#5a5a60"  # style.css --muted


FONT = "'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, sans-serif"


# d3-format locale for Korean: the same separators as our tables.
FORMAT_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", "원"]}


# A phone without JavaScript shows the build-time SVG shrunk to its column
# (328 px on a 360 px screen): drawn 560 px wide, its 12 px text came out at
# 7 px. One narrow drawing, shown at most at its drawn size (style.css), keeps
# every word at 10 px or more there, still fits an A4 column whole, and costs
# nothing more; a second drawing for phones, switched by media queries, would
# have doubled the pictures on every page for the few who read without
# JavaScript. With JavaScript the live chart fills any width.
TEXT = 12          # every word in a chart, in px as drawn


PHONE_COLUMN = 328  # a 360 px screen less the page's 1rem margins


SVG_WIDTH = 384    # TEXT * PHONE_COLUMN / SVG_WIDTH = 10.25 px on that phone


HEIGHT = 260


BAND_PADDING = 0.3  # of each year's width, between bars: a bar stands clear on its own year


# Words written in a year's place (its stage, 자료 없음: four Hangul, 4 TEXT
# wide) go on two lines (최종 / 예산, 자료 / 없음, as narrow Korean table heads
# write them) where a year is narrower than that, and dates ('24.10.31, 5 TEXT)
# on two lines ('24 / 10.31). Text never shrinks. The width of a place is
# reckoned from the chart's whole width (its container's, live, as drawn and
# on every resize; SVG_WIDTH, fixed), not measured from the laid-out x scale:
# that is known only after the axis is fitted, too late for Vega to make room
# for the second lines, which were then cut off.
Y_AXIS = 50  # px of a chart's width that the amounts' axis takes, at most (1,500 or 10,000)


AUTOSIZE = {"type": "fit-x", "contains": "padding"}


@dataclass
class Chart:
    id: str
    title: str
    spec: dict   # for the browser: fills its container's width
    fixed: dict  # the same chart at a fixed width, for the build-time SVG
    summary: str = ""  # its point in one Korean sentence (summaries.py)
    svg: str = ""  # filled in by draw()
    # The table of exactly its figures, shown under it (render.cells.charted),
    # and the sources of those figures (model.SourceRef): on its embed page too.
    table: Any = None
    sources: list = field(default_factory=list)
    embed: Any = None  # where it is shared from, and how (render/embeds.py)
    links: str | None = None  # a chart whose marks link (a treemap): the way to the site root they start with

    @cached_property
    def fixed_json(self) -> str:
        """The fixed-width spec as drawn and as its drawing is cached by
        (made only when drawings are made)."""
        return json.dumps(self.fixed, ensure_ascii=False, sort_keys=True)

    @property
    def spec_json(self) -> str:
        # Embedded in a <script> element: no <, > or & at all, so no content
        # (a name holding "</script>") can end the element or look like markup.
        text = json.dumps(self.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def budget_bars(chart_id: str, title: str, years: list[int], points: list[dict], summary: str = "") -> Chart | None:
    """A bar a year, on its year: the year's representative figure, its stage
    written under the year (stages differ from year to year) and in its colour.

    points: at most one a year, {"연도": "2024", "단계": "최종예산", "amount": 천원, "출처": "..."};
    every year from the first to the last of years and points is on the axis,
    a year without a figure marked 자료 없음.
    """
    if not points:
        return None
    twice = sorted(y for y, n in Counter(p["연도"] for p in points).items() if n > 1)
    if twice:
        raise ValueError(f"budget_bars({chart_id!r}): 한 해에 막대 하나, 두 번 온 해 {twice}")
    unit, divisor = money.chart_unit(max(p["amount"] for p in points))
    rows = [{**r, "구분": _base_stage(r["단계"])} for r in _rows(points, divisor)]
    for r in rows:
        r["단계_줄"], r["단계_좁게"] = _lines(r["단계"]), _lines(r["단계"], narrow=True)
    domain = _year_domain(years, rows)
    stages = tuple(dict.fromkeys([s for s in STAGE_COLOURS if any(r["구분"] == s for r in rows)]
                                 + [r["구분"] for r in rows]))
    shape = _budget_shape(domain, stages, unit)
    return _finish(chart_id, title, shape, rows + _no_data("연도", domain, rows), summary or title, summary)


def execution_bars(chart_id: str, title: str, rows: list[dict], summary: str = "") -> Chart | None:
    """Execution as each report printed it on its date: a place on the axis
    for every date, never a series running across dates.

    rows: in order, {"기준일": "'24.5.31", "기준일_전체": "2024년 5월 31일", "연도": "2024",
    "예산현액": 천원|None, "원인행위액": 천원|None, "지출액": 천원|None, "출처": "..."}.
    """
    amounts = [r[s] for r in rows for s in EXECUTION if r.get(s) is not None]
    if not amounts:
        return None
    unit, divisor = money.chart_unit(max(amounts))
    data: list[dict] = []
    seen: Counter[str] = Counter()
    for r in rows:
        # Two reports of one date keep a place each: their bars must not overlap.
        seen[r["기준일"]] += 1
        place = r["기준일"] if seen[r["기준일"]] == 1 else f"{r['기준일']} ({seen[r['기준일']]})"
        d = {"기준일": place, "기준일_전체": r["기준일_전체"], "연도": r["연도"], "출처": r["출처"]}
        for s in EXECUTION:
            amount = r.get(s)
            d[s] = NO_DATA if amount is None else money.eok_man(amount)
            if amount is not None:
                d[f"{s}_값"] = amount / divisor
        if all(r.get(s) is None for s in EXECUTION):
            d["없음"] = NO_DATA
        data.append(d)
    shape = _execution_shape(tuple(d["기준일"] for d in data), unit)
    return _finish(chart_id, title, shape, data, summary or title, summary)


def stacked_bars(chart_id: str, title: str, stage: str, years: list[int], points: list[dict], series: str,
                 order: list[str], summary: str = "") -> Chart | None:
    """Bars by year of one stage, stacked by series (e.g. departments within
    the bureau); the stage is named on the chart. A year without that stage
    is marked 자료 없음, never filled in with another stage.

    points: {"연도": "2024", series: "...", "amount": 천원, "순서": stacking order}.
    """
    if not points:
        return None
    other = sorted({p["단계"] for p in points if p.get("단계", stage) != stage})
    if other:
        raise ValueError(f"stacked_bars({chart_id!r}): {stage} 차트에 다른 단계 {other}")
    totals: dict[str, int] = {}
    for p in points:
        totals[p["연도"]] = totals.get(p["연도"], 0) + p["amount"]
    unit, divisor = money.chart_unit(max(totals.values()))
    rows = [{**r, "단계": stage} for r in _rows(points, divisor)]
    present = tuple(dict.fromkeys([s for s in order if any(p[series] == s for p in points)]
                                  + [p[series] for p in points]))
    domain = _year_domain(years, rows)
    shape = _stacked_shape(series, present, unit, stage, domain)
    return _finish(chart_id, title, shape, rows + _no_data("연도", domain, rows), summary or title, summary)


def _rows(points: list[dict], divisor: int) -> list[dict]:
    return [{**p, "값": p["amount"] / divisor, "금액": money.eok_man(p["amount"])} for p in points]


def _year_domain(years: list[int], rows: list[dict]) -> tuple[str, ...]:
    """Every year from the first to the last, figures or not: a year left out
    of the axis would silently join its neighbours."""
    known = [int(y) for y in years] + [int(r["연도"]) for r in rows]
    return tuple(str(y) for y in range(min(known), max(known) + 1))


def _no_data(field: str, domain: tuple[str, ...], rows: list[dict]) -> list[dict]:
    have = {r[field] for r in rows}
    return [{field: x, "없음": NO_DATA} for x in domain if x not in have]


def _base_stage(label: str) -> str:
    # "예산현액 ('24.5.31 기준)": a stage counted at a date is coloured as its stage.
    return label.split(" ", 1)[0]


def _lines(label: str, narrow: bool = False) -> str:
    """Written under a year a bar wide: one word a line, "예산현액 / '24.5.31 / 기준";
    narrow, a Hangul word of four or more syllables in two halves (최종 / 예산)."""
    words = label.replace("(", " ").replace(")", " ").split()
    if narrow:
        words = [part for w in words for part in ((w[: len(w) // 2], w[len(w) // 2:]) if _hangul(w) and len(w) >= 4
                                                  else (w,))]
    return "\n".join(words)


def _hangul(word: str) -> bool:
    return all("가" <= ch <= "힣" for ch in word)


def _x(field: str, domain: tuple[str, ...], label_expr: str | None = None) -> alt.X:
    import altair as alt
    # An explicit domain: every place on the axis whether or not it has a figure.
    axis = alt.Axis(labelAngle=0, grid=False, ticks=False, labelPadding=4, labelExpr=label_expr or alt.Undefined)
    return alt.X(f"{field}:O", title=None, axis=axis,
                 scale=alt.Scale(domain=list(domain), paddingInner=BAND_PADDING, paddingOuter=BAND_PADDING / 2))


def _unit_axis(unit: str, stage: str = "") -> alt.Axis:
    import altair as alt
    # The unit reads horizontally above the axis, as Korean tables print "(단위: 억원)".
    return alt.Axis(title=f"{stage} (단위: {unit})".lstrip(), titleAngle=0, titleAlign="left", titleAnchor="end",
                    titleX=-4, titleY=-12, titleBaseline="bottom", format=",.1~f", tickCount=5)


def _narrow(step: str) -> str:
    """A Vega expression: is a place, step px wide, too narrow for a word on one line?"""
    return f"{step} < {4 * TEXT}"


def _date_label(step: str) -> str:
    return (f"{step} < {5 * TEXT} && indexof(datum.label, '.') > 0 ? [slice(datum.label, 0, "
            "indexof(datum.label, '.')), slice(datum.label, indexof(datum.label, '.') + 1)] : datum.label")


def _no_data_text(step: str) -> alt.Chart:
    import altair as alt
    # The datum stays whole; where narrow, lineBreak splits it as drawn, and
    # the pair is raised a line (baseline is the first line's, the second below it).
    return alt.Chart().mark_text(
        baseline="bottom", fontSize=TEXT, color=MUTED, lineHeight=TEXT + 2,
        lineBreak=alt.ExprRef(expr=f"{_narrow(step)} ? ' ' : '\\n'"),
        dy=alt.ExprRef(expr=f"{_narrow(step)} ? {-3 - (TEXT + 2)} : -3"),
    ).encode(
        y=alt.Y(datum=0), text=alt.Text("없음:N"),
        tooltip=[alt.Tooltip("연도:N", title="연도"), alt.Tooltip("없음:N", title="금액")],
    ).transform_filter(alt.FieldEqualPredicate(field="없음", equal=NO_DATA))


@cache
def _budget_shape(domain: tuple[str, ...], stages: tuple[str, ...], unit: str) -> tuple[dict, dict]:
    import altair as alt
    x = _x("연도", domain)
    bars = alt.Chart().mark_bar().encode(
        x=x, y=alt.Y("값:Q", axis=_unit_axis(unit), stack=None),
        color=alt.Color("구분:N", legend=None, scale=alt.Scale(
            domain=list(stages), range=[STAGE_COLOURS.get(s, "#999999") for s in stages])),
        tooltip=[alt.Tooltip("연도:N", title="연도"), alt.Tooltip("단계:N", title="단계"),
                 alt.Tooltip("금액:N", title="금액"), alt.Tooltip("출처:N", title="출처")],
    ).transform_filter(alt.FieldValidPredicate(field="값", valid=True))

    def make(step: str) -> alt.LayerChart:
        # Each bar's stage under its year, below the year (TEXT high, 4 px from the axis).
        stage_names = alt.Chart().mark_text(baseline="top", dy=TEXT + 8, fontSize=TEXT, lineBreak="\n",
                                            lineHeight=TEXT + 2, color=MUTED).encode(
            x=x, y=alt.YValue(HEIGHT),
            text=alt.TextValue(alt.ExprRef(expr=f"{_narrow(step)} ? datum['단계_좁게'] : datum['단계_줄']")),
        ).transform_filter(alt.FieldValidPredicate(field="값", valid=True))
        return alt.LayerChart(layer=[bars, stage_names, _no_data_text(step).encode(x=x)], data=alt.Data(values=[]))
    return _dicts(make, len(domain))


@cache
def _execution_shape(dates: tuple[str, ...], unit: str) -> tuple[dict, dict]:
    import altair as alt
    colour = alt.Scale(domain=list(EXECUTION), range=list(EXECUTION_COLOURS))
    tooltip = [alt.Tooltip("기준일_전체:N", title="기준일"),
               *(alt.Tooltip(f"{s}:N", title=s) for s in EXECUTION), alt.Tooltip("출처:N", title="출처")]

    def layer(stage: str, mark: alt.Chart, x: alt.X) -> alt.Chart:
        return mark.encode(
            x=x, y=alt.Y(f"{stage}_값:Q", axis=_unit_axis(unit)),
            # A field, not a datum: the schema allows a datum no scale or legend of its own.
            color=alt.Color("구분:N", scale=colour, legend=alt.Legend(columns=3, symbolOpacity=1)),
            tooltip=tooltip,
        ).transform_filter(alt.FieldValidPredicate(field=f"{stage}_값", valid=True)
                           ).transform_calculate(구분=f"'{stage}'")

    def make(step: str) -> alt.LayerChart:
        x = _x("기준일", dates, _date_label(step))
        return alt.LayerChart(layer=[
            layer("예산현액", alt.Chart().mark_bar(), x),
            layer("지출액", alt.Chart().mark_bar(width={"band": 0.45}), x),
            layer("원인행위액", alt.Chart().mark_tick(thickness=3, opacity=1), x),
            _no_data_text(step).encode(x=x)], data=alt.Data(values=[]))
    return _dicts(make, len(dates))


@cache
def _stacked_shape(series: str, present: tuple, unit: str, stage: str, domain: tuple[str, ...]) -> tuple[dict, dict]:
    import altair as alt
    colours = (OKABE_ITO + ["#999999", "#777777", "#BBBBBB"])[: len(present)]
    x = _x("연도", domain)
    bars = alt.Chart().mark_bar().encode(
        x=x, y=alt.Y("값:Q", axis=_unit_axis(unit, stage), stack="zero"),
        color=alt.Color(f"{series}:N", sort=list(present), scale=alt.Scale(domain=list(present), range=colours),
                        legend=alt.Legend(columns=2, labelLimit=140)),
        order=alt.Order("순서:Q"),
        tooltip=[alt.Tooltip("연도:N", title="연도"), alt.Tooltip(f"{series}:N", title=series),
                 alt.Tooltip("금액:N", title="금액"), alt.Tooltip("단계:N", title="단계")],
    ).transform_filter(alt.FieldValidPredicate(field="값", valid=True))
    return _dicts(lambda step: alt.LayerChart(layer=[bars, _no_data_text(step).encode(x=x)], data=alt.Data(values=[])),
                  len(domain))


def _config(chart: alt.LayerChart) -> alt.LayerChart:
    # Light lines across at the amounts; none between years, where one would
    # seem to fence a bar in with the neighbouring year.
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelFontSize=TEXT, titleFontSize=TEXT, gridColor="#e5e5e5"
    ).configure_axisX(grid=False).configure_axisY(grid=True).configure_legend(
        orient="bottom", title=None, labelFontSize=TEXT, symbolType="square")


def _dicts(make: Callable[[str], alt.LayerChart], places: int) -> tuple[dict, dict]:
    """The shape at a fixed width (for the SVG) and filling its container (live),
    made with the width of a place on the x axis, or the expression for it.
    validate=False: Altair's schema check is slow; every
    kind of spec is validated in the tests instead."""
    # (BAND_PADDING inside and half of it outside: places steps fill the plot.)
    fixed_step = f"{(SVG_WIDTH - Y_AXIS) / places:.1f}"
    live_step = f"(containerSize()[0] - {Y_AXIS}) / {places}"
    fixed = _config(make(fixed_step).properties(width=SVG_WIDTH, height=HEIGHT)).to_dict(validate=False)
    live = _config(make(live_step).properties(width="container", height=HEIGHT)).to_dict(validate=False)
    fixed["autosize"] = live["autosize"] = AUTOSIZE
    return fixed, live


def _finish(chart_id: str, title: str, shape: tuple[dict, dict], rows: list[dict], description: str,
            summary: str) -> Chart:
    fixed, live = ({**d, "data": {"values": rows}, "description": description} for d in shape)
    return Chart(chart_id, title, live, fixed, summary)
