"""Each class of bad input: a message naming file, line and field; exit 1;
the published site/ left exactly as it was."""
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from budgetsite.cli import main
from budgetsite.load import files, load_content
from budgetsite.validate import validate

from .conftest import FIXTURE_SOURCES, PROJECT


def problems_of(content: Path) -> list[str]:
    return [str(p) for p in validate(load_content(content), FIXTURE_SOURCES)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fixture_content_is_valid(content):
    assert problems_of(content) == []


MAP = "projects/map-platform.yaml"
ALPHA_ = "departments/alpha.yaml"


# Each case: the edit that breaks the fixture, the field and message expected,
# and a text on the line the message must point at.
@pytest.mark.parametrize("file, old, new, field, expected, at", [
    # YAML syntax
    (MAP, "name: 지도 플랫폼 운영", "name: [지도 플랫폼 운영", "", "3행에서 시작한", "former_names:"),
    # schema: a required field missing
    (MAP, "account: 일반회계\n", "", "account", "필수 항목 'account'", "id: map-platform"),
    # amounts that are not non-negative integers
    (MAP, "amount: 1300000,", "amount: -1300000,", "figures[1].amount", "0 이상", "-1300000"),
    (MAP, "amount: 1300000,", "amount: 1300000.5,", "figures[1].amount", "정수", "1300000.5"),
    (MAP, "amount: 1300000,", "amount: '1,300,000',", "figures[1].amount", "정수", "'1,300,000'"),
    # a stage that does not exist
    (MAP, "stage: 최종예산", "stage: 결산", "figures[2].stage", "다음 중 하나", "결산"),
    # an unknown field (a typo)
    (MAP, "account: 일반회계", "acount: 일반회계", "acount", "알 수 없는 항목", "acount:"),
    # execution figures need the date they count to
    (MAP, 'stage: 지출액, amount: 600000, as_of: "2025-07-31",', "stage: 지출액, amount: 600000,",
     "figures[5].as_of", "필수 항목 'as_of'", "stage: 지출액"),
    # unknown references
    (MAP, "department: alpha}\n  - {year: 2025", "department: gamma}\n  - {year: 2025",
     "departments[0].department", "없는 부서 'gamma'", "gamma"),
    (MAP, "doc: doc-a, line: 11", "doc: doc-z, line: 11", "figures[2].source.doc", "없는 자료 'doc-z'", "doc-z"),
    (MAP, "doc: doc-b, line: 12}}\n  - {year: 2025, stage: 원인행위액",
     "doc: doc-b, line: 99}}\n  - {year: 2025, stage: 원인행위액", "figures[3].source.line", "20줄뿐", "line: 99"),
    # a figure for a year with no department
    (MAP, "year: 2024, stage: 최종예산", "year: 2023, stage: 최종예산", "figures[2].year", "2023년 담당 부서", "year: 2023"),
    # the same figure twice
    (MAP, "stage: 최종예산, amount: 1350000, source: {doc: doc-a, line: 11}",
     "stage: 본예산, amount: 1350000, source: {doc: doc-a, line: 11}", "figures[2]", "이미 있습니다", "amount: 1350000"),
    # a duplicated key inside one mapping
    (MAP, "account: 일반회계", "account: 일반회계\naccount: 일반회계", "account", "같은 키", None),
    # a rounded figure that is not a whole number of its unit
    (ALPHA_, "amount: 1900000, precision: 백만원", "amount: 1900500, precision: 백만원",
     "totals[1].amount", "1,000의 배수", "1900500"),
    # dates that do not exist, do not fit the year, or belong to no snapshot
    (MAP, 'as_of: "2025-07-31", source: {doc: doc-b, line: 12}}\n  - {year: 2025, stage: 원인행위액',
     'as_of: "2025-13-45", source: {doc: doc-b, line: 12}}\n  - {year: 2025, stage: 원인행위액',
     "figures[3].as_of", "없는 날짜", "2025-13-45"),
    (MAP, 'stage: 지출액, amount: 600000, as_of: "2025-07-31"', 'stage: 지출액, amount: 600000, as_of: "2019-07-31"',
     "figures[5].as_of", "기준일로 맞지 않습니다", "2019-07-31"),
    (MAP, "stage: 본예산, amount: 1300000,", 'stage: 본예산, amount: 1300000, as_of: "2024-01-01",',
     "figures[1].as_of", "본예산에는 기준일", "2024-01-01"),
    # a department total of spending needs its date too
    (ALPHA_, "  - {year: 2025, stage: 예산안, amount: 2000000,", "  - {year: 2025, stage: 지출액, amount: 2000000,",
     "totals[0].as_of", "필수 항목 'as_of'", "stage: 지출액"),
    # a breakdown of a figure that is not there
    (MAP, "  - year: 2025\n    stage: 예산안\n    source: {doc: doc-a, line: 13}",
     "  - year: 2026\n    stage: 예산안\n    source: {doc: doc-a, line: 13}", "breakdown[0]", "figures에 없습니다",
     "year: 2026"),
    # a name period that ends before it starts
    (ALPHA_, "{name: 알파담당관, from: 2023, to: 2024}", "{name: 알파담당관, from: 2023, to: 2022}",
     "names[0].to", "시작 연도", "to: 2022"),
    # an id that does not match its file name (ids are permanent URLs)
    (MAP, "id: map-platform", "id: map-platform-2", "id", "파일 이름", "id: map-platform-2"),
    # project history: a link to a project that does not exist; a stated link without its source
    (MAP, "project: aerial-photos, basis: inferred", "project: aerial-photo, basis: inferred",
     "history[1].project", "없는 사업 'aerial-photo'", "aerial-photo,"),
    (MAP, "basis: stated, explanation: 이름이 바뀌었다고 자료가 밝힙니다., source: {doc: doc-a, line: 17}}",
     "basis: stated, explanation: 이름이 바뀌었다고 자료가 밝힙니다.}", "history[0].source", "필수 항목 'source'",
     "basis: stated"),
    # programs: a unit listing an unknown project, or filed under an unknown goal
    ("programs.yaml", "projects: [map-platform, aerial-photos]", "projects: [map-platform, aerial]",
     "units[0].projects[1]", "없는 사업 'aerial'", "projects: [map-platform, aerial]"),
    ("programs.yaml", "    goal: 시험 목표", "    goal: 없는 목표", "units[0].goal", "전략목표 '없는 목표'", "goal: 없는 목표"),
    # revenue: collected revenue needs its date; the same row twice
    ("revenue.yaml", 'stage: 징수액, item: 계, amount: 200000, as_of: "2024-12-31",', "stage: 징수액, item: 계, amount: 200000,",
     "items[8].as_of", "필수 항목 'as_of'", "stage: 징수액"),
    ("revenue.yaml", "item: 이자수입, parent: 세외수입, amount: 9000", "item: 임대료, parent: 세외수입, amount: 9000",
     "items[7]", "이미 있습니다", "amount: 9000"),
    # glossary: the same term twice
    ("glossary.yaml", "term: 세외수입", "term: 예산현액", "terms[1]", "같은 용어", "id: non-tax-revenue"),
])
def test_bad_input_is_reported_with_file_line_and_field(content, file, old, new, field, expected, at):
    path = content / file
    edit(path, old, new)
    found = problems_of(content)
    assert found, "the broken content was accepted"
    matching = [p for p in found if expected in p]
    assert matching, found
    problem = matching[0]
    assert problem.startswith(f"content/{file}:")
    if field:
        assert f"[{field}]" in problem
    line = int(problem.split(":")[1].split()[0])
    if at is None:  # the duplicated key: the second of the two lines
        at_line = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                   if text.startswith("account:")][1]
    else:
        at_line = line_of(path, at)
    assert line == at_line, problem


def test_problem_line_points_at_the_field(content):
    path = content / MAP
    edit(path, "amount: 1300000,", "amount: -1300000,")
    [problem] = problems_of(content)
    assert problem.startswith(f"content/{MAP}:{line_of(path, '-1300000')} ")


def test_every_problem_is_reported_not_just_the_first(content):
    edit(content / MAP, "amount: 1300000,", "amount: -1300000,")
    edit(content / "projects/aerial-photos.yaml", "department: alpha}", "department: nowhere}")
    edit(content / "departments/beta.yaml", "doc: doc-a", "doc: missing-doc")
    found = problems_of(content)
    assert any("map-platform.yaml" in p and "0 이상" in p for p in found)
    assert any("aerial-photos.yaml" in p and "nowhere" in p for p in found)
    assert any("beta.yaml" in p and "missing-doc" in p for p in found)


def test_duplicate_source_ids(content):
    edit(content / "sources.yaml", "id: doc-b,", "id: doc-a,")
    found = problems_of(content)
    assert any("sources.yaml:" in p and "[sources[1].id]" in p and "중복" in p for p in found)


def test_missing_file(content):
    (content / "sources.yaml").unlink()
    assert any(p.startswith("content/sources.yaml:1") and "파일이 없습니다" in p for p in problems_of(content))


# --- reconciliation ----------------------------------------------------------------

ALPHA = "departments/alpha.yaml"


def test_department_total_must_equal_its_projects(content):
    # alpha's 2025 예산안 is 2,000,000 = 1,500,000 + 500,000; misprint one project.
    edit(content / "projects/aerial-photos.yaml", "amount: 500000, source: {doc: doc-a, line: 20}}\n  - {year: 2024",
         "amount: 400000, source: {doc: doc-a, line: 20}}\n  - {year: 2024")
    [problem] = problems_of(content)
    assert problem.startswith(f"content/{ALPHA}:{line_of(content / ALPHA, 'amount: 2000000')} [totals[0].amount]")
    assert "2,000,000" in problem and "1,900,000" in problem and "100,000" in problem


def test_rounded_totals_allow_for_their_rounding(content):
    # 2024 본예산 total 1,900,000 printed in 백만원: parts 1,300,000 + 600,000.
    # A part of 600,400 is within half a million of the printed total...
    edit(content / "projects/aerial-photos.yaml", "stage: 본예산, amount: 600000", "stage: 본예산, amount: 600400")
    assert problems_of(content) == []
    # ...but 601,000 is not.
    edit(content / "projects/aerial-photos.yaml", "stage: 본예산, amount: 600400", "stage: 본예산, amount: 601000")
    assert any("[totals[1].amount]" in p and "합계가 맞지 않습니다" in p for p in problems_of(content))


def test_recorded_discrepancy_is_accepted_only_with_the_right_difference(content):
    edit(content / "projects/aerial-photos.yaml", "stage: 예산안, amount: 500000", "stage: 예산안, amount: 400000")
    path = content / ALPHA
    data = path.read_text(encoding="utf-8") + (
        "discrepancies:\n"
        "  - {year: 2025, stage: 예산안, kind: 인쇄 오류, doc: doc-a, difference: 100000, explanation: 원자료의 인쇄 오류.}\n")
    path.write_text(data, encoding="utf-8")
    assert problems_of(content) == []
    edit(path, "difference: 100000", "difference: 90000")
    [problem] = problems_of(content)
    assert "[discrepancies[0].difference]" in problem and "100,000" in problem


def test_discrepancy_that_matches_nothing_is_reported(content):
    path = content / ALPHA
    path.write_text(path.read_text(encoding="utf-8") + (
        "discrepancies:\n  - {year: 2019, stage: 예산안, kind: 인쇄 오류, doc: doc-a, difference: 5, explanation: 없음.}\n"),
        encoding="utf-8")
    assert any("[discrepancies[0]]" in p and "해당하는 합계" in p for p in problems_of(content))


KINDLESS = ("discrepancies:\n"
            "  - year: 2025\n"
            "    stage: 예산안\n"
            "    doc: doc-a\n"
            "    difference: 5\n"
            "    explanation: 종류를 적지 않았습니다.\n")


# The three schemas a discrepancy is written under: revenue's, a department's
# (common.schema.json's), a project's.
@pytest.mark.parametrize("file", ["revenue.yaml", ALPHA, MAP])
def test_discrepancy_without_a_kind_is_reported_with_its_line_and_field(content, file):
    path = content / file
    if file == "revenue.yaml":
        edit(path, "    kind: 인쇄 오류\n", "")
        at = line_of(path, "discrepancies:") + 1  # the "- year:" line of the entry
    else:
        at = len(path.read_text(encoding="utf-8").splitlines()) + 2  # the "- year:" line of the entry
        path.write_text(path.read_text(encoding="utf-8") + KINDLESS, encoding="utf-8")
    [problem] = problems_of(content)
    assert problem == f"content/{file}:{at} [discrepancies[0].kind] 필수 항목 'kind'이(가) 없습니다"


def test_discrepancy_of_an_unknown_kind_is_reported_with_the_kinds_allowed(content):
    path = content / "revenue.yaml"
    edit(path, "    kind: 인쇄 오류\n", "    kind: 오기\n")
    [problem] = problems_of(content)
    assert problem.startswith(f"content/revenue.yaml:{line_of(path, 'kind: 오기')} [discrepancies[0].kind] ")
    assert "다음 중 하나여야 합니다: 인쇄 오류, 문서 간 불일치, 포함 범위 차이, 일부 사업만 인쇄, 반올림" in problem
    assert "'오기'" in problem


def test_bureau_total_must_equal_its_departments(content):
    edit(content / "site.yaml", "amount: 3000000", "amount: 3100000")
    [problem] = problems_of(content)
    assert problem.startswith("content/site.yaml:") and "[bureau.totals[0].amount]" in problem
    assert "부서 2개의 합 3,000,000" in problem


def test_breakdown_must_add_up_to_its_figure(content):
    edit(content / MAP, "name: 시설비, amount: 1000000", "name: 시설비, amount: 900000")
    [problem] = problems_of(content)
    assert "[breakdown[0].items]" in problem and "100,000" in problem


def test_totals_without_project_figures_are_not_checked(content):
    # beta's 2025 예산안 has one project; a total for a year with no project figures
    # cannot be checked and is not an error.
    path = content / "departments/beta.yaml"
    path.write_text(path.read_text(encoding="utf-8") +
                    "  - {year: 2024, stage: 최종예산, amount: 77, source: {doc: doc-a, line: 7}}\n", encoding="utf-8")
    assert problems_of(content) == []


def test_revenue_item_must_equal_the_rows_under_it(content):
    edit(content / "revenue.yaml", "item: 이자수입, parent: 세외수입, amount: 100000",
         "item: 이자수입, parent: 세외수입, amount: 90000")
    [problem] = problems_of(content)
    line = line_of(content / "revenue.yaml", "item: 세외수입, parent: 계, amount: 300000")
    assert problem.startswith(f"content/revenue.yaml:{line} [items[1].amount]")
    assert "290,000" in problem and "10,000" in problem


def test_revenue_discrepancy_must_match_the_difference(content):
    edit(content / "revenue.yaml", "difference: 1000", "difference: 2000")
    [problem] = problems_of(content)
    assert "[discrepancies[0].difference]" in problem and "1,000" in problem


def test_two_revenue_tables_that_disagree_need_the_exact_difference(content):
    path = content / "revenue.yaml"
    edit(path, "discrepancies:\n",
         "  - {year: 2025, stage: 예산안, item: 계, table: 요약, amount: 310000, source: {doc: doc-a, line: 37}}\n"
         "discrepancies:\n  - {year: 2025, stage: 예산안, kind: 문서 간 불일치, doc: doc-a, table: 요약, other_table: 세부, "
         "item: 계, difference: 10000, explanation: 두 표가 다릅니다.}\n")
    [problem] = problems_of(content)
    assert "[discrepancies[0]]" in problem and "두 표 모두" in problem  # the main table has no name yet
    text = path.read_text(encoding="utf-8").replace("{year: 2025, stage: 예산안, item: 계, amount: 300000",
                                                     "{year: 2025, stage: 예산안, item: 계, table: 세부, amount: 300000")
    path.write_text(text, encoding="utf-8")
    assert problems_of(content) == []
    edit(path, "difference: 10000", "difference: 9000")
    [problem] = problems_of(content)
    assert "[discrepancies[0].difference]" in problem and "10,000" in problem


def test_unit_program_total_must_equal_its_projects(content):
    # 1,900 백만원 against 1,300,000 + 600,000; dropping a project leaves 600,000 unexplained.
    edit(content / "programs.yaml", "projects: [map-platform, aerial-photos]", "projects: [map-platform]")
    [problem] = problems_of(content)
    assert "[units[0].totals[0].amount]" in problem and "1,300,000" in problem


def test_goal_total_must_equal_its_units(content):
    edit(content / "programs.yaml", "amount: 1900000, precision: 백만원, source: {doc: doc-a, line: 15}",
         "amount: 2100000, precision: 백만원, source: {doc: doc-a, line: 15}")
    [problem] = problems_of(content)
    assert "[goals[0].totals[0].amount]" in problem and "단위사업 1개" in problem


def test_project_figures_from_another_table_are_not_counted_twice(content):
    # The same 2025 예산안 printed again in a rounded summary table of doc-a: kept,
    # and alpha's total still reconciles with one printing per project.
    edit(content / MAP, "  - {year: 2024, stage: 본예산, amount: 1300000",
         "  - {year: 2025, stage: 예산안, amount: 1500000, precision: 백만원, table: 요약표, source: {doc: doc-a, line: 9}}\n"
         "  - {year: 2024, stage: 본예산, amount: 1300000")
    assert problems_of(content) == []


def test_two_printings_that_disagree_need_the_exact_difference(content):
    edit(content / MAP, "  - {year: 2024, stage: 본예산, amount: 1300000",
         "  - {year: 2025, stage: 예산안, amount: 1400000, table: 요약표, source: {doc: doc-a, line: 9}}\n"
         "  - {year: 2024, stage: 본예산, amount: 1300000")
    path = content / MAP
    path.write_text(path.read_text(encoding="utf-8") + (
        "discrepancies:\n"
        "  - {year: 2025, stage: 예산안, kind: 문서 간 불일치, doc: doc-a, table: 요약표, difference: 10000, "
        "explanation: 두 표가 다릅니다.}\n"),
        encoding="utf-8")
    [problem] = problems_of(content)
    assert "[discrepancies[0].difference]" in problem and "100,000" in problem
    edit(path, "difference: 10000", "difference: 100000")
    assert problems_of(content) == []


def test_check_prints_coverage_per_document(paths, capsys):
    from budgetsite.cli import main
    assert main(["check", "--content", str(paths.content), "--sources", str(paths.sources)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("doc-b"))
    # doc-b: 3 project figures, 5 revenue rows, no foundation table; 2 totals compared, 1 with a recorded difference.
    assert row.split()[2:] == ["3", "0", "0", "5", "0", "0", "0", "2", "1"]


# --- the command: exit code and the published site ------------------------------------

def test_failed_build_leaves_site_untouched(paths, content, capsys):
    args = ["--content", str(paths.content), "--sources", str(paths.sources), "--out", str(paths.out)]
    assert main(args) == 0
    before = snapshot(paths.out)
    assert "index.html" in before
    edit(content / MAP, "amount: 1300000,", "amount: -1300000,")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"content/{MAP}:" in err and "site/는 바뀌지 않았습니다" in err
    assert snapshot(paths.out) == before
    # nothing is left behind beside it either
    assert sorted(p.name for p in paths.out.parent.iterdir() if p.name.startswith(".site")) == []


def test_build_failing_while_writing_leaves_site_untouched(paths, monkeypatch):
    from budgetsite import pipeline, render
    pipeline.build(paths)
    before = snapshot(paths.out)

    def explode(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(render, "render_page", explode)
    edit(paths.content / "site.yaml", "시험 예산 사이트", "고친 시험 예산 사이트")  # so there is something to rebuild
    with pytest.raises(RuntimeError):
        pipeline.build(paths)
    assert snapshot(paths.out) == before
    assert [p.name for p in paths.out.parent.iterdir() if p.name.startswith(".site")] == []


def test_check_command_exit_codes(paths, content):
    cmd = [sys.executable, str(PROJECT / "build.py"), "check", "--content", str(content), "--sources", str(paths.sources)]
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    edit(content / MAP, "department: alpha}\n  - {year: 2025", "department: gamma}\n  - {year: 2025")
    bad = subprocess.run(cmd, capture_output=True, text=True)
    assert bad.returncode == 1
    assert f"content/{MAP}:{line_of(content / MAP, 'gamma')} [departments[0].department]" in bad.stderr


@pytest.mark.parametrize("root", [PROJECT / "content", PROJECT / "tests" / "fixtures" / "content"])
def test_every_yaml_file_names_its_schema_for_editors(root):
    kinds = {"departments": "department", "projects": "project"}
    files = sorted(root.rglob("*.yaml"))
    assert files
    for f in files:
        first = f.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), f
        schema = (f.parent / first[len(prefix):]).resolve()
        kind = kinds.get(f.parent.name, f.stem)
        assert schema == PROJECT / "schemas" / f"{kind}.schema.json", f


def test_files_read_by_workers_give_the_same_content_and_problems(content, monkeypatch):
    """Many files are read by forked workers: documents, lines and problems as when read here."""
    (content / "projects" / "server-room.yaml").write_text("id: server-room\nname: [\n", encoding="utf-8")
    serial = load_content(content)
    monkeypatch.setattr(files, "PARALLEL_FROM", 1)
    parallel = load_content(content)
    assert [(d.name, d.data) for d in parallel.documents] == [(d.name, d.data) for d in serial.documents]
    assert parallel.problems == serial.problems and serial.problems
    assert [d.line(("figures", 0, "amount")) for d in parallel.documents if d.kind == "project"] == \
        [d.line(("figures", 0, "amount")) for d in serial.documents if d.kind == "project"]
