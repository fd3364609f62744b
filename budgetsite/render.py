"""Stage 5: pages. Each page is a template and a context of ready-made values;
templates place them and compute nothing.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from . import charts, data, downloads, money, summaries
from .korean import josa
from .charts import Chart
from .tables import Table
from .model import (BASIS_LABELS, BUDGET_STAGES, EXECUTION_STAGES, HISTORY_LABELS, REVENUE_STAGES, STAGE_HELP,
                    STAGES, Department, Figure, FigureSet, Project, Site, first_sentence, markdown_html)


@dataclass
class Page:
    path: str            # relative to the site root, always a file
    template: str
    title: str
    crumbs: list[tuple[str, str | None]]
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
    # For a page made only when needed (project and department pages: a
    # worker process makes and writes it): what makes it.
    make: Callable[[], "Page"] | None = field(default=None, repr=False)
    files: dict[str, bytes] = field(default_factory=dict, repr=False)  # written with it: path from the site root → bytes
    # Its tables' downloads made from its values (downloads.py), by table id;
    # any other table is read back from the page.
    tables: dict[str, Table] = field(default_factory=dict, repr=False)

    def ready(self) -> "Page":
        """The page with its content and charts, made now if it was deferred."""
        if self.make is None:
            return self
        page = self.make()
        # What was said of the page before it was made must hold of it.
        if (page.path, page.inputs, page.lists_projects, page.absolute, page.canonical) != \
                (self.path, self.inputs, self.lists_projects, self.absolute, self.canonical):
            raise AssertionError(f"{self.path}: made page differs from what all_pages declared")
        return page

    @property
    def root(self) -> str:
        """The way back to the site root from this page: '', '../', '../../'."""
        return "../" * self.path.count("/")


    @property
    def links_terms(self) -> bool:
        """Glossary terms are linked everywhere but on the glossary itself and
        pages served at any depth."""
        return self.template != "glossary.html" and not self.absolute


def not_found_page(site: Site) -> Page:
    return Page("404.html", "404.html", "페이지를 찾을 수 없습니다", [("처음", "index.html"), ("찾을 수 없음", None)],
                absolute=True, inputs=frozenset())


def _file_of(x: Department | Project) -> str:
    # Ids are the file names (validate.py checks it).
    return f"{'departments' if isinstance(x, Department) else 'projects'}/{x.id}.yaml"


def _department_inputs(site: Site, d: Department) -> frozenset[str]:
    # Other departments appear by name (lineage, successors, where a project moved): all of them.
    return frozenset([_file_of(x) for x in site.departments.values()] + [_file_of(p) for p in d.projects])


def _project_inputs(site: Site, p: Project) -> frozenset[str]:
    return p.files  # made with the project, from its file (model.py)


LINEAGE_LABELS = {
    "renamed": "이름 변경", "split_from": "나뉘어 생김", "merged_into": "통합", "absorbed": "흡수",
    "abolished": "폐지", "created": "신설", "transferred_in": "업무 넘겨받음", "transferred_out": "업무 넘겨줌",
}

NAV = [("index.html", "처음"), ("departments/index.html", "부서"), ("projects/index.html", "사업"),
       ("compare/index.html", "연도 비교"), ("revenue/index.html", "세입"), ("sources/index.html", "자료 출처"), ("guide/index.html", "읽는 법")]
# Reference pages, linked from every page's footer.
FOOTER = [("glossary/index.html", "용어"), ("programs/index.html", "전략목표·단위사업"),
          ("discrepancies/index.html", "자료 간 차이"), ("data/index.html", "데이터 내려받기")]


_DICT_NAMES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's own, with r.name on a plain dict (the rows and cells prepared
    here) looked up as r["name"] first. Jinja tries the attribute first,
    raising and catching an AttributeError each time: a tenth of a page's
    time. Names of dict's own methods go the usual way, so every lookup
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
    return _Environment(loader=FileSystemLoader(str(template_dir)), autoescape=select_autoescape(["html", "xml"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None)


# --- cells: a figure as a table shows it ----------------------------------------------

def cell(f: Figure | None, unit: str = "천원") -> dict | None:
    """What a table cell needs: the text in the table's unit, and where it came from."""
    if f is None:
        return None
    text = money.thousands(f.amount) if unit == "천원" else money.millions(f.amount)
    return {"text": text, "words": money.eok_man(f.amount), "source": f.source.label,
            "rounded": f.precision != "천원" and unit == "천원", "value": f.amount,
            "precision": f.precision, "stage": f.stage, "partial": f.scope == "사업비",
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


def stage_points(figs: FigureSet, stages: list[str]) -> list[dict]:
    return [{"연도": str(y), "단계": s, "amount": f.amount, "출처": f.source.label}
            for y in figs.years for s in stages if (f := figs.get(y, s))]


def yoy(figs: FigureSet, year: int, new: bool = False) -> dict | None:
    """A year's budget against the year before, as one report compares them.

    Without a report giving both years there is no change to show (a missing
    figure is not a zero), except for a project new that year: 순증.
    """
    pair = figs.comparison(year)
    if pair:
        now, before = pair
    elif new and (now := figs.representative(year)):
        before = None
    else:
        return None
    b = before.amount if before else 0
    return {"now": cell(now, "백만원"), "before": cell(before, "백만원"),
            "change": money.change(b, now.amount, money.millions),
            "rate": money.change_rate(b, now.amount), "delta": now.amount - b}


# --- pages -----------------------------------------------------------------------------

def home_page(site: Site) -> Page:
    bureau = site.bureau
    depts = sorted(site.departments.values(), key=lambda d: d.names[0].start)
    years = site.years
    basis = {y: f for y in years if (f := site.basis(y))}
    dept_points = []
    for order, d in enumerate(depts):
        for y, b in basis.items():
            f = d.totals.like(b)
            if f:
                dept_points.append({"연도": str(y), "부서": d.name, "amount": f.amount, "단계": f.stage, "순서": order})
    # A year no report prints by department gets no empty column.
    years = [y for y in years if any(p["연도"] == str(y) for p in dept_points)]
    dept_rows = [{"dept": d, "cells": [cell(d.totals.like(basis[y]), "백만원") for y in years]} for d in depts]

    changes = []
    for p in site.projects.values():
        ys = p.figures.years
        c = yoy(p.figures, ys[-1], _is_new(p, ys[-1])) if ys else None
        if c and c["delta"]:
            changes.append({"project": p, "year": ys[-1], **c})
    increases = sorted((c for c in changes if c["delta"] > 0), key=lambda c: (-c["delta"], c["project"].name))
    decreases = sorted((c for c in changes if c["delta"] < 0), key=lambda c: (c["delta"], c["project"].name))
    change_groups = [g for g in ({"id": "increases", "title": "가장 많이 늘어난 사업", "rows": increases[:5]},
                                 {"id": "decreases", "title": "가장 많이 줄어든 사업", "rows": decreases[:5]}) if g["rows"]]

    page = Page("index.html", "home.html", site.title, [("처음", None)])
    latest = max(basis) if basis else None
    largest = summaries.largest_part(
        latest, basis[latest].stage,
        {p["부서"]: p["amount"] for p in dept_points if p["연도"] == str(latest)}, bureau.name) if latest else ""
    page.charts = [c for c in [
        charts.stage_bars("bureau-totals", f"{bureau.name} 세출 예산 (연도·단계별)", stage_points(bureau.totals, STAGES),
                          summaries.budget(bureau.totals)),
        charts.stacked_bars("bureau-by-department", "부서별 예산 (연도별 대표 금액)", dept_points, "부서",
                            [d.name for d in depts], largest),
    ] if c]
    page.context = {
        "bureau": bureau, "bureau_table": stage_table(bureau.totals, STAGES, "백만원"),
        "years": years, "dept_rows": dept_rows, "change_groups": change_groups,
        "basis": [{"year": y, "stage": b.stage, "source": b.source} for y, b in basis.items()],
        "project_count": len(site.projects),
        "departments_with_projects": sum(1 for d in depts if d.projects),
        "chart_of": {c.id: c for c in page.charts},
        "notes": sorted(bureau.notes, key=lambda n: -n["year"]),
        "compare_path": "compare/index.html",
    }
    return page


def _is_new(p: Project, year: int) -> bool:
    return p.status == "신규" and year == p.figures.years[0]


def _rep_cell(figs: FigureSet, year: int) -> dict | None:
    return cell(figs.representative(year), "백만원")


def departments_index(site: Site) -> Page:
    depts = sorted(site.departments.values(), key=lambda d: (d.abolished, d.names[0].start, d.name))
    # A dataset may give no bureau total at all (found by fuzzing): then no year column.
    latest = max(site.bureau.totals.years, default=None)
    basis = site.basis(latest) if latest else None
    rows = [{"dept": d, "former": [n.name for n in d.names[:-1]],
             "latest": cell(d.totals.like(basis), "백만원") if basis else None, "projects": len(d.projects)}
            for d in depts]
    page = Page("departments/index.html", "departments.html", "부서", [("처음", "index.html"), ("부서", None)])
    page.context = {"rows": rows, "latest_year": latest, "basis": basis}
    return page


def department_page(site: Site, d: Department) -> Page:
    years = sorted(set(d.totals.years) | {y for p in d.projects for y in p.figures.years})
    project_rows = []
    for p in d.projects:
        p_years = [y for y in years if p.department_in(y) is d]
        project_rows.append({"project": p, "cells": [_rep_cell(p.figures, y) if y in p_years else None for y in years],
                             "change": yoy(p.figures, p_years[-1], _is_new(p, p_years[-1])) if p_years else None,
                             "moved": sorted({o.name for o in p.departments.values() if o is not d})})
    lineage = [{**ev, "other": site.departments.get(ev.get("department")), "label": LINEAGE_LABELS[ev["event"]],
                "when": ev.get("date") or (f"{ev['year']}년" if ev.get("year") else "시기 미상")}
               for ev in sorted(d.lineage, key=lambda ev: ev.get("date") or str(ev.get("year") or ""))]
    tasks = [{**t, "amount_text": money.eok_man(t["amount"]) if t["amount"] is not None else None}
             for t in sorted(d.tasks, key=lambda t: (-t["year"], t["source"].line))]
    page = Page(d.path, "department.html", d.name,
                [("처음", "index.html"), ("부서", "departments/index.html"), (d.name, None)],
                description=f"{d.name}({d.active_years})의 연도별 예산·집행과 사업, 조직 변천. {summaries.budget(d.totals)}",
                inputs=_department_inputs(site, d), lists_projects=True)
    chart = charts.stage_bars(f"dept-{d.id}", f"{d.name} 예산 (연도·단계별)", stage_points(d.totals, STAGES),
                              summaries.budget(d.totals))
    page.charts = [chart] if chart else []
    page.context = {
        "dept": d, "chart": chart, "totals_table": stage_table(d.totals, STAGES, "백만원"),
        "years": years, "project_rows": project_rows, "lineage": lineage,
        "duties": sorted(d.duties, key=lambda x: -x["year"]),
        "staff": sorted(d.staff, key=lambda x: x["date"]),
        "figure_rows": figure_rows(d.totals), "tasks": tasks,
        "successors": [site.departments[i] for i in d.successors] if d.abolished else [],
        "successor_particle": josa(site.departments[d.successors[-1]].name, "으로") if d.successors else "",
        "ended": next((ev["when"] for ev in lineage if ev["event"] in ("abolished", "merged_into")), None),
    }
    return page


def projects_index(site: Site) -> Page:
    projects = sorted(site.projects.values(), key=lambda p: (p.department.name, p.name))
    years = site.years
    rows = [{"project": p, "cells": [_rep_cell(p.figures, y) for y in years],
             "former": [n["name"] for n in p.former_names]} for p in projects]
    page = Page("projects/index.html", "projects.html", "사업", [("처음", "index.html"), ("사업", None)])
    page.context = {"rows": rows, "years": years}
    return page


def project_page(site: Site, p: Project) -> Page:
    figs = p.figures
    snapshots = []
    raw_snapshots = figs.snapshots()
    for s in raw_snapshots:
        current, committed, spent = s.get("예산현액"), s.get("원인행위액"), s.get("지출액")
        base = current.amount if current else None
        snapshots.append({
            "year": s["year"], "as_of": s["as_of"], "source": s["source"],
            "current": cell(current), "committed": cell(committed), "spent": cell(spent),
            "committed_rate": money.rate(committed.amount, base) if committed and base else "-",
            "spent_rate": money.rate(spent.amount, base) if spent and base else "-",
        })
    exec_points = [{"연도": _as_of_label(s["year"], s["as_of"]), "단계": stage, "amount": f.amount,
                    "출처": f.source.label}
                   for s in raw_snapshots for stage in EXECUTION_STAGES if (f := s.get(stage))]
    budget_chart = charts.stage_bars(f"project-{p.id}-budget", f"{p.name} 예산 (연도·단계별)",
                                     stage_points(figs, BUDGET_STAGES),
                                     summaries.budget(figs, figs.years[0] if p.status == "신규" and figs.years else None))
    last = raw_snapshots[-1] if raw_snapshots else None
    exec_chart = charts.stage_bars(f"project-{p.id}-execution", f"{p.name} 집행 (보고서 기준일별)", exec_points,
                                   summaries.execution(last, _as_of_words(last["year"], last["as_of"])) if last else "")
    breakdowns = []
    for b in sorted(p.breakdown, key=lambda b: (b["year"], STAGES.index(b["stage"]))):
        total = sum(i["amount"] for i in b["items"])
        breakdowns.append({**b, "rows": [{**i, "text": money.thousands(i["amount"]), "share": money.rate(i["amount"], total)}
                                         for i in b["items"]], "total": money.thousands(total),
                           "total_value": total})
    dept_years = []
    for y in sorted(p.departments):
        d = p.departments[y]
        if dept_years and dept_years[-1]["dept"] is d and dept_years[-1]["name"] == d.name_in(y):
            dept_years[-1]["years"].append(y)
        else:
            dept_years.append({"dept": d, "name": d.name_in(y), "years": [y]})
    page = Page(p.path, "project.html", p.name,
                [("처음", "index.html"), ("부서", "departments/index.html"), (p.department.name, p.department.path),
                 (p.name, None)],
                description=" ".join(x for x in (f"{p.department.name} {p.name}.", first_sentence(p.description_html),
                                                 budget_chart.summary if budget_chart else "") if x),
                inputs=_project_inputs(site, p))
    page.charts = [c for c in (budget_chart, exec_chart) if c]
    page.context = {
        "project": p, "budget_chart": budget_chart, "exec_chart": exec_chart,
        "budget_table": stage_table(figs, BUDGET_STAGES, "천원"), "snapshots": snapshots,
        "breakdowns": breakdowns, "notes": sorted(p.notes, key=lambda n: n["year"]),
        "dept_years": dept_years, "figure_rows": figure_rows(figs),
        "history": [{**h, "label": HISTORY_LABELS[h["event"]], "basis_label": BASIS_LABELS[h["basis"]],
                     "other": site.projects.get(h["project"]) if h["project"] else None,
                     "from_dept": site.departments.get(h["department"]) if h["department"] else None}
                    for h in sorted(p.history, key=lambda h: h["year"])],
    }
    page.tables = downloads.project(page.context)
    return page


def _as_of_label(year: int, as_of: str | None) -> str:
    """'24.5.31 as Korean reports write a reference date; short enough for a phone's axis."""
    if not as_of:
        return str(year)
    y, m, d = as_of.split("-")
    return f"'{y[2:]}.{int(m)}.{int(d)}"


def _as_of_words(year: int, as_of: str | None) -> str:
    if not as_of:
        return f"{year}년"
    y, m, d = as_of.split("-")
    return f"{y}년 {int(m)}월 {int(d)}일"


def sources_page(site: Site) -> Page:
    counts: dict[str, int] = {sid: 0 for sid in site.sources}
    for p in site.projects.values():
        for f in p.figures.all:
            counts[f.source.source.id] += 1
    for d in site.departments.values():
        for f in d.totals.all:
            counts[f.source.source.id] += 1
    for f in site.bureau.totals.all:
        counts[f.source.source.id] += 1
    rows = [{"source": s, "figures": counts[s.id]} for s in sorted(site.sources.values(), key=lambda s: s.date)]
    page = Page("sources/index.html", "sources.html", "자료 출처", [("처음", "index.html"), ("자료 출처", None)])
    page.context = {"rows": rows}
    return page


def guide_page(site: Site, guide_markdown: str) -> Page:
    page = Page("guide/index.html", "guide.html", "이 사이트를 읽는 법", [("처음", "index.html"), ("읽는 법", None)],
                inputs=frozenset())
    page.context = {"body_html": markdown_html(guide_markdown),
                    "stages": [{"name": s, "help": STAGE_HELP[s]} for s in STAGES],
                    "examples": [{"amount": money.thousands(a), "words": money.eok_man(a), "millions": money.millions(a)}
                                 for a in (1_592_240, 966_176, 24_383_302)],
                    "change_examples": [{"before": money.thousands(b), "after": money.thousands(a),
                                         "change": money.change(b, a), "rate": money.change_rate(b, a)}
                                        for b, a in ((2_668_613, 1_771_000), (0, 277_000), (315_151, 0))]}
    return page


def revenue_page(site: Site) -> Page:
    """The bureau's revenue: the grand total by year and stage, then each
    document's table item by item, indented as printed."""
    rev = site.revenue
    page = Page("revenue/index.html", "revenue.html", "세입", [("처음", "index.html"), ("세입", None)],
                inputs=frozenset())
    if rev is None:
        page.context = {"revenue": None, "chart": None, "totals_table": None, "tables": []}
        return page
    totals = rev.totals
    chart = charts.stage_bars("revenue-totals", "세입 합계 (연도·단계별)", stage_points(totals, REVENUE_STAGES),
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
                       "first_line": min(f.source.line for f in items)})
    page.context = {"revenue": rev, "chart": chart, "totals_table": stage_table(totals, REVENUE_STAGES, "백만원"),
                    "tables": tables, "discrepancies": rev.discrepancies}
    return page


def glossary_page(site: Site) -> Page:
    page = Page("glossary/index.html", "glossary.html", "용어", [("처음", "index.html"), ("용어", None)],
                inputs=frozenset())
    page.context = {"terms": sorted(site.glossary, key=lambda t: t.term)}
    return page


def programs_page(site: Site) -> Page:
    """Strategic goals and their unit programs, with the projects filed under each."""
    page = Page("programs/index.html", "programs.html", "전략목표와 단위사업",
                [("처음", "index.html"), ("전략목표·단위사업", None)])
    columns = sorted({(f.year, f.stage) for p in site.goals + site.units for f in p.totals.all},
                     key=lambda c: (-c[0], STAGES.index(c[1])))
    goals = []
    for g in site.goals:
        units = [u for u in site.units if u.goal == g.name]
        # The goal's and its units' differences in one list, each saying whose it is.
        differences = g.discrepancies + [{**d, "detail": " · ".join(x for x in (u.name, d.get("detail")) if x)}
                                         for u in units for d in u.discrepancies]
        goals.append({"goal": g, "table": stage_table(g.totals, ["예산안", "최종예산"], "백만원"),
                      "discrepancies": differences,
                      "figures": figure_rows(g.totals),
                      "units": [{"unit": u, "cells": [cell(u.totals.get(y, st), "백만원") for y, st in columns],
                                 "projects": u.projects} for u in units]})
    page.context = {"goals": goals, "columns": [f"{y} {st}" for y, st in columns]}
    return page


def discrepancies_page(site: Site) -> Page:
    """Every recorded difference on one page, each linked to where it belongs."""
    rows = []

    def add(where: str, href: str | None, items: list[dict]):
        for d in items:
            rows.append({"where": where, "href": href, **d, "source": site.sources[d["doc"]]})
    add(f"{site.bureau.name} 합계", "index.html", site.bureau.discrepancies)
    for d in sorted(site.departments.values(), key=lambda d: d.name):
        add(d.name, d.path, d.discrepancies)
    for p in sorted(site.projects.values(), key=lambda p: p.name):
        add(p.name, p.path, p.discrepancies)
    if site.revenue:
        add("세입", "revenue/index.html", site.revenue.discrepancies)
    for prog in site.goals + site.units:
        add(prog.name, "programs/index.html", prog.discrepancies)
    page = Page("discrepancies/index.html", "discrepancies.html", "자료 간 차이",
                [("처음", "index.html"), ("자료 간 차이", None)])
    page.context = {"rows": rows}
    return page


def _new_year(p: Project) -> int | None:
    years = [h["year"] for h in p.history if h["event"] == "new"]
    if years:
        return years[0]
    return p.figures.years[0] if p.status == "신규" and p.figures.years else None


def _ended(p: Project, year: int) -> bool:
    """Whether the documents say (or we infer) the project had ended by year."""
    ends = [h["year"] for h in p.history if h["event"] == "ended"]
    return any(e <= year for e in ends) or (p.status == "종료" and not ends)


def compare_pairs(site: Site) -> tuple[list[int], list[tuple[int, int]]]:
    """The fiscal years with a project figure, and every pair of them."""
    years = [y for y in site.years if any(p.figures.representative(y) for p in site.projects.values())]
    return years, [(a, b) for i, a in enumerate(years) for b in years[i + 1:]]


def compare_page(site: Site, a: int, b: int) -> Page:
    """Every project in fiscal years a and b side by side, one page per pair
    (static files cannot read a query string). Each year's amount is the
    project's representative figure, its stage shown."""
    years, pairs = compare_pairs(site)
    rows = []
    for p in sorted(site.projects.values(), key=lambda p: (p.department.name, p.name)):
        fa, fb = p.figures.representative(a), p.figures.representative(b)
        if not fa and not fb:
            continue
        mark = None
        if fb and fb.amount and not (fa and fa.amount):
            new = _new_year(p)
            mark = "신규" if new is not None and a < new <= b else None
        elif fa and fa.amount and not (fb and fb.amount):
            mark = "종료" if _ended(p, b) else None
        known = (fa is not None and fb is not None) or mark is not None
        before, after = (fa.amount if fa else 0), (fb.amount if fb else 0)
        # 순증 sorts above every rate, 순감 is a fall of 100%.
        rate = (float(after - before) / before * 100 if before else (1e9 if after else None)) if known else None
        rows.append({"project": p, "dept": p.department_in(b) or p.department_in(a) or p.department,
                     "a": cell(fa, "백만원"), "b": cell(fb, "백만원"), "mark": mark,
                     "mark_class": {"신규": "new", "종료": "ended"}.get(mark),
                     "delta": after - before if known else None,
                     "change": money.change(before, after, money.millions) if known else "비교 불가",
                     "rate": money.change_rate(before, after) if known else "",
                     "rate_sort": f"{rate:.4f}" if rate is not None else ""})
    title = f"{a}년과 {b}년 비교"
    page = Page(_compare_path(a, b), "compare.html", title,
                [("처음", "index.html"), ("연도 비교", "compare/index.html"), (title, None)], scripts=["compare.js"])
    page.context = {
        "a": a, "b": b, "rows": rows, "years": years,
        "pairs": [{"a": x, "b": y, "path": _compare_path(x, y), "current": (x, y) == (a, b)} for x, y in pairs],
        "counts": {"both": sum(1 for r in rows if r["a"] and r["b"]),
                   "new": sum(1 for r in rows if r["mark"] == "신규"),
                   "ended": sum(1 for r in rows if r["mark"] == "종료"),
                   "unknown": sum(1 for r in rows if r["delta"] is None)},
    }
    page.tables = downloads.compare(page.context)
    return page


def _compare_path(a: int, b: int) -> str:
    return f"compare/{a}-{b}/index.html"


def compare_index(site: Site) -> Page:
    """compare/index.html: the two latest years, the page of that pair repeated."""
    _, pairs = compare_pairs(site)
    latest = compare_page(site, *pairs[-1])
    context = dict(latest.context, pairs=[dict(p, current=False) for p in latest.context["pairs"]])
    return Page("compare/index.html", "compare.html", "연도 비교", [("처음", "index.html"), ("연도 비교", None)],
                context, scripts=["compare.js"], canonical=latest.path, tables=latest.tables)


def data_page(site: Site) -> Page:
    """The downloads of every figure, and the page that lists them: made
    together, as they change together."""
    downloads = {f"data/{name}": body for name, body in data.files(site).items()}
    page = Page("data/index.html", "data.html", "데이터 내려받기", [("처음", "index.html"), ("데이터 내려받기", None)],
                files=downloads)
    page.context = {"files": [{"name": name.removeprefix("data/"), "size": f"{len(body) / 1024:,.0f} KB",
                               "rows": body.count(b"\n") - 1 if name.endswith(".csv") else None}
                              for name, body in downloads.items()]}
    return page


def all_pages(site: Site, guide_markdown: str) -> list[Page]:
    """Every page, none made yet: a page is made only if it changed, in the
    worker process that writes it (publish.py), so pages are made in parallel
    and an edit makes only the pages it touches."""
    listing = None  # lists every project
    pages = [
        _deferred("index.html", listing, partial(home_page, site)),
        _deferred("departments/index.html", listing, partial(departments_index, site)),
        _deferred("projects/index.html", listing, partial(projects_index, site)),
        _deferred("sources/index.html", listing, partial(sources_page, site)),
        _deferred("guide/index.html", frozenset(), partial(guide_page, site, guide_markdown)),
        _deferred("revenue/index.html", frozenset(), partial(revenue_page, site)),
        _deferred("glossary/index.html", frozenset(), partial(glossary_page, site)),
        _deferred("programs/index.html", listing, partial(programs_page, site)),
        _deferred("discrepancies/index.html", listing, partial(discrepancies_page, site)),
        _deferred("data/index.html", listing, partial(data_page, site)),
        _deferred("404.html", frozenset(), partial(not_found_page, site), absolute=True),
    ]
    _, pairs = compare_pairs(site)
    if pairs:
        pages.append(_deferred("compare/index.html", listing, partial(compare_index, site),
                               canonical=_compare_path(*pairs[-1])))
    pages += [_deferred(_compare_path(a, b), listing, partial(compare_page, site, a, b)) for a, b in pairs]
    pages += [_deferred(d.path, _department_inputs(site, d), partial(department_page, site, d), lists_projects=True)
              for d in sorted(site.departments.values(), key=lambda d: d.id)]
    pages += [_deferred(p.path, _project_inputs(site, p), partial(project_page, site, p))
              for p in sorted(site.projects.values(), key=lambda p: p.id)]
    return pages


def _deferred(path: str, inputs: frozenset[str] | None, make: Callable[[], Page], absolute: bool = False,
              canonical: str | None = None, lists_projects: bool = False) -> Page:
    return Page(path, "", "", [], inputs=inputs, make=make, absolute=absolute, canonical=canonical,
                lists_projects=lists_projects)


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
                           footer_links=FOOTER, bundle=bundle, canonical=site.base_url + (page.canonical or page.path),
                           description=page.description or site.description,
                           inline_css=inline_css if page.absolute else "",
                           csp=content_security_policy(inline_css if page.absolute else ""), **page.context)
