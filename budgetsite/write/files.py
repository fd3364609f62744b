"""Writing the site's files: the writer (each file 0644 whatever the umask, an identical one kept),
folders readable by all, removing what a build made, and walking a folder fast.
"""
from __future__ import annotations

import os
import shutil
import stat
from contextlib import suppress
from pathlib import Path


class SiteWriter:
    """Writes files under staging, and carries unchanged ones over from the
    published site; written and kept name every file of the site to be."""

    def __init__(self, staging: Path, published: Path | None = None, in_place: bool = False,
                 present: dict[str, list[int]] | None = None):
        self.staging = staging
        self.published = published
        # In place (serve): a file identical to the published one is kept as
        # it is, and kept files stay where they are instead of being linked;
        # present names the plain files found in it (not under a link).
        self.in_place = in_place
        self.present = present
        self.written: list[str] = []
        self.kept: list[str] = []
        # Signatures of published files found identical and so kept, taken
        # as they were compared: the build record must match the disk.
        self.signatures: dict[str, list[int]] = {}
        self._folders: set[Path] = set()

    @property
    def count(self) -> int:
        return len(self.written) + len(self.kept)

    def _folder_for(self, target: Path) -> None:
        # Once per folder, not once per file: a site has ten files for each folder.
        if target.parent not in self._folders:
            public_folder(target.parent)
            self._folders.add(target.parent)

    def write(self, rel_path: str, data: str | bytes) -> None:
        # Fixed newlines so two builds, on any system, are byte-identical.
        body = data.encode("utf-8") if isinstance(data, str) else data
        if self.in_place and (self.present is None or rel_path in self.present):
            assert self.published is not None  # in place means over a published site
            held = _holding(self.published / rel_path, body)
            if held:
                self.kept.append(rel_path)
                self.signatures[rel_path] = held
                return
        target = self.staging / rel_path
        self._folder_for(target)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
        with open(fd, "wb") as f:
            os.fchmod(fd, FILE_MODE)  # not narrowed by the umask: a web server, or a copy, must read it
            f.write(body)
        self.written.append(rel_path)

    def copy(self, source: Path, rel_path: str) -> None:
        self.write(rel_path, source.read_bytes())

    def take(self, source: Path, rel_path: str) -> None:
        """Put a file another build made (a shard's, build.py merge) into the
        site as it is: a hard link where the file system allows, else a copy."""
        target = self.staging / rel_path
        self._folder_for(target)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
            os.chmod(target, FILE_MODE)
        self.written.append(rel_path)

    def keep(self, rel_path: str) -> None:
        """Carry a file over from the published site unchanged: a hard link,
        so neither its bytes nor its modification time are touched."""
        if not self.in_place:
            assert self.published is not None  # only a published site has files to keep
            target = self.staging / rel_path
            self._folder_for(target)
            try:
                os.link(self.published / rel_path, target)
            except OSError:  # a file system without hard links
                shutil.copy2(self.published / rel_path, target)
        self.kept.append(rel_path)

    def absorb(self, other: SiteWriter) -> None:
        """Take in what a worker's writer did (publish.py)."""
        self.written.extend(other.written)
        self.kept.extend(other.kept)
        self.signatures.update(other.signatures)


FILE_MODE = 0o644


FOLDER_MODE = 0o755


def public_folder(folder: Path) -> None:
    """mkdir -p, each folder made readable by all whatever the umask (077
    would hide the site from the web server that serves it)."""
    try:
        os.mkdir(folder)
    except FileNotFoundError:
        public_folder(folder.parent)
        public_folder(folder)
        return
    except FileExistsError:
        return  # made by another worker, or there before
    os.chmod(folder, FOLDER_MODE)


def remove_folder(folder: Path) -> None:
    """rmtree that does not give up on read-only folders (a site someone made
    read-only, swapped out): a hidden leftover no one can delete is worse."""
    if os.path.islink(folder) or os.path.isfile(folder):
        with suppress(OSError):
            os.unlink(folder)
        return
    shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        return
    with suppress(OSError):
        os.chmod(folder, 0o700)
    for where, folders, _ in os.walk(folder):
        for name in folders:
            path = os.path.join(where, name)
            if not os.path.islink(path):  # chmod would follow it out of the folder
                with suppress(OSError):
                    os.chmod(path, 0o700)
    shutil.rmtree(folder, ignore_errors=True)


def _holding(path: Path, body: bytes) -> list[int] | None:
    """The file's size and modification time if it holds exactly body."""
    try:
        st = os.stat(path, follow_symlinks=False)  # a link put there by hand is not the file
        if stat.S_ISREG(st.st_mode) and st.st_size == len(body) and path.read_bytes() == body:
            return signature(st)
    except OSError:
        pass
    return None


def scan(folder: Path) -> list[tuple[str, os.DirEntry]]:
    """(name relative to folder with / between parts, its DirEntry: full
    path, whether it is a link, its stat once asked) of every file under
    folder; a link is not walked into, and counts as a file. Strings, not
    Paths (a Path for each of many files is slow), by scandir, which
    tells a folder from a file without a stat: faster than os.walk."""
    found: list[tuple[str, os.DirEntry]] = []

    def walk(where: str, prefix: str) -> None:
        try:
            with os.scandir(where) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path, f"{prefix}{entry.name}/")
                    else:
                        found.append((prefix + entry.name, entry))
        except OSError:  # unreadable, or removed while walking
            pass

    walk(str(folder), "")
    return found


def files_under(folder: Path) -> list[tuple[str, str]]:
    """(name, full path) of every file under folder, as scan finds them."""
    return [(name, entry.path) for name, entry in scan(folder)]

def signature(st: os.stat_result) -> list[int]:
    """What tells that a file was changed: any write changes one of them."""
    return [st.st_size, st.st_mtime_ns]
