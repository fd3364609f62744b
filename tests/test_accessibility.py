"""What a screen reader and a keyboard need, on every page: headings in
order, a skip link, described charts, visible focus."""
import re

from .conftest import is_embed
from .test_browser import browser  # noqa: F401  (the shared browser fixture)


def html_pages(site):
    return sorted(p for p in site.rglob("*.html"))


def test_headings_are_in_order_on_every_page(real_site):
    for page in html_pages(real_site):
        levels = [int(x) for x in re.findall(r"<h([1-6])\b", page.read_text(encoding="utf-8"))]
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{page}: one h1, first"
        for a, b in zip(levels, levels[1:]):
            assert b <= a + 1, f"{page}: h{a} followed by h{b}"


def test_every_page_has_a_skip_link_to_main_and_lang_ko(real_site):
    for page in html_pages(real_site):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="ko">' in html
        assert html.count('<main id="main"') == 1
        if is_embed(page):
            continue  # a chart alone in a frame: nothing before it to skip
        body = html.split("<body>", 1)[1]
        first_link = re.search(r"<a\b[^>]*>", body).group(0)
        assert 'class="skip"' in first_link and 'href="#main"' in first_link


def test_every_chart_is_described_in_words_and_by_a_table(real_site):
    charts = 0
    for page in html_pages(real_site):
        html = page.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="chart"[^>]*>.*?</figure>', html, re.S):
            charts += 1
            caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
            assert re.search(r'class="chart-summary">[^<]+니다\.', caption), page
            # The drawn picture is hidden from screen readers; words and table carry it.
            assert re.search(r'<svg aria-hidden="true" focusable="false"', figure), page
            after = html.split(figure, 1)[1]
            assert after.find("<table") != -1 and (after.find("<figure") == -1 or after.find("<table") < after.find("<figure"))
    assert charts > 100


def test_keyboard_skip_link_and_visible_focus(browser, real_site):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto((real_site / "compare/index.html").resolve().as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    box = page.locator(".skip").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # shown on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # Every kind of control shows where the focus is.
    for selector in (".site-header nav a", "#site-search-input", ".sort-button", ".compare-pairs ul a", ".table-links a",
                     ".compare-pairs summary", ".table-scroll"):
        # Reached by keyboard (Shift+Tab, Tab), so the browser shows focus as it would to a keyboard user.
        page.focus(selector)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert page.evaluate(f"document.activeElement === document.querySelector({selector!r})"), selector
        style = page.evaluate("[getComputedStyle(document.activeElement).outlineStyle,"
                              " parseFloat(getComputedStyle(document.activeElement).outlineWidth)]")
        assert style[0] != "none" and style[1] >= 2, (selector, style)
    context.close()
