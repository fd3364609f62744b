"""Write (the last stage): write the site into a fresh folder beside the output, then swap it
in. A build that fails, or is killed, at any point leaves the published folder
as it was."""
from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Set as AbstractSet
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .problems import SettingError


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
def output_lock(out_dir: Path, locks: Path):
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
            print(f"다른 빌드가 {out_dir}에 쓰고 있어 끝나기를 기다립니다…", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and with it the lock


def _recover(out_dir: Path) -> None:
    """Tidy after a build that was killed: folders it left beside the output
    go, and if it died between the two renames of the fallback swap, the
    previous site comes back."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        olds.pop().rename(out_dir)
    for leftover in olds + sorted(out_dir.parent.glob(f".{out_dir.name}.new-*")):
        remove_folder(leftover)


def _replaceable(out_dir: Path) -> None:
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
    _recover(out_dir)
    _replaceable(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        yield SiteWriter(staging, published=out_dir)
        os.chmod(staging, FOLDER_MODE)  # mkdtemp makes it private; a web server must read it
        _replaceable(out_dir)  # again: the build took a while
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
                staging.rename(out_dir)  # killed between these two, _recover restores old
            except OSError:
                old.rename(out_dir)
                raise
            remove_folder(old)
    except OSError as e:
        remove_folder(staging)
        raise SettingError(f"새 사이트를 {out_dir}에 옮기지 못해 그대로 두었습니다({e.strerror}). "
                           f"폴더의 권한을 확인하거나 다른 폴더를 --out에 주세요.") from None


@dataclass
class Listing:
    """What a folder holds, found by one walk."""
    # plain files, by name relative to the folder with / between parts: their
    # size and modification time, taken as they were found
    files: dict[str, list[int]]
    links: set[str]  # links, to files or folders: never written by a build, and not walked into
    # Files whose signature differs from the record it was made from
    # (relisted); None when walked: any may.
    differ: set[str] | None = None


def signature(st: os.stat_result) -> list[int]:
    """What tells that a file was changed: any write changes one of them."""
    return [st.st_size, st.st_mtime_ns]


def listing(folder: Path) -> Listing:
    found = Listing({}, set())
    for name, entry in scan(folder):
        if entry.is_symlink():
            found.links.add(name)
        else:
            try:
                found.files[name] = signature(entry.stat(follow_symlinks=False))
            except OSError:  # removed while walking
                pass
    return found


def relisted(folder: Path, files: dict[str, list[int]], changed: dict[str, bool]) -> Listing:
    """What folder holds now, from what it held (files) and the names changed
    since (True: a folder's, whose files may all be gone or new), each looked
    at again: no walk. A file under a link is not one of its files."""
    found = Listing(dict(files), set(), differ=set())
    root = str(folder)
    looked = set(changed)

    def drop_under(name: str) -> None:
        under = name + "/"
        gone = [f for f in found.files if f.startswith(under)]
        looked.update(gone)
        for f in gone:
            del found.files[f]

    for name, is_folder in changed.items():
        if is_folder:
            drop_under(name)
        path = os.path.join(root, name)
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:  # gone, or a folder above it is now a file
            found.files.pop(name, None)
            continue
        if stat.S_ISLNK(st.st_mode):
            found.files.pop(name, None)
            found.links.add(name)
        elif stat.S_ISDIR(st.st_mode):
            found.files.pop(name, None)
            inside = listing(Path(path))
            found.files.update((f"{name}/{n}", s) for n, s in inside.files.items())
            found.links.update(f"{name}/{n}" for n in inside.links)
            looked.update(f"{name}/{n}" for n in inside.files)
        else:
            found.files[name] = signature(st)
    for link in found.links:  # rare: put there by hand
        drop_under(link)
    found.differ = {name for name in looked if found.files.get(name) != files.get(name)}
    return found


@contextmanager
def updated_in_place(out_dir: Path, present: Listing | None = None):
    """For serve, where a rebuild follows every save: yield a writer whose
    new and changed files are written beside the output first, then each
    moved into it in one atomic step (os.replace); any other file in it,
    of a page gone or put there by hand, is removed, and links are removed
    first, so nothing is written through one. Nothing is touched if the
    build fails; a build killed while moving leaves every file whole, old or
    new, and the next build finds which (freshness.py). Unchanged files are
    not copied or linked, so an edit costs what it changes, not the size of
    the site. present: out_dir as walked before the build decided what to
    keep (pipeline.py); walked here if not given."""
    out_dir = out_dir.resolve()
    _recover(out_dir)
    _replaceable(out_dir)
    present = present or listing(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        writer = SiteWriter(staging, published=out_dir, in_place=True, present=present.files)
        yield writer
        for name in present.links:
            with suppress(FileNotFoundError):
                os.unlink(out_dir / name)
        folders: set[Path] = set()
        for name in writer.written:
            target = out_dir / name
            try:
                if target.parent not in folders:
                    public_folder(target.parent)
                    folders.add(target.parent)
                os.replace(staging / name, target)
            except OSError:
                _clear_way(out_dir, target)
                public_folder(target.parent)
                folders.add(target.parent)
                os.replace(staging / name, target)
        _remove_all_but(out_dir, set(writer.written).union(writer.kept), present.files.keys())
    finally:
        remove_folder(staging)


def _clear_way(out_dir: Path, target: Path) -> None:
    """Remove what holds a name the site needs: a folder where its file goes,
    a file where its folder goes. Put there by hand, it is not of the site,
    and left there it would stop every rebuild."""
    here = out_dir
    for part in target.relative_to(out_dir).parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            here.unlink()
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


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


def _remove_all_but(out_dir: Path, site: set[str], present: AbstractSet[str]) -> None:
    """Remove every file of present (as found before the build) not named in
    site, and the folders that leaves empty. Names only: no walk, no stat."""
    left: set[str] = set()
    root = str(out_dir)
    for name in present - site:
        path = os.path.join(root, name)
        try:
            os.unlink(path)
        except (FileNotFoundError, NotADirectoryError):
            pass  # gone, or a folder of it was a file the build replaced
        except OSError:
            if not os.path.isdir(path):  # now a folder of the site's (_clear_way): stays
                raise
        left.add(os.path.dirname(path))
    for folder in sorted(left, key=len, reverse=True):  # the deepest first
        while folder != root:
            try:
                os.rmdir(folder)  # fails, as it should, unless it is now empty
            except OSError:
                break
            folder = os.path.dirname(folder)
