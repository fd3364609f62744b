"""scripts/compare_builds.py: the comparison on hand-made folders, and one
end-to-end run building HEAD twice (which also shows builds are deterministic)."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT

SCRIPT = PROJECT / "scripts" / "compare_builds.py"


def _load():
    # scripts/ is not a package; registered before running so dataclasses can find the module.
    spec = importlib.util.spec_from_file_location("compare_builds", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


compare_builds = _load()


def _site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


FILES = {"index.html": "<h1>예산</h1>\n<p>1,000원</p>\n", "projects/a/index.html": "<p>사업</p>\n", "data/all.json": '{"a":1}'}


def test_identical_folders(tmp_path):
    a, b = _site(tmp_path / "a", FILES), _site(tmp_path / "b", FILES)
    report = compare_builds.compare_sites(a, b)
    assert report.identical
    assert (report.files_a, report.files_b) == (3, 3)
    assert report.bytes_a == report.bytes_b == sum(len(t.encode()) for t in FILES.values())


def test_one_file_changed(tmp_path, capsys):
    a = _site(tmp_path / "a", FILES)
    b = _site(tmp_path / "b", {**FILES, "index.html": "<h1>예산</h1>\n<p>2,000원</p>\n"})
    report = compare_builds.compare_sites(a, b)
    assert not report.identical
    assert report.differ == ["index.html"]
    assert report.only_a == report.only_b == report.mode_differ == []
    compare_builds.print_report(report, a, b, "A", "B")
    out = capsys.readouterr().out
    assert "-<p>1,000원</p>" in out and "+<p>2,000원</p>" in out
    assert "first difference at byte" in out and "(line 2, column 4)" in out
    assert "DIFFERENT" in out and "다름" in out


def test_same_size_change_is_found(tmp_path):
    a = _site(tmp_path / "a", FILES)
    b = _site(tmp_path / "b", {**FILES, "data/all.json": '{"a":2}'})
    assert compare_builds.compare_sites(a, b).differ == ["data/all.json"]


def test_file_only_in_a(tmp_path):
    a = _site(tmp_path / "a", FILES)
    b = _site(tmp_path / "b", {k: v for k, v in FILES.items() if k != "projects/a/index.html"})
    report = compare_builds.compare_sites(a, b)
    assert report.only_a == ["projects/a/index.html"]
    assert report.only_b == report.differ == []
    assert (report.files_a, report.files_b) == (3, 2)


def test_empty_folder_and_permissions_count(tmp_path):
    a, b = _site(tmp_path / "a", FILES), _site(tmp_path / "b", FILES)
    (b / "empty").mkdir()
    os.chmod(b / "index.html", 0o600)
    report = compare_builds.compare_sites(a, b)
    assert report.only_b == ["empty/"]
    assert report.mode_differ == ["index.html"]
    assert not report.identical


def test_same_markup_allows_only_whitespace_a_browser_ignores_and_attribute_order(tmp_path):
    page = '<table id="t" class="x">\n  <tr><th scope="row">가</th><td>1 2</td></tr>\n</table>\n<p>a <b>b</b></p>'
    same = '<table class="x" id="t"><tr>\n<th scope="row">가</th>\n<td>1  2</td></tr></table><p>a\n<b>b</b></p>'
    other = [page.replace("1 2", "12"),                   # a space inside a cell is rendered
             page.replace("a <b>", "a<b>"),               # and between inline words
             page.replace('class="x"', 'class="y"'),      # an attribute's value
             page.replace("</p>", "</p>\n<p>c</p>")]      # more text
    a = _site(tmp_path / "a", {"p.html": page, "d.csv": "1,2"})
    b = _site(tmp_path / "b", {"p.html": same, "d.csv": "1,2"})
    report = compare_builds.compare_sites(a, b, same_markup=True)
    assert report.identical and report.same_markup == ["p.html"]
    assert not compare_builds.compare_sites(a, b).identical  # without the option, bytes count
    for i, text in enumerate(other):
        c = _site(tmp_path / f"c{i}", {"p.html": text, "d.csv": "1,2"})
        assert compare_builds.compare_sites(a, c, same_markup=True).differ == ["p.html"], text
    # Only HTML is read as markup: a CSV's whitespace is data.
    d = _site(tmp_path / "d", {"p.html": page, "d.csv": "1, 2"})
    assert compare_builds.compare_sites(a, d, same_markup=True).differ == ["d.csv"]


def test_head_built_twice_is_identical(tmp_path):
    if subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--verify", "--quiet", "HEAD"],
                      capture_output=True).returncode != 0:
        pytest.skip("not a git checkout with a commit")
    done = subprocess.run([sys.executable, str(SCRIPT), "HEAD", "HEAD",
                           "--content", str(FIXTURE_CONTENT), "--sources", str(FIXTURE_SOURCES)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "IDENTICAL" in done.stdout and "같음" in done.stdout
