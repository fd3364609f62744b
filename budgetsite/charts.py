"""Stage 4: charts. Altair builds each Vega-Lite spec; vl-convert renders the
same spec to SVG at build time, shown until (or unless) JavaScript draws it.

SVG drawing is most of a build's time, so draw_svgs() takes each from a cache
keyed by the spec's hash (a rebuild redraws only changed charts) and draws the
missing ones in parallel worker processes when there are many.

Each chart's data is also rendered as an HTML table by the page, so the SVG is
decorative for screen readers (the table is the accessible form).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert as vlc

from . import money
from .model import STAGES
from .write import files_under

if TYPE_CHECKING:
    import altair as alt

# Altair is imported only where it builds a chart shape: the import takes a
# third of a second, which every build paid, even one with nothing to make.
# The Vega-Lite version Altair writes (alt.SCHEMA_VERSION, a test checks),
# without importing it.
VEGA_LITE = "6.4"

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STAGE_COLOURS = {
    "예산안": "#E69F00", "본예산": "#56B4E9", "최종예산": "#0072B2", "예산현액": "#009E73",
    "전년도이월액": "#F0E442", "원인행위액": "#CC79A7", "지출액": "#D55E00", "징수액": "#000000",
}
FONT = "'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, sans-serif"
# d3-format locale for Korean: the same separators as our tables.
FORMAT_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", "원"]}
SVG_WIDTH = 560
HEIGHT = 260

_FONT_DIRS = [Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/opentype/noto")]
for _d in _FONT_DIRS:
    if _d.is_dir():
        vlc.register_font_directory(str(_d))


@dataclass
class Chart:
    id: str
    title: str
    spec: dict   # for the browser: fills its container's width
    fixed: dict  # the same chart at a fixed width, for the build-time SVG
    summary: str = ""  # its point in one Korean sentence (summaries.py)
    svg: str = ""  # filled in by draw_svgs()

    @cached_property
    def fixed_json(self) -> str:
        """The fixed-width spec as drawn and as its drawing is cached by
        (made only when drawings are made)."""
        return json.dumps(self.fixed, ensure_ascii=False, sort_keys=True)

    @property
    def spec_json(self) -> str:
        # Embedded in a <script> element: no <, > or & at all, so no content
        # (a name holding "</script>") can end the element or look like markup.
        text = json.dumps(self.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _config(chart: alt.Chart) -> alt.Chart:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelFontSize=12, titleFontSize=12, grid=True, gridColor="#e5e5e5"
    ).configure_legend(orient="bottom", title=None, labelFontSize=12, symbolType="square")


def _unit_axis(unit: str) -> alt.Axis:
    import altair as alt
    # The unit reads horizontally above the axis, as Korean tables print "(단위: 억원)".
    return alt.Axis(title=f"(단위: {unit})", titleAngle=0, titleAlign="left", titleAnchor="end",
                    titleX=-4, titleY=-12, titleBaseline="bottom", format=",.1~f", tickCount=5)


def _rows(points: list[dict], divisor: int) -> list[dict]:
    return [{**p, "값": p["amount"] / divisor, "금액": money.eok_man(p["amount"])} for p in points]


def grouped_bars(chart_id: str, title: str, points: list[dict], series: str, order: list[str],
                 colours: list[str], summary: str = "") -> Chart | None:
    """Bars by year, one per series value side by side.

    points: {"연도": "2024", series: "...", "amount": 천원, "출처": "..."}.
    """
    if not points:
        return None
    unit, divisor = money.chart_unit(max(p["amount"] for p in points))
    present = tuple(s for s in order if any(p[series] == s for p in points))
    colour_of = dict(zip(order, colours))
    # In the order given: report dates like '24.5.31 must not sort as text.
    x_order = tuple(dict.fromkeys(p["연도"] for p in points))
    shape = _grouped_shape(series, present, tuple(colour_of[s] for s in present), unit, x_order)
    return _finish(chart_id, title, shape, _rows(points, divisor), summary or title, summary)


def stacked_bars(chart_id: str, title: str, points: list[dict], series: str, order: list[str],
                 summary: str = "") -> Chart | None:
    """Bars by year, stacked by series (e.g. departments within the bureau)."""
    if not points:
        return None
    totals: dict[str, int] = {}
    for p in points:
        totals[p["연도"]] = totals.get(p["연도"], 0) + p["amount"]
    unit, divisor = money.chart_unit(max(totals.values()))
    present = tuple(s for s in order if any(p[series] == s for p in points))
    shape = _stacked_shape(series, present, unit)
    return _finish(chart_id, title, shape, _rows(points, divisor), summary or title, summary)


def stage_bars(chart_id: str, title: str, points: list[dict], summary: str = "") -> Chart | None:
    return grouped_bars(chart_id, title, points, "단계", STAGES, [STAGE_COLOURS[s] for s in STAGES], summary)


# Altair builds each distinct chart shape once (encodings, scales, axes); the
# many charts that share a shape differ only in their data and description,
# which _finish puts in. Building every spec through Altair took 25 ms a chart.

@lru_cache(maxsize=None)
def _grouped_shape(series: str, present: tuple, colours: tuple, unit: str, x_order: tuple) -> tuple[dict, dict]:
    import altair as alt
    chart = alt.Chart(alt.Data(values=[])).mark_bar().encode(
        x=alt.X("연도:O", title=None, axis=alt.Axis(labelAngle=0), sort=list(x_order)),
        xOffset=alt.XOffset(f"{series}:N", sort=list(present)),
        y=alt.Y("값:Q", axis=_unit_axis(unit)),
        color=alt.Color(f"{series}:N", sort=list(present),
                        scale=alt.Scale(domain=list(present), range=list(colours)),
                        legend=alt.Legend(columns=3, labelLimit=90)),
        tooltip=[alt.Tooltip("연도:O", title="연도"), alt.Tooltip(f"{series}:N", title=series),
                 alt.Tooltip("금액:N", title="금액"), alt.Tooltip("출처:N", title="출처")],
    ).properties(height=HEIGHT)
    return _dicts(chart)


@lru_cache(maxsize=None)
def _stacked_shape(series: str, present: tuple, unit: str) -> tuple[dict, dict]:
    import altair as alt
    colours = (OKABE_ITO + ["#999999", "#777777", "#BBBBBB"])[: len(present)]
    chart = alt.Chart(alt.Data(values=[])).mark_bar().encode(
        x=alt.X("연도:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("값:Q", axis=_unit_axis(unit), stack="zero"),
        color=alt.Color(f"{series}:N", sort=list(present), scale=alt.Scale(domain=list(present), range=colours),
                        legend=alt.Legend(columns=2, labelLimit=110)),
        order=alt.Order("순서:Q"),
        tooltip=[alt.Tooltip("연도:O", title="연도"), alt.Tooltip(f"{series}:N", title=series),
                 alt.Tooltip("금액:N", title="금액"), alt.Tooltip("단계:N", title="단계")],
    ).properties(height=HEIGHT)
    return _dicts(chart)


def _dicts(chart: alt.Chart) -> tuple[dict, dict]:
    """The shape at a fixed width (for the SVG) and filling its container (live).
    validate=False: Altair's schema check costs half of building a spec; every
    spec the site produces is validated in the tests instead."""
    fixed = _config(chart.properties(width=SVG_WIDTH)).to_dict(validate=False)
    live = _config(chart.properties(width="container")).to_dict(validate=False)
    live["autosize"] = {"type": "fit-x", "contains": "padding"}
    return fixed, live


def _finish(chart_id: str, title: str, shape: tuple[dict, dict], rows: list[dict], description: str,
            summary: str) -> Chart:
    fixed, live = ({**d, "data": {"values": rows}, "description": description} for d in shape)
    return Chart(chart_id, title, live, fixed, summary)


def render_svg(spec_json: str) -> str:
    svg = vlc.vegalite_to_svg(json.loads(spec_json), vl_version=VEGA_LITE, format_locale=FORMAT_LOCALE)
    # Scale with the page: keep the viewBox, drop the fixed pixel size.
    svg = re.sub(r'(<svg[^>]*?) width="[\d.]+" height="[\d.]+"', r"\1", svg, count=1)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


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
    versions = f"{vlc.__version__}|{VEGA_LITE}|{json.dumps(FORMAT_LOCALE)}|{FONT}|{installed_fonts()}"
    return hashlib.sha256(f"{versions}\n{spec_json}".encode("utf-8")).hexdigest()


PARALLEL_FROM = 24  # fewer missing charts than this are drawn here: a worker takes a second to start


def draw_svgs(charts: list[Chart], cache_dir: Path | None = None, workers: int | None = None) -> dict:
    """Give every chart its SVG: from the cache, else drawn (in parallel when
    many). Returns counts, for the benchmark."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for spec_json in dict.fromkeys(c.fixed_json for c in charts):
        cached = cache_dir / f"{_key(spec_json)}.svg" if cache_dir else None
        if cached is not None and cached.is_file():
            found[spec_json] = cached.read_text(encoding="utf-8")
        else:
            missing.append(spec_json)
    workers = workers or os.cpu_count() or 1
    if len(missing) >= PARALLEL_FROM and workers > 1:
        # spawn, not fork: vl-convert's JavaScript runtime does not survive a fork.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            drawn = list(pool.map(render_svg, missing, chunksize=max(1, len(missing) // (workers * 4))))
    else:
        drawn = [render_svg(s) for s in missing]
    for spec_json, svg in zip(missing, drawn):
        found[spec_json] = svg
        if cache_dir is not None:
            _write_atomically(cache_dir / f"{_key(spec_json)}.svg", svg)
    for c in charts:
        c.svg = found[c.fixed_json]
    return {"charts": len(charts), "drawn": len(missing), "cached": len(found) - len(missing)}


BUNDLE_GLOB = "vega-*-lite-*-embed-*.js"


def bundle_name() -> str:
    """Vendored JavaScript carries the versions it holds in its file name."""
    return (f"vega-{vlc.get_vega_version()}-lite-{VEGA_LITE}"
            f"-embed-{vlc.get_vega_embed_version()}.js")


def javascript_bundle(cache_dir: Path | None = None) -> str:
    """vega, vega-lite and vega-embed as one classic script defining window.vegaEmbed.
    Bundling takes vl-convert two seconds; the result depends only on its
    version, so it is kept in the build cache under that. (static/ holds it
    as made by the pinned version: scripts/vendor_chart_library.py.)"""
    cached = cache_dir / f"{vlc.__version__}-{bundle_name()}" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vlc.javascript_bundle(vl_version=VEGA_LITE)
    if cached is not None:
        _write_atomically(cached, bundle)
    return bundle


def _write_atomically(target: Path, text: str) -> None:
    # A killed build never leaves half a file in the cache.
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


