"""The page of each department and project, the revenue page and the organisation's history.
"""
from __future__ import annotations

from typing import Any

from .. import downloads, money, summaries
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
from .cells import (
    LINEAGE_LABELS,
    budget_chart,
    cell,
    change_rows,
    cite_line,
    execution_chart,
    execution_rows,
    figure_rows,
    key_figures,
    rep_cell,
    stage_table,
    year_span,
)
from .discrepancies import discrepancy_anchors
from .page import Page


def department_page(site: Site, page: Page, d: Department) -> Page:
    years = sorted(set(d.totals.years) | {y for p in d.projects for y in p.figures.years})
    project_rows = []
    for p in d.projects:
        p_years = [y for y in years if d in p.departments_in(y)]
        # Only the figures the documents place under this department (Project.department_of).
        own = p.figures if all(docs is None for _, docs, _ in p.placements) else \
            FigureSet([f for f in p.figures.all if p.department_of(f) is d])
        project_rows.append({"project": p, "cells": [rep_cell(own, y) if y in p_years else None for y in years],
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
    chart = budget_chart(f"dept-{d.id}", f"{d.name} 예산 (연도별 대표 금액)", d.totals, year_span(d.totals.years),
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


def project_page(site: Site, page: Page, p: Project) -> Page:
    figs = p.figures
    snapshots = execution_rows(figs)
    latest = max((y for y in figs.years if any(figs.get(y, s) for s in BUDGET_STAGES)), default=None)
    key = key_figures(figs, latest, snapshots, p.change(latest - 1, latest) if latest else None)
    budget_chart_ = budget_chart(f"project-{p.id}-budget", f"{p.name} 예산 (연도별 대표 금액)", figs,
                                 year_span(figs.years), key["change_sentence"] if key else summaries.budget(figs))
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


def revenue_page(site: Site, page: Page) -> Page:
    """The bureau's revenue: the grand total by year and stage, then each
    document's table item by item, indented as printed."""
    rev = site.revenue
    page.title, page.crumbs = "세입", [("처음", "index.html"), ("세입", None)]
    if rev is None:
        page.context = {"revenue": None, "chart": None, "totals_table": None, "tables": []}
        return page
    totals = rev.totals
    chart = budget_chart("revenue-totals", "세입 합계 (연도별 대표 금액)", totals, year_span(totals.years),
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
