"""Speed without changing the result: cached chart drawings, no-change
rebuilds, and specs built without Altair's per-chart validation."""
import json
import re
import shutil

import altair as alt
import jsonschema

from budgetsite import charts, freshness
from budgetsite.pipeline import Paths, build

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_validation import snapshot


def fresh_root(tmp_path):
    """A project root of its own, so its drawing cache starts empty."""
    root = tmp_path / "root"
    root.mkdir()
    for name in ("templates", "static", "schemas"):
        (root / name).symlink_to(PROJECT / name)
    return root


def test_cold_warm_and_unchanged_builds_are_byte_identical(tmp_path, monkeypatch):
    root = fresh_root(tmp_path)
    paths = Paths(root, FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)
    cold = snapshot(paths.out)
    drawn = list((paths.cache / "svg").glob("*.svg"))
    assert drawn, "nothing was cached"
    # Warm: the site rebuilt with every drawing from the cache, none drawn again.
    (paths.cache / "last-build.json").unlink()
    calls = []
    monkeypatch.setattr(charts, "render_svg", lambda s: calls.append(s) or "")
    build(paths)
    assert calls == [] and snapshot(paths.out) == cold
    # Unchanged: nothing is rendered or written at all.
    monkeypatch.setattr("budgetsite.pipeline._build", lambda *a: (_ for _ in ()).throw(AssertionError("rebuilt")))
    assert build(paths) == len(cold)
    assert snapshot(paths.out) == cold


def test_a_changed_input_or_a_touched_output_rebuilds(tmp_path):
    root = fresh_root(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(root, content, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)
    before = snapshot(paths.out)
    (paths.out / "robots.txt").write_text("tampered", encoding="utf-8")
    build(paths)
    assert snapshot(paths.out) == before  # repaired
    fingerprint = freshness.inputs_fingerprint(paths, None)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("시험 예산 사이트", "새 이름"), encoding="utf-8")
    assert freshness.inputs_fingerprint(paths, None) != fingerprint
    assert freshness.inputs_fingerprint(paths, "https://other.example/") != freshness.inputs_fingerprint(paths, None)
    build(paths)
    assert "새 이름" in (paths.out / "index.html").read_text(encoding="utf-8")


def test_every_chart_spec_is_valid_vega_lite(real_site):
    # Altair's validation is skipped while building (it halves spec time); it is done here instead.
    schema = alt.vegalite.v6.schema.core.load_schema()
    validator = jsonschema.Draft7Validator(schema)
    assert list(validator.iter_errors({"mark": "no-such-mark", "data": {"values": []}}))  # it can fail
    checked = 0
    for page in real_site.rglob("*.html"):
        for body in re.findall(r'<script type="application/json" id="[^"]+-spec">(.*?)</script>',
                               page.read_text(encoding="utf-8"), re.S):
            errors = list(validator.iter_errors(json.loads(body)))
            assert errors == [], (page, errors[0].message)
            checked += 1
    assert checked > 100
