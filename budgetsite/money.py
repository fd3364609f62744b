"""Money as Koreans read it. Every amount in the content is an integer in 천원.

- prose:  15억 9,224만원      (eok_man)
- tables: 1,592 (백만원) or 1,592,240 (천원), unit stated by the table
- change: △ for decreases, 순증/순감 for new and ended items
- rates:  one decimal, 74.6%
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CHEONWON_PER_EOK = 100_000  # 1억원 = 100,000천원

DECREASE = "△"


def _round(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def thousands(amount: int) -> str:
    """1592240 → '1,592,240' (천원 table)."""
    return f"{amount:,}"


def to_millions(amount: int) -> int:
    """1592240 (천원) → 1592 (백만원), rounded half up (away from zero) as budget tables do."""
    rounded = (abs(amount) + 500) // 1000
    return rounded if amount >= 0 else -rounded


def millions(amount: int) -> str:
    """1592240 (천원) → '1,592' (백만원 table)."""
    return f"{to_millions(amount):,}"


@lru_cache(maxsize=1 << 16)  # every cell of every table says its amount in words
def eok_man(amount: int) -> str:
    """1592240 (천원) → '15억 9,224만원'; exact, so a leftover 천원 is written out."""
    if amount == 0:
        return "0원"
    sign = DECREASE if amount < 0 else ""
    amount = abs(amount)
    eok, rest = divmod(amount, CHEONWON_PER_EOK)
    man, cheon = divmod(rest, 10)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if man:
        parts.append(f"{man:,}만")
    if cheon:
        parts.append(f"{cheon}천")
    return sign + " ".join(parts) + "원"


def signed(delta: int, unit=thousands) -> str:
    """A change as official tables print it: △1,234 for a decrease, 1,234 otherwise."""
    if delta < 0:
        return DECREASE + unit(-delta)
    return unit(delta)


def rate(part: int, whole: int) -> str:
    """part/whole as a percentage with one decimal; '-' when whole is 0."""
    if not whole:
        return "-"
    return f"{_round(Decimal(part) * 100 / Decimal(whole), '0.1'):,}%"


def percent(part: int, whole: int) -> Decimal:
    """part/whole in percent, one decimal, rounded half up."""
    return _round(Decimal(part) * 100 / Decimal(whole), "0.1")


def percent_text(value: Decimal) -> str:
    """-17.2 → '△17.2%', as budget tables print a rate of change."""
    return (DECREASE + f"{-value:,}" if value < 0 else f"{value:,}") + "%"


def eok_man_rounded(amount: int, unit: int = 1000) -> str:
    """An amount shown to a coarser unit (천원 multiples; 1000 = 백만원) in words,
    with 약 when rounding changed it: 5753642 → '약 57억 5,400만원'."""
    rounded = (abs(amount) + unit // 2) // unit * unit * (1 if amount >= 0 else -1)
    return ("약 " if rounded != amount else "") + eok_man(rounded)


def change_rate(before: int, after: int) -> str:
    """Percentage change, △ for decreases; 순증/순감 when one side is nothing."""
    if not before and after:
        return "순증"
    if before and not after:
        return "순감"
    if not before or before == after:
        return "-"
    value = _round((Decimal(after) - Decimal(before)) * 100 / Decimal(before), "0.1")
    return (DECREASE + f"{-value:,}" if value < 0 else f"{value:,}") + "%"


def change(before: int | None, after: int | None, unit=thousands) -> str:
    """The change column: 순증 for a new item, 순감 for an ended one, else △-signed."""
    before, after = before or 0, after or 0
    if not before and after:
        return "순증"
    if before and not after:
        return "순감"
    return signed(after - before, unit) if after != before else "-"


def chart_unit(max_amount: int) -> tuple[str, int]:
    """The unit a chart's axis uses: 억원 for large amounts, 백만원 otherwise."""
    if max_amount >= 10 * CHEONWON_PER_EOK:
        return "억원", CHEONWON_PER_EOK
    return "백만원", 1000
