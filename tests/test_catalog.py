"""Harvestable data (issue 25 §6): the data page carries a schema.org Dataset,
and data/ a DCAT catalog (Turtle and JSON-LD) and the fields for registering
the CSVs on 공공데이터포털. Each is read as a harvester reads it (rdflib,
pyshacl against our shapes in tests/shapes/dcat.ttl, extruct), offline, and
compared with content/site.yaml and the files on disk."""
import csv
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import extruct
import pytest
import yaml
from pyshacl import validate as shacl
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from budgetsite.pipeline import check
from budgetsite.problems import ContentError

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_colophon import COLOPHON, _add

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SHAPES = Path(__file__).parent / "shapes" / "dcat.ttl"
SITE_YAML = yaml.safe_load((PROJECT / "content/site.yaml").read_text(encoding="utf-8"))
CATALOG_FILES = ["catalog.ttl", "catalog.jsonld", "data-go-kr.json"]
DATA_CATALOG = """
data_catalog:
  keywords: [시험 예산, 알파과]
  update_cycle: 연간
edition: {date: "2026-01-05", label: 시험판}
"""


@pytest.fixture
def offline(monkeypatch):
    """Nothing read here may reach the network (a remote JSON-LD context would)."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def _years(site: Path, *names: str) -> tuple[int, int]:
    years = [int(r["fiscal_year"]) for name in names for r in _csv(site / "data" / name)]
    return min(years), max(years)


def _catalog(site: Path) -> Graph:
    return Graph().parse(site / "data/catalog.ttl", format="turtle")


def _conforms(g: Graph) -> tuple[bool, Graph]:
    conforms, results, _ = shacl(g, shacl_graph=Graph().parse(SHAPES, format="turtle"))
    return conforms, results


def _issues_url(base_url: str) -> str | None:
    m = re.fullmatch(r"https://([A-Za-z0-9-]+)\.github\.io/([^/]+)/", base_url)
    return f"https://github.com/{m[1]}/{m[2]}/issues/new" if m else None


# --- the DCAT catalog ---------------------------------------------------------------------------

def test_the_catalog_conforms_to_the_shapes(real_site, offline):
    conforms, results = _conforms(_catalog(real_site))
    assert conforms, results.serialize(format="turtle")


def test_the_turtle_and_the_json_ld_are_one_graph(real_site, offline):
    doc = json.loads((real_site / "data/catalog.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict), "a remote context: whoever reads it must fetch it"
    jsonld = Graph().parse(real_site / "data/catalog.jsonld", format="json-ld")
    turtle = _catalog(real_site)
    assert len(turtle) > 50 and isomorphic(turtle, jsonld)


def test_the_shapes_refuse_a_distribution_without_its_checksum_or_licence(real_site, offline):
    for missing in (SPDX.checksum, DCT.license):
        g = _catalog(real_site)
        distribution = next(g.subjects(RDF.type, DCAT.Distribution))
        g.remove((distribution, missing, None))
        conforms, results = _conforms(g)
        assert not conforms
        # Said of that distribution and that property, and nothing else.
        assert set(results.objects(None, SH.resultPath)) == {missing}
        assert set(results.objects(None, SH.focusNode)) == {distribution}


def test_every_distribution_is_a_published_file_with_its_checksum_and_size(real_site):
    g = _catalog(real_site)
    base = SITE_YAML["base_url"]
    published = set()
    for d in g.subjects(RDF.type, DCAT.Distribution):
        url = str(g.value(d, DCAT.downloadURL))
        assert url.startswith(base + "data/"), url
        body = (real_site / url.removeprefix(base)).read_bytes()
        published.add(url.removeprefix(base))
        checksum = g.value(d, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        assert int(g.value(d, DCAT.byteSize)) == len(body)
        assert g.value(d, DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/text/csv")
        assert g.value(d, DCAT.accessURL) == URIRef(base + "data/index.html")
    assert published == {"data/budget.csv", "data/revenue.csv"}


def test_the_catalog_says_what_site_yaml_and_the_files_say(real_site):
    g = _catalog(real_site)
    [catalog] = g.subjects(RDF.type, DCAT.Catalog)
    assert str(g.value(catalog, DCT.title)) == SITE_YAML["title"]
    assert g.value(catalog, DCT.title).language == "ko"
    assert str(g.value(catalog, DCT.modified)) == SITE_YAML["edition"]["date"]
    assert str(g.value(g.value(catalog, DCT.publisher), FOAF.name)) == SITE_YAML["publisher"]["name"]
    licence = URIRef(SITE_YAML["licence"]["data"]["url"])
    assert g.value(catalog, DCT.license) == licence
    assert str(g.value(licence, DCT.identifier)) == SITE_YAML["licence"]["data"]["spdx"]
    datasets = {str(g.value(g.value(d, DCAT.distribution), DCAT.downloadURL)).rsplit("/", 1)[1]: d
                for d in g.objects(catalog, DCAT.dataset)}
    assert set(datasets) == {"budget.csv", "revenue.csv"}
    for name, d in datasets.items():
        assert {str(k) for k in g.objects(d, DCAT.keyword)} == set(SITE_YAML["data_catalog"]["keywords"])
        assert g.value(d, DCT.accrualPeriodicity) == \
            URIRef("http://publications.europa.eu/resource/authority/frequency/IRREG")  # 수시
        contact = g.value(d, DCAT.contactPoint)
        assert g.value(contact, VCARD.hasURL) == URIRef(_issues_url(SITE_YAML["base_url"]))
        first, last = _years(real_site, name)
        for period in (g.value(d, DCT.temporal), g.value(g.value(d, DCAT.distribution), DCT.temporal)):
            assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == \
                (f"{first}-01-01", f"{last}-12-31")


# --- schema.org on the data page ----------------------------------------------------------------

def _dataset(site: Path, base_url: str) -> dict:
    html = (site / "data/index.html").read_text(encoding="utf-8")
    found = extruct.extract(html, base_url=base_url + "data/index.html", syntaxes=["json-ld"], uniform=False)
    [dataset] = [d for d in found["json-ld"] if d.get("@type") == "Dataset"]
    assert dataset["@context"] in ("https://schema.org", "http://schema.org")
    return dataset


def _distributions_are_the_files(dataset: dict, site: Path, base_url: str) -> None:
    formats = {"csv": "text/csv", "json": "application/json"}
    urls = set()
    for d in dataset["distribution"]:
        assert d["@type"] == "DataDownload"
        url = d["contentUrl"]
        assert url.startswith(base_url + "data/"), url
        assert (site / url.removeprefix(base_url)).is_file(), url
        assert d["encodingFormat"] == formats[url.rsplit(".", 1)[1]]
        urls.add(url.removeprefix(base_url))
    data_files = {"data/budget.csv", "data/revenue.csv", "data/datapackage.json"}
    assert urls == data_files


def test_the_data_page_carries_a_schema_org_dataset(real_site, offline):
    base = SITE_YAML["base_url"]
    dataset = _dataset(real_site, base)
    assert dataset["name"] == SITE_YAML["title"]
    assert dataset["description"] == SITE_YAML["description"]
    assert dataset["license"] == SITE_YAML["licence"]["data"]["url"]
    assert dataset["creator"]["name"] == SITE_YAML["publisher"]["name"]
    assert dataset["keywords"] == SITE_YAML["data_catalog"]["keywords"]
    first, last = _years(real_site, "budget.csv", "revenue.csv")
    assert dataset["temporalCoverage"] == f"{first}/{last}"
    _distributions_are_the_files(dataset, real_site, base)


def test_without_a_colophon_the_dataset_says_nothing_made_up(fixture_site, offline):
    """The fixture has no publisher, licence, edition or data_catalog: the page's
    Dataset names no licence or creator, and no catalog is written."""
    site_yaml = yaml.safe_load((FIXTURE_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    dataset = _dataset(fixture_site, site_yaml["base_url"])
    assert dataset["name"] == site_yaml["title"]
    assert not {"license", "creator", "publisher", "keywords"} & set(dataset)
    first, last = _years(fixture_site, "budget.csv", "revenue.csv")
    assert dataset["temporalCoverage"] == (f"{first}/{last}" if first != last else str(first))
    _distributions_are_the_files(dataset, fixture_site, site_yaml["base_url"])
    for name in CATALOG_FILES:
        assert not (fixture_site / "data" / name).exists()
        assert name not in (fixture_site / "data/index.html").read_text(encoding="utf-8")


def test_the_data_page_lists_the_catalog_and_the_portal_file_with_a_line_each(real_site):
    from lxml import html as lxml_html
    page = lxml_html.fromstring((real_site / "data/index.html").read_bytes())
    items = {li.find("a").get("href"): li.text_content() for li in page.iterfind(".//ul[@class='downloads']/li")}
    for name in CATALOG_FILES:
        text = items[f"../data/{name}"]
        explanation = text.split(")", 1)[1]
        assert re.search("[가-힣]", explanation), text


def test_a_name_cannot_end_the_json_ld_block(paths, content):
    site_yaml = content / "site.yaml"
    hostile = '시험</script><script>window.__pwned=1</script>'
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("title: 시험 예산 사이트", f"title: '{hostile}'", 1),
                         encoding="utf-8")
    from budgetsite.pipeline import build
    build(paths)
    html = (paths.out / "data/index.html").read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in block and json.loads(block)["name"] == hostile


# --- the portal's registration fields ----------------------------------------------------------

def test_the_portal_file_says_what_site_yaml_says(real_site):
    doc = json.loads((real_site / "data/data-go-kr.json").read_text(encoding="utf-8"))
    base, wanted = SITE_YAML["base_url"], SITE_YAML["data_catalog"]
    entries = {e["파일 주소"].removeprefix(base): e for e in doc["파일데이터"]}
    assert set(entries) == {"data/budget.csv", "data/revenue.csv"}
    for path, e in entries.items():
        assert e["키워드"].split(",") == wanted["keywords"]
        assert e["업데이트 주기"] == wanted["update_cycle"]
        assert e["제공기관"] == SITE_YAML["publisher"]["name"]
        assert e["담당자 연락처"] == (SITE_YAML["publisher"].get("email") or _issues_url(base))
        assert (e["이용허락범위"], e["이용허락범위 원문"]) == \
            (SITE_YAML["licence"]["data"]["name"], SITE_YAML["licence"]["data"]["url"])
        assert e["목록명"].startswith(SITE_YAML["title"])
        assert e["파일데이터명"] == f"{e['목록명']}_{SITE_YAML['edition']['date'].replace('-', '')}"
        assert e["확장자"] == "CSV"
        assert e["전체 행"] == len(_csv(real_site / path))
        first, last = _years(real_site, path.removeprefix("data/"))
        assert e["시간범위"].startswith(f"{first}~{last}")
        assert e["설명"]


# --- site.yaml, and the same bytes every build -------------------------------------------------

def test_a_data_catalog_needs_publisher_licence_and_edition(paths, content):
    _add(content, "data_catalog: {keywords: [시험], update_cycle: 연간}\n")
    with pytest.raises(ContentError) as e:
        check(paths)
    said = {(p.file, p.field): p.message for p in e.value.problems}
    assert set(said) == {("content/site.yaml", f) for f in ("publisher", "licence", "edition")}, said
    assert all("data_catalog" in m for m in said.values())


def test_a_data_catalog_needs_a_contact(paths, content):
    # No email, url or report_url, and not on GitHub Pages: nowhere to write to.
    _add(content, COLOPHON.replace("  email: team@city.kr\n", "") + DATA_CATALOG)
    with pytest.raises(ContentError) as e:
        check(paths)
    [problem] = e.value.problems
    assert (problem.file, problem.field) == ("content/site.yaml", "publisher")
    assert "email" in problem.message


def _build(content: Path, out: Path, seed: str) -> None:
    # A new process for each build, each with its own string hashing: rdflib's
    # order follows it, and the files must not.
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "--content", str(content),
                             "--sources", str(FIXTURE_SOURCES), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, cwd=PROJECT,
                            env={**os.environ, "PYTHONHASHSEED": seed})
    assert result.returncode == 0, result.stderr


def test_the_catalog_has_the_same_bytes_every_build_and_conforms(content, tmp_path, offline):
    _add(content, COLOPHON + DATA_CATALOG)
    _build(content, tmp_path / "one", "1")
    _build(content, tmp_path / "two", "2")
    for name in [*CATALOG_FILES, "index.html"]:
        assert (tmp_path / "one/data" / name).read_bytes() == (tmp_path / "two/data" / name).read_bytes(), name
    site = tmp_path / "one"
    g = _catalog(site)
    conforms, results = _conforms(g)
    assert conforms, results.serialize(format="turtle")
    # The email site.yaml gives is the contact, in the catalog and for the portal.
    assert set(g.objects(None, VCARD.hasEmail)) == {URIRef("mailto:team@city.kr")}
    entries = json.loads((site / "data/data-go-kr.json").read_text(encoding="utf-8"))["파일데이터"]
    assert {e["담당자 연락처"] for e in entries} == {"team@city.kr"}
    assert {e["업데이트 주기"] for e in entries} == {"연간"}
    assert set(g.objects(None, DCT.accrualPeriodicity)) == \
        {URIRef("http://publications.europa.eu/resource/authority/frequency/ANNUAL")}


def test_every_update_cycle_site_yaml_allows_has_its_eu_frequency():
    from budgetsite.catalog import UPDATE_CYCLES
    schema = json.loads((PROJECT / "schemas/site.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["data_catalog"]["properties"]["update_cycle"]["enum"]) == set(UPDATE_CYCLES)
