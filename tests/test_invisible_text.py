"""Names and ids that read other than they are, or not at all, are refused
(issue 23 §10): direction overrides, zero-width characters, blank names."""
import pytest

from budgetsite.pipeline import check
from budgetsite.problems import ContentError


@pytest.mark.parametrize("old, new, field, message", [
    ("name: 지도 플랫폼 운영", "name: \"지도 \\u202E영운 폼랫플\"", "[name]", "U+202E"),
    ("name: 지도 플랫폼 운영", "name: \"지도\\u200b 플랫폼 운영\"", "[name]", "U+200B"),
    ("name: 지도 플랫폼 운영", "name: \"   \"", "[name]", "공백뿐"),
    ("{year: 2024, department: alpha}", "{year: 2024, department: \"alpha\\u200d\"}", "[departments[0].department]", "U+200D"),
])
def test_invisible_or_blank_text_is_refused(paths, old, new, field, message):
    project = paths.content / "projects" / "map-platform.yaml"
    text = project.read_text(encoding="utf-8")
    assert old in text
    project.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        check(paths)
    assert any(field in str(p) and message in str(p) and "map-platform.yaml" in str(p) for p in failed.value.problems), \
        [str(p) for p in failed.value.problems]


def test_ordinary_text_passes(paths):
    assert check(paths).projects["map-platform"].name == "지도 플랫폼 운영"


@pytest.mark.parametrize("file, old, new, field", [
    ("projects/map-platform.yaml", "id: map-platform", 'id: "map-platform\\n"', "[id]"),
    ("site.yaml", None, None, "[base_url]"),
])
def test_a_trailing_newline_in_an_id_or_address_is_refused(paths, file, old, new, field):
    target = paths.content / file
    text = target.read_text(encoding="utf-8")
    if old is None:  # the base URL, whatever it is
        line = next(line for line in text.splitlines() if line.startswith("base_url:"))
        old, new = line, line.rstrip().rstrip('"') .replace("base_url: ", 'base_url: "').rstrip("/") + '/\\n"'
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        check(paths)
    assert any(field in str(p) and "줄바꿈" in str(p) for p in failed.value.problems), [str(p) for p in failed.value.problems]
