"""Histories of items (issue 27 §2): each revenue item's page, every figure
of it in every document with its source, a chart of its year's figures and
the table of exactly those figures; the collection and change tables whose
derived numbers (징수율, 증감) are worked out here and nowhere else.
"""
from __future__ import annotations

from dataclasses import replace

from .. import charts, money, summaries
from .. import tables as t
from ..charts import Chart
from ..model import STAGES, FigureSet, Program, Site
from ..model.histories import RevenueItem, item_key, revenue_items
from ..tables import Cell, Column, Table
from .cells import budget_chart, cell, citation_meta, cite_line, comparison, year_span
from .page import Page
from .table_kinds import change_cells, change_columns

COLLECTION_STAGES = ["예산현액", "징수액"]


def collection_table(figs: FigureSet, id: str, caption: str, unit: str) -> Table | None:
    """What each report counted as collected on its date, beside the 예산현액
    of the same printed row: 징수율 from exactly those two shown figures."""
    rows = []
    for r in figs.snapshots(COLLECTION_STAGES):
        current, done = r.get("예산현액"), r.get("징수액")
        rows.append([t.text(r.year, head=True), t.text(r.as_of or "", cls="date"),
                     t.money(cell(current, unit)), t.money(cell(done, unit)),
                     t.number(money.rate(done.amount, current.amount) if done and current and current.amount else "-"),
                     t.source(r.source, r.table or "")])
    if not rows:
        return None
    return Table(id, caption, [Column("연도"), Column("기준일"), Column("예산현액", num=True), Column("징수액", num=True),
                               Column("징수율", num=True), Column("출처")], rows, unit=unit)


def item_link(items: dict[str, RevenueItem], name: str, head: bool = False, cls: str = "") -> Cell:
    """A revenue table's item, linked to its history (its words as printed)."""
    item = items.get(item_key(name))
    if item is None:
        return t.text(name, head=head, cls=cls)
    linked = t.to(item.path, name, head=head)
    linked.cls = cls
    return linked


def _charted_figures(item: RevenueItem) -> tuple[FigureSet, str]:
    """The figures the item's chart draws from: the whole bureau's where the
    sources give any (an account's share never stands for the year), else
    those of the one account the item is printed for."""
    if any(f.account is None for f in item.figures.all):
        return item.figures, ""
    accounts = sorted({f.account for f in item.figures.all if f.account})
    if len(accounts) != 1:
        return FigureSet([]), ""
    return FigureSet([replace(f, account=None) for f in item.figures.all]), accounts[0]


def _chart_and_table(item: RevenueItem) -> tuple[Chart | None, Table | None, str]:
    """A bar a year, its most settled figure (FigureSet.representative: 최종예산,
    본예산, 예산안, then 예산현액 with its date), and the table of exactly
    those figures."""
    figs, account = _charted_figures(item)
    shown = [(y, f) for y in figs.years if (f := figs.representative(y))]
    if not shown:
        return None, None, account
    y, latest = shown[-1]
    summary = f"가장 최근 금액은 {y}년 {latest.stage_label} {money.eok_man(latest.amount)}입니다."
    title = f"{item.name} 연도별 금액" + (f" ({account})" if account else "")
    points = [{"연도": str(y), "단계": f.stage_label, "amount": f.amount, "출처": f.source_label} for y, f in shown]
    chart = charts.budget_bars(f"revenue-item-{item.slug}", title, year_span([y for y, _ in shown]), points, summary)
    if chart is None:
        return None, None, account
    chart.sources = [f.source for _, f in shown]
    table = Table("chart-figures", f"{title}: 차트의 금액", [Column("연도"), Column("단계"), Column("금액", num=True),
                                                          Column("출처")],
                  [[t.text(y, head=True), t.text(f.stage_label), t.money(cell(f)),
                    t.source(f.source, f.table or "")] for y, f in shown], unit="천원")
    chart.table = table
    return chart, table, account


def _changes_tables(item: RevenueItem) -> list[Table]:
    """Each year against the year before, by the site's one comparison rule
    (FigureSet.change, amounts and change in 백만원 as compared), of the
    figures the chart draws: a table a pair of years, its columns named by
    the years as the compare pages name them."""
    out = []
    figs, _ = _charted_figures(item)
    for a in figs.years:
        ch = figs.change(a, a + 1)
        if ch.kind != "change":
            continue
        out.append(Table(f"changes-{a}-{a + 1}", f"{item.name}: {a}년과 {a + 1}년 비교",
                         [Column("항목"), *change_columns(a, a + 1)],
                         [[t.to(item.path, item.name, head=True), *change_cells(comparison(ch))]], unit="백만원"))
    return out


def _figures_table(item: RevenueItem) -> Table:
    """Every printed row of the item: year, stage, amount as printed, its date,
    its name and place as printed, and where."""
    rows = sorted(item.figures.all, key=lambda f: (f.year, STAGES.index(f.stage), f.source.source.date,
                                                   f.source.line, f.account or ""))
    return Table("figures", f"{item.name}: 자료마다 인쇄된 모든 금액",
                 [Column("연도"), Column("단계"), Column("금액", num=True), Column("기준일"), Column("인쇄된 이름"),
                  Column("상위 항목"), Column("회계"), Column("출처")],
                 [[t.text(f.year), t.text(f.stage),
                   t.amount(f.amount, money.thousands(f.amount), money.eok_man(f.amount),
                            f"{f.precision} 단위" if f.precision != "천원" else ""),
                   t.text(f.as_of or "", cls="date"), t.text(f.item), t.text(f.parent or ""),  # type: ignore[attr-defined]
                   t.text(f.account or "전체"), t.source(f.source, f.table or "", note=f.note or "",
                                                         recovered=f.recovered or "")]
                  for f in rows], unit="천원")


def revenue_item_page(site: Site, page: Page, item: RevenueItem) -> Page:
    items = {i.key: i for i in revenue_items(site)}
    chart, chart_table, account = _chart_and_table(item)
    documents = list({f.source.source.id: f.source.source for f in item.figures.all}.values())
    tables = len({(f.source.source.id, f.table, f.account) for f in item.figures.all})
    page.title = f"세입 항목: {item.name}"
    page.crumbs = [("처음", "index.html"), ("세입", "revenue/index.html"), (item.name, None)]
    years = item.figures.years or sorted({f.year for f in item.figures.all})
    page.description = (f"세입 항목 {item.name}의 {years[0]}~{years[-1]}년 금액: 자료 {len(documents)}건, 표 {tables}개에 "
                        f"인쇄된 {len(item.figures.all)}개 금액과 그 출처.")
    collected = collection_table(item.figures, "collected", f"{item.name} 보고서 기준일별 징수", "천원")
    changes = _changes_tables(item)
    figures = _figures_table(item)
    page.charts = [chart] if chart else []
    page.context = {
        "item": item, "chart": chart, "chart_table": chart_table, "account": account,
        "collected_table": collected, "changes_tables": changes, "figures_table": figures,
        "documents": documents, "table_count": tables,
        "parents": [{"name": p, "item": items.get(item_key(p))} for p in item.parents],
        "children": [items[k] for k in item.children if k in items],
        "cite": cite_line(site, page),
    }
    page.meta = citation_meta(site, page)
    page.tables = [x for x in (chart_table, *changes, collected, figures) if x]  # as the page shows them
    return page


def revenue_item_list(site: Site) -> list[dict]:
    """Every revenue item for the revenue page's list: its name, address and years."""
    out = []
    for i in revenue_items(site):
        years = sorted({f.year for f in i.figures.all})
        out.append({"item": i, "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                    "count": len(i.figures.all)})
    return out


def _years_words(years: list[int]) -> str:
    """Each year written out, none folded into a range: a reader looking for a year finds it."""
    return ", ".join(map(str, years))


def program_years(site: Site) -> list[int]:
    """The years a goal's chart spans: every year any goal has a figure, from the first to the last."""
    return year_span(sorted({f.year for g in site.goals for f in g.totals.all}))


def program_chart(g: Program, i: int, years: list[int]) -> Chart | None:
    """A goal over the years: a bar a year, its most settled budget stage;
    a year the sources do not give is marked 자료 없음, never filled in."""
    return budget_chart(f"goal-{i}-years", f"{g.name} 연도별 금액", g.totals, years, summaries.budget(g.totals))


def program_coverage(site: Site) -> dict:
    """Which years the sources give for the goals and the unit programs, and
    which of the site's years they do not."""
    site_years = year_span(sorted({y for p in site.projects.values() for y in p.figures.years}
                                  | set(site.bureau.totals.years)))
    goal_years = sorted({f.year for g in site.goals for f in g.totals.all})
    unit_years = sorted({f.year for u in site.units for f in u.totals.all})
    return {"site": _years_words(site_years), "goals": _years_words(goal_years), "units": _years_words(unit_years),
            "goals_missing": _years_words([y for y in site_years if y not in goal_years]),
            "units_missing": _years_words([y for y in site_years if y not in unit_years]),
            # Goal figures from before the unit programs' first year: of a 분야 by the same name.
            "earlier": bool(goal_years and unit_years and goal_years[0] < unit_years[0])}


def program_gaps(g: Program, years: list[int]) -> str:
    """The years of the goals' span the sources give no figure of this goal for."""
    return _years_words([y for y in years if y not in g.totals.years])
