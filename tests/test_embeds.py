"""Every chart can be taken away (issue 25): its own address on its page
(#chart-id), an embed page for an iframe on another site (the chart alone,
its sentence, its sources, a link back, its table), the iframe snippet in a
「퍼가기」 block, and its drawing as SVG and as PNG for print."""
import html as htmllib
import json
import posixpath
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from budgetsite import charts
from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT, is_embed
from .test_browser import browser, visit, wake_charts  # noqa: F401  (the shared browser fixture)

FIXTURE_BASE = "https://example.org/test/"  # the fixture's site.yaml


class Parsed(HTMLParser):
    """The tags of a page with their attributes, and the text of each textarea."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.textareas: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "textarea":
            self._in = dict(attrs)["id"]
            self.textareas[self._in] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.textareas[self._in] += data

    def all(self, tag: str, **having) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in having.items())]


def parsed(path: Path) -> Parsed:
    p = Parsed()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def base_url(site: Path) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)index.html">',
                     (site / "index.html").read_text(encoding="utf-8")).group(1)


def charts_on_pages(site: Path):
    """(page, its parsed HTML, the ids of its charts) for every page with a chart."""
    for page in sorted(site.rglob("*.html")):
        if is_embed(page):
            continue
        p = parsed(page)
        ids = [a["id"] for a in p.all("figure", **{"class": "chart"})]
        if ids:
            yield page, p, ids


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
    return struct.unpack(">II", body[16:24])


@pytest.fixture(params=["fixture_site", "real_site"])
def site(request) -> Path:
    return request.getfixturevalue(request.param)


def test_every_chart_has_its_address_an_embed_page_and_an_svg(site):
    base = base_url(site)
    seen = 0
    made = set()
    for page, p, ids in charts_on_pages(site):
        where = page.relative_to(site).as_posix()
        assert len(ids) == len(set(ids)), f"{where}: two charts with one id"
        every_id = [a["id"] for _, a in p.tags if "id" in a]
        for chart_id in ids:
            # Its own address: one element of that id, and a visible link to it.
            assert every_id.count(chart_id) == 1, f"{where}: #{chart_id} is not unique"
            assert p.all("a", href=f"#{chart_id}", **{"class": "chart-permalink"}), f"{where}: no link to #{chart_id}"
            # The snippet names the embed page by its absolute address.
            snippet = p.textareas[f"{chart_id}-embed-code"]
            src = re.fullmatch(r'<iframe src="([^"]+)" title="[^"]+" width="100%" height="(\d+)" '
                               r'loading="lazy" style="border:0"></iframe>', snippet)
            assert src, snippet
            folder = posixpath.dirname(where)
            embed = posixpath.join(folder, "embed", f"{chart_id}.html")
            assert src.group(1) == base + embed and 400 <= int(src.group(2)) <= 900
            assert (site / embed).is_file() and p.all("a", href=f"embed/{chart_id}.html")
            # Its drawing, downloaded from beside the page; its PNG made by charts.js from the page's
            # drawing (test_the_png_is_made_in_the_browser...), the SVG link without JavaScript.
            link = p.all("a", href=f"embed/{chart_id}.svg")
            assert link and "download" in link[0], f"{where}: no svg of {chart_id} to download"
            png = p.all("a", **{"data-png": chart_id})
            assert len(png) == 1 and png[0]["href"] == f"embed/{chart_id}.svg"
            assert png[0]["data-png-name"] == f"{chart_id}.png" and png[0]["data-png-scale"] == str(charts.PNG_SCALE)
            svg = (site / folder / "embed" / f"{chart_id}.svg").read_text(encoding="utf-8")
            assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "aria-hidden" not in svg[:200]
            made |= {embed, embed.removesuffix("html") + "svg"}
            seen += 1
    # Nothing else under any embed/ folder: no file left over from a chart gone.
    present = {f.relative_to(site).as_posix() for f in site.rglob("*") if f.is_file() and f.parent.name == "embed"}
    assert present == made
    assert seen >= (5 if base == FIXTURE_BASE else 100)


def _linked_from_base(spec_json: str, base: str, folder: str | None = None) -> dict:
    """A chart's spec, with its marks' links (a treemap's 링크, relative to its
    page in folder) as absolute addresses: an embed page links from the base URL."""
    spec = json.loads(spec_json)
    for row in spec.get("data", {}).get("values", []):
        if "링크" in row and folder is not None:
            row["링크"] = base + posixpath.normpath(posixpath.join(folder, row["링크"]))
    return spec


def test_the_embed_page_is_the_chart_alone_with_its_words_sources_table_and_way_back(site):
    base = base_url(site)
    checked = 0
    for page, _, ids in charts_on_pages(site):
        page_html = page.read_text(encoding="utf-8")
        where = page.relative_to(site).as_posix()
        for chart_id in ids:
            embed = page.parent / "embed" / f"{chart_id}.html"
            html = embed.read_text(encoding="utf-8")
            e = parsed(embed)
            # No navigation, no search, no footer: the chart, its sentence and its table.
            assert "<nav" not in html and "site-search" not in html and "<footer" not in html
            figure = re.search(rf'<figure class="chart" id="{chart_id}">.*?</figure>', page_html, re.S).group(0)
            title = re.search(r"<figcaption>([^<]+)<", figure).group(1)
            summary = re.search(r'class="chart-summary">([^<]+)<', figure).group(1)
            assert re.search(rf'<h1 class="chart-title">{re.escape(title)}</h1>', html)
            assert f'<span class="chart-summary">{summary}</span>' in html and summary.endswith("니다.")
            # The same chart as on its page: the same spec, and the same picture.
            spec = re.compile(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>', re.S)
            assert _linked_from_base(spec.search(html).group(1), base) == \
                _linked_from_base(spec.search(page_html).group(1), base, posixpath.dirname(where))
            assert '<div class="chart-canvas" data-chart="' + chart_id + '"><svg aria-hidden="true"' in html
            assert "<table" in html.split("</figure>", 1)[1]
            # Back to the chart on its page, in the top window, from the base URL.
            back = [a for a in e.all("a") if a["href"] == f"{base}{where}#{chart_id}"]
            assert back and back[0]["target"] == "_top"
            assert e.all("base", target="_top")
            # The documents its figures come from, each linked to its place on the sources page.
            sources = [a["href"] for a in e.all("a") if a["href"].startswith(f"{base}sources/index.html#")]
            assert sources, f"{embed}: no source"
            listed = set(re.findall(r'id="([^"]+)"', (site / "sources/index.html").read_text(encoding="utf-8")))
            assert {s.split("#")[1] for s in sources} <= listed
            # As strict as every page; never listed for search engines (its page is).
            assert html.count('<meta http-equiv="Content-Security-Policy"') == 1 and "default-src &#39;none&#39;" in html
            assert '<meta name="robots" content="noindex">' in html
            checked += 1
    assert checked
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/embed/" not in sitemap


def test_the_embed_page_loads_only_what_is_beside_it(site):
    """From file://, under a GitHub Pages path, or in a frame on another site,
    it asks nothing of anywhere else: only links (and the snippet's words on
    its page) may name the base URL."""
    base = base_url(site)
    embeds = [f for f in site.rglob("*.html") if is_embed(f)]
    assert embeds
    for embed in embeds:
        e = parsed(embed)
        for tag, attrs in e.tags:
            for attr in ("src", "href", "srcset", "data", "poster", "action"):
                value = attrs.get(attr)
                if value is None or (tag == "a" and attr == "href"):
                    continue
                assert not re.match(r"^[a-z]+:|^//|^/", value), f"{embed}: <{tag} {attr}={value}>"
                assert (embed.parent / value).resolve().is_file(), f"{embed}: {value} missing"
        for a in e.all("a"):
            if a.get("rel") == "license":  # the data's licence (issue 25 §4)
                continue
            assert a["href"].startswith(base), f"{embed}: a link that does not lead to the site: {a['href']}"
        text = embed.read_text(encoding="utf-8")
        # (The drawing's url(#clip) names a part of itself.)
        assert not re.search(r"url\((?!#)", text) and "@import" not in text and "<iframe" not in text


def test_a_site_without_drawings_still_has_embeds_and_says_why_there_is_nothing_to_download(tmp_path):
    out = tmp_path / "site"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out), drawings=False)
    page = (out / "projects/map-platform/index.html").read_text(encoding="utf-8")
    embed = out / "projects/map-platform/embed/project-map-platform-budget.html"
    assert embed.is_file() and 'class="chart-note"' in embed.read_text(encoding="utf-8")
    assert not list(out.rglob("embed/*.svg")) and not list(out.rglob("embed/*.png"))
    assert 'href="embed/project-map-platform-budget.svg"' not in page
    assert "그림을 내려받을 수 없습니다" in page and "project-map-platform-budget-embed-code" in page


def test_the_png_is_made_in_the_browser_from_the_drawing_at_twice_its_size(browser, fixture_site):  # noqa: F811
    """From file://, as an archive is read: the PNG link makes the picture
    from the page's drawing; without JavaScript only the SVG link shows."""
    page_path = fixture_site / "projects/map-platform/index.html"
    chart_id = "project-map-platform-budget"
    drawn = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"',
                      (fixture_site / f"projects/map-platform/embed/{chart_id}.svg").read_text(encoding="utf-8"))
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(page_path.resolve().as_uri())
    page.locator(f"#{chart_id} details.chart-embed summary").click()
    with page.expect_download() as d:
        page.locator(f'a[data-png="{chart_id}"]').click()
    assert d.value.suggested_filename == f"{chart_id}.png"
    body = open(d.value.path(), "rb").read()
    width, height = png_size(body)
    assert (width, height) == (charts.PNG_SCALE * int(drawn.group(1)), charts.PNG_SCALE * int(drawn.group(2)))
    assert width == 2 * charts.SVG_WIDTH and len(body) > 5000 and errors == []
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_path.resolve().as_uri())
    page.locator(f"#{chart_id} details.chart-embed summary").click()
    assert page.locator(f'#{chart_id} a[href="embed/{chart_id}.svg"][download]').is_visible()
    assert not page.locator(f'a[data-png="{chart_id}"]').is_visible()
    context.close()


def test_from_file_url_the_embed_draws_its_chart_and_fits_its_frame(browser, real_site):  # noqa: F811
    """The embed pages with the most words of each kind of chart, opened
    from file:// at a column's width and at a phone's (test_browser visits
    every page but these): the live chart draws, axe-core finds no WCAG 2.1
    A/AA violation, nothing is logged or asked of elsewhere, and all but the
    folded table fits the height the snippet gives the frame, so the sources
    and the way back are never under a scroll of the frame's own."""
    longest = {}
    for page, p, ids in charts_on_pages(real_site):
        for chart_id in ids:
            snippet = p.textareas[f"{chart_id}-embed-code"]
            height = int(re.search(r'height="(\d+)"', snippet).group(1))
            embed = page.parent / "embed" / f"{chart_id}.html"
            kind = re.sub(r"^(project|dept)-[a-z0-9-]+?(-budget|-execution)?$", r"\1\2", chart_id)
            # Its words: the title and sentence over the chart, the sources and the link back under it.
            html = embed.read_text(encoding="utf-8")
            words = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1) + \
                re.search(r'<p class="embed-about">(.*?)</p>', html, re.S).group(1)
            size = len(re.sub(r"<[^>]+>", "", words))
            if size > longest.get(kind, (0,))[0]:
                longest[kind] = (size, embed.relative_to(real_site).as_posix(), height)
    assert len(longest) >= 4
    for _, path, height in longest.values():
        for width in (640, 360):
            r = visit(browser, real_site, path, width=width, audit=True)
            assert r["charts"] == r["live_svgs"] == 1 and r["marks"] > 0, path
            assert r["errors"] == [] and r["outside"] == [] and r["overflow"] <= 0, (path, r)
            assert r["violations"] == [], (path, width, r["violations"])
            context = browser.new_context(viewport={"width": width, "height": height})
            tab = context.new_page()
            tab.goto((real_site / path).resolve().as_uri())
            wake_charts(tab)
            used = tab.evaluate("document.querySelector('main').getBoundingClientRect().bottom")
            context.close()
            assert used <= height, f"{path} at {width}px: {used:.0f}px in a frame {height}px high"


def test_the_snippet_shows_the_chart_on_another_site_and_leads_back(browser, fixture_site):  # noqa: F811
    """The snippet pasted as it is into a page of another site, the site
    served at its base URL: the chart draws inside the frame, and its link
    back opens the chart's page in the whole window."""
    page_path = "projects/map-platform/index.html"
    snippet = htmllib.unescape(re.search(r'id="project-map-platform-budget-embed-code"[^>]*>([^<]+)</textarea>',
                                         (fixture_site / page_path).read_text(encoding="utf-8")).group(1))
    context = browser.new_context(viewport={"width": 800, "height": 900})
    elsewhere: list[str] = []
    context.route("**/*", lambda route: (elsewhere.append(route.request.url), route.abort()))

    def serve(route):
        file = fixture_site / route.request.url.removeprefix(FIXTURE_BASE).split("#")[0]
        if file.is_file():
            route.fulfill(path=file)
        else:
            elsewhere.append(route.request.url)
            route.abort()
    context.route(f"{FIXTURE_BASE}**", serve)
    context.route("https://news.example/**", lambda route: route.fulfill(
        content_type="text/html; charset=utf-8",
        body=f'<!DOCTYPE html><html lang="ko"><title>기사</title><body><p>기사 본문</p>{snippet}</body></html>'))
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    tab.goto("https://news.example/article")
    frame = tab.frame_locator("iframe")
    # Lazy in the frame too: the picture drawn at build time, the chart library once the reader points at it.
    frame.locator("[data-chart] > svg").wait_for(timeout=15000)
    frame.locator("figure.chart").hover()
    frame.locator("[data-chart].is-live .chart-live svg").wait_for(timeout=15000)
    frame.locator('a[target="_top"]', has_text="에서 보기").click()
    tab.wait_for_url(f"{FIXTURE_BASE}{page_path}#project-map-platform-budget")
    assert tab.locator("#project-map-platform-budget").is_visible()
    context.close()
    assert errors == [] and elsewhere == []
