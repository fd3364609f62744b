"""serve's HTTP side: the site just built, on 127.0.0.1, and nothing else of
the disk. SimpleHTTPRequestHandler alone followed links out of the folder,
listed folders, held a thread for every silent connection and let a request
for a name with a NUL byte end in a traceback."""
from __future__ import annotations

import errno
import os
import stat
import sys
import urllib.parse
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .problems import SettingError

HOST = "127.0.0.1"
# Read when the server is made (tests shorten it). Each connection holds a
# thread: one that sends nothing is closed after this long.
TIMEOUT_SECONDS = 10.0

# No link is followed, at any step; a FIFO put in the folder must not block
# the open (it is then refused as not a plain file).
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_INDEX = b"index.html"


def bind(port: int, folder: Path, timeout: float | None = None) -> SiteServer:
    """A server bound to port on 127.0.0.1 (0: any free port), not yet
    answering: bound before the first build, so a port that cannot be used
    is told at once, and a browser opened early waits instead of failing."""
    if not 0 <= port <= 65535:
        raise SettingError(f"--port {port}은(는) 쓸 수 없습니다: 포트 번호는 0부터 65535까지입니다. "
                           f"8000처럼 1024 이상의 번호를 주거나, --port 0으로 빈 포트를 고르게 하세요. "
                           f"아무것도 만들지 않았습니다.")
    handler = partial(SiteHandler, directory=os.fspath(folder),
                      timeout=TIMEOUT_SECONDS if timeout is None else timeout)
    try:
        return SiteServer((HOST, port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise SettingError(f"포트 {port}은(는) 이미 다른 프로그램이 쓰고 있습니다 (serve가 이미 떠 있을 수 있습니다). "
                               f"--port에 다른 번호를 주거나, --port 0으로 빈 포트를 고르게 하세요. "
                               f"아무것도 만들지 않았습니다.") from None
        raise SettingError(f"포트 {port}을(를) 열 수 없습니다 ({e.strerror}). --port에 1024 이상의 다른 번호를 주거나, "
                           f"--port 0으로 빈 포트를 고르게 하세요. 아무것도 만들지 않았습니다.") from None


class SiteServer(ThreadingHTTPServer):
    allow_reuse_port = False  # a second serve on the same port must be refused, not share it
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away or stalled: nothing the user can act on
        print(f"요청 하나에 답하지 못했습니다 ({type(error).__name__}: {' '.join(str(error).split())}).",
              file=sys.stderr, flush=True)


class SiteHandler(SimpleHTTPRequestHandler):
    """Plain files under the folder, found one name at a time with no link
    followed (a link put in it, even during a request, reaches nothing);
    a folder's index.html for the folder; 404 for anything else."""

    def __init__(self, *args, directory: str, timeout: float, **kwargs):
        # read by setup(), which the base __init__ calls; typeshed declares it a
        # ClassVar, but StreamRequestHandler reads it from the instance.
        self.timeout = timeout  # type: ignore[misc]
        super().__init__(*args, directory=directory, **kwargs)

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        names = _names(path)
        try:
            found = None if names is None else _found(self.directory, names)
        except (OSError, ValueError):  # nothing there, a link, a name the system refuses
            found = None
        if found is None or names is None:  # (no names: nothing found)
            return self._not_found()
        fd, st, folder = found
        if folder != path.endswith("/"):
            os.close(fd)
            if not folder:
                return self._not_found()  # a file asked for as a folder
            # Relative links in index.html need the folder's own address.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", "/" + "".join(urllib.parse.quote(n) + "/" for n in names))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        try:
            return self._file(fd, st, "index.html" if folder else os.fsdecode(names[-1]))
        except BaseException:
            os.close(fd)
            raise

    def _file(self, fd: int, st: os.stat_result, name: str):
        # Precise to the nanosecond and the inode: Last-Modified alone, in whole
        # seconds, would call a page rebuilt within the second unchanged.
        etag = f'"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}"'
        if self.headers.get("If-None-Match") == etag:
            os.close(fd)
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(name))
        self.send_header("Content-Length", str(st.st_size))
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return os.fdopen(fd, "rb")

    def _not_found(self) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, explain="이 주소에는 사이트의 파일이 없습니다.")


def _names(path: str) -> list[bytes] | None:
    """The names along a URL path, decoded to bytes as the disk has them;
    None for a name that could lead out of the folder or name no file."""
    names = [n for n in urllib.parse.unquote_to_bytes(path).split(b"/") if n not in (b"", b".")]
    if any(n == b".." or b"\0" in n for n in names):
        return None
    return names


def _found(folder: str, names: list[bytes]) -> tuple[int, os.stat_result, bool] | None:
    """The plain file at names under folder, opened, or a folder's index.html
    (then True); None if there is neither."""
    fd = _open(folder, names)
    try:
        st = os.fstat(fd)
        folder_asked = stat.S_ISDIR(st.st_mode)
        if folder_asked:
            index = os.open(_INDEX, _OPEN, dir_fd=fd)
            os.close(fd)
            fd = index  # before anything else can raise: closed once, below
            st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            return None
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st, folder_asked


def _open(folder: str, names: list[bytes]) -> int:
    """The file or folder at names under folder, opened each step relative to
    the one before (openat): nothing is looked up by a whole path that a
    link swapped in between a check and the open could redirect."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for name in names:
            child = os.open(name, _OPEN, dir_fd=fd)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd
