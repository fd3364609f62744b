"""Every failure ends in a Korean message naming the file or setting, a
non-zero exit and no traceback (issue 23 §13, §14, §16): unreadable content
and source files, a full disk, a cache in the way, a missing sources folder,
running outside the virtual environment, failures after the swap."""
import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budgetsite import cli, freshness, pipeline
from budgetsite.load import files, load_content, read_yaml
from budgetsite.pipeline import Paths, build, check
from budgetsite.problems import ContentError

from .conftest import FIXTURE_SOURCES, PROJECT

BUILD = [sys.executable, str(PROJECT / "build.py")]
HANGUL = re.compile("[가-힣]")


def run(*args, env=None, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run([*BUILD, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=PROJECT)


def said(result: subprocess.CompletedProcess, *fragments: str, status: int | None = None) -> str:
    """The run failed with a Korean message holding each fragment, and no traceback."""
    err = result.stderr
    assert "Traceback" not in err, err
    assert result.returncode != 0 if status is None else result.returncode == status, (result.returncode, err)
    assert HANGUL.search(err), err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    return err


@pytest.fixture
def sources(tmp_path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, target)
    return target


def problems_of(paths: Paths) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(paths)
    return [str(p) for p in caught.value.problems]


# §13: content files that are not files, or cannot be read

def test_a_folder_named_like_a_yaml_file_is_said(paths):
    (paths.content / "projects" / "x.yaml").mkdir()
    found = problems_of(paths)
    assert any(p.startswith("content/projects/x.yaml:1") and "폴더" in p for p in found), found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_among_the_projects_is_said_not_waited_on(paths):
    os.mkfifo(paths.content / "projects" / "pipe.yaml")
    found = problems_of(paths)  # reading it would wait for a writer forever
    assert any(p.startswith("content/projects/pipe.yaml:1") and "보통 파일이 아닙니다" in p for p in found), found


def test_an_unreadable_file_is_said(paths, monkeypatch):
    target = paths.content / "projects" / "map-platform.yaml"
    if os.geteuid() != 0:
        target.chmod(0)
    else:  # root reads every file: the refusal the kernel would give
        real_open = os.open

        def refusing(path, *args, **kwargs):
            if str(path) == str(target):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)
        monkeypatch.setattr(files.os, "open", refusing)
    doc, found = read_yaml(target, "project", paths.content)
    assert doc is None and "읽을 권한이 없습니다" in str(found[0]) and str(found[0]).startswith("projects/map-platform.yaml:1")


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(paths, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 4096)
    target = paths.content / "projects" / "map-platform.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# " + "가" * 3000 + "\n", encoding="utf-8")
    found = problems_of(paths)
    assert any(p.startswith("content/projects/map-platform.yaml:1") and "너무 큽니다" in p for p in found), found


def test_the_size_limit_holds_for_a_real_build(paths, sources, tmp_path):
    target = paths.content / "projects" / "map-platform.yaml"
    with target.open("a", encoding="utf-8") as f:
        f.write(("# " + "x" * 1022 + "\n") * (files.MAX_FILE_BYTES // 1024 + 1))
    said(run("check", "--content", paths.content, "--sources", sources),
         "projects/map-platform.yaml:1", "너무 큽니다", "MB")


def test_a_utf16_file_gets_a_utf16_hint(paths):
    target = paths.content / "departments" / "alpha.yaml"
    target.write_bytes(target.read_text(encoding="utf-8").encode("utf-16"))
    found = problems_of(paths)
    assert any(p.startswith("content/departments/alpha.yaml:1") and "UTF-16" in p for p in found), found


# §13: source texts that are not UTF-8 text files

def _break_source(sources: Path, how: str) -> None:
    target = sources / "doc-a.txt"
    target.unlink()
    if how == "not UTF-8":
        target.write_bytes("검토보고서".encode("cp949"))
    elif how == "a folder":
        target.mkdir()
    elif how == "a FIFO":
        os.mkfifo(target)
    elif how == "/dev/zero":
        target.symlink_to("/dev/zero")


@pytest.mark.parametrize("how", ["not UTF-8", "a folder", "a FIFO", "/dev/zero"])
def test_a_source_text_that_cannot_be_read_is_said(paths, sources, how):
    _break_source(sources, how)
    result = run("build", "--no-svg", "--content", paths.content, "--sources", sources, "--out", paths.out, timeout=60)
    said(result, "sources.yaml:", "[sources[0].file]", "doc-a.txt", status=1)
    assert not paths.out.exists()


# §13: the machine

def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare and a tmpfs mount in a user namespace")
def test_a_full_disk_is_said(paths, sources, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    script = (f"mount -t tmpfs -o size=256k tmpfs {small} && "
              f"exec {sys.executable} {PROJECT / 'build.py'} build --no-svg --content {paths.content} "
              f"--sources {sources} --out {small / 'site'}")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=180,
                            cwd=PROJECT)
    said(result, "디스크에 빈 자리가 없습니다", status=1)


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Path:
    """A project folder of its own (templates and static linked), so that its
    .build-cache can be broken without touching the real one."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("templates", "static"):
        (root / name).symlink_to(PROJECT / name)
    monkeypatch.setattr(pipeline, "PROJECT_ROOT", root)
    return root


def test_a_build_cache_in_the_way_is_said(project_copy, paths, sources, capsys):
    (project_copy / ".build-cache").write_text("not a folder\n", encoding="utf-8")
    status = cli.main(["build", "--no-svg", "--content", str(paths.content), "--sources", str(sources),
                       "--out", str(paths.out)])
    err = capsys.readouterr().err
    assert status == 1 and ".build-cache" in err and "폴더 자리에 파일" in err, err
    assert not paths.out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_a_build_cache_owned_by_another_is_said(project_copy, paths, sources, capsys):
    (project_copy / ".build-cache").mkdir(mode=0o555)
    status = cli.main(["build", "--no-svg", "--content", str(paths.content), "--sources", str(sources),
                       "--out", str(paths.out)])
    err = capsys.readouterr().err
    assert status == 1 and "권한이 없습니다" in err and ".build-cache" in err, err


def test_outside_the_virtual_environment_the_way_in_is_said():
    # -S: no site-packages, as a system Python without the project's packages.
    result = subprocess.run([sys.executable, "-S", str(PROJECT / "build.py")], capture_output=True, text=True,
                            timeout=60, cwd=PROJECT)
    said(result, "./build.sh", "가상환경", status=2)


@pytest.mark.parametrize("argv, fragment", [(["nope"], "명령 'nope'"), (["--port", "x"], "--port에는 정수"),
                                            (["--colour"], "알 수 없는 옵션")])
def test_a_wrong_command_line_is_said_in_korean(argv, fragment):
    result = run(*argv, timeout=60)
    said(result, fragment, status=2)
    assert "usage:" not in result.stderr and "error:" not in result.stderr


def test_a_bug_is_said_in_one_korean_line_with_the_details_kept(project_copy, paths, sources, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug nobody foresaw")
    monkeypatch.setattr(pipeline.Builder, "build", broken)
    status = cli.main(["build", "--content", str(paths.content), "--sources", str(sources), "--out", str(paths.out)])
    err = capsys.readouterr().err
    report = project_copy / ".build-cache" / cli.ERROR_REPORT
    assert status == 1 and "예상하지 못한 오류" in err and "RuntimeError" in err and str(report) in err, err
    assert "Traceback" not in err and "a bug nobody foresaw" in report.read_text(encoding="utf-8")


# §14: nothing fails after the swap

def test_a_build_record_that_cannot_be_written_does_not_fail_the_build(project_copy, paths, sources, capsys):
    freshness.BuildRecord(pipeline.Paths.default(out=paths.out)).path.mkdir(parents=True)  # in the way
    status = cli.main(["build", "--no-svg", "--content", str(paths.content), "--sources", str(sources),
                       "--out", str(paths.out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "빌드 기록" in captured.err and "Traceback" not in captured.err
    assert (paths.out / "index.html").is_file() and "만들었습니다" in captured.out


def test_stdout_that_cannot_show_korean_does_not_fail_the_build(paths, sources):
    result = run("build", "--no-svg", "--content", paths.content, "--sources", sources, "--out", paths.out,
                 env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (paths.out / "index.html").is_file()


def test_an_archive_folder_that_cannot_be_written_stops_before_the_build(paths, sources, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be\n", encoding="utf-8")
    result = run("archive", "--no-svg", "--content", paths.content, "--sources", sources, "--out", paths.out,
                 "--archive-dir", blocked / "archives")
    said(result, "--archive-dir", str(blocked / "archives"), status=2)
    assert not paths.out.exists()


def test_the_archive_folder_defaults_to_the_project(project_copy, paths, sources, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    status = cli.main(["archive", "--no-svg", "--content", str(paths.content), "--sources", str(sources),
                       "--out", str(paths.out)])
    assert status == 0, capsys.readouterr().err
    assert list((project_copy / "archives").glob("budget-site-*.zip")) and not (elsewhere / "archives").exists()


# §16: a missing sources folder is said, and refused in CI

def test_a_wrong_sources_path_is_refused(paths, tmp_path):
    result = run("check", "--content", paths.content, "--sources", tmp_path / "no-such-folder")
    said(result, "--sources", "no-such-folder", status=2)


def test_without_the_sources_folder_the_skipped_checks_are_said(project_copy, paths, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not Paths.default().sources.exists()
    status = cli.main(["check", "--content", str(paths.content)])
    captured = capsys.readouterr()
    assert status == 0 and "원문 줄 대조를 건너뜁니다" in captured.err, captured.err


def test_in_ci_a_missing_sources_folder_fails_unless_asked_for(project_copy, paths, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert cli.main(["check", "--content", str(paths.content)]) == 2
    assert "--without-sources" in capsys.readouterr().err
    assert cli.main(["check", "--content", str(paths.content), "--without-sources"]) == 0
    assert "원문" not in capsys.readouterr().err


# §16: merge keys, Korean syntax messages, no echoes

def test_merge_keys_are_refused(paths):
    target = paths.content / "projects" / "map-platform.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "extra: {<<: {a: 1}, b: 2}\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    found = problems_of(paths)
    assert any(p.startswith(f"content/projects/map-platform.yaml:{line}") and "병합 키(<<:)" in p for p in found), found


SYNTAX_ERRORS = ["a: b: c\n", "a:\n  - x\n b: 1\n", "a: 'x\n", "a: [1, 2\n", "a: {x: 1\n", "@x: 1\n", "a: !foo 1\n",
                 "a: 1\n---\nb: 2\n", "- a\nb: 1\n", 'a: "\\q"\n', "? [1]\n: 2\n", "a: ]\n", "{a: 1} b\n", "a: `x\n"]
# Three English words in a row, outside quotes: PyYAML's or jsonschema's own words.
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


@pytest.mark.parametrize("text", SYNTAX_ERRORS)
def test_yaml_syntax_errors_are_said_in_korean(paths, text):
    target = paths.content / "projects" / "map-platform.yaml"
    target.write_text(text, encoding="utf-8")
    _, found = read_yaml(target, "project", paths.content)
    assert found, text
    message = found[0].message
    assert HANGUL.search(message) and not ENGLISH.search(message), message
    assert "tag:yaml.org" not in message and "expected" not in message and "found" not in message, message


def test_schema_messages_are_korean_all_through(paths):
    target = paths.content / "projects" / "map-platform.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("account:", "acount:", 1) + "figurez: []\n", encoding="utf-8")
    for p in problems_of(paths):
        assert HANGUL.search(p) and "was unexpected" not in p and not ENGLISH.search(p), p


def test_a_file_that_fails_to_parse_makes_no_echo_in_others(paths):
    # Every project names a department; with one department's file unreadable
    # as YAML, only that file is reported, not each project that names it.
    target = paths.content / "departments" / "alpha.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    found = problems_of(paths)
    assert found and all(p.startswith("content/departments/alpha.yaml:") for p in found), found


def test_the_same_content_still_builds(paths, sources):
    """The guards above refuse only what they name: the fixture content builds."""
    assert build(Paths(paths.root, paths.content, sources, paths.out)) > 0
    assert load_content(paths.content).unread == frozenset()
