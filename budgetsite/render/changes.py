"""The change list of each edition (changes/<date>/) and the list of editions
(changes/, 변경 이력): values and tables ready for the template, made from
editions.history.
"""
from __future__ import annotations

from .. import money
from .. import tables as t
from ..data import STAGE_CODES
from ..editions import Changes, FigureChange, PlaceChange, Row, change_path, history
from ..model import Site
from ..tables import Column, Table
from .page import Page

STAGE_NAMES = {code: name for name, code in STAGE_CODES.items()}
KIND_WORDS = {"added": "새로", "renamed": "이름 바뀜", "moved": "부서 옮김", "ended": "빠짐"}
INDEX = "changes/index.html"


def edition_keys(site: Site) -> list[tuple]:
    return [(c.edition.date,) for c in history(site)]


def _whose(site: Site, r: Row) -> t.Cell:
    """The figure's owner, linked to its page when the site still has one."""
    if "item" in r:
        return t.text(f"세입: {r['item']}" + (f" ({r['account']})" if r["account"] else ""), head=True)
    if (p := r["project_id"]):
        name = r["project_name"]
        return t.to(f"projects/{p}/index.html", name, head=True) if p in site.projects else t.text(name, head=True)
    if (d := r["department_id"]):
        name = f"{r['department_name']} 합계"
        return t.to(f"departments/{d}/index.html", name, head=True) if d in site.departments else t.text(name, head=True)
    return t.text(f"{r['department_name']} 전체", head=True)


def _source(site: Site, r: Row | None) -> str:
    if r is None:
        return ""
    doc = site.sources.get(r["source_id"])
    return f"{doc.short if doc else r['source_id']} {int(r['source_line']):,}행"


def _when(r: Row) -> str:
    stage = STAGE_NAMES.get(r["stage"], r["stage"])
    return f"{r['fiscal_year']}년 {stage}" + (f" ({r['as_of']} 기준)" if r["as_of"] else "")


def _amount(r: Row | None) -> t.Cell:
    if r is None:
        return t.amount(None, "")
    return t.amount(int(r["amount_thousand_krw"]), money.thousands(int(r["amount_thousand_krw"])))


def _note(c: FigureChange) -> str:
    if c.old and c.new and c.old["note"] != c.new["note"]:
        return f"{c.old['note'] or '(없음)'} → {c.new['note'] or '(없음)'}"
    return c.row["note"]


def _figures_table(site: Site, id_: str, caption: str, changes: list[FigureChange]) -> Table:
    columns = [Column("사업·부서·항목"), Column("연도·단계"), Column("앞 판", num=True, file_label="앞 판 (천원)"),
               Column("이번 판", num=True, file_label="이번 판 (천원)"), Column("출처 (앞 판 → 이번 판)"),
               Column("바뀐 것"), Column("덧붙임")]
    rows = []
    for c in changes:
        old, new = _source(site, c.old), _source(site, c.new)
        rows.append([_whose(site, c.row), t.text(_when(c.row)), _amount(c.old), _amount(c.new),
                     t.text(old if old == new or not new else f"{old} → {new}" if old else new),
                     t.text(", ".join(c.fields)), t.text(_note(c))])
    return Table(id_, caption, columns, rows, unit="천원", unit_of="금액 단위")


def _place_href(site: Site, place: str) -> str | None:
    kind, _, id_ = place.partition(":")
    if kind == "project":
        return f"projects/{id_}/index.html" if id_ in site.projects else None
    if kind == "department":
        return f"departments/{id_}/index.html" if id_ in site.departments else None
    return {"bureau": "index.html", "revenue": "revenue/index.html", "program": "programs/index.html"}.get(kind)


def _difference(text: str) -> t.Cell:
    number = text.lstrip("'")  # the CSV's guard before a leading minus (tables.safe_text)
    if not number.lstrip("-").isdigit():
        return t.amount(None, "")
    return t.amount(int(number), money.signed(int(number)))


def _discrepancies_table(site: Site, changes: list[FigureChange]) -> Table:
    rows = []
    for c in changes:
        r = c.row
        href = _place_href(site, r["place"])
        doc = site.sources.get(r["source_id"])
        where = " · ".join(x for x in (doc.short if doc else r["source_id"], r["table"], r["other_table"]) if x)
        rows.append([t.to(href, r["place_name"], head=True) if href else t.text(r["place_name"], head=True),
                     t.text(f"{r['fiscal_year']}년 {r['stage']}"), t.text(where), t.text(r["kind"] or "(종류 없음)"),
                     _difference(r["difference"]), t.text("새로 기록" if c.kind == "added" else "풀림(기록에서 빠짐)")])
    return Table("discrepancy-changes", "자료 간 차이의 변화",
                 [Column("곳"), Column("연도·단계"), Column("자료·표"), Column("종류"),
                  Column("차이", num=True, file_label="차이 (천원)"), Column("바뀐 것")],
                 rows, unit="천원", unit_of="금액 단위")


def _places_table(id_: str, caption: str, places: list[PlaceChange], path: str) -> Table:
    rows = [[t.to(path.format(p.id), p.name, head=True) if p.kind != "ended" else t.text(p.name, head=True),
             t.text(p.id), t.text(KIND_WORDS[p.kind]), t.text(p.detail)] for p in places]
    return Table(id_, caption, [Column("이름"), Column("id"), Column("바뀐 것"), Column("전에는")], rows)


def change_page(site: Site, page: Page, date: str) -> Page:
    ch = next(c for c in history(site) if c.edition.date == date)
    page.title = f"{date} 판에서 바뀐 것"
    page.crumbs = [("처음", "index.html"), ("변경 이력", INDEX), (f"{date} 판", None)]
    page.description = f"{site.title}의 {date} 판({ch.edition.label})에서 바뀐 금액·사업·부서: {ch.summary}"
    groups = [("changed-figures", "바뀐 금액", [f for f in ch.figures if f.kind == "changed"]),
              ("added-figures", "새로 넣은 금액", [f for f in ch.figures if f.kind == "added"]),
              ("removed-figures", "뺀 금액", [f for f in ch.figures if f.kind == "removed"])]
    figure_tables = [(_figures_table(site, id_, caption, fs), len(fs)) for id_, caption, fs in groups if fs]
    place_tables = [_places_table(id_, caption, places, path) for id_, caption, places, path in (
        ("project-changes", "사업의 변화", ch.projects, "projects/{}/index.html"),
        ("department-changes", "부서의 변화", ch.departments, "departments/{}/index.html")) if places]
    if ch.discrepancies:
        place_tables.append(_discrepancies_table(site, ch.discrepancies))
    page.tables = [tb for tb, _ in figure_tables] + place_tables
    page.context = {"changes": ch, "figure_tables": figure_tables, "place_tables": place_tables,
                    "previous_path": change_path(ch.previous.date) if ch.previous else None}
    return page


def changes_index(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "변경 이력", [("처음", "index.html"), ("변경 이력", None)]
    done: list[Changes] = list(reversed(history(site)))
    table = Table("editions", "판마다 바뀐 것", [Column("판"), Column("내용"), Column("바뀐 것")],
                  [[t.to(c.path, f"{c.edition.date} 판", head=True), t.text(c.edition.label), t.text(c.summary)]
                   for c in done])
    page.tables = [table] if done else []  # no edition named yet (site.yaml without one): no empty table
    page.context = {"editions": done, "editions_table": table}
    return page
