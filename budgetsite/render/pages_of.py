"""A long list split into pages (issue 28 §3): which part of the list a page
shows, and its pager. Used by the project index (lists.py) and each
department's list of projects (places.py); the page kinds of the later
pages are declared in registry.py.

A list no longer than its limit (limits.py: PROJECTS_PER_PAGE for the
index, DEPARTMENT_PROJECTS_PER_PAGE for a department's) is one page as it
always was, with no pager. A longer one keeps its order: page 1 at the list's own
address, page n at <folder>/page-n/index.html.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# The folder of page n under a list's own folder: projects/page-2/. A project id may not be one (validate/references.py).
FOLDER = "page-{}"
TAKEN_ID = re.compile(r"page-[0-9]+")

# Page numbers shown either side of the current one; the first and last are always shown, gaps as 「…」.
AROUND = 2


def count(total: int, size: int) -> int:
    """How many pages a list of total items takes, size a page (at least one)."""
    return max(1, -(-total // size))


def path(first: str, number: int, folder: str = "") -> str:
    """Page number's address: first (the list's own page) for 1, else page-n
    in folder (from the site root; first's folder when empty)."""
    if number == 1:
        return first
    return posixpath.join(folder or posixpath.dirname(first), FOLDER.format(number), "index.html")


@dataclass(frozen=True)
class PageLink:
    label: str          # the page number, or 「…」 for numbers left out (no href)
    href: str = ""      # from the site root
    current: bool = False


@dataclass(frozen=True)
class Pager:
    """Where a page stands in its list, and the links to the other pages."""
    name: str                       # the nav's name: 「사업 목록 쪽 번호」
    number: int
    count: int
    total: int
    first: int                      # the first and last item shown, counted from 1
    last: int
    links: tuple[PageLink, ...]
    previous: str                   # from the site root; '' on the first page
    next: str                       # '' on the last
    csv: str                        # the whole list's downloads, from the site root
    json: str
    jumps_name: str = ""            # 「부서별로 가기」: links to where each group starts
    jumps: tuple[PageLink, ...] = ()

    @property
    def shown(self) -> str:
        return f"전체 {self.total:,}개 중 {self.first:,}–{self.last:,}번째"


def _numbers(number: int, pages: int) -> list[int | None]:
    keep = {1, pages, *range(number - AROUND, number + AROUND + 1)}
    out: list[int | None] = []
    for n in range(1, pages + 1):
        if n in keep:
            out.append(n)
        elif out and out[-1] is not None:
            out.append(None)
    return out


def part(items: Sequence[T], size: int, number: int, href: Callable[[int], str], name: str, whole: tuple[str, str],
         groups: Callable[[T], str] | None = None, groups_name: str = "") -> tuple[list[T], Pager | None]:
    """The items page number shows, size a page, and its pager (None when
    the list fits on one page). href(n): page n's address from the site root; whole: the
    whole list's CSV and JSON; groups: a label of each item (its department,
    its initial), to link to the page where each label first appears."""
    pages = count(len(items), size)
    if pages == 1:
        return list(items), None
    start = (number - 1) * size
    shown = list(items[start:start + size])
    jumps: list[PageLink] = []
    if groups:
        seen: set[str] = set()
        for i, item in enumerate(items):
            label = groups(item)
            if label not in seen:
                seen.add(label)
                jumps.append(PageLink(label, href(i // size + 1), current=i // size + 1 == number))
    return shown, Pager(
        name, number, pages, len(items), start + 1, start + len(shown),
        tuple(PageLink(str(n), href(n), n == number) if n else PageLink("…") for n in _numbers(number, pages)),
        href(number - 1) if number > 1 else "", href(number + 1) if number < pages else "",
        whole[0], whole[1], groups_name, tuple(jumps))


# Doubled initials are filed with their plain ones, as in a dictionary (ㄲ with ㄱ).
_PLAIN = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def initial(name: str) -> str:
    """The ㄱㄴㄷ a name is filed under: its first syllable's initial; A–Z or 기타 for a name not in Hangul."""
    first = name.strip()[:1]
    if "가" <= first <= "힣":
        c = _CHOSEONG[(ord(first) - 0xAC00) // 588]
        return _PLAIN.get(c, c)
    return "A–Z" if first.isascii() and first.isalpha() else "기타"
