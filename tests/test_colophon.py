"""Who runs the site, under which licences, in which edition, and where a
reader reports an error (issue 25 §4): said in every page's footer and in
the data package, from content/site.yaml; and a build meant for GitHub Pages
refuses a placeholder base URL."""
import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from budgetsite.model import placeholder_url
from budgetsite.pipeline import Builder, build
from budgetsite.problems import ContentError, SettingError

from .conftest import PROJECT
from .test_failures_said import run, said

REAL_SITE_YAML = yaml.safe_load((PROJECT / "content/site.yaml").read_text(encoding="utf-8"))

COLOPHON = """
publisher:
  name: 시험 편집팀
  email: team@city.kr
licence:
  content: {name: 공공누리 제1유형, url: "https://www.kogl.or.kr/info/licenseType1.do", spdx: KOGL-Type1}
  data: {name: CC BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/deed.ko", spdx: CC-BY-4.0}
"""


def _footer(page: Path):
    return lxml_html.fromstring(page.read_bytes()).find(".//footer")


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "embed" not in p.parts)


def test_every_page_of_the_real_site_names_its_publisher_licences_and_edition(real_site):
    publisher = REAL_SITE_YAML["publisher"]["name"]
    licences = {(v["url"], v["name"]) for v in REAL_SITE_YAML["licence"].values()}
    edition = REAL_SITE_YAML["edition"]["date"]
    pages = _pages(real_site)
    assert len(pages) > 100
    for page in pages:
        footer = _footer(page)
        assert footer is not None, page
        text = footer.text_content()
        assert publisher in text and edition in text, page
        shown = {(a.get("href"), a.text_content()) for a in footer.iter("a") if a.get("rel") == "license"}
        assert shown == licences, page


def test_the_data_package_carries_the_same_licence_publisher_and_edition(real_site):
    package = json.loads((real_site / "data/datapackage.json").read_text(encoding="utf-8"))
    data = REAL_SITE_YAML["licence"]["data"]
    assert package["licenses"] == [{"name": data["spdx"], "path": data["url"], "title": data["name"]}]
    assert package["contributors"][0]["title"] == REAL_SITE_YAML["publisher"]["name"]
    assert package["version"] == REAL_SITE_YAML["edition"]["date"]


def _add(content: Path, text: str, base_url: str | None = None) -> None:
    site_yaml = content / "site.yaml"
    body = site_yaml.read_text(encoding="utf-8")
    if base_url:
        body = re.sub(r"(?m)^base_url: .*$", f"base_url: {base_url}", body)
    site_yaml.write_text(body + text, encoding="utf-8")


def _colophon_of(paths) -> tuple[str, dict[str, str]]:
    """The footer's text and its links by label, on the home page."""
    footer = _footer(paths.out / "index.html")
    return footer.text_content(), {a.text_content(): a.get("href") for a in footer.iter("a")}


def test_the_footer_says_what_site_yaml_says(paths, content):
    _add(content, COLOPHON)
    build(paths)
    text, links = _colophon_of(paths)
    assert "운영: 시험 편집팀" in text
    assert links["team@city.kr"] == "mailto:team@city.kr"
    assert links["공공누리 제1유형"] == "https://www.kogl.or.kr/info/licenseType1.do"
    assert links["CC BY 4.0"] == "https://creativecommons.org/licenses/by/4.0/deed.ko"
    # A custom address and no report_url: no 「오류 제보」 link to guess at.
    assert "오류 제보" not in links


def test_on_github_pages_errors_are_reported_on_the_repository(paths, content):
    _add(content, COLOPHON, base_url="https://seoul-budget.github.io/digital/")
    build(paths)
    assert _colophon_of(paths)[1]["오류 제보"] == "https://github.com/seoul-budget/digital/issues/new"


def test_a_report_url_in_site_yaml_is_used_as_given(paths, content):
    _add(content, COLOPHON.replace("  email: team@city.kr\n", "  report_url: https://city.kr/report\n"),
         base_url="https://seoul-budget.github.io/digital/")
    build(paths)
    assert _colophon_of(paths)[1]["오류 제보"] == "https://city.kr/report"


def test_without_a_colophon_the_footer_says_nothing_made_up(fixture_site):
    footer = _footer(fixture_site / "index.html")
    assert footer.find(".//*[@class='colophon']") is None
    assert not [a for a in footer.iter("a") if a.get("rel") == "license"]


@pytest.mark.parametrize("url, placeholder", [
    ("https://example.github.io/budget-site/", True),
    ("https://example.org/test/", True),
    ("https://www.example.com/", True),
    ("https://budget.example/", True),
    ("https://site.invalid/", True),
    ("http://localhost:8000/", True),
    ("https://seoul-budget.github.io/digital/", False),
    ("https://examples.com/", False),
    ("https://example-city.github.io/budget/", False),
    ("https://budget.seoul.go.kr/", False),
])
def test_placeholder_addresses_are_told_from_real_ones(url, placeholder):
    assert placeholder_url(url) is placeholder


def test_a_pages_build_refuses_the_placeholder_in_site_yaml(paths):
    build(paths)  # a local build: the placeholder is only refused for Pages
    before = (paths.out / "index.html").read_bytes()
    with pytest.raises(ContentError) as e:
        Builder(paths, pages=True).build()
    [problem] = e.value.problems
    assert (problem.file, problem.line, problem.field) == ("content/site.yaml", 4, "base_url")
    assert "자리표시 주소" in problem.message
    assert (paths.out / "index.html").read_bytes() == before


def test_a_pages_build_refuses_a_placeholder_given_on_the_command_line(paths):
    with pytest.raises(SettingError, match="--base-url"):
        Builder(paths, base_url="https://example.com/budget/", pages=True).build()
    assert not paths.out.exists()


def test_a_pages_build_with_a_real_address_is_made(paths):
    Builder(paths, base_url="https://seoul-budget.github.io/digital/", pages=True).build()
    assert '<link rel="canonical" href="https://seoul-budget.github.io/digital/index.html">' in \
        (paths.out / "index.html").read_text(encoding="utf-8")


def test_build_py_pages_says_where_the_placeholder_is(content, tmp_path):
    from .conftest import FIXTURE_SOURCES
    result = run("--pages", "--content", content, "--sources", FIXTURE_SOURCES, "--out", tmp_path / "out")
    said(result, "site.yaml:4", "[base_url]", "자리표시 주소")
    assert not (tmp_path / "out").exists()


def test_the_pages_workflow_builds_with_pages():
    workflow = (PROJECT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    [command] = [line for line in workflow.splitlines() if "./build.sh" in line and "run:" in line]
    assert "--pages" in command.split()


def test_a_chart_embedded_elsewhere_names_the_data_licence(real_site):
    data = REAL_SITE_YAML["licence"]["data"]
    embeds = sorted(real_site.rglob("embed/*.html"))
    assert len(embeds) > 50
    for embed in embeds:
        links = lxml_html.fromstring(embed.read_bytes()).xpath("//a[@rel='license']")
        assert [(a.get("href"), a.text_content()) for a in links] == [(data["url"], data["name"])], embed
