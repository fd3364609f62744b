"""The pipeline: load → validate → model → charts/render → write.

Reads like the specification of a build, as MkDocs' build() does.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import charts, data, render, search, tables, terms
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


def build(paths: Paths, progress=None) -> int:
    """Build the whole site into paths.out; returns the number of files written."""
    site = check(paths)
    guide = (paths.content / "pages" / "guide.md").read_text(encoding="utf-8")
    downloads = data.files(site)
    pages = render.all_pages(site, guide, downloads)
    env = render.environment(paths.templates)
    bundle = charts.bundle_name()
    with staged_output(paths.out) as out:
        linker = terms.Linker(site.glossary)
        for page in _progress(pages, progress):
            html = render.render_page(env, site, page, bundle)
            for name, body in tables.files(page.path, html).items():
                out.write(name, body)
            out.write(page.path, html if page.template == "glossary.html" else linker.link(html, page.root))
        for name, body in downloads.items():
            out.write(f"data/{name}", body)
        out.write(f"assets/{bundle}", charts.javascript_bundle())
        out.write("assets/search-index.js", search.index_script(site))
        for asset in sorted(paths.static.iterdir()):
            out.copy(asset, f"assets/{asset.name}")
        out.write("sitemap.xml", env.get_template("sitemap.xml").render(site=site, pages=pages))
        out.write(".nojekyll", "")
        return out.count


def _progress(items, progress):
    if progress is None:
        return items
    return progress(items)
