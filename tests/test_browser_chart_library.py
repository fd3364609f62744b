"""The chart library only where it serves (issue 28 §4), in Chromium from
file://: a page shows its build-time pictures without loading the vega
bundle; pointing at, tapping or focusing a chart loads it and the live charts
draw; 「움직이는 차트 늘 켜기」 makes later pages load it at once until it is
pressed again; a site built without pictures loads it at once."""
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

from budgetsite.pipeline import Paths, build  # noqa: E402

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT  # noqa: E402
from .test_browser import browser  # noqa: E402,F401 (the fixture)

PAGE = "projects/map-platform/index.html"
OTHER = "departments/alpha/index.html"
ALL_LIVE = "() => document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart].is-live').length"


class Tab:
    """One reader's browser: its requests, its errors, its pages in turn."""

    def __init__(self, browser, site: Path, **options):  # noqa: F811
        self.context = browser.new_context(**options)
        self.root = site.resolve().as_uri() + "/"
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str):
        self.requests.clear()
        self.page.goto(self.root + path)
        self.page.wait_for_load_state("load")
        return self.page

    def bundles(self) -> list[str]:
        return [u for u in self.requests if "/assets/vega-" in u]

    def live(self) -> int:
        return self.page.locator("[data-chart].is-live .chart-live svg").count()

    def settle(self) -> None:
        """Long enough for a library that would load unasked to have drawn."""
        self.page.wait_for_timeout(1500)


@pytest.fixture
def tab(browser, fixture_site):  # noqa: F811
    t = Tab(browser, fixture_site, viewport={"width": 1024, "height": 800})
    yield t
    t.context.close()
    assert t.errors == []


def test_a_first_visit_shows_the_pictures_without_the_library(tab):
    page = tab.open(PAGE)
    tab.settle()
    assert tab.bundles() == []
    assert page.evaluate("typeof window.vegaEmbed") == "undefined"
    pictures = page.locator("[data-chart] > svg")
    assert pictures.count() == page.locator("[data-chart]").count() >= 2
    assert pictures.first.is_visible() and tab.live() == 0
    # Every chart's control, reachable by keyboard, not pressed.
    controls = page.get_by_role("button", name="움직이는 차트 늘 켜기")
    assert controls.count() == pictures.count()
    assert controls.first.get_attribute("aria-pressed") == "false"


def test_pointing_at_a_chart_loads_the_library_and_draws_every_chart(tab):
    page = tab.open(PAGE)
    page.locator("figure.chart").first.hover()
    page.wait_for_function(ALL_LIVE, timeout=15000)
    assert len(tab.bundles()) == 1 and tab.live() == page.locator("[data-chart]").count()
    # The live chart in the picture's place; only the pointer's page, nothing remembered.
    assert not page.locator("[data-chart] > svg").first.is_visible()
    assert page.locator("[data-chart] .chart-live svg").first.is_visible()
    page.locator("figure.chart").last.hover()
    tab.open(OTHER)
    tab.settle()
    assert tab.bundles() == [] and tab.live() == 0


def test_focus_by_keyboard_loads_it(tab):
    page = tab.open(PAGE)
    for _ in range(200):  # Tab along the page until the focus reaches a chart
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('figure.chart')"):
            break
    else:
        pytest.fail("no chart reachable by the keyboard")
    page.wait_for_function(ALL_LIVE, timeout=15000)
    assert len(tab.bundles()) == 1


def test_a_tap_loads_it(browser, fixture_site):  # noqa: F811
    tab = Tab(browser, fixture_site, viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = tab.open(PAGE)
    tab.settle()
    assert tab.bundles() == []
    picture = page.locator("[data-chart] > svg").first
    picture.scroll_into_view_if_needed()
    picture.tap()
    page.wait_for_function(ALL_LIVE, timeout=15000)
    assert len(tab.bundles()) == 1 and tab.live() >= 2
    tab.context.close()
    assert tab.errors == []


def test_the_setting_loads_it_at_once_on_later_pages_until_turned_off(tab):
    page = tab.open(PAGE)
    control = page.get_by_role("button", name="움직이는 차트 늘 켜기").first
    control.click()
    page.wait_for_function(ALL_LIVE, timeout=15000)
    assert control.get_attribute("aria-pressed") == "true"
    # The next page, untouched: the library at once, every chart live.
    page = tab.open(OTHER)
    page.wait_for_function(ALL_LIVE, timeout=15000)
    assert len(tab.bundles()) == 1
    assert page.locator(".chart-live-toggle[aria-pressed='true']").count() == page.locator("[data-chart]").count()
    # Pressed again: back to the pictures here, and later pages load nothing unasked.
    page.locator(".chart-live-toggle").first.click()
    assert page.locator("[data-chart].is-live").count() == 0 and page.locator("[data-chart] > svg").first.is_visible()
    assert page.locator(".chart-live-toggle[aria-pressed='true']").count() == 0
    page.locator("figure.chart").first.hover()  # turned off on this page: pointing does not bring it back
    assert page.locator("[data-chart].is-live").count() == 0
    tab.open(PAGE)
    tab.settle()
    assert tab.bundles() == [] and tab.live() == 0


def test_a_site_without_pictures_draws_at_once(browser, tmp_path):  # noqa: F811
    out = tmp_path / "site"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out), drawings=False)
    assert (out / PAGE).read_text(encoding="utf-8").count('class="chart-note"') >= 2  # no picture: a note stands in
    tab = Tab(browser, out, viewport={"width": 1024, "height": 800})
    page = tab.open(PAGE)
    page.wait_for_function(ALL_LIVE, timeout=15000)  # untouched
    assert len(tab.bundles()) == 1 and tab.live() >= 2
    assert page.locator("[data-chart] > .chart-note").count() == 0
    tab.context.close()
    assert tab.errors == []


def test_an_embedded_chart_waits_for_the_reader_too(tab, fixture_site):
    embed = next(p for p in sorted((fixture_site / "projects/map-platform/embed").glob("*.html")))
    page = tab.open(embed.relative_to(fixture_site).as_posix())
    tab.settle()
    assert tab.bundles() == [] and page.locator("[data-chart] > svg").is_visible()
    assert page.locator(".chart-live-toggle").count() == 0  # the frame's height is the chart's alone
    page.locator("figure.chart").hover()
    page.wait_for_function(ALL_LIVE, timeout=15000)
    assert len(tab.bundles()) == 1
