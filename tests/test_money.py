"""Money formatting, checked against how the source documents print amounts."""
import pytest

from budgetsite import money


@pytest.mark.parametrize("cheonwon, words", [
    # Prose amounts exactly as review-2025-budget prints them (lines 440-480).
    (1_592_240, "15억 9,224만원"),
    (10_753_230, "107억 5,323만원"),
    (900_750, "9억 75만원"),
    (2_300_000, "23억원"),
    (53_470, "5,347만원"),
    # Beyond 9,999억 the 억 part takes a separator too.
    (161_544_000_0, "16,154억 4,000만원"),
    (5, "5천원"),
    (1_234_567, "12억 3,456만 7천원"),
    (0, "0원"),
])
def test_eok_man_reads_like_korean_prose(cheonwon, words):
    assert money.eok_man(cheonwon) == words


def test_tables_in_thousands_and_millions():
    assert money.thousands(24_383_302) == "24,383,302"
    assert money.millions(24_383_302) == "24,383"
    # Half a million rounds up, as budget summary tables round.
    assert money.millions(9_193_500) == "9,194"
    assert money.millions(9_193_499) == "9,193"


def test_decreases_use_the_triangle():
    assert money.signed(-3_091) == "△3,091"
    assert money.signed(233) == "233"
    assert money.change(18_199, 15_108) == "△3,091"
    assert money.change(8_352, 8_585) == "233"


def test_new_and_ended_items():
    assert money.change(None, 277) == "순증"
    assert money.change(315, 0) == "순감"
    assert money.change_rate(0, 277) == "순증"
    assert money.change_rate(988, 0) == "순감"
    assert money.change(5, 5) == "-"


@pytest.mark.parametrize("before, after, printed", [
    # Rates as review-2025-budget prints them for the same pairs (백만원 tables).
    (18_199, 15_108, "△17.0%"),
    (6_943, 10_586, "52.5%"),
    (2_669, 1_771, "△33.6%"),
    (8_352, 8_585, "2.8%"),
])
def test_change_rates_match_the_documents(before, after, printed):
    assert money.change_rate(before, after) == printed


def test_execution_rate_has_one_decimal():
    # work-report style: 지출액 / 예산현액
    assert money.rate(721_074, 966_176) == "74.6%"
    assert money.rate(600, 1_000) == "60.0%"
    assert money.rate(1, 0) == "-"


def test_chart_unit_switches_to_eok_for_large_amounts():
    assert money.chart_unit(999_999) == ("백만원", 1000)
    assert money.chart_unit(1_000_000) == ("억원", 100_000)
