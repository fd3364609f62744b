"""One Korean sentence per chart, generated from the figures it draws.

A reader who cannot see the chart (or skims) gets its point in words:
「2025년 예산안은 15억 9,224만원으로 2024년 최종예산보다 2억 7,057만원(14.5%) 줄었습니다.」
Particles are chosen by korean.josa, so they agree with whatever word precedes them.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import money
from .korean import josa
from .model import COMPARISON_UNIT, PRECISION_UNIT, Change, Figure, FigureSet, Snapshot


def _with(word: str, particle: str) -> str:
    return word + josa(word, particle)


def _percent(part: int, whole: int) -> str:
    value = (Decimal(abs(part)) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not value and part:
        return "0.1% 미만"
    return f"{value:,}%"


def _label(f: Figure) -> str:
    return f"{f.year}년 {f.stage}"


def shown_words(f: Figure) -> str:
    """A figure in words as comparisons show it (백만원), 약 where rounded."""
    return money.eok_man_rounded(f.amount, COMPARISON_UNIT)


def change(ch: Change) -> str:
    """A comparison in one sentence, in the amounts and change the tables show
    beside it (Change: 백만원), or why no change is given."""
    now, before = ch.after, ch.before
    if now is None:
        return f"{_with(_label(before), '은')} {shown_words(before)}입니다." if before else ""
    amount = shown_words(now)
    if ch.kind == "new":
        return f"{_label(now)}에 {_with(amount, '이')} 새로 편성되었습니다."
    if ch.kind == "partial" and before is not None:
        return (f"가장 최근 금액은 {_label(now)} {amount}입니다. 이 부서는 {before.year}년 중간에 생겨 "
                f"{before.year}년 금액을 한 해치로 보고 견주지 않았습니다.")
    if ch.kind != "change" or before is None:
        missing = f" {before.year}년에는 같은 단계의 금액이 없어 비교하지 않았습니다." if before else ""
        return f"가장 최근 금액은 {_label(now)} {amount}입니다.{missing}"
    delta = ch.delta or 0
    if delta == 0:
        return (f"{_with(_label(now), '은')} {_with(amount, '으로')} "
                f"{_label(before)}({shown_words(before)}){josa(_label(before), '과')} 같습니다.")
    words = ("약 " if ch.rounded else "") + money.eok_man(abs(delta) * COMPARISON_UNIT)
    # A change the table prints as 0.0% is still a change: said as such in words.
    rate = "" if ch.rate is None else f"({money.percent_text(abs(ch.rate))})" if ch.rate else "(0.1% 미만)"
    verb = "늘었습니다" if delta > 0 else "줄었습니다"
    return (f"{_with(_label(now), '은')} {_with(amount, '으로')} {_label(before)}({shown_words(before)})보다 "
            f"{words}{rate} {verb}.")


def budget(figs: FigureSet, new_in: int | None = None, compare=None) -> str:
    """The latest year against the year before, by the one comparison rule
    (FigureSet.change, or compare(a, b) where its owner adds to the rule),
    or simply the latest amount."""
    if not figs.years:
        return ""
    latest = figs.years[-1]
    return change(compare(latest - 1, latest) if compare else figs.change(latest - 1, latest, new=new_in == latest))


def difference_words(a: Figure, b: Figure) -> str:
    """|a - b| in words, to the unit of the less precise of the two: a
    difference with a figure printed to 백만원 is not told to the 천원."""
    unit = max(PRECISION_UNIT[a.precision], PRECISION_UNIT[b.precision])
    return money.eok_man_rounded(abs(a.amount - b.amount), unit)


def proposed_and_available(figs: FigureSet, year: int, current: Figure | None) -> str:
    """Why the money available (예산현액) is not the budget first proposed."""
    proposed = figs.get(year, "예산안")
    settled = figs.get(year, "최종예산") or figs.get(year, "본예산")
    first = proposed or settled
    if current is None or first is None or current.amount == first.amount:
        return ""
    when = (f"{current.as_of[:4]}년 {int(current.as_of[5:7])}월 {int(current.as_of[8:])}일 기준" if current.as_of
            else "기준일 미상")
    parts = [f"{year}년 예산현액({when})은 {_label(first)}보다 {difference_words(current, first)} "
             f"{'많습니다' if current.amount > first.amount else '적습니다'}."]
    if proposed and settled and settled.amount != proposed.amount:
        parts.append(f"의회 심의와 추가경정예산을 거쳐 {_label(settled)}{josa(_label(settled), '이')} "
                     f"{_with(money.eok_man(settled.amount), '으로')} 바뀌었고,")
    parts.append("예산현액은 확정된 예산에 지난해에서 넘어온 돈(이월액) 등을 더하고 뺀, 그때 실제로 쓸 수 있는 금액입니다.")
    carried = figs.get(year, "전년도이월액")
    if carried is not None and carried.amount:
        parts.append(f"이 가운데 전년도이월액은 {money.eok_man(carried.amount)}입니다.")
    return " ".join(parts)


def execution(snapshot: Snapshot, when: str) -> str:
    """The latest execution report: how much of 예산현액 was committed or spent."""
    current, committed, spent = snapshot.get("예산현액"), snapshot.get("원인행위액"), snapshot.get("지출액")
    if current is None or not current.amount:
        done = spent or committed
        return f"{when} 기준 {done.stage}{josa(done.stage, '은')} {money.eok_man(done.amount)}입니다." if done else ""
    base = f"{when} 기준 예산현액 {money.eok_man(current.amount)} 가운데"
    if spent is not None and spent.amount == 0:
        return f"{base} 지출한 금액은 아직 없습니다."
    if spent is not None:
        return (f"{base} {_with(money.eok_man(spent.amount), '을')} 지출해 "
                f"집행률은 {money.rate(spent.amount, current.amount)}입니다.")
    assert committed is not None  # an execution report gives 원인행위액 where it gives no 지출액
    return (f"{base} {_with(money.eok_man(committed.amount), '을')} 계약 등으로 묶어 "
            f"원인행위율은 {money.rate(committed.amount, current.amount)}입니다.")


def largest_part(year: int, stage: str, parts: dict[str, int]) -> str:
    """Which part (a department) holds the most of the parts drawn for a year."""
    if not parts:
        return ""
    total = sum(parts.values())
    name, amount = max(parts.items(), key=lambda kv: (kv[1], kv[0]))
    return (f"{year}년 {stage} 기준으로 부서별 금액의 합 {money.eok_man(total)} 가운데 가장 큰 곳은 "
            f"{_with(name, '으로')} {money.eok_man(amount)}({_percent(amount, total)})입니다.")
