"""The pages long lists make (issue 28 §3), visited in Chromium from file:// at
a desktop's and a phone's width: no WCAG 2.1 A/AA violation (axe-core), no
console error, no request leaving the site, nothing wider than the screen.
The real site has no list long enough to make them, so every limit is
lowered here on small synthetic content."""
import re
import sys

import pytest

from budgetsite.pipeline import Paths, build
from budgetsite.render import limits

from .conftest import PROJECT
from .test_browser import browser, visit  # noqa: F401  (the shared browser fixture)
from .test_build_cache import fresh_root

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402

LOWERED = {"PROJECTS_PER_PAGE": 12, "DEPARTMENT_PROJECTS_PER_PAGE": 8, "COMPARE_FULL_UP_TO": 20,
           "COMPARE_SHOWN_EACH_WAY": 4, "COMPOSITION_PER_DEPARTMENT": 3, "NAMES_ON_ONE_PAGE": 10,
           "DEPARTMENT_STAGES_ON_HOME": 2}


@pytest.fixture(scope="module")
def long_site(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    for name, value in LOWERED.items():
        patch.setattr(limits, name, value)
    tmp = tmp_path_factory.mktemp("long-browser")
    made = generate(tmp / "synthetic", projects=40, departments=3)
    paths = Paths(fresh_root(tmp), made / "content", made / "sources", tmp / "site")
    try:
        build(paths)
    finally:
        patch.undo()
    return paths.out


def _pages(site) -> list[str]:
    """One page of each kind a long list makes, found in the built site."""
    def first(pattern: str) -> str:
        found = sorted(p.relative_to(site).as_posix() for p in site.glob(pattern))
        assert found, f"no page {pattern}: the lowered limits made none"
        return found[0]
    compare = next(p.relative_to(site).as_posix() for p in sorted(site.glob("compare/*-*/index.html"))
                   if (p.parent / "changes.csv").is_file())
    return ["index.html", "departments/index.html", "projects/index.html", first("projects/page-*/index.html"),
            first("departments/*/projects/page-*/index.html"), compare, "search/index.html",
            first("search/names/*/index.html"), "composition/index.html"]


@pytest.mark.parametrize("width", [1024, 360])
def test_the_pages_long_lists_make_pass_axe_and_stay_inside_the_screen(browser, long_site, width):  # noqa: F811
    pages = _pages(long_site)
    grouped = (long_site / "composition/index.html").read_text(encoding="utf-8")
    assert "그 밖의 사업" in grouped and re.search(r'aria-current="page"', (long_site / pages[3]).read_text("utf-8"))
    for path in pages:
        seen = visit(browser, long_site, path, width=width, audit=True)
        assert seen["violations"] == [], f"{path}: {seen['violations']}"
        assert seen["errors"] == [] and seen["outside"] == [], f"{path}: {seen['errors'] + seen['outside']}"
        assert seen["overflow"] <= 0, f"{path} is {seen['overflow']} px wider than a {width} px screen"
