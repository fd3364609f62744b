"""Search index at any size (issue 28 §2): how the split index grows, and
how fast the real static/search.js answers over a loaded part.

    .venv/bin/python benchmarks/search_index.py [--sizes 1000 10000 100000] [--runs 5]

For each size it synthesises the search entries of that many projects (one
review note each, as benchmarks/synthetic.py writes, one department per 20
projects) with budgetsite.search's own _entry, writes the index with its own
write_parts, and prints: the bytes of search data a page loads before the
reader types (0: the page carries no index), the largest file, the total
size and number of files; then, in headless Chromium from file://, the
time from an input event to its drawn results for several queries once
their parts have loaded (median and max of --runs), and the bytes each
query loaded. Names and texts are drawn from the real content's words so
that the letters fall as they do in Korean budget names. Not a test:
figures vary by machine; the README quotes them.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
from budgetsite import search  # noqa: E402

QUERIES = ["데이터", "캠퍼스", "ㅅㅇㄱㄹ", "스마트도시", "서울기록ㅇ", "정보시스템 유지", "cctv", "클라우드 센터 구축",
           "공간정보플랫폼", "데이타", "효과"]
SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<form id="site-search" data-root="{root}" hidden><input id="site-search-input"><p id="site-search-status"></p>
<ul id="site-search-results" hidden></ul></form><script src="{script}" defer></script></body></html>"""


def _vocabulary() -> tuple[list[str], list[str]]:
    """Words of the real projects' names, and of their descriptions and notes."""
    names, texts = [], []
    for path in sorted((PROJECT / "content/projects").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        names += data["name"].split()
        texts += str(data.get("description", "")).split()
        for note in data.get("notes", []) or []:
            texts += str(note.get("text", "")).split()
    return names, texts


def made_entries(projects: int, seed: int = 7) -> list:
    rnd = random.Random(seed)
    name_words, text_words = _vocabulary()
    departments = max(1, projects // 20)
    made, notes = [], []
    for d in range(departments):
        made.append(search._entry("부서", f"합성{d}과", f"departments/dept-{d:05d}/index.html", (),
                                  "부서 · 2025년 최종예산 123억 4,500만원", " ".join(rnd.choices(text_words, k=20))))
    rows = []
    for i in range(projects):
        name = " ".join(rnd.choices(name_words, k=rnd.randint(2, 4))) + f" {i}"
        rows.append((name, i))
    for name, i in sorted(rows):
        path = f"projects/project-{i:06d}/index.html"
        made.append(search._entry("사업", name, path, (), f"합성{i % departments}과 · 2025년 최종예산 {i % 900 + 1}억원",
                                  " ".join(rnd.choices(text_words, k=25))))
        notes.append(search._entry("의견", "2025년 검토 의견", path + "#note-2025-1", (), name,
                                   " ".join(rnd.choices(text_words, k=15)), compact=True))
    return made + notes


def _measure(browser, out: Path, runs: int) -> list[tuple[str, int, float, float, int]]:
    (out / "shell.html").write_text(SHELL.format(root="", script=(PROJECT / "static/search.js").as_uri()),
                                    encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(unquote(urlsplit(r.url).path)))
    page.goto((out / "shell.html").as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    before = sum(Path(u).stat().st_size for u in loaded if "/assets/search" in u)
    done = "!document.querySelector('#site-search[data-loading]')"
    out_rows = [("(before typing)", before, 0.0, 0.0, 0)]
    for query in QUERIES:
        seen = len(loaded)
        page.fill("#site-search-input", "")
        page.fill("#site-search-input", query)  # loads what it needs
        page.wait_for_function(done, timeout=120_000)
        fetched = sum(Path(u).stat().st_size for u in loaded[seen:] if "/assets/search" in u)
        times = page.evaluate("""([query, runs]) => {
            const input = document.getElementById("site-search-input"), out = [];
            for (let i = 0; i < runs; i++) {
              input.value = ""; input.dispatchEvent(new Event("input"));
              const t0 = performance.now();
              input.value = query; input.dispatchEvent(new Event("input"));
              out.push(performance.now() - t0);
            }
            return out;
        }""", [query, runs])
        found = page.locator("#site-search-results li").count()
        out_rows.append((query, fetched, statistics.median(times), max(times), found))
    context.close()
    return out_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    import playwright.sync_api as playwright

    from tests.test_browser import ARGS, CHROMIUM
    with playwright.sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in args.sizes:
            started = time.perf_counter()
            made = made_entries(size)
            files = search.write_parts(made, [["데이타", "데이터"], ["씨씨티비", "cctv", "CCTV"]])
            took = time.perf_counter() - started
            out = Path(tmp) / f"n{size}"
            for path, text in files:
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                (out / path).write_text(text, encoding="utf-8")
            sizes = {path: len(text.encode("utf-8")) for path, text in files}
            names = sum(len(e.get("n", "").encode()) + len(e.get("c", "").encode()) + len(e.get("x", "").encode())
                        for e, _, _ in made)
            records = sum(v for k, v in sizes.items() if "records-" in k)
            parts = sum(v for k, v in sizes.items() if "records-" not in k and k != search.MAP)
            largest = max(sizes, key=sizes.__getitem__)
            print(f"\n== {size:,} projects: {len(made):,} entries, index written in {took:.1f} s")
            print(f"files {len(files)}, total {sum(sizes.values()) / 1e6:.2f} MB "
                  f"(map {sizes[search.MAP] / 1e3:.1f} KB, parts {parts / 1e6:.2f} MB, records {records / 1e6:.2f} MB; "
                  f"parts / (names+초성+words) = {parts / names:.2f})")
            print(f"largest file {largest} {sizes[largest] / 1e6:.2f} MB; largest part "
                  f"{max(v for k, v in sizes.items() if 'records-' not in k) / 1e6:.2f} MB")
            print(f"{'query':<20} {'loaded KB':>10} {'median ms':>10} {'max ms':>8} {'shown':>6}")
            for query, fetched, median, most, found in _measure(browser, out, args.runs):
                print(f"{query:<20} {fetched / 1e3:>10.1f} {median:>10.1f} {most:>8.1f} {found:>6}")
        browser.close()


if __name__ == "__main__":
    main()
