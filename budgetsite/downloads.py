"""The table downloads of project and comparison pages, made from the values
their templates show rather than read back from the page (tables.py reads
the rest): reading the pages back took much of the time their pages took.

Each maker says in rows what its template shows in cells: the words a
reader sees (asides, markers and screen-reader text left out, as tables.py
leaves them out) and the exact amount of each amount cell. A test holds
every table made here equal to the same table read from its page, on the
real site and the fixtures, so a template changed without its maker fails.
"""
from __future__ import annotations

from .tables import Table, parse_number


def _words(*parts) -> str:
    """Text as a reader sees it: Jinja's rendering of each value, every run of
    whitespace one space."""
    return " ".join(" ".join(str(p) for p in parts).split())


def _amount(c: dict | None) -> int | None:
    return c["value"] if c else None


def _stage_table(t: dict, caption: str, id: str) -> Table:  # _macros.html stage_table
    rows = [[_words(r["year"]), *(_amount(c) for c in r["cells"])] for r in t["rows"]]
    return Table(id, _words(caption), ["연도", *map(_words, t["stages"])], rows,
                 set(range(1, len(t["stages"]) + 1)) if rows else set())


def _figures_table(rows: list[dict], caption: str, id: str = "figures") -> Table:  # _macros.html figures_table
    def source(r: dict) -> str:
        return _words(r["source"].label, r["note"] or "", f"원문에 없는 금액: {r['recovered']}" if r["recovered"] else "")
    return Table(id, _words(caption), ["연도", "단계", "금액", "기준일", "구분", "출처"],
                 [[_words(r["year"]), _words(r["stage"]), r["value"], _words(r["as_of"]), _words(r["detail"]), source(r)]
                  for r in rows], {2} if rows else set())


def project(context: dict) -> dict[str, Table]:
    """project.html's tables, by id."""
    p = context["project"]
    made = {"figures": _figures_table(context["figure_rows"], f"{p.name} 금액과 출처")}
    if context["budget_table"]["rows"]:
        made["budget"] = _stage_table(context["budget_table"], f"{p.name} 예산", "budget")
    if context["snapshots"]:
        made["execution"] = Table(
            "execution", "보고서 기준일별 집행",
            ["연도", "기준일", "예산현액", "원인행위액", "원인행위율", "지출액", "집행률", "출처"],
            [[_words(s["year"]), _words(s["as_of"]), _amount(s["current"]), _amount(s["committed"]),
              _words(s["committed_rate"]), _amount(s["spent"]), _words(s["spent_rate"]),
              _words(s["source"].label, f"({s['table']})" if s["table"] else "")]
             for s in context["snapshots"]], {2, 3, 5})
    for i, b in enumerate(context["breakdowns"], 1):
        rows = [[_words(f"{r['code']} " if r.get("code") else "", r["name"]), r["amount"], _words(r["share"])]
                for r in b["rows"]]
        made[f"breakdown-{i}"] = Table(f"breakdown-{i}", _words(f"{b['year']}년 {b['stage']} 통계목별 내역",
                                                                 b["source"].label),
                                       ["통계목", "금액", "비중"], [*rows, ["계", b["total_value"], "100.0%"]], {1})
    for f in context.get("foundation", []):
        head = (["구분"] if f["grouped"] else []) + ["항목"] + [_words(c["label"]) for c in f["columns"]] + ["원문 줄"]
        rows = [([_words(r["group"] or "")] if f["grouped"] else [])
                + [_words(r["name"])] + [c["value"] for c in r["cells"]] + [_words(r["line"])]
                for r in f["table_rows"]]
        first = 2 if f["grouped"] else 1
        made[f["id"]] = Table(f["id"], _words(f["table"], f["source"].label), head, rows,
                              set(range(first, first + len(f["columns"]))))
    return made


def _change(r: dict) -> list:  # _macros.html change_cells
    return [_words(r["before_stage"]), _amount(r["before"]), _words(r["after_stage"]), _amount(r["after"]),
            parse_number(r["delta_number"]), parse_number(r["rate_number"])]


def compare(context: dict) -> dict[str, Table]:
    """compare.html's table."""
    a, b, rows = context["a"], context["b"], context["rows"]
    return {"compare": Table(
        "compare", f"{a}년과 {b}년 사업별 예산",
        ["사업", "신규·종료", "부서", f"{a} 단계", str(a), f"{b} 단계", str(b), "증감 (백만원)", "증감률 (%)"],
        [[_words(r["project"].name), _words(r["mark"] or ""), _words(r["dept"].name), *_change(r)] for r in rows],
        {4, 6} if rows else set())}
