"""Every figure a reader sees agrees with the figures beside it.

A comparison (two amounts, a change, a rate) is made by one rule in the
model (FigureSet.change) and shown by one macro; these tests read what the
built pages actually show, on the real site and on a synthetic one, and
hold every row to its own arithmetic and every project's change to one
value wherever it appears."""
import csv
import io
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import lxml.html
import pytest

from budgetsite.pipeline import Paths, build

from .conftest import PROJECT
from .test_build_cache import fresh_root
from .test_compare import real_model  # noqa: F401

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("synthetic")
    made = generate(tmp / "synthetic", projects=60, departments=4)
    out = tmp / "site"
    build(Paths(fresh_root(tmp), made / "content", made / "sources", out), drawings=False)
    return out


def _number(text: str) -> Decimal:
    """'△2,932' → -2932, '17.2%' → 17.2: a number as a reader reads it."""
    text = text.strip().rstrip("%").replace(",", "")
    return -Decimal(text[1:]) if text.startswith("△") else Decimal(text)


def _shown(td) -> str:
    """The amount as printed in a cell: its first span (markers and tags left out)."""
    span = td.find("span")
    return (span.text if span is not None else td.text_content()).strip()


def comparisons(site: Path):
    """Every comparison row on every page: (page, project link, years, before, after, change, rate, cells)."""
    for page in sorted(site.rglob("*.html")):
        doc = lxml.html.fromstring(page.read_bytes())
        for table in doc.iter("table"):
            heads = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
            for tr in table.xpath("./tbody/tr"):
                change = tr.xpath("./td[@data-role='change']")
                if not change:
                    continue
                cells = tr.xpath("./td|./th")
                i = cells.index(change[0])
                before, after, rate = cells[i - 3], cells[i - 1], cells[i + 1]
                link = tr.xpath(".//a/@href")
                years = (heads[i - 3], heads[i - 1])
                yield {"page": page.relative_to(site).as_posix(), "project": link[0].split("projects/")[-1] if link else None,
                       "years": years, "before": before, "after": after, "change": change[0], "rate": rate,
                       "stages": (cells[i - 4].text_content().strip(), cells[i - 2].text_content().strip())}


def _check_rows(site: Path) -> int:
    seen: dict[tuple, set] = defaultdict(set)
    count = 0
    for r in comparisons(site):
        where = f"{r['page']} {r['project']} {r['years']}"
        change_text, rate_text = r["change"].text_content().strip(), r["rate"].text_content().strip()
        number = r["change"].get("data-number")
        if number:  # a change was derived: it must be the shown amounts' difference, and its rate
            if change_text in ("순증", "순감"):  # one side has no figure: nothing, not a number
                shown = [_shown(r["before"]), _shown(r["after"])]
                assert shown.count("자료 없음") == 1 or "0" in shown, where
                before, after = (Decimal(0) if s == "자료 없음" else _number(s) for s in shown)
            else:
                before, after = _number(_shown(r["before"])), _number(_shown(r["after"]))
                assert r["stages"][0] and r["stages"][1], f"{where}: an amount without its stage"
            delta = after - before
            assert int(number) == delta, where
            assert change_text in ("-", "순증", "순감") or _number(change_text) == delta, where
            if rate_text not in ("-", "순증", "순감", "") and before:
                expected = (delta * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                assert _number(rate_text) == expected, f"{where}: {rate_text} is not {delta} ÷ {before}"
                assert Decimal(r["rate"].get("data-number")) == expected, where
        else:  # no number derived: the cell says why in words
            assert re.search(r"[가-힣]", change_text), f"{where}: {change_text!r}"
        key_years = tuple(y.removesuffix(" 단계") for y in r["years"])
        seen[(r["project"], key_years)].add((change_text, rate_text, _shown(r["before"]), _shown(r["after"])))
        count += 1
    for key, values in seen.items():
        assert len(values) == 1, f"{key} is shown differently on different pages: {values}"
    return count


def test_every_comparison_row_adds_up_on_the_real_site(real_site):
    assert _check_rows(real_site) > 500


def test_every_comparison_row_adds_up_on_a_synthetic_site(synthetic_site):
    assert _check_rows(synthetic_site) > 200


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_comparison_downloads_carry_stages_and_the_rate_as_a_number(real_site):
    rows = {r["사업"]: r for r in _csv(real_site / "compare/2024-2025/tables/compare.csv")}
    cctv = rows["지능형 CCTV 고도화"]
    assert (cctv["2024 단계"], cctv["2024 (천원)"], cctv["2025 단계"], cctv["2025 (천원)"]) == \
        ("최종예산", "17059700", "예산안", "14128100")
    assert (cctv["증감 (백만원)"], cctv["증감률 (%)"]) == ("-2932", "-17.2")
    # Every row of the download agrees with the page's row.
    for r in comparisons(real_site):
        if r["page"] == "compare/2024-2025/index.html" and r["change"].get("data-number"):
            name = r["change"].getparent().xpath(".//a")[0].text_content()
            assert rows[name]["증감 (백만원)"] == r["change"].get("data-number")


# --- the cases seen on the site (issue: "Every figure a reader sees agrees") ------------------

def _text(site: Path, page: str) -> str:
    return " ".join(lxml.html.fromstring((site / page).read_bytes()).text_content().split())


def _row(site: Path, page: str, project: str) -> list[dict]:
    return [r for r in comparisons(site) if r["page"] == page and r["project"] == f"{project}/index.html"]


@pytest.mark.parametrize("project, change, rate", [
    ("intelligent-cctv-upgrade", "△2,932", "△17.2%"),       # said −17.2% and +18.0% before
    ("cctv-safety-center-operation", "△1,130", "△28.4%"),   # said −28.4% and +59.5% before
])
def test_one_change_on_home_compare_and_project_pages(real_site, project, change, rate):
    for page in ("index.html", "compare/2024-2025/index.html", "compare/index.html"):
        rows = _row(real_site, page, project)
        assert rows, f"{project} not on {page}"
        assert {(r["change"].text_content().strip(), r["rate"].text_content().strip()) for r in rows} == {(change, rate)}
    sentence = _text(real_site, f"projects/{project}/index.html")
    assert f"{change.lstrip('△')}만원" not in sentence  # the sentence says it in words
    assert f"({rate.lstrip('△')}) 줄었습니다" in sentence


def test_home_and_compare_agree_on_the_most_cut(real_site):
    home = [r["project"] for r in comparisons(real_site) if r["page"] == "index.html"
            and r["change"].get("data-number") and int(r["change"].get("data-number")) < 0]
    compare = sorted((r for r in comparisons(real_site) if r["page"] == "compare/2024-2025/index.html"
                      and r["change"].get("data-number") and int(r["change"].get("data-number")) < 0),
                     key=lambda r: (int(r["change"].get("data-number")), r["project"]))
    assert home and home == [r["project"] for r in compare][:len(home)]


def test_department_table_changes_come_from_the_amounts_beside_them(real_site):
    page = "departments/digital-policy/index.html"
    seen = {}
    for project in ("digital-divide-for-vulnerable", "seoul-ai-foundation-contribution", "ai-administrative-service"):
        rows = _row(real_site, page, project)
        if not rows:
            continue
        r = rows[0]
        seen[project] = (_shown(r["before"]), _shown(r["after"]), r["change"].text_content().strip())
    assert seen, "the department page has no comparison table"
    # 인공지능 행정 서비스 showed 2024 "–" beside a change of △233: now both amounts are shown.
    for before, after, _ in seen.values():
        assert before != "자료 없음" and after != "자료 없음"


def test_execution_is_dated_and_apart_from_the_budget_stages(real_site):
    home = lxml.html.fromstring((real_site / "index.html").read_bytes())
    budget_heads = [th.text_content().strip() for th in home.xpath("//table[@id='bureau-totals-table']/thead/tr/th")]
    assert not {"예산현액", "원인행위액", "지출액"} & set(budget_heads)
    rows = _csv(real_site / "tables/bureau-execution-table.csv")
    assert rows and all(r["기준일"] for r in rows)
    # One row, one printed table: 2025's two tables of the work report stand apart.
    sources_2025 = [r["출처"] for r in rows if r["연도"] == "2025"]
    assert len(sources_2025) == len(set(sources_2025)) == 2
    assert all("(" in s for s in sources_2025)  # each names its table
    for page in ("index.html", "projects/intelligent-cctv-upgrade/index.html"):
        for tr in lxml.html.fromstring((real_site / page).read_bytes()).xpath("//table[contains(@id,'execution')]/tbody/tr"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", tr.xpath("./td[@class='date']")[0].text_content().strip())


def test_a_difference_keeps_the_precision_of_its_coarsest_figure(real_site):
    home = _text(real_site, "index.html")
    assert "57억 5,364만 2천원" not in home
    assert "약 57억 5,400만원(3.4%) 줄었습니다" in home


def test_missing_data_is_visible_text(real_site):
    html = (real_site / "projects/intelligent-cctv-upgrade/index.html").read_text(encoding="utf-8")
    empty = re.findall(r'<td class="num empty"[^>]*>(.*?)</td>', html)
    assert empty and all("visually-hidden" not in c and "자료 없음" in c for c in empty)


def test_weak_year_pairs_are_said_to_be_weak(real_site):
    text = _text(real_site, "compare/2023-2024/index.html")
    counted = re.search(r"사업 (\d+)개 가운데 증감을 계산한 사업 (\d+)개", text)
    assert counted and int(counted.group(2)) * 4 < int(counted.group(1))
    assert "견줄 수 있는 사업이 적어" in text
    assert "견줄 수 있는 사업이 적어" not in _text(real_site, "compare/2024-2025/index.html")


def test_project_page_opens_with_the_key_figures(real_site):
    doc = lxml.html.fromstring((real_site / "projects/intelligent-cctv-upgrade/index.html").read_bytes())
    box = doc.xpath("//section[contains(@class,'key-figures')]")[0]
    for tip in box.xpath(".//*[contains(@class,'term-tip')]"):  # glossary pop-ups are not the box's words
        tip.drop_tree()
    text = "".join(box.text_content().split())  # spaces vary around links; the words do not
    assert "2025년예산(예산안)141억2,810만원" in text
    assert "(예산현액,2025년7월31일기준)201억2,810만원" in text
    assert "(지출액,2025년7월31일기준)201억2,400만원집행률100.0%" in text
    assert "예산안보다60억원많습니다" in text  # why 예산안 and 예산현액 differ
    assert len(box.xpath(".//a[contains(@href,'sources/')]")) == 3  # each figure with its source
    # It comes before the description and every table.
    main = doc.xpath("//main")[0]
    order = [el for el in main.iter() if el is box or el.tag == "table"]
    assert order[0] is box


def test_coverage_table_counts_what_the_sources_give(real_site, real_model):  # noqa: F811
    rows = {(r["연도"], r["수준"].split(" (")[0]): r for r in _csv(real_site / "data/tables/coverage.csv")}
    assert {y for y, _ in rows} == {str(y) for y in range(real_model.years[0], real_model.years[-1] + 1)}
    assert all(rows[("2022", "국 전체")][s] == "자료 없음" for s in ("예산안", "본예산", "최종예산"))
    expected = sum(1 for p in real_model.projects.values() if p.figures.get(2024, "최종예산"))
    assert rows[("2024", "사업")]["최종예산"] == str(expected)
