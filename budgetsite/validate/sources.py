"""The source texts: each read once, and the lines content cites checked against them.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from ..load import Document, Unreadable, read_bytes
from ..problems import Problem


def source_texts(sources: Document, sources_dir: Path) -> tuple[dict[str, list[str] | None], list[Problem]]:
    """Source id → the lines of its text file, each read once (None when the
    folder is not here: the checks against it are skipped, and said so by the
    command); a file there that cannot be read as UTF-8 text is a problem."""
    texts: dict[str, list[str] | None] = {}
    problems = []
    for i, s in enumerate(sources.data["sources"]):
        texts[s["id"]] = None
        if not sources_dir.is_dir():
            continue
        path = sources_dir / s["file"]
        where = ("sources", i, "file")
        if not path.exists():
            problems.append(sources.problem(where, f"{sources_dir}에 파일이 없습니다"))
            continue
        try:
            texts[s["id"]] = read_bytes(path, SOURCE_LIMIT).decode("utf-8-sig").splitlines()
        except Unreadable as e:
            problems.append(sources.problem(where, f"원문 텍스트 {path}: {e}"))
        except UnicodeDecodeError:
            problems.append(sources.problem(where, f"원문 텍스트 {path}는 UTF-8이 아닙니다. UTF-8로 저장한 텍스트를 두세요"))
    return texts, problems


# A source text is a whole document as extracted: larger than a content file may be.
SOURCE_LIMIT = 64 * 2**20


# One kind of quote and of middle dot: the extractions print ’24 as `24 and
# 세입·세출 with any of these.
_SAME = str.maketrans({"`": "'", "’": "'", "‘": "'", "‧": "·", "・": "·", "ㆍ": "·", "⋅": "·", "∙": "·"})


# A heading or a name may wrap onto the next lines of a text file.
PRINTED_WINDOW = 6


def _plain(text: str) -> str:
    """Words as compared with a source text: NFKC (Ⅳ reads IV), without
    whitespace (headings are printed letter-spaced: 일 반 현 황), one kind of
    quote and of middle dot."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_SAME).split())


def printed_at(lines: list[str], line: int, words: str, heading: bool = False) -> bool:
    """Whether a source text (its lines) prints words beginning on line
    (1-based), perhaps wrapping onto the next lines; a heading also begins
    the line."""
    if not 1 <= line <= len(lines) or not lines[line - 1].strip():
        return False
    here = _plain("".join(lines[line - 1:line - 1 + PRINTED_WINDOW]))
    at = here.find(_plain(words))
    return at == 0 if heading else 0 <= at < len(_plain(lines[line - 1]))


def check_source_text(doc: Document, i: int, s: dict, lines: list[str] | None) -> list[Problem]:
    """A source's sections and the words it prints about itself against its
    text (lines; None where the text is not here: order only): sections in
    order, each within the text and its heading at its line."""
    problems = []
    sections: list[tuple[tuple, dict]] = []  # (path, section or chapter)
    for j, part in enumerate(s.get("sections", [])):
        sections.append((("sources", i, "sections", j), part))
        sections += [(("sources", i, "sections", j, "chapters", k), ch) for k, ch in enumerate(part.get("chapters", []))]
    before = 0
    for path, sec in sections:
        if sec["line"] <= before:
            problems.append(doc.problem(path + ("line",),
                                        f"앞 제목({before}행)보다 뒤여야 합니다: 차례대로 적으세요 (입력값: {sec['line']})"))
        before = max(before, sec["line"])
        if lines is None:
            continue
        if sec["line"] > len(lines):
            problems.append(doc.problem(path + ("line",), f"자료 '{s['id']}'는 {len(lines)}줄뿐입니다 (입력값: {sec['line']})"))
        elif not printed_at(lines, sec["line"], sec.get("extracted") or sec["title"], heading=True):
            problems.append(doc.problem(path + ("extracted" if "extracted" in sec else "title",),
                                        f"{s['file']} {sec['line']}행이 "
                                        f"'{sec.get('extracted') or sec['title']}'(으)로 시작하지 않습니다"))
    for key, item in (s.get("printed") or {}).items():
        path = ("sources", i, "printed", key)
        if lines is None:
            continue
        if item["line"] > len(lines):
            problems.append(doc.problem(path + ("line",), f"자료 '{s['id']}'는 {len(lines)}줄뿐입니다 (입력값: {item['line']})"))
        elif not printed_at(lines, item["line"], item["text"]):
            problems.append(doc.problem(path + ("text",), f"{s['file']} {item['line']}행에 '{item['text']}'이(가) 없습니다"))
    return problems


def check_edition(site: Document, sources: list[dict]) -> list[Problem]:
    """The edition a citation names is a real day, not before the latest document it includes."""
    edition = site.data.get("edition")
    if not edition:
        return []
    try:
        date.fromisoformat(edition["date"])
    except ValueError:
        return [site.problem(("edition", "date"), f"없는 날짜입니다 (입력값: {edition['date']})")]
    latest = max(sources, key=lambda s: s["date"], default=None)
    if latest and edition["date"][:len(latest["date"])] < latest["date"]:
        return [site.problem(("edition", "date"),
                             f"가장 늦은 자료 '{latest['id']}'({latest['date']})보다 이릅니다 (입력값: {edition['date']})")]
    return []


def check_source_ref(doc: Document, path: tuple, ref: dict, lines: dict) -> list[Problem]:
    if ref["doc"] not in lines:
        return [doc.problem(path + ("doc",), f"sources.yaml에 없는 자료 '{ref['doc']}'입니다")]
    n = lines[ref["doc"]]
    if n is not None and ref["line"] > n:
        return [doc.problem(path + ("line",), f"자료 '{ref['doc']}'는 {n}줄뿐입니다 (입력값: {ref['line']})")]
    return []
