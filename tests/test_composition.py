"""Composition (issue 27 §1): the treemap's layout tiles its rectangle with
areas in proportion to the figures and no overlap; one treemap's figures come
from one stage of one document, the one covering the most projects; 통계목
breakdowns are summed per document and marked partial."""
from __future__ import annotations

import json
import re
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetsite.charts.treemap import HEIGHT, Part, layout, linked_from, treemap
from budgetsite.model import Department, Figure, FigureSet, NamePeriod, Project, Source, SourceRef
from budgetsite.model.composition import best_basis, breakdowns, compose, years
from budgetsite.render.composition import sentence

EPS = 1e-6


def _check_tiling(values, rects, x, y, dx, dy):
    assert len(rects) == len(values)
    # Inside the rectangle.
    for r in rects:
        assert r.dx > 0 and r.dy > 0
        assert x - EPS <= r.x and r.x + r.dx <= x + dx + EPS
        assert y - EPS <= r.y and r.y + r.dy <= y + dy + EPS
    # Exactly its area, each in proportion to its value.
    assert sum(r.area for r in rects) == pytest.approx(dx * dy, rel=1e-9, abs=1e-6)
    total = sum(values)
    for v, r in zip(values, rects):
        assert r.area == pytest.approx(dx * dy * v / total, rel=1e-6, abs=1e-6)
    # No two overlap (touching edges allowed).
    for a, b in combinations(rects, 2):
        overlap_x = min(a.x + a.dx, b.x + b.dx) - max(a.x, b.x)
        overlap_y = min(a.y + a.dy, b.y + b.dy) - max(a.y, b.y)
        assert overlap_x <= EPS or overlap_y <= EPS, (a, b)


def test_layout_tiles_the_area_in_proportion():
    values = [500, 300, 120, 50, 20, 7, 3]
    _check_tiling(values, layout(values, 10, 20, 384, 300), 10, 20, 384, 300)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=40),
       st.floats(min_value=20, max_value=1000), st.floats(min_value=20, max_value=1000))
def test_layout_tiles_any_figures(values, dx, dy):
    values = sorted(values, reverse=True)
    _check_tiling(values, layout(values, 0, 0, dx, dy), 0, 0, dx, dy)


def test_layout_refuses_nothing_to_draw():
    assert layout([], 0, 0, 10, 10) == []
    with pytest.raises(ValueError):
        layout([5, 0], 0, 0, 10, 10)


def test_nested_treemap_rectangles_tile_their_department():
    groups = [("가과", [Part("큰 사업", "가과", 700, "projects/a/index.html", "70.0%"),
                       Part("작은 사업", "가과", 100, "projects/b/index.html", "10.0%")]),
              ("나과", [Part("나 사업", "나과", 200, "projects/c/index.html", "20.0%")])]
    chart = treemap("t", "제목", groups, "../../")
    rows = chart.fixed["data"]["values"]
    departments = [r for r in rows if r["종류"] == "부서"]
    projects = [r for r in rows if r["종류"] == "사업"]
    area = {r["부서"]: (r["x2"] - r["x"]) * (r["y2"] - r["y"]) for r in departments}
    assert sum(area.values()) == pytest.approx(384 * HEIGHT, abs=1)
    assert area["가과"] / area["나과"] == pytest.approx(800 / 200, rel=1e-3)
    for d in departments:
        inside = [p for p in projects if p["부서"] == d["부서"]]
        assert sum((p["x2"] - p["x"]) * (p["y2"] - p["y"]) for p in inside) == pytest.approx(area[d["부서"]], abs=1)
    assert [p["링크"] for p in projects] == ["../../projects/a/index.html", "../../projects/b/index.html",
                                            "../../projects/c/index.html"]
    # An embed page's copy links from the base URL; the page's own is untouched.
    other = linked_from(chart, "../../", "https://example.org/")
    assert {r["링크"] for r in other.spec["data"]["values"] if "링크" in r} == \
        {"https://example.org/projects/a/index.html", "https://example.org/projects/b/index.html",
         "https://example.org/projects/c/index.html"}
    assert projects[0]["링크"] == "../../projects/a/index.html"


def test_the_drawn_treemap_carries_relative_links():
    from budgetsite.charts import render_svg
    chart = treemap("t", "제목", [("가과", [Part("큰 사업", "가과", 700, "projects/a/index.html", "70%")])], "../")
    svg = render_svg(json.dumps(chart.fixed))
    assert set(re.findall(r'<a href="([^"]*)"', svg)) == {"../projects/a/index.html"}
    assert "큰 사업" in svg  # its name fits: written


# Figure selection, on a hand-made site.

DOC_A = Source("doc-a", "가 보고서", "국", "2024-11", "검토보고서", ["천원"], "a.txt")
DOC_B = Source("doc-b", "나 자료", "국", "2025-03", "업무보고", ["천원"], "b.txt")


def _dept(id: str, name: str) -> Department:
    return Department(id, [NamePeriod(name, 2020, None)], "", [], [], [], FigureSet([]), [])


def _project(id: str, dept: Department, figures: list[Figure], breakdown: list[dict] | None = None) -> Project:
    p = Project(id, f"{id} 사업", [], {f.year: dept for f in figures}, "일반회계", "", None, FigureSet(figures),
                breakdown or [], [], [])
    dept.projects.append(p)
    return p


def _f(year: int, stage: str, amount: int, doc: Source, line: int = 1, **kw) -> Figure:
    return Figure(year, stage, amount, SourceRef(doc, line), **kw)


@pytest.fixture
def projects():
    a, b = _dept("a", "가과"), _dept("b", "나과")
    return [
        # Doc A gives 예산안 for three projects; doc B 본예산 for two of them (and a larger amount).
        _project("p1", a, [_f(2025, "예산안", 1000, DOC_A), _f(2025, "본예산", 9999, DOC_B),
                           # a second table of doc A, less precise: not taken
                           _f(2025, "예산안", 1000, DOC_A, 50, precision="백만원", table="주요내역")],
                 [{"year": 2025, "stage": "예산안", "source": SourceRef(DOC_A, 7),
                   "items": [{"code": "201", "name": "일반운영비", "amount": 400},
                             {"code": None, "name": "출연금", "amount": 600}]}]),
        _project("p2", a, [_f(2025, "예산안", 300, DOC_A), _f(2025, "본예산", 8888, DOC_B),
                           _f(2025, "예산안", 777, DOC_A, 9, account="특별회계")]),
        _project("p3", b, [_f(2025, "예산안", 0, DOC_A), _f(2024, "최종예산", 50, DOC_B), _f(2024, "본예산", 50, DOC_A)],
                 [{"year": 2025, "stage": "예산안", "source": SourceRef(DOC_A, 8),
                   "items": [{"code": None, "name": "출연금", "amount": 5}]}]),
        _project("p4", b, [_f(2024, "최종예산", 60, DOC_B),
                           _f(2024, "본예산", 60, DOC_A)]),
    ]


def test_the_basis_is_the_stage_and_document_covering_most_projects(projects):
    basis = best_basis(projects, 2025)
    assert (basis.stage, basis.source.id) == ("예산안", "doc-a")
    assert "2025년 예산안" in basis.label and DOC_A.short in basis.label
    comp = compose(projects, basis)
    # One stage of one document, every figure; never doc B's larger 본예산.
    assert {(i.figure.stage, i.figure.source.source.id) for i in comp.items} == {("예산안", "doc-a")}
    assert {i.project.id: i.figure.amount for i in comp.items} == {"p1": 1000, "p2": 300, "p3": 0}
    # The whole-account figure of the main table, not the account's part nor the rounded table.
    assert all(i.figure.account is None and i.figure.table is None for i in comp.items)
    assert comp.total == 1300 and comp.of == 3
    assert [g.name for g in comp.groups] == ["가과", "나과"]
    assert [i.project.id for i in comp.zero] == ["p3"]


def test_a_tie_goes_to_the_more_settled_stage(projects):
    basis = best_basis(projects, 2024)  # 최종예산 (doc B) and 본예산 (doc A) both cover p3 and p4
    assert (basis.stage, basis.source.id) == ("최종예산", "doc-b")
    comp = compose(projects, basis)
    assert {i.project.id for i in comp.items} == {"p3", "p4"}
    assert years(projects) == [2024, 2025]


def test_a_department_treemap_holds_only_its_projects(projects):
    basis = best_basis(projects, 2025)
    comp = compose(projects, basis, projects[0].department)
    assert {i.project.id for i in comp.items} == {"p1", "p2"}


def test_the_sentence_says_the_largest_parts_from_the_shown_figures(projects):
    comp = compose(projects, best_basis(projects, 2025))
    text = sentence(comp)
    assert "사업 3개의 금액 합은 130만원입니다" in text
    assert "가과 130만원(100.0%)" in text and "p1 사업 100만원(76.9%)" in text


def test_a_sum_keeps_the_precision_of_its_coarsest_figure():
    """One figure printed in 백만원 among 천원 ones: a project says its own figure
    as printed; the sums say 약 and stop at 백만원; the table's sum stays exact."""
    a = _dept("a", "가과")
    ps = [_project("q1", a, [_f(2025, "예산안", 1_234_567, DOC_A)]),
          _project("q2", a, [_f(2025, "예산안", 2_000_000, DOC_A, precision="백만원")])]
    comp = compose(ps, best_basis(ps, 2025))
    assert comp.total == 3_234_567 and comp.unit == 1000
    text = sentence(comp)
    assert "금액 합은 약 32억 3,500만원입니다" in text
    assert "q2 사업 20억원(61.8%)" in text and "q1 사업 12억 3,456만 7천원(38.2%)" in text
    assert "32억 3,456만 7천원" not in text


def test_breakdowns_are_summed_per_document_and_marked_partial(projects):
    [b] = breakdowns(projects, 2025)
    assert (b.basis.stage, b.basis.source.id) == ("예산안", "doc-a")
    assert [(c.name, c.amount, c.projects) for c in b.categories] == [("출연금", 605, 2), ("201 일반운영비", 400, 1)]
    assert b.partial  # two of the three projects doc A gives 2025 예산안 for
    assert b.covered == 1000 and b.composition.total == 1300


def test_the_treemap_spec_is_valid_vega_lite():
    import altair as alt
    import jsonschema
    validator = jsonschema.Draft7Validator(alt.vegalite.v6.schema.core.load_schema())
    chart = treemap("t", "제목", [("가과", [Part("큰 사업", "가과", 700, "projects/a/index.html", "70%"),
                                           Part("작은 사업", "가과", 300, "projects/b/index.html", "30%")]),
                                 ("나과", [Part("나 사업", "나과", 200, "projects/c/index.html", "20%")])], "")
    for spec in (chart.spec, chart.fixed):
        errors = list(validator.iter_errors(spec))
        assert errors == [], errors[0].message
    assert list(validator.iter_errors({**chart.spec, "mark": "no-such-mark"}))  # it can fail
