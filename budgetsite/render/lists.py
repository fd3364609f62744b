"""The pages that list or explain: home, the indexes, sources, the guide and every Markdown page,
the glossary, programs, data downloads and 404.
"""
from __future__ import annotations

from typing import Any

from .. import charts, data, money, summaries
from ..load import GUIDE
from ..model import (
    BUDGET_STAGES,
    PRINTED_FIELDS,
    REPRESENTATIVE_ORDER,
    STAGE_HELP,
    STAGES,
    Site,
    first_sentence,
    markdown_html,
)
from .cells import (
    STAGE_IDS,
    budget_chart,
    cell,
    change_rows,
    execution_chart,
    execution_rows,
    figure_rows,
    key_figures,
    rep_cell,
    stage_table,
)
from .compare import compare_path, latest_pair
from .discrepancies import discrepancy_anchors, program_place
from .page import Page, titled


def not_found_page(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "페이지를 찾을 수 없습니다", [("처음", "index.html"), ("찾을 수 없음", None)]
    return page


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


def projects_index(site: Site, page: Page) -> Page:
    projects = sorted(site.projects.values(), key=lambda p: (p.department.name, p.name))
    years = site.years
    rows = [{"project": p, "cells": [rep_cell(p.figures, y) for y in years],
             "former": [n["name"] for n in p.former_names]} for p in projects]
    page.title, page.crumbs = "사업", [("처음", "index.html"), ("사업", None)]
    page.context = {"rows": rows, "years": years}
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
        differences = discrepancy_anchors(g.discrepancies, program_place(site, g), shared=True) + [
            {**d, "detail": " · ".join(x for x in (u.name, d.get("detail")) if x)}
            for u in units for d in discrepancy_anchors(u.discrepancies, program_place(site, u), shared=True)]
        goals.append({"goal": g, "table": stage_table(g.totals, ["예산안", "최종예산"], "백만원"),
                      "discrepancies": differences,
                      "figures": figure_rows(g.totals),
                      "units": [{"unit": u, "cells": [cell(u.totals.get(y, st), "백만원") for y, st in columns],
                                 "projects": u.projects} for u in units]})
    page.context = {"goals": goals, "columns": [f"{y} {st}" for y, st in columns]}
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
    title, body = titled(site.pages[name], name)
    page.title, page.crumbs = title, [("처음", "index.html"), (title, None)]
    page.context = {"body_html": markdown_html(body)}
    page.description = first_sentence(page.context["body_html"])
    return page
