"""What of site/ a build can keep.

Every input file (content, source texts, templates, static files, schemas,
the generator's own code) is hashed; with the package versions and the
build's options that makes a fingerprint, recorded after each build together
with the size and modification time of every file written.

- Same fingerprint and site/ untouched: there is nothing to do.
- Otherwise a page is rendered again only if its digest changed or its files
  in site/ were touched. The digest covers what the page is made from: the
  inputs every page shares (all but project and department files) and the
  project and department files the page declares in Page.inputs (None: all
  of them, less what only each project's own page shows; a department page
  likewise of its projects). The other pages' files are carried over from
  site/ as they are.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path

from .charts import installed_fonts
from .memory import Memory
from .write import scan, signature

PACKAGES = ("altair", "vl-convert-python", "jinja2", "markupsafe", "markdown", "nh3", "pyyaml", "jsonschema",
            "jsonschema-rs", "lxml", "squarify")
# Inputs a page can depend on one by one; everything else is shared by all pages.
PER_PAGE = ("content/projects/", "content/departments/")
# What of a project file only its own page shows: pages listing every project
# (comparisons, indexes, the home page) do not change when these do.
OWN_PAGE_ONLY = ("description", "notes", "breakdown", "foundation_budget", "keywords")
CODE = Path(__file__).resolve().parent


def _files(folder: Path, links: set[str] | None = None) -> list[tuple[str, str, bool]]:
    """(name relative to folder, with /; full path; whether it is a link) of
    every file under folder, as rglob finds them (links, if given, receives
    the names of links): a linked file is read, a linked folder is not
    walked into (a link to a parent would loop) but counted by where it
    points; __pycache__ is left out."""
    found = []
    for name, entry in scan(folder):
        if name.startswith("__pycache__/") or "/__pycache__/" in name:
            continue
        path, is_link = entry.path, entry.is_symlink()
        if is_link and links is not None:
            links.add(name)
        found.append((name, path, is_link))
    return sorted(found)


def _digest(*parts: str) -> str:
    """sha256 of the parts, each followed by a NUL (one update: 10,000 pages' digests a build)."""
    return hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8")).hexdigest()


def _hash(f: str, hashes: dict) -> str:
    """The file's sha256, read again only if its size, modification time or
    inode changed since this process last read it."""
    try:
        st = os.stat(f)
    except OSError:  # gone since listed
        return "missing"
    signature = (st.st_size, st.st_mtime_ns, st.st_ino)
    if not stat.S_ISREG(st.st_mode):  # a FIFO would wait forever: what it is, not what it holds
        return f"not a file {st.st_mode:o} {signature}"
    known = hashes.get(f)
    if known is None or known[0] != signature:
        try:
            with open(f, "rb") as opened:
                known = hashes[f] = (signature, hashlib.sha256(opened.read()).hexdigest())
        except OSError:  # unreadable: the check that reads it says so, with its name
            return f"unreadable {signature}"
    return known[1]


def _hashed(f: str, is_link: bool, hashes: dict) -> str:
    """A file's hash; a link's also says where it points: a file replaced by
    a link out of content/, or by a link to nothing, is an input changed
    (load refuses both), though what it reads may be the same. A linked
    folder is counted by where it points alone. (is_link: as the walk found
    it, so a plain file costs no look of its own.)"""
    if not is_link:
        return _hash(f, hashes)
    if os.path.isdir(f):
        return f"link to {os.readlink(f)}"
    return f"link to {os.readlink(f)}: {_hash(f, hashes)}"


def _look_again(files: dict[str, str], links: set[str], folders, path: str, hashes: dict) -> None:
    """Bring files (and links, the names of links among them) up to date for
    one saved path, a real one (a file or a folder, new, changed or gone),
    as _files would find it; folders: (label, real path) of each."""
    for label, folder in folders:  # every folder it is in: one may lie in another
        if path != folder and not path.startswith(folder + os.sep):
            continue
        name = f"{label}/{os.path.relpath(path, folder).replace(os.sep, '/')}" if path != folder else label
        if "/__pycache__/" in f"/{name}/":
            continue
        under = name + "/"
        if files.pop(name, None) is None:  # not a file: perhaps a folder, whose files go
            for gone in [n for n in files if n.startswith(under)]:
                del files[gone]
        links.difference_update([n for n in links if n == name or n.startswith(under)])
        is_link = os.path.islink(path) and path != folder
        if os.path.isdir(path) and not is_link:
            prefix = "" if path == folder else under.removeprefix(label + "/")
            found: set[str] = set()
            files.update((f"{label}/{prefix}{n}", _hashed(f, link, hashes)) for n, f, link in _files(Path(path), found))
            links.update(f"{label}/{prefix}{n}" for n in found)
            continue
        if is_link:
            links.add(name)
        if os.path.lexists(path):
            files[name] = _hashed(path, is_link, hashes)


@dataclass
class Inputs:
    files: dict[str, str]  # "content/projects/x.yaml" → sha256 of its bytes
    options: dict          # base URL, drawings: what else changes the output
    listed: dict[str, str] = field(default_factory=dict)  # project file → digest of what the lists show of it
    shown: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # Memory.shown
    _digests: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)  # page_digest

    @classmethod
    def read(cls, paths, saved: set[str] | None = None, memory: Memory | None = None, **options) -> Inputs:
        """saved (serve): the real paths saved since the last read of the same
        folders, kept in memory; only those, and links, are looked at again
        (a walk and a stat of every file: slow with many projects). The
        generator's code is walked."""
        memory = memory or Memory()
        folders = (("content", paths.content), ("sources", paths.sources), ("templates", paths.templates),
                   ("static", paths.static), ("schemas", paths.schemas))
        key = tuple(str(f) for _, f in folders)
        last = memory.inputs.get(key)
        files: dict[str, str]
        links: set[str]
        if saved is None or last is None or len(saved) > 100:  # many: a walk is as quick
            files, links = {}, set()
            for label, folder in folders:
                found: set[str] = set()
                files.update((f"{label}/{name}", _hashed(f, is_link, memory.hashes))
                             for name, f, is_link in _files(folder, found))
                links.update(f"{label}/{name}" for name in found)
        else:
            files, links = dict(last[0]), set(last[1])
            real = [(label, os.path.realpath(folder)) for label, folder in folders]
            where = dict(real)
            # A link's target may change with no event where the link is: links are looked at every time.
            for path in set(saved) | {os.path.join(where[n.split("/", 1)[0]], n.split("/", 1)[1]) for n in links}:
                _look_again(files, links, real, path, memory.hashes)
        memory.inputs.clear()
        memory.inputs[key] = (files, links)
        files = dict(files)
        files.update((f"code/{name}", _hashed(f, is_link, memory.hashes)) for name, f, is_link in _files(CODE))
        return cls(files, options, shown=memory.shown)

    @cached_property
    def _environment(self) -> list[str]:
        versions = []
        for name in PACKAGES:
            try:
                versions.append(f"{name}={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{name}=?")
        if self.options.get("drawings"):
            versions.append(f"fonts={installed_fonts()}")
        return [f"python={platform.python_version()}", *versions, *(f"{k}={v}" for k, v in sorted(self.options.items()))]

    @cached_property
    def fingerprint(self) -> str:
        return _digest(*self._environment, *(f"{n}={d}" for n, d in sorted(self.files.items())))

    @cached_property
    def shared(self) -> str:
        return _digest(*self._environment, *(f"{n}={d}" for n, d in sorted(self.files.items())
                                             if not n.startswith(PER_PAGE)))

    def note_listings(self, projects) -> None:
        """What pages listing every project show of each (its file less
        OWN_PAGE_ONLY), from the loaded documents, so that editing a
        project's description re-renders its own page, not every list."""
        for doc in projects:
            name = f"content/projects/{doc.path.name}"
            whole = self.files.get(name, "")  # (every project file is walked: never "")
            if whole not in self.shown:
                shown = {k: v for k, v in doc.data.items() if k not in OWN_PAGE_ONLY}
                self.shown[whole] = _digest(json.dumps(shown, ensure_ascii=False, sort_keys=True, default=str))
            self.listed[name] = self.shown[whole]
        self.__dict__.pop("_all_per_page", None)
        self.__dict__.pop("_listed_by_name", None)
        self._digests.clear()

    @cached_property
    def _by_name(self) -> dict[str, str]:
        """Each project and department file's hash, by its name in Page.inputs."""
        return {n.removeprefix("content/"): d for n, d in self.files.items() if n.startswith(PER_PAGE)}

    @cached_property
    def _listed_by_name(self) -> dict[str, str]:
        """The same, with what lists show of each project file in place of its whole."""
        return {n: self.listed.get(f"content/{n}", d) for n, d in self._by_name.items()}

    @cached_property
    def _all_per_page(self) -> str:
        return _digest(*(f"content/{n}={d}" for n, d in sorted(self._listed_by_name.items())))

    def page_digest(self, page) -> str:
        # Asked for twice a build (what to keep, then the record).
        digest = self._digests.get(page.path)
        if digest is None:
            if page.inputs is None:
                digest = _digest(self.shared, page.path, self._all_per_page)
            else:
                hashes = self._listed_by_name if page.lists_projects else self._by_name
                digest = _digest(self.shared, page.path, *(f"{n}={hashes.get(n, '-')}" for n in sorted(page.inputs)))
            self._digests[page.path] = digest
        return digest


def _signature(path: Path | str) -> list[int]:
    # A build writes plain files; a link found in site/ was put there by hand,
    # and is taken as it is (one to nothing must not stop the build).
    return signature(os.stat(path, follow_symlinks=False))


def outputs(out: Path) -> dict[str, list[int]]:
    """Every file in out with its size and modification time: cheap to take,
    and any later write to a file changes it."""
    return {name: signature(entry.stat(follow_symlinks=False)) for name, entry in scan(out)}


class BuildRecord:
    """The last build's record (.build-cache/records/, one per output folder): its fingerprint,
    each page's digest and files, and the signature of every file in site/.
    One per Builder, which holds it parsed between builds; serve writes it
    once the edit is on show, not before (slow with many projects)."""

    def __init__(self, paths):
        self.paths = paths
        # One record per output folder: serve's own folder and site/ do not
        # make each other build everything again.
        where = hashlib.sha256(str(paths.out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.path = paths.cache / "records" / f"{where}.json"
        self._parsed: tuple[tuple, dict] | None = None  # the file as last parsed, by its signature
        self._pending: dict | None = None                # made, not yet written

    def last(self) -> dict:
        """The last build's record as this builder holds it: the same object
        until a build records another; {} if it was not built into paths.out."""
        if self._pending is not None:
            last = self._pending
        else:
            try:
                st = self.path.stat()
                key = (st.st_size, st.st_mtime_ns, st.st_ino)
                if self._parsed is None or self._parsed[0] != key:
                    self._parsed = key, json.loads(self.path.read_text(encoding="utf-8"))
                last = self._parsed[1]
            except (OSError, ValueError):
                return {}
        return last if isinstance(last, dict) and last.get("out") == str(self.paths.out.resolve()) else {}

    def outputs(self) -> dict[str, list[int]]:
        """The files of the last build as recorded, if it was built into paths.out."""
        return self.last().get("outputs", {})

    def up_to_date(self, inputs: Inputs, present=None) -> int | None:
        """The number of files in site/ if it needs no rebuild, else None.
        present: site/ as just found (write.Listing), if it was."""
        last = self.last()
        if last.get("inputs") != inputs.fingerprint:
            return None
        if present is not None:
            same = not present.links and (not present.differ if present.differ is not None
                                          else present.files == last.get("outputs"))
        else:
            same = self.paths.out.is_dir() and outputs(self.paths.out) == last.get("outputs")
        return len(last["outputs"]) if same else None  # else someone changed or removed a published file

    def reusable(self, inputs: Inputs, pages: list, present=None) -> dict[str, list[str]]:
        """Page path → its files in site/, for every page that would come out the
        same as last time and whose files nobody has touched since. present, if
        given: site/ as just found (write.Listing), so no file is looked at again;
        its plain files only (a file under a link is not one)."""
        last = self.last()
        recorded, done = last.get("pages", {}), last.get("outputs", {})
        keep = {}
        out = str(self.paths.out)  # joined as strings: a Path for each of many files is slow
        files = present.files if present is not None else None
        differ = present.differ if present is not None else None
        for page in pages:
            entry = recorded.get(page.path)
            if not entry or entry.get("digest") != inputs.page_digest(page):
                continue
            if differ is not None:  # present was made from this record: the rest are as recorded
                if differ.isdisjoint(entry["files"]):
                    keep[page.path] = entry["files"]
                continue
            if files is not None:
                if all((held := files.get(f)) is not None and held == done.get(f) for f in entry["files"]):
                    keep[page.path] = entry["files"]
                continue
            try:
                if all(_signature(f"{out}/{f}") == done.get(f) for f in entry["files"]):
                    keep[page.path] = entry["files"]
            except OSError:
                continue  # a file is gone
        return keep

    def remember(self, inputs: Inputs, page_files: dict[str, list[str]], pages: list, out,
                 defer: bool = False) -> None:
        """Record this build (out: the writer, which knows which files it
        kept, whose signatures stand, and which it wrote). defer: keep it for
        write_pending. A record not written, or an old one, costs only time:
        a page whose files differ from the record is made again."""
        site = self.paths.out
        # Kept files stand as recorded, unless compared just now; the record is
        # copied whole and trimmed (a lookup per file was slower).
        done = dict(self.outputs())
        for name in done.keys() - set(out.kept):
            del done[name]
        done.update(out.signatures)
        done.update((name, _signature(site / name)) for name in out.kept if name not in done)
        done.update((name, _signature(site / name)) for name in out.written)
        body = {"out": str(site.resolve()), "inputs": inputs.fingerprint, "outputs": done,
                "pages": {p.path: {"digest": inputs.page_digest(p), "files": page_files[p.path]} for p in pages}}
        self._pending = body
        if not defer:
            self.write_pending()

    def write_pending(self) -> None:
        if self._pending is None:
            return
        body, self._pending = self._pending, None
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(body), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as e:
            # The site is already in place: the build succeeded. Without a record
            # the next build only starts from nothing; an old one must not stay.
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            with suppress(OSError):
                self.path.unlink(missing_ok=True)
            print(f"알림: 빌드 기록({self.path})을 쓰지 못했습니다({e.strerror}). 사이트는 다 만들었고, "
                  f"다음 빌드는 모든 쪽을 다시 만듭니다.", file=sys.stderr)
            self._parsed = None
            return
        st = self.path.stat()  # what last() would parse again, kept as it is
        self._parsed = (st.st_size, st.st_mtime_ns, st.st_ino), body
        _forget_old_records(self.path.parent)


KEPT_RECORDS = 16  # output folders remembered: an older one's next build makes every page again


def _forget_old_records(folder: Path) -> None:
    """Records of folders built into long ago (tests' temporary outputs,
    folders since deleted) go: each is as large as its site's file list."""
    try:
        records = sorted(folder.glob("*.json"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for old in records[KEPT_RECORDS:]:
        with suppress(OSError):
            old.unlink()
