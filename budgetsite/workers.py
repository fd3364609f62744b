"""Forked worker pools, shared by the stages that spread work over cores.

fork, not spawn: workers start with what the build already holds in memory
(content, site, charts) instead of receiving copies.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def count(jobs: int, worth_from: int, workers: int | None = None) -> int:
    """How many workers to fork for this many jobs; 0 when it is not worth it
    (too few jobs, one core, or no fork on this system)."""
    workers = workers or os.cpu_count() or 1
    if jobs < worth_from or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return workers


def collecting() -> None:
    """In a worker: collect the cycles it makes, but walk everything it has
    made and kept (caches that grow with every page) only rarely. Its full
    collections came every few hundred pages, took longer as the caches
    grew, and found nothing: much CPU wasted in a large build."""
    gc.enable()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1000)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker, first thing: be killed when the build that started it
    dies, even by kill -9, instead of waiting forever with its memory
    (Linux's PR_SET_PDEATHSIG; elsewhere the pool's own end still applies)."""
    name = ctypes.util.find_library("c")
    if name:
        try:
            ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except AttributeError:  # no prctl: not Linux
            pass
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


def _started(parent: int) -> None:
    """A worker's first steps. Ctrl+C reaches the whole process group: the
    build says it stopped, once; a worker just ends with it. (SIGTERM's
    handler, inherited from the build, would make a worker's SIGTERM a
    KeyboardInterrupt and a traceback.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


@contextmanager
def pool(workers: int, method: str = "fork"):
    """A pool of worker processes that end with the build: on any exception
    (Ctrl+C included) they are killed, not waited for, since the pool's own
    end would wait for every page still queued."""
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_started, initargs=(os.getpid(),))
    try:
        yield executor
    except BaseException:
        _kill(executor)
        raise
    executor.shutdown(wait=True)


# The threads of pools whose workers were killed (this process's, not a
# build's state): see _kill.
_KILLED: list[threading.Thread] = []


def _kill(executor: ProcessPoolExecutor) -> None:
    """Kill the pool's workers, without waiting: a worker killed while it
    wrote a result leaves the pool's thread waiting for the rest forever.
    That thread may also die of an InvalidStateError (Python 3.11 sets an
    error on futures map() already cancelled); neither is news to anyone,
    as the build's own end is said. cli.run() does not wait for it at exit."""
    thread: threading.Thread | None = getattr(executor, "_executor_manager_thread", None)
    if thread is not None:
        if not _KILLED:
            _quiet_threads(threading.excepthook)
        _KILLED.append(thread)
    for process in list((executor._processes or {}).values()):
        process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


def _quiet_threads(said) -> None:
    def hook(args) -> None:
        if args.thread not in _KILLED:
            said(args)
    threading.excepthook = hook


def killed_any() -> bool:
    """Whether a pool's workers were killed in this process: then its exit
    must not wait for the pools' threads."""
    return bool(_KILLED)


@contextmanager
def forked(workers: int):
    """A pool of forked workers. What exists when they fork is frozen, so
    their collectors skip what they inherit instead of touching (and so
    copying) every page of it."""
    gc.freeze()
    try:
        with pool(workers, "fork") as executor:
            yield executor
    finally:
        gc.unfreeze()
