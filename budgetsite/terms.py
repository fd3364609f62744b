"""The first use of each glossary term on a page links to its definition,
and shows the definition's first sentence on hover and keyboard focus.

Applied to the rendered page, so it finds a term wherever the page first uses
it in running text, whichever template or content field put it there. Links,
headings, table headers, captions, buttons, charts and scripts are left alone:
a link inside them would nest or clutter what they already say.
"""
from __future__ import annotations

import html
import re

from .model import Term, first_sentence

# Inside these a term is not linked (tables: their headings already name the terms).
_SKIP = {"table", "a", "button", "label", "select", "option", "textarea", "caption", "th", "summary", "figcaption",
         "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "small", "dt", "title", "nav"}
_VOID = {"br", "wbr", "img", "input", "hr", "meta", "link", "source", "col", "area", "base", "embed", "track"}
# Scripts, drawings, comments and whole tables (which never nest here) are
# single tokens, passed over unread.
_TOKEN = re.compile(r"<script\b.*?</script>|<svg\b.*?</svg>|<table\b.*?</table>|<!--.*?-->|<[^>]+>|[^<]+",
                    re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
# Aliases that are ordinary words in running text, not the term.
# Units are left alone too: 「9,224만원」 must not become half a link.
_TOO_COMMON = {"사업", "분야", "목", "비목", "출연", "천원", "만원", "백만원", "억원"}


# Words that begin with a term but mean something else: 기록관리 is not 기록관.
_NOT_BEFORE = {"기록관": "(?!리)"}


def _forms(t: Term) -> list[str]:
    """The spellings to look for: the term and its word-like aliases."""
    forms = []
    for word in [t.term, *t.aliases]:
        if len(word) < 2 or word in _TOO_COMMON or any(ch.isdigit() for ch in word):
            continue
        if re.fullmatch(r"[\w ·]+", word):
            forms.append(word)
    return forms


class Linker:
    def __init__(self, glossary: list[Term], glossary_path: str = "glossary/index.html"):
        self.path = glossary_path
        self.by_form: dict[str, Term] = {}
        for t in glossary:
            for form in _forms(t):
                self.by_form.setdefault(form, t)
        self.tip = {t.id: first_sentence(t.definition_html) for t in glossary}
        forms = sorted(self.by_form, key=len, reverse=True)  # longest first: 전년도이월액 before 이월
        # A term starts a word (보조금 in 자체보조금 is part of an item's name);
        # particles may follow it, but not the rest of a longer word.
        # The lookahead on first letters lets the engine pass over most
        # positions at once instead of trying every term at each. Text holds
        # a bare & only as an entity's start: a term `amp` must not split &amp;.
        firsts = "".join(sorted({re.escape(f[0]) for f in forms}))
        self.pattern = re.compile(rf"(?<![\w&])(?<!&#)(?=[{firsts}])(?:" + "|".join(
            rf"{re.escape(f)}{_NOT_BEFORE.get(f, '')}" + (r"(?![A-Za-z])" if f.isascii() else "")
            for f in forms) + ")") if forms else None

    def link(self, page_html: str, root: str) -> str:
        """page_html with the first use of each term inside <main> linked."""
        if self.pattern is None:
            return page_html
        start = page_html.find("<main")
        end = page_html.rfind("</main>")
        if start < 0 or end < 0:
            return page_html
        used: set[str] = set()
        out: list[str] = []
        stack: list[str] = []
        for m in _TOKEN.finditer(page_html, start, end):
            token = m.group(0)
            if token.startswith("<"):
                tag = _TAG.match(token)
                if tag and not token.startswith(("<script", "<svg", "<table", "<!--")):
                    closing, name = tag.group(1), tag.group(2).lower()
                    if closing:
                        while stack and stack.pop() != name:
                            pass
                    elif name not in _VOID and not token.endswith("/>"):
                        stack.append(name)
                out.append(token)
            elif any(s in _SKIP for s in stack):
                out.append(token)
            else:
                out.append(self._replace(token, used, root))
        return page_html[:start] + "".join(out) + page_html[end:]

    def _replace(self, text: str, used: set[str], root: str) -> str:
        def one(m: re.Match) -> str:
            term = self.by_form[m.group(0)]
            if term.id in used:
                return m.group(0)
            used.add(term.id)
            tip_id = f"term-tip-{term.id}"
            return (f'<span class="term"><a href="{root}{self.path}#{term.id}" aria-describedby="{tip_id}">'
                    f'{m.group(0)}</a><span class="term-tip" role="tooltip" id="{tip_id}">'
                    f'{html.escape(self.tip[term.id])}</span></span>')
        assert self.pattern is not None  # link() returns early without one
        return self.pattern.sub(one, text)
