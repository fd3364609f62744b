"""Each page type renders from the fixture content, with relative links that
resolve inside the site, Korean formatting, and a chart with a table."""
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT, is_embed


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))
            if name == "id":
                self.ids.add(value)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


PAGE_TYPES = {
    "index.html": "국 전체 세출 예산",
    "departments/index.html": "부서 목록",
    "departments/alpha/index.html": "알파과",
    "projects/index.html": "사업 목록",
    "projects/map-platform/index.html": "지도 플랫폼 운영",
    "sources/index.html": "시험 검토보고서",
    "guide/index.html": "예산의 단계",
    "revenue/index.html": "세입 합계",
    "glossary/index.html": "예산현액",
    "programs/index.html": "시험 목표",
    "discrepancies/index.html": "자료 간 차이",
    "data/index.html": "budget.csv",
}


@pytest.mark.parametrize("path, heading", PAGE_TYPES.items())
def test_each_page_type_renders(fixture_site, path, heading):
    html = (fixture_site / path).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ko">' in html
    assert heading in html
    # Breadcrumbs, but on the home page, where the trail would be itself alone.
    assert ('aria-label="현재 위치"' in html) == (path != "index.html")
    assert 'aria-label="주 메뉴"' in html


def test_links_are_relative_and_resolve_to_files(fixture_site):
    checked = 0
    for page in html_pages(fixture_site):
        for tag, _attr, value in parse(page).links:
            if tag == "link" and value.startswith("https://example.org/test/"):
                continue  # the canonical link is the one absolute URL
            if page.name == "404.html":
                # Served at any depth: its links start from the base URL, and must still resolve.
                assert value.startswith("https://example.org/test/") or value.startswith("#"), value
                value = os.path.relpath(fixture_site / value.removeprefix("https://example.org/test/"), page.parent)
            elif is_embed(page) and tag == "a" and value.startswith("https://example.org/test/"):
                # A chart's embed page, in a frame on another site: its links lead there from the base URL.
                value = os.path.relpath(fixture_site / value.removeprefix("https://example.org/test/"), page.parent)
            assert not re.match(r"^[a-z]+:", value), f"{page}: absolute link {value}"
            assert not value.startswith("/"), f"{page}: root-relative link {value}"
            target, _, fragment = value.partition("#")
            if not target:
                continue
            resolved = (page.parent / target).resolve()
            assert resolved.is_file(), f"{page.relative_to(fixture_site)}: {value} is not a file"
            if fragment and resolved.suffix == ".html":
                assert fragment in parse(resolved).ids, f"{value}: no #{fragment}"
            checked += 1
    assert checked > 50


def test_pages_for_every_department_and_project(fixture_site):
    for kind, names in (("departments", ["alpha", "beta"]),
                        ("projects", ["map-platform", "aerial-photos", "server-room"])):
        for name in names:
            assert (fixture_site / kind / name / "index.html").is_file()
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/test/projects/server-room/index.html</loc>" in sitemap


def test_project_page_shows_figures_breakdown_execution_and_sources(fixture_site):
    html = (fixture_site / "projects/map-platform/index.html").read_text(encoding="utf-8")
    assert "지도 플랫폼 구축 (2024)" in html                  # former name
    assert "<em>시험</em>" in html                            # description is Markdown
    assert "1,350,000" in html                               # 2024 최종예산, 천원 table
    assert "201-01 사무관리비" in html and "500,000" in html  # 통계목
    assert "60.0%" in html and "40.0%" in html               # 원인행위율, 집행률
    assert "위원회는 이용이 적다고 보았습니다." in html          # review note
    assert 'href="../../sources/index.html#doc-a"' in html    # source of figures
    assert "12행" in html                                     # with its line


def test_department_page_shows_history_staff_and_projects(fixture_site):
    html = (fixture_site / "departments/alpha/index.html").read_text(encoding="utf-8")
    assert "알파담당관" in html and "알파과" in html
    assert '<td class="num">20</td><td class="num">19</td>' in html
    assert 'href="../../projects/map-platform/index.html"' in html
    assert 'href="../../projects/aerial-photos/index.html"' in html
    changes = html.split('<table id="changes">')[1].split("</table>")[0]
    # map platform: 2024 최종예산 1,350 → 2025 예산안 1,500 (백만원), as budget documents compare;
    # aerial photos: 2024 본예산 600 → 2025 예산안 500, stages that are not compared.
    assert ">150</td>" in changes and ">11.1%</td>" in changes
    aerial = changes.split("aerial-photos")[1].split("</tr>")[0]
    assert "같은 단계 금액 없음" in aerial and "△100" not in aerial


def test_home_lists_largest_increases_and_decreases_apart(fixture_site):
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    increases = html.split('<table id="increases">')[1].split("</table>")[0]
    # server-room is new (+1,000 백만원), map-platform +150; aerial-photos' 본예산 → 예산안
    # do not compare, so it is in neither list (and nothing fell).
    assert increases.index("전산실 운영") < increases.index("지도 플랫폼 운영")
    assert "순증" in increases and "항공사진 촬영" not in increases
    assert '<table id="decreases">' not in html


def test_every_chart_has_spec_svg_and_table(fixture_site):
    for page in html_pages(fixture_site):
        html = page.read_text(encoding="utf-8")
        canvases = re.findall(r'data-chart="([^"]+)">(.*?)</div>', html, re.S)
        for chart_id, inner in canvases:
            assert inner.lstrip().startswith("<svg"), f"{page}: {chart_id} has no build-time SVG"
            spec = re.search(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>', html, re.S)
            data = json.loads(spec.group(1))
            assert data["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
            assert "<table" in html.split(f'id="{chart_id}-spec"')[-1], f"{page}: no table after {chart_id}"
        if canvases:
            # The chart library is named, not loaded: charts.js loads it when it serves (test_browser_chart_library).
            assert re.search(r'<script src="(\.\./)*assets/charts\.js" '
                             r'data-bundle="(\.\./)*assets/vega-[\d.]+-lite-[\d.]+-embed-[\d.]+\.js" defer></script>', html)
            assert not re.search(r'<script src="[^"]*vega-', html)


def test_no_external_resources(fixture_site):
    for f in fixture_site.rglob("*"):
        if f.suffix in (".html", ".css", ".js") and not f.name.startswith("vega-"):
            text = f.read_text(encoding="utf-8")
            assert "cdn." not in text and "//fonts." not in text and "fetch(" not in text, f


def test_two_builds_are_byte_identical(tmp_path):
    outs = []
    for n in range(2):
        out = tmp_path / f"site{n}"
        build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out))
        outs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []


def text_of(path: Path) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_revenue_page_shows_each_table_indented_with_its_source(fixture_site):
    html = (fixture_site / "revenue/index.html").read_text(encoding="utf-8")
    text = text_of(fixture_site / "revenue/index.html")
    assert 'data-chart="revenue-totals"' in html
    # the doc-a table: 계 > 세외수입 > 임대료, each one level deeper
    # each linked to the item's history (render/histories.py)
    assert re.search(r'class="depth-0"><a href="[^"]+">계<', html)
    assert re.search(r'class="depth-1"><a href="[^"]+">세외수입<', html)
    assert re.search(r'class="depth-2"><a href="[^"]+">임대료<', html)
    assert "200,000" in text and "2024-12-31 기준" in text
    assert "인쇄된 세외수입이 두 항목의 합보다" in text  # the recorded discrepancy


def test_glossary_page_defines_terms_with_anchors(fixture_site):
    links = parse(fixture_site / "glossary/index.html")
    assert {"current-budget", "non-tax-revenue"} <= links.ids
    html = (fixture_site / "glossary/index.html").read_text(encoding="utf-8")
    assert "<em>수입</em>" in html and "현액" in html


def test_discrepancies_page_lists_every_recorded_difference(fixture_site):
    text = text_of(fixture_site / "discrepancies/index.html")
    assert "모두 1건" in text and "세입" in text and "1,000" in text


def test_department_page_shows_key_tasks_and_project_page_its_history(fixture_site):
    dept = text_of(fixture_site / "departments/alpha/index.html")
    assert "지도 개방 확대" in dept and "과제 예산 15억원" in dept
    project = text_of(fixture_site / "projects/map-platform/index.html")
    assert "사업의 내력" in project
    assert "이름 변경 자료에 적힌 사실" in project and "이전 사업을 이음 추정" in project
    assert "같은 지도를 쓰므로" in project


def test_home_shows_bureau_notes(fixture_site):
    text = text_of(fixture_site / "index.html")
    assert "2025년 · 종합 의견" in text and "대체로 받아들였습니다" in text


def test_abolished_department_says_where_its_work_went(content, tmp_path):
    beta = content / "departments/beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8") + (
        "lineage:\n"
        "  - {event: merged_into, department: alpha, date: \"2026-01-01\", explanation: 알파과로 합쳐졌습니다., "
        "source: {doc: doc-a, line: 3}}\n"),
        encoding="utf-8")
    out = tmp_path / "out"
    build(Paths(PROJECT, content, FIXTURE_SOURCES, out))
    text = text_of(out / "departments/beta/index.html")
    assert "이 부서는 지금은 없습니다(2026-01-01)" in text and "알파과 로 넘어갔습니다" in text


def test_execution_chart_reads_in_date_order(real_site):
    import json
    checked = 0
    for page in real_site.glob("projects/*/index.html"):
        m = re.search(r'id="project-[^"]+-execution-spec">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
        if not m:
            continue
        spec = json.loads(m.group(1))
        order = [label.split(" (")[0] for label in spec["layer"][0]["encoding"]["x"]["scale"]["domain"]]
        dates = [tuple(int(x) for x in label.lstrip("'").split(".")) if "." in label else (int(label[2:]), 13, 0)
                 for label in order]
        assert dates == sorted(dates), f"{page}: {order}"
        checked += 1
    assert checked > 30
