"""Small safety findings (issue 23 §17): footnotes that link, no second <h1>
from a description, glossary terms never inside an entity, Windows device
names refused as ids, a site readable whatever the umask, no leftover
beside a site that cannot be replaced, zip entries that are regular files."""
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
import yaml

from budgetsite import archive
from budgetsite.load import load_content
from budgetsite.pipeline import build
from budgetsite.problems import SettingError
from budgetsite.validate import validate
from budgetsite.validate.schema import _fast_validator
from budgetsite.write import staged_output

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ids_and_targets(html: str) -> tuple[list[str], list[str]]:
    return re.findall(r'\sid="([^"]+)"', html), re.findall(r'href="#([^"]+)"', html)


def permissions_bite(tmp_path: Path) -> bool:
    """False as root (or with its powers): then no folder is read-only."""
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "f").touch()
        return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


# 1, 2: Markdown in descriptions


def test_footnotes_link_within_the_page_with_korean_back_links(content, paths):
    edit(content / "projects/map-platform.yaml", "description: 지도를 시민에게 보여 주는 *시험* 사업입니다.",
         'description: "지도를 시민에게 보여 주는 *시험* 사업입니다.[^1] 다시 적습니다.[^1]\\n\\n'
         '[^1]: 2025년 예산서에 따릅니다."')
    # A second text on the same page with a footnote of the same label.
    edit(content / "projects/map-platform.yaml", "text: 위원회는 이용이 적다고 보았습니다.",
         'text: "위원회는 이용이 적다고 보았습니다.[^1]\\n\\n[^1]: 검토보고서입니다."')
    # Shown twice on the register (its card and its table row).
    edit(content / "revenue.yaml", "explanation: 인쇄된 세외수입이 두 항목의 합보다 1,000천원 많습니다.",
         'explanation: "인쇄된 세외수입이 두 항목의 합보다 1,000천원 많습니다.[^1]\\n\\n[^1]: 세입 예산서입니다."')
    build(paths)
    project = (paths.out / "projects/map-platform/index.html").read_text(encoding="utf-8")
    register = (paths.out / "discrepancies/index.html").read_text(encoding="utf-8")
    for html, notes in ((project, 2), (register, 2)):
        ids, targets = ids_and_targets(html)
        assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
        footnotes = [t for t in targets if t.startswith("fn")]
        assert len({t for t in footnotes if t.startswith("fn:")}) == notes
        assert footnotes and set(footnotes) <= set(ids)  # every footnote link lands on the page
    assert "본문의 1번 각주로 돌아가기" in project and "Jump back" not in project
    # The page's summary for search engines is the sentence, not the note's number or text.
    meta = re.search(r'<meta name="description" content="([^"]*)"', project).group(1)
    assert "↩" not in meta and "예산서에 따릅니다" not in meta


def test_a_heading_in_a_description_stays_below_the_pages_own(content, paths):
    edit(content / "projects/map-platform.yaml", "description: 지도를 시민에게 보여 주는 *시험* 사업입니다.",
         'description: "# 배경\\n\\n지도를 시민에게 보여 주는 사업입니다.\\n\\n## 자세히\\n\\n더 적습니다."')
    edit(content / "projects/map-platform.yaml", "text: 위원회는 이용이 적다고 보았습니다.",
         'text: "# 의견\\n\\n위원회는 이용이 적다고 보았습니다."')
    build(paths)
    project = (paths.out / "projects/map-platform/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<h1\b", project)) == 1
    assert "<h2>배경</h2>" in project and "<h3>자세히</h3>" in project
    assert "<h4>의견</h4>" in project  # a note sits under its year's h3
    guide = (paths.out / "guide/index.html").read_text(encoding="utf-8")
    assert '<h2 id="단위">단위</h2>' in guide  # the guide's own ## sections stay h2, with ids to link to


# 3: glossary terms


def test_a_glossary_term_never_splits_an_entity(content, paths):
    edit(content / "glossary.yaml", "terms:\n", "terms:\n  - {term: amp, id: amp-term, definition: 시험용 낱말입니다.}\n")
    edit(content / "projects/map-platform.yaml", "description: 지도를 시민에게 보여 주는 *시험* 사업입니다.",
         'description: "지도 R&D와 <지도> 사업입니다. amp 장치도 씁니다."')
    build(paths)
    html = (paths.out / "projects/map-platform/index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    assert "R&amp;D와 &lt;지도&gt;" in main
    assert re.findall(r"&[^;\s]*<", main) == []  # no entity cut open by a link
    assert main.count('aria-describedby="term-tip-amp-term">amp</a>') == 1  # the word itself is still linked


# 4: ids Windows cannot have as file names


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_windows_device_names_are_refused_as_ids(content, name):
    edit(content / "departments/beta.yaml", "id: beta", f"id: {name}")
    edit(content / "projects/server-room.yaml", "id: server-room", f"id: {name}")
    problems = [str(p) for p in validate(load_content(content), FIXTURE_SOURCES)]
    for file in ("departments/beta.yaml", "projects/server-room.yaml"):
        expected = f"{file}:2 [id] Windows가 장치 이름으로 남겨 둔 이름이라 쓸 수 없습니다: '{name}'"
        assert any(expected in p for p in problems), problems


def test_both_validators_agree_on_device_names():
    data = yaml.safe_load((FIXTURE_CONTENT / "departments/beta.yaml").read_text(encoding="utf-8"))
    fast = _fast_validator("department")
    assert fast.is_valid(data)
    for name in ("con", "com1", "lpt1", "nul", "CON", "con.txt", "Com1"):  # the last three: not ids at all
        assert not fast.is_valid({**data, "id": name}), name
    for name in ("con-room", "console", "com10", "nuls"):
        assert fast.is_valid({**data, "id": name}), name


# 5: file modes


def test_the_site_is_readable_by_all_whatever_the_umask(paths):
    old = os.umask(0o077)
    try:
        build(paths)
    finally:
        os.umask(old)
    wrong = []
    for path in [paths.out, *paths.out.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode != (0o755 if path.is_dir() else 0o644):
            wrong.append(f"{path.relative_to(paths.out)} {oct(mode)}")
    assert wrong == []


# 6: an output that cannot be replaced


def test_a_file_named_site_is_refused_and_nothing_is_left_beside_it(paths, tmp_path):
    paths.out.write_text("mine", encoding="utf-8")
    with pytest.raises(SettingError, match="파일입니다"):
        build(paths)
    # Straight into the swap, as if the file came while the site was built.
    with pytest.raises(SettingError, match="파일입니다"):
        with staged_output(paths.out) as out:
            out.write("index.html", "새 사이트")
    assert paths.out.read_text(encoding="utf-8") == "mine"
    assert leftovers(tmp_path) == []


def test_a_file_appearing_during_the_build_is_left_alone(paths, tmp_path):
    with pytest.raises(SettingError, match="파일입니다"):
        with staged_output(paths.out) as out:
            out.write("index.html", "새 사이트")
            paths.out.write_text("mine", encoding="utf-8")
    assert paths.out.read_text(encoding="utf-8") == "mine"
    assert leftovers(tmp_path) == []


def test_a_read_only_site_is_left_as_it_is_without_a_leftover(paths, content, tmp_path):
    if not permissions_bite(tmp_path):
        pytest.skip("as root every folder is writable: a read-only site/ cannot be made here")
    build(paths)
    before = (paths.out / "index.html").read_bytes()
    edit(content / "site.yaml", "title: 시험 예산 사이트", "title: 바뀐 예산 사이트")
    os.chmod(paths.out, 0o555)
    try:
        with pytest.raises(SettingError, match="쓸 권한이 없어"):
            build(paths)
        assert (paths.out / "index.html").read_bytes() == before
        assert leftovers(tmp_path) == []
    finally:
        os.chmod(paths.out, 0o755)


def test_a_swapped_out_read_only_site_is_removed(tmp_path):
    """The previous site, read-only inside, goes once the new one is in."""
    if not permissions_bite(tmp_path):
        pytest.skip("as root every folder is writable: a read-only folder cannot be made here")
    out = tmp_path / "site"
    with staged_output(out) as w:
        w.write("a/b/index.html", "첫 사이트")
    (out / "a/b").chmod(0o555)
    (out / "a").chmod(0o555)
    with staged_output(out) as w:
        w.write("index.html", "새 사이트")
    assert (out / "index.html").read_text(encoding="utf-8") == "새 사이트"
    assert leftovers(tmp_path) == []


def test_a_site_that_cannot_be_written_is_left_as_it_is(paths, content, tmp_path, monkeypatch):
    """The same as a read-only site/, where permissions do not bite (root)."""
    build(paths)
    before = (paths.out / "index.html").read_bytes()
    edit(content / "site.yaml", "title: 시험 예산 사이트", "title: 바뀐 예산 사이트")
    access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: Path(p) != paths.out and access(p, mode, **kw))
    with pytest.raises(SettingError, match="쓸 권한이 없어"):
        build(paths)
    assert (paths.out / "index.html").read_bytes() == before
    assert leftovers(tmp_path) == []


# 7: the archive


def test_zip_entries_are_regular_files_readable_by_all(tmp_path):
    site = tmp_path / "site"
    (site / "projects/x").mkdir(parents=True)
    (site / "index.html").write_text("처음", encoding="utf-8")
    (site / "projects/x/index.html").write_text("사업", encoding="utf-8")
    made = archive.make_archive(site, tmp_path / "archives", archive.About("시험", "https://example.org/"))
    with zipfile.ZipFile(made) as z:
        infos = z.infolist()
    names = {info.filename.split("/", 1)[1] for info in infos}
    assert {"data/site/index.html", "data/site/projects/x/index.html", "bagit.txt", "SHA256SUMS", "README.txt"} <= names
    for info in infos:
        mode = info.external_attr >> 16
        if info.is_dir():
            assert stat.S_ISDIR(mode) and stat.S_IMODE(mode) == 0o755, info.filename
        else:
            assert stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o644, info.filename
