"""The search index, written as a classic script (window.BUDGET_SEARCH)
so search works from file:// where fetch() of a local JSON file is refused.

Hangul matching is prepared here: each entry carries its names without spaces
(「빅데이터캠퍼스」 finds 「빅데이터 캠퍼스 운영」) and their initial consonants
(초성: 「ㅅㅇㄱㄹㅇ」 finds 서울기록원). The browser only normalises the query.

A search that forgives (issue 27): each entry's names come title first, then
its past names, then its other names (o: where those begin; a: the names
after the title as written), so a result can say which name it matched;
content/search-aliases.yaml becomes window.BUDGET_SEARCH_ALIASES, each
[variant, word, label] normalised here, longest variant first, for the
browser to rewrite a query with. Bureau notes, key tasks and review
summaries are entries too, each linking to its section (section_ids); their
words are most of their size, so they and the aliases are a script of their
own (MORE: window.BUDGET_SEARCH_SECTIONS, window.BUDGET_SEARCH_ALIASES) that
search.js loads when a reader first comes to the box; each page still loads
only the index of names.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import cache

from . import money
from .model import Site

MORE = "assets/search-more.js"
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
           extra: str = "", past: tuple[str, ...] = (), compact: bool = False) -> tuple[dict, str]:
    """One thing to find, and its JSON (serve writes the index again after
    every edit, from 10,000 entries of which one changed). Shared, so never
    changed. names: the title and its other names (keywords, aliases);
    past: its former names, listed after the title. compact: extra is long
    text (a note), kept as its words once each (_words), and the title is
    not a name (a project's note is found by its words, the project by its name)."""
    unique: dict[str, str] = {}  # normalised → as written, the first of each
    for n in (() if compact and not names else (title, *past, *names)):
        if n and normalise(n) not in unique:
            unique[normalise(n)] = n
    shown = list(unique.values())
    others = next((i for i, n in enumerate(shown) if i and n not in past), None)  # past names come first
    fields = {"k": kind, "t": title, "u": path, "d": detail,
              "n": "|".join(unique),
              # 초성 of what has a name of its own; a note's or task's title is found by its words
              "c": "" if compact else "|".join(initials(n) for n in shown),
              "x": _words(extra) if compact else normalise(extra)}
    entry: dict[str, str | int] = {k: v for k, v in fields.items() if v}  # an empty field is left out: search.js reads ""
    if len(shown) > 1:
        entry["a"] = "|".join(shown[1:])
    if others is not None:
        entry["o"] = others
    return entry, json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


# A word's endings that do not help find it: particles and the commonest
# verb endings. A note's words are kept without them, each once, in order.
_ENDING = re.compile(r"(?:으로|에서|에게|까지|부터|이며|이고|하고|하며|하는|했고|했다|한다|하여|해야|했으며|"
                     r"입니다|습니다|니다|은|는|이|가|을|를|의|에|와|과|도|로|만)$")


def _words(text: str) -> str:
    """Long text as search needs it: its words without particles, each once,
    in order, numbers left out (a figure is found on its page, not here)."""
    seen: dict[str, None] = {}
    for word in text.split():
        word = normalise(word)
        stem = _ENDING.sub("", word) if len(word) > 2 else word
        if len(stem) > 1 and not re.search(r"\d", stem):
            seen.setdefault(stem)
    return "".join(seen)


def section_ids(items: list[dict], prefix: str) -> list[str]:
    """The anchor of each note or key task, in the order given: prefix-year-n,
    n counting that year's items in the order of their sources (document,
    line), so an id does not depend on how a page orders them and a link
    from search finds the same section build after build."""
    def where(item: dict) -> tuple:
        ref = item.get("source")
        return (ref.source.id, ref.line) if ref is not None else ("", 0)
    ids: dict[int, str] = {}
    count: dict[int, int] = {}
    for i in sorted(range(len(items)), key=lambda i: (items[i]["year"], where(items[i]))):
        year = items[i]["year"]
        count[year] = count.get(year, 0) + 1
        ids[i] = f"{prefix}-{year}-{count[year]}"
    return [ids[i] for i in range(len(items))]


def entries(site: Site) -> list[dict]:
    return [entry for entry, _ in _entries(site, {})]


def _entries(site: Site, kept: dict) -> list[tuple[dict, str]]:
    out = []
    for d in sorted(site.departments.values(), key=lambda d: d.name):
        latest = d.totals.representative(max(d.totals.years)) if d.totals.years else None
        detail = "부서" + (f" · {latest.year}년 {latest.stage_label} {money.eok_man(latest.amount)}" if latest else "")
        if d.abolished:
            detail += " · 지금은 없는 부서"
        out.append(_entry("부서", d.name, d.path, (), detail, _plain(d.summary_html),
                          past=tuple(n.name for n in d.names if n.name != d.name)))
    for p in sorted(site.projects.values(), key=lambda p: p.name):
        out.append(_project_entry(p, kept))
    for t in site.glossary:
        out.append(_entry("용어", t.term, f"glossary/index.html#{t.id}", tuple(t.aliases), "용어 풀이",
                          _plain(t.definition_html)))
    return out


def section_entries(site: Site) -> list[dict]:
    return [entry for entry, _ in _sections(site)]


def _sections(site: Site) -> list[tuple[dict, str]]:
    """The bureau's notes (home page), each department's key tasks and each
    project's review summaries: found by their words, linked to their section."""
    out = []
    for n, anchor in zip(site.bureau.notes, section_ids(site.bureau.notes, "bureau-note")):
        out.append(_entry("의견", n["title"], f"index.html#{anchor}", (n["title"],), f"국 전체에 대한 의견 · {n['year']}년",
                          _plain(n["text_html"]), compact=True))
    for d in sorted(site.departments.values(), key=lambda d: d.name):
        for k, anchor in zip(d.tasks, section_ids(d.tasks, "task")):
            out.append(_entry("과제", k["title"], f"{d.path}#{anchor}", (k["title"],), f"{d.name} · {k['year']}년 핵심 과제",
                              _plain(k["summary_html"]), compact=True))
    for p in sorted(site.projects.values(), key=lambda p: p.name):
        for n, anchor in zip(p.notes, section_ids(p.notes, "note")):
            # No name: the project's own entry answers its name; this one its words.
            out.append(_entry("의견", f"{n['year']}년 검토 의견", f"{p.path}#{anchor}", (), p.name,
                              _plain(n["text_html"]), compact=True))
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
            "사업", p.name, p.path, tuple(p.keywords), detail, _plain(p.description_html),
            past=tuple(n["name"] for n in p.former_names))
    return held[1]


def aliases(site: Site) -> list[list[str]]:
    """content/search-aliases.yaml as the browser reads it: [variant, word]
    normalised, then the word and the variant as written where they differ
    (for the label 「다른 이름: IoT → 사물인터넷」); longest variant first (a
    query is rewritten at the longest variant it holds), each variant once."""
    out: dict[str, list[str]] = {}
    for word, variants in site.search_aliases:
        for v in variants:
            if normalise(v) != normalise(word):
                shown = [word if word != normalise(word) else "", v if v != normalise(v) else ""]
                out.setdefault(normalise(v), [normalise(v), normalise(word), *shown[:2 if shown[1] else 1 if shown[0] else 0]])
    return sorted(out.values(), key=lambda a: (-len(a[0]), a[0]))


def expand(site: Site, query: str) -> list[str]:
    """The query and its rewrites through the aliases, as search.js makes
    them: for tests and tools."""
    out = [normalise(query)]
    for variant, word, *_ in aliases(site):
        for q in list(out):
            if variant in q and len(out) < 8 and (new := q.replace(variant, word, 1)) not in out:
                out.append(new)
    return out


def _inert(script: str) -> str:
    return script.replace("<", "\\u003c").replace(">", "\\u003e")  # inert even if pasted into a page


def index_script(site: Site, kept: dict | None = None) -> str:
    """kept: Memory.search_entries, between builds."""
    data = "[" + ",".join(text for _, text in _entries(site, {} if kept is None else kept)) + "]"  # as json.dumps does
    # A classic script, not JSON: file:// pages cannot fetch it.
    return _inert(f"window.BUDGET_SEARCH={data};\n")


def more_script(site: Site) -> str:
    """What a search needs once a reader types, loaded by search.js then: the
    aliases, and the notes, key tasks and review summaries."""
    words = json.dumps(aliases(site), ensure_ascii=False, separators=(",", ":"))
    sections = "[" + ",".join(text for _, text in _sections(site)) + "]"
    return _inert(f"window.BUDGET_SEARCH_ALIASES={words};\nwindow.BUDGET_SEARCH_SECTIONS={sections};\n")


def index_files(site: Site, kept: dict | None = None) -> list[tuple[str, str]]:
    return [("assets/search-index.js", index_script(site, kept)), (MORE, more_script(site))]
