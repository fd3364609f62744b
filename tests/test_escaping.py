"""Content that carries HTML, script or template syntax is shown as text and
never runs: Jinja autoescaping, Markdown sanitised by nh3, JSON inside
<script> elements escaped, and a Content-Security-Policy behind them."""
import re
import shutil

import pytest
import yaml

from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_browser import browser, visit  # noqa: F401  (the shared browser fixture)

NAME = '지도</script><script>window.__pwned="name"</script><img src=x onerror=window.__pwned="img"> {{ 7*7 }}'
DESCRIPTION = """지도 사업입니다. <script>window.__pwned="md-script"</script>
<img src=x onerror="window.__pwned='md-img'"> <iframe src="javascript:window.__pwned='iframe'"></iframe>
[눌러 보세요](javascript:window.__pwned='link') {{ site.title }} {% raw %}"""
SOURCE_TITLE = '"><svg onload=window.__pwned="source">'
DEPT_NAME = "알파과 <b onmouseover=window.__pwned='dept'>{{ 1+1 }}</b>"
DEFINITION = '올해 쓸 수 있는 돈입니다. <a href="javascript:window.__pwned=\'term\'">풀이</a>'


def rewrite(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    content = tmp / "content"
    shutil.copytree(FIXTURE_CONTENT, content)

    def project(d):
        d["name"] = NAME
        d["description"] = DESCRIPTION
        d["notes"][0]["text"] = DESCRIPTION
    rewrite(content / "projects/map-platform.yaml", project)
    rewrite(content / "sources.yaml", lambda d: d["sources"][0].update(title=SOURCE_TITLE))
    rewrite(content / "departments/alpha.yaml", lambda d: d["names"][-1].update(name=DEPT_NAME))
    rewrite(content / "glossary.yaml", lambda d: d["terms"][0].update(definition=DEFINITION))
    out = tmp / "site"
    build(Paths(PROJECT, content, FIXTURE_SOURCES, out))
    return out


def test_nothing_executable_reaches_the_html(hostile_site):
    for page in hostile_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'(href|src)="\s*javascript:', html, re.I), page
        assert not re.search(r"<(script|img|iframe|svg|b)\b[^>]*\bon[a-z]+=", html), page
        assert not re.search(r'<script>window', html), page
        assert "<iframe" not in html, page
    project = (hostile_site / "projects/map-platform/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in project and "{{ site.title }}" in project
    # The name is shown as typed, escaped.
    assert "지도&lt;/script&gt;&lt;script&gt;" in project


def test_json_in_script_elements_cannot_end_them(hostile_site):
    project = (hostile_site / "projects/map-platform/index.html").read_text(encoding="utf-8")
    for body in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', project, re.S):
        assert "</" not in body
    for part in [hostile_site / "assets/search-index.js", *(hostile_site / "assets/search").iterdir()]:
        assert "</script" not in part.read_text(encoding="utf-8").lower(), part


def test_no_injected_script_runs_in_the_browser(browser, hostile_site):  # noqa: F811
    for path in sorted(str(p.relative_to(hostile_site)) for p in hostile_site.rglob("*.html")):
        context = browser.new_context()
        page = context.new_page()
        dialogs, violations = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto((hostile_site / path).resolve().as_uri())
        page.wait_for_timeout(150)
        # Not the links drawn in charts: pointing at a chart draws it live, in place of those links.
        # Handles, not locators by position: a chart drawn live hides its picture's links, which renumbers the rest.
        links = [a for a in page.query_selector_all("main a")
                 if a.is_visible() and not a.evaluate("a => !!a.closest('[data-chart]')")]
        for link in links[:40]:
            link.hover(timeout=1000)
        assert page.evaluate("window.__pwned") is None, path
        assert dialogs == [] and violations == [], (path, violations)
        context.close()
    page_html = visit(browser, hostile_site, "projects/map-platform/index.html")
    assert page_html["errors"] == [] and page_html["live_svgs"] == page_html["charts"] > 0


def test_csp_on_every_page_and_it_is_enforced(browser, fixture_site, tmp_path):  # noqa: F811
    for page in fixture_site.rglob("*.html"):
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
                        page.read_text(encoding="utf-8"))
        assert csp, page
        policy = csp.group(1).replace("&#39;", "'")
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
    # The policy is live: a script slipped into a copy of a page is refused.
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    page_path = copy / "projects/map-platform/index.html"
    page_path.write_text(page_path.read_text(encoding="utf-8").replace(
        "</main>", "<script>window.__pwned='csp'</script></main>"), encoding="utf-8")
    r = visit(browser, copy, "projects/map-platform/index.html")
    assert any("Content Security Policy" in e for e in r["errors"])
    assert r["live_svgs"] == r["charts"] > 0  # the charts draw under the same policy
