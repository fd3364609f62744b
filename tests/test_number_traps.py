"""YAML 1.1 reads 0600000 as octal (196,608), 1:30:00 as base 60 and 0x1F
as hex: an amount or a line number written so would be published as another
number. Every such form is refused, naming the file, line and field."""
import pytest

from budgetsite.pipeline import check
from budgetsite.problems import ContentError


@pytest.mark.parametrize("written", ["0600000", "1:30:00", "0x1F", "0o17", "1_000", "+1300000"])
def test_a_number_not_in_plain_decimal_is_refused(paths, written):
    project = paths.content / "projects" / "map-platform.yaml"
    text = project.read_text(encoding="utf-8")
    old = "{year: 2024, stage: 본예산, amount: 1300000,"
    assert old in text
    project.write_text(text.replace(old, "{year: 2024, stage: 본예산, amount: " + written + ","), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    with pytest.raises(ContentError) as failed:
        check(paths)
    messages = [str(p) for p in failed.value.problems]
    assert any(m.startswith(f"content/projects/map-platform.yaml:{line} [figures[1].amount]") and written in m
               for m in messages), messages


def test_a_source_line_written_with_a_leading_zero_is_refused(paths):
    project = paths.content / "projects" / "map-platform.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("source: {doc: doc-a, line: 10}}", "source: {doc: doc-a, line: 010}}", 1),
                       encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        check(paths)
    assert any("[figures[0].source.line]" in str(p) and "'010'" in str(p) for p in failed.value.problems)


def test_plain_decimals_and_negative_differences_still_read(paths):
    site = check(paths)  # the fixture holds both
    assert site.projects["map-platform"].figures.get(2024, "본예산").amount == 1_300_000
