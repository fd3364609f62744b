"""Property-based fuzzing of loading, validation and page building: any
document, and any mutation of valid content, gives either a valid site or
the project's own ContentError, never another exception."""
import copy
import shutil
import string
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from budgetsite import render, validate
from budgetsite.pipeline import Paths, check
from budgetsite.problems import ContentError

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
        for page in render.all_pages(site, ""):
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
        return st.integers(min_value=max(0, value - 10**6), max_value=value + 10**6)
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
    thorough = not any(True for _ in validate._validator(kind).iter_errors(document))
    fast = validate._fast_validator(kind).is_valid(document)
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
