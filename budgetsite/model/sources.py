"""The source documents, their sections, and a reference to a line of one.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Section:
    """A heading of a source document as printed (a part, Ⅰ., or a chapter
    of one, 1.), starting at a line of its text."""
    line: int
    title: str
    id: str                         # its place in the document's contents on the sources page
    part: Section | None = None   # the part a chapter is in
    extracted: str | None = None    # the text file's words at line, where they differ

    @property
    def anchor(self) -> str:
        return f"sources/index.html#{self.id}"

    @property
    def path(self) -> str:
        """Ⅱ. 검토의견 › 2. 주요사업별 세출예산 검토(부서별): enough to find it in the printed document."""
        return f"{self.part.title} › {self.title}" if self.part else self.title


# What a document prints about itself (sources.yaml `printed`), in the order
# the sources page lists it, with the words it is listed under.
PRINTED_FIELDS = [("issuer", "기관"), ("meeting", "위원회·회의"), ("session", "회기"), ("date", "날짜"),
                  ("kind", "문서 종류"), ("bill", "의안번호"), ("signed", "작성·발표"),
                  ("as_of", "자료 기준일")]


@dataclass
class Source:
    id: str
    title: str
    organisation: str
    date: str
    kind: str
    units: list[str]
    file: str
    author: str | None = None
    fiscal_years: list[int] = field(default_factory=list)
    summary: str | None = None
    printed: dict = field(default_factory=dict)  # field → {text, line}: what the document prints about itself
    obtain: str | None = None                     # how a reader gets the original, in our own words
    # Its headings in order (parts, each followed by its chapters), made once
    # from sources.yaml's parts and chapters.
    sections: list[Section] = field(default_factory=list)

    def __post_init__(self):
        made: list[Section] = []
        for part in self.sections:
            if isinstance(part, Section):
                made.append(part)
                continue
            top = Section(part["line"], part["title"], f"{self.id}-s{len(made) + 1}", None, part.get("extracted"))
            made.append(top)
            made += [Section(ch["line"], ch["title"], f"{self.id}-s{len(made) + k + 1}", top, ch.get("extracted"))
                     for k, ch in enumerate(part.get("chapters", []))]
        self.sections = made
        self._starts = [s.line for s in made]

    @property
    def anchor(self) -> str:
        return f"sources/index.html#{self.id}"

    @cached_property
    def short(self) -> str:
        return f"{self.organisation} {self.kind}({self.date})"

    def section_at(self, line: int) -> Section | None:
        """The section a line of the text is in: the last to start at or before it."""
        i = bisect_right(self._starts, line)
        return self.sections[i - 1] if i else None


@dataclass
class SourceRef:
    source: Source
    line: int
    page: int | None = None

    @cached_property
    def section(self) -> Section | None:
        return self.source.section_at(self.line)

    @property
    def anchor(self) -> str:
        """Where the sources page shows it: its section in the document's contents, else the document."""
        return self.section.anchor if self.section else self.source.anchor

    @property
    def place(self) -> str:
        """The line (and printed page) in the document."""
        return f"{self.line}행, {self.page}쪽" if self.page else f"{self.line}행"

    @cached_property
    def label(self) -> str:
        """디지털도시국 검토보고서(2024-11) · Ⅱ. 검토의견 › 2. 주요사업별 세출예산 검토(부서별) · 3560행:
        the document, the section it is printed in, the line."""
        if self.section is None:
            return f"{self.source.short} {self.place}"
        return f"{self.source.short} · {self.section.path} · {self.place}"
