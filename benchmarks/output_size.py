"""Output size (issue 28 §1): files and bytes of a built site, by where they
are and by what they are, for synthetic content of chosen sizes (--no-svg)
and optionally the real content; with --before, the same built by another
checkout (for example `git worktree add /tmp/before HEAD`) and the ratio.

    .venv/bin/python benchmarks/output_size.py --projects 1000 10000 [--real] [--before /tmp/before]
    .venv/bin/python benchmarks/output_size.py --site site/          # an existing site only

GitHub Pages publishes at most 1 GB; the goal is at most 500 MB and 60,000
files at 10,000 projects.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate  # noqa: E402


def _kind(rel: Path) -> str:
    """Where a file is: a project page's folder, a department's, ...; and what: its tables, embeds."""
    parts = rel.parts
    top = parts[0] if len(parts) > 1 else "(root)"
    if top in ("projects", "departments") and len(parts) > 2:
        what = parts[2] if len(parts) > 3 else "page"
        return f"{top[:-1]} page: {what}"
    if "tables" in parts[:-1]:
        return f"{top}: tables"
    if "embed" in parts[:-1]:
        return f"{top}: embed"
    return top


def measure(site: Path) -> dict:
    files, size = Counter(), Counter()
    pages = Counter()
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site)
            kind = _kind(rel)
            files[kind] += 1
            size[kind] += path.stat().st_size
            if kind.endswith(": page"):
                pages[kind.split(":")[0]] += 1
    return {"files": sum(files.values()), "bytes": sum(size.values()), "by_kind": files, "bytes_by_kind": size,
            "pages": pages}


def build(tree: Path, out: Path, content: Path | None = None, sources: Path | None = None, svg: bool = False) -> None:
    cmd = [sys.executable, "build.py", "--out", str(out)]
    if content:
        cmd += ["--content", str(content), "--sources", str(sources)]
    elif (ROOT.parent / "shared" / "sources").exists():
        cmd += ["--sources", str(ROOT.parent / "shared" / "sources")]
    if not svg:
        cmd.append("--no-svg")
    subprocess.run(cmd, cwd=tree, check=True, stdout=subprocess.DEVNULL)


def report(name: str, now: dict, before: dict | None) -> None:
    def ratio(a: float, b: float) -> str:
        return f" ({a / b:.2f}× before: {b:,.0f})" if b else ""

    print(f"\n== {name}")
    print(f"files {now['files']:,}{ratio(now['files'], before['files']) if before else ''}")
    print(f"bytes {now['bytes']:,} = {now['bytes'] / 1e6:.1f} MB{ratio(now['bytes'], before['bytes']) if before else ''}")
    for page in sorted(now["pages"]):
        n = now["pages"][page]
        kinds = [k for k in now["by_kind"] if k.startswith(page + ":")]
        f, b = sum(now["by_kind"][k] for k in kinds), sum(now["bytes_by_kind"][k] for k in kinds)
        line = f"per {page}: {f / n:.1f} files, {b / n / 1e3:.1f} KB"
        if before and before["pages"][page]:
            m = before["pages"][page]
            kb = [k for k in before["by_kind"] if k.startswith(page + ":")]
            line += (f" (before {sum(before['by_kind'][k] for k in kb) / m:.1f} files, "
                     f"{sum(before['bytes_by_kind'][k] for k in kb) / m / 1e3:.1f} KB)")
        print(line)
    print(f"{'where: what':34} {'files':>8} {'MB':>8}" + (f" {'files before':>13} {'MB before':>10}" if before else ""))
    kinds = sorted(set(now["by_kind"]) | set(before["by_kind"] if before else ()),
                   key=lambda k: -max(now["bytes_by_kind"][k], before["bytes_by_kind"][k] if before else 0))
    for k in kinds:
        line = f"{k:34} {now['by_kind'][k]:>8,} {now['bytes_by_kind'][k] / 1e6:>8.1f}"
        if before:
            line += f" {before['by_kind'][k]:>13,} {before['bytes_by_kind'][k] / 1e6:>10.1f}"
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", type=int, nargs="*", default=[1000])
    ap.add_argument("--real", action="store_true", help="also the real content (content/)")
    ap.add_argument("--before", type=Path, help="another checkout to build the same content with")
    ap.add_argument("--site", type=Path, help="measure this built site and nothing else")
    ap.add_argument("--work", type=Path, help="folder for content and sites (default: a temporary one)")
    args = ap.parse_args()
    if args.site:
        report(str(args.site), measure(args.site), None)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        runs: list[tuple[str, Path | None, Path | None]] = [("real content", None, None)] if args.real else []
        for n in args.projects:
            out = work / f"synthetic-{n}"
            generate(out, n, 20)
            runs.append((f"{n:,} synthetic projects", out / "content", out / "sources"))
        for name, content, sources in runs:
            slug = name.split()[0].replace(",", "")
            build(ROOT, work / f"site-{slug}", content, sources)
            before = None
            if args.before:
                build(args.before, work / f"before-{slug}", content, sources)
                before = measure(work / f"before-{slug}")
            report(name + " (--no-svg)", measure(work / f"site-{slug}"), before)


if __name__ == "__main__":
    main()
