"""The benchmark's synthetic content stays valid as the schemas and checks
change: a benchmark of content that fails its check would time an error
message, not a build."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from budgetsite import registry, tables
from budgetsite.pipeline import Paths, build, check

from .conftest import PROJECT
from .test_build_cache import fresh_root

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402


def test_synthetic_content_checks_and_builds(tmp_path):
    made = generate(tmp_path / "synthetic", projects=30, departments=3)
    paths = Paths(fresh_root(tmp_path), made / "content", made / "sources", tmp_path / "site")
    site = check(paths)
    assert len(site.projects) == 30 and len(site.departments) == 3
    build(paths, drawings=False)
    assert (paths.out / "projects" / "project-00001" / "index.html").is_file()
    # each of the seven years with the next and with the latest
    assert len(list((paths.out / "compare").glob("*/index.html"))) == 11


def test_hugo_equivalent_site_shows_the_same_tables(tmp_path):
    """The benchmark's Hugo site is only a fair comparison if its pages hold
    what ours hold: every project's tables come out of Hugo with the same
    figures, sources and rates as our downloads (Python's csv ends lines
    with CRLF, Hugo's templates with LF), and it has a page for each of our
    project, department and comparison pages."""
    import subprocess

    import others
    assert shutil.which("hugo"), "hugo is installed by ./test.sh (Debian package)"
    made = generate(tmp_path / "synthetic", projects=12, departments=3)
    ours = tmp_path / "site"
    build(Paths(fresh_root(tmp_path), made / "content", made / "sources", ours), drawings=False)
    hugo_site = tmp_path / "hugo"
    pages = others.hugo_equivalent_site(made / "content", hugo_site)
    subprocess.run(["hugo", "--quiet", "-s", str(hugo_site), "-d", "public"], check=True)
    theirs = hugo_site / "public"

    made_pages = sorted(p.parent.relative_to(theirs).as_posix() for p in theirs.rglob("index.html"))
    assert len(made_pages) == pages
    for section in ("projects", "departments", "compare"):
        assert [p for p in made_pages if p.startswith(section + "/")] == sorted(
            p.parent.relative_to(ours).as_posix() for p in (ours / section).glob("*/index.html"))
    # Our project pages' downloads are made in the browser from the page: their bytes are the models'.
    site = check(Paths(PROJECT, made / "content", made / "sources", ours))
    models = {p.path: {t.id: t for t in p.ready().tables} for p in registry.all_pages(site)}
    for project in sorted((ours / "projects").glob("project-*")):
        for table in ("budget", "execution", "breakdown-1", "figures"):
            for kind in ("csv", "json"):
                assert (theirs / "projects" / project.name / "tables" / f"{table}.{kind}").is_file()
            model = models[f"projects/{project.name}/index.html"][table]
            mine = tables.csv_bytes(model).decode("utf-8").replace("\r\n", "\n")
            assert (theirs / "projects" / project.name / "tables" / f"{table}.csv").read_text(encoding="utf-8") == mine
        html = (theirs / "projects" / project.name / "index.html").read_text(encoding="utf-8")
        assert html.count('type="application/json"') == 2 and html.count("<table") == 4  # two charts, four tables


def _run(args, tmp_path):
    done = subprocess.run([sys.executable, *args], cwd=PROJECT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_synthetic_benchmark_runs_to_its_figures(tmp_path):
    # A benchmark that no longer runs measures nothing; small, so it is quick.
    out = _run(["benchmarks/benchmark.py", "--projects", "30", "--departments", "3", "--runs", "1", "--no-svg",
                "--no-others"], tmp_path)
    for line in ("cold build", "no-change rebuild", "in serve mode", "save to page in serve", "peak memory"):
        assert line in out, out


def test_the_real_site_benchmark_runs_to_its_figures(tmp_path):
    if not Paths.default().sources.exists():
        pytest.skip("source texts not found")
    out = _run(["scripts/benchmark.py", "--runs", "1"], tmp_path)
    for line in ("render html", "table files", "full build", "no-change rebuild", "serve mode"):
        assert line in out, out


def test_the_memory_benchmark_measures_every_process_of_a_build(tmp_path):
    out = _run(["benchmarks/memory.py", "--projects", "80", "--work", str(tmp_path / "work")], tmp_path)
    found = re.search(r"80 projects: [\d.]+ s, peak PSS of every process (\d+) MB", out)
    # More than Python itself with the site's packages loaded: the build was seen, not a process gone at once.
    assert found and int(found.group(1)) > 60, out
    assert (tmp_path / "work/site/index.html").is_file()
