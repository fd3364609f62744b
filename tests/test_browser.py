"""The built site in real headless Chromium, opened from file:// as an archive
copy would be: every chart draws, nothing logs an error, no request leaves
the site folder."""
import shutil
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

from budgetsite.pipeline import Paths, build  # noqa: E402

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT, is_embed  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags keep Chromium from reaching out on its own (updates, sync, ...),
# so any request we see comes from the page.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run ./test.sh, which installs it")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


AXE = Path(__file__).parent / "tools/node_modules/axe-core/axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wake_charts(page) -> int:
    """The reader turns to the page's charts (the pointer over the first one),
    which loads the chart library (charts.js), and every live chart draws.
    The number of charts."""
    charts = page.locator("[data-chart]").count()
    if charts:
        shown = page.locator("figure.chart:visible")
        if shown.count():
            shown.first.hover()
        else:  # every chart folded away (in a closed <details>): a tap where it will open
            page.locator("figure.chart").first.dispatch_event("pointerdown")
        page.wait_for_function(
            "n => document.querySelectorAll('[data-chart].is-live').length === n", arg=charts, timeout=15000)
    return charts


def visit(browser, site: Path, page_path: str, width: int = 1024, audit: bool = False) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=True)
    root = site.resolve().as_uri() + "/"
    outside, errors = [], []

    def guard(route):
        url = route.request.url
        if url.startswith(root):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    if audit:
        # An init script, not a <script> tag: the page's CSP rightly refuses inline scripts.
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(root + page_path)
    charts = wake_charts(page)
    violations = []
    if audit:
        # axe-core runs after the charts have drawn: the page as a reader meets it.
        # preload: false, or axe fetches the stylesheets by XHR, which file:// forbids.
        report = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false})", WCAG)
        violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['html'][:120]})"
                      for v in report["violations"]]
    result = {
        "violations": violations,
        "charts": charts,
        "live_svgs": page.locator("[data-chart].is-live .chart-live svg").count(),
        "marks": page.locator("[data-chart].is-live .chart-live svg .mark-rect path").count(),
        "overflow": page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
        "outside": outside, "errors": errors,
    }
    context.close()
    return result


def all_pages(site: Path) -> list[str]:
    return [str(p.relative_to(site)) for p in sorted(site.rglob("*.html"))]


def test_every_page_from_file_url_on_a_360px_phone(browser, real_site):
    """Every page, not a sample: charts draw (once the reader turns to one), nothing logs an error, no request
    leaves the folder, no horizontal scroll, and axe-core finds no WCAG 2.1 A/AA violation."""
    assert AXE.is_file(), "axe-core is missing: run ./test.sh, which installs tests/tools"
    # Not the charts' embed pages: all are one template, and visiting each
    # doubled this test's time; test_embeds visits one of each kind of chart.
    pages = [p for p in all_pages(real_site) if not is_embed(real_site / p)]
    assert len(pages) > 20
    drawn = 0
    for path in pages:
        r = visit(browser, real_site, path, width=360, audit=True)
        assert r["violations"] == [], f"{path}: {r['violations']}"
        # Wide tables scroll inside their own box; the page itself must not.
        assert r["overflow"] <= 0, f"{path} is {r['overflow']}px wider than the phone"
        assert r["errors"] == [], f"{path}: {r['errors']}"
        assert r["outside"] == [], f"{path}: requests left the site folder: {r['outside']}"
        assert r["live_svgs"] == r["charts"], f"{path}: {r['charts']} charts, {r['live_svgs']} drawn"
        if r["charts"]:
            assert r["marks"] > 0, f"{path}: charts drew no bars"
        drawn += r["charts"]
    assert drawn > 20


@pytest.mark.parametrize("path", ["index.html", "departments/spatial-information/index.html",
                                  "projects/virtual-seoul-3d/index.html"])
def test_desktop_width(browser, real_site, path):
    r = visit(browser, real_site, path, width=1280)
    assert r["overflow"] <= 0 and r["errors"] == [] and r["outside"] == []
    assert r["live_svgs"] == r["charts"] and r["marks"] > 0


def test_without_javascript_the_build_time_svg_shows(browser, real_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_site.resolve().as_uri() + "/projects/virtual-seoul-3d/index.html")
    static = page.locator("[data-chart] > svg")
    assert static.count() >= 1
    box = static.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    context.close()


def test_a_site_built_without_svg_draws_its_charts_in_the_browser(browser, tmp_path):
    """--no-svg (for very large sites): no build-time picture, a note in its
    place without JavaScript, and with JavaScript the same live charts."""
    out = tmp_path / "site"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out), drawings=False)
    page = "projects/map-platform/index.html"
    html = (out / page).read_text(encoding="utf-8")
    assert "<svg" not in html and 'class="chart-note"' in html
    r = visit(browser, out, page, width=360, audit=True)
    assert r["charts"] and r["live_svgs"] == r["charts"] and r["marks"] > 0
    assert r["violations"] == [] and r["errors"] == [] and r["outside"] == []
    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(out.resolve().as_uri() + "/" + page)
    assert static.locator("[data-chart] > .chart-note").first.is_visible()
    context.close()
