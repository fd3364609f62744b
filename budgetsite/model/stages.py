"""The stages of a budget and how they compare, the labels pages use, and the kinds of recorded
difference between the sources.
"""
from __future__ import annotations

from dataclasses import dataclass

# An amount a document gives without saying which stage it is (a footnote's
# "투입한 예산"): kept and shown as printed, under this label, but never
# compared, never a year's representative figure, never summed against a
# printed total and never drawn as a budget bar.
UNSTATED = "단계 미상"


STAGES = ["예산안", "본예산", "최종예산", "예산현액", "전년도이월액", "원인행위액", "지출액", "징수액", UNSTATED]


REVENUE_STAGES = ["예산안", "본예산", "최종예산", "예산현액", "징수액"]


BUDGET_STAGES = ["예산안", "본예산", "최종예산"]


EXECUTION_STAGES = ["예산현액", "원인행위액", "지출액"]


# The figure that best stands for a year's budget: the settled budget first.
# 예산현액 adds carry-overs and is counted at a date: it stands for a year
# only when no budget stage is given at all, and then with its date.
REPRESENTATIVE_ORDER = ["최종예산", "본예산", "예산안", "예산현액"]


# Which stage of an earlier year a later year's stage is compared with, as
# Korean budget documents compare them, preferred first. 예산현액 and the
# execution stages are never compared across years: they are counted at a
# date and hold carry-overs.
COMPARABLE = [("최종예산", "최종예산"), ("본예산", "본예산"), ("최종예산", "예산안"), ("예산안", "예산안")]


# Comparisons are made in 백만원 everywhere (tables, sentences, downloads),
# the unit of the budget documents' own comparisons, so a change reads the
# same on every page and never claims more precision than its inputs.
COMPARISON_UNIT = 1000


PRECISION_RANK = {"천원": 0, "만원": 1, "백만원": 2, "억원": 3}


PRECISION_UNIT = {"천원": 1, "만원": 10, "백만원": 1000, "억원": 100_000}  # in 천원


STAGE_HELP = {
    "예산안": "시가 의회에 제출한 예산 계획. 의회 심의 전의 금액입니다.",
    "본예산": "의회가 처음 확정한 그해 예산(당초예산)입니다.",
    "최종예산": "추가경정예산까지 반영한 그해 마지막 예산입니다.",
    "예산현액": "본예산에 지난해에서 넘어온 금액(이월액) 등을 더한, 지금 쓸 수 있는 예산입니다.",
    "전년도이월액": "지난해에 다 쓰지 못해 올해로 넘어온 예산입니다.",
    "원인행위액": "계약 등으로 쓰기로 확정한 금액(지출 약정)입니다.",
    "지출액": "실제로 돈이 나간 금액입니다.",
    "징수액": "세입 가운데 실제로 거두어들인 금액입니다.",
    UNSTATED: "자료가 금액만 적고 예산안·본예산·최종예산·집행액 가운데 어느 단계의 금액인지 밝히지 않은 것입니다. "
              "적힌 그대로 싣지만, 다른 해와 견주거나 그해의 대표 금액·합계로 쓰지 않습니다.",
}


HISTORY_LABELS = {
    "new": "신규", "ended": "종료", "renamed": "이름 변경", "moved": "담당 부서 이동",
    "merged_from": "다른 사업을 합침", "split_from": "다른 사업에서 나뉨", "succeeds": "이전 사업을 이음",
    "succeeded_by": "다음 사업으로 이어짐",
}


BASIS_LABELS = {"stated": "자료에 적힌 사실", "inferred": "추정"}


@dataclass(frozen=True)
class DiscrepancyKind:
    name: str    # the value of a discrepancy's `kind` in content/
    slug: str    # its page: discrepancies/<slug>/index.html
    error: bool  # the documents are wrong or contradict each other
    help: str    # what it means, in plain words


# The kinds of recorded difference, in the order the register shows them:
# the real errors first. The one list: the schema's enum
# (common.schema.json#/$defs/discrepancy_kind) repeats it for editors, and a
# test keeps the two in step.
DISCREPANCY_KINDS = [
    DiscrepancyKind("인쇄 오류", "printing-errors", True,
                    "인쇄된 합계나 금액·비율이 같은 표에 함께 인쇄된 세부 금액과 맞지 않습니다. 자료가 틀리게 찍힌 곳입니다."),
    DiscrepancyKind("문서 간 불일치", "conflicts", True,
                    "두 문서, 또는 한 문서의 두 표가 같은 금액을 서로 다르게 적었습니다. "
                    "어느 쪽이 맞는지 자료가 밝히지 않는 곳이 많습니다."),
    DiscrepancyKind("포함 범위 차이", "scope", False,
                    "합계에 세부사업이 아닌 돈(기본경비, 국고보조금 반환)이나 "
                    "세부 금액이 다루지 않는 것(조직개편 전후의 부서 범위, "
                    "예산현액에 더해진 그해의 변경)이 들어 있어 세부 금액의 합과 다릅니다. 자료의 오류가 아닙니다."),
    DiscrepancyKind("일부 사업만 인쇄", "partial-listings", False,
                    "자료가 합계 아래 세부사업 가운데 일부의 금액만 적어, 적힌 금액을 더하면 합계에 못 미칩니다. "
                    "자료의 오류가 아닙니다."),
    DiscrepancyKind("반올림", "rounding", False,
                    "금액을 백만원이나 천원 단위로 줄여 적으면서 생긴 작은 끝수 차이입니다."),
]


DISCREPANCY_KIND = {k.name: k for k in DISCREPANCY_KINDS}
