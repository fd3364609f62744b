"""What a first visit moves (issue 28 §4): for a few pages (home, a project,
a department, the comparison), the page's HTML and every other file Chromium
asks for when the page is opened from file:// and left alone (no pointer, no
key: the chart library must wait for the reader). Sizes are the files' own
(uncompressed), read from the site folder.

    .venv/bin/python benchmarks/first_visit.py [SITE]

Without SITE it builds the real content (content/) into a temporary folder.
Needs Playwright and Debian's chromium (./test.sh installs both)."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# As tests/test_browser.py: Chromium reaches out for nothing on its own.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SETTLE_MS = 1500  # long enough for anything loaded unasked to have been asked for


def pages(site: Path) -> list[tuple[str, str]]:
    """(what, path): the home page, the first project and department with a chart, the comparison."""
    def first_with_chart(folder: str) -> str:
        for page in sorted((site / folder).glob("*/index.html")):
            if "data-chart=" in page.read_text(encoding="utf-8"):
                return page.relative_to(site).as_posix()
        raise SystemExit(f"no page with a chart under {folder}/")
    chosen = [("home", "index.html"), ("project", first_with_chart("projects")),
              ("department", first_with_chart("departments"))]
    if (site / "compare/index.html").is_file():
        chosen.append(("compare", "compare/index.html"))
    return chosen


def measure(site: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed: run ./test.sh, which installs it")
    root = site.resolve().as_uri() + "/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for what, path in pages(site):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            asked: list[str] = []
            context.on("request", lambda r: asked.append(r.url))
            page = context.new_page()
            page.goto(root + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(SETTLE_MS)
            context.close()
            files = []
            for url in dict.fromkeys(asked):  # each file once (a second ask comes from the cache)
                if url.startswith(root):
                    file = Path(unquote(urlsplit(url).path))
                    files.append((file.relative_to(site.resolve()).as_posix(), file.stat().st_size if file.is_file() else 0))
            html = (site / path).stat().st_size
            others = [(name, size) for name, size in files if name != path]
            rows.append({"what": what, "path": path, "html": html, "others": others,
                         "other_bytes": sum(size for _, size in others)})
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build content/ into a temporary folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file loaded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            from budgetsite.pipeline import Paths, build

            site = Path(tmp) / "site"
            build(Paths.default(out=site))
        print(f"{'page':<11} {'HTML':>10} {'other files':>12} {'n':>3}  path")
        for row in measure(site):
            print(f"{row['what']:<11} {row['html']:>10,} {row['other_bytes']:>12,} {len(row['others']):>3}  {row['path']}")
            if args.verbose:
                for name, size in row["others"]:
                    print(f"{'':<11} {'':>10} {size:>12,}      {name}")


if __name__ == "__main__":
    main()
