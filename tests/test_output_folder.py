"""A build never replaces a folder it did not make: not the project or any
folder of its own, not a folder holding a .git, not a folder of someone
else's files (issue 23 §1)."""
import pytest

from budgetsite.cli import main
from budgetsite.write import MARKER


def _run(paths, out, command="build"):
    return main([command, "--content", str(paths.content), "--sources", str(paths.sources), "--out", str(out)])


def _snapshot(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("which", ["content", "sources", "parent of content"])
def test_the_projects_own_folders_are_refused(paths, capsys, which):
    out = {"content": paths.content, "sources": paths.sources, "parent of content": paths.content.parent}[which]
    before = _snapshot(out)
    assert _run(paths, out) == 2
    assert "쓸 수 없습니다" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_the_project_root_is_refused(paths, capsys):
    assert _run(paths, paths.root) == 2
    assert "쓸 수 없습니다" in capsys.readouterr().err


def test_a_folder_of_other_files_or_with_a_git_is_refused(paths, tmp_path, capsys):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    assert _run(paths, theirs) == 2 and (theirs / "notes.txt").read_text(encoding="utf-8") == "mine"
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert _run(paths, repo) == 2 and (repo / ".git").is_dir()
    assert _run(paths, theirs, "serve") == 2  # serve refuses before it watches or serves anything
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    assert _run(paths, a_file) == 2 and a_file.read_text(encoding="utf-8") == "x"
    err = capsys.readouterr().err
    assert "만들지 않은 파일" in err and ".git" in err and "파일입니다" in err


def test_an_empty_folder_or_our_own_site_is_built_again(paths, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert _run(paths, out) == 0 and (out / MARKER).is_file() and (out / "index.html").is_file()
    assert _run(paths, out) == 0  # our own site: replaced as before
    (out / MARKER).unlink()  # a site an earlier version made has no marker, but its own files
    assert _run(paths, out) == 0 and (out / MARKER).is_file()


@pytest.mark.parametrize("url", ["javascript:alert(1)//", "https://ok.example/\nDisallow: /", "ftp://x.example/",
                                 "//no-scheme.example/", "https://a.example/ b/", "https://a.example/?q=1"])
def test_a_base_url_not_an_absolute_http_address_is_refused(paths, tmp_path, capsys, url):
    out = tmp_path / "out"
    assert main(["build", "--content", str(paths.content), "--sources", str(paths.sources), "--out", str(out),
                 "--base-url", url]) == 2
    assert "--base-url" in capsys.readouterr().err and not out.exists()


def test_a_pages_base_url_is_accepted(paths, tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--content", str(paths.content), "--sources", str(paths.sources), "--out", str(out),
                 "--base-url", "https://city.github.io/budget-site/", "--no-svg"]) == 0
    assert "https://city.github.io/budget-site/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
