"""The data as harvesters read it (issue 25 §6), made from the site and the
exact bytes of the data files (data.files), so what it says of a file (its
size, its SHA-256, its years) is true of the file published beside it:

- `dataset_jsonld`: a schema.org Dataset for the data page (Google Dataset Search
  and other crawlers read it from the page);
- `catalog.ttl` and `catalog.jsonld`: one DCAT catalog with DCAT-AP's mandatory and
  recommended properties, a dataset for each CSV (expenditure, revenue) and its
  distribution. Every node has an IRI under base_url (no blank nodes), so the same
  content gives the same bytes;
- `data-go-kr.json`: the fields an agency fills in to register each CSV as a file
  dataset on the national open-data portal (공공데이터포털 파일데이터 등록).

The catalog and the portal file are written only when site.yaml has data_catalog;
validate/catalog.py then makes sure site.yaml says everything they must say.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import Site

if TYPE_CHECKING:
    from rdflib import Graph

CATALOG_FILES = ("catalog.ttl", "catalog.jsonld", "data-go-kr.json")

# The prefixes of the Turtle and the JSON-LD's context, given inline: a remote
# context would be fetched by whoever reads the file, and by rdflib while writing it.
NAMESPACES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# DCAT-AP asks for these controlled vocabularies: the EU's authority tables and IANA's media types.
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
FORMATS = {".csv": ("text/csv", "CSV"), ".json": ("application/json", "JSON")}
# The portal's words for how often a dataset is updated (업데이트 주기), each as
# the EU frequency DCAT-AP's dct:accrualPeriodicity takes.
UPDATE_CYCLES = {"연간": "ANNUAL", "반기": "ANNUAL_2", "분기": "QUARTERLY", "월간": "MONTHLY", "주간": "WEEKLY",
                 "수시": "IRREG"}


@dataclass(frozen=True)
class Datafile:
    """One CSV of the data package, as published."""
    name: str          # the data package's resource name: budget, revenue
    path: str          # under data/
    title: str
    description: str
    body: bytes
    rows: int
    years: tuple[int, int] | None  # the first and last fiscal year in it


def _format(path: str) -> tuple[str, str]:
    return FORMATS["." + path.rsplit(".", 1)[-1]]


def datafiles(files: dict[str, bytes]) -> list[Datafile]:
    """The CSVs datapackage.json describes, read back from their bytes."""
    out = []
    for r in json.loads(files["datapackage.json"])["resources"]:
        body = files[r["path"]]
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        years = sorted({int(row["fiscal_year"]) for row in rows})
        out.append(Datafile(r["name"], r["path"], r["title"], r["description"], body, len(rows),
                            (years[0], years[-1]) if years else None))
    return out


def _url(site: Site, name: str) -> str:
    return f"{site.base_url}data/{name}"


def _years(parts: list[Datafile]) -> tuple[int, int] | None:
    years = [y for d in parts if d.years for y in d.years]
    return (min(years), max(years)) if years else None


def dataset_jsonld(site: Site, files: dict[str, bytes], parts: list[Datafile]) -> str:
    """The schema.org Dataset of the whole data, for a <script type="application/ld+json">
    on the data page: every data file a distribution. Said only as far as site.yaml
    says it: no licence or creator made up. < > & are escaped, so no name can end
    the script element. parts: the CSVs among files (datafiles)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Dataset", "name": site.title, "description": site.description,
        "url": _url(site, "index.html"), "inLanguage": "ko", "isAccessibleForFree": True,
    }
    if years := _years(parts):
        data["temporalCoverage"] = f"{years[0]}/{years[1]}" if years[0] != years[1] else str(years[0])
    if site.data_catalog:
        data["keywords"] = list(site.data_catalog.keywords)
    if (licence := site.licences.get("data")) is not None:
        data["license"] = licence.url
    if site.publisher is not None:
        organisation = {"@type": "Organization", "name": site.publisher.name}
        if site.publisher.url:
            organisation["url"] = site.publisher.url
        if site.publisher.email:
            organisation["email"] = site.publisher.email
        data["creator"] = data["publisher"] = organisation
    if site.edition:
        data["dateModified"] = data["version"] = site.edition["date"]
    data["distribution"] = [{"@type": "DataDownload", "name": name, "contentUrl": _url(site, name),
                             "encodingFormat": _format(name)[0]} for name in files]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def files(site: Site, parts: list[Datafile]) -> dict[str, bytes]:
    """Path under data/ → bytes: the catalog in two syntaxes and the portal's
    fields, or nothing when site.yaml does not ask for them."""
    if site.data_catalog is None:
        return {}
    g = graph(site, parts)
    return {"catalog.ttl": g.serialize(format="turtle").encode("utf-8"), "catalog.jsonld": _jsonld(g),
            "data-go-kr.json": portal_fields(site, parts)}


def _jsonld(g: Graph) -> bytes:
    """JSON-LD with the same bytes every time: rdflib's order follows Python's
    string hashing, which changes from run to run, so the node list and every set
    of values are sorted (JSON-LD arrays without @list are unordered)."""
    doc = json.loads(g.serialize(format="json-ld", context=dict(NAMESPACES), indent=2))
    return (json.dumps(_sorted(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _sorted(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: v if k == "@list" else _sorted(v) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((_sorted(v) for v in node), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return node


def contact(site: Site) -> tuple[str | None, str | None]:
    """Where to reach the publisher: an email address, and a web address (the
    error-report page, else the publisher's own page)."""
    p = site.publisher
    return (p.email if p else None), site.report_url or (p.url if p else None)


def graph(site: Site, parts: list[Datafile]) -> Graph:
    """The DCAT catalog. rdflib is imported here: only the data page needs it."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS, XSD

    dcat, dct, foaf, spdx, vcard = (Namespace(NAMESPACES[p]) for p in ("dcat", "dct", "foaf", "spdx", "vcard"))
    publisher, licence, edition, wanted = site.publisher, site.licences.get("data"), site.edition, site.data_catalog
    # validate/catalog.py refuses a data_catalog without these.
    assert publisher is not None and licence is not None and edition is not None and wanted is not None

    g = Graph(bind_namespaces="none")
    for prefix, namespace in NAMESPACES.items():
        g.bind(prefix, namespace)
    page = _url(site, "index.html")

    def node(name: str, *types: URIRef) -> URIRef:
        # Every node an IRI on the data page: a blank node's id would change from build to build.
        iri = URIRef(f"{page}#{name}")
        for t in types:
            g.add((iri, RDF.type, t))
        return iri

    def ko(text: str) -> Literal:
        return Literal(text, lang="ko")

    def day(date: str) -> Literal:
        return Literal(date, datatype=XSD.date)

    def typed(iri: str, t: URIRef) -> URIRef:
        g.add((URIRef(iri), RDF.type, t))
        return URIRef(iri)

    catalog = node("catalog", dcat.Catalog)
    agent = node("publisher", foaf.Agent)
    g.add((agent, foaf.name, ko(publisher.name)))
    if publisher.url:
        g.add((agent, foaf.homepage, URIRef(publisher.url)))
    email, web = contact(site)
    point = node("contact", vcard.Kind)
    g.add((point, vcard.fn, ko(publisher.name)))
    if email:
        g.add((point, vcard.hasEmail, URIRef(f"mailto:{email}")))
    if web:
        g.add((point, vcard.hasURL, URIRef(web)))
    licence_iri = typed(licence.url, dct.LicenseDocument)
    g.add((licence_iri, RDFS.label, Literal(licence.name)))
    g.add((licence_iri, dct.identifier, Literal(licence.spdx)))
    korean = typed(f"{EU}language/KOR", dct.LinguisticSystem)
    modified = day(edition["date"])

    for p, o in [(dct.title, ko(site.title)), (dct.description, ko(site.description)), (dct.publisher, agent),
                 (foaf.homepage, URIRef(site.base_url)), (dct.language, korean), (dct.license, licence_iri),
                 (dct.modified, modified), (dcat.themeTaxonomy, URIRef(f"{EU}data-theme"))]:
        g.add((catalog, p, o))

    for d in parts:
        dataset = node(f"dataset-{d.name}", dcat.Dataset)
        g.add((catalog, dcat.dataset, dataset))
        for p, o in [(dct.title, ko(d.title)), (dct.description, ko(d.description)), (dct.publisher, agent),
                     (dct.identifier, Literal(str(dataset))), (dcat.contactPoint, point), (dct.modified, modified),
                     (dct.language, korean), (dcat.landingPage, URIRef(page)),
                     (foaf.page, URIRef(_url(site, "datapackage.json"))),  # what each column means
                     # Public finance: the EU's theme for government and the public sector.
                     (dcat.theme, URIRef(f"{EU}data-theme/GOVE")),
                     (dct.accrualPeriodicity, URIRef(f"{EU}frequency/{UPDATE_CYCLES[wanted.update_cycle]}"))]:
            g.add((dataset, p, o))
        for keyword in wanted.keywords:
            g.add((dataset, dcat.keyword, ko(keyword)))
        period = None
        if d.years:
            # A Korean fiscal year is the calendar year (지방재정법 제6조).
            period = node(f"period-{d.name}", dct.PeriodOfTime)
            g.add((period, dcat.startDate, day(f"{d.years[0]}-01-01")))
            g.add((period, dcat.endDate, day(f"{d.years[1]}-12-31")))
            g.add((dataset, dct.temporal, period))

        slug = d.path.replace(".", "-")
        distribution = node(f"distribution-{slug}", dcat.Distribution)
        g.add((dataset, dcat.distribution, distribution))
        media, file_type = _format(d.path)
        checksum = node(f"checksum-{slug}", spdx.Checksum)
        g.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
        g.add((checksum, spdx.checksumValue, Literal(hashlib.sha256(d.body).hexdigest(), datatype=XSD.hexBinary)))
        for p, o in [(dct.title, ko(f"{d.title} ({file_type})")),
                     (dct.description, ko(f"{d.description} 문자 인코딩은 UTF-8(BOM 포함)입니다.")),
                     (dcat.accessURL, URIRef(page)), (dcat.downloadURL, URIRef(_url(site, d.path))),
                     (dcat.mediaType, typed(f"{IANA}{media}", dct.MediaType)),
                     (dct["format"], typed(f"{EU}file-type/{file_type}", dct.MediaTypeOrExtent)),
                     (dct.license, licence_iri), (spdx.checksum, checksum),
                     (dcat.byteSize, Literal(len(d.body), datatype=XSD.nonNegativeInteger)),
                     (dct.modified, modified)]:
            g.add((distribution, p, o))
        if period is not None:
            g.add((distribution, dct.temporal, period))
    return g


def portal_fields(site: Site, parts: list[Datafile]) -> bytes:
    """What an agency types into the portal's registration form for each CSV,
    under the names the portal's own pages give those fields (파일데이터 정보)."""
    publisher, licence, edition, wanted = site.publisher, site.licences.get("data"), site.edition, site.data_catalog
    assert publisher is not None and licence is not None and edition is not None and wanted is not None
    email, web = contact(site)
    entries = []
    for d in parts:
        title = f"{site.title} {d.title}"
        entry: dict[str, Any] = {
            "목록명": title,
            # The portal names each registered file by its list and the day: 목록명_YYYYMMDD.
            "파일데이터명": f"{title}_{edition['date'].replace('-', '')}",
            "설명": d.description,
            "키워드": ",".join(wanted.keywords),
            "업데이트 주기": wanted.update_cycle,
            "제공기관": publisher.name,
            "담당자 연락처": email or web,
            "이용허락범위": licence.name,
            "이용허락범위 원문": licence.url,
            "확장자": _format(d.path)[1],
            "매체유형": "텍스트",
            "전체 행": d.rows,
            "시간범위": f"{d.years[0]}~{d.years[1]} 회계연도" if d.years else "",
            "비용부과유무": "무료",
            "기타 유의사항": "문자 인코딩은 UTF-8(BOM 포함), 금액 단위는 천원입니다. 열마다의 뜻은 datapackage.json에 있습니다.",
            "파일 주소": _url(site, d.path),
        }
        entries.append(entry)
    doc = {"안내": "공공데이터포털(data.go.kr)에 파일데이터를 등록할 때 등록 화면에 옮겨 적을 값입니다. "
                   "CSV 파일마다 하나씩 등록합니다.",
           "기준일": edition["date"], "파일데이터": entries}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
