"""Stage 6: write the site into a fresh folder beside the output, then swap it
in. A build that fails, or is killed, at any point leaves the published folder
as it was."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


class SiteWriter:
    def __init__(self, staging: Path):
        self.staging = staging
        self.count = 0
        self._folders: set[Path] = set()

    def _folder_for(self, target: Path) -> None:
        # Once per folder, not once per file: a site has ten files for each folder.
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)

    def write(self, rel_path: str, data: str | bytes) -> None:
        target = self.staging / rel_path
        self._folder_for(target)
        if isinstance(data, str):
            # Fixed newlines so two builds, on any system, are byte-identical.
            target.write_bytes(data.encode("utf-8"))
        else:
            target.write_bytes(data)
        self.count += 1

    def copy(self, source: Path, rel_path: str) -> None:
        self.write(rel_path, source.read_bytes())

    def keep(self, published: Path, rel_path: str) -> None:
        """Carry a file over from the published site unchanged: a hard link,
        so neither its bytes nor its modification time are touched."""
        target = self.staging / rel_path
        self._folder_for(target)
        try:
            os.link(published / rel_path, target)
        except OSError:  # a file system without hard links
            shutil.copy2(published / rel_path, target)
        self.count += 1


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


def _recover(out_dir: Path) -> None:
    """Tidy after a build that was killed: folders it left beside the output
    go, and if it died between the two renames of the fallback swap, the
    previous site comes back."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        olds.pop().rename(out_dir)
    for leftover in olds + sorted(out_dir.parent.glob(f".{out_dir.name}.new-*")):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def staged_output(out_dir: Path):
    """Yield a writer into a temporary folder; on success it becomes out_dir."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _recover(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        yield SiteWriter(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
    if not out_dir.exists():
        staging.rename(out_dir)
    elif _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
    else:
        old = out_dir.parent / f".{out_dir.name}.old-{staging.name.rsplit('-', 1)[-1]}"
        out_dir.rename(old)
        staging.rename(out_dir)  # killed between these two, _recover restores old
        shutil.rmtree(old, ignore_errors=True)
