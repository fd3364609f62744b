"""Figures and sets of them: a year's representative figure, and the one comparison rule
(FigureSet.change) every page, sentence and download takes its changes from.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .. import money
from .sources import SourceRef
from .stages import COMPARABLE, COMPARISON_UNIT, EXECUTION_STAGES, PRECISION_RANK, REPRESENTATIVE_ORDER, STAGES
from .text import date_words, short_date


@dataclass
class Figure:
    year: int
    stage: str
    amount: int
    source: SourceRef
    precision: str = "천원"
    as_of: str | None = None
    note: str | None = None
    account: str | None = None  # totals: one account only
    scope: str = "전체"         # totals: 사업비 leaves out 기본경비
    table: str | None = None
    recovered: str | None = None  # not printed; worked out from other figures, and how

    @property
    def stage_label(self) -> str:
        """The stage as a reader should see it: a figure counted at a date carries the date."""
        return f"{self.stage} ({short_date(self.as_of)} 기준)" if self.as_of else self.stage

    @property
    def source_label(self) -> str:
        """Its source's label, and the table it is printed in where the document prints it in more than one."""
        return f"{self.source.label} ({self.table})" if self.table else self.source.label

    @property
    def detail(self) -> str:
        """What sets this figure apart from others of the same year and stage."""
        parts = [self.account, "세부사업만(기본경비 제외)" if self.scope == "사업비" else None, self.table]
        return " · ".join(p for p in parts if p)


@dataclass
class RevenueFigure(Figure):
    """One printed row of a revenue (세입) table."""
    item: str = ""
    parent: str | None = None


@dataclass
class NamePeriod:
    name: str
    start: int
    end: int | None
    source: SourceRef | None = None
    start_date: str | None = None  # the day, where a source gives it
    end_date: str | None = None
    start_note: str | None = None  # in words, where the sources give no date
    end_note: str | None = None

    @property
    def span(self) -> str:
        """When the name was used, saying no more than the sources do: a day
        where they give one, words where they give none, else the years."""
        start = date_words(self.start_date) if self.start_date else self.start_note or str(self.start)
        if self.end is None:
            return f"{start}–"
        end = date_words(self.end_date) if self.end_date else self.end_note or str(self.end)
        return start if end == start else f"{start} – {end}" if " " in start + end else f"{start}–{end}"


class FigureSet:
    """Figures of one project or department, indexed by year and stage.

    Totals printed for one account only are listed (all) but never stand for
    the year (get, representative): they are parts, not the whole.
    """

    def __init__(self, figures: list[Figure]):
        self.all = sorted(figures, key=lambda f: (f.year, STAGES.index(f.stage), f.source.source.date,
                                                  f.account or "", f.scope, f.table or ""))
        self._by: dict[tuple[int, str], list[Figure]] = defaultdict(list)
        # How many stages each table of a report gives for a year: between two
        # tables of one report that disagree, the fuller one is used for all
        # stages, so one row of a page never mixes the two.
        self._coverage: dict[tuple, set] = defaultdict(set)
        self._chosen: dict[tuple[int, str], Figure | None] = {}
        for f in self.all:
            if f.account is None:
                self._by[(f.year, f.stage)].append(f)
                self._coverage[(f.year, f.source.source.id, f.table)].add(f.stage)

    def _best(self, figures: list[Figure]) -> Figure:
        """Whole-department before 세부사업-only, then the most precise, then the
        newest report, then the fuller table of that report."""
        return max(figures, key=lambda f: (f.scope == "전체", -PRECISION_RANK[f.precision],
                                           f.as_of or f.source.source.date,
                                           len(self._coverage[(f.year, f.source.source.id, f.table)])))

    @cached_property
    def years(self) -> list[int]:
        return sorted({year for year, _ in self._by})

    def get(self, year: int, stage: str) -> Figure | None:
        # Asked for again and again (every table, chart and comparison): kept.
        key = (year, stage)
        if key not in self._chosen:
            found = self._by.get(key)
            self._chosen[key] = self._best(found) if found else None
        return self._chosen[key]

    def like(self, basis: Figure) -> Figure | None:
        """This set's figure printed alongside basis: same year, stage, report,
        table and scope. Used to put departments side by side without mixing
        reports (a department renamed mid-year appears in some reports only)."""
        for f in self._by.get((basis.year, basis.stage), []):
            if (f.source.source.id, f.table, f.scope) == (basis.source.source.id, basis.table, basis.scope):
                return f
        return None

    def change(self, before_year: int, after_year: int, new: bool = False, ended: bool = False) -> Change:
        """The one comparison of this set between two years, used by every
        page, sentence and download: the first comparable pair of stages
        (COMPARABLE) both years give. Without one, the years' representative
        figures are shown and no number is derived from them; new/ended: the
        project began after (ended before) the later (earlier) year."""
        for earlier, later in COMPARABLE:
            before, after = self.get(before_year, earlier), self.get(after_year, later)
            if before is not None and after is not None:
                return Change(before, after, "change")
        before, after = self.representative(before_year), self.representative(after_year)
        if after is not None and after.amount and not (before and before.amount) and new:
            return Change(before, after, "new")
        if before is not None and before.amount and not (after and after.amount) and ended:
            return Change(before, after, "ended")
        return Change(before, after, "none" if before is None or after is None else "incomparable")

    def representative(self, year: int) -> Figure | None:
        for stage in REPRESENTATIVE_ORDER:
            f = self.get(year, stage)
            if f:
                return f
        return None

    def snapshots(self, stages: list[str] = EXECUTION_STAGES) -> list[Snapshot]:
        """Execution (or collection) as each report saw it: one row per year,
        document, table and date, so figures in one row always come from one
        printed table. Whole totals only (an account's share is a part)."""
        rows: dict[tuple, Snapshot] = {}
        for f in self.all:
            if f.stage not in stages or f.account or f.scope != "전체":
                continue
            key = (f.year, f.source.source.id, f.table, f.as_of)
            rows.setdefault(key, Snapshot(f.year, f.source, f.as_of, f.table)).by_stage.setdefault(f.stage, f)
        return sorted(rows.values(), key=lambda r: (r.year, r.as_of or "", r.source.line))


@dataclass
class Snapshot:
    """One report's execution (or collection) figures of one year, from one
    printed table on one date (FigureSet.snapshots)."""
    year: int
    source: SourceRef  # the row's first figure's
    as_of: str | None
    table: str | None
    by_stage: dict[str, Figure] = field(default_factory=dict)

    def get(self, stage: str) -> Figure | None:
        return self.by_stage.get(stage)


@dataclass(frozen=True)
class Change:
    """Two years of one set side by side, and what may be derived from them.

    The change is worked out from the two amounts as shown (in 백만원), so a
    reader who subtracts the shown amounts gets the shown change; the rate
    from the same two shown amounts. kind: "change" (a comparable pair),
    "new" / "ended" (순증 / 순감), "incomparable" (both years have figures,
    of stages that are not compared), "none" (a year has no figure),
    "partial" (a department set up during the earlier year)."""
    before: Figure | None
    after: Figure | None
    kind: str

    @property
    def comparable(self) -> bool:
        return self.kind in ("change", "new", "ended")

    @property
    def before_shown(self) -> int:
        return money.to_millions(self.before.amount) if self.before else 0

    @property
    def after_shown(self) -> int:
        return money.to_millions(self.after.amount) if self.after else 0

    @property
    def delta(self) -> int | None:
        """In 백만원, from the shown amounts; None when nothing may be derived."""
        return self.after_shown - self.before_shown if self.comparable else None

    @property
    def rate(self) -> Decimal | None:
        """Percent, one decimal, half up; None for 순증 or without a pair."""
        if self.kind != "change" or not self.before_shown:
            return None
        return money.percent(self.delta or 0, self.before_shown)

    @property
    def rounded(self) -> bool:
        """Whether a shown amount differs from the figure's own digits."""
        return any(f is not None and f.amount % COMPARISON_UNIT for f in (self.before, self.after))
