"""The model (after validate): typed objects built from validated content, with derived values.

Everything a page shows is prepared here or in render/, so templates only place values. Links are
paths relative to the site root (the page prefixes its own way back to the root).
stages, text, sources, figures, places: the records; from_content.build_site makes them.
"""
from __future__ import annotations

from .figures import Change, Figure, FigureSet, NamePeriod, RevenueFigure, Snapshot
from .from_content import build_site
from .places import (
    Bureau,
    DataCatalog,
    Department,
    Licence,
    Program,
    Project,
    Publisher,
    Revenue,
    Site,
    Term,
    pages_issues_url,
    placeholder_url,
)
from .sources import PRINTED_FIELDS, Section, Source, SourceRef
from .stages import (
    BASIS_LABELS,
    BUDGET_STAGES,
    COMPARABLE,
    COMPARISON_UNIT,
    DISCREPANCY_KIND,
    DISCREPANCY_KINDS,
    EXECUTION_STAGES,
    HISTORY_LABELS,
    PRECISION_RANK,
    PRECISION_UNIT,
    REPRESENTATIVE_ORDER,
    REVENUE_STAGES,
    STAGE_HELP,
    STAGES,
    UNSTATED,
    DiscrepancyKind,
)
from .text import date_words, first_sentence, markdown_html, short_date, unique_footnote_ids

__all__ = [
    "UNSTATED",
    "STAGES",
    "REVENUE_STAGES",
    "BUDGET_STAGES",
    "EXECUTION_STAGES",
    "REPRESENTATIVE_ORDER",
    "COMPARABLE",
    "COMPARISON_UNIT",
    "PRECISION_RANK",
    "PRECISION_UNIT",
    "STAGE_HELP",
    "HISTORY_LABELS",
    "BASIS_LABELS",
    "DiscrepancyKind",
    "DISCREPANCY_KINDS",
    "DISCREPANCY_KIND",
    "markdown_html",
    "unique_footnote_ids",
    "first_sentence",
    "short_date",
    "date_words",
    "Section",
    "PRINTED_FIELDS",
    "Source",
    "SourceRef",
    "Figure",
    "RevenueFigure",
    "NamePeriod",
    "FigureSet",
    "Change",
    "Snapshot",
    "Department",
    "Project",
    "Bureau",
    "Revenue",
    "Term",
    "Program",
    "Site",
    "Publisher",
    "Licence",
    "DataCatalog",
    "placeholder_url",
    "pages_issues_url",
    "build_site",
]
