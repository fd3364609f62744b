"""Every conflict in the sources is shown where it occurs, and checked: a
recorded difference that the printed figures do not give fails `check`."""
import shutil

import lxml.html
import pytest

from budgetsite.pipeline import Paths, check
from budgetsite.problems import ContentError


def _text(site, page: str) -> str:
    return " ".join(lxml.html.fromstring((site / page).read_bytes()).text_content().split())


def test_the_bureau_tables_of_the_2025_work_report_disagree_in_plain_view(real_site):
    home = _text(real_site, "index.html")
    for figure in ("185,925", "179,524", "152,728", "121,082"):  # both tables' 예산현액 and 원인행위액 (백만원)
        assert figure in home
    register = _text(real_site, "discrepancies/index.html")
    assert "세출 총괄 − 세출예산 집행현황" in register and "6,401,135" in register and "31,645,919" in register


def test_a_printed_change_its_amounts_do_not_give_is_shown(real_site):
    revenue = _text(real_site, "revenue/index.html")
    assert "2,977,318" in revenue and "3,965,418" in revenue
    assert "2,977,318" in _text(real_site, "discrepancies/index.html")


def test_prose_that_its_own_table_contradicts_is_not_repeated_as_fact(real_site):
    page = _text(real_site, "projects/security-vulnerability-assessment/index.html")
    assert "504 + 2,191 + 933 = 3,628백만원" in page
    assert "본문에 적힌 대로라면 36억 7,800만원" in page


@pytest.fixture
def real_copy(tmp_path):
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip("source texts not found")
    shutil.copytree(paths.content, tmp_path / "content")
    return Paths(paths.root, tmp_path / "content", paths.sources, tmp_path / "site")


@pytest.mark.parametrize("file, old, new, where", [
    ("site.yaml", "      difference: 6401135\n", "      difference: 6401136\n", "content/site.yaml:"),
    ("revenue.yaml", "    difference: -988100\n", "    difference: -988000\n", "content/revenue.yaml:"),
])
def test_a_wrong_recorded_conflict_is_refused(real_copy, file, old, new, where):
    target = real_copy.content / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        check(real_copy)
    problems = [str(p) for p in failed.value.problems]
    assert len(problems) == 1 and where in problems[0] and "difference" in problems[0], problems
