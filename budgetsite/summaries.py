"""One Korean sentence per chart, generated from the figures it draws.

A reader who cannot see the chart (or skims) gets its point in words:
「2025년 예산안은 15억 9,224만원으로 2024년 최종예산보다 2억 7,057만원(14.5%) 줄었습니다.」
Particles are chosen by korean.josa, so they agree with whatever word precedes them.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import money
from .korean import josa
from .model import Figure, FigureSet

# Budgets as passed, compared as budget documents compare them; 예산현액 adds
# carry-overs and would not be like for like.
PASSED = ["예산안", "본예산", "최종예산"]


def _with(word: str, particle: str) -> str:
    return word + josa(word, particle)


def _percent(part: int, whole: int) -> str:
    value = (Decimal(abs(part)) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not value and part:
        return "0.1% 미만"
    return f"{value:,}%"


def _label(f: Figure) -> str:
    return f"{f.year}년 {f.stage}"


def change(now: Figure, before: Figure | None) -> str:
    """now against before, as budget documents compare two years."""
    amount = money.eok_man(now.amount)
    head = f"{_with(_label(now), '은')} {_with(amount, '으로')}"
    if before is None:
        return f"{_label(now)}에 {_with(amount, '이')} 새로 편성되었습니다."
    delta = now.amount - before.amount
    if delta == 0:
        return f"{_with(_label(now), '은')} {_with(amount, '으로')} {_with(_label(before), '과')} 같습니다."
    if before.amount == 0:
        return f"{head} {_label(before)}의 0원에서 늘었습니다."
    verb = "늘었습니다" if delta > 0 else "줄었습니다"
    return (f"{head} {_label(before)}보다 {money.eok_man(abs(delta))}"
            f"({_percent(delta, before.amount)}) {verb}.")


def budget(figs: FigureSet, new_in: int | None = None) -> str:
    """The latest year's budget against the year before (one report's pair),
    or simply the latest amount when no report prints both years."""
    if not figs.years:
        return ""
    latest = figs.years[-1]
    pair = figs.comparison(latest, PASSED)
    if pair:
        # The stages a report compares, in the amounts the page's table shows
        # for them, so the sentence and the table never disagree.
        now, before = pair
        return change(figs.get(now.year, now.stage) or now, figs.get(before.year, before.stage) or before)
    if new_in == latest:
        first = next((f for s in ("예산안", "본예산") if (f := figs.get(latest, s))), None)
        if first:
            return change(first, None)
    f = figs.representative(latest)
    if f is None:
        return ""
    return f"가장 최근 금액은 {_label(f)} {money.eok_man(f.amount)}입니다."


def execution(snapshot: dict, when: str) -> str:
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
                f"집행률은 {_percent(spent.amount, current.amount)}입니다.")
    return (f"{base} {_with(money.eok_man(committed.amount), '을')} 계약 등으로 묶어 "
            f"원인행위율은 {_percent(committed.amount, current.amount)}입니다.")


def largest_part(year: int, stage: str, parts: dict[str, int], whole_name: str) -> str:
    """Which part (a department) holds the most of a year's total."""
    if not parts:
        return ""
    total = sum(parts.values())
    name, amount = max(parts.items(), key=lambda kv: (kv[1], kv[0]))
    return (f"{year}년 {stage} 기준으로 {whole_name} {money.eok_man(total)} 가운데 가장 큰 곳은 "
            f"{_with(name, '으로')} {money.eok_man(amount)}({_percent(amount, total)})입니다.")
