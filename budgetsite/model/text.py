"""Text from content/: Markdown made safe HTML (nh3), footnotes, first sentences, dates in Korean.
"""
from __future__ import annotations

import html
import re
import zlib
from functools import cache

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

# No <img>: a picture from elsewhere would be a request leaving the site.
_ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img", "area", "map"}


# Footnotes link by id: kept on the two elements they use, and only with the
# footnotes' own prefixes, so a text cannot take an id the page's links or
# scripts rely on.
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "sup": {"id"}, "li": {"id"}}


_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:\d+-")


def _footnote_ids_only(tag: str, attribute: str, value: str) -> str | None:
    return value if attribute != "id" or _FOOTNOTE_ID.match(value) else None


def _converter(*more: Extension) -> tuple[md.Markdown, FootnoteExtension]:
    converter = md.Markdown(extensions=["extra", "sane_lists", *more], output_format="html", extension_configs={"extra": {
        "footnotes": {"UNIQUE_IDS": True, "BACKLINK_TITLE": "본문의 %d번 각주로 돌아가기"}}})
    return converter, next(e for e in converter.registeredExtensions if isinstance(e, FootnoteExtension))


_MARKDOWN, _FOOTNOTES = _converter()


# A page of its own (pages/*.md) has sections a reader may link to: its
# headings take ids from their words, Hangul kept (toc's slugify_unicode).
# Not the short texts of projects and departments: their headings' ids
# could take one the page's own sections use.
_PAGE_MARKDOWN, _PAGE_FOOTNOTES = _converter(TocExtension(slugify=slugify_unicode))


_HEADING_TAGS = {f"h{i}" for i in range(1, 7)}


_PAGE_ATTRIBUTES = {**_ATTRIBUTES, **{h: {"id"} for h in _HEADING_TAGS}}


def _page_ids(tag: str, attribute: str, value: str) -> str | None:
    return value if tag in _HEADING_TAGS else _footnote_ids_only(tag, attribute, value)


_HEADING = re.compile(r"<(/?)h([1-6])\b")


# Unbounded: a bounded cache smaller than a site's texts (10,000 projects
# hold tens of thousands) would convert every one of them again on each
# rebuild in serve.
@cache
def markdown_html(text: str | None, top: int = 2, ids: bool = False) -> str:
    """Markdown from content/ as safe HTML: a stray <script> or onclick in a
    description must not run in every archived copy of the site.
    One converter, reset between texts: setting up its extensions cost more
    than converting a short description.
    Headings start at h`top` at the highest: the page's own headings stand
    above the text (a `#` must not make a second <h1>).
    ids: the text is a page of its own (pages/*.md), its headings with ids."""
    converter, footnotes = (_PAGE_MARKDOWN, _PAGE_FOOTNOTES) if ids else (_MARKDOWN, _FOOTNOTES)
    converter.reset()
    # Footnote ids from the text itself: two texts on one page do not share
    # ids, and the ids do not depend on the order pages are built in.
    footnotes.unique_prefix = zlib.crc32((text or "").encode())
    html = nh3.clean(converter.convert(text or ""), tags=_ALLOWED_TAGS,
                     attributes=_PAGE_ATTRIBUTES if ids else _ATTRIBUTES,
                     attribute_filter=_page_ids if ids else _footnote_ids_only, link_rel="noopener noreferrer")
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if levels and (shift := top - min(levels)) > 0:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)
    return html


_FOOTNOTE_MARKS = re.compile(r'<sup id="fnref.*?</sup>|<div>\s*<hr>\s*<ol>\s*<li id="fn:.*', re.S)


_FOOTNOTE_LINK = re.compile(r'(id="|href="#)(fn(?:ref\d*)?):(\d+)-')


def unique_footnote_ids(page_html: str) -> str:
    """page_html with the footnote ids of a text shown twice (a discrepancy's
    explanation in its card and in the table) made distinct, so each copy's
    links stay within that copy."""
    if 'id="fn' not in page_html:
        return page_html
    copies: dict[str, int] = {}  # text prefix: copies seen
    listed: set[str] = set()     # prefixes whose current copy's footnote list has begun

    def one(m: re.Match) -> str:
        where, kind, prefix = m.groups()
        if where == 'id="':
            if kind == "fn":
                listed.add(prefix)
            elif prefix in listed or prefix not in copies:  # a reference begins a copy
                listed.discard(prefix)
                copies[prefix] = copies.get(prefix, 0) + 1
        n = copies.get(prefix, 1)
        return m.group(0) if n == 1 else f"{where}{kind}:{prefix}x{n}-"
    return _FOOTNOTE_LINK.sub(one, page_html)


def first_sentence(html_text: str) -> str:
    """The first sentence of a piece of HTML, as plain text (for tooltips and meta)."""
    html_text = _FOOTNOTE_MARKS.sub("", html_text)  # a note's number or its source is not the sentence
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())
    end = text.find("다. ")
    return text[: end + 2] if end >= 0 else text


def short_date(as_of: str) -> str:
    """'24.5.31, as Korean reports write a reference date; short enough for a phone's axis."""
    y, m, d = as_of.split("-")
    return f"'{y[2:]}.{int(m)}.{int(d)}"


def date_words(as_of: str) -> str:
    """2024-05-31 → 2024년 5월 31일."""
    y, m, d = as_of.split("-")
    return f"{y}년 {int(m)}월 {int(d)}일"
