"""Each spec drawn at build time by vl-convert, to SVG and, from that SVG, to PNG (the same picture,
for download), from a cache keyed by the spec's hash (a rebuild draws only changed charts), in
parallel workers when many are missing; and the vendored chart library.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert as vlc

from ..workers import pool as worker_pool
from ..write import files_under

if TYPE_CHECKING:
    pass
from .specs import FONT, FORMAT_LOCALE, VEGA_LITE, Chart

_FONT_DIRS = [Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/opentype/noto")]


for _d in _FONT_DIRS:
    if _d.is_dir():
        vlc.register_font_directory(str(_d))


# Raised whenever render_svg makes something else of the same spec: cached drawings are redrawn.
DRAWING = 3


# The base URL vl-convert resolves relative links against.
_RENDERER_BASE = "https://vega.github.io/vega-datasets/"


# On the page the table under a chart is its accessible form: the picture is hidden from screen readers.
_HIDDEN = 'aria-hidden="true" focusable="false" '

# What Vega says of each mark to a screen reader (「글_x: 4; 글_y: 4; …」 for a treemap's every label):
# unheard, as the picture is hidden on its page, yet 27% of a drawing's bytes. The drawing keeps its own
# name and description (its first tag), which a downloaded SVG is read by.
_MARK_ARIA = re.compile(r'\s(?:role="graphics-(?:object|symbol)"|aria-roledescription="[^"]*"|aria-label="[^"]*")')


def render_svg(spec_json: str) -> str:
    svg = vlc.vegalite_to_svg(json.loads(spec_json), vl_version=VEGA_LITE, format_locale=FORMAT_LOCALE)
    # A link (the href channel: a treemap's rectangles) leads where the spec
    # says, relative to its page, not from the renderer's own base URL; as
    # SVG 2 and HTML write it (href), which link checkers read too.
    svg = svg.replace(f'xlink:href="{_RENDERER_BASE}', 'href="')
    root_end = svg.index(">") + 1
    svg = svg[:root_end] + _MARK_ARIA.sub("", svg[root_end:])
    # The drawn size stays: style.css shows the picture at most that wide
    # (narrower with the page, by its viewBox), never enlarged.
    return svg.replace("<svg ", f"<svg {_HIDDEN}", 1)


def standalone_svg(svg: str) -> str:
    """The drawing as a file of its own (a download): not hidden, as it is
    inside a page that has its table."""
    return svg.replace(f"<svg {_HIDDEN}", "<svg ", 1)


# Twice the drawn size: sharp on paper and on high-density screens (768 px wide).
# The PNG is made in the reader's browser from the page's SVG (static/charts.js
# reads it from data-png-scale): a PNG file for every chart was 44% of the
# real site, and ten times its SVG.
PNG_SCALE = 2


# Where the renderer may find the fonts FONT names (and, below, the user's own).
FONT_FOLDERS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]


USER_FONT_FOLDERS = [".fonts", ".local/share/fonts"]


def _font_folders() -> list[Path]:
    try:
        home = Path.home()
    except RuntimeError:  # no home folder: a service account
        return FONT_FOLDERS
    return FONT_FOLDERS + [home / f for f in USER_FONT_FOLDERS]


@lru_cache(maxsize=1)
def installed_fonts() -> str:
    """The fonts a drawing may be made with, as a digest of every font file's
    name, size and time: with a font added, removed or updated, a drawing
    from the cache could differ from one drawn now, so all are drawn again."""
    h = hashlib.sha256()
    for folder in _font_folders():
        for name, path in sorted(files_under(folder)):
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{folder}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _key(spec_json: str) -> str:
    # The renderer's versions and the fonts are part of the key: a new
    # vl-convert, or another font, redraws everything.
    # (vl_convert's stub omits __version__, which the module has.)
    version = vlc.__version__  # type: ignore[attr-defined]
    versions = f"{DRAWING}|{version}|{VEGA_LITE}|{json.dumps(FORMAT_LOCALE)}|{FONT}|{installed_fonts()}"
    return hashlib.sha256(f"{versions}\n{spec_json}".encode()).hexdigest()


PARALLEL_FROM = 24  # fewer missing charts than this are drawn here: a worker is slow to start


def draw(charts: list[Chart], cache_dir: Path, workers: int | None = None) -> dict:
    """Give every chart its SVG: from the cache, else drawn (in parallel when
    many). Returns counts, for the benchmark."""
    files = {spec_json: _file(cache_dir, spec_json) for spec_json in dict.fromkeys(c.fixed_json for c in charts)}
    found = {spec_json: svg_file.read_text(encoding="utf-8") for spec_json, svg_file in files.items()
             if svg_file.is_file()}
    missing = [spec_json for spec_json in files if spec_json not in found]
    workers = workers or os.cpu_count() or 1
    if len(missing) >= PARALLEL_FROM and workers > 1:
        # spawn, not fork: vl-convert's JavaScript runtime does not survive a fork.
        with worker_pool(workers, "spawn") as pool:
            drawn = list(pool.map(render_svg, missing, chunksize=max(1, len(missing) // (workers * 4))))
    else:
        drawn = [render_svg(spec_json) for spec_json in missing]
    for spec_json, svg in zip(missing, drawn):
        found[spec_json] = svg
        _write_atomically(files[spec_json], svg)
    for c in charts:
        c.svg = found[c.fixed_json]
    return {"charts": len(charts), "drawn": len(missing), "cached": len(found) - len(missing)}


def _file(cache_dir: Path, spec_json: str) -> Path:
    """Where a spec's SVG is cached."""
    return cache_dir / f"{_key(spec_json)}.svg"


BUNDLE_GLOB = "vega-*-lite-*-embed-*.js"


def bundle_name() -> str:
    """Vendored JavaScript carries the versions it holds in its file name."""
    return (f"vega-{vlc.get_vega_version()}-lite-{VEGA_LITE}"
            f"-embed-{vlc.get_vega_embed_version()}.js")


def javascript_bundle(cache_dir: Path | None = None) -> str:
    """vega, vega-lite and vega-embed as one classic script defining window.vegaEmbed.
    Bundling is slow in vl-convert; the result depends only on its
    version, so it is kept in the build cache under that. (static/ holds it
    as made by the pinned version: scripts/vendor_chart_library.py.)"""
    version = vlc.__version__  # type: ignore[attr-defined]  # not in vl_convert's stub
    cached = cache_dir / f"{version}-{bundle_name()}" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    # The stub makes snippet required; the function has a default (window.vegaEmbed etc.).
    bundle = vlc.javascript_bundle(vl_version=VEGA_LITE)  # type: ignore[call-arg]
    if cached is not None:
        _write_atomically(cached, bundle)
    return bundle


def _write_atomically(target: Path, body: str | bytes) -> None:
    # A killed build never leaves half a file in the cache.
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    os.replace(tmp, target)
