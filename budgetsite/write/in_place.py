"""serve's way: the site as it is (from a walk or from the record and a watch), and its files
replaced one by one, with what no build wrote removed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Set as AbstractSet
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .files import SiteWriter, public_folder, remove_folder, scan, signature
from .swap import recover, replaceable


@dataclass
class Listing:
    """What a folder holds, found by one walk."""
    # plain files, by name relative to the folder with / between parts: their
    # size and modification time, taken as they were found
    files: dict[str, list[int]]
    links: set[str]  # links, to files or folders: never written by a build, and not walked into
    # Files whose signature differs from the record it was made from
    # (as_recorded: none); None when walked: any may.
    differ: set[str] | None = None



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


def as_recorded(files: dict[str, list[int]]) -> Listing:
    """A folder as its build record says, nothing looked at: serve's own
    folder, which nobody else writes, once its session has built it."""
    return Listing(dict(files), set(), differ=set())


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
    recover(out_dir)
    replaceable(out_dir)
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
