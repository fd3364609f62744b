"""The three layers in order, each run on everything the previous one let through.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..load import Content
from ..memory import Memory
from ..problems import Problem
from .fields import check_pages
from .references import check_references
from .schema import check_schema
from .sums import check_sums


def validate(content: Content, sources_dir: Path, tally: Counter | None = None,
             memory: Memory | None = None) -> list[Problem]:
    """Every problem in the content; an empty list means it can be built.
    memory: what checks keep between builds (serve)."""
    problems = list(content.problems) + check_pages(content)
    well_formed = []
    for doc in content.documents:
        found = check_schema(doc)
        problems += found
        if not found:
            well_formed.append(doc)
    # References are checked on every well-formed file, so one broken file does
    # not hide the mistakes in the others.
    checked = Content(content.root, well_formed, [])
    if checked.one("site") is None or checked.one("sources") is None:
        return problems
    passed = {id(d) for d in well_formed}
    broken = frozenset(d.path.stem for d in content.documents if id(d) not in passed) | content.unread
    problems += check_references(checked, sources_dir, broken, memory)
    if problems:
        # Sums over a partly broken content would report mismatches that are
        # only echoes of the problems above.
        return problems
    return check_sums(checked, tally, memory)
