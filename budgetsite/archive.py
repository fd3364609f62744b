"""An archive in the formats archives keep: one dated zip holding a BagIt bag
(RFC 8493) whose payload is the browsable site, its data package, and a WACZ
web archive of the site as served at its base URL (warc.py). bag-info.txt
says who made it, when, which edition and under which licences; SHA256SUMS
lets anyone check every file with sha256sum alone; README.txt says what each
part is for. Unzipped anywhere, data/site/index.html opens from file:// with
everything working, because every link in the site is relative and nothing
is fetched."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import bagit

from . import warc
from .problems import SettingError

if TYPE_CHECKING:
    from .model import Licence, Publisher, Site

MANIFEST = "SHA256SUMS"
README = "README.txt"
# The bag's payload folders, under data/.
SITE = "site"
DATA_PACKAGE = "datapackage"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class About:
    """What the archive says about the site it holds."""
    title: str
    base_url: str
    description: str = ""
    publisher: Publisher | None = None
    report_url: str | None = None
    edition: Mapping[str, str] | None = None  # {date, label}
    licences: Mapping[str, Licence] = field(default_factory=dict)  # "content", "data"

    @classmethod
    def of(cls, site: Site) -> About:
        return cls(site.title, site.base_url, " ".join(site.description.split()), site.publisher, site.report_url,
                   site.edition, site.licences)


def bag_info(about: About, day: date) -> dict[str, str]:
    """bag-info.txt: RFC 8493's reserved fields where one fits, then the
    edition and the licences under names of our own."""
    info = {"Title": about.title,
            "External-Identifier": about.base_url,
            "Bagging-Date": day.isoformat(),
            "Bag-Software-Agent": f"budgetsite build.py archive, bagit.py v{bagit.VERSION} <{bagit.PROJECT_URL}>"}
    if about.description:
        info["External-Description"] = about.description
    if about.publisher:
        info["Source-Organization"] = about.publisher.name
        if about.publisher.url:
            info["Source-Organization-URL"] = about.publisher.url
        if about.publisher.email:
            info["Contact-Email"] = about.publisher.email
    if about.report_url:
        info["Contact-URL"] = about.report_url  # where a reader reports an error
    if about.edition:
        info["Edition-Date"] = about.edition["date"]
        info["Edition-Label"] = about.edition["label"]
    for kind, name in (("content", "Content-License"), ("data", "Data-License")):
        if (licence := about.licences.get(kind)):
            info[name] = f"{licence.name} ({licence.spdx}) <{licence.url}>"
    return info


def _readme(about: About, day: date, stem: str, files: int) -> str:
    wacz = f"data/{stem}.wacz"
    edition = f"판: {about.edition['label']} ({about.edition['date']})\n" if about.edition else ""
    publisher = f"펴낸 곳: {about.publisher.name}\n" if about.publisher else ""
    return f"""{about.title} — 보관용 사본 (archive copy)

만든 날: {day.isoformat()}
원래 주소: {about.base_url}
{edition}{publisher}
이 폴더는 BagIt 가방(RFC 8493)입니다. 들어 있는 것:
  data/{SITE}/
      사이트 전체(파일 {files}개). data/{SITE}/index.html을 브라우저로 여세요. 인터넷 연결이 없어도
      차트, 표, 검색, 표 내려받기가 모두 동작합니다.
  data/{DATA_PACKAGE}/
      데이터 패키지(Frictionless): datapackage.json과 그것이 설명하는 CSV. 사이트의 data/에
      게시한 것과 같은 파일입니다.
  {wacz}
      웹 아카이브(WACZ): 사이트의 모든 파일을 원래 주소({about.base_url}…)에서 내주는 그대로
      담은 WARC 기록과 그 색인. 아래 「다시 보기」.
  bagit.txt, bag-info.txt
      BagIt의 판과 가방의 설명: 펴낸 곳, 날짜, 사이트의 판, 사이트 설명, 라이선스.
  manifest-sha256.txt, tagmanifest-sha256.txt
      data/ 안 모든 파일의 SHA-256, 그리고 가방의 다른 파일(이 README 포함)의 SHA-256.
  {MANIFEST}
      이 폴더의 모든 파일(이 파일 빼고)의 SHA-256. 보관 도구 없이 sha256sum으로 확인하는 목록입니다.

확인하는 법: 이 폴더에서
  sha256sum -c {MANIFEST}          (Linux)
  shasum -a 256 -c {MANIFEST}      (macOS)
를 실행하면 모든 파일이 만든 날 그대로인지 확인합니다. 모든 줄이 OK여야 합니다.
Windows에서는 PowerShell의 Get-FileHash <파일> -Algorithm SHA256 값을 {MANIFEST}의 값과 비교하세요.
보관 도구가 있으면:
  bagit.py --validate .
      (pip install bagit) 가방 전체: 빠진 파일, 더해진 파일, 바뀐 파일을 찾습니다.
  wacz validate -f {wacz}
      (pip install wacz) 웹 아카이브 안의 목록과 해시를 확인합니다.

다시 보기: https://replayweb.page 에서 {wacz} 파일을 여세요(파일은 이 컴퓨터 안에서만 읽힙니다).
쪽마다 원래 주소로 보입니다. pywb에서는
  wb-manager init budget && wb-manager add budget {wacz} && wayback
뒤 http://localhost:8080/budget/{about.base_url} 를 여세요.

What this is: a BagIt bag (RFC 8493) holding a self-contained copy of the site above,
its data package and a WACZ web archive of it, made on {day.isoformat()}. Open
data/{SITE}/index.html; it needs no network. To verify, run `sha256sum -c {MANIFEST}` here
(every line must say OK), or `bagit.py --validate .` and `wacz validate -f {wacz}`.
To replay the site under its original URLs, open the .wacz in https://replayweb.page or pywb.
"""


def _warcinfo(about: About) -> dict[str, str]:
    return {"software": f"budgetsite build.py archive, warcio {version('warcio')}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": about.title,
            "description": f"{about.title}: 만든 사이트의 모든 파일을 {about.base_url}에서 내주는 그대로 기록했습니다"
                           f"(내려받아 모은 것이 아니라 만든 파일에서 바로).",
            "operator": about.publisher.name if about.publisher else ""}


def _entry(name: str, stamp: tuple, stored: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    # A regular file readable by all once unzipped: without the type bits
    # some unzip tools take the entry for something other than a file.
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    # The WACZ is a zip of gzipped records already: deflating it again gains nothing.
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _link_unused(made: Path, folder: Path, stem: str) -> Path:
    """Give made the first free name of stem.zip, stem-2.zip, …: a hard link
    fails rather than replace a name taken meanwhile."""
    for n in range(1, 10_000):
        target = folder / (f"{stem}.zip" if n == 1 else f"{stem}-{n}.zip")
        try:
            os.link(made, target)
            return target
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}에 {stem} 보관본이 너무 많습니다")


def writable_folder(folder: Path) -> None:
    """Make sure an archive can be written into folder, before a build:
    a SettingError, said in Korean, if not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise SettingError(f"--archive-dir {folder}: 보관본을 쓸 수 없습니다({e.strerror}). "
                           f"쓸 수 있는 폴더를 --archive-dir로 주세요") from None


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _copy(source: Path, files: list[str], into: Path) -> None:
    for rel in files:
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, into / rel)


def _data_package(data: Path) -> list[str]:
    """The data package as published in the site's data/: datapackage.json
    and the local files its resources name."""
    if not (data / "datapackage.json").is_file():
        return []
    names = {"datapackage.json"}
    for resource in json.loads((data / "datapackage.json").read_text(encoding="utf-8")).get("resources", []):
        paths = resource.get("path", [])
        for rel in [paths] if isinstance(paths, str) else paths:
            if "://" not in rel and (data / rel).resolve().is_relative_to(data.resolve()) and (data / rel).is_file():
                names.add(rel)
    return sorted(names)


def _bag(bag_dir: Path, about: About, day: date, stem: str, files: int) -> None:
    """Make bag_dir (site/, datapackage/, the .wacz) a bag, with README.txt."""
    # make_bag moves what is there into data/; it works by changing the
    # working directory for a moment, harmless here: nothing else runs.
    bag = bagit.make_bag(str(bag_dir), bag_info(about, day), checksums=["sha256"])
    if not any("%" in rel for rel in _files(bag_dir / "data")):
        # bagit-python still writes 0.97; what it made is a BagIt 1.0 bag
        # unless a name holds "%", which 1.0 would have it percent-encode.
        (bag_dir / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    (bag_dir / README).write_text(_readme(about, day, stem, files), encoding="utf-8")
    bag.save()  # the tag manifest again, now with README.txt and bagit.txt as they are


def _zip(bag_dir: Path, made: Path, stem: str, day: date) -> None:
    """Zip bag_dir as stem/, then SHA256SUMS of every file zipped, hashed
    from the very bytes that went in. Streamed a piece at a time."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)  # the same date on every entry
    sums = []
    with zipfile.ZipFile(made, "w") as z:
        for rel in _files(bag_dir):
            path = bag_dir / rel
            info = _entry(f"{stem}/{rel}", stamp, stored=rel.endswith(".wacz"))
            info.file_size = path.stat().st_size  # tells zipfile whether it needs ZIP64
            digest = hashlib.sha256()
            with path.open("rb") as source, z.open(info, "w") as target:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    target.write(chunk)
            sums.append(f"{digest.hexdigest()}  {rel}\n")
        z.writestr(_entry(f"{stem}/{MANIFEST}", stamp), "".join(sums))


def make_archive(site_dir: Path, archive_dir: Path, about: About, day: date | None = None) -> Path:
    """Write archive_dir/budget-site-<date>.zip (-2, -3, … for a later one
    the same day: an archive is never overwritten); returns its path. All is
    made in a hidden folder beside it and only the finished zip is linked
    into place, so a failure or Ctrl+C leaves nothing behind and two runs at
    once never take the same name. Other files in archive_dir are not touched."""
    day = day or date.today()
    stem = f"budget-site-{day.isoformat()}"
    files = _files(site_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{stem}-", dir=archive_dir))
    try:
        bag_dir = work / stem
        site = bag_dir / SITE
        _copy(site_dir, files, site)
        _copy(site / "data", _data_package(site / "data"), bag_dir / DATA_PACKAGE)
        # The web archive is made from the copy in the bag: what it replays is what the bag holds.
        records, pages = work / f"{stem}.warc.gz", work / "pages.jsonl"
        warc.write_warc(site, files, records, about.base_url, day, _warcinfo(about))
        pages.write_text(warc.pages_jsonl(site, files, about.base_url, day, about.title), encoding="utf-8")
        warc.make_wacz(records, pages, bag_dir / f"{stem}.wacz", about.base_url if "index.html" in files else None,
                       day, about.title, about.description)
        records.unlink()
        _bag(bag_dir, about, day, stem, len(files))
        made = work / f"{stem}.zip"
        _zip(bag_dir, made, stem, day)
        os.chmod(made, 0o644)  # readable by all, whatever the umask
        return _link_unused(made, archive_dir, stem)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def verify(folder: Path) -> list[str]:
    """Problems with an unzipped archive, as `sha256sum -c SHA256SUMS` would
    find them and more: files that differ from, are missing from, or are not
    in its SHA256SUMS. Empty when it is intact."""
    expected = {}
    for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        expected[rel] = digest
    problems = []
    present = set(_files(folder)) - {MANIFEST}
    for rel, digest in sorted(expected.items()):
        if rel not in present:
            problems.append(f"없음: {rel}")
        elif sha256((folder / rel).read_bytes()) != digest:
            problems.append(f"다름: {rel}")
    problems += [f"목록에 없음: {rel}" for rel in sorted(present - set(expected))]
    return problems
