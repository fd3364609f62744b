"""Every string of a file: composed Hangul, no control or invisible characters, sensible lengths.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..problems import Problem
from .document import Document

# Short fields shown as names and headings: single line, sensible length.
NAME_FIELDS = {"name", "term", "title", "item", "short", "goal"}


NAME_LIMIT = 200


TEXT_LIMIT = 20_000


# Unicode's control characters (category Cc); running text may hold tabs and newlines.
_SHORT_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


# Text that reads other than it is: direction overrides (U+202E shows 'txt.exe'
# as 'exe.txt') and zero-width characters that make two names look alike.
_INVISIBLE = {**{chr(c): f"U+{c:04X}" for c in (*range(0x200B, 0x2010), *range(0x202A, 0x202F),
                                              *range(0x2066, 0x206A), 0xFEFF)}}


# Fields that identify, date or address: one line, never blank. (A schema
# pattern ^…$ lets a trailing newline through in one validator and not the
# other: "evil\n" would make a folder with a newline in its name.)
ID_FIELDS = {"id", "doc", "department", "project", "base_url", "date", "as_of", "from_date", "to_date", "file",
             "url", "report_url", "email", "spdx"}


def text_problems(doc: Document, data: Any, path: tuple = ()) -> list[Problem]:
    """Every string: composed Hangul (NFC), no control characters, not absurdly long."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in text_problems(doc, v, path + (k,))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in text_problems(doc, v, path + (i,))]
    if not isinstance(data, str):
        return []
    short = bool(path) and (path[-1] in NAME_FIELDS or path[-1] in ID_FIELDS)
    if unicodedata.is_normalized("NFC", data) and len(data) <= (NAME_LIMIT if short else TEXT_LIMIT) \
            and not (_SHORT_CONTROL if short else _CONTROL).search(data) and (not short or data.strip()):
        return []  # nearly every string: checked in C, without a look at each character
    problems = []
    if short and not data.strip():
        problems.append(doc.problem(path, "비어 있거나 공백뿐입니다"))
    invisible = sorted({_INVISIBLE[ch] for ch in data if ch in _INVISIBLE})
    if invisible:
        problems.append(doc.problem(path, f"보이지 않거나 글자 방향을 바꾸는 문자가 있습니다: {', '.join(invisible)}. "
                                          f"지우고 다시 입력하세요"))
    if unicodedata.normalize("NFC", data) != data:
        problems.append(doc.problem(path, "한글이 자모로 풀어진 채(NFD) 저장되어 있습니다. 완성형(NFC)으로 다시 입력하거나 "
                                          "편집기에서 NFC로 저장하세요 (macOS에서 복사한 글자에서 흔합니다)"))
    controls = {ch for ch in data if unicodedata.category(ch) == "Cc" and (short or ch not in "\n\t")}
    if controls:
        shown = ", ".join("탭" if ch == "\t" else "줄바꿈" if ch == "\n" else f"U+{ord(ch):04X}" for ch in sorted(controls))
        problems.append(doc.problem(path, f"보이지 않는 제어 문자가 있습니다: {shown}"))
    limit = NAME_LIMIT if short else TEXT_LIMIT
    if len(data) > limit:
        problems.append(doc.problem(path, f"{limit:,}자를 넘을 수 없습니다 ({len(data):,}자)"))
    return problems
