"""The new site written beside the output and swapped in at once (renameat2 where Linux has it): a
build that fails, or is killed, at any point leaves the published folder as it was.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..problems import SettingError
from .files import FOLDER_MODE, SiteWriter, remove_folder

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the
    system cannot, and the caller falls back to two renames."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    return libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def recover(out_dir: Path) -> None:
    """Tidy after a build that was killed: folders it left beside the output
    go, and if it died between the two renames of the fallback swap, the
    previous site comes back."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        olds.pop().rename(out_dir)
    for leftover in olds + sorted(out_dir.parent.glob(f".{out_dir.name}.new-*")):
        remove_folder(leftover)


def replaceable(out_dir: Path) -> None:
    """Refuse, before anything is made beside it, an output the new site
    could not take the place of: the existing one stays as it is."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SettingError(f"출력 폴더 {out_dir}이(가) 폴더가 아니라 파일입니다. 그대로 두었습니다. 다른 이름을 --out에 주세요.")
    for folder in (out_dir.parent, out_dir):
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            raise SettingError(f"{folder}에 쓸 권한이 없어 사이트를 바꿀 수 없습니다. 그대로 두었습니다. "
                               f"쓰기 권한을 주거나(chmod u+w {folder}) 다른 폴더를 --out에 주세요.")


@contextmanager
def staged_output(out_dir: Path):
    """Yield a writer into a temporary folder; on success it becomes out_dir."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    replaceable(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        yield SiteWriter(staging, published=out_dir)
        os.chmod(staging, FOLDER_MODE)  # mkdtemp makes it private; a web server must read it
        replaceable(out_dir)  # again: the build took a while
    except BaseException:
        remove_folder(staging)
        raise
    try:
        if not out_dir.exists():
            staging.rename(out_dir)
        elif _exchange(staging, out_dir):
            remove_folder(staging)  # now holds the previous site
        else:
            old = out_dir.parent / f".{out_dir.name}.old-{staging.name.rsplit('-', 1)[-1]}"
            out_dir.rename(old)
            try:
                staging.rename(out_dir)  # killed between these two, recover restores old
            except OSError:
                old.rename(out_dir)
                raise
            remove_folder(old)
    except OSError as e:
        remove_folder(staging)
        raise SettingError(f"새 사이트를 {out_dir}에 옮기지 못해 그대로 두었습니다({e.strerror}). "
                           f"폴더의 권한을 확인하거나 다른 폴더를 --out에 주세요.") from None
