"""The commands users run: markdown is sanitised, serve rebuilds on change."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from watchdog.events import EventsLostEvent

from budgetsite.cli import _watched_state
from budgetsite.model import markdown_html
from budgetsite.pipeline import Paths
from budgetsite.watch import InputWatch

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT


def test_markdown_is_rendered_and_sanitised():
    html = markdown_html("**굵게** <script>alert(1)</script> [링크](https://example.org) <a href=x onclick=y>z</a>"
                         " ![그림](https://example.org/a.png)")
    assert "<strong>굵게</strong>" in html
    assert "<script" not in html and "onclick" not in html
    assert "<img" not in html  # it would load from outside the site
    assert 'href="https://example.org"' in html


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def _wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_serves_the_site_and_rebuilds_on_change(content, tmp_path):
    port = _free_port()
    out = tmp_path / "site"
    proc = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port), "--content", str(content),
         "--sources", str(FIXTURE_SOURCES), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/projects/server-room/index.html"
        assert _wait_for(lambda: "전산실 운영" in _get(url), 60), "serve did not come up"
        path = content / "projects" / "server-room.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("name: 전산실 운영", "name: 전산실 관리"),
                        encoding="utf-8")
        assert _wait_for(lambda: "전산실 관리" in _get(url), 60), "serve did not rebuild"
        # Saved again, and another file: each rebuild reads what was saved since the last.
        path.write_text(path.read_text(encoding="utf-8").replace("name: 전산실 관리", "name: 전산실 개선"),
                        encoding="utf-8")
        assert _wait_for(lambda: "전산실 개선" in _get(url), 60), "serve did not rebuild a second save"
        other = content / "projects" / "aerial-photos.yaml"
        other.write_text(other.read_text(encoding="utf-8").replace("name: 항공사진 촬영", "name: 항공사진 새 촬영"),
                         encoding="utf-8")
        assert _wait_for(lambda: "항공사진 새 촬영" in _get(f"http://127.0.0.1:{port}/projects/aerial-photos/index.html"),
                         60), "serve did not rebuild a save of another file"
        assert "전산실 개선" in _get(url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_watches_every_input_folder_and_nothing_else(tmp_path):
    content, sources = tmp_path / "content", tmp_path / "sources"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(FIXTURE_SOURCES, sources)
    paths = Paths(PROJECT, content, sources, tmp_path / "site")
    before = _watched_state(paths)
    assert _watched_state(paths) == before
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("built", encoding="utf-8")  # its own output: no rebuild
    assert _watched_state(paths) == before
    text = sorted(sources.iterdir())[0]
    text.write_text(text.read_text(encoding="utf-8") + "한 줄 더\n", encoding="utf-8")
    assert _watched_state(paths) != before  # a source text checked against the content
    after_source = _watched_state(paths)
    (content / "projects" / "new.yaml").write_text("id: new\n", encoding="utf-8")
    assert _watched_state(paths) != after_source


def test_the_input_watch_wakes_on_a_save_in_an_input_folder_only(tmp_path):
    content, site = tmp_path / "content", tmp_path / "site"
    content.mkdir()
    site.mkdir()
    inputs = InputWatch([content, tmp_path / "not-there"])
    try:
        assert inputs.working
        assert not inputs.wait(0.2)
        (site / "index.html").write_text("built", encoding="utf-8")  # serve's own output
        assert not inputs.wait(0.2)
        started = time.perf_counter()
        (content / "site.yaml").write_text("title: x\n", encoding="utf-8")
        assert inputs.wait(5)
        assert time.perf_counter() - started < 1  # seen as it happens, not at the next look
        assert not inputs.wait(0.2)  # one save, one wake
        inputs.dispatch(EventsLostEvent(str(content), is_directory=True))
        assert not inputs.working  # serve falls back to looking at every file
    finally:
        inputs.stop()
