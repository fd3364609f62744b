"""site.yaml's data_catalog asks for a DCAT catalog and the portal's
registration fields (catalog.py). Both must say who publishes the data, under
which licence, in which edition, and where to reach the publisher: a portal
refuses a catalog without them, or shows a blank where they go. So a
data_catalog without them is refused, naming the field of site.yaml to add,
rather than published half-said; a site.yaml without data_catalog publishes
no catalog at all (the footer and the data package likewise say only what
site.yaml says).
"""
from __future__ import annotations

from ..load import Document
from ..model import pages_issues_url
from ..problems import Problem


def check_catalog(site: Document) -> list[Problem]:
    data = site.data
    if "data_catalog" not in data:
        return []
    at = site.line(("data_catalog",))  # a missing field has no line: point at what asks for it
    problems = []
    if "publisher" not in data:
        problems.append(Problem(site.name, at, "publisher", "data_catalog가 있으면 운영자(publisher)도 적어야 합니다: "
                                "카탈로그와 공공데이터포털 등록 값은 누가 내는 자료인지 밝힙니다"))
    elif not any(data["publisher"].get(k) for k in ("email", "url", "report_url")) and not pages_issues_url(data["base_url"]):
        # On GitHub Pages the repository's issue page is the contact (Site.report_url).
        problems.append(site.problem(("publisher",), "data_catalog가 있으면 연락할 곳이 있어야 합니다: publisher에 "
                                                     "email, url 또는 report_url을 적으세요 "
                                                     "(카탈로그의 contactPoint, 포털의 담당자 연락처)"))
    if "licence" not in data:
        problems.append(Problem(site.name, at, "licence", "data_catalog가 있으면 데이터의 이용 조건(licence)도 적어야 합니다: "
                                "카탈로그의 license, 포털의 이용허락범위입니다"))
    if "edition" not in data:
        problems.append(Problem(site.name, at, "edition", "data_catalog가 있으면 판(edition)도 적어야 합니다: "
                                "그 날짜가 카탈로그의 수정일(dct:modified)입니다"))
    return problems
