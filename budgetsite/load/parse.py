"""YAML as content is written: libyaml's parser, a construction that makes only plain data (no
timestamps, aliases, merge keys or tags; integers in plain decimal only), each field's line, and
libyaml's messages said in Korean.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import yaml

# libyaml's parser where PyYAML was built with it (every wheel on PyPI): much
# faster than the pure-Python one, which remains the fallback.
if TYPE_CHECKING:  # the same interface; mypy needs a class it can name
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentLoader(_Base):
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
    return _Base.resolve(ContentLoader, kind, value, implicit)  # type: ignore[arg-type]


_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"


_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


# Keys PyYAML's own mapping constructor rewrites: merges (<<) and =.
_MERGE = "tag:yaml.org,2002:merge"


_SPECIAL_KEYS = {_MERGE, "tag:yaml.org,2002:value"}


def construct(loader: ContentLoader, node: yaml.Node):
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
            raise NotDecimal(node.start_mark, value)
    if tag == _SEQ and node.__class__ is yaml.SequenceNode:
        return [construct(loader, item) for item in node.value]
    if tag == _MAP and node.__class__ is yaml.MappingNode \
            and not any(key.tag in _SPECIAL_KEYS for key, _ in node.value):
        mapping = {}
        other_keys = False  # any key not a string: 1 and '1' are two keys, yet written alike
        for key_node, value_node in node.value:
            key, value = construct(loader, key_node), construct(loader, value_node)
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
            raise Merge(merge.start_mark.line + 1)
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, IndexError, OverflowError):  # PyYAML's own, on values such as 0x_ or an empty !!int
        shown = node.value if isinstance(node.value, str) else ""
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        raise yaml.constructor.ConstructorError(None, None, f"값 '{shown}'을(를) 읽을 수 없습니다",
                                                node.start_mark) from None


# Without the timestamp resolver, 2025-07-31 loads as the string it is.
ContentLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class NotDecimal(Exception):
    def __init__(self, mark, value: str):
        self.line, self.column, self.value = mark.line + 1, mark.column, value


def path_at(text: str, line: int, column: int) -> tuple:
    """The field whose value starts at a place in the text."""
    loader = ContentLoader(text)
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


class Alias(Exception):
    def __init__(self, line: int):
        self.line = line


class Merge(Alias):
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


CONTEXTS = {"while parsing a block mapping": "항목 묶음", "while parsing a block collection": "목록",
             "while scanning a quoted scalar": "따옴표 글", "while parsing a quoted scalar": "따옴표 글",
             "while parsing a flow sequence": "[ ] 목록", "while parsing a flow mapping": "{ } 묶음",
             "while scanning a simple key": "키", "while scanning a block scalar": "| 또는 > 글"}


def syntax_message(error: yaml.MarkedYAMLError) -> str:
    said = f"{error.context or ''} {error.problem or ''}"
    if error.problem and _HANGUL.search(error.problem):
        return error.problem  # already ours (construct)
    korean = next((k for english, k in _SYNTAX if english in said), None)
    if korean is None:  # not seen in practice; never English to the office
        korean = "이 줄을 YAML로 읽을 수 없습니다. 들여쓰기, 콜론(:) 뒤의 공백, 따옴표와 괄호가 맞는지 확인하세요"
    return f"YAML 문법 오류: {korean}"


def positions(text: str) -> tuple[dict, list]:
    """The line of every field, and every key given twice with its line."""
    lines: dict = {}
    dupes: list = []
    loader = ContentLoader(text)
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


def indent(text: str, line: int) -> str:
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


def too_deep(text: str) -> int | None:
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
