"""A build killed at any point (power cut, Ctrl+C, CI timeout) leaves the
previous site/ intact, and the next build tidies up after it."""
import shutil
import signal
import subprocess
import sys
import time

import pytest

from budgetsite import write
from budgetsite.write import swap

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_validation import snapshot


def build_command(content, out):
    return [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content),
            "--sources", str(FIXTURE_SOURCES), "--out", str(out)]


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """The published site, and the content of a newer one."""
    tmp = tmp_path_factory.mktemp("killed")
    newer = tmp / "content"
    shutil.copytree(FIXTURE_CONTENT, newer)
    site_yaml = newer / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("시험 예산 사이트", "새 시험 예산 사이트"),
                         encoding="utf-8")
    reference = tmp / "reference"
    # Timed as the killed builds run, without the cache: the kills are placed
    # along it, whatever this machine's speed.
    shutil.rmtree(PROJECT / ".build-cache", ignore_errors=True)
    started = time.monotonic()
    subprocess.run(build_command(newer, reference), check=True, capture_output=True)
    return newer, snapshot(reference), time.monotonic() - started


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.3])
def test_killed_build_leaves_the_previous_site(tmp_path, two_sites, fraction):
    newer, after, duration = two_sites
    out = tmp_path / "site"
    subprocess.run(build_command(FIXTURE_CONTENT, out), check=True, capture_output=True)
    before = snapshot(out)
    # Without its cache the build draws every chart again: seconds of work.
    shutil.rmtree(PROJECT / ".build-cache", ignore_errors=True)
    process = subprocess.Popen(build_command(newer, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(fraction * duration)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    now = snapshot(out)
    # Either untouched, or (killed after the swap) the whole new site: never a mix.
    assert now == before or now == after
    if fraction < 0.5:  # certainly mid-build
        assert running and now == before
    # The next build tidies what the killed one left beside site/.
    subprocess.run(build_command(newer, out), check=True, capture_output=True)
    assert snapshot(out) == after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_killed_between_the_two_renames_the_old_site_comes_back(tmp_path, monkeypatch):
    """Where the atomic exchange is not available, the fallback's one unsafe
    moment (site/ renamed away, new one not yet in place) is repaired."""
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    real_rename = type(out).rename

    def die_on_second_rename(self, target):
        if self.name.startswith(".site.new-"):
            raise KeyboardInterrupt  # killed right here
        return real_rename(self, target)
    monkeypatch.setattr(type(out), "rename", die_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        with write.staged_output(out) as w:
            w.write("index.html", "new")
    monkeypatch.undo()
    assert not out.exists()  # the moment the fallback leaves
    swap.recover(out)  # what the next build does first
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    with write.staged_output(out) as w:
        w.write("index.html", "newer")
    assert (out / "index.html").read_text(encoding="utf-8") == "newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
