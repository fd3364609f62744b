"""Putting an import's files in place so that content/ is never half old, half
new, whatever stops it: an error puts the old texts back; a kill leaves a
journal, and the next command finishes the import from it.

The steps: each new text is written beside its file (.<name>.import-new), the
old one copied (.<name>.import-old); then the journal (.import-journal.json,
written whole by rename) names the files; then each file is replaced; then
the journal and the copies go. Before the journal exists, content/ is all old
and the staged texts are leftovers; once it exists, every new text has been
checked and is on disk, so finishing is always right. An error while
replacing turns the journal round (then: old) before the old texts go back,
so a kill during that is finished the same way: all old."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

JOURNAL = ".import-journal.json"
_NEW, _OLD = ".import-new", ".import-old"


def _staged(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}{suffix}")


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_all(content: Path, texts: dict[str, str]) -> None:
    """Put each text (by path under content/) in place, all or none."""
    finish(content)  # an earlier import stopped by a kill: its files first
    staged: dict[Path, tuple[Path, Path]] = {}
    made = sorted(rel for rel in texts if not (content / rel).exists())
    done: list[Path] = []
    journal = content / JOURNAL
    try:
        for rel, text in texts.items():
            target = content / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            new, old = _staged(target, _NEW), _staged(target, _OLD)
            _write_synced(new, text.encode("utf-8"))
            if target.exists():
                shutil.copymode(target, new)
                shutil.copy2(target, old)
            staged[target] = (new, old)
        for folder in {t.parent for t in staged}:
            _sync_folder(folder)
        _write_journal(content, sorted(texts), made, "new")
        for target, (new, _) in staged.items():
            os.replace(new, target)
            done.append(target)
    except BaseException:
        # Not a kill (that never gets here): put back what was replaced.
        if journal.exists():
            _write_journal(content, sorted(texts), made, "old")
        for target in done:
            old = staged[target][1]
            if old.exists():
                os.replace(old, target)
            else:  # a file the import made: it had no old text
                target.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        raise
    finally:
        for new, old in staged.values():
            for leftover in (new, old):
                leftover.unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def _write_journal(content: Path, files: list[str], made: list[str], then: str) -> None:
    tmp = content / (JOURNAL + ".tmp")
    _write_synced(tmp, json.dumps({"files": files, "made": made, "then": then}).encode("utf-8"))
    os.replace(tmp, content / JOURNAL)
    _sync_folder(content)


def finish(content: Path) -> tuple[str, list[str]] | None:
    """Finish an import a kill stopped halfway (its journal is there): the files
    it names all get their new texts or, if it was putting the old ones back,
    their old ones. Staged files with no journal are a kill's before anything
    was replaced: removed. Returns which way and the files, or None."""
    journal = content / JOURNAL
    finished: tuple[str, list[str]] | None = None
    if journal.is_file():
        said = json.loads(journal.read_text(encoding="utf-8"))
        done = []
        for rel in said["files"]:
            target = content / rel
            new, old = _staged(target, _NEW), _staged(target, _OLD)
            if said["then"] == "new" and new.exists():
                os.replace(new, target)
                done.append(rel)
            elif said["then"] == "old" and not new.exists():  # replaced, or already put back
                if old.exists():
                    os.replace(old, target)
                elif rel in said["made"]:
                    target.unlink(missing_ok=True)
                done.append(rel)
        finished = (said["then"], done)
        journal.unlink()
    journal.with_name(JOURNAL + ".tmp").unlink(missing_ok=True)
    for suffix in (_NEW, _OLD):
        for leftover in content.rglob(f".*.yaml{suffix}"):
            leftover.unlink()
    return finished
