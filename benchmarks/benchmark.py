"""Build-speed benchmark on synthetic content of a chosen size, against Hugo.

    .venv/bin/python benchmarks/benchmark.py --projects 300 --runs 3

For the chosen size it reports the median of several runs of: a cold build
(empty drawing cache), a no-change rebuild, a rebuild after editing one
project, time per page and per chart, peak memory and output size. Then it
builds the same number of equivalent pages (one per project and department,
with the same figures as Markdown tables) with Hugo, the Debian package, and
prints our time per page divided by Hugo's. Not a test: figures vary by machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
from synthetic import generate  # noqa: E402

ONE_BUILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {project!r})
from budgetsite.pipeline import Paths, build
root, content, sources, out = map(Path, sys.argv[1:5])
started = time.perf_counter()
n = build(Paths(root, content, sources, out))
print(time.perf_counter() - started, n)
"""


def run_build(root: Path, content: Path, sources: Path, out: Path) -> tuple[float, int, int]:
    """One build in its own process: (seconds, files, peak memory in KiB)."""
    process = subprocess.Popen([sys.executable, "-c", ONE_BUILD.format(project=str(PROJECT)),
                                str(root), str(content), str(sources), str(out)], stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read().split()
    if status != 0 or len(output) != 2:
        sys.exit("build failed")
    return float(output[0]), int(output[1]), usage.ru_maxrss


def fresh_root(tmp: Path) -> Path:
    root = tmp / f"root-{time.monotonic_ns()}"
    root.mkdir()
    for name in ("templates", "static", "schemas"):
        (root / name).symlink_to(PROJECT / name)
    return root


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def hugo_site(content: Path, target: Path) -> int:
    """The same pages as Markdown for Hugo: one per project and department,
    each with its figures as a table. Returns the number of pages."""
    (target / "layouts" / "_default").mkdir(parents=True)
    (target / "layouts" / "_default" / "single.html").write_text(
        "<!DOCTYPE html><html lang=ko><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
        "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>", encoding="utf-8")
    (target / "layouts" / "_default" / "list.html").write_text(
        "<!DOCTYPE html><html lang=ko><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
        "<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>"
        "{{ end }}</ul></body></html>", encoding="utf-8")
    (target / "hugo.toml").write_text('baseURL = "https://example.org/"\nlanguageCode = "ko"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    pages = 0
    for kind in ("projects", "departments"):
        folder = target / "content" / kind
        folder.mkdir(parents=True)
        for f in sorted((content / kind).glob("*.yaml")):
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
            title = data.get("name") or data["names"][-1]["name"]
            rows = data.get("figures") or data.get("totals") or []
            table = "| 연도 | 단계 | 금액(천원) |\n|---|---|---:|\n" + "".join(
                f"| {r['year']} | {r['stage']} | {r['amount']:,} |\n" for r in rows)
            (folder / f"{data['id']}.md").write_text(
                f'---\ntitle: "{title}"\n---\n\n{data.get("description", "")}\n\n{table}', encoding="utf-8")
            pages += 1
    return pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        generate(tmp / "data", args.projects, args.departments)
        content, sources = tmp / "data" / "content", tmp / "data" / "sources"
        cold, unchanged, edited, memory = [], [], [], []
        files = 0
        for _ in range(args.runs):
            root, out = fresh_root(tmp), tmp / "site"
            shutil.rmtree(out, ignore_errors=True)
            seconds, files, peak = run_build(root, content, sources, out)
            cold.append(seconds)
            memory.append(peak)
            unchanged.append(run_build(root, content, sources, out)[0])
            project = content / "projects" / "project-00000.yaml"
            text = project.read_text(encoding="utf-8")
            project.write_text(text.replace("합성 자료로 만든", f"합성 자료로 다시 만든 {time.monotonic_ns()}"), encoding="utf-8")
            edited.append(run_build(root, content, sources, out)[0])
        pages = len([p for p in out.rglob("*.html")])
        count, size = size_of(out)

        hugo = shutil.which("hugo")
        hugo_times, hugo_pages = [], 0
        if hugo:
            hugo_pages = hugo_site(content, tmp / "hugo")
            version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
            for _ in range(args.runs):
                shutil.rmtree(tmp / "hugo" / "public", ignore_errors=True)
                started = time.perf_counter()
                subprocess.run([hugo, "--quiet", "-s", str(tmp / "hugo")], check=True)
                hugo_times.append(time.perf_counter() - started)

    med = statistics.median
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.runs} runs")
    print(f"content: {args.projects} projects, {args.departments} departments (synthetic, 7 years)")
    print(f"output:  {pages} pages, {count} files, {size / 1e6:.1f} MB")
    print(f"cold build           {med(cold):8.2f} s   ({med(cold) / pages * 1000:.1f} ms per page)")
    print(f"no-change rebuild    {med(unchanged):8.2f} s   (goal under 1 s)")
    print(f"one project edited   {med(edited):8.2f} s   (goal under 0.5 s)")
    print(f"peak memory          {med(memory) / 1024:8.0f} MB")
    if hugo_times:
        per_hugo = med(hugo_times) / hugo_pages
        ours = med(cold) / pages
        print(f"Hugo {version}: {hugo_pages} pages in {med(hugo_times):.2f} s ({per_hugo * 1000:.2f} ms per page)")
        print(f"ours per page / Hugo per page: {ours / per_hugo:.0f}× cold, "
              f"{med(edited) / pages / per_hugo:.1f}× after one edit (goal within 2×)")
    else:
        print("Hugo: not installed (apt-get install hugo) — no comparison")


if __name__ == "__main__":
    main()
