"""Sharing and archiving: sitemap, robots.txt, a 404 page that works at any
depth on GitHub Pages, link-preview meta, icons, and printing on A4."""
import functools
import html as htmllib
import re
import socket
import struct
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT, is_embed
from .test_browser import browser, wake_charts  # noqa: F401  (the shared browser fixture)

BASE = "https://example.org/test/"  # the fixture's site.yaml


def pages(site):
    return sorted(p for p in site.rglob("*.html") if "tables" not in p.parts and not is_embed(p))


def meta(html, attr, name):
    m = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)">', html)
    return htmllib.unescape(m.group(1)) if m else None


def test_sitemap_and_robots_use_the_base_url(fixture_site):
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    # Not 404.html, nor compare/index.html (it repeats the latest pair's page, its canonical).
    expected = {BASE + str(p.relative_to(fixture_site)) for p in pages(fixture_site)} - {
        BASE + "404.html", BASE + "compare/index.html"}
    assert set(locs) == expected and len(locs) == len(expected)
    robots = (fixture_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and f"Sitemap: {BASE}sitemap.xml" in robots


def test_every_page_has_canonical_description_and_open_graph(fixture_site):
    site_description = meta((fixture_site / "index.html").read_text(encoding="utf-8"), "name", "description")
    for page in pages(fixture_site):
        html = page.read_text(encoding="utf-8")
        path = str(page.relative_to(fixture_site))
        if path == "404.html":
            assert "canonical" not in html and meta(html, "property", "og:url") is None
            continue
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        assert canonical == BASE + (path if path != "compare/index.html" else "compare/2024-2025/index.html")
        assert meta(html, "property", "og:url") == canonical
        assert meta(html, "name", "description") == meta(html, "property", "og:description")
        assert meta(html, "name", "description")
        title = re.search(r"<title>([^<]+)</title>", html).group(1)
        assert title.startswith(meta(html, "property", "og:title"))
        assert meta(html, "property", "og:locale") == "ko_KR"
        assert meta(html, "property", "og:image") == BASE + "assets/icon-512.png"
        if path.startswith("projects/") and path != "projects/index.html":
            # A project's preview says which project it is and how its budget moved.
            description = meta(html, "name", "description")
            assert description != site_description
            assert htmllib.unescape(re.search(r"<h1>([^<]+)</h1>", html).group(1)) in description


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons(fixture_site):
    index = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">' in index
    assert (fixture_site / "assets/favicon.svg").read_text().startswith("<svg")
    assert png_size((fixture_site / "assets/icon-180.png").read_bytes()) == (180, 180)
    assert png_size((fixture_site / "assets/icon-512.png").read_bytes()) == (512, 512)
    ico = (fixture_site / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    width, height, *_, size, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert (width, height) == (48, 48) and png_size(ico[offset:offset + size]) == (48, 48)


def test_404_links_are_absolute_and_need_nothing_else(fixture_site):
    html = (fixture_site / "404.html").read_text(encoding="utf-8")
    for url in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert url.startswith(BASE) or url.startswith("#"), url
    assert "<script" not in html and "<style>" in html and 'rel="stylesheet"' not in html


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PagesLikeHandler(SimpleHTTPRequestHandler):
    """Serves the site under /repo/ and answers a missing path with 404.html, as GitHub Pages does."""

    def translate_path(self, path):
        return super().translate_path(path[len("/repo"):] if path.startswith("/repo/") else "/__none__")

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (self.directory_path / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_404_works_at_any_depth_under_a_pages_subpath(browser, tmp_path):  # noqa: F811
    port = _free_port()
    base = f"http://127.0.0.1:{port}/repo/"
    out = tmp_path / "site"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out), base_url=base)
    handler = functools.partial(PagesLikeHandler, directory=str(out))
    PagesLikeHandler.directory_path = out
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        page = context.new_page()
        for missing in ("nope.html", "projects/gone/index.html", "a/b/c/d/"):
            response = page.goto(base + missing)
            assert response.status == 404
            assert page.locator("h1").inner_text() == "페이지를 찾을 수 없습니다"
            # Styled although no stylesheet path would resolve from this depth.
            assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
                == "rgb(11, 92, 173)"
        page.get_by_role("link", name="모든 사업").click()
        page.wait_for_url(base + "projects/index.html")
        assert page.locator("h1").inner_text() == "사업"
        context.close()
    finally:
        server.shutdown()


def test_a_project_page_prints_on_a4_without_navigation(browser, fixture_site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto((fixture_site / "projects/map-platform/index.html").resolve().as_uri())
    wake_charts(page)  # the live charts drawn, the build-time pictures still the ones printed
    page.emulate_media(media="print")
    for hidden in (".site-header", ".crumbs", ".site-footer", ".table-links"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("figure.chart").first.is_visible()
    assert page.locator("table#budget").is_visible()
    # The folded list of every figure and its source prints open.
    assert page.locator("table#figures").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2 for w, h in boxes)
    context.close()
