"""Search that costs nothing until used (issue 28 §2): no page loads any of
the index before the reader comes to the box; a query loads the map, the
part of its first letter and the records it shows, as <script src> from
file://; every entry is in the part of each letter its names can be found
from. How the index is split: budgetsite/search.py."""
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from budgetsite.search import KEYS, _rows, key_of, read_index

from .test_browser import browser  # noqa: F401  (the shared browser fixture)

LIMIT = 50_000  # bytes of search data a page may load before the reader types


def test_a_letters_key_is_its_initial_folded_or_its_kind():
    assert [key_of(c) for c in "서ㅅ싸ㅆ까ㄲ빅a3é"] == ["ㅅ", "ㅅ", "ㅅ", "ㅅ", "ㄱ", "ㄱ", "ㅂ", "a", "0", "?"]
    assert set(KEYS) == {"ㄱ", "ㄴ", "ㄷ", "ㄹ", "ㅁ", "ㅂ", "ㅅ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ", "a", "0", "?"}


def test_an_entry_is_in_every_part_its_names_and_words_can_be_found_from():
    rows = _rows("빅데이터캠퍼스운영", "ㅂㄷㅇㅌㅋㅍㅅㅇㅇ", ["중국산", "빅데이터"])
    assert set(rows) == {"ㅂ", "ㄷ", "ㅇ", "ㅌ", "ㅋ", "ㅍ", "ㅅ", "ㅈ", "ㄱ"}
    assert rows["ㅋ"] == '"빅데이터캠퍼스운영","ㅂㄷㅇㅌㅋㅍㅅㅇㅇ"'  # no word holds a ㅋ
    assert rows["ㄷ"].endswith(',"데이터"')   # the word from its first ㄷ: 데이터 finds it, 빅 is not needed
    assert rows["ㅅ"].endswith(',"산"')       # 중국산: a ㅅ query can only start at 산
    assert rows["ㅂ"].endswith(',"빅데이터"')
    assert rows["ㅈ"] == '0,0,"중국산"' and rows["ㄱ"] == '0,0,"국산"'  # no name holds them: the words alone


def test_real_site_every_entry_is_in_the_part_of_each_letter_of_its_names(real_site):
    """Infix search (캠퍼스 finds 빅데이터 캠퍼스 운영) needs the entry in the part
    of every letter of its names and 초성."""
    entries = read_index(real_site)
    held: dict[str, set[int]] = {}
    for key, name in KEYS.items():
        path = real_site / "assets/search" / f"{name}.js"
        if path.exists():
            text = path.read_text(encoding="utf-8")
            held[key] = {int(row.split(",", 1)[0]) for row in text[text.index("]=[[") + 4:].split("],[")}
    for i, e in enumerate(entries):
        for ch in (e.get("n", "") + e.get("c", "")).replace("|", ""):
            assert i in held[key_of(ch)], (e["t"], ch)


def _watch(browser, site: Path, path: str):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    loaded: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: loaded.append(unquote(urlsplit(r.url).path)))
    page.goto(site.resolve().as_uri() + "/" + path)
    page.wait_for_load_state("load")
    return context, page, loaded, errors


def _search_files(site: Path, loaded: list[str]) -> list[str]:
    root = str(site.resolve())
    return [u[len(root) + 1:] for u in loaded if u.startswith(root + "/assets/search") and not u.endswith("/search.js")]


def _typed(page, query):
    page.fill("#site-search-input", query)
    page.wait_for_selector("#site-search:not([data-loading])", state="attached")
    return page.locator("#site-search-results li > a").all_inner_texts()


@pytest.mark.parametrize("path", ["index.html", "projects/big-data-campus/index.html",
                                  "departments/data-center/index.html", "glossary/index.html",
                                  "search/index.html", "projects/index.html"])
def test_real_site_no_page_loads_search_data_before_the_reader_types(browser, real_site, path):  # noqa: F811
    context, page, loaded, errors = _watch(browser, real_site, path)
    page.wait_for_timeout(300)
    before = _search_files(real_site, loaded)
    assert sum((real_site / f).stat().st_size for f in before) <= LIMIT
    assert before == []  # nothing at all, in fact
    page.focus("#site-search-input")  # coming to the box brings the map only
    page.wait_for_selector("#site-search:not([data-loading])", state="attached")
    assert _search_files(real_site, loaded) == ["assets/search-index.js"]
    assert (real_site / "assets/search-index.js").stat().st_size <= LIMIT
    context.close()
    assert errors == []


@pytest.mark.parametrize("query, parts", [
    ("캠퍼스", ["k"]),               # inside a name: the part of its first letter only
    ("ㅅㅇㄱㄹㅇ", ["s"]),           # 초성
    ("빠", ["b"]),                   # ㅃ is folded into ㅂ
    ("씨씨티비", ["s", "latin"]),    # and each alias rewrite's first letter (cctv)
    ("서울기륵원", ["s"]),           # a guess with one letter wrong also reads its second letter's part: ㅇ
])
def test_real_site_a_query_loads_only_its_parts(browser, real_site, query, parts):  # noqa: F811
    context, page, loaded, errors = _watch(browser, real_site, "index.html")
    results = _typed(page, query)
    assert results, query
    files = _search_files(real_site, loaded)
    got = sorted(f.removeprefix("assets/search/").removesuffix(".js") for f in files if f.startswith("assets/search/")
                 and "records-" not in f)
    expected = sorted(parts + (["o"] if query == "서울기륵원" else []))
    assert got == expected, files
    assert files[0] == "assets/search-index.js" and len(files) == len(set(files))  # each once
    # Another query from the same letter loads nothing more (the real site's records are one chunk).
    count = len(loaded)
    _typed(page, query[:2])
    assert len(loaded) == count
    context.close()
    assert errors == []


def test_real_site_the_first_query_waits_without_saying_no_result(browser, real_site):  # noqa: F811
    """While a part is on its way nothing negative is said, and the answer comes."""
    context, page, loaded, errors = _watch(browser, real_site, "index.html")
    said = []
    page.expose_function("said", lambda text: said.append(text))
    page.evaluate("""const box = document.getElementById('site-search-status');
                     new MutationObserver(() => window.said(box.textContent))
                       .observe(box, {childList: true, characterData: true, subtree: true})""")
    page.type("#site-search-input", "빅데이터캠퍼스", delay=5)
    page.wait_for_selector("#site-search:not([data-loading])", state="attached")
    page.wait_for_timeout(100)
    assert not any("없습니다" in s for s in said), said
    assert any("빅데이터 캠퍼스" in r for r in page.locator("#site-search-results li > a").all_inner_texts())
    context.close()
    assert errors == []


def test_real_site_all_results_page_loads_its_parts_and_every_record_it_lists(browser, real_site):  # noqa: F811
    context, page, loaded, errors = _watch(browser, real_site, "search/index.html?q=%EC%A0%95%EB%B3%B4")  # 정보
    page.wait_for_selector("#search-all-results li:nth-child(13)", state="attached")
    page.wait_for_selector("#site-search:not([data-loading])", state="attached")
    assert page.inner_text("#search-all-status").startswith("'정보' 검색 결과")
    assert "assets/search/j.js" in _search_files(real_site, loaded)
    titles = page.locator("#search-all-results li > a").all_inner_texts()
    assert all(t.strip() for t in titles)
    context.close()
    assert errors == []
