"""The pages that list or explain: home, the indexes, sources, the guide and every Markdown page,
the glossary, programs, data downloads and 404.
"""
from __future__ import annotations

from typing import Any

from .. import catalog, charts, data, money, summaries
from .. import tables as t
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
from ..search import section_ids
from ..tables import Column, Table
from . import limits, pages_of
from .cells import (
    STAGE_IDS,
    budget_chart,
    cell,
    change_rows,
    charted,
    execution_chart,
    execution_rows,
    figure_rows,
    key_figures,
    rep_cell,
    stage_table,
)
from .compare import compare_path, largest_changes, latest_pair
from .composition import composition_years, section
from .discrepancies import discrepancy_anchors, program_place
from .histories import program_chart, program_coverage, program_gaps, program_years
from .page import Page, titled
from .table_kinds import changes_table, execution_table, figures_table, years_by_stage


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
    # The same choice as a long comparison's summary (compare.largest_changes), five each way.
    change_groups = [g for g in largest_changes(change_rows(site, *pair), 5) if g["rows"]] if pair else []
    change_tables = [changes_table(g["rows"], f"{g['title']} ({pair[0]}→{pair[1]})", g["id"], *pair,
                                   label=f"{g['title']} 표", links_caption=g["title"]) for g in change_groups] if pair else []

    page.title, page.crumbs = site.title, [("처음", None)]
    # Many departments: their stacks by stage are on the departments page (stages_of_departments).
    by_stage = stages_of_departments(site, depts) if len(depts) <= limits.DEPARTMENT_STAGES_ON_HOME else []
    exec_rows = execution_rows(bureau.totals, "백만원")
    bureau_totals = years_by_stage(stage_table(bureau.totals, BUDGET_STAGES, "백만원"), "국 전체 세출 예산 (연도·단계별)",
                                   "bureau-totals-table")
    bureau_execution = execution_table(exec_rows, "국 전체 예산 집행", "bureau-execution-table", "백만원") if exec_rows else None
    by_department = department_years("by-department", "부서별 예산", table_years, dept_rows, stage=True,
                                     labelled_by="by-department-h")
    # The latest year's budget by department and project; the other years on their own pages.
    comp_years = composition_years(site)
    composition = section(site, page, comp_years[-1][0], list(site.projects.values()), "composition") \
        if comp_years else None
    page.charts = charted(
        (budget_chart("bureau-totals", f"{bureau.name} 세출 예산 (연도별 대표 금액)", bureau.totals, site.span,
                      summaries.budget(bureau.totals)), bureau_totals),
        (execution_chart("bureau-execution", f"{bureau.name} 예산 집행 (보고서 기준일별)", exec_rows), bureau_execution),
        *((g["chart"], g["amounts"]) for g in by_stage), *(composition["pairs"] if composition else []))
    latest_year = max((y for y in bureau.totals.years if any(bureau.totals.get(y, s) for s in BUDGET_STAGES)),
                      default=None)
    page.context = {
        "composition": composition, "bureau": bureau, "bureau_totals": bureau_totals,
        "differences": discrepancy_anchors(bureau.discrepancies, "bureau"),
        "bureau_execution": bureau_execution, "key": key_figures(bureau.totals, latest_year, exec_rows),
        "by_department": by_department, "change_groups": change_groups, "change_tables": change_tables, "pair": pair,
        "basis": [{"year": y, "stage": b.stage_label, "source": b.source} for y, b in basis.items()],
        "project_count": len(site.projects),
        "departments_with_projects": sum(1 for d in depts if d.projects),
        "chart_of": {c.id: c for c in page.charts}, "stage_charts": by_stage,
        "stages_elsewhere": len(depts) > limits.DEPARTMENT_STAGES_ON_HOME,
        "notes": sorted(({**n, "anchor": a} for n, a in zip(bureau.notes, section_ids(bureau.notes, "bureau-note"))),
                        key=lambda n: -n["year"]),
        "compare_path": compare_path(*pair) if pair else "compare/index.html",
    }
    page.tables = [x for x in (*change_tables, composition and composition["table"], bureau_totals, bureau_execution,
                               *(g["amounts"] for g in by_stage), by_department) if x]
    return page


def stages_of_departments(site: Site, depts: list) -> list[dict[str, Any]]:
    """One stacked chart per budget stage, a stack of that stage alone named in
    its title, each with the table of exactly its figures under it: on the
    home page, or on the departments page when there are many departments."""
    years = site.years
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
            chart.sources = [f.source for _, _, f in parts]
            rows = [{"dept": d, "cells": [cell(d.totals.like(stage_basis[y]), "백만원") for y in stage_years]}
                    for d in depts if any(d.totals.like(stage_basis[y]) for y in stage_years)]
            by_stage.append({"chart": chart, "amounts": department_years(
                f"by-department-{STAGE_IDS[stage]}", f"부서별 {stage}", stage_years, rows, label=f"부서별 {stage} 표")})
    return by_stage


def department_years(id: str, caption: str, years: list[int], rows: list[dict], stage: bool = False, **kw) -> Table:
    """Each department's amount (cells.cell) by year; with stage, each amount's stage under it."""
    return Table(id, caption, [Column("부서"), *(Column(str(y), num=True) for y in years)],
                 [[t.link(r["dept"], head=True), *(t.money(c, stage) for c in r["cells"])] for r in rows],
                 unit="백만원", **kw)


def departments_index(site: Site, page: Page) -> Page:
    depts = sorted(site.departments.values(), key=lambda d: (d.abolished, d.names[0].start, d.name))
    # A dataset may give no bureau total at all (found by fuzzing): then no year column.
    latest = max(site.bureau.totals.years, default=None)
    basis = site.basis(latest) if latest else None
    table = Table("departments", "부서 목록", [
        Column("부서"), Column("예전 이름"), Column("기간"), Column(f"{latest}년 예산" if latest else "예산", num=True),
        Column("사업 수", num=True)], [
        [t.link(d, head=True, badges=["폐지·분리"] if d.abolished else []),
         t.text(", ".join(f"{n.name} ({n.span})" for n in d.names[:-1])), t.text(d.active_years),
         t.money(cell(d.totals.like(basis), "백만원") if basis else None, stage=True),
         t.count(len(d.projects), "아직 옮기지 않음")]
        for d in depts], unit="백만원", unit_of="금액 단위")
    page.title, page.crumbs = "부서", [("처음", "index.html"), ("부서", None)]
    # The home page's stacks by stage, when there are too many departments for it (limits.py).
    by_stage = stages_of_departments(site, sorted(site.departments.values(), key=lambda d: d.names[0].start)) \
        if len(site.departments) > limits.DEPARTMENT_STAGES_ON_HOME else []
    page.charts = charted(*((g["chart"], g["amounts"]) for g in by_stage))
    page.context = {"departments": table, "latest_year": latest, "basis": basis, "stage_charts": by_stage}
    page.tables = [table, *(g["amounts"] for g in by_stage)]
    return page


PROJECTS_INDEX = "projects/index.html"
# The whole project index, when it is split into pages: written with its first page.
PROJECTS_WHOLE = t.download_paths(PROJECTS_INDEX, "projects-all")


def project_index_path(number: int) -> str:
    return pages_of.path(PROJECTS_INDEX, number)


def project_index_numbers(site: Site) -> list[tuple[int]]:
    """The project index's pages after the first (registry.py)."""
    return [(n,) for n in range(2, pages_of.count(len(site.projects), limits.PROJECTS_PER_PAGE) + 1)]


def _projects_table(site: Site, projects: list, caption: str, id: str = "projects") -> Table:
    years = site.years
    return Table(id, caption, [Column("사업"), Column("부서"), *(Column(str(y), num=True) for y in years)], [
        [t.link(p, head=True, badges=p.lifecycle,
                aside=f"예전 이름: {', '.join(n['name'] for n in p.former_names)}" if p.former_names else ""),
         t.link(p.department), *(t.money(rep_cell(p.figures, y), stage=True) for y in years)]
        for p in projects], unit="백만원", classes="projects")


def projects_index(site: Site, page: Page, number: int = 1) -> Page:
    """Every project, by department and name; a long list in pages (pages_of.py), each linking
    to where each department's projects start and to the whole list's downloads."""
    projects = sorted(site.projects.values(), key=lambda p: (p.department.name, p.name))
    shown, pager = pages_of.part(projects, limits.PROJECTS_PER_PAGE, number, project_index_path, "사업 목록 쪽 번호",
                                 PROJECTS_WHOLE, groups=lambda p: p.department.name, groups_name="부서별로 가기")
    table = _projects_table(site, shown, f"사업 목록 (이 쪽에 보이는 사업: {pager.shown})" if pager else "사업 목록")
    page.title, page.crumbs = "사업", [("처음", "index.html"), ("사업", None)]
    if pager and number == 1:
        whole = _projects_table(site, projects, f"사업 목록 (전체 {len(projects):,}개)", "projects-all")
        page.files.update(t.files(page.path, [whole]))
    elif pager:
        page.title = f"사업 ({number}쪽)"
        page.crumbs = [("처음", "index.html"), ("사업", PROJECTS_INDEX), (f"{number}쪽", None)]
    page.context = {"projects": table, "pager": pager}
    page.tables = [table]
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
    examples = Table("amount-notation", "같은 금액을 적는 세 가지 방법",
                     [Column("천원 단위 표"), Column("백만원 단위 표"), Column("글")],
                     [[t.number(money.thousands(a)), t.number(money.millions(a)), t.text(money.eok_man(a))]
                      for a in (1_592_240, 966_176, 24_383_302)], label="금액 표기 예")
    change_examples = Table("change-notation", "증감 표기",
                            [Column("전년", num=True), Column("올해", num=True), Column("증감", num=True),
                             Column("증감률", num=True)],
                            [[t.number(money.thousands(b)), t.number(money.thousands(a)), t.number(money.change(b, a)),
                              t.number(money.change_rate(b, a))]
                             for b, a in ((2_668_613, 1_771_000), (0, 277_000), (315_151, 0))],
                            unit="천원", label="증감 표기 예")
    page.context = {"body_html": markdown_html(site.pages[GUIDE], ids=True),
                    "stages": [{"name": s, "help": STAGE_HELP[s]} for s in STAGES],
                    "examples": examples, "change_examples": change_examples}
    page.tables = [examples, change_examples]
    return page


def glossary_page(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "용어", [("처음", "index.html"), ("용어", None)]
    page.context = {"terms": sorted(site.glossary, key=lambda t: t.term)}
    return page


def programs_page(site: Site, page: Page) -> Page:
    """Strategic goals and their unit programs, with the projects filed under each."""
    page.title, page.crumbs = "전략목표와 단위사업", [("처음", "index.html"), ("전략목표·단위사업", None)]
    # The unit programs' own years: a column no unit program has a figure in would say only 자료 없음.
    columns = sorted({(f.year, f.stage) for p in site.units for f in p.totals.all},
                     key=lambda c: (-c[0], STAGES.index(c[1])))
    goals: list[dict[str, Any]] = []
    years = program_years(site)  # one span for every goal's chart (render/histories.py)
    for i, g in enumerate(site.goals, 1):
        units = [u for u in site.units if u.goal == g.name]
        # The goal's and its units' differences in one list, each saying whose it is.
        differences = discrepancy_anchors(g.discrepancies, program_place(site, g), shared=True) + [
            {**d, "detail": " · ".join(x for x in (u.name, d.get("detail")) if x)}
            for u in units for d in discrepancy_anchors(u.discrepancies, program_place(site, u), shared=True)]
        totals = stage_table(g.totals, BUDGET_STAGES, "백만원")  # every stage a chart may draw
        goals.append({
            "goal": g, "discrepancies": differences, "chart": program_chart(g, i, years),
            "gaps": program_gaps(g, years),
            "totals": years_by_stage(totals, f"{g.name} 합계", f"goal-{i}-totals") if totals["rows"] else None,
            "units": Table(f"goal-{i}-units", f"{g.name}의 단위사업",
                           [Column("단위사업"), *(Column(f"{y} {st}", num=True) for y, st in columns), Column("세부사업")],
                           [[t.text(u.name, head=True), *(t.money(cell(u.totals.get(y, st), "백만원")) for y, st in columns),
                             t.links(u.projects)] for u in units],
                           unit="백만원", label=f"{g.name} 단위사업") if units else None,
            "figures": figures_table(figure_rows(g.totals), f"{g.name} 합계의 출처", f"goal-{i}-figures")})
    page.context = {"goals": goals, "coverage": program_coverage(site)}
    page.charts = charted(*((g["chart"], g["totals"]) for g in goals))
    page.tables = [x for g in goals for x in (g["totals"], g["units"], g["figures"]) if x]
    return page


# What each file on the data page is, in one line beside it.
FILE_ABOUT = {
    "budget.csv": "세출 금액: 세부사업, 부서 합계, 국 전체 합계",
    "revenue.csv": "세입 금액: 세입 항목별",
    "datapackage.json": "열마다의 뜻과 형식(Frictionless Data Package)",
    "catalog.ttl": "데이터 카탈로그(DCAT, Turtle): 데이터 포털이 이 자료를 가져갈 때 읽는 목록. "
                   "파일마다 크기와 SHA-256 체크섬이 있습니다",
    "catalog.jsonld": "같은 데이터 카탈로그를 JSON-LD로 적은 것",
    "data-go-kr.json": "공공데이터포털(data.go.kr)에 파일데이터로 등록할 때 옮겨 적을 값(목록명, 설명, 키워드, 업데이트 주기, "
                       "이용허락범위, 연락처)",
}


def data_page(site: Site, page: Page) -> Page:
    """The downloads of every figure, and the page that lists them: made
    together, as they change together. The catalog and the portal's fields are
    made from the bytes of the data files, so they always describe these files."""
    data_files = data.files(site)
    # The CSVs read once: the page, the catalog and the portal's fields count the same rows.
    parts = catalog.datafiles(data_files)
    rows = {d.path: d.rows for d in parts}
    published = {**data_files, **catalog.files(site, parts)}
    page.title, page.crumbs = "데이터 내려받기", [("처음", "index.html"), ("데이터 내려받기", None)]
    page.files = {f"data/{name}": body for name, body in published.items()}
    page.context = {"files": [{"name": name, "size": f"{len(body) / 1024:,.0f} KB", "rows": rows.get(name),
                               "about": FILE_ABOUT.get(name)}
                              for name, body in published.items()],
                    "coverage": coverage_table(site),
                    "dataset_jsonld": catalog.dataset_jsonld(site, data_files, parts)}
    page.tables = [page.context["coverage"]]
    return page


COVERAGE_STAGES = ["예산안", "본예산", "최종예산", "예산현액", "원인행위액", "지출액"]


def coverage_table(site: Site) -> Table:
    """Which figures the sources give: for each year and level (국, 부서,
    사업), how many of them have a whole figure of each stage."""
    levels = [("국 전체", [site.bureau.totals]), ("부서", [d.totals for d in site.departments.values()]),
              ("사업", [p.figures for p in site.projects.values()])]
    # None is not 0원: a stage no source gives says so.
    rows = [[t.text(year, head=True), t.small(level, len(sets)),
             *(t.missing(sum(1 for figs in sets if figs.get(year, stage)), "자료 없음") for stage in COVERAGE_STAGES)]
            for year in site.span for level, sets in levels]
    return Table("coverage", "연도·단계·수준별로 자료가 주는 금액의 수",
                 [Column("연도"), Column("수준"), *(Column(s, num=True) for s in COVERAGE_STAGES)], rows,
                 labelled_by="coverage-h")


def markdown_page(site: Site, page: Page, name: str) -> Page:
    """A page of pages/*.md: its Markdown, titled by its first heading."""
    title, body = titled(site.pages[name], name)
    page.title, page.crumbs = title, [("처음", "index.html"), (title, None)]
    page.context = {"body_html": markdown_html(body, ids=True)}
    page.description = first_sentence(page.context["body_html"])
    return page
