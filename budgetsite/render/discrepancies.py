"""The register of recorded differences between the sources, and a page for each kind.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser

from markupsafe import Markup

from .. import data
from .. import tables as t
from ..model import (
    DISCREPANCY_KIND,
    DISCREPANCY_KINDS,
    Bureau,
    Department,
    Program,
    Project,
    Revenue,
    Site,
)
from ..tables import Column, Table
from .page import Page


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


def program_place(site: Site, prog) -> str:
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
    places += [(program_place(site, prog), "programs/index.html", prog.discrepancies,
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


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@cache
def html_words(markup: str) -> str:
    """The words of an explanation's HTML (markdown_html): its text, a <br> a
    space. Nothing in it is hidden: nh3 keeps no class or aria attribute."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return t.words("".join(parser.parts))


def discrepancy_table(rows: list[dict], caption: str) -> Table:
    """The register's entries as one table."""
    return Table("discrepancies", caption, [Column("어디"), Column("종류"), Column("연도·단계"), Column("자료"),
                                            Column("차이", num=True), Column("설명")],
                 [[t.to(r["href"], r["where"], head=True), t.text(r["kind"]),
                   t.lines(f"{r['year']}년 {r['stage']}", [r["detail"], r.get("item")]), t.source_name(r["source"]),
                   t.amount(r["difference"], r["difference_text"] or ""),
                   t.html(Markup(r["explanation_html"]), html_words(r["explanation_html"]))] for r in rows],
                 unit="천원", label="자료 간 차이 목록", classes="discrepancy-table")


def discrepancies_page(site: Site, page: Page) -> Page:
    """Every recorded difference on one page: first how many of each kind,
    the real errors first; then a section for each kind, in it a folded group
    for each place, in it a card for each difference, linked to the place's
    page; the same rows as one table too."""
    kinds = _discrepancy_kinds(discrepancy_cards(site))
    page.title, page.crumbs = "자료 간 차이", [("처음", "index.html"), ("자료 간 차이", None)]
    rows = [c for k in kinds for c in k["cards"]]
    page.context = {"kinds": kinds, "current": None, "sections": [k for k in kinds if k["count"]],
                    "rows": rows, "errors": sum(k["count"] for k in kinds if k["kind"].error),
                    "discrepancy_table": discrepancy_table(rows, "자료 간 차이")}
    page.tables = [page.context["discrepancy_table"]] if rows else []
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
                    "errors": sum(k["count"] for k in kinds if k["kind"].error),
                    "discrepancy_table": discrepancy_table(current["cards"], f"자료 간 차이: {kind.name}")}
    page.tables = [page.context["discrepancy_table"]] if current["cards"] else []
    return page
