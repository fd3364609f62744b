"""Editions (issue 26 §1): each edition's published CSVs kept in content/editions/,
a change list per edition, 변경 이력, feed.xml, and build.py edition."""
from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
import yaml
from lxml import html as lhtml

from budgetsite import cli, editions
from budgetsite.data import BUDGET_COLUMNS, REVENUE_COLUMNS, to_csv
from budgetsite.pipeline import Paths, check
from budgetsite.problems import ContentError

from .conftest import FIXTURE_SOURCES, PROJECT, is_embed

EDITIONS = PROJECT / "content" / "editions"


def _row(**kw) -> dict[str, str]:
    base = {c: "" for c in BUDGET_COLUMNS}
    base.update(fiscal_year="2024", stage="final", department_id="d1", department_name="가부서", project_id="p1",
                project_name="가사업", account="일반회계", amount_thousand_krw="1000", precision="천원",
                source_id="doc", source_file="doc.txt", source_line="10")
    base.update(kw)
    return base


def test_a_changed_amount_is_one_figure_changed_with_both_sources():
    old = [_row(), _row(stage="original", amount_thousand_krw="900", source_line="11")]
    new = [_row(amount_thousand_krw="1200", source_line="12"), _row(stage="original", amount_thousand_krw="900",
                                                                      source_line="11")]
    [change] = editions.figure_changes(old, new)
    assert change.kind == "changed" and change.fields == ["금액", "출처 줄"]
    assert (change.old["amount_thousand_krw"], change.new["amount_thousand_krw"]) == ("1000", "1200")


def test_added_and_removed_figures():
    old = [_row(), _row(fiscal_year="2023")]
    new = [_row(), _row(fiscal_year="2025")]
    kinds = sorted((c.kind, c.row["fiscal_year"]) for c in editions.figure_changes(old, new))
    assert kinds == [("added", "2025"), ("removed", "2023")]


def test_a_table_named_in_the_note_is_a_change_not_a_new_figure():
    old = [_row(note="")]
    new = [_row(note="표: 세출예산 집행현황")]
    [change] = editions.figure_changes(old, new)
    assert change.kind == "changed" and change.fields == ["덧붙임"]


def test_projects_added_renamed_moved_and_ended():
    old = [_row(), _row(project_id="p2", project_name="나사업"), _row(project_id="p3", project_name="다사업")]
    new = [_row(project_name="가사업 고도화", department_id="d2", department_name="나부서"),
           _row(project_id="p2", project_name="나사업"), _row(project_id="p4", project_name="라사업")]
    places = editions.place_changes(old, new, "project_id", "project_name") + editions.moves(old, new)
    assert {(p.kind, p.id) for p in places} == {("added", "p4"), ("renamed", "p1"), ("ended", "p3"), ("moved", "p1")}
    renamed = next(p for p in places if p.kind == "renamed")
    assert (renamed.name, renamed.detail) == ("가사업 고도화", "가사업")
    assert next(p for p in places if p.kind == "moved").detail == "2024년 가부서 → 나부서"


def test_departments_renamed_from_their_rows():
    old = [_row(project_id="", project_name="")]
    new = [_row(project_id="", project_name="", department_name="가과")]
    [place] = editions.place_changes(old, new, "department_id", "department_name")
    assert (place.kind, place.name, place.detail) == ("renamed", "가과", "가부서")


def _discrepancy(**kw) -> dict[str, str]:
    base = {"place": "department:d1", "place_name": "가부서", "fiscal_year": "2024", "stage": "최종예산",
            "kind": "인쇄 오류", "source_id": "doc", "table": "", "other_table": "", "difference": "100"}
    base.update(kw)
    return base


def test_discrepancies_added_and_resolved():
    old = [_discrepancy(), _discrepancy(place="project:p1"), _discrepancy(fiscal_year="2023")]
    new = [_discrepancy(table="세출 총괄"),  # the same difference, its table named since
           _discrepancy(place="project:p1"), _discrepancy(fiscal_year="2025")]
    found = sorted((c.kind, c.row["fiscal_year"]) for c in editions.discrepancy_changes(old, new))
    assert found == [("added", "2025"), ("removed", "2023")]


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_the_real_history_lists_both_editions(real_site):
    index = (real_site / "changes" / "index.html").read_text(encoding="utf-8")
    for date in ("2026-11-22", "2026-12-07"):
        assert f'href="../changes/{date}/index.html"' in index
        assert (real_site / "changes" / date / "index.html").is_file()


def test_the_second_edition_shows_a_real_changed_figure(real_site):
    """The bureau's 2025 지출액 row gained its table's name: checked in the two
    published CSVs themselves, then on the page."""
    def bureau_spent(rows):
        return [r for r in rows if r["project_id"] == "" and r["department_id"] == "" and r["fiscal_year"] == "2025"
                and r["stage"] == "spent"]
    [old] = bureau_spent(_csv(EDITIONS / "2026-11-22" / "budget.csv"))
    [new] = bureau_spent(_csv(EDITIONS / "2026-12-07" / "budget.csv"))
    assert old["amount_thousand_krw"] == new["amount_thousand_krw"] == "78567659"
    assert (old["note"], new["note"]) == ("", "표: 세출예산 집행현황")
    page = lhtml.parse(str(real_site / "changes" / "2026-12-07" / "index.html"))
    rows = page.xpath('//table[@id="changed-figures"]/tbody/tr')
    row = next(r for r in rows if "2025년 지출액" in r.text_content() and "전체" in r.text_content())
    text = " ".join(row.text_content().split())
    assert "78,567,659" in text and f"{int(new['source_line']):,}행" in text and "(없음) → 표: 세출예산 집행현황" in text
    # a difference recorded since the first edition, found in the two kept lists
    old_d = _csv(EDITIONS / "2026-11-22" / "discrepancies.csv")
    new_d = _csv(EDITIONS / "2026-12-07" / "discrepancies.csv")
    assert not any(r["place"] == "bureau" and r["stage"] == "예산현액" and r["fiscal_year"] == "2025" for r in old_d)
    assert any(r["place"] == "bureau" and r["stage"] == "예산현액" and r["difference"] == "6401135" for r in new_d)
    changes = " ".join(page.xpath('//table[@id="discrepancy-changes"]')[0].text_content().split())
    assert "6,401,135" in changes and "새로 기록" in changes
    # and the project that took over 2020 figures from another is listed as new
    assert "데이터 기반 과학행정 추진" in " ".join(page.xpath('//table[@id="project-changes"]')[0].text_content().split())


def test_the_current_edition_once_closed_is_the_content_as_data_publishes_it(real_site):
    """The edition site.yaml names, once closed (its CSVs kept), equals what
    data/ publishes now: content edited after closing needs a new edition.
    While the next edition is open (no CSVs yet) there is nothing to compare."""
    site = check(Paths.default())
    assert site.edition is not None
    kept = EDITIONS / site.edition["date"]
    if not (kept / "budget.csv").exists():
        pytest.skip(f"the current edition {site.edition['date']} is open: not closed yet")
    assert (kept / "budget.csv").read_bytes() == (real_site / "data" / "budget.csv").read_bytes()
    assert (kept / "revenue.csv").read_bytes() == (real_site / "data" / "revenue.csv").read_bytes()
    assert (kept / "discrepancies.csv").read_bytes() == to_csv(editions.discrepancy_rows(site),
                                                               editions.DISCREPANCY_COLUMNS)


def test_the_feed_is_valid_atom_with_an_entry_per_edition(real_site):
    feed = feedparser.parse((real_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    base = check(Paths.default()).base_url
    dates = sorted(p.name for p in EDITIONS.iterdir())
    assert len(feed.entries) == len(dates)
    for entry in feed.entries:
        assert entry.link.startswith(base)
        assert (real_site / entry.link.removeprefix(base)).is_file()
        assert entry.id and entry.updated and entry.summary
    assert feed.feed.links[0].rel == "self" and feed.feed.links[0].href == base + "feed.xml"


def test_feed_ids_stay_when_the_site_moves():
    """A feed program knows entries by id: moving the site to another address
    must not make every edition new again, and no two editions share an id."""
    site = check(Paths.default())
    ids = [e.id for e in feedparser.parse(editions.feed(site)).entries] + [feedparser.parse(editions.feed(site)).feed.id]
    moved = replace(site, base_url="https://budget.example.org/seoul/")
    parsed = feedparser.parse(editions.feed(moved))
    assert [e.id for e in parsed.entries] + [parsed.feed.id] == ids
    assert parsed.entries[0].link.startswith("https://budget.example.org/seoul/")
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    assert ids[-1] == yaml.safe_load((PROJECT / "content" / "site.yaml").read_text(encoding="utf-8"))["feed_id"]


def test_every_page_links_the_feed(real_site):
    for page in real_site.rglob("*.html"):
        if is_embed(page):
            continue
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert 'type="application/atom+xml"' in head and 'feed.xml"' in head, page


@pytest.fixture
def closable(content, tmp_path) -> Paths:
    """The fixture content, naming an edition as the real site.yaml does."""
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write('\nedition: {date: "2026-12-01", label: 시험 판}\n')
    return Paths(PROJECT, content, FIXTURE_SOURCES, tmp_path / "site")


def test_closing_an_edition_keeps_its_csvs_and_never_overwrites(closable, capsys):
    site = check(closable)
    folder = closable.content / "editions" / site.edition["date"]
    assert cli.main(["edition", "--content", str(closable.content), "--sources", str(FIXTURE_SOURCES)]) == 0
    assert {p.name for p in folder.iterdir()} == {"edition.yaml", "budget.csv", "revenue.csv", "discrepancies.csv"}
    assert _csv(folder / "budget.csv")[0].keys() == set(BUDGET_COLUMNS)
    kept = (folder / "budget.csv").read_bytes()
    capsys.readouterr()
    assert cli.main(["edition", "--content", str(closable.content), "--sources", str(FIXTURE_SOURCES)]) == 2
    assert "덮어쓰지 않습니다" in capsys.readouterr().err
    assert (folder / "budget.csv").read_bytes() == kept
    check(closable)  # the folder it wrote is valid content


def test_edition_folders_are_validated(closable):
    folder = closable.content / "editions" / "2020-01-01"
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text('date: "2020-01-02"\nlabel: 옛 판\nextra: 1\n', encoding="utf-8")
    (folder / "budget.csv").write_text(",".join(BUDGET_COLUMNS[:-1]) + "\n", encoding="utf-8")
    (folder / "revenue.csv").write_text(",".join(REVENUE_COLUMNS) + "\n" + ",".join(["x"] * len(REVENUE_COLUMNS)) + "\n",
                                        encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(closable)
    found = {(p.file.split("editions/")[-1], p.line, p.field) for p in caught.value.problems}
    assert ("2020-01-01/edition.yaml", 3, "extra") in found
    assert ("2020-01-01/budget.csv", 1, "") in found
    assert ("2020-01-01/revenue.csv", 2, "amount_thousand_krw") in found
    shutil.rmtree(folder)
    (folder).mkdir()
    (folder / "edition.yaml").write_text('date: "2020-01-02"\nlabel: 옛 판\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check(closable)
    messages = {(p.file.split("editions/")[-1], p.field): p.message for p in caught.value.problems}
    assert "폴더 이름" in messages[("2020-01-01/edition.yaml", "date")]
    assert "budget.csv" in "".join(f for f, _ in messages)  # an older edition without its CSVs
