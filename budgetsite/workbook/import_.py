"""build.py import FILE: read a filled workbook, check every cell, then change only
the YAML entries whose rows changed (and add new rows), check the whole content
as `build.py check` does on a copy, and only then put the changed files in place.

Rows missing from the sheet are left as they are: the import never deletes."""
from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import FoldedScalarString

from ..pipeline import Paths, check
from ..problems import ContentError, display_path
from ..write import output_lock
from . import journal
from .export import lists, read_all
from .sheets import (
    DEPARTMENT,
    FIELD_ROW,
    FIRST_ROW,
    INFO,
    KINDS,
    LISTS_SHEET,
    OWNER,
    PROJECT_LIST,
    PROJECTS,
    ROW_ID,
    Kind,
    read_cell,
)
from .yamlfile import YamlFile, flow_line, plain


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    changed: int = 0
    added: int = 0
    files: list[str] = field(default_factory=list)


@dataclass
class _Row:
    kind: Kind
    r: int
    entry: dict
    cols: dict[str, int]  # field → column, for pointing at a cell
    file: YamlFile | None = None
    index: int | None = None  # None: a new entry
    department: str | None = None  # 담당 부서 (그 해), project figures only

    def cell(self, field_: str) -> str:
        return f"{self.kind.sheet}!{get_column_letter(self.cols.get(field_, 1))}{self.r}"


def import_workbook(paths: Paths, workbook: Path) -> Result:
    """One import at a time into one content folder: a second would write
    texts made from what the first replaced."""
    with output_lock(paths.content, paths.cache / "locks", who="가져오기(import)"):
        return _import(paths, workbook)


def _import(paths: Paths, workbook: Path) -> Result:
    result = Result()
    try:
        values_wb = load_workbook(workbook, data_only=True)  # a formula's last computed value
        formulas_wb = load_workbook(workbook)  # to tell a formula with no stored value from an empty cell
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as e:
        result.problems.append(f"{workbook}: 엑셀 통합 문서(.xlsx)로 읽을 수 없습니다 ({type(e).__name__}: {e})")
        return result
    loaded = read_all(paths.content)
    allowed = lists(paths.content, loaded)
    files = {sheet: {f.rel: f for f in found} for sheet, found in loaded.items()}
    rows: list[_Row] = []
    known = {kind.sheet for kind in KINDS} | {PROJECT_LIST.sheet, LISTS_SHEET}
    for name in values_wb.sheetnames:
        if name not in known:
            result.notices.append(f"시트 「{name}」는 이 사이트의 시트가 아니라 읽지 않았습니다")
    made: dict[str, _Row] = {}
    if PROJECT_LIST.sheet in values_wb.sheetnames:
        made = _new_projects(paths.content, values_wb[PROJECT_LIST.sheet], formulas_wb[PROJECT_LIST.sheet], allowed,
                             files[PROJECTS.sheet], result)
    for kind in KINDS:
        if kind.sheet not in values_wb.sheetnames:
            result.notices.append(f"시트 「{kind.sheet}」가 없어 그 자료는 그대로 둡니다")
            continue
        rows += _read_sheet(kind, values_wb[kind.sheet], formulas_wb[kind.sheet], allowed, files[kind.sheet], result)
    _duplicates(rows, result)
    years = _new_years(rows, result)
    with_figures = {row.file.rel for row in rows if row.kind is PROJECTS and row.file is not None}
    for rel, row in made.items():
        if rel not in with_figures:
            result.problems.append(f"{row.cell('id')} [figures] 새 사업 「{row.entry['id']}」의 금액이 「사업 금액」에 "
                                   f"없습니다. 사업 id를 적은 금액 행을 하나 이상 넣어 주세요")
    if result.problems:
        return result
    edits = _edits(rows, years, result)
    for rel, row in made.items():
        edits[rel].made = row
    if result.problems or not edits:
        return result
    _check_and_replace(paths, edits, _lines_of(rows), result)
    return result


def _new_projects(content: Path, ws, wf, allowed, files: dict[str, YamlFile], result: Result) -> dict[str, _Row]:
    """「사업 목록」: each row whose id no file has becomes a new project file
    (added to files, and its id to the ids 「사업 금액」 may name); a row of a
    project already there must say what its file says."""
    made: dict[str, _Row] = {}
    by_id = {f.owner(): f for f in files.values()}
    for row in _read_sheet(PROJECT_LIST, ws, wf, allowed, {}, result, locate=False):
        pid = str(row.entry["id"])
        if (f := by_id.get(pid)) is not None and f.rel not in made:
            for c in PROJECT_LIST.columns:
                if plain(f.data.get(c.field)) != row.entry.get(c.field):
                    result.problems.append(f"{row.cell(c.field)} [{c.field}] 이미 있는 사업의 {c.header.split(' ')[0]}은(는) "
                                           f"{f.rel}에서 고쳐 주세요 (이름을 바꾸면 former_names에 옛 이름도 적습니다)")
            continue
        if f is not None:
            result.problems.append(f"{row.cell('id')} [id] 같은 새 사업 id가 {made[f.rel].r}행에도 있습니다")
            continue
        if not _ID.fullmatch(pid):
            result.problems.append(f"{row.cell('id')} [id] 사업 id는 영문 소문자·숫자와 -만 씁니다 (입력값: {pid!r})")
            continue
        rel = f"projects/{pid}.yaml"
        text = _new_project_text({c.field: row.entry[c.field] for c in PROJECT_LIST.columns})
        files[rel] = by_id[pid] = YamlFile.parse(content / rel, content, text)
        allowed["project"].append(pid)
        made[rel] = row
    return made


_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _new_project_text(fields: dict[str, str]) -> str:
    """A new project file's head, as the files begin; its departments and figures follow from the rows."""
    head = CommentedMap(fields)
    head["description"] = FoldedScalarString(fields["description"])
    out = io.StringIO()
    y = YAML()
    y.width = 120
    y.dump(head, out)
    return "# yaml-language-server: $schema=../../schemas/project.schema.json\n" + out.getvalue()


def _read_sheet(kind: Kind, ws, wf, allowed, files: dict[str, YamlFile], result: Result,
                locate: bool = True) -> list[_Row]:
    cols: dict[str, int] = {}
    for j in range(1, ws.max_column + 1):
        key = ws.cell(FIELD_ROW, j).value
        if kind.column(str(key)) is not None and str(key) not in cols:
            cols[str(key)] = j
        elif any(ws.cell(r, j).value is not None for r in range(1, ws.max_row + 1)):
            result.notices.append(f"{kind.sheet}!{get_column_letter(j)} 열은 이 사이트의 열이 아니라 읽지 않았습니다")
    missing = [c.header for c in kind.columns if (c.required or c.field == ROW_ID) and c.field not in cols]
    if missing:
        result.problems.append(f"{kind.sheet}!A{FIELD_ROW} [열] 숨긴 {FIELD_ROW}행의 항목 이름이 없는 열이 있습니다: "
                               f"{', '.join(missing)}. 내보낸 통합 문서의 머리 두 행을 그대로 두세요")
        return []
    for merged in ws.merged_cells.ranges:
        if merged.max_row >= FIELD_ROW:
            result.problems.append(f"{kind.sheet}!{merged.coord} [병합] 병합된 칸입니다. 병합을 풀고 칸마다 값을 넣어 주세요")
    rows = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        entry: dict[str, Any] = {}
        bad = False
        filled = False
        for key, j in cols.items():
            column = kind.column(key)
            assert column is not None
            raw = ws.cell(r, j).value
            if raw is None and wf.cell(r, j).data_type == "f":
                result.problems.append(f"{kind.sheet}!{get_column_letter(j)}{r} [{key}] 수식의 값이 저장되어 있지 않습니다 "
                                       f"(입력값: {wf.cell(r, j).value!r}). "
                                       f"Excel이나 LibreOffice에서 다시 저장하거나 값을 넣어 주세요")
                bad = filled = True
                continue
            if key == INFO:
                continue
            value, why = read_cell(raw, column, allowed)
            filled = filled or raw is not None and str(raw).strip() != ""
            if why:
                label = kind.owner if key == OWNER else key  # [department], not the column's inner name
                result.problems.append(f"{kind.sheet}!{get_column_letter(j)}{r} [{label}] {why}")
                bad = True
            elif value is not None:
                _put(entry, key, value)
        if not filled:
            continue  # an empty row
        row = _Row(kind, r, entry, cols)
        if not bad and locate:
            _locate(row, files, result)
            for c in kind.columns:
                if c.required and c.field not in (ROW_ID, OWNER) and _get(entry, c.field) is None:
                    result.problems.append(f"{row.cell(c.field)} [{c.field}] 값이 없습니다 ({c.header}은(는) 꼭 있어야 합니다)")
                    bad = True
        if not bad:
            rows.append(row)
    return rows


def _put(entry: dict, key: str, value: Any) -> None:
    head, _, rest = key.partition(".")
    if rest:
        entry.setdefault(head, {})[rest] = value
    else:
        entry[head] = value


def _get(entry: dict, key: str) -> Any:
    head, _, rest = key.partition(".")
    value = entry.get(head)
    return (value or {}).get(rest) if rest else value


def _locate(row: _Row, files: dict[str, YamlFile], result: Result) -> None:
    """The YAML entry a row is (its row id), or the file a new row goes into."""
    kind, entry = row.kind, row.entry
    owner = entry.pop(OWNER, None)
    row_id = entry.pop(ROW_ID, None)
    row.department = entry.pop(DEPARTMENT, None)
    if row_id:
        rel, _, index = str(row_id).rpartition("#")
        f = files.get(rel)
        if f is None or not index.isdigit() or int(index) >= len(f.entries(kind.list_key)):
            result.problems.append(f"{row.cell(ROW_ID)} [{ROW_ID}] 없는 행 id입니다 (입력값: {row_id!r}). "
                                   f"내보낸 값을 고치지 말고, 새 행은 행 id를 비워 두세요")
            return
        if kind.owner and owner != f.owner():
            result.problems.append(f"{row.cell(OWNER)} [{kind.owner}] 행 id의 파일은 '{f.owner()}'의 것입니다 "
                                   f"(입력값: {owner!r}). 다른 곳으로 옮기려면 이 행을 지우고 새 행으로 적으세요")
            return
        row.file, row.index = f, int(index)
        return
    if kind.owner:
        row.file = next((f for f in files.values() if f.owner() == owner), None)
        if row.file is None:
            what = "사업" if kind.owner == "project" else "부서"
            result.problems.append(f"{row.cell(OWNER)} [{kind.owner}] 새 행에는 있는 {what} "
                                   f"id가 있어야 합니다. 새 사업·부서는 YAML 파일을 먼저 만들어 주세요")
    else:
        row.file = next(iter(files.values()), None)
        if row.file is None:
            result.problems.append(f"{row.cell(ROW_ID)} [{ROW_ID}] content/에 {kind.list_key}를 적을 파일이 없습니다")


def _duplicates(rows: list[_Row], result: Result) -> None:
    seen: dict[tuple, _Row] = {}
    ids: dict[tuple, _Row] = {}
    for row in rows:
        if row.file is None:
            continue
        if row.index is not None:
            at = (row.file.rel, row.index)
            if at in ids:
                result.problems.append(f"{row.cell(ROW_ID)} [{ROW_ID}] 같은 행 id가 {ids[at].r}행에도 있습니다. "
                                       f"복사한 행이면 행 id를 비워 새 행으로 적으세요")
            ids.setdefault(at, row)
        key = (row.kind.sheet, row.file.rel, row.kind.identity(row.entry))
        if key in seen:
            result.problems.append(f"{row.cell('amount')} [중복] 같은 연도·단계·문서·표의 금액이 {seen[key].r}행에도 있습니다")
        seen.setdefault(key, row)


def _new_years(rows: list[_Row], result: Result) -> dict[str, dict[int, _Row]]:
    """A project's department for each year its figures newly reach (file →
    year → the first row saying it). A year the file already has keeps its
    department: moving a project between departments is said in YAML, with
    the documents that place it (see content/README.md)."""
    found: dict[str, dict[int, _Row]] = {}
    for row in rows:
        if row.kind is not PROJECTS or row.file is None:
            continue
        year = int(row.entry["year"])  # required: a row without one is said and not here
        known = {str(d.get("department")) for d in row.file.entries("departments") if d.get("year") == year}
        if known:
            if row.department is not None and row.department not in known:
                result.problems.append(f"{row.cell(DEPARTMENT)} [department] {row.file.rel}는 {year}년 담당 부서를 "
                                       f"{', '.join(sorted(known))}(으)로 적고 있습니다 (입력값: {row.department!r}). "
                                       f"부서를 옮기는 것은 YAML의 departments에서 고쳐 주세요")
            continue
        said = found.setdefault(row.file.rel, {})
        if row.department is None:
            result.problems.append(f"{row.cell(DEPARTMENT)} [department] {year}년은 이 사업의 담당 부서가 아직 없습니다. "
                                   f"담당 부서 (그 해) 칸에서 고르세요")
        elif year in said and said[year].department != row.department:
            result.problems.append(f"{row.cell(DEPARTMENT)} [department] {year}년 담당 부서가 {said[year].r}행과 다릅니다 "
                                   f"({said[year].department!r}, 입력값: {row.department!r})")
        else:
            said.setdefault(year, row)
    return found


@dataclass
class _Edit:
    file: YamlFile
    lines: dict[int, tuple[str, _Row]] = field(default_factory=dict)  # line index → new text
    appended: dict[str, list[tuple[str, _Row]]] = field(default_factory=dict)  # list key → new entries
    made: _Row | None = None  # a new project: its 「사업 목록」 row


def _edits(rows: list[_Row], years: dict[str, dict[int, _Row]], result: Result) -> dict[str, _Edit]:
    edits: dict[str, _Edit] = {}
    for row in rows:
        f = row.file
        assert f is not None
        seq = f.entries(row.kind.list_key)
        if row.index is not None:
            old = seq[row.index]
            if plain(old) == row.entry:
                continue
            if not isinstance(old, CommentedMap) or not old.fa.flow_style():
                result.problems.append(f"{row.cell(ROW_ID)} [{ROW_ID}] {f.rel}의 이 항목은 여러 줄로 적혀 있어 표에서 고치지 "
                                       f"않습니다. YAML 파일에서 고쳐 주세요")
                continue
            _update(old, row.entry, row.kind.order)
            line, col = seq.lc.item(row.index)
            text = f.text.split("\n")[line]
            edits.setdefault(f.rel, _Edit(f)).lines[line] = (text[:col - 2] + flow_line(old), row)
            result.changed += 1
        else:
            new = CommentedMap()
            _update(new, row.entry, row.kind.order)
            edits.setdefault(f.rel, _Edit(f)).appended.setdefault(row.kind.list_key, []).append((flow_line(new), row))
            result.added += 1
    for rel, by_year in years.items():
        for year, row in sorted(by_year.items()):
            assert row.file is not None
            line = CommentedMap([("year", year), ("department", row.department)])
            edits.setdefault(rel, _Edit(row.file)).appended.setdefault("departments", []).append((flow_line(line), row))
    return edits


def _update(old: CommentedMap, new: dict, order: list[str]) -> None:
    """Change old to hold new, keeping old's keys where they are; a key given
    anew goes after the keys before it in the columns' order."""
    for key in [k for k in old if k not in new]:
        del old[key]
    for key in order:
        if key not in new:
            continue
        value = new[key]
        if isinstance(value, dict):
            inner = old.get(key) if isinstance(old.get(key), CommentedMap) else CommentedMap()
            _update(inner, value, list(value))
            value = inner
        if key in old:
            if plain(old[key]) != plain(value):
                old[key] = value
            continue
        before = [k for k in order[:order.index(key)] if k in old]
        old.insert(list(old).index(before[-1]) + 1 if before else 0, key, value)


def _new_text(edit: _Edit) -> tuple[str, dict[int, _Row]]:
    """The file's text with the edits made, and the (1-based) line of each row in it.
    New entries go after the last entry of their list (after its last line, if
    it spans several), so the lines of the entries before stay."""
    lines = edit.file.text.split("\n")
    after: dict[int, list[tuple[str, _Row]]] = {}
    tail: list[tuple[str, _Row]] = []
    # A project file lists its departments before its figures.
    for key, added in sorted(edit.appended.items(), key=lambda item: item[0] != "departments"):
        seq = edit.file.entries(key)
        if len(seq):
            first, col = seq.lc.item(len(seq) - 1)
            indent = " " * (col - 2)
            after.setdefault(_last_line(lines, first, len(indent)), []).extend((indent + t, r) for t, r in added)
        else:  # no such list yet: it goes at the end of the file
            tail += [(f"{key}:", added[0][1]), *(("  " + t, r) for t, r in added)]
    while tail and lines and lines[-1] == "":
        lines.pop()
    out: list[str] = []
    at: dict[int, _Row] = {}
    for i, line in enumerate(lines):
        text, row = edit.lines.get(i, (line, edit.made))
        out.append(text)
        if row is not None:
            at[len(out)] = row
        for text, row in after.get(i, []):
            out.append(text)
            at[len(out)] = row
    for text, row in tail:
        out.append(text)
        at[len(out)] = row
    text = "\n".join(out)
    return (text if text.endswith("\n") else text + "\n"), at


def _last_line(lines: list[str], first: int, indent: int) -> int:
    """The last line of the list item starting at line first: the lines after
    it indented deeper are its own; blank and comment lines after it are not."""
    last = first
    for j in range(first + 1, len(lines)):
        stripped = lines[j].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(lines[j]) - len(lines[j].lstrip(" ")) <= indent:
            break
        last = j
    return last


def _lines_of(rows: list[_Row]) -> dict[tuple[str, int], _Row]:
    """(file, 1-based line) → the row of each entry the sheets show: a problem
    the check finds there is said at the row's cell. New entries go after the
    last entry of their list, so the lines of the entries before stay."""
    at = {}
    for row in rows:
        if row.file is not None and row.index is not None:
            at[(row.file.rel, row.file.entries(row.kind.list_key).lc.item(row.index)[0] + 1)] = row
    return at


def _check_and_replace(paths: Paths, edits: dict[str, _Edit], shown_rows: dict[tuple[str, int], _Row],
                       result: Result) -> None:
    new = {rel: _new_text(e) for rel, e in edits.items()}
    # The whole content copied aside, so the check sees exactly what content/ would hold.
    with tempfile.TemporaryDirectory(prefix="budgetsite-import-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(paths.content, copy, symlinks=True)
        for rel, (text, _) in new.items():
            (copy / rel).write_text(text, encoding="utf-8")
        try:
            check(replace(paths, content=copy))
        except ContentError as e:
            known = set(new) | {rel for rel, _ in shown_rows}
            shown_copy = display_path(copy, paths.root)
            shown = display_path(paths.content, paths.root)
            for p in e.problems:  # named as the real files are (the copy is a folder named content too)
                file = p.file.replace(shown_copy, shown).replace(str(copy), str(paths.content))
                shown_as = "/" + Path(p.file).as_posix()
                rel = max((r for r in known if shown_as.endswith("/" + r)), key=len, default="")
                row = (new[rel][1] if rel in new else {}).get(p.line) or shown_rows.get((rel, p.line))
                field_ = p.field.split("].", 1)[-1] if "]." in p.field else ROW_ID
                where = f"{row.cell(field_)} [{field_}] " if row else (f"{file}:{p.line} [{p.field}] " if p.field else
                                                                       f"{file}:{p.line} ")
                result.problems.append(f"{where}{p.message}" + (f" ({file}:{p.line})" if row else ""))
            return
    journal.replace_all(paths.content, {rel: text for rel, (text, _) in new.items()})
    result.files = sorted(new)
