"""The one-sentence summary under each chart: figures and particles right."""
import re

import pytest

from budgetsite import summaries
from budgetsite.model import Figure, FigureSet, Source, SourceRef

DOC = Source("doc", "검토보고", "서울특별시의회", "2024-11-01", "검토보고서", ["천원"], "doc.txt")
OTHER = Source("other", "업무보고", "서울특별시", "2025-03-01", "업무보고", ["천원"], "other.txt")


def fig(year, stage, amount, source=DOC, **kw):
    return Figure(year, stage, amount, SourceRef(source, 1), **kw)


def test_the_issue_example_word_for_word():
    # Compared as the tables show them, in 백만원: 1,863 − 1,592 = 271; 271 / 1,863 = 14.55…%
    figs = FigureSet([fig(2025, "예산안", 1_592_240), fig(2024, "최종예산", 1_862_810)])
    assert summaries.budget(figs) == \
        "2025년 예산안은 약 15억 9,200만원으로 2024년 최종예산(약 18억 6,300만원)보다 약 2억 7,100만원(14.5%) 줄었습니다."


def test_increase_and_particles_after_other_words():
    figs = FigureSet([fig(2025, "본예산", 1_000_000), fig(2024, "본예산", 800_000)])
    # 본예산 ends in ㄴ: 은; 10억원 ends in ㄴ: 으로; 25% (퍼센트) needs no particle here.
    assert summaries.budget(figs) == "2025년 본예산은 10억원으로 2024년 본예산(8억원)보다 2억원(25.0%) 늘었습니다."


def test_stages_that_do_not_compare_are_not_compared():
    # 2024's only figure is 예산현액 (carry-overs, a date): no change is claimed, and the sentence says why.
    figs = FigureSet([fig(2025, "예산안", 500_000), fig(2024, "예산현액", 400_000, OTHER, as_of="2024-05-31")])
    assert summaries.budget(figs) == \
        "가장 최근 금액은 2025년 예산안 5억원입니다. 2024년에는 같은 단계의 금액이 없어 비교하지 않았습니다."
    # Two reports' figures of comparable stages are compared, as the tables compare them.
    figs = FigureSet([fig(2025, "예산안", 500_000), fig(2024, "최종예산", 400_000, OTHER)])
    assert summaries.budget(figs) == "2025년 예산안은 5억원으로 2024년 최종예산(4억원)보다 1억원(25.0%) 늘었습니다."


def test_execution_budget_is_not_compared_with_a_passed_budget():
    # 예산현액 includes carry-overs: the sentence compares 예산안 with 최종예산 instead.
    figs = FigureSet([fig(2025, "예산현액", 900_000), fig(2025, "예산안", 700_000), fig(2024, "최종예산", 700_000)])
    assert summaries.budget(figs) == "2025년 예산안은 7억원으로 2024년 최종예산(7억원)과 같습니다."


def test_a_new_project():
    figs = FigureSet([fig(2025, "예산안", 277_000)])
    assert summaries.budget(figs, new_in=2025) == "2025년 예산안에 2억 7,700만원이 새로 편성되었습니다."


def test_tiny_change_is_not_shown_as_zero_percent():
    figs = FigureSet([fig(2025, "예산안", 10_558_852), fig(2024, "최종예산", 10_554_377)])
    assert "(0.1% 미만) 늘었습니다" in summaries.budget(figs)


def test_execution_sentence():
    snap = {"예산현액": fig(2024, "예산현액", 1_910_000), "지출액": fig(2024, "지출액", 382_000)}
    assert summaries.execution(snap, "2024년 5월 31일") == \
        "2024년 5월 31일 기준 예산현액 19억 1,000만원 가운데 3억 8,200만원을 지출해 집행률은 20.0%입니다."
    snap["지출액"] = fig(2024, "지출액", 0)
    assert summaries.execution(snap, "2024년 5월 31일").endswith("지출한 금액은 아직 없습니다.")
    del snap["지출액"]
    snap["원인행위액"] = fig(2024, "원인행위액", 955_000)
    assert summaries.execution(snap, "2024년").endswith("원인행위율은 50.0%입니다.")


@pytest.mark.parametrize("name, particle", [("정보통신과", "로"), ("서울기록원", "으로"), ("SDDC", "(으)로")])
def test_largest_part_particle_agrees_with_the_name(name, particle):
    text = summaries.largest_part(2025, "예산안", {name: 300, "다른 부서": 100})
    assert f"가장 큰 곳은 {name}{particle} 30만원(75.0%)입니다." in text
    assert text.startswith("2025년 예산안 기준으로 부서별 금액의 합 40만원 가운데")


def test_a_difference_is_told_to_its_coarsest_unit():
    a, b = fig(2025, "예산현액", 22_929_042), fig(2025, "예산안", 16_154_400, precision="백만원")
    assert summaries.difference_words(a, b) == "약 67억 7,500만원"  # 6,774,642천원, to the 백만원
    c = fig(2025, "예산현액", 16_154_642)
    assert summaries.difference_words(c, fig(2025, "본예산", 16_154_400)) == "24만 2천원"  # both exact


def test_every_chart_on_the_real_site_has_a_summary(real_site):
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="chart"[^>]*>(.*?)</figure>', html, re.S):
            summary = re.search(r'class="chart-summary">([^<]+)<', figure)
            assert summary, f"{page}: chart without summary"
            assert summary.group(1).endswith("니다."), summary.group(1)


def _words_to_amount(words: str) -> int:
    """'약 15억 9,200만원' → 1592000 (천원)."""
    m = re.fullmatch(r"(?:약 )?(?:([\d,]+)억)? ?(?:([\d,]+)만)? ?(?:(\d)천)?원", words)
    eok, man, cheon = (int((g or "0").replace(",", "")) for g in m.groups())
    return eok * 100_000 + man * 10 + cheon


def test_amounts_in_sentences_are_those_in_the_table_below(real_site):
    """A chart's sentence compares two amounts as comparisons show them (백만원):
    each is a figure of the table under the chart, rounded to the 백만원."""
    from budgetsite import money
    amount = r"(?:약 )?[\d,]+억(?: [\d,]+만)?(?: \d천)?원|(?:약 )?[\d,]+만(?: \d천)?원"
    checked = 0
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="chart"[^>]*>.*?</figure>', html, re.S):
            summary = re.search(r'class="chart-summary">([^<]+)<', figure).group(1)
            m = re.match(rf"(\d{{4}})년 (\S+)[은는] ({amount})(?:으로|로) (\d{{4}})년 (\S+?)\(({amount})\)(?:보다|과|와) ",
                         summary)
            if not m:
                continue
            table = html.split(figure, 1)[1].split("</table>", 1)[0]
            shown = {money.to_millions(int(v)) * 1000 for v in re.findall(r'data-value="(\d+)"', table)}
            assert _words_to_amount(m.group(3)) in shown and _words_to_amount(m.group(6)) in shown, f"{page}: {summary}"
            checked += 1
    assert checked > 30
