"""Composition: a year's budget as a treemap of departments and their projects
(model/composition.py picks one stage of one document and derives every number),
the table of the same figures, a sentence on the largest parts, links to the
other years; and the bureau's money by 통계목 where the sources break it down.
Shown on its own pages (composition/<year>/), on the home page for the latest
year and on each department page for its projects.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import money
from .. import tables as t
from ..charts import Chart
from ..charts.treemap import Part, treemap
from ..korean import josa
from ..model import Department, Project, Site
from ..model.composition import Breakdown, Composition, Item, Rest, best_basis, breakdowns, compose, p_name, years
from ..tables import Cell, Column, Table
from . import limits
from .cells import Amount, cell, charted, citation_meta
from .page import Page

INDEX = "composition/index.html"
LARGEST = 3  # parts the sentence names
# A year is drawn for the whole bureau only when its document gives at least
# this many projects (2022 and 2023 have one project's figure from a later
# report: no picture of a year's budget); a department's, from two.
MIN_PROJECTS = 5
MIN_DEPARTMENT_PROJECTS = 2
# Where every project's figure is when a composition groups some (limits.COMPOSITION_PER_DEPARTMENT).
DOWNLOAD = "data/budget.csv"


def composition_path(year: int) -> str:
    return f"composition/{year}/index.html"


def composition_years(site: Site) -> list[tuple[int]]:
    projects = list(site.projects.values())
    return [(y,) for y in years(projects) if _covers(projects, y) >= MIN_PROJECTS]


def _covers(projects: list[Project], year: int, department: Department | None = None) -> int:
    basis = best_basis(projects, year)
    return len(compose(projects, basis, department).items) if basis else 0


def latest_path(site: Site) -> str | None:
    ys = composition_years(site)
    return composition_path(ys[-1][0]) if ys else None


def _with(word: str, particle: str) -> str:
    return word + josa(word, particle)


def sentence(comp: Composition, by_department: bool = True) -> str:
    """What the largest parts are, in the amounts and shares the table shows."""
    total = comp.total
    if not total:
        return ""
    head = f"{comp.basis.label} 사업 {len(comp.items)}개의 금액 합은 {comp.in_words(total)}입니다."

    def named(pairs: Iterable[tuple[str, str, int]]) -> str:
        return ", ".join(f"{name} {words}({comp.share(a)})" for name, words, a in pairs)
    # Of the projects it shows by name (a 「그 밖의 사업」 entry is no project).
    largest = sorted(comp.shown, key=lambda i: (-i.figure.amount, p_name(i)))[:LARGEST]
    # A project's own figure is as exact as it was printed; a department's is a sum.
    projects = named((p_name(i), money.eok_man(i.figure.amount), i.figure.amount) for i in largest)
    if by_department and len(comp.groups) > 1:
        groups = named((g.name, comp.in_words(g.amount), g.amount) for g in comp.groups[:LARGEST])
        return f"{head} 부서로는 {groups} 순으로 크고, 사업으로는 {projects} 순으로 큽니다."
    return f"{head} 가장 큰 사업은 {projects} 순입니다."


def rest_cell(comp: Composition, r: Rest) -> Amount:
    """A 「그 밖의 사업」 entry's amount as a table cell: the exact sum of its figures,
    in words to the coarsest unit they were printed in (marked * when that is coarser than 천원)."""
    return Amount(r.amount, money.thousands(r.amount), r.in_words(), f"{r.name}의 합 · {comp.basis.source.short}",
                  comp.basis.stage, r.precision, r.unit > 1, False, None)


def _row(comp: Composition, e: Item | Rest) -> list[Cell]:
    if isinstance(e, Rest):
        # Its projects are listed on the department's page.
        return [t.to(e.department.path, e.department_name), t.to(e.department.path, e.name, head=True),
                t.money(rest_cell(comp, e)), t.number(comp.share(e.amount))]
    return [t.to(e.department.path, e.department_name), t.to(e.project.path, p_name(e), head=True),
            t.money(cell(e.figure)), t.number(comp.share(e.figure.amount))]


def composition_table(comp: Composition, id: str, caption: str, **kw) -> Table:
    """The treemap's figures, one row a rectangle (and a row for a project of 0, which has none);
    a department's projects past the limit in one 「그 밖의 사업」 row, as in the treemap."""
    rows = [_row(comp, e) for e in comp.entries]
    return Table(id, caption, [Column("부서"), Column("사업"), Column("금액", num=True), Column("비중", num=True)], rows,
                 foot=[[t.text("합계", head=True), t.text(f"사업 {len(comp.items)}개"),
                        t.amount(comp.total, money.thousands(comp.total)), t.number("100.0%" if comp.total else "-")]],
                 unit="천원", classes="composition", **kw)


def composition_chart(comp: Composition, chart_id: str, title: str, root: str, by_department: bool = True) -> Chart | None:
    groups = [(g.name, [_part(comp, g.name, e) for e in g.entries if _amount(e)]) for g in comp.groups]
    if not by_department:
        groups = [(comp.groups[0].name, [p for _, parts in groups for p in parts])] if groups else []
        groups = [(g, sorted(parts, key=lambda p: (-p.amount, p.name))) for g, parts in groups]
    chart = treemap(chart_id, title, groups, root, sentence(comp, by_department))
    if chart:
        chart.sources = [i.figure.source for i in comp.items]
        chart.links = root
    return chart


def _amount(e: Item | Rest) -> int:
    return e.amount if isinstance(e, Rest) else e.figure.amount


def _part(comp: Composition, group: str, e: Item | Rest) -> Part:
    """An entry's rectangle: a project links to its page, a 「그 밖의 사업」 entry to its department's."""
    if isinstance(e, Rest):
        return Part(e.name, group, e.amount, e.department.path, comp.share(e.amount), e.in_words())
    return Part(p_name(e), group, e.figure.amount, e.project.path, comp.share(e.figure.amount))


def _year_links(site: Site, year: int | None) -> list[dict]:
    return [{"year": y, "path": composition_path(y), "current": y == year} for (y,) in composition_years(site)]


def section(site: Site, page: Page, year: int, projects: list[Project], id: str,
            department: Department | None = None) -> dict[str, Any] | None:
    """A composition's chart, table, sentence and the other years' links, to place with _composition.html."""
    basis = best_basis(projects, year)
    if basis is None:
        return None
    comp = compose(projects, basis, department, limits.COMPOSITION_PER_DEPARTMENT)
    if not comp.items:
        return None
    by_department = department is None
    title = (f"{year}년 부서·사업별 예산 구성 ({basis.stage}, {basis.source.short} 기준)" if by_department
             else f"{department.name if department else ''} {year}년 사업별 예산 구성 ({basis.stage}, {basis.source.short} 기준)")
    chart = composition_chart(comp, id, title, page.root, by_department)
    table = composition_table(comp, f"{id}-table", f"{year}년 사업별 금액 ({basis.stage}, {basis.source.short})",
                              label=f"{year}년 예산 구성 표")
    zero = [p_name(i) for i in comp.shown if not i.figure.amount] + [r.name for r in comp.rests if not r.amount]
    return {"id": id, "year": year, "basis": basis, "chart": chart, "table": table,
            "sentence": chart.summary if chart else sentence(comp, by_department),
            "count": len(comp.items), "of": comp.of, "partial": len(comp.items) < comp.of,
            "zero": ", ".join(zero), "years": _year_links(site, year), "pairs": [(chart, table)],
            "path": composition_path(year),
            # Past the limit: how many a department shows by name, and where every project's figure is.
            "named": limits.COMPOSITION_PER_DEPARTMENT if comp.rests else None, "download": DOWNLOAD}


def breakdown_table(b: Breakdown, id: str) -> Table:
    rows = [[t.text(c.name, head=True), t.amount(c.amount, money.thousands(c.amount)),
             t.number(money.rate(c.amount, b.total)), t.number(c.projects)] for c in b.categories]
    return Table(id, f"{b.basis.label} 통계목별 금액 (사업 {len(b.projects)}개)",
                 [Column("통계목"), Column("금액", num=True), Column("비중", num=True), Column("사업 수", num=True)], rows,
                 foot=[[t.text("계", head=True), t.amount(b.total, money.thousands(b.total)), t.number("100.0%"),
                        t.number(len(b.projects))]], unit="천원", label=f"{b.basis.label} 통계목 표")


def breakdown_note(b: Breakdown) -> str:
    """How much of the document's projects the breakdown covers."""
    all_ = b.composition
    covered = (f"이 자료가 통계목 내역을 적은 사업은 {all_.basis.stage} 금액이 있는 사업 {len(all_.items)}개 가운데 "
               f"{len(b.projects)}개이고, 그 사업들의 금액 {_with(all_.in_words(b.covered), '은')} 사업 금액 합 "
               f"{all_.in_words(all_.total)}의 {all_.share(b.covered)}입니다.")
    missing = f" 금액이 이 자료에 없는 사업: {', '.join(p.name for p in b.missing)}." if b.missing else ""
    return ("일부 사업만: " if b.partial else "") + covered + missing


def composition_page(site: Site, page: Page, year: int) -> Page:
    projects = list(site.projects.values())
    main = section(site, page, year, projects, f"composition-{year}")
    bds = breakdowns(projects, year)
    bd = [{"basis": b.basis, "table": breakdown_table(b, f"by-category-{k}"), "note": breakdown_note(b),
           "partial": b.partial} for k, b in enumerate(bds, 1)]
    page.title = f"{year}년 예산 구성"
    page.crumbs = [("처음", "index.html"), ("예산 구성", INDEX), (f"{year}년", None)]
    page.description = main["sentence"] if main else page.title
    page.charts = charted(*(main["pairs"] if main else []))
    page.context = {"composition": main, "breakdowns": bd, "year": year}
    page.tables = [x for x in ([main["table"]] if main else []) + [b["table"] for b in bd] if x]
    page.meta = citation_meta(site, page)
    return page


def composition_index(site: Site, page: Page) -> Page:
    """composition/index.html: the latest year's page repeated (its canonical is that page)."""
    latest = composition_years(site)[-1][0]
    made = composition_page(site, page, latest)
    made.crumbs = [("처음", "index.html"), ("예산 구성", None)]
    return made


def department_section(site: Site, page: Page, d: Department) -> dict[str, Any] | None:
    """The department's projects in the latest year some document gives their figures for."""
    for y in reversed(years(d.projects)):
        if _covers(d.projects, y, d) >= MIN_DEPARTMENT_PROJECTS:
            return section(site, page, y, d.projects, f"dept-{d.id}-composition", d)
    return None
