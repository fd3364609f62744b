"""The tables more than one page shows, as models (budgetsite/tables.py):
a figure set by year and stage, execution by report date, every figure
with its source, and a comparison of two years. The page, the CSV and the
JSON of each are rendered from what these return.
"""
from __future__ import annotations

from .. import tables as t
from ..tables import Column, Table
from .cells import Comparison, Execution, FigureRow, ProjectComparison


def years_by_stage(values: dict, caption: str, id: str) -> Table:
    """A figure set by year and stage (cells.stage_table)."""
    return Table(id, caption, [Column("연도"), *(Column(s, num=True) for s in values["stages"])],
                 [[t.text(r["year"], head=True), *(t.money(c) for c in r["cells"])] for r in values["rows"]],
                 unit=values["unit"])


def execution_table(rows: list[Execution], caption: str, id: str, unit: str = "천원") -> Table:
    """Execution as each report counted it (cells.execution_rows)."""
    columns = [Column("연도"), Column("기준일"), Column("예산현액", num=True), Column("원인행위액", num=True),
               Column("원인행위율", num=True), Column("지출액", num=True), Column("집행률", num=True), Column("출처")]
    return Table(id, caption, columns, [
        [t.text(s.year, head=True), t.text(s.as_of, cls="date"), t.money(s.current), t.money(s.committed),
         t.number(s.committed_rate), t.money(s.spent), t.number(s.spent_rate), t.source(s.source, s.table)]
        for s in rows], unit=unit)


def figures_table(rows: list[FigureRow], caption: str, id: str = "figures") -> Table:
    """Every figure with its source (cells.figure_rows)."""
    columns = [Column("연도"), Column("단계"), Column("금액", num=True), Column("기준일"), Column("구분"), Column("출처")]
    return Table(id, caption, columns, [
        [t.text(r.year), t.text(r.stage), t.amount(r.value, r.amount, r.words, f"{r.precision} 단위" if r.rounded else ""),
         t.text(r.as_of, cls="date"), t.text(r.detail), t.source(r.source, note=r.note, recovered=r.recovered or "")]
        for r in rows], unit="천원")


def change_columns(a: int, b: int, sortable: bool = False) -> list[Column]:
    """Both years' stage and amount, then the change and rate (cells.Comparison).
    Sortable, each has a key for the address, the same whatever the years:
    a reader moving to another pair keeps the order."""
    def col(label: str, sort: str, key: str, **kw) -> Column:
        return Column(label, sort=sort, sort_key=key, **kw) if sortable else Column(label, **kw)
    return [col(f"{a} 단계", "text", "stage-a"), col(str(a), "number", "year-a", num=True),
            col(f"{b} 단계", "text", "stage-b"), col(str(b), "number", "year-b", num=True),
            col("증감", "number", "change", num=True, file_label="증감 (백만원)"),
            col("증감률", "number", "rate", num=True, file_label="증감률 (%)")]


def change_cells(r: Comparison) -> list[t.Cell]:
    return [t.text(r.before_stage, cls="stage"), t.money(r.before), t.text(r.after_stage, cls="stage"),
            t.money(r.after), t.change(r), t.rate(r)]


def changes_table(rows: list[ProjectComparison], caption: str, id: str, a: int, b: int, **kw) -> Table:
    """Each project's two years side by side, its name first."""
    return Table(id, caption, [Column("사업"), *change_columns(a, b)],
                 [[t.link(r.project, head=True), *change_cells(r)] for r in rows], unit="백만원", **kw)
