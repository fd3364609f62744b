"""Charts (a stage of pipeline.Builder): Altair builds each Vega-Lite spec (specs); vl-convert renders
the same spec to SVG at build time (drawing), shown until (or unless) JavaScript draws it, and that
SVG to PNG, for download (render/embeds.py writes both beside the page).

Each chart's data is also rendered as an HTML table by the page, so the SVG is decorative for
screen readers (the table is the accessible form).
"""
from __future__ import annotations

from .drawing import (
    BUNDLE_GLOB,
    PNG_SCALE,
    bundle_name,
    draw,
    installed_fonts,
    javascript_bundle,
    render_svg,
    standalone_svg,
)
from .specs import (
    EXECUTION,
    NO_DATA,
    PHONE_COLUMN,
    STAGE_COLOURS,
    SVG_WIDTH,
    VEGA_LITE,
    Chart,
    budget_bars,
    execution_bars,
    stacked_bars,
)

__all__ = [
    "Chart",
    "budget_bars",
    "execution_bars",
    "stacked_bars",
    "NO_DATA",
    "VEGA_LITE",
    "SVG_WIDTH",
    "STAGE_COLOURS",
    "PHONE_COLUMN",
    "EXECUTION",
    "render_svg",
    "installed_fonts",
    "draw",
    "standalone_svg",
    "PNG_SCALE",
    "bundle_name",
    "javascript_bundle",
    "BUNDLE_GLOB",
]
