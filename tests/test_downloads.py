"""Every table on every page can be downloaded, as CSV that Excel opens in
Korean and as JSON, with exact amounts in 천원: made in the browser from the
table on the page (static/tables.js) byte for byte as tables.csv_bytes and
json_bytes make them, and without JavaScript from files that exist (beside
the page, or for a project page the whole budget CSV and the project's API
JSON)."""
import csv
import io
import json
import re

import lxml.html
import pytest

from budgetsite import charts, registry, render, tables
from budgetsite.pipeline import Paths, check
from budgetsite.render import markup
from budgetsite.tables import Column, Table

from . import table_reader
from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT, is_embed
from .test_browser import browser  # noqa: F401  (the shared browser fixture)


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path}: no BOM, Excel would garble the Hangul"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))


def page_tables(site):
    # A chart's embed page repeats its page's table, downloaded from that page.
    for page in sorted(p for p in site.rglob("*.html") if not is_embed(p)):
        html = page.read_text(encoding="utf-8")
        yield page, html, re.findall(r"<table\b[^>]*>", html)


def test_every_table_on_every_page_has_both_downloads(real_site):
    seen = elsewhere = 0
    for page, html, opening_tags in page_tables(real_site):
        ids = [re.search(r'id="([^"]+)"', t) for t in opening_tags]
        assert all(ids), f"{page}: a table without an id"
        extracted = {t.id: t for t in table_reader.extract(html)}
        doc = lxml.html.fromstring(html)
        for m in ids:
            table_id = m.group(1)
            links = {a.get("data-format"): a.get("href")
                     for a in doc.xpath(f"//*[@data-table='{table_id}']//a[@data-format]")}
            assert set(links) == {"csv", "json"}, f"{page}: no download links for {table_id}"
            if links["csv"] != f"tables/{table_id}.csv":
                # A project page's table: made in the browser, or the whole budget and the project's JSON.
                assert page.parent.parent.name == "projects", f"{page} {table_id}: {links}"
                assert links["json"] == f"../../api/v1/projects/{page.parent.name}.json", links
                assert not (page.parent / "tables").exists()
                elsewhere += 1
                continue
            assert links["json"] == f"tables/{table_id}.json"
            rows = read_csv(page.parent / "tables" / f"{table_id}.csv")
            doc_json = json.loads((page.parent / "tables" / f"{table_id}.json").read_text(encoding="utf-8"))
            # As many data rows as the table shows, the same in both formats.
            shown = len(re.findall(r"<tr", html.split(f'id="{table_id}"')[1].split("</table>")[0])) - 1
            assert len(rows) - 1 == len(doc_json["rows"]) == shown, f"{page} {table_id}"
            assert rows[0] == list(doc_json["rows"][0]) if doc_json["rows"] else True
            assert extracted[table_id].caption and doc_json["caption"] == extracted[table_id].caption
            seen += 1
    assert seen > 200 and elsewhere > 100, (seen, elsewhere)


def test_every_download_link_leads_to_a_file(real_site):
    # Without JavaScript a download link is a link: to a file that exists, in the site.
    links = 0
    for page in sorted(real_site.rglob("*.html")):
        doc = lxml.html.fromstring(page.read_bytes())
        for a in doc.xpath("//a[@data-format]"):
            target = (page.parent / a.get("href")).resolve()
            assert target.is_file() and target.is_relative_to(real_site.resolve()), f"{page}: {a.get('href')}"
            assert target.suffix == "." + a.get("data-format"), f"{page}: {a.get('href')}"
            links += 1
    assert links > 600, links


def test_amounts_are_exact_even_where_the_table_shows_millions(fixture_site):
    site = check(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "site"))
    # The project list shows 백만원; its download must carry the 천원 figures of the YAML.
    rows = read_csv(fixture_site / "projects" / "tables" / "projects.csv")
    header = rows[0]
    assert header[:2] == ["사업", "부서"] and all(h.endswith("(천원)") for h in header[2:])
    for row in rows[1:]:
        project = next(p for p in site.projects.values() if row[0].startswith(p.name))
        for h, value in zip(header[2:], row[2:]):
            f = project.figures.representative(int(h.split()[0]))
            assert value == (str(f.amount) if f else ""), (project.id, h)


def test_project_budget_download_matches_every_figure():
    site = check(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "site"))
    p = site.projects["map-platform"]
    page = registry.page(site, "project", p)
    budget = next(t for t in page.tables if t.id == "budget")
    doc = json.loads(tables.json_bytes(budget, page.path))
    assert doc["unit"] == "천원" and doc["page"] == p.path
    for row in doc["rows"]:
        for stage in ("예산안", "본예산", "최종예산", "예산현액"):
            key = f"{stage} (천원)"
            if key in row:
                f = p.figures.get(int(row["연도"]), stage)
                assert row[key] == (f.amount if f else None)


def test_spreadsheet_formulas_in_text_are_not_run():
    t = Table("t", "x", [Column("이름"), Column("금액", num=True)],
              [[tables.text('=HYPERLINK("http://x")', head=True), tables.amount(-5, "△5")],
               [tables.text("-", head=True), tables.amount(None, "–")]])
    rows = list(csv.reader(io.StringIO(tables.csv_bytes(t).decode("utf-8-sig"))))
    assert rows == [["이름", "금액 (천원)"], ["'=HYPERLINK(\"http://x\")", "-5"], ["-", ""]]


def test_two_tables_of_one_id_on_a_page_stop_the_build():
    # Their downloads would be one file, holding only the second.
    one = Table("same", "x", [Column("이름")], [[tables.text("a")]])
    with pytest.raises(ValueError, match="same"):
        tables.files("p/index.html", [one, one])


# Pages of every kind that has tables, and the cells they hold between them:
# each kind of cell (render/markup.py) is on one of them.
BROWSER_PAGES = ["index.html", "projects/index.html", "departments/index.html", "compare/2024-2025/index.html",
                 "discrepancies/index.html", "data/index.html", "revenue/index.html", "programs/index.html",
                 "sources/index.html", "organisation/index.html"]


def _browser_pages(site):
    """Those pages, a department's and the project pages with the most tables."""
    projects = sorted(site.projects.values(), key=lambda p: (-len(registry.page(site, "project", p).tables), p.id))
    department = max(site.departments.values(), key=lambda d: len(d.projects))
    return BROWSER_PAGES + [department.path] + [p.path for p in projects[:2]]


def _download(page, table_id, fmt):
    with page.expect_download() as d:
        page.locator(f'[data-table="{table_id}"] a[data-format="{fmt}"]').click()
    assert d.value.suggested_filename == f"{table_id}.{fmt}"
    with open(d.value.path(), "rb") as f:
        return f.read()


def test_browser_downloads_are_the_files_byte_for_byte(browser, real_site):  # noqa: F811
    # From file://, as an archived copy is read: each table's CSV and JSON,
    # made in the browser from the table on the page, are the bytes
    # tables.csv_bytes and json_bytes make of its model.
    site = check(Paths.default())
    made = {p.path: p for p in registry.all_pages(site)}
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    kinds, checked = set(), 0
    for path in _browser_pages(site):
        model = made[path].ready()
        for t in model.tables:
            # The page afresh for each table: Chromium lets a page start only so many downloads in a row.
            page.goto((real_site / path).resolve().as_uri())
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # as a reader would
            if not page.locator(f'[data-table="{t.id}"] a[data-format]').count():
                continue  # shown without links of its own (discrepancies: the same rows as its list)
            assert _download(page, t.id, "csv") == tables.csv_bytes(t), f"{path} {t.id}"
            assert _download(page, t.id, "json") == tables.json_bytes(t, path), f"{path} {t.id}"
            kinds.update(c.kind for row in t.rows + t.foot for c in row)
            checked += 1
    assert errors == [] and checked > 30, (errors, checked)
    assert kinds == markup.KINDS, markup.KINDS ^ kinds
    context.close()


def test_a_sorted_table_downloads_as_made(browser, real_site):  # noqa: F811
    # The reader sorts the comparison (compare.js): the download keeps the made order, as the files do.
    site = check(Paths.default())
    path = "compare/2024-2025/index.html"
    model = next(t for t in registry.page(site, "compare", 2024, 2025).tables if t.id == "compare")
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto((real_site / path).resolve().as_uri() + "#sort=change&order=desc")
    page.locator("#compare th .sort-button").nth(1).click()
    assert _download(page, "compare", "csv") == tables.csv_bytes(model)
    context.close()


def test_without_javascript_the_links_are_files(browser, fixture_site):  # noqa: F811
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    page.goto((fixture_site / "projects/index.html").resolve().as_uri())
    with page.expect_download() as d:
        page.locator('[data-table="projects"] a[data-format="csv"]').click()
    assert open(d.value.path(), "rb").read() == (fixture_site / "projects/tables/projects.csv").read_bytes()
    page.goto((fixture_site / "projects/map-platform/index.html").resolve().as_uri())
    assert page.locator('[data-table="budget"] noscript').count() == 1
    with page.expect_download() as d:
        page.locator('[data-table="budget"] a[data-format="csv"]').click()
    assert open(d.value.path(), "rb").read() == (fixture_site / "data/budget.csv").read_bytes()
    context.close()


def _models_and_pages(paths):
    """(page, the page's table models by id, its tables as read from its HTML by id) for every page."""
    site = check(paths)
    env = render.environment(paths.templates)
    for page in registry.all_pages(site):
        page = page.ready()
        html = render.render_page(env, site, page, charts.bundle_name(), "")
        yield page.path, {t.id: t for t in page.tables}, {t.id: t for t in table_reader.extract(html)}


@pytest.mark.parametrize("which", ["fixtures", "real content"])
def test_every_download_holds_what_its_table_shows(which):
    # The downloads are written from each table's model, never read back
    # from the page: a template that shows other words than its model, a
    # table shown without a model or a model not shown, fails here.
    if which == "fixtures":
        paths = Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "unused")
    else:
        paths = Paths.default()
        if not paths.sources.exists():
            pytest.skip(f"source texts not found at {paths.sources}")
    kinds = set()
    for page, models, shown in _models_and_pages(paths):
        assert list(models) == list(shown), f"{page}: tables shown and tables modelled differ"
        for table_id, model in models.items():
            read = shown[table_id]
            assert (model.file_caption, model.headers, model.values) == (read.caption, read.headers, read.rows), \
                f"{page} {table_id}"
            kinds.update(c.kind for row in model.rows + model.foot for c in row)
    # Every way a cell is drawn (render/markup.py) has been read back at least once.
    if which == "real content":
        assert kinds == markup.KINDS, markup.KINDS ^ kinds


def test_the_comparison_download_says_which_projects_are_new_or_ended(real_site):
    marks = set()
    for path in real_site.glob("compare/*/tables/compare.csv"):
        rows = read_csv(path)
        column = rows[0].index("신규·종료")
        marks.update(r[column] for r in rows[1:])
    assert {"신규", "종료"} <= marks, marks
