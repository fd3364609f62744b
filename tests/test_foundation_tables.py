"""The review report's tables of 서울디지털재단's own budget (issue 22 §4):
the 출연동의안 변동내역 table, 붙임7 and the SLW table, kept cell by cell in
the project's foundation_budget, checked against their printed totals, with
their printing errors and conflicts recorded and shown."""
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml

from budgetsite import registry, tables
from budgetsite.pipeline import Paths, check

from . import table_reader

PROJECT = Path(__file__).resolve().parent.parent
FILE = "projects/seoul-ai-foundation-contribution.yaml"
PAGE = "projects/seoul-ai-foundation-contribution/index.html"
SOURCES = Paths.default().sources
AGREEMENT = "서울디지털재단 출연동의안 제출시 예산안과 본 예산안 변동내역"
ANNEX7 = "붙임7 서울디지털재단 세부예산 비교표"
SLW = "2025년도 디지털도시국 소관 예산안 중 SLW 관련 사업"

needs_sources = pytest.mark.skipif(not SOURCES.exists(), reason=f"source texts not found at {SOURCES}")


def project() -> dict:
    return yaml.safe_load((PROJECT / "content" / FILE).read_text(encoding="utf-8"))


def tables_by_name() -> dict:
    return {t["table"]: t for t in project()["foundation_budget"]}


def key(r: dict) -> str:
    return f"{r['group']} · {r['name']}" if r.get("group") else r["name"]


def test_the_three_tables_hold_every_printed_row():
    t = tables_by_name()
    assert set(t) == {AGREEMENT, ANNEX7, SLW}
    assert len(t[AGREEMENT]["rows"]) == 12 and len(t[ANNEX7]["rows"]) == 30 and len(t[SLW]["rows"]) == 5
    total = {r["name"]: r["amounts"] for r in t[AGREEMENT]["rows"]}["총계"]
    assert total == [16520732, 10753229, -5767503]
    # The 2025 예산안 column's total is the project's 2025 예산안 in the same document.
    assert {(f["year"], f["stage"], f["source"]["doc"]): f["amount"] for f in project()["figures"]
            if not f.get("table")}[(2025, "예산안", "review-2025-budget")] == total[1]
    slw = {key(r): r["amounts"] for r in t[SLW]["rows"]}
    assert slw["서울디지털재단 출연 · 스마트도시 솔루션 대외 교류 확산"] == [4421480]


@needs_sources
def test_every_cell_is_printed_on_its_line():
    p = project()
    lines = (SOURCES / "000_26e718ed96d74131.txt").read_text(encoding="utf-8").splitlines()
    for t in p["foundation_budget"]:
        assert t["source"]["doc"] == "review-2025-budget"
        for r in t["rows"]:
            text = lines[r["line"] - 1]
            assert r["name"].replace(" ", "") in text.replace(" ", "") or r["name"] == "소계" and "소 계" in text, (r, text)
            for v in r["amounts"]:
                if v is None:
                    continue
                printed = f"△{-v:,}" if v < 0 else f"{v:,}"
                assert re.search(rf"(?<![\d,]){re.escape(printed)}(?![\d,])", text), (t["table"], r, text)


INCONSISTENCIES = {
    # (table, row, column): difference
    (ANNEX7, "행정운영경비 · 소계", "’24 최종예산 (A)"): -52000,     # 3,910,882 vs 2,290,031 + 1,672,851
    (ANNEX7, "행정운영경비 · 기본경비", "증감 (B-A)"): 52000,         # △159,572 vs 1,461,279 − 1,672,851
    (AGREEMENT, "서울스마트시티센터 운영", "증감액 (B-A)"): 600,       # △265,000 vs △265,600
    (AGREEMENT, "공공데이터 활용 분석 지원", "본 예산안 (B)"): -130,    # 221,600 vs 붙임7 221,730
    (AGREEMENT, "스마트도시 솔루션 대외 교류 확산", "본 예산안 (B)"): -110,  # 4,421,480 vs 4,421,590
}


def test_each_listed_inconsistency_is_recorded():
    found = {(d["table"], d["row"], d["column"]): d for d in project()["discrepancies"] if d.get("row")}
    assert {k: d["difference"] for k, d in found.items()} == INCONSISTENCIES
    for d in found.values():
        assert d["doc"] == "review-2025-budget"
        assert d["kind"] == ("문서 간 불일치" if d.get("other_table") else "인쇄 오류")
    cross = {k[1]: (d["other_table"], d["other_row"]) for k, d in found.items() if d.get("other_table")}
    assert cross == {"공공데이터 활용 분석 지원": (ANNEX7, "공공데이터 활용 분석 지원 · 소계"),
                     "스마트도시 솔루션 대외 교류 확산": (ANNEX7, "스마트도시 솔루션 대외 교류 확산 · 소계")}


@pytest.fixture(scope="module")
def page_tables(real_site):
    html = (real_site / PAGE).read_text(encoding="utf-8")
    return html, {t.id: t for t in table_reader.extract(html)}


def test_the_tables_are_on_the_page_and_in_the_downloads(page_tables):
    html, shown = page_tables
    [made] = [p.ready() for p in registry.all_pages(check(Paths.default())) if p.path == PAGE]
    models = {t.id: t for t in made.tables}
    for i, t in enumerate(project()["foundation_budget"], 1):
        table = shown[f"foundation-{i}"]
        assert table.caption.startswith(t["table"])
        rows = [r for r in table.rows]
        assert len(rows) == len(t["rows"])
        grouped = any(r.get("group") for r in t["rows"])
        for got, want in zip(rows, t["rows"]):
            values = got[2:-1] if grouped else got[1:-1]
            assert values == want["amounts"], (got, want)
            assert got[1 if grouped else 0] == want["name"]
            assert got[-1] == str(want["line"])
        # A project page's downloads are made in the browser from its table model (test_downloads checks
        # the two are byte for byte the same): the model's files, read back.
        data = json.loads(tables.json_bytes(models[f"foundation-{i}"], PAGE))
        assert t["table"] in json.dumps(data, ensure_ascii=False)
        text = tables.csv_bytes(models[f"foundation-{i}"]).decode("utf-8-sig")
        body = list(csv.reader(io.StringIO(text)))
        assert body == [table.headers] + [["" if v is None else str(v) for v in r] for r in table.rows]
        for want in t["rows"]:
            assert any(want["name"] in line and all(str(v) in line for v in want["amounts"] if v is not None)
                       for line in map(",".join, body)), want
    # the printed 0 and △ stay as printed on the page
    assert "△265,000" in html and "4,421,590" in html and "221,600" in html


def test_each_inconsistency_is_shown_beside_its_cell(page_tables):
    html, shown = page_tables
    for diff in INCONSISTENCIES.values():
        assert f"{diff:,}".lstrip("-") in html
    marks = re.findall(r'<a href="#(d-\d{4}-[a-z-]+-\d+)" title="자료 간 차이">※</a>', html)
    # five entries; the two conflicts mark a cell in each of their two tables
    assert len(marks) == 7
    for anchor in set(marks):
        assert f'id="{anchor}"' in html
    html = re.sub(r'<span class="term-tip"[^>]*>[^<]*</span>', "", html)  # glossary tips are not the text
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
    for (table, row, column), diff in INCONSISTENCIES.items():
        assert f"({table} '{row}' {column}" in text
        assert f"차이 {'△' if diff < 0 else ''}{abs(diff):,}천원" in text


@pytest.fixture
def real_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PROJECT / "content", target)
    return target


def run_check(content: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(PROJECT / "build.py"), "check", "--content", str(content), "--sources", str(SOURCES)]
    return subprocess.run(cmd, capture_output=True, text=True)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@needs_sources
@pytest.mark.parametrize("old, new, field", [
    # a child row of 붙임7: its printed subtotal (the row before) no longer adds up
    ("amounts: [160580, null, null]", "amounts: [160590, null, null]", "[foundation_budget[1].rows[6].amounts[0]]"),
    # a change cell of 붙임7
    ("amounts: [318620, 289340, -29280]", "amounts: [318620, 289340, -29290]", "[foundation_budget[1].rows[19].amounts[2]]"),
    # a subtotal of the 동의안 table
    ("amounts: [10614240, 6584240, -4030000]", "amounts: [10614240, 6584250, -4030000]",
     "[foundation_budget[0].rows[4].amounts[1]]"),
    # the total of the 동의안 table
    ("amounts: [16520732, 10753229, -5767503]", "amounts: [16520732, 10753229, -5767504]",
     "[foundation_budget[0].rows[0].amounts[2]]"),
    # a recorded inconsistency with the wrong difference
    ("    difference: -52000\n", "    difference: -51000\n", None),
])
def test_a_changed_cell_fails_the_check(real_copy, old, new, field):
    assert run_check(real_copy).returncode == 0
    path = real_copy / FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    bad = run_check(real_copy)
    assert bad.returncode == 1
    line = line_of(path, new.strip())
    if field is None:
        field = "[discrepancies[0].difference]"
    elif "rows[6]" in field:  # reported at the subtotal the changed row adds into
        line = line_of(path, "amounts: [226930, 221730, -5200]")
    assert f"content/{FILE}:{line} {field}" in bad.stderr, bad.stderr


def test_check_counts_the_foundation_tables_in_its_coverage_table():
    from collections import Counter

    from budgetsite import coverage
    from budgetsite.pipeline import check
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip("source texts not found")
    cells = sum(a is not None for t in project()["foundation_budget"] for r in t["rows"] for a in r["amounts"])
    assert cells > 100
    assert coverage.counts(check(paths), Counter())["review-2025-budget"]["재단 예산 표"] == cells
