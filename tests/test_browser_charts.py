"""Charts as a reader meets them in Chromium, from file://: every year on the
live chart's axis, charts that fit an A4 page when printed, and build-time
drawings whose words a phone without JavaScript shows at 10 px or more."""
from contextlib import contextmanager
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_browser import browser, wake_charts  # noqa: F401 (the fixture)

PAGES = ["index.html", "projects/intelligent-cctv-upgrade/index.html"]
# A4 less the @page margins of style.css (12 mm each side), in CSS px.
PRINTABLE = (210 - 2 * 12) / 25.4 * 96
A4_WIDTH = 210 / 25.4 * 96


@contextmanager
def opened(browser, site: Path, path: str, width: int, javascript: bool = True):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.resolve().as_uri() + "/" + path)
    charts = page.locator("[data-chart]").count()
    assert charts, f"{path} has no chart"
    if javascript:
        wake_charts(page)
    try:
        yield page
        assert errors == []
    finally:
        context.close()


X_LABELS = """() => Array.from(document.querySelectorAll('[data-chart]'), canvas => {
    const axis = Array.from(canvas.querySelectorAll('.chart-live svg .role-axis'))
        .find(a => (a.getAttribute('aria-label') || '').startsWith('X-axis'));
    const labels = axis ? Array.from(axis.querySelectorAll('.role-axis-label text')) : [];
    return {id: canvas.dataset.chart, labels: labels.map(t => t.textContent),
            turned: labels.filter(t => /rotate\\((?!0\\))/.test(t.getAttribute('transform') || '')).length};
})"""


@pytest.mark.parametrize("path", PAGES)
def test_live_charts_show_every_year_of_their_range(browser, real_site, path):  # noqa: F811
    with opened(browser, real_site, path, 1280) as page:
        # A treemap has no axes (its own tests: test_browser_composition.py).
        found = [c for c in page.evaluate(X_LABELS) if "composition" not in c["id"]]
    by_year = [c for c in found if not c["id"].endswith("execution")]
    assert by_year, found
    for chart in by_year:
        years = [int(label) for label in chart["labels"]]
        assert len(years) >= 2, chart
        assert years == list(range(years[0], years[-1] + 1)), f"{path} {chart['id']}: a year is missing: {years}"
        assert chart["turned"] == 0, chart
    for chart in found:
        assert chart["labels"] and chart["turned"] == 0, chart


VISIBLE_CHARTS = """() => Array.from(document.querySelectorAll('.chart svg'))
    .map(svg => svg.getBoundingClientRect())
    .filter(box => box.width > 0 && box.height > 0)
    .map(box => ({left: box.left, right: box.right, width: box.width}))"""


def assert_fits_the_page(page, what: str) -> None:
    charts = page.locator("figure.chart").count()
    boxes = page.evaluate(VISIBLE_CHARTS)
    assert len(boxes) == charts, f"{what}: {charts} charts, {len(boxes)} printed pictures"
    client = page.evaluate("document.documentElement.clientWidth")
    for box in boxes:
        assert box["width"] <= PRINTABLE, f"{what}: a chart {box['width']:.0f}px wide, the A4 column {PRINTABLE:.0f}px"
        assert box["right"] <= client, f"{what}: a chart reaches {box['right']:.0f}px of {client}px"


@pytest.mark.parametrize("path", PAGES)
def test_printed_charts_fit_an_a4_column(browser, real_site, path):  # noqa: F811
    """Printed from a wide screen, where the live charts were drawn wider than the paper."""
    with opened(browser, real_site, path, 1280) as page:
        assert max(b["width"] for b in page.evaluate(VISIBLE_CHARTS)) > PRINTABLE  # it can fail
        page.emulate_media(media="print")
        assert_fits_the_page(page, f"{path} printed from 1280px")
        page.set_viewport_size({"width": round(A4_WIDTH), "height": 1123})
        assert_fits_the_page(page, f"{path} at the width of A4")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1


def test_a_site_without_pictures_prints_its_live_charts_within_the_column(browser, tmp_path):  # noqa: F811
    out = tmp_path / "site"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out), drawings=False)
    with opened(browser, out, "projects/map-platform/index.html", 1280) as page:
        page.emulate_media(media="print")
        assert_fits_the_page(page, "built without pictures, printed")
        assert page.pdf(format="A4").startswith(b"%PDF")


SMALLEST_TEXT = """() => Array.from(document.querySelectorAll('.chart-canvas > svg')).map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = Array.from(svg.querySelectorAll('text'), t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {texts: sizes.length, smallest: Math.min(...sizes), width: svg.getBoundingClientRect().width};
})"""


@pytest.mark.parametrize("path", PAGES)
def test_without_javascript_a_phone_shows_the_drawings_words_at_10px_or_more(browser, real_site, path):  # noqa: F811
    with opened(browser, real_site, path, 360, javascript=False) as page:
        drawings = page.evaluate(SMALLEST_TEXT)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert drawings and overflow <= 0
    for d in drawings:
        assert d["texts"] > 5 and d["width"] <= 360, d
        assert d["smallest"] >= 10, f"{path}: text {d['smallest']:.1f}px on a 360px phone"
