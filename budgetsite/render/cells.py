"""The values tables and charts show, prepared once for every page: a figure's cell, a year's
representative budget, a comparison's row by the one rule (model.FigureSet.change), execution rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import charts, money, summaries
from ..charts import Chart
from ..model import (
    COMPARISON_UNIT,
    EXECUTION_STAGES,
    REPRESENTATIVE_ORDER,
    Change,
    Department,
    Figure,
    FigureSet,
    Project,
    Site,
    Snapshot,
    SourceRef,
    date_words,
    short_date,
)
from ..tables import Table
from .page import Page

LINEAGE_LABELS = {
    "renamed": "이름 변경", "split_from": "나뉘어 생김", "merged_into": "통합", "absorbed": "흡수",
    "abolished": "폐지", "created": "신설", "transferred_in": "업무 넘겨받음", "transferred_out": "업무 넘겨줌",
}


@dataclass(slots=True)
class Amount:
    """A figure as a table cell shows it (a money cell, render/markup.py)."""
    value: int            # exact, in 천원: what the downloads hold
    text: str             # in the table's unit
    words: str            # in 억원 words, with source: the cell's title
    source: str
    stage: str
    precision: str
    rounded: bool         # printed in a coarser unit than the table's 천원
    partial: bool         # a projects-only sum, 기본경비 left out
    recovered: str | None


def cell(f: Figure | None, unit: str = "천원") -> Amount | None:
    """What a table cell needs: the text in the table's unit, and where it came from."""
    if f is None:
        return None
    text = money.thousands(f.amount) if unit == "천원" else money.millions(f.amount)
    return Amount(f.amount, text, money.eok_man(f.amount), f.source_label, f.stage_label, f.precision,
                  f.precision != "천원" and unit == "천원", f.scope == "사업비", f.recovered)


@dataclass(slots=True)
class FigureRow:
    """A figure with its source, as the 'all figures' table shows it."""
    year: int
    stage: str
    value: int        # exact, in 천원
    amount: str       # as the table shows it
    words: str        # in 억원 words: the cell's title
    precision: str
    rounded: bool     # printed in a coarser unit than 천원
    as_of: str
    detail: str
    source: SourceRef
    note: str
    recovered: str | None


def figure_rows(figs: FigureSet) -> list[FigureRow]:
    """Every figure with its source, for the 'all figures' table."""
    return [FigureRow(f.year, f.stage, f.amount, money.thousands(f.amount), money.eok_man(f.amount), f.precision,
                      f.precision != "천원", f.as_of or "", f.detail, f.source, f.note or "", f.recovered)
            for f in figs.all]


def stage_table(figs: FigureSet, stages: list[str], unit: str) -> dict:
    stages = [s for s in stages if any(figs.get(y, s) for y in figs.years)]
    rows = [{"year": y, "cells": [cell(figs.get(y, s), unit) for s in stages]}
            for y in figs.years if any(figs.get(y, s) for s in stages)]
    return {"stages": stages, "rows": rows, "unit": unit}


@dataclass(slots=True)
class Execution:
    """One report's execution figures of one year, from one printed table on one date."""
    year: int
    as_of: str
    source: SourceRef
    table: str
    current: Amount | None     # 예산현액
    committed: Amount | None   # 원인행위액
    spent: Amount | None       # 지출액
    committed_rate: str        # against current, of this row
    spent_rate: str
    figures: Snapshot          # the report's figures by stage


def execution_rows(figs: FigureSet, unit: str = "천원") -> list[Execution]:
    """Execution as each report counted it, a row per printed table and date;
    rates against the 예산현액 of the same row."""
    rows = []
    for s in figs.snapshots():
        current, committed, spent = s.get("예산현액"), s.get("원인행위액"), s.get("지출액")
        base = current.amount if current else None
        rows.append(Execution(
            s.year, s.as_of or "", s.source, s.table or "",
            cell(current, unit), cell(committed, unit), cell(spent, unit),
            money.rate(committed.amount, base) if committed and base else "-",
            money.rate(spent.amount, base) if spent and base else "-", s))
    return rows


def execution_chart(chart_id: str, title: str, rows: list[Execution]) -> Chart | None:
    """Execution apart from the budget stages, each report on its own dated place."""
    points = [{"기준일": short_date(r.as_of) if r.as_of else str(r.year),
               "기준일_전체": date_words(r.as_of) if r.as_of else f"{r.year}년",
               "연도": str(r.year), "출처": _with_table(r.source.label, r.table),
               **{stage: (f.amount if (f := r.figures.get(stage)) else None) for stage in EXECUTION_STAGES}}
              for r in rows]
    last = rows[-1].figures if rows else None
    summary = summaries.execution(last, date_words(last.as_of) if last.as_of else f"{last.year}년") \
        if last else ""
    return _sourced(charts.execution_bars(chart_id, title, points, summary), [r.source for r in rows])


def _sourced(chart: Chart | None, sources: list[SourceRef]) -> Chart | None:
    """The chart, with where its figures come from (for its embed page)."""
    if chart:
        chart.sources = sources
    return chart


def charted(*pairs: tuple[Chart | None, Table | None]) -> list[Chart]:
    """A page's charts (page.charts), each with the table of exactly its
    figures, which the page shows under it and its embed page with it."""
    made = []
    for chart, table in pairs:
        if chart:
            chart.table = table
            made.append(chart)
    return made


def _with_table(label: str, table: str) -> str:
    """A source's label and the table it is printed in, as Figure.source_label."""
    return f"{label} ({table})" if table else label


def page_url(site: Site, page: Page) -> str:
    """The page's canonical address (as render_page makes it)."""
    return site.base_url + (page.canonical or page.path)


def cite_line(site: Site, page: Page) -> str:
    """「이 숫자 인용하기」: what a journalist pastes to cite a page: its title,
    the site, this edition (what it includes and when it was made) and the
    page's canonical address."""
    parts = [f"「{page.title}」", site.title]
    if site.edition:
        parts.append(f"{site.edition['label']}({site.edition['date']})")
    return ", ".join(parts + [page_url(site, page)])


def citation_meta(site: Site, page: Page) -> list[tuple[str, str]]:
    """The same citation as <meta name="citation_*">, which reference
    managers (Zotero) and scholarly search engines read from a page's head."""
    meta = [("citation_title", page.title), ("citation_publisher", site.title)]
    if site.edition:
        meta.append(("citation_publication_date", site.edition["date"].replace("-", "/")))
    return meta + [("citation_language", "ko"), ("citation_public_url", page_url(site, page))]


def budget_chart(chart_id: str, title: str, figs: FigureSet, years: list[int], summary: str) -> Chart | None:
    """A bar a year: the year's most settled budget stage, its stage written
    with it. Execution (예산현액 and after) has a chart of its own."""
    shown = [(y, f) for y in years if (f := budget_figure(figs, y))]
    points = [{"연도": str(y), "단계": f.stage_label, "amount": f.amount, "출처": f.source_label} for y, f in shown]
    return _sourced(charts.budget_bars(chart_id, title, years, points, summary), [f.source for _, f in shown])


CHANGE_WORDS = {"new": "순증", "ended": "순감", "incomparable": "같은 단계 금액 없음", "none": "한 해 자료 없음",
                "partial": "그해 중간에 생긴 부서"}


@dataclass(slots=True)
class Comparison:
    """One comparison's cells: both amounts with their stages, then the change
    and rate derived from exactly those two shown amounts (model.Change)."""
    before: Amount | None
    after: Amount | None
    before_stage: str
    after_stage: str
    kind: str           # model.Change.kind: change, new, ended, incomparable, none, partial
    delta: int | None   # in 백만원, the shown unit
    change: str         # the change as the table shows it
    rate: str
    change_words: str   # the change in words, for a sentence
    delta_number: str   # exact, for the downloads and sorting
    rate_number: str
    rate_sort: str


@dataclass(slots=True)
class ProjectComparison(Comparison):
    project: Project
    dept: Department    # where the project was in the later year
    mark: str | None    # 신규, 종료
    mark_class: str | None


def change_row(ch: Change) -> dict:
    """The fields of a Comparison for ch."""
    delta, rate = ch.delta, ch.rate
    if ch.kind == "change":
        change_text = money.signed(delta, money.thousands) if delta else "-"
        rate_text = money.percent_text(rate) if rate is not None else "-"
    else:
        change_text = CHANGE_WORDS[ch.kind]
        rate_text = CHANGE_WORDS[ch.kind] if ch.kind in ("new", "ended") else ""
    # Sorting: 순증 above every rate, 순감 a fall of 100%, no comparison last.
    sort = {"new": "1e9", "ended": "-100"}.get(ch.kind, f"{rate}" if rate is not None else "")
    return {"before": cell(ch.before, "백만원"), "after": cell(ch.after, "백만원"),
            "before_stage": ch.before.stage_label if ch.before else "",
            "after_stage": ch.after.stage_label if ch.after else "",
            "kind": ch.kind, "delta": delta, "change": change_text, "rate": rate_text,
            "change_words": (money.DECREASE if delta < 0 else "") + money.eok_man(abs(delta) * COMPARISON_UNIT)
            if ch.kind == "change" and delta else change_text,
            "delta_number": "" if delta is None else str(delta), "rate_number": "" if rate is None else str(rate),
            "rate_sort": sort}


def comparison(ch: Change) -> Comparison:
    return Comparison(**change_row(ch))


def budget_figure(figs: FigureSet, year: int) -> Figure | None:
    """The year's most settled budget stage (최종예산, 본예산, 예산안), never a dated execution figure."""
    return next((f for stage in REPRESENTATIVE_ORDER[:3] if (f := figs.get(year, stage))), None)


def key_figures(figs: FigureSet, year: int | None, rows: list[Execution], ch: Change | None = None) -> dict | None:
    """The answer first: the year's budget with its stage, the money
    available and what was spent (each with its date and source: from rows,
    the page's own execution_rows), the change from the year before, and why
    예산안 and 예산현액 differ."""
    if year is None:
        return None
    budget = budget_figure(figs, year)
    same_year = [r for r in rows if r.year == year]
    available = max((r for r in same_year if r.current), key=lambda r: r.as_of, default=None)
    spent = max((r for r in (same_year or rows) if r.spent), key=lambda r: (r.year, r.as_of), default=None)
    if budget is None and available is None and spent is None:
        return None
    ch = ch or figs.change(year - 1, year)
    return {"year": year, "budget": budget, "budget_stage": budget.stage_label if budget else "",
            "budget_words": money.eok_man(budget.amount) if budget else "",
            "available": available,
            "available_words": money.eok_man(available.current.value) if available and available.current else "",
            "available_date": date_words(available.as_of) if available and available.as_of else "",
            "spent": spent, "spent_words": money.eok_man(spent.spent.value) if spent and spent.spent else "",
            "spent_date": date_words(spent.as_of) if spent and spent.as_of else "",
            "change": comparison(ch), "change_sentence": summaries.change(ch),
            "why": summaries.proposed_and_available(figs, year, available.figures.get("예산현액") if available else None)}



def change_rows(site: Site, a: int, b: int, projects: list[Project] | None = None) -> list[ProjectComparison]:
    """Every project with a figure in year a or b, compared by the one rule:
    the compare page, the home page's largest changes and a department's
    table are all made from these rows."""
    rows = []
    wanted = None if projects is None else {id(p) for p in projects}
    for p, ch in site.changes(a, b):
        if wanted is not None and id(p) not in wanted:
            continue
        rows.append(ProjectComparison(**change_row(ch), project=p,
                                      dept=p.department_in(b) or p.department_in(a) or p.department,
                                      mark={"new": "신규", "ended": "종료"}.get(ch.kind),
                                      mark_class={"new": "new", "ended": "ended"}.get(ch.kind)))
    return rows


# Stable ids for chart elements (Hangul in an id is valid, but a permalink reads better in ASCII).
STAGE_IDS = {"예산안": "proposed", "본예산": "adopted", "최종예산": "final"}


def rep_cell(figs: FigureSet, year: int) -> Amount | None:
    return cell(figs.representative(year), "백만원")


def year_span(years: list[int]) -> list[int]:
    """Every year from the first to the last given: a chart's axis never skips one."""
    return list(range(years[0], years[-1] + 1)) if years else []
