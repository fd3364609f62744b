"""Citations a reader can follow (issue 22 §7): every figure's source names
the section of the printed document its line is in, the sources page says
what each document prints about itself and how to get the original, and
every project and department page has a line a journalist can paste."""
import re
from collections import defaultdict
from dataclasses import fields, is_dataclass
from pathlib import Path

import lxml.html
import pytest
import yaml

from budgetsite import money
from budgetsite.load import load_content
from budgetsite.model import FigureSet, Source, SourceRef
from budgetsite.pipeline import Paths, build, check
from budgetsite.validate import printed_at, validate

from .conftest import FIXTURE_SOURCES
from .test_browser import browser  # noqa: F401  (the shared browser fixture)

PATHS = Paths.default()
needs_sources = pytest.mark.skipif(not PATHS.sources.exists(), reason="source texts not present")
# Built under another address than site.yaml's: the cite line must follow it (pipeline's --base-url).
BASE_URL = "https://budget.example.kr/digital/"


@pytest.fixture(scope="module")
def site():
    return check(PATHS)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("citations") / "site"
    build(Paths.default(out=out), base_url=BASE_URL, drawings=False)
    return out


def source_lines(source: Source) -> list[str]:
    return (PATHS.sources / source.file).read_text(encoding="utf-8").splitlines()


def parse(path: Path):
    """A page as a reader reads it: the glossary's hover definitions taken out."""
    doc = lxml.html.parse(str(path)).getroot()
    for tip in doc.xpath("//span[@class='term-tip']"):
        tip.drop_tree()
    return doc


def words(el) -> str:
    return " ".join(el.text_content().split())


def all_refs(site) -> list[SourceRef]:
    """Every source reference the model holds, wherever it is (figures,
    notes, names, events, terms, breakdowns …), found by walking it."""
    found: dict[int, SourceRef] = {}
    seen: set[int] = set()
    stack = [site]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (str, int, float, type(None))):
            continue
        seen.add(id(obj))
        if isinstance(obj, SourceRef):
            found[id(obj)] = obj
        elif isinstance(obj, Source):
            continue
        elif isinstance(obj, FigureSet):
            stack.append(obj.all)
        elif isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif is_dataclass(obj):
            stack.extend(getattr(obj, f.name) for f in fields(obj))
    return list(found.values())


# --- sections ------------------------------------------------------------------

@needs_sources
def test_every_source_ref_is_in_a_section_printed_at_its_line(site):
    refs = all_refs(site)
    assert len(refs) > 2000, "the walk missed the model's references"
    assert {r.source.id for r in refs} == set(site.sources)
    lines = {s.id: source_lines(s) for s in site.sources.values()}
    wrong = []
    for ref in refs:
        sec = ref.section
        if sec is None:
            wrong.append(f"{ref.source.id} {ref.line}: no section starts at or before it")
            continue
        assert sec.line <= ref.line
        later = [s for s in ref.source.sections if sec.line < s.line <= ref.line]
        assert not later, f"{ref.source.id} {ref.line}: {later[0].title} starts after {sec.title} and before the line"
        if not printed_at(lines[ref.source.id], sec.line, sec.extracted or sec.title, heading=True):
            wrong.append(f"{ref.source.id} {sec.line}: '{sec.extracted or sec.title}' is not printed there")
        if sec.extracted:  # an extraction's garble stands beside the printed heading, never for it
            assert sec.extracted != sec.title
        assert sec.path in ref.label and ref.source.short in ref.label and f"{ref.line}행" in ref.label
    assert not wrong, "\n".join(sorted(set(wrong))[:20])


@needs_sources
def test_sections_are_two_levels_of_printed_headings(site):
    for s in site.sources.values():
        assert s.sections, f"{s.id} has no sections"
        starts = [sec.line for sec in s.sections]
        assert starts == sorted(set(starts)), s.id
        for sec in s.sections:
            assert sec.part is None or sec.part.part is None  # parts and their chapters, no deeper
            if sec.part is not None:  # a chapter is numbered: 1. …
                assert re.match(r"\d+\. ", sec.title), sec.title
    review = site.sources["review-2025-budget"]
    assert [sec.path for sec in review.sections if sec.part is not None][-1] == "Ⅱ. 검토의견 › 3. 종합의견"
    assert len([sec for sec in site.sources["issues-report-2024"].sections if sec.part]) == 8  # 현안 3 is not in the text


def test_section_at_takes_the_last_section_starting_at_or_before_the_line():
    source = Source("doc", "문서", "국", "2024-11", "검토보고서", ["천원"], "doc.txt", sections=[
        {"line": 3, "title": "Ⅰ. 총괄", "chapters": [{"line": 5, "title": "1. 세입"}, {"line": 9, "title": "2. 세출"}]},
        {"line": 20, "title": "Ⅱ. 검토의견"},
        {"line": 30, "title": "붙임1 집행현황"}])
    at = {line: (source.section_at(line).path if source.section_at(line) else None)
          for line in (1, 3, 4, 5, 8, 9, 19, 20, 29, 30, 999)}
    assert at == {1: None, 3: "Ⅰ. 총괄", 4: "Ⅰ. 총괄", 5: "Ⅰ. 총괄 › 1. 세입", 8: "Ⅰ. 총괄 › 1. 세입",
                  9: "Ⅰ. 총괄 › 2. 세출", 19: "Ⅰ. 총괄 › 2. 세출", 20: "Ⅱ. 검토의견", 29: "Ⅱ. 검토의견",
                  30: "붙임1 집행현황", 999: "붙임1 집행현황"}
    assert [s.id for s in source.sections] == ["doc-s1", "doc-s2", "doc-s3", "doc-s4", "doc-s5"]
    assert SourceRef(source, 12).label == "국 검토보고서(2024-11) · Ⅰ. 총괄 › 2. 세출 · 12행"
    assert SourceRef(source, 12).anchor == "sources/index.html#doc-s3"
    # Before the first section (or in a document without sections): the document and line alone.
    assert SourceRef(source, 2).label == "국 검토보고서(2024-11) 2행"
    assert SourceRef(source, 2).anchor == "sources/index.html#doc"


@needs_sources
def test_every_figure_table_and_amount_names_the_section(site, built):
    """The all-figures table shows each figure's whole label (and its table,
    in 구분), and a budget cell's tooltip names the section too."""
    tooltips = 0
    for p in site.projects.values():
        doc = parse(built / p.path)
        rows = doc.xpath("//table[@id='figures']/tbody/tr")
        assert len(rows) == len(p.figures.all), p.id
        for f, tr in zip(p.figures.all, rows):
            cells = tr.xpath("td")
            assert words(cells[-1]).startswith(f.source.label), (p.id, words(cells[-1]), f.source.label)
            assert f.source.section.path in words(cells[-1])
            assert f.table is None or f.table in words(cells[4])
        tips = {f"{money.eok_man(f.amount)} · {f.source_label}" for f in p.figures.all}
        cells = doc.xpath("//table[@id='budget']//td[@class='num']/span[@title][not(@class)]")
        tooltips += len(cells)
        for span in cells:
            assert span.get("title") in tips, (p.id, span.get("title"))
    assert tooltips > 100


@needs_sources
def test_every_source_link_leads_to_its_section_on_the_sources_page(site, built):
    ids = set(parse(built / "sources/index.html").xpath("//@id"))
    targets: dict[str, int] = defaultdict(int)
    for page in [*(built / "projects").glob("*/index.html"), *(built / "departments").glob("*/index.html"),
                 built / "index.html", built / "revenue/index.html"]:
        for href in lxml.html.parse(str(page)).getroot().xpath("//a/@href"):
            if "sources/index.html#" in href:
                targets[href.split("#", 1)[1]] += 1
    missing = set(targets) - ids
    assert not missing, sorted(missing)
    assert sum(n for t, n in targets.items() if re.search(r"-s\d+$", t)) > 1000  # links go to sections, not only documents


# --- the sources page ------------------------------------------------------------

@needs_sources
def test_sources_page_shows_each_documents_identity_and_how_to_obtain_it(site, built):
    raw = yaml.safe_load((PATHS.content / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    doc = parse(built / "sources/index.html")
    printed_of = {}
    for s in raw:
        assert s.get("printed"), f"{s['id']}: what the document prints about itself"
        assert s.get("obtain"), f"{s['id']}: how to get the original"
        lines = source_lines(site.sources[s["id"]])
        article = doc.xpath(f"//article[@id='{s['id']}']")[0]
        text = words(article)
        printed = printed_of[s["id"]] = {words(dt): words(dd) for dt, dd in zip(
            article.xpath(".//dl[contains(@class,'printed')]/dt"), article.xpath(".//dl[contains(@class,'printed')]/dd"))}
        assert len(printed) == len(s["printed"])
        for key, item in s["printed"].items():
            assert printed_at(lines, item["line"], item["text"]), f"{s['id']} {key}: not printed at line {item['line']}"
            assert f"{item['text']} ({item['line']}행)" in printed.values(), (s["id"], key)
        assert " ".join(s["obtain"].split()) in text
        for sec in site.sources[s["id"]].sections:
            li = article.xpath(f".//li[@id='{sec.id}']")
            assert li and words(li[0]).startswith(sec.title), sec.id
    # What the documents print: the speech names its committee, date and speaker; none prints a 의안번호.
    assert printed_of["proposal-speech-2021"]["위원회·회의"] == "행정자치위원회 (299행)"
    assert printed_of["proposal-speech-2021"]["날짜"] == "2020. 11. (317행)"
    assert printed_of["work-report-2025"]["기관"] == "디지털도시국 (9행)"
    assert not any("의안번호" in p for p in printed_of.values())
    speech = words(doc.xpath("//article[@id='proposal-speech-2021']")[0])
    assert "텍스트에 적혀 있지 않은 것: 의안번호." in speech
    report = words(doc.xpath("//article[@id='work-report-2025']")[0])
    assert "정보소통광장" in report and "정보공개청구" in report


# --- 「이 숫자 인용하기」 ----------------------------------------------------------

@needs_sources
def test_every_project_and_department_page_has_its_cite_line(site, built):
    edition = yaml.safe_load((PATHS.content / "site.yaml").read_text(encoding="utf-8"))["edition"]
    pages = [*(built / "projects").glob("*/index.html"), *(built / "departments").glob("*/index.html")]
    assert len(pages) == len(site.projects) + len(site.departments)
    for page in pages:
        doc = parse(page)
        path = page.relative_to(built).as_posix()
        canonical = doc.xpath("//link[@rel='canonical']/@href")[0]
        assert canonical == BASE_URL + path
        cite = doc.xpath("//p[@class='cite-this']")
        assert len(cite) == 1, path
        assert cite[0].xpath("strong")[0].text_content() == "이 숫자 인용하기"
        title = doc.xpath("//h1")[0].text_content().strip()
        text = cite[0].xpath("code[@class='cite-text']")[0].text_content()
        assert text == f"「{title}」, {site.title}, {edition['label']}({edition['date']}), {canonical}", path
        # The same citation in the head, for reference managers (Zotero) and scholarly search.
        meta = {m.get("name"): m.get("content") for m in doc.xpath("//head/meta[starts-with(@name, 'citation_')]")}
        assert meta == {"citation_title": title, "citation_publisher": site.title,
                        "citation_publication_date": edition["date"].replace("-", "/"),
                        "citation_language": "ko", "citation_public_url": canonical}, path
    # Pages that are not one place's figures are not cited as such.
    for other in ("index.html", "projects/index.html", "compare/index.html"):
        assert not parse(built / other).xpath("//meta[starts-with(@name, 'citation_')]"), other


def test_edition_names_the_latest_document():
    site_yaml = yaml.safe_load((PATHS.content / "site.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((PATHS.content / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    latest = max(sources, key=lambda s: s["date"])
    year, month = latest["date"][:4], int(latest["date"][5:7])
    assert site_yaml["edition"]["label"].startswith(f"{year}년 {month}월")
    assert site_yaml["edition"]["date"] >= latest["date"]


# --- validation --------------------------------------------------------------------

def _problems(content: Path) -> list[str]:
    return [str(p) for p in validate(load_content(content), FIXTURE_SOURCES)]


def _with(content: Path, doc_a_extra: str, site_extra: str = "") -> list[str]:
    """The fixture with doc-a's sources.yaml entry given more fields (flow YAML)."""
    path = content / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    old = "file: doc-a.txt}"
    assert old in text
    path.write_text(text.replace(old, f"file: doc-a.txt, {doc_a_extra}}}", 1), encoding="utf-8")
    if site_extra:
        site = content / "site.yaml"
        text = site.read_text(encoding="utf-8")
        site.write_text(text.replace("base_url: https://example.org/test/\n",
                                     f"base_url: https://example.org/test/\n{site_extra}\n", 1), encoding="utf-8")
    return _problems(content)


GOOD = ('sections: [{line: 1, title: "fixture line 1", chapters: [{line: 3, title: "fixture line 3"}]}, '
        '{line: 30, title: "fixture line 30"}], printed: {date: {text: "line 7", line: 7}}, obtain: 정보공개청구')


def test_valid_sections_printed_fields_and_edition_pass(content):
    assert _with(content, GOOD, 'edition: {date: "2026-12-07", label: "2025년 9월 업무보고까지 반영"}') == []


@pytest.mark.parametrize("extra, site_extra, expected", [
    # a section beyond the end of the text (doc-a.txt has 40 lines)
    (GOOD.replace("{line: 30, title", "{line: 41, title"), "",
     "[sources[0].sections[1].line] 자료 'doc-a'는 40줄뿐입니다 (입력값: 41)"),
    (GOOD.replace("{line: 3, title", "{line: 400, title"), "",
     "[sources[0].sections[0].chapters[0].line] 자료 'doc-a'는 40줄뿐입니다"),
    # out of order
    (GOOD.replace("{line: 3, title", "{line: 35, title"), "", "[sources[0].sections[1].line] 앞 제목(35행)보다 뒤여야 합니다"),
    # a heading that is not printed where it is said to start
    (GOOD.replace('"fixture line 30"', '"fixture line 31"'), "",
     "[sources[0].sections[1].title] doc-a.txt 30행이 'fixture line 31'(으)로 시작하지 않습니다"),
    (GOOD.replace('title: "fixture line 30"', 'title: "Ⅱ. 검토의견", extracted: "line 30"'), "",
     "sources[0].sections[1].extracted"),
    # a printed field not on its line, or beyond the text
    (GOOD.replace('"line 7", line: 7', '"line 7", line: 8'), "",
     "[sources[0].printed.date.text] doc-a.txt 8행에 'line 7'이(가) 없습니다"),
    (GOOD.replace('"line 7", line: 7', '"line 7", line: 70'), "", "[sources[0].printed.date.line] 자료 'doc-a'는 40줄뿐입니다"),
    # schema: a section needs its title, a printed field its line; an edition its label, a real date
    (GOOD.replace('{line: 30, title: "fixture line 30"}', "{line: 30}"), "", "필수 항목 'title'"),
    (GOOD, 'edition: {date: "2026-12-07"}', "필수 항목 'label'"),
    (GOOD, 'edition: {date: "2026-02-30", label: 판}', "[edition.date] 없는 날짜입니다"),
    (GOOD, 'edition: {date: "2025-01-01", label: 판}', "[edition.date] 가장 늦은 자료 'doc-b'(2025-09)보다 이릅니다"),
])
def test_validation_rejects(content, extra, site_extra, expected):
    problems = _with(content, extra, site_extra)
    assert any(expected in p for p in problems), problems


# One click copies the line; the clipboard is stood in for, as a file:// page
# cannot be granted the right to read it back.
_RECORD = "window.copied = []; navigator.clipboard.writeText = function (t) { window.copied.push(t); return Promise.resolve(); };"


def test_the_cite_line_copies_with_one_click(browser, fixture_site):  # noqa: F811
    page = browser.new_page()
    page.add_init_script(_RECORD)
    page.goto((fixture_site / "projects/map-platform/index.html").resolve().as_uri())
    line = page.locator(".cite-text").inner_text()
    button = page.get_by_role("button", name="복사")
    button.click()
    page.wait_for_function("window.copied.length === 1")
    assert page.evaluate("window.copied") == [line] and line.startswith("「")
    assert button.inner_text() == "복사했습니다"
    assert page.locator(".cite-this [role=status]").inner_text() == "복사했습니다"  # said to a screen reader too
    page.close()


def test_without_a_clipboard_api_the_line_is_selected_for_the_reader(browser, fixture_site):  # noqa: F811
    page = browser.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
    page.goto((fixture_site / "departments/alpha/index.html").resolve().as_uri())
    page.get_by_role("button", name="복사").click()
    assert page.evaluate("String(window.getSelection())") == page.locator(".cite-text").inner_text()
    assert page.locator(".cite-copy").inner_text() in ("복사했습니다", "선택했습니다. Ctrl+C로 복사하세요")
    page.close()


def test_without_javascript_there_is_no_button_and_one_click_selects_the_line(browser, fixture_site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((fixture_site / "projects/map-platform/index.html").resolve().as_uri())
    assert page.locator(".cite-copy").count() == 0
    assert page.locator(".cite-text").evaluate("e => getComputedStyle(e).userSelect") == "all"
    context.close()
