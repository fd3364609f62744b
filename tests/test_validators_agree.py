"""The two schema validators agree (issue 23 §8). A file is checked by the
fast one (jsonschema-rs) and only explained by the detailed one (jsonschema):
where the fast one rejects and the detailed one finds nothing, the file
passes as valid with no message; where the fast one accepts what the other
rejects, a bad value is published. Every field of one file of each kind is
given each edge value in turn, and both must answer alike."""
import copy

import pytest

from budgetsite.load import load_content
from budgetsite.validate.schema import _fast_validator, _validator

from .conftest import FIXTURE_CONTENT
from .test_fuzz import paths_in

EDGES = ["", " ", "x\n", "\n", "a\nb", "\tx", "evil\u202e", "가" * 250, "2025", "2025-13-01", "2025-07-31\n",
         "con", "NUL", "../x", "a/b", "https://x.example/\n", -1, 0, 1, 1.0, 1.5, 10**20, -(10**20), True, None,
         [], {}, ["x"], {"x": 1}, 1947, 2101]


def _with(data, path, value):
    changed = copy.deepcopy(data)
    if not path:
        return value
    holder = changed
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return changed


def _one_of_each_kind():
    seen = {}
    for doc in load_content(FIXTURE_CONTENT).documents:
        # The largest file of each kind: the most fields to try.
        if doc.kind not in seen or len(doc.text) > len(seen[doc.kind].text):
            seen[doc.kind] = doc
    return sorted(seen.values(), key=lambda d: d.kind)


@pytest.mark.parametrize("doc", _one_of_each_kind(), ids=lambda d: d.kind)
def test_the_fast_and_the_detailed_validator_agree_on_every_edge_value(doc):
    fast, detailed = _fast_validator(doc.kind), _validator(doc.kind)
    assert fast.is_valid(doc.data) and not list(detailed.iter_errors(doc.data))
    disagree = []
    tried = 0
    for path in paths_in(doc.data):
        for value in EDGES:
            data = _with(doc.data, path, value)
            tried += 1
            quick = fast.is_valid(data)
            explained = not any(True for _ in detailed.iter_errors(data))
            if quick != explained:
                disagree.append((path, value, "fast" if quick else "detailed"))
    assert tried > 100
    assert not disagree, f"{len(disagree)} of {tried} disagree (accepted only by): {disagree[:10]}"
    # Also as the file's own keys: a field added beside the others.
    if isinstance(doc.data, dict):
        for key in ["extra", "id\n", ""]:
            data = dict(doc.data, **{key: "x"})
            assert fast.is_valid(data) == (not list(detailed.iter_errors(data))), key
