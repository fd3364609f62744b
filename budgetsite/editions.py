"""Editions: what each edition published, kept in content/editions/<date>/
(edition.yaml; budget.csv and revenue.csv exactly as data/ published them;
discrepancies.csv, the differences it recorded), each edition's change list
against the one before it, feed.xml, and build.py edition (close).

The office always has the previous edition's published CSVs (on the site, in
an archive), not a git checkout: so a snapshot is those two files, and the
current edition's is the current content's rows, as data/ writes them.

A figure is matched across editions by what it is (whose, year, stage, as-of
date, document, and the table or scope a note names), in passes from the
strictest key to looser ones, so that a corrected line or a table name added
to a note shows as one figure changed, not one removed and one added.
"""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import data, money
from .load import Content
from .load.files import Unreadable, read_bytes, read_yaml
from .model import Site
from .problems import Problem, SettingError, display_path
from .validate import check_schema

FOLDER = "editions"
CSV_FILES = {"budget.csv": data.BUDGET_COLUMNS, "revenue.csv": data.REVENUE_COLUMNS}
# The recorded differences between sources, as the edition had them: not a
# download of the site, so written by build.py edition alone (optional: an
# edition kept without it has no discrepancies compared).
DISCREPANCIES = "discrepancies.csv"
DISCREPANCY_COLUMNS = ["place", "place_name", "fiscal_year", "stage", "kind", "source_id", "table", "other_table",
                       "difference"]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Row = dict[str, str]


@dataclass
class Edition:
    date: str
    label: str
    summary: str = ""
    # As published; None: not closed yet (the current edition, taken from the content).
    budget: list[Row] | None = None
    revenue: list[Row] | None = None
    discrepancies: list[Row] | None = None


def read(content_dir: Path, current: str | None) -> tuple[list[Edition], list[Problem]]:
    """Every edition folder under content/editions/, oldest first, and what is
    wrong with them. current: the date of the edition site.yaml names, the one
    folder that may be without its CSVs (not closed yet)."""
    root = content_dir.parent
    folder = content_dir / FOLDER
    editions: list[Edition] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return editions, problems
    for sub in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        shown = display_path(sub, root)
        if not sub.is_dir() or not _is_date(sub.name):
            problems.append(Problem(shown, 1, "", "판 폴더의 이름은 그 판의 날짜(예: 2026-12-07)여야 합니다"))
            continue
        tables = {}
        for name, columns in CSV_FILES.items():
            path = sub / name
            if path.exists():
                tables[name], found = _read_csv(path, columns, display_path(path, root))
                problems += found
        kept = None
        if (path := sub / DISCREPANCIES).exists():
            kept, found = _read_csv(path, DISCREPANCY_COLUMNS, display_path(path, root), ("fiscal_year",))
            problems += found
        doc, found = read_yaml(sub / "edition.yaml", "edition", root)
        problems += found
        if doc is None:
            continue
        schema = check_schema(doc)
        problems += schema
        if schema:
            continue
        if str(doc.data["date"]) != sub.name:
            problems.append(doc.problem(("date",), f"날짜가 폴더 이름({sub.name})과 다릅니다"))
        if len(tables) == 1 or (not tables and sub.name != current):
            missing = next(n for n in CSV_FILES if n not in tables)
            problems.append(Problem(f"{shown}/{missing}", 1, "", "파일이 없습니다. 지난 판은 게시한 budget.csv와 "
                                                                  "revenue.csv를 그대로 둡니다(build.py edition)"))
        if current and sub.name > current:
            problems.append(doc.problem(("date",), f"site.yaml의 판({current})보다 나중 날짜입니다"))
        editions.append(Edition(sub.name, doc.data["label"], doc.data.get("summary", "").strip(),
                                tables.get("budget.csv"), tables.get("revenue.csv"), kept))
    return editions, problems


def current_date(content: Content) -> str | None:
    """The date of the edition site.yaml names, if it names one (it may be
    wrong: the validator says so; here it only tells which folder may be open)."""
    site = content.one("site")
    edition = site.data.get("edition") if site is not None and isinstance(site.data, dict) else None
    return str(edition.get("date")) if isinstance(edition, dict) and edition.get("date") else None


def _is_date(name: str) -> bool:
    if not DATE.fullmatch(name):
        return False
    try:
        date.fromisoformat(name)
    except ValueError:
        return False
    return True


def _read_csv(path: Path, columns: list[str], shown: str,
              numbers: tuple[str, ...] = ("fiscal_year", "amount_thousand_krw", "source_line"),
              ) -> tuple[list[Row], list[Problem]]:
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except Unreadable as e:
        return [], [Problem(shown, 1, "", str(e))]
    except UnicodeDecodeError:
        return [], [Problem(shown, 1, "", "UTF-8로 읽을 수 없습니다. 게시된 파일을 그대로 두세요")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != columns:
        return [], [Problem(shown, 1, "", f"열이 게시된 파일과 다릅니다: {', '.join(columns)}이어야 합니다")]
    rows, problems = [], []
    line = reader.line_num + 1
    for row in reader:  # a note may hold a line break: a row starts after the last one ended
        for col in numbers:
            if not (row.get(col) or "").isdigit():
                problems.append(Problem(shown, line, col, f"정수여야 합니다 (입력값: {row.get(col)!r})"))
        rows.append(row)
        line = reader.line_num + 1
    return rows, problems


def _back(rows: list[dict], columns: list[str]) -> list[Row]:
    """Rows read back from the bytes a CSV of them is, so they compare equal to a snapshot."""
    return list(csv.DictReader(io.StringIO(data.to_csv(rows, columns).decode("utf-8-sig"), newline="")))


def current_rows(site: Site) -> tuple[list[Row], list[Row], list[Row]]:
    """The content's rows as data/budget.csv and revenue.csv publish them, and its recorded differences."""
    return (_back(data.budget_rows(site), data.BUDGET_COLUMNS), _back(data.revenue_rows(site), data.REVENUE_COLUMNS),
            _back(discrepancy_rows(site), DISCREPANCY_COLUMNS))


def discrepancy_rows(site: Site) -> list[Row]:
    """Every recorded difference, by its place, year, stage and document."""
    places: list[tuple[str, str, list[dict]]] = [("bureau", site.bureau.name, site.bureau.discrepancies)]
    places += [(f"department:{d.id}", d.name, d.discrepancies) for d in sorted(site.departments.values(), key=lambda d: d.id)]
    places += [(f"project:{p.id}", p.name, p.discrepancies) for p in sorted(site.projects.values(), key=lambda p: p.id)]
    if site.revenue:
        places.append(("revenue", "세입", site.revenue.discrepancies))
    places += [(f"program:{g.name}", g.name, g.discrepancies) for g in site.goals + site.units]
    return [{"place": key, "place_name": name, "fiscal_year": str(d["year"]), "stage": d["stage"],
             "kind": d.get("kind", ""), "source_id": d["doc"], "table": d.get("table", ""),
             "other_table": d.get("other_table", ""), "difference": str(d.get("difference", ""))}
            for key, name, items in places for d in items]


# -- the change list ---------------------------------------------------------

@dataclass
class FigureChange:
    kind: str            # added | changed | removed
    old: Row | None
    new: Row | None
    fields: list[str] = field(default_factory=list)  # what changed, in words

    @property
    def row(self) -> Row:
        return self.new or self.old  # type: ignore[return-value]  # one is always there


@dataclass
class PlaceChange:
    kind: str            # added | renamed | moved | ended
    id: str
    name: str            # as the newer edition names it (the older, if ended)
    detail: str = ""     # old name, or the years and departments of a move


@dataclass
class Changes:
    edition: Edition
    previous: Edition | None
    figures: list[FigureChange]
    projects: list[PlaceChange]
    departments: list[PlaceChange]
    rows: int            # figures in this edition
    discrepancies: list[FigureChange] = field(default_factory=list)  # added | removed (resolved)

    def count(self, kind: str) -> int:
        return sum(1 for f in self.figures if f.kind == kind)

    @property
    def path(self) -> str:
        return change_path(self.edition.date)

    @property
    def summary(self) -> str:
        """The change list in one line of counts (the feed's entry, the 변경 이력 table)."""
        if self.previous is None:
            return f"처음 기록한 판: 금액 {self.rows:,}건"
        moved = sum(1 for p in self.projects if p.kind == "moved")
        return (f"금액 바뀜 {self.count('changed'):,}건, 새로 {self.count('added'):,}건, 빠짐 {self.count('removed'):,}건; "
                f"사업 새로 {_n(self.projects, 'added')}개·이름 바뀜 {_n(self.projects, 'renamed')}개·"
                f"부서 옮김 {moved}개·빠짐 {_n(self.projects, 'ended')}개; "
                f"부서 새로 {_n(self.departments, 'added')}개·이름 바뀜 {_n(self.departments, 'renamed')}개·"
                f"빠짐 {_n(self.departments, 'ended')}개; "
                f"자료 간 차이 새로 {_n(self.discrepancies, 'added')}건·풀림 {_n(self.discrepancies, 'removed')}건")


def _n(places: list[PlaceChange] | list[FigureChange], kind: str) -> int:
    return sum(1 for p in places if p.kind == kind)


def change_path(date: str) -> str:
    return f"changes/{date}/index.html"


def _tagged(note: str) -> tuple[str, ...]:
    """What of a note tells two figures of one document apart (data.figure_note): the scope and the table."""
    return tuple(part for part in note.split(" / ") if part.startswith(("범위:", "표:")))


def _whose(r: Row) -> tuple[str, ...]:
    if "item" in r:  # revenue
        return ("세입", r["account"], r["item"], r["parent"])
    if r["project_id"]:  # not the department: a project moved keeps its figures
        return ("사업", r["project_id"])
    return ("부서", r["department_id"], r["account"])


def _what(r: Row) -> tuple[str, ...]:
    return (*_whose(r), r["fiscal_year"], r["stage"], r["as_of"], r["source_id"])


# Strictest first; a looser key pairs only a figure alone under it on both sides.
PASSES: list[tuple[Callable[[Row], tuple], bool]] = [
    (lambda r: (*_what(r), _tagged(r["note"]), r["source_line"]), False),
    (lambda r: (*_what(r), _tagged(r["note"])), True),
    (lambda r: (*_what(r), r["source_line"]), True),
]
COMPARED = {"amount_thousand_krw": "금액", "precision": "단위", "source_line": "출처 줄", "note": "덧붙임"}


def figure_changes(old: list[Row], new: list[Row]) -> list[FigureChange]:
    left, right = list(range(len(old))), list(range(len(new)))
    pairs: list[tuple[int, int]] = []
    for key, alone in PASSES:
        groups: dict[tuple, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i in left:
            groups[key(old[i])][0].append(i)
        for j in right:
            groups[key(new[j])][1].append(j)
        taken_l, taken_r = set(), set()
        for a, b in groups.values():
            if a and b and (not alone or len(a) == len(b) == 1):
                for i, j in zip(a, b):
                    pairs.append((i, j))
                    taken_l.add(i)
                    taken_r.add(j)
        left = [i for i in left if i not in taken_l]
        right = [j for j in right if j not in taken_r]
    out = []
    for i, j in sorted(pairs, key=lambda p: p[1]):
        fields = [words for col, words in COMPARED.items() if old[i][col] != new[j][col]]
        if fields:
            out.append(FigureChange("changed", old[i], new[j], fields))
    out += [FigureChange("added", None, new[j]) for j in right]
    out += [FigureChange("removed", old[i], None) for i in left]
    return out


def _names(rows: Iterable[Row], id_col: str, name_col: str) -> dict[str, str]:
    """Each id's name in its latest year (a document may print another name for an earlier year)."""
    latest: dict[str, tuple[int, str]] = {}
    for r in rows:
        if (i := r[id_col]) and (year := int(r["fiscal_year"])) >= latest.get(i, (0, ""))[0]:
            latest[i] = (year, r[name_col])
    return {i: name for i, (_, name) in latest.items()}


def place_changes(old: list[Row], new: list[Row], id_col: str, name_col: str) -> list[PlaceChange]:
    before, after = _names(old, id_col, name_col), _names(new, id_col, name_col)
    out = [PlaceChange("added", i, after[i]) for i in sorted(after.keys() - before.keys())]
    out += [PlaceChange("renamed", i, after[i], before[i]) for i in sorted(after.keys() & before.keys())
            if after[i] != before[i]]
    out += [PlaceChange("ended", i, before[i]) for i in sorted(before.keys() - after.keys())]
    return out


def moves(old: list[Row], new: list[Row]) -> list[PlaceChange]:
    """Projects whose figures of a year are under another department now."""
    def where(rows: list[Row]) -> dict[tuple[str, str], set[str]]:
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            if r["project_id"]:
                out[(r["project_id"], r["fiscal_year"])].add(r["department_name"])
        return out
    before, after = where(old), where(new)
    moved: dict[str, list[str]] = defaultdict(list)
    for key in sorted(before.keys() & after.keys()):
        if before[key] != after[key]:
            moved[key[0]].append(f"{key[1]}년 {'·'.join(sorted(before[key]))} → {'·'.join(sorted(after[key]))}")
    names = _names(new, "project_id", "project_name")
    return [PlaceChange("moved", p, names[p], "; ".join(years)) for p, years in sorted(moved.items())]


def discrepancy_changes(old: list[Row], new: list[Row]) -> list[FigureChange]:
    """Differences recorded only in the newer edition (added) or only in the
    older (resolved). The same difference with its table named since is the same one."""
    for key in (lambda r: (r["place"], r["fiscal_year"], r["stage"], r["source_id"], r["table"], r["other_table"]),
                lambda r: (r["place"], r["fiscal_year"], r["stage"], r["source_id"], r["difference"])):
        left: dict[tuple, list[Row]] = defaultdict(list)
        for r in old:
            left[key(r)].append(r)
        unmatched = []
        for r in new:
            if left[key(r)]:
                left[key(r)].pop(0)
            else:
                unmatched.append(r)
        old, new = [r for rows in left.values() for r in rows], unmatched
    return [FigureChange("added", None, r) for r in new] + [FigureChange("removed", r, None) for r in old]


def diff(edition: Edition, previous: Edition | None) -> Changes:
    budget, revenue = edition.budget or [], edition.revenue or []
    if previous is None:
        return Changes(edition, None, [], [], [], len(budget) + len(revenue))
    old_b, old_r = previous.budget or [], previous.revenue or []
    old_depts = [r for r in old_b if r["department_id"]]
    new_depts = [r for r in budget if r["department_id"]]
    return Changes(
        edition, previous,
        figure_changes(old_b, budget) + figure_changes(old_r, revenue),
        place_changes(old_b, budget, "project_id", "project_name") + moves(old_b, budget),
        place_changes(old_depts, new_depts, "department_id", "department_name"),
        len(budget) + len(revenue),
        discrepancy_changes(previous.discrepancies, edition.discrepancies)
        if previous.discrepancies is not None and edition.discrepancies is not None else [])


def history(site: Site) -> list[Changes]:
    """Each edition's change list, oldest first; the current edition (site.yaml)
    compared as the content now is. Made once per site."""
    if site._history is None:
        kept = [e for e in site.editions if not site.edition or e.date != site.edition["date"]]
        now = next((e for e in site.editions if site.edition and e.date == site.edition["date"]), None)
        if site.edition:
            kept.append(Edition(site.edition["date"], site.edition["label"], now.summary if now else "",
                                *current_rows(site)))
        kept.sort(key=lambda e: e.date)
        site._history = [diff(e, kept[i - 1] if i else None) for i, e in enumerate(kept)]
    return site._history


def amount_text(r: Row | None) -> str:
    return money.thousands(int(r["amount_thousand_krw"])) if r else ""


def feed_uuid(site: Site) -> uuid.UUID:
    """site.yaml's feed_id; without one, made from the base URL (so it changes with the address)."""
    if site.feed_id:
        return uuid.UUID(site.feed_id.removeprefix("urn:uuid:"))
    return uuid.uuid5(uuid.NAMESPACE_URL, site.base_url + "feed.xml")


def feed(site: Site) -> bytes:
    """feed.xml: Atom 1.0, one entry per edition, each linking to its change list.
    Ids are site.yaml's feed_id and, per edition, a name-based UUID under it:
    a reader's feed program knows them whatever address the site moves to."""
    from xml.etree import ElementTree as ET
    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{atom}}}{tag}", attrs)
        el.text = text
        return el

    done = list(reversed(history(site)))
    updated = f"{done[0].edition.date}T00:00:00Z" if done else "1970-01-01T00:00:00Z"
    root = ET.Element(f"{{{atom}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ko"})
    feed_id = feed_uuid(site)
    sub(root, "id", feed_id.urn)
    sub(root, "title", f"{site.title}: 변경 이력")
    sub(root, "subtitle", "판마다 바뀐 금액·사업·부서")
    sub(root, "updated", updated)
    author = sub(root, "author")
    sub(author, "name", site.publisher.name if site.publisher else site.title)
    sub(root, "link", rel="self", type="application/atom+xml", href=site.base_url + "feed.xml")
    sub(root, "link", rel="alternate", type="text/html", href=site.base_url + "changes/index.html")
    for c in done:
        entry = sub(root, "entry")
        sub(entry, "id", uuid.uuid5(feed_id, c.edition.date).urn)
        sub(entry, "title", f"{c.edition.date} 판: {c.edition.label}")
        sub(entry, "updated", f"{c.edition.date}T00:00:00Z")
        sub(entry, "link", rel="alternate", type="text/html", href=site.base_url + c.path)
        sub(entry, "summary", f"{c.edition.summary} {c.summary}".strip())
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def close(content_dir: Path, site: Site) -> Path:
    """build.py edition: keep the current edition as published (data/'s
    budget.csv and revenue.csv, the same bytes) in content/editions/<date>/,
    so that the next edition's change list is made against it. An edition
    already kept is never written over (SettingError); an edition.yaml put
    there beforehand, with its summary, is kept as it is."""
    if not site.edition:
        raise SettingError("content/site.yaml에 edition(date, label)이 없어 판을 닫을 수 없습니다.")
    folder = content_dir / FOLDER / site.edition["date"]
    there = [n for n in CSV_FILES if (folder / n).exists()]
    if there:
        raise SettingError(f"{folder}에 이미 {', '.join(there)}이(가) 있습니다: {site.edition['date']} 판은 닫혀 있어 "
                           f"덮어쓰지 않습니다. 새 판이면 content/site.yaml의 edition.date를 새 날짜로 바꾼 뒤 다시 실행하세요.")
    published = data.files(site)
    folder.mkdir(parents=True, exist_ok=True)
    for name in CSV_FILES:
        (folder / name).write_bytes(published.get(name, data.to_csv([], CSV_FILES[name])))
    (folder / DISCREPANCIES).write_bytes(data.to_csv(discrepancy_rows(site), DISCREPANCY_COLUMNS))
    about = folder / "edition.yaml"
    if not about.exists():
        about.write_text("# yaml-language-server: $schema=../../../schemas/edition.schema.json\n"
                         f"date: {json.dumps(site.edition['date'])}\n"
                         f"label: {json.dumps(site.edition['label'], ensure_ascii=False)}\n"
                         "# summary: 이 판에서 바뀐 것을 우리 말로 적으세요(변경 이력 쪽과 피드에 나옵니다).\n",
                         encoding="utf-8")
    return folder
