"""Finding and reading the content files: only regular files inside content/, of bounded size, in
UTF-8; kept between builds (Memory) and read by forked workers when there are many.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from .. import workers
from ..memory import Memory
from ..problems import Problem, display_path
from .document import GUIDE, Content, Document, field_name
from .parse import (
    CONTEXTS,
    Alias,
    ContentLoader,
    Merge,
    NotDecimal,
    construct,
    indent,
    path_at,
    positions,
    syntax_message,
    too_deep,
)
from .text import text_problems

# What one content file may cost: well above the largest real one
# (revenue.yaml); far larger ones cost too much to check.
MAX_FILE_BYTES = 8 * 2**20


class Unreadable(Exception):
    """A file that cannot be read as content, said in Korean."""


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """A regular file's bytes, or Unreadable: a folder, a FIFO (which would
    wait for a writer forever), a device (/dev/zero never ends), a file over
    the limit, or one that cannot be opened. Opened without blocking, then
    looked at, so nothing can change between the look and the read."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except IsADirectoryError:
        raise Unreadable("파일이 아니라 폴더입니다. 폴더 이름이 .yaml로 끝나지 않게 바꾸세요") from None
    except PermissionError:
        raise Unreadable("읽을 권한이 없습니다. 파일의 권한을 확인하세요 (예: chmod a+r)") from None
    except OSError as e:
        raise Unreadable(f"열 수 없습니다: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable("파일이 아니라 폴더입니다. 폴더 이름이 .yaml로 끝나지 않게 바꾸세요")
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("보통 파일이 아닙니다(장치, 파이프 등). 내용은 보통 파일로 두세요")
        if st.st_size > limit:
            raise Unreadable(f"파일이 너무 큽니다({st.st_size / 2**20:,.1f} MB, 한도 {limit / 2**20:,.0f} MB). "
                             f"사업마다 파일을 나누세요")
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise Unreadable(f"읽을 수 없습니다: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # grown since the look
        raise Unreadable(f"파일이 너무 큽니다(한도 {limit / 2**20:,.0f} MB). 사업마다 파일을 나누세요")
    return raw


def _decoded(raw: bytes, name: str) -> tuple[str, Problem | None]:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and raw.count(0) * 4 > len(raw)):
        return "", Problem(name, 1, "", "UTF-16으로 저장된 파일입니다. 편집기에서 인코딩을 UTF-8로 골라 다시 저장하세요")
    try:
        # utf-8-sig: a byte-order mark, as Windows Notepad saves, is fine.
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        return "", Problem(name, line, "", f"UTF-8로 읽을 수 없는 바이트가 있습니다({raw[e.start:e.start + 1]!r}). "
                                           "EUC-KR(CP949)로 저장된 파일이면 UTF-8로 다시 저장하세요")


def _unreadable(path: Path, name: str, within: _Within) -> Problem | None:
    if not path.exists():
        return Problem(name, 1, "", "파일이 없습니다")
    return None if within(path) else _outside(name)


def _outside(name: str) -> Problem:
    # A link out of content/ could publish any file on the machine.
    return Problem(name, 1, "", "content/ 밖의 파일을 가리키는 링크입니다")


def read_yaml(path: Path, kind: str, root: Path) -> tuple[Document | None, list[Problem]]:
    name = display_path(path, root)
    try:
        raw = read_bytes(path)
    except Unreadable as e:
        return None, [Problem(name, 1, "", str(e))]
    text, problem = _decoded(raw, name)
    if problem:
        return None, [problem]
    if not text.strip():
        return None, [Problem(name, 1, "", "파일이 비어 있습니다")]
    loader = None
    dupes: list = []
    if (deep := too_deep(text)) is not None:
        return None, [Problem(name, deep, "", "너무 깊이 중첩되어 있습니다")]
    try:
        loader = ContentLoader(text)
        # Aliases (*name) are refused: content has no use for them, and nested
        # ones multiply a small file into billions of values for all that walks it.
        if "*" in text:
            alias = next((ev for ev in yaml.parse(text, Loader=ContentLoader) if isinstance(ev, yaml.AliasEvent)), None)
            if alias is not None:
                raise Alias(alias.start_mark.line + 1 if alias.start_mark else 1)
        node = loader.get_single_node()
        if node is None:  # only comments
            return None, [Problem(name, 1, "", "파일이 비어 있습니다")]
        data = construct(loader, node)
        if loader.duplicates:
            _, dupes = positions(text)
        doc = Document(kind, path, name, data, text)
        # Inside the try: walking every string is where absurd nesting shows.
        problems = text_problems(doc, data)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        if "\t" in indent(text, line) or "'\\t'" in (e.problem or ""):
            return None, [Problem(name, line, "", "YAML 문법 오류: 탭 문자로 들여쓸 수 없습니다. 공백(스페이스)으로 들여쓰세요")]
        started = ""
        if e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            started = f" ({e.context_mark.line + 1}행에서 시작한 {CONTEXTS.get(e.context or '', '부분')})"
        return None, [Problem(name, line, "", f"{syntax_message(e)}{started}")]
    except yaml.reader.ReaderError as e:
        line = text[:e.position].count("\n") + 1
        return None, [Problem(name, line, "", f"YAML에 쓸 수 없는 문자가 있습니다: U+{e.character:04X}")]
    except yaml.YAMLError:
        return None, [Problem(name, 1, "", "YAML 문법 오류: 파일을 YAML로 읽을 수 없습니다")]
    except Merge as e:
        return None, [Problem(name, e.line, "", "YAML 병합 키(<<:)는 쓸 수 없습니다. 필요한 항목을 그대로 적으세요")]
    except Alias as e:
        return None, [Problem(name, e.line, "", "YAML 별칭(&이름/*이름)은 쓸 수 없습니다. 값을 그대로 적으세요")]
    except NotDecimal as e:
        return None, [Problem(name, e.line, field_name(path_at(text, e.line, e.column)),
                              f"숫자 '{e.value}'는 적힌 대로 읽히지 않습니다: YAML은 앞에 0이 붙은 수를 8진수로, "
                              f"0x를 16진수로, 1:30 같은 꼴을 60진수로, 1_000을 1000으로 읽습니다. "
                              f"금액·연도·행 번호는 0 없이 숫자만 적으세요(예: 600000). 글자로 둘 값이면 따옴표로 감싸세요")]
    except RecursionError:
        return None, [Problem(name, 1, "", "너무 깊이 중첩되어 있습니다")]
    finally:
        if loader is not None:
            loader.dispose()
    duplicates = [Problem(name, line, field_name(p), "같은 키가 두 번 있습니다") for p, line in dupes]
    return doc, duplicates + problems


class _Within:
    """Whether a file, links followed, lies inside a folder. Each folder is
    resolved once and a file only if it is itself a link: resolving every
    one of many files was slow."""

    def __init__(self, folder: Path):
        self.inside = folder.resolve()
        self.folders: dict[str, bool] = {}
        self.reals: dict[str, Path] = {}

    def __call__(self, path: Path) -> bool:
        if path.is_symlink():
            return path.resolve().is_relative_to(self.inside)
        return self.folder(os.path.dirname(path))

    def folder(self, folder: str) -> bool:
        """By name: a Path and its hash for each file cost more than the check."""
        if folder not in self.folders:
            self.folders[folder] = self._real(folder).is_relative_to(self.inside)
        return self.folders[folder]

    def _real(self, folder: str) -> Path:
        if folder not in self.reals:
            self.reals[folder] = Path(folder).resolve()
        return self.reals[folder]

    def as_named(self, saved: set[str], folders: list[Path]) -> set[str]:
        """Real paths (as a watch names them) as this load names the files
        of folders: the folders are resolved, not each file."""
        named = {str(self._real(str(f))): str(f) for f in folders}
        return {os.path.join(named[d], os.path.basename(p)) for p in saved if (d := os.path.dirname(p)) in named}


def _yaml_in(folder: Path, kind: str, root: Path, listings: dict) -> list[tuple[Path, str, str, bool]]:
    """(path, kind, name in messages, whether it is a link) of each .yaml file
    in folder, sorted by name, as glob("*.yaml") finds them. By scandir, which
    tells a link without a stat: a Path, a stat and a relative name for each
    of many files slowed every serve rebuild. The same
    names as last time give the same Paths, whose hashes Python keeps."""
    try:
        with os.scandir(folder) as entries:
            # Hidden files are an editor's (.#x.yaml locks), never content.
            found = sorted((e.name, e.is_symlink()) for e in entries
                           if e.name.endswith(".yaml") and not e.name.startswith("."))
    except OSError:  # no such folder: no files of that kind
        return []
    key = (str(folder), kind, str(root))
    last = listings.get(key)
    if last is None or last[0] != found:
        shown = display_path(folder, root)
        last = listings[key] = (found, [(folder / name, kind, name if shown == "." else f"{shown}/{name}", link)
                                       for name, link in found])
    return last[1]


def _folder_problem(folder: Path, root: Path) -> Problem | None:
    """A content folder that is missing or unreadable is an error, not a
    dataset of no projects; a file it holds under another YAML ending
    (.yml, .YAML) would be passed over in silence, so it is named."""
    name = display_path(folder, root) + "/"
    if not folder.is_dir():
        return Problem(name, 1, "", "폴더가 없습니다. 내용 폴더(--content)가 맞는지, 폴더 이름이 맞는지 확인하세요")
    try:
        with os.scandir(folder) as entries:
            other = sorted(e.name for e in entries if e.name.lower().endswith((".yml", ".yaml"))
                           and not e.name.endswith(".yaml") and not e.name.startswith("."))
    except OSError as e:
        return Problem(name, 1, "", f"폴더를 읽을 수 없습니다: {e.strerror}")
    if other:
        return Problem(name, 1, "", f"확장자가 .yaml이 아닌 파일은 읽지 않습니다: {', '.join(other)}. 이름을 .yaml로 바꾸세요")
    return None


# Files a dataset may leave out: the site is built without their pages.
OPTIONAL = ("revenue", "programs", "glossary", "search-aliases")


def load_content(content_dir: Path, root: Path | None = None, memory: Memory | None = None,
                 saved: set[str] | None = None) -> Content:
    """Read site.yaml, sources.yaml, departments/*.yaml, projects/*.yaml,
    pages/guide.md, and the optional revenue.yaml, programs.yaml and
    glossary.yaml.

    root is what file names in messages are shown relative to. memory, kept
    between builds (serve), holds each file as last read: a file whose size
    and modification time are the same is not read again. saved (serve):
    the real paths saved since then, as a watch names them; a plain file not
    among them is not even looked at (a stat of each of many files adds up).
    """
    root = root or content_dir.parent
    loaded = memory.files if memory is not None else None
    listings = memory.listings if memory is not None else {}

    def single(kind: str) -> tuple[Path, str, str, bool]:
        path = content_dir / f"{kind}.yaml"
        return path, kind, display_path(path, root), True  # perhaps a link: checked in full

    wanted = [single("site"), single("sources")]
    wanted += _yaml_in(content_dir / "departments", "department", root, listings)
    wanted += _yaml_in(content_dir / "projects", "project", root, listings)
    wanted += [single(kind) for kind in OPTIONAL if (content_dir / f"{kind}.yaml").exists()]
    documents: list = []
    problems = [p for sub in ("departments", "projects") if (p := _folder_problem(content_dir / sub, root))]
    readable = []
    unread: set[str] = set()  # stems of files not read: only the failures are named (a Path's stem is slow)
    within = _Within(content_dir)
    for path, kind, name, maybe_link in wanted:
        if maybe_link:
            problem = _unreadable(path, name, within)
        else:  # a plain file just found in its folder: it exists, and lies where the folder does
            problem = None if within.folder(os.path.dirname(path)) else _outside(name)
        if problem:
            problems.append(problem)
            unread.add(path.stem)
        else:
            readable.append((path, kind, maybe_link))
    if saved is not None:
        saved = within.as_named(saved, [content_dir, content_dir / "departments", content_dir / "projects"])
    for (path, _, _), (doc, found) in zip(readable, _read_all(readable, root, loaded, saved)):
        problems += found
        if doc is not None:
            documents.append(doc)
        else:
            unread.add(path.stem)
    pages, found = _markdown_pages(content_dir / "pages", root, within)
    return Content(root, documents, problems + found, pages, frozenset(unread))


def _markdown_pages(folder: Path, root: Path, within: _Within) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """Each pages/*.md as (Markdown, name in messages), by its stem: every one
    becomes a page of the site (render.py); guide.md must be there."""
    pages: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    try:
        with os.scandir(folder) as entries:
            # Hidden files are an editor's, never content.
            names = sorted(e.name for e in entries if e.name.endswith(".md") and not e.name.startswith("."))
    except OSError:
        names = []
    if f"{GUIDE}.md" not in names:
        names.insert(0, f"{GUIDE}.md")  # said to be missing below
    for name in names:
        path = folder / name
        shown = display_path(path, root)
        if problem := _unreadable(path, shown, within):
            problems.append(problem)
            continue
        try:
            text, problem = _decoded(read_bytes(path), shown)
        except Unreadable as e:
            text, problem = "", Problem(shown, 1, "", str(e))
        if problem:
            problems.append(problem)
        pages[path.stem] = (text, shown)
    return pages, problems


PARALLEL_FROM = 200  # fewer files are read here: starting workers costs more than it saves


def _read_all(files: list[tuple[Path, str, bool]], root: Path, loaded: dict | None,
              saved: set[str] | None = None) -> list[tuple]:
    """(document, problems) of each (path, kind, perhaps a link), in order:
    from loaded when the file is unchanged, else read, by forked workers
    when there are many. saved: paths as these files are named."""
    signatures = {}
    if loaded is not None:
        for path, kind, maybe_link in files:
            held = loaded.get(path)
            if saved is not None and held is not None and not maybe_link and str(path) not in saved:
                signatures[path] = held[0]  # not saved since it was read: as it was
                continue
            try:
                st = os.stat(path)
            except OSError:  # gone since listed: read again, to say so
                signatures[path] = None
                continue
            signatures[path] = (st.st_size, st.st_mtime_ns, st.st_ino, kind, root)
    todo = [(path, kind) for path, kind, _ in files
            if loaded is None or signatures[path] is None or loaded.get(path, (None,))[0] != signatures[path]]
    if n := workers.count(len(todo), PARALLEL_FROM):
        with workers.forked(n) as pool:
            read = list(pool.map(read_yaml, *zip(*todo), [root] * len(todo), chunksize=32))
    else:
        read = [read_yaml(path, kind, root) for path, kind in todo]
    if loaded is None:
        return read
    for (path, _), result in zip(todo, read):
        loaded[path] = (signatures[path], *result)
    return [loaded[path][1:] for path, _, _ in files]
