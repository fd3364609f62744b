"""A new fiscal year, end to end (issue 26 §3): the office opens a new edition
as README's 「새 판 게시하기」 tells it, adds 2026 예산안 figures for three real
projects through the workbook, builds, and finds them on the project pages, on
compare/2025-2026/, in the edition's change list and in the feed."""
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import html as lhtml
from openpyxl import load_workbook

from budgetsite import money
from budgetsite.cli import main
from budgetsite.pipeline import Paths, check

# Columns of 「사업 금액」 as exported (as in tests/test_workbook.py).
OWNER, DEPARTMENT, YEAR, STAGE, AMOUNT, DOC, LINE, NOTE = "B", "D", "E", "F", "G", "K", "L", "N"
NEW = "2026-12-20"
# Real projects with a 2025 예산안 (so 2026 예산안 compares with it), and amounts in 천원.
ADDED = {"big-data-campus": 612345, "aerial-photography": 1802000, "address-information-system": 98765}


def _words(el) -> str:
    return " ".join(el.text_content().split())


def _table(page: Path, table_id: str) -> list[dict[str, str]]:
    """A table of a built page, a row as {header: cell text}."""
    [table] = lhtml.parse(str(page)).xpath(f'//table[@id="{table_id}"]')
    headers = [_words(th) for th in table.xpath("./thead//th")]
    return [dict(zip(headers, (_words(c) for c in tr.xpath("./th|./td")), strict=True))
            for tr in table.xpath("./tbody/tr")]


def test_a_new_fiscal_year_through_the_workbook(tmp_path, capsys):
    real = Paths.default()
    if not real.sources.exists():
        pytest.skip(f"source texts not found at {real.sources}")
    content = tmp_path / "content"
    shutil.copytree(real.content, content)
    common = ["--content", str(content), "--sources", str(real.sources)]

    # Open the new edition: site.yaml names it, and its folder says what it changes.
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    opened = re.sub(r'^edition: \{date: "[0-9-]+", label: .*\}$',
                    f'edition: {{date: "{NEW}", label: "2026년 예산안 반영"}}', text, count=1, flags=re.M)
    assert opened != text
    site_yaml.write_text(opened, encoding="utf-8")
    (content / "editions" / NEW).mkdir()
    (content / "editions" / NEW / "edition.yaml").write_text(
        f'date: "{NEW}"\nlabel: 2026년 예산안 반영\nsummary: 세 사업의 2026년 예산안을 더했습니다.\n', encoding="utf-8")

    # Export, add a row per project at the bottom of 「사업 금액」 (2026 is a new
    # year for each: its department is chosen in the row, as in 2025), import.
    xlsx = tmp_path / "예산.xlsx"
    assert main(["export", "--xlsx", str(xlsx), *common]) == 0
    wb = load_workbook(xlsx)
    ws = wb["사업 금액"]
    departments = {}
    for project, amount in ADDED.items():
        yaml = (content / "projects" / f"{project}.yaml").read_text(encoding="utf-8")
        departments[project] = re.findall(r"^  - \{year: 2025, department: ([a-z-]+)\}$", yaml, flags=re.M)[-1]
        r = ws.max_row + 1
        for col, value in {OWNER: project, DEPARTMENT: departments[project], YEAR: 2026, STAGE: "예산안",
                           AMOUNT: amount, DOC: "work-report-2025", LINE: 765, NOTE: "시험: 2026년 예산안"}.items():
            ws[f"{col}{r}"] = value
    wb.save(xlsx)
    capsys.readouterr()
    assert main(["import", str(xlsx), *common]) == 0, capsys.readouterr().err
    for project, amount in ADDED.items():
        yaml = (content / "projects" / f"{project}.yaml").read_text(encoding="utf-8")
        assert f"year: 2026, stage: 예산안, amount: {amount}," in yaml
        assert f"  - {{year: 2026, department: {departments[project]}}}\n" in yaml

    out = tmp_path / "site"
    assert main(["build", "--no-svg", "--out", str(out), *common]) == 0, capsys.readouterr().err
    site = check(Paths.default(content=content, sources=real.sources))
    names = {p: site.projects[p].name for p in ADDED}

    # Each project page shows its 2026 amount, in its table by year and stage (천원).
    for project, amount in ADDED.items():
        [row] = [r for r in _table(out / "projects" / project / "index.html", "budget") if r["연도"] == "2026"]
        assert row["예산안"] == money.thousands(amount), (project, row)

    # compare/2025-2026/ lists them with their 2026 amounts (in 백만원, as comparisons are).
    compare = {r["사업"]: r for r in _table(out / "compare" / "2025-2026" / "index.html", "compare")}
    for project, amount in ADDED.items():
        row = compare[names[project]]
        assert (row["2026 단계"], row["2026"]) == ("예산안", money.millions(amount)), row

    # The new edition's change list has the three figures, and only they, as added.
    page = out / "changes" / NEW / "index.html"
    added = _table(page, "added-figures")
    assert sorted((r["사업·부서·항목"], r["연도·단계"], r["이번 판"]) for r in added) == sorted(
        (names[p], "2026년 예산안", money.thousands(a)) for p, a in ADDED.items())
    assert "세 사업의 2026년 예산안을 더했습니다." in _words(lhtml.parse(str(page)).getroot())

    # The feed has an entry for the new edition, linking to that page.
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    [entry] = [e for e in feed.entries if e.link == site.base_url + f"changes/{NEW}/index.html"]
    assert NEW in entry.title and "새로 3건" in entry.summary

    # Published: closing the edition keeps exactly what data/ published, and its summary.
    assert main(["edition", *common]) == 0, capsys.readouterr().err
    for name in ("budget.csv", "revenue.csv"):
        assert (content / "editions" / NEW / name).read_bytes() == (out / "data" / name).read_bytes()
    assert "summary: 세 사업의" in (content / "editions" / NEW / "edition.yaml").read_text(encoding="utf-8")
