"""build.py export --xlsx FILE: every project figure, department total and revenue
item as a row the office edits in Excel or LibreOffice."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .sheets import (
    DEPARTMENT,
    FIELD_ROW,
    FIRST_ROW,
    HEADER_ROW,
    INFO,
    KINDS,
    LISTS_SHEET,
    OWNER,
    PROJECT_LIST,
    PROJECTS,
    ROW_ID,
    Kind,
    department_in,
    get,
    schema_enums,
)
from .yamlfile import YamlFile, plain

_HEADER = Font(bold=True)
_READ_ONLY = PatternFill("solid", fgColor="EEEEEE")  # grey: the row id and the name are not to be edited


def read_all(content: Path) -> dict[str, list[YamlFile]]:
    """Each sheet's YAML files, read once (ruamel.yaml is pure Python: slow)."""
    return {kind.sheet: [YamlFile.read(p, content) for p in kind.files(content)] for kind in KINDS}


def lists(content: Path, files: dict[str, list[YamlFile]]) -> dict[str, list[str]]:
    """Every value a listed column may take: the schema's, and the ids the content has."""
    found = schema_enums()
    sources = YamlFile.read(content / "sources.yaml", content)
    found["doc"] = [str(s["id"]) for s in sources.entries("sources")]
    for kind in KINDS:
        if kind.owner:
            found[kind.owner] = [f.owner() or "" for f in files[kind.sheet]]
    return found


def export(content: Path, target: Path) -> int:
    """Write the workbook; returns the number of rows written."""
    files = read_all(content)
    values = lists(content, files)
    wb = Workbook()
    wb.remove(wb.active)  # its default sheet: ours have names
    rows = sum(_sheet(wb, kind, files[kind.sheet]) for kind in KINDS)
    _project_list(wb, files[PROJECTS.sheet])
    _lists_sheet(wb, values)
    for kind in (*KINDS, PROJECT_LIST):
        _drop_downs(wb[kind.sheet], kind, values)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return rows


def _head(wb: Workbook, kind: Kind):
    ws = wb.create_sheet(kind.sheet)
    for i, c in enumerate(kind.columns, 1):
        ws.cell(HEADER_ROW, i, c.header).font = _HEADER
        ws.cell(FIELD_ROW, i, c.field)
        ws.column_dimensions[get_column_letter(i)].width = c.width
    ws.row_dimensions[FIELD_ROW].hidden = True  # the field keys are for the import, not the reader
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)
    return ws


def _project_list(wb: Workbook, files: list[YamlFile]) -> None:
    ws = _head(wb, PROJECT_LIST)
    for r, f in enumerate(files, FIRST_ROW):
        for j, c in enumerate(PROJECT_LIST.columns, 1):
            value = get(plain(f.data), c.field)
            ws.cell(r, j, value).number_format = "@"
            if c.field == "id":
                ws.cell(r, j).fill = _READ_ONLY


def _sheet(wb: Workbook, kind: Kind, files: list[YamlFile]) -> int:
    ws = _head(wb, kind)
    r = FIRST_ROW
    for f in files:
        for i, entry in enumerate(f.entries(kind.list_key)):
            entry = plain(entry)
            for j, c in enumerate(kind.columns, 1):
                value: object
                if c.field == ROW_ID:
                    value = f"{f.rel}#{i}"
                elif c.field == OWNER:
                    value = f.owner()
                elif c.field == INFO:
                    value = str(f.data.get("name", ""))
                elif c.field == DEPARTMENT:
                    value = department_in(f.data, entry.get("year"), get(entry, "source.doc"))
                else:
                    value = get(entry, c.field)
                cell = ws.cell(r, j, value)
                if c.type == "int":
                    cell.number_format = "#,##0" if c.field == "amount" else "0"
                elif value is not None:
                    cell.number_format = "@"  # text stays text: 2024-05-31 is not turned into a date
                if c.field in (ROW_ID, INFO):
                    cell.fill = _READ_ONLY
            r += 1
    return r - FIRST_ROW


def _lists_sheet(wb: Workbook, values: dict[str, list[str]]) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    for j, (name, items) in enumerate(values.items(), 1):
        ws.cell(1, j, name)
        for i, item in enumerate(items, 2):
            ws.cell(i, j, item)
    ws.sheet_state = "hidden"


def _drop_downs(ws, kind: Kind, values: dict[str, list[str]]) -> None:
    names = list(values)
    for j, c in enumerate(kind.columns, 1):
        if c.type not in values:
            continue
        k = get_column_letter(names.index(c.type) + 1)
        source = f"{quote_sheetname(LISTS_SHEET)}!${k}$2:${k}${len(values[c.type]) + 1}"
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                            errorTitle="목록에 없는 값", error=f"{c.header}: 목록에서 고르세요")
        col = get_column_letter(j)
        dv.add(f"{col}{FIRST_ROW}:{col}1048576")
        ws.add_data_validation(dv)
