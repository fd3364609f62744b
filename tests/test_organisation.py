"""The reorganisation on one page: names by period, each reorganisation as the
sources date it, the 2024-07-01 one as a before → after table, the projects
that moved, and where each 2024 figure stands."""
import lxml.html


def _doc(site, page):
    return lxml.html.fromstring((site / page).read_bytes())


def _text(el) -> str:
    return " ".join(el.text_content().split())


def test_the_organisation_page_dates_every_reorganisation(real_site):
    doc = _doc(real_site, "organisation/index.html")
    text = _text(doc)
    for when, what in (("2019년 1월", "서울디지털재단 관리·감독"), ("2020년 1월 14일", "조직정비"),
                       ("2024년 7월 1일", "디지털도시국")):
        assert f"{when} · " in text and what in text, when
    assert "1관 6담당관 28팀 → 1국 6과 31팀" in text
    # Each event cites its source.
    assert len(doc.xpath("//section[@aria-labelledby='events-h']//a[contains(@href,'sources/index.html#')]")) >= 3


def test_the_2024_reorganisation_says_which_department_became_which(real_site):
    rows = {_text(tr.xpath("./th")[0]): [_text(td) for td in tr.xpath("./td")]
            for tr in _doc(real_site, "organisation/index.html").xpath("//table[@id='reorganisation-3']/tbody/tr")}
    assert rows["데이터전략과"][:2] == ["빅데이터담당관", "데이터전략과"]
    assert rows["정보통신보안담당관"][1] == "정보보안과, 정보통신과"  # split in two
    assert rows["정보공개담당관"][1] == "정보시스템과"  # merged
    assert rows["정보보안과"][0] == "(없음)"  # new


def test_moved_projects_are_listed_with_both_departments(real_site, real_model):  # noqa: F811
    doc = _doc(real_site, "organisation/index.html")
    moved = {_text(tr.xpath("./th")[0]): [_text(td) for td in tr.xpath("./td")]
             for tr in doc.xpath("//table[@id='moved-projects']/tbody/tr")}
    assert moved["지능형 CCTV 고도화"] == ["정보통신보안담당관", "정보통신과"]
    expected = {p.name for p in real_model.projects.values()
                if len(p.departments_in(2024)) > 1
                or (p.department_in(2025) and p.departments_in(2024) and p.department_in(2025) is not p.departments_in(2024)[0])}
    assert set(moved) == expected
    # The crosswalk lists every 2024 figure of those projects once.
    crosswalk = doc.xpath("//table[@id='crosswalk-2024']/tbody/tr")
    assert len(crosswalk) == sum(1 for p in real_model.projects.values() if p.name in moved
                                 for f in p.figures.all if f.year == 2024)


def test_the_department_index_dates_each_name(real_site):
    text = _text(_doc(real_site, "departments/index.html"))
    assert "빅데이터담당관 (2019 – 2024년 7월 1일)" in text
    footer = _doc(real_site, "index.html").xpath("//footer//a[contains(@href,'organisation/index.html')]")
    assert footer, "the organisation page is linked from every page's footer"


from .test_compare import real_model  # noqa: E402, F401
