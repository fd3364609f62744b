"""Load (the first stage of pipeline.Builder): read every YAML file in content/, keeping the line of each field.

Dates stay strings (no YAML timestamp magic) so that what the office typed is
what the site shows, and duplicate keys are reported instead of silently
keeping the last one.
"""
from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import workers
from .memory import Memory
from .problems import Problem, display_path

# libyaml's parser where PyYAML was built with it (every wheel on PyPI): much
# faster than the pure-Python one, which remains the fallback.
if TYPE_CHECKING:  # the same interface; mypy needs a class it can name
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = False

    def construct_mapping(self, node, deep=False):
        # Noticed while building the data; which keys, and where, is found
        # only then (_walk), as lines are.
        self.duplicates |= _written_twice(node)
        return super().construct_mapping(node, deep)

    def resolve(self, kind, value, implicit):
        if value is not None and len(value) > 64:  # long texts: rarely alike, and not worth keeping
            return _Base.resolve(self, kind, value, implicit)
        return _resolved(kind, value, implicit)


def _written_twice(node: yaml.MappingNode) -> bool:
    """A key written twice as the file has it (1 and '1' too, as _walk
    reports them); keys that are not plain values are left to PyYAML."""
    written = [k.value for k, _ in node.value if k.__class__ is yaml.ScalarNode]
    return len(set(written)) != len(written)


@lru_cache(maxsize=1 << 16)
def _resolved(kind, value, implicit):
    """The tag of a node, as the resolver finds it, remembered: the same keys,
    stages and years come in every file, and libyaml asks for each scalar
    (much of a file's parsing). A pure function of its arguments while
    no path resolvers are set, and none are."""
    # The class stands in for an instance: resolve reads only class attributes here.
    return _Base.resolve(_Loader, kind, value, implicit)  # type: ignore[arg-type]


_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# Keys PyYAML's own mapping constructor rewrites: merges (<<) and =.
_MERGE = "tag:yaml.org,2002:merge"
_SPECIAL_KEYS = {_MERGE, "tag:yaml.org,2002:value"}


def _construct(loader: _Loader, node: yaml.Node):
    """What loader.construct_document(node) makes, far more cheaply:
    strings, lists and plain mappings, nearly all of a content file, are
    made here without PyYAML's generic machinery; any other node (numbers,
    booleans, null, explicit tags, merges) by the loader's own constructors.
    (Aliases are refused before this, so no node is reached twice.)"""
    tag = node.tag
    if node.__class__ is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        value = node.value
        # Plain decimal, as every year, amount and line is; PyYAML's own
        # constructor for the rest (signs, 0x, 0o, 1_000, 1:30).
        # (Python's int() refuses over 4,300 digits: those go the long way, to an error.)
        if tag == _INT and value.isascii() and value.isdigit() and (value[0] != "0" or value == "0") \
                and len(value) < 4000:
            return int(value)
        if tag == _INT and not _PLAIN_DECIMAL.fullmatch(value):
            # 0600000 (octal), 0x1F, 1_000, 1:30:00 (base 60), +7: YAML 1.1 reads
            # them as other numbers than the digits show. An amount is never one.
            raise _NotDecimal(node.start_mark, value)
    if tag == _SEQ and node.__class__ is yaml.SequenceNode:
        return [_construct(loader, item) for item in node.value]
    if tag == _MAP and node.__class__ is yaml.MappingNode \
            and not any(key.tag in _SPECIAL_KEYS for key, _ in node.value):
        mapping = {}
        other_keys = False  # any key not a string: 1 and '1' are two keys, yet written alike
        for key_node, value_node in node.value:
            key, value = _construct(loader, key_node), _construct(loader, value_node)
            other_keys |= key.__class__ is not str
            try:
                mapping[key] = value
            except TypeError:
                raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                        "found unhashable key", key_node.start_mark) from None
        if len(mapping) != len(node.value) or (other_keys and _written_twice(node)):
            loader.duplicates = True
        return mapping
    if node.__class__ is yaml.MappingNode:
        merge = next((key for key, _ in node.value if key.tag == _MERGE), None)
        if merge is not None:
            # <<: copies another mapping's fields unseen: a figure would carry
            # amounts nobody wrote beside it.
            raise _Merge(merge.start_mark.line + 1)
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, IndexError, OverflowError):  # PyYAML's own, on values such as 0x_ or an empty !!int
        shown = node.value if isinstance(node.value, str) else ""
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        raise yaml.constructor.ConstructorError(None, None, f"값 '{shown}'을(를) 읽을 수 없습니다",
                                                node.start_mark) from None


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
            self._lines, _ = _positions(self.text)
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


class _NotDecimal(Exception):
    def __init__(self, mark, value: str):
        self.line, self.column, self.value = mark.line + 1, mark.column, value


def _path_at(text: str, line: int, column: int) -> tuple:
    """The field whose value starts at a place in the text."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    todo: list = [((), node)] if node is not None else []
    while todo:
        path, n = todo.pop()
        if n.start_mark.line + 1 == line and n.start_mark.column == column and isinstance(n, yaml.ScalarNode):
            return path
        if isinstance(n, yaml.MappingNode):
            todo += [(path + (k.value,), v) for k, v in n.value]
        elif isinstance(n, yaml.SequenceNode):
            todo += [(path + (i,), v) for i, v in enumerate(n.value)]
    return ()


# A number as a person writes it: digits, a leading minus at most, no leading zero.
_PLAIN_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)")


class _Alias(Exception):
    def __init__(self, line: int):
        self.line = line


class _Merge(_Alias):
    pass


# libyaml's messages, said in Korean; the first fragment found in its words wins.
_SYNTAX = [
    ("mapping values are not allowed", "콜론(:)이 있을 수 없는 자리에 있습니다. 한 줄에 '키: 값' 하나만 두고, 들여쓰기가 "
                                       "위 줄과 맞는지, 값에 콜론이 있으면 따옴표로 감쌌는지 확인하세요"),
    ("did not find expected key", "들여쓰기가 맞지 않습니다. 같은 묶음의 항목은 같은 칸에서 시작하세요"),
    ("did not find expected '-' indicator", "목록(-) 사이에 들여쓰기가 다른 줄이 있습니다. 목록의 항목은 같은 칸의 '- '로 "
                                           "시작하세요"),
    ("did not find expected ',' or ']'", "[ 로 연 목록이 ] 로 닫히지 않았습니다"),
    ("did not find expected ',' or '}'", "{ 로 연 묶음이 } 로 닫히지 않았습니다"),
    ("did not find expected node content", "값이 있어야 할 자리에 값이 없습니다"),
    ("did not find expected <document start>", "한 값 뒤에 다른 글이 이어집니다. 따옴표나 괄호가 맞게 닫혔는지 확인하세요"),
    ("found unexpected end of stream", "따옴표로 연 글이 파일 끝까지 닫히지 않았습니다"),
    ("found unknown escape character", "큰따옴표 안의 역슬래시(\\) 뒤 글자를 읽을 수 없습니다. 작은따옴표로 감싸거나 "
                                       "역슬래시를 두 번 쓰세요"),
    ("found character that cannot start any token", "값이 @, `, % 같은 글자로 시작할 수 없습니다. 값을 따옴표로 감싸세요"),
    ("found undefined alias", "YAML 별칭(*이름)은 쓸 수 없습니다. 값을 그대로 적으세요"),
    ("but found another document", "한 파일에 YAML 문서가 둘 이상 있습니다(---). 파일 하나에 문서 하나만 두세요"),
    ("found unhashable key", "키로 목록이나 묶음을 쓸 수 없습니다"),
    ("could not determine a constructor", "YAML 태그(!…)는 쓸 수 없습니다. 태그를 지우고 값만 적으세요"),
    ("found duplicate anchor", "YAML 앵커(&이름)는 쓸 수 없습니다"),
    ("expected alphabetic or numeric character", "&나 * 뒤에 이름이 없습니다. 값에 &나 *가 있으면 따옴표로 감싸세요"),
    ("found unexpected ':'", "콜론(:)이 있을 수 없는 자리에 있습니다. 값에 콜론이 있으면 따옴표로 감싸세요"),
    ("found incompatible YAML document", "이 YAML 버전 표시(%YAML)는 읽을 수 없습니다. 그 줄을 지우세요"),
]
_HANGUL = re.compile("[가-힣]")
_CONTEXTS = {"while parsing a block mapping": "항목 묶음", "while parsing a block collection": "목록",
             "while scanning a quoted scalar": "따옴표 글", "while parsing a quoted scalar": "따옴표 글",
             "while parsing a flow sequence": "[ ] 목록", "while parsing a flow mapping": "{ } 묶음",
             "while scanning a simple key": "키", "while scanning a block scalar": "| 또는 > 글"}


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    said = f"{error.context or ''} {error.problem or ''}"
    if error.problem and _HANGUL.search(error.problem):
        return error.problem  # already ours (_construct)
    korean = next((k for english, k in _SYNTAX if english in said), None)
    if korean is None:  # not seen in practice; never English to the office
        korean = "이 줄을 YAML로 읽을 수 없습니다. 들여쓰기, 콜론(:) 뒤의 공백, 따옴표와 괄호가 맞는지 확인하세요"
    return f"YAML 문법 오류: {korean}"


def _positions(text: str) -> tuple[dict, list]:
    """The line of every field, and every key given twice with its line."""
    lines: dict = {}
    dupes: list = []
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        _walk(node, (), lines, dupes)
    return lines, dupes


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
ID_FIELDS = {"id", "doc", "department", "project", "base_url", "date", "as_of", "from_date", "to_date", "file"}


def _text_problems(doc: Document, data: Any, path: tuple = ()) -> list[Problem]:
    """Every string: composed Hangul (NFC), no control characters, not absurdly long."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _text_problems(doc, v, path + (k,))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _text_problems(doc, v, path + (i,))]
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


def _indent(text: str, line: int) -> str:
    """The leading whitespace of a line (1-based), to tell tab indentation apart."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    return lines[line - 1][:len(lines[line - 1]) - len(lines[line - 1].lstrip())]


# Deeper than this, Python's recursion limit stops the walk anyway (a
# RecursionError, reported as below); far deeper, libyaml's own parser
# overflows the C stack and kills the process, so such text is not parsed.
MAX_DEPTH = 1000
_BRACKETS = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> int | None:
    """The line where brackets nest deeper than MAX_DEPTH, if they do. Counted
    only in files with that many opening brackets, a few at most."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return text.count("\n", 0, m.start()) + 1
    return None


# What one content file may cost: well above the largest real one
# (revenue.yaml); far larger ones cost too much to check.
MAX_FILE_BYTES = 8 * 2**20


class Unreadable(Exception):
    """A file that cannot be read as content, said in Korean."""


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """A regular file's bytes, or Unreadable: a folder, a FIFO (which would
    wait for a writer forever), a device (/dev/zero never ends), a file over
    the limit, or one that cannot be opened. Opened without blocking, then
    looked at, so nothing can change between the look and the read."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except IsADirectoryError:
        raise Unreadable("파일이 아니라 폴더입니다. 폴더 이름이 .yaml로 끝나지 않게 바꾸세요") from None
    except PermissionError:
        raise Unreadable("읽을 권한이 없습니다. 파일의 권한을 확인하세요 (예: chmod a+r)") from None
    except OSError as e:
        raise Unreadable(f"열 수 없습니다: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable("파일이 아니라 폴더입니다. 폴더 이름이 .yaml로 끝나지 않게 바꾸세요")
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("보통 파일이 아닙니다(장치, 파이프 등). 내용은 보통 파일로 두세요")
        if st.st_size > limit:
            raise Unreadable(f"파일이 너무 큽니다({st.st_size / 2**20:,.1f} MB, 한도 {limit / 2**20:,.0f} MB). "
                             f"사업마다 파일을 나누세요")
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise Unreadable(f"읽을 수 없습니다: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # grown since the look
        raise Unreadable(f"파일이 너무 큽니다(한도 {limit / 2**20:,.0f} MB). 사업마다 파일을 나누세요")
    return raw


def _decoded(raw: bytes, name: str) -> tuple[str, Problem | None]:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and raw.count(0) * 4 > len(raw)):
        return "", Problem(name, 1, "", "UTF-16으로 저장된 파일입니다. 편집기에서 인코딩을 UTF-8로 골라 다시 저장하세요")
    try:
        # utf-8-sig: a byte-order mark, as Windows Notepad saves, is fine.
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        return "", Problem(name, line, "", f"UTF-8로 읽을 수 없는 바이트가 있습니다({raw[e.start:e.start + 1]!r}). "
                                           "EUC-KR(CP949)로 저장된 파일이면 UTF-8로 다시 저장하세요")


def _unreadable(path: Path, name: str, within: _Within) -> Problem | None:
    if not path.exists():
        return Problem(name, 1, "", "파일이 없습니다")
    return None if within(path) else _outside(name)


def _outside(name: str) -> Problem:
    # A link out of content/ could publish any file on the machine.
    return Problem(name, 1, "", "content/ 밖의 파일을 가리키는 링크입니다")


def read_yaml(path: Path, kind: str, root: Path) -> tuple[Document | None, list[Problem]]:
    name = display_path(path, root)
    try:
        raw = read_bytes(path)
    except Unreadable as e:
        return None, [Problem(name, 1, "", str(e))]
    text, problem = _decoded(raw, name)
    if problem:
        return None, [problem]
    if not text.strip():
        return None, [Problem(name, 1, "", "파일이 비어 있습니다")]
    loader = None
    dupes: list = []
    if (deep := _too_deep(text)) is not None:
        return None, [Problem(name, deep, "", "너무 깊이 중첩되어 있습니다")]
    try:
        loader = _Loader(text)
        # Aliases (*name) are refused: content has no use for them, and nested
        # ones multiply a small file into billions of values for all that walks it.
        if "*" in text:
            alias = next((ev for ev in yaml.parse(text, Loader=_Loader) if isinstance(ev, yaml.AliasEvent)), None)
            if alias is not None:
                raise _Alias(alias.start_mark.line + 1 if alias.start_mark else 1)
        node = loader.get_single_node()
        if node is None:  # only comments
            return None, [Problem(name, 1, "", "파일이 비어 있습니다")]
        data = _construct(loader, node)
        if loader.duplicates:
            _, dupes = _positions(text)
        doc = Document(kind, path, name, data, text)
        # Inside the try: walking every string is where absurd nesting shows.
        problems = _text_problems(doc, data)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        if "\t" in _indent(text, line) or "'\\t'" in (e.problem or ""):
            return None, [Problem(name, line, "", "YAML 문법 오류: 탭 문자로 들여쓸 수 없습니다. 공백(스페이스)으로 들여쓰세요")]
        started = ""
        if e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            started = f" ({e.context_mark.line + 1}행에서 시작한 {_CONTEXTS.get(e.context or '', '부분')})"
        return None, [Problem(name, line, "", f"{_syntax_message(e)}{started}")]
    except yaml.reader.ReaderError as e:
        line = text[:e.position].count("\n") + 1
        return None, [Problem(name, line, "", f"YAML에 쓸 수 없는 문자가 있습니다: U+{e.character:04X}")]
    except yaml.YAMLError:
        return None, [Problem(name, 1, "", "YAML 문법 오류: 파일을 YAML로 읽을 수 없습니다")]
    except _Merge as e:
        return None, [Problem(name, e.line, "", "YAML 병합 키(<<:)는 쓸 수 없습니다. 필요한 항목을 그대로 적으세요")]
    except _Alias as e:
        return None, [Problem(name, e.line, "", "YAML 별칭(&이름/*이름)은 쓸 수 없습니다. 값을 그대로 적으세요")]
    except _NotDecimal as e:
        return None, [Problem(name, e.line, field_name(_path_at(text, e.line, e.column)),
                              f"숫자 '{e.value}'는 적힌 대로 읽히지 않습니다: YAML은 앞에 0이 붙은 수를 8진수로, "
                              f"0x를 16진수로, 1:30 같은 꼴을 60진수로, 1_000을 1000으로 읽습니다. "
                              f"금액·연도·행 번호는 0 없이 숫자만 적으세요(예: 600000). 글자로 둘 값이면 따옴표로 감싸세요")]
    except RecursionError:
        return None, [Problem(name, 1, "", "너무 깊이 중첩되어 있습니다")]
    finally:
        if loader is not None:
            loader.dispose()
    duplicates = [Problem(name, line, field_name(p), "같은 키가 두 번 있습니다") for p, line in dupes]
    return doc, duplicates + problems


class _Within:
    """Whether a file, links followed, lies inside a folder. Each folder is
    resolved once and a file only if it is itself a link: resolving every
    one of many files was slow."""

    def __init__(self, folder: Path):
        self.inside = folder.resolve()
        self.folders: dict[str, bool] = {}
        self.reals: dict[str, Path] = {}

    def __call__(self, path: Path) -> bool:
        if path.is_symlink():
            return path.resolve().is_relative_to(self.inside)
        return self.folder(os.path.dirname(path))

    def folder(self, folder: str) -> bool:
        """By name: a Path and its hash for each file cost more than the check."""
        if folder not in self.folders:
            self.folders[folder] = self._real(folder).is_relative_to(self.inside)
        return self.folders[folder]

    def _real(self, folder: str) -> Path:
        if folder not in self.reals:
            self.reals[folder] = Path(folder).resolve()
        return self.reals[folder]

    def as_named(self, saved: set[str], folders: list[Path]) -> set[str]:
        """Real paths (as a watch names them) as this load names the files
        of folders: the folders are resolved, not each file."""
        named = {str(self._real(str(f))): str(f) for f in folders}
        return {os.path.join(named[d], os.path.basename(p)) for p in saved if (d := os.path.dirname(p)) in named}


def _yaml_in(folder: Path, kind: str, root: Path, listings: dict) -> list[tuple[Path, str, str, bool]]:
    """(path, kind, name in messages, whether it is a link) of each .yaml file
    in folder, sorted by name, as glob("*.yaml") finds them. By scandir, which
    tells a link without a stat: a Path, a stat and a relative name for each
    of many files slowed every serve rebuild. The same
    names as last time give the same Paths, whose hashes Python keeps."""
    try:
        with os.scandir(folder) as entries:
            # Hidden files are an editor's (.#x.yaml locks), never content.
            found = sorted((e.name, e.is_symlink()) for e in entries
                           if e.name.endswith(".yaml") and not e.name.startswith("."))
    except OSError:  # no such folder: no files of that kind
        return []
    key = (str(folder), kind, str(root))
    last = listings.get(key)
    if last is None or last[0] != found:
        shown = display_path(folder, root)
        last = listings[key] = (found, [(folder / name, kind, name if shown == "." else f"{shown}/{name}", link)
                                       for name, link in found])
    return last[1]


def _folder_problem(folder: Path, root: Path) -> Problem | None:
    """A content folder that is missing or unreadable is an error, not a
    dataset of no projects; a file it holds under another YAML ending
    (.yml, .YAML) would be passed over in silence, so it is named."""
    name = display_path(folder, root) + "/"
    if not folder.is_dir():
        return Problem(name, 1, "", "폴더가 없습니다. 내용 폴더(--content)가 맞는지, 폴더 이름이 맞는지 확인하세요")
    try:
        with os.scandir(folder) as entries:
            other = sorted(e.name for e in entries if e.name.lower().endswith((".yml", ".yaml"))
                           and not e.name.endswith(".yaml") and not e.name.startswith("."))
    except OSError as e:
        return Problem(name, 1, "", f"폴더를 읽을 수 없습니다: {e.strerror}")
    if other:
        return Problem(name, 1, "", f"확장자가 .yaml이 아닌 파일은 읽지 않습니다: {', '.join(other)}. 이름을 .yaml로 바꾸세요")
    return None


# Files a dataset may leave out: the site is built without their pages.
OPTIONAL = ("revenue", "programs", "glossary")


def load_content(content_dir: Path, root: Path | None = None, memory: Memory | None = None,
                 saved: set[str] | None = None) -> Content:
    """Read site.yaml, sources.yaml, departments/*.yaml, projects/*.yaml,
    pages/guide.md, and the optional revenue.yaml, programs.yaml and
    glossary.yaml.

    root is what file names in messages are shown relative to. memory, kept
    between builds (serve), holds each file as last read: a file whose size
    and modification time are the same is not read again. saved (serve):
    the real paths saved since then, as a watch names them; a plain file not
    among them is not even looked at (a stat of each of many files adds up).
    """
    root = root or content_dir.parent
    loaded = memory.files if memory is not None else None
    listings = memory.listings if memory is not None else {}

    def single(kind: str) -> tuple[Path, str, str, bool]:
        path = content_dir / f"{kind}.yaml"
        return path, kind, display_path(path, root), True  # perhaps a link: checked in full

    wanted = [single("site"), single("sources")]
    wanted += _yaml_in(content_dir / "departments", "department", root, listings)
    wanted += _yaml_in(content_dir / "projects", "project", root, listings)
    wanted += [single(kind) for kind in OPTIONAL if (content_dir / f"{kind}.yaml").exists()]
    documents: list = []
    problems = [p for sub in ("departments", "projects") if (p := _folder_problem(content_dir / sub, root))]
    readable = []
    within = _Within(content_dir)
    for path, kind, name, maybe_link in wanted:
        if maybe_link:
            problem = _unreadable(path, name, within)
        else:  # a plain file just found in its folder: it exists, and lies where the folder does
            problem = None if within.folder(os.path.dirname(path)) else _outside(name)
        if problem:
            problems.append(problem)
        else:
            readable.append((path, kind, maybe_link))
    if saved is not None:
        saved = within.as_named(saved, [content_dir, content_dir / "departments", content_dir / "projects"])
    unread = {path.stem for path, _, _, _ in wanted} - {path.stem for path, _, _ in readable}
    for (path, _, _), (doc, found) in zip(readable, _read_all(readable, root, loaded, saved)):
        problems += found
        if doc is not None:
            documents.append(doc)
        else:
            unread.add(path.stem)
    pages, found = _markdown_pages(content_dir / "pages", root, within)
    return Content(root, documents, problems + found, pages, frozenset(unread))


GUIDE = "guide"  # pages/guide.md: how to read the site, linked from every page


def _markdown_pages(folder: Path, root: Path, within: _Within) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """Each pages/*.md as (Markdown, name in messages), by its stem: every one
    becomes a page of the site (render.py); guide.md must be there."""
    pages: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    try:
        with os.scandir(folder) as entries:
            # Hidden files are an editor's, never content.
            names = sorted(e.name for e in entries if e.name.endswith(".md") and not e.name.startswith("."))
    except OSError:
        names = []
    if f"{GUIDE}.md" not in names:
        names.insert(0, f"{GUIDE}.md")  # said to be missing below
    for name in names:
        path = folder / name
        shown = display_path(path, root)
        if problem := _unreadable(path, shown, within):
            problems.append(problem)
            continue
        try:
            text, problem = _decoded(read_bytes(path), shown)
        except Unreadable as e:
            text, problem = "", Problem(shown, 1, "", str(e))
        if problem:
            problems.append(problem)
        pages[path.stem] = (text, shown)
    return pages, problems


PARALLEL_FROM = 200  # fewer files are read here: starting workers costs more than it saves


def _read_all(files: list[tuple[Path, str, bool]], root: Path, loaded: dict | None,
              saved: set[str] | None = None) -> list[tuple]:
    """(document, problems) of each (path, kind, perhaps a link), in order:
    from loaded when the file is unchanged, else read, by forked workers
    when there are many. saved: paths as these files are named."""
    signatures = {}
    if loaded is not None:
        for path, kind, maybe_link in files:
            held = loaded.get(path)
            if saved is not None and held is not None and not maybe_link and str(path) not in saved:
                signatures[path] = held[0]  # not saved since it was read: as it was
                continue
            try:
                st = os.stat(path)
            except OSError:  # gone since listed: read again, to say so
                signatures[path] = None
                continue
            signatures[path] = (st.st_size, st.st_mtime_ns, st.st_ino, kind, root)
    todo = [(path, kind) for path, kind, _ in files
            if loaded is None or signatures[path] is None or loaded.get(path, (None,))[0] != signatures[path]]
    if n := workers.count(len(todo), PARALLEL_FROM):
        with workers.forked(n) as pool:
            read = list(pool.map(read_yaml, *zip(*todo), [root] * len(todo), chunksize=32))
    else:
        read = [read_yaml(path, kind, root) for path, kind in todo]
    if loaded is None:
        return read
    for (path, _), result in zip(todo, read):
        loaded[path] = (signatures[path], *result)
    return [loaded[path][1:] for path, _, _ in files]
