"""Stage 6: write the site into a fresh folder beside the output, then swap it
in. A build that fails at any point leaves the published folder as it was."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


class SiteWriter:
    def __init__(self, staging: Path):
        self.staging = staging
        self.count = 0

    def write(self, rel_path: str, data: str | bytes) -> None:
        target = self.staging / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            # Fixed newlines so two builds, on any system, are byte-identical.
            target.write_bytes(data.encode("utf-8"))
        else:
            target.write_bytes(data)
        self.count += 1

    def copy(self, source: Path, rel_path: str) -> None:
        self.write(rel_path, source.read_bytes())


@contextmanager
def staged_output(out_dir: Path):
    """Yield a writer into a temporary folder; on success it becomes out_dir."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        yield SiteWriter(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
    old = None
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}.old-{staging.name.rsplit('-', 1)[-1]}"
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
