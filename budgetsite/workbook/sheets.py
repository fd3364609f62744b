"""What the workbook holds: one sheet per kind of figure, its columns, and how
a cell's value is read back (type, allowed values), shared by export and import."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..validate import SCHEMA_DIR

# Row 1: Korean headers; row 2 (hidden): the field of each column, so import
# maps columns by field and ignores columns the office adds; data from row 3.
HEADER_ROW, FIELD_ROW, FIRST_ROW = 1, 2, 3
ROW_ID = "_row"      # <file under content/>#<index in its list>: which YAML entry a row is
OWNER = "_owner"     # the project or department id the entry belongs to
INFO = "_name"       # the project's name: shown, never read back
DEPARTMENT = "_department"  # the project's department in the row's year (its departments list)
LISTS_SHEET = "목록"  # hidden sheet the drop-downs take their values from


@dataclass(frozen=True)
class Column:
    field: str   # key of the entry; source.doc etc. for the nested source
    header: str
    type: str    # int | text | date | a list name of Lists (stage, doc, …)
    width: int = 12
    required: bool = False


@dataclass(frozen=True)
class Kind:
    sheet: str
    list_key: str                 # the YAML list the rows are entries of
    files: Callable[[Path], list[Path]]
    owner: str | None             # what the owner column names: project | department | None
    columns: tuple[Column, ...]
    identity: Callable[[dict], tuple]  # what makes an entry unique (as validate/references.py)

    def column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)

    @property
    def order(self) -> list[str]:
        """Where a key given anew goes among the keys an entry has: the
        columns' order, source after the key it follows in the files."""
        keys: list[str] = []
        for c in self.columns:
            key = c.field.split(".")[0]
            if not key.startswith("_") and key not in keys:
                keys.append(key)
        return keys


def _source_columns() -> tuple[Column, ...]:
    return (Column("source.doc", "출처 문서", "doc", 20, True), Column("source.line", "원문 줄", "int", 9, True),
            Column("source.page", "쪽", "int", 6))


def _tail() -> tuple[Column, ...]:
    return (Column("note", "비고", "text", 40), Column("recovered", "복원 방법", "text", 20))


def _key(e: dict) -> tuple:
    return (e.get("year"), e.get("stage"), (e.get("source") or {}).get("doc"))


PROJECTS = Kind(
    "사업 금액", "figures", lambda c: sorted((c / "projects").glob("*.yaml")), "project",
    (Column(ROW_ID, "행 id (고치지 마세요)", "text", 34), Column(OWNER, "사업 id", "project", 28, True),
     Column(INFO, "사업명 (참고, 읽지 않음)", "text", 30), Column(DEPARTMENT, "담당 부서 (그 해)", "department", 22),
     Column("year", "연도", "int", 7, True),
     Column("stage", "단계", "stage", 11, True), Column("amount", "금액(천원)", "int", 15, True),
     Column("precision", "인쇄 단위", "precision", 9), Column("as_of", "기준일", "date", 11),
     Column("table", "표", "text", 20), *_source_columns(), *_tail()),
    lambda e: (*_key(e), e.get("table")))

DEPARTMENTS = Kind(
    "부서 합계", "totals", lambda c: sorted((c / "departments").glob("*.yaml")), "department",
    (Column(ROW_ID, "행 id (고치지 마세요)", "text", 34), Column(OWNER, "부서 id", "department", 22, True),
     Column("year", "연도", "int", 7, True), Column("stage", "단계", "stage", 11, True),
     Column("account", "회계", "account", 14), Column("scope", "범위", "scope", 8), Column("table", "표", "text", 20),
     Column("amount", "금액(천원)", "int", 15, True), Column("precision", "인쇄 단위", "precision", 9),
     Column("as_of", "기준일", "date", 11), *_source_columns(), *_tail()),
    lambda e: (*_key(e), e.get("account"), e.get("scope", "전체"), e.get("table")))

REVENUE = Kind(
    "세입", "items", lambda c: [c / "revenue.yaml"] if (c / "revenue.yaml").is_file() else [], None,
    (Column(ROW_ID, "행 id (고치지 마세요)", "text", 22), Column("year", "연도", "int", 7, True),
     Column("stage", "단계", "revenue_stage", 11, True), Column("account", "회계", "account", 14),
     Column("item", "항목", "text", 20, True), Column("parent", "상위 항목", "text", 20),
     Column("amount", "금액(천원)", "int", 15, True), Column("precision", "인쇄 단위", "precision", 9),
     Column("as_of", "기준일", "date", 11), Column("table", "표", "text", 20), *_source_columns(), *_tail()),
    lambda e: (*_key(e), e.get("account"), e.get("table"), e.get("parent"), e.get("item")))

KINDS = (PROJECTS, DEPARTMENTS, REVENUE)

# One row per project: a new row (an id no file has) makes a new project file,
# its figures and its department in each year coming from 「사업 금액」 rows
# with its id. A project already there is changed in YAML, where a rename
# also records the former name.
PROJECT_LIST = Kind(
    "사업 목록", "", lambda c: sorted((c / "projects").glob("*.yaml")), None,
    (Column("id", "사업 id (영문 소문자·숫자·-)", "text", 30, True), Column("name", "사업명", "text", 34, True),
     Column("account", "회계", "account", 14, True), Column("description", "설명 (우리 말로, 출처를 밝혀)", "text", 70, True)),
    lambda e: (e.get("id"),))


def schema_enums() -> dict[str, list[str]]:
    """The values the schema allows, so the drop-downs and the import say the same as the check."""
    defs = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
    return {name: list(defs[name]["enum"]) for name in ("stage", "revenue_stage", "precision", "account", "scope")}


def get(entry: dict, field: str) -> Any:
    head, _, rest = field.partition(".")
    value = entry.get(head)
    return get(value, rest) if rest and isinstance(value, dict) else (None if rest else value)


def department_in(project: Any, year: Any, doc: Any = None) -> str | None:
    """The department a project file gives for a year: the line naming the
    figure's document, else the line naming none."""
    lines = [d for d in (project.get("departments") or []) if isinstance(d, dict) and d.get("year") == year]
    for d in lines:
        if doc in (d.get("documents") or []):
            return str(d["department"])
    return next((str(d["department"]) for d in lines if not d.get("documents")), None)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_cell(value: Any, column: Column, lists: dict[str, list[str]]) -> tuple[Any, str | None]:
    """A cell's value as the YAML holds it, or the Korean reason it cannot be."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None, None
    if value is None:
        return None, None
    shown = f"(입력값: {value!r})"
    if column.type == "int":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"정수가 아닙니다 {shown}"
        if value != int(value):
            return None, f"정수가 아닙니다 {shown}"
        if int(value) < 0 or (column.field == "amount" and int(value) > 10**13):
            return None, f"0 이상이고 1경원(10,000,000,000,000천원) 이하여야 합니다 {shown}"
        return int(value), None
    if column.type == "date":
        if isinstance(value, dt.datetime | dt.date):  # the office typed a date and Excel made it one
            return value.strftime("%Y-%m-%d"), None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                dt.date.fromisoformat(value)
                return value, None
            except ValueError:
                pass
        return None, f"날짜(YYYY-MM-DD)가 아닙니다 {shown}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if not isinstance(value, dt.datetime | dt.date) else value.strftime("%Y-%m-%d")
    if column.type in lists and text not in lists[column.type]:
        what = {"stage": "단계", "revenue_stage": "세입 단계", "precision": "인쇄 단위", "account": "회계", "scope": "범위",
                "doc": "출처 문서", "project": "사업", "department": "부서"}.get(column.type, column.type)
        return None, f"없는 {what}입니다 {shown}. 목록에서 고르세요"
    return text, None
