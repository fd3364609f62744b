"""The register of 자료 간 차이 says what kind each entry is (issue 22).

Every entry in content/ has a kind from the one list (model.DISCREPANCY_KINDS,
which the schema repeats); the register counts them at the top, the real
errors first; each kind has a page of its own; each card and the entry on its
figure's page link to each other; and a card is labelled with the name its
place had in the entry's year."""
import csv
import io
import json
import posixpath
import re
from collections import Counter
from functools import cache
from pathlib import Path

import lxml.html
import pytest
import yaml

from budgetsite.model import DISCREPANCY_KIND, DISCREPANCY_KINDS

from .conftest import PROJECT

REGISTER = "discrepancies/index.html"


def content_entries() -> list[tuple[str, dict]]:
    """(file, entry) for every entry under a `discrepancies:` key in content/, at any depth."""
    found: list[tuple[str, dict]] = []

    def walk(x, name: str) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "discrepancies" and isinstance(v, list):
                    found.extend((name, d) for d in v)
                else:
                    walk(v, name)
        elif isinstance(x, list):
            for v in x:
                walk(v, name)

    for f in sorted((PROJECT / "content").rglob("*.yaml")):
        walk(yaml.safe_load(f.read_text(encoding="utf-8")), f.relative_to(PROJECT).as_posix())
    return found


def content_yaml(name: str) -> dict:
    return yaml.safe_load((PROJECT / "content" / name).read_text(encoding="utf-8"))


@cache
def _parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def page(site: Path, name: str):
    return _parse(site / name)


def C(name: str) -> str:
    """An XPath test for an element of class name (no cssselect here)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def resolve(from_page: str, href: str) -> tuple[str, str]:
    """A relative link on from_page as (page path from the site root, fragment)."""
    target, _, fragment = href.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_page), target)), fragment


def kind_index(name: str) -> int:
    return [k.name for k in DISCREPANCY_KINDS].index(name)


# --- the one list of kinds -----------------------------------------------------

def test_the_kinds_are_listed_once_with_the_real_errors_first():
    names = [k.name for k in DISCREPANCY_KINDS]
    assert {"인쇄 오류", "문서 간 불일치", "포함 범위 차이", "일부 사업만 인쇄", "반올림"} <= set(names)
    assert names[:2] == ["인쇄 오류", "문서 간 불일치"]
    errors = [k.error for k in DISCREPANCY_KINDS]
    assert errors == sorted(errors, reverse=True), "a real error listed after a kind that is not one"
    assert len(set(names)) == len(names) and len({k.slug for k in DISCREPANCY_KINDS}) == len(names)
    assert all(re.fullmatch(r"[a-z][a-z-]*", k.slug) for k in DISCREPANCY_KINDS)


def test_the_schema_enum_is_the_models_list_and_every_discrepancy_requires_a_kind():
    schemas = {n: json.loads((PROJECT / "schemas" / f"{n}.schema.json").read_text(encoding="utf-8"))
               for n in ("common", "project", "revenue")}
    assert schemas["common"]["$defs"]["discrepancy_kind"]["enum"] == [k.name for k in DISCREPANCY_KINDS]
    # Each schema a discrepancy is written under: departments, bureau and programs
    # (common's definition), projects and revenue (their own).
    for name, definition, ref in [
            ("common", schemas["common"]["$defs"]["discrepancy"], "#/$defs/discrepancy_kind"),
            ("project", schemas["project"]["properties"]["discrepancies"]["items"],
             "common.schema.json#/$defs/discrepancy_kind"),
            ("revenue", schemas["revenue"]["properties"]["discrepancies"]["items"],
             "common.schema.json#/$defs/discrepancy_kind")]:
        assert "kind" in definition["required"], name
        assert definition["properties"]["kind"] == {"$ref": ref}, name


def test_every_entry_in_content_has_a_kind():
    entries = content_entries()
    assert len(entries) > 100
    missing = [(f, d["year"], d["stage"]) for f, d in entries if d.get("kind") not in DISCREPANCY_KIND]
    assert missing == []


# --- the register --------------------------------------------------------------

def test_the_counts_at_the_top_are_the_contents_counts_per_kind(real_site):
    expected = Counter(d["kind"] for _, d in content_entries())
    doc = page(real_site, REGISTER)
    shown = {s.get("data-kind"): int(s.get("data-count")) for s in doc.xpath(f".//*[{C('kind-counts')}]//*[{C('count')}]")}
    assert shown == {k.name: expected.get(k.name, 0) for k in DISCREPANCY_KINDS}
    # The number a reader sees is the same number.
    for s in doc.xpath(f".//*[{C('kind-counts')}]//*[{C('count')}]"):
        assert s.text_content().strip() == f"{s.get('data-count')}건"
    text = doc.xpath(".//main")[0].text_content()
    assert f"모두 {sum(expected.values())}건" in text
    assert f"자료가 틀렸거나 서로 어긋난 것은 {sum(expected[k.name] for k in DISCREPANCY_KINDS if k.error)}건" in text


def test_the_real_errors_come_first(real_site):
    doc = page(real_site, REGISTER)
    listed = [s.get("data-kind") for s in doc.xpath(f".//*[{C('kind-counts')}]//*[{C('count')}]")]
    assert listed == [k.name for k in DISCREPANCY_KINDS]
    assert [DISCREPANCY_KIND[k].error for k in listed][:2] == [True, True]
    # The sections, the cards and the table's rows in the same order.
    sections = [h.get("id") for h in doc.xpath(f".//section[{C('discrepancy-section')}]//h2[starts-with(@id, 'kind-')]")]
    present = [k for k in DISCREPANCY_KINDS if any(d["kind"] == k.name for _, d in content_entries())]
    assert sections == [f"kind-{k.slug}" for k in present]
    cards = [c.xpath(f".//*[{C('kind-tag')}]")[0].text_content() for c in doc.xpath(f".//li[{C('discrepancy-card')}]")]
    assert [kind_index(k) for k in cards] == sorted(kind_index(k) for k in cards)
    assert DISCREPANCY_KIND[cards[0]].error
    rows = [r.xpath("./td")[0].text_content() for r in doc.xpath(".//table[@id='discrepancies']/tbody/tr")]
    assert rows == cards


def test_a_reader_narrows_to_one_kind_by_following_a_link(real_site):
    """Each kind with entries has its page, linked from the counts; it holds
    that kind's cards and no other, and its table downloads with a kind column."""
    doc = page(real_site, REGISTER)
    by_kind = Counter(d["kind"] for _, d in content_entries())
    all_cards = {c.get("id"): c.xpath(f".//*[{C('kind-tag')}]")[0].text_content()
                 for c in doc.xpath(f".//li[{C('discrepancy-card')}]")}
    seen = set()
    for item in doc.xpath(f".//*[{C('kind-counts')}]/li"):
        kind = item.xpath(f".//*[{C('count')}]")[0].get("data-kind")
        links = item.xpath(f".//a[{C('kind-name')}]")
        if not by_kind[kind]:
            assert links == [], f"{kind} has no entries but a link"
            continue
        target, _ = resolve(REGISTER, links[0].get("href"))
        assert target == f"discrepancies/{DISCREPANCY_KIND[kind].slug}/index.html"
        kind_page = page(real_site, target)
        ids = {c.get("id") for c in kind_page.xpath(f".//li[{C('discrepancy-card')}]")}
        assert ids == {i for i, k in all_cards.items() if k == kind}
        assert len(ids) == by_kind[kind]
        assert kind_page.xpath(".//*[@aria-current='page']")[0].text_content() == kind
        text = (real_site / posixpath.dirname(target) / "tables/discrepancies.csv").read_text(encoding="utf-8-sig")
        assert {r["종류"] for r in csv.DictReader(io.StringIO(text))} == {kind}
        seen.add(kind)
    assert seen == {k for k, n in by_kind.items() if n}
    # The whole register's download keeps the kind of every row.
    text = (real_site / "discrepancies/tables/discrepancies.csv").read_text(encoding="utf-8-sig")
    assert Counter(r["종류"] for r in csv.DictReader(io.StringIO(text))) == by_kind


def test_each_card_links_to_its_entry_on_its_figures_page_and_back(real_site):
    doc = page(real_site, REGISTER)
    cards = doc.xpath(f".//li[{C('discrepancy-card')}]")
    assert len(cards) == len(content_entries())
    places = Counter()
    for card in cards:
        card_id = card.get("id")
        assert card.xpath(f".//*[{C('kind-tag')}]")[0].text_content() in DISCREPANCY_KIND, card_id
        [link] = card.xpath(f".//a[{C('place-link')}]")
        target, fragment = resolve(REGISTER, link.get("href"))
        assert (real_site / target).is_file(), link.get("href")
        found = page(real_site, target).get_element_by_id(fragment, None)
        assert found is not None, f"{card_id}: no #{fragment} on {target}"
        # The entry there says its kind, and links back to this very card.
        assert found.xpath(f".//*[{C('kind-tag')}]")[0].text_content() == card.xpath(f".//*[{C('kind-tag')}]")[0].text_content()
        back = [resolve(target, a.get("href")) for a in found.xpath(f".//a[{C('register-link')}]")]
        assert back == [(REGISTER, card_id)], f"{target}#{fragment} does not link back to {card_id}"
        places[target] += 1
    # Every kind of place is reached: the bureau (home page), departments, projects, revenue, programs.
    assert {"index.html", "revenue/index.html", "programs/index.html"} <= set(places)
    assert any(p.startswith("departments/") for p in places) and any(p.startswith("projects/") for p in places)


def test_an_entry_on_a_page_is_numbered_within_its_year_and_stage(real_site):
    """d-<year>-<stage>-<n>: stable while the page's entries keep their order."""
    doc = page(real_site, "departments/data-strategy/index.html")
    ids = [li.get("id") for li in doc.xpath(f".//ul[{C('discrepancies')}]/li")]
    assert len(ids) == len(content_yaml("departments/data-strategy.yaml")["discrepancies"])
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"d-\d{4}-[a-z_]+-\d+", i) for i in ids)
    assert "d-2020-current-1" in ids and "d-2020-current-2" in ids


def _names_in(periods: list[dict], year: int) -> set[str]:
    return {n["name"] for n in periods if n["from"] <= year and (n.get("to") is None or year <= n["to"])}


def test_labels_use_the_names_of_the_entrys_year(real_site):
    doc = page(real_site, REGISTER)
    label = {}
    for card in doc.xpath(f".//li[{C('discrepancy-card')}]"):
        group = card.getparent().getparent()  # ol.discrepancy-cards in details.discrepancy-group
        label[card.get("id")] = group.xpath(f"./summary//*[{C('group-name')}]")[0].text_content().strip()
    # The 2020 bureau entry: the bureau was 스마트도시정책관 then, not today's 디지털도시국.
    bureau_2020 = [i for i in label if i.startswith("bureau-d-2020-")]
    assert bureau_2020 and all(label[i] == "스마트도시정책관 합계" for i in bureau_2020)
    # The table names its place the same way.
    rows = [r.xpath("./th")[0].text_content().strip() for r in doc.xpath(".//table[@id='discrepancies']/tbody/tr")
            if resolve(REGISTER, r.xpath("./th//a")[0].get("href"))[0] == "index.html"]
    assert rows and set(rows) == {"스마트도시정책관 합계", "디지털도시국 합계"}  # the 2020 entry and the 2025 ones
    # Every bureau and department label is a name in force in its entry's year
    # (read from the content, not from the model), every project label its name that year.
    site = content_yaml("site.yaml")["bureau"]
    checked = 0
    for card_id, text in label.items():
        m = re.fullmatch(r"(bureau|department-([a-z0-9-]+)|project-([a-z0-9-]+))-d-(\d{4})-.*", card_id)
        if not m:
            continue
        year = int(m.group(4))
        if m.group(1) == "bureau":
            assert text.removesuffix(" 합계") in _names_in(site["names"], year), (card_id, text)
        elif m.group(2):
            d = content_yaml(f"departments/{m.group(2)}.yaml")
            assert text in _names_in(d["names"], year), (card_id, text)
        else:
            p = content_yaml(f"projects/{m.group(3)}.yaml")
            former = [n["name"] for n in p.get("former_names", []) if year in n["years"]]
            assert text == (former[0] if former else p["name"]), (card_id, text)
        checked += 1
    assert checked > 150
    # A department renamed in 2024: its 2020 entries carry the old name, its 2025 ones the new.
    assert label["department-data-strategy-d-2020-spent-1"] == "빅데이터담당관"
    assert label["department-data-strategy-d-2025-spent-1"] == "데이터전략과"


@pytest.mark.parametrize("name", ["index.html", "projects/open-data-plaza/index.html"])
def test_pages_with_entries_show_each_kind(real_site, name):
    entries = page(real_site, name).xpath(f".//ul[{C('discrepancies')}]/li")
    assert entries and all(li.xpath(f".//*[{C('kind-tag')}]")[0].text_content() in DISCREPANCY_KIND for li in entries)
