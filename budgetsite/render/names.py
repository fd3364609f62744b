"""The 찾아보기 page (search/index.html): every department and project by
the initial consonant of its name (ㄱㄴㄷ), with former names pointing to
the present one, readable without JavaScript; with JavaScript it also lists
every result of a search (「모든 결과」, search.js reads ?q=). With more
names than limits.NAMES_ON_ONE_PAGE, each initial has a page of its own
(search/names/<initial>/index.html, a longer one in parts), and the 찾아보기
page keeps the search and the row of initials, each linking to its page.
"""
from __future__ import annotations

from ..model import Site
from ..search import CHOSEONG, normalise
from . import limits
from .page import Page

PATH = "search/index.html"
# The index merges the doubled consonants into their plain ones, as dictionaries do.
_PLAIN = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
GROUPS = [c for c in CHOSEONG if c not in _PLAIN]
OTHER = "숫자·로마자"
# Each initial's folder under search/names/: the letter's name, as an address reads best in ASCII.
SLUGS = dict(zip([*GROUPS, OTHER], ["giyeok", "nieun", "digeut", "rieul", "mieum", "bieup", "siot", "ieung", "jieut",
                                    "chieut", "kieuk", "tieut", "pieup", "hieut", "others"]))


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


def names_path(slug: str, part: int = 1) -> str:
    """The page of an initial's names (its part-th, when it has more than one)."""
    return f"search/names/{slug}/index.html" if part == 1 else f"search/names/{slug}/{part}/index.html"


def _split(items: list, most: int) -> list[list]:
    """items in as few parts of at most most as may be, the parts as even as may be."""
    n = -(-len(items) // most)
    size, extra = divmod(len(items), n)
    parts, at = [], 0
    for i in range(n):
        parts.append(items[at:at + size + (i < extra)])
        at += size + (i < extra)
    return parts


def name_pages(site: Site, groups: list[dict] | None = None) -> list[dict]:
    """The pages of the ㄱㄴㄷ index when it is split (more names than
    limits.NAMES_ON_ONE_PAGE), else none: an initial's names on a page of
    their own, in parts of at most that many names.
    [{initial, slug, part, parts, path, items}], in ㄱㄴㄷ order."""
    groups = name_groups(site) if groups is None else groups
    if sum(len(g["items"]) for g in groups) <= limits.NAMES_ON_ONE_PAGE:
        return []
    pages = []
    for g in groups:
        parts = _split(g["items"], limits.NAMES_ON_ONE_PAGE)
        pages += [{"initial": g["initial"], "slug": SLUGS[g["initial"]], "part": i, "parts": len(parts),
                   "path": names_path(SLUGS[g["initial"]], i), "items": items}
                  for i, items in enumerate(parts, 1)]
    return pages


def names_keys(site: Site) -> list[tuple[str, int]]:
    """The keys of the name pages (registry.py): (initial's slug, part)."""
    return [(p["slug"], p["part"]) for p in name_pages(site)]


def _initials(groups: list[dict], current: str | None = None, part: int = 1) -> list[dict]:
    """The row of initials of a split index, each linking to its first page;
    current: the initial of the page it is on (aria-current)."""
    return [{"initial": g["initial"], "path": names_path(SLUGS[g["initial"]]), "count": len(g["items"]),
             "current": ("page" if part == 1 else "true") if g["initial"] == current else ""} for g in groups]


def search_page(site: Site, page: Page) -> Page:
    page.title, page.crumbs = "찾아보기", [("처음", "index.html"), ("찾아보기", None)]
    page.description = "부서와 사업을 이름의 첫 자음(ㄱㄴㄷ) 순으로 모두 보여 주고, 검색의 모든 결과를 보여 주는 쪽입니다."
    groups = name_groups(site)
    count = sum(len(g["items"]) for g in groups)
    if count > limits.NAMES_ON_ONE_PAGE:
        page.context = {"groups": [], "count": count, "initials": _initials(groups)}
    else:
        page.context = {"groups": groups, "count": count, "initials": None}
    return page


def names_page(site: Site, page: Page, slug: str, part: int) -> Page:
    """One initial's names (its part-th page), when the index is split."""
    groups = name_groups(site)
    pages = name_pages(site, groups)
    this = next(p for p in pages if (p["slug"], p["part"]) == (slug, part))
    siblings = [p for p in pages if p["slug"] == slug]
    title = f"찾아보기: {this['initial']}" + (f" ({part}/{this['parts']})" if this["parts"] > 1 else "")
    page.title = title
    page.crumbs = [("처음", "index.html"), ("찾아보기", PATH), (title, None)]
    page.context = {
        "initial": this["initial"], "items": this["items"], "part": part, "title": title,
        "count": sum(len(p["items"]) for p in siblings), "total": sum(len(g["items"]) for g in groups),
        "starts": "숫자나 로마자로 시작하는" if this["initial"] == OTHER else f"첫 자음이 {this['initial']}인",
        "initials": _initials(groups, this["initial"], part),
        "parts": [{"part": p["part"], "path": p["path"], "first": p["items"][0]["name"],
                   "last": p["items"][-1]["name"], "current": p["part"] == part} for p in siblings]
        if this["parts"] > 1 else [],
    }
    page.description = f"{page.context['starts']} 부서와 사업을 모두 보여 주는 쪽입니다."
    return page
