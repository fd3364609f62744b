"""Search: the index the build writes, and typing into it in a real browser
opened from file://, as an archive reader would."""
import json
import unicodedata

import pytest

from budgetsite.search import entries, initials, normalise

from .test_browser import CHROMIUM, browser  # noqa: F401  (the shared browser fixture)


def test_normalise_ignores_spacing_case_and_composition():
    nfd = unicodedata.normalize("NFD", "빅데이터 캠퍼스")
    assert normalise(nfd) == normalise("빅데이터캠퍼스") == "빅데이터캠퍼스"
    assert normalise("정보기술아키텍처(EA) 운영") == "정보기술아키텍처ea운영"


def test_initials():
    assert initials("서울기록원") == "ㅅㅇㄱㄹㅇ"
    assert initials("3D기반 Virtual Seoul") == "3dㄱㅂvirtualseoul"


def test_index_holds_departments_projects_and_terms_with_former_names(fixture_site):
    text = (fixture_site / "assets/search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.BUDGET_SEARCH_MAP=")
    from budgetsite.pipeline import Paths, check
    from budgetsite.search import read_index, section_entries

    from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
    site = check(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "site"))
    found = {e["t"]: e for e in entries(site)}
    assert found["지도 플랫폼 운영"]["n"] == "지도플랫폼운영|지도플랫폼구축"  # the former name too
    assert found["지도 플랫폼 운영"]["d"].startswith("알파과 · 2025년")
    assert found["예산현액"]["u"] == "glossary/index.html#current-budget"
    assert {e["k"] for e in found.values()} == {"부서", "사업", "용어"}
    # The published index (map, parts, records) is the same entries, then the sections, in order.
    published = read_index(fixture_site)
    assert published == [{k: v for k, v in e.items() if k != "x"} for e in entries(site) + section_entries(site)]
    assert not any("<" in p.read_text(encoding="utf-8") for p in (fixture_site / "assets/search").iterdir())
    assert json.loads(text.removeprefix("window.BUDGET_SEARCH_MAP=").removesuffix(";\n"))["chunk"] > 0


def search(browser, site, page_path, query, width=1024):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.resolve().as_uri() + "/" + page_path)
    page.fill("#site-search-input", query)
    page.wait_for_selector("#site-search:not([data-loading])", state="attached")  # its part has come
    page.wait_for_timeout(50)
    results = page.locator("#site-search-results a").all_inner_texts()
    status = page.inner_text("#site-search-status")
    return context, page, results, status, errors


@pytest.mark.parametrize("query, expected", [
    ("빅데이터캠퍼스", "빅데이터 캠퍼스 운영"),                           # spacing ignored
    ("캠퍼스", "빅데이터 캠퍼스 운영"),                                   # inside a word
    ("ㅅㅇㄱㄹㅇ", "서울기록원"),                                          # 초성
    (unicodedata.normalize("NFD", "서울기록원"), "서울기록원"),            # decomposed input
    ("클라우드센터", "상암센터 운영"),                                     # a former name
    ("예산현액", "예산현액"),                                              # a glossary term
])
def test_hangul_search_in_the_browser(browser, real_site, query, expected):  # noqa: F811
    context, page, results, status, errors = search(browser, real_site, "projects/sangam-center-operation/index.html", query)
    context.close()
    assert not errors
    assert any(r.split(" ", 1)[1] == expected for r in results), results
    assert status.startswith("검색 결과")


def test_results_link_from_any_depth_and_by_keyboard(browser, real_site):  # noqa: F811
    context, page, results, status, errors = search(browser, real_site, "departments/data-center/index.html", "서울기록원 운영")
    page.press("#site-search-input", "ArrowDown")
    focused = page.evaluate("document.activeElement.textContent")
    assert "서울기록원 운영 관리" in focused
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/projects/seoul-archives-operation/index.html")
    assert page.locator("h1").inner_text() == "서울기록원 운영 관리"
    context.close()


def test_no_result_is_said_and_the_box_fits_a_phone(browser, real_site):  # noqa: F811
    context, page, results, status, errors = search(browser, real_site, "index.html", "없는사업이름", width=360)
    assert results == [] and "맞는 결과가 없습니다" in status
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    context.close()


def test_results_fold_away_when_focus_leaves_the_search(browser, real_site):  # noqa: F811
    context, page, results, status, errors = search(browser, real_site, "index.html", "데이터")
    assert results and page.locator("#site-search-results").is_visible()
    page.locator("main h1").click()
    assert not page.locator("#site-search-results").is_visible()
    page.focus("#site-search-input")
    assert page.locator("#site-search-results").is_visible()
    context.close()


def test_a_projects_keywords_find_it_and_nothing_else_shows_them(browser, paths):  # noqa: F811
    """The recipe for a new project field, followed once: keywords in the
    schema, the model and the search index; a reader's word finds the project."""
    from budgetsite.pipeline import build

    target = paths.content / "projects" / "map-platform.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("name: 지도 플랫폼 운영\n", "name: 지도 플랫폼 운영\nkeywords: [GIS, 공간정보]\n", 1),
                      encoding="utf-8")
    build(paths)
    for query in ("공간정보", "gis", "ㄱㄱㅈㅂ"):
        context, page, results, status, errors = search(browser, paths.out, "index.html", query)
        context.close()
        assert any("지도 플랫폼 운영" in r for r in results) and not errors, (query, results)
    assert "공간정보" not in (paths.out / "projects" / "map-platform" / "index.html").read_text(encoding="utf-8")


def test_an_empty_keyword_is_refused(paths):
    from budgetsite.pipeline import check
    from budgetsite.problems import ContentError

    target = paths.content / "projects" / "map-platform.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("name: 지도 플랫폼 운영\n", "name: 지도 플랫폼 운영\nkeywords: ['']\n", 1),
                      encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(paths)
    assert [(p.line, p.field) for p in caught.value.problems] == [(4, "keywords[0]")]
