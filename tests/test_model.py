"""Derived values on the real content: side-by-side department figures come
from one report, and year-on-year changes compare figures from one report."""
import pytest

from budgetsite.load import load_content
from budgetsite.model import Project, build_site
from budgetsite.pipeline import Paths, check
from budgetsite.validate import HALF_UNIT

from .conftest import FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT


@pytest.fixture(scope="module")
def site():
    paths = Paths.default()
    return build_site(load_content(paths.content))


def test_each_years_department_figures_add_up_to_the_bureau(site):
    for year in site.years:
        basis = site.basis(year)
        if basis is None:
            continue
        parts = [f for d in site.departments.values() if (f := d.totals.like(basis))]
        assert len(parts) >= 4, year
        assert {(f.source.source.id, f.stage, f.table, f.scope) for f in parts} == \
            {(basis.source.source.id, basis.stage, basis.table, basis.scope)}
        tolerance = HALF_UNIT[basis.precision] + sum(HALF_UNIT[f.precision] for f in parts)
        assert abs(sum(f.amount for f in parts) - basis.amount) <= tolerance, year


def test_a_department_split_mid_year_is_not_counted_twice(site):
    # 정보통신보안담당관 became 정보보안과 + 정보통신과 on 2024-07-01; the 2024 column
    # must not hold both the old department and its successors.
    basis = site.basis(2024)
    old = site.departments["ict-security"].totals.like(basis)
    new = [site.departments[d].totals.like(basis) for d in ("information-security", "telecommunications")]
    assert old is None or all(n is None for n in new)


def test_changes_compare_only_comparable_stages(site):
    from budgetsite.model import COMPARABLE
    kinds = set()
    for project in site.projects.values():
        years = project.figures.years
        for a, b in zip(years, years[1:]):
            ch = project.figures.change(a, b)
            kinds.add(ch.kind)
            if ch.kind == "change":
                assert (ch.before.stage, ch.after.stage) in COMPARABLE, project.id
                assert (ch.before.year, ch.after.year) == (a, b)
            else:
                assert ch.delta is None and ch.rate is None  # nothing derived without a pair
    assert {"change", "incomparable"} <= kinds


def test_the_first_comparable_pair_is_taken(site):
    from budgetsite.model import Change
    figs = site.projects["intelligent-cctv-upgrade"].figures
    # 2025 has 예산현액 (dated, larger) and 예산안: the 예산안 is compared with 2024's 최종예산.
    ch = figs.change(2024, 2025)
    assert (ch.before.stage, ch.after.stage) == ("최종예산", "예산안")
    assert (ch.before_shown, ch.after_shown, ch.delta, str(ch.rate)) == (17060, 14128, -2932, "-17.2")
    # 2020 has only 예산현액, 2021 only 예산안: shown, not compared.
    ch = figs.change(2020, 2021)
    assert ch.kind == "incomparable" and ch.before.stage == "예산현액" and ch.delta is None
    assert Change(None, figs.get(2025, "예산안"), "new").delta == 14128


def test_a_project_names_the_files_its_page_is_made_from():
    # Made from the project's file alone; it must be every file the model
    # links the project to: its own, its departments', and those its history names.
    for paths in (Paths(PROJECT, FIXTURE_CONTENT, FIXTURE_SOURCES, PROJECT / "unused"), Paths.default()):
        if not paths.sources.exists():
            continue
        site = check(paths)
        for p in site.projects.values():
            # Its departments: every one a document places a year under (placements), not only the one per year.
            linked = [p, *(d for _, _, d in p.placements), *(site.projects[h["project"]] for h in p.history if h["project"]),
                      *(site.departments[h["department"]] for h in p.history if h["department"])]
            assert p.files == {f"{'projects' if isinstance(x, Project) else 'departments'}/{x.id}.yaml"
                               for x in linked}, p.id


def test_a_figure_belongs_to_the_department_its_document_places_it_under(paths):
    """A document written after a reorganisation may place a year's figures
    under the new department: those figures are that department's, the
    others stay with the department the year names (issue: departments by date)."""
    from budgetsite import data
    from budgetsite.problems import ContentError
    project = paths.content / "projects" / "map-platform.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("  - {year: 2024, department: alpha}\n",
                                    "  - {year: 2024, department: alpha}\n"
                                    "  - {year: 2024, department: beta, documents: [doc-a]}\n"), encoding="utf-8")
    site = build_site(load_content(paths.content))
    p = site.projects["map-platform"]
    alpha, beta = site.departments["alpha"], site.departments["beta"]
    assert {p.department_of(f).id for f in p.figures.all if f.year == 2024} == {"beta"}  # doc-a places them under beta
    assert {p.department_of(f).id for f in p.figures.all if f.year == 2025} == {"alpha"}
    assert p.departments_in(2024) == [alpha, beta] and p in beta.projects and p in alpha.projects
    assert p.department_in(2024) is beta  # the department after the reorganisation
    rows = [r for r in data.budget_rows(site) if r["project_id"] == "map-platform" and r["fiscal_year"] == 2024]
    assert rows and {r["department_id"] for r in rows} == {"beta"}
    assert [pl["department"].id for pl in p.placed_apart[0]["places"]] == ["beta"]
    # A second placement of one document in one year is refused, with its line.
    project.write_text(text.replace("  - {year: 2024, department: alpha}\n",
                                    "  - {year: 2024, department: alpha}\n"
                                    "  - {year: 2024, department: beta, documents: [doc-a]}\n"
                                    "  - {year: 2024, department: alpha, documents: [doc-a]}\n"), encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        check(paths)
    assert any("map-platform.yaml:9 [departments[2].documents]" in str(p) and "doc-a 자료의 부서가 두 번" in str(p)
               for p in failed.value.problems)
