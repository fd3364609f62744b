"""The treemaps (issue 27 §1) as a reader meets them in Chromium, from file://:
drawn live, every rectangle linking to a page that exists (live and in the
build-time picture, which works without the chart library), a click opening
it, and the table beside it holding exactly the rectangles' figures. The
rectangles are read from the drawn chart (each mark's aria-label, which
Vega-Lite writes from its data), the table from the page."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

playwright = pytest.importorskip("playwright.sync_api")

from budgetsite.money import eok_man  # noqa: E402

from .test_browser import browser  # noqa: E402,F401 (the fixture)
from .test_browser_charts import opened  # noqa: E402

# What each rectangle says of itself: "x: 0; y: 0; x2: 101.06; ...; 사업: …; 금액: …; 링크: …".
RECTS = """id => Array.from(document.querySelectorAll(
        `[data-chart="${id}"] .chart-live svg path[aria-roledescription="rect mark"]`),
    p => Object.fromEntries(p.getAttribute('aria-label').split('; ').map(kv => {
        const i = kv.indexOf(': '); return [kv.slice(0, i), kv.slice(i + 2)]; })))"""

TABLE = """id => Array.from(document.querySelectorAll(`#${id} tbody tr`), tr => ({
    name: tr.querySelector('th').textContent.trim(),
    value: Number(tr.querySelector('td[data-value]').getAttribute('data-value'))}))"""

DRAWN_LINKS = """id => Array.from(document.querySelectorAll(`[data-chart="${id}"] > svg a`),
    a => a.getAttribute('xlink:href') || a.getAttribute('href'))"""

TREEMAPS = """() => Array.from(document.querySelectorAll('[data-chart]'), c => c.dataset.chart)
    .filter(id => id.includes('composition'))"""


def _pages(site: Path) -> list[str]:
    years = sorted(p.parent.name for p in (site / "composition").glob("*/index.html") if p.parent.name.isdigit())
    assert len(years) >= 2, years  # the latest year and at least one other, a choice away
    return ["index.html", "composition/index.html", *(f"composition/{y}/index.html" for y in years),
            "departments/data-center/index.html", "departments/digital-policy/index.html"]


def _resolves(site: Path, page: str, href: str) -> Path:
    assert not urlsplit(href).scheme and not href.startswith("/"), f"{page}: a link not relative: {href}"
    target = (site / page).parent / unquote(urlsplit(href).path)
    assert target.resolve().is_file(), f"{page}: {href} leads nowhere"
    assert target.resolve().is_relative_to(site.resolve()), f"{page}: {href} leaves the site"
    return target


def test_treemaps_draw_link_and_match_their_tables(browser, real_site):  # noqa: F811
    for path in _pages(real_site):
        with opened(browser, real_site, path, 1280) as page:
            ids = page.evaluate(TREEMAPS)
            assert len(ids) == 1, f"{path}: {ids}"
            rects = page.evaluate(RECTS, ids[0])
            table = page.evaluate(TABLE, f"{ids[0]}-table")
            drawn = page.evaluate(DRAWN_LINKS, ids[0])
        assert len(rects) >= 2, f"{path}: {len(rects)} rectangles"
        # Every rectangle leads to a project page that exists, live and in the picture drawn at build time.
        for r in rects:
            assert "/projects/" in "/" + r["링크"], r
            _resolves(real_site, path, r["링크"])
        assert sorted(drawn) and set(drawn) <= {r["링크"] for r in rects} | {None}
        assert {h for h in drawn} == {r["링크"] for r in rects}, f"{path}: drawn and live links differ"
        # The table holds exactly the rectangles' figures (a project of 0 has a row but no rectangle).
        shown = [(row["name"], eok_man(int(row["value"]))) for row in table if row["value"]]
        assert sorted(shown) == sorted((r["사업"], r["금액"]) for r in rects), path
        # Each rectangle's area is its figure's share of the whole.
        total = sum(row["value"] for row in table)
        area = {r["사업"]: (float(r["x2"]) - float(r["x"])) * (float(r["y2"]) - float(r["y"])) for r in rects}
        whole = sum(area.values())
        for row in table:
            if row["value"]:
                assert abs(area[row["name"]] / whole - row["value"] / total) < 0.002, (path, row)


def test_a_rectangle_opens_its_project(browser, real_site):  # noqa: F811
    path = _pages(real_site)[2]
    with opened(browser, real_site, path, 1280) as page:
        [id_] = page.evaluate(TREEMAPS)
        first = page.evaluate(RECTS, id_)[0]
        mark = page.locator(f'[data-chart="{id_}"] .chart-live svg path[aria-roledescription="rect mark"]').first
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url("**/projects/**", timeout=10000)
        assert Path(unquote(urlsplit(page.url).path)) == _resolves(real_site, path, first["링크"]).resolve()


def test_without_javascript_the_drawn_treemap_links(browser, real_site):  # noqa: F811
    path = "index.html"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((real_site / path).resolve().as_uri())
        [id_] = page.evaluate(TREEMAPS)
        links = page.evaluate(DRAWN_LINKS, id_)
        names = page.evaluate(TABLE, f"{id_}-table")
    finally:
        context.close()
    assert len(set(links)) == sum(1 for row in names if row["value"])
    for href in links:
        _resolves(real_site, path, href)
