"""Checks of one file's values on their own: units, dated stages, Markdown without tables, pages/*.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..load import Content, Document
from ..model import markdown_html
from ..problems import Problem
from .schema import checked_once

# Fields written in Markdown. A table in one would have no download files, or
# sit inside a cell of another table; amounts belong in the data.
MARKDOWN_FIELDS = ("description", "summary", "explanation", "text", "definition")


NO_TABLES = "Markdown 표는 쓸 수 없습니다. 금액은 figures나 breakdown에 적으면 출처와 내려받기 파일이 있는 표로 나옵니다"


@dataclass
class _Fields:
    """The mappings of a file that the checks look at, each with its path, in
    document order: found in one walk (a walk for each check was slow
    with many files)."""
    figures: list = field(default_factory=list)  # amount, year and stage
    periods: list = field(default_factory=list)  # from and to
    refs: list = field(default_factory=list)     # doc and line: a source reference
    texts: list = field(default_factory=list)    # (path, Markdown text)
    # (path, value): numbers written with a point or an exponent. JSON Schema
    # takes 500000.0 for an integer, but the site would print "500,000.0"
    # and sums would carry the float.
    floats: list = field(default_factory=list)


def _fields(doc: Document) -> _Fields:
    found = _Fields()
    # A Markdown table needs a | or a <table> (or an escape that makes one);
    # most files have none of these.
    texts = not doc.text or "|" in doc.text or "<" in doc.text or "\\" in doc.text
    stack: list[tuple[tuple, object]] = [((), doc.data)]
    while stack:  # a stack, not recursion: scalars, most of a file, are never visited on their own
        path, node = stack.pop()
        if isinstance(node, dict):
            if "amount" in node and "year" in node and "stage" in node:
                found.figures.append((path, node))
            if "from" in node and "to" in node:
                found.periods.append((path, node))
            if "doc" in node and "line" in node:
                found.refs.append((path, node))
            if texts:
                found.texts += [(path + (k,), node[k]) for k in MARKDOWN_FIELDS if isinstance(node.get(k), str)]
            children = [(path + (k,), v) for k, v in node.items() if isinstance(v, (dict, list))]
            if float in map(type, node.values()):
                found.floats += [(path + (k,), v) for k, v in node.items() if type(v) is float]
        elif isinstance(node, list):
            children = [(path + (i,), v) for i, v in enumerate(node) if isinstance(v, (dict, list))]
            if float in map(type, node):
                found.floats += [(path + (i,), v) for i, v in enumerate(node) if type(v) is float]
        else:
            continue
        stack.extend(reversed(children))
    return found


UNIT = {"천원": 1, "만원": 10, "백만원": 1000, "억원": 100_000}


# Stages that are a snapshot at a date; the adopted budgets are not.
DATED_STAGES = {"예산현액", "전년도이월액", "원인행위액", "지출액", "징수액"}


def source_refs(doc: Document) -> list[tuple]:
    return checked_once(doc, _fields).refs


def check_values(doc: Document) -> list[Problem]:
    """Values each fine on its own but impossible together."""
    problems = []
    fields = checked_once(doc, _fields)
    for path, f in fields.figures:
        unit = UNIT[f.get("precision", "천원")]
        if f["amount"] % unit:
            problems.append(doc.problem(path + ("amount",),
                            f"{f['precision']} 단위로 인쇄된 금액은 {unit:,}의 배수여야 합니다 (입력값: {f['amount']:,})"))
        if "as_of" in f:
            try:
                as_of = date.fromisoformat(f["as_of"])
            except ValueError:
                problems.append(doc.problem(path + ("as_of",), f"없는 날짜입니다 (입력값: {f['as_of']})"))
                continue
            if f["stage"] not in DATED_STAGES:
                problems.append(doc.problem(path + ("as_of",), f"{f['stage']}에는 기준일을 적지 않습니다"))
            elif not f["year"] - 1 <= as_of.year <= f["year"] + 1:
                problems.append(doc.problem(path + ("as_of",),
                                            f"{f['year']}년 금액의 기준일로 맞지 않습니다 (입력값: {f['as_of']})"))
    for path, value in fields.floats:
        problems.append(doc.problem(path, f"소수점 없이 정수로 적어야 합니다 (입력값: {value!r})"))
    for path, period in fields.periods:
        if period["to"] < period["from"]:
            problems.append(doc.problem(path + ("to",), f"끝 연도가 시작 연도({period['from']})보다 빠릅니다"))
    return problems


def _has_table(text: str) -> bool:
    return ("|" in text or "<table" in text.lower()) and "<table" in markdown_html(text)


def check_markdown(doc: Document) -> list[Problem]:
    return [doc.problem(path, NO_TABLES) for path, text in checked_once(doc, _fields).texts if _has_table(text)]


# A Markdown page's name is its address: pages/about.md → about/index.html.
_PAGE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check_pages(content: Content) -> list[Problem]:
    """Each pages/*.md: no tables (amounts belong in the data, with their
    sources), and a name that can be an address no other page has."""
    from ..registry import TAKEN_NAMES  # the site's own folders, from the page kinds
    problems = []
    for name, (text, shown) in content.pages.items():
        if not _PAGE_NAME.fullmatch(name):
            problems.append(Problem(shown, 1, "", f"쪽 이름 '{name}'은(는) 주소가 됩니다: 영문 소문자, 숫자, -만 쓰세요 "
                                                  f"(예: about.md)"))
        elif name in TAKEN_NAMES:
            problems.append(Problem(shown, 1, "", f"쪽 이름 '{name}'은(는) 사이트가 이미 쓰는 주소입니다. 다른 이름을 쓰세요"))
        if _has_table(text):
            line = next((i for i, t in enumerate(text.splitlines(), 1) if "|" in t or "<table" in t.lower()), 1)
            problems.append(Problem(shown, line, "", NO_TABLES))
    return problems
