"""Issue 22 §2 and §3.

§2: a link that rests only on similar wording is not a rename. The 2020
projects 데이터 기반 과학행정 추진 and 디지털 시민 시장실 운영 have pages of
their own, linked to the projects we think carried on their work by
succeeds / succeeded_by with basis inferred; their 2020 figures are never the
later projects' history, tables or comparisons.

§3: an amount whose stage the source does not state (단계 미상) is shown with
that label, and is never compared, never a year's representative figure,
never summed against a printed total and never drawn as a budget bar.
"""
import csv
import json
import re
from pathlib import Path

import lxml.html
import pytest

from budgetsite import data, registry, render, tables
from budgetsite.load import load_content
from budgetsite.model import (
    COMPARABLE,
    REPRESENTATIVE_ORDER,
    REVENUE_STAGES,
    STAGE_HELP,
    STAGES,
    UNSTATED,
    Bureau,
    Figure,
    FigureSet,
    NamePeriod,
    Site,
    Source,
    SourceRef,
    build_site,
)
from budgetsite.pipeline import Paths, build, check
from budgetsite.validate import validate
from budgetsite.validate.sums import _department_parts

from .conftest import FIXTURE_SOURCES, PROJECT

# (earlier project, later project, the 2020 name, the source lines of its 2020 figures)
LINKS = [
    ("data-driven-scientific-administration", "big-data-analysis-service", "데이터 기반 과학행정 추진", {1924, 1206}),
    ("digital-citizen-mayors-office", "smart-seoul-view", "디지털 시민 시장실 운영", {1926, 1532}),
]


# --- the real content ---------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip(f"source texts not found at {paths.sources}")
    return check(paths)


@pytest.fixture(scope="module")
def real_pages(tmp_path_factory) -> Path:
    """The real site, without the build-time drawings (the pages are the same)."""
    paths = Paths.default(out=tmp_path_factory.mktemp("links-and-stages") / "site")
    if not paths.sources.exists():
        pytest.skip(f"source texts not found at {paths.sources}")
    build(paths, drawings=False)
    return paths.out


def _text(path: Path) -> str:
    doc = lxml.html.fromstring(path.read_bytes())
    for script in doc.xpath("//script"):
        script.drop_tree()
    return " ".join(doc.text_content().split())


def _rows(path: Path, table_id: str) -> list[list[str]]:
    doc = lxml.html.fromstring(path.read_bytes())
    return [[" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
            for tr in doc.xpath(f"//table[@id='{table_id}']/tbody/tr")]


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def _table_csv(site, project_id: str, table_id: str) -> list[dict]:
    """A project table's CSV download: made in the browser (a project page has no table files),
    byte for byte its model's (tests/test_downloads.py)."""
    t = next(t for t in registry.page(site, "project", site.projects[project_id]).tables if t.id == table_id)
    return list(csv.DictReader(tables.csv_bytes(t).decode("utf-8-sig").splitlines()))


def _year(row: dict, year: int) -> str:
    """A comparison download's amount of a year (its column is "2024" or "2024 (천원)")."""
    return next(v for k, v in row.items() if k == str(year) or k.startswith(f"{year} ("))


@pytest.mark.parametrize("earlier, later, name, lines", LINKS)
def test_each_earlier_project_has_its_own_figures(real, earlier, later, name, lines):
    old, new = real.projects[earlier], real.projects[later]
    assert old.name == name and old.figures.years == [2020]
    assert {f.source.line for f in old.figures.all} == lines
    assert {f.source.source.id for f in old.figures.all} == {"audit-report-2020"}
    # The source places the 2020 figures under 빅데이터담당관 (data-strategy).
    assert old.department_in(2020).id == "data-strategy"
    assert old.department_in(2020).name_in(2020) == "빅데이터담당관"
    # None of it stays with the later project.
    assert 2020 not in new.figures.years and 2020 not in new.departments
    assert not any(f.source.source.id == "audit-report-2020" for f in new.figures.all)
    assert name not in [n["name"] for n in new.former_names]
    assert new.name_in(2020) != name
    assert not any(d["year"] == 2020 for d in new.discrepancies + new.breakdown)
    # The discrepancy between the two 2020 tables went with the figures.
    if earlier == "data-driven-scientific-administration":
        assert [(d["year"], d["difference"]) for d in old.discrepancies] == [(2020, 57000)]


@pytest.mark.parametrize("earlier, later, name, lines", LINKS)
def test_the_two_projects_name_each_other_as_inferred(real, earlier, later, name, lines):
    old, new = real.projects[earlier], real.projects[later]
    succeeds = [h for h in new.history if h["event"] == "succeeds"]
    assert [(h["project"], h["basis"]) for h in succeeds] == [(earlier, "inferred")]
    assert not any(h["event"] == "renamed" and h["name"] == name for h in new.history)
    back = [h for h in old.history if h["event"] == "succeeded_by"]
    assert [(h["project"], h["basis"]) for h in back] == [(later, "inferred")]
    for h in succeeds + back:
        assert h["source"] is None  # no document says so
        assert "적지 않았" in h["explanation"], h["explanation"]  # and the explanation says that


@pytest.mark.parametrize("earlier, later, name, lines", LINKS)
def test_later_comparisons_never_reach_back_to_2020(real, earlier, later, name, lines):
    new = real.projects[later]
    for year in real.years:
        if year > 2020:
            ch = new.change(2020, year)
            assert ch.before is None and ch.delta is None, year
    rows = {p.id: ch for p, ch in real.changes(2020, 2024)}
    assert rows[later].before is None and rows[later].kind == "none"
    assert rows[earlier].before is not None and rows[earlier].before.year == 2020
    assert rows[earlier].after is None and rows[earlier].delta is None


@pytest.mark.parametrize("earlier, later, name, lines", LINKS)
def test_both_pages_link_to_each_other_with_the_basis_shown(real_pages, earlier, later, name, lines):
    for here, there in ((earlier, later), (later, earlier)):
        page = real_pages / f"projects/{here}/index.html"
        doc = lxml.html.fromstring(page.read_bytes())
        items = doc.xpath("//section[@aria-labelledby='project-history-h']//li"
                          f"[.//a[@href='../../projects/{there}/index.html']]")
        assert len(items) == 1, (here, there)
        assert items[0].xpath(".//span[contains(@class,'basis-inferred')]/text()") == ["추정"]
    assert "다음 사업으로 이어짐" in _text(real_pages / f"projects/{earlier}/index.html")
    assert "이전 사업을 이음" in _text(real_pages / f"projects/{later}/index.html")


@pytest.mark.parametrize("earlier, later, name, lines", LINKS)
def test_later_pages_and_downloads_hold_no_2020_figure(real, real_pages, earlier, later, name, lines):
    page = real_pages / f"projects/{later}"
    for table in ("figures", "budget", "execution"):
        assert not any(r[0] == "2020" for r in _rows(page / "index.html", table)), table
        if f'<table id="{table}"' in (page / "index.html").read_text(encoding="utf-8"):
            assert not any(r["연도"] == "2020" for r in _table_csv(real, later, table)), table
    facts = lxml.html.fromstring((page / "index.html").read_bytes()).xpath("//dl[@class='facts']")[0]
    assert "예전 이름" not in facts.text_content() and name not in facts.text_content()
    budget = _csv(real_pages / "data/budget.csv")
    assert {r["project_id"] for r in budget if r["project_name"] == name} == {earlier}
    assert not any(r["project_id"] == later and r["fiscal_year"] == "2020" for r in budget)
    old_rows = _rows(real_pages / f"projects/{earlier}/index.html", "figures")
    assert len(old_rows) == 6 and {r[0] for r in old_rows} == {"2020"}
    # The compare pages list the later project without a 2020 amount, and the earlier one with it.
    rows = {r["사업"]: r for r in _csv(real_pages / "compare/2020-2025/tables/compare.csv")}
    assert _year(rows[_name_of(page)], 2020) == "" and rows[_name_of(page)]["증감 (백만원)"] == ""
    assert _year(rows[name], 2020) != "" and _year(rows[name], 2025) == ""


def _name_of(page: Path) -> str:
    return lxml.html.fromstring((page / "index.html").read_bytes()).xpath("//h1")[0].text_content().strip()


def test_a_succeeded_by_without_the_answering_succeeds_is_refused(content):
    aerial = content / "projects" / "aerial-photos.yaml"
    aerial.write_text(aerial.read_text(encoding="utf-8") +
                      "history:\n  - {year: 2025, event: succeeded_by, project: map-platform, basis: inferred,"
                      " explanation: 지도 사업이 이 일을 이은 것으로 보았습니다.}\n", encoding="utf-8")
    assert [str(p) for p in validate(load_content(content), FIXTURE_SOURCES)] == []  # map-platform succeeds it
    site = build_site(load_content(content))
    assert [h["event"] for h in site.projects["aerial-photos"].history] == ["succeeded_by"]
    # Without the answer on the other side, the check names the line.
    mp = content / "projects" / "map-platform.yaml"
    text = mp.read_text(encoding="utf-8")
    mp.write_text(text.replace("event: succeeds, project: aerial-photos", "event: succeeds"), encoding="utf-8")
    problems = [str(p) for p in validate(load_content(content), FIXTURE_SOURCES)]
    assert len(problems) == 1 and "aerial-photos.yaml" in problems[0] and "succeeds가 없습니다" in problems[0]


# --- 단계 미상 -----------------------------------------------------------------------

def _figure(year: int, stage: str, amount: int, as_of: str | None = None) -> Figure:
    source = Source("doc", "자료", "기관", "2024-11", "검토보고서", ["천원"], "doc.txt")
    return Figure(year, stage, amount, SourceRef(source, 1), as_of=as_of)


def test_schema_model_and_downloads_agree_on_the_stages():
    common = json.loads((PROJECT / "schemas/common.schema.json").read_text(encoding="utf-8"))["$defs"]
    expenditure, revenue = common["stage"]["enum"], common["revenue_stage"]["enum"]
    assert UNSTATED == "단계 미상" and UNSTATED in expenditure and UNSTATED not in REVENUE_STAGES
    assert set(expenditure) | set(revenue) == set(STAGES)
    assert revenue == REVENUE_STAGES
    assert [s for s in STAGES if s in expenditure] == expenditure  # the same order
    assert set(STAGE_HELP) == set(STAGES) and set(data.STAGE_CODES) == set(STAGES)
    assert data.STAGE_CODES[UNSTATED] == "unstated"
    assert len(set(data.STAGE_CODES.values())) == len(STAGES)
    field = next(f for f in data._shared_fields().values() if f["name"] == "stage")
    assert "unstated" in field["constraints"]["enum"] and "unstated 단계 미상" in field["description"]


def test_an_unstated_amount_is_never_compared_nor_representative():
    assert UNSTATED not in REPRESENTATIVE_ORDER and all(UNSTATED not in pair for pair in COMPARABLE)
    figs = FigureSet([_figure(2022, UNSTATED, 2410000), _figure(2023, UNSTATED, 2810000),
                      _figure(2024, "최종예산", 725000), _figure(2024, "예산현액", 979600, "2024-10-31")])
    assert figs.years == [2022, 2023, 2024]  # listed: the year is there
    assert [f.stage_label for f in figs.all[:2]] == [UNSTATED, UNSTATED]
    for year in (2022, 2023):
        assert figs.representative(year) is None
        assert render.budget_figure(figs, year) is None
    ch = figs.change(2022, 2023)
    assert (ch.before, ch.after, ch.kind, ch.delta) == (None, None, "none", None)
    ch = figs.change(2023, 2024)
    assert ch.before is None and ch.after.stage == "최종예산" and ch.delta is None and not ch.comparable
    # Not even as the one figure that makes a project "new" or "ended".
    assert figs.change(2023, 2024, new=True).before is None
    assert figs.change(2021, 2022, new=True).kind == "none"
    chart = render.budget_chart("c", "t", figs, [2022, 2023, 2024], "")
    assert [v["연도"] for v in chart.spec["data"]["values"] if "amount" in v or "값" in v] == ["2024"]


def test_an_unstated_bureau_total_is_never_the_basis():
    totals = FigureSet([_figure(2023, UNSTATED, 100), _figure(2024, UNSTATED, 100), _figure(2024, "본예산", 90)])
    site = Site("t", "d", "https://example.org/", Bureau([NamePeriod("국", 2020, None)], totals, []), {}, {}, {})
    assert site.basis(2023) is None and site.basis(2023, UNSTATED) is None
    assert site.basis(2024).stage == "본예산"


UNSTATED_PROJECT = "  - {year: 2025, stage: 단계 미상, amount: 777000, source: {doc: doc-a, line: 10}}\n"


def _add(path: Path, after: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert after in text, after
    path.write_text(text.replace(after, after + line, 1), encoding="utf-8")


def test_an_unstated_amount_is_never_summed_against_a_total(content):
    # Totals of no stated stage that match nothing: any sum taken over them would fail.
    _add(content / "projects/map-platform.yaml", "figures:\n", UNSTATED_PROJECT)
    _add(content / "departments/alpha.yaml", "totals:\n",
         "  - {year: 2025, stage: 단계 미상, amount: 1000, source: {doc: doc-a, line: 5}}\n")
    _add(content / "site.yaml", "  totals:\n",
         "    - {year: 2025, stage: 단계 미상, amount: 5, source: {doc: doc-a, line: 1}}\n")
    _add(content / "programs.yaml", "    projects: [map-platform, aerial-photos]\n    totals:\n",
         "      - {year: 2025, stage: 단계 미상, scope: 사업비, amount: 3, source: {doc: doc-a, line: 16}}\n")
    loaded = load_content(content)
    assert [str(p) for p in validate(loaded, FIXTURE_SOURCES)] == []
    project = next(d for d in loaded.of_kind("project") if d.data["id"] == "map-platform")
    assert not any(key[1] == UNSTATED for _, key, _, _ in _department_parts(project))
    # The 예산안 sums still hold (the unstated amount was not added to them), and still fail when broken.
    _add(content / "projects/map-platform.yaml", "figures:\n",
         "  - {year: 2025, stage: 예산안, amount: 1, source: {doc: doc-b, line: 10}}\n")
    text = (content / "departments/alpha.yaml").read_text(encoding="utf-8")
    (content / "departments/alpha.yaml").write_text(text.replace("amount: 2000000", "amount: 2000001"), encoding="utf-8")
    problems = [str(p) for p in validate(load_content(content), FIXTURE_SOURCES)]
    assert any("합계가 맞지 않습니다" in p and "예산안" in p for p in problems), problems
    assert not any(UNSTATED in p for p in problems), problems


def test_an_unstated_amount_is_shown_with_its_label(content, tmp_path):
    _add(content / "projects/map-platform.yaml", "  - {year: 2024, department: alpha}\n",
         "  - {year: 2023, department: alpha}\n")
    _add(content / "projects/map-platform.yaml", "figures:\n",
         "  - {year: 2023, stage: 단계 미상, amount: 2410000, precision: 백만원, source: {doc: doc-a, line: 10},"
         " note: \"투입했다고만 적음\"}\n")
    out = tmp_path / "site"
    build(Paths(PROJECT, content, FIXTURE_SOURCES, out), drawings=False)
    page = out / "projects/map-platform/index.html"
    figures = _rows(page, "figures")
    assert [r[:3] for r in figures if r[0] == "2023"] == [["2023", UNSTATED, "2,410,000 (백만원 단위)"]]
    html = page.read_text(encoding="utf-8")
    heads = re.search(r'<table id="budget">.*?<thead>(.*?)</thead>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</th>", heads)[-1] == UNSTATED
    budget = {r[0]: r for r in _rows(page, "budget")}
    assert budget["2023"][-1].startswith("2,410,000") and budget["2024"][-1] == "자료 없음"
    # No budget bar and no comparison year made of it.
    site = build_site(load_content(content))
    assert _table_csv(site, "map-platform", "budget")[0]["단계 미상 (천원)"] == "2410000"
    chart = registry.page(site, "project", site.projects["map-platform"]).charts[0]
    assert [v["연도"] for v in chart.spec["data"]["values"] if "없음" not in v] == ["2024", "2025"]
    assert [v["연도"] for v in chart.spec["data"]["values"] if "없음" in v] == ["2023"]
    years, _ = render.compare_pairs(site)
    assert 2023 not in years and not (out / "compare/2023-2024").exists()
    assert not any(ch.before and ch.before.stage == UNSTATED for _, ch in site.changes(2023, 2024))
    rows = [r for r in _csv(out / "data/budget.csv") if r["fiscal_year"] == "2023"]
    assert [(r["project_id"], r["stage"], r["amount_thousand_krw"]) for r in rows] == \
        [("map-platform", "unstated", "2410000")]
    # The guide lists the stage with what it means.
    guide = lxml.html.fromstring((out / "guide/index.html").read_bytes())
    assert guide.xpath(f"//dl[@class='stages']/dt[.='{UNSTATED}']/following-sibling::dd[1]/text()")[0] \
        .startswith("자료가 금액만 적고")


def test_metaverse_footnote_amounts_keep_no_stage(real, real_pages):
    p = real.projects["metaverse-seoul"]
    footnote = [f for f in p.figures.all if f.source.line == 4503]
    assert [(f.year, f.stage, f.amount) for f in footnote] == [(2022, UNSTATED, 2410000), (2023, UNSTATED, 2810000)]
    # The source says only that the money was put in (투입), not at which stage.
    line = (Paths.default().sources / real.sources["review-2025-budget"].file).read_text(encoding="utf-8") \
        .splitlines()[4502]
    assert "2022년 – 24억 1천만원, 2023년 – 28억 1천만원" in line
    assert not any(word in line for word in ("예산안", "본예산", "최종예산", "당초", "집행액"))
    # Never in a change, never representative, anywhere.
    for q in real.projects.values():
        for y in q.figures.years:
            rep = q.figures.representative(y)
            assert rep is None or rep.stage != UNSTATED, q.id
    for a, b in render.compare_pairs(real)[1]:
        for _, ch in real.changes(a, b):
            assert UNSTATED not in {f.stage for f in (ch.before, ch.after) if f}, (a, b)
    assert p.change(2022, 2023).kind == "none" and p.change(2023, 2024).before is None
    # compare/2022-2023 shows nothing for it; no page computes a change from the footnote.
    assert "메타버스" not in _text(real_pages / "compare/2022-2023/index.html")
    row = next(r for r in _csv(real_pages / "compare/2023-2024/tables/compare.csv") if r["사업"] == p.name)
    assert _year(row, 2023) == "" and row["증감 (백만원)"] == "" and row["증감률 (%)"] == ""
    # The project page shows both amounts with the label.
    page = real_pages / "projects/metaverse-seoul/index.html"
    assert [r[:3] for r in _rows(page, "figures") if r[0] in ("2022", "2023")] == \
        [["2022", UNSTATED, "2,410,000 (백만원 단위)"], ["2023", UNSTATED, "2,810,000 (백만원 단위)"]]
    budget = {r["연도"]: r for r in _table_csv(real, "metaverse-seoul", "budget")}
    assert budget["2022"]["단계 미상 (천원)"] == "2410000" and budget["2022"]["최종예산 (천원)"] == ""
    rows = [r for r in _csv(real_pages / "data/budget.csv") if r["project_id"] == "metaverse-seoul"
            and r["fiscal_year"] in ("2022", "2023")]
    assert {r["stage"] for r in rows} == {"unstated"} and len(rows) == 2
    package = json.loads((real_pages / "data/datapackage.json").read_text(encoding="utf-8"))
    stage = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "stage")
    assert "unstated" in stage["constraints"]["enum"]
    # Still found by search, and listed in the sitemap.
    index = "".join(p.read_text(encoding="utf-8") for p in (real_pages / "assets/search").glob("records-*.js"))
    assert "projects/metaverse-seoul/index.html" in index
    sitemap = (real_pages / "sitemap.xml").read_text(encoding="utf-8")
    for pid in ("metaverse-seoul", *(e for e, *_ in LINKS)):
        assert f"projects/{pid}/index.html" in sitemap
        assert f"projects/{pid}/index.html" in index
