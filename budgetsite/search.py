"""The search index, written as a classic script (window.BUDGET_SEARCH)
so search works from file:// where fetch() of a local JSON file is refused.

Hangul matching is prepared here: each entry carries its names without spaces
(「빅데이터캠퍼스」 finds 「빅데이터 캠퍼스 운영」) and their initial consonants
(초성: 「ㅅㅇㄱㄹㅇ」 finds 서울기록원). The browser only normalises the query.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import cache

from . import money
from .model import Site

# The 19 initial consonants of Hangul syllables, in Unicode order.
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def normalise(text: str) -> str:
    """NFC, lower case, no spaces or punctuation: what both sides compare."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[\s\W_]+", "", text)


def initials(text: str) -> str:
    """Each Hangul syllable's initial consonant; other letters and digits kept."""
    out = []
    for ch in normalise(text):
        code = ord(ch)
        out.append(CHOSEONG[(code - 0xAC00) // 588] if 0xAC00 <= code <= 0xD7A3 else ch)
    return "".join(out)


# Both kept while serve runs (unbounded, as markdown_html): an edit makes
# the entries of the files it changed, not of every project again.
@cache
def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@cache
def _entry(kind: str, title: str, path: str, names: tuple[str, ...], detail: str = "",
           extra: str = "") -> tuple[dict, str]:
    """One thing to find, and its JSON (serve writes the index again after
    every edit, from 10,000 entries of which one changed). Shared, so never
    changed."""
    unique = list(dict.fromkeys(n for n in names if n))
    entry = {"k": kind, "t": title, "u": path, "d": detail,
             "n": "|".join(normalise(n) for n in unique),
             "c": "|".join(initials(n) for n in unique),
             "x": normalise(extra)}
    return entry, json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def entries(site: Site) -> list[dict]:
    return [entry for entry, _ in _entries(site, {})]


def _entries(site: Site, kept: dict) -> list[tuple[dict, str]]:
    out = []
    for d in sorted(site.departments.values(), key=lambda d: d.name):
        latest = d.totals.representative(max(d.totals.years)) if d.totals.years else None
        detail = "부서" + (f" · {latest.year}년 {latest.stage_label} {money.eok_man(latest.amount)}" if latest else "")
        if d.abolished:
            detail += " · 지금은 없는 부서"
        out.append(_entry("부서", d.name, d.path, tuple(n.name for n in d.names), detail, _plain(d.summary_html)))
    for p in sorted(site.projects.values(), key=lambda p: p.name):
        out.append(_project_entry(p, kept))
    for t in site.glossary:
        out.append(_entry("용어", t.term, f"glossary/index.html#{t.id}", (t.term, *t.aliases), "용어 풀이",
                          _plain(t.definition_html)))
    return out


def _project_entry(p, kept: dict) -> tuple[dict, str]:
    """kept (Memory.search_entries): project id → what its entry was made of,
    and the entry. A project's figures, description and former names are
    kept while its file is unchanged (model.py), so they are told unchanged
    by identity, without a look inside."""
    made_of = (p.name, p.path, p.department.name, p.figures, p.description_html, p.former_names, p.keywords)
    held = kept.get(p.id)
    if held is None or held[0] != made_of:  # identity first, item by item
        latest = p.figures.representative(p.figures.years[-1]) if p.figures.years else None
        detail = p.department.name + (f" · {latest.year}년 {latest.stage_label} {money.eok_man(latest.amount)}" if latest else "")
        held = kept[p.id] = made_of, _entry(
            "사업", p.name, p.path, (p.name, *(n["name"] for n in p.former_names), *p.keywords), detail,
            _plain(p.description_html))
    return held[1]


def index_script(site: Site, kept: dict | None = None) -> str:
    """kept: Memory.search_entries, between builds."""
    data = "[" + ",".join(text for _, text in _entries(site, {} if kept is None else kept)) + "]"  # as json.dumps does
    data = data.replace("<", "\\u003c").replace(">", "\\u003e")  # inert even if pasted into a page
    # A classic script, not JSON: file:// pages cannot fetch it.
    return f"window.BUDGET_SEARCH={data};\n"
