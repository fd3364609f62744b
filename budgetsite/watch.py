"""serve: what changed, as the operating system tells it (watchdog: inotify,
FSEvents, ReadDirectoryChangesW). InputWatch tells that an input was saved;
SiteWatch, which names in site/ changed since the last build, so a rebuild
need not walk site/ and stat every file in it to find what was changed by
hand (slow on a large site).

SiteWatch.changes() answers None when it cannot know, and the build walks: before
the watch runs, after the system dropped events, when site/ itself was
replaced, or where the system has no watches left. An answer is complete
up to the moment it is given: the watch creates and removes a marker file
in site/ and waits for that event, which the system delivers after every
earlier one.
"""
from __future__ import annotations

import itertools
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

from .write import listing

# A folder's own "modified" events are left out: what changed in it has events of its own.
EVENTS = [FileCreatedEvent, FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
          DirCreatedEvent, DirDeletedEvent, DirMovedEvent, EventsLostEvent]
MARKER = ".budgetsite-sync-"
SYNC_SECONDS = 5.0  # no marker seen in this long: the watch is not working; walk
SAVE_SETTLES = 0.03  # quiet this long after an event: the save is done


class SiteWatch:
    def __init__(self, folder: Path):
        self.folder = os.path.realpath(folder)
        self._lock = threading.Lock()
        self._changed: dict[str, bool] = {}  # name relative to folder, with / → whether a folder's
        self._trusted = False  # every change since the last build is in _changed
        self._gone = False  # the folder watched was removed or moved away
        self._unusable = False  # a watch started here never told of its marker
        self._observer = None
        self._inode: tuple[int, int] | None = None
        self._markers = itertools.count()
        self._seen = -1  # the highest marker whose event came
        self._marker_seen = threading.Condition(self._lock)

    # Called by watchdog's thread for every event.
    def dispatch(self, event) -> None:
        with self._lock:
            if isinstance(event, EventsLostEvent):
                self._trusted = False
                return
            for path in _paths(event):
                name = self._name(path)
                if name is None:
                    continue
                if name.startswith(MARKER):
                    if isinstance(event, FileDeletedEvent) and name[len(MARKER):].isdigit():
                        self._seen = max(self._seen, int(name[len(MARKER):]))
                        self._marker_seen.notify_all()
                    continue
                self._changed[name] = self._changed.get(name, False) or event.is_directory
            if event.src_path == self.folder and isinstance(event, (DirDeletedEvent, DirMovedEvent)):
                self._trusted = False
                self._gone = True  # a new site/ may get the same inode: not watched

    def _name(self, path: str) -> str | None:
        if not path.startswith(self.folder + os.sep):
            return None
        return os.path.relpath(path, self.folder).replace(os.sep, "/")

    def changes(self) -> dict[str, bool] | None:
        """Names changed in site/ since the last build (True: a folder's), now
        taken out of the watch; None: not known, walk site/."""
        if not self._following() or not self._sync():
            return None
        with self._lock:
            changed, self._changed = self._changed, {}
            return changed if self._trusted else None

    def give_back(self, changed: dict[str, bool] | None) -> None:
        """A failed build changed nothing: what it took must still be looked at."""
        if changed:
            with self._lock:
                for name, is_folder in changed.items():
                    self._changed[name] = self._changed.get(name, False) or is_folder

    def follow(self, recorded: dict[str, list[int]]) -> None:
        """After a build: watch site/ from now on, if not yet, or again if it
        was replaced or lost events. What changed before the watch caught up
        is found by one walk, compared with the build's record of site/."""
        if self._unusable:
            return
        if self._following():
            with self._lock:
                if self._trusted:
                    return
        else:
            self.stop()
            try:
                inode = _inode(self.folder)
            except OSError:  # no such folder
                return
            self._observer, self._inode = _started(self, [self.folder]), inode
            if self._observer is None:
                return
        if not self._sync():
            # Started, yet its marker never came (some network and shared
            # folders): walk from now on rather than wait at every build.
            self.stop()
            self._unusable = True
            return
        now = listing(Path(self.folder))
        differ = {name for name in now.files.keys() | recorded.keys() if now.files.get(name) != recorded.get(name)}
        with self._lock:
            for name in differ | now.links:
                self._changed.setdefault(name, False)
            self._trusted = True

    def _following(self) -> bool:
        try:
            return not self._gone and _inode(self.folder) == self._inode and _alive(self._observer)
        except OSError:
            return False

    def _sync(self) -> bool:
        """Wait until every event from before this call has come. Markers are
        made again every 50 ms: a watch just started may miss the first."""
        first = None
        for _ in range(int(SYNC_SECONDS / 0.05)):
            n = next(self._markers)
            first = n if first is None else first
            marker = os.path.join(self.folder, f"{MARKER}{n}")
            try:
                with open(marker, "x"):
                    pass
                os.unlink(marker)
            except OSError:
                return False
            with self._lock:
                if self._marker_seen.wait_for(lambda: self._seen >= first, timeout=0.05):
                    return True
        return False

    def stop(self) -> None:
        _stop(self._observer)
        self._observer, self._inode = None, None
        with self._lock:
            self._trusted = self._gone = False
            self._changed = {}


def _inode(folder: str) -> tuple[int, int]:
    st = os.stat(folder)
    return st.st_dev, st.st_ino


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
