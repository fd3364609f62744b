"""What every page is: the Page record, the Jinja environment, the navigation, and rendering a page
with its Content-Security-Policy.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from ..charts import PNG_SCALE, Chart
from ..load import GUIDE
from ..model import (
    Site,
)
from ..tables import Table
from .markup import name_link, source_link, table_row, whole_words


@dataclass
class Page:
    path: str            # relative to the site root, always a file
    template: str
    title: str = ""
    crumbs: list[tuple[str, str | None]] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # extra files from static/, after the page
    description: str = ""  # for search engines and link previews; the site's own if empty
    # Served at any depth (404.html on GitHub Pages): links absolute from the
    # base URL, the stylesheet inline, no scripts.
    absolute: bool = False
    canonical: str | None = None  # another page's path, when this one repeats it
    meta: list[tuple[str, str]] = field(default_factory=list)  # <meta name content> of its own (cells.citation_meta)
    # The project and department files (relative to content/) the page is
    # made from, beyond what every page shares; None: all of them. A page
    # whose inputs are unchanged is not rendered again (freshness.py).
    inputs: frozenset[str] | None = None
    # Shows its project inputs as pages listing projects do (freshness.
    # OWN_PAGE_ONLY left out): a project's description does not make it again.
    lists_projects: bool = False
    # What makes the page, when it is needed (registry.py): in the worker
    # process that writes it, and only if its inputs changed.
    make: Callable[[], Page] | None = field(default=None, repr=False)
    files: dict[str, bytes] = field(default_factory=dict, repr=False)  # written with it: path from the site root → bytes
    # The tables it shows, each also written as CSV and JSON beside it (tables.py).
    tables: list[Table] = field(default_factory=list, repr=False)

    def ready(self) -> Page:
        """The page with its content and charts, made now if it is not yet."""
        return self if self.make is None else self.make()

    @property
    def root(self) -> str:
        """The way back to the site root from this page: '', '../', '../../'."""
        return "../" * self.path.count("/")


    @property
    def links_terms(self) -> bool:
        """Glossary terms are linked everywhere but on the glossary itself and
        pages served at any depth."""
        return self.template != "glossary.html" and not self.absolute


NAV = [("index.html", "처음"), ("departments/index.html", "부서"), ("projects/index.html", "사업"),
       ("compare/index.html", "연도 비교"), ("revenue/index.html", "세입"), ("sources/index.html", "자료 출처"),
       ("guide/index.html", "읽는 법")]


# Reference pages, linked from every page's footer.
FOOTER = [("organisation/index.html", "조직 변천"), ("glossary/index.html", "용어"), ("programs/index.html", "전략목표·단위사업"),
          ("discrepancies/index.html", "자료 간 차이"), ("data/index.html", "데이터 내려받기"), ("api/index.html", "JSON API"),
          ("changes/index.html", "변경 이력")]


_DICT_NAMES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's own, with r.name on a plain dict (the rows and cells prepared
    here) looked up as r["name"] first. Jinja tries the attribute first,
    raising and catching an AttributeError each time, at a real cost.
    Names of dict's own methods go the usual way, so every lookup
    finds what Jinja would. Anything else is tried as an attribute here,
    as Jinja would first, without a second call."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            if attribute not in _DICT_NAMES:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
        else:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


@lru_cache(maxsize=8)
def environment(template_dir: Path, cache_dir: Path | None = None) -> Environment:
    """One per template folder and process: Jinja recompiles a template only
    when its file changes, and, with cache_dir, keeps the compiled code
    between builds."""
    env = _Environment(loader=FileSystemLoader(str(template_dir)), autoescape=select_autoescape(["html", "xml"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None)
    env.filters["words"] = whole_words
    env.globals.update(name_link=name_link, source_link=source_link, table_row=table_row, png_scale=PNG_SCALE)
    return env


def titled(text: str, name: str) -> tuple[str, str]:
    """A Markdown page's title (its first '# ' heading, else its name) and
    the rest: the title is the page's own <h1>."""
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if at is None:
        return name, text
    return lines[at][2:].strip(), "\n".join(lines[:at] + lines[at + 1:])


@lru_cache(maxsize=8)
def _markdown_links(pages: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(f"{name}/index.html", titled(text, name)[0]) for name, text in pages if name != GUIDE]


def markdown_links(site: Site) -> list[tuple[str, str]]:
    """The Markdown pages (but the guide, in the navigation), in every page's footer."""
    return _markdown_links(tuple(sorted(site.pages.items())))


def colophon(site: Site) -> dict:
    """Who runs the site, where to report an error, the licences and this
    edition: said in every page's footer, as in the data package."""
    return {"publisher": site.publisher, "report_url": site.report_url,
            "licences": [(label, site.licences[use]) for use, label in (("content", "글"), ("data", "데이터"))
                         if use in site.licences],
            "edition": site.edition}


def content_security_policy(inline_css: str = "") -> str:
    """What a page may load and run: only the site's own files. No inline
    script, no eval (charts use Vega's interpreter), nothing from elsewhere;
    an inline stylesheet (404.html) is allowed by its hash alone."""
    style = "'self'"
    if inline_css:
        digest = base64.b64encode(hashlib.sha256(inline_css.encode("utf-8")).digest()).decode()
        style = f"'sha256-{digest}'"
    return ("default-src 'none'; script-src 'self'; "
            f"style-src {style}; img-src 'self' data:; font-src 'self'; connect-src 'none'; "
            "base-uri 'none'; form-action 'none'")


# An h2 or h3 with an id, its attributes and its content (headings never nest).
_HEADING = re.compile(r'<(h[23])\b([^>]*\sid="([^"]+)"[^>]*)>(.*?)</\1>', re.S)
_ASIDE = re.compile(r"<small\b.*?</small>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _linked(m: re.Match) -> str:
    """A heading with a link to itself after it. Beside the heading, not in
    it: sections and lists are named by their heading (aria-labelledby),
    and the link's words would be read as part of that name. Its name is
    the heading's words, without their asides (<small>)."""
    tag, attributes, anchor, content = m.groups()
    words = " ".join(_TAG.sub("", _ASIDE.sub("", content)).split())
    return (f'<div class="heading-anchored"><{tag}{attributes}>{content}</{tag}>'
            f'<a class="heading-link" href="#{anchor}"><span aria-hidden="true">#</span>'
            f'<span class="visually-hidden">‘{words}’ 절의 링크</span></a></div>')


def link_headings(html: str) -> str:
    """Every h2 and h3 with an id gets a visible link to itself, so a reader
    can point to a section: done here once for every template and Markdown page."""
    return _HEADING.sub(_linked, html)


def render_page(env: Environment, site: Site, page: Page, bundle: str, inline_css: str = "") -> str:
    template = env.get_template(page.template)
    if page.tables and not page.absolute:
        # Its tables' downloads are made in the browser (static/tables.js), which reads the
        # tables before any other script can sort them; the JSON names the page.
        if "tables.js" not in page.scripts:
            page.scripts.insert(0, "tables.js")
        if ("table-page", page.path) not in page.meta:
            page.meta.append(("table-page", page.path))
    return link_headings(template.render(site=site, page=page, root=site.base_url if page.absolute else page.root, nav=NAV,
                                         footer_links=FOOTER + markdown_links(site), colophon=colophon(site), bundle=bundle,
                                         canonical=site.base_url + (page.canonical or page.path),
                                         description=page.description or site.description,
                                         inline_css=inline_css if page.absolute else "",
                                         csp=content_security_policy(inline_css if page.absolute else ""), **page.context))
