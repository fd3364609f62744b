"""serve: an input saved, as the operating system tells it (watchdog:
inotify, FSEvents, ReadDirectoryChangesW), so a save is built as it happens.
serve's own output folder is not watched: nobody else writes there
(pipeline.Builder trusts its record of it).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    EventsLostEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
)
from watchdog.observers import Observer

# A folder's own "modified" events are left out: what changed in it has events of its own.
EVENTS = [FileCreatedEvent, FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
          DirCreatedEvent, DirDeletedEvent, DirMovedEvent, EventsLostEvent]
SAVE_SETTLES = 0.03  # quiet this long after an event: the save is done


def _paths(event) -> list[str]:
    """The paths an event is about: a move's two, any other's one."""
    return [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]


def _started(handler, folders: list[str]):
    """An observer sending handler the events under each folder; None where
    the system's watches are used up."""
    observer = Observer()
    try:
        for folder in folders:
            observer.schedule(handler, folder, recursive=True, event_filter=EVENTS)
        observer.start()
    except OSError:
        return None
    return observer


def _alive(observer) -> bool:
    return observer is not None and all(emitter.is_alive() for emitter in observer.emitters)


def _stop(observer) -> None:
    if observer is not None:
        observer.stop()
        observer.join()


class InputWatch:
    """serve: the input folders watched, so that a save is seen as it
    happens instead of by a look at every file four times a second (with
    many projects, costly while nothing changes, and slow to notice a
    save)."""

    def __init__(self, folders: list[Path]):
        self._saved = threading.Event()
        self._lock = threading.Lock()
        self._lost = False
        self._changed: set[str] = set()  # real paths saved since take()
        # Real paths of the folders watched; with no observer, serve looks instead.
        self._folders = [os.path.realpath(folder) for folder in folders if os.path.isdir(folder)]
        self._observer = _started(self, self._folders)

    @property
    def working(self) -> bool:
        return not self._lost and _alive(self._observer)

    def dispatch(self, event) -> None:
        with self._lock:
            if isinstance(event, EventsLostEvent):
                self._lost = True
            for path in _paths(event):
                if any(path == f or path.startswith(f + os.sep) for f in self._folders):
                    self._changed.add(path)
        self._saved.set()

    def take(self) -> set[str] | None:
        """The paths saved since the last take, their folders' links resolved
        (what was built from them must be made again); None: not known
        (events were lost)."""
        with self._lock:
            changed, self._changed = self._changed, set()
            return None if self._lost else changed

    def wait(self, seconds: float) -> bool:
        """Whether something was saved within seconds; then waits for the
        save to end (an editor writes a file in several steps)."""
        if not self._saved.wait(seconds):
            return False
        while True:
            self._saved.clear()
            if not self._saved.wait(SAVE_SETTLES):
                return True

    def stop(self) -> None:
        _stop(self._observer)
        self._observer = None
