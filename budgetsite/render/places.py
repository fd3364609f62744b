"""The page of each department and project, the revenue page and the organisation's history.
"""
from __future__ import annotations

from typing import Any

from .. import money, summaries
from .. import tables as t
from ..korean import josa
from ..model import (
    BASIS_LABELS,
    BUDGET_STAGES,
    HISTORY_LABELS,
    STAGES,
    UNSTATED,
    Department,
    FigureSet,
    Project,
    Site,
    SourceRef,
    date_words,
    first_sentence,
)
from ..model.histories import revenue_items
from ..search import section_ids
from ..tables import Column, Table
from . import limits, pages_of
from .cells import (
    LINEAGE_LABELS,
    budget_chart,
    cell,
    change_rows,
    charted,
    citation_meta,
    cite_line,
    execution_chart,
    execution_rows,
    figure_rows,
    key_figures,
    rep_cell,
    stage_table,
    year_span,
)
from .composition import department_section
from .discrepancies import discrepancy_anchors
from .histories import collection_table, item_link, revenue_item_list
from .page import Page
from .table_kinds import changes_table, execution_table, figures_table, years_by_stage


def department_list_path(d: Department, number: int) -> str:
    """Page number of a department's list of projects: the department's page, then departments/<id>/projects/page-n/."""
    return pages_of.path(d.path, number, f"departments/{d.id}/projects")


def department_list_numbers(site: Site) -> list[tuple[Department, int]]:
    """Every department's list pages after the first (registry.py)."""
    return [(d, n) for d in sorted(site.departments.values(), key=lambda d: d.id)
            for n in range(2, pages_of.count(len(d.projects), limits.DEPARTMENT_PROJECTS_PER_PAGE) + 1)]


def _department_projects(site: Site, page: Page, d: Department, number: int) -> dict[str, Any]:
    """A department's projects, by name, and their comparison between its two latest years: on page
    number of the list when it is long (pages_of.py), the whole list's downloads written with page 1."""
    years = sorted(set(d.totals.years) | {y for p in d.projects for y in p.figures.years})
    whole = t.download_paths(d.path, "projects-all")
    shown, pager = pages_of.part(d.projects, limits.DEPARTMENT_PROJECTS_PER_PAGE, number,
                                 lambda n: department_list_path(d, n), f"{d.name} 사업 목록 쪽 번호", whole,
                                 groups=lambda p: pages_of.initial(p.name), groups_name="첫 글자로 가기")

    def rows(projects: list[Project]) -> list[list[t.Cell]]:
        out = []
        for p in projects:
            p_years = [y for y in years if d in p.departments_in(y)]
            # Only the figures the documents place under this department (Project.department_of).
            own = p.figures if all(docs is None for _, docs, _ in p.placements) else \
                FigureSet([f for f in p.figures.all if p.department_of(f) is d])
            moved = sorted({o.name for o in p.departments.values() if o is not d})
            out.append([t.link(p, head=True, badges=p.lifecycle, aside=f"다른 해 담당: {', '.join(moved)}" if moved else ""),
                        *(t.money(rep_cell(own, y) if y in p_years else None, stage=True) for y in years)])
        return out

    def table(projects: list[Project], caption: str, id: str = "projects") -> Table:
        return Table(id, caption, [Column("사업"), *(Column(str(y), num=True) for y in years)],
                     rows(projects), unit="백만원, 연도별 대표 금액", label="사업 목록")

    on_page = "" if pager is None else f" (이 쪽에 보이는 사업: {pager.shown})"
    projects = table(shown, f"{d.name} 소관 사업{on_page}") if shown else None
    if pager and number == 1:
        whole_table = table(d.projects, f"{d.name} 소관 사업 (전체 {len(d.projects):,}개)", "projects-all")
        page.files.update(t.files(page.path, [whole_table]))
    # The department's projects between its two latest years, by the one comparison rule.
    pair = (years[-2], years[-1]) if len(years) > 1 else None
    compared = change_rows(site, pair[0], pair[1],
                           [p for p in shown if d in p.departments_in(pair[0]) + p.departments_in(pair[1])]) \
        if pair else []
    changes = changes_table(compared, f"{d.name} 사업의 {pair[0]}년과 {pair[1]}년 비교{on_page}", "changes", *pair,
                            labelled_by="changes-h") if pair and compared else None
    return {"projects_table": projects, "changes_table": changes, "pair": pair, "pager": pager}


def department_list_page(site: Site, page: Page, d: Department, number: int) -> Page:
    """A later page of a long list of a department's projects: the list and its comparison alone."""
    lists = _department_projects(site, page, d, number)
    page.title = f"{d.name} 사업 ({number}쪽)"
    page.crumbs = [("처음", "index.html"), ("부서", "departments/index.html"), (d.name, d.path), (f"사업 {number}쪽", None)]
    page.description = f"{d.name}의 사업 목록 {number}쪽."
    page.context = {"dept": d, **lists}
    page.tables = [x for x in (lists["projects_table"], lists["changes_table"]) if x]
    return page


def department_page(site: Site, page: Page, d: Department) -> Page:
    lists = _department_projects(site, page, d, 1)
    projects, changes = lists["projects_table"], lists["changes_table"]
    by_stage = stage_table(d.totals, BUDGET_STAGES, "백만원")
    totals = years_by_stage(by_stage, f"{d.name} 예산", "totals") if by_stage["rows"] else None
    staff = Table("staff", "정원과 현원", [Column("기준일"), Column("정원", num=True), Column("현원", num=True), Column("출처")],
                  [[t.text(s["date"]), t.number(s["authorised"]), t.number(s["current"]), t.source(s["source"], cls="")]
                   for s in sorted(d.staff, key=lambda x: x["date"])], unit="명", label="인력 표") if d.staff else None
    lineage = [{**ev, "other": site.departments.get(ev.get("department") or ""), "label": LINEAGE_LABELS[ev["event"]],
                "when": ev.get("date") or (f"{ev['year']}년" if ev.get("year") else "시기 미상")}
               for ev in sorted(d.lineage, key=lambda ev: ev.get("date") or str(ev.get("year") or ""))]
    tasks = [{**k, "amount_text": money.eok_man(k["amount"]) if k["amount"] is not None else None, "anchor": a}
             for k, a in sorted(zip(d.tasks, section_ids(d.tasks, "task")),
                                key=lambda ka: (-ka[0]["year"], ka[0]["source"].line))]
    page.title, page.crumbs = d.name, [("처음", "index.html"), ("부서", "departments/index.html"), (d.name, None)]
    page.description = (f"{d.name}({d.active_years})의 연도별 예산·집행과 사업, 조직 변천. "
                        f"{summaries.budget(d.totals, compare=d.change)}")
    chart = budget_chart(f"dept-{d.id}", f"{d.name} 예산 (연도별 대표 금액)", d.totals, year_span(d.totals.years),
                         summaries.budget(d.totals, compare=d.change))
    exec_rows = execution_rows(d.totals, "백만원")
    exec_chart = execution_chart(f"dept-{d.id}-execution", f"{d.name} 예산 집행 (보고서 기준일별)", exec_rows)
    execution = execution_table(exec_rows, f"{d.name} 예산 집행", "execution", "백만원") if exec_rows else None
    figures = figures_table(figure_rows(d.totals), "부서 합계 금액과 출처")
    composition = department_section(site, page, d)  # its projects in the latest year, as a treemap
    page.charts = charted((chart, totals), (exec_chart, execution), *(composition["pairs"] if composition else []))
    page.context = {
        "composition": composition, "dept": d, "chart": chart, "exec_chart": exec_chart, "execution_table": execution,
        "differences": discrepancy_anchors(d.discrepancies, f"department-{d.id}"), "totals_table": totals,
        "lineage": lineage, **lists,
        "duties": sorted(d.duties, key=lambda x: -x["year"]), "staff_table": staff,
        "figures_table": figures, "tasks": tasks,
        "successors": [site.departments[i] for i in d.successors] if d.abolished else [],
        "successor_particle": josa(site.departments[d.successors[-1]].name, "으로") if d.successors else "",
        "ended": next((ev["when"] for ev in lineage if ev["event"] in ("abolished", "merged_into")), None),
        "cite": cite_line(site, page),
    }
    page.meta = citation_meta(site, page)
    page.tables = [x for x in (totals, execution, projects, changes, composition and composition["table"], staff, figures) if x]
    return page


def project_page(site: Site, page: Page, p: Project) -> Page:
    figs = p.figures
    snapshots = execution_rows(figs)
    latest = max((y for y in figs.years if any(figs.get(y, s) for s in BUDGET_STAGES)), default=None)
    key = key_figures(figs, latest, snapshots, p.change(latest - 1, latest) if latest else None)
    budget_chart_ = budget_chart(f"project-{p.id}-budget", f"{p.name} 예산 (연도별 대표 금액)", figs,
                                 year_span(figs.years), key["change_sentence"] if key else summaries.budget(figs))
    exec_chart = execution_chart(f"project-{p.id}-execution", f"{p.name} 집행 (보고서 기준일별)", snapshots)
    breakdowns = [breakdown_table(b, i) for i, b in
                  enumerate(sorted(p.breakdown, key=lambda b: (b["year"], STAGES.index(b["stage"]))), 1)]
    differences = discrepancy_anchors(p.discrepancies, f"project-{p.id}")
    foundation = foundation_tables(p.foundation_budget, differences)
    # An amount of unstated stage is shown beside the budget stages, in a column of its own.
    budget = stage_table(figs, BUDGET_STAGES + [UNSTATED], "천원")
    budget_table = years_by_stage(budget, f"{p.name} 예산", "budget") if budget["rows"] else None
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
    execution = execution_table(snapshots, "보고서 기준일별 집행", "execution") if snapshots else None
    page.charts = charted((budget_chart_, budget_table), (exec_chart, execution))
    page.context = {
        "project": p, "budget_chart": budget_chart_, "exec_chart": exec_chart, "key": key,
        "differences": differences, "foundation": foundation, "budget_table": budget_table,
        "execution_table": execution,
        "breakdowns": breakdowns, "notes": sorted(({**n, "anchor": a} for n, a in zip(p.notes, section_ids(p.notes, "note"))),
                        key=lambda n: n["year"]),
        "dept_years": dept_years, "figures_table": figures_table(figure_rows(figs), f"{p.name} 금액과 출처"),
        "placed_apart": p.placed_apart,
        "history": [{**h, "label": HISTORY_LABELS[h["event"]], "basis_label": BASIS_LABELS[h["basis"]],
                     "other": site.projects.get(h["project"]) if h["project"] else None,
                     "from_dept": site.departments.get(h["department"]) if h["department"] else None}
                    for h in sorted(p.history, key=lambda h: h["year"])],
        "cite": cite_line(site, page),
    }
    page.meta = citation_meta(site, page)
    page.tables = [x for x in (budget_table, page.context["execution_table"], *breakdowns, *foundation,
                               page.context["figures_table"]) if x]
    return page


def revenue_page(site: Site, page: Page) -> Page:
    """The bureau's revenue: the grand total by year and stage, then each
    document's table item by item, indented as printed."""
    rev = site.revenue
    page.title, page.crumbs = "세입", [("처음", "index.html"), ("세입", None)]
    if rev is None:
        page.context = {"revenue": None}
        return page
    totals = rev.totals
    chart = budget_chart("revenue-totals", "세입 합계 (연도별 대표 금액)", totals, year_span(totals.years),
                         summaries.budget(totals))
    groups: dict[tuple, list] = {}
    histories = {i.key: i for i in revenue_items(site)}  # each item's history (render/histories.py)
    for f in rev.items:
        groups.setdefault((f.source.source.id, f.table, f.account), []).append(f)
    tables: list[Table] = []
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
        tables.append(Table(
            f"revenue-{len(tables) + 1}", " · ".join(x for x in (source.short, table, account) if x),
            [Column("항목"), *(Column(f"{y} {st}", num=True, note=f"{a} 기준" if a else "") for y, st, a in columns)],
            [[item_link(histories, r["item"], head=True, cls=f"depth-{r['depth']}"),
              *(t.money(r["cells"].get(c)) for c in columns)]
             for r in rows.values()],
            unit="천원", source=SourceRef(source, min(f.source.line for f in items)), source_after="부터",
            classes="revenue"))
    totals_table = years_by_stage(stage_table(totals, BUDGET_STAGES, "백만원"), "세입 합계 (연도·단계별)",
                                  "revenue-totals-table")
    page.charts = charted((chart, totals_table))
    collected_table = collection_table(totals, "revenue-collected", "보고서 기준일별 징수", "백만원")
    page.context = {"revenue": rev, "chart": chart, "totals_table": totals_table, "collected_table": collected_table,
                    "revenue_tables": tables, "discrepancies": discrepancy_anchors(rev.discrepancies, "revenue"),
                    "item_list": revenue_item_list(site)}
    page.tables = [x for x in (totals_table, collected_table, *tables) if x]
    return page


def breakdown_table(b: dict, i: int) -> Table:
    """A year's items by statistical category (통계목), each with its share, and their sum."""
    total = sum(x["amount"] for x in b["items"])
    caption = f"{b['year']}년 {b['stage']} 통계목별 내역"
    return Table(f"breakdown-{i}", caption, [Column("통계목"), Column("금액", num=True), Column("비중", num=True)],
                 [[t.text(f"{x['code']} {x['name']}" if x.get("code") else x["name"], head=True),
                   t.amount(x["amount"], money.thousands(x["amount"])), t.number(money.rate(x["amount"], total))]
                  for x in b["items"]],
                 foot=[[t.text("계", head=True), t.amount(total, money.thousands(total)), t.number("100.0%")]],
                 unit="천원", source=b["source"], label=f"{b['year']}년 {b['stage']} 통계목")


def foundation_tables(tables: list[dict], differences: list[dict]) -> list[Table]:
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
            cells = [t.amount(v, "" if v is None else (money.signed(v) if c["change"] else money.thousands(v)),
                              mark=marks.get((tb["table"], key, c["label"])) or "")
                     for c, v in zip(tb["columns"], r["amounts"])]
            rows.append(([t.text(r["group"] or "")] if grouped else [])
                        + [t.item(r["name"], bool(r.get("parent")), r.get("note") or ""), *cells, t.number(r["line"])])
        columns = ([Column("구분")] if grouped else []) + [Column("항목")] \
            + [Column(c["label"], num=True) for c in tb["columns"]] + [Column("원문 줄", num=True)]
        out.append(Table(f"foundation-{i}", tb["table"], columns, rows, unit="천원", source=tb["source"]))
    return out


def organisation_page(site: Site, page: Page) -> Page:
    """조직 변천: the bureau's and each department's names by period, its
    reorganisations as the sources date them, and for the 2024 one, which
    department became which, the projects that moved and where each 2024
    figure stands (the department its citing document places it under)."""
    events: list[dict[str, Any]] = []
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
                    # A name that ends with no new one: the departments it went to, if any.
                    rows.append([t.link(d, head=True), t.text(", ".join(before) or "(없음)"),
                                 t.text(", ".join(after)) if after else t.links(successors, "(없어짐)"),
                                 t.text(", ".join(how))])
        when = date_words(date) if date and len(date) == 10 else \
            (f"{date[:4]}년 {int(date[5:7])}월" if date else f"{ev['year']}년")
        n = len(events) + 1
        events.append({**ev, "when": when, "reorganisation": Table(
            f"reorganisation-{n}", f"{when} 개편 전후의 부서",
            [Column("부서"), Column("개편 전"), Column("개편 뒤"), Column("무엇이 바뀌었나")], rows,
            labelled_by=f"event-{n}") if rows else None})
    # Projects placed under different departments before and after 2024-07-01,
    # and each of their 2024 figures under the department its document gives.
    moved: list[list[t.Cell]] = []
    crosswalk: list[list[t.Cell]] = []
    for p in sorted(site.projects.values(), key=lambda p: p.name):
        depts = p.departments_in(2024)
        later = p.department_in(2025)
        if len(depts) > 1 or (later is not None and depts and later is not depts[0]):
            moved.append([t.link(p, head=True), t.text(depts[0].name_in(2024)),
                          t.link(depts[-1] if len(depts) > 1 else later)])
            crosswalk += [[t.text(p.name, head=True), t.text(f.stage_label), t.amount(f.amount, money.thousands(f.amount)),
                           t.source(f.source, cls=""), t.text(p.department_of(f).name_printed(f))]
                          for f in p.figures.all if f.year == 2024]
    moved_tables = [
        Table("moved-projects", f"개편 때 부서를 옮긴 사업 ({len(moved)}개)",
              [Column("사업"), Column("개편 전"), Column("개편 뒤")], moved,
              labelled_by="moved-h", links_caption="개편 때 부서를 옮긴 사업"),
        Table("crosswalk-2024", "2024년 금액과 그 금액을 적은 자료가 둔 부서",
              [Column("사업"), Column("단계"), Column("금액", num=True), Column("자료"), Column("둔 부서")], crosswalk,
              unit="천원", label="2024년 금액과 부서")] if moved else []
    page.title, page.crumbs = "조직 변천", [("처음", "index.html"), ("조직 변천", None)]
    page.context = {
        "bureau": site.bureau, "events": events, "moved_tables": moved_tables,
        "departments": sorted(site.departments.values(), key=lambda d: (d.names[0].start, d.name)),
    }
    page.tables = [ev["reorganisation"] for ev in events if ev["reorganisation"]] + moved_tables
    return page
