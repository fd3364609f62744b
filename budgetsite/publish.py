"""Publish (before write): each page to its files (the HTML with glossary terms linked, the
downloads of its tables, its charts' embed pages and drawings), spread over the machine's cores
when there are many pages.

Pages are independent once the site and its charts are ready, so workers
forked from the build share them without copying and write straight into
the staging folder; what they write is the same whatever the order.
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment

from . import render, tables, terms, workers
from .model import Site, unique_footnote_ids
from .render import embeds
from .write import SiteWriter

PARALLEL_FROM = 64  # fewer pages are written here: starting workers costs more than they save
CHUNK = 16


@dataclass
class PageFiles:
    """Everything a page needs to become files, shared by all pages."""
    env: Environment
    site: Site
    bundle: str
    css: str
    linker: terms.Linker

    def __call__(self, page: render.Page) -> dict[str, str | bytes]:
        page = page.ready()
        embeds.share(self.site, page)  # before the page is rendered: it shows how to share each chart
        html = unique_footnote_ids(render.render_page(self.env, self.site, page, self.bundle, self.css))
        files: dict[str, str | bytes] = dict(tables.files(page.path, page.tables))
        files[page.path] = self.linker.link(html, page.root) if page.links_terms else html
        files.update(embeds.files(self.env, self.site, page, self.bundle))
        files.update(page.files)
        return files


# Set before the workers fork, so they inherit it instead of receiving a copy.
_JOB: tuple[PageFiles, list[render.Page], SiteWriter] | None = None


def _write_chunk(indices: list[int]) -> tuple[dict[str, list[str]], SiteWriter]:
    workers.collecting()  # what this worker makes; what it inherited is frozen
    assert _JOB is not None  # set before the fork
    make, pages, parent = _JOB
    out = SiteWriter(parent.staging, parent.published, parent.in_place, parent.present)
    return {pages[i].path: _write_page(out, make, pages[i]) for i in indices}, out


def _write_page(out: SiteWriter, make: PageFiles, page: render.Page) -> list[str]:
    files = make(page)
    for name, body in files.items():
        out.write(name, body)
    return sorted(files)


def _chunks(pages: list[render.Page], workers: int) -> list[list[int]]:
    """Page indices in chunks of about equal work, the heaviest first. A page
    listing every project (inputs None) costs as much as many project
    pages; one left until last would keep one core busy while the others
    wait. A page's input files stand for its work."""
    cost = [len(p.inputs) if p.inputs is not None else len(pages) for p in pages]
    budget = max(1, sum(cost) // (workers * 16))
    chunks: list[list[int]] = []
    load = budget
    for i in sorted(range(len(pages)), key=lambda i: -cost[i]):
        if load >= budget or len(chunks[-1]) == CHUNK:
            chunks.append([])
            load = 0
        chunks[-1].append(i)
        load += cost[i]
    return chunks


def write_pages(out: SiteWriter, make: PageFiles, pages: list[render.Page], progress=None,
                cores: int | None = None) -> dict[str, list[str]]:
    """Write every page's files; returns each page's file names."""
    global _JOB
    n = workers.count(len(pages), PARALLEL_FROM, cores)
    bar = progress(total=len(pages)) if progress else None
    written: dict[str, list[str]] = {}
    if not n:
        for page in pages:
            written[page.path] = _write_page(out, make, page)
            if bar:
                bar.update(1)
    else:
        _JOB = (make, pages, out)
        chunks = _chunks(pages, n)
        try:
            with workers.forked(n) as pool:
                for chunk, (files, done) in zip(chunks, pool.map(_write_chunk, chunks)):
                    written.update(files)
                    out.absorb(done)
                    if bar:
                        bar.update(len(chunk))
        finally:
            _JOB = None
    if bar:
        bar.close()
    return written
