"""The search index, written as classic scripts (window.BUDGET_SEARCH_…)
so search works from file:// where fetch() of a local JSON file is refused.

Hangul matching is prepared here: each entry carries its names without spaces
(「빅데이터캠퍼스」 finds 「빅데이터 캠퍼스 운영」) and their initial consonants
(초성: 「ㅅㅇㄱㄹㅇ」 finds 서울기록원). The browser only normalises the query.

A search that forgives (issue 27): each entry's names come title first, then
its past names, then its other names (o: where those begin; a: the names
after the title as written), so a result can say which name it matched;
content/search-aliases.yaml becomes the aliases, each [variant, word, label]
normalised here, longest variant first, for the browser to rewrite a query
with. Bureau notes, key tasks and review summaries are entries too, each
linking to its section (section_ids), found by their words.

Search that costs nothing until used (issue 28 §2). No page loads any of it
before the reader comes to the box; then search.js loads, as inserted
<script src> elements (file:// refuses fetch):

  assets/search-index.js      the map (BUDGET_SEARCH_MAP): which parts exist,
                              the record chunk size, the aliases. A few KB.
  assets/search/<key>.js      one part per key (BUDGET_SEARCH_PARTS[key]):
                              rows [id, names, 초성, words] of every entry a
                              query starting with that key can match.
  assets/search/records-N.js  what a result shows ([kind, title, path,
                              detail, other names, where they begin]),
                              CHUNK entries a file, loaded for the results shown.

The key of a letter (key_of) is the 초성 of a syllable, doubled ones folded
(ㄲ → ㄱ: 14 keys), or one key for Latin letters, one for digits, one for the
rest: at most 17 parts whatever the size. A query is matched from the part of
its first letter only (and of each alias rewrite's first letter; a guess with
one wrong letter also reads the part of its second letter), so an entry is in
every part one of its searchable substrings can start with. Its names are
short, so they go whole into each such part (캠퍼스 finds 빅데이터캠퍼스 from
part ㅋ). Its text is long and holds nearly every key, so each part gets only
the words that hold the key, each from its first letter of that key
(「빅데이터」 is 「데이터」 in part ㄷ): text matches within a word, no longer
across two; everything displayed is in the records, once. Measured
(benchmarks/search_index.py): the parts are about 3–4 times the names and
words; at 10,000 projects the whole index is a few per cent of the site.
Record ids follow the entries' order (names in ㄱㄴㄷ order), so the first
results of a prefix are neighbours, mostly in one chunk.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from . import money
from .model import Site

MAP = "assets/search-index.js"
PARTS = "assets/search/"
CHUNK = 2048  # records a file: 10 files at 10,000 projects (and their notes), about 250 KB each
# The 19 initial consonants of Hangul syllables, in Unicode order.
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
# Each key and its part's file name (ASCII: an archive or a server may mangle others).
KEYS = {"ㄱ": "g", "ㄴ": "n", "ㄷ": "d", "ㄹ": "r", "ㅁ": "m", "ㅂ": "b", "ㅅ": "s", "ㅇ": "o", "ㅈ": "j",
        "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "h", "a": "latin", "0": "digit", "?": "other"}


def _key_table() -> dict[int, str]:
    table = {code: CHOSEONG[(code - 0xAC00) // 588] for code in range(0xAC00, 0xD7A4)}
    table.update({ord(c): c for c in CHOSEONG})
    table = {code: _FOLD.get(c, c) for code, c in table.items()}
    table.update({ord(c): "a" for c in "abcdefghijklmnopqrstuvwxyz"})
    table.update({ord(c): "0" for c in "0123456789"})
    return table


_TABLE = _key_table()
_OTHER = re.compile("[^|" + "".join(KEYS) + "]")


def keys(text: str) -> str:
    """The key of each letter of text (normalised, no |): the 초성 of a
    syllable, doubled ones folded, or a for Latin, 0 for digits, ? for the rest."""
    return _OTHER.sub("?", text.translate(_TABLE))


def key_of(ch: str) -> str:
    """The part a query starting with ch is looked up in (search.js keyOf)."""
    return keys(ch)


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
           extra: str = "", past: tuple[str, ...] = (), compact: bool = False) -> tuple[dict, str, dict[str, str]]:
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
    record = [kind, title, path, detail, entry.get("a", ""), entry.get("o", 0)]
    while record[-1] in ("", 0):  # search.js reads a missing field as empty
        record.pop()
    words = _word_list(extra) if compact else list(dict.fromkeys(w for w in map(normalise, extra.split()) if w))
    return entry, _json(record), _rows(str(fields["n"]), str(fields["c"]), words)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _rows(names: str, initials_: str, words: list[str]) -> dict[str, str]:
    """An entry's row in each part it belongs to, without its id: [names,
    초성, words]; in part K only the words holding a letter of key K, each
    from the first such letter (a match starting at K starts there or after)."""
    named = set(keys(names + initials_)) - {"|"}
    held_by: dict[str, list[tuple[str, int]]] = {k: [] for k in sorted(named)}
    for word, of_word in zip(words, keys("|".join(words)).split("|")):
        for k in set(of_word):
            held_by.setdefault(k, []).append((word, of_word.index(k)))
    out = {}
    for k, held in held_by.items():
        cut = "|".join(w[i:] for w, i in held)
        # Names only where a query from k can match them (its first letter is in them); 0 elsewhere.
        row: list[str | int] = [names, initials_] if k in named else [0, 0]
        if cut:
            row.append(cut)
        while row and row[-1] in ("", 0):
            row.pop()
        out[k] = _json(row)[1:-1]
    return out


# A word's endings that do not help find it: particles and the commonest
# verb endings. A note's words are kept without them, each once, in order.
_ENDING = re.compile(r"(?:으로|에서|에게|까지|부터|이며|이고|하고|하며|하는|했고|했다|한다|하여|해야|했으며|"
                     r"입니다|습니다|니다|은|는|이|가|을|를|의|에|와|과|도|로|만)$")


def _words(text: str) -> str:
    """Long text as search needs it: its words without particles, each once,
    in order, numbers left out (a figure is found on its page, not here)."""
    return "".join(_word_list(text))


def _word_list(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in text.split():
        word = normalise(word)
        stem = _ENDING.sub("", word) if len(word) > 2 else word
        if len(stem) > 1 and not re.search(r"\d", stem):
            seen.setdefault(stem)
    return list(seen)


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
    return [entry for entry, *_ in _entries(site, {})]


def _entries(site: Site, kept: dict) -> list[tuple[dict, str, dict[str, str]]]:
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
    return [entry for entry, *_ in _sections(site)]


def _sections(site: Site) -> list[tuple[dict, str, dict[str, str]]]:
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


def _project_entry(p, kept: dict) -> tuple[dict, str, dict[str, str]]:
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


def index_files(site: Site, kept: dict | None = None) -> list[tuple[str, str]]:
    """The map, the parts and the record chunks (see the top of this file).
    kept: Memory.search_entries, between builds. An entry's id is its place:
    departments, projects, terms, then the notes and key tasks."""
    return write_parts([*_entries(site, {} if kept is None else kept), *_sections(site)], aliases(site))


def write_parts(made: list[tuple[dict, str, dict[str, str]]], alias_table: list[list[str]]) -> list[tuple[str, str]]:
    """The files from the entries as _entry makes them (benchmarks/search_index.py calls it too)."""
    files = []
    for n, start in enumerate(range(0, len(made), CHUNK)):
        chunk = ",".join(record for _, record, _ in made[start:start + CHUNK])
        files.append((f"{PARTS}records-{n}.js", _inert(
            f"(window.BUDGET_SEARCH_RECORDS=window.BUDGET_SEARCH_RECORDS||{{}})[{n}]=[{chunk}];\n")))
    parts = {}
    for key, name in KEYS.items():
        rows = [f"[{i},{rows[key]}]" if rows[key] else f"[{i}]" for i, (_, _, rows) in enumerate(made) if key in rows]
        if rows:
            parts[key] = name
            files.append((f"{PARTS}{name}.js", _inert(
                f"(window.BUDGET_SEARCH_PARTS=window.BUDGET_SEARCH_PARTS||{{}})[{_json(key)}]=[{','.join(rows)}];\n")))
    the_map = {"parts": parts, "chunk": CHUNK, "aliases": alias_table}
    # A classic script, not JSON: file:// pages cannot fetch it.
    return [(MAP, _inert(f"window.BUDGET_SEARCH_MAP={_json(the_map)};\n")), *files]


def read_index(folder: Path) -> list[dict]:
    """The entries as a built site holds them (for tests and tools): what
    entries() and section_entries() give, without the words (x)."""
    def value(path: Path) -> Any:
        text = path.read_text(encoding="utf-8")
        return json.loads(text[text.index("]=") + 2 if text.startswith("(") else text.index("=") + 1:].rstrip().rstrip(";"))
    the_map = value(folder / MAP)
    records: list = []
    for n in range(len(list((folder / PARTS).glob("records-*.js")))):
        records += value(folder / PARTS / f"records-{n}.js")
    out = []
    for kind, title, path, detail, others, start in (r + ["", "", "", "", "", 0][len(r):] for r in records):
        entry = {"k": kind, "t": title, "u": path, "d": detail, "a": others, "o": start}
        out.append({k: v for k, v in entry.items() if v})
    for name in the_map["parts"].values():
        for i, names, *initials_ in (row + [0] for row in value(folder / PARTS / f"{name}.js")):
            out[i].update({**({"n": names} if names else {}), **({"c": initials_[0]} if initials_ and initials_[0] else {})})
    return [{k: e[k] for k in ("k", "t", "u", "d", "n", "c", "a", "o") if k in e} for e in out]
