"""Long lists stay light (issue 28 §3): the project index and a department's
list of projects, longer than limits.PROJECTS_PER_PAGE, go on in pages
(render/pages_of.py), each a page kind of its own (registry.py). Here the
limit is lowered to 10 so small synthetic content makes several pages."""
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from budgetsite import registry
from budgetsite.load import load_content
from budgetsite.pipeline import Paths, build, check
from budgetsite.render import limits, pages_of
from budgetsite.validate import validate

from . import table_reader
from .conftest import PROJECT
from .test_build_cache import fresh_root

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402

PER_PAGE = 10


@pytest.fixture(scope="module")
def long_site(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(limits, "PROJECTS_PER_PAGE", PER_PAGE)
    patch.setattr(limits, "DEPARTMENT_PROJECTS_PER_PAGE", PER_PAGE)
    tmp = tmp_path_factory.mktemp("long")
    made = generate(tmp / "synthetic", projects=47, departments=2)
    paths = Paths(fresh_root(tmp), made / "content", made / "sources", tmp / "site")
    build(paths, drawings=False)
    yield paths, check(paths)
    patch.undo()


def html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def project_links(page: Path, table: str = "projects") -> list[str]:
    """The project ids the page's table links to, in order."""
    body = re.search(rf'<table id="{table}".*?</table>', html(page), re.S)
    assert body, f"{page}: no table {table}"
    return re.findall(r'<th scope="row"><a href="[./]*projects/([^/]+)/index.html"', body.group(0))


def list_pages(site_dir: Path, first: str, folder: str) -> list[Path]:
    later = sorted((site_dir / folder).glob("page-*/index.html"), key=lambda p: int(p.parent.name.split("-")[1]))
    return [site_dir / first, *later]


def test_the_project_index_shows_each_project_on_exactly_one_page(long_site):
    paths, site = long_site
    pages = list_pages(paths.out, "projects/index.html", "projects")
    assert len(pages) == 5  # 47 projects, 10 a page
    shown = [project_links(p) for p in pages]
    assert [len(s) for s in shown] == [10, 10, 10, 10, 7]
    every = [i for s in shown for i in s]
    assert sorted(every) == sorted(site.projects)
    # in the order of the whole list: by department, then name
    assert every == [p.id for p in sorted(site.projects.values(), key=lambda p: (p.department.name, p.name))]
    assert "전체 47개 중 11–20번째" in html(pages[1])
    assert "<h1>사업 (2쪽)</h1>" in html(pages[1])


def test_each_department_list_shows_each_of_its_projects_once(long_site):
    paths, site = long_site
    for d in site.departments.values():
        pages = list_pages(paths.out, d.path, f"departments/{d.id}/projects")
        assert len(pages) == pages_of.count(len(d.projects), PER_PAGE) > 1
        every = [i for p in pages for i in project_links(p)]
        assert every == [p.id for p in d.projects]  # by name, as the department's page always listed them
        # The comparison of two years goes with the projects each page shows.
        for p in pages:
            assert set(project_links(p, "changes")) <= set(project_links(p))
        # The department's charts and totals are on its first page only.
        assert 'id="totals-h"' in html(pages[0]) and 'id="totals-h"' not in html(pages[1])


def test_pager_links_lead_to_pages_that_exist(long_site):
    paths, _ = long_site
    pagers = [p for p in paths.out.rglob("index.html") if 'class="pager"' in html(p)]
    assert len(pagers) == 5 + 3 + 3  # the index (47 projects) and each department (24 and 23)
    for page in pagers:
        text = html(page)
        nav = re.search(r'<nav class="pager" aria-label="([^"]+)">(.*?)</nav>', text, re.S)
        assert nav and nav.group(1).endswith("쪽 번호")
        assert nav.group(2).count('aria-current="page"') == 1
        here = re.search(r'<a href="([^"]+)" aria-current="page"', nav.group(2)).group(1)
        assert (page.parent / here).resolve() == page.resolve()
        hrefs = re.findall(r'<a href="([^"#]+)"', re.search(r'<main.*</main>', text, re.S).group(0))
        for href in hrefs:
            target = Path(urljoin(page.as_uri(), href).removeprefix("file://"))
            assert target.is_file(), f"{page}: {href}"
        # previous and next, and where a page stands in the whole list
        assert ('rel="prev"' in text) == (page.parent.name.startswith("page-"))
        assert re.search(r"전체 \d+개 중 \d+–\d+번째", text)


def test_split_lists_keep_their_downloads_and_say_what_they_hold(long_site):
    paths, site = long_site
    second = paths.out / "projects" / "page-2" / "index.html"
    # The table's own downloads hold this page's rows, and its caption says so.
    csv = (second.parent / "tables" / "projects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv) == 1 + PER_PAGE
    assert "이 쪽에 보이는 사업" in html(second)
    # The whole list is one click away from every page.
    whole = (paths.out / "projects" / "tables" / "projects-all.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(whole) == 1 + len(site.projects)
    assert 'href="../../projects/tables/projects-all.csv"' in html(second)
    d = sorted(site.departments.values(), key=lambda d: d.id)[0]
    own = (paths.out / "departments" / d.id / "tables" / "projects-all.csv").read_text(encoding="utf-8-sig")
    assert len(own.splitlines()) == 1 + len(d.projects)


def test_each_page_s_table_downloads_are_what_it_shows(long_site):
    """The files beside each page of a split list (what a reader without JavaScript gets, and what
    static/tables.js makes from the table) hold that page's rows, under the caption it shows."""
    paths, _ = long_site
    pages = [p for p in paths.out.rglob("index.html") if 'class="pager"' in html(p)]
    for page in pages:
        for read in table_reader.extract(html(page)):
            if read.id not in ("projects", "changes"):
                continue
            assert f'href="tables/{read.id}.csv"' in html(page)
            made = json.loads((page.parent / "tables" / f"{read.id}.json").read_text(encoding="utf-8"))
            assert made["caption"] == read.caption and "이 쪽에 보이는 사업" in read.caption
            assert [list(r.values()) for r in made["rows"]] == read.rows, f"{page} {read.id}"


def test_the_new_pages_are_page_kinds_in_the_sitemap(long_site):
    paths, site = long_site
    declared = {p.path for p in registry.all_pages(site)}
    sitemap = html(paths.out / "sitemap.xml")
    for path in ("projects/page-2/index.html", "projects/page-5/index.html",
                 "departments/dept-000/projects/page-3/index.html"):
        assert path in declared and path in sitemap
    assert "projects/page-6/" not in sitemap
    # A department's later page is made from what its first is made from.
    d = site.departments["dept-000"]
    later = registry.KIND["department projects"].page(site, (d, 2))
    assert later.inputs == registry.KIND["department"].page(site, (d,)).inputs


def test_a_short_list_is_one_page_as_before(fixture_site):
    """The fixture's lists are far under the limit: no pager, no later pages, the heading as it was."""
    index = html(fixture_site / "projects" / "index.html")
    assert "<h1>사업</h1>" in index and "pager" not in index and "projects-all" not in index
    assert not list(fixture_site.glob("projects/page-*")) and not list(fixture_site.glob("departments/*/projects"))
    for d in (fixture_site / "departments").glob("*/index.html"):
        assert "pager" not in html(d)


def test_a_project_id_may_not_take_a_page_of_the_index(tmp_path):
    made = generate(tmp_path / "synthetic", projects=3, departments=1)
    old = made / "content" / "projects" / "project-00001.yaml"
    new = old.with_name("page-2.yaml")
    new.write_text(old.read_text(encoding="utf-8").replace("id: project-00001", "id: page-2"), encoding="utf-8")
    old.unlink()
    found = [str(p) for p in validate(load_content(made / "content"), made / "sources")]
    assert any("page-2" in p and "사업 목록의 쪽 주소" in p for p in found), found


def test_with_many_departments_the_stacks_by_stage_move_to_the_departments_page(tmp_path, fixture_site):
    """The home page's three stacked charts grow with departments × years: past
    limits.DEPARTMENT_STAGES_ON_HOME they and their tables are on the departments
    page, and the home page says where; with few (the fixture) they stay home."""
    made = generate(tmp_path / "synthetic", projects=40, departments=4)
    patch = pytest.MonkeyPatch()
    patch.setattr(limits, "DEPARTMENT_STAGES_ON_HOME", 3)
    try:
        paths = Paths(fresh_root(tmp_path), made / "content", made / "sources", tmp_path / "site")
        build(paths, drawings=False)
    finally:
        patch.undo()
    home, departments = html(paths.out / "index.html"), html(paths.out / "departments/index.html")
    stacks = re.compile(r'<figure class="chart" id="(bureau-by-department-[a-z]+)"')
    moved = stacks.findall(departments)
    assert len(moved) == 3 and stacks.findall(home) == []
    for chart_id in moved:
        stage = chart_id.removeprefix("bureau-by-department-")
        assert f'<table id="by-department-{stage}"' in departments and f'id="by-department-{stage}"' not in home
        assert (paths.out / "departments/embed" / f"{chart_id}.html").is_file()
    assert 'href="departments/index.html#stages-h"' in home and 'id="stages-h"' in departments
    assert '<table id="by-department"' in home  # each department's year stays home
    fixture_home = html(fixture_site / "index.html")
    assert stacks.findall(fixture_home) and not stacks.findall(html(fixture_site / "departments/index.html"))
