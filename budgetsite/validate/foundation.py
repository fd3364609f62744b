"""The funded foundation's own budget tables: each row and column against its parts.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..load import Document
from ..problems import Problem


def foundation_row_key(r: dict) -> str:
    """How a discrepancy names a row of a foundation_budget table."""
    return f"{r['group']} · {r['name']}" if r.get("group") else r["name"]


def check_foundation_budget(doc: Document, tally: Counter) -> list[Problem]:
    """A foundation_budget table as printed: every parent row is the sum of
    its rows and every change column the difference of its two columns,
    column by column, unless a discrepancy (table, row, column) records the
    gap; a discrepancy naming other_table compares one figure in two tables."""
    p = doc.data
    tables = p.get("foundation_budget", [])
    by_name = {t["table"]: t for t in tables}
    recorded, problems = {}, []
    for j, d in enumerate(p.get("discrepancies", [])):
        if not d.get("row"):
            continue
        t = by_name.get(d.get("table"))
        if t is None:
            problems.append(doc.problem(("discrepancies", j, "table"), f"foundation_budget에 표 '{d.get('table')}'가 없습니다"))
            continue
        labels = [c["label"] for c in t["columns"]]
        rows = {foundation_row_key(r): r for r in t["rows"]}
        if d["row"] not in rows or d.get("column") not in labels:
            problems.append(doc.problem(("discrepancies", j),
                                        f"표 '{t['table']}'에 행 '{d['row']}'와 열 '{d.get('column')}'가 있어야 합니다"))
            continue
        if d.get("other_table"):
            o = by_name.get(d["other_table"])
            orow = o and {foundation_row_key(r): r for r in o["rows"]}.get(d.get("other_row"))
            olabels = [c["label"] for c in o["columns"]] if o else []
            if orow is None or d.get("other_column") not in olabels:
                problems.append(doc.problem(("discrepancies", j), "other_table에 other_row와 other_column이 있어야 합니다"))
                continue
            a = rows[d["row"]]["amounts"][labels.index(d["column"])]
            b = orow["amounts"][olabels.index(d["other_column"])]
            tally[(d["doc"], "맞춰 봄")] += 1
            if a is None or b is None or a - b != d.get("difference"):
                problems.append(doc.problem(("discrepancies", j, "difference"),
                                f"기록된 차이 {d.get('difference')}천원이 두 표의 차이({a} − {b})와 다릅니다"))
            continue
        recorded[(d["table"], d["row"], d["column"])] = j
    used = set()
    for ti, t in enumerate(tables):
        n = len(t["columns"])
        labels = [c["label"] for c in t["columns"]]
        for ci, c in enumerate(t["columns"]):
            if "change" in c and (max(c["change"]) >= n or "change" in t["columns"][c["change"][0]]
                                  or "change" in t["columns"][c["change"][1]]):
                problems.append(doc.problem(("foundation_budget", ti, "columns", ci, "change"),
                                            "증감은 두 금액 열 사이여야 합니다"))
                return problems
        names = {}
        for ri, r in enumerate(t["rows"]):
            if len(r["amounts"]) != n:
                problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "amounts"),
                                            f"열이 {n}개이므로 금액도 {n}개여야 합니다"))
                return problems
            key = (r.get("group"), r["name"])
            if key in names:
                problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "name"), "같은 이름의 행이 이미 있습니다"))
            names[key] = ri
        children: dict = defaultdict(list)
        for ri, r in enumerate(t["rows"]):
            if r.get("parent"):
                parent = names.get((r.get("group"), r["parent"]), names.get((None, r["parent"])))
                if parent is None:
                    problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "parent"),
                                                f"행 '{r['parent']}'가 없습니다"))
                else:
                    children[parent].append(r)

        def gap(ri: int, ci: int, printed: int, expected: int, what: str) -> None:
            r = t["rows"][ri]
            key = (t["table"], foundation_row_key(r), labels[ci])
            tally[(t["source"]["doc"], "맞춰 봄")] += 1
            diff = printed - expected
            j = recorded.get(key)
            if j is not None:
                used.add(key)
                tally[(t["source"]["doc"], "차이 기록")] += 1
                if p["discrepancies"][j].get("difference") != diff:
                    problems.append(doc.problem(("discrepancies", j, "difference"),
                                    f"기록된 차이 {p['discrepancies'][j].get('difference')}천원이 "
                                    f"실제 차이 {diff:,}천원과 다릅니다"))
            elif diff:
                problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "amounts", ci),
                                f"'{foundation_row_key(r)}'의 {labels[ci]} {printed:,}천원이 {what} {expected:,}천원과 "
                                f"{diff:,}천원 다릅니다. 자료의 오류라면 discrepancies에 기록하세요"))

        for ri, r in enumerate(t["rows"]):
            for ci, c in enumerate(t["columns"]):
                v = r["amounts"][ci]
                if v is None:
                    continue
                if "change" in c:
                    a, b = (r["amounts"][k] for k in c["change"])
                    if a is not None or b is not None:
                        gap(ri, ci, v, (a or 0) - (b or 0), f"{labels[c['change'][0]]} − {labels[c['change'][1]]}")
                    continue  # a change column follows its amount columns, which are summed
                if v < 0:
                    problems.append(doc.problem(("foundation_budget", ti, "rows", ri, "amounts", ci),
                                                "금액 열의 값은 음수일 수 없습니다"))
                cells = [k["amounts"][ci] for k in children.get(ri, [])]
                if any(x is not None for x in cells):
                    gap(ri, ci, v, sum(x or 0 for x in cells), f"아래 {len(cells)}개 행의 합")
    for cell, j in recorded.items():
        if cell not in used:
            problems.append(doc.problem(("discrepancies", j),
                                        f"표 '{cell[0]}'의 '{cell[1]}' {cell[2]} 칸은 인쇄된 값과 계산한 값이 같습니다"))
    return problems
