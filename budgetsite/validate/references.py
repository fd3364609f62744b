"""The second layer: identities and references (ids, departments, sources, successions, duplicates),
each file checked against the rest, again only when it or what it depends on changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..load import Content, Document
from ..memory import Memory
from ..problems import Problem
from .catalog import check_catalog
from .fields import check_markdown, check_values, source_refs
from .schema import checked_once
from .sources import check_edition, check_source_ref, check_source_text, source_texts


def check_references(content: Content, sources_dir: Path, broken: frozenset = frozenset(),
                     memory: Memory | None = None) -> list[Problem]:
    """broken: ids of files that failed their schema; a reference to one is
    not reported again as unknown. memory: kept between builds (serve)."""
    problems: list[Problem] = []
    site, sources = content.one("site"), content.one("sources")
    assert site is not None and sources is not None  # validate() checks only content that has both
    departments, projects = content.of_kind("department"), content.of_kind("project")

    seen: dict[str, Document] = {}
    for i, s in enumerate(sources.data["sources"]):
        if s["id"] in seen:
            problems.append(sources.problem(("sources", i, "id"), f"자료 id '{s['id']}'가 중복됩니다"))
        seen[s["id"]] = sources
    texts, unreadable = source_texts(sources, sources_dir)
    problems += unreadable
    for i, s in enumerate(sources.data["sources"]):
        if s.get("sections") or s.get("printed"):
            problems += check_source_text(sources, i, s, texts[s["id"]])
    problems += check_edition(site, sources.data["sources"])
    problems += check_catalog(site)
    lines = {sid: None if text is None else len(text) for sid, text in texts.items()}

    dept_ids = {doc.data["id"] for doc in departments}
    project_ids: dict[str, Document] = {}
    duplicate_ids = []
    for doc in projects:
        pid = doc.data["id"]
        if pid in project_ids or pid in dept_ids:
            duplicate_ids.append(doc.problem(("id",), f"id '{pid}'가 중복됩니다"))
        project_ids[pid] = doc
    # What each file's checks against the others depend on: while it is the
    # same, a file unchanged since the last check has the same problems.
    world = _World(tuple(sorted(lines.items())), frozenset(dept_ids | broken), frozenset(project_ids.keys() | broken))
    number = _world_number(world, (memory or Memory()).worlds)
    found = [f for doc in content.documents if (f := _against_the_rest(doc, world, number, lines))]

    def phase(name: str) -> list[Problem]:
        return [p for f in found for p in f.get(name, ())]

    problems += phase("id") + duplicate_ids + phase("lines") + phase("links") + _successions(project_ids)
    programs = content.one("programs")
    if programs:
        goals = {g["name"] for g in programs.data["goals"]}
        for i, u in enumerate(programs.data["units"]):
            if u.get("goal") is not None and u["goal"] not in goals:
                problems.append(programs.problem(("units", i, "goal"), f"goals에 없는 전략목표 '{u['goal']}'입니다"))
            for j, pid in enumerate(u.get("projects", [])):
                if pid not in project_ids and pid not in broken:
                    problems.append(programs.problem(("units", i, "projects", j), f"없는 사업 '{pid}'입니다"))
            if u.get("department") is not None and u["department"] not in dept_ids | broken:
                problems.append(programs.problem(("units", i, "department"), f"없는 부서 '{u['department']}'입니다"))
        problems += _duplicates(programs, "units", lambda u: u["name"], "같은 이름의 단위사업이 이미 있습니다")
        problems += _duplicates(programs, "goals", lambda g: g["name"], "같은 이름의 전략목표가 이미 있습니다")
        for kind in ("goals", "units"):
            for i, _g in enumerate(programs.data[kind]):
                problems += _duplicates(programs, (kind, i, "totals"), total_key,
                                        "같은 연도·단계·자료·회계의 합계가 이미 있습니다")
    revenue = content.one("revenue")
    if revenue:
        problems += _duplicates(revenue, "items", _revenue_key, "같은 연도·단계·자료·표의 세입 항목이 이미 있습니다")
    glossary = content.one("glossary")
    if glossary:
        problems += _duplicates(glossary, "terms", lambda t: t["term"], "같은 용어가 이미 있습니다")
        # Each id is an anchor on the glossary page: two alike would link to one.
        problems += _duplicates(glossary, "terms", lambda t: t["id"], "같은 id의 용어가 이미 있습니다")
    if (words := content.one("search-aliases")) is not None:
        problems += _search_aliases(words)
    problems += phase("values") + phase("totals")
    problems += _duplicates(site, ("bureau", "totals"), total_key, "같은 연도·단계·자료·회계의 합계가 이미 있습니다")
    return problems


def _search_aliases(doc: Document) -> list[Problem]:
    """Each way of typing a word leads to one word: a variant that is the word
    itself, says nothing once spaces and signs are gone, or is given to two
    words (search would rewrite it to the first alone) is a mistake."""
    from ..search import normalise  # the same normalising the index and search.js use
    problems = _duplicates(doc, "aliases", lambda a: normalise(a["word"]), "같은 낱말이 이미 있습니다")
    first: dict[str, tuple[int, int]] = {}
    for i, a in enumerate(doc.data["aliases"]):
        if not normalise(a["word"]):
            problems.append(doc.problem(("aliases", i, "word"), "띄어쓰기와 기호를 빼면 남는 글자가 없습니다"))
        for j, v in enumerate(a["also"]):
            key, at = normalise(v), ("aliases", i, "also", j)
            if not key:
                problems.append(doc.problem(at, f"띄어쓰기와 기호를 빼면 남는 글자가 없습니다 (입력값: {v!r})"))
            elif key == normalise(a["word"]):
                problems.append(doc.problem(at, f"낱말 자신과 같습니다 (입력값: {v!r})"))
            elif key in first:
                problems.append(doc.problem(at, f"다른 이름 {v!r}가 이미 있습니다 "
                                                f"({doc.line(('aliases', first[key][0], 'also', first[key][1]))}행과 중복)"))
            else:
                first[key] = (i, j)
    return problems


def _successions(projects: dict[str, Document]) -> list[Problem]:
    """A project that says a later one carries on its work (succeeded_by) is
    named by that one (succeeds), so both pages tell the same link."""
    problems = []
    for pid, doc in projects.items():
        for i, h in enumerate(doc.data.get("history", [])):
            if h["event"] != "succeeded_by":
                continue
            later = projects.get(h.get("project") or "")
            if h.get("project") is None:
                problems.append(doc.problem(("history", i), "succeeded_by에는 뒤를 이은 사업(project)을 적어야 합니다"))
            elif later is not None and not any(g["event"] == "succeeds" and g.get("project") == pid
                                               for g in later.data.get("history", [])):
                problems.append(doc.problem(("history", i, "project"),
                                            f"사업 '{h['project']}'의 history에 이 사업을 가리키는 succeeds가 없습니다"))
    return problems


@dataclass(frozen=True)
class _World:
    """What a file is checked against: the source texts' lengths, and the
    department and project ids a reference may name."""
    lines: tuple
    departments: frozenset
    projects: frozenset


def _world_number(world: _World, worlds: list) -> int:
    """worlds (Memory.worlds): the last world and its number: equal worlds, one number."""
    if worlds[0] != world:
        worlds[0], worlds[1] = world, worlds[1] + 1
    return worlds[1]


def _against_the_rest(doc: Document, world: _World, number: int, lines: dict) -> dict[str, list[Problem]]:
    """A file's problems that need the other files, by kind of check (the
    report lists them kind by kind); kept with the file while the world it
    was checked against is the same: a serve rebuild checked every file
    again."""
    held = doc.checked.get("against the rest")
    if held is not None and held[0] == number:
        return held[1]
    found: dict[str, list[Problem]] = {}
    if doc.kind in ("department", "project") and doc.data["id"] != doc.path.stem:
        found["id"] = [doc.problem(("id",), f"id '{doc.data['id']}'는 파일 이름 '{doc.path.stem}'과 같아야 합니다")]
    from ..render.pages_of import TAKEN_ID  # projects/page-2/ is the project index's second page
    if doc.kind == "project" and TAKEN_ID.fullmatch(str(doc.data["id"])):
        found.setdefault("id", []).append(doc.problem(
            ("id",), f"id '{doc.data['id']}'는 사업 목록의 쪽 주소(projects/{doc.data['id']}/)와 겹칩니다. 다른 id를 쓰세요"))
    # Kept apart, by the texts' lengths alone: a new project changes the ids, not these.
    held = doc.checked.get("source lines")
    if held is None or held[0] != world.lines:
        held = doc.checked["source lines"] = (world.lines, [
            p for path, ref in checked_once(doc, source_refs) for p in check_source_ref(doc, path, ref, lines)])
    in_lines = list(held[1])
    base = ("bureau",) if doc.kind == "site" else ()
    for i, d in enumerate((doc.data.get("bureau", doc.data) if doc.kind == "site" else doc.data).get("discrepancies", []) or []):
        if d["doc"] not in lines:
            in_lines.append(doc.problem(base + ("discrepancies", i, "doc"), f"sources.yaml에 없는 자료 '{d['doc']}'입니다"))
    links = []
    if doc.kind == "department":
        for i, ev in enumerate(doc.data.get("lineage", [])):
            other = ev.get("department")
            if other is not None and other not in world.departments:
                links.append(doc.problem(("lineage", i, "department"), f"없는 부서 '{other}'입니다"))
    elif doc.kind == "project":
        links += checked_once(doc, _project_on_its_own)
        for i, d in enumerate(doc.data["departments"]):
            if d["department"] not in world.departments:
                links.append(doc.problem(("departments", i, "department"), f"없는 부서 '{d['department']}'입니다"))
            for j, name in enumerate(d.get("documents", [])):
                if name not in lines:
                    links.append(doc.problem(("departments", i, "documents", j), f"sources.yaml에 없는 자료 '{name}'입니다"))
        for i, n in enumerate(doc.data.get("former_names", [])):
            for j, name in enumerate(n.get("documents", [])):
                if name not in lines:
                    links.append(doc.problem(("former_names", i, "documents", j), f"sources.yaml에 없는 자료 '{name}'입니다"))
        for i, h in enumerate(doc.data.get("history", [])):
            if h.get("project") is not None and h["project"] not in world.projects:
                links.append(doc.problem(("history", i, "project"), f"없는 사업 '{h['project']}'입니다"))
            if h.get("department") is not None and h["department"] not in world.departments:
                links.append(doc.problem(("history", i, "department"), f"없는 부서 '{h['department']}'입니다"))
    values = checked_once(doc, check_values) + checked_once(doc, check_markdown)
    totals = (_duplicates(doc, "totals", total_key, "같은 연도·단계·자료·회계의 합계가 이미 있습니다")
              if doc.kind == "department" else [])
    for name, these in (("lines", in_lines), ("links", links), ("values", values), ("totals", totals)):
        if these:
            found[name] = these
    doc.checked["against the rest"] = (number, found)
    return found


def total_key(t: dict) -> tuple:
    """What makes a printed total unique: a document may print one department
    twice, with and without 기본경비 (scope) or in two tables that disagree."""
    return (t["year"], t["stage"], t["source"]["doc"], t.get("account"), t.get("scope", "전체"), t.get("table"))


def _project_on_its_own(doc: Document) -> list[Problem]:
    """What check_references finds in a project file without looking at any
    other: done once per file as loaded (serve)."""
    problems = []
    years: dict[int, int] = {}
    placed: dict[tuple[int, str], int] = {}
    for i, d in enumerate(doc.data["departments"]):
        if "documents" in d:  # the documents that place the year under another department
            for name in d["documents"]:
                if (d["year"], name) in placed:
                    problems.append(doc.problem(("departments", i, "documents"),
                                                f"{d['year']}년 {name} 자료의 부서가 두 번 적혀 있습니다"))
                placed[(d["year"], name)] = i
            continue
        if d["year"] in years:
            problems.append(doc.problem(("departments", i, "year"), f"{d['year']}년 담당 부서가 두 번 적혀 있습니다"))
        years[d["year"]] = i
    for i, f in enumerate(doc.data["figures"]):
        if f["year"] not in years and (f["year"], f["source"]["doc"]) not in placed:
            problems.append(doc.problem(("figures", i, "year"), f"{f['year']}년 담당 부서가 departments에 없습니다"))
    problems += _duplicates(doc, "figures", lambda f: (f["year"], f["stage"], f["source"]["doc"], f.get("table")),
                            "같은 연도·단계·자료의 금액이 이미 있습니다")
    problems += _duplicates(doc, "breakdown", lambda b: (b["year"], b["stage"], b["source"]["doc"]),
                            "같은 연도·단계·자료의 통계목 내역이 이미 있습니다")
    for i, h in enumerate(doc.data.get("history", [])):
        if h.get("project") == doc.data["id"]:
            problems.append(doc.problem(("history", i, "project"), "자기 자신을 가리킵니다"))
    keys = {(f["year"], f["stage"], f["source"]["doc"]) for f in doc.data["figures"]}
    for i, b in enumerate(doc.data.get("breakdown", [])):
        if (b["year"], b["stage"], b["source"]["doc"]) not in keys:
            problems.append(doc.problem(("breakdown", i), f"같은 자료의 {b['year']}년 {b['stage']} 금액이 figures에 없습니다"))
    for i, d in enumerate(doc.data.get("discrepancies", [])):
        if (d["year"], d["stage"], d["doc"]) not in keys:
            problems.append(doc.problem(("discrepancies", i),
                                        f"같은 자료의 {d['year']}년 {d['stage']} 금액이 figures에 없습니다"))
    return problems


def _revenue_key(r: dict) -> tuple:
    return (r["year"], r["stage"], r["source"]["doc"], r.get("account"), r.get("table"), r.get("parent"), r["item"])


def discrepancy_key(d: dict) -> tuple:
    return (d["year"], d["stage"], d["doc"], d.get("account"), d.get("scope", "전체"), d.get("table"))


def _items(doc: Document, key) -> tuple[tuple, list]:
    path = key if isinstance(key, tuple) else (key,)
    data = doc.data
    for k in path:
        data = (data[k] if isinstance(k, int) else (data or {}).get(k)) or {}
    return path, data or []


def _duplicates(doc: Document, key, identity, message: str) -> list[Problem]:
    path, items = _items(doc, key)
    first: dict = {}
    problems = []
    for i, item in enumerate(items):
        k = identity(item)
        if k in first:
            problems.append(doc.problem(path + (i,), f"{message} ({doc.line(path + (first[k],))}행과 중복)"))
        else:
            first[k] = i
    return problems
