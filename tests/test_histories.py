"""Histories of items (issue 27 §2): a page for each revenue item, holding
every figure content/revenue.yaml prints for it, each with its source; a
chart that draws from file://; the revenue page linking every item to it.

The YAML is read here on its own (PyYAML), not through the build's model."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urldefrag

import lxml.html
import pytest
import yaml

from budgetsite.model.histories import item_key, romanized, slugs
from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_SOURCES, PROJECT
from .test_browser import AXE, browser, visit  # noqa: F401  (the shared browser fixture)

ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def yaml_items(content: Path) -> dict[str, list[dict]]:
    """revenue.yaml's rows by item, names equal but for their spaces together."""
    rows = yaml.safe_load((content / "revenue.yaml").read_text(encoding="utf-8"))["items"]
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault("".join(str(r["item"]).split()), []).append(r)
    return out


def content_of(which: str) -> Path:
    return PROJECT / "content" if which == "real_site" else PROJECT / "tests" / "fixtures" / "content"


def words(el) -> str:
    return " ".join(el.text_content().split())


def item_links(site: Path) -> dict[str, str]:
    """The revenue page's list of items: name → the history page, from the site root."""
    doc = lxml.html.fromstring((site / "revenue/index.html").read_bytes())
    links = doc.xpath("//section[@aria-labelledby='revenue-items-h']//ul/li/a")
    found = {words(a): resolve(site, "revenue/index.html", a.get("href")).relative_to(site.resolve()).as_posix()
             for a in links}
    assert len(found) == len(links), "an item is listed twice"
    return found


def resolve(site: Path, page: str, href: str) -> Path:
    return (site / page).parent.joinpath(unquote(urldefrag(href)[0])).resolve()


def figure_rows(doc) -> list[dict]:
    table = doc.xpath("//table[@id='figures']")[0]
    heads = [words(th) for th in table.xpath("./thead/tr/th")]
    rows = []
    for tr in table.xpath("./tbody/tr"):
        cells = tr.xpath("./th|./td")
        row = dict(zip(heads, cells))
        rows.append({"year": int(words(row["연도"])), "stage": words(row["단계"]),
                     "amount": int(row["금액"].get("data-value")), "as_of": words(row["기준일"]) or None,
                     "item": words(row["인쇄된 이름"]), "parent": words(row["상위 항목"]) or None,
                     "account": None if words(row["회계"]) == "전체" else words(row["회계"]),
                     "source": row["출처"]})
    return rows


def test_romanized_addresses_are_ascii_stable_and_unique():
    assert romanized("세외수입") == "seoesuip"
    assert romanized("CCTV 설치사업 발생이자") == "cctv-seolchisaeop-balsaengija"
    assert item_key("경상적 세외수입") == item_key("경상적세외수입") != item_key("경상적세외 수입x")
    keys = ["계", "세외수입", "tables", "가", "까", "감(1)", "감 1", "가" * 80]
    a, b = slugs(keys), slugs(list(reversed(keys)))
    assert a == b  # the order names come in does not move an address
    assert len(set(a.values())) == len(keys)
    assert all(ASCII_SLUG.fullmatch(s) and len(s) <= 70 for s in a.values()), a
    assert a["tables"] != "tables"  # never a folder of the revenue page itself
    assert a["감(1)"] != a["감 1"]  # alike once romanized: told apart by a hash of the name


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_each_revenue_item_has_a_page_with_exactly_its_figures_each_cited(which, request):
    site: Path = request.getfixturevalue(which)
    expected = yaml_items(content_of(which))
    links = item_links(site)
    # Every item listed once, by one of its printed names, each page an ASCII address.
    listed = {item_key(name): path for name, path in links.items()}
    assert sorted(listed) == sorted(expected)
    sources = lxml.html.fromstring((site / "sources/index.html").read_bytes())

    def document(fragment: str) -> str:
        """The document a link's place on the sources page belongs to."""
        return sources.xpath(f"//*[@id='{fragment}']/ancestor-or-self::article[@class='source']")[0].get("id")
    checked = 0
    for key, rows in expected.items():
        path = listed[key]
        slug = Path(path).parent.name
        assert path == f"revenue/{slug}/index.html" and ASCII_SLUG.fullmatch(slug), path
        page = site / path
        assert page.is_file(), path
        doc = lxml.html.fromstring(page.read_bytes())
        shown = figure_rows(doc)

        def fields(r: dict) -> tuple:
            return (r["year"], r["stage"], r["amount"], r.get("as_of"), r["item"], r.get("parent"), r.get("account"))
        assert Counter(fields(r) for r in shown) == Counter(fields(r) for r in rows), path
        # Every figure cites its document and line, linked to the document on the sources page.
        wanted = Counter((r["source"]["doc"], r["source"]["line"]) for r in rows)
        cited = Counter()
        for r in shown:
            link = r["source"].xpath(".//a")[0]
            target = resolve(site, path, link.get("href"))
            assert target == (site / "sources/index.html").resolve(), path
            line = re.search(r"(\d+)행", words(r["source"]))
            assert line, f"{path}: a figure without its line"
            cited[(document(urldefrag(link.get("href"))[1]), int(line[1]))] += 1
        assert cited == wanted, path
        # Collected amounts carry the date they were counted to.
        assert all(r["as_of"] for r in shown if r["stage"] == "징수액"), path
        checked += len(rows)
    assert checked == sum(len(r) for r in expected.values()) > (8 if which == "fixture_site" else 500)


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_chart_and_its_table_draw_from_the_items_figures(which, request):
    site: Path = request.getfixturevalue(which)
    expected = yaml_items(content_of(which))
    charted = 0
    for name, path in item_links(site).items():
        doc = lxml.html.fromstring((site / path).read_bytes())
        figures = {(r["year"], r["stage"], r["amount"]) for r in expected[item_key(name)]}
        charts = doc.xpath("//figure[@class='chart']")
        if not charts:
            continue
        charted += 1
        assert doc.xpath("//figure[@class='chart']//svg"), f"{path}: no drawing"
        chart_table = doc.xpath("//table[@id='chart-figures']")[0]
        years = []
        for tr in chart_table.xpath("./tbody/tr"):
            year, stage, amount = int(words(tr[0])), words(tr[1]).split(" ")[0], int(tr[2].get("data-value"))
            assert (year, stage, amount) in figures, f"{path}: {year} {stage} {amount} is not the item's"
            years.append(year)
        assert years == sorted(set(years)), f"{path}: a bar a year"
        # The downloads hold the same numbers as the page.
        csv = (site / path).parent.joinpath("tables/chart-figures.csv").read_text(encoding="utf-8-sig")
        assert all(str(int(tr[2].get("data-value"))) in csv for tr in chart_table.xpath("./tbody/tr"))
    assert charted >= (4 if which == "fixture_site" else 90)


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_every_link_of_the_revenue_page_and_the_item_pages_resolves(which, request):
    site: Path = request.getfixturevalue(which)
    pages = ["revenue/index.html"] + sorted(item_links(site).values())
    linked_items = 0
    for page in pages:
        doc = lxml.html.fromstring((site / page).read_bytes())
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            if href.startswith(("http:", "https:", "mailto:", "#")):
                continue
            target = resolve(site, page, href)
            assert target.is_file(), f"{page}: {href} leads nowhere"
            fragment = urldefrag(href)[1]
            if fragment:
                ids = lxml.html.fromstring(target.read_bytes()).xpath(f"//*[@id='{fragment}']")
                assert ids, f"{page}: {href} has no #{fragment}"
            if page == "revenue/index.html" and target.name == "index.html" and target.parent.parent.name == "revenue":
                linked_items += 1
    # The revenue page's tables link each printed row to its item, beside the list.
    revenue = lxml.html.fromstring((site / "revenue/index.html").read_bytes())
    row_links = revenue.xpath("//table[starts-with(@id, 'revenue-') and not(@id='revenue-totals-table')]"
                              "/tbody/tr/th/a")
    assert row_links and all(resolve(site, "revenue/index.html", a.get("href")).is_file() for a in row_links)
    assert linked_items > len(item_links(site))


def test_the_page_shows_what_the_yaml_says(content, tmp_path):
    """Not a copy made once: an amount edited in revenue.yaml is the amount its page shows."""
    text = (content / "revenue.yaml").read_text(encoding="utf-8")
    # Moved between two items of one parent, so the printed total still adds up.
    edited = text.replace("item: 임대료, parent: 세외수입, amount: 200000", "item: 임대료, parent: 세외수입, amount: 199999") \
        .replace("item: 이자수입, parent: 세외수입, amount: 100000", "item: 이자수입, parent: 세외수입, amount: 100001")
    assert edited.count("199999") == edited.count("100001") == 1
    (content / "revenue.yaml").write_text(edited, encoding="utf-8")
    out = tmp_path / "site"
    build(Paths(PROJECT, content, FIXTURE_SOURCES, out))
    shown = {r["amount"] for r in figure_rows(lxml.html.fromstring((out / item_links(out)["임대료"]).read_bytes()))}
    assert 199999 in shown and 200000 not in shown
    shutil.rmtree(out)


def test_item_pages_draw_their_charts_from_file_urls(browser, fixture_site, real_site):  # noqa: F811
    samples = [(fixture_site, p) for p in item_links(fixture_site).values()]
    real = item_links(real_site)
    samples += [(real_site, real[n]) for n in ("계", "공유재산임대료", "일반회계", "모집공채") if n in real]
    samples += [(fixture_site, "programs/index.html"), (real_site, "programs/index.html")]
    assert len(samples) >= 8
    for site, path in samples:
        # With axe-core where the tools are installed (./test.sh): no WCAG 2.1 A/AA violation.
        r = visit(browser, site, path, width=360, audit=AXE.is_file())
        assert r["violations"] == [], f"{path}: {r['violations']}"
        assert r["errors"] == [] and r["outside"] == [], path
        assert r["charts"] >= 1 and r["live_svgs"] == r["charts"] and r["marks"] > 0, path
        assert r["overflow"] <= 0, path


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_each_goal_over_the_years_with_the_years_the_sources_do_not_give(which, request):
    site: Path = request.getfixturevalue(which)
    goals = yaml.safe_load((content_of(which) / "programs.yaml").read_text(encoding="utf-8"))["goals"]
    units = yaml.safe_load((content_of(which) / "programs.yaml").read_text(encoding="utf-8"))["units"]
    doc = lxml.html.fromstring((site / "programs/index.html").read_bytes())
    sections = doc.xpath("//main/section[starts-with(@aria-labelledby, 'goal-')]")
    assert len(sections) == len(goals)
    all_years = sorted({t["year"] for g in goals for t in g["totals"]})
    span = list(range(all_years[0], all_years[-1] + 1))
    for g, section in zip(goals, sections):
        assert g["name"] in words(section.xpath(".//h2")[0])
        # A chart a goal, its figures the table under it, which are the goal's printed totals.
        assert section.xpath(".//figure[@class='chart']//svg"), g["name"]
        spec = section.xpath(".//figure[@class='chart']/script[@type='application/json']")[0].text
        printed = {(t["year"], t["amount"]) for t in g["totals"]}
        table = section.xpath(".//table[contains(@id, '-totals')]")[0]
        shown = {(int(words(tr[0])), int(td.get("data-value")))
                 for tr in table.xpath("./tbody/tr") for td in tr[1:] if td.get("data-value")}
        assert shown and shown <= printed, g["name"]
        assert {y for y, _ in shown} == {t["year"] for t in g["totals"]}
        assert all(f'"amount":{amount}' in spec for _, amount in shown), g["name"]
        # The years of the span without a figure of this goal are named, and drawn as 자료 없음.
        gaps = [y for y in span if y not in {t["year"] for t in g["totals"]}]
        note = " ".join(words(p) for p in section.xpath(".//p[@class='fineprint']"))
        for y in gaps:
            assert str(y) in note, f"{g['name']}: {y} not said"
            assert f'"연도":"{y}","없음":"자료 없음"' in spec or f'"없음":"자료 없음","연도":"{y}"' in spec
    coverage = words(doc.xpath("//p[@class='coverage-note']")[0])
    unit_years = sorted({t["year"] for u in units for t in u["totals"]})
    assert all(str(y) in coverage for y in all_years + unit_years)
    if which == "real_site":
        # 2021 comes from the 2021 proposal speech; no source gives a goal's 2022 or 2023 figures.
        assert 2021 in all_years and "2022" in coverage and "2023" in coverage
