"""The site icon in the sizes browsers and phones ask for, drawn at build time
from static/favicon.svg: a home-screen PNG, a link-preview PNG, and a
favicon.ico at the root for browsers that request it without being told."""
from __future__ import annotations

import struct

import vl_convert as vlc

SVG_SIZE = 64  # the viewBox of static/favicon.svg


def _png(svg: str, size: int) -> bytes:
    return vlc.svg_to_png(svg, scale=size / SVG_SIZE)


def _ico(png: bytes, size: int) -> bytes:
    """An .ico holding one PNG image (allowed since Windows Vista, read by every browser)."""
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def files(svg: str) -> dict[str, bytes]:
    return {"assets/icon-180.png": _png(svg, 180), "assets/icon-512.png": _png(svg, 512),
            "favicon.ico": _ico(_png(svg, 48), 48)}
