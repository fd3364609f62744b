"""`build.py archive`: a dated zip holding a BagIt bag (RFC 8493) of the site,
its data package and a WACZ web archive of it, plus SHA256SUMS. Unzipped
anywhere, the site opens from file:// with charts, tables, search and
downloads working; the bag and the WACZ pass their own tools' validation; the
WARC inside replays every file under its original URL; nothing goes online."""
import gzip
import hashlib
import json
import shutil
import socket
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import bagit
import pytest
from warcio.archiveiterator import ArchiveIterator

from budgetsite import archive, warc
from budgetsite.cli import main

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES
from .test_browser import browser, visit  # noqa: F401  (the shared browser fixture)

BASE = "https://example.org/test/"
TODAY = date.today().isoformat()
STEM = f"budget-site-{TODAY}"
# What the fixture's site.yaml gains here: what bag-info.txt must carry.
ABOUT_SITE = """
edition: {date: "2026-12-01", label: "시험 자료 제1판"}
publisher: {name: 시험 예산 편집팀, email: team@example.org, report_url: "https://example.org/report"}
licence:
  content: {name: CC BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/deed.ko", spdx: CC-BY-4.0}
  data: {name: 공공누리 제1유형, url: "https://www.kogl.or.kr/info/license.do", spdx: LicenseRef-KOGL-Type1}
"""


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory):
    """The site as built, and the bag the archive unzips to."""
    tmp = tmp_path_factory.mktemp("archive")
    content = tmp / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(ABOUT_SITE)
    status = main(["archive", "--content", str(content), "--sources", str(FIXTURE_SOURCES),
                   "--out", str(tmp / "site"), "--archive-dir", str(tmp / "archives")])
    assert status == 0
    zips = list((tmp / "archives").glob("*.zip"))
    assert [z.name for z in zips] == [f"{STEM}.zip"]
    assert [p.name for p in (tmp / "archives").iterdir()] == [f"{STEM}.zip"]  # nothing left beside it
    with zipfile.ZipFile(zips[0]) as z:
        z.extractall(tmp / "elsewhere")
    (folder,) = (tmp / "elsewhere").iterdir()
    assert folder.name == STEM
    return tmp / "site", folder


def _records(folder: Path) -> list:
    """Every WARC record in the bag's WACZ: (type, target URI, date, headers, HTTP headers, payload)."""
    with zipfile.ZipFile(folder / f"data/{STEM}.wacz") as wacz, wacz.open(f"archive/{STEM}.warc.gz") as stream:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Date"),
                 r.rec_headers, r.http_headers, r.content_stream().read())
                for r in ArchiveIterator(stream)]


# The bag


def test_the_zip_unzips_to_a_valid_bag_of_the_site_its_data_package_and_a_wacz(unzipped):
    site, folder = unzipped
    bag = bagit.Bag(str(folder))
    assert bag.validate()
    assert bag.version_info == (1, 0) and bag.algorithms == ["sha256"]
    payload = {Path(p).as_posix() for p in bag.payload_files()}
    assert {p for p in payload if p.startswith("data/site/")} == {f"data/site/{rel}" for rel in _files(site)}
    assert {p for p in payload if p.startswith("data/datapackage/")} == {
        "data/datapackage/datapackage.json", "data/datapackage/budget.csv", "data/datapackage/revenue.csv"}
    assert payload - {p for p in payload if p.startswith(("data/site/", "data/datapackage/"))} == {f"data/{STEM}.wacz"}
    for name in ("datapackage.json", "budget.csv"):
        assert (folder / "data/datapackage" / name).read_bytes() == (site / "data" / name).read_bytes()
    # README.txt is a tag file the bag vouches for too.
    assert set(bag.tagfile_entries()) == {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "README.txt"}


def test_bag_info_names_the_organisation_date_edition_description_and_licence(unzipped):
    _, folder = unzipped
    info = bagit.Bag(str(folder)).info
    assert info["Source-Organization"] == "시험 예산 편집팀"
    assert info["Contact-Email"] == "team@example.org"
    assert info["Contact-URL"] == "https://example.org/report"
    assert info["Bagging-Date"] == TODAY
    assert (info["Edition-Date"], info["Edition-Label"]) == ("2026-12-01", "시험 자료 제1판")
    assert info["External-Description"] == "테스트용으로 만든 작은 예산 자료입니다."
    assert info["External-Identifier"] == BASE and info["Title"] == "시험 예산 사이트"
    assert info["Data-License"] == "공공누리 제1유형 (LicenseRef-KOGL-Type1) <https://www.kogl.or.kr/info/license.do>"
    assert info["Bag-Software-Agent"].startswith("budgetsite build.py archive, bagit.py v")
    assert "시험 예산 편집팀" in (folder / "bag-info.txt").read_text(encoding="utf-8")  # UTF-8, not escaped


@pytest.mark.parametrize("damage", ["one byte changed", "a file deleted", "a file added"])
def test_a_tampered_missing_or_extra_payload_file_fails_validation(unzipped, tmp_path, damage):
    _, folder = unzipped
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    if damage == "one byte changed":
        page = copy / "data/site/index.html"
        data = bytearray(page.read_bytes())
        data[100] ^= 1
        page.write_bytes(bytes(data))
    elif damage == "a file deleted":
        (copy / "data/datapackage/budget.csv").unlink()
    else:
        (copy / "data/site/extra.html").write_text("x", encoding="utf-8")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(copy)).validate()


def test_sha256sums_lists_every_other_file_and_sha256sum_accepts_it(unzipped):
    _, folder = unzipped
    assert archive.verify(folder) == []
    listed = [line.split("  ", 1)[1] for line in (folder / archive.MANIFEST).read_text(encoding="utf-8").splitlines()]
    assert listed == [rel for rel in _files(folder) if rel != archive.MANIFEST]
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "--quiet", "-c", archive.MANIFEST], cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    readme = (folder / archive.README).read_text(encoding="utf-8")
    for said in (TODAY, "sha256sum -c SHA256SUMS", "shasum -a 256", "Get-FileHash", "bagit.py --validate",
                 f"wacz validate -f data/{STEM}.wacz", "replayweb.page", "wb-manager add", "data/site/index.html"):
        assert said in readme, said


def test_verify_notices_a_changed_missing_or_extra_file(unzipped, tmp_path):
    _, folder = unzipped
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "data/site/index.html").write_text("바뀐 내용", encoding="utf-8")
    (copy / "data/site/robots.txt").unlink()
    (copy / "extra.html").write_text("x", encoding="utf-8")
    assert sorted(archive.verify(copy)) == sorted(
        ["없음: data/site/robots.txt", "다름: data/site/index.html", "목록에 없음: extra.html"])


# The web archive


def test_wacz_validate_accepts_the_wacz(unzipped):
    _, folder = unzipped
    done = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(folder / f"data/{STEM}.wacz")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "Validation succeeded" in done.stdout, done.stdout + done.stderr


def test_the_warc_holds_one_response_per_site_file_under_its_original_url(unzipped):
    site, folder = unzipped
    records = _records(folder)
    assert records[0][0] == "warcinfo"
    responses = Counter(uri for kind, uri, *_ in records if kind == "response")
    assert responses == Counter(BASE + rel for rel in _files(site))
    assert {date for _, _, date, *_ in records} == {f"{TODAY}T00:00:00Z"}  # one fixed date: the same site, the same records
    by_url = {uri: (headers, http, payload) for kind, uri, _, headers, http, payload in records if kind == "response"}
    headers, http, payload = by_url[BASE + "index.html"]  # what a WARC reader finds at the base URL's index.html
    assert payload == (site / "index.html").read_bytes()
    assert http.get_statuscode() == "200" and http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert by_url[BASE + "assets/style.css"][1].get_header("Content-Type") == "text/css; charset=utf-8"
    assert by_url[BASE + "data/budget.csv"][1].get_header("Content-Type") == "text/csv; charset=utf-8"
    for _, http, payload in by_url.values():
        assert http.get_header("Content-Length") == str(len(payload))


def test_the_base_url_itself_replays_the_home_page(unzipped):
    _, folder = unzipped
    records = _records(folder)
    (revisit,) = [r for r in records if r[0] == "revisit"]
    _, uri, _, headers, http, _ = revisit
    home = next(r for r in records if r[0] == "response" and r[1] == BASE + "index.html")
    assert uri == BASE
    assert headers.get_header("WARC-Refers-To-Target-URI") == BASE + "index.html"
    assert headers.get_header("WARC-Refers-To-Date") == home[2]
    assert headers.get_header("WARC-Payload-Digest") == home[3].get_header("WARC-Payload-Digest")
    assert "identical-payload-digest" in headers.get_header("WARC-Profile")
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"


def test_the_wacz_lists_the_pages_with_titles_and_the_base_url_as_main_page(unzipped):
    site, folder = unzipped
    with zipfile.ZipFile(folder / f"data/{STEM}.wacz") as wacz:
        package = json.loads(wacz.read("datapackage.json"))
        lines = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode("utf-8").splitlines()]
        index = gzip.decompress(wacz.read("indexes/index.cdx.gz")).decode("utf-8")
    assert package["mainPageURL"] == BASE and package["title"] == "시험 예산 사이트"
    assert package["description"] == "테스트용으로 만든 작은 예산 자료입니다."
    header, pages = lines[0], lines[1:]
    assert header["format"] == "json-pages-1.0"
    assert (pages[0]["url"], pages[0]["title"]) == (BASE, "시험 예산 사이트")
    html = [rel for rel in _files(site) if rel.endswith(".html") and rel not in ("index.html", "404.html")
            and b'name="robots" content="noindex' not in (site / rel).read_bytes()]
    assert sorted(p["url"] for p in pages[1:]) == sorted(BASE + rel for rel in html)
    project = next(p for p in pages if p["url"] == BASE + "projects/map-platform/index.html")
    assert "지도 플랫폼 운영" in project["title"]
    assert all(p["ts"].startswith(TODAY) for p in pages)
    assert index.count("\n") == len(_files(site)) + 1  # the index ReplayWeb.page reads: every file and the base URL


def test_an_archive_at_a_placeholder_address_says_so(content, tmp_path, capsys):
    status = main(["archive", "--no-svg", "--content", str(content), "--sources", str(FIXTURE_SOURCES),
                   "--out", str(tmp_path / "site"), "--archive-dir", str(tmp_path / "archives")])
    assert status == 0  # kept: it still opens from file://
    assert "자리표시 주소" in capsys.readouterr().err


def test_a_base_url_given_on_the_command_line_is_the_one_archived(content, tmp_path, capsys):
    status = main(["archive", "--no-svg", "--content", str(content), "--sources", str(FIXTURE_SOURCES),
                   "--out", str(tmp_path / "site"), "--archive-dir", str(tmp_path / "archives"),
                   "--base-url", "https://city.github.io/budget"])  # no / at the end: taken as the build takes it
    assert status == 0
    (made,) = (tmp_path / "archives").iterdir()
    with zipfile.ZipFile(made) as z:
        z.extractall(tmp_path / "out")
    folder = tmp_path / "out" / made.stem
    info = bagit.Bag(str(folder)).info
    assert info["External-Identifier"] == "https://city.github.io/budget/"
    assert info["Contact-URL"] == "https://github.com/city/budget/issues/new"  # as the built pages' 「오류 제보」
    with zipfile.ZipFile(folder / f"data/{made.stem}.wacz") as wacz, wacz.open(f"archive/{made.stem}.warc.gz") as stream:
        urls = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream) if r.rec_type != "warcinfo"}
    assert "https://city.github.io/budget/index.html" in urls
    assert all(url.startswith("https://city.github.io/budget/") for url in urls)
    assert "자리표시 주소" not in capsys.readouterr().err


def test_the_same_site_the_same_day_gives_the_same_warc(fixture_site, tmp_path):
    day = date(2026, 12, 7)
    about = archive.About("시험", BASE)
    warcs = []
    for n in (1, 2):
        made = archive.make_archive(fixture_site, tmp_path / str(n), about, day)
        with zipfile.ZipFile(made) as z, zipfile.ZipFile(z.open("budget-site-2026-12-07/data/budget-site-2026-12-07.wacz")) as w:
            warcs.append(w.read("archive/budget-site-2026-12-07.warc.gz"))
    assert warcs[0] == warcs[1]


# Made offline, and safely


def test_nothing_leaves_the_machine(fixture_site, tmp_path, monkeypatch, capsys):
    """py-wacz canonicalises URLs with surt, which can ask tldextract for the
    public suffix list online: the archive must never do so."""
    tried = []

    def refuse(*args, **kwargs):
        tried.append(args)
        raise OSError("no network in this test")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse)
    # A description that starts like an option, too: py-wacz is given it as --desc=….
    about = archive.About("시험", BASE, "-- 줄표로 시작하는 설명")
    made = archive.make_archive(fixture_site, tmp_path / "archives", about)
    with zipfile.ZipFile(made) as z:
        z.extractall(tmp_path / "out")
    folder = tmp_path / "out" / made.stem
    assert bagit.Bag(str(folder)).is_valid()
    with zipfile.ZipFile(folder / f"data/{made.stem}.wacz") as wacz:
        assert json.loads(wacz.read("datapackage.json"))["description"] == "-- 줄표로 시작하는 설명"
    from wacz.main import main as wacz_main  # its validation too
    assert wacz_main(["validate", "-f", str(folder / f"data/{made.stem}.wacz")]) == 0
    assert tried == []


@pytest.mark.parametrize("stage", ["the web archive", "the zip"])
def test_a_failure_or_ctrl_c_leaves_no_half_archive_and_touches_nothing_else(tmp_path, monkeypatch, stage):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>처음</title>", encoding="utf-8")
    archives = tmp_path / "archives"
    archives.mkdir()
    (archives / "budget-site-2026-12-06.zip").write_bytes(b"an older archive")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(*((warc, "make_wacz") if stage == "the web archive" else (archive, "_zip")), interrupt)
    with pytest.raises(KeyboardInterrupt):
        archive.make_archive(site, archives, archive.About("시험", BASE), date(2026, 12, 7))
    assert [p.name for p in archives.iterdir()] == ["budget-site-2026-12-06.zip"]
    assert (archives / "budget-site-2026-12-06.zip").read_bytes() == b"an older archive"


def test_a_second_archive_the_same_day_never_overwrites_the_first(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("one", encoding="utf-8")
    day = date(2026, 12, 7)
    about = archive.About("시험", "https://example.org/")
    first = archive.make_archive(site, tmp_path / "archives", about, day)
    (site / "index.html").write_text("two", encoding="utf-8")
    second = archive.make_archive(site, tmp_path / "archives", about, day)
    assert (first.name, second.name) == ("budget-site-2026-12-07.zip", "budget-site-2026-12-07-2.zip")
    with zipfile.ZipFile(first) as z:
        assert z.read("budget-site-2026-12-07/data/site/index.html") == b"one"  # untouched
    with zipfile.ZipFile(second) as z:
        assert z.read("budget-site-2026-12-07/data/site/index.html") == b"two"
    assert {p.name for p in (tmp_path / "archives").iterdir()} == {first.name, second.name}  # no leftovers


def test_the_wacz_is_stored_not_deflated_again(unzipped, tmp_path):
    site, _ = unzipped
    made = archive.make_archive(site, tmp_path, archive.About("시험", BASE))
    with zipfile.ZipFile(made) as z:
        kinds = {info.filename.rsplit(".", 1)[-1]: info.compress_type for info in z.infolist()}
        sums = z.read(f"{made.stem}/{archive.MANIFEST}").decode("utf-8")
        wacz = z.read(f"{made.stem}/data/{made.stem}.wacz")
    assert kinds["wacz"] == zipfile.ZIP_STORED and kinds["html"] == zipfile.ZIP_DEFLATED
    assert f"{hashlib.sha256(wacz).hexdigest()}  data/{made.stem}.wacz\n" in sums


# The site inside


def test_unzipped_archive_works_from_file_url(browser, unzipped):  # noqa: F811
    _, folder = unzipped
    site = folder / "data/site"
    for path in ("index.html", "projects/map-platform/index.html", "compare/index.html"):
        r = visit(browser, site, path)
        assert r["errors"] == [] and r["outside"] == [], path
        assert r["live_svgs"] == r["charts"]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto((site / "projects/map-platform/index.html").resolve().as_uri())
    page.fill("#site-search-input", "ㅈㄷ")
    page.locator("#site-search-results a", has_text="지도 플랫폼 운영").first.click()
    page.wait_for_url("**/projects/map-platform/index.html")
    with page.expect_download() as d:
        page.locator('[data-table="budget"] a[data-format="csv"]').click()  # made in the browser
    assert open(d.value.path(), "rb").read().startswith(b"\xef\xbb\xbf")
    context.close()
