import shutil
from pathlib import Path

import pytest

from budgetsite.pipeline import Paths, build

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"
FIXTURE_SOURCES = TESTS / "fixtures" / "sources"


def is_embed(path: Path) -> bool:
    """A chart's embed page (embed/<chart id>.html beside its page, render/embeds.py):
    a file its page writes, not a page of the site (no navigation, not in the sitemap)."""
    return path.parent.name == "embed" and path.name != "index.html" and path.suffix == ".html"


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the small fixture content, free to break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def paths(content, tmp_path) -> Paths:
    return Paths(PROJECT, content, FIXTURE_SOURCES, tmp_path / "site")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "site"
    build(Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, out))
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The site built from the real content in content/."""
    out = tmp_path_factory.mktemp("real") / "site"
    paths = Paths.default(out=out)
    if not paths.sources.exists():
        pytest.skip(f"source texts not found at {paths.sources}")
    build(paths)
    return out
