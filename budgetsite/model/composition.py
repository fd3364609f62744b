"""What a year's budget is made of: the figures of one stage of one document,
project by project under the department that document places each in (the
treemap and its table), and the bureau's money by 통계목 where the sources
break projects down. Every number a composition page says is derived here,
once, from exactly the figures it shows.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .. import money
from .figures import Figure
from .places import Department, Project
from .sources import Source
from .stages import BUDGET_STAGES, PRECISION_RANK, PRECISION_UNIT, REPRESENTATIVE_ORDER


@dataclass(frozen=True)
class Basis:
    """One stage of one document for one year."""
    year: int
    stage: str
    source: Source

    @property
    def label(self) -> str:
        """「2025년 예산안(디지털도시국 검토보고서(2024-11)) 기준」, as titles name it."""
        return f"{self.year}년 {self.stage}({self.source.short}) 기준"


def _candidates(projects: Iterable[Project], year: int, stage: str, source_id: str) -> dict[str, list[Figure]]:
    out: dict[str, list[Figure]] = {}
    for p in projects:
        found = [f for f in p.figures.all if f.year == year and f.stage == stage and f.source.source.id == source_id
                 and f.account is None and f.scope == "전체"]
        if found:
            out[p.id] = found
    return out


def bases(projects: Iterable[Project], year: int) -> list[Basis]:
    """Every stage of every document that gives project figures for year, the
    one covering the most projects first (then the most settled stage, then the
    newest document)."""
    projects = list(projects)
    count: Counter[tuple[str, str]] = Counter()
    docs: dict[str, Source] = {}
    for p in projects:
        seen = {(f.stage, f.source.source.id) for f in p.figures.all
                if f.year == year and f.stage in BUDGET_STAGES and f.account is None and f.scope == "전체"}
        for stage, sid in seen:
            count[(stage, sid)] += 1
        docs.update({f.source.source.id: f.source.source for f in p.figures.all})
    ranked = sorted(count, key=lambda k: (-count[k], REPRESENTATIVE_ORDER.index(k[0]), _negated(docs[k[1]].date), k[1]))
    return [Basis(year, stage, docs[sid]) for stage, sid in ranked]


def _negated(date: str) -> str:
    # Newest first within an ascending sort: each digit's complement.
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def best_basis(projects: Iterable[Project], year: int) -> Basis | None:
    found = bases(projects, year)
    return found[0] if found else None


def years(projects: Iterable[Project]) -> list[int]:
    """The years some document gives project figures of a budget stage for."""
    return sorted({f.year for p in projects for f in p.figures.all
                   if f.stage in BUDGET_STAGES and f.account is None and f.scope == "전체"})


@dataclass(frozen=True)
class Item:
    project: Project
    department: Department
    department_name: str  # as the document printed it
    figure: Figure


OTHERS = "그 밖의 사업"


def _unit(items: Iterable[Item]) -> int:
    """The coarsest unit (in 천원) the items' figures were printed in: what a sum of them is good to."""
    return max((PRECISION_UNIT[i.figure.precision] for i in items), default=1)


def _in_words(amount: int, unit: int) -> str:
    return money.eok_man(amount) if unit == 1 else money.eok_man_rounded(amount, unit)


@dataclass
class Rest:
    """A department's projects past those its composition names, as one entry:
    「그 밖의 사업 N개」, the sum of exactly their figures."""
    department: Department
    department_name: str  # as the group's
    items: list[Item]

    @property
    def name(self) -> str:
        return f"{OTHERS} {len(self.items)}개"

    @property
    def amount(self) -> int:
        return sum(i.figure.amount for i in self.items)

    @property
    def unit(self) -> int:
        return _unit(self.items)

    @property
    def precision(self) -> str:
        """The coarsest precision its figures were printed in (천원, 만원, …)."""
        return max((i.figure.precision for i in self.items), key=lambda p: PRECISION_UNIT[p], default="천원")

    def in_words(self) -> str:
        """Its sum in words, to the coarsest unit its figures were printed in (as Composition.in_words)."""
        return _in_words(self.amount, self.unit)


@dataclass
class Group:
    department: Department
    name: str
    items: list[Item]
    named: int | None = None  # at most this many of its projects shown by name, the rest as one Rest

    @property
    def amount(self) -> int:
        return sum(i.figure.amount for i in self.items)

    @property
    def _split(self) -> bool:
        return self.named is not None and len(self.items) > self.named

    @property
    def shown(self) -> list[Item]:
        """Its projects shown by name: all, or its largest `named`."""
        return self.items[: self.named] if self._split else self.items

    @property
    def rest(self) -> Rest | None:
        return Rest(self.department, self.name, self.items[self.named:]) if self._split else None

    @property
    def entries(self) -> list[Item | Rest]:
        rest = self.rest
        return [*self.shown, rest] if rest else list(self.shown)


@dataclass
class Composition:
    """A basis's figures, one a project, grouped by department; groups and
    their items largest first (then by name)."""
    basis: Basis
    groups: list[Group]
    of: int  # projects with a figure of a budget stage that year, in any document

    @property
    def items(self) -> list[Item]:
        return [i for g in self.groups for i in g.items]

    @property
    def entries(self) -> list[Item | Rest]:
        """What it shows, the treemap and the table alike: each department's
        projects by name, then (past its limit) the rest as one Rest."""
        return [e for g in self.groups for e in g.entries]

    @property
    def shown(self) -> list[Item]:
        """The projects it shows by name."""
        return [i for g in self.groups for i in g.shown]

    @property
    def rests(self) -> list[Rest]:
        return [r for g in self.groups if (r := g.rest)]

    @property
    def total(self) -> int:
        return sum(g.amount for g in self.groups)

    @property
    def unit(self) -> int:
        """The coarsest unit (in 천원) its figures were printed in: what a sum of them is good to."""
        return _unit(self.items)

    def in_words(self, amount: int) -> str:
        """A sum of its figures in words, to the coarsest unit they were printed in
        (with 약 where that rounds it): the table beside it keeps the exact sum."""
        return _in_words(amount, self.unit)

    def share(self, amount: int) -> str:
        return money.rate(amount, self.total)

    def percent(self, amount: int) -> Decimal:
        return money.percent(amount, self.total) if self.total else Decimal(0)

    @property
    def zero(self) -> list[Item]:
        """Projects the document gives 0 for: in the table, no rectangle."""
        return [i for i in self.items if not i.figure.amount]


def _pick(found: list[Figure], coverage: Counter) -> Figure:
    """A project's one figure of the basis: the most precise, then the one in
    the document's table that gives the most projects, then the earliest line."""
    return max(found, key=lambda f: (-PRECISION_RANK[f.precision], coverage[f.table or ""], -f.source.line))


def compose(projects: Iterable[Project], basis: Basis, department: Department | None = None,
            named: int | None = None) -> Composition:
    """basis's figures of projects (only those it places under department, if given);
    with named, a department's projects past its largest `named` shown as one Rest."""
    projects = sorted(projects, key=lambda p: p.id)
    found = _candidates(projects, basis.year, basis.stage, basis.source.id)
    coverage: Counter[str] = Counter(t for fs in found.values() for t in {f.table or "" for f in fs})
    groups: dict[str, Group] = {}
    for p in projects:
        if p.id not in found:
            continue
        f = _pick(found[p.id], coverage)
        d = p.department_of(f)
        if department is not None and d is not department:
            continue
        groups.setdefault(d.id, Group(d, d.name_printed(f), [], named)).items.append(Item(p, d, d.name_printed(f), f))
    for g in groups.values():
        g.items.sort(key=lambda i: (-i.figure.amount, p_name(i)))
    ordered = sorted(groups.values(), key=lambda g: (-g.amount, g.name))
    of = sum(1 for p in projects if any(f.year == basis.year and f.stage in BUDGET_STAGES and f.account is None
                                        and (department is None or p.department_of(f) is department)
                                        for f in p.figures.all))
    return Composition(basis, ordered, of)


def p_name(i: Item) -> str:
    return i.project.name_printed(i.figure)


@dataclass
class Category:
    """One 통계목 summed over the projects a document breaks down."""
    name: str
    amount: int
    projects: int


@dataclass
class Breakdown:
    """The 통계목 of every project one stage of one document breaks down."""
    basis: Basis
    categories: list[Category]
    projects: list[Project]
    covered: int             # the broken-down projects' figures (of the basis), summed
    composition: Composition  # every project's figure of the same basis
    missing: list[Project] = field(default_factory=list)  # broken down, but with no figure of the basis

    @property
    def total(self) -> int:
        return sum(c.amount for c in self.categories)

    @property
    def partial(self) -> bool:
        return len(self.projects) < len(self.composition.items)


def breakdowns(projects: Iterable[Project], year: int) -> list[Breakdown]:
    """Each stage of each document that breaks projects of year down by
    통계목, its items summed across projects (by code and name as printed)."""
    projects = sorted(projects, key=lambda p: p.id)
    by: dict[tuple[str, str], list[tuple[Project, dict]]] = {}
    docs: dict[str, Source] = {}
    for p in projects:
        for b in p.breakdown:
            if b["year"] == year:
                by.setdefault((b["stage"], b["source"].source.id), []).append((p, b))
                docs[b["source"].source.id] = b["source"].source
    out = []
    for (stage, sid), entries in sorted(by.items(), key=lambda kv: (REPRESENTATIVE_ORDER.index(kv[0][0])
                                                                    if kv[0][0] in REPRESENTATIVE_ORDER else 9, kv[0][1])):
        basis = Basis(year, stage, docs[sid])
        comp = compose(projects, basis)
        sums: dict[str, list[int]] = {}
        for _, b in entries:
            for x in b["items"]:
                name = f"{x['code']} {x['name']}" if x.get("code") else x["name"]
                s = sums.setdefault(name, [0, 0])
                s[0] += x["amount"]
                s[1] += 1
        shown = {i.project.id: i.figure.amount for i in comp.items}
        broken = list({p.id: p for p, _ in entries}.values())
        categories = sorted((Category(n, a, k) for n, (a, k) in sums.items()), key=lambda c: (-c.amount, c.name))
        out.append(Breakdown(basis, categories, broken, sum(shown.get(p.id, 0) for p in broken), comp,
                             [p for p in broken if p.id not in shown]))
    return out
