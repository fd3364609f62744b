"""The static JSON API (api/v1/): every file valid against the JSON Schema of
its kind, a file for every project and department at the address its id
gives, every address in it leading to a file of the site, figures equal to
the content's YAML, the same bytes from the same content, and each file
made again with its page."""
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from budgetsite import api, data
from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT

SCHEMAS = PROJECT / "schemas" / "api"
CONTENT = {"fixture_site": FIXTURE_CONTENT, "real_site": PROJECT / "content"}
SITES = list(CONTENT)


def _schemas() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))}


def _validator(kind: str) -> Draft202012Validator:
    found = _schemas()
    registry = Registry().with_resources([(name, Resource.from_contents(s)) for name, s in found.items()])
    return Draft202012Validator(found[f"{kind}.schema.json"], registry=registry)


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _kind(site: Path, path: Path) -> str | None:
    """The kind of response a file under api/v1/ is (None: a schema)."""
    name = path.relative_to(site / api.ROOT).as_posix()
    if name == "index.json":
        return "index"
    folder = name.split("/")[0]
    return {"projects": "project", "departments": "department"}.get(folder)


def _links(value, found: list[dict]) -> list[dict]:
    """Every {path, url} in a response."""
    if isinstance(value, dict):
        if set(value) == {"path", "url"}:
            found.append(value)
        for v in value.values():
            _links(v, found)
    elif isinstance(value, list):
        for v in value:
            _links(v, found)
    return found


def test_the_schemas_are_valid_json_schemas():
    found = _schemas()
    assert set(found) == {f"{kind}.schema.json" for kind in api.KINDS}
    for name, schema in found.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == name, "relative $ids: the copies in api/v1/schemas/ resolve each other"


def test_the_schemas_stage_codes_are_those_of_the_downloads():
    defs = _schemas()["defs.schema.json"]["$defs"]
    assert defs["stage"]["enum"] == list(data.STAGE_CODES.values())
    assert defs["stage_name"]["enum"] == list(data.STAGE_CODES)


def test_a_typo_fails_the_schema(fixture_site):
    """additionalProperties: false: a misspelt field is caught, not ignored."""
    doc = _read(fixture_site / api.project_path("map-platform"))
    doc["figures"][0]["amount_thousand_krv"] = doc["figures"][0].pop("amount_thousand_krw")
    assert not _validator("project").is_valid(doc)
    doc = _read(fixture_site / api.project_path("map-platform"))
    doc["figures"][0]["stage"] = "final-ish"
    assert not _validator("project").is_valid(doc)


@pytest.mark.parametrize("site_name", SITES)
def test_every_api_file_is_valid_against_its_schema(site_name, request):
    site = request.getfixturevalue(site_name)
    validators = {kind: _validator(kind) for kind in ("index", "project", "department")}
    counted: Counter = Counter()
    for path in sorted((site / api.ROOT).rglob("*")):
        if path.is_dir():
            continue
        assert path.suffix == ".json", path
        raw = path.read_bytes()
        text = raw.decode("utf-8")  # UTF-8, Hangul as itself
        kind = _kind(site, path)
        if kind is None:  # a schema: the one in schemas/api/, as it is
            assert raw == (SCHEMAS / path.name).read_bytes(), path
            counted["schema"] += 1
            continue
        assert "\\u" not in text, f"{path}: escaped text"
        doc = json.loads(text)
        errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"
        assert doc["kind"] == kind
        counted[kind] += 1
    content = CONTENT[site_name]
    assert counted == {"index": 1, "schema": len(api.KINDS),
                       "project": len(list((content / "projects").glob("*.yaml"))),
                       "department": len(list((content / "departments").glob("*.yaml")))}


@pytest.mark.parametrize("site_name", SITES)
def test_every_project_and_department_has_its_file_at_its_ids_address(site_name, request):
    site, content = request.getfixturevalue(site_name), CONTENT[site_name]
    index = _read(site / api.INDEX)
    for folder, kind in (("projects", "project"), ("departments", "department")):
        ids = sorted(_yaml(p)["id"] for p in (content / folder).glob("*.yaml"))
        assert [x["id"] for x in index[folder]] == ids
        for entry in index[folder]:
            path = f"api/v1/{folder}/{entry['id']}.json"
            assert entry["api"]["path"] == path
            doc = _read(site / path)
            assert (doc["id"], doc["kind"], doc["api"]["path"]) == (entry["id"], kind, path)
            assert doc["page"]["path"] == f"{folder}/{entry['id']}/index.html"
    documents = _yaml(content / "sources.yaml")["sources"]
    assert [d["id"] for d in index["documents"]] == sorted(d["id"] for d in documents)


@pytest.mark.parametrize("site_name", SITES)
def test_every_address_leads_to_a_file_of_the_site(site_name, request):
    site = request.getfixturevalue(site_name)
    index = _read(site / api.INDEX)
    base = index["site"]["base_url"]
    responses = [index] + [_read(p) for folder in ("projects", "departments") for p in (site / api.ROOT / folder).glob("*.json")]
    links = [x for doc in responses for x in _links(doc, [])]
    assert len(links) > len(responses) * 3
    for x in {(x["path"], x["url"]) for x in links}:
        path, url = x
        assert url == base + path
        file = path.split("#")[0]
        assert not file.startswith("/") and (site / file).is_file(), path
        if "#" in path:  # a place on a page: an element with that id
            assert f'id="{path.split("#")[1]}"' in (site / file).read_text(encoding="utf-8"), path
    assert index["site"]["documentation"]["path"] == "api/index.html"
    years = [y["fiscal_year"] for y in index["years"]]
    assert years == sorted(years) and years


def _printed(f: dict) -> tuple:
    """A figure as content/ writes it, with the defaults filled in."""
    return (f["year"], f["stage"], f["amount"], f.get("precision", "천원"), f.get("as_of"), f["source"]["doc"],
            f["source"]["line"], f["source"].get("page"), f.get("table"), f.get("scope", "전체"), f.get("account"))


def _published(f: dict) -> tuple:
    s = f["source"]
    return (f["fiscal_year"], f["stage_name"], f["amount_thousand_krw"], f["precision"], f["as_of"], s["id"], s["line"],
            s["page"], f["table"], f["scope"], f["account"])


@pytest.mark.parametrize("site_name", SITES)
def test_figures_are_those_of_the_content(site_name, request):
    """Against the YAML itself, not the generator's model: every figure of
    every project, department and the bureau, once each."""
    site, content = request.getfixturevalue(site_name), CONTENT[site_name]
    for path in sorted((content / "projects").glob("*.yaml")):
        raw = _yaml(path)
        doc = _read(site / api.project_path(raw["id"]))
        expected = [(*_printed(f)[:-1], raw["account"]) for f in raw["figures"]]
        assert sorted(_published(f) for f in doc["figures"]) == sorted(expected), path.name
        assert doc["name"] == raw["name"] and doc["account"] == raw["account"]
        assert [n["name"] for n in doc["names"] if n["current"]] == [raw["name"]]
        assert {n["name"] for n in doc["names"] if not n["current"]} == {n["name"] for n in raw.get("former_names", [])}
        assert sorted((d["fiscal_year"], d["department_id"]) for d in doc["departments"]) == \
            sorted((d["year"], d["department"]) for d in raw["departments"])
        assert len(doc["lineage"]["events"]) == len(raw.get("history", []))
    for path in sorted((content / "departments").glob("*.yaml")):
        raw = _yaml(path)
        doc = _read(site / api.department_path(raw["id"]))
        assert sorted(_published(f) for f in doc["figures"]) == sorted(_printed(f) for f in raw.get("totals", [])), path.name
        assert [(n["name"], n["from"], n["to"]) for n in doc["names"]] == \
            [(n["name"], n["from"], n.get("to")) for n in raw["names"]]
        assert [e["event"] for e in doc["lineage"]["events"]] == \
            [e["event"] for e in sorted(raw.get("lineage", []), key=lambda e: e.get("date") or str(e.get("year") or ""))]
    bureau = _yaml(content / "site.yaml")["bureau"]
    index = _read(site / api.INDEX)
    assert sorted(_published(f) for f in index["bureau"]["figures"]) == sorted(_printed(f) for f in bureau.get("totals", []))


def test_a_figure_in_full(fixture_site):
    """One figure of the fixture, field by field (as budget.csv gives it: test_data.py)."""
    doc = _read(fixture_site / api.project_path("map-platform"))
    spent = next(f for f in doc["figures"] if f["stage"] == "spent")
    assert spent == {
        "fiscal_year": 2025, "stage": "spent", "stage_name": "지출액", "amount_thousand_krw": 600000,
        "precision": "천원", "as_of": "2025-07-31", "account": "일반회계", "scope": "전체", "table": None,
        "recovered": None, "note": None, "name_printed": "지도 플랫폼 운영", "department_id": "alpha",
        "department_name": "알파과",
        "source": {"id": "doc-b", "file": "doc-b.txt", "line": 12, "page": None, "section": None,
                   "link": {"path": "sources/index.html#doc-b", "url": "https://example.org/test/sources/index.html#doc-b"}}}
    rounded = _read(fixture_site / api.department_path("alpha"))["figures"]
    assert [(f["fiscal_year"], f["precision"], f["name_printed"]) for f in rounded] == \
        [(2024, "백만원", "알파담당관"), (2025, "천원", "알파과")]


def test_names_by_period_and_lineage(fixture_site):
    doc = _read(fixture_site / api.project_path("map-platform"))
    assert [(n["name"], n["fiscal_years"], n["current"]) for n in doc["names"]] == \
        [("지도 플랫폼 구축", [2024], False), ("지도 플랫폼 운영", [2025], True)]
    assert [d["department_name"] for d in doc["departments"]] == ["알파담당관", "알파과"]
    assert [(p["id"], p["api"]["path"]) for p in doc["lineage"]["predecessors"]] == \
        [("aerial-photos", "api/v1/projects/aerial-photos.json")]
    assert [e["event"] for e in doc["lineage"]["events"]] == ["renamed", "succeeds"]
    assert doc["lineage"]["events"][1]["basis"] == "inferred" and doc["lineage"]["events"][1]["source"] is None
    index = _read(fixture_site / api.INDEX)
    assert [(y["fiscal_year"], y["bureau_names"]) for y in index["years"]] == [(2024, ["시험정책관"]), (2025, ["시험국"])]


def test_department_lineage_reads_both_sides(real_site):
    """A transfer, merger or split recorded in one department's file shows
    in both departments' files: one side may record it alone."""
    content = CONTENT["real_site"]
    docs = {p.stem: _read(real_site / api.department_path(p.stem)) for p in (content / "departments").glob("*.yaml")}
    seen = 0
    for name in docs:
        for ev in _yaml(content / "departments" / f"{name}.yaml").get("lineage", []):
            other = ev.get("department")
            if other is None or ev["event"] not in ("merged_into", "transferred_out", "split_from", "absorbed",
                                                    "transferred_in"):
                continue
            before, after = (name, other) if ev["event"] in ("merged_into", "transferred_out") else (other, name)
            assert after in [d["id"] for d in docs[before]["lineage"]["successors"]], (name, ev["event"], other)
            assert before in [d["id"] for d in docs[after]["lineage"]["predecessors"]], (name, ev["event"], other)
            seen += 1
    assert seen >= 5
    disclosure = docs["information-disclosure"]
    assert disclosure["abolished"] and [d["id"] for d in disclosure["lineage"]["successors"]] == ["information-systems"]


def test_the_same_content_gives_the_same_bytes(fixture_site, tmp_path):
    out = tmp_path / "again"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out), drawings=False)
    first = {p.relative_to(fixture_site).as_posix(): p.read_bytes() for p in (fixture_site / "api").rglob("*") if p.is_file()}
    second = {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "api").rglob("*") if p.is_file()}
    assert first == second


def test_each_file_is_made_again_with_its_page(paths):
    """A project's JSON is one of its page's files: renaming the project
    rewrites its file, its department's and the index, and nothing else's."""
    build(paths, drawings=False)
    before = {p.name: p.read_bytes() for p in (paths.out / api.ROOT).rglob("*.json")}
    project = paths.content / "projects" / "server-room.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("name: 전산실 운영", "name: 전산실 운영 고도화"),
                       encoding="utf-8")
    build(paths, drawings=False)
    after = {p.name: p.read_bytes() for p in (paths.out / api.ROOT).rglob("*.json")}
    assert {name for name in after if after[name] != before[name]} == {"server-room.json", "beta.json", "index.json"}
    assert _read(paths.out / api.project_path("server-room"))["name"] == "전산실 운영 고도화"
    assert [p["name"] for p in _read(paths.out / api.department_path("beta"))["projects"]] == ["전산실 운영 고도화"]


def test_the_page_documents_every_field(fixture_site):
    html = (fixture_site / api.DOC_PAGE).read_text(encoding="utf-8")
    for kind in api.KINDS:
        assert f'href="../{api.schema_path(kind)}"' in html
    assert f'href="../{api.INDEX}"' in html
    assert '<section lang="en"' in html and "English summary" in html
    schemas = _schemas()
    for name in ("index", "project", "department"):
        for field in schemas[f"{name}.schema.json"]["properties"]:
            assert f">{field}<" in html, (name, field)
    for field in schemas["defs.schema.json"]["$defs"]["figure"]["properties"]:
        assert f">{field}<" in html, field
    for code in data.STAGE_CODES.values():
        assert f">{code}<" in html
    data_page = (fixture_site / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../api/index.html"' in data_page
