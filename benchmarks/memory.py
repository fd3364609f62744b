"""Peak memory of a whole build as issue 28 measures it: the PSS of every
process of the build (the main one and its workers, which share what they
inherit), summed every 0.3 s from /proc/<pid>/smaps_rollup, and its time.

    .venv/bin/python benchmarks/memory.py --projects 10000 [--svg] [--work DIR]

Builds synthetic content of that size (benchmarks/synthetic.py) into a
fresh folder and prints seconds, peak PSS and PSS per project. Linux only.
Not a test: figures vary with the machine; the README quotes them.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
from synthetic import generate  # noqa: E402


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            kids.setdefault(parent, []).append(int(name))
    return kids


def _pss_kb(root: int) -> int:
    """The PSS of root and every process under it, in KiB."""
    kids, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


def measure(command: list[str]) -> tuple[float, int, int]:
    """(seconds, peak PSS in KiB, exit status) of command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _pss_kb(process.pid))
        time.sleep(0.3)
    return time.perf_counter() - started, peak, process.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--departments", type=int, default=20)
    ap.add_argument("--svg", action="store_true", help="draw the charts too (slow: about 35 ms a chart)")
    ap.add_argument("--work", type=Path, help="folder for content and site (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="budgetsite-memory-"))
    made = generate(work / "synthetic", projects=args.projects, departments=args.departments)
    command = [sys.executable, str(PROJECT / "build.py"), "--content", str(made / "content"),
               "--sources", str(made / "sources"), "--out", str(work / "site"), *([] if args.svg else ["--no-svg"])]
    seconds, peak, status = measure(command)
    if status:
        sys.exit(f"the build failed ({status}): {' '.join(command)}")
    print(f"{args.projects:,} projects: {seconds:.1f} s, peak PSS of every process {peak / 1024:.0f} MB "
          f"({peak / args.projects:.0f} KB a project; issue 28's baseline at 10,000: 2.7 GB, 270 KB a project)")


if __name__ == "__main__":
    main()
