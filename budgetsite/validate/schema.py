"""The first layer: each file against the JSON Schema of its kind (schemas/, which editors use too).
jsonschema-rs decides, fast; jsonschema explains an invalid file, in Korean. The two agree.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import jsonschema_rs

from ..load import Document
from ..problems import Problem

SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schemas"


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


def checked_once(doc: Document, check, *args):
    """A check of one file on its own: done once per file as loaded."""
    if check.__name__ not in doc.checked:
        doc.checked[check.__name__] = check(doc, *args)
    return doc.checked[check.__name__]


def check_schema(doc: Document) -> list[Problem]:
    return checked_once(doc, _schema_problems)


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
