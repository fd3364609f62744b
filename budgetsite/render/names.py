"""The 찾아보기 page (search/index.html): every department and project by
the initial consonant of its name (ㄱㄴㄷ), with former names pointing to
the present one, readable without JavaScript; with JavaScript it also lists
every result of a search (「모든 결과」, search.js reads ?q=).
"""
from __future__ import annotations

from ..model import Site
from ..search import CHOSEONG, normalise
from .page import Page

PATH = "search/index.html"
# The index merges the doubled consonants into their plain ones, as dictionaries do.
_PLAIN = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
GROUPS = [c for c in CHOSEONG if c not in _PLAIN]
OTHER = "숫자·로마자"


def initial_of(name: str) -> str:
    """The group a name is filed under: its first syllable's initial
    consonant (ㄲ under ㄱ), or OTHER for a name that starts with a digit or a
    Latin letter ("3D기반 …"). Brackets and spaces are passed over: 「(구)업무관리」 is under ㄱ."""
    first = normalise(name)[:1]
    if first and 0xAC00 <= ord(first) <= 0xD7A3:
        c = CHOSEONG[(ord(first) - 0xAC00) // 588]
        return _PLAIN.get(c, c)
    return OTHER


def name_groups(site: Site) -> list[dict]:
    """[{initial, id, items: [{name, path, kind, note}]}], in ㄱㄴㄷ order, the
    groups with no name left out. A former name is an item of its own whose
    note names the present one, linking to the same page."""
    items = []
    for d in site.departments.values():
        items.append({"name": d.name, "path": d.path, "kind": "부서", "note": "지금은 없는 부서" if d.abolished else ""})
        items += [{"name": n.name, "path": d.path, "kind": "부서", "note": f"예전 이름 → {d.name}"}
                  for n in d.names if n.name != d.name]
    for p in site.projects.values():
        items.append({"name": p.name, "path": p.path, "kind": "사업", "note": p.department.name})
        items += [{"name": n["name"], "path": p.path, "kind": "사업", "note": f"예전 이름 → {p.name}"}
                  for n in p.former_names if normalise(n["name"]) != normalise(p.name)]
    by_initial: dict[str, list[dict]] = {}
    for item in sorted(items, key=lambda i: (normalise(i["name"]), i["kind"], i["note"], i["path"])):
        by_initial.setdefault(initial_of(item["name"]), []).append(item)
    order = GROUPS + [OTHER]
    return [{"initial": g, "id": f"initial-{order.index(g) + 1}", "items": by_initial[g]}
            for g in order if g in by_initial]


def search_page(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "찾아보기", [("처음", "index.html"), ("찾아보기", None)]
    page.description = "부서와 사업을 이름의 첫 자음(ㄱㄴㄷ) 순으로 모두 보여 주고, 검색의 모든 결과를 보여 주는 쪽입니다."
    groups = name_groups(site)
    page.context = {"groups": groups, "count": sum(len(g["items"]) for g in groups)}
    return page
