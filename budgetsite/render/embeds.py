"""Each chart apart from its page: an embed page for an iframe on another site (the chart, its
sentence, its sources, a link back to its page, its table; no navigation), its drawings to
download (SVG; PNG for print, made in the browser), and what its page shows to share it (the 「퍼가기」 block: the
iframe snippet, the download links, a link to the chart itself).

All of it is made with the page (publish.PageFiles, in the worker writing the page, with its
Jinja environment), so a page made again makes its charts' files again and a page kept keeps
them (freshness.py follows the files a page wrote). Addresses come from ids alone, the page's
path and the chart's id, so they hold from one edition to the next: beside the page,
embed/<chart id>.html|svg, as its tables are tables/<table id>.csv|json.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

from jinja2 import Environment

from ..charts import Chart, standalone_svg
from ..charts.treemap import linked_from
from ..model import Licence, Site
from .page import Page, content_security_policy

FOLDER = "embed"

TEMPLATE = "embed.html"

# The frame's height (the snippet's), fitted to a 360 px phone, where the
# words take the most lines: a frame too short would hide the sources and the
# way back under a scroll of its own, one too tall only leaves a blank. The
# picture, then each line of words (the title, the sentence, the sources and
# the link back: LINE px at most, counted at the letters a phone's line holds
# of each), then FIXED px (margins, the live chart's extra room, the folded
# table's summary). Measured on the real site (tests/test_embeds.py); on a
# 640 px column the frame has 80 to 170 px to spare.
LINE = 23
LETTERS = {"title": 20, "summary": 26, "about": 32}
FIXED = 90  # 10 px of it to spare: the reader's fonts may be wider than ours

# The picture's height when there is no drawing to read it from (--no-svg):
# a budget chart's, the most common.
PICTURE_HEIGHT = 340


@dataclass
class Source:
    name: str
    url: str


@dataclass
class Embed:
    """Where a chart is found apart from its page, and how to take it. The
    hrefs lead from the page; the URLs are absolute, to be pasted elsewhere."""
    path: str              # the embed page, from the site's root
    href: str              # the embed page, from the chart's page
    svg: str               # the drawing, from the chart's page
    png: str               # the name of its PNG, made in the browser from the page's drawing (charts.js)
    url: str               # the embed page
    snippet: str           # the iframe to paste into another page
    page_url: str          # the chart on its page: the embed's link back
    page_title: str
    sources: list[Source]  # the documents its figures come from
    licence: Licence | None  # the data's


def share(site: Site, page: Page) -> None:
    """Give each chart of the page its Embed, which the page shows (the
    chart macro in _macros.html) and files() writes."""
    folder = posixpath.dirname(page.path)
    for c in page.charts:
        name = f"{FOLDER}/{c.id}"
        path = posixpath.join(folder, f"{name}.html")
        url = site.base_url + path
        documents = {ref.source.id: ref.source for ref in c.sources}
        sources = [Source(d.short, site.base_url + d.anchor) for d in sorted(documents.values(), key=lambda d: (d.date, d.id))]
        # The line under the chart as embed.html writes it.
        # Pasted elsewhere, the chart still says under which licence its figures are.
        licence = site.licences.get("data")
        about = (f"출처: {', '.join(s.name for s in sources)} · {licence.name + ' · ' if licence else ''}"
                 f"{site.title}의 「{page.title}」에서 보기")
        height = _picture_height(c) + FIXED + LINE * sum(
            -(-len(words) // LETTERS[part]) for part, words in (("title", c.title), ("summary", c.summary), ("about", about)))
        snippet = (f'<iframe src="{escape(url)}" title="{escape(c.title)}" width="100%" height="{height}" '
                   f'loading="lazy" style="border:0"></iframe>')
        c.embed = Embed(path, f"{name}.html", f"{name}.svg", f"{c.id}.png", url, snippet,
                        f"{site.base_url}{page.path}#{c.id}", page.title, sources, licence)


def files(env: Environment, site: Site, page: Page, bundle: str) -> Iterator[tuple[str, str | bytes]]:
    """Each chart's embed page and, when drawn (not --no-svg), its SVG."""
    if not page.charts:
        return
    template = env.get_template(TEMPLATE)
    for c in page.charts:
        e = c.embed
        if c.links is not None:
            # Its links from the base URL, as the embed page's other links (charts/treemap.py).
            c = linked_from(c, c.links, site.base_url)
        # Its assets from beside it, so it works from file:// and under any
        # path; its links from the base URL, into the top window.
        yield e.path, template.render(site=site, c=c, e=e, root="../" * e.path.count("/"), link_root=site.base_url,
                                      bundle=bundle, description=c.summary or c.title, csp=content_security_policy())
        base = e.path.removesuffix(".html")
        if c.svg:
            yield f"{base}.svg", standalone_svg(c.svg)


_SVG_HEIGHT = re.compile(r'<svg\b[^>]*?\sheight="([\d.]+)"')


def _picture_height(c: Chart) -> int:
    """The drawing's height: the live chart is drawn as high (its width fits the frame)."""
    m = _SVG_HEIGHT.match(c.svg)
    return round(float(m.group(1))) if m else PICTURE_HEIGHT
