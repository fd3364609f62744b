"""Glossary terms: the first use on a page links to the definition, which
shows on hover and focus and can be dismissed."""
import re

from budgetsite.model import Term
from budgetsite.terms import Linker

from .test_browser import browser  # noqa: F401  (the shared browser fixture)

TERMS = [Term("예산현액", "current-budget", ["현액"], "<p>올해 쓸 수 있는 예산의 전부입니다. 이월액을 더합니다.</p>", None),
         Term("이월", "carry-over", [], "<p>다음 해로 넘기는 돈입니다.</p>", None),
         Term("전년도이월액", "carried-in", [], "<p>지난해에서 넘어온 돈입니다.</p>", None),
         Term("API", "api", [], "<p>프로그램끼리 주고받는 창구입니다.</p>", None),
         Term("세부사업", "detailed", ["사업"], "<p>가장 작은 단위입니다.</p>", None)]


def page(body):
    return f"<html><body><header><p>예산현액</p></header><main id=\"main\">{body}</main><footer>예산현액</footer></body></html>"


def links(html):
    return re.findall(r'<a href="([^"]+)" aria-describedby="([^"]+)">([^<]+)</a>', html)


def test_first_use_only_and_only_inside_main():
    html = Linker(TERMS).link(page("<p>예산현액은 크다. 예산현액이 또 나온다.</p><p>현액</p>"), "../")
    assert links(html) == [("../glossary/index.html#current-budget", "term-tip-current-budget", "예산현액")]
    assert html.startswith("<html><body><header><p>예산현액</p></header>")  # header and footer untouched
    assert html.endswith("<footer>예산현액</footer></body></html>")
    # The tooltip holds the definition's first sentence, as plain text.
    assert '<span class="term-tip" role="tooltip" id="term-tip-current-budget">올해 쓸 수 있는 예산의 전부입니다.</span>' in html


def test_longest_term_wins_and_latin_needs_a_word_boundary():
    html = Linker(TERMS).link(page("<p>전년도이월액과 이월, RAPID와 API 연동</p>"), "")
    assert [t for _, _, t in links(html)] == ["전년도이월액", "이월", "API"]


def test_not_inside_links_headings_tables_scripts_or_charts():
    body = ('<h2>예산현액</h2><a href="x">예산현액</a><table id="t"><tr><td>예산현액</td></tr></table>'
            '<script type="application/json">{"a": "예산현액 <b"}</script><svg><text>예산현액</text></svg>'
            '<figure><figcaption>예산현액</figcaption></figure><p>끝으로 예산현액</p>')
    html = Linker(TERMS).link(page(body), "")
    assert len(links(html)) == 1 and html.count("term-tip-current-budget") == 2
    assert html.index("aria-describedby") > html.index("끝으로")


def test_common_words_among_aliases_are_not_linked():
    assert links(Linker(TERMS).link(page("<p>이 사업은</p>"), "")) == []


def test_every_term_link_on_the_real_site_points_at_a_definition(real_site):
    glossary = (real_site / "glossary/index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'<dt id="([^"]+)"', glossary))
    pages_with_links = 0
    for path in real_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        found = links(html)
        targets = [href.split("#")[1] for href, _, _ in found]
        assert len(targets) == len(set(targets)), f"{path}: a term linked twice"
        assert set(targets) <= ids
        for _, tip, _ in found:
            assert html.count(f'id="{tip}"') == 1
        pages_with_links += bool(found)
    assert pages_with_links > 50


def test_definition_shows_on_focus_and_hover_and_escape_hides_it(browser, real_site):  # noqa: F811
    context = browser.new_context()
    tab = context.new_page()
    tab.goto((real_site / "projects/virtual-seoul-3d/index.html").resolve().as_uri())
    term = tab.locator("main .term").first
    tip = term.locator(".term-tip")
    assert not tip.is_visible()
    term.locator("a").focus()
    assert tip.is_visible()
    tab.keyboard.press("Escape")
    assert not tip.is_visible()
    tab.locator("h1").hover()
    term.locator("a").hover()
    assert tip.is_visible()
    context.close()


def test_a_term_must_start_a_word_and_not_run_into_a_longer_one():
    terms = TERMS + [Term("보조금", "subsidy", [], "<p>보조금입니다.</p>", None),
                     Term("기록관", "archive", [], "<p>기록관입니다.</p>", None)]
    html = Linker(terms).link(page("<p>자체보조금 반환, 영구기록관리시스템, 서울기록관은 아님, 기록관은 보존합니다</p>"), "")
    assert [t for _, _, t in links(html)] == ["기록관"]
    assert html.split('<span class="term">')[0].endswith("서울기록관은 아님, ")  # the last one is linked


def test_tooltips_stay_on_a_360px_screen(browser, real_site):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.goto((real_site / "index.html").resolve().as_uri())
    terms = tab.locator("main .term > a")
    assert terms.count() > 5
    for i in range(terms.count()):
        if not terms.nth(i).is_visible():  # inside a folded section: no tooltip to show until it is opened
            continue
        terms.nth(i).focus()
        box = terms.nth(i).locator("xpath=following-sibling::span[@class='term-tip']").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, (i, box)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
