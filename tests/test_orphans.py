"""A build killed with kill -9 or SIGTERM leaves no worker behind: its forked
page writers die with it (issue 23 §6). A real build of enough synthetic
projects to start workers, killed while they work."""
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _build_at_work(tmp_path, **popen) -> tuple[subprocess.Popen, set[int]]:
    """A real build of enough synthetic projects to start workers, and its
    workers, caught while they work."""
    made = generate(tmp_path / "synthetic", projects=400, departments=4)
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--no-svg", "--content", str(made / "content"),
               "--sources", str(made / "sources"), "--out", str(tmp_path / "site")]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while not workers and build.poll() is None and time.monotonic() < deadline:
        workers = {c for c in _children(build.pid) if _alive(c)}
        time.sleep(0.05)
    assert workers, "the build finished before it started workers: make the content larger"
    return build, workers


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_no_worker_behind(tmp_path, sig):
    build, workers = _build_at_work(tmp_path)
    build.send_signal(sig)
    build.wait(timeout=60)
    time.sleep(1.0)
    assert not [w for w in workers if _alive(w)], "workers outlived the build"
    if sig == signal.SIGTERM:
        assert build.returncode == 130 and "중단했습니다" in build.stderr.read().decode("utf-8")
    assert not (tmp_path / "site").exists() or (tmp_path / "site" / ".budgetsite").is_file()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")
def test_ctrl_c_ends_a_build_with_one_short_line(tmp_path):
    """Ctrl+C reaches the whole foreground process group: the build and each
    of its workers. One short Korean line and 130, no traceback from any."""
    build, workers = _build_at_work(tmp_path, start_new_session=True)  # its own group, as a terminal's
    os.killpg(build.pid, signal.SIGINT)  # as the terminal does
    build.wait(timeout=60)
    err = build.stderr.read().decode("utf-8")
    assert build.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip() == "중단했습니다. 게시된 사이트는 그대로입니다.", err
    time.sleep(1.0)
    assert not [w for w in workers if _alive(w)], "workers outlived the build"
