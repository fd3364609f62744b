"""Stage 1: read every YAML file in content/, keeping the line of each field.

Dates stay strings (no YAML timestamp magic) so that what the office typed is
what the site shows, and duplicate keys are reported instead of silently
keeping the last one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, display_path


class _Loader(yaml.SafeLoader):
    pass


# Without the timestamp resolver, 2025-07-31 loads as the string it is.
_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple  # a field path: ("figures", 3, "amount")


@dataclass
class Document:
    """One YAML file: its data and the line where each field starts."""

    kind: str  # site | sources | department | project | revenue | programs | glossary
    path: Path
    name: str  # path as shown in messages, relative to the project
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

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

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]

    def one(self, kind: str) -> Document | None:
        docs = self.of_kind(kind)
        return docs[0] if docs else None


def _walk(node: yaml.Node, path: tuple, lines: dict, dupes: list) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key, value in node.value:
            k = key.value
            if k in seen:
                dupes.append((path + (k,), key.start_mark.line + 1))
            seen.add(k)
            lines[path + (k,)] = key.start_mark.line + 1
            _walk(value, path + (k,), lines, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, dupes)


def read_yaml(path: Path, kind: str, root: Path) -> tuple[Document | None, list[Problem]]:
    name = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(name, 1, "", f"UTF-8로 읽을 수 없습니다: {e.reason}")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        started = ""
        if e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            started = f" ({e.context_mark.line + 1}행에서 시작한 {e.context})"
        return None, [Problem(name, line, "", f"YAML 문법 오류: {e.problem}{started}")]
    finally:
        loader.dispose()
    lines: dict = {}
    dupes: list = []
    if node is not None:
        _walk(node, (), lines, dupes)
    doc = Document(kind, path, name, data, lines)
    problems = [Problem(name, line, field_name(p), "같은 키가 두 번 있습니다") for p, line in dupes]
    return doc, problems


# Files a dataset may leave out: the site is built without their pages.
OPTIONAL = ("revenue", "programs", "glossary")


def load_content(content_dir: Path, root: Path | None = None) -> Content:
    """Read site.yaml, sources.yaml, departments/*.yaml, projects/*.yaml, and
    the optional revenue.yaml, programs.yaml and glossary.yaml.

    root is what file names in messages are shown relative to.
    """
    root = root or content_dir.parent
    wanted = [(content_dir / "site.yaml", "site"), (content_dir / "sources.yaml", "sources")]
    wanted += [(p, "department") for p in sorted((content_dir / "departments").glob("*.yaml"))]
    wanted += [(p, "project") for p in sorted((content_dir / "projects").glob("*.yaml"))]
    wanted += [(content_dir / f"{kind}.yaml", kind) for kind in OPTIONAL
               if (content_dir / f"{kind}.yaml").exists()]
    documents, problems = [], []
    for path, kind in wanted:
        if not path.exists():
            problems.append(Problem(display_path(path, root), 1, "", "파일이 없습니다"))
            continue
        doc, found = read_yaml(path, kind, root)
        problems += found
        if doc is not None:
            documents.append(doc)
    return Content(root, documents, problems)
