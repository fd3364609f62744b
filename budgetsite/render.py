"""Pages (after the model): each page is a template and a context of ready-made values;
templates place them and compute nothing.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import charts, data, downloads, money, summaries
from .charts import Chart
from .korean import josa
from .load import GUIDE
from .model import (
    BASIS_LABELS,
    BUDGET_STAGES,
    COMPARISON_UNIT,
    DISCREPANCY_KIND,
    DISCREPANCY_KINDS,
    EXECUTION_STAGES,
    HISTORY_LABELS,
    PRINTED_FIELDS,
    REPRESENTATIVE_ORDER,
    STAGE_HELP,
    STAGES,
    UNSTATED,
    Bureau,
    Change,
    Department,
    Figure,
    FigureSet,
    Program,
    Project,
    Revenue,
    Site,
    SourceRef,
    date_words,
    first_sentence,
    markdown_html,
    short_date,
)
from .tables import Table


@dataclass
class Page:
    path: str            # relative to the site root, always a file
    template: str
    title: str = ""
    crumbs: list[tuple[str, str | None]] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # extra files from static/, after the page
    description: str = ""  # for search engines and link previews; the site's own if empty
    # Served at any depth (404.html on GitHub Pages): links absolute from the
    # base URL, the stylesheet inline, no scripts.
    absolute: bool = False
    canonical: str | None = None  # another page's path, when this one repeats it
    # The project and department files (relative to content/) the page is
    # made from, beyond what every page shares; None: all of them. A page
    # whose inputs are unchanged is not rendered again (freshness.py).
    inputs: frozenset[str] | None = None
    # Shows its project inputs as pages listing projects do (freshness.
    # OWN_PAGE_ONLY left out): a project's description does not make it again.
    lists_projects: bool = False
    # What makes the page, when it is needed (registry.py): in the worker
    # process that writes it, and only if its inputs changed.
    make: Callable[[], Page] | None = field(default=None, repr=False)
    files: dict[str, bytes] = field(default_factory=dict, repr=False)  # written with it: path from the site root → bytes
    # Its tables' downloads made from its values (downloads.py), by table id;
    # any other table is read back from the page.
    tables: dict[str, Table] = field(default_factory=dict, repr=False)

    def ready(self) -> Page:
        """The page with its content and charts, made now if it is not yet."""
        return self if self.make is None else self.make()

    @property
    def root(self) -> str:
        """The way back to the site root from this page: '', '../', '../../'."""
        return "../" * self.path.count("/")


    @property
    def links_terms(self) -> bool:
        """Glossary terms are linked everywhere but on the glossary itself and
        pages served at any depth."""
        return self.template != "glossary.html" and not self.absolute


def not_found_page(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "페이지를 찾을 수 없습니다", [("처음", "index.html"), ("찾을 수 없음", None)]
    return page


LINEAGE_LABELS = {
    "renamed": "이름 변경", "split_from": "나뉘어 생김", "merged_into": "통합", "absorbed": "흡수",
    "abolished": "폐지", "created": "신설", "transferred_in": "업무 넘겨받음", "transferred_out": "업무 넘겨줌",
}

NAV = [("index.html", "처음"), ("departments/index.html", "부서"), ("projects/index.html", "사업"),
       ("compare/index.html", "연도 비교"), ("revenue/index.html", "세입"), ("sources/index.html", "자료 출처"),
       ("guide/index.html", "읽는 법")]
# Reference pages, linked from every page's footer.
FOOTER = [("organisation/index.html", "조직 변천"), ("glossary/index.html", "용어"), ("programs/index.html", "전략목표·단위사업"),
          ("discrepancies/index.html", "자료 간 차이"), ("data/index.html", "데이터 내려받기")]


_DICT_NAMES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's own, with r.name on a plain dict (the rows and cells prepared
    here) looked up as r["name"] first. Jinja tries the attribute first,
    raising and catching an AttributeError each time, at a real cost.
    Names of dict's own methods go the usual way, so every lookup
    finds what Jinja would."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@lru_cache(maxsize=8)
def environment(template_dir: Path, cache_dir: Path | None = None) -> Environment:
    """One per template folder and process: Jinja recompiles a template only
    when its file changes, and, with cache_dir, keeps the compiled code
    between builds."""
    env = _Environment(loader=FileSystemLoader(str(template_dir)), autoescape=select_autoescape(["html", "xml"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None)
    env.filters["words"] = whole_words
    return env


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


# --- cells: a figure as a table shows it ----------------------------------------------

def cell(f: Figure | None, unit: str = "천원") -> dict | None:
    """What a table cell needs: the text in the table's unit, and where it came from."""
    if f is None:
        return None
    text = money.thousands(f.amount) if unit == "천원" else money.millions(f.amount)
    return {"text": text, "words": money.eok_man(f.amount), "source": f.source_label,
            "rounded": f.precision != "천원" and unit == "천원", "value": f.amount,
            "precision": f.precision, "stage": f.stage_label, "partial": f.scope == "사업비",
            "recovered": f.recovered}


def figure_rows(figs: FigureSet) -> list[dict]:
    """Every figure with its source, for the 'all figures' table."""
    return [{"year": f.year, "stage": f.stage, "amount": money.thousands(f.amount), "value": f.amount,
             "words": money.eok_man(f.amount), "precision": f.precision, "as_of": f.as_of or "",
             "source": f.source, "note": f.note or "", "detail": f.detail,
             "rounded": f.precision != "천원", "recovered": f.recovered} for f in figs.all]


def stage_table(figs: FigureSet, stages: list[str], unit: str) -> dict:
    stages = [s for s in stages if any(figs.get(y, s) for y in figs.years)]
    rows = [{"year": y, "cells": [cell(figs.get(y, s), unit) for s in stages]}
            for y in figs.years if any(figs.get(y, s) for s in stages)]
    return {"stages": stages, "rows": rows, "unit": unit}


def execution_rows(figs: FigureSet, unit: str = "천원") -> list[dict]:
    """Execution as each report counted it, a row per printed table and date;
    rates against the 예산현액 of the same row."""
    rows = []
    for s in figs.snapshots():
        current, committed, spent = s.get("예산현액"), s.get("원인행위액"), s.get("지출액")
        base = current.amount if current else None
        rows.append({
            "year": s["year"], "as_of": s["as_of"] or "", "source": s["source"], "table": s["table"] or "",
            "current": cell(current, unit), "committed": cell(committed, unit), "spent": cell(spent, unit),
            "committed_rate": money.rate(committed.amount, base) if committed and base else "-",
            "spent_rate": money.rate(spent.amount, base) if spent and base else "-",
            "figures": s,
        })
    return rows


def execution_chart(chart_id: str, title: str, rows: list[dict]) -> Chart | None:
    """Execution apart from the budget stages, each report on its own dated place."""
    points = [{"기준일": short_date(r["as_of"]) if r["as_of"] else str(r["year"]),
               "기준일_전체": date_words(r["as_of"]) if r["as_of"] else f"{r['year']}년",
               "연도": str(r["year"]), "출처": _with_table(r["source"].label, r["table"]),
               **{stage: (f.amount if (f := r["figures"].get(stage)) else None) for stage in EXECUTION_STAGES}}
              for r in rows]
    last = rows[-1]["figures"] if rows else None
    summary = summaries.execution(last, date_words(last["as_of"]) if last["as_of"] else f"{last['year']}년") \
        if last else ""
    return charts.execution_bars(chart_id, title, points, summary)


def _with_table(label: str, table: str) -> str:
    """A source's label and the table it is printed in, as Figure.source_label."""
    return f"{label} ({table})" if table else label


def cite_line(site: Site, page: Page) -> str:
    """「이 숫자 인용하기」: what a journalist pastes to cite a page: its title,
    the site, this edition (what it includes and when it was made) and the
    page's canonical address (as render_page makes it)."""
    parts = [f"「{page.title}」", site.title]
    if site.edition:
        parts.append(f"{site.edition['label']}({site.edition['date']})")
    return ", ".join(parts + [site.base_url + (page.canonical or page.path)])


def budget_chart(chart_id: str, title: str, figs: FigureSet, years: list[int], summary: str) -> Chart | None:
    """A bar a year: the year's most settled budget stage, its stage written
    with it. Execution (예산현액 and after) has a chart of its own."""
    points = [{"연도": str(y), "단계": f.stage_label, "amount": f.amount, "출처": f.source_label}
              for y in years if (f := budget_figure(figs, y))]
    return charts.budget_bars(chart_id, title, years, points, summary)


CHANGE_WORDS = {"new": "순증", "ended": "순감", "incomparable": "같은 단계 금액 없음", "none": "한 해 자료 없음",
                "partial": "그해 중간에 생긴 부서"}


def change_row(ch: Change) -> dict:
    """The cells of one comparison: both amounts with their stages, then the
    change and rate derived from exactly those two shown amounts (model.Change)."""
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


# --- pages -----------------------------------------------------------------------------

def budget_figure(figs: FigureSet, year: int) -> Figure | None:
    """The year's most settled budget stage (최종예산, 본예산, 예산안), never a dated execution figure."""
    return next((f for stage in REPRESENTATIVE_ORDER[:3] if (f := figs.get(year, stage))), None)


def key_figures(figs: FigureSet, year: int | None, rows: list[dict], ch: Change | None = None) -> dict | None:
    """The answer first: the year's budget with its stage, the money
    available and what was spent (each with its date and source: from rows,
    the page's own execution_rows), the change from the year before, and why
    예산안 and 예산현액 differ."""
    if year is None:
        return None
    budget = budget_figure(figs, year)
    same_year = [r for r in rows if r["year"] == year]
    available = max((r for r in same_year if r["current"]), key=lambda r: r["as_of"], default=None)
    spent = max((r for r in (same_year or rows) if r["spent"]), key=lambda r: (r["year"], r["as_of"]), default=None)
    if budget is None and available is None and spent is None:
        return None
    ch = ch or figs.change(year - 1, year)
    return {"year": year, "budget": budget, "budget_stage": budget.stage_label if budget else "",
            "budget_words": money.eok_man(budget.amount) if budget else "",
            "available": available, "available_words": money.eok_man(available["current"]["value"]) if available else "",
            "available_date": date_words(available["as_of"]) if available and available["as_of"] else "",
            "spent": spent, "spent_words": money.eok_man(spent["spent"]["value"]) if spent else "",
            "spent_date": date_words(spent["as_of"]) if spent and spent["as_of"] else "",
            "change": change_row(ch), "change_sentence": summaries.change(ch),
            "why": summaries.proposed_and_available(figs, year, available["figures"]["예산현액"] if available else None)}


def latest_pair(site: Site) -> tuple[int, int] | None:
    """The two latest years with project figures: the pair the home page's
    largest changes and the compare index show."""
    _, pairs = compare_pairs(site)
    return pairs[-1] if pairs else None


def change_rows(site: Site, a: int, b: int, projects: list[Project] | None = None) -> list[dict]:
    """Every project with a figure in year a or b, compared by the one rule:
    the compare page, the home page's largest changes and a department's
    table are all made from these rows."""
    rows = []
    wanted = None if projects is None else {id(p) for p in projects}
    for p, ch in site.changes(a, b):
        if wanted is not None and id(p) not in wanted:
            continue
        rows.append({"project": p, "dept": p.department_in(b) or p.department_in(a) or p.department,
                     "mark": {"new": "신규", "ended": "종료"}.get(ch.kind),
                     "mark_class": {"new": "new", "ended": "ended"}.get(ch.kind), **change_row(ch)})
    return rows


def home_page(site: Site, page: Page) -> Page:
    bureau = site.bureau
    depts = sorted(site.departments.values(), key=lambda d: d.names[0].start)
    years = site.years
    basis = {y: f for y in years if (f := site.basis(y))}
    # A year no report prints by department gets no empty column.
    table_years = [y for y in years if y in basis and any(d.totals.like(basis[y]) for d in depts)]
    dept_rows = [{"dept": d, "cells": [cell(d.totals.like(basis[y]), "백만원") for y in table_years]} for d in depts]

    pair = latest_pair(site)
    changes = [r for r in change_rows(site, *pair) if r["delta"]] if pair else []
    increases = sorted((c for c in changes if c["delta"] > 0), key=lambda c: (-c["delta"], c["project"].name))
    decreases = sorted((c for c in changes if c["delta"] < 0), key=lambda c: (c["delta"], c["project"].name))
    change_groups = [g for g in ({"id": "increases", "title": "가장 많이 늘어난 사업", "rows": increases[:5]},
                                 {"id": "decreases", "title": "가장 많이 줄어든 사업", "rows": decreases[:5]}) if g["rows"]]

    page.title, page.crumbs = site.title, [("처음", None)]
    # One stacked chart per budget stage, a stack of that stage alone named in
    # its title, each with the table of exactly its figures under it.
    by_stage: list[dict[str, Any]] = []
    for stage in REPRESENTATIVE_ORDER[:3]:
        stage_basis = {y: f for y in years if (f := site.basis(y, stage))}
        parts = [(y, d, f) for d in depts for y, b in stage_basis.items() if (f := d.totals.like(b))]
        if not parts:
            continue
        points = [{"연도": str(y), "부서": d.name, "amount": f.amount, "순서": depts.index(d)} for y, d, f in parts]
        latest = max(y for y, _, _ in parts)
        chart = charts.stacked_bars(
            f"bureau-by-department-{STAGE_IDS[stage]}", f"부서별 {stage}", stage, site.span, points, "부서",
            [d.name for d in depts],
            summaries.largest_part(latest, stage, {d.name: f.amount for y, d, f in parts if y == latest}))
        stage_years = sorted({y for y, _, _ in parts})
        if chart:
            by_stage.append({"chart": chart, "stage": stage, "id": f"by-department-{STAGE_IDS[stage]}",
                             "years": stage_years,
                             "rows": [{"dept": d, "cells": [cell(d.totals.like(stage_basis[y]), "백만원") for y in stage_years]}
                                      for d in depts if any(d.totals.like(stage_basis[y]) for y in stage_years)]})
    exec_rows = execution_rows(bureau.totals, "백만원")
    page.charts = [c for c in [
        budget_chart("bureau-totals", f"{bureau.name} 세출 예산 (연도별 대표 금액)", bureau.totals, site.span,
                     summaries.budget(bureau.totals)),
        execution_chart("bureau-execution", f"{bureau.name} 예산 집행 (보고서 기준일별)", exec_rows),
        *(g["chart"] for g in by_stage),
    ] if c]
    latest_year = max((y for y in bureau.totals.years if any(bureau.totals.get(y, s) for s in BUDGET_STAGES)),
                      default=None)
    page.context = {
        "bureau": bureau, "bureau_table": stage_table(bureau.totals, BUDGET_STAGES, "백만원"),
        "differences": discrepancy_anchors(bureau.discrepancies, "bureau"),
        "execution": exec_rows, "key": key_figures(bureau.totals, latest_year, exec_rows),
        "years": table_years, "dept_rows": dept_rows, "change_groups": change_groups, "pair": pair,
        "basis": [{"year": y, "stage": b.stage_label, "source": b.source} for y, b in basis.items()],
        "project_count": len(site.projects),
        "departments_with_projects": sum(1 for d in depts if d.projects),
        "chart_of": {c.id: c for c in page.charts}, "stage_charts": by_stage,
        "notes": sorted(bureau.notes, key=lambda n: -n["year"]),
        "compare_path": compare_path(*pair) if pair else "compare/index.html",
    }
    return page


# Stable ids for chart elements (Hangul in an id is valid, but a permalink reads better in ASCII).
STAGE_IDS = {"예산안": "proposed", "본예산": "adopted", "최종예산": "final"}


def _rep_cell(figs: FigureSet, year: int) -> dict | None:
    return cell(figs.representative(year), "백만원")


def departments_index(site: Site, page: Page) -> Page:
    depts = sorted(site.departments.values(), key=lambda d: (d.abolished, d.names[0].start, d.name))
    # A dataset may give no bureau total at all (found by fuzzing): then no year column.
    latest = max(site.bureau.totals.years, default=None)
    basis = site.basis(latest) if latest else None
    rows = [{"dept": d, "former": [f"{n.name} ({n.span})" for n in d.names[:-1]],
             "latest": cell(d.totals.like(basis), "백만원") if basis else None, "projects": len(d.projects)}
            for d in depts]
    page.title, page.crumbs = "부서", [("처음", "index.html"), ("부서", None)]
    page.context = {"rows": rows, "latest_year": latest, "basis": basis}
    return page


def _span(years: list[int]) -> list[int]:
    """Every year from the first to the last given: a chart's axis never skips one."""
    return list(range(years[0], years[-1] + 1)) if years else []


def department_page(site: Site, page: Page, d: Department) -> Page:
    years = sorted(set(d.totals.years) | {y for p in d.projects for y in p.figures.years})
    project_rows = []
    for p in d.projects:
        p_years = [y for y in years if d in p.departments_in(y)]
        # Only the figures the documents place under this department (Project.department_of).
        own = p.figures if all(docs is None for _, docs, _ in p.placements) else \
            FigureSet([f for f in p.figures.all if p.department_of(f) is d])
        project_rows.append({"project": p, "cells": [_rep_cell(own, y) if y in p_years else None for y in years],
                             "moved": sorted({o.name for o in p.departments.values() if o is not d})})
    # The department's projects between its two latest years, by the one comparison rule.
    pair = (years[-2], years[-1]) if len(years) > 1 else None
    changes = change_rows(site, pair[0], pair[1],
                          [p for p in d.projects if d in p.departments_in(pair[0]) + p.departments_in(pair[1])]) \
        if pair else []
    lineage = [{**ev, "other": site.departments.get(ev.get("department") or ""), "label": LINEAGE_LABELS[ev["event"]],
                "when": ev.get("date") or (f"{ev['year']}년" if ev.get("year") else "시기 미상")}
               for ev in sorted(d.lineage, key=lambda ev: ev.get("date") or str(ev.get("year") or ""))]
    tasks = [{**t, "amount_text": money.eok_man(t["amount"]) if t["amount"] is not None else None}
             for t in sorted(d.tasks, key=lambda t: (-t["year"], t["source"].line))]
    page.title, page.crumbs = d.name, [("처음", "index.html"), ("부서", "departments/index.html"), (d.name, None)]
    page.description = (f"{d.name}({d.active_years})의 연도별 예산·집행과 사업, 조직 변천. "
                        f"{summaries.budget(d.totals, compare=d.change)}")
    chart = budget_chart(f"dept-{d.id}", f"{d.name} 예산 (연도별 대표 금액)", d.totals, _span(d.totals.years),
                         summaries.budget(d.totals, compare=d.change))
    exec_rows = execution_rows(d.totals, "백만원")
    exec_chart = execution_chart(f"dept-{d.id}-execution", f"{d.name} 예산 집행 (보고서 기준일별)", exec_rows)
    page.charts = [c for c in (chart, exec_chart) if c]
    page.context = {
        "dept": d, "chart": chart, "exec_chart": exec_chart, "execution": exec_rows,
        "differences": discrepancy_anchors(d.discrepancies, f"department-{d.id}"),
        "totals_table": stage_table(d.totals, BUDGET_STAGES, "백만원"),
        "years": years, "project_rows": project_rows, "lineage": lineage, "pair": pair, "changes": changes,
        "duties": sorted(d.duties, key=lambda x: -x["year"]),
        "staff": sorted(d.staff, key=lambda x: x["date"]),
        "figure_rows": figure_rows(d.totals), "tasks": tasks,
        "successors": [site.departments[i] for i in d.successors] if d.abolished else [],
        "successor_particle": josa(site.departments[d.successors[-1]].name, "으로") if d.successors else "",
        "ended": next((ev["when"] for ev in lineage if ev["event"] in ("abolished", "merged_into")), None),
        "cite": cite_line(site, page),
    }
    return page


def projects_index(site: Site, page: Page) -> Page:
    projects = sorted(site.projects.values(), key=lambda p: (p.department.name, p.name))
    years = site.years
    rows = [{"project": p, "cells": [_rep_cell(p.figures, y) for y in years],
             "former": [n["name"] for n in p.former_names]} for p in projects]
    page.title, page.crumbs = "사업", [("처음", "index.html"), ("사업", None)]
    page.context = {"rows": rows, "years": years}
    return page


def project_page(site: Site, page: Page, p: Project) -> Page:
    figs = p.figures
    snapshots = execution_rows(figs)
    latest = max((y for y in figs.years if any(figs.get(y, s) for s in BUDGET_STAGES)), default=None)
    key = key_figures(figs, latest, snapshots, p.change(latest - 1, latest) if latest else None)
    budget_chart_ = budget_chart(f"project-{p.id}-budget", f"{p.name} 예산 (연도별 대표 금액)", figs,
                                 _span(figs.years), key["change_sentence"] if key else summaries.budget(figs))
    exec_chart = execution_chart(f"project-{p.id}-execution", f"{p.name} 집행 (보고서 기준일별)", snapshots)
    breakdowns = []
    for b in sorted(p.breakdown, key=lambda b: (b["year"], STAGES.index(b["stage"]))):
        total = sum(i["amount"] for i in b["items"])
        breakdowns.append({**b, "rows": [{**i, "text": money.thousands(i["amount"]), "share": money.rate(i["amount"], total)}
                                         for i in b["items"]], "total": money.thousands(total),
                           "total_value": total})
    differences = discrepancy_anchors(p.discrepancies, f"project-{p.id}")
    foundation = foundation_tables(p.foundation_budget, differences)
    # A year the documents place under two departments lists both, by the
    # names those documents used, the earlier document's first.
    places = {a["year"]: sorted(a["places"], key=lambda pl: min(s.date for s in pl["sources"])) for a in p.placed_apart}
    dept_years: list[dict[str, Any]] = []
    for y in sorted(p.departments):
        for d, name in ([(pl["department"], pl["name"]) for pl in places[y]] if places.get(y)
                        else [(p.departments[y], p.departments[y].name_in(y))]):
            if dept_years and dept_years[-1]["dept"] is d and dept_years[-1]["name"] == name:
                dept_years[-1]["years"].append(y)
            else:
                dept_years.append({"dept": d, "name": name, "years": [y]})
    page.title = p.name
    page.crumbs = [("처음", "index.html"), ("부서", "departments/index.html"), (p.department.name, p.department.path),
                   (p.name, None)]
    page.description = " ".join(x for x in (f"{p.department.name} {p.name}.", first_sentence(p.description_html),
                                            budget_chart_.summary if budget_chart_ else "") if x)
    page.charts = [c for c in (budget_chart_, exec_chart) if c]
    page.context = {
        "project": p, "budget_chart": budget_chart_, "exec_chart": exec_chart, "key": key,
        "differences": differences, "foundation": foundation,
        # An amount of unstated stage is shown beside the budget stages, in a column of its own.
        "budget_table": stage_table(figs, BUDGET_STAGES + [UNSTATED], "천원"), "snapshots": snapshots,
        "breakdowns": breakdowns, "notes": sorted(p.notes, key=lambda n: n["year"]),
        "dept_years": dept_years, "figure_rows": figure_rows(figs), "placed_apart": p.placed_apart,
        "history": [{**h, "label": HISTORY_LABELS[h["event"]], "basis_label": BASIS_LABELS[h["basis"]],
                     "other": site.projects.get(h["project"]) if h["project"] else None,
                     "from_dept": site.departments.get(h["department"]) if h["department"] else None}
                    for h in sorted(p.history, key=lambda h: h["year"])],
        "cite": cite_line(site, page),
    }
    page.tables = downloads.project(page.context)
    return page


# What every document is asked to print about itself; the sources page says which it does not.
IDENTITY_FIELDS = ["issuer", "meeting", "date", "kind", "bill"]


def source_identity(s) -> dict:
    """A document's identity as it prints it (each with its line), what of it
    it does not print, and its contents: parts with their chapters, each
    with the line it starts at (the anchor a source link leads to)."""
    printed = [{"label": label, "text": s.printed[key]["text"], "line": s.printed[key]["line"]}
               for key, label in PRINTED_FIELDS if key in s.printed]
    missing = [label for key, label in PRINTED_FIELDS if key in IDENTITY_FIELDS and key not in s.printed]
    parts = [{"section": sec, "chapters": [ch for ch in s.sections if ch.part is sec]}
             for sec in s.sections if sec.part is None]
    return {"printed": printed, "not_printed": ", ".join(missing), "contents": parts}


def sources_page(site: Site, page: Page) -> Page:
    counts: dict[str, int] = {sid: 0 for sid in site.sources}
    for p in site.projects.values():
        for f in p.figures.all:
            counts[f.source.source.id] += 1
    for d in site.departments.values():
        for f in d.totals.all:
            counts[f.source.source.id] += 1
    for f in site.bureau.totals.all:
        counts[f.source.source.id] += 1
    rows = [{"source": s, "figures": counts[s.id], **source_identity(s)}
            for s in sorted(site.sources.values(), key=lambda s: s.date)]
    page.title, page.crumbs = "자료 출처", [("처음", "index.html"), ("자료 출처", None)]
    page.context = {"rows": rows}
    return page


def guide_page(site: Site, page: Page) -> Page:
    """pages/guide.md, with how stages and amounts are written beside it."""
    page.title, page.crumbs = "이 사이트를 읽는 법", [("처음", "index.html"), ("읽는 법", None)]
    page.context = {"body_html": markdown_html(site.pages[GUIDE]),
                    "stages": [{"name": s, "help": STAGE_HELP[s]} for s in STAGES],
                    "examples": [{"amount": money.thousands(a), "words": money.eok_man(a), "millions": money.millions(a)}
                                 for a in (1_592_240, 966_176, 24_383_302)],
                    "change_examples": [{"before": money.thousands(b), "after": money.thousands(a),
                                         "change": money.change(b, a), "rate": money.change_rate(b, a)}
                                        for b, a in ((2_668_613, 1_771_000), (0, 277_000), (315_151, 0))]}
    return page


def revenue_page(site: Site, page: Page) -> Page:
    """The bureau's revenue: the grand total by year and stage, then each
    document's table item by item, indented as printed."""
    rev = site.revenue
    page.title, page.crumbs = "세입", [("처음", "index.html"), ("세입", None)]
    if rev is None:
        page.context = {"revenue": None, "chart": None, "totals_table": None, "tables": []}
        return page
    totals = rev.totals
    chart = budget_chart("revenue-totals", "세입 합계 (연도별 대표 금액)", totals, _span(totals.years),
                         summaries.budget(totals))
    page.charts = [chart] if chart else []
    groups: dict[tuple, list] = {}
    for f in rev.items:
        groups.setdefault((f.source.source.id, f.table, f.account), []).append(f)
    tables = []
    for (sid, table, account), items in sorted(groups.items(), key=lambda g: (site.sources[g[0][0]].date,
                                                                               g[0][1] or "", g[0][2] or "")):
        source = site.sources[sid]
        columns = sorted({(f.year, f.stage, f.as_of) for f in items}, key=lambda c: (-c[0], STAGES.index(c[1])))
        rows: dict[tuple, dict] = {}
        for f in items:
            row = rows.setdefault((f.parent, f.item), {"item": f.item, "parent": f.parent, "cells": {}})
            row["cells"][(f.year, f.stage, f.as_of)] = cell(f)
        parent_of = {r["item"]: r["parent"] for r in rows.values()}
        for row in rows.values():
            parent, d = row["parent"], 0
            while parent is not None and d < 6:  # bounded: a printed loop must not hang the build
                d += 1
                parent = parent_of.get(parent)
            row["depth"] = d
        tables.append({"source": source, "table": table, "account": account,
                       "caption": " · ".join(x for x in (source.short, table, account) if x),
                       "columns": [{"label": f"{y} {st}", "as_of": a} for y, st, a in columns],
                       "rows": [{**r, "cells": [r["cells"].get(c) for c in columns]} for r in rows.values()],
                       "first_ref": SourceRef(source, min(f.source.line for f in items))})
    collected = [{"year": r["year"], "as_of": r["as_of"] or "", "source": r["source"], "table": r["table"] or "",
                  "current": cell(r.get("예산현액"), "백만원"), "collected": cell(r.get("징수액"), "백만원"),
                  "rate": money.rate(r["징수액"].amount, r["예산현액"].amount)
                  if "징수액" in r and "예산현액" in r and r["예산현액"].amount else "-"}
                 for r in totals.snapshots(["예산현액", "징수액"])]
    page.context = {"revenue": rev, "chart": chart, "totals_table": stage_table(totals, BUDGET_STAGES, "백만원"),
                    "collected": collected,
                    "tables": tables, "discrepancies": discrepancy_anchors(rev.discrepancies, "revenue")}
    return page


def glossary_page(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "용어", [("처음", "index.html"), ("용어", None)]
    page.context = {"terms": sorted(site.glossary, key=lambda t: t.term)}
    return page


def programs_page(site: Site, page: Page) -> Page:
    """Strategic goals and their unit programs, with the projects filed under each."""
    page.title, page.crumbs = "전략목표와 단위사업", [("처음", "index.html"), ("전략목표·단위사업", None)]
    columns = sorted({(f.year, f.stage) for p in site.goals + site.units for f in p.totals.all},
                     key=lambda c: (-c[0], STAGES.index(c[1])))
    goals = []
    for g in site.goals:
        units = [u for u in site.units if u.goal == g.name]
        # The goal's and its units' differences in one list, each saying whose it is.
        differences = discrepancy_anchors(g.discrepancies, _program_place(site, g), shared=True) + [
            {**d, "detail": " · ".join(x for x in (u.name, d.get("detail")) if x)}
            for u in units for d in discrepancy_anchors(u.discrepancies, _program_place(site, u), shared=True)]
        goals.append({"goal": g, "table": stage_table(g.totals, ["예산안", "최종예산"], "백만원"),
                      "discrepancies": differences,
                      "figures": figure_rows(g.totals),
                      "units": [{"unit": u, "cells": [cell(u.totals.get(y, st), "백만원") for y, st in columns],
                                 "projects": u.projects} for u in units]})
    page.context = {"goals": goals, "columns": [f"{y} {st}" for y, st in columns]}
    return page


# --- the register of recorded differences --------------------------------------

def foundation_tables(tables: list[dict], differences: list[dict]) -> list[dict]:
    """A project's foundation_budget tables as printed: each cell's text (a
    change column with △), blank for a blank or merged cell, and the anchor
    of the recorded difference a cell is part of."""
    marks: dict[tuple, str] = {}
    for d in differences:
        for table, row, column in ((d.get("table"), d.get("row"), d.get("column")),
                                   (d.get("other_table"), d.get("other_row"), d.get("other_column"))):
            if table and row and column:
                marks.setdefault((table, row, column), d["anchor"])
    out = []
    for i, tb in enumerate(tables, 1):
        grouped = any(r["group"] for r in tb["rows"])
        rows = []
        for r in tb["rows"]:
            key = f"{r['group']} · {r['name']}" if r["group"] else r["name"]
            cells = []
            for c, v in zip(tb["columns"], r["amounts"]):
                text = "" if v is None else (money.signed(v) if c["change"] else money.thousands(v))
                cells.append({"value": v, "text": text, "mark": marks.get((tb["table"], key, c["label"]))})
            rows.append({**r, "cells": cells, "child": bool(r["parent"])})
        out.append({**tb, "id": f"foundation-{i}", "grouped": grouped, "table_rows": rows})
    return out


def discrepancy_anchors(items: list[dict], place: str, shared: bool = False) -> list[dict]:
    """A place's recorded differences, each with its id on the place's own
    page, d-<year>-<stage>-<n> (the n-th of that year and stage, in content
    order; on a page showing several places, such as the programs page,
    prefixed with the place), and its card on the register, whose id is
    <place>-d-<year>-<stage>-<n> on every page of the register."""
    seen: dict[tuple, int] = {}
    out = []
    for d in items:
        n = seen[d["year"], d["stage"]] = seen.get((d["year"], d["stage"]), 0) + 1
        local = f"d-{d['year']}-{data.STAGE_CODES.get(d['stage'], d['stage'])}-{n}"
        card = f"{place}-{local}"
        out.append({**d, "anchor": card if shared else local, "card": card,
                    "card_href": f"discrepancies/index.html#{card}", "kind_slug": DISCREPANCY_KIND[d["kind"]].slug})
    return out


def _program_place(site: Site, prog) -> str:
    """A strategic goal's or unit program's key in the register: its place among them all."""
    return f"program-{next(i for i, x in enumerate(site.goals + site.units, 1) if x is prog)}"


def discrepancy_cards(site: Site) -> list[dict]:
    """Every recorded difference as a card of the register, in the order of
    its places (the bureau, departments and projects by name, revenue, goals
    and unit programs), each named as its place was named in the entry's
    year and document, and linked to that entry on the place's page."""
    # (Callable[..., str]: the labels bind their place as a default argument.)
    places: list[tuple[str, str, list[dict], Callable[..., str], bool]] = [
        ("bureau", "index.html", site.bureau.discrepancies,
         lambda d: f"{site.bureau.name_in_document(d['year'], site.sources[d['doc']])} 합계", False)]
    places += [(f"department-{dept.id}", dept.path, dept.discrepancies,
                lambda d, dept=dept: dept.name_in_document(d["year"], site.sources[d["doc"]]), False)
               for dept in sorted(site.departments.values(), key=lambda x: x.name)]
    places += [(f"project-{p.id}", p.path, p.discrepancies, lambda d, p=p: p.name_in(d["year"]), False)
               for p in sorted(site.projects.values(), key=lambda x: x.name)]
    if site.revenue:
        places.append(("revenue", "revenue/index.html", site.revenue.discrepancies, lambda d: "세입", False))
    places += [(_program_place(site, prog), "programs/index.html", prog.discrepancies,
                lambda d, prog=prog: prog.name, True) for prog in site.goals + site.units]
    return [{**d, "place": key, "where": label(d), "page": path, "href": f"{path}#{d['anchor']}",
             "source": site.sources[d["doc"]]}
            for key, path, items, label, shared in places for d in discrepancy_anchors(items, key, shared)]


# A kind's page shows its groups open when it has at most this many entries:
# a reader who asked for it reads them all, and the page stays short on a phone.
OPEN_KIND_LIMIT = 40


def _discrepancy_kinds(cards: list[dict]) -> list[dict]:
    """Each kind in the register's order (the real errors first), with its
    count, page and cards, these in groups: one for each place and the name
    it had."""
    out = []
    for k in DISCREPANCY_KINDS:
        mine = [c for c in cards if c["kind"] == k.name]
        groups: dict[tuple, dict] = {}
        for c in mine:
            if (c["place"], c["where"]) not in groups:
                n = sum(1 for place, _ in groups if place == c["place"])
                groups[c["place"], c["where"]] = {"id": f"{k.slug}-{c['place']}" + (f"-{n + 1}" if n else ""),
                                                  "where": c["where"], "page": c["page"], "cards": []}
            groups[c["place"], c["where"]]["cards"].append(c)
        out.append({"kind": k, "count": len(mine), "id": f"kind-{k.slug}", "path": kind_path(k),
                    "groups": list(groups.values()), "cards": mine})
    return out


def kind_path(k) -> str:
    return f"discrepancies/{k.slug}/index.html"


def kinds_present(site: Site) -> list:
    """The kinds that have at least one entry: each has a page."""
    places: list[Bureau | Department | Project | Revenue | Program] = [
        site.bureau, *site.departments.values(), *site.projects.values(),
        *([site.revenue] if site.revenue else []), *site.goals, *site.units]
    found = {d["kind"] for x in places for d in x.discrepancies}
    return [k for k in DISCREPANCY_KINDS if k.name in found]


def discrepancies_page(site: Site, page: Page) -> Page:
    """Every recorded difference on one page: first how many of each kind,
    the real errors first; then a section for each kind, in it a folded group
    for each place, in it a card for each difference, linked to the place's
    page; the same rows as one table too."""
    kinds = _discrepancy_kinds(discrepancy_cards(site))
    page.title, page.crumbs = "자료 간 차이", [("처음", "index.html"), ("자료 간 차이", None)]
    page.context = {"kinds": kinds, "current": None, "sections": [k for k in kinds if k["count"]],
                    "rows": [c for k in kinds for c in k["cards"]],
                    "errors": sum(k["count"] for k in kinds if k["kind"].error)}
    return page


def discrepancy_kind_page(site: Site, page: Page, kind) -> Page:
    """One kind of recorded difference alone: a reader narrows the register
    to it by following a link, with no script."""
    kinds = _discrepancy_kinds(discrepancy_cards(site))
    current = next(k for k in kinds if k["kind"] is kind)
    current = dict(current, open=current["count"] <= OPEN_KIND_LIMIT)
    page.title = f"자료 간 차이: {kind.name}"
    page.crumbs = [("처음", "index.html"), ("자료 간 차이", "discrepancies/index.html"), (kind.name, None)]
    page.description = f"자료 간 차이 가운데 {kind.name} {current['count']}건. {kind.help}"
    page.context = {"kinds": kinds, "current": current, "sections": [current], "rows": current["cards"],
                    "errors": sum(k["count"] for k in kinds if k["kind"].error)}
    return page


def organisation_page(site: Site, page: Page) -> Page:
    """조직 변천: the bureau's and each department's names by period, its
    reorganisations as the sources date them, and for the 2024 one, which
    department became which, the projects that moved and where each 2024
    figure stands (the department its citing document places it under)."""
    events = []
    for ev in sorted(site.bureau.events, key=lambda e: e["date"] or str(e["year"])):
        date = ev["date"]
        rows = []
        if date and len(date) == 10:
            for d in sorted(site.departments.values(), key=lambda d: (d.names[0].start, d.name)):
                before = [n.name for n in d.names if n.end_date == date]
                after = [n.name for n in d.names if n.start_date == date]
                how = [LINEAGE_LABELS[e["event"]] for e in d.lineage if e.get("date") == date]
                successors = [site.departments[e["department"]] for e in d.lineage
                              if e.get("date") == date and e["event"] in ("merged_into", "transferred_out")
                              and e.get("department") in site.departments]
                if before or after:
                    rows.append({"dept": d, "before": before, "after": after, "how": how,
                                 "successors": successors})
        events.append({**ev, "when": date_words(date) if date and len(date) == 10 else
                       (f"{date[:4]}년 {int(date[5:7])}월" if date else f"{ev['year']}년"), "rows": rows})
    # Projects placed under different departments before and after 2024-07-01.
    moved = []
    for p in sorted(site.projects.values(), key=lambda p: p.name):
        depts = p.departments_in(2024)
        later = p.department_in(2025)
        if len(depts) > 1 or (later is not None and depts and later is not depts[0]):
            moved.append({"project": p, "before": depts[0], "before_name": depts[0].name_in(2024) if depts else "",
                          "after": depts[-1] if len(depts) > 1 else later,
                          "figures": [{"figure": f, "stage": f.stage_label, "amount": money.thousands(f.amount),
                                       "value": f.amount, "source": f.source, "dept": p.department_of(f),
                                       "dept_name": p.department_of(f).name_printed(f)}
                                      for f in p.figures.all if f.year == 2024]})
    page.title, page.crumbs = "조직 변천", [("처음", "index.html"), ("조직 변천", None)]
    page.context = {
        "bureau": site.bureau, "events": events, "moved": moved,
        "departments": sorted(site.departments.values(), key=lambda d: (d.names[0].start, d.name)),
    }
    return page


def compare_pairs(site: Site) -> tuple[list[int], list[tuple[int, int]]]:
    """The fiscal years with a project figure, and the pairs that get a page:
    each year with the next and with the latest, earlier first (the latest
    consecutive pair last). Every pair would grow with the square of the
    years: 111 years made 6,105 pages, each linking every one (issue 23)."""
    years = [y for y in site.years if any(p.figures.representative(y) for p in site.projects.values())]
    return years, sorted({*zip(years, years[1:]), *((a, years[-1]) for a in years[:-1])})


def pair_counts(site: Site, a: int, b: int) -> dict:
    """How many projects a pair of years can compare: a weak pair is said to be weak."""
    kinds = [ch.kind for _, ch in site.changes(a, b)]
    counts = {"rows": len(kinds), "compared": kinds.count("change"), "new": kinds.count("new"),
              "ended": kinds.count("ended"), "incomparable": kinds.count("incomparable"), "missing": kinds.count("none")}
    # Fewer than a quarter of the projects shown compared: the pair says little of the whole.
    counts["weak"] = counts["compared"] * 4 < counts["rows"]
    return counts


def compare_page(site: Site, page: Page, a: int, b: int) -> Page:
    """Every project in fiscal years a and b side by side, one page per pair
    (static files cannot read a query string), compared by the one rule
    (FigureSet.change): both amounts with their stages, and a change only
    where the stages compare."""
    years, _ = compare_pairs(site)
    rows = sorted(change_rows(site, a, b), key=lambda r: (r["project"].department.name, r["project"].name))
    title = f"{a}년과 {b}년 비교"
    page.title, page.crumbs = title, [("처음", "index.html"), ("연도 비교", "compare/index.html"), (title, None)]
    page.context = {"a": a, "b": b, "rows": rows, "counts": pair_counts(site, a, b),
                    **_pair_links(site, years, around=a, current=(a, b))}
    page.tables = downloads.compare(page.context)
    return page


def _pair_links(site: Site, years: list[int], around: int | None = None,
                current: tuple[int, int] | None = None) -> dict:
    """The chooser: years' pairs with the next year and with the latest. A
    pair page lists those of its first year and the years either side, and
    links compare/index.html, which lists them all: every page listing every
    year would make all pages together grow with the square of the years."""
    latest, following = years[-1], dict(zip(years, years[1:]))
    shown = years
    if around is not None:
        i = years.index(around)
        shown = years[max(0, i - 1):i + 2]

    def link(x: int, y: int) -> dict:
        return {"a": x, "b": y, "path": compare_path(x, y), "current": (x, y) == current, **pair_counts(site, x, y)}

    return {"latest": latest, "all_pairs": around is None,
            "next_pairs": [link(x, following[x]) for x in shown if x in following],
            "latest_pairs": [link(x, latest) for x in shown if x < latest]}


def compare_path(a: int, b: int) -> str:
    return f"compare/{a}-{b}/index.html"


def compare_index(site: Site, page: Page) -> Page:
    """compare/index.html: the two latest years, the page of that pair
    repeated, with every pair in its chooser."""
    years, pairs = compare_pairs(site)
    latest = compare_page(site, Page(compare_path(*pairs[-1]), page.template), *pairs[-1])
    page.title, page.crumbs = "연도 비교", [("처음", "index.html"), ("연도 비교", None)]
    page.context, page.tables = dict(latest.context, **_pair_links(site, years)), latest.tables
    return page


def data_page(site: Site, page: Page) -> Page:
    """The downloads of every figure, and the page that lists them: made
    together, as they change together."""
    downloads = {f"data/{name}": body for name, body in data.files(site).items()}
    page.title, page.crumbs = "데이터 내려받기", [("처음", "index.html"), ("데이터 내려받기", None)]
    page.files = downloads
    page.context = {"files": [{"name": name.removeprefix("data/"), "size": f"{len(body) / 1024:,.0f} KB",
                               "rows": body.count(b"\n") - 1 if name.endswith(".csv") else None}
                              for name, body in downloads.items()],
                    "coverage": coverage_table(site)}
    return page


COVERAGE_STAGES = ["예산안", "본예산", "최종예산", "예산현액", "원인행위액", "지출액"]


def coverage_table(site: Site) -> dict:
    """Which figures the sources give: for each year and level (국, 부서,
    사업), how many of them have a whole figure of each stage."""
    levels = [("국 전체", [site.bureau.totals]), ("부서", [d.totals for d in site.departments.values()]),
              ("사업", [p.figures for p in site.projects.values()])]
    rows = []
    for year in site.span:
        for level, sets in levels:
            counts = [sum(1 for figs in sets if figs.get(year, stage)) for stage in COVERAGE_STAGES]
            rows.append({"year": year, "level": level, "of": len(sets), "counts": counts})
    return {"stages": COVERAGE_STAGES, "rows": rows}


def markdown_page(site: Site, page: Page, name: str) -> Page:
    """A page of pages/*.md: its Markdown, titled by its first heading."""
    title, body = _titled(site.pages[name], name)
    page.title, page.crumbs = title, [("처음", "index.html"), (title, None)]
    page.context = {"body_html": markdown_html(body)}
    page.description = first_sentence(page.context["body_html"])
    return page


def _titled(text: str, name: str) -> tuple[str, str]:
    """A Markdown page's title (its first '# ' heading, else its name) and
    the rest: the title is the page's own <h1>."""
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if at is None:
        return name, text
    return lines[at][2:].strip(), "\n".join(lines[:at] + lines[at + 1:])


@lru_cache(maxsize=8)
def _markdown_links(pages: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(f"{name}/index.html", _titled(text, name)[0]) for name, text in pages if name != GUIDE]


def markdown_links(site: Site) -> list[tuple[str, str]]:
    """The Markdown pages (but the guide, in the navigation), in every page's footer."""
    return _markdown_links(tuple(sorted(site.pages.items())))


def content_security_policy(inline_css: str = "") -> str:
    """What a page may load and run: only the site's own files. No inline
    script, no eval (charts use Vega's interpreter), nothing from elsewhere;
    an inline stylesheet (404.html) is allowed by its hash alone."""
    style = "'self'"
    if inline_css:
        digest = base64.b64encode(hashlib.sha256(inline_css.encode("utf-8")).digest()).decode()
        style = f"'sha256-{digest}'"
    return ("default-src 'none'; script-src 'self'; "
            f"style-src {style}; img-src 'self' data:; font-src 'self'; connect-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def render_page(env: Environment, site: Site, page: Page, bundle: str, inline_css: str = "") -> str:
    template = env.get_template(page.template)
    return template.render(site=site, page=page, root=site.base_url if page.absolute else page.root, nav=NAV,
                           footer_links=FOOTER + markdown_links(site), bundle=bundle,
                           canonical=site.base_url + (page.canonical or page.path),
                           description=page.description or site.description,
                           inline_css=inline_css if page.absolute else "",
                           csp=content_security_policy(inline_css if page.absolute else ""), **page.context)
