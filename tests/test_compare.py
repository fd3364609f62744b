"""Comparing any two fiscal years: one static page per pair, readable without
JavaScript, sortable with it, new and ended projects marked."""
import itertools
import re

import pytest

from budgetsite.pipeline import Paths, check

from .test_browser import browser  # noqa: F401  (the shared browser fixture)


@pytest.fixture(scope="module")
def real_model():
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip("source texts not found")
    return check(paths)


def rows_of(html):
    body = html.split('<table id="compare"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_a_page_for_every_pair_of_years(real_site, real_model):
    years = sorted(int(p.name.split("-")[0]) for p in (real_site / "compare").glob("*-*"))
    years = sorted({*years, *(int(p.name.split("-")[1]) for p in (real_site / "compare").glob("*-*"))})
    assert years[-1] == max(real_model.years)
    for a, b in itertools.combinations(years, 2):
        assert (real_site / f"compare/{a}-{b}/index.html").is_file()
    # The index shows the two latest years, with links to every pair.
    index = (real_site / "compare/index.html").read_text(encoding="utf-8")
    assert f"<h1>{years[-2]}년과 {years[-1]}년" in index
    assert len(re.findall(r'href="\.\./compare/\d{4}-\d{4}/index.html"', index)) == len(years) * (len(years) - 1) // 2


def test_amounts_and_marks_follow_the_figures(real_site, real_model):
    a, b = 2024, 2025
    html = (real_site / f"compare/{a}-{b}/index.html").read_text(encoding="utf-8")
    rows = rows_of(html)
    expected = [p for p in real_model.projects.values()
                if p.figures.representative(a) or p.figures.representative(b)]
    assert len(rows) == len(expected)  # every project with a figure in either year, without JavaScript
    by_name = {re.sub(r"<[^>]+>", "", re.search(r'<th scope="row">(.*?)</th>', r).group(1)): r for r in rows}
    for p in expected:
        row = by_name[p.name]
        values = re.findall(r'<td class="num[^"]*" data-value="(-?\d*)"', row)
        ch = p.change(a, b)  # the one comparison rule: the pair it compares, else each year's own figure
        fa, fb = ch.before, ch.after
        assert values[:2] == [str(fa.amount) if fa else "", str(fb.amount) if fb else ""], p.id
        ended = [h["year"] for h in p.history if h["event"] == "ended"]
        if "badge-ended" in row:
            assert fa and fa.amount and not (fb and fb.amount)
            assert any(e <= b for e in ended) or p.status == "종료"
        if "badge-new" in row:
            assert not (fa and fa.amount) and fb.amount
    assert html.count("badge-new") >= 1 and html.count("badge-ended") >= 1


def test_sorting_by_change_and_name_in_the_browser(browser, real_site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((real_site / "compare/2024-2025/index.html").resolve().as_uri())
    column = 7  # 증감: 사업(th) 신규·종료 부서 2024 단계, 2024, 2025 단계, 2025, 증감

    def change_values():
        return page.eval_on_selector_all(
            "#compare tbody tr", f"rows => rows.map(r => r.cells[{column}].getAttribute('data-sort'))")

    header = page.locator("#compare thead th").nth(column)
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    values = change_values()
    numbers = [int(v) for v in values if v]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] > 0
    assert all(values[:len(numbers)]) and not any(values[len(numbers):])  # rows without a change stay last
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    numbers = [int(v) for v in change_values() if v]
    assert numbers == sorted(numbers) and numbers[0] < 0

    name = page.locator("#compare thead th").nth(0)
    name.get_by_role("button").click()
    names = page.eval_on_selector_all("#compare tbody th", "ths => ths.map(t => t.textContent.trim())")
    assert name.get_attribute("aria-sort") == "ascending"
    assert names == page.evaluate("ns => ns.slice().sort((a, b) => a.localeCompare(b, 'ko'))", names)
    assert errors == []
    context.close()


def test_year_picker_goes_to_the_chosen_pair(browser, real_site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto((real_site / "compare/index.html").resolve().as_uri())
    page.select_option("#compare-a", "2023")
    page.select_option("#compare-b", "2021")
    page.get_by_role("button", name="비교하기").click()
    page.wait_for_url("**/compare/2021-2023/index.html")
    assert page.locator("h1").inner_text().startswith("2021년과 2023년")
    page.select_option("#compare-b", "2021")
    page.get_by_role("button", name="비교하기").click()
    assert "서로 다른 두 해" in page.locator(".compare-error").inner_text()
    context.close()


def test_without_javascript_the_picker_is_hidden_and_links_remain(browser, real_site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((real_site / "compare/index.html").resolve().as_uri())
    assert not page.locator(".compare-picker").is_visible()
    page.locator(".compare-pairs summary").click()
    page.get_by_role("link", name="2020–2025").click()
    assert page.locator("h1").inner_text().startswith("2020년과 2025년")
    assert page.locator("#compare tbody tr").count() > 10
    context.close()


def test_new_projects_sort_first_by_rate_and_blanks_last(browser, real_site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto((real_site / "compare/2024-2025/index.html").resolve().as_uri())
    rate = page.locator("#compare thead th").nth(8)
    rate.get_by_role("button").click()
    texts = page.eval_on_selector_all("#compare tbody tr", "rows => rows.map(r => r.cells[8].textContent.trim())")
    assert texts[0] == "순증"
    mark = page.locator("#compare thead th").nth(1)
    mark.get_by_role("button").click()
    marks = page.eval_on_selector_all("#compare tbody tr", "rows => rows.map(r => r.cells[1].textContent.trim())")
    assert marks[0] in ("신규", "종료") and marks[-1] == ""
    assert page.locator(".sort-help").is_visible()
    context.close()


def test_year_picker_says_how_many_projects_a_pair_compares(browser, real_site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto((real_site / "compare/index.html").resolve().as_uri())
    status = page.locator(".compare-status")
    assert "증감을 계산할 수 있습니다" in status.inner_text() and "적은" not in status.inner_text()  # 2024–2025
    page.select_option("#compare-a", "2023")
    page.select_option("#compare-b", "2024")
    link = page.locator('.compare-pairs a[data-pair="2023-2024"]')
    compared, rows = link.get_attribute("data-compared"), link.get_attribute("data-rows")
    assert int(compared) * 4 < int(rows)  # 2 of 66 today
    assert status.inner_text() == f"사업 {rows}개 가운데 {compared}개의 증감을 계산할 수 있습니다. 견줄 수 있는 사업이 적은 두 해입니다."
    context.close()
