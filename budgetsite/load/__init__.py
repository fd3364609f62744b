"""Load (the first stage of pipeline.Builder): read every YAML file in content/, keeping the line of
each field.

Dates stay strings (no YAML timestamp magic) so that what the office typed is what the site shows,
and duplicate keys are reported instead of silently keeping the last one.
files: finding and reading; parse: YAML to plain data; text: every string checked; document: the records.
"""
from __future__ import annotations

from .document import GUIDE, Content, Document, field_name
from .files import Unreadable, load_content, read_bytes, read_yaml

__all__ = [
    "Content",
    "Document",
    "GUIDE",
    "field_name",
    "Unreadable",
    "read_bytes",
    "read_yaml",
    "load_content",
]
