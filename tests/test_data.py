"""The downloadable dataset: CSV that Excel opens in Korean, one row per
published figure, described by a data package that Frictionless accepts."""
import csv
import io
import json

import pytest
import yaml
from frictionless import validate

from budgetsite.data import BUDGET_COLUMNS, REVENUE_COLUMNS

from .conftest import FIXTURE_CONTENT


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no BOM: Excel on Windows would show mojibake"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def test_budget_csv_has_one_row_per_published_figure(fixture_site):
    rows = read_csv(fixture_site / "data/budget.csv")
    assert list(rows[0]) == BUDGET_COLUMNS
    projects = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (FIXTURE_CONTENT / "projects").glob("*.yaml")]
    depts = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (FIXTURE_CONTENT / "departments").glob("*.yaml")]
    site = yaml.safe_load((FIXTURE_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    expected = (sum(len(p["figures"]) for p in projects) + sum(len(d.get("totals", [])) for d in depts)
                + len(site["bureau"]["totals"]))
    assert len(rows) == expected
    # department and bureau totals: empty project_id; the bureau also an empty department_id
    assert sum(1 for r in rows if not r["project_id"] and r["department_id"]) == sum(len(d.get("totals", [])) for d in depts)
    bureau = [r for r in rows if not r["department_id"]]
    assert [(r["fiscal_year"], r["stage"], r["amount_thousand_krw"], r["department_name"]) for r in bureau] == \
        [("2025", "proposed", "3000000", "시험국")]


def test_budget_csv_names_are_those_printed_that_year(fixture_site):
    rows = read_csv(fixture_site / "data/budget.csv")
    by = {(r["project_id"], r["fiscal_year"], r["stage"]): r for r in rows}
    # map-platform was 지도 플랫폼 구축 in 2024, and alpha was 알파담당관 then
    assert by[("map-platform", "2024", "original")]["project_name"] == "지도 플랫폼 구축"
    assert by[("map-platform", "2024", "original")]["department_name"] == "알파담당관"
    assert by[("map-platform", "2025", "proposed")]["project_name"] == "지도 플랫폼 운영"
    assert by[("map-platform", "2025", "proposed")]["department_name"] == "알파과"
    spent = by[("map-platform", "2025", "spent")]
    assert (spent["as_of"], spent["amount_thousand_krw"], spent["source_id"], spent["source_line"]) == \
        ("2025-07-31", "600000", "doc-b", "12")
    assert spent["source_file"] == "doc-b.txt"


def test_rounded_figures_say_their_precision(fixture_site):
    rows = read_csv(fixture_site / "data/budget.csv")
    alpha_2024 = [r for r in rows if r["department_id"] == "alpha" and not r["project_id"] and r["fiscal_year"] == "2024"]
    assert [r["precision"] for r in alpha_2024] == ["백만원"]


def test_revenue_csv(fixture_site):
    rows = read_csv(fixture_site / "data/revenue.csv")
    assert list(rows[0]) == REVENUE_COLUMNS
    assert len(rows) == 9
    rent = next(r for r in rows if r["item"] == "임대료" and r["fiscal_year"] == "2025")
    assert (rent["parent"], rent["amount_thousand_krw"], rent["stage"]) == ("세외수입", "200000", "proposed")
    collected = next(r for r in rows if r["stage"] == "collected")
    assert collected["as_of"] == "2024-12-31"


@pytest.mark.parametrize("site_fixture", ["fixture_site", "real_site"])
def test_frictionless_accepts_the_data_package(site_fixture, request):
    site = request.getfixturevalue(site_fixture)
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]][0] == "budget.csv"
    report = validate(str(site / "data/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_rejects_a_broken_csv(fixture_site, tmp_path):
    # The validation above can fail: a non-integer amount is caught.
    for name in ("datapackage.json", "budget.csv", "revenue.csv"):
        (tmp_path / name).write_bytes((fixture_site / "data" / name).read_bytes())
    text = (tmp_path / "budget.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "budget.csv").write_text(text.replace(",600000,", ",육십만,", 1), encoding="utf-8-sig")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert any(e[1] == "amount_thousand_krw" for e in report.flatten(["rowNumber", "fieldName"]))


def test_the_whole_dataset_csv_is_guarded_against_formulas(paths):
    """A name or note that a spreadsheet would run as a formula is written as
    text in budget.csv too, by the same function as every table's download."""
    import csv as csv_module
    import io as io_module

    from budgetsite import data
    from budgetsite.pipeline import check
    project = paths.content / "projects" / "map-platform.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("name: 지도 플랫폼 운영", 'name: "=HYPERLINK(\\"x\\")"', 1),
                       encoding="utf-8")
    rows = list(csv_module.DictReader(io_module.StringIO(data.files(check(paths))["budget.csv"].decode("utf-8-sig"))))
    names = {r["project_name"] for r in rows if r["project_id"] == "map-platform"}
    assert "'=HYPERLINK(\"x\")" in names and not any(n.startswith("=") for n in names)
