"""The content against the source documents themselves: every figure's cited
line prints that figure, and the documents' own totals are in the content.
Runs only where ../shared/sources is present."""
import re
from collections import Counter

import pytest

from budgetsite.pipeline import Paths, check

PATHS = Paths.default()
pytestmark = pytest.mark.skipif(not PATHS.sources.exists(), reason="source texts not present")

UNIT = {"천원": 1, "만원": 10, "백만원": 1000, "억원": 100_000}
# 「217억 4천 백만원」, 「15억 9,224만원」, 「23억 원」, 「1천4백만원」: the readings of prose amounts.
PROSE = re.compile(r"(?:(\d[\d,]*)\s*억)?\s*((?:\d?\s*[천백십]\s*)*)(\d[\d,]*)?\s*(만)?\s*원")
SMALL = {"천": 1000, "백": 100, "십": 10}


def prose_amounts(line: str) -> set[int]:
    """Every amount (in 원) written in Korean words on the line."""
    found = set()
    for m in PROSE.finditer(line):
        eok, small, plain, man = m.groups()
        if not (eok or small.strip() or plain):
            continue
        value = sum(int(d or 1) * SMALL[u] for d, u in re.findall(r"(\d?)\s*([천백십])", small))
        value += int(plain.replace(",", "")) if plain else 0
        value *= 10_000 if man else 1
        value += int(eok.replace(",", "")) * 100_000_000 if eok else 0
        found.add(value)
    return found


def printed(amount: int, precision: str, line: str) -> bool:
    """Does the line print this amount (천원) in its precision's unit?"""
    if amount == 0:
        return bool(re.search(r"(?<![\d,])0(?![\d,])|[-–_]", line))
    digits = re.sub(r"\D", "", line)  # garbled tables split one number across cells
    if str(amount // UNIT[precision]) in digits:
        return True
    return amount * 1000 in prose_amounts(line)


def test_prose_reading():
    assert 21_741_000_000 in prose_amounts("2021년 예산안은 217억 4천 백만원으로")
    assert 1_592_240_000 in prose_amounts("15억 9,224만원")
    assert 2_300_000_000 in prose_amounts("차세대 지방행정시스템 구축 분담금 23억 원")
    assert 14_000_000 in prose_amounts("△1천4백만원")
    assert 53_470_000 in prose_amounts("정보공개제도 운영·관리 5,347만원")


def test_printed_rejects_other_numbers():
    assert printed(5_469_970, "만원", "상암센터 운영 54억 6,997만원")
    assert not printed(5_469_980, "만원", "상암센터 운영 54억 6,997만원")
    assert printed(161_544_000, "백만원", "계 161,544 165,890 △4,346")
    assert not printed(161_545_000, "백만원", "계 161,544 165,890 △4,346")


@pytest.fixture(scope="module")
def site():
    return check(PATHS)


def all_figures(site):
    for p in site.projects.values():
        for f in p.figures.all:
            yield f"projects/{p.id}", f
    for d in site.departments.values():
        for f in d.totals.all:
            yield f"departments/{d.id}", f
    for f in site.bureau.totals.all:
        yield "site.yaml", f
    if site.revenue:
        for f in site.revenue.items:
            yield f"revenue {f.item}", f
    for prog in site.goals + site.units:
        for f in prog.totals.all:
            yield f"programs {prog.name}", f


def test_every_figure_is_printed_on_its_cited_line(site):
    texts = {sid: (PATHS.sources / s.file).read_text(encoding="utf-8").splitlines()
             for sid, s in site.sources.items()}
    wrong = []
    checked = 0
    for where, f in all_figures(site):
        if f.recovered:
            continue  # not printed: its recovered note says how it was worked out
        lines = texts[f.source.source.id]
        assert 1 <= f.source.line <= len(lines)
        checked += 1
        if not printed(f.amount, f.precision, lines[f.source.line - 1]):
            wrong.append(f"{where}: {f.year} {f.stage} {f.amount:,} ({f.precision}) "
                         f"not on {f.source.source.id}:{f.source.line}: {lines[f.source.line - 1][:80]!r}")
    assert checked > 500
    assert not wrong, "\n".join(wrong)


def test_recovered_figures_say_how(site):
    for where, f in all_figures(site):
        if f.recovered:
            assert len(f.recovered) > 20, where


def line_with(sid: str, site, pattern: str) -> tuple[int, re.Match]:
    lines = (PATHS.sources / site.sources[sid].file).read_text(encoding="utf-8").splitlines()
    for n, text in enumerate(lines, 1):
        m = re.search(pattern, text)
        if m:
            return n, m
    raise AssertionError(f"{pattern!r} not in {sid}")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_2025_proposal_table_by_department(site):
    """000's table by department (the '사 항 별' table whose first row is 계): the bureau's 계, the
    일반회계 subtotal and every department row, 2025 예산안 and 2024 최종예산 in
    백만원, are in the content exactly (cited here or where the report prints them first)."""
    lines = (PATHS.sources / site.sources["review-2025-budget"].file).read_text(encoding="utf-8").splitlines()
    head = next(n for n, text in enumerate(lines, 1)
                if text.startswith("사 항 별 2025 예산안") and lines[n + 1].startswith("계 "))
    by_name = {n.name.replace(" ", ""): d for d in site.departments.values() for n in d.names}
    checked = 0
    for n in range(head + 1, head + 16):
        m = re.match(r"^(\D+?) ([\d,]+) ([\d,]+) ", lines[n - 1])
        if not m:
            continue
        name = m.group(1).replace(" ", "")
        if name == "계":
            figs = site.bureau.totals.all
        elif name == "일반회계":
            figs = [f for f in site.bureau.totals.all if f.account == "일반회계"]
        else:
            figs = by_name[name].totals.all
        held = {(f.stage, f.amount) for f in figs if f.source.source.id == "review-2025-budget"}
        assert ("예산안", number(m.group(2)) * 1000) in held, lines[n - 1]
        assert ("최종예산", number(m.group(3)) * 1000) in held, lines[n - 1]
        checked += 1
    assert checked == 9  # 계, 일반회계 and the seven departments of 2025


@pytest.mark.parametrize("sid, year, as_of", [
    ("audit-report-2020", 2020, "2020-09-30"),
    ("issues-report-2024", 2024, "2024-05-31"),
    ("work-report-2025", 2025, "2025-07-31"),
])
def test_each_execution_table_total_is_in_the_content_and_reconciled(site, sid, year, as_of):
    """The bureau's 예산현액, 원인행위액 and 지출액 totals of each report's
    execution table are recorded, and the departments' add up to them (the
    check run above passed, so any difference is recorded and explained)."""
    stages = {f.stage for f in site.bureau.totals.all if f.source.source.id == sid and f.as_of == as_of}
    assert {"예산현액", "원인행위액", "지출액"} <= stages
    for stage in ("예산현액", "원인행위액", "지출액"):
        [bureau] = [f for f in site.bureau.totals.all if f.source.source.id == sid and f.stage == stage
                    and f.account is None and f.scope == "전체" and f.table in (None, "세출예산 집행현황")]
        depts = [f for d in site.departments.values() for f in d.totals.all
                 if f.source.source.id == sid and f.stage == stage and f.account is None and f.scope == "전체"
                 and f.table == bureau.table]
        recorded = sum(d["difference"] for d in site.bureau.discrepancies
                       if d["doc"] == sid and d["stage"] == stage and d.get("scope", "전체") == "전체"
                       and d.get("account") is None and d.get("table") == bureau.table)
        assert bureau.amount - sum(f.amount for f in depts) == recorded


def test_every_project_of_the_2025_proposal_is_in_the_content(site):
    """000 says the 2025 proposal has 62 세부사업; each has a 2025 예산안 figure from it
    (ended projects print 0 or '-' for 2025)."""
    n, m = line_with("review-2025-budget", site, r"세부사업 (\d+)개로 편성")
    expected = int(m.group(1))
    with_2025 = [p for p in site.projects.values()
                 if any(f.year == 2025 and f.stage == "예산안" and f.source.source.id == "review-2025-budget"
                        and f.amount > 0 for f in p.figures.all)]
    assert len(with_2025) == expected


def test_coverage_reaches_every_document(site):
    tally = Counter()
    check(PATHS, tally)
    for sid in site.sources:
        assert tally[(sid, "맞춰 봄")] > 0, sid
