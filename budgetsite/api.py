"""The static JSON API (api/v1/): an index of every department, project,
document and fiscal year with their addresses, and for each project and
department a file with every figure, its names by period and its lineage;
and the page that documents them (api/index.html).

The responses are plain dicts made from the model, with what data.py
already decides (stage codes, a figure's note, the bureau's name in a year)
taken from there, so the API and budget.csv say the same. schemas/api/
holds a JSON Schema for each kind of response; the page's tables of fields
are read from those schemas, so the page and the schemas cannot disagree.

Addresses come from ids alone, and ids are the content's file names, which
never change: a consumer's links hold from one edition to the next. Each
project's and department's file is written with its page
(registry.PageKind.files), so the incremental build makes it again exactly
when it makes the page; the index and the schemas with the page that
documents them.
"""
from __future__ import annotations

import json
from typing import Any

from . import data
from . import tables as t
from .model import HISTORY_LABELS, STAGE_HELP, STAGES, Department, Figure, NamePeriod, Project, Site, SourceRef
from .render import LINEAGE_LABELS, Page, compare_pairs, compare_path
from .tables import Column, Table
from .validate import SCHEMA_DIR

VERSION = "v1"
ROOT = f"api/{VERSION}"
INDEX = f"{ROOT}/index.json"
DOC_PAGE = "api/index.html"
SCHEMAS = SCHEMA_DIR / "api"  # published as api/v1/schemas/, beside the responses they describe
KINDS = ("index", "project", "department", "defs")

# A project's history events naming the project whose work it took over
# (before), or that took over its work (after).
PROJECT_BEFORE = ("succeeds", "merged_from", "split_from")
PROJECT_AFTER = ("succeeded_by",)


def project_path(project_id: str) -> str:
    return f"{ROOT}/projects/{project_id}.json"


def department_path(department_id: str) -> str:
    return f"{ROOT}/departments/{department_id}.json"


def schema_path(kind: str) -> str:
    return f"{ROOT}/schemas/{kind}.schema.json"


def to_json(value: Any) -> bytes:
    """UTF-8 (Hangul as itself), keys sorted: the same content gives the same
    bytes. On one line: json's C encoder writes it; an indented dump goes
    through the pure-Python one, which took longer than making the dicts."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def link(site: Site, path: str) -> dict:
    """Both ways to reach a file: from the site root (works from file:// and
    under a Pages subpath) and absolute from the base URL."""
    return {"path": path, "url": site.base_url + path}


def _source(site: Site, ref: SourceRef) -> dict:
    return {"id": ref.source.id, "file": ref.source.file, "line": ref.line, "page": ref.page,
            "section": ref.section.path if ref.section else None, "link": link(site, ref.anchor)}


def figure(site: Site, f: Figure, name_printed: str, account: str | None = None) -> dict:
    """One printed figure, as budget.csv gives it, with its source in full."""
    return {"fiscal_year": f.year, "stage": data.STAGE_CODES[f.stage], "stage_name": f.stage,
            "amount_thousand_krw": f.amount, "precision": f.precision, "as_of": f.as_of,
            "account": account or f.account, "scope": f.scope, "table": f.table, "recovered": f.recovered,
            "note": data.figure_note(f) or None, "name_printed": name_printed, "source": _source(site, f.source)}


def _name_period(site: Site, n: NamePeriod) -> dict:
    return {"name": n.name, "from": n.start, "to": n.end, "from_date": n.start_date, "to_date": n.end_date,
            "from_note": n.start_note, "to_note": n.end_note, "source": _source(site, n.source) if n.source else None}


def _project_ref(site: Site, project_id: str | None, name: str | None) -> dict:
    """Another project: by its file where it has one, else by the name a document printed."""
    other = site.projects.get(project_id or "")
    if other is None:
        return {"id": None, "name": name or project_id, "api": None, "page": None}
    return {"id": other.id, "name": other.name, "api": link(site, project_path(other.id)), "page": link(site, other.path)}


def _department_ref(site: Site, d: Department) -> dict:
    return {"id": d.id, "name": d.name, "api": link(site, department_path(d.id)), "page": link(site, d.path)}


def _project_names(p: Project) -> list[dict]:
    """Each name with the years the documents used it (Project.name_in): the former names, then the current."""
    years = sorted(set(p.figures.years) | set(p.departments))
    former = sorted(p.former_names, key=lambda n: (min(n["years"]), n["name"]))
    taken = {y for n in former for y in n["years"]}
    return [{"name": n["name"], "fiscal_years": sorted(n["years"]), "current": False,
             "documents": sorted(n["documents"]) if n.get("documents") else None} for n in former] + [
        {"name": p.name, "fiscal_years": [y for y in years if y not in taken], "current": True, "documents": None}]


def _unique(refs: list[dict]) -> list[dict]:
    return list({(r["id"], r["name"]): r for r in refs}.values())


def project(site: Site, p: Project) -> dict:
    events = sorted(p.history, key=lambda h: h["year"])
    figures = []
    for f in p.figures.all:
        d = p.department_of(f)
        figures.append({**figure(site, f, p.name_printed(f), p.account),
                        "department_id": d.id, "department_name": d.name_printed(f)})
    return {
        "api_version": VERSION, "kind": "project", "id": p.id, "name": p.name, "names": _project_names(p),
        "account": p.account, "status": p.status,
        "departments": [{"fiscal_year": y, "department_id": d.id,
                         "department_name": d.name_in_document(y, site.sources[min(docs)]) if docs else d.name_in(y),
                         "documents": sorted(docs) if docs else None,
                         "api": link(site, department_path(d.id)), "page": link(site, d.path)}
                        for y, docs, d in p.placements],
        "lineage": {
            "predecessors": _unique([_project_ref(site, h["project"], h["name"]) for h in events
                                     if h["event"] in PROJECT_BEFORE and (h["project"] or h["name"])]),
            "successors": _unique([_project_ref(site, h["project"], h["name"]) for h in events
                                   if h["event"] in PROJECT_AFTER and (h["project"] or h["name"])]),
            "events": [{"fiscal_year": h["year"], "event": h["event"], "event_name": HISTORY_LABELS[h["event"]],
                        "basis": h["basis"], "project": _project_ref(site, h["project"], h["name"]) if h["project"] else None,
                        "name": h["name"],
                        "department": _department_ref(site, site.departments[h["department"]])
                        if h["department"] in site.departments else None,
                        "explanation": h["explanation"], "source": _source(site, h["source"]) if h["source"] else None}
                       for h in events]},
        "figures": figures,
        "api": link(site, project_path(p.id)), "page": link(site, p.path), "schema": link(site, schema_path("project")),
    }


def _department_lineage(site: Site, d: Department) -> dict:
    """Before and after: what its own file says and what the others say of it
    (one side may record a transfer the other does not)."""
    others = sorted(site.departments.values(), key=lambda x: x.id)
    before = d.predecessors + [x.id for x in others if d.id in x.successors]
    after = d.successors + [x.id for x in others if d.id in x.predecessors]
    refs = {key: [_department_ref(site, site.departments[i]) for i in dict.fromkeys(ids)
                  if i in site.departments and i != d.id]
            for key, ids in (("predecessors", before), ("successors", after))}
    events = [{"event": ev["event"], "event_name": LINEAGE_LABELS[ev["event"]], "fiscal_year": ev["year"],
               "date": ev["date"], "explanation": ev["explanation"], "source": _source(site, ev["source"]),
               "department": _department_ref(site, site.departments[ev["department"]])
               if ev["department"] in site.departments else None}
              for ev in sorted(d.lineage, key=lambda ev: ev.get("date") or str(ev.get("year") or ""))]
    return {**refs, "events": events}


def department(site: Site, d: Department) -> dict:
    return {
        "api_version": VERSION, "kind": "department", "id": d.id, "name": d.name,
        "names": [_name_period(site, n) for n in d.names], "abolished": d.abolished,
        "lineage": _department_lineage(site, d),
        # What lists show of a project (its name and years), nothing of its own page: the department page is made
        # again when that changes (PageKind.lists_projects), and so is this.
        "projects": [{"id": p.id, "name": p.name, "fiscal_years": sorted({y for y, _, x in p.placements if x is d}),
                      "api": link(site, project_path(p.id)), "page": link(site, p.path)}
                     for p in sorted(d.projects, key=lambda p: p.id)],
        "figures": [figure(site, f, d.name_printed(f)) for f in d.totals.all],
        "api": link(site, department_path(d.id)), "page": link(site, d.path),
        "schema": link(site, schema_path("department")),
    }


def index(site: Site) -> dict:
    _, pairs = compare_pairs(site)
    return {
        "api_version": VERSION, "kind": "index",
        "site": {"title": site.title, "description": site.description, "base_url": site.base_url, "language": "ko",
                 "edition": {"date": site.edition["date"], "label": site.edition["label"]} if site.edition else None,
                 "documentation": link(site, DOC_PAGE), "data_package": link(site, "data/datapackage.json")},
        "amount_unit": "천원",
        "schemas": {kind: link(site, schema_path(kind)) for kind in KINDS},
        "stages": [{"code": data.STAGE_CODES[s], "name": s, "description": STAGE_HELP[s]} for s in STAGES],
        "departments": [{"id": d.id, "name": d.name, "active_years": d.active_years, "abolished": d.abolished,
                         "api": link(site, department_path(d.id)), "page": link(site, d.path)}
                        for d in sorted(site.departments.values(), key=lambda d: d.id)],
        "projects": [{"id": p.id, "name": p.name, "department_id": p.department.id, "fiscal_years": p.figures.years,
                      "api": link(site, project_path(p.id)), "page": link(site, p.path)}
                     for p in sorted(site.projects.values(), key=lambda p: p.id)],
        "documents": [{"id": s.id, "title": s.title, "organisation": s.organisation, "date": s.date, "kind": s.kind,
                       "file": s.file, "fiscal_years": sorted(s.fiscal_years), "page": link(site, s.anchor)}
                      for s in sorted(site.sources.values(), key=lambda s: s.id)],
        "years": [{"fiscal_year": y, "bureau_names": data.bureau_names(site, y),
                   "compare": [{"fiscal_years": [a, b], "page": link(site, compare_path(a, b))}
                               for a, b in pairs if y in (a, b)]}
                  for y in site.years],
        "bureau": {"name": site.bureau.name, "names": [_name_period(site, n) for n in site.bureau.names],
                   "figures": [figure(site, f, data.bureau_name(site, f)) for f in site.bureau.totals.all]},
        "api": link(site, INDEX), "page": link(site, DOC_PAGE), "schema": link(site, schema_path("index")),
    }


def project_files(site: Site, p: Project) -> dict[str, bytes]:
    return {project_path(p.id): to_json(project(site, p))}


def department_files(site: Site, d: Department) -> dict[str, bytes]:
    return {department_path(d.id): to_json(department(site, d))}


def schemas() -> dict[str, dict]:
    return {kind: json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")) for kind in KINDS}


# The documentation page.

_TYPE_WORDS = {"string": "글", "integer": "정수", "boolean": "true/false", "array": "목록", "object": "묶음", "null": "null"}


def _resolve(ref: str, defs: dict) -> dict:
    return defs[ref.rsplit("/", 1)[1]]


def _type_words(prop: dict, defs: dict) -> str:
    """What kind of value a field holds, in words; a shared definition by its title."""
    if "$ref" in prop:
        target = _resolve(prop["$ref"], defs)
        return target.get("title") or _type_words(target, defs)
    if "oneOf" in prop:
        return " 또는 ".join(_type_words(p, defs) for p in prop["oneOf"])
    if "const" in prop:
        return f"늘 {prop['const']}"
    if "enum" in prop:
        return "정해진 값" + (" 또는 null" if None in prop["enum"] else "")
    kinds = prop.get("type", "object")
    words = " 또는 ".join(_TYPE_WORDS[k] for k in ([kinds] if isinstance(kinds, str) else kinds))
    if isinstance(prop.get("items"), dict) and ("properties" not in prop["items"] or "$ref" in prop["items"]):
        return words.replace("목록", f"{_type_words(prop['items'], defs)}의 목록")
    return words


def _fields(schema: dict, defs: dict, prefix: str = "") -> list[tuple[str, str, str]]:
    """(field, type, meaning) of each field, inner objects spelled out as a.b and a[].b."""
    rows = []
    for name, prop in schema.get("properties", {}).items():
        target = _resolve(prop["$ref"], defs) if "$ref" in prop else {}
        rows.append((prefix + name, _type_words(prop, defs), prop.get("description") or target.get("description", "")))
        items = prop.get("items")
        if isinstance(items, dict) and "properties" in items and "$ref" not in items:
            rows += _fields(items, defs, f"{prefix}{name}[].")
        elif "properties" in prop:
            rows += _fields(prop, defs, f"{prefix}{name}.")
    return rows


def _field_table(id: str, caption: str, schema: dict, defs: dict) -> Table:
    return Table(id, caption, [Column("필드"), Column("값"), Column("뜻")],
                 [[t.text(name, head=True), t.text(kind), t.text(meaning)]
                  for name, kind, meaning in _fields(schema, defs)], classes="fields")


def doc_files(site: Site) -> dict[str, bytes]:
    """The index and the schemas, written with the page that documents them."""
    return {INDEX: to_json(index(site)), **{schema_path(kind): (SCHEMAS / f"{kind}.schema.json").read_bytes()
                                            for kind in KINDS}}


def doc_page(site: Site, page: Page) -> Page:
    """api/index.html: the addresses, the fields of each response (read from
    its schema), units and stage codes, in Korean with an English summary."""
    found = schemas()
    defs = found["defs"]["$defs"]
    scheme = Table("scheme", "주소 체계", [Column("주소"), Column("내용"), Column("스키마")], [
        [t.to(INDEX, INDEX, head=True), t.text("모든 부서·사업·자료·회계연도와 그 주소, 단계 코드, 국 전체 합계"),
         t.to(schema_path("index"), "index.schema.json")],
        [t.text(f"{ROOT}/projects/<id>.json", head=True), t.text(f"사업 하나 (사업 {len(site.projects):,}개)"),
         t.to(schema_path("project"), "project.schema.json")],
        [t.text(f"{ROOT}/departments/<id>.json", head=True), t.text(f"부서 하나 (부서 {len(site.departments):,}개)"),
         t.to(schema_path("department"), "department.schema.json")],
        [t.text(f"{ROOT}/schemas/<종류>.schema.json", head=True), t.text("응답 종류마다의 JSON Schema와 공통 정의"),
         t.to(schema_path("defs"), "defs.schema.json")]], label="주소 체계 표")
    stages = Table("stage-codes", "단계 코드", [Column("코드"), Column("단계"), Column("뜻")],
                   [[t.text(data.STAGE_CODES[s], head=True), t.text(s), t.text(STAGE_HELP[s])] for s in STAGES])
    kinds: list[dict[str, Any]] = [{"id": f"fields-{kind}", "title": title, "path": path, "schema": schema_path(kind),
              "table": _field_table(f"fields-{kind}", f"{title}의 필드", found[kind], defs)}
             for kind, title, path in (("index", "색인", INDEX), ("project", "사업", f"{ROOT}/projects/<id>.json"),
                                       ("department", "부서", f"{ROOT}/departments/<id>.json"))]
    shared: list[dict[str, Any]] = [{"id": f"def-{name}", "title": defs[name]["title"], "description": defs[name]["description"],
               "table": _field_table(f"def-{name}", f"{defs[name]['title']}의 필드", defs[name], defs)}
              for name in ("figure", "source", "name_period", "ref", "link")]
    first = min(site.projects.values(), key=lambda p: p.id, default=None)
    # One figure of a real project, as its file gives it: what a reader will see.
    example = {"project": first, "path": project_path(first.id), "figure": json.dumps(
        project(site, first)["figures"][0], ensure_ascii=False, indent=2, sort_keys=True)} if first else None
    page.title, page.crumbs = "JSON API", [("처음", "index.html"), ("데이터 내려받기", "data/index.html"), ("JSON API", None)]
    page.description = ("모든 부서·사업의 금액과 출처, 기간별 이름, 조직 변천을 JSON으로: "
                        f"{INDEX}에서 시작하는 주소 체계와 필드, 단계 코드, JSON Schema.")
    page.files = doc_files(site)
    page.context = {"index_path": INDEX, "scheme": scheme, "stages_table": stages, "kinds": kinds, "shared": shared,
                    "example": example, "version": VERSION, "version_root": ROOT, "defs_schema": schema_path("defs")}
    page.tables = [scheme, stages, *(k["table"] for k in kinds), *(s["table"] for s in shared)]
    return page
