"""A missing, unreadable or misnamed content folder, or a file under another
YAML ending, is an error with its path, not a site with no projects
(issue 23 §4, §16)."""
import os
import shutil

import pytest

from budgetsite.pipeline import check
from budgetsite.problems import ContentError


def _problems(paths) -> list[str]:
    with pytest.raises(ContentError) as failed:
        check(paths)
    return [str(p) for p in failed.value.problems]


def test_a_missing_projects_folder_is_an_error(paths):
    shutil.move(paths.content / "projects", paths.content / "project")  # misnamed
    assert any(p.startswith("content/projects/:1") and "폴더가 없습니다" in p for p in _problems(paths))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_projects_folder_is_an_error(paths):
    (paths.content / "projects").chmod(0)
    try:
        assert any("content/projects/" in p and "읽을 수 없습니다" in p for p in _problems(paths))
    finally:
        (paths.content / "projects").chmod(0o755)


@pytest.mark.parametrize("name", ["extra.yml", "extra.YAML"])
def test_a_file_under_another_yaml_ending_is_named(paths, name):
    shutil.copy(paths.content / "projects" / "map-platform.yaml", paths.content / "projects" / name)
    assert any(p.startswith("content/projects/:1") and name in p for p in _problems(paths))


def test_editor_leftovers_are_passed_over(paths):
    for name in (".#map-platform.yaml", "map-platform.yaml~", ".map-platform.yaml.swp"):
        (paths.content / "projects" / name).write_text("broken: [", encoding="utf-8")
    assert check(paths).projects  # built as if they were not there
