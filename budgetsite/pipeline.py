"""The pipeline: load → validate → model → charts/render → write.

Reads like the specification of a build, as MkDocs' build() does.
"""
from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import charts, freshness, icons, publish, render, search, terms
from .load import Content, load_content
from .model import Site, build_site
from .problems import ContentError
from .validate import validate
from .watch import SiteWatch
from .write import (MARKER, MARKER_TEXT, Listing, SiteWriter, check_output_folder, listing, output_lock, relisted,
                    staged_output, updated_in_place)

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
    def drawings(self) -> Path:
        """Chart SVGs, each under the hash of all it is drawn from (the
        Pages workflow carries this folder over from earlier runs)."""
        return self.cache / "svg"

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


def check(paths: Paths, tally: Counter | None = None, loaded: dict | None = None) -> Site:
    """Load and validate everything; raise ContentError with every problem.
    tally, if given, receives the reconciliation counts per document;
    loaded keeps files read between builds (load_content)."""
    return _checked(paths, tally, loaded)[1]


def _checked(paths: Paths, tally: Counter | None, loaded: dict | None,
             saved: set[str] | None = None) -> tuple[Content, Site]:
    content = load_content(paths.content, loaded=loaded, saved=saved)
    problems = validate(content, paths.sources, tally)
    if problems:
        raise ContentError(problems)
    return content, build_site(content)


def build(paths: Paths, progress=None, base_url: str | None = None, drawings: bool = True,
          loaded: dict | None = None, in_place: bool = False, watch: SiteWatch | None = None,
          saved: set[str] | None = None) -> int:
    """Build the whole site into paths.out; returns the number of files in it.
    base_url, if given, replaces site.yaml's (e.g. the Pages URL from CI).
    drawings=False leaves out the build-time SVG of each chart (the browser
    still draws it; without JavaScript the table and sentence remain).

    Only what changed is done again: with no input changed and site/
    untouched nothing at all; otherwise the pages whose inputs changed.
    loaded: files as read by the previous build in this process (serve).
    in_place (serve): after a first build, files are replaced one by one
    instead of the whole folder at once, which costs the size of the site.
    watch (serve, in place): names what changed in site/ since the last
    build, so that finding hand edits needs no walk of it. saved (serve):
    the input paths saved since the last build of this process, so that
    only those are looked at again; None: all are."""
    check_output_folder(paths.out, [paths.root, paths.content, paths.templates, paths.static, paths.sources])
    with output_lock(paths.out, paths.cache / "locks"):
        changed = watch.changes() if watch and in_place else None
        try:
            inputs = freshness.Inputs.read(paths, saved=saved, base_url=base_url, drawings=drawings)
            # serve: site/ as it is now, found once; a file under a link put there
            # by hand is neither kept nor written through the link.
            present = _site_now(paths, changed) if in_place and paths.out.is_dir() else None
            count = freshness.up_to_date(paths, inputs, present)
            if count is None:
                with _collector_paused():
                    out, pages, page_files = _build(paths, inputs, progress, loaded, present, saved)
                    freshness.remember(paths, inputs, page_files, pages, out, defer=watch is not None)
                count = out.count
            elif loaded is not None and not loaded:
                with _collector_paused():
                    _warm(paths, inputs, loaded)
        except BaseException:
            if watch:
                watch.give_back(changed)
            raise
    if watch and in_place:
        watch.follow(freshness.last_outputs(paths))
    return count


def _warm(paths: Paths, inputs: freshness.Inputs, loaded: dict) -> None:
    """serve, starting on an up-to-date site: read and check the content, and
    make what every rebuild keeps (what lists show of each project, search
    entries, compiled templates), so the first edit is rebuilt as fast as
    the ones after it (at 10,000 projects it took 1.8 s, the next 0.5 s)."""
    content, site = _checked(paths, None, loaded)
    inputs.note_listings(content.of_kind("project"))
    search.index_script(site)
    env = render.environment(paths.templates, _made(paths.cache / "jinja"))
    for name in env.list_templates():
        env.get_template(name)


def _site_now(paths: Paths, changed: dict[str, bool] | None) -> Listing:
    """What site/ holds: the last build's record of it, looked at again
    where the watch saw changes; walked when that is not known."""
    if changed is None:
        return listing(paths.out)
    return relisted(paths.out, freshness.last_outputs(paths), changed)


def settle() -> None:
    """serve, after each build, while the preview is looked at: write the
    build's record (freshness.remember), collect what the build left (made with the collector paused, it is all young), then
    freeze what lives on (the content read, the caches) so that the
    collector never walks it again. Left to itself it did, every few edits,
    in the middle of a rebuild: 2 s at 10,000 projects."""
    freshness.write_pending()
    gc.collect(1)
    gc.freeze()


@contextmanager
def _collector_paused():
    """A build makes millions of objects that all live until it ends, and
    Python's cycle collector would walk them over and over (a third of the
    time at 10,000 projects). Paused until the build ends. (Worker processes
    turn theirs on, with what they inherit frozen.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(paths: Paths, inputs: freshness.Inputs, progress, loaded: dict | None,
           present: Listing | None, saved: set[str] | None) -> tuple[SiteWriter, list[render.Page], dict]:
    """present: site/ as it is, when it is updated in place (serve)."""
    content, site = _checked(paths, None, loaded, saved)
    inputs.note_listings(content.of_kind("project"))
    if inputs.options.get("base_url"):
        site.base_url = inputs.options["base_url"].rstrip("/") + "/"
    pages = render.all_pages(site, content.guide)
    kept = freshness.reusable(paths, inputs, pages, present)
    changed = [p for p in pages if p.path not in kept]
    if inputs.options.get("drawings", True):
        # Drawn here, before the writers fork (the renderer does not survive a
        # fork), so the pages to draw for are made here too.
        changed = [p.ready() for p in changed]
        charts.draw_svgs([c for p in changed for c in p.charts], paths.drawings)
    env = render.environment(paths.templates, _made(paths.cache / "jinja"))
    with (updated_in_place(paths.out, present) if present is not None else staged_output(paths.out)) as out:
        for files in kept.values():
            for name in files:
                out.keep(name)
        page_files = dict(kept, **_write_pages(out, env, site, changed, paths, progress))
        _write_assets(out, site, paths)
        out.write("sitemap.xml", _sitemap(env.get_template("sitemap.xml"), site,
                                          [p for p in pages if not p.absolute and not p.canonical]))
        out.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}sitemap.xml\n")
        out.write(".nojekyll", "")
        out.write(MARKER, MARKER_TEXT)
    return out, pages, page_files


_SITEMAPS: dict[tuple, str] = {}  # serve: the last sitemap, by all it is made of (30 ms at 10,000 pages)


def _sitemap(template, site: Site, pages: list[render.Page]) -> str:
    key = (template, site.base_url, tuple(p.path for p in pages))
    if key not in _SITEMAPS:
        _SITEMAPS.clear()
        _SITEMAPS[key] = template.render(base_url=key[1], paths=key[2])
    return _SITEMAPS[key]


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_pages(out, env, site: Site, pages: list[render.Page], paths: Paths, progress) -> dict[str, list[str]]:
    """Each page, the downloads of its tables beside it, its glossary terms linked."""
    css = (paths.static / "style.css").read_text(encoding="utf-8")
    make = publish.PageFiles(env, site, charts.bundle_name(), css, terms.Linker(site.glossary))
    return publish.write_pages(out, make, pages, progress)


def _write_assets(out, site: Site, paths: Paths) -> None:
    bundle = charts.bundle_name()
    if not (paths.static / bundle).is_file():  # vl-convert upgraded, static/ not yet
        out.write(f"assets/{bundle}", charts.javascript_bundle(paths.cache / "js"))
    out.write("assets/search-index.js", search.index_script(site))
    for asset in sorted(paths.static.iterdir()):
        out.copy(asset, f"assets/{asset.name}")
    for name, body in icons.files((paths.static / "favicon.svg").read_text(encoding="utf-8")).items():
        out.write(name, body)
