"""The model made from validated content; what of each file is made from it alone is kept with
the file (Document.made), so serve makes again only what an edit changed.
"""
from __future__ import annotations

from functools import partial
from typing import overload

from .. import money
from ..load import Content
from .figures import Figure, FigureSet, NamePeriod, RevenueFigure
from .places import Bureau, DataCatalog, Department, Licence, Program, Project, Publisher, Revenue, Site, Term
from .sources import Source, SourceRef
from .text import markdown_html


@overload
def _ref(sources: dict[str, Source], raw: dict) -> SourceRef: ...


@overload
def _ref(sources: dict[str, Source], raw: dict | None) -> SourceRef | None: ...


def _ref(sources: dict[str, Source], raw: dict | None) -> SourceRef | None:
    if raw is None:
        return None
    return SourceRef(sources[raw["doc"]], raw["line"], raw.get("page"))


def _names(sources, raw: list[dict]) -> list[NamePeriod]:
    return [NamePeriod(n["name"], n["from"], n.get("to"), _ref(sources, n.get("source")),
                       n.get("from_date"), n.get("to_date"), n.get("from_note"), n.get("to_note")) for n in raw]


def _figures(sources, raw: list[dict]) -> list[Figure]:
    return [Figure(f["year"], f["stage"], f["amount"], _ref(sources, f["source"]),
                   f.get("precision", "천원"), f.get("as_of"), f.get("note") or None,
                   f.get("account"), f.get("scope", "전체"), f.get("table"), f.get("recovered"))
            for f in raw]


def _with_refs(sources, items: list[dict], html_keys=(), defaults: dict | None = None) -> list[dict]:
    """Plain dicts for templates, with optional keys present (templates are strict)."""
    out = []
    for item in items:
        item = {**(defaults or {}), **item}
        if "difference" in item:
            item["difference_text"] = money.signed(item["difference"]) if item["difference"] is not None else None
            scope = "세부사업만(기본경비 제외)" if item.get("scope") == "사업비" else None
            tables = f"{item['table']} − {item['other_table']}" if item.get("other_table") else item.get("table")
            if item.get("row"):  # a cell of a foundation_budget table
                tables = " − ".join(f"{tb} '{r}' {c}" for tb, r, c in
                                    ((item["table"], item["row"], item.get("column")),
                                     (item.get("other_table"), item.get("other_row"), item.get("other_column"))) if tb)
            item["detail"] = " · ".join(x for x in (item.get("account"), scope, tables) if x)
        if "source" in item:
            item["source"] = _ref(sources, item["source"])
        for k in html_keys:
            if k in item:
                item[k + "_html"] = markdown_html(item[k], 4)  # below a section's h2 and an entry's h3
        out.append(item)
    return out


_DISCREPANCY = {"account": None, "difference": None}


def _kept(doc, key: str, depends_on, make):
    """What make() builds from one file and what it depends on, built again
    only when either changed. serve keeps a file's Document while the file is
    unchanged, so an edit rebuilds its own file's part, not every file's."""
    held = doc.made.get(key)
    if held is None or held[0] is not depends_on:
        held = doc.made[key] = (depends_on, make())
    return held[1]


def _project_parts(sources, p: dict) -> dict:
    """What of a project comes from its file alone (and the sources)."""
    history = p.get("history", [])
    return dict(
        files=frozenset([f"projects/{p['id']}.yaml"] + [f"departments/{d['department']}.yaml" for d in p["departments"]]
                        + [f"projects/{h['project']}.yaml" for h in history if h.get("project")]
                        + [f"departments/{h['department']}.yaml" for h in history if h.get("department")]),
        former_names=_with_refs(sources, p.get("former_names", [])),
        keywords=p.get("keywords", []),
        description_html=markdown_html(p["description"]),
        figures=FigureSet(_figures(sources, p["figures"])),
        breakdown=[{**b, "source": _ref(sources, b["source"]),
                    "items": [{"code": None, **i} for i in b["items"]]} for b in p.get("breakdown", [])],
        notes=_with_refs(sources, p.get("notes", []), ("text",)),
        foundation_budget=[{**fb, "source": _ref(sources, fb["source"]),
                            "columns": [{"year": None, "stage": None, "change": None, **c} for c in fb["columns"]],
                            "rows": [{"group": None, "parent": None, "note": None, **r} for r in fb["rows"]]}
                           for fb in p.get("foundation_budget", [])],
        discrepancies=_with_refs(sources, p.get("discrepancies", []), ("explanation",), _DISCREPANCY),
        history=_with_refs(sources, p.get("history", []), ("explanation",),
                           {"project": None, "name": None, "department": None, "source": None}))


def build_site(content: Content) -> Site:
    site_doc, sources_doc = content.one("site"), content.one("sources")
    assert site_doc is not None and sources_doc is not None  # validate() requires both
    site_raw = site_doc.data
    sources = _kept(sources_doc, "sources", None, lambda: {s["id"]: Source(**s) for s in sources_doc.data["sources"]})

    departments: dict[str, Department] = {}
    for doc in content.of_kind("department"):
        d = doc.data
        dept = Department(
            id=d["id"], names=_names(sources, d["names"]), summary_html=markdown_html(d.get("summary")),
            duties=_with_refs(sources, d.get("duties", [])), staff=_with_refs(sources, d.get("staff", [])),
            lineage=_with_refs(sources, d.get("lineage", []), ("explanation",),
                               {"department": None, "year": None, "date": None}),
            totals=FigureSet([]), discrepancies=_with_refs(sources, d.get("discrepancies", []), ("explanation",), _DISCREPANCY),
            tasks=_with_refs(sources, d.get("tasks", []), ("summary",), {"amount": None, "precision": "천원"}))
        dept.totals = FigureSet(_figures(sources, d.get("totals", [])))
        departments[dept.id] = dept

    projects: dict[str, Project] = {}
    for doc in content.of_kind("project"):
        p = doc.data
        # Per year, the placement by named documents last: the department after a reorganisation.
        placed = sorted(p["departments"], key=lambda d: (d["year"], "documents" in d))
        project = Project(
            id=p["id"], name=p["name"],
            departments={d["year"]: departments[d["department"]] for d in placed},
            placements=[(d["year"], frozenset(d["documents"]) if "documents" in d else None, departments[d["department"]])
                        for d in placed],
            account=p["account"], status=p.get("status"),
            **_kept(doc, "own", sources, partial(_project_parts, sources, p)))
        projects[project.id] = project
        for dept in {id(d): d for _, _, d in project.placements}.values():
            dept.projects.append(project)

    for dept in departments.values():
        dept.projects.sort(key=lambda pr: pr.name)

    bureau_raw = site_raw["bureau"]
    bureau = Bureau(_names(sources, bureau_raw["names"]),
                    FigureSet(_figures(sources, bureau_raw.get("totals", []))),
                    _with_refs(sources, bureau_raw.get("discrepancies", []), ("explanation",), _DISCREPANCY),
                    _with_refs(sources, bureau_raw.get("notes", []), ("text",)),
                    _with_refs(sources, bureau_raw.get("events", []), ("text",), {"date": None, "before": None, "after": None}))
    site = Site(site_raw["title"], site_raw["description"], site_raw["base_url"], bureau,
                sources, departments, projects, edition=site_raw.get("edition"),
                feed_id=site_raw.get("feed_id"),
                publisher=Publisher(**site_raw["publisher"]) if "publisher" in site_raw else None,
                licences={use: Licence(**lic) for use, lic in site_raw.get("licence", {}).items()},
                data_catalog=DataCatalog(tuple(c["keywords"]), c["update_cycle"])
                if (c := site_raw.get("data_catalog")) else None,
                pages={name: text for name, (text, _) in content.pages.items()})
    if (revenue := content.one("revenue")) is not None:
        site.revenue = Revenue(
            [RevenueFigure(**vars(f), item=r["item"], parent=r.get("parent"))
             for f, r in zip(_figures(sources, revenue.data["items"]), revenue.data["items"])],
            _with_refs(sources, revenue.data.get("discrepancies", []), ("explanation",), _DISCREPANCY))
    if (glossary := content.one("glossary")) is not None:
        site.glossary = [Term(t["term"], t.get("id") or f"term-{i + 1}", t.get("aliases", []),
                              markdown_html(t["definition"]), _ref(sources, t.get("source")))
                         for i, t in enumerate(glossary.data["terms"])]
    if (words := content.one("search-aliases")) is not None:
        site.search_aliases = [(a["word"], list(a["also"])) for a in words.data["aliases"]]
    if (programs := content.one("programs")) is not None:
        site.goals = [Program(g["name"], FigureSet(_figures(sources, g["totals"])),
                              _with_refs(sources, g.get("discrepancies", []), ("explanation",), _DISCREPANCY),
                              number=g.get("number"), department=departments.get(g.get("department")))
                      for g in programs.data["goals"]]
        site.units = [Program(u["name"], FigureSet(_figures(sources, u["totals"])),
                              _with_refs(sources, u.get("discrepancies", []), ("explanation",), _DISCREPANCY),
                              goal=u.get("goal"), department=departments.get(u.get("department")),
                              projects=[projects[pid] for pid in u.get("projects", [])])
                      for u in programs.data["units"]]
    return site
