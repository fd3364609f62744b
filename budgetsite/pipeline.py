"""The build: load → validate → model → pages → charts → write → record.

A Builder is one build session: the paths and options, and all a build
keeps for the next (its Memory and its BuildRecord). serve makes one and
calls build() on each save; a one-off build makes one and drops it.
Builder.build() names the stages in order.
"""
from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import charts, editions, freshness, publish, registry, render, search, shards, site_files, terms
from .load import Content, load_content
from .memory import Memory
from .model import Site, build_site, placeholder_url
from .problems import ContentError, SettingError
from .validate import SCHEMA_DIR, validate
from .write import (
    MARKER,
    MARKER_TEXT,
    Listing,
    SiteWriter,
    as_recorded,
    check_output_folder,
    listing,
    output_lock,
    staged_output,
    updated_in_place,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Paths:
    root: Path      # the project: templates/, static/
    content: Path   # the YAML and Markdown to publish
    sources: Path   # text of the source documents, for checking line references
    out: Path

    @property
    def cache(self) -> Path:
        """What builds keep on disk, never published and safe to delete:
        chart drawings (svg/), compiled templates (jinja/), each output
        folder's last build record (records/), serve's own folder (preview/),
        the output locks (locks/), and the details of the last unforeseen error."""
        return self.root / ".build-cache"

    @property
    def preview(self) -> Path:
        """Where serve builds, unless told another folder: site/ is left to build."""
        return self.cache / "preview"

    @property
    def drawings(self) -> Path:
        """Chart drawings, SVG and PNG, each under the hash of all it is drawn
        from (the Pages workflow carries this folder over from earlier runs)."""
        return self.cache / "svg"

    @property
    def schemas(self) -> Path:
        """The JSON schemas content is checked against: the generator's own,
        beside its code, whatever the root (so the fingerprint hashes the
        schemas validation reads)."""
        return SCHEMA_DIR

    @property
    def protected(self) -> list[Path]:
        """The folders no output may be, or hold: the project and what a build reads."""
        return [self.root, self.content, self.templates, self.static, self.sources]

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @classmethod
    def default(cls, content: Path | None = None, sources: Path | None = None, out: Path | None = None) -> Paths:
        root = PROJECT_ROOT
        return cls(root, content or root / "content", sources or root.parent / "shared" / "sources",
                   out or root / "site")


class Builder:
    """One build session. progress: a tqdm-like wrapper for the page loop.
    base_url, if given, replaces site.yaml's (e.g. the Pages URL from CI).
    drawings=False leaves out the build-time SVG of each chart (the browser
    still draws it; without JavaScript the table and sentence remain).
    pages: the build is to be published (GitHub Pages): a placeholder base
    URL is refused, as every canonical link, citation and the sitemap
    would point to an address nobody owns.
    serve: keep what was read and made between builds, and after a first
    build replace files one by one (in place) instead of the whole folder
    at once, which costs the size of the site. serve builds into a folder
    of its own, which nobody else writes: the session looks at it once, when
    it starts, and then trusts its own record of it.
    shard: build that part of the pages and, instead of the site-wide
    files, a manifest for merge() (shards.py)."""

    def __init__(self, paths: Paths, base_url: str | None = None, drawings: bool = True, progress=None,
                 serve: bool = False, pages: bool = False, shard: shards.Shard | None = None):
        self.paths = paths
        # pages is among the options the build record keeps: a build up to date
        # for Pages is one whose base URL was checked.
        self.options: dict[str, Any] = {"base_url": base_url, "drawings": drawings, "pages": pages}
        self.shard = shard
        if shard:
            self.options["shard"] = str(shard)
        self.progress = progress
        self.serve = serve
        self.memory = Memory()
        self.record = freshness.BuildRecord(paths)
        self._trusted = False  # serve: the folder is as this session's last build left it

    def check(self, tally: Counter | None = None, saved: set[str] | None = None) -> tuple[Content, Site]:
        """Load and validate everything; raise ContentError with every problem.
        tally, if given, receives the reconciliation counts per document."""
        memory = self.memory if self.serve else None
        content = load_content(self.paths.content, memory=memory, saved=saved)
        problems = validate(content, self.paths.sources, tally, memory)
        history, found = editions.read(self.paths.content, editions.current_date(content))
        problems += found
        if problems:
            raise ContentError(problems)
        site = build_site(content)
        site.editions = history
        return content, site

    def build(self, saved: set[str] | None = None) -> int:
        """Build the whole site into paths.out; returns the number of files in it.
        Only what changed is done again: with no input changed and site/
        untouched nothing at all; otherwise the pages whose inputs changed.
        saved (serve): the input paths saved since the last build, so that
        only those are looked at again; None: all are."""
        paths = self.paths
        check_output_folder(paths.out, paths.protected)
        with output_lock(paths.out, paths.cache / "locks"):
            try:
                inputs = freshness.Inputs.read(paths, saved=saved, memory=self.memory, **self.options)
                # serve: its folder as it is now, found once; a file under a link put
                # there by hand is neither kept nor written through the link.
                present = self._folder_now() if self.serve and paths.out.is_dir() else None
                count = self.record.up_to_date(inputs, present)
                if count is None:
                    with _collector_paused():
                        count = self._build(inputs, present, saved)
                elif self.serve and not self.memory.files:
                    with _collector_paused():
                        self._warm(inputs)
            except BaseException:
                self._trusted = False  # a build that stopped halfway: look again next time
                raise
        self._trusted = self.serve
        return count

    def _folder_now(self) -> Listing:
        """serve: its folder as this session's record says, once the session
        has built it; walked when the session starts or after a failed build
        (a session killed halfway may have left it unlike its record)."""
        if self._trusted:
            return as_recorded(self.record.outputs())
        return listing(self.paths.out)

    def _build(self, inputs: freshness.Inputs, present: Listing | None, saved: set[str] | None) -> int:
        """The stages. present: site/ as it is, when it is updated in place (serve)."""
        paths = self.paths
        site = self._site(inputs, saved)                                 # load, validate, model
        pages = registry.all_pages(site)                                 # every page, not yet made
        mine = self.shard.select(pages) if self.shard else pages         # a shard's part of them
        kept = self.record.reusable(inputs, mine, present)               # unchanged pages stay
        changed = [p for p in mine if p.path not in kept]
        if self.options["drawings"]:
            # Drawn here, before the writers fork (the renderer does not survive a
            # fork), so the pages to draw for are made here too.
            changed = [p.ready() for p in changed]
            charts.draw([c for p in changed for c in p.charts], paths.drawings)
        env = render.environment(paths.templates, _made(paths.cache / "jinja"))
        with (updated_in_place(paths.out, present) if present is not None else staged_output(paths.out)) as out:
            for files in kept.values():
                for name in files:
                    out.keep(name)
            page_files = dict(kept, **_write_pages(out, env, site, changed, paths, self.progress))
            if self.shard:
                shards.write_manifest(out, self.shard, _unsharded(inputs).fingerprint, page_files)
                out.write(MARKER, MARKER_TEXT)
            else:
                self._write_site_files(out, env, site, pages)
        self.record.remember(inputs, page_files, mine, out, defer=self.serve)
        return out.count

    def _site(self, inputs: freshness.Inputs, saved: set[str] | None = None) -> Site:
        """The site's model from checked content, at the address it is built for."""
        content, site = self.check(saved=saved)
        inputs.note_listings(content.of_kind("project"))
        if self.options["base_url"]:
            site.base_url = self.options["base_url"].rstrip("/") + "/"
        if self.options["pages"] and placeholder_url(site.base_url):
            raise _placeholder_refused(content, site.base_url, given=bool(self.options["base_url"]))
        return site

    def merge(self, folders: list[Path]) -> int:
        """Put the shards' pages together with the site-wide files into
        paths.out, as one build would have made it; returns the number of files."""
        paths = self.paths
        check_output_folder(paths.out, [*paths.protected, *folders])
        parts = shards.read_parts(folders)
        with output_lock(paths.out, paths.cache / "locks", who="합치기(merge)"):
            inputs = freshness.Inputs.read(paths, memory=self.memory, **self.options)
            with _collector_paused():
                site = self._site(inputs)
                pages = registry.all_pages(site)
                found = shards.check_parts(parts, inputs.fingerprint, [p.path for p in pages])
                env = render.environment(paths.templates, _made(paths.cache / "jinja"))
                with staged_output(paths.out) as out:
                    for page in pages:
                        folder, files = found[page.path]
                        for name in files:
                            out.take(folder / name, name)
                    self._write_site_files(out, env, site, pages)
            self.record.remember(inputs, {p: files for p, (_, files) in found.items()}, pages, out)
        return out.count

    def _write_site_files(self, out: SiteWriter, env, site: Site, pages: list[render.Page]) -> None:
        """What every site has once (site_files.SITE_FILES)."""
        site_files.write(out, site_files.SiteParts(site, pages, self.paths.static, self.paths.cache, env, self.memory))

    def _warm(self, inputs: freshness.Inputs) -> None:
        """serve, starting on an up-to-date site: read and check the content, and
        make what every rebuild keeps (what lists show of each project, search
        entries, compiled templates), so the first edit is rebuilt as fast as
        the ones after it."""
        content, site = self.check()
        inputs.note_listings(content.of_kind("project"))
        search.index_files(site, self.memory.search_entries)
        env = render.environment(self.paths.templates, _made(self.paths.cache / "jinja"))
        for name in env.list_templates():
            env.get_template(name)

    @contextmanager
    def edit(self) -> Iterator[None]:
        """serve, around the build after a save: the collector stays paused
        until settle(), so what the build made is collected after the page is
        shown rather than as the build ends, with the reader waiting."""
        gc.disable()
        try:
            yield
            self.settle()
        finally:
            gc.enable()

    def settle(self) -> None:
        """serve, after each build, while the preview is looked at: write the
        build's record, collect what the build left (made with the collector
        paused, it is all young), then freeze what lives on (the content read,
        the caches) so that the collector never walks it again. Left to itself
        it did, every few edits, in the middle of a rebuild: a long pause."""
        self.record.write_pending()
        gc.collect(1)
        gc.freeze()


def _unsharded(inputs: freshness.Inputs) -> freshness.Inputs:
    """The inputs as a whole build sees them, which merge checks a shard's against."""
    return freshness.Inputs(inputs.files, {k: v for k, v in inputs.options.items() if k != "shard"})


def check(paths: Paths, tally: Counter | None = None) -> Site:
    """A one-off check: load and validate everything, raise ContentError with
    every problem, and return the site's model."""
    return Builder(paths).check(tally)[1]


def _placeholder_refused(content: Content, url: str, given: bool) -> Exception:
    said = (f"{url}은(는) 자리표시 주소입니다. GitHub Pages에 올릴 빌드는 정식 링크, 인용 주소, Open Graph, "
            f"sitemap.xml이 모두 이 주소를 가리키게 되므로 만들지 않습니다.")
    if given:
        return SettingError(f"--base-url {said} 사이트가 게시될 실제 주소를 주세요.")
    site_doc = content.one("site")
    assert site_doc is not None  # validated: site.yaml is there
    return ContentError([site_doc.problem(("base_url",), f"{said} 게시할 주소로 고치거나 --base-url로 주세요 "
                                                        f"(Pages 워크플로는 configure-pages가 알려 주는 주소를 줍니다).")])


def build(paths: Paths, progress=None, base_url: str | None = None, drawings: bool = True) -> int:
    """A one-off build into paths.out; returns the number of files in it."""
    return Builder(paths, base_url=base_url, drawings=drawings, progress=progress).build()


@contextmanager
def _collector_paused():
    """A build makes millions of objects that all live until it ends, and
    Python's cycle collector would walk them over and over, at a large cost
    with many projects. Paused until the build ends. (Worker processes
    turn theirs on, with what they inherit frozen.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_pages(out, env, site: Site, pages: list[render.Page], paths: Paths, progress) -> dict[str, list[str]]:
    """Each page, the downloads of its tables beside it, its glossary terms linked."""
    css = (paths.static / "style.css").read_text(encoding="utf-8")
    make = publish.PageFiles(env, site, charts.bundle_name(), css, terms.Linker(site.glossary))
    return publish.write_pages(out, make, pages, progress)
