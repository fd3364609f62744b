"""The real site on a 360px phone, in headless Chromium from file://: numbers
and names never break inside themselves, a wide table keeps its name column
in view while it scrolls, and the discrepancies page stays a few dozen
screens long while still holding every recorded difference."""
from pathlib import Path

import pytest
import yaml

from .conftest import PROJECT
from .test_browser import browser  # noqa: F401  (the shared browser fixture)

PHONE = {"width": 360, "height": 740}
SCREEN = PHONE["height"]

# Pages whose tables hold amounts, years, dates and rates next to names.
TABLE_PAGES = ["index.html", "departments/spatial-information/index.html",
               "projects/intelligent-cctv-upgrade/index.html", "compare/index.html",
               "projects/index.html", "departments/index.html"]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def open_page(page, site: Path, path: str):
    page.goto(site.resolve().as_uri() + "/" + path)
    # Fonts decide where lines break: measure with the real ones.
    page.evaluate("document.fonts.ready.then(() => true)")


# Every number (17,060 · 2024-05-31 · △17.2% · 2019- · 2020년) and every word
# of a name in a table header cell, as Ranges: one that lies on more than one
# line has been broken inside itself. Folded sections are opened first so
# that their tables are measured too.
BROKEN = r"""
() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const number = /[△▲+\-−]?\d[\d,.\-]*%?년?/g;
  const lines = (node, start, end, endNode = node) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(endNode, end);
    const tops = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0).map(r => r.top);
    return tops.length ? Math.max(...tops) - Math.min(...tops) : 0;
  };
  const seen = new Set();
  const numbers = [], names = [];
  let checked = 0;
  for (const el of document.querySelectorAll("td, th, .stage-tag")) {
    if (el.closest(".visually-hidden")) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seen.has(node) || node.parentElement.closest(".visually-hidden")) continue;
      seen.add(node);
      for (const m of node.data.matchAll(number)) {
        checked++;
        if (lines(node, m.index, m.index + m[0].length) > 1)
          numbers.push(m[0] + " in «" + el.textContent.trim().slice(0, 60) + "»");
      }
    }
  }
  // A name's words, each as one Range, whatever elements the link wraps them in.
  for (const a of document.querySelectorAll("th a")) {
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    const at = [];  // [node, offset] of each character of the link's text
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) at.push([node, i]);
    }
    const text = at.map(([node, i]) => node.data[i]).join("");
    for (const m of text.matchAll(/\S+/g)) {
      checked++;
      const [first, start] = at[m.index], [last, end] = at[m.index + m[0].length - 1];
      if (lines(first, start, end + 1, last) > 1) names.push(m[0] + " in «" + text.trim() + "»");
    }
  }
  return {numbers, names, checked};
}
"""


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_no_number_or_name_breaks_inside_itself_on_a_phone(phone, real_site, path):
    open_page(phone, real_site, path)
    found = phone.evaluate(BROKEN)
    assert found["checked"] > 20, f"{path}: too few numbers found to check ({found['checked']})"
    assert found["numbers"] == [], f"{path}: numbers broken over two lines: {found['numbers'][:10]}"
    assert found["names"] == [], f"{path}: names broken inside a word: {found['names'][:10]}"


def recorded_discrepancies() -> int:
    """Every entry under a `discrepancies:` key in the content, at any depth."""
    def count(x) -> int:
        if isinstance(x, dict):
            return sum(len(v or []) if k == "discrepancies" and isinstance(v, list) else count(v)
                       for k, v in x.items())
        if isinstance(x, list):
            return sum(count(v) for v in x)
        return 0
    return sum(count(yaml.safe_load(f.read_text(encoding="utf-8")))
               for f in sorted((PROJECT / "content").rglob("*.yaml")))


def test_discrepancies_page_is_short_on_a_phone_and_keeps_every_difference(phone, real_site):
    expected = recorded_discrepancies()
    assert expected > 100
    open_page(phone, real_site, "discrepancies/index.html")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 30000, f"the page is {height}px tall, {height / SCREEN:.0f} screens"
    cards = phone.locator(".discrepancy-card")
    assert cards.count() == expected
    # Each group says how many it folds, and the counts add up.
    summaries = phone.evaluate("""() => Array.from(document.querySelectorAll('details.discrepancy-group')).map(d =>
        [d.querySelector('summary').textContent, d.querySelectorAll('.discrepancy-card').length])""")
    assert sum(n for _, n in summaries) == expected
    for text, n in summaries:
        assert f"{n}건" in text, text
    # Folded, not gone: opened, every card shows its stage, difference or explanation, and source.
    phone.evaluate("document.querySelectorAll('details.discrepancy-group').forEach(d => { d.open = true; })")
    for i in (0, expected // 2, expected - 1):
        card = cards.nth(i)
        assert card.is_visible()
        text = card.inner_text()
        assert "년" in text and card.locator("a[href*='sources/']").count() == 1, text


def test_each_kind_of_discrepancy_has_a_short_page_of_its_own(phone, real_site):
    """A reader narrows the register to one kind by a link (no script): each
    kind's page is short too, and the kinds' pages hold every card once."""
    expected = recorded_discrepancies()
    open_page(phone, real_site, "discrepancies/index.html")
    links = phone.evaluate("() => Array.from(document.querySelectorAll('.kind-counts a.kind-name')).map(a => a.href)")
    assert len(links) >= 4
    total = 0
    for url in links:
        phone.goto(url)
        phone.evaluate("document.fonts.ready.then(() => true)")
        height = phone.evaluate("document.documentElement.scrollHeight")
        assert height <= 30000, f"{url} is {height}px tall, {height / SCREEN:.0f} screens"
        total += phone.locator(".discrepancy-card").count()
    assert total == expected


def test_wide_table_keeps_its_name_column_in_view_when_scrolled(phone, real_site):
    open_page(phone, real_site, "projects/index.html")
    found = phone.evaluate("""() => {
      const scroller = document.querySelector('.table-scroll');
      scroller.scrollLeft = 300;
      const box = scroller.getBoundingClientRect();
      const cell = scroller.querySelector('tbody tr > :first-child');
      const head = scroller.querySelector('thead tr > :first-child');
      return {scrolled: scroller.scrollLeft, left: box.left, right: box.right,
              cell: cell.getBoundingClientRect().left, head: head.getBoundingClientRect().left,
              background: getComputedStyle(cell).backgroundColor};
    }""")
    assert found["scrolled"] >= 100, f"the table does not scroll: {found}"
    assert found["left"] - 1 <= found["cell"] < found["right"], found
    assert found["left"] - 1 <= found["head"] < found["right"], found
    # Opaque, or the scrolled amounts would show through the names.
    assert found["background"] not in ("transparent", "rgba(0, 0, 0, 0)"), found
