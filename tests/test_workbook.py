"""The Excel round trip (build.py export --xlsx / import): a no-op leaves content/
byte for byte, an edit changes only its line, and every bad cell is said at once."""
import datetime as dt
import json
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from budgetsite.cli import main
from budgetsite.pipeline import Paths, check
from budgetsite.workbook import journal

from .conftest import FIXTURE_SOURCES, PROJECT

# Columns of 「사업 금액」 as exported (the import itself goes by the hidden field row).
ROW_ID, OWNER, DEPARTMENT, YEAR, STAGE, AMOUNT, AS_OF, DOC, LINE, NOTE = "A", "B", "D", "E", "F", "G", "I", "K", "L", "N"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(command: str, xlsx: Path, content: Path, sources: Path = FIXTURE_SOURCES) -> int:
    flag = ["--xlsx", str(xlsx)] if command == "export" else [str(xlsx)]
    return main([command, *flag, "--content", str(content), "--sources", str(sources)])


def _row_of(ws, row_id: str) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws[f"{ROW_ID}{r}"].value == row_id)


def test_an_unchanged_export_imports_as_no_change(content, tmp_path, capsys):
    before = _snapshot(content)
    assert _run("export", tmp_path / "a.xlsx", content) == 0
    assert _run("import", tmp_path / "a.xlsx", content) == 0
    assert "바뀐 행이 없습니다" in capsys.readouterr().out
    assert _snapshot(content) == before


def test_the_real_content_round_trips_byte_for_byte(tmp_path):
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip(f"source texts not found at {paths.sources}")
    copy = tmp_path / "content"
    shutil.copytree(paths.content, copy)
    before = _snapshot(copy)
    assert _run("export", tmp_path / "a.xlsx", copy, paths.sources) == 0
    assert _run("import", tmp_path / "a.xlsx", copy, paths.sources) == 0
    assert _snapshot(copy) == before


def test_the_workbook_is_made_for_editing(content, tmp_path):
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames[:3] == ["사업 금액", "부서 합계", "세입"]
    for name in wb.sheetnames[:3]:
        ws = wb[name]
        assert ws.freeze_panes == "A3"
        assert ws.row_dimensions[2].hidden  # the field keys
        listed = {str(dv.sqref).split(":")[0][:-1] for dv in ws.data_validations.dataValidation}
        assert {ws.cell(2, c).value for c in range(1, ws.max_column + 1)
                if ws.cell(2, c).column_letter in listed} >= {"stage", "source.doc"}
    ws = wb["사업 금액"]
    assert ws["A1"].value.startswith("행 id") and ws["G1"].value == "금액(천원)"
    r = _row_of(ws, "projects/map-platform.yaml#0")
    assert ws[f"{AMOUNT}{r}"].value == 1500000 and ws[f"{AMOUNT}{r}"].data_type == "n"
    assert ws[f"{YEAR}{r}"].data_type == "n" and ws[f"{STAGE}{r}"].value == "예산안"
    account = wb["부서 합계"]
    assert any(account.cell(2, c).value == "account" for c in range(1, account.max_column + 1))
    assert wb["목록"].sheet_state == "hidden"


def test_one_changed_amount_changes_that_line_only(content, tmp_path, capsys):
    file = content / "projects" / "map-platform.yaml"
    lines = file.read_text(encoding="utf-8").split("\n")
    lines.insert(lines.index("figures:") + 1, "  # 검토보고서: 이 주석은 남아야 합니다")
    file.write_text("\n".join(lines), encoding="utf-8")
    before = _snapshot(content)
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    ws[f"{AMOUNT}{_row_of(ws, 'projects/map-platform.yaml#1')}"] = 1300001
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 0, capsys.readouterr().err
    after = _snapshot(content)
    assert [k for k in after if after[k] != before[k]] == ["projects/map-platform.yaml"]
    old, new = before["projects/map-platform.yaml"].decode().split("\n"), after["projects/map-platform.yaml"].decode().split("\n")
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [("  - {year: 2024, stage: 본예산, amount: 1300000, source: {doc: doc-a, line: 10}}",
                        "  - {year: 2024, stage: 본예산, amount: 1300001, source: {doc: doc-a, line: 10}}")]


def test_a_new_row_is_a_new_figure(content, tmp_path, capsys):
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    r = ws.max_row + 1
    for col, value in {OWNER: "map-platform", YEAR: 2025, STAGE: "단계 미상", AMOUNT: 7, DOC: "doc-a", LINE: 10,
                       NOTE: "새 행"}.items():
        ws[f"{col}{r}"] = value
    wb.save(tmp_path / "b.xlsx")
    old = (content / "projects" / "map-platform.yaml").read_text(encoding="utf-8")
    assert _run("import", tmp_path / "b.xlsx", content) == 0, capsys.readouterr().err
    new = (content / "projects" / "map-platform.yaml").read_text(encoding="utf-8")
    added = "  - {year: 2025, stage: 단계 미상, amount: 7, source: {doc: doc-a, line: 10}, note: 새 행}\n"
    last = "  - {year: 2025, stage: 지출액, amount: 600000, as_of: \"2025-07-31\", source: {doc: doc-b, line: 12}}\n"
    assert new == old.replace(last, last + added)
    # and the import of a fresh export of it is no change
    _run("export", tmp_path / "c.xlsx", content)
    before = _snapshot(content)
    assert _run("import", tmp_path / "c.xlsx", content) == 0
    assert _snapshot(content) == before


def test_a_new_year_adds_the_department_of_that_year(content, tmp_path, capsys):
    """A figure for a year the project has no department for yet: 담당 부서
    (그 해) says it, and the import adds that year's line to departments."""
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    assert {ws[f"{DEPARTMENT}{r}"].value for r in range(3, ws.max_row + 1)
            if ws[f"{OWNER}{r}"].value == "map-platform"} == {"alpha"}  # exported: each row's year's department
    r = ws.max_row + 1
    for col, value in {OWNER: "map-platform", DEPARTMENT: "alpha", YEAR: 2026, STAGE: "예산안", AMOUNT: 1600000,
                       DOC: "doc-a", LINE: 10}.items():
        ws[f"{col}{r}"] = value
    wb.save(tmp_path / "b.xlsx")
    old = (content / "projects" / "map-platform.yaml").read_text(encoding="utf-8")
    assert _run("import", tmp_path / "b.xlsx", content) == 0, capsys.readouterr().err
    new = (content / "projects" / "map-platform.yaml").read_text(encoding="utf-8")
    last_year = "  - {year: 2025, department: alpha}\n"
    last = "  - {year: 2025, stage: 지출액, amount: 600000, as_of: \"2025-07-31\", source: {doc: doc-b, line: 12}}\n"
    assert new == old.replace(last_year, last_year + "  - {year: 2026, department: alpha}\n").replace(
        last, last + "  - {year: 2026, stage: 예산안, amount: 1600000, source: {doc: doc-a, line: 10}}\n")


def test_a_department_missing_or_at_odds_with_the_file_is_said(content, tmp_path, capsys):
    before = _snapshot(content)
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    ws[f"{DEPARTMENT}{_row_of(ws, 'projects/map-platform.yaml#0')}"] = "beta"  # 2025 is alpha's in the file
    r = ws.max_row + 1
    for col, value in {OWNER: "map-platform", YEAR: 2026, STAGE: "예산안", AMOUNT: 1, DOC: "doc-a", LINE: 10}.items():
        ws[f"{col}{r}"] = value                                                    # a new year, no department
    for col, value in {OWNER: "map-platform", DEPARTMENT: "alpha", YEAR: 2027, STAGE: "예산안", AMOUNT: 2,
                       DOC: "doc-a", LINE: 10}.items():
        ws[f"{col}{r + 1}"] = value
        ws[f"{col}{r + 2}"] = value
    ws[f"{DEPARTMENT}{r + 2}"], ws[f"{STAGE}{r + 2}"] = "beta", "본예산"           # two departments for 2027
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 1
    err = capsys.readouterr().err
    row0 = _row_of(ws, "projects/map-platform.yaml#0")
    for said in (f"사업 금액!{DEPARTMENT}{row0} [department] projects/map-platform.yaml는 2025년 담당 부서를 alpha",
                 f"사업 금액!{DEPARTMENT}{r} [department] 2026년은 이 사업의 담당 부서가 아직 없습니다",
                 f"사업 금액!{DEPARTMENT}{r + 2} [department] 2027년 담당 부서가 {r + 1}행과 다릅니다"):
        assert said in err, said
    assert _snapshot(content) == before


def _new_project_rows(wb, pid: str, figure: bool = True) -> None:
    ws = wb["사업 목록"]
    r = ws.max_row + 1
    for col, value in zip("ABCD", (pid, "새 지도 서비스", "일반회계", "지도를 새로 만드는 시험 사업입니다.")):
        ws[f"{col}{r}"] = value
    if figure:
        ws = wb["사업 금액"]
        r = ws.max_row + 1
        for col, value in {OWNER: pid, DEPARTMENT: "beta", YEAR: 2025, STAGE: "단계 미상", AMOUNT: 5000, DOC: "doc-a",
                           LINE: 10}.items():
            ws[f"{col}{r}"] = value


def test_a_new_project_is_a_new_file(content, tmp_path, capsys):
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    listed = wb["사업 목록"]
    assert [listed[f"A{r}"].value for r in range(3, listed.max_row + 1)] == sorted(
        p.stem for p in (content / "projects").glob("*.yaml"))
    _new_project_rows(wb, "new-map")
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 0, capsys.readouterr().err
    made = (content / "projects" / "new-map.yaml").read_text(encoding="utf-8")
    assert made == ("# yaml-language-server: $schema=../../schemas/project.schema.json\n"
                    "id: new-map\nname: 새 지도 서비스\naccount: 일반회계\n"
                    "description: >-\n  지도를 새로 만드는 시험 사업입니다.\n"
                    "departments:\n  - {year: 2025, department: beta}\n"
                    "figures:\n  - {year: 2025, stage: 단계 미상, amount: 5000, source: {doc: doc-a, line: 10}}\n")
    site = check(Paths.default(content=content, sources=FIXTURE_SOURCES))
    assert site.projects["new-map"].name == "새 지도 서비스"
    assert [p.id for p in site.departments["beta"].projects if p.id == "new-map"] == ["new-map"]
    # A fresh export of it imports as no change.
    _run("export", tmp_path / "c.xlsx", content)
    before = _snapshot(content)
    assert _run("import", tmp_path / "c.xlsx", content) == 0
    assert _snapshot(content) == before


def test_project_list_problems_are_said_and_nothing_changes(content, tmp_path, capsys):
    before = _snapshot(content)
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 목록"]
    [there] = [r for r in range(3, ws.max_row + 1) if ws[f"A{r}"].value == "map-platform"]
    ws[f"B{there}"] = "지도 플랫폼 새 이름"        # a rename, which YAML says with the former name
    _new_project_rows(wb, "no-figures", figure=False)
    _new_project_rows(wb, "Bad_Id", figure=False)
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 1
    err = capsys.readouterr().err
    last = ws.max_row
    for said in (f"사업 목록!B{there} [name] 이미 있는 사업의 사업명은(는) projects/map-platform.yaml에서 고쳐 주세요",
                 f"사업 목록!A{last - 1} [figures] 새 사업 「no-figures」의 금액이 「사업 금액」에 없습니다",
                 f"사업 목록!A{last} [id] 사업 id는 영문 소문자·숫자와 -만 씁니다 (입력값: 'Bad_Id')"):
        assert said in err, said
    assert _snapshot(content) == before


def test_every_bad_cell_is_said_at_once_and_nothing_changes(content, tmp_path, capsys):
    before = _snapshot(content)
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    r0 = _row_of(ws, "projects/map-platform.yaml#0")
    ws[f"{AMOUNT}{r0}"] = "abc"                                  # text in a number
    ws[f"{STAGE}{r0 + 1}"] = "확정예산"                            # no such stage
    ws[f"{AMOUNT}{r0 + 2}"] = f"={AMOUNT}{r0 + 3}*2"               # a formula no program has computed
    new = ws.max_row + 1                                           # a figure the project already has
    for col in (OWNER, YEAR, STAGE, AMOUNT, DOC, LINE):
        ws[f"{col}{new}"] = ws[f"{col}{r0 + 4}"].value
    ws.merge_cells(f"{NOTE}{r0}:{NOTE}{r0 + 1}")
    ws.cell(1, ws.max_column + 1, "담당자 메모")                     # a column the office added
    ws.cell(r0, ws.max_column, "확인 필요")
    totals = wb["부서 합계"]
    totals[f"B{_row_of(totals, 'departments/alpha.yaml#0')}"] = "gamma"  # no such department
    wb.create_sheet("메모")["A1"] = "사무실 메모"                    # a sheet the office added
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 1
    err = capsys.readouterr().err
    s = "사업 금액"
    for said in (f"{s}!{AMOUNT}{r0} [amount] 정수가 아닙니다 (입력값: 'abc')",
                 f"{s}!{STAGE}{r0 + 1} [stage] 없는 단계입니다 (입력값: '확정예산')",
                 f"{s}!{AMOUNT}{r0 + 2} [amount] 수식의 값이 저장되어 있지 않습니다",
                 f"{s}!{AMOUNT}{new} [중복] 같은 연도·단계·문서·표의 금액이 {r0 + 4}행에도 있습니다",
                 f"{s}!{NOTE}{r0}:{NOTE}{r0 + 1} [병합] 병합된 칸입니다",
                 "부서 합계!B3 [department] 없는 부서입니다 (입력값: 'gamma')",
                 "알림: 시트 「메모」는 이 사이트의 시트가 아니라 읽지 않았습니다",
                 f"알림: {s}!P 열은 이 사이트의 열이 아니라 읽지 않았습니다"):
        assert said in err, said
    assert "통합 문서에 문제가 6개 있습니다" in err
    assert _snapshot(content) == before


def test_a_sum_that_no_longer_adds_up_is_said_at_its_cell(content, tmp_path, capsys):
    before = _snapshot(content)
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["세입"]
    amount = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == "amount")
    r = _row_of(ws, "revenue.yaml#2")
    ws.cell(r, amount, 200001)
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 1
    err = capsys.readouterr().err
    # said at the total's own cell (세외수입 = 임대료 + …), with the YAML line
    total = f"세입!{ws.cell(2, amount).column_letter}{_row_of(ws, 'revenue.yaml#1')} [amount] 세입 '세외수입' 2025년 예산안"
    assert total in err and "(content/revenue.yaml:4)" in err
    assert _snapshot(content) == before


def test_not_a_workbook_is_said(content, tmp_path, capsys):
    (tmp_path / "x.xlsx").write_text("엑셀이 아님", encoding="utf-8")
    assert _run("import", tmp_path / "x.xlsx", content) == 1
    assert "엑셀 통합 문서(.xlsx)로 읽을 수 없습니다" in capsys.readouterr().err


def test_a_failed_replace_puts_back_the_files_already_replaced(content, monkeypatch):
    before = _snapshot(content)
    real = journal.os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(journal.os, "replace", failing)
    with pytest.raises(OSError):
        journal.replace_all(content, {"projects/map-platform.yaml": "a: 1\n", "revenue.yaml": "b: 2\n",
                                      "projects/zz-new.yaml": "c: 3\n"})
    assert _snapshot(content) == before  # the first file has its old text back, and no temporary file is left


# Killed at each os.replace in turn: the journal's own rename is the first; then a file at a time.
_KILLED = r"""
import os, signal, sys
from pathlib import Path
from budgetsite.workbook import journal
real, calls = os.replace, []
def dying(src, dst):
    calls.append(dst)
    if len(calls) == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
os.replace = dying
journal.replace_all(Path(sys.argv[1]), {"projects/map-platform.yaml": "a: 1\n", "revenue.yaml": "b: 2\n",
                                        "projects/zz-new.yaml": "c: 3\n"})
"""


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4])
def test_an_import_killed_at_any_point_is_all_old_or_all_new_once_finished(content, tmp_path, kill_at, capsys):
    before = _snapshot(content)
    done = subprocess.run([sys.executable, "-c", _KILLED, str(content), str(kill_at)], cwd=PROJECT)
    assert done.returncode == -signal.SIGKILL
    # The next command finishes it before reading content/ (here: check).
    main(["check", "--content", str(content), "--sources", str(FIXTURE_SOURCES)])
    said = capsys.readouterr().err
    after = _snapshot(content)
    new = {**before, "projects/map-platform.yaml": b"a: 1\n", "revenue.yaml": b"b: 2\n", "projects/zz-new.yaml": b"c: 3\n"}
    if kill_at == 1:  # before the journal was in place: nothing was replaced
        assert after == before and "가져오기" not in said
    else:
        assert after == new and "중간에 멈춘 가져오기(import)를 마쳤습니다" in said


def test_an_undo_killed_halfway_is_undone_by_the_next_command(content):
    """An error turned the journal round (then: old) and a kill stopped the
    putting back: content/ as replace_all leaves it at that moment."""
    before = _snapshot(content)
    projects = content / "projects"
    (content / ".revenue.yaml.import-old").write_bytes((content / "revenue.yaml").read_bytes())
    (content / "revenue.yaml").write_text("b: 2\n", encoding="utf-8")          # replaced, not yet put back
    (projects / ".map-platform.yaml.import-old").write_bytes((projects / "map-platform.yaml").read_bytes())
    (projects / ".map-platform.yaml.import-new").write_text("a: 1\n", encoding="utf-8")  # never replaced
    (projects / "zz-new.yaml").write_text("c: 3\n", encoding="utf-8")          # made by the import
    files = ["projects/map-platform.yaml", "projects/zz-new.yaml", "revenue.yaml"]
    (content / journal.JOURNAL).write_text(json.dumps({"files": files, "made": ["projects/zz-new.yaml"],
                                                        "then": "old"}), encoding="utf-8")
    assert journal.finish(content) == ("old", ["projects/zz-new.yaml", "revenue.yaml"])
    assert _snapshot(content) == before


def _with_cached_value(xlsx: Path, value: int) -> None:
    """What Excel does on saving and openpyxl does not: keep each formula's computed value."""
    files = {}
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            files[name] = z.read(name)
    with zipfile.ZipFile(xlsx, "w") as z:
        for name, data in files.items():
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>[^<]*</f>)<v\s*/?>(</v>)?", rb"\1<v>" + str(value).encode() + rb"</v>", data)
            z.writestr(name, data)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_a_workbook_libreoffice_has_saved_imports(content, tmp_path, capsys):
    """The office's own program between export and import: LibreOffice Calc,
    headless, saves the workbook again (its own styles, shared strings, a
    formula's value computed, a date typed as a date), and the import reads
    exactly the edits, nothing else."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is not installed: run ./test.sh, which installs libreoffice-calc-nogui")
    _run("export", tmp_path / "a.xlsx", content)
    # Saved by LibreOffice unchanged: no change.
    before = _snapshot(content)
    saved = _libreoffice_saved(tmp_path / "a.xlsx", tmp_path / "lo1")
    assert _run("import", saved, content) == 0, capsys.readouterr().err
    assert _snapshot(content) == before
    # Edited, then saved by LibreOffice: a formula (openpyxl stores no value; Calc computes it) and a date.
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    ws[f"{AMOUNT}{_row_of(ws, 'projects/map-platform.yaml#1')}"] = "=1300000+1"
    r = _row_of(ws, "projects/map-platform.yaml#3")
    ws[f"{AS_OF}{r}"] = dt.date(2025, 7, 30)
    ws[f"{AS_OF}{r}"].number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "b.xlsx")
    saved = _libreoffice_saved(tmp_path / "b.xlsx", tmp_path / "lo2")
    old = (content / "projects" / "map-platform.yaml").read_text(encoding="utf-8")
    assert _run("import", saved, content) == 0, capsys.readouterr().err
    new = (content / "projects" / "map-platform.yaml").read_text(encoding="utf-8")
    assert new == old.replace("stage: 본예산, amount: 1300000,", "stage: 본예산, amount: 1300001,").replace(
        'stage: 예산현액, amount: 1500000, as_of: "2025-07-31"', 'stage: 예산현액, amount: 1500000, as_of: "2025-07-30"')
    assert new != old


def _libreoffice_saved(xlsx: Path, folder: Path) -> Path:
    folder.mkdir()
    # A profile of its own: a second Calc running (or one left from another test) is not disturbed.
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder / "out"), str(xlsx)],
                   check=True, capture_output=True, timeout=120)
    return folder / "out" / xlsx.name


def test_a_formula_is_read_by_its_computed_value(content, tmp_path, capsys):
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    ws[f"{AMOUNT}{_row_of(ws, 'projects/map-platform.yaml#1')}"] = "=1300000+1"
    wb.save(tmp_path / "b.xlsx")
    _with_cached_value(tmp_path / "b.xlsx", 1300001)
    assert _run("import", tmp_path / "b.xlsx", content) == 0, capsys.readouterr().err
    assert "amount: 1300001, source: {doc: doc-a, line: 10}}" in (content / "projects" / "map-platform.yaml").read_text()


def test_only_import_and_export_take_a_file(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["check", "x.xlsx"])
    assert stop.value.code == 2 and "알 수 없는 옵션입니다: x.xlsx" in capsys.readouterr().err


def test_a_new_project_or_a_changed_row_id_is_said(content, tmp_path, capsys):
    before = _snapshot(content)
    _run("export", tmp_path / "a.xlsx", content)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["사업 금액"]
    r = ws.max_row + 1
    for col, value in {OWNER: "new-project", YEAR: 2025, STAGE: "예산안", AMOUNT: 1, DOC: "doc-a", LINE: 10}.items():
        ws[f"{col}{r}"] = value
    ws[f"{ROW_ID}3"] = "projects/map-platform.yaml#99"
    wb.save(tmp_path / "b.xlsx")
    assert _run("import", tmp_path / "b.xlsx", content) == 1
    err = capsys.readouterr().err
    assert f"사업 금액!{OWNER}{r} [project] 없는 사업입니다 (입력값: 'new-project')" in err
    assert f"사업 금액!{ROW_ID}3 [_row] 없는 행 id입니다 (입력값: 'projects/map-platform.yaml#99')" in err
    assert _snapshot(content) == before
