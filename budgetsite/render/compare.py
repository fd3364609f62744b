"""The year comparisons: a page for each year with the next and with the latest, and the index.
"""
from __future__ import annotations

import posixpath

from .. import tables as t
from ..model import Site
from ..tables import Column, Table
from . import limits
from .cells import ProjectComparison, change_rows
from .page import Page
from .table_kinds import change_cells, change_columns

# A long comparison's every row, as its table's CSV would be, beside the page (compare_page).
CHANGES_CSV = "changes.csv"


def compare_pairs(site: Site) -> tuple[list[int], list[tuple[int, int]]]:
    """The fiscal years with a project figure, and the pairs that get a page:
    each year with the next and with the latest, earlier first (the latest
    consecutive pair last). Every pair would grow with the square of the
    years: 111 years made 6,105 pages, each linking every one (issue 23)."""
    if site._pairs is None:
        years = [y for y in site.years if any(p.figures.representative(y) for p in site.projects.values())]
        site._pairs = years, sorted({*zip(years, years[1:]), *((a, years[-1]) for a in years[:-1])})
    return site._pairs


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
    rows = sorted(change_rows(site, a, b), key=lambda r: (r.project.department.name, r.project.name))
    title = f"{a}년과 {b}년 비교"
    page.title, page.crumbs = title, [("처음", "index.html"), ("연도 비교", "compare/index.html"), (title, None)]
    table = _compare_table("compare", f"{a}년과 {b}년 사업별 예산", rows, a, b, label=f"{a}년과 {b}년 사업별 비교 표")
    page.context = {"a": a, "b": b, "compare_table": table, "counts": pair_counts(site, a, b), "summary": None,
                    **_pair_links(site, years, around=a, current=(a, b))}
    page.tables = [table]
    if len(rows) > limits.COMPARE_FULL_UP_TO:
        # Too many rows for one page (issue 28 §3): the largest changes each way,
        # and every row in a CSV beside the page, the same bytes as the table's own CSV.
        csv_path = posixpath.join(posixpath.dirname(compare_path(a, b)), CHANGES_CSV)
        page.files[csv_path] = t.csv_bytes(table)
        summary = largest_changes(rows, limits.COMPARE_SHOWN_EACH_WAY)
        page.tables = [_compare_table(f"compare-{g['id']}", f"{g['title']} ({a}→{b})", g["rows"], a, b,
                                      label=f"{g['title']} 표", links_caption=g["title"])
                       for g in summary if g["rows"]]
        page.context.update(compare_table=None, summary={
            "total": len(rows), "csv": csv_path, "csv_kb": max(1, round(len(page.files[csv_path]) / 1024)),
            "tables": page.tables,
            "shown": {g["id"]: len(g["rows"]) for g in summary}})
    return page


def _compare_table(id: str, caption: str, rows: list[ProjectComparison], a: int, b: int, **kw) -> Table:
    """Each project's two years with its 신규·종료 mark and department, sortable."""
    return Table(id, caption,
                 [Column("사업", sort="text", sort_key="project"), Column("신규·종료", sort="text", sort_key="status"),
                  Column("부서", sort="text", sort_key="department"),
                  *change_columns(a, b, sortable=True)],
                 [[t.link(r.project, head=True), t.badge(r.mark, r.mark_class or "") if r.mark else t.text(""),
                   t.text(r.dept.name), *change_cells(r)] for r in rows],
                 unit="백만원", classes="sortable", **kw)


def largest_changes(rows: list[ProjectComparison], n: int) -> list[dict]:
    """The n largest increases and the n largest decreases (in 백만원, the
    shown change; 순증 and 순감 by their whole amount, as the home page
    orders them), largest first, a tie by the project's name and id."""
    def largest_first(r: ProjectComparison) -> tuple:
        return -abs(r.delta or 0), r.project.name, r.project.id

    increases = sorted((r for r in rows if (r.delta or 0) > 0), key=largest_first)[:n]
    decreases = sorted((r for r in rows if (r.delta or 0) < 0), key=largest_first)[:n]
    return [{"id": "increases", "title": "가장 많이 늘어난 사업", "rows": increases},
            {"id": "decreases", "title": "가장 많이 줄어든 사업", "rows": decreases}]


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

def latest_pair(site: Site) -> tuple[int, int] | None:
    """The two latest years with project figures: the pair the home page's
    largest changes and the compare index show."""
    _, pairs = compare_pairs(site)
    return pairs[-1] if pairs else None
