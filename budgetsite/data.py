"""Data downloads: the whole dataset as files anyone can open: CSV for Excel, and a
Frictionless data package describing them.

CSV is written with a byte-order mark: without it Excel on Windows reads the
file as the local code page and shows Hangul as mojibake.
"""
from __future__ import annotations

import csv
import io
import json

from .model import UNSTATED, Figure, Site
from .tables import safe_text

STAGE_CODES = {
    "예산안": "proposed", "본예산": "original", "최종예산": "final", "예산현액": "current",
    "전년도이월액": "carried_over", "원인행위액": "committed", "지출액": "spent", "징수액": "collected",
    UNSTATED: "unstated",
}

BUDGET_COLUMNS = ["fiscal_year", "stage", "as_of", "department_id", "department_name", "project_id",
                  "project_name", "account", "amount_thousand_krw", "precision", "source_id", "source_file",
                  "source_line", "note"]
REVENUE_COLUMNS = ["fiscal_year", "stage", "as_of", "account", "item", "parent", "amount_thousand_krw",
                   "precision", "source_id", "source_file", "source_line", "note"]


def figure_note(f: Figure) -> str:
    """What tells two rows of one year, stage and document apart, in words
    (budget.csv's note; the API's too, so the two say the same)."""
    parts = []
    if f.scope == "사업비":
        parts.append("범위: 세부사업만(기본경비 제외)")
    if f.table:
        parts.append(f"표: {f.table}")
    if f.recovered:
        parts.append(f"원문에 인쇄되지 않아 복원: {f.recovered}")
    if f.note:
        parts.append(f.note)
    return " / ".join(parts)


def _common(f: Figure) -> dict:
    return {"fiscal_year": f.year, "stage": STAGE_CODES[f.stage], "as_of": f.as_of or "",
            "amount_thousand_krw": f.amount, "precision": f.precision, "source_id": f.source.source.id,
            "source_file": f.source.source.file, "source_line": f.source.line, "note": figure_note(f)}


def budget_rows(site: Site) -> list[dict]:
    """Every published expenditure figure: projects, then department and bureau totals."""
    rows = []
    for p in sorted(site.projects.values(), key=lambda p: p.id):
        for f in p.figures.all:
            d = p.department_of(f)
            rows.append({**_common(f), "department_id": d.id, "department_name": d.name_printed(f),
                         "project_id": p.id, "project_name": p.name_printed(f), "account": p.account})
    for d in sorted(site.departments.values(), key=lambda d: d.id):
        for f in d.totals.all:
            rows.append({**_common(f), "department_id": d.id, "department_name": d.name_printed(f),
                         "project_id": "", "project_name": "", "account": f.account or ""})
    for f in site.bureau.totals.all:
        rows.append({**_common(f), "department_id": "", "department_name": bureau_name(site, f),
                     "project_id": "", "project_name": "", "account": f.account or ""})
    return rows


def bureau_names(site: Site, year: int) -> list[str]:
    """The bureau's names in a year: two in a year of reorganisation (2024)."""
    return [n.name for n in site.bureau.names if n.start <= year and (n.end is None or year <= n.end)]


def bureau_name(site: Site, f: Figure) -> str:
    """In a year with two bureau names (2024), the one the reporting office had."""
    names = bureau_names(site, f.year)
    if f.source.source.organisation in names:
        return f.source.source.organisation
    return names[-1] if names else site.bureau.name


def revenue_rows(site: Site) -> list[dict]:
    if site.revenue is None:
        return []
    return [{**_common(f), "account": f.account or "", "item": f.item, "parent": f.parent or ""}
            for f in site.revenue.items]


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    # The same guard as every table's download: a name or note a spreadsheet would run is written as text.
    writer.writerows({k: safe_text(v) for k, v in row.items()} for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def _field(name: str, type_: str, description: str, **constraints) -> dict:
    field: dict[str, object] = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _shared_fields() -> dict[str, dict]:
    return {
        "fiscal_year": _field("fiscal_year", "integer", "회계연도", required=True),
        "stage": _field("stage", "string", "단계: proposed 예산안, original 본예산, final 최종예산, current 예산현액, "
                        "carried_over 전년도이월액, committed 원인행위액, spent 지출액, collected 징수액, "
                        "unstated 단계 미상(자료가 어느 단계의 금액인지 밝히지 않음: 비교·합계에 쓰지 않음)",
                        required=True, enum=sorted(set(STAGE_CODES.values()))),
        "as_of": _field("as_of", "date", "기준일 (예산현액·원인행위액·지출액·징수액)"),
        "account": _field("account", "string",
                          "회계 (일반회계, 도시개발특별회계, 균형발전특별회계). 합계 행은 빈칸이면 모든 회계"),
        "amount_thousand_krw": _field("amount_thousand_krw", "integer", "금액 (천원)", required=True, minimum=0),
        "precision": _field("precision", "string", "원문이 인쇄한 단위. 천원보다 크면 그 단위로 반올림된 금액",
                            required=True, enum=["천원", "만원", "백만원", "억원"]),
        "source_id": _field("source_id", "string", "자료 id (sources/index.html)", required=True),
        "source_file": _field("source_file", "string", "자료의 텍스트 파일 이름", required=True),
        "source_line": _field("source_line", "integer", "자료 텍스트 파일의 행 번호 (1부터)", required=True, minimum=1),
        "note": _field("note", "string", "표 이름, 범위, 복원 방법 등 덧붙임"),
    }


def datapackage(site: Site) -> dict:
    shared = _shared_fields()
    budget_fields = {
        **shared,
        "department_id": _field("department_id", "string", "부서 id. 빈칸이면 국 전체 합계"),
        "department_name": _field("department_name", "string", "그 금액을 적은 자료가 쓴 부서(또는 국) 이름"),
        "project_id": _field("project_id", "string", "세부사업 id. 빈칸이면 부서·국 합계 행"),
        "project_name": _field("project_name", "string",
                               "그 금액을 적은 자료가 쓴 세부사업 이름 (같은 해라도 자료마다 다를 수 있음)"),
    }
    revenue_fields = {
        **shared,
        "item": _field("item", "string", "세입 항목 이름 (원문 그대로)", required=True),
        "parent": _field("parent", "string", "이 항목이 더해지는 위 항목. 빈칸이면 계"),
    }
    resources = [{
        "name": "budget", "path": "budget.csv", "title": "세출: 사업·부서·국 금액",
        "description": "원문에 인쇄된 세출 금액 하나가 한 줄입니다(세부사업, 부서 합계, 국 전체 합계). 금액은 천원 단위이고, "
                       "줄마다 회계연도·단계·기준일과 그 금액을 실은 자료의 파일 이름·행 번호가 있습니다.",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "schema": {"fields": [budget_fields[c] for c in BUDGET_COLUMNS]},
    }]
    if site.revenue is not None:
        resources.append({
            "name": "revenue", "path": "revenue.csv", "title": "세입: 항목별 금액",
            "description": "원문에 인쇄된 세입 금액 하나가 한 줄입니다(세입 항목과 그 위 항목). 금액은 천원 단위이고, "
                           "줄마다 회계연도·단계와 그 금액을 실은 자료의 파일 이름·행 번호가 있습니다.",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": [revenue_fields[c] for c in REVENUE_COLUMNS]},
        })
    package: dict = {
        "name": "seoul-digital-budget", "title": site.title, "description": site.description,
        "homepage": site.base_url,
    }
    package.update(_provenance(site))
    package["sources"] = [{"title": s.title, "path": s.file} for s in sorted(site.sources.values(), key=lambda s: s.id)]
    package["resources"] = resources
    return package


def _provenance(site: Site) -> dict:
    """Who publishes the data, under which licence, in which edition: as
    every page's footer says it."""
    out: dict = {}
    if site.edition:
        out["version"] = site.edition["date"]
        out["created"] = f"{site.edition['date']}T00:00:00Z"
    if (data := site.licences.get("data")) is not None:
        out["licenses"] = [{"name": data.spdx, "path": data.url, "title": data.name}]
    if site.publisher is not None:
        publisher: dict = {"title": site.publisher.name, "role": "publisher"}
        if site.publisher.url:
            publisher["path"] = site.publisher.url
        if site.publisher.email:
            publisher["email"] = site.publisher.email
        out["contributors"] = [publisher]
    return out


def files(site: Site) -> dict[str, bytes]:
    """Path under data/ → bytes."""
    out = {"budget.csv": to_csv(budget_rows(site), BUDGET_COLUMNS)}
    if site.revenue is not None:
        out["revenue.csv"] = to_csv(revenue_rows(site), REVENUE_COLUMNS)
    out["datapackage.json"] = (json.dumps(datapackage(site), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return out
