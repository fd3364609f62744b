"""The pipeline: load → validate → model → charts/render → write.

Reads like the specification of a build, as MkDocs' build() does.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import charts, data, freshness, icons, publish, render, search, terms
from .load import load_content
from .model import Site, build_site
from .problems import ContentError
from .validate import validate
from .write import staged_output

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Paths:
    root: Path      # the project: templates/, static/
    content: Path   # the YAML and Markdown to publish
    sources: Path   # text of the source documents, for checking line references
    out: Path

    @property
    def cache(self) -> Path:
        """Build-time drawings kept between builds, keyed by content hash
        (safe to delete; never published)."""
        return self.root / ".build-cache"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @classmethod
    def default(cls, content: Path | None = None, sources: Path | None = None, out: Path | None = None) -> "Paths":
        root = PROJECT_ROOT
        return cls(root, content or root / "content", sources or root.parent / "shared" / "sources",
                   out or root / "site")


def check(paths: Paths, tally: Counter | None = None) -> Site:
    """Load and validate everything; raise ContentError with every problem.
    tally, if given, receives the reconciliation counts per document."""
    content = load_content(paths.content)
    problems = validate(content, paths.sources, tally)
    if problems:
        raise ContentError(problems)
    return build_site(content)


def build(paths: Paths, progress=None, base_url: str | None = None) -> int:
    """Build the whole site into paths.out; returns the number of files in it.
    base_url, if given, replaces site.yaml's (e.g. the Pages URL from CI).
    When no input changed since the last build and site/ is untouched, there
    is nothing to do."""
    fingerprint = freshness.inputs_fingerprint(paths, base_url)
    unchanged = freshness.up_to_date(paths, fingerprint)
    if unchanged is not None:
        return unchanged
    count = _build(paths, progress, base_url)
    freshness.remember(paths, fingerprint)
    return count


def _build(paths: Paths, progress, base_url: str | None) -> int:
    site = check(paths)
    if base_url:
        site.base_url = base_url.rstrip("/") + "/"
    guide = (paths.content / "pages" / "guide.md").read_text(encoding="utf-8")
    downloads = data.files(site)
    pages = render.all_pages(site, guide, downloads)
    charts.draw_svgs([c for p in pages for c in p.charts], paths.cache / "svg")
    env = render.environment(paths.templates)
    with staged_output(paths.out) as out:
        _write_pages(out, env, site, pages, paths, progress)
        for name, body in downloads.items():
            out.write(f"data/{name}", body)
        _write_assets(out, site, paths)
        out.write("sitemap.xml", env.get_template("sitemap.xml").render(
            site=site, pages=[p for p in pages if not p.absolute and not p.canonical]))
        out.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}sitemap.xml\n")
        out.write(".nojekyll", "")
        return out.count


def _write_pages(out, env, site: Site, pages: list[render.Page], paths: Paths, progress) -> None:
    """Each page, the downloads of its tables beside it, its glossary terms linked."""
    css = (paths.static / "style.css").read_text(encoding="utf-8")
    make = publish.PageFiles(env, site, charts.bundle_name(), css, terms.Linker(site.glossary))
    publish.write_pages(out, make, pages, progress)


def _write_assets(out, site: Site, paths: Paths) -> None:
    out.write(f"assets/{charts.bundle_name()}", charts.javascript_bundle(paths.cache / "js"))
    out.write("assets/search-index.js", search.index_script(site))
    for asset in sorted(paths.static.iterdir()):
        out.copy(asset, f"assets/{asset.name}")
    for name, body in icons.files((paths.static / "favicon.svg").read_text(encoding="utf-8")).items():
        out.write(name, body)
