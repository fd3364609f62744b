"""`build.py archive`: a dated zip with a SHA-256 manifest that, unzipped
anywhere, opens from file:// with charts, tables, search and downloads working."""
import zipfile
from datetime import date

import pytest

from budgetsite import archive
from budgetsite.cli import main

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES
from .test_browser import browser, visit  # noqa: F401  (the shared browser fixture)


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("archive")
    status = main(["archive", "--content", str(FIXTURE_CONTENT), "--sources", str(FIXTURE_SOURCES),
                   "--out", str(tmp / "site"), "--archive-dir", str(tmp / "archives")])
    assert status == 0
    zips = list((tmp / "archives").glob("*.zip"))
    assert [z.name for z in zips] == [f"budget-site-{date.today().isoformat()}.zip"]
    with zipfile.ZipFile(zips[0]) as z:
        z.extractall(tmp / "elsewhere")
    (folder,) = (tmp / "elsewhere").iterdir()
    return tmp / "site", folder


def test_manifest_lists_every_file_with_its_hash(unzipped):
    site, folder = unzipped
    assert archive.verify(folder) == []
    manifest = (folder / archive.MANIFEST).read_text(encoding="utf-8").splitlines()
    site_files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert sorted(line.split("  ", 1)[1] for line in manifest) == site_files
    for line in manifest[:20]:
        digest, rel = line.split("  ", 1)
        assert digest == archive.sha256((site / rel).read_bytes())
    readme = (folder / archive.README).read_text(encoding="utf-8")
    assert date.today().isoformat() in readme and "sha256sum -c SHA256SUMS" in readme


def test_verify_notices_a_changed_missing_or_extra_file(unzipped, tmp_path):
    import shutil
    _, folder = unzipped
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "index.html").write_text("바뀐 내용", encoding="utf-8")
    (copy / "robots.txt").unlink()
    (copy / "extra.html").write_text("x", encoding="utf-8")
    assert sorted(archive.verify(copy)) == sorted(["없음: robots.txt", "다름: index.html", "목록에 없음: extra.html"])


def test_unzipped_archive_works_from_file_url(browser, unzipped):  # noqa: F811
    _, folder = unzipped
    for path in ("index.html", "projects/map-platform/index.html", "compare/index.html"):
        r = visit(browser, folder, path)
        assert r["errors"] == [] and r["outside"] == [], path
        assert r["live_svgs"] == r["charts"]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto((folder / "projects/map-platform/index.html").resolve().as_uri())
    page.fill("#site-search-input", "ㅈㄷ")
    page.locator("#site-search-results a", has_text="지도 플랫폼 운영").first.click()
    page.wait_for_url("**/projects/map-platform/index.html")
    with page.expect_download() as d:
        page.locator('a[href="tables/budget.csv"]').click()
    assert open(d.value.path(), "rb").read().startswith(b"\xef\xbb\xbf")
    context.close()


def test_a_second_archive_the_same_day_never_overwrites_the_first(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("one", encoding="utf-8")
    day = date(2026, 12, 7)
    first = archive.make_archive(site, tmp_path / "archives", "시험", "https://example.org/", day)
    (site / "index.html").write_text("two", encoding="utf-8")
    second = archive.make_archive(site, tmp_path / "archives", "시험", "https://example.org/", day)
    assert (first.name, second.name) == ("budget-site-2026-12-07.zip", "budget-site-2026-12-07-2.zip")
    with zipfile.ZipFile(first) as z:
        assert z.read("budget-site-2026-12-07/index.html") == b"one"  # untouched
    with zipfile.ZipFile(second) as z:
        assert z.read("budget-site-2026-12-07/index.html") == b"two"
    assert {p.name for p in (tmp_path / "archives").iterdir()} == {first.name, second.name}  # no leftovers
