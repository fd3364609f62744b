"""Long compositions stay light (issue 28 §3): past limits.COMPOSITION_PER_DEPARTMENT
projects in a department, a composition (the treemap and the table under it) names
its largest and holds the rest in one 「그 밖의 사업 N개」 entry, the sum of exactly
their figures; the page says every project's figure is in data/budget.csv. Below
the limit nothing is grouped: the real site's compositions are as they were."""
from __future__ import annotations

import sys
from collections import defaultdict

import pytest

from budgetsite import publish, registry, terms
from budgetsite.charts import bundle_name
from budgetsite.model.composition import OTHERS, best_basis, compose
from budgetsite.pipeline import Paths, check
from budgetsite.render import limits
from budgetsite.render.composition import composition_years, department_section, section, sentence
from budgetsite.render.page import Page, environment

from .conftest import PROJECT
from .test_build_cache import fresh_root
from .test_composition import DOC_A, _dept, _f, _project

sys.path.insert(0, str(PROJECT / "benchmarks"))
from synthetic import generate  # noqa: E402

LOW = 4  # the limit in these tests: 12 projects in each of 3 departments


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("composition-scale")
    made = generate(tmp / "synthetic", projects=36, departments=3)
    paths = Paths(fresh_root(tmp), made / "content", made / "sources", tmp / "site")
    return paths, check(paths)


def _latest(site):
    return composition_years(site)[-1][0]


def _table_entries(table):
    """(department, name, amount) of each row, as the table's files hold them."""
    return [(r[0].value, r[1].value, r[2].value) for r in table.rows]


def _chart_entries(chart):
    rows = chart.spec["data"]["values"]
    assert rows == chart.fixed["data"]["values"]  # the live chart and the drawing alike
    return [(r["부서"], r["사업"], r["값"]) for r in rows if r["종류"] == "사업"]


def test_a_department_past_the_limit_shows_its_largest_and_one_sum_of_the_rest(synthetic, monkeypatch):
    monkeypatch.setattr(limits, "COMPOSITION_PER_DEPARTMENT", LOW)
    _, site = synthetic
    projects = list(site.projects.values())
    year = _latest(site)
    basis = best_basis(projects, year)
    whole = compose(projects, basis)  # every project's figure, nothing grouped
    assert all(len(g.items) == 12 for g in whole.groups)
    by_department: dict[str, dict[str, int]] = defaultdict(dict)
    for i in whole.items:
        by_department[i.department.id][i.project.id] = i.figure.amount

    comp = compose(projects, basis, named=LOW)
    assert comp.total == whole.total and len(comp.items) == len(whole.items)
    assert len(comp.entries) == 3 * (LOW + 1) and len(comp.rests) == 3
    for g in comp.groups:
        figures = by_department[g.department.id]
        shown = {i.project.id for i in g.shown}
        assert len(shown) == LOW
        # The largest by name: none left out is larger than one shown.
        assert min(figures[p] for p in shown) >= max(a for p, a in figures.items() if p not in shown)
        rest = g.rest
        assert rest is not None and rest.name == f"{OTHERS} 8개"
        held = {i.project.id for i in rest.items}
        assert held == set(figures) - shown  # exactly the projects not shown, each once
        assert rest.amount == sum(a for p, a in figures.items() if p not in shown)
        # Shown and grouped add up to the department's total.
        assert sum(figures[p] for p in shown) + rest.amount == sum(figures.values()) == g.amount

    # The page's treemap and table: the same entries, the grouped ones with those sums.
    made = section(site, Page("composition/x/index.html", "composition.html"), year, projects, "c")
    assert made is not None and made["named"] == LOW and made["download"] == "data/budget.csv"
    table, chart = _table_entries(made["table"]), _chart_entries(made["chart"])
    assert table == chart
    assert table == [(e.department_name, e.name if e in comp.rests else e.project.name_printed(e.figure),
                      e.amount if e in comp.rests else e.figure.amount) for e in comp.entries]
    rests = [(d, a) for d, name, a in table if name.startswith(OTHERS)]
    assert sorted(rests) == sorted((g.name, g.rest.amount) for g in comp.groups if g.rest)
    # A reader adding a department's rows gets its total; all rows, the table's foot.
    for g in comp.groups:
        assert sum(a for d, _, a in table if d == g.name) == g.amount
    assert made["table"].foot[0][2].value == whole.total == sum(a for *_, a in table)
    # The grouped rectangle links to its department, its amount said in words.
    grouped = [r for r in made["chart"].spec["data"]["values"] if r.get("사업", "").startswith(OTHERS)]
    assert {r["링크"] for r in grouped} == {"../../" + g.department.path for g in comp.groups}

    # The sentence names only projects it shows by name, and counts every project.
    text = made["sentence"]
    assert f"사업 {len(whole.items)}개의 금액 합은 {comp.in_words(whole.total)}" in text
    shown_names = {i.project.name_printed(i.figure) for i in comp.shown}
    largest = sorted(whole.items, key=lambda i: -i.figure.amount)[0]
    assert largest.project.name_printed(largest.figure) in text  # a department's largest is always shown
    hidden = [i.project.name_printed(i.figure) for i in whole.items
              if i.project.name_printed(i.figure) not in shown_names]
    assert hidden and not any(f"{n} " in text for n in hidden)


def test_the_sentence_takes_its_largest_projects_from_those_shown(synthetic):
    _, site = synthetic
    projects = list(site.projects.values())
    comp = compose(projects, best_basis(projects, _latest(site)), named=1)
    text = sentence(comp)
    named = sorted(comp.shown, key=lambda i: -i.figure.amount)
    for i in named:
        assert i.project.name_printed(i.figure) + " " in text
    assert OTHERS not in text


def test_the_pages_say_where_every_figure_is(synthetic, monkeypatch):
    monkeypatch.setattr(limits, "COMPOSITION_PER_DEPARTMENT", LOW)
    paths, site = synthetic
    year = _latest(site)
    env = environment(paths.templates)
    make = publish.PageFiles(env, site, bundle_name(), "", terms.Linker(site.glossary))
    for kind, key, root in (("composition", (year,), "../../"), ("composition index", (), "../"), ("home", (), "")):
        files = make(registry.KIND[kind].page(site, key))
        page = next(html for name, html in files.items() if name.endswith("index.html"))
        assert f'<a href="{root}data/budget.csv">' in page
        assert page.count(f">{OTHERS} 12개<") == 0 and page.count(f">{OTHERS} 8개</a>") == 3  # the table's rows
        embed = next(html for name, html in files.items() if "embed/composition" in name and name.endswith(".html"))
        assert embed.count(f"{OTHERS} 8개") >= 3  # the embed page's chart and table too


def test_a_department_page_groups_its_own_projects(synthetic, monkeypatch):
    monkeypatch.setattr(limits, "COMPOSITION_PER_DEPARTMENT", LOW)
    _, site = synthetic
    d = sorted(site.departments.values(), key=lambda d: d.id)[0]
    made = department_section(site, Page(d.path, "department.html"), d)
    assert made is not None
    table, chart = _table_entries(made["table"]), _chart_entries(made["chart"])
    assert sorted(table) == sorted(chart) and len(table) == LOW + 1
    assert sum(a for *_, a in table) == made["table"].foot[0][2].value


def test_under_the_limit_nothing_is_grouped(synthetic, monkeypatch):
    monkeypatch.setattr(limits, "COMPOSITION_PER_DEPARTMENT", 12)  # exactly each department's projects
    _, site = synthetic
    projects = list(site.projects.values())
    year = _latest(site)
    made = section(site, Page("composition/x/index.html", "composition.html"), year, projects, "c")
    assert made is not None and made["named"] is None
    whole = compose(projects, best_basis(projects, year))
    table = _table_entries(made["table"])
    assert len(table) == len(whole.items) == 36 and not any(name.startswith(OTHERS) for _, name, _ in table)
    assert table == _chart_entries(made["chart"])


def test_a_grouped_sum_keeps_the_precision_of_its_coarsest_figure():
    """One figure of the rest printed in 백만원: the entry's words say 약 and stop
    at 백만원, its table cell keeps the exact sum and marks it rounded."""
    from budgetsite.render.composition import rest_cell
    a = _dept("a", "가과")
    ps = [_project("q1", a, [_f(2025, "예산안", 5_000_000, DOC_A)]),
          _project("q2", a, [_f(2025, "예산안", 1_234_567, DOC_A)]),
          _project("q3", a, [_f(2025, "예산안", 2_000_000, DOC_A, precision="백만원")])]
    comp = compose(ps, best_basis(ps, 2025), named=1)
    [rest] = comp.rests
    assert {i.project.id for i in rest.items} == {"q2", "q3"} and rest.amount == 3_234_567
    assert rest.unit == 1000 and rest.precision == "백만원"
    assert rest.in_words() == "약 32억 3,500만원"
    amount = rest_cell(comp, rest)
    assert amount.value == 3_234_567 and amount.text == "3,234,567" and amount.rounded


def test_the_real_site_groups_nothing():
    """The limit sits above every department's projects in every composition of
    content/ (at most 11): its pages come out as before."""
    paths = Paths.default()
    if not paths.sources.exists():
        pytest.skip(f"source texts not found at {paths.sources}")
    site = check(paths)
    projects = list(site.projects.values())
    for (year,) in composition_years(site):
        comp = compose(projects, best_basis(projects, year), named=limits.COMPOSITION_PER_DEPARTMENT)
        assert not comp.rests and comp.entries == comp.items
    for d in site.departments.values():
        made = department_section(site, Page(d.path, "department.html"), d)
        assert made is None or made["named"] is None
