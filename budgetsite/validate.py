"""Validate (after load): check all content and report every problem.

Three layers, each run on everything the previous one let through:
1. the JSON Schema of each file kind (schemas/, also used by editors);
2. identities and references (ids, departments, sources, duplicates);
3. sums: printed totals against the figures they total, unless the content
   records the discrepancy (sources do contain printing errors; we show them).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import jsonschema_rs

from .load import Content, Document, Unreadable, read_bytes
from .memory import Memory
from .model import UNSTATED, markdown_html
from .problems import Problem

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

# Half of one printed unit, in 천원: how far a rounded figure may be from the truth.
HALF_UNIT = {"천원": 0, "만원": 5, "백만원": 500, "억원": 50_000}


@cache
def _validator(kind: str):
    """jsonschema's validator, for its messages: needed only for a file that
    jsonschema-rs finds invalid, so imported then: a slow import."""
    from jsonschema import Draft202012Validator, ValidationError, validators
    from referencing import Registry, Resource
    resources = [
        (p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
        for p in SCHEMA_DIR.glob("*.schema.json")
    ]
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))

    def pattern(validator, wanted: str, instance, _schema):
        if validator.is_type(instance, "string") and not _ecma_pattern(wanted).search(instance):
            yield ValidationError(f"{instance!r} does not match {wanted!r}")

    # A schema's patterns are ECMA-262's, as jsonschema-rs reads them.
    checker = validators.extend(Draft202012Validator, {"pattern": pattern})
    return checker(schema, registry=Registry().with_resources(resources))


@cache
def _ecma_pattern(pattern: str) -> re.Pattern:
    """A schema pattern as Python must read it to agree with ECMA-262 and
    jsonschema-rs: there $ is the end of the text; in Python it also matches
    before a final newline, so "evil\n" passed ^[a-z]+$ in one validator
    and failed in the other. Each $ outside brackets becomes \\Z."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(ch)
    return re.compile("".join(out))


@cache
def _fast_validator(kind: str):
    """The same schema compiled by jsonschema-rs: much faster, so
    a valid file costs almost nothing; only an invalid one goes through
    jsonschema, whose errors our messages are written for."""
    base = "file:///schemas/"
    registry = jsonschema_rs.Registry([(base + p.name, json.loads(p.read_text(encoding="utf-8")))
                                       for p in SCHEMA_DIR.glob("*.schema.json")])
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, registry=registry, base_uri=f"{base}{kind}.schema.json", offline=True)


def _shown(value) -> str:
    """An input value as a message quotes it: short, whatever was typed."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_message(error) -> str:
    """jsonschema's message, said in Korean for the publishing office."""
    v, val = error.validator, error.validator_value
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"필수 항목 '{missing}'이(가) 없습니다"
    if v == "type":
        names = {"integer": "정수", "string": "문자열", "array": "목록", "object": "항목 묶음", "number": "숫자"}
        want = val if isinstance(val, str) else "/".join(val)
        return f"{names.get(want, want)}이어야 합니다 (입력값: {_shown(error.instance)})"
    if v in ("minimum", "maximum") and str(error.schema.get("description", "")).startswith("fiscal year"):
        # A year is not a quantity: no thousands separator, and both ends said.
        return (f"회계연도는 {error.schema['minimum']}년부터 {error.schema['maximum']}년까지여야 합니다 "
                f"(입력값: {_shown(error.instance)})")
    if v == "minimum":
        return f"{val:,} 이상이어야 합니다 (입력값: {_shown(error.instance)})"
    if v == "maximum":
        return f"{val:,} 이하여야 합니다 (입력값: {_shown(error.instance)})"
    if v == "enum":
        return f"다음 중 하나여야 합니다: {', '.join(map(str, val))} (입력값: {_shown(error.instance)})"
    if v == "pattern":
        return f"형식이 맞지 않습니다: {val} (입력값: {_shown(error.instance)})"
    if v == "maxLength":
        return f"{val}자를 넘을 수 없습니다 ({len(error.instance):,}자)"
    if v == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return f"알 수 없는 항목입니다: {', '.join(map(_shown, extra))}. 철자를 확인하세요"
    if v in ("minItems", "minLength"):
        return "비어 있으면 안 됩니다"
    if v == "not" and "enum" in val:  # common.schema.json#/$defs/id: Windows' device names
        return (f"Windows가 장치 이름으로 남겨 둔 이름이라 쓸 수 없습니다: {_shown(error.instance)}. "
                "이 id로 만든 폴더는 Windows에서 압축을 풀 수 없습니다. 다른 id를 쓰세요")
    if v == "uniqueItems":
        return "같은 값이 두 번 있습니다"
    if v == "const":
        return f"값은 {_shown(val)}이어야 합니다 (입력값: {_shown(error.instance)})"
    if v == "maxItems":
        return f"{val}개를 넘을 수 없습니다"
    if v in ("oneOf", "anyOf"):
        return f"허용되는 형식 중 어느 것과도 맞지 않습니다 (입력값: {_shown(error.instance)})"
    if v == "not":
        return f"이 자리에 쓸 수 없는 값입니다 (입력값: {_shown(error.instance)})"
    if v == "minProperties":
        return "비어 있으면 안 됩니다"
    # A keyword the schemas do not use yet: still Korean, naming the keyword.
    return f"형식이 맞지 않습니다 (검사 '{v}', 입력값: {_shown(error.instance)})"


def _once(doc: Document, check, *args):
    """A check of one file on its own: done once per file as loaded."""
    if check.__name__ not in doc.checked:
        doc.checked[check.__name__] = check(doc, *args)
    return doc.checked[check.__name__]


def check_schema(doc: Document) -> list[Problem]:
    return _once(doc, _schema_problems)


def _schema_problems(doc: Document) -> list[Problem]:
    try:
        if _fast_validator(doc.kind).is_valid(doc.data):
            return []
    except ValueError:
        pass  # a value JSON has no type for (a YAML date): jsonschema says what is wrong
    problems = []
    for error in _validator(doc.kind).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            # Name the missing field; its line is its parent's.
            path = path + (error.message.split("'")[1],)
        elif error.validator == "additionalProperties":
            # Point at the unknown key itself, not at its parent.
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            if extra:
                path = path + (extra[0],)
        problems.append(doc.problem(path, _schema_message(error)))
    return problems


def _source_texts(sources: Document, sources_dir: Path) -> tuple[dict[str, list[str] | None], list[Problem]]:
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


def _check_source_text(doc: Document, i: int, s: dict, lines: list[str] | None) -> list[Problem]:
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


def _check_edition(site: Document, sources: list[dict]) -> list[Problem]:
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


def _check_source_ref(doc: Document, path: tuple, ref: dict, lines: dict) -> list[Problem]:
    if ref["doc"] not in lines:
        return [doc.problem(path + ("doc",), f"sources.yaml에 없는 자료 '{ref['doc']}'입니다")]
    n = lines[ref["doc"]]
    if n is not None and ref["line"] > n:
        return [doc.problem(path + ("line",), f"자료 '{ref['doc']}'는 {n}줄뿐입니다 (입력값: {ref['line']})")]
    return []


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


def _source_refs(doc: Document) -> list[tuple]:
    return _once(doc, _fields).refs


def check_values(doc: Document) -> list[Problem]:
    """Values each fine on its own but impossible together."""
    problems = []
    fields = _once(doc, _fields)
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
    return [doc.problem(path, NO_TABLES) for path, text in _once(doc, _fields).texts if _has_table(text)]


# A Markdown page's name is its address: pages/about.md → about/index.html.
_PAGE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check_pages(content: Content) -> list[Problem]:
    """Each pages/*.md: no tables (amounts belong in the data, with their
    sources), and a name that can be an address no other page has."""
    from .registry import TAKEN_NAMES  # the site's own folders, from the page kinds
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


def check_references(content: Content, sources_dir: Path, broken: frozenset = frozenset(),
                     memory: Memory | None = None) -> list[Problem]:
    """broken: ids of files that failed their schema; a reference to one is
    not reported again as unknown. memory: kept between builds (serve)."""
    problems: list[Problem] = []
    site, sources = content.one("site"), content.one("sources")
    assert site is not None and sources is not None  # validate() checks only content that has both
    departments, projects = content.of_kind("department"), content.of_kind("project")

    seen: dict[str, Document] = {}
    for i, s in enumerate(sources.data["sources"]):
        if s["id"] in seen:
            problems.append(sources.problem(("sources", i, "id"), f"자료 id '{s['id']}'가 중복됩니다"))
        seen[s["id"]] = sources
    texts, unreadable = _source_texts(sources, sources_dir)
    problems += unreadable
    for i, s in enumerate(sources.data["sources"]):
        if s.get("sections") or s.get("printed"):
            problems += _check_source_text(sources, i, s, texts[s["id"]])
    problems += _check_edition(site, sources.data["sources"])
    lines = {sid: None if text is None else len(text) for sid, text in texts.items()}

    dept_ids = {doc.data["id"] for doc in departments}
    project_ids: dict[str, Document] = {}
    duplicate_ids = []
    for doc in projects:
        pid = doc.data["id"]
        if pid in project_ids or pid in dept_ids:
            duplicate_ids.append(doc.problem(("id",), f"id '{pid}'가 중복됩니다"))
        project_ids[pid] = doc
    # What each file's checks against the others depend on: while it is the
    # same, a file unchanged since the last check has the same problems.
    world = _World(tuple(sorted(lines.items())), frozenset(dept_ids | broken), frozenset(project_ids.keys() | broken))
    number = _world_number(world, (memory or Memory()).worlds)
    found = [f for doc in content.documents if (f := _against_the_rest(doc, world, number, lines))]

    def phase(name: str) -> list[Problem]:
        return [p for f in found for p in f.get(name, ())]

    problems += phase("id") + duplicate_ids + phase("lines") + phase("links") + _successions(project_ids)
    programs = content.one("programs")
    if programs:
        goals = {g["name"] for g in programs.data["goals"]}
        for i, u in enumerate(programs.data["units"]):
            if u.get("goal") is not None and u["goal"] not in goals:
                problems.append(programs.problem(("units", i, "goal"), f"goals에 없는 전략목표 '{u['goal']}'입니다"))
            for j, pid in enumerate(u.get("projects", [])):
                if pid not in project_ids and pid not in broken:
                    problems.append(programs.problem(("units", i, "projects", j), f"없는 사업 '{pid}'입니다"))
            if u.get("department") is not None and u["department"] not in dept_ids | broken:
                problems.append(programs.problem(("units", i, "department"), f"없는 부서 '{u['department']}'입니다"))
        problems += _duplicates(programs, "units", lambda u: u["name"], "같은 이름의 단위사업이 이미 있습니다")
        problems += _duplicates(programs, "goals", lambda g: g["name"], "같은 이름의 전략목표가 이미 있습니다")
        for kind in ("goals", "units"):
            for i, _g in enumerate(programs.data[kind]):
                problems += _duplicates(programs, (kind, i, "totals"), _total_key,
                                        "같은 연도·단계·자료·회계의 합계가 이미 있습니다")
    revenue = content.one("revenue")
    if revenue:
        problems += _duplicates(revenue, "items", _revenue_key, "같은 연도·단계·자료·표의 세입 항목이 이미 있습니다")
    glossary = content.one("glossary")
    if glossary:
        problems += _duplicates(glossary, "terms", lambda t: t["term"], "같은 용어가 이미 있습니다")
        # Each id is an anchor on the glossary page: two alike would link to one.
        problems += _duplicates(glossary, "terms", lambda t: t["id"], "같은 id의 용어가 이미 있습니다")
    problems += phase("values") + phase("totals")
    problems += _duplicates(site, ("bureau", "totals"), _total_key, "같은 연도·단계·자료·회계의 합계가 이미 있습니다")
    return problems


def _successions(projects: dict[str, Document]) -> list[Problem]:
    """A project that says a later one carries on its work (succeeded_by) is
    named by that one (succeeds), so both pages tell the same link."""
    problems = []
    for pid, doc in projects.items():
        for i, h in enumerate(doc.data.get("history", [])):
            if h["event"] != "succeeded_by":
                continue
            later = projects.get(h.get("project") or "")
            if h.get("project") is None:
                problems.append(doc.problem(("history", i), "succeeded_by에는 뒤를 이은 사업(project)을 적어야 합니다"))
            elif later is not None and not any(g["event"] == "succeeds" and g.get("project") == pid
                                               for g in later.data.get("history", [])):
                problems.append(doc.problem(("history", i, "project"),
                                            f"사업 '{h['project']}'의 history에 이 사업을 가리키는 succeeds가 없습니다"))
    return problems


@dataclass(frozen=True)
class _World:
    """What a file is checked against: the source texts' lengths, and the
    department and project ids a reference may name."""
    lines: tuple
    departments: frozenset
    projects: frozenset


def _world_number(world: _World, worlds: list) -> int:
    """worlds (Memory.worlds): the last world and its number: equal worlds, one number."""
    if worlds[0] != world:
        worlds[0], worlds[1] = world, worlds[1] + 1
    return worlds[1]


def _against_the_rest(doc: Document, world: _World, number: int, lines: dict) -> dict[str, list[Problem]]:
    """A file's problems that need the other files, by kind of check (the
    report lists them kind by kind); kept with the file while the world it
    was checked against is the same: a serve rebuild checked every file
    again."""
    held = doc.checked.get("against the rest")
    if held is not None and held[0] == number:
        return held[1]
    found: dict[str, list[Problem]] = {}
    if doc.kind in ("department", "project") and doc.data["id"] != doc.path.stem:
        found["id"] = [doc.problem(("id",), f"id '{doc.data['id']}'는 파일 이름 '{doc.path.stem}'과 같아야 합니다")]
    # Kept apart, by the texts' lengths alone: a new project changes the ids, not these.
    held = doc.checked.get("source lines")
    if held is None or held[0] != world.lines:
        held = doc.checked["source lines"] = (world.lines, [
            p for path, ref in _once(doc, _source_refs) for p in _check_source_ref(doc, path, ref, lines)])
    in_lines = list(held[1])
    base = ("bureau",) if doc.kind == "site" else ()
    for i, d in enumerate((doc.data.get("bureau", doc.data) if doc.kind == "site" else doc.data).get("discrepancies", []) or []):
        if d["doc"] not in lines:
            in_lines.append(doc.problem(base + ("discrepancies", i, "doc"), f"sources.yaml에 없는 자료 '{d['doc']}'입니다"))
    links = []
    if doc.kind == "department":
        for i, ev in enumerate(doc.data.get("lineage", [])):
            other = ev.get("department")
            if other is not None and other not in world.departments:
                links.append(doc.problem(("lineage", i, "department"), f"없는 부서 '{other}'입니다"))
    elif doc.kind == "project":
        links += _once(doc, _project_on_its_own)
        for i, d in enumerate(doc.data["departments"]):
            if d["department"] not in world.departments:
                links.append(doc.problem(("departments", i, "department"), f"없는 부서 '{d['department']}'입니다"))
            for j, name in enumerate(d.get("documents", [])):
                if name not in lines:
                    links.append(doc.problem(("departments", i, "documents", j), f"sources.yaml에 없는 자료 '{name}'입니다"))
        for i, n in enumerate(doc.data.get("former_names", [])):
            for j, name in enumerate(n.get("documents", [])):
                if name not in lines:
                    links.append(doc.problem(("former_names", i, "documents", j), f"sources.yaml에 없는 자료 '{name}'입니다"))
        for i, h in enumerate(doc.data.get("history", [])):
            if h.get("project") is not None and h["project"] not in world.projects:
                links.append(doc.problem(("history", i, "project"), f"없는 사업 '{h['project']}'입니다"))
            if h.get("department") is not None and h["department"] not in world.departments:
                links.append(doc.problem(("history", i, "department"), f"없는 부서 '{h['department']}'입니다"))
    values = _once(doc, check_values) + _once(doc, check_markdown)
    totals = (_duplicates(doc, "totals", _total_key, "같은 연도·단계·자료·회계의 합계가 이미 있습니다")
              if doc.kind == "department" else [])
    for name, these in (("lines", in_lines), ("links", links), ("values", values), ("totals", totals)):
        if these:
            found[name] = these
    doc.checked["against the rest"] = (number, found)
    return found


def _total_key(t: dict) -> tuple:
    """What makes a printed total unique: a document may print one department
    twice, with and without 기본경비 (scope) or in two tables that disagree."""
    return (t["year"], t["stage"], t["source"]["doc"], t.get("account"), t.get("scope", "전체"), t.get("table"))


def _project_on_its_own(doc: Document) -> list[Problem]:
    """What check_references finds in a project file without looking at any
    other: done once per file as loaded (serve)."""
    problems = []
    years: dict[int, int] = {}
    placed: dict[tuple[int, str], int] = {}
    for i, d in enumerate(doc.data["departments"]):
        if "documents" in d:  # the documents that place the year under another department
            for name in d["documents"]:
                if (d["year"], name) in placed:
                    problems.append(doc.problem(("departments", i, "documents"),
                                                f"{d['year']}년 {name} 자료의 부서가 두 번 적혀 있습니다"))
                placed[(d["year"], name)] = i
            continue
        if d["year"] in years:
            problems.append(doc.problem(("departments", i, "year"), f"{d['year']}년 담당 부서가 두 번 적혀 있습니다"))
        years[d["year"]] = i
    for i, f in enumerate(doc.data["figures"]):
        if f["year"] not in years and (f["year"], f["source"]["doc"]) not in placed:
            problems.append(doc.problem(("figures", i, "year"), f"{f['year']}년 담당 부서가 departments에 없습니다"))
    problems += _duplicates(doc, "figures", lambda f: (f["year"], f["stage"], f["source"]["doc"], f.get("table")),
                            "같은 연도·단계·자료의 금액이 이미 있습니다")
    problems += _duplicates(doc, "breakdown", lambda b: (b["year"], b["stage"], b["source"]["doc"]),
                            "같은 연도·단계·자료의 통계목 내역이 이미 있습니다")
    for i, h in enumerate(doc.data.get("history", [])):
        if h.get("project") == doc.data["id"]:
            problems.append(doc.problem(("history", i, "project"), "자기 자신을 가리킵니다"))
    keys = {(f["year"], f["stage"], f["source"]["doc"]) for f in doc.data["figures"]}
    for i, b in enumerate(doc.data.get("breakdown", [])):
        if (b["year"], b["stage"], b["source"]["doc"]) not in keys:
            problems.append(doc.problem(("breakdown", i), f"같은 자료의 {b['year']}년 {b['stage']} 금액이 figures에 없습니다"))
    for i, d in enumerate(doc.data.get("discrepancies", [])):
        if (d["year"], d["stage"], d["doc"]) not in keys:
            problems.append(doc.problem(("discrepancies", i),
                                        f"같은 자료의 {d['year']}년 {d['stage']} 금액이 figures에 없습니다"))
    return problems


def _revenue_key(r: dict) -> tuple:
    return (r["year"], r["stage"], r["source"]["doc"], r.get("account"), r.get("table"), r.get("parent"), r["item"])


def _discrepancy_key(d: dict) -> tuple:
    return (d["year"], d["stage"], d["doc"], d.get("account"), d.get("scope", "전체"), d.get("table"))


def _items(doc: Document, key) -> tuple[tuple, list]:
    path = key if isinstance(key, tuple) else (key,)
    data = doc.data
    for k in path:
        data = (data[k] if isinstance(k, int) else (data or {}).get(k)) or {}
    return path, data or []


def _duplicates(doc: Document, key, identity, message: str) -> list[Problem]:
    path, items = _items(doc, key)
    first: dict = {}
    problems = []
    for i, item in enumerate(items):
        k = identity(item)
        if k in first:
            problems.append(doc.problem(path + (i,), f"{message} ({doc.line(path + (first[k],))}행과 중복)"))
        else:
            first[k] = i
    return problems


# --- sums --------------------------------------------------------------------

def _department_of(project: dict, f: dict) -> str | None:
    """The department f's document places it under (model.Project.department_of)."""
    default = None
    for d in project["departments"]:
        if d["year"] == f["year"]:
            if "documents" not in d:
                default = d["department"]
            elif f["source"]["doc"] in d["documents"]:
                return d["department"]
    return default


class _Sum:
    """The parts of one printed total, summed as they are added: only their
    sum, how far their printed rounding lets it be off, and their number
    are compared, so a part can also be taken out again (_DepartmentSums)."""
    __slots__ = ("amount", "rounding", "count")

    def __init__(self):
        self.amount = self.rounding = self.count = 0

    def add(self, amount: int, precision: str = "천원", sign: int = 1) -> None:
        """sign -1 takes the part out again."""
        self.amount += sign * amount
        self.rounding += sign * HALF_UNIT[precision]
        self.count += sign


def _gap(total: dict, members: _Sum) -> tuple[int, int, int]:
    """A printed total against its parts: (total − sum, sum, the difference
    the printed rounding of all of them allows)."""
    tolerance = HALF_UNIT[total.get("precision", "천원")] + members.rounding
    return total["amount"] - members.amount, members.amount, tolerance


def _reconcile(doc: Document, totals_path: tuple, totals: list, parts: dict, part_key, discrepancies: list,
               what: str, tally: Counter) -> list[Problem]:
    """Compare each printed total with the sum of its parts from the same document.

    parts: part_key(total) → _Sum of its parts.
    A total with no parts is not checked: the content does not hold them.
    """
    problems = _table_conflicts(doc, totals_path, totals, discrepancies)
    recorded = {_discrepancy_key(d): (i, d) for i, d in enumerate(discrepancies) if "other_table" not in d}
    used = set()
    for i, t in enumerate(totals):
        if t["stage"] == UNSTATED:  # of no known stage: a total of nothing that can be named
            continue
        key = _total_key(t)
        members = parts.get(part_key(t))
        if members is None:
            continue
        diff, total_sum, tolerance = _gap(t, members)
        tally[(t["source"]["doc"], "맞춰 봄")] += 1
        if key in recorded:
            tally[(t["source"]["doc"], "차이 기록")] += 1
            used.add(key)
            j, d = recorded[key]
            if abs(diff - d["difference"]) > tolerance:
                problems.append(doc.problem(
                    totals_path[:-1] + ("discrepancies", j, "difference"),
                    f"기록된 차이 {d['difference']:,}천원이 실제 차이 {diff:,}천원과 다릅니다 "
                    f"(합계 {t['amount']:,}, {what} {members.count}개의 합 {total_sum:,})"))
        elif abs(diff) > tolerance:
            problems.append(doc.problem(
                totals_path + (i, "amount"),
                f"합계가 맞지 않습니다: {t['year']}년 {t['stage']} ({t['source']['doc']}"
                f"{', ' + t['account'] if t.get('account') else ''}) 합계 {t['amount']:,}천원, "
                f"{what} {members.count}개의 합 {total_sum:,}천원, 차이 {diff:,}천원. "
                f"자료의 오류라면 discrepancies에 차이와 설명을 기록하세요"))
    for key, (j, _d) in recorded.items():
        if key not in used:
            problems.append(doc.problem(totals_path[:-1] + ("discrepancies", j),
                                        "이 차이에 해당하는 합계와 세부 금액이 없습니다"))
    return problems


def _table_conflicts(doc: Document, totals_path: tuple, totals: list, discrepancies: list) -> list[Problem]:
    """A discrepancy naming other_table records two tables of one document
    printing the same total differently: its difference must be the one
    between the two printed totals."""
    problems = []
    printed = {_total_key(t): t for t in totals}
    for j, d in enumerate(discrepancies):
        if "other_table" not in d:
            continue
        key = _discrepancy_key(d)
        one, other = printed.get(key), printed.get(key[:5] + (d["other_table"],))
        if one is None or other is None:
            problems.append(doc.problem(totals_path[:-1] + ("discrepancies", j),
                                        "이 차이에 해당하는 두 표의 합계가 없습니다"))
        elif one["amount"] - other["amount"] != d["difference"]:
            problems.append(doc.problem(
                totals_path[:-1] + ("discrepancies", j, "difference"),
                f"기록된 차이 {d['difference']:,}천원이 두 표의 차이 {one['amount'] - other['amount']:,}천원과 다릅니다 "
                f"({d['table']} {one['amount']:,}, {d['other_table']} {other['amount']:,})"))
    return problems


def _department_parts(doc: Document) -> list[tuple]:
    """What a project adds to its departments' sums: (department, the key of
    the total it belongs to, the amount, its precision)."""
    p = doc.data
    parts = []
    for f in p["figures"]:
        if f["stage"] == UNSTATED:  # no printed total is of an unknown stage
            continue
        dept = _department_of(p, f)
        for account in (None, p["account"]):
            parts.append((dept, (f["year"], f["stage"], f["source"]["doc"], account, f.get("table")),
                          f["amount"], f.get("precision", "천원")))
    return parts


class _DepartmentSums:
    """Each department's sums of its projects' figures, by total. Kept while
    the process lives (serve): a rebuild takes out what the projects whose
    file changed added before and adds what they add now, instead of adding
    up all 10,000 projects again. A project counts as unchanged while its
    document is the same object (load.py keeps unchanged files' documents).
    It holds the documents last counted until the next check."""

    def __init__(self):
        self.counted: dict[str, Document] = {}
        self.parts: dict[str, dict[tuple, _Sum]] = defaultdict(dict)

    def of(self, projects: list[Document]) -> dict[str, dict[tuple, _Sum]]:
        now = {doc.name: doc for doc in projects}
        for name, doc in list(self.counted.items()):
            if now.get(name) is not doc:
                self._count(doc, -1)
                del self.counted[name]
        for name, doc in now.items():
            if name not in self.counted:
                self._count(doc, 1)
                self.counted[name] = doc
        return self.parts

    def _count(self, doc: Document, sign: int) -> None:
        for dept, key, amount, precision in _once(doc, _department_parts):
            sums = self.parts[dept]
            s = sums.get(key)
            if s is None:
                s = sums[key] = _Sum()
            s.add(amount, precision, sign)
            if not s.count:  # a total left with no parts is not checked
                del sums[key]


def check_sums(content: Content, tally: Counter | None = None, memory: Memory | None = None) -> list[Problem]:
    """Every printed total against the sum of its parts. tally, if given,
    counts per document the totals compared and those with a recorded difference."""
    tally = Counter() if tally is None else tally
    problems: list[Problem] = []
    projects = [d.data for d in content.of_kind("project")]

    memory = memory or Memory()
    if memory.department_sums is None:
        memory.department_sums = _DepartmentSums()
    dept_parts = memory.department_sums.of(content.of_kind("project"))

    def project_key(parts: dict):
        # A department total is the sum of its projects' figures in the same
        # document: from the same table where the projects are printed in it,
        # otherwise from the document's one untabled set of project figures.
        def key(t: dict) -> tuple:
            base = (t["year"], t["stage"], t["source"]["doc"], t.get("account"))
            return base + (t.get("table"),) if base + (t.get("table"),) in parts else base + (None,)
        return key

    bureau_parts: dict = defaultdict(_Sum)
    for doc in content.of_kind("department"):
        d = doc.data
        own = dept_parts.get(d["id"], {})
        problems += _reconcile(doc, ("totals",), d.get("totals", []), own, project_key(own),
                               d.get("discrepancies", []), "사업", tally)
        for t in d.get("totals", []):
            if t["stage"] != UNSTATED:
                bureau_parts[_total_key(t)].add(t["amount"], t.get("precision", "천원"))

    site = content.one("site")
    assert site is not None  # validate() checks only content that has one
    bureau = site.data["bureau"]
    problems += _reconcile(site, ("bureau", "totals"), bureau.get("totals", []), bureau_parts, _total_key,
                           bureau.get("discrepancies", []), "부서", tally)

    for doc in content.of_kind("project"):
        found, counted = _once(doc, _own_sums)
        problems += found
        tally.update(counted)
    if programs := content.one("programs"):
        problems += _check_programs(programs, projects, tally)
    if revenue := content.one("revenue"):
        problems += _check_revenue(revenue, tally)
    return problems


def _check_programs(doc: Document, projects: list[dict], tally: Counter) -> list[Problem]:
    """A unit program's total is the sum of its projects' figures from the same
    document; a strategic goal's total, the sum of its unit programs'."""
    by_id = {p["id"]: p for p in projects}
    problems = []
    unit_parts: dict = defaultdict(_Sum)
    for i, u in enumerate(doc.data["units"]):
        project_parts: dict = defaultdict(_Sum)
        for pid in u.get("projects", []):
            for f in by_id[pid]["figures"]:
                if f["stage"] == UNSTATED:
                    continue
                project_parts[(f["year"], f["stage"], f["source"]["doc"], f.get("table"))].add(
                    f["amount"], f.get("precision", "천원"))

        def key(t, parts=project_parts):
            k = (t["year"], t["stage"], t["source"]["doc"], t.get("table"))
            return k if k in parts else k[:-1] + (None,)
        problems += _reconcile(doc, ("units", i, "totals"), u["totals"], project_parts, key,
                               u.get("discrepancies", []), "세부사업", tally)
        for t in u["totals"]:
            if t["stage"] == UNSTATED:
                continue
            unit_parts[(u.get("goal"),) + _total_key(t)].add(t["amount"], t.get("precision", "천원"))
    for i, g in enumerate(doc.data["goals"]):
        problems += _reconcile(doc, ("goals", i, "totals"), g["totals"], unit_parts,
                               lambda t, name=g["name"]: (name,) + _total_key(t), g.get("discrepancies", []), "단위사업", tally)
    return problems


def _row_key(r: dict, name: str = "item") -> tuple:
    """A revenue row within its table: by default its own name, or with
    name="parent" the row it adds into."""
    return (r["year"], r["stage"], r["source"]["doc"], r.get("account"), r.get("table"), r[name])


def _printed_change(doc: Document, i: int, d: dict, key: tuple, items: list) -> list[Problem]:
    """A 증감 a document prints beside a row that its own two amounts do not
    give: difference = the printed change − the change of the printed amounts."""
    if "compared_year" not in d or "compared_stage" not in d:
        return [doc.problem(("discrepancies", i), "printed_change에는 compared_year와 compared_stage가 함께 있어야 합니다")]
    now = next((r["amount"] for r in items if _row_key(r) == key), None)
    before = next((r["amount"] for r in items if _row_key(r) == (d["compared_year"], d["compared_stage"]) + key[2:]), None)
    if now is None or before is None:
        return [doc.problem(("discrepancies", i), f"견줄 두 해의 '{d['item']}' 항목이 같은 표에 있어야 합니다")]
    if d["printed_change"] - (now - before) != d["difference"]:
        return [doc.problem(("discrepancies", i, "difference"),
                            f"기록된 차이 {d['difference']:,}천원이 인쇄된 증감 {d['printed_change']:,}천원과 "
                            f"두 금액의 차 {now - before:,}천원의 차이 {d['printed_change'] - (now - before):,}천원과 다릅니다")]
    return []


def _check_revenue(doc: Document, tally: Counter) -> list[Problem]:
    """Each revenue row with children printed under it must equal their sum."""
    items = doc.data["items"]
    children: dict = defaultdict(_Sum)
    for r in items:
        if r.get("parent"):
            children[_row_key(r, "parent")].add(r["amount"], r.get("precision", "천원"))
    problems = []
    printed = {_row_key(r): r["amount"] for r in items}
    recorded = {}
    for i, d in enumerate(doc.data.get("discrepancies", [])):
        key = (d["year"], d["stage"], d["doc"], d.get("account"), d.get("table"), d["item"])
        if "printed_change" in d:
            problems += _printed_change(doc, i, d, key, items)
            continue
        if "other_table" not in d:
            recorded[key] = (i, d)
            continue
        # Two tables of one document printing the same row differently.
        other = printed.get(key[:4] + (d["other_table"], d["item"]))
        if key not in printed or other is None:
            problems.append(doc.problem(("discrepancies", i), f"두 표 모두에 '{d['item']}' 항목이 있어야 합니다"))
        elif printed[key] - other != d["difference"]:
            problems.append(doc.problem(("discrepancies", i, "difference"),
                                        f"기록된 차이 {d['difference']:,}천원이 "
                                        f"실제 차이 {printed[key] - other:,}천원과 다릅니다"))
    used = set()
    for i, r in enumerate(items):
        key = _row_key(r)
        members = children.get(key)
        if members is None:
            continue
        diff, total, tolerance = _gap(r, members)
        tally[(r["source"]["doc"], "맞춰 봄")] += 1
        if key in recorded:
            tally[(r["source"]["doc"], "차이 기록")] += 1
            used.add(key)
            j, d = recorded[key]
            if abs(diff - d["difference"]) > tolerance:
                problems.append(doc.problem(("discrepancies", j, "difference"),
                                f"기록된 차이 {d['difference']:,}천원이 실제 차이 {diff:,}천원과 다릅니다"))
        elif abs(diff) > tolerance:
            problems.append(doc.problem(("items", i, "amount"),
                            f"세입 '{r['item']}' {r['year']}년 {r['stage']} ({r['source']['doc']}) {r['amount']:,}천원이 "
                            f"아래 항목 {members.count}개의 합 {total:,}천원과 {diff:,}천원 다릅니다. "
                            f"자료의 오류라면 discrepancies에 차이와 설명을 기록하세요"))
    for key, (j, _d) in recorded.items():
        if key not in used:
            problems.append(doc.problem(("discrepancies", j), "이 차이에 해당하는 세입 항목과 그 아래 항목이 없습니다"))
    return problems


def _own_sums(doc: Document) -> tuple[list[Problem], Counter]:
    """The sums within one project file, and what they counted: the same
    until the file changes, so serve checks them once."""
    tally: Counter = Counter()
    return _check_breakdowns(doc, tally) + _check_table_differences(doc) + _check_foundation_budget(doc, tally), tally


def _check_table_differences(doc: Document) -> list[Problem]:
    """A project discrepancy naming a table compares two printings of one
    figure in one document: difference = the untabled figure − that table's."""
    figures = {(f["year"], f["stage"], f["source"]["doc"], f.get("table")): f["amount"] for f in doc.data["figures"]}
    problems = []
    for i, d in enumerate(doc.data.get("discrepancies", [])):
        if not d.get("table") or d.get("row"):  # a row of a foundation_budget table: checked there
            continue
        main = figures.get((d["year"], d["stage"], d["doc"], None))
        other = figures.get((d["year"], d["stage"], d["doc"], d["table"]))
        if main is None or other is None:
            problems.append(doc.problem(("discrepancies", i, "table"),
                                        f"표 '{d['table']}'의 금액과 표 없는 금액이 둘 다 있어야 비교할 수 있습니다"))
        elif d.get("difference") is not None and d["difference"] != main - other:
            problems.append(doc.problem(("discrepancies", i, "difference"),
                                        f"기록된 차이 {d['difference']:,}천원이 실제 차이 {main - other:,}천원"
                                        f"({main:,} − {other:,})과 다릅니다"))
    return problems


def _check_breakdowns(doc: Document, tally: Counter) -> list[Problem]:
    """A 통계목 breakdown must add up to the project's figure from the same document."""
    p = doc.data
    figures = {(f["year"], f["stage"], f["source"]["doc"]): f for f in p["figures"]}
    recorded = {(d["year"], d["stage"], d["doc"]): d for d in p.get("discrepancies", []) if not d.get("row")}
    problems = []
    for i, b in enumerate(p.get("breakdown", [])):
        key = (b["year"], b["stage"], b["source"]["doc"])
        figure = figures.get(key)
        if figure is None:
            continue
        total = sum(item["amount"] for item in b["items"])
        diff = figure["amount"] - total
        tolerance = HALF_UNIT[figure.get("precision", "천원")]
        tally[(b["source"]["doc"], "맞춰 봄")] += 1
        if abs(diff) > tolerance and key not in recorded:
            problems.append(doc.problem(
                ("breakdown", i, "items"),
                f"통계목 합 {total:,}천원이 {b['year']}년 {b['stage']} 금액 {figure['amount']:,}천원과 "
                f"{diff:,}천원 다릅니다. 자료의 오류라면 discrepancies에 기록하세요"))
    return problems


def foundation_row_key(r: dict) -> str:
    """How a discrepancy names a row of a foundation_budget table."""
    return f"{r['group']} · {r['name']}" if r.get("group") else r["name"]


def _check_foundation_budget(doc: Document, tally: Counter) -> list[Problem]:
    """A foundation_budget table as printed: every parent row is the sum of
    its rows and every change column the difference of its two columns,
    column by column, unless a discrepancy (table, row, column) records the
    gap; a discrepancy naming other_table compares one figure in two tables."""
    p = doc.data
    tables = p.get("foundation_budget", [])
    by_name = {t["table"]: t for t in tables}
    recorded, problems = {}, []
    for j, d in enumerate(p.get("discrepancies", [])):
        if not d.get("row"):
            continue
        t = by_name.get(d.get("table"))
        if t is None:
            problems.append(doc.problem(("discrepancies", j, "table"), f"foundation_budget에 표 '{d.get('table')}'가 없습니다"))
            continue
        labels = [c["label"] for c in t["columns"]]
        rows = {foundation_row_key(r): r for r in t["rows"]}
        if d["row"] not in rows or d.get("column") not in labels:
            problems.append(doc.problem(("discrepancies", j),
                                        f"표 '{t['table']}'에 행 '{d['row']}'와 열 '{d.get('column')}'가 있어야 합니다"))
            continue
        if d.get("other_table"):
            o = by_name.get(d["other_table"])
            orow = o and {foundation_row_key(r): r for r in o["rows"]}.get(d.get("other_row"))
            olabels = [c["label"] for c in o["columns"]] if o else []
            if orow is None or d.get("other_column") not in olabels:
                problems.append(doc.problem(("discrepancies", j), "other_table에 other_row와 other_column이 있어야 합니다"))
                continue
            a = rows[d["row"]]["amounts"][labels.index(d["column"])]
            b = orow["amounts"][olabels.index(d["other_column"])]
            tally[(d["doc"], "맞춰 봄")] += 1
            if a is None or b is None or a - b != d.get("difference"):
                problems.append(doc.problem(("discrepancies", j, "difference"),
                                f"기록된 차이 {d.get('difference')}천원이 두 표의 차이({a} − {b})와 다릅니다"))
            continue
        recorded[(d["table"], d["row"], d["column"])] = j
    used = set()
    for ti, t in enumerate(tables):
        n = len(t["columns"])
        labels = [c["label"] for c in t["columns"]]
        for ci, c in enumerate(t["columns"]):
            if "change" in c and (max(c["change"]) >= n or "change" in t["columns"][c["change"][0]]
                                  or "change" in t["columns"][c["change"][1]]):
                problems.append(doc.problem(("foundation_budget", ti, "columns", ci, "change"),
                                            "증감은 두 금액 열 사이여야 합니다"))
                return problems
        names = {}
        for ri, r in enumerate(t["rows"]):
            if len(r["amounts"]) != n:
                problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "amounts"),
                                            f"열이 {n}개이므로 금액도 {n}개여야 합니다"))
                return problems
            key = (r.get("group"), r["name"])
            if key in names:
                problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "name"), "같은 이름의 행이 이미 있습니다"))
            names[key] = ri
        children: dict = defaultdict(list)
        for ri, r in enumerate(t["rows"]):
            if r.get("parent"):
                parent = names.get((r.get("group"), r["parent"]), names.get((None, r["parent"])))
                if parent is None:
                    problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "parent"),
                                                f"행 '{r['parent']}'가 없습니다"))
                else:
                    children[parent].append(r)

        def gap(ri: int, ci: int, printed: int, expected: int, what: str) -> None:
            r = t["rows"][ri]
            key = (t["table"], foundation_row_key(r), labels[ci])
            tally[(t["source"]["doc"], "맞춰 봄")] += 1
            diff = printed - expected
            j = recorded.get(key)
            if j is not None:
                used.add(key)
                tally[(t["source"]["doc"], "차이 기록")] += 1
                if p["discrepancies"][j].get("difference") != diff:
                    problems.append(doc.problem(("discrepancies", j, "difference"),
                                    f"기록된 차이 {p['discrepancies'][j].get('difference')}천원이 "
                                    f"실제 차이 {diff:,}천원과 다릅니다"))
            elif diff:
                problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "amounts", ci),
                                f"'{foundation_row_key(r)}'의 {labels[ci]} {printed:,}천원이 {what} {expected:,}천원과 "
                                f"{diff:,}천원 다릅니다. 자료의 오류라면 discrepancies에 기록하세요"))

        for ri, r in enumerate(t["rows"]):
            for ci, c in enumerate(t["columns"]):
                v = r["amounts"][ci]
                if v is None:
                    continue
                if "change" in c:
                    a, b = (r["amounts"][k] for k in c["change"])
                    if a is not None or b is not None:
                        gap(ri, ci, v, (a or 0) - (b or 0), f"{labels[c['change'][0]]} − {labels[c['change'][1]]}")
                    continue  # a change column follows its amount columns, which are summed
                if v < 0:
                    problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "amounts", ci),
                                                "금액 열의 값은 음수일 수 없습니다"))
                cells = [k["amounts"][ci] for k in children.get(ri, [])]
                if any(x is not None for x in cells):
                    gap(ri, ci, v, sum(x or 0 for x in cells), f"아래 {len(cells)}개 행의 합")
    for cell, j in recorded.items():
        if cell not in used:
            problems.append(doc.problem(("discrepancies", j),
                                        f"표 '{cell[0]}'의 '{cell[1]}' {cell[2]} 칸은 인쇄된 값과 계산한 값이 같습니다"))
    return problems


def validate(content: Content, sources_dir: Path, tally: Counter | None = None,
             memory: Memory | None = None) -> list[Problem]:
    """Every problem in the content; an empty list means it can be built.
    memory: what checks keep between builds (serve)."""
    problems = list(content.problems) + check_pages(content)
    well_formed = []
    for doc in content.documents:
        found = check_schema(doc)
        problems += found
        if not found:
            well_formed.append(doc)
    # References are checked on every well-formed file, so one broken file does
    # not hide the mistakes in the others.
    checked = Content(content.root, well_formed, [])
    if checked.one("site") is None or checked.one("sources") is None:
        return problems
    passed = {id(d) for d in well_formed}
    broken = frozenset(d.path.stem for d in content.documents if id(d) not in passed) | content.unread
    problems += check_references(checked, sources_dir, broken, memory)
    if problems:
        # Sums over a partly broken content would report mismatches that are
        # only echoes of the problems above.
        return problems
    return check_sums(checked, tally, memory)
