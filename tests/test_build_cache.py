"""Speed without changing the result: cached chart drawings, no-change
rebuilds, and specs built without Altair's per-chart validation."""
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import weakref
from functools import partial
from pathlib import Path

import altair as alt
import jsonschema
import pytest
import vl_convert as vlc

from budgetsite import charts, freshness, load, pipeline, publish
from budgetsite.charts import drawing
from budgetsite.load import files
from budgetsite.memory import Memory
from budgetsite.pipeline import Builder, Paths, build, check
from budgetsite.problems import ContentError
from budgetsite.write import listing

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT, is_embed
from .test_validation import snapshot


def fresh_root(tmp_path):
    """A project root of its own, so its drawing cache starts empty."""
    root = tmp_path / "root"
    root.mkdir(parents=True)
    for name in ("templates", "static", "schemas"):
        (root / name).symlink_to(PROJECT / name)
    return root


def test_cold_warm_and_unchanged_builds_are_byte_identical(tmp_path, monkeypatch):
    root = fresh_root(tmp_path)
    paths = Paths(root, FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)
    cold = snapshot(paths.out)
    drawn = list(paths.drawings.glob("*.svg"))
    assert drawn, "nothing was cached"
    # Warm: the site rebuilt with every drawing from the cache, none drawn again.
    freshness.BuildRecord(paths).path.unlink()
    calls = []
    monkeypatch.setattr(drawing, "render_svg", lambda s: calls.append(s) or "")
    build(paths)
    assert calls == [] and snapshot(paths.out) == cold
    # Unchanged: nothing is rendered or written at all.
    monkeypatch.setattr(Builder, "_build", lambda *a: (_ for _ in ()).throw(AssertionError("rebuilt")))
    assert build(paths) == len(cold)
    assert snapshot(paths.out) == cold


def test_a_changed_input_or_a_touched_output_rebuilds(tmp_path):
    root = fresh_root(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(root, content, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)
    before = snapshot(paths.out)
    (paths.out / "robots.txt").write_text("tampered", encoding="utf-8")
    build(paths)
    assert snapshot(paths.out) == before  # repaired
    fingerprint = freshness.Inputs.read(paths, base_url=None).fingerprint
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("시험 예산 사이트", "새 이름"), encoding="utf-8")
    assert freshness.Inputs.read(paths, base_url=None).fingerprint != fingerprint
    assert freshness.Inputs.read(paths, base_url="https://other.example/").fingerprint != \
        freshness.Inputs.read(paths, base_url=None).fingerprint
    build(paths)
    assert "새 이름" in (paths.out / "index.html").read_text(encoding="utf-8")


def test_every_chart_spec_is_valid_vega_lite(real_site):
    # Altair's validation is skipped while building (it halves spec time); it is done here instead.
    schema = alt.vegalite.v6.schema.core.load_schema()
    validator = jsonschema.Draft7Validator(schema)
    assert list(validator.iter_errors({"mark": "no-such-mark", "data": {"values": []}}))  # it can fail
    checked = 0
    for page in real_site.rglob("*.html"):
        for body in re.findall(r'<script type="application/json" id="[^"]+-spec">(.*?)</script>',
                               page.read_text(encoding="utf-8"), re.S):
            errors = list(validator.iter_errors(json.loads(body)))
            assert errors == [], (page, errors[0].message)
            checked += 1
    assert checked > 100


def test_vega_lite_version_is_the_one_altair_writes():
    # Written down so that builds need not import Altair to know it.
    assert charts.VEGA_LITE == alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def test_build_with_nothing_to_make_imports_no_altair(tmp_path):
    # A third of a second of every no-change rebuild was importing Altair
    # (and jsonschema, which only explains an invalid file).
    root = fresh_root(tmp_path)
    run = (f"import sys; sys.path.insert(0, {str(PROJECT)!r})\n"
           "from pathlib import Path\n"
           "from budgetsite.pipeline import Paths, build\n"
           f"build(Paths(Path({str(root)!r}), Path({str(FIXTURE_CONTENT)!r}), Path({str(FIXTURE_SOURCES)!r}), "
           f"Path({str(tmp_path / 'site')!r})))\n"
           "print(sorted(m for m in ('altair', 'jsonschema') if m in sys.modules))\n")
    first = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=True)
    assert "'altair'" in first.stdout.split("\n")[-2]  # the charts were made, with Altair
    again = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=True)
    assert again.stdout.split("\n")[-2] == "[]"


def test_vendored_chart_library_is_the_one_vl_convert_makes():
    # A stale file here would publish another version than the pinned one
    # (scripts/vendor_chart_library.py writes it again).
    vendored = sorted((PROJECT / "static").glob(charts.BUNDLE_GLOB))
    assert [p.name for p in vendored] == [charts.bundle_name()]
    assert vendored[0].read_text(encoding="utf-8") == vlc.javascript_bundle(vl_version=charts.VEGA_LITE)


def test_chart_library_made_when_static_lacks_it(tmp_path, monkeypatch):
    # As after an upgrade of vl-convert before the file is vendored again.
    root = fresh_root(tmp_path)
    (root / "static").unlink()
    shutil.copytree(PROJECT / "static", root / "static",
                    ignore=lambda folder, names: [n for n in names if n == charts.bundle_name()])
    monkeypatch.setattr(drawing.vlc, "javascript_bundle", lambda vl_version: f"/* made for {vl_version} */")
    paths = Paths(root, FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    build(paths, drawings=False)
    assert (paths.out / "assets" / charts.bundle_name()).read_text(encoding="utf-8") == \
        f"/* made for {charts.VEGA_LITE} */"
    assert (paths.cache / "js").is_dir()


EDITS = {
    # A project's own text: its page, its department's and the pages listing every project.
    "project description": ("projects/aerial-photos.yaml", "해마다 항공사진을 찍는", "해마다 새로 항공사진을 찍는"),
    # A name other pages show: map-platform's history links to aerial-photos by name.
    "project name": ("projects/aerial-photos.yaml", "name: 항공사진 촬영", "name: 항공사진 새 촬영"),
    # Shown on its own page only, as a description is.
    "project note": ("projects/map-platform.yaml", "이용이 적다고", "이용이 매우 적다고"),
    "department name": ("departments/beta.yaml", "베타센터", "베타본부"),
    "glossary": ("glossary.yaml", None, None),
    "site title": ("site.yaml", "시험 예산 사이트", "다른 예산 사이트"),
    # Every figure names its source: serve's kept figures must take the new name.
    "source name": ("sources.yaml", "title: 시험 검토보고서, organisation: 시험국",
                    "title: 시험 검토보고서, organisation: 시험본부"),
}


def _edit(content, target, old, new):
    f = content / target
    text = f.read_text(encoding="utf-8")
    if old is None:  # change the first definition, whatever it says
        old = next(line for line in text.splitlines() if "definition:" in line)
        new = old.replace("definition:", "definition: 고친 설명.", 1)
    assert old in text, (target, old)
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("in_place", [False, True], ids=["build", "serve"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_after_an_edit_equals_a_clean_build(tmp_path, monkeypatch, edit, in_place):
    """Pages whose inputs did not change are carried over; the result must be
    byte-for-byte what a clean build of the edited content gives, whether the
    site is swapped whole (build) or updated file by file (serve)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    # serve keeps what it read, and what it made of it, in its one Builder
    rebuild = serving(paths).build if in_place else partial(build, paths)
    rebuild()
    _edit(content, *EDITS[edit])
    rendered = []
    original = publish.PageFiles.__call__
    monkeypatch.setattr(publish.PageFiles, "__call__", lambda self, page: rendered.append(page.path) or original(self, page))
    rebuild()
    monkeypatch.undo()
    # The record is right: with nothing changed since, nothing is built again.
    assert _up_to_date(paths)
    clean = Paths(fresh_root(tmp_path / "clean"), content, FIXTURE_SOURCES, tmp_path / "clean" / "site")
    build(clean)
    assert snapshot(paths.out) == snapshot(clean.out)
    pages = {str(p.relative_to(paths.out)) for p in paths.out.rglob("*.html") if not is_embed(p)}
    if edit.startswith("project"):
        # The other projects' pages were not rendered again.
        assert "projects/server-room/index.html" not in rendered
        assert f"projects/{EDITS[edit][0].split('/')[1].removesuffix('.yaml')}/index.html" in rendered
        assert len(rendered) < len(pages)
        # Lists of every project, and its department's page, show its name, not its description.
        lists = {"projects/index.html", "compare/index.html", "index.html", "departments/alpha/index.html"}
        assert lists <= set(rendered) if edit == "project name" else not lists & set(rendered)
    elif edit.startswith("department"):
        assert "departments/beta/index.html" in rendered and "guide/index.html" not in rendered
    else:
        assert set(rendered) == pages  # shared by every page


@pytest.mark.parametrize("serve", [False, True], ids=["command line", "serve"])
def test_a_published_page_touched_by_hand_is_rendered_again(tmp_path, serve, serve_build):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    rebuild = serve_build if serve else build
    rebuild(paths)
    before = snapshot(paths.out)
    page = paths.out / "projects" / "server-room" / "index.html"
    page.write_text("tampered", encoding="utf-8")
    _edit(content, *EDITS["project description"])  # an edit elsewhere: server-room's page would be kept
    rebuild(paths)
    assert page.read_text(encoding="utf-8") != "tampered"
    assert snapshot(paths.out)["projects/server-room/index.html"] == before["projects/server-room/index.html"]


def test_serve_reads_only_the_edited_file_and_rebuilds_like_a_clean_build(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)  # built before serve starts: serve finds it up to date
    builder = serving(paths)  # what serve keeps between rebuilds
    builder.build()
    assert len(builder.memory.files) == len(list(content.rglob("*.yaml")))  # read at the start, not at the first edit
    _edit(content, *EDITS["project name"])
    read = []
    original = files.read_yaml
    monkeypatch.setattr(files, "read_yaml", lambda path, *a: read.append(path.name) or original(path, *a))
    builder.build()
    assert read == ["aerial-photos.yaml"]
    clean = Paths(fresh_root(tmp_path / "clean"), content, FIXTURE_SOURCES, tmp_path / "clean" / "site")
    build(clean)
    assert snapshot(paths.out) == snapshot(clean.out)


def test_serve_updates_files_in_place_and_removes_those_of_a_removed_project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    serving(paths).build()
    style = paths.out / "assets" / "style.css"
    untouched = style.stat().st_mtime_ns, style.stat().st_ino
    site_inode = paths.out.stat().st_ino
    _edit(content, *EDITS["project description"])
    (content / "projects" / "server-room.yaml").unlink()
    serving(paths).build()
    # The same folder, updated: unchanged files are not even rewritten.
    assert paths.out.stat().st_ino == site_inode
    assert (style.stat().st_mtime_ns, style.stat().st_ino) == untouched
    assert not (paths.out / "projects" / "server-room").exists()  # its page, its tables, its folder
    assert not list(tmp_path.glob(".site.*"))  # nothing left beside the site
    clean = Paths(fresh_root(tmp_path / "clean"), content, FIXTURE_SOURCES, tmp_path / "clean" / "site")
    build(clean)
    assert snapshot(paths.out) == snapshot(clean.out)


def test_a_failed_serve_rebuild_leaves_the_site_as_it_was(tmp_path, serve_build):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    serve_build(paths)
    before = snapshot(paths.out)
    _edit(content, *EDITS["project description"])
    broken = content / "projects" / "map-platform.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("name:", "name: [", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        serve_build(paths)
    assert snapshot(paths.out) == before
    assert not list(tmp_path.glob(".site.*"))


@pytest.fixture
def serve_build():
    """A serve session starting on the folder: it looks at the folder once,
    so what was changed there by hand since is found."""
    def rebuild(paths):
        _SERVING[paths.out] = Builder(paths, serve=True)  # the session _up_to_date asks
        return _SERVING[paths.out].build()
    return rebuild


_SERVING: dict[Path, Builder] = {}  # each site folder's serve session, in the test running


@pytest.fixture(autouse=True)
def _no_session_left():
    yield
    _SERVING.clear()


def serving(paths: Paths) -> Builder:
    """The serve session of this site folder: one Builder, kept, as serve keeps it."""
    if paths.out not in _SERVING:
        _SERVING[paths.out] = Builder(paths, serve=True)
    return _SERVING[paths.out]


def _serve_site(tmp_path, serve_build=None):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    (serve_build or (lambda p: serving(p).build()))(paths)
    return content, paths


def _clean_build(tmp_path, content):
    clean = Paths(fresh_root(tmp_path / "clean"), content, FIXTURE_SOURCES, tmp_path / "clean" / "site")
    build(clean)
    return snapshot(clean.out)


def _up_to_date(paths):
    """Whether the next build finds nothing to do: as the serve session knows
    it, if one runs, else from the record on disk."""
    record = _SERVING[paths.out].record if paths.out in _SERVING else freshness.BuildRecord(paths)
    return record.up_to_date(freshness.Inputs.read(paths, **Builder(paths).options)) is not None


def test_serve_removes_files_no_build_of_this_site_wrote(tmp_path, serve_build):
    # A file put in site/ by hand, or moved in by an earlier serve rebuild
    # that was killed before its page was dropped, is not part of the site.
    content, paths = _serve_site(tmp_path, serve_build)
    (paths.out / "stray.html").write_text("by hand", encoding="utf-8")
    ghost = paths.out / "projects" / "ghost" / "index.html"
    ghost.parent.mkdir()
    ghost.write_text("left by a killed build", encoding="utf-8")
    _edit(content, *EDITS["project description"])
    serve_build(paths)
    assert not (paths.out / "stray.html").exists() and not ghost.parent.exists()
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    assert _up_to_date(paths)  # so the next check does not rebuild for nothing


def test_serve_survives_folders_of_site_deleted_by_hand(tmp_path, serve_build):
    content, paths = _serve_site(tmp_path, serve_build)
    shutil.rmtree(paths.out / "projects")
    (content / "projects" / "server-room.yaml").unlink()
    serve_build(paths)
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    shutil.rmtree(paths.out)
    serve_build(paths)
    assert snapshot(paths.out) == _clean_build(tmp_path / "again", content)


def test_the_record_matches_the_disk_after_serve_keeps_a_file_it_found_identical(tmp_path, serve_build):
    # Touched, not changed: serve finds the bytes identical and leaves the
    # file alone, and must record its new time, or every later check fails.
    content, paths = _serve_site(tmp_path, serve_build)
    for name in ("robots.txt", "projects/server-room/index.html"):
        os.utime(paths.out / name, ns=(1, 1))
    assert not _up_to_date(paths)
    serve_build(paths)
    assert (paths.out / "robots.txt").stat().st_mtime_ns == 1  # kept, not rewritten
    assert _up_to_date(paths)


def test_serve_with_many_changed_pages_leaves_identical_files_untouched(tmp_path, monkeypatch, serve_build):
    # Enough pages to be written by forked workers, which compare too.
    monkeypatch.setattr(publish, "PARALLEL_FROM", 1)
    content, paths = _serve_site(tmp_path, serve_build)
    table = next((paths.out / "departments" / "alpha" / "tables").glob("*.csv"))
    os.utime(table, ns=(1, 1))
    _edit(content, *EDITS["site title"])  # every page made again; its table downloads come out the same
    serve_build(paths)
    assert table.stat().st_mtime_ns == 1
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    assert _up_to_date(paths)


def test_serve_checks_again_what_a_change_to_another_file_breaks(tmp_path):
    # serve keeps what it found of each unchanged file; a problem that an
    # unchanged file has only because another file changed must still show.
    content, sources = tmp_path / "content", tmp_path / "sources"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(FIXTURE_SOURCES, sources)
    paths = Paths(fresh_root(tmp_path), content, sources, tmp_path / "site")
    builder = Builder(paths, serve=True)
    builder.check()
    text = (sources / "doc-a.txt").read_text(encoding="utf-8")
    (sources / "doc-a.txt").write_text("\n".join(text.splitlines()[:3]) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as shorter:
        builder.check()
    assert any("projects/" in p.file and "3줄뿐입니다" in p.message for p in shorter.value.problems)
    (sources / "doc-a.txt").write_text(text, encoding="utf-8")
    builder.check()
    (content / "departments" / "beta.yaml").unlink()
    with pytest.raises(ContentError) as gone:
        builder.check()
    assert any("projects/" in p.file and "없는 부서 'beta'" in p.message for p in gone.value.problems)
    with pytest.raises(ContentError) as clean:
        check(paths)  # from nothing: the same problems, in the same order
    assert [str(p) for p in gone.value.problems] == [str(p) for p in clean.value.problems]


def test_serve_keeps_department_sums_that_agree_with_a_clean_check(tmp_path, monkeypatch):
    # serve takes out and puts back only the edited projects' shares of the
    # department sums; after each edit it must find what a clean check finds.
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    aerial, server = content / "projects" / "aerial-photos.yaml", content / "projects" / "server-room.yaml"
    original, server_text = aerial.read_text(encoding="utf-8"), server.read_text(encoding="utf-8")
    session = Builder(paths, serve=True)

    def problems(kept: bool = False):
        # The clean check sums from nothing; serve's updates the sums it keeps.
        try:
            session.check() if kept else check(paths)
        except ContentError as e:
            return sorted(map(str, e.problems))
        return []

    assert problems(kept=True) == []
    mismatch = "합계가 맞지 않습니다"
    edits = [
        (aerial, original.replace("amount: 500000", "amount: 900000"), mismatch),  # a total no longer adds up
        (aerial, original, None),                                                   # and adds up again
        (aerial, original.replace("department: alpha}", "department: beta}"), mismatch),  # into another sum
        (aerial, original.replace("2025, stage: 예산안", "2025, stage: 본예산"), mismatch),
        (aerial, original, None),
        # beta's only project: its total then has no parts, and is not checked
        (server, None, None),
        (server, server_text, None),
        (server, server_text.replace("amount: 1000000", "amount: 1000001"), mismatch),
        (server, server_text, None),
    ]
    for file, text, expected in edits:
        if text is None:
            file.unlink()
        else:
            file.write_text(text, encoding="utf-8")
        kept = problems(kept=True)
        assert kept == problems(), (file.name, text)
        if expected is None:
            assert kept == [], (file.name, text)
        else:
            assert any(expected in p for p in kept), (file.name, text, kept)


def test_serve_settles_by_freeing_what_the_build_left_before_freezing_the_rest(tmp_path, monkeypatch):
    # Frozen objects are never collected: what a build made and left in
    # cycles (a department and its projects refer to each other) must be
    # collected first.
    made = []

    def site_watched(content):
        site = real(content)
        made.append(weakref.ref(next(iter(site.departments.values()))))
        return site

    real = pipeline.build_site
    monkeypatch.setattr(pipeline, "build_site", site_watched)
    paths = Paths(fresh_root(tmp_path), FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    gc.disable()  # no collection of its own between the build and settling
    try:
        builder = Builder(paths, drawings=False, serve=True)
        builder.build()
        assert made and made[-1]() is not None  # held only by its own cycles
        builder.settle()
        assert made[-1]() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_an_edit_in_serve_collects_after_the_build_and_always_resumes_the_collector(tmp_path):
    # The build's objects are collected when it has settled (the page shown),
    # not as it ends; a build that fails leaves the collector running too.
    paths = Paths(fresh_root(tmp_path), FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    builder = Builder(paths, drawings=False, serve=True)
    during = []
    try:
        with builder.edit():
            builder.build()
            during.append(gc.isenabled())
        assert during == [False] and gc.isenabled() and gc.get_freeze_count() > 0  # settled
        with pytest.raises(ContentError), builder.edit():
            raise ContentError([])
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_folder_link_that_loops_does_not_stop_the_build(tmp_path):
    # Inputs are hashed as rglob finds them: a linked folder is not walked into.
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    (sources / "parent").symlink_to("..", target_is_directory=True)
    paths = Paths(fresh_root(tmp_path), FIXTURE_CONTENT, sources, tmp_path / "site")
    build(paths)
    assert (paths.out / "index.html").is_file()
    files = freshness.Inputs.read(paths, base_url=None).files
    assert files["sources/parent"] == "link to .." and not any(n.startswith("sources/parent/") for n in files)
    fingerprint = freshness.Inputs.read(paths, base_url=None).fingerprint
    (sources / "parent").unlink()
    (sources / "parent").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert freshness.Inputs.read(paths, base_url=None).fingerprint != fingerprint  # pointed elsewhere: noticed


def test_serve_clears_what_was_put_by_hand_where_the_site_needs_the_name(tmp_path, serve_build):
    content, paths = _serve_site(tmp_path, serve_build)
    (paths.out / "robots.txt").unlink()
    (paths.out / "robots.txt" / "by-hand").mkdir(parents=True)  # a folder where a file goes
    shutil.rmtree(paths.out / "assets")
    (paths.out / "assets").write_text("by hand", encoding="utf-8")  # a file where a folder goes
    _edit(content, *EDITS["project description"])
    serve_build(paths)
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    assert _up_to_date(paths)


@pytest.mark.parametrize("in_place", [False, True], ids=["command line", "serve"])
def test_links_put_in_site_by_hand_are_removed(tmp_path, in_place, serve_build):
    rebuild = serve_build if in_place else build
    content, paths = _serve_site(tmp_path, rebuild)
    (paths.out / "dangling.html").symlink_to(tmp_path / "nothing-here")
    (paths.out / "elsewhere").symlink_to(content, target_is_directory=True)
    _edit(content, *EDITS["project description"])
    rebuild(paths)
    assert not os.path.lexists(paths.out / "dangling.html") and not os.path.lexists(paths.out / "elsewhere")
    assert (content / "site.yaml").is_file()  # the folder linked to is left alone
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    rebuild(paths)  # and the next check finds nothing to do
    assert _up_to_date(paths)


def test_other_fonts_draw_the_charts_again(tmp_path, monkeypatch):
    # A drawing cached under other fonts could differ from one drawn now.
    root = fresh_root(tmp_path)
    paths = Paths(root, FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)
    drawn = set(paths.drawings.glob("*.svg"))
    monkeypatch.setattr(drawing, "installed_fonts", lambda: "a font updated")
    monkeypatch.setattr(freshness, "installed_fonts", drawing.installed_fonts)
    assert not _up_to_date(paths)
    build(paths)
    again = set(paths.drawings.glob("*.svg")) - drawn
    assert len(again) == len(drawn)  # every chart drawn again, under its new key


def test_the_fonts_are_told_apart_by_their_files(tmp_path, monkeypatch):
    monkeypatch.setattr(drawing, "FONT_FOLDERS", [tmp_path])
    (tmp_path / "a.ttf").write_bytes(b"font")
    charts.installed_fonts.cache_clear()
    first = charts.installed_fonts()
    (tmp_path / "a.ttf").write_bytes(b"font, updated")
    charts.installed_fonts.cache_clear()
    assert charts.installed_fonts() != first
    charts.installed_fonts.cache_clear()


def test_serve_writes_nothing_through_a_folder_link_put_in_site(tmp_path, serve_build):
    # A page's folder moved out of site/ and linked back: serve must neither
    # write through the link nor lose the page.
    content, paths = _serve_site(tmp_path, serve_build)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(paths.out / "projects" / "server-room"), str(elsewhere))
    (paths.out / "projects" / "server-room").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(elsewhere)
    _edit(content, *EDITS["project description"])
    serve_build(paths)
    assert snapshot(elsewhere) == before
    assert not (paths.out / "projects" / "server-room").is_symlink()
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    assert _up_to_date(paths)


def test_serve_replaces_a_link_to_an_identical_file(tmp_path, serve_build):
    content, paths = _serve_site(tmp_path, serve_build)
    copy = tmp_path / "copy.html"
    shutil.copy(paths.out / "index.html", copy)
    (paths.out / "index.html").unlink()
    (paths.out / "index.html").symlink_to(copy)
    serve_build(paths)
    assert not (paths.out / "index.html").is_symlink()
    assert _up_to_date(paths)


def test_a_serve_session_trusts_its_own_folder_after_its_first_build(tmp_path, monkeypatch):
    """serve builds into a folder of its own, which nobody else writes: the
    session looks at it once, when it starts, and after that goes by its
    record, and still ends as a clean build would."""
    content, paths = _serve_site(tmp_path)
    walks = []
    monkeypatch.setattr(pipeline, "listing", lambda folder: walks.append(folder) or listing(folder))
    for edit in ("project description", "project name", "department name"):
        _edit(content, *EDITS[edit])
        serving(paths).build()
    assert walks == []
    assert snapshot(paths.out) == _clean_build(tmp_path, content)
    assert _up_to_date(paths)


def test_a_failed_serve_rebuild_makes_the_next_one_look_at_the_folder(tmp_path, monkeypatch):
    content, paths = _serve_site(tmp_path)
    walks = []
    monkeypatch.setattr(pipeline, "listing", lambda folder: walks.append(folder) or listing(folder))
    broken = content / "projects" / "map-platform.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("name:", "name: [", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        serving(paths).build()
    broken.write_text(text, encoding="utf-8")
    serving(paths).build()
    assert walks == [paths.out]  # stopped halfway, it may be unlike the record: looked at once
    assert snapshot(paths.out) == _clean_build(tmp_path, content)


def test_a_new_serve_session_finds_what_was_changed_by_hand_in_its_folder(tmp_path):
    content, paths = _serve_site(tmp_path)
    del _SERVING[paths.out]  # the session ended
    (paths.out / "projects" / "server-room" / "index.html").write_text("tampered", encoding="utf-8")
    (paths.out / "stray.html").write_text("by hand", encoding="utf-8")
    shutil.rmtree(paths.out / "departments")
    serving(paths).build()
    assert snapshot(paths.out) == _clean_build(tmp_path, content)


def test_serve_builds_into_its_own_folder_and_leaves_site_to_build(tmp_path):
    """build.py serve with no --out: .build-cache/preview/, with a record of
    its own, so serving and building do not undo each other."""
    root = fresh_root(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    site = Paths(root, content, FIXTURE_SOURCES, tmp_path / "site")
    preview = Paths(root, content, FIXTURE_SOURCES, site.preview)
    assert preview.out == root / ".build-cache" / "preview"
    build(site)
    serving(preview).build()
    assert freshness.BuildRecord(site).path != freshness.BuildRecord(preview).path
    assert _up_to_date(site) and _up_to_date(preview)  # neither undid the other
    assert snapshot(site.out) == snapshot(preview.out)


def test_serve_writes_its_record_once_the_edit_is_on_show(tmp_path, monkeypatch):
    content, paths = _serve_site(tmp_path)
    builder = serving(paths)
    record = builder.record.path
    try:
        builder.record.write_pending()
        written = record.read_bytes()
        _edit(content, *EDITS["project name"])
        builder.build()
        assert record.read_bytes() == written  # the edit is on show; its record waits
        assert _up_to_date(paths)  # as this process knows it
        try:
            builder.settle()
        finally:
            gc.unfreeze()
        assert record.read_bytes() != written
        # Killed before settling: the next process has only the older record,
        # which costs it time, not a wrong page, even once the edit is undone
        # and the pages' digests are the recorded ones again.
        target, old, new = EDITS["project description"]
        _edit(content, target, old, new)
        builder.build()
        del _SERVING[paths.out]  # the serve process is gone, with what it held
        _edit(content, target, new, old)
        build(paths)
        assert snapshot(paths.out) == _clean_build(tmp_path, content)
        assert _up_to_date(paths)
    finally:
        gc.unfreeze()


def test_serve_sees_a_file_added_or_replaced_by_a_link_between_checks(tmp_path):
    # The folder listing is kept while its names stay the same: a new file,
    # or a file replaced by a link out of content/, must still be seen.
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    builder = Builder(paths, serve=True)
    builder.check()
    server = content / "projects" / "server-room.yaml"
    text = server.read_text(encoding="utf-8")
    added = content / "projects" / "server-room-2.yaml"
    added.write_text(text.replace("id: server-room", "id: server-room-3"), encoding="utf-8")
    with pytest.raises(ContentError) as misnamed:
        builder.check()
    assert [p.file for p in misnamed.value.problems] == ["content/projects/server-room-2.yaml"]
    added.unlink()
    builder.check()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(text, encoding="utf-8")
    server.unlink()
    server.symlink_to(outside)
    with pytest.raises(ContentError) as refused:
        builder.check()
    assert any(p.file.endswith("server-room.yaml") for p in refused.value.problems)


def test_inputs_read_again_from_the_saved_paths_alone_equal_a_full_read(tmp_path):
    # serve looks again only at the paths its watch names; after any of
    # these changes, that must give what a walk of every folder gives.
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = Paths(fresh_root(tmp_path), content, FIXTURE_SOURCES, tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("a", encoding="utf-8")
    projects, extra = content / "projects", content / "extra"

    def write(path, text="changed\n"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return [path]

    def link(path, target):
        path.symlink_to(target, target_is_directory=target.is_dir())
        return [path]

    steps = [
        lambda: write(projects / "server-room.yaml"),
        lambda: write(projects / "new.yaml"),
        lambda: (projects / "new.yaml").unlink() or [projects / "new.yaml"],
        lambda: write(extra / "deep" / "x.md") and [extra],  # a folder made, with what is in it
        lambda: extra.rename(content / "moved") and [extra, content / "moved"],
        lambda: shutil.rmtree(content / "moved") or [content / "moved"],
        lambda: link(content / "linked.txt", elsewhere / "a.txt"),
        lambda: link(content / "linked-folder", elsewhere),
        lambda: link(content / "dangling", tmp_path / "nothing"),
        lambda: write(content / "__pycache__" / "c.pyc") + [content / "__pycache__"],
        # A linked file's target changed: no event where the link is.
        lambda: (elsewhere / "a.txt").write_text("a, changed", encoding="utf-8") and [],
        lambda: shutil.rmtree(projects) or [projects],
    ]
    memory = Memory()  # serve's, kept between reads
    freshness.Inputs.read(paths, memory=memory)
    for step in steps:
        saved = {os.path.join(os.path.realpath(p.parent), p.name) for p in step()}  # as the watch names them
        assert freshness.Inputs.read(paths, saved=saved, memory=memory).files == freshness.Inputs.read(paths).files, saved
        freshness.Inputs.read(paths, saved=set(), memory=memory)  # what the next build starts from


@pytest.mark.parametrize("layout", ["relative", "through a link", "projects linked inside"])
def test_a_saved_file_is_read_again_however_its_folder_is_named(tmp_path, monkeypatch, layout):
    # The watch names real paths; content/ may be named relatively, through
    # a link, or hold a linked folder of its own.
    real = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, real)
    if layout == "projects linked inside":
        (real / "projects").rename(real / "data")
        (real / "projects").symlink_to(real / "data", target_is_directory=True)
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    named = {"relative": Path("content"), "through a link": tmp_path / "linked"}.get(layout, real)
    memory = Memory()
    load.load_content(named, memory=memory)
    edited = real / "projects" / "aerial-photos.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("name: 항공사진 촬영", "name: 항공사진 새 촬영"),
                      encoding="utf-8")
    again = load.load_content(named, memory=memory, saved={os.path.realpath(edited)})  # as the watch names it
    assert {d.data["name"] for d in again.of_kind("project")} >= {"항공사진 새 촬영"}


def test_records_of_folders_built_into_long_ago_are_forgotten(tmp_path):
    root = fresh_root(tmp_path)
    records = root / ".build-cache" / "records"
    records.mkdir(parents=True)
    for i in range(freshness.KEPT_RECORDS + 5):
        old = records / f"old-{i}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, ns=(i * 10**9, i * 10**9))
    paths = Paths(root, FIXTURE_CONTENT, FIXTURE_SOURCES, tmp_path / "site")
    build(paths)
    kept = {f.name for f in records.glob("*.json")}
    assert len(kept) == freshness.KEPT_RECORDS and freshness.BuildRecord(paths).path.name in kept
    assert "old-0.json" not in kept and f"old-{freshness.KEPT_RECORDS + 4}.json" in kept
