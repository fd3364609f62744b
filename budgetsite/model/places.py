"""What pages are about: departments, projects, the bureau, revenue, glossary terms, programs, the site.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from .figures import Change, Figure, FigureSet, NamePeriod, RevenueFigure
from .sources import Source, SourceRef
from .stages import REPRESENTATIVE_ORDER


@dataclass
class Department:
    id: str
    names: list[NamePeriod]
    summary_html: str
    duties: list[dict]
    staff: list[dict]
    lineage: list[dict]
    totals: FigureSet
    discrepancies: list[dict]
    tasks: list[dict] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list, repr=False)  # back-references: keep repr finite

    @property
    def name(self) -> str:
        return self.names[-1].name

    @property
    def path(self) -> str:
        return f"departments/{self.id}/index.html"

    @property
    def active_years(self) -> str:
        first = self.names[0].start
        last = self.names[-1].end
        return f"{first}–{last}" if last else f"{first}–"

    def name_in(self, year: int) -> str:
        for n in self.names:
            if n.start <= year and (n.end is None or year <= n.end):
                return n.name
        return self.name

    def name_printed(self, f: Figure) -> str:
        """The name a document used for this department in f's year. When the
        name changed during that year, a document written after the change
        (by its lineage date, or mid-year if none is recorded) uses the new one."""
        names = [n for n in self.names if n.start <= f.year and (n.end is None or f.year <= n.end)]
        if len(names) < 2:
            return names[0].name if names else self.name
        changed = names[-1].start_date or next((ev["date"] for ev in self.lineage
                                                 if ev["event"] == "renamed" and (ev.get("date") or "").startswith(str(f.year))),
                                                f"{f.year}-07")
        return names[-1].name if f.source.source.date >= changed[:len(f.source.source.date)] else names[0].name

    @property
    def began(self) -> str | None:
        """The date the department was set up, where its lineage gives one."""
        return next((ev["date"] for ev in self.lineage if ev["event"] in ("created", "split_from") and ev.get("date")), None)

    def change(self, a: int, b: int) -> Change:
        """Its totals compared by the one rule (FigureSet.change), except that a
        year the department lived only part of is not compared as a whole one."""
        ch = self.totals.change(a, b)
        began = self.began
        if ch.kind == "change" and began and int(began[:4]) == a and not began.endswith("-01-01"):
            return Change(ch.before, ch.after, "partial")
        return ch

    def name_in_document(self, year: int, source: Source) -> str:
        """The name a document used for this department for a year's figures."""
        return self.name_printed(Figure(year, "예산안", 0, SourceRef(source, 0)))

    @property
    def abolished(self) -> bool:
        return any(ev["event"] in ("abolished", "merged_into") for ev in self.lineage)

    @property
    def successors(self) -> list[str]:
        """Ids of the departments this one's work went to."""
        return list(dict.fromkeys(ev["department"] for ev in self.lineage
                                  if ev["event"] in ("merged_into", "transferred_out") and ev.get("department")))

    @property
    def predecessors(self) -> list[str]:
        """Ids of the departments whose work came to this one."""
        return list(dict.fromkeys(ev["department"] for ev in self.lineage
                                  if ev["event"] in ("split_from", "absorbed", "transferred_in") and ev.get("department")))


@dataclass
class Project:
    id: str
    name: str
    former_names: list[dict]
    departments: dict[int, Department]
    account: str
    description_html: str
    status: str | None
    figures: FigureSet
    breakdown: list[dict]
    notes: list[dict]
    discrepancies: list[dict]
    history: list[dict] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # more words search finds it by
    # Tables of the funded foundation's own budget, as printed (foundation_budget).
    foundation_budget: list[dict] = field(default_factory=list)
    # (year, the documents that place that year's figures there or None for
    # every other document, department), as the project file lists them.
    placements: list[tuple[int, frozenset[str] | None, Department]] = field(default_factory=list, repr=False)
    # The content files it is made from or names (its departments', and those
    # its history links to), relative to content/: what its page depends on.
    files: frozenset[str] = frozenset()

    @property
    def path(self) -> str:
        return f"projects/{self.id}/index.html"

    @property
    def lifecycle(self) -> list[str]:
        """'2025년 신규', '2021년 이후 자료에 없음': what a reader should know first."""
        marks = []
        new = [h["year"] for h in self.history if h["event"] == "new"]
        if new or self.status == "신규":
            marks.append(f"{(new or [self.figures.years[0]])[0]}년 신규")
        for h in self.history:
            if h["event"] == "ended":
                marks.append(f"{h['year']}년 종료" if h["basis"] == "stated" else f"{h['year']}년 종료(추정)")
        if self.status == "종료" and not any(h["event"] == "ended" for h in self.history):
            marks.append("종료")
        return marks

    def name_in(self, year: int) -> str:
        """The name the documents used for this project that year."""
        for n in self.former_names:
            if year in n["years"]:
                return n["name"]
        return self.name

    def name_printed(self, f: Figure) -> str:
        """The name f's document printed it under: a document may still use an
        earlier name for a later year (a former name's documents), else the
        name of f's year."""
        for n in self.former_names:
            if f.source.source.id in n.get("documents", ()):
                return n["name"]
        return self.name_in(f.year)

    @property
    def department(self) -> Department:
        return self.departments[max(self.departments)]

    @property
    def new_year(self) -> int | None:
        """The year the documents say (or its status implies) the project began."""
        years = [h["year"] for h in self.history if h["event"] == "new"]
        if years:
            return years[0]
        return self.figures.years[0] if self.status == "신규" and self.figures.years else None

    def ended_by(self, year: int) -> bool:
        """Whether the documents say (or we infer) the project had ended by year."""
        ends = [h["year"] for h in self.history if h["event"] == "ended"]
        return any(e <= year for e in ends) or (self.status == "종료" and not ends)

    def change(self, a: int, b: int) -> Change:
        new = self.new_year
        return self.figures.change(a, b, new=new is not None and a < new <= b, ended=self.ended_by(b))

    def department_in(self, year: int) -> Department | None:
        """The department that ran it that year; in a year of reorganisation, the one after."""
        return self.departments.get(year)

    def departments_in(self, year: int) -> list[Department]:
        """Every department the documents place the year's figures under."""
        return list({id(d): d for y, _, d in self.placements if y == year}.values())

    def department_of(self, f: Figure) -> Department:
        """A figure belongs to the department its citing document places it
        under: a document written after a reorganisation may place the
        year's figures under the new department (placements with documents)."""
        default = None
        for year, documents, dept in self.placements:
            if year == f.year:
                if documents is None:
                    default = dept
                elif f.source.source.id in documents:
                    return dept
        return default or self.departments[f.year]

    @property
    def placed_apart(self) -> list[dict]:
        """The years whose figures the documents place under different
        departments, with which documents place them where."""
        out = []
        for year in sorted({y for y, documents, _ in self.placements if documents is not None}):
            docs_by_dept: dict[int, tuple[Department, list[Source]]] = {}
            for f in self.figures.all:
                if f.year == year:
                    dept = self.department_of(f)
                    docs_by_dept.setdefault(id(dept), (dept, []))[1].append(f.source.source)
            out.append({"year": year, "places": [{"department": dept, "name": dept.name_in_document(year, docs[0]),
                                                  "sources": list({s.id: s for s in docs}.values())}
                                                 for dept, docs in docs_by_dept.values()]})
        return out


@dataclass
class Bureau:
    names: list[NamePeriod]
    totals: FigureSet
    discrepancies: list[dict]
    notes: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # reorganisations, as the sources date them

    @property
    def name(self) -> str:
        return self.names[-1].name

    def name_in_document(self, year: int, source: Source) -> str:
        """The bureau's name in year as a document printed it: in a year of two
        names (2024), a document from the second half uses the new one."""
        names = [n for n in self.names if n.start <= year and (n.end is None or year <= n.end)]
        if len(names) < 2:
            return names[0].name if names else self.name
        return names[-1].name if source.date >= f"{year}-07"[:len(source.date)] else names[0].name


@dataclass
class Revenue:
    items: list[RevenueFigure]
    discrepancies: list[dict]

    @property
    def totals(self) -> FigureSet:
        """The grand total (계) of each table, all accounts together."""
        return FigureSet([f for f in self.items if f.parent is None and f.account is None])


@dataclass
class Term:
    term: str
    id: str
    aliases: list[str]
    definition_html: str
    source: SourceRef | None


@dataclass
class Program:
    """A strategic goal (전략목표) or unit program (단위사업) with its printed totals."""
    name: str
    totals: FigureSet
    discrepancies: list[dict]
    number: str | None = None
    goal: str | None = None
    department: Department | None = None
    projects: list[Project] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Licence:
    name: str   # as readers see it: CC BY 4.0, 공공누리 제1유형
    url: str
    spdx: str   # for machines: the data package, the catalog


@dataclass(frozen=True)
class Publisher:
    """Who runs the site, and where a reader reports an error."""
    name: str
    url: str | None = None
    email: str | None = None
    report_url: str | None = None


@dataclass(frozen=True)
class DataCatalog:
    """site.yaml's data_catalog: asks for the DCAT catalog and the portal's
    registration fields (catalog.py), with what only the editors can say."""
    keywords: tuple[str, ...]
    update_cycle: str   # as the portal (data.go.kr) words it: 연간, 수시 ...


# A base URL nobody owns: example.com, example.github.io, site.example (RFC 2606).
_PLACEHOLDER_HOST = re.compile(r"(?:^|\.)(?:example|invalid|localhost)(?:\.|$)|^localhost$")
_PAGES_URL = re.compile(r"https://([A-Za-z0-9-]+)\.github\.io/([^/?#]+)/")


def pages_issues_url(base_url: str) -> str | None:
    """Published on GitHub Pages: the new-issue page of the repository it is published from."""
    m = _PAGES_URL.fullmatch(base_url)
    return f"https://github.com/{m[1]}/{m[2]}/issues/new" if m else None


def placeholder_url(url: str) -> bool:
    """A base URL that cannot be where the site is published."""
    host = urlsplit(url).hostname or ""
    return bool(_PLACEHOLDER_HOST.search(host))


@dataclass
class Site:
    title: str
    description: str
    base_url: str
    bureau: Bureau
    sources: dict[str, Source]
    departments: dict[str, Department]
    projects: dict[str, Project]
    revenue: Revenue | None = None
    glossary: list[Term] = field(default_factory=list)
    # search-aliases.yaml: (a word as the content writes it, the other ways readers type it)
    search_aliases: list[tuple[str, list[str]]] = field(default_factory=list)
    goals: list[Program] = field(default_factory=list)
    units: list[Program] = field(default_factory=list)
    edition: dict | None = None  # {date, label}: this edition, as a citation names it
    feed_id: str | None = None  # urn:uuid:…, the feed's permanent id (site.yaml), whatever the address
    publisher: Publisher | None = None
    licences: dict[str, Licence] = field(default_factory=dict)  # "content", "data"
    data_catalog: DataCatalog | None = None
    pages: dict[str, str] = field(default_factory=dict)  # pages/*.md by name: Markdown, each a page
    editions: list = field(default_factory=list)  # editions.Edition of content/editions/, oldest first
    _history: list | None = field(default=None, repr=False)  # editions.history, made once
    # Each pair of years' comparisons, made once: compare pages count the pairs they link.
    _changes: dict = field(default_factory=dict, repr=False)
    # The years compared and their pairs (render.compare_pairs), made once: the
    # registry asks for them for the pages, their keys and the canonical link.
    _pairs: tuple | None = field(default=None, repr=False)

    @property
    def report_url(self) -> str | None:
        """Where a reader reports an error: as site.yaml says or, published on
        GitHub Pages, the new-issue page of the repository it is published from."""
        if self.publisher and self.publisher.report_url:
            return self.publisher.report_url
        return pages_issues_url(self.base_url)

    def changes(self, a: int, b: int) -> list[tuple[Project, Change]]:
        """Every project with a figure in year a or b, and its one comparison."""
        if (a, b) not in self._changes:
            self._changes[(a, b)] = [(p, ch) for p in self.projects.values()
                                     if (ch := p.change(a, b)).before is not None or ch.after is not None]
        return self._changes[(a, b)]

    def basis(self, year: int, stage: str | None = None) -> Figure | None:
        """The bureau total that departments are compared on for a year (of
        one stage, if given): the one whose report prints the most departments
        alongside it, then the most settled stage. Every department's figure is
        then taken from that same report, table and stage (FigureSet.like), so
        a year's column adds up."""
        candidates = [f for f in self.bureau.totals.all
                      if f.year == year and f.account is None and f.stage in REPRESENTATIVE_ORDER
                      and (stage is None or f.stage == stage)]
        if not candidates:
            return None
        return max(candidates, key=lambda b: (
            sum(1 for d in self.departments.values() if d.totals.like(b)),
            -REPRESENTATIVE_ORDER.index(b.stage), b.scope == "전체"))

    @cached_property
    def span(self) -> list[int]:
        """Every year from the first to the last with a figure: what a year axis shows."""
        return list(range(self.years[0], self.years[-1] + 1)) if self.years else []

    @cached_property
    def years(self) -> list[int]:
        ys = set(self.bureau.totals.years)
        for d in self.departments.values():
            ys.update(d.totals.years)
        for p in self.projects.values():
            ys.update(p.figures.years)
        return sorted(ys)
