"""serve, the local preview: only the site's own files, by a real server on
127.0.0.1; a port that cannot be used is said before anything is built; a
rebuild that fails for any reason leaves the preview running."""
import http.client
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time

import pytest

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT
from .test_commands import _free_port, _get, _wait_for

URL_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/index\.html ")
# serve with its connection timeout shortened, so a test need not wait the default
SHORT_TIMEOUT = ("import sys; from budgetsite import serve; serve.TIMEOUT_SECONDS = float(sys.argv[1]); "
                 "from budgetsite.cli import main; sys.exit(main(sys.argv[2:]))")


class Served:
    def __init__(self, root, port=None, timeout=None, preexec_fn=None, wait=True):
        self.content, self.out = root / "content", root / "site"
        if not self.content.exists():
            shutil.copytree(FIXTURE_CONTENT, self.content)
        self.stdout_path, self.stderr_path = root / "stdout.txt", root / "stderr.txt"
        self.port = _free_port() if port is None else port
        args = ["serve", "--port", str(self.port), "--content", str(self.content), "--sources", str(FIXTURE_SOURCES),
                "--out", str(self.out)]
        command = ([sys.executable, str(PROJECT / "build.py")] if timeout is None
                   else [sys.executable, "-c", SHORT_TIMEOUT, str(timeout)])
        # Files, not pipes: a pipe nobody reads would fill with request logs and stop the server.
        with open(self.stdout_path, "w") as stdout, open(self.stderr_path, "w") as stderr:
            self.proc = subprocess.Popen(command + args, cwd=PROJECT, stdout=stdout, stderr=stderr,
                                         env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=preexec_fn)
        if wait:
            assert _wait_for(lambda: URL_LINE.search(self.stdout()), 60), f"serve did not come up: {self.stderr()}"
            self.port = int(URL_LINE.search(self.stdout()).group(1))

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8")

    def request(self, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
        """The answer to path sent exactly as given (no dot segments removed,
        no redirect followed)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("serve"))
    yield server
    server.stop()
    assert "Traceback" not in server.stderr()


def test_links_in_the_output_folder_are_not_followed(served, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("비밀", encoding="utf-8")
    links = {"fsroot": "/", "outside.txt": str(secret), "alias.html": "index.html", "alias-folder": "projects"}
    for name, target in links.items():
        (served.out / name).symlink_to(target)
    os.mkfifo(served.out / "fifo")  # would block the open of a plain file forever
    try:
        assert served.request("/fsroot/etc/passwd")[0] == 404
        assert b"root:" not in served.request("/fsroot/etc/passwd")[2]
        assert served.request("/fsroot/")[0] == 404
        assert served.request("/outside.txt")[0] == 404
        # Links to the site's own files too: the build never makes one, and removes any it finds.
        assert served.request("/alias.html")[0] == 404
        assert served.request("/alias-folder/")[0] == 404
        assert served.request("/fifo")[0] == 404
        assert served.request("/index.html")[0] == 200  # the real file still is
    finally:
        for name in [*links, "fifo"]:
            (served.out / name).unlink()


def test_folders_are_not_listed(served):
    status, _, body = served.request("/assets/")
    assert status == 404 and b"charts.js" not in body
    assert served.request("/projects/tables/")[0] == 404
    status, _, body = served.request("/projects/")
    assert status == 200 and "전산실 운영".encode() in body  # its index.html
    status, headers, _ = served.request("/projects")
    assert status == 301 and headers["Location"] == "/projects/"  # so its relative links work
    assert served.request("/index.html/")[0] == 404  # a file asked for as a folder
    status, headers, body = served.request("/assets/charts.js")
    assert status == 200 and int(headers["Content-Length"]) == len(body) > 0
    assert headers["Content-Type"] == "text/javascript"


def test_a_name_with_a_nul_byte_is_not_found_without_a_traceback(served):
    for path in ["/index.html%00", "/%00", "/projects/%00/index.html", "/index.html%00.png"]:
        assert served.request(path)[0] in (400, 404), path
        assert served.request(path, "HEAD")[0] in (400, 404), path
    assert served.request("/index.html")[0] == 200
    assert "Traceback" not in served.stderr()


def test_dot_dot_reaches_nothing_outside_the_site(served):
    (served.out.parent / "secret.txt").write_text("비밀", encoding="utf-8")
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/projects/../../secret.txt",
                 "/projects/%2e%2e/%2e%2e/secret.txt", "/../../../../../../etc/passwd",
                 "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd", "/.%2e/secret.txt"]:
        status, _, body = served.request(path)
        assert status in (400, 404), path
        assert "비밀".encode() not in body and b"root:" not in body, path
    assert "Traceback" not in served.stderr()


def test_a_silent_connection_is_closed_after_the_timeout(tmp_path):
    server = Served(tmp_path, timeout=1.0)
    try:
        silent = socket.create_connection(("127.0.0.1", server.port))
        silent.settimeout(8)
        started = time.monotonic()
        try:
            assert server.request("/index.html")[0] == 200  # answered meanwhile, by another thread
            assert silent.recv(1) == b""  # closed by the server, not by this side's timeout
        finally:
            silent.close()
        assert time.monotonic() - started < 6
        assert server.request("/index.html")[0] == 200
    finally:
        server.stop()
    assert "Traceback" not in server.stderr()


def _serve_once(tmp_path, *port_args: str) -> subprocess.CompletedProcess:
    out = tmp_path / "site"
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "serve", *port_args, "--content", str(FIXTURE_CONTENT),
         "--sources", str(FIXTURE_SOURCES), "--out", str(out)],
        cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_a_port_out_of_range_is_refused_before_building(tmp_path, port):
    result = _serve_once(tmp_path, "--port", port)
    assert result.returncode == 2
    assert "포트" in result.stderr and "--port 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_port_in_use_is_refused_before_building(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = _serve_once(tmp_path, "--port", str(port))
    assert result.returncode == 2
    assert f"포트 {port}" in result.stderr and "이미" in result.stderr and "--port 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    assert time.monotonic() - started < 30


def test_port_0_serves_on_a_free_port_and_says_which(tmp_path):
    server = Served(tmp_path, port=0)
    try:
        assert server.port != 0
        assert "전산실 운영" in _get(f"http://127.0.0.1:{server.port}/projects/server-room/index.html")
    finally:
        server.stop()


# No file the fixture's site is made of is this large (the largest, the chart
# library, is under 1 MB); a guide page made larger cannot be written.
FILE_LIMIT = 2_000_000


def _file_limit() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def test_serve_survives_a_rebuild_that_fails_unexpectedly(tmp_path):
    """A rebuild that cannot write its files (as on a full disk: an OSError,
    not a problem in the content) is told, the last site stays served, and
    the next save is built."""
    server = Served(tmp_path, preexec_fn=_file_limit)
    url = f"http://127.0.0.1:{server.port}/guide/index.html"
    try:
        guide = server.content / "pages" / "guide.md"
        text = guide.read_text(encoding="utf-8")
        assert "단위" in _get(url)
        guide.write_text(text + "\n## 긴 안내\n\n" + ("아주 긴 안내 문단입니다. " * 50 + "\n\n") * 2000,
                         encoding="utf-8")
        # Told in one line, by serve or by the build (whichever catches it).
        assert _wait_for(lambda: "File too large" in server.stderr() or "EFBIG" in server.stderr(), 60), \
            server.stderr()
        assert "Traceback" not in server.stderr()
        page = _get(url)
        assert "단위" in page and "긴 안내" not in page  # the last good site
        guide.write_text(text + "\n## 새 안내\n\n새로 쓴 문장입니다.\n", encoding="utf-8")
        assert _wait_for(lambda: "새로 쓴 문장입니다" in _get(url), 60), "serve did not rebuild after the failure"
        assert server.proc.poll() is None
        assert "Traceback" not in server.stderr()
    finally:
        server.stop()
