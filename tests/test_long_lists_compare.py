"""Long lists stay light (issue 28 §3): a comparison of more projects than
limits.COMPARE_FULL_UP_TO shows its largest changes each way and says so,
with every row in a CSV beside the page; the ㄱㄴㄷ index of more names than
limits.NAMES_ON_ONE_PAGE is split into a page per initial (in parts). The
limits are set low here, so the synthetic site stays small."""
from __future__ import annotations

import csv
import io
import posixpath
import re
import sys
from pathlib import Path

import pytest

from budgetsite import registry, tables
from budgetsite.pipeline import Paths, build, check
from budgetsite.render import limits
from budgetsite.render.compare import CHANGES_CSV, compare_pairs, compare_path
from budgetsite.render.names import PATH as SEARCH_PATH
from budgetsite.render.names import name_groups

from .conftest import PROJECT
from .table_reader import extract
from .test_browser import browser  # noqa: F401  (the shared browser fixture)
from .test_build_cache import fresh_root

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402

PROJECTS, FULL_UP_TO, EACH_WAY, NAMES = 40, 25, 4, 6


def _low(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(limits, "COMPARE_FULL_UP_TO", FULL_UP_TO)
    mp.setattr(limits, "COMPARE_SHOWN_EACH_WAY", EACH_WAY)
    mp.setattr(limits, "NAMES_ON_ONE_PAGE", NAMES)


@pytest.fixture(scope="module")
def long_site(tmp_path_factory):
    """A synthetic site of PROJECTS projects built with low limits: (paths, model).
    The limits are low only while it is built, and in the tests that ask (low)."""
    tmp = tmp_path_factory.mktemp("long")
    with pytest.MonkeyPatch.context() as mp:
        _low(mp)
        made = generate(tmp / "synthetic", projects=PROJECTS, departments=3)
        paths = Paths(fresh_root(tmp), made / "content", made / "sources", tmp / "site")
        build(paths, drawings=False)
    return paths, check(paths)


@pytest.fixture
def low(monkeypatch):
    _low(monkeypatch)


def _html(paths: Paths, path: str) -> str:
    return (paths.out / path).read_text(encoding="utf-8")


def _hrefs(html: str) -> list[str]:
    return [h for h in re.findall(r'href="([^"#?]+)"', html) if "://" not in h and not h.startswith("mailto:")]


def _resolves(paths: Paths, page: str, href: str) -> bool:
    return (paths.out / posixpath.normpath(posixpath.join(posixpath.dirname(page), href))).is_file()


def _csv_rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel opens Hangul readable
    return list(csv.DictReader(io.StringIO(body[3:].decode("utf-8"), newline="")))


def _expected_largest(site, a: int, b: int) -> tuple[list[str], list[str]]:
    """The largest increases and decreases by the model's own change, worked out here."""
    deltas = [(p.name, ch.delta) for p, ch in site.changes(a, b) if ch.delta]
    up = sorted(((-d, n) for n, d in deltas if d > 0))
    down = sorted(((d, n) for n, d in deltas if d < 0))
    return [n for _, n in up[:EACH_WAY]], [n for _, n in down[:EACH_WAY]]


def test_a_long_comparison_shows_its_largest_changes_and_every_row_in_its_csv(long_site, low, monkeypatch):
    paths, site = long_site
    _, pairs = compare_pairs(site)
    assert len(pairs) > 3
    for a, b in pairs:
        page_path = compare_path(a, b)
        html = _html(paths, page_path)
        shown = {t.id: t for t in extract(html)}
        assert "compare" not in shown  # not every row
        n = len(site.changes(a, b))
        assert n > FULL_UP_TO
        assert f"전체 {n}개 사업 중" in html and "찾아보기" in html
        up, down = _expected_largest(site, a, b)
        assert [r[0] for r in shown["compare-increases"].rows] == up
        assert [r[0] for r in shown["compare-decreases"].rows] == down

        # The CSV: every project once, the same bytes as the full table's own CSV would be.
        csv_path = posixpath.join(posixpath.dirname(page_path), CHANGES_CSV)
        assert f'href="{"../../"}{csv_path}"' in html and _resolves(paths, page_path, f"../../{csv_path}")
        body = (paths.out / csv_path).read_bytes()
        rows = _csv_rows(body)
        names = [r["사업"] for r in rows]
        assert sorted(names) == sorted(p.name for p, _ in site.changes(a, b)) and len(set(names)) == len(names)
        with monkeypatch.context() as mp:
            mp.setattr(limits, "COMPARE_FULL_UP_TO", 10**6)
            full = registry.page(site, "compare", a, b)
        assert [t.id for t in full.tables] == ["compare"] and not full.files
        assert body == tables.csv_bytes(full.tables[0])

        # The page's rows hold exactly the CSV's figures, in the same columns.
        by_name = {r["사업"]: r for r in rows}
        for t in (shown["compare-increases"], shown["compare-decreases"]):
            assert t.headers == list(rows[0].keys())
            for row in t.rows:
                assert [("" if v is None else str(v)) for v in row] == list(by_name[row[0]].values())
        # The downloads of the summary's own tables are written beside the page.
        for id in shown:
            assert (paths.out / posixpath.dirname(page_path) / "tables" / f"{id}.csv").is_file()


def test_the_compare_index_links_the_latest_pairs_csv(long_site):
    paths, site = long_site
    _, pairs = compare_pairs(site)
    html = _html(paths, "compare/index.html")
    csv_path = posixpath.join(posixpath.dirname(compare_path(*pairs[-1])), CHANGES_CSV)
    assert f'href="../{csv_path}"' in html and _resolves(paths, "compare/index.html", f"../{csv_path}")
    assert not (paths.out / "compare" / CHANGES_CSV).exists()
    assert {t.id for t in extract(html)} >= {"compare-increases", "compare-decreases"}


def test_a_long_name_index_is_split_by_initial_and_lists_every_name_once(long_site, low):
    paths, site = long_site
    groups = name_groups(site)
    expected = sorted((i["name"], i["path"], i["note"]) for g in groups for i in g["items"])
    assert len(expected) > NAMES
    search = _html(paths, SEARCH_PATH)
    assert 'class="name-index"' not in search and 'id="search-all"' in search  # 모든 결과 (?q=) still has its place
    initial_links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <small>', search)
    assert [i for _, i in initial_links] == [g["initial"] for g in groups]
    listed, pages, seen = [], [], set()
    todo = []
    for href, _ in initial_links:
        assert _resolves(paths, SEARCH_PATH, href), href
        todo.append(posixpath.normpath(posixpath.join("search", href)))
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        html = _html(paths, page)
        for href in _hrefs(html):  # every link of a name page resolves, the parts' too
            assert _resolves(paths, page, href), (page, href)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            if target.startswith("search/names/"):
                todo.append(target)
        body = html.split('<ul class="name-index">')[1].split("</ul>")[0]
        items = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="search-kind">[^<]+</span>'
                           r'(?: <small>([^<]*)</small>)?</li>', body)
        assert 0 < len(items) <= NAMES
        pages.append(page)
        root = "../" * page.count("/")
        listed += [(name, href.removeprefix(root), note) for href, name, note in items]
    assert sorted(listed) == expected  # every name once, across the pages
    assert len(pages) > len(groups)  # some initial is in parts
    assert sorted(pages) == sorted(p.path for p in registry.all_pages(site) if p.path.startswith("search/names/"))


def test_below_the_limits_the_pages_are_as_they_were(fixture_site):
    """The fixture site (and the real one, 81 projects) is under every limit:
    the comparison shows every row in one table, the index is one page."""
    for page in sorted((fixture_site / "compare").glob("*/index.html")) + [fixture_site / "compare/index.html"]:
        html = page.read_text(encoding="utf-8")
        shown = [t.id for t in extract(html)]
        assert shown == ["compare"] and "compare-summary" not in html
        assert not (page.parent / CHANGES_CSV).exists()
        assert (page.parent / "tables" / "compare.csv").is_file()
    search = (fixture_site / SEARCH_PATH).read_text(encoding="utf-8")
    assert 'class="name-index"' in search and re.search(r'href="#initial-\d+"', search)
    assert not (fixture_site / "search" / "names").exists()


def test_the_limits_leave_the_real_site_whole():
    """The real content (81 projects) is far under the limits it would be summarised at."""
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip("source texts not found")
    site = check(paths)
    assert len(site.projects) <= limits.COMPARE_FULL_UP_TO
    assert sum(len(g["items"]) for g in name_groups(site)) <= limits.NAMES_ON_ONE_PAGE
    assert not any(p.path.startswith("search/names/") for p in registry.all_pages(site))
    assert Path(PROJECT / "templates" / "names.html").is_file()


def test_a_split_index_still_lists_every_result_of_a_search(browser, long_site):  # noqa: F811
    """search.js's 「모든 결과」 (search/index.html?q=) works on the split 찾아보기 page, from file://."""
    paths, site = long_site
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(paths.out.resolve().as_uri() + "/" + SEARCH_PATH + "?q=" + "데이터")
    page.wait_for_selector("#search-all-results li", state="attached")
    listed = page.locator("#search-all-results li > a")
    expected = {p.path for p in site.projects.values() if "데이터" in p.name}
    hrefs = {posixpath.normpath(posixpath.join("search", h)) for h in
             listed.evaluate_all("links => links.map(a => a.getAttribute('href'))")}
    assert expected and expected <= hrefs
    assert page.locator("#search-all").is_visible() and page.locator(".initials a").count() > 1
    context.close()
    assert errors == []
