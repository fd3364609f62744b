"""The Excel round trip (issue 26 §2): `build.py export --xlsx FILE` writes every
project figure, department total and revenue item to a workbook; `build.py import
FILE` reads it back into the YAML, changing only the rows that changed."""
from __future__ import annotations

from .export import export
from .import_ import Result, import_workbook

__all__ = ["export", "import_workbook", "Result"]
