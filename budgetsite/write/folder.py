"""Which folder may be written: one this generator made (its mark) or an empty one, never the project,
its inputs or a repository; and one build at a time into it (flock).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from ..problems import SettingError

# Written into every site this generator makes: a folder without it (and
# without the files every earlier build left) is not ours to replace.
MARKER = ".budgetsite"


MARKER_TEXT = "이 폴더는 budgetsite가 만든 사이트입니다. 다시 만들 때 통째로 바뀝니다.\n"


def check_output_folder(out_dir: Path, protected: list[Path]) -> None:
    """Refuse an output folder a build would wrongly replace: one of the
    project's own folders or any folder holding one, a folder holding a
    .git, a file, or a folder with files that this generator did not make."""
    out = out_dir.resolve()
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            where = f"프로젝트가 쓰는 폴더({folder})" if out == folder else f"프로젝트가 쓰는 {folder}이(가) 들어 있는 폴더"
            raise SettingError(f"출력 폴더로 {out_dir}을(를) 쓸 수 없습니다: {where}라 사이트를 만들면 지워집니다. "
                               f"--out에 빈 폴더나 이 프로그램이 만든 사이트 폴더(기본: site/)를 주세요.")
    if out.exists() and not out.is_dir():
        raise SettingError(f"출력 폴더 {out_dir}이(가) 폴더가 아니라 파일입니다. 다른 이름을 --out에 주세요.")
    if (out / ".git").exists():
        raise SettingError(f"출력 폴더 {out_dir}에 .git이 있습니다. 저장소를 지우지 않도록 만들지 않았습니다. "
                           "다른 폴더를 --out에 주세요.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file() \
            and not ((out / ".nojekyll").is_file() and (out / "assets" / "search-index.js").is_file()):
        raise SettingError(f"출력 폴더 {out_dir}에 이 프로그램이 만들지 않은 파일이 있습니다. "
                           "사이트를 만들면 폴더가 통째로 바뀌므로 "
                           f"그대로 두었습니다. 빈 폴더나 새 이름을 --out에 주세요.")


@contextmanager
def output_lock(out_dir: Path, locks: Path, who: str = "빌드"):
    """One build at a time into one folder: a second waits, saying so, rather
    than publish half of each other's site. The lock is the kernel's (flock),
    so a killed build's lock goes with it, and the staging folders left
    beside the output are then surely a dead build's, safe to clean up."""
    locks.mkdir(parents=True, exist_ok=True)  # kept apart: nothing is left beside the output
    name = hashlib.sha256(str(out_dir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    fd = os.open(locks / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"다른 {who}가 {out_dir}에 쓰고 있어 끝나기를 기다립니다…", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and with it the lock
