"""The same content built by other static site generators, for comparison,
in two ways:
- equivalent pages (hugo_equivalent_site): a Hugo site whose layouts, in
  benchmarks/hugo/, make what our pages hold from the same figures;
- one page per project and department holding its description and its
  figures as one table (markdown_pages), built with Hugo (Debian package),
  Pelican and MkDocs (from PyPI, in a virtual environment of their own under
  benchmarks/.others/): the least each generator does with these pages.

Each returns the seconds one build took; the benchmark divides by pages.
Each build writes a folder of its own (run): as for ours, deleting the last
build's files just before makes creating files slower on this disk
(benchmark.py), and would charge that to whichever tool came next.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from synthetic import YEARS  # the years of the content, as the layouts' params.years

HERE = Path(__file__).resolve().parent
VENV = HERE / ".others"
PINNED = ["pelican[markdown]==4.12.0", "mkdocs==1.6.1"]


def _read(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def markdown_pages(content: Path) -> list[tuple[str, str, str]]:
    """(kind/id, title, Markdown body) for every project and department."""
    pages = []
    for kind in ("projects", "departments"):
        for f in sorted((content / kind).glob("*.yaml")):
            data = _read(f)
            title = data.get("name") or data["names"][-1]["name"]
            rows = data.get("figures") or data.get("totals") or []
            table = "| 연도 | 단계 | 금액(천원) |\n|---|---|---:|\n" + "".join(
                f"| {r['year']} | {r['stage']} | {r['amount']:,} |\n" for r in rows)
            pages.append((f"{kind}/{data['id']}", title, f"{data.get('description', '')}\n\n{table}"))
    return pages


LIMIT = 900  # seconds; a tool slower than this on one build is reported as such, not waited for


def _timed(command: list[str], cwd: Path) -> float:
    """Seconds one build took (inf past LIMIT)."""
    started = time.perf_counter()
    try:
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return float("inf")
    return time.perf_counter() - started


def python_tools() -> Path | None:
    """The virtual environment with Pelican and MkDocs, made on first use."""
    python = VENV / "bin" / "python"
    stamp = VENV / ("installed-" + "-".join(PINNED).replace("/", "_"))
    if not stamp.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PINNED], check=True)
        except subprocess.CalledProcessError:
            return None
        stamp.touch()
    return VENV / "bin"


# --- Hugo ---------------------------------------------------------------------------

def _install_hugo() -> None:
    """Hugo from Debian, as the test command installs chromium: a fresh
    machine compares with it too. Without apt (or rights), not compared."""
    if not shutil.which("apt-get"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("==> 데비안 패키지 설치: hugo", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "hugo"]):
        if subprocess.run(sudo + command, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            return


def hugo_version() -> str | None:
    if not shutil.which("hugo"):
        _install_hugo()
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]


def hugo_site(pages, target: Path) -> None:
    layout = target / "layouts" / "_default"
    layout.mkdir(parents=True)
    head = "<!DOCTYPE html><html lang=ko><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
    (layout / "single.html").write_text(head + "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>",
                                        encoding="utf-8")
    (layout / "list.html").write_text(head + "<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\""
                                      "{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>",
                                      encoding="utf-8")
    (target / "hugo.toml").write_text('baseURL = "https://example.org/"\nlanguageCode = "ko"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    for name, title, body in pages:
        f = target / "content" / f"{name}.md"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f'---\ntitle: "{title}"\n---\n\n{body}', encoding="utf-8")


EQUIVALENT = HERE / "hugo"  # the layouts and configuration of the equivalent site
PROJECT_OUTPUTS = ["html", "budgetcsv", "budgetjson", "executioncsv", "executionjson",
                   "breakdowncsv", "breakdownjson", "figurescsv", "figuresjson"]
DEPARTMENT_OUTPUTS = ["html", "totalscsv", "totalsjson", "projectscsv", "projectsjson", "changescsv", "changesjson",
                      "figurescsv", "figuresjson"]


def _flat(ref: dict) -> dict:
    """A figure with its source's document and line beside its own fields."""
    flat = {k: v for k, v in ref.items() if k != "source"}
    if "source" in ref:
        flat.update(doc=ref["source"]["doc"], line=ref["source"]["line"])
    return flat


REPRESENTATIVE = ["최종예산", "본예산", "예산안", "예산현액"]  # model.REPRESENTATIVE_ORDER


def _representative(figures: list[dict], years: list[int]) -> list[dict | None]:
    """Each year's figure that the lists show (the first of REPRESENTATIVE it
    has, of whole totals: not one account's), placed in the front matter as
    our model makes it once for all pages. Only the choice is made here;
    every page's tables, words, rates and comparisons are made by Hugo's
    templates (comparisons choose their own pair of stages, as ours do)."""
    by_year: dict[int, dict] = {}
    for f in figures:
        if f["stage"] in REPRESENTATIVE and not f.get("account"):
            best = by_year.get(f["year"])
            if best is None or REPRESENTATIVE.index(f["stage"]) < REPRESENTATIVE.index(best["stage"]):
                by_year[f["year"]] = f
    return [_flat(by_year[y]) if y in by_year else None for y in years]


def _page(path: Path, front: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=200) + "---\n\n" + body,
                    encoding="utf-8")


def hugo_equivalent_site(content: Path, target: Path) -> int:
    """Our site's pages as a Hugo site would make them: the same figures in each
    page's front matter, and layouts (benchmarks/hugo/) that show what ours
    show: the base layout with navigation, search form and breadcrumbs; on a
    project page its key figures (the latest budget, money available and
    spent, the change from the year before and why 예산안 and 예산현액
    differ, in sentences), its budget by year and stage, execution a row per
    report, table and date with rates, breakdown with shares, notes,
    departments and every figure with its source, 억/만 words for each
    amount, the two charts' Vega-Lite specs with their data (a bar a year;
    execution by date); a CSV and a JSON file for each table (output
    formats); department pages with their totals, projects and the
    comparison of their two latest years, lists of every project, and the
    year-comparison pages (each year with the next and with the latest),
    each project compared by the one rule of our model (FigureSet.change:
    the first comparable pair of stages, the change and rate from the
    amounts shown in 백만원).
    Returns the pages made."""
    shutil.copytree(EQUIVALENT, target)
    sources = _read(content / "sources.yaml")["sources"]
    (target / "data").mkdir()
    (target / "data" / "sources.yaml").write_text(yaml.safe_dump(
        {s["id"]: {"title": s["title"], "short": f"{s['organisation']} {s['kind']}({s['date']})", "date": str(s["date"])}
         for s in sources}, allow_unicode=True),
        encoding="utf-8")
    pages = target / "content"
    _page(pages / "projects" / "_index.md", {"title": "사업", "outputs": ["html", "projectscsv", "projectsjson"]})
    _page(pages / "departments" / "_index.md", {"title": "부서"})
    made = 3  # the home page and the two lists
    for f in sorted((content / "projects").glob("*.yaml")):
        p = _read(f)
        _page(pages / "projects" / f"{p['id']}.md", {
            "title": p["name"], "id": p["id"], "department": p["departments"][-1]["department"],
            "departments": p["departments"], "account": p.get("account", ""),
            "figures": [_flat(r) for r in p.get("figures", [])],
            "breakdown": [_flat(b) for b in p.get("breakdown", [])],
            "notes": [_flat(n) for n in p.get("notes", [])],
            "reps": _representative(p.get("figures", []), YEARS),
            # as written in the content: whether and when it began or ended (model.Project.new_year, ended_by)
            "status": p.get("status", ""),
            "history": [{"year": h["year"], "event": h["event"], "basis": h["basis"]} for h in p.get("history", [])],
            "outputs": PROJECT_OUTPUTS}, p.get("description", ""))
        made += 1
    for f in sorted((content / "departments").glob("*.yaml")):
        d = _read(f)
        _page(pages / "departments" / f"{d['id']}.md", {
            "title": d["names"][-1]["name"], "id": d["id"], "names": d["names"],
            "figures": [_flat(t) for t in d.get("totals", [])], "outputs": DEPARTMENT_OUTPUTS})
        made += 1
    _page(pages / "compare" / "_index.md", {"title": "연도 비교", "outputs": ["html", "comparecsv", "comparejson"]})
    # render.compare_pairs: each year with the next and with the latest
    for a, b in sorted({*zip(YEARS, YEARS[1:]), *((a, YEARS[-1]) for a in YEARS[:-1])}):
        _page(pages / "compare" / f"{a}-{b}.md", {"title": f"{a}년과 {b}년", "a": a, "b": b,
                                                   "outputs": ["html", "comparecsv", "comparejson"]})
        made += 1
    for name, title in (("sources", "자료 출처"), ("guide", "읽는 법")):
        _page(pages / f"{name}.md", {"title": title}, f"{title}입니다.")
    return made + 3


def hugo_build(target: Path, run: int) -> float:
    return _timed(["hugo", "--quiet", "-s", str(target), "-d", f"public-{run}"], target)


# --- Pelican ------------------------------------------------------------------------

def pelican_site(pages, target: Path) -> None:
    (target / "content" / "pages").mkdir(parents=True)
    (target / "pelicanconf.py").write_text(
        'SITENAME = "합성"\nSITEURL = ""\nPATH = "content"\nPAGE_PATHS = ["pages"]\nARTICLE_PATHS = []\n'
        'DEFAULT_LANG = "ko"\nTIMEZONE = "Asia/Seoul"\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n'
        'LOAD_CONTENT_CACHE = False\n', encoding="utf-8")
    for name, title, body in pages:
        (target / "content" / "pages" / f"{name.replace('/', '-')}.md").write_text(
            f"Title: {title}\nSlug: {name.replace('/', '-')}\n\n{body}", encoding="utf-8")


def pelican_build(target: Path, bin_dir: Path, run: int) -> float:
    return _timed([str(bin_dir / "pelican"), "-q", "-s", "pelicanconf.py", "-o", f"output-{run}", "content"], target)


# --- MkDocs -------------------------------------------------------------------------

def mkdocs_site(pages, target: Path) -> None:
    (target / "docs").mkdir(parents=True)
    (target / "docs" / "index.md").write_text("# 합성\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text("site_name: 합성\ntheme: mkdocs\nuse_directory_urls: true\n", encoding="utf-8")
    for name, title, body in pages:
        f = target / "docs" / f"{name}.md"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f"# {title}\n\n{body}", encoding="utf-8")


def mkdocs_build(target: Path, bin_dir: Path, run: int) -> float:
    return _timed([str(bin_dir / "mkdocs"), "build", "-q", "-d", f"site-{run}"], target)
