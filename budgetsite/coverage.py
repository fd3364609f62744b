"""What the content holds from each source document, and how much of it was
checked against the document's own totals: printed by `build.py check`."""
from __future__ import annotations

from collections import Counter

from .model import Site

COLUMNS = ["사업 금액", "부서 합계", "국 합계", "세입", "단위사업·목표", "재단 예산 표", "복원", "맞춰 봄", "차이 기록"]


def counts(site: Site, tally: Counter) -> dict[str, Counter]:
    """Source id → counts per column."""
    per: dict[str, Counter] = {sid: Counter() for sid in site.sources}

    def add(figures, column):
        for f in figures:
            per[f.source.source.id][column] += 1
            if f.recovered:
                per[f.source.source.id]["복원"] += 1
    for p in site.projects.values():
        add(p.figures.all, "사업 금액")
        for table in p.foundation_budget:  # each printed cell of the foundation's own tables
            per[table["source"].source.id]["재단 예산 표"] += sum(a is not None for r in table["rows"] for a in r["amounts"])
    for d in site.departments.values():
        add(d.totals.all, "부서 합계")
    add(site.bureau.totals.all, "국 합계")
    if site.revenue:
        add(site.revenue.items, "세입")
    for prog in site.goals + site.units:
        add(prog.totals.all, "단위사업·목표")
    for (sid, what), n in tally.items():
        per[sid][what] += n
    return per


def report(site: Site, tally: Counter) -> str:
    per = counts(site, tally)
    head = ["자료"] + COLUMNS
    rows = [[f"{s.id} ({s.file[:3]})"] + [f"{per[s.id][c]:,}" for c in COLUMNS]
            for s in sorted(site.sources.values(), key=lambda s: s.file)]
    rows.append(["합계"] + [f"{sum(per[s][c] for s in per):,}" for c in COLUMNS])
    widths = [max(_width(r[i]) for r in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(_pad(cell, w, i > 0) for i, (cell, w) in enumerate(zip(r, widths))) for r in [head] + rows]
    return "\n".join(lines) + ("\n'맞춰 봄': 인쇄된 합계를 세부 금액의 합과 맞춰 본 수. "
                               "'차이 기록': 그 가운데 자료의 차이를 기록해 둔 수. '복원': 원문에서 읽을 수 없어 되살린 금액.")


def _width(text: str) -> int:
    # Hangul takes two columns in a terminal.
    return sum(2 if ord(ch) > 0x1100 else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space
