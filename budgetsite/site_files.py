"""Every file the site has once, whatever its pages, declared in one list:
the assets, the search index, the icons, the sitemap, robots.txt, and the
mark that the folder is this generator's. (Each page's own files, its table
downloads and the data package on the data page, come with the page:
registry.py.)

Adding one is a SiteFile in SITE_FILES: a function of what the build has
(SiteParts) giving (path in site/, body) pairs; a body that is a Path is
copied as it is.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import charts, editions, icons, search
from .model import Site
from .render import Page
from .write import MARKER, MARKER_TEXT

Body = str | bytes | Path


@dataclass
class SiteParts:
    """What a site-wide file may be made from."""
    site: Site
    pages: list[Page]
    static: Path          # the project's static/ folder
    cache: Path           # .build-cache/
    env: Any              # the Jinja environment
    memory: Any           # the Builder's Memory: made things kept between builds


@dataclass(frozen=True)
class SiteFile:
    name: str
    make: Callable[[SiteParts], Iterable[tuple[str, Body]]]


def _chart_library(parts: SiteParts) -> Iterable[tuple[str, Body]]:
    bundle = charts.bundle_name()
    if not (parts.static / bundle).is_file():  # vl-convert upgraded, static/ not yet
        yield f"assets/{bundle}", charts.javascript_bundle(parts.cache / "js")


def _static(parts: SiteParts) -> Iterable[tuple[str, Body]]:
    return [(f"assets/{asset.name}", asset) for asset in sorted(parts.static.iterdir())]


def _icons(parts: SiteParts) -> Iterable[tuple[str, Body]]:
    return icons.files((parts.static / "favicon.svg").read_text(encoding="utf-8")).items()


def _sitemap(parts: SiteParts) -> Iterable[tuple[str, Body]]:
    """Pages that are their own (no 404, no page repeating another). The
    last one is kept (Memory.sitemaps): slow with many pages."""
    template = parts.env.get_template("sitemap.xml")
    key = (template, parts.site.base_url, tuple(p.path for p in parts.pages if not p.absolute and not p.canonical))
    kept = parts.memory.sitemaps
    if key not in kept:
        kept.clear()
        kept[key] = template.render(base_url=key[1], paths=key[2])
    yield "sitemap.xml", kept[key]


SITE_FILES = [
    SiteFile("chart library", _chart_library),
    SiteFile("search index", lambda parts: search.index_files(parts.site, parts.memory.search_entries)),
    SiteFile("static files", _static),
    SiteFile("icons", _icons),
    SiteFile("sitemap", _sitemap),
    SiteFile("robots", lambda parts: [("robots.txt",
                                       f"User-agent: *\nAllow: /\n\nSitemap: {parts.site.base_url}sitemap.xml\n")]),
    SiteFile("feed of editions", lambda parts: [("feed.xml", editions.feed(parts.site))]),
    SiteFile("no Jekyll on GitHub Pages", lambda parts: [(".nojekyll", "")]),
    SiteFile("this generator's mark", lambda parts: [(MARKER, MARKER_TEXT)]),
]


def write(out, parts: SiteParts) -> None:
    """Write every site-wide file through the writer out."""
    for kind in SITE_FILES:
        for name, body in kind.make(parts):
            if isinstance(body, Path):
                out.copy(body, name)
            else:
                out.write(name, body)
