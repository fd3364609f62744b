"""Search that forgives (issue 27 §3): aliases from content/search-aliases.yaml,
a last letter still being typed, one wrong letter, which name matched, every
result on 찾아보기, notes and key tasks by their words, and the ㄱㄴㄷ index
without JavaScript. Unit tests of the prepared data and of search.js on a
small index of our own; then the real site from file://, as a reader opens it."""
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from budgetsite.pipeline import check
from budgetsite.problems import ContentError
from budgetsite.render.names import GROUPS, OTHER, initial_of, name_groups
from budgetsite.search import _words, aliases, entries, expand, read_index, section_entries, section_ids

from .conftest import PROJECT
from .test_browser import browser  # noqa: F401  (the shared browser fixture)

ALIASES = """\
aliases:
  - word: 디지털
    also: [디지탈, digital]
  - word: 데이터
    also: [데이타]
  - word: 빅데이터
    also: [빅데이타]
  - word: CCTV
    also: [씨씨티비]
"""


# --- the prepared data --------------------------------------------------------------


def test_aliases_are_normalised_longest_first_and_expand_a_query(paths):
    (paths.content / "search-aliases.yaml").write_text(ALIASES, encoding="utf-8")
    site = check(paths)
    table = aliases(site)
    assert [a[0] for a in table] == ["digital", "빅데이타", "씨씨티비", "데이타", "디지탈"]
    assert ["씨씨티비", "cctv", "CCTV"] in table  # the word as written, for the label
    assert expand(site, "빅데이타 캠퍼스") == ["빅데이타캠퍼스", "빅데이터캠퍼스"]  # the longest variant first, once
    assert expand(site, "Digital 지도") == ["digital지도", "디지털지도"]
    assert expand(site, "씨씨티비 데이타") == ["씨씨티비데이타", "cctv데이타", "씨씨티비데이터", "cctv데이터"]
    assert expand(site, "지도") == ["지도"]


def test_a_bad_alias_file_is_reported_with_file_line_and_field(paths):
    (paths.content / "search-aliases.yaml").write_text(
        "aliases:\n"
        "  - word: 디지털\n"
        "    also: [디지탈, 디지 털]\n"       # 3: its own word again, spaced
        "  - word: 데이터\n"
        "    also: [디지탈, '·']\n"           # 5: given to two words; nothing left once signs go
        "  - word: CCTV\n", encoding="utf-8")  # 6: no also
    with pytest.raises(ContentError) as caught:
        check(paths)
    found = [(p.file, p.line, p.field) for p in caught.value.problems]
    assert [(Path(f).name, n, fld) for f, n, fld in found] == [("search-aliases.yaml", 6, "aliases[2].also")]  # the schema
    (paths.content / "search-aliases.yaml").write_text(
        "aliases:\n  - word: 디지털\n    also: [디지탈, 디지 털]\n  - word: 데이터\n    also: [디지탈, '·']\n",
        encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(paths)
    said = {(Path(p.file).name, p.line, p.field): p.message for p in caught.value.problems}
    assert set(said) == {("search-aliases.yaml", 3, "aliases[0].also[1]"), ("search-aliases.yaml", 5, "aliases[1].also[0]"),
                         ("search-aliases.yaml", 5, "aliases[1].also[1]")}
    assert "자신과 같습니다" in said[("search-aliases.yaml", 3, "aliases[0].also[1]")]
    assert "3행과 중복" in said[("search-aliases.yaml", 5, "aliases[1].also[0]")]


def test_entries_list_the_title_then_past_names_then_other_names(paths):
    target = paths.content / "projects" / "map-platform.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("name: 지도 플랫폼 운영\n", "name: 지도 플랫폼 운영\nkeywords: [GIS]\n", 1), encoding="utf-8")
    found = {e["t"]: e for e in entries(check(paths))}
    e = found["지도 플랫폼 운영"]
    assert e["n"] == "지도플랫폼운영|지도플랫폼구축|gis" and e["a"] == "지도 플랫폼 구축|GIS" and e["o"] == 2
    dept = next(e for e in found.values() if e["k"] == "부서" and "|" in e["n"])
    assert dept["n"].split("|")[0] == dept["t"].replace(" ", "")  # the present name first, then the past ones
    assert "o" not in dept and dept["a"] == "알파담당관"


def test_section_ids_count_a_years_items_in_source_order_whatever_the_page_order():
    class Ref:
        def __init__(self, doc, line):
            self.source, self.line = type("S", (), {"id": doc})(), line
    items = [{"year": 2025, "source": Ref("b", 5)}, {"year": 2024, "source": Ref("a", 9)},
             {"year": 2025, "source": Ref("a", 700)}, {"year": 2025, "source": Ref("a", 30)}]
    assert section_ids(items, "task") == ["task-2025-3", "task-2024-1", "task-2025-2", "task-2025-1"]
    assert section_ids(list(reversed(items)), "task") == ["task-2025-1", "task-2025-2", "task-2024-1", "task-2025-3"]


def test_a_notes_words_are_kept_once_without_particles_or_numbers():
    assert _words("메타버스 서울은 2023년에 문을 열었고, 메타버스 서울의 이용이 적었습니다.") == "메타버스서울문을열었고이용적었"
    assert _words("중국산 CCTV를 교체") == "중국산cctv교체"


def test_the_ganada_groups_file_every_name_under_its_initial(paths):
    site = check(paths)
    names = ("서울기록원", "까치온", "(구)업무관리", "3D기반", "Virtual")
    assert [initial_of(n) for n in names] == ["ㅅ", "ㄱ", "ㄱ", OTHER, OTHER]
    groups = name_groups(site)
    listed = [i for g in groups for i in g["items"]]
    assert {i["path"] for i in listed} == {x.path for x in [*site.projects.values(), *site.departments.values()]}
    assert all(initial_of(i["name"]) == g["initial"] for g in groups for i in g["items"])
    assert [g["initial"] for g in groups] == sorted((g["initial"] for g in groups), key=lambda c: (c == OTHER, c))
    former = next(i for i in listed if i["name"] == "지도 플랫폼 구축")
    assert former["note"] == "예전 이름 → 지도 플랫폼 운영"


# --- search.js on an index of our own: the matching itself ----------------------------

OWN_INDEX = [
    {"k": "부서", "t": "서울기록원", "u": "a.html", "n": "서울기록원", "c": "ㅅㅇㄱㄹㅇ"},
    {"k": "사업", "t": "빅데이터 캠퍼스 운영", "u": "b.html", "n": "빅데이터캠퍼스운영", "c": "ㅂㄷㅇㅌㅋㅍㅅㅇㅇ"},
    {"k": "부서", "t": "데이터전략과", "u": "c.html", "n": "데이터전략과|빅데이터담당관", "c": "ㄷㅇㅌㅈㄹㄱ|ㅂㄷㅇㅌㄷㄷㄱ",
     "a": "빅데이터담당관"},
    {"k": "사업", "t": "서울기록관리", "u": "d.html", "n": "서울기록관리", "c": "ㅅㅇㄱㄹㄱㄹ", "x": "서울기륵원과함께"},
    {"k": "사업", "t": "정보시스템 유지관리", "u": "e.html", "n": "정보시스템유지관리", "c": "ㅈㅂㅅㅅㅌㅇㅈㄱㄹ"},
    *({"k": "사업", "t": f"정보화 사업 {i}", "u": f"f{i}.html", "n": f"정보화사업{i}", "c": f"ㅈㅂㅎㅅㅇ{i}"} for i in range(15)),
]
OWN_MORE = [["씨씨티비", "cctv", "CCTV"], ["빅데이타", "빅데이터"]]
SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>small { display: block }</style></head><body>
<form id="site-search" data-root="" hidden><input id="site-search-input"><p id="site-search-status"></p>
<ul id="site-search-results" hidden></ul></form></body></html>"""


@pytest.fixture(scope="module")
def own_search(browser):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(SHELL)
    page.add_script_tag(content=f"window.BUDGET_SEARCH={json.dumps(OWN_INDEX)};"
                                f"window.BUDGET_SEARCH_ALIASES={json.dumps(OWN_MORE)};window.BUDGET_SEARCH_SECTIONS=[];")
    page.add_script_tag(path=str(PROJECT / "static" / "search.js"))

    def typed(query):
        page.fill("#site-search-input", query)
        items = [li.replace("\n", " / ") for li in page.locator("#site-search-results li").all_inner_texts()]
        return items, page.inner_text("#site-search-status")
    yield typed
    assert errors == []
    context.close()


@pytest.mark.parametrize("query", ["서울ㄱ", "서울기", "서울길", "서울기로", "서울기록", "서울기록워", "서욹", "ㅅㅇㄱ"])
def test_a_last_letter_still_being_typed_matches_what_it_may_become(own_search, query):
    items, status = own_search(query)
    assert items[0].startswith("부서 서울기록원"), items
    assert status.startswith("검색 결과")


def test_a_complete_last_letter_matches_only_itself(own_search):
    items, _ = own_search("서울기록관")   # 관 is not 원 still being typed
    assert [i.split(" / ")[0] for i in items] == ["사업 서울기록관리"]
    items, status = own_search("서울가")   # 가 cannot become 기
    assert items == [] and "맞는 결과가 없습니다" in status


@pytest.mark.parametrize("query", ["서울기록ㅇ", "없는이름ㄱ", "ㅎㅎ", "씨씨티"])
def test_half_typed_input_says_nothing_negative(own_search, query):
    items, status = own_search(query)
    assert "없습니다" not in status


def test_one_wrong_letter_is_tolerated_only_when_no_name_matches_and_ranks_last(own_search):
    items, status = own_search("서울기륵원")
    # The text match (exact, in 서울기록관리's words) first, then the name one letter away.
    assert [i.split(" / ")[0] for i in items] == ["사업 서울기록관리", "부서 서울기록원"]
    assert "비슷한 이름" in items[1] and status.startswith("검색 결과 2건")
    items, status = own_search("빅데이터캠퍼쓰")
    assert items[0].startswith("사업 빅데이터 캠퍼스 운영 / 비슷한 이름") and status.startswith("정확히 맞는 이름이 없어")
    items, _ = own_search("서울기록원")
    assert [i.split(" / ")[0] for i in items] == ["부서 서울기록원"]  # an exact match: no near ones
    items, status = own_search("서울")   # too short to guess at
    assert all("비슷한" not in i for i in items)


def test_each_result_says_which_name_matched(own_search):
    items, _ = own_search("빅데이터담당관")
    assert items == ["부서 데이터전략과 / 예전 이름: 빅데이터담당관"]
    items, _ = own_search("빅데이타 캠퍼스")
    assert items[0] == "사업 빅데이터 캠퍼스 운영 / 다른 이름: 빅데이타 → 빅데이터"
    items, _ = own_search("데이터전략")
    assert items == ["부서 데이터전략과"]  # the title: nothing to say


def test_past_twelve_results_the_list_ends_with_a_link_to_all(own_search):
    items, status = own_search("정보화사업")
    assert status == "검색 결과 15건 가운데 12건" and len(items) == 13
    assert items[-1] == "모든 결과 15건 보기"


# --- the real site from file:// ----------------------------------------------------------


def _open(browser, site, path, js=True):  # noqa: F811
    context = browser.new_context(java_script_enabled=js)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(site.resolve().as_uri() + "/" + path)
    return context, page, errors


def _type(page, query):
    page.fill("#site-search-input", query)
    page.wait_for_selector("#site-search:not([data-loading])", state="attached")  # its part has come
    page.wait_for_timeout(50)
    items = [li.replace("\n", " / ") for li in page.locator("#site-search-results li").all_inner_texts()]
    return items, page.inner_text("#site-search-status")


def test_real_site_typing_seoul_archives_as_an_ime_composes_it(browser, real_site):  # noqa: F811
    """Each state a Korean keyboard shows while 서울기록원 is typed: nothing
    negative is ever said, and from 「서울ㄱ」 on, 서울기록원 is among the results."""
    context, page, errors = _open(browser, real_site, "projects/big-data-campus/index.html")
    states = ["ㅅ", "서", "성", "서우", "서울", "서욹", "서울기", "서울길", "서울기로", "서울기록", "서울기록ㅇ",
              "서울기록우", "서울기록워", "서울기록원"]
    for i, state in enumerate(states):
        items, status = _type(page, state)
        assert "없습니다" not in status, (state, status)
        if i >= states.index("서욹"):
            assert any(r.startswith("부서 서울기록원") for r in items), (state, items)
    items, status = _type(page, "서울ㄱ")
    assert items[0].startswith("부서 서울기록원") and status.startswith("검색 결과")
    context.close()
    assert errors == []


@pytest.mark.parametrize("query, expected, label", [
    ("씨씨티비", "지능형 CCTV 고도화", "다른 이름: 씨씨티비 → CCTV"),
    ("IoT", "사물인터넷 도시조성", "다른 이름: IoT → 사물인터넷"),
    ("디지탈 시민 시장실", "디지털 시민 시장실 운영", "다른 이름: 디지탈 → 디지털"),
    ("블럭체인", "블록체인 기반 공유행정 도입", "다른 이름: 블럭체인 → 블록체인"),
])
def test_real_site_an_alias_finds_the_word_the_content_uses(browser, real_site, query, expected, label):  # noqa: F811
    context, page, errors = _open(browser, real_site, "index.html")
    items, status = _type(page, query)
    context.close()
    hit = next(r for r in items if r.split(" / ")[0].split(" ", 1)[1] == expected)
    assert label in hit and status.startswith("검색 결과") and errors == []


def test_real_site_a_misspelling_finds_the_entry(browser, real_site):  # noqa: F811
    context, page, errors = _open(browser, real_site, "index.html")
    items, status = _type(page, "서울기륵원")
    assert items[0].startswith("부서 서울기록원 / 비슷한 이름"), items
    items, status = _type(page, "엠보딩서비스")  # the table's misspelling (엠보딩 → 엠보팅)
    assert items[0].startswith("사업 엠보팅 서비스 운영")
    items, status = _type(page, "스마트폴표준모댈")
    assert items[0].startswith("사업 스마트폴 표준모델 구축 / 비슷한 이름"), items
    context.close()
    assert errors == []


def test_real_site_a_former_name_is_said(browser, real_site):  # noqa: F811
    context, page, errors = _open(browser, real_site, "departments/data-center/index.html")
    items, _ = _type(page, "빅데이터담당관")
    assert "부서 데이터전략과 / 예전 이름: 빅데이터담당관 / 부서 · " in items[0], items
    items, _ = _type(page, "클라우드센터")
    assert items[0].startswith("사업 상암센터 운영 / 예전 이름: 클라우드센터 운영")
    context.close()
    assert errors == []


def test_real_site_all_results_page_lists_every_match(browser, real_site):  # noqa: F811
    context, page, errors = _open(browser, real_site, "projects/big-data-campus/index.html")
    items, status = _type(page, "데이터")
    total = int(re.match(r"검색 결과 (\d+)건 가운데 12건", status)[1])
    assert total > 12 and items[-1] == f"모든 결과 {total}건 보기" and len(items) == 13
    with page.expect_navigation():
        page.click("#site-search-results .search-more a")
    assert urlsplit(page.url).path.endswith("/search/index.html") and unquote(urlsplit(page.url).query) == "q=데이터"
    page.wait_for_selector("#search-all-results li:nth-child(13)", state="attached")
    listed = page.locator("#search-all-results li > a")
    assert listed.count() == total
    assert page.inner_text("#search-all-status") == f"'데이터' 검색 결과 {total}건"
    assert page.locator("#search-all").is_visible()
    # The first twelve are the dropdown's, in its order; every link leads to a page of the site.
    firsts = [t.split(" / ")[0] for t in items[:12]]
    assert [listed.nth(i).inner_text() for i in range(12)] == firsts
    for href in listed.evaluate_all("links => links.map(a => a.href)"):
        assert Path(unquote(urlsplit(href).path)).is_file(), href
    context.close()
    assert errors == []


@pytest.mark.parametrize("query, kind, page_path", [
    ("정보인프라의 통합구축", "과제", "departments/data-center/index.html"),   # a key task, by its title
    ("중국산", "의견", "index.html"),                                           # a bureau note (folded), by its words
    ("준공", "의견", "projects/drone-spatial-information/index.html"),          # a review summary, by its words
])
def test_real_site_a_note_or_task_result_opens_its_section(browser, real_site, query, kind, page_path):  # noqa: F811
    context, page, errors = _open(browser, real_site, "glossary/index.html")
    items, status = _type(page, query)
    links = page.locator("#site-search-results li > a")
    wanted = next(i for i in range(links.count())
                  if links.nth(i).get_attribute("href").startswith("../" + page_path + "#") and items[i].startswith(kind))
    with page.expect_navigation():
        links.nth(wanted).click()
    anchor = urlsplit(page.url).fragment
    section = page.locator(f"[id='{anchor}']")
    assert section.count() == 1 and re.fullmatch(r"(task|note|bureau-note)-\d{4}-\d+", anchor)
    assert section.is_visible()
    if section.evaluate("e => e.tagName") == "DETAILS":
        assert section.evaluate("e => e.open")  # unfolded, so the note is read at once
    text = page.locator(f"[id='{anchor}']").inner_text().replace(" ", "")
    assert query.replace(" ", "") in text
    context.close()
    assert errors == []


def test_real_site_every_section_link_in_the_index_resolves(real_site):
    sections = [e for e in read_index(real_site) if e["k"] in ("과제", "의견")]
    assert len(sections) > 100 and {e["k"] for e in sections} == {"과제", "의견"}
    for e in sections:
        path, anchor = e["u"].split("#")
        assert f'id="{anchor}"' in (real_site / path).read_text(encoding="utf-8"), e["u"]


def test_real_site_without_javascript_the_ganada_index_is_one_link_away(browser, real_site):  # noqa: F811
    context, page, errors = _open(browser, real_site, "projects/big-data-campus/index.html", js=False)
    assert not page.locator("#site-search").is_visible()
    link = page.get_by_role("link", name="ㄱㄴㄷ 찾아보기")
    assert link.is_visible()
    link.click()
    assert page.url.endswith("/search/index.html")
    assert not page.locator("#search-all").is_visible()
    headings = page.locator("main h3").all_inner_texts()
    assert headings == [g for g in [*GROUPS, OTHER] if g in headings]  # ㄱㄴㄷ order, digits and Latin last
    assert {"ㄱ", "ㅅ", "ㅈ", OTHER} <= set(headings)
    hrefs = set(page.locator(".name-index a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    projects = {f"../projects/{p.stem}/index.html" for p in (PROJECT / "content/projects").glob("*.yaml")}
    departments = {f"../departments/{p.stem}/index.html" for p in (PROJECT / "content/departments").glob("*.yaml")}
    assert hrefs == projects | departments
    under = dict(page.locator(".name-group").evaluate_all(
        "groups => groups.map(g => [g.querySelector('h3').textContent, g.querySelector('ul').innerText])"))
    ss = under["ㅅ"]
    assert "서울기록원" in ss and "서울기록원 운영 관리" in ss
    gg = under["ㄱ"]
    assert "(구)업무관리시스템 운영" in gg
    context.close()
    assert errors == []


def test_real_site_index_stays_small(real_site):
    """No page loads the index (test_search_lazy.py); a first query loads the
    map, one part and a chunk of records, each well under 100 KB."""
    files = [real_site / "assets/search-index.js", *(real_site / "assets/search").iterdir()]
    assert max(f.stat().st_size for f in files) < 100_000 and len(files) < 30
    assert {e["k"] for e in read_index(real_site)} == {"부서", "사업", "용어", "과제", "의견"}


def test_section_entries_link_only_to_anchors(fixture_site):
    from budgetsite.pipeline import Paths

    from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES
    site = check(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "site"))
    for e in section_entries(site):
        path, anchor = e["u"].split("#")
        assert f'id="{anchor}"' in (fixture_site / path).read_text(encoding="utf-8")
