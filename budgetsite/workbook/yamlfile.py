"""The YAML side: ruamel.yaml's round trip, used to read the files and to write
one entry back as the single flow-style line the files give it. A file is never
dumped whole: only the lines of changed entries are replaced and new entries
inserted, so comments, key order, quoting and every other line stay as they were."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def _yaml() -> YAML:
    y = YAML()  # round trip
    y.preserve_quotes = True  # revenue.yaml quotes every string; a rewritten line keeps that
    y.width = 1 << 20  # one entry, one line, however long
    return y


_Y = _yaml()


@dataclass
class YamlFile:
    path: Path
    rel: str  # under content/, as the row ids name it
    text: str
    data: Any

    @classmethod
    def read(cls, path: Path, content: Path) -> YamlFile:
        return cls.parse(path, content, path.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, path: Path, content: Path, text: str) -> YamlFile:
        """A file from its text: one being read, or one an import makes."""
        return cls(path, path.relative_to(content).as_posix(), text, _Y.load(text))

    def entries(self, key: str) -> CommentedSeq:
        seq = self.data.get(key) if isinstance(self.data, dict) else None
        return seq if isinstance(seq, CommentedSeq) else CommentedSeq()

    def owner(self) -> str | None:
        return str(self.data["id"]) if isinstance(self.data, dict) and "id" in self.data else None


def plain(value: Any) -> Any:
    """A loaded value as plain data, for telling a changed row from the same one."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def flow_line(entry: CommentedMap) -> str:
    """`- {year: …, …}` as the files write a figure (checked byte for byte against
    every entry of the content: an unchanged entry gives back its own line)."""
    entry.fa.set_flow_style()
    for value in entry.values():
        if isinstance(value, CommentedMap):
            value.fa.set_flow_style()
    out = io.StringIO()
    _Y.dump([entry], out)
    return out.getvalue().rstrip("\n")
