"""The command line: build (default), check, serve."""
from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path

from . import archive, coverage, editions, serve, shards, workers
from .model import placeholder_url
from .pipeline import Builder, Paths, check
from .problems import ContentError, SettingError
from .warc import WaczError
from .watch import InputWatch
from .write import check_output_folder, scan


def _report(error: ContentError) -> int:
    print(f"내용에 문제가 {len(error.problems)}개 있습니다. site/는 바뀌지 않았습니다.", file=sys.stderr)
    for p in error.problems:
        print(f"  {p}", file=sys.stderr)
    return 1


def _progress_bar():
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return partial(tqdm, desc="페이지", unit="쪽", leave=False)


def cmd_build(builder: Builder, saved: set[str] | None = None, quiet_if_unchanged: bool = False) -> int:
    started = time.perf_counter()
    before = builder.record.last()
    try:
        n = builder.build(saved)
    except (ContentError, SettingError) as e:
        return _refused(e)
    if quiet_if_unchanged and builder.record.last() is before:
        return 0  # nothing to do: nothing to say
    shard = f"조각 {builder.shard}: " if builder.shard else ""
    _say(f"{shard}{builder.paths.out}에 파일 {n}개를 만들었습니다 ({time.perf_counter() - started:.1f}초).")
    return 0


def cmd_merge(builder: Builder, parts: list[Path]) -> int:
    """Put the shards' folders together into one site (shards.py)."""
    started = time.perf_counter()
    try:
        n = builder.merge(parts)
    except (ContentError, SettingError) as e:
        return _refused(e)
    _say(f"조각 {len(parts)}개를 합쳐 {builder.paths.out}에 파일 {n}개를 만들었습니다 "
         f"({time.perf_counter() - started:.1f}초).")
    return 0


def _refused(e: ContentError | SettingError) -> int:
    """What a build or merge that did not start says: the content's problems (1), or the setting's (2)."""
    if isinstance(e, ContentError):
        return _report(e)
    print(e, file=sys.stderr)
    return 2


def _say(line: str) -> None:
    """Report what is done: the site is already in place, so a closed pipe
    (build.py | head -0) is no failure of the build."""
    try:
        print(line, flush=True)
    except (BrokenPipeError, ValueError):
        pass


def cmd_archive(paths: Paths, archive_dir: Path, base_url: str | None, drawings: bool = True) -> int:
    """Build, then write the archive (a zipped BagIt bag of the fresh site,
    its data package and a WACZ of it). The archive folder is tried first:
    one that cannot be written stops before the build."""
    try:
        archive.writable_folder(archive_dir)
    except SettingError as e:
        print(e, file=sys.stderr)
        return 2
    status = cmd_build(Builder(paths, base_url=base_url, drawings=drawings, progress=_progress_bar()))
    if status:
        return status
    site = check(paths)
    if base_url:  # as the build took it, so the archive names the addresses the site was built for
        site.base_url = base_url.rstrip("/") + "/"
    try:
        target = archive.make_archive(paths.out, archive_dir, archive.About.of(site))
    except (OSError, WaczError) as e:
        problem = _os_problem(e) if isinstance(e, OSError) else str(e)
        print(f"사이트는 {paths.out}에 만들었지만 보관본은 쓰지 못했습니다: {problem}", file=sys.stderr)
        return 1
    if placeholder_url(site.base_url):
        # Kept, as a local copy still opens from file://; but its web archive replays at nobody's address.
        print(f"알림: 기본 주소 {site.base_url}은(는) 자리표시 주소라, 보관본의 웹 아카이브(WACZ)와 bag-info.txt가 "
              f"실제로 게시된 주소를 가리키지 않습니다. 게시한 주소로 만들려면 --base-url을 주세요.", file=sys.stderr)
    _say(f"보관용 사본: {target} (BagIt 가방. 압축을 푼 폴더에서 sha256sum -c {archive.MANIFEST} 또는 "
         f"bagit.py --validate . 로 확인합니다. 무엇이 들었고 어떻게 다시 보는지는 그 안의 {archive.README})")
    return 0


def cmd_edition(paths: Paths) -> int:
    """Close the current edition: keep what it published in content/editions/<date>/."""
    try:
        site = check(paths)
    except ContentError as e:
        return _report(e)
    try:
        folder = editions.close(paths.content, site)
    except SettingError as e:
        print(e, file=sys.stderr)
        return 2
    _say(f"{site.edition['date'] if site.edition else ''} 판을 {folder}에 보관했습니다(budget.csv, revenue.csv). "
         f"edition.yaml의 summary에 이 판에서 바뀐 것을 우리 말로 적고, 다음 판을 시작할 때 "
         f"content/site.yaml의 edition을 새 날짜와 이름으로 바꾸세요.")
    return 0


def cmd_check(paths: Paths) -> int:
    tally: Counter[tuple[str, str]] = Counter()
    try:
        site = check(paths, tally)
    except ContentError as e:
        return _report(e)
    figures = sum(len(p.figures.all) for p in site.projects.values())
    print(f"문제 없음: 부서 {len(site.departments)}개, 사업 {len(site.projects)}개, 사업 금액 {figures}건.")
    print()
    print(coverage.report(site, tally))
    return 0


def cmd_export(paths: Paths, target: Path | None) -> int:
    if target is None:
        print("export에는 쓸 파일을 주세요: python build.py export --xlsx 예산.xlsx", file=sys.stderr)
        return 2
    from .workbook import export  # openpyxl only for the commands that use it
    rows = export(paths.content, target)
    _say(f"{target}에 {rows}행을 썼습니다. 고친 뒤 python build.py import {target} 로 읽어 들입니다.")
    return 0


def cmd_import(paths: Paths, source: Path | None) -> int:
    if source is None or not source.is_file():
        print(f"import에는 읽을 엑셀 파일을 주세요{f' ({source}: 파일이 없습니다)' if source else ''}: "
              f"python build.py import 예산.xlsx", file=sys.stderr)
        return 2
    from .workbook import import_workbook
    result = import_workbook(paths, source)
    for notice in result.notices:
        print(f"알림: {notice}", file=sys.stderr)
    if result.problems:
        print(f"통합 문서에 문제가 {len(result.problems)}개 있습니다. {paths.content}는 바뀌지 않았습니다.", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if not result.files:
        _say(f"바뀐 행이 없습니다. {paths.content}는 그대로입니다.")
        return 0
    _say(f"고친 행 {result.changed}개, 더한 행 {result.added}개를 파일 {len(result.files)}개에 썼습니다 "
         f"(검사 통과): {', '.join(result.files)}")
    return 0


def _input_folders(paths: Paths) -> list[Path]:
    return [paths.content, paths.sources, paths.templates, paths.static, paths.schemas]


def _watched_state(paths: Paths) -> list[tuple]:
    """Each input file with its modification time and size: by scandir and
    strings (rglob and a Path for each were slow with many projects)."""
    files = []
    for folder in _input_folders(paths):
        for _, entry in scan(folder):
            try:
                st = entry.stat()
            except OSError:  # a link to nothing, or removed while looking
                continue
            files.append((entry.path, st.st_mtime_ns, st.st_size))
    return sorted(files)  # a folder's order may change with nothing changed


# With no watch on the inputs, serve looks at every input file this often;
# with one, now and then too, for what a watch cannot see (a linked file's
# target changed, a folder on a network drive).
POLL_SECONDS = 0.25
LOOK_SECONDS = 2.0


def cmd_serve(paths: Paths, port: int, drawings: bool = True) -> int:
    # One Builder for the session: it keeps the files already read and what
    # was made of them (and the modules keep compiled templates and chart
    # shapes), so an edit is rebuilt quickly.
    # It builds into a folder of its own (.build-cache/preview/), as MkDocs and
    # Hugo serve apart from the published site: nobody else writes there, so
    # the session trusts its record instead of watching the folder for hand
    # edits, and site/ is left to build. Files are replaced one by one (in
    # place): a preview does not need the all-at-once swap a published site gets.
    # The watch on the inputs tells what was saved, as it happens.
    logging.getLogger("watchdog").setLevel(logging.ERROR)
    try:  # before watching or building anything: a folder not ours is never served or rewritten,
        # and a port that cannot be used is told before the wait for a build (answered after it)
        check_output_folder(paths.out, paths.protected)
        server = serve.bind(port, paths.out)
    except SettingError as e:
        print(e, file=sys.stderr)
        return 2
    inputs = InputWatch(_input_folders(paths))  # before the first build: a save during it is seen
    builder = Builder(paths, drawings=drawings, progress=_progress_bar(), serve=True)

    def rebuilt(saved: set[str] | None, quiet: bool = False) -> bool:
        # Whatever fails (a full disk, a template, a bug), the preview goes on
        # with the last site made: the next save is the next try.
        try:
            with builder.edit():
                status = cmd_build(builder, saved, quiet_if_unchanged=quiet)
        except Exception as e:
            why = _os_problem(e) if isinstance(e, OSError) else f"{type(e).__name__}: {' '.join(str(e).split())}"
            print(f"사이트를 만들지 못했습니다 ({why}). "
                  f"{paths.out}은(는) 마지막으로 만든 그대로 보여 줍니다. 고친 뒤 저장하면 다시 만듭니다.",
                  file=sys.stderr, flush=True)
            return False
        return status == 0

    rebuilt(None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_port}/index.html 에서 보고 있습니다. 내용을 고치면 다시 만듭니다. "
          f"끝내려면 Ctrl+C.", flush=True)
    state = _watched_state(paths)
    unbuilt: set[str] | None = set()  # saved, not yet built without error; None: not known
    try:
        while True:
            if inputs.working:
                noticed = inputs.wait(LOOK_SECONDS)
            else:
                time.sleep(POLL_SECONDS)
                noticed = False
            if noticed:
                taken = inputs.take()
                unbuilt = None if taken is None or unbuilt is None else unbuilt | taken
            else:
                # The state of the last look, not of the last build: what the
                # watch saw shows here too, and a build that reads every file
                # finds it already built, but what it could not see is built.
                now = _watched_state(paths)
                if now == state:
                    continue
                state, unbuilt = now, None
            if rebuilt(unbuilt, quiet=not noticed):
                unbuilt = set()
    except KeyboardInterrupt:
        server.shutdown()
        server.server_close()
        inputs.stop()
    return 0


# An absolute http(s) address, nothing else (no javascript:, no newline that
# would reach robots.txt): scheme, host, an optional path, and no query.
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?")


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (a CI timeout, systemd) cleans up as Ctrl+C does


def _os_problem(e: OSError) -> str:
    """A failure of the machine (disk, permissions), said with the file it
    concerns and what to do."""
    where = f"{e.filename}: " if e.filename else ""
    if e.errno == errno.ENOSPC:
        return f"{where}디스크에 빈 자리가 없습니다. 자리를 비운 뒤 다시 실행하세요"
    if e.errno == errno.EDQUOT:
        return f"{where}디스크 할당량을 다 썼습니다. 자리를 비운 뒤 다시 실행하세요"
    if e.errno in (errno.EACCES, errno.EPERM):
        return (f"{where}권한이 없습니다. 이 파일·폴더의 주인과 권한을 확인하세요"
                "(다른 사용자가 만든 .build-cache라면 지워도 됩니다)")
    if e.errno == errno.EROFS:
        return f"{where}읽기 전용 파일 시스템이라 쓸 수 없습니다. 쓸 수 있는 곳을 고르세요"
    if e.errno == errno.ENOENT:
        return f"{where}파일이나 폴더가 없습니다"
    if e.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
        return f"{where}폴더와 파일이 서로 다른 자리에 있습니다(폴더 자리에 파일, 또는 그 반대). 그 자리의 것을 옮기세요"
    return f"{where}파일 작업이 실패했습니다({errno.errorcode.get(e.errno or 0, '')} {e.strerror or e})"


# Where the details of a failure nobody foresaw are kept, for a bug report.
ERROR_REPORT = "last-error.txt"


def _unforeseen(error: BaseException) -> None:
    report = Paths.default().cache / ERROR_REPORT
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
        kept = f" 자세한 내용은 {report}에 있습니다(문제를 알릴 때 붙여 주세요)."
    except OSError:
        kept = ""
    print(f"예상하지 못한 오류로 멈췄습니다: {type(error).__name__}: {error}.{kept} "
          f"게시된 사이트는 바뀌지 않았습니다.", file=sys.stderr)
    if os.environ.get("BUDGETSITE_DEBUG"):
        traceback.print_exception(error)


def run() -> None:
    """build.py: main(), then exit. A worker pool whose workers were killed
    (Ctrl+C, SIGTERM, a failure) may have left a thread waiting on a result
    a worker never finished writing, which Python's exit would wait for
    forever: everything of the build is already cleaned up, so such a
    process exits at once."""
    status = main()
    if workers.killed_any():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    # Korean on a terminal or pipe that cannot show it (PYTHONIOENCODING=ascii,
    # an old locale) is escaped rather than a failure after the site is built.
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # TextIO's stub has none; TextIOWrapper has
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("중단했습니다. 게시된 사이트는 그대로입니다.", file=sys.stderr)
        return 130
    except SettingError as e:
        print(e, file=sys.stderr)
        return 2
    except OSError as e:
        print(f"멈췄습니다: {_os_problem(e)}. 게시된 사이트는 바뀌지 않았습니다.", file=sys.stderr)
        return 1
    except Exception as e:
        _unforeseen(e)
        return 1


class _Parser(argparse.ArgumentParser):
    """argparse, saying its complaints in Korean."""

    _SAID = [(re.compile(r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)"),
              "명령 '{1}'은(는) 없습니다. 다음 중 하나를 쓰세요: {2}"),
             (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "{0}에는 정수를 주세요 (입력값: '{1}')"),
             (re.compile(r"argument (\S+): expected one argument"), "{0} 뒤에 값을 주세요"),
             (re.compile(r"unrecognized arguments: (.*)"), "알 수 없는 옵션입니다: {0}"),
             (re.compile(r"argument (\S+): ambiguous option: (\S+)"), "옵션 {1}이(가) 여럿과 맞습니다. 이름을 끝까지 쓰세요")]

    def error(self, message: str):
        said = next((korean.format(*m.groups()) for pattern, korean in self._SAID if (m := pattern.match(message))),
                    message)
        self.exit(2, f"{said}\n쓰는 법: ./build.sh --help\n")


def _main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="build.py", description="예산 사이트를 만듭니다.")
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "check", "serve", "archive", "export", "import", "edition", "merge"],
                        help="build: site/를 만듭니다 (기본). check: 내용만 검사합니다. serve: 만들고 보여 줍니다. "
                             "archive: 만든 뒤 날짜가 붙은 보관용 zip(BagIt 가방: 사이트, 데이터 패키지, 웹 아카이브 WACZ, "
                             "SHA-256 목록)을 씁니다. edition: 지금 판을 닫아 그 판이 게시한 budget.csv·revenue.csv를 "
                             "content/editions/<판 날짜>/에 보관합니다(이미 있으면 덮어쓰지 않음). "
                             "merge: --shard K/N으로 만든 조각 폴더들을 합쳐 한 번에 만든 것과 같은 사이트를 씁니다.")
    parser.add_argument("file", nargs="*", type=Path,
                        help="import가 읽을 엑셀 통합 문서(.xlsx), 또는 merge가 합칠 조각 폴더들")
    parser.add_argument("--xlsx", type=Path, help="export가 쓸 엑셀 통합 문서(.xlsx): 사업 금액, 부서 합계, 세입을 시트마다")
    parser.add_argument("--out", type=Path, help="출력 폴더 (기본: site/)")
    parser.add_argument("--content", type=Path, help="내용 폴더 (기본: content/)")
    parser.add_argument("--sources", type=Path, help="원문 텍스트 폴더 (기본: ../shared/sources)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--archive-dir", type=Path, help="archive가 zip을 쓰는 폴더 (기본: 프로젝트의 archives/)")
    parser.add_argument("--without-sources", action="store_true",
                        help="원문 텍스트 없이 만듭니다: 원문 줄 대조를 건너뜁니다 (원문을 둘 수 없는 GitHub Pages 빌드용)")
    parser.add_argument("--no-svg", dest="drawings", action="store_false",
                        help="차트의 SVG를 미리 그려 두지 않습니다. 큰 자료를 빨리 만들 때 씁니다: 차트는 브라우저가 그리고, "
                             "JavaScript가 없으면 표와 설명 문장이 남습니다.")
    parser.add_argument("--base-url", help="사이트가 게시될 주소 (기본: content/site.yaml의 base_url). "
                                           "정식 주소(canonical), sitemap.xml, 404.html의 링크에 씁니다.")
    parser.add_argument("--shard", metavar="K/N", type=shards.Shard.parse,
                        help="쪽을 N개 조각으로 나눠 K번째만 만듭니다 (여러 기계에서 나눠 만들 때). "
                             "조각마다 다른 --out을 주고, 모두 만든 뒤 merge로 합칩니다.")
    parser.add_argument("--pages", action="store_true",
                        help="게시용 빌드(GitHub Pages 워크플로): 자리표시 주소(example.*)를 base_url로 쓰면 만들지 않습니다.")
    args = parser.parse_args(argv)
    if args.file and (args.command not in ("import", "export", "merge") or
                      (args.command != "merge" and len(args.file) > 1)):
        parser.error(f"unrecognized arguments: {' '.join(map(str, args.file))}")  # only these take files
    if args.shard and args.command != "build":
        parser.error(f"unrecognized arguments: --shard {args.shard}")  # a part of a site is only built
    workbook = args.file[0] if args.file and args.command != "merge" else None
    if args.base_url is not None and not _BASE_URL.fullmatch(args.base_url):
        print(f"--base-url {args.base_url!r}은(는) 쓸 수 없습니다: http:// 또는 https://로 시작하는 절대 주소를 "
              f"공백·줄바꿈 없이 주세요 (예: https://city.github.io/budget/).", file=sys.stderr)
        return 2
    paths = Paths.default(content=args.content, sources=args.sources, out=args.out)
    _finish_import(paths)
    if args.command == "export":
        return cmd_export(paths, args.xlsx or workbook)
    if (status := _sources_present(paths, given=args.sources is not None, without=args.without_sources)):
        return status
    if args.command == "check":
        return cmd_check(paths)
    if args.command == "import":
        return cmd_import(paths, workbook or args.xlsx)
    if args.command == "edition":
        return cmd_edition(paths)
    if args.command == "archive":
        return cmd_archive(paths, args.archive_dir or paths.root / "archives", args.base_url, args.drawings)
    if args.command == "serve":
        # Its own folder unless told otherwise: site/ is what build publishes.
        return cmd_serve(paths if args.out else replace(paths, out=paths.preview), args.port, args.drawings)
    if args.command == "merge":
        return cmd_merge(Builder(paths, base_url=args.base_url, drawings=args.drawings, pages=args.pages), args.file)
    return cmd_build(Builder(paths, base_url=args.base_url, drawings=args.drawings, progress=_progress_bar(),
                             pages=args.pages, shard=args.shard))


def _finish_import(paths: Paths) -> None:
    """An import a kill stopped while putting its files in place is finished
    before anything reads content/ (workbook/journal.py)."""
    from .workbook import journal
    if paths.content.is_dir() and (finished := journal.finish(paths.content)):
        way, files = finished
        print(f"알림: 중간에 멈춘 가져오기(import)를 {'마쳤습니다' if way == 'new' else '되돌렸습니다'}: "
              f"{', '.join(files) or '바꿀 파일 없음'}", file=sys.stderr)


def _sources_present(paths: Paths, given: bool, without: bool) -> int:
    """Without the source texts every check of a line against them is
    skipped: never in silence, and in CI not at all unless asked for."""
    if paths.sources.is_dir() or without:
        return 0
    if given:
        print(f"--sources {paths.sources}: 폴더가 없습니다. 원문 텍스트 폴더의 경로를 확인하세요.", file=sys.stderr)
        return 2
    if os.environ.get("CI"):
        print(f"원문 텍스트 폴더({paths.sources})가 없습니다. CI에서는 원문 대조를 건너뛰지 않습니다: 폴더를 두거나 "
              f"--sources로 알려 주세요. 원문 없이 만들 것이면 --without-sources를 주세요.", file=sys.stderr)
        return 2
    print(f"알림: 원문 텍스트 폴더({paths.sources})가 없어 원문 줄 대조를 건너뜁니다(--sources로 알려 줄 수 있습니다).",
          file=sys.stderr)
    return 0
