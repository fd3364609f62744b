"""Time a full build of content/ and each stage of it; print figures and ratios.
Then the rebuilds: with nothing changed (from the command line, Python's
start included) and after editing one project's description in serve mode.

    .venv/bin/python scripts/benchmark.py [--runs 3]

Not a test: timings vary by machine. Use it to compare before and after a change.
"""
from __future__ import annotations

import argparse
import gc
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgetsite import charts, registry, render, tables, terms  # noqa: E402
from budgetsite.load import load_content  # noqa: E402
from budgetsite.model import build_site  # noqa: E402
from budgetsite.pipeline import Builder, Paths, build  # noqa: E402
from budgetsite.validate import validate  # noqa: E402


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = Paths.default()

    rows: dict[str, list[float]] = {k: [] for k in ("load", "validate", "model", "pages made", "chart drawings", "render html",
                                                 "table files", "term links", "full build")}
    pages_count = charts_count = files = 0
    for _ in range(args.runs):
        content, t = timed(load_content, base.content)
        rows["load"].append(t)
        problems, t = timed(validate, content, base.sources)
        rows["validate"].append(t)
        if problems:
            sys.exit(f"content has {len(problems)} problems; run build.py check")
        site, t = timed(build_site, content)
        rows["model"].append(t)
        pages, t = timed(lambda: [p.ready() for p in registry.all_pages(site)])
        rows["pages made"].append(t)
        with tempfile.TemporaryDirectory() as cache:
            _, t = timed(charts.draw, [c for p in pages for c in p.charts], Path(cache))
        rows["chart drawings"].append(t)
        env = render.environment(base.templates)
        bundle = charts.bundle_name()
        html, t = timed(lambda: [render.render_page(env, site, p, bundle) for p in pages])
        rows["render html"].append(t)
        _, t = timed(lambda: [tables.files(p.path, p.tables) for p in pages])
        rows["table files"].append(t)
        linker = terms.Linker(site.glossary)
        _, t = timed(lambda: [linker.link(h, p.root) for p, h in zip(pages, html)])
        rows["term links"].append(t)
        pages_count, charts_count = len(pages), sum(len(p.charts) for p in pages)
        with tempfile.TemporaryDirectory() as tmp:
            # A cold build: a fresh project root means an empty drawing cache.
            root = Path(tmp) / "root"
            root.mkdir()
            for name in ("templates", "static"):
                (root / name).symlink_to(base.root / name)
            files, t = timed(build, Paths(root, base.content, base.sources, Path(tmp) / "site"))
        rows["full build"].append(t)

    unchanged, served = rebuilds(base, args.runs)
    full = statistics.median(rows["full build"])
    print(f"content: {pages_count} pages, {charts_count} charts, {files} files written; {args.runs} runs (median)")
    print(f"{'stage':<14}{'seconds':>10}{'share of build':>16}")
    for name, values in rows.items():
        m = statistics.median(values)
        print(f"{name:<14}{m:>10.3f}{m / full:>15.1%}")
    rest = full - sum(statistics.median(v) for k, v in rows.items() if k != "full build")
    # The stages above are timed one after another in this process; the build
    # spreads pages over forked workers, so the rest can come out negative.
    print(f"{'(the rest)':<14}{rest:>10.3f}{rest / full:>15.1%}   writing files, less what the build's workers overlap")
    per_chart = (statistics.median(rows['pages made']) + statistics.median(rows['chart drawings'])) / max(charts_count, 1)
    print(f"per page: {full / pages_count * 1000:.1f} ms; per chart (incl. SVG): {per_chart * 1000:.1f} ms")
    print(f"no-change rebuild, build.py from the command line: {unchanged:.2f} s (goal under 1 s)")
    print(f"one project's description edited, serve mode:     {served:.2f} s (goal under 0.5 s)")


def rebuilds(base: Paths, runs: int) -> tuple[float, float]:
    """Median seconds of a no-change rebuild (a new process) and of a rebuild
    after an edit with the process kept warm (as serve keeps it)."""
    with tempfile.TemporaryDirectory() as tmp:
        content, out = Path(tmp) / "content", Path(tmp) / "site"
        shutil.copytree(base.content, content)
        command = [sys.executable, str(base.root / "build.py"), "build", "--content", str(content), "--out", str(out),
                   "--sources", str(base.sources)]
        subprocess.run(command, check=True, capture_output=True)
        unchanged = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            unchanged.append(time.perf_counter() - started)
        # As serve runs: one session, the saved file named, settling after each.
        builder = Builder(Paths(base.root, content, base.sources, out), serve=True)
        builder.build()
        builder.settle()
        project = sorted((content / "projects").glob("*.yaml"))[0]
        served = []
        for i in range(max(3, runs)):
            text = project.read_text(encoding="utf-8")
            # After "description: " or its folded block's ">-" line, whichever it has.
            project.write_text(re.sub(r"^(description: (?:[>|]-?\n\s+)?)", rf"\g<1>고침{i}. ", text, count=1, flags=re.M),
                               encoding="utf-8")
            with builder.edit():  # settled once the page is shown, as serve does
                started = time.perf_counter()
                builder.build(saved={str(project)})
                served.append(time.perf_counter() - started)
        gc.unfreeze()
    return statistics.median(unchanged), statistics.median(served)


if __name__ == "__main__":
    main()
