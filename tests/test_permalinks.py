"""Permalinks to views (issue 25 §2): every section heading with an id has a
visible link to itself, and the year comparison keeps the reader's order in
the address, restored on load and carried to the other pairs."""
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from .test_browser import browser  # noqa: F401  (the shared browser fixture)
from .test_browser_phone import PHONE, TABLE_PAGES, open_page


def pages(site: Path) -> list[tuple[str, lxml.html.HtmlElement]]:
    return [(str(p.relative_to(site)), lxml.html.fromstring(p.read_bytes())) for p in sorted(site.rglob("*.html"))]


def words(el) -> str:
    return " ".join(el.text_content().split())


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_every_heading_with_an_id_links_to_itself_and_ids_are_unique(which, request):
    site = request.getfixturevalue(which)
    linked = 0
    for path, doc in pages(site):
        ids = Counter(doc.xpath("//@id"))
        assert [i for i, n in ids.items() if n > 1] == [], f"{path}: ids used twice"
        for h in doc.xpath("//h2[@id] | //h3[@id]"):
            wrapper, link = h.getparent(), h.getnext()
            assert wrapper.tag == "div" and "heading-anchored" in wrapper.classes, f"{path}: #{h.get('id')} has no link"
            assert link is not None and link.tag == "a" and "heading-link" in link.classes
            assert link.get("href") == "#" + h.get("id"), path
            glyph, name = link.xpath("./span[@aria-hidden='true']"), link.xpath("./span[@class='visually-hidden']")
            assert [words(g) for g in glyph] == ["#"], path
            # Named by the heading's words (its <small> aside left out), in Korean.
            heading = " ".join("".join(h.xpath(".//text()[not(ancestor::small)]")).split())
            assert [words(n) for n in name] == [f"‘{heading}’ 절의 링크"], path
            linked += 1
        # No link without its heading.
        assert len(doc.xpath("//a[@class='heading-link']")) == len(doc.xpath("//h2[@id] | //h3[@id]")), path
        for section in doc.xpath("//section[@aria-labelledby]"):
            named = doc.xpath(f"//*[@id='{section.get('aria-labelledby')}']")
            assert len(named) == 1, f"{path}: a section is named by a missing id"
            # The region's name is the heading's words alone: the link stands beside the heading.
            if named[0].tag in ("h2", "h3"):
                assert named[0].xpath(".//a[@class='heading-link']") == [], path
    assert linked > (50 if which == "fixture_site" else 500)


def test_markdown_pages_and_fixed_sections_have_ids(fixture_site):
    guide = lxml.html.fromstring((fixture_site / "guide/index.html").read_bytes())
    ids = {h.text_content(): h.get("id") for h in guide.xpath("//main//h2")}
    # From the heading's words, Hangul kept: the same whatever comes before it.
    assert ids["단위"] == "단위" and ids["연도별 대표 금액"] == "연도별-대표-금액"
    assert ids["예산의 단계"] == "stages-h" and ids["금액 표기"] == "notation-h"
    for path in ("projects/map-platform/index.html", "departments/alpha/index.html", "data/index.html",
                 "sources/index.html"):
        doc = lxml.html.fromstring((fixture_site / path).read_bytes())
        # Every h2 the page itself writes (not one from a description's Markdown).
        unlinked = [words(h) for h in doc.xpath("//main//h2[not(ancestor::*[contains(@class, 'prose')])]")
                    if not h.get("id")]
        assert unlinked == [], f"{path}: {unlinked}"


COMPARE = "compare/2024-2025/index.html"
ROWS = "rows => rows.map(r => r.querySelector('th').textContent.trim())"


@pytest.fixture
def reader(browser):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


def order(page) -> list[str]:
    return page.eval_on_selector_all("#compare tbody tr", ROWS)


def sorted_by(page) -> list[tuple[str, str]]:
    return [tuple(x) for x in page.eval_on_selector_all(
        "#compare thead th[aria-sort]", "ths => ths.map(t => [t.dataset.sortKey, t.getAttribute('aria-sort')])")]


def test_the_comparison_order_is_in_the_address_and_restored(reader, real_site):
    page, errors = reader
    url = (real_site / COMPARE).resolve().as_uri()
    page.goto(url)
    printed, entries = order(page), page.evaluate("history.length")
    change = page.locator("#compare thead th[data-sort-key='change'] button")
    change.click()
    assert page.evaluate("location.hash") == "#sort=change&order=desc"
    descending = order(page)
    assert descending != printed
    page.reload()
    assert sorted_by(page) == [("change", "descending")] and order(page) == descending
    change.click()
    assert page.evaluate("location.hash") == "#sort=change&order=asc"
    ascending = order(page)
    # Replaced, not pushed: Back leaves the page's history as it was.
    assert page.evaluate("history.length") == entries
    # Another pair opens in the same order; its columns have the same keys.
    with page.expect_navigation():  # to its load: the order is restored by a deferred script
        page.get_by_role("list", name="마지막 해(2025년)와 비교").get_by_role("link", name="2023–2025").click()
    assert page.url.endswith("compare/2023-2025/index.html#sort=change&order=asc")
    assert sorted_by(page) == [("change", "ascending")]
    values = [int(v) for v in page.eval_on_selector_all(
        "#compare tbody tr", "rows => rows.map(r => r.cells[7].getAttribute('data-sort'))") if v]
    assert values == sorted(values)
    # A name sorts too, and the address follows the last choice.
    page.locator("#compare thead th[data-sort-key='project'] button").click()
    assert page.evaluate("location.hash") == "#sort=project&order=asc"
    page.goto(url + "#sort=change&order=asc")
    assert order(page) == ascending
    assert errors == []


@pytest.mark.parametrize("fragment", ["#sort=nonsense&order=desc", "#sort=__proto__", "#sort=constructor&order=asc",
                                      "#sort=%E0%A4%A&order=%ZZ", "#sort=&order=desc", "#order=desc", "#pairs-next",
                                      "#sort=change&sort=rate&order=sideways&&=", "#%", "#sort=change&order=sideways"])
def test_a_bogus_order_in_the_address_is_ignored(reader, real_site, fragment):
    page, errors = reader
    url = (real_site / COMPARE).resolve().as_uri()
    page.goto(url)
    printed = order(page)
    page.goto(url + fragment)
    page.reload()  # a fragment alone does not load the page again
    if fragment == "#sort=change&order=sideways":
        # A known column with an unknown order: the column's own first order, as a click gives.
        assert sorted_by(page) == [("change", "descending")]
    elif fragment.startswith("#sort=change&sort=rate"):
        assert sorted_by(page) == [("change", "descending")]  # the first of two, as URLSearchParams reads it
    else:
        assert sorted_by(page) == [] and order(page) == printed
    # The page still sorts, and says so in the address.
    page.locator("#compare thead th[data-sort-key='year-b'] button").click()
    assert page.evaluate("location.hash") == "#sort=year-b&order=desc"
    assert errors == []


def test_without_javascript_the_order_in_the_address_changes_nothing(browser, real_site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((real_site / COMPARE).resolve().as_uri() + "#sort=change&order=asc")
    assert page.locator("#compare thead th[aria-sort]").count() == 0
    hrefs = page.eval_on_selector_all(".compare-pairs ul a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and not any("#" in h for h in hrefs)
    context.close()


# Each heading's link, measured on a 360px phone: on the screen, on the
# heading's first line, clear of the heading's words, and the page no wider.
MEASURE = r"""
() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const out = [];
  for (const link of document.querySelectorAll(".heading-link")) {
    const heading = link.previousElementSibling, box = link.getBoundingClientRect(), h = heading.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(heading);
    const text = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    const lineHeight = parseFloat(getComputedStyle(heading).lineHeight);
    out.push({id: heading.id, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
              width: box.width, height: box.height, headingTop: h.top, lineHeight,
              overlaps: text.some(r => r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top),
              color: getComputedStyle(link).color, shown: getComputedStyle(link).display !== "none"});
  }
  return {links: out, overflow: document.documentElement.scrollWidth - window.innerWidth};
}
"""


@pytest.mark.parametrize("path", [*(p for p in TABLE_PAGES if p not in ("projects/index.html", "departments/index.html")),
                                  "guide/index.html", "sources/index.html", "discrepancies/index.html",
                                  "organisation/index.html", "programs/index.html", "data/index.html"])
def test_heading_links_fit_a_phone(browser, real_site, path):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_page(page, real_site, path)
    found = page.evaluate(MEASURE)
    assert found["links"], f"{path}: no heading link"
    assert found["overflow"] <= 0, f"{path} is {found['overflow']}px wider than the phone"
    for r in found["links"]:
        where = f"{path}#{r['id']}"
        assert r["shown"] and r["width"] >= 20 and r["height"] >= 20, f"{where}: too small to tap: {r}"
        assert 0 <= r["left"] and r["right"] <= PHONE["width"], f"{where}: off the screen: {r}"
        assert not r["overlaps"], f"{where}: covers the heading's words: {r}"
        # On the heading's first line.
        middle = (r["top"] + r["bottom"]) / 2
        assert r["headingTop"] <= middle <= r["headingTop"] + r["lineHeight"] + 4, f"{where}: not on the first line: {r}"
    # Printed, the links are gone and the headings have their whole width.
    page.emulate_media(media="print")
    assert all(not r["shown"] for r in page.evaluate(MEASURE)["links"])
    context.close()


def test_a_heading_link_is_reached_by_keyboard_and_shows_focus(browser, real_site):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto((real_site / "projects/intelligent-cctv-upgrade/index.html").resolve().as_uri())
    link = page.locator("a.heading-link[href='#budget-h']")
    assert link.get_attribute("href") == "#budget-h"
    page.focus("a.heading-link[href='#budget-h']")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#budget-h"
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none"
    # The region keeps the heading's name; the link has its own.
    assert page.get_by_role("region", name="연도·단계별 예산", exact=True).count() == 1
    assert page.get_by_role("link", name="‘연도·단계별 예산’ 절의 링크").count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#budget-h"
    context.close()
