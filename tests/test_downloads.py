"""Every table on every page can be downloaded beside it, as CSV that Excel
opens in Korean and as JSON, with exact amounts in 천원."""
import csv
import io
import json
import re

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
    seen = 0
    for page, html, opening_tags in page_tables(real_site):
        ids = [re.search(r'id="([^"]+)"', t) for t in opening_tags]
        assert all(ids), f"{page}: a table without an id"
        extracted = {t.id: t for t in table_reader.extract(html)}
        for m in ids:
            table_id = m.group(1)
            for ext in ("csv", "json"):
                assert f'href="tables/{table_id}.{ext}"' in html, f"{page}: no {ext} link for {table_id}"
                assert (page.parent / "tables" / f"{table_id}.{ext}").is_file()
            rows = read_csv(page.parent / "tables" / f"{table_id}.csv")
            doc = json.loads((page.parent / "tables" / f"{table_id}.json").read_text(encoding="utf-8"))
            # As many data rows as the table shows, the same in both formats.
            shown = len(re.findall(r"<tr", html.split(f'id="{table_id}"')[1].split("</table>")[0])) - 1
            assert len(rows) - 1 == len(doc["rows"]) == shown, f"{page} {table_id}"
            assert rows[0] == list(doc["rows"][0]) if doc["rows"] else True
            assert extracted[table_id].caption and doc["caption"] == extracted[table_id].caption
            seen += 1
    assert seen > 300


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


def test_project_budget_download_matches_every_figure(fixture_site):
    site = check(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "site"))
    p = site.projects["map-platform"]
    doc = json.loads((fixture_site / p.path).with_name("tables").joinpath("budget.json").read_text("utf-8"))
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


def test_downloads_work_from_file_url(browser, fixture_site):  # noqa: F811
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto((fixture_site / "projects/map-platform/index.html").resolve().as_uri())
    with page.expect_download() as d:
        page.locator('a[href="tables/budget.csv"]').click()
    body = open(d.value.path(), "rb").read()
    assert d.value.suggested_filename == "budget.csv"
    assert body.startswith(b"\xef\xbb\xbf") and "예산안 (천원)" in body.decode("utf-8-sig")
    # From file:// Chromium opens JSON in the tab (the download attribute is
    # only honoured on http); either way the reader gets the file.
    page.locator('a[href="tables/budget.json"]').click()
    page.wait_for_url("**/tables/budget.json")
    assert json.loads(page.locator("body").inner_text())["page"] == "projects/map-platform/index.html"
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
