"""An offline archive of the built site: one dated zip holding the site, a
SHA-256 manifest of every file, and a README saying what it is and how to
check it. Unzipped anywhere, index.html opens from file:// with everything
working, because every link in the site is relative and nothing is fetched."""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from .problems import SettingError

MANIFEST = "SHA256SUMS"
README = "README.txt"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _readme(title: str, base_url: str, day: date, files: int) -> str:
    return f"""{title} — 보관용 사본 (offline archive)

만든 날: {day.isoformat()}
원래 주소: {base_url}
파일: {files}개 (이 README와 {MANIFEST} 제외)

보는 법: 압축을 풀고 index.html을 브라우저로 여세요. 인터넷 연결이 없어도 차트, 표, 검색,
표 내려받기가 모두 동작합니다.

확인하는 법: 이 폴더에서
  sha256sum -c {MANIFEST}          (Linux)
  shasum -a 256 -c {MANIFEST}      (macOS)
를 실행하면 모든 파일이 만든 날 그대로인지 확인합니다. 모든 줄이 OK여야 합니다.
Windows에서는 PowerShell의 Get-FileHash <파일> -Algorithm SHA256 값을 {MANIFEST}의 값과 비교하세요.

What this is: a self-contained copy of the site above, built on {day.isoformat()}.
Open index.html from this folder; it needs no network. To verify, run
`sha256sum -c {MANIFEST}` here: every line must say OK.
"""


def _entry(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    # A regular file readable by all once unzipped: without the type bits
    # some unzip tools take the entry for something other than a file.
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
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


def make_archive(site_dir: Path, archive_dir: Path, title: str, base_url: str, day: date | None = None) -> Path:
    """Zip site_dir into archive_dir/budget-site-<date>.zip (-2, -3, … for a
    later one the same day: an archive is never overwritten); returns its path.
    Written beside and linked into place, so an interrupted run leaves no half
    zip and two runs at once never take the same name."""
    day = day or date.today()
    stem = f"budget-site-{day.isoformat()}"
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    archive_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}-", suffix=".zip", dir=archive_dir)
    os.close(fd)
    stamp = (day.year, day.month, day.day, 0, 0, 0)  # the same date on every entry
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            lines = []
            for path in files:
                rel = path.relative_to(site_dir).as_posix()
                data = path.read_bytes()
                lines.append(f"{sha256(data)}  {rel}\n")
                z.writestr(_entry(f"{stem}/{rel}", stamp), data)
            z.writestr(_entry(f"{stem}/{MANIFEST}", stamp), "".join(lines))
            z.writestr(_entry(f"{stem}/{README}", stamp), _readme(title, base_url, day, len(files)))
        os.chmod(tmp, 0o644)  # mkstemp makes it private
        target = _link_unused(Path(tmp), archive_dir, stem)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def verify(folder: Path) -> list[str]:
    """Problems with an unzipped archive: files that differ from, are missing
    from, or are not in its manifest. Empty when it is intact."""
    expected = {}
    for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        expected[rel] = digest
    problems = []
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST, README}
    for rel, digest in sorted(expected.items()):
        if rel not in present:
            problems.append(f"없음: {rel}")
        elif sha256((folder / rel).read_bytes()) != digest:
            problems.append(f"다름: {rel}")
    problems += [f"목록에 없음: {rel}" for rel in sorted(present - set(expected))]
    return problems
