"""The answer first, measured in Chromium from file://: the home page's first
screen shows the bureau's key figures and the largest changes, on a desktop
and on a phone; a project page opens with its key figures."""
import pytest

from .test_browser import browser  # noqa: F401

SCREENS = [(1280, 800), (360, 740)]


def _boxes(browser, site, path, width, height, selectors):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto((site / path).resolve().as_uri())
    found = {s: page.evaluate(
        "s => { const e = document.querySelector(s); if (!e) return null;"
        " const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }", s) for s in selectors}
    first_item = page.evaluate(
        "() => { const li = document.querySelector('.largest-changes li');"
        " return li ? li.getBoundingClientRect().bottom : null; }")
    context.close()
    return found, first_item


@pytest.mark.parametrize("width, height", SCREENS)
def test_home_first_screen_shows_key_figures_and_largest_changes(browser, real_site, width, height):  # noqa: F811
    found, first_item = _boxes(browser, real_site, "index.html", width, height, [".key-figures", ".largest-changes"])
    key, changes = found[".key-figures"], found[".largest-changes"]
    assert key and key["bottom"] <= height, f"key figures end at {key} on a {width}×{height} screen"
    assert changes and changes["top"] < height, f"largest changes start at {changes}"
    if width >= 1000:
        assert first_item is not None and first_item <= height  # on a desktop, the first entry itself


def test_home_narrative_folds_to_one_line(browser, real_site):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto((real_site / "index.html").resolve().as_uri())
    notes = page.locator("section[aria-labelledby='bureau-notes-h'] details.note")
    assert notes.count() >= 2
    for i in range(notes.count()):
        summary = notes.nth(i).locator("summary")
        assert notes.nth(i).get_attribute("open") is None
        assert summary.bounding_box()["height"] < 40  # one line
        assert "더 보기" in summary.inner_text()
    notes.first.locator("summary").click()
    assert notes.first.get_attribute("open") is not None
    context.close()


@pytest.mark.parametrize("width, height", SCREENS)
def test_project_page_opens_with_its_key_figures(browser, real_site, width, height):  # noqa: F811
    found, _ = _boxes(browser, real_site, "projects/intelligent-cctv-upgrade/index.html", width, height,
                      [".key-figures", ".prose", "table"])
    assert found[".key-figures"]["top"] < height
    assert found[".key-figures"]["top"] < found[".prose"]["top"] < found["table"]["top"]
