"""Validate (after load): check all content and report every problem, each with its file, line and
field (validate() in layers.py):
1. schema: the JSON Schema of each file kind;
2. references: identities and references (ids, departments, sources, duplicates), and the
   lines cited in the source texts (sources) and single values (fields);
3. sums: printed totals against the figures they total (and foundation), unless the content
   records the discrepancy.
"""
from __future__ import annotations

from .fields import NO_TABLES, check_pages
from .foundation import foundation_row_key
from .layers import validate
from .references import check_references
from .schema import SCHEMA_DIR, check_schema
from .sources import printed_at
from .sums import HALF_UNIT, check_sums

__all__ = [
    "validate",
    "SCHEMA_DIR",
    "check_schema",
    "check_references",
    "check_sums",
    "check_pages",
    "printed_at",
    "HALF_UNIT",
    "NO_TABLES",
    "foundation_row_key",
]
