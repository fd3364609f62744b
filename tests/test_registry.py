"""Every page kind is declared once (registry.py), and a Markdown file in
content/pages/ becomes a page with no code (issue 24)."""
import re
import shutil

import pytest

from budgetsite import registry, render
from budgetsite.pipeline import Paths, build, check
from budgetsite.problems import ContentError

from .conftest import FIXTURE_SOURCES, PROJECT


def test_every_page_is_declared_once_and_made_as_declared(paths):
    site = check(paths)
    pages = registry.all_pages(site)
    paths_ = [p.path for p in pages]
    assert len(paths_) == len(set(paths_))
    kinds = {k.name for k in registry.KINDS}
    assert {"home", "project", "department", "compare", "guide", "404"} <= kinds
    for stub in pages:
        made = stub.ready()
        # What the build decides with before a page is made holds of the page made.
        assert (made.path, made.template, made.inputs, made.lists_projects, made.absolute, made.canonical) == \
            (stub.path, stub.template, stub.inputs, stub.lists_projects, stub.absolute, stub.canonical)
        assert made.title and made.crumbs


def test_a_markdown_file_becomes_a_page_linked_from_every_page(paths):
    (paths.content / "pages" / "about.md").write_text(
        "# 이 사이트에 대하여\n\n서울시 디지털 예산을 시민이 읽기 쉽게 옮겼습니다. 자료는 공개 문서입니다.\n\n"
        "## 만든 곳\n\n예산 공개 모임.\n",
        encoding="utf-8")
    build(paths)
    page = (paths.out / "about" / "index.html").read_text(encoding="utf-8")
    assert page.count("<h1") == 1 and re.search(r"<h1[^>]*>이 사이트에 대하여</h1>", page)
    assert "<h2" in page and "예산 공개 모임" in page
    assert '<meta name="description" content="서울시 디지털 예산을 시민이 읽기 쉽게 옮겼습니다.' in page
    home = (paths.out / "index.html").read_text(encoding="utf-8")
    assert 'href="about/index.html">이 사이트에 대하여</a>' in home
    assert "about/index.html" in (paths.out / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, said", [("About Us.md", "영문 소문자"), ("projects.md", "이미 쓰는 주소"),
                                        ("assets.md", "이미 쓰는 주소")])
def test_a_markdown_page_whose_name_cannot_be_its_address_is_refused(paths, name, said):
    (paths.content / "pages" / name).write_text("# 제목\n\n본문.\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(paths)
    assert any(p.file.endswith(f"pages/{name}") and said in p.message for p in caught.value.problems)


def test_a_table_in_any_markdown_page_is_refused(paths):
    (paths.content / "pages" / "about.md").write_text("# 표\n\n| 연도 | 금액 |\n|---|---|\n| 2025 | 1 |\n",
                                                      encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(paths)
    assert [(p.file.split("/")[-1], p.line) for p in caught.value.problems] == [("about.md", 3)]


def test_a_new_page_kind_is_one_declaration(paths, monkeypatch, tmp_path):
    """The recipe in the README: a function that makes the page, a template,
    one PageKind. The page is built, listed in the sitemap, and made again
    only when what it declares changes."""
    templates = tmp_path / "project"
    shutil.copytree(PROJECT / "templates", templates / "templates")
    (templates / "static").symlink_to(PROJECT / "static")
    (templates / "templates" / "years.html").write_text(
        '{% extends "_base.html" %}{% block main %}<h1>{{ page.title }}</h1>'
        '<ul>{% for y in years %}<li>{{ y }}</li>{% endfor %}</ul>{% endblock %}', encoding="utf-8")

    def years_page(site, page):
        page.title, page.crumbs = "연도", [("처음", "index.html"), ("연도", None)]
        page.context = {"years": site.years}
        return page
    kind = registry.PageKind("years", "years.html", registry._Fixed("years/index.html"), years_page,
                             inputs=registry.NONE)
    monkeypatch.setattr(registry, "KINDS", [*registry.KINDS, kind])
    site_paths = Paths(templates, paths.content, FIXTURE_SOURCES, paths.out)
    build(site_paths)
    page = (paths.out / "years" / "index.html").read_text(encoding="utf-8")
    assert "<h1>연도</h1>" in page and all(f"<li>{y}</li>" in page for y in check(paths).years)
    assert "years/index.html" in (paths.out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_new_site_wide_file_is_one_declaration(paths, monkeypatch):
    """The recipe for an output the site has once: one SiteFile. It is
    written, kept by a rebuild with nothing changed, and gone from the site
    once it is no longer declared."""
    from budgetsite import site_files

    def years_csv(parts):
        yield "data/years.csv", "\ufeff연도\n" + "".join(f"{y}\n" for y in parts.site.years)
    monkeypatch.setattr(site_files, "SITE_FILES", [*site_files.SITE_FILES, site_files.SiteFile("years", years_csv)])
    build(paths)
    written = (paths.out / "data" / "years.csv").read_text(encoding="utf-8-sig")
    assert written.splitlines() == ["연도", *map(str, check(paths).years)]
    monkeypatch.undo()
    # Taking the declaration out is an edit of the code, which every build's
    # fingerprint covers; here, an edit of a shared input stands for it.
    site_yaml = paths.content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build(paths)
    assert not (paths.out / "data" / "years.csv").exists()


def test_a_new_chart_is_a_spec_a_chart_on_the_page_and_its_table(paths, monkeypatch, tmp_path):
    """The recipe for a chart, followed once: a spec from charts.py (here the
    bars every budget chart uses), put on a page with the table of exactly
    its figures; the build draws its SVG and the page carries its spec."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "templates", root / "templates")
    (root / "static").symlink_to(PROJECT / "static")
    (root / "templates" / "bureau.html").write_text(
        '{% extends "_base.html" %}{% from "_macros.html" import chart %}{% from "_table.html" import table %}'
        '{% block main %}<h1>{{ page.title }}</h1>{{ chart(bars) }}{{ table(bureau_table, root) }}{% endblock %}',
        encoding="utf-8")

    def bureau_page(site, page):
        totals = site.bureau.totals
        page.title, page.crumbs = "국 예산", [("처음", "index.html"), ("국 예산", None)]
        bars = render.budget_chart("bureau-bars", "국 예산 (연도별 대표 금액)", totals, totals.years,
                                   "국 전체 예산입니다.")
        page.charts = [bars]
        table = render.years_by_stage(render.stage_table(totals, render.BUDGET_STAGES, "백만원"), "국 예산", "bureau-table")
        page.context, page.tables = {"bars": bars, "bureau_table": table}, [table]
        return page
    kind = registry.PageKind("bureau", "bureau.html", registry._Fixed("bureau/index.html"), bureau_page,
                             inputs=registry.NONE)
    monkeypatch.setattr(registry, "KINDS", [*registry.KINDS, kind])
    build(Paths(root, paths.content, FIXTURE_SOURCES, paths.out))
    html = (paths.out / "bureau" / "index.html").read_text(encoding="utf-8")
    assert '<div class="chart-canvas" data-chart="bureau-bars"><svg' in html
    assert 'id="bureau-bars-spec"' in html and 'id="bureau-table"' in html
    spec = re.search(r'id="bureau-bars-spec">(.*?)</script>', html, re.S).group(1)
    site = check(paths)
    download = (paths.out / "bureau" / "tables" / "bureau-table.csv").read_text(encoding="utf-8-sig").splitlines()
    for y in site.bureau.totals.years:
        assert f'"{y}"' in spec  # every year of its figures is on the chart, as in the table
        assert any(line.startswith(f"{y},") for line in download[1:])  # and in the table's download
