"""Property-based fuzzing of loading, validation and page building: any
document, and any mutation of valid content, gives either a valid site or
the project's own ContentError, never another exception."""
import copy
import shutil
import string
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from budgetsite import registry
from budgetsite.load import parse
from budgetsite.pipeline import Paths, check
from budgetsite.problems import ContentError
from budgetsite.validate import schema

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT

MAP = Path("projects/map-platform.yaml")
ALPHA = Path("departments/alpha.yaml")
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**25, max_value=10**25),
                    st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["2025", "2025-07-31", "예산안", "지출액", "alpha", "doc-a", "천원", "", "-"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(string.ascii_lowercase, max_size=8),
                                                                       inner, max_size=4)), max_leaves=12)


def outcome(content: Path, render_pages: bool = False):
    """The site, or the project's own error: anything else fails the test."""
    try:
        site = check(Paths(PROJECT, content, FIXTURE_SOURCES, content.parent / "site"))
    except ContentError as e:
        assert e.problems and all(p.file and p.line >= 1 for p in e.problems)
        return None
    if render_pages:
        for page in registry.all_pages(site):
            page.ready()
    return site


def fresh(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_as_a_project_file(tmp_path_factory, text):
    content = fresh(tmp_path_factory)
    (content / MAP).write_text(text, encoding="utf-8")
    outcome(content)


@FUZZ
@given(data=values)
def test_any_yaml_structure_as_a_project_or_department(tmp_path_factory, data):
    content = fresh(tmp_path_factory)
    for target in (MAP, ALPHA):
        (content / target).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    outcome(content)


readable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40).map(
    lambda t: unicodedata.normalize("NFC", t))


def alike(value):
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        # Near it, not below 0 unless it already is (an earlier mutation may have made it negative).
        return st.integers(min_value=max(min(0, value), value - 10**6), max_value=value + 10**6)
    if isinstance(value, str):
        return st.one_of(readable, st.just(value + " (바뀜)"), st.just(value.upper()))
    return st.just(value)


def paths_in(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths_in(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths_in(v, prefix + (i,))


def mutate(data, path, action, value):
    data = copy.deepcopy(data)
    if not path:
        return value
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if action == "delete":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    else:
        parent[key] = value
    return data


ORIGINALS = {f: yaml.safe_load((FIXTURE_CONTENT / f).read_text(encoding="utf-8"))
             for f in (MAP, ALPHA, Path("site.yaml"), Path("revenue.yaml"), Path("programs.yaml"))}


def draw_mutation(data, original):
    path = data.draw(st.sampled_from(list(paths_in(original))))
    action = data.draw(st.sampled_from(["replace", "delete", "duplicate", "alike", "alike"]))
    current = original
    for step in path:
        current = current[step]
    # "alike": a value of the same kind, which often still validates and so reaches rendering.
    value = data.draw(alike(current) if action == "alike" else values)
    return mutate(original, path, "replace" if action == "alike" else action, value)


KINDS = {MAP: "project", ALPHA: "department", Path("site.yaml"): "site", Path("revenue.yaml"): "revenue",
         Path("programs.yaml"): "programs"}


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_fast_schema_check_agrees_with_jsonschema(data):
    """jsonschema-rs passes a file without jsonschema looking at it: the two
    must agree on every document, valid or not."""
    target = data.draw(st.sampled_from(sorted(ORIGINALS)))
    document = ORIGINALS[target]
    for _ in range(data.draw(st.integers(0, 2))):
        document = draw_mutation(data, document)
    kind = KINDS[target]
    thorough = not any(True for _ in schema._validator(kind).iter_errors(document))
    fast = schema._fast_validator(kind).is_valid(document)
    event("valid" if thorough else "invalid")
    assert fast == thorough


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutations_of_valid_content(tmp_path_factory, data):
    content = fresh(tmp_path_factory)
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(sorted(ORIGINALS)))
        mutated = draw_mutation(data, yaml.safe_load((content / target).read_text(encoding="utf-8")))
        (content / target).write_text(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # A mutation that still validates must also render.
    event("valid" if outcome(content, render_pages=True) else "refused")


def test_found_by_fuzzing_no_bureau_totals_still_renders(tmp_path_factory):
    content = fresh(tmp_path_factory)
    site_yaml = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    site_yaml["bureau"]["totals"] = []
    (content / "site.yaml").write_text(yaml.safe_dump(site_yaml, allow_unicode=True), encoding="utf-8")
    site = outcome(content, render_pages=True)
    assert site is not None


class UncachedLoader(parse.ContentLoader):
    """load's loader with PyYAML's own tag resolution, not load's remembered one."""
    resolve = parse._Base.resolve


# Load refuses an integer not written in plain decimal (0600000, 0x1F, 1:30,
# 1_000), which PyYAML reads as another number than the digits show.
NOT_DECIMAL = "refused: not plain decimal"
# Load refuses merge keys (<<:), which copy fields in unseen.
MERGE = "refused: merge key"


def agree(fast: str, slow: str) -> bool:
    """Load's construction equals PyYAML's, except that it refuses the
    integer forms PyYAML would read as another number (or fail on).
    (0o17 is a string to PyYAML, as YAML 1.1 has no 0o: it agrees.)"""
    return fast == slow or fast in (NOT_DECIMAL, MERGE)


def both_constructors(text: str) -> tuple[str, str]:
    """What load's own loading and PyYAML's make of text: the data (as
    its repr, so nan equals nan) and whether a key came twice, or an error."""
    made = []
    # Load's may only raise YAML's errors, which it reports with their line;
    # PyYAML's raises some others (ValueError on 0x_), which load turns into those.
    for loader_class, construct, errors in (
            (parse.ContentLoader, parse.construct, yaml.YAMLError),
            (UncachedLoader, lambda loader, node: loader.construct_document(node), Exception)):
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            made.append(repr((construct(loader, node) if node is not None else None, loader.duplicates)))
        except parse.NotDecimal:
            made.append(NOT_DECIMAL)
        except parse.Merge:
            made.append(MERGE)
        except errors:
            made.append("an error")
        finally:
            loader.dispose()
    return made[0], made[1]


TRICKY = [
    "a: 010\nb: 0o17\nc: 0x1F\nd: 1_000\ne: 1:30\nf: -5\ng: +7\nh: 0\ni: 007\n",
    "a: yes\nb: No\nc: on\nd: ~\ne: null\nf: .inf\ng: -.Inf\nh: .nan\ni: 1.5e3\nj: 2025-07-31\n",
    "base: &b {x: 1}\n",  # anchors alone are harmless; load refuses aliases before constructing
    "m:\n  <<: {x: 1, y: 2}\n  y: 3\n",
    "m:\n  <<: [{x: 1}, {z: 2}]\n  x: 0\n",
    "= : v\nk: v\n",
    "a: !!str 123\nb: !!int '42'\nc: !!float 1\nd: !!binary aGVsbG8=\ne: !!set {x, y}\n",
    "a: !!omap [x: 1, y: 2]\nb: !!pairs [x: 1, x: 2]\nc: !!timestamp 2025-07-31\n",
    "a: !!python/object:os.system x\n",
    "a: !unknown x\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "a: 1\na: 2\nb: {c: 1, c: 2}\n",
    "- 1\n- [2, [3, {k: v}]]\n- |\n  block\n  text\n- >\n  folded\n  text\n",
    "k: '0'\nl: \"12\"\nm: 12.0\nn: 0.\no: 1e3\np: 0b101\nq: -0\nr: 1__0\n",
    "k: ０１２\nl: ²\n",
    "a: {1: x, '1': y}\n",  # written twice as the file has it
    "<<: {a: 1}\n? [x]\n: y\n",
    "year: " + "1" * 5000 + "\n",  # more digits than int() takes
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_yaml_construction_agrees_with_pyyaml_on_tricky_documents(text):
    fast, slow = both_constructors(text)
    assert agree(fast, slow)


def test_merge_keys_are_refused_wherever_they_are():
    for text in ("m:\n  <<: {x: 1, y: 2}\n  y: 3\n", "<<: {a: 1}\n", "a: [{<<: {b: 1}}]\n"):
        assert both_constructors(text)[0] == MERGE, text


@pytest.mark.parametrize("value, refused", [("010", True), ("0o17", False), ("0x1F", True), ("1_000", True),
                                            ("1:30", True), ("+7", True), ("007", True), ("-5", False),
                                            ("0", False), ("-0", False), ("1300000", False), ("'010'", False)])
def test_only_integers_not_in_plain_decimal_are_refused(value, refused):
    fast, slow = both_constructors(f"a: {value}\n")
    assert (fast == NOT_DECIMAL) == refused and (refused or fast == slow)


@settings(max_examples=300, deadline=None)
@given(data=values, flow=st.sampled_from([None, True, False]))
def test_fast_yaml_construction_agrees_with_pyyaml_on_any_structure(data, flow):
    fast, slow = both_constructors(yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow))
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(list("ab01:-_ .,[]{}?!<=~#&*|>'\"\n") + ["0x", "yes", "!!int", "<<", "  "]),
                    max_size=40).map("".join))
def test_fast_yaml_construction_agrees_with_pyyaml_on_any_text(text):
    fast, slow = both_constructors(text)
    assert agree(fast, slow)


def test_fast_yaml_construction_agrees_with_pyyaml_on_every_content_file():
    files = sorted((PROJECT / "content").rglob("*.yaml")) + sorted(FIXTURE_CONTENT.rglob("*.yaml"))
    assert len(files) > 20
    for f in files:
        fast, slow = both_constructors(f.read_text(encoding="utf-8"))
        assert fast == slow, f
