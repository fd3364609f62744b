"""Departments by date: names carry the dates the sources give and no more,
a department set up mid-year is not compared as though it had a whole year,
and a figure's department is where its citing document puts it."""
import csv
import io

import lxml.html

from .test_compare import real_model  # noqa: F401


def _text(site, page: str) -> str:
    return " ".join(lxml.html.fromstring((site / page).read_bytes()).text_content().split())


def test_names_say_only_the_dates_the_sources_give(real_site):
    home = _text(real_site, "index.html")
    assert "디지털정책관 (2023–2024)" not in home  # a start year no source gives
    assert "디지털도시국 (2024년 7월 1일–)" in home
    assert "바뀐 날짜는 자료에 없음" in home
    policy = _text(real_site, "departments/digital-policy/index.html")
    assert "디지털정책과 (2024년 7월 1일–)" in policy  # not 2025: its own lineage dates it
    assert "2022년 중(8~11월 사이), 자료에 날짜 없음" in policy


def test_every_year_with_a_figure_has_the_name_of_its_time(real_site, real_model):  # noqa: F811
    rows = list(csv.DictReader(io.StringIO((real_site / "data/budget.csv").read_bytes().decode("utf-8-sig"))))
    policy = real_model.departments["digital-policy"]
    for r in rows:
        if r["department_id"] == "digital-policy":
            year = int(r["fiscal_year"])
            names = [n.name for n in policy.names if n.start <= year and (n.end is None or year <= n.end)]
            assert r["department_name"] in names, r  # never a later name for an earlier year
    assert any(r["fiscal_year"] == "2022" and r["department_name"] == "디지털정책담당관" for r in rows)


def test_a_department_set_up_mid_year_is_not_compared_with_that_year(real_site, real_model):  # noqa: F811
    security = real_model.departments["information-security"]
    assert security.began == "2024-07-01"
    assert security.totals.change(2024, 2025).kind == "change"  # the figures alone would compare
    assert security.change(2024, 2025).kind == "partial"
    page = _text(real_site, "departments/information-security/index.html")
    assert "2024년 중간에 생겨" in page and "52.5%" not in page


def test_a_figure_carries_the_names_its_document_printed(real_site):
    rows = list(csv.DictReader(io.StringIO((real_site / "data/budget.csv").read_bytes().decode("utf-8-sig"))))
    ai = {(r["fiscal_year"], r["source_id"], r["stage"]): r["project_name"] for r in rows
          if r["project_id"] == "seoul-ai-foundation-contribution"}
    # The 2024-11 review prints even the 2025 proposal under the foundation's old name; the 2025 report, the new.
    assert ai[("2025", "review-2025-budget", "proposed")] == "서울디지털재단 출연"
    assert ai[("2025", "work-report-2025", "current")] == "서울AI재단 출연"


def test_search_finds_a_project_by_any_name_a_document_used(real_site):
    from budgetsite.search import read_index
    entries = read_index(real_site)
    entry = next(e for e in entries if e["u"] == "projects/seoul-ai-foundation-contribution/index.html")
    assert {"서울디지털재단출연", "서울ai재단출연"} <= set(entry["n"].split("|"))  # the names search matches, folded


# The projects the 2024-07-01 reorganisation moved: (department in the 2024-06
# report, department the documents written after it place their 2024 figures under).
MOVED_2024 = {
    "administrative-network-operation": ("ict-security", "telecommunications"),
    "cctv-safety-center-operation": ("ict-security", "telecommunications"),
    "high-speed-network-infrastructure": ("ict-security", "telecommunications"),
    "intelligent-cctv-upgrade": ("ict-security", "telecommunications"),
    "iot-city-development": ("digital-policy", "telecommunications"),
    "love-pc-distribution": ("ict-security", "telecommunications"),
    "multifunction-office-equipment": ("ict-security", "telecommunications"),
    "smart-city-telecom-infrastructure": ("ict-security", "telecommunications"),
    "smart-seoul-network": ("digital-policy", "telecommunications"),
    "integrated-safety-smart-pole": ("digital-policy", "telecommunications"),
    "ai-administrative-service": ("information-systems", "digital-policy"),
    "personal-information-protection": ("information-systems", "information-security"),
    "information-system-security-enhancement": ("ict-security", "information-security"),
    "seoul-cyber-security-center": ("ict-security", "information-security"),
    "information-disclosure-system-management": ("information-disclosure", "information-systems"),
    "information-plaza-service": ("information-disclosure", "information-systems"),
    "records-information-management": ("information-disclosure", "information-systems"),
    "work-management-system-operation": ("information-disclosure", "information-systems"),
    "legacy-work-management-system-operation": ("information-disclosure", "information-systems"),
}


def _budget_rows(site) -> list[dict]:
    return list(csv.DictReader(io.StringIO((site / "data/budget.csv").read_bytes().decode("utf-8-sig"))))


def test_the_review_places_the_2024_figures_of_moved_projects_under_the_new_department(real_model):  # noqa: F811
    for pid, (before, after) in MOVED_2024.items():
        p = real_model.projects[pid]
        review = [f for f in p.figures.all if f.year == 2024 and f.source.source.id == "review-2025-budget"]
        issues = [f for f in p.figures.all if f.year == 2024 and f.source.source.id == "issues-report-2024"]
        assert review and issues, pid
        assert {p.department_of(f).id for f in review} == {after}, pid
        assert {p.department_of(f).id for f in issues} == {before}, pid  # the 2024-06 report keeps the old one
        assert [d.id for d in p.departments_in(2024)] == [before, after], pid


def test_no_2024_figure_of_ai_or_privacy_says_information_systems(real_site):
    # At the reorganisation AI went to 디지털정책과 and 개인정보보호 to 정보보안과;
    # 정보시스템과 never ran them (the 2024-06 report printed both under 정보시스템담당관).
    rows = [r for r in _budget_rows(real_site) if r["fiscal_year"] == "2024"
            and r["project_id"] in ("ai-administrative-service", "personal-information-protection")]
    assert not [r for r in rows if r["department_name"] == "정보시스템과"]
    names = {(r["project_id"], r["source_id"], r["department_name"]) for r in rows}
    assert names == {("ai-administrative-service", "issues-report-2024", "정보시스템담당관"),
                     ("ai-administrative-service", "review-2025-budget", "디지털정책과"),
                     ("personal-information-protection", "issues-report-2024", "정보시스템담당관"),
                     ("personal-information-protection", "review-2025-budget", "정보보안과")}


def test_each_2024_row_carries_the_department_name_its_document_used(real_site):
    rows = [r for r in _budget_rows(real_site) if r["fiscal_year"] == "2024" and r["project_id"] in MOVED_2024]
    for r in rows:
        before, after = MOVED_2024[r["project_id"]]
        expected = {"issues-report-2024": before, "review-2025-budget": after}[r["source_id"]]
        assert r["department_id"] == expected, r
    assert ({r["department_name"] for r in rows if r["project_id"] == "love-pc-distribution"}
            == {"정보통신보안담당관", "정보통신과"})


def test_the_moved_projects_are_on_the_organisation_page(real_site, real_model):  # noqa: F811
    page = lxml.html.fromstring((real_site / "organisation/index.html").read_bytes())
    moved = {}
    for tr in page.xpath('//table[@id="moved-projects"]/tbody/tr'):
        link = tr.xpath("./th//a/@href")[0]
        moved[link.split("/")[-2]] = tr.xpath("./td[last()]//a/@href")[0]
    for pid, (_, after) in MOVED_2024.items():
        assert moved.get(pid) == f"../departments/{after}/index.html", pid
    # Each 2024 figure with the department its document placed it under, by the name that document used.
    old_names = {"ict-security": "정보통신보안담당관", "digital-policy": "디지털정책담당관",
                 "information-systems": "정보시스템담당관", "information-disclosure": "정보공개담당관"}
    crosswalk = [[" ".join(c.text_content().split()) for c in tr] for tr in page.xpath('//table[@id="crosswalk-2024"]/tbody/tr')]
    for pid, (before, after) in MOVED_2024.items():
        name = real_model.projects[pid].name
        review = {row[4] for row in crosswalk if row[0] == name and "검토보고서" in row[3]}
        issues = {row[4] for row in crosswalk if row[0] == name and "현안업무보고" in row[3]}
        assert review == {real_model.departments[after].name}, (pid, review)
        assert issues == {old_names[before]}, (pid, issues)


def test_a_moved_project_page_lists_both_departments_of_2024(real_site):
    ai = _text(real_site, "projects/ai-administrative-service/index.html")
    assert "2020, 2021, 2024년: 정보시스템담당관" in ai and "2024, 2025년: 디지털정책과" in ai
    assert "2024년: 디지털정책담당관" not in ai  # a department that never ran it
    pole = _text(real_site, "projects/integrated-safety-smart-pole/index.html")
    assert "2024년: 디지털정책담당관" in pole and "2024년: 정보통신과" in pole


def test_department_sums_for_2024_check_with_the_placements(tmp_path):
    import re
    import shutil

    from budgetsite.load import load_content
    from budgetsite.memory import Memory
    from budgetsite.pipeline import Paths
    from budgetsite.validate import check_sums

    paths = Paths.default()
    memory = Memory()  # as serve keeps the sums between checks
    assert check_sums(load_content(paths.content), memory=memory) == []
    # Without the placements the 2024 totals of the new departments (review-2025-budget)
    # are compared with no projects or the wrong ones, and the recorded differences fail.
    copy = tmp_path / "content"
    shutil.copytree(paths.content, copy)
    placement = re.compile(r"^  - \{year: \d+, department: [a-z-]+, documents: \[.*\]\}$")
    for f in (copy / "projects").glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        f.write_text("\n".join(line for line in text.split("\n") if not placement.match(line)), encoding="utf-8")
    problems = check_sums(load_content(copy), memory=memory)
    failing = {p.file.split("/")[-1] for p in problems}
    assert {"telecommunications.yaml", "information-security.yaml", "information-systems.yaml",
            "digital-policy.yaml"} <= failing, problems
    assert check_sums(load_content(paths.content), memory=memory) == []  # the kept sums are put back
