"""Write the chart library (vega, vega-lite, vega-embed as one script) into
static/, under a name carrying its versions, from the pinned vl-convert.

    .venv/bin/python scripts/vendor_chart_library.py

Run after upgrading vl-convert-python or altair in pyproject.toml; the tests
fail until the vendored file is the one vl-convert makes. Vendored because
making it takes vl-convert about two seconds, which every build with an
empty cache (each CI deploy) paid.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from budgetsite import charts  # noqa: E402


def main() -> None:
    static = ROOT / "static"
    name = charts.bundle_name()
    for old in static.glob(charts.BUNDLE_GLOB):
        if old.name != name:
            old.unlink()
            print(f"removed static/{old.name}")
    (static / name).write_text(charts.javascript_bundle(), encoding="utf-8")
    print(f"wrote static/{name}")


if __name__ == "__main__":
    main()
