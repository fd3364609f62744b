"""Whether site/ is already what a build would produce: the fingerprint of
every input (content, source texts, templates, static files, schemas, the
generator's own code and package versions, the base URL) is compared with
the one recorded after the last build, and the output with the hashes
recorded then. Unchanged input and untouched output: nothing to do."""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

PACKAGES = ("altair", "vl-convert-python", "jinja2", "markdown", "nh3", "pyyaml", "jsonschema", "jsonschema-rs", "lxml")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
        if folder.is_dir() else []


def inputs_fingerprint(paths, base_url: str | None) -> str:
    h = hashlib.sha256()
    code = Path(__file__).resolve().parent
    for folder in (paths.content, paths.sources, paths.templates, paths.static, paths.root / "schemas", code):
        for f in _files(folder):
            h.update(f"{f.relative_to(folder)}\0".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
        h.update(b"\1")
    for name in PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?\0".encode())
    h.update(f"base_url={base_url}".encode())
    return h.hexdigest()


def outputs(out: Path) -> dict[str, str]:
    return {f.relative_to(out).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in _files(out)}


def _record(paths) -> Path:
    return paths.cache / "last-build.json"


def up_to_date(paths, fingerprint: str) -> int | None:
    """The number of files in site/ if it needs no rebuild, else None."""
    try:
        last = json.loads(_record(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if last.get("out") != str(paths.out.resolve()) or last.get("inputs") != fingerprint:
        return None
    if not paths.out.is_dir() or outputs(paths.out) != last.get("outputs"):
        return None  # someone changed or removed a published file
    return len(last["outputs"])


def remember(paths, fingerprint: str) -> None:
    record = _record(paths)
    record.parent.mkdir(parents=True, exist_ok=True)
    body = {"out": str(paths.out.resolve()), "inputs": fingerprint, "outputs": outputs(paths.out)}
    tmp = record.with_suffix(".tmp")
    tmp.write_text(json.dumps(body), encoding="utf-8")
    tmp.replace(record)
