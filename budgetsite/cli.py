"""The command line: build (default), check, serve."""
from __future__ import annotations

import argparse
import logging
import re
import signal
import sys
from collections import Counter
import threading
import time
from functools import partial
from pathlib import Path

from . import archive, coverage, freshness
from .pipeline import Paths, build, check, settle
from .problems import ContentError, SettingError
from .watch import InputWatch, SiteWatch
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


def cmd_build(paths: Paths, base_url: str | None = None, drawings: bool = True, loaded: dict | None = None,
              in_place: bool = False, watch: SiteWatch | None = None, saved: set[str] | None = None,
              quiet_if_unchanged: bool = False) -> int:
    started = time.perf_counter()
    before = freshness.last_record(paths)
    try:
        n = build(paths, progress=_progress_bar(), base_url=base_url, drawings=drawings, loaded=loaded,
                  in_place=in_place, watch=watch, saved=saved)
    except ContentError as e:
        return _report(e)
    except SettingError as e:
        print(e, file=sys.stderr)
        return 2
    if quiet_if_unchanged and freshness.last_record(paths) is before:
        return 0  # nothing to do: nothing to say
    print(f"{paths.out}에 파일 {n}개를 만들었습니다 ({time.perf_counter() - started:.1f}초).")
    return 0


def cmd_archive(paths: Paths, archive_dir: Path, base_url: str | None, drawings: bool = True) -> int:
    """Build, then zip the fresh site with its manifest."""
    status = cmd_build(paths, base_url, drawings)
    if status:
        return status
    site = check(paths)
    target = archive.make_archive(paths.out, archive_dir, site.title, base_url or site.base_url)
    print(f"보관용 사본: {target} (압축을 풀고 '{archive.MANIFEST}'로 확인: sha256sum -c {archive.MANIFEST})")
    return 0


def cmd_check(paths: Paths) -> int:
    tally = Counter()
    try:
        site = check(paths, tally)
    except ContentError as e:
        return _report(e)
    figures = sum(len(p.figures.all) for p in site.projects.values())
    print(f"문제 없음: 부서 {len(site.departments)}개, 사업 {len(site.projects)}개, 사업 금액 {figures}건.")
    print()
    print(coverage.report(site, tally))
    return 0


def _input_folders(paths: Paths) -> list[Path]:
    return [paths.content, paths.sources, paths.templates, paths.static, paths.root / "schemas"]


def _watched_state(paths: Paths) -> list[tuple]:
    """Each input file with its modification time and size: by scandir and
    strings (rglob and a Path for each took 0.16 s at 10,000 projects)."""
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
    # Kept between rebuilds: files already read, and (in the modules) compiled
    # templates and chart shapes, so an edit is rebuilt in a fraction of a second.
    # Files are replaced one by one (in place), not the whole folder: a
    # preview does not need the all-at-once swap a published site gets.
    # The watch on site/ tells what was changed there by hand, without a walk;
    # the one on the inputs, what was saved, as it happens.
    # watchdog's own warnings (events lost when its 20,000 watches on site/
    # close at Ctrl+C) are handled here: a lost event means a walk.
    logging.getLogger("watchdog").setLevel(logging.ERROR)
    try:  # before watching or serving anything: a folder not ours is never served or rewritten
        check_output_folder(paths.out, [paths.root, paths.content, paths.templates, paths.static, paths.sources])
    except SettingError as e:
        print(e, file=sys.stderr)
        return 2
    loaded: dict = {}
    watch = SiteWatch(paths.out)
    inputs = InputWatch(_input_folders(paths))  # before the first build: a save during it is seen
    cmd_build(paths, drawings=drawings, loaded=loaded, in_place=True, watch=watch)
    settle()
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer  # serve only
    handler = partial(SimpleHTTPRequestHandler, directory=str(paths.out))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{port}/index.html 에서 보고 있습니다. 내용을 고치면 다시 만듭니다. 끝내려면 Ctrl+C.", flush=True)
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
            if cmd_build(paths, drawings=drawings, loaded=loaded, in_place=True, watch=watch, saved=unbuilt,
                         quiet_if_unchanged=not noticed) == 0:
                unbuilt = set()
            settle()
    except KeyboardInterrupt:
        server.shutdown()
        watch.stop()
        inputs.stop()
    return 0


# An absolute http(s) address, nothing else (no javascript:, no newline that
# would reach robots.txt): scheme, host, an optional path, and no query.
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?")


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (a CI timeout, systemd) cleans up as Ctrl+C does


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("중단했습니다. 게시된 사이트는 그대로입니다.", file=sys.stderr)
        return 130


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="예산 사이트를 만듭니다.")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "serve", "archive"],
                        help="build: site/를 만듭니다 (기본). check: 내용만 검사합니다. serve: 만들고 보여 줍니다. "
                             "archive: 만든 뒤 날짜가 붙은 보관용 zip(SHA-256 목록 포함)을 씁니다.")
    parser.add_argument("--out", type=Path, help="출력 폴더 (기본: site/)")
    parser.add_argument("--content", type=Path, help="내용 폴더 (기본: content/)")
    parser.add_argument("--sources", type=Path, help="원문 텍스트 폴더 (기본: ../shared/sources)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--archive-dir", type=Path, default=Path("archives"), help="archive가 zip을 쓰는 폴더 (기본: archives/)")
    parser.add_argument("--no-svg", dest="drawings", action="store_false",
                        help="차트의 SVG를 미리 그려 두지 않습니다. 큰 자료를 빨리 만들 때 씁니다: 차트는 브라우저가 그리고, "
                             "JavaScript가 없으면 표와 설명 문장이 남습니다.")
    parser.add_argument("--base-url", help="사이트가 게시될 주소 (기본: content/site.yaml의 base_url). "
                                           "정식 주소(canonical), sitemap.xml, 404.html의 링크에 씁니다.")
    args = parser.parse_args(argv)
    if args.base_url is not None and not _BASE_URL.fullmatch(args.base_url):
        print(f"--base-url {args.base_url!r}은(는) 쓸 수 없습니다: http:// 또는 https://로 시작하는 절대 주소를 "
              f"공백·줄바꿈 없이 주세요 (예: https://city.github.io/budget/).", file=sys.stderr)
        return 2
    paths = Paths.default(content=args.content, sources=args.sources, out=args.out)
    if args.command == "check":
        return cmd_check(paths)
    if args.command == "archive":
        return cmd_archive(paths, args.archive_dir, args.base_url, args.drawings)
    if args.command == "serve":
        return cmd_serve(paths, args.port, args.drawings)
    return cmd_build(paths, args.base_url, args.drawings)
