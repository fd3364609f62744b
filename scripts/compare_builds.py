"""Build the site with two revisions of the code and say whether the results
are byte-identical: the check that a refactor changed nothing published.

    .venv/bin/python scripts/compare_builds.py [REV_A] [REV_B] [--content PATH] [--sources PATH] [--svg] [--keep]
                                               [--same-markup]

REV_A defaults to HEAD; REV_B to "." (the working tree, uncommitted changes
included). A git revision is exported with `git archive` into a temporary
folder (the repository, its index and its worktree list are not touched) and
built there with its own build.py, content/ and an empty build cache.
--same-markup: HTML pages that differ only in whitespace a browser ignores or attribute order
(between table and block tags, runs of spaces) count as the same, and are
counted apart; every other file must still be byte-identical.
Exit status: 0 identical, 1 different, 2 a build (or git) failed.
"""
from __future__ import annotations

import argparse
import contextlib
import difflib
import filecmp
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WORKTREE = "."  # never a git revision: "." is not a valid ref name


@dataclass
class Report:
    """What differs between site A and site B; paths relative, with "/" between parts."""
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    differ: list[str] = field(default_factory=list)       # bytes (or link targets) differ
    mode_differ: list[str] = field(default_factory=list)  # same bytes, other permissions
    same_markup: list[str] = field(default_factory=list)  # HTML the same but for whitespace (--same-markup)
    files_a: int = 0
    files_b: int = 0
    bytes_a: int = 0
    bytes_b: int = 0

    @property
    def identical(self) -> bool:
        return not (self.only_a or self.only_b or self.differ or self.mode_differ)


def _entries(root: Path) -> dict[str, tuple]:
    """Every file, link and empty folder under root. Empty folders count:
    a tree is its files plus the folders that hold none."""
    found: dict[str, tuple] = {}

    def walk(folder: str, rel: str) -> None:
        with os.scandir(folder) as it:
            children = sorted(it, key=lambda e: e.name)
        if not children and rel:
            found[rel + "/"] = ("dir",)
        for entry in children:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_symlink():  # compared by target, never followed out of the site
                found[path] = ("link", os.readlink(entry.path))
            elif entry.is_dir():
                walk(entry.path, path)
            else:
                st = entry.stat()
                found[path] = ("file", st.st_size, st.st_mode & 0o7777)
    walk(str(root), "")
    return found


_SPACE = re.compile(r"\s+")
# Whitespace beside these tags is not rendered: they start or end a block or a table part.
_BLOCK = re.compile(r" ?(</?(?:table|caption|thead|tbody|tfoot|tr|th|td|div|p|details|summary|section|ul|ol|li"
                    r"|h[1-6]|dl|dt|dd|figure|figcaption|br)\b[^>]*>) ?")


_TAG = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[\w:-]+(?:="[^"]*")?)+)\s*>')
_ATTRIBUTE = re.compile(r'[\w:-]+(?:="[^"]*")?')


def markup(text: str) -> str:
    """An HTML page with the whitespace a browser does not render taken out,
    and each tag's attributes in one order (their order means nothing)."""
    text = _TAG.sub(lambda m: f"<{m.group(1)} {' '.join(sorted(_ATTRIBUTE.findall(m.group(2))))}>", text)
    return _BLOCK.sub(r"\1", _SPACE.sub(" ", text))


def compare_sites(a: Path, b: Path, same_markup: bool = False) -> Report:
    ea, eb = _entries(a), _entries(b)
    report = Report(only_a=sorted(ea.keys() - eb.keys()), only_b=sorted(eb.keys() - ea.keys()))
    for entries, side in ((ea, "a"), (eb, "b")):
        files = [e for e in entries.values() if e[0] == "file"]
        setattr(report, f"files_{side}", len(files))
        setattr(report, f"bytes_{side}", sum(e[1] for e in files))
    for rel in sorted(ea.keys() & eb.keys()):
        x, y = ea[rel], eb[rel]
        if x[0] != y[0] or x[0] == "link" and x != y:
            report.differ.append(rel)
        elif x[0] == "file":
            if x[1] != y[1] or not filecmp.cmp(a / rel, b / rel, shallow=False):
                if same_markup and rel.endswith(".html") and \
                        markup((a / rel).read_text("utf-8")) == markup((b / rel).read_text("utf-8")):
                    report.same_markup.append(rel)
                else:
                    report.differ.append(rel)
            elif x[2] != y[2]:
                report.mode_differ.append(rel)
    return report


def _clip(line: str, width: int = 200) -> str:
    return line if len(line) <= width else line[:width] + f"… (+{len(line) - width} chars)"


def describe_difference(a: Path, b: Path, rel: str, max_lines: int = 40) -> list[str]:
    """Where two versions of one file first differ, and a unified diff of them if text.
    The place is given as well as the diff: a minified file is one long line."""
    pa, pb = a / rel, b / rel
    if pa.is_symlink() or pb.is_symlink() or not (pa.is_file() and pb.is_file()):
        def kind(p: Path) -> str:
            return f"link to {os.readlink(p)}" if p.is_symlink() else "folder" if p.is_dir() else "file"
        return [f"--- {rel}: A is a {kind(pa)}, B is a {kind(pb)}"]
    da, db = pa.read_bytes(), pb.read_bytes()
    at = next((i for i, (x, y) in enumerate(zip(da, db, strict=False)) if x != y), min(len(da), len(db)))
    head = f"--- {rel}: {len(da):,} vs {len(db):,} bytes, first difference at byte {at:,}"
    try:
        ta, tb = da.decode("utf-8"), db.decode("utf-8")
    except UnicodeDecodeError:
        return [head, f"    A: {da[max(0, at - 16):at + 16]!r}", f"    B: {db[max(0, at - 16):at + 16]!r}"]
    # Counted in characters, so a cut never falls inside a Hangul syllable.
    at = len(da[:at].decode("utf-8", "ignore"))
    line, column = ta.count("\n", 0, at) + 1, at - (ta.rfind("\n", 0, at) + 1) + 1
    out = [f"{head} (line {line}, column {column})",
           # Around the first difference, in case the diff below clips it away.
           f"    A: {ta[max(0, at - 50):at + 50]!r}", f"    B: {tb[max(0, at - 50):at + 50]!r}"]
    diff = list(difflib.unified_diff(ta.splitlines(), tb.splitlines(), f"A/{rel}", f"B/{rel}", n=2, lineterm=""))
    out += ["    " + _clip(d) for d in diff[:max_lines]]
    if len(diff) > max_lines:
        out.append(f"    … {len(diff) - max_lines} more diff lines")
    return out


def print_report(report: Report, a: Path, b: Path, label_a: str, label_b: str,
                 show_files: int = 3, max_lines: int = 40, max_names: int = 20) -> None:
    def names(title: str, items: list[str]) -> None:
        if items:
            print(f"{title} ({len(items)}):")
            for rel in items[:max_names]:
                print(f"  {rel}")
            if len(items) > max_names:
                print(f"  … {len(items) - max_names} more")

    names(f"only in A ({label_a})", report.only_a)
    names(f"only in B ({label_b})", report.only_b)
    names("bytes differ", report.differ)
    names("same bytes, permissions differ", report.mode_differ)
    names("same markup, whitespace or attribute order differ", report.same_markup)
    for rel in report.differ[:show_files]:
        print("\n".join(describe_difference(a, b, rel, max_lines)))
    sizes = (f"A: {report.files_a:,} files, {report.bytes_a:,} bytes; "
             f"B: {report.files_b:,} files, {report.bytes_b:,} bytes")
    if report.identical and report.same_markup:
        print(f"SAME MARKUP: {len(report.same_markup)} HTML pages differ only in whitespace a browser ignores "
              f"or attribute order, every other file byte-identical; {sizes}")
        print(f"같은 마크업: HTML {len(report.same_markup)}쪽은 브라우저가 무시하는 공백·속성 순서만 다르고, "
              "나머지 파일은 바이트 하나까지 같습니다.")
    elif report.identical:
        print(f"IDENTICAL: {sizes}")
        print(f"같음: 두 사이트가 바이트 하나까지 같습니다 (파일 {report.files_a:,}개).")
    else:
        print(f"DIFFERENT: {len(report.only_a)} only in A, {len(report.only_b)} only in B, "
              f"{len(report.differ)} differ, {len(report.mode_differ)} differ in permissions only; {sizes}")
        print(f"다름: A에만 {len(report.only_a)}개, B에만 {len(report.only_b)}개, 내용이 다른 파일 {len(report.differ)}개, "
              f"권한만 다른 파일 {len(report.mode_differ)}개.")


class Failed(Exception):
    pass


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(PROJECT), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise Failed(f"git {' '.join(args)} failed:\n{done.stderr.strip()}")
    return done.stdout.strip()


def export_revision(rev: str, into: Path) -> tuple[Path, str]:
    """The project as committed at rev, under into/; and a label naming the commit."""
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except Failed:
        raise Failed(f"{rev!r} is not a commit in {PROJECT} (use . for the working tree)") from None
    # The project may sit below the repository's top: export just its folder.
    prefix = _git("rev-parse", "--show-prefix")
    tree = into / "tree"
    tree.mkdir(parents=True)
    with subprocess.Popen(["git", "-C", str(PROJECT), "archive", "--format=tar", f"{commit}:{prefix}"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            if hasattr(tarfile, "tar_filter"):  # Python >= 3.11.4: nothing lands outside tree; modes kept as committed
                tar.extraction_filter = tarfile.tar_filter
            tar.extractall(tree)
        error = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise Failed(f"git archive {rev} failed:\n{error.strip()}")
    return tree, f"{rev} ({commit[:10]})"


def _python() -> str:
    for venv_python in (PROJECT / ".venv" / "bin" / "python", PROJECT / ".venv" / "Scripts" / "python.exe"):
        if venv_python.exists():
            return str(venv_python)
    return sys.executable


def build(root: Path, out: Path, content: Path | None, sources: Path, svg: bool) -> float:
    """Build with root's own build.py into out (which must not exist); return seconds taken."""
    cmd = [_python(), str(root / "build.py"), "build", "--out", str(out)]
    if content is not None:  # otherwise root's own content/, the revision's default
        cmd += ["--content", str(content)]
    if sources.is_dir():
        cmd += ["--sources", str(sources)]
    elif "without-sources" in (root / "budgetsite" / "cli.py").read_text(encoding="utf-8"):
        # Said, so CI does not refuse; an older cli.py without the flag just warns.
        cmd += ["--without-sources"]
    if not svg:
        cmd += ["--no-svg"]
    # cwd=root: build.py finds its own budgetsite/ first on sys.path, not the project's.
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise Failed(f"build failed (exit {done.returncode}) after {seconds:.1f} s: {' '.join(cmd)}\n"
                     f"{done.stdout}{done.stderr}".rstrip())
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev_a", nargs="?", default="HEAD", help="git revision, or . for the working tree (default: HEAD)")
    parser.add_argument("rev_b", nargs="?", default=WORKTREE, help="git revision, or . for the working tree (default: .)")
    parser.add_argument("--content", type=Path, help="one content folder for both builds (default: each revision's own content/)")
    parser.add_argument("--sources", type=Path, default=PROJECT.parent / "shared" / "sources",
                        help="source texts folder (default: ../shared/sources)")
    parser.add_argument("--svg", action="store_true", help="draw chart SVGs too (slow: a revision starts with an empty cache)")
    parser.add_argument("--same-markup", action="store_true",
                        help="HTML differing only in whitespace a browser ignores or attribute order counts as the same")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders and say where they are")
    parser.add_argument("--show", type=int, default=3, metavar="N", help="diffs of the first N differing files (default: 3)")
    parser.add_argument("--lines", type=int, default=40, metavar="N", help="diff lines per file (default: 40)")
    args = parser.parse_args(argv)
    content = args.content.resolve() if args.content else None
    sources = args.sources.resolve()

    # --keep: a folder nobody removes, so it can be looked into afterwards.
    with (contextlib.nullcontext(tempfile.mkdtemp(prefix="compare-builds-")) if args.keep
          else tempfile.TemporaryDirectory(prefix="compare-builds-")) as name:
        tmp = Path(name)
        sites, labels = [], []
        try:
            for side, rev in (("a", args.rev_a), ("b", args.rev_b)):
                if rev == WORKTREE:
                    root = PROJECT
                    (tmp / side).mkdir()
                    try:  # --no-optional-locks: reading the status must not rewrite the index under others
                        count = len(_git("--no-optional-locks", "status", "--porcelain").splitlines())
                        label = "working tree" + (f", {count} uncommitted change{'s' * (count != 1)}" if count else ", clean")
                    except Failed:  # not a git checkout: still comparable with another folder's build
                        label = "working tree"
                else:
                    root, label = export_revision(rev, tmp / side)
                out = tmp / side / "site"
                seconds = build(root, out, content, sources, args.svg)
                print(f"{side.upper()}: {label}: built in {seconds:.1f} s", flush=True)
                sites.append(out)
                labels.append(label)
        except Failed as e:
            print(e, file=sys.stderr)
            return 2
        finally:
            if args.keep:
                print(f"kept: {tmp}")
        report = compare_sites(*sites, same_markup=args.same_markup)
        print_report(report, *sites, *labels, show_files=args.show, max_lines=args.lines)
        return 0 if report.identical else 1


if __name__ == "__main__":
    sys.exit(main())
