"""One YAML file as loaded (its data and the line of each field), and the whole content.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..problems import Problem
from .parse import positions

Path_ = tuple  # a field path: ("figures", 3, "amount")


@dataclass
class Document:
    """One YAML file: its data and the line where each field starts."""

    kind: str  # site | sources | department | project | revenue | programs | glossary | search-aliases
    path: Path
    name: str  # path as shown in messages, relative to the project
    data: Any
    text: str = field(default="", repr=False)
    _lines: dict[Path_, int] | None = field(default=None, repr=False)
    # What checks of this file alone found, once done: a file loaded again
    # unchanged (serve) is not checked again. Keyed by check.
    checked: dict = field(default_factory=dict, repr=False, compare=False)
    # What the model made of this file, kept with it likewise (model.py).
    made: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def lines(self) -> dict[Path_, int]:
        """Field path → line. Found from the text again when a message first
        needs one: most builds have no problem to report, and keeping every
        node's position while loading was costly."""
        if self._lines is None:
            self._lines, _ = positions(self.text)
        return self._lines

    def line(self, path: Path_) -> int:
        """The line of a field, or of its nearest parent that exists."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.name, self.line(path), field_name(path), message)


def field_name(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Content:
    root: Path
    documents: list[Document]
    problems: list[Problem]
    # pages/*.md: each a page of the site, by name (the file's stem) → its
    # Markdown and its name in messages. guide.md is required.
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Names (stems) of the files that could not be read: a reference to one is
    # not reported again as unknown, an echo of the problem already said.
    unread: frozenset[str] = frozenset()

    def of_kind(self, kind: str) -> tuple[Document, ...]:
        return self._by_kind.get(kind, ())

    @property
    def guide(self) -> str:
        return self.pages.get(GUIDE, ("", ""))[0]

    @cached_property
    def _by_kind(self) -> dict[str, tuple[Document, ...]]:
        # Asked for many times a build: a pass over every document each time.
        kinds: dict[str, list[Document]] = {}
        for d in self.documents:
            kinds.setdefault(d.kind, []).append(d)
        return {kind: tuple(docs) for kind, docs in kinds.items()}

    def one(self, kind: str) -> Document | None:
        docs = self.of_kind(kind)
        return docs[0] if docs else None


GUIDE = "guide"  # pages/guide.md: how to read the site, linked from every page
