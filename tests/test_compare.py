"""Comparing fiscal years: one static page for each year with the next and
with the latest (not every pair: that grows with the square of the years),
readable without JavaScript, sortable with it, new and ended projects marked."""
import re

import pytest

from budgetsite import registry, render
from budgetsite.pipeline import Paths, build, check

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


def expected_pairs(years):
    return {*zip(years, years[1:]), *((a, years[-1]) for a in years[:-1])}


def test_a_page_for_each_year_with_the_next_and_the_latest(real_site, real_model):
    years, pairs = render.compare_pairs(real_model)
    assert years[-1] == max(real_model.years) and len(years) >= 3
    made = {tuple(map(int, p.name.split("-"))) for p in (real_site / "compare").glob("*-*")}
    assert made == set(pairs) == expected_pairs(years)
    assert len(made) == 2 * (len(years) - 1) - 1  # the latest consecutive pair is in both lists
    # The index shows the two latest years, with a link to each pair in both lists, none of them "this page".
    index = (real_site / "compare/index.html").read_text(encoding="utf-8")
    assert f"<h1>{years[-2]}년과 {years[-1]}년" in index
    assert len(re.findall(r'href="\.\./compare/\d{4}-\d{4}/index.html"', index)) == 2 * (len(years) - 1)
    assert "aria-current" not in index.split('class="compare-pairs"')[1].split("</details>")[0]


def _chooser(html):
    """The chooser's two lists: (a, b, is this page) for each link."""
    chooser = html.split('class="compare-pairs"')[1].split("</details>")[0]
    return chooser, [[(int(x), int(y), bool(cur)) for x, y, cur in
                      re.findall(r'<a href="[./]*compare/(\d{4})-(\d{4})/index.html"( aria-current="page")?', part)]
                     for part in chooser.split('id="pairs-latest"')]


def test_the_chooser_lists_a_years_pairs_and_links_them_all(real_site, real_model):
    years, _ = render.compare_pairs(real_model)
    latest = years[-1]
    # compare/index.html lists every pair, none of them "this page".
    chooser, (nexts, lasts) = _chooser((real_site / "compare/index.html").read_text(encoding="utf-8"))
    assert nexts == [(x, y, False) for x, y in zip(years, years[1:])]
    assert lasts == [(x, latest, False) for x in years[:-1]]
    assert "모든 해의 비교 목록" not in chooser
    # A pair page lists the pairs of its first year and the years either side, and links the whole list.
    a, b = years[2], years[3]
    chooser, (nexts, lasts) = _chooser((real_site / f"compare/{a}-{b}/index.html").read_text(encoding="utf-8"))
    near = years[1:4]
    assert nexts == [(x, y, (x, y) == (a, b)) for x, y in zip(near, years[2:5])]
    assert lasts == [(x, latest, False) for x in near]
    assert 'href="../../compare/index.html#pairs">모든 해의 비교 목록</a>' in chooser
    _, (nexts, lasts) = _chooser((real_site / f"compare/{years[0]}-{latest}/index.html").read_text(encoding="utf-8"))
    assert [c for x, y, c in nexts] == [False, False] and lasts == [(years[0], latest, True), (years[1], latest, False)]
    # A pair that compares few projects says so beside its link, as its own page does.
    chooser, _ = _chooser((real_site / "compare/index.html").read_text(encoding="utf-8"))
    for x, y in expected_pairs(years):
        counts = render.pair_counts(real_model, x, y)
        link = re.search(rf'{x}–{y}</a> <small>\((\d+)/(\d+)개(, 비교 약함)?\)</small>', chooser).groups()
        assert (int(link[0]), int(link[1]), bool(link[2])) == (counts["compared"], counts["rows"], counts["weak"])
    assert any(render.pair_counts(real_model, x, y)["weak"] for x, y in expected_pairs(years))


def test_compare_pages_grow_linearly_with_the_years(content, paths):
    """Issue 23: a project with a figure every year made a page for every
    pair of years, each linking every pair: 6,105 pages of 6,105 links for
    111 years. Now there are two pages a year, a pair page links a few
    pairs and compare/index.html all of them: all pages together grow with
    the years, not their square."""
    project = content / "projects/aerial-photos.yaml"
    text = project.read_text(encoding="utf-8")
    years = list(range(1965, 2024))  # with 2024 and 2025: 61 years of figures
    text = text.replace("  - {year: 2024, department: alpha}\n",
                        "".join(f"  - {{year: {y}, department: alpha}}\n" for y in years)
                        + "  - {year: 2024, department: alpha}\n")
    text += "".join(f"  - {{year: {y}, stage: 본예산, amount: {400000 + y}, source: {{doc: doc-a, line: 20}}}}\n"
                    for y in years)
    project.write_text(text, encoding="utf-8")
    site = check(paths)
    count = len(render.compare_pairs(site)[0])
    assert count == 61
    # Counted before building: the old design would take minutes to build this.
    planned = [p.path for p in registry.all_pages(site) if p.path.startswith("compare/")]
    assert len(planned) <= 2 * count
    build(paths, drawings=False)
    made = sorted((paths.out / "compare").glob("*-*/index.html"))
    assert len(made) == 2 * (count - 1) - 1 and len(made) + 1 == len(planned)
    links = {page: len(re.findall(r'<a href="[^"]*compare/\d{4}-\d{4}/index.html"', page.read_text(encoding="utf-8")))
             for page in [*made, paths.out / "compare/index.html"]}
    assert links.pop(paths.out / "compare/index.html") == 2 * (count - 1)
    assert max(links.values()) <= 6  # its first year's pairs with the next and the latest, and either side's
    assert sum(links.values()) <= 6 * len(made) <= 12 * count


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


def test_without_javascript_the_pair_links_work(browser, real_site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((real_site / "compare/index.html").resolve().as_uri())
    assert page.locator(".compare-pairs ul").first.is_visible()  # open without a click
    page.get_by_role("list", name="마지막 해(2025년)와 비교").get_by_role("link", name="2020–2025").click()
    assert page.locator("h1").inner_text().startswith("2020년과 2025년")
    assert page.locator("#compare tbody tr").count() > 10
    page.get_by_role("list", name="앞 해와 비교").get_by_role("link", name="2020–2021").click()
    assert page.locator("h1").inner_text().startswith("2020년과 2021년")
    page.get_by_role("link", name="모든 해의 비교 목록").click()
    page.get_by_role("list", name="앞 해와 비교").get_by_role("link", name="2022–2023").click()
    assert page.locator("h1").inner_text().startswith("2022년과 2023년")
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
