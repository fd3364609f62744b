"""The third layer: printed totals against the figures they total, unless the content records the
difference (the sources do contain printing errors; the site shows them).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..load import Content, Document
from ..memory import Memory
from ..model import UNSTATED
from ..problems import Problem
from .foundation import check_foundation_budget
from .references import discrepancy_key, total_key
from .schema import checked_once

# Half of one printed unit, in 천원: how far a rounded figure may be from the truth.
HALF_UNIT = {"천원": 0, "만원": 5, "백만원": 500, "억원": 50_000}


def _department_of(project: dict, f: dict) -> str | None:
    """The department f's document places it under (model.Project.department_of)."""
    default = None
    for d in project["departments"]:
        if d["year"] == f["year"]:
            if "documents" not in d:
                default = d["department"]
            elif f["source"]["doc"] in d["documents"]:
                return d["department"]
    return default


class _Sum:
    """The parts of one printed total, summed as they are added: only their
    sum, how far their printed rounding lets it be off, and their number
    are compared, so a part can also be taken out again (_DepartmentSums)."""
    __slots__ = ("amount", "rounding", "count")

    def __init__(self):
        self.amount = self.rounding = self.count = 0

    def add(self, amount: int, precision: str = "천원", sign: int = 1) -> None:
        """sign -1 takes the part out again."""
        self.amount += sign * amount
        self.rounding += sign * HALF_UNIT[precision]
        self.count += sign


def _gap(total: dict, members: _Sum) -> tuple[int, int, int]:
    """A printed total against its parts: (total − sum, sum, the difference
    the printed rounding of all of them allows)."""
    tolerance = HALF_UNIT[total.get("precision", "천원")] + members.rounding
    return total["amount"] - members.amount, members.amount, tolerance


def _reconcile(doc: Document, totals_path: tuple, totals: list, parts: dict, part_key, discrepancies: list,
               what: str, tally: Counter) -> list[Problem]:
    """Compare each printed total with the sum of its parts from the same document.

    parts: part_key(total) → _Sum of its parts.
    A total with no parts is not checked: the content does not hold them.
    """
    problems = _table_conflicts(doc, totals_path, totals, discrepancies)
    recorded = {discrepancy_key(d): (i, d) for i, d in enumerate(discrepancies) if "other_table" not in d}
    used = set()
    for i, t in enumerate(totals):
        if t["stage"] == UNSTATED:  # of no known stage: a total of nothing that can be named
            continue
        key = total_key(t)
        members = parts.get(part_key(t))
        if members is None:
            continue
        diff, total_sum, tolerance = _gap(t, members)
        tally[(t["source"]["doc"], "맞춰 봄")] += 1
        if key in recorded:
            tally[(t["source"]["doc"], "차이 기록")] += 1
            used.add(key)
            j, d = recorded[key]
            if abs(diff - d["difference"]) > tolerance:
                problems.append(doc.problem(
                    totals_path[:-1] + ("discrepancies", j, "difference"),
                    f"기록된 차이 {d['difference']:,}천원이 실제 차이 {diff:,}천원과 다릅니다 "
                    f"(합계 {t['amount']:,}, {what} {members.count}개의 합 {total_sum:,})"))
        elif abs(diff) > tolerance:
            problems.append(doc.problem(
                totals_path + (i, "amount"),
                f"합계가 맞지 않습니다: {t['year']}년 {t['stage']} ({t['source']['doc']}"
                f"{', ' + t['account'] if t.get('account') else ''}) 합계 {t['amount']:,}천원, "
                f"{what} {members.count}개의 합 {total_sum:,}천원, 차이 {diff:,}천원. "
                f"자료의 오류라면 discrepancies에 차이와 설명을 기록하세요"))
    for key, (j, _d) in recorded.items():
        if key not in used:
            problems.append(doc.problem(totals_path[:-1] + ("discrepancies", j),
                                        "이 차이에 해당하는 합계와 세부 금액이 없습니다"))
    return problems


def _table_conflicts(doc: Document, totals_path: tuple, totals: list, discrepancies: list) -> list[Problem]:
    """A discrepancy naming other_table records two tables of one document
    printing the same total differently: its difference must be the one
    between the two printed totals."""
    problems = []
    printed = {total_key(t): t for t in totals}
    for j, d in enumerate(discrepancies):
        if "other_table" not in d:
            continue
        key = discrepancy_key(d)
        one, other = printed.get(key), printed.get(key[:5] + (d["other_table"],))
        if one is None or other is None:
            problems.append(doc.problem(totals_path[:-1] + ("discrepancies", j),
                                        "이 차이에 해당하는 두 표의 합계가 없습니다"))
        elif one["amount"] - other["amount"] != d["difference"]:
            problems.append(doc.problem(
                totals_path[:-1] + ("discrepancies", j, "difference"),
                f"기록된 차이 {d['difference']:,}천원이 두 표의 차이 {one['amount'] - other['amount']:,}천원과 다릅니다 "
                f"({d['table']} {one['amount']:,}, {d['other_table']} {other['amount']:,})"))
    return problems


def _department_parts(doc: Document) -> list[tuple]:
    """What a project adds to its departments' sums: (department, the key of
    the total it belongs to, the amount, its precision)."""
    p = doc.data
    parts = []
    for f in p["figures"]:
        if f["stage"] == UNSTATED:  # no printed total is of an unknown stage
            continue
        dept = _department_of(p, f)
        for account in (None, p["account"]):
            parts.append((dept, (f["year"], f["stage"], f["source"]["doc"], account, f.get("table")),
                          f["amount"], f.get("precision", "천원")))
    return parts


class _DepartmentSums:
    """Each department's sums of its projects' figures, by total. Kept while
    the process lives (serve): a rebuild takes out what the projects whose
    file changed added before and adds what they add now, instead of adding
    up all 10,000 projects again. A project counts as unchanged while its
    document is the same object (load.py keeps unchanged files' documents).
    It holds the documents last counted until the next check."""

    def __init__(self):
        self.counted: dict[str, Document] = {}
        self.parts: dict[str, dict[tuple, _Sum]] = defaultdict(dict)

    def of(self, projects: list[Document]) -> dict[str, dict[tuple, _Sum]]:
        now = {doc.name: doc for doc in projects}
        for name, doc in list(self.counted.items()):
            if now.get(name) is not doc:
                self._count(doc, -1)
                del self.counted[name]
        for name, doc in now.items():
            if name not in self.counted:
                self._count(doc, 1)
                self.counted[name] = doc
        return self.parts

    def _count(self, doc: Document, sign: int) -> None:
        for dept, key, amount, precision in checked_once(doc, _department_parts):
            sums = self.parts[dept]
            s = sums.get(key)
            if s is None:
                s = sums[key] = _Sum()
            s.add(amount, precision, sign)
            if not s.count:  # a total left with no parts is not checked
                del sums[key]


def check_sums(content: Content, tally: Counter | None = None, memory: Memory | None = None) -> list[Problem]:
    """Every printed total against the sum of its parts. tally, if given,
    counts per document the totals compared and those with a recorded difference."""
    tally = Counter() if tally is None else tally
    problems: list[Problem] = []
    projects = [d.data for d in content.of_kind("project")]

    memory = memory or Memory()
    if memory.department_sums is None:
        memory.department_sums = _DepartmentSums()
    dept_parts = memory.department_sums.of(content.of_kind("project"))

    def project_key(parts: dict):
        # A department total is the sum of its projects' figures in the same
        # document: from the same table where the projects are printed in it,
        # otherwise from the document's one untabled set of project figures.
        def key(t: dict) -> tuple:
            base = (t["year"], t["stage"], t["source"]["doc"], t.get("account"))
            return base + (t.get("table"),) if base + (t.get("table"),) in parts else base + (None,)
        return key

    bureau_parts: dict = defaultdict(_Sum)
    for doc in content.of_kind("department"):
        d = doc.data
        own = dept_parts.get(d["id"], {})
        problems += _reconcile(doc, ("totals",), d.get("totals", []), own, project_key(own),
                               d.get("discrepancies", []), "사업", tally)
        for t in d.get("totals", []):
            if t["stage"] != UNSTATED:
                bureau_parts[total_key(t)].add(t["amount"], t.get("precision", "천원"))

    site = content.one("site")
    assert site is not None  # validate() checks only content that has one
    bureau = site.data["bureau"]
    problems += _reconcile(site, ("bureau", "totals"), bureau.get("totals", []), bureau_parts, total_key,
                           bureau.get("discrepancies", []), "부서", tally)

    for doc in content.of_kind("project"):
        found, counted = checked_once(doc, _own_sums)
        problems += found
        tally.update(counted)
    if programs := content.one("programs"):
        problems += _check_programs(programs, projects, tally)
    if revenue := content.one("revenue"):
        problems += _check_revenue(revenue, tally)
    return problems


def _check_programs(doc: Document, projects: list[dict], tally: Counter) -> list[Problem]:
    """A unit program's total is the sum of its projects' figures from the same
    document; a strategic goal's total, the sum of its unit programs'."""
    by_id = {p["id"]: p for p in projects}
    problems = []
    unit_parts: dict = defaultdict(_Sum)
    for i, u in enumerate(doc.data["units"]):
        project_parts: dict = defaultdict(_Sum)
        for pid in u.get("projects", []):
            for f in by_id[pid]["figures"]:
                if f["stage"] == UNSTATED:
                    continue
                project_parts[(f["year"], f["stage"], f["source"]["doc"], f.get("table"))].add(
                    f["amount"], f.get("precision", "천원"))

        def key(t, parts=project_parts):
            k = (t["year"], t["stage"], t["source"]["doc"], t.get("table"))
            return k if k in parts else k[:-1] + (None,)
        problems += _reconcile(doc, ("units", i, "totals"), u["totals"], project_parts, key,
                               u.get("discrepancies", []), "세부사업", tally)
        for t in u["totals"]:
            if t["stage"] == UNSTATED:
                continue
            unit_parts[(u.get("goal"),) + total_key(t)].add(t["amount"], t.get("precision", "천원"))
    for i, g in enumerate(doc.data["goals"]):
        problems += _reconcile(doc, ("goals", i, "totals"), g["totals"], unit_parts,
                               lambda t, name=g["name"]: (name,) + total_key(t), g.get("discrepancies", []), "단위사업", tally)
    return problems


def _row_key(r: dict, name: str = "item") -> tuple:
    """A revenue row within its table: by default its own name, or with
    name="parent" the row it adds into."""
    return (r["year"], r["stage"], r["source"]["doc"], r.get("account"), r.get("table"), r[name])


def _printed_change(doc: Document, i: int, d: dict, key: tuple, items: list) -> list[Problem]:
    """A 증감 a document prints beside a row that its own two amounts do not
    give: difference = the printed change − the change of the printed amounts."""
    if "compared_year" not in d or "compared_stage" not in d:
        return [doc.problem(("discrepancies", i), "printed_change에는 compared_year와 compared_stage가 함께 있어야 합니다")]
    now = next((r["amount"] for r in items if _row_key(r) == key), None)
    before = next((r["amount"] for r in items if _row_key(r) == (d["compared_year"], d["compared_stage"]) + key[2:]), None)
    if now is None or before is None:
        return [doc.problem(("discrepancies", i), f"견줄 두 해의 '{d['item']}' 항목이 같은 표에 있어야 합니다")]
    if d["printed_change"] - (now - before) != d["difference"]:
        return [doc.problem(("discrepancies", i, "difference"),
                            f"기록된 차이 {d['difference']:,}천원이 인쇄된 증감 {d['printed_change']:,}천원과 "
                            f"두 금액의 차 {now - before:,}천원의 차이 {d['printed_change'] - (now - before):,}천원과 다릅니다")]
    return []


def _check_revenue(doc: Document, tally: Counter) -> list[Problem]:
    """Each revenue row with children printed under it must equal their sum."""
    items = doc.data["items"]
    children: dict = defaultdict(_Sum)
    for r in items:
        if r.get("parent"):
            children[_row_key(r, "parent")].add(r["amount"], r.get("precision", "천원"))
    problems = []
    printed = {_row_key(r): r["amount"] for r in items}
    recorded = {}
    for i, d in enumerate(doc.data.get("discrepancies", [])):
        key = (d["year"], d["stage"], d["doc"], d.get("account"), d.get("table"), d["item"])
        if "printed_change" in d:
            problems += _printed_change(doc, i, d, key, items)
            continue
        if "other_table" not in d:
            recorded[key] = (i, d)
            continue
        # Two tables of one document printing the same row differently.
        other = printed.get(key[:4] + (d["other_table"], d["item"]))
        if key not in printed or other is None:
            problems.append(doc.problem(("discrepancies", i), f"두 표 모두에 '{d['item']}' 항목이 있어야 합니다"))
        elif printed[key] - other != d["difference"]:
            problems.append(doc.problem(("discrepancies", i, "difference"),
                                        f"기록된 차이 {d['difference']:,}천원이 "
                                        f"실제 차이 {printed[key] - other:,}천원과 다릅니다"))
    used = set()
    for i, r in enumerate(items):
        key = _row_key(r)
        members = children.get(key)
        if members is None:
            continue
        diff, total, tolerance = _gap(r, members)
        tally[(r["source"]["doc"], "맞춰 봄")] += 1
        if key in recorded:
            tally[(r["source"]["doc"], "차이 기록")] += 1
            used.add(key)
            j, d = recorded[key]
            if abs(diff - d["difference"]) > tolerance:
                problems.append(doc.problem(("discrepancies", j, "difference"),
                                f"기록된 차이 {d['difference']:,}천원이 실제 차이 {diff:,}천원과 다릅니다"))
        elif abs(diff) > tolerance:
            problems.append(doc.problem(("items", i, "amount"),
                            f"세입 '{r['item']}' {r['year']}년 {r['stage']} ({r['source']['doc']}) {r['amount']:,}천원이 "
                            f"아래 항목 {members.count}개의 합 {total:,}천원과 {diff:,}천원 다릅니다. "
                            f"자료의 오류라면 discrepancies에 차이와 설명을 기록하세요"))
    for key, (j, _d) in recorded.items():
        if key not in used:
            problems.append(doc.problem(("discrepancies", j), "이 차이에 해당하는 세입 항목과 그 아래 항목이 없습니다"))
    return problems


def _own_sums(doc: Document) -> tuple[list[Problem], Counter]:
    """The sums within one project file, and what they counted: the same
    until the file changes, so serve checks them once."""
    tally: Counter = Counter()
    return _check_breakdowns(doc, tally) + _check_table_differences(doc) + check_foundation_budget(doc, tally), tally


def _check_table_differences(doc: Document) -> list[Problem]:
    """A project discrepancy naming a table compares two printings of one
    figure in one document: difference = the untabled figure − that table's."""
    figures = {(f["year"], f["stage"], f["source"]["doc"], f.get("table")): f["amount"] for f in doc.data["figures"]}
    problems = []
    for i, d in enumerate(doc.data.get("discrepancies", [])):
        if not d.get("table") or d.get("row"):  # a row of a foundation_budget table: checked there
            continue
        main = figures.get((d["year"], d["stage"], d["doc"], None))
        other = figures.get((d["year"], d["stage"], d["doc"], d["table"]))
        if main is None or other is None:
            problems.append(doc.problem(("discrepancies", i, "table"),
                                        f"표 '{d['table']}'의 금액과 표 없는 금액이 둘 다 있어야 비교할 수 있습니다"))
        elif d.get("difference") is not None and d["difference"] != main - other:
            problems.append(doc.problem(("discrepancies", i, "difference"),
                                        f"기록된 차이 {d['difference']:,}천원이 실제 차이 {main - other:,}천원"
                                        f"({main:,} − {other:,})과 다릅니다"))
    return problems


def _check_breakdowns(doc: Document, tally: Counter) -> list[Problem]:
    """A 통계목 breakdown must add up to the project's figure from the same document."""
    p = doc.data
    figures = {(f["year"], f["stage"], f["source"]["doc"]): f for f in p["figures"]}
    recorded = {(d["year"], d["stage"], d["doc"]): d for d in p.get("discrepancies", []) if not d.get("row")}
    problems = []
    for i, b in enumerate(p.get("breakdown", [])):
        key = (b["year"], b["stage"], b["source"]["doc"])
        figure = figures.get(key)
        if figure is None:
            continue
        total = sum(item["amount"] for item in b["items"])
        diff = figure["amount"] - total
        tolerance = HALF_UNIT[figure.get("precision", "천원")]
        tally[(b["source"]["doc"], "맞춰 봄")] += 1
        if abs(diff) > tolerance and key not in recorded:
            problems.append(doc.problem(
                ("breakdown", i, "items"),
                f"통계목 합 {total:,}천원이 {b['year']}년 {b['stage']} 금액 {figure['amount']:,}천원과 "
                f"{diff:,}천원 다릅니다. 자료의 오류라면 discrepancies에 기록하세요"))
    return problems
