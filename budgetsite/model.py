"""The model (after validate): typed objects built from validated content, with derived values.

Everything a page shows is prepared here or in render.py, so templates only
place values. Links are paths relative to the site root (the page prefixes
its own way back to the root).
"""
from __future__ import annotations

import html
import re
import zlib
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, partial
from typing import overload

import markdown as md
import nh3
from markdown.extensions.footnotes import FootnoteExtension

from . import money
from .load import Content

# An amount a document gives without saying which stage it is (a footnote's
# "투입한 예산"): kept and shown as printed, under this label, but never
# compared, never a year's representative figure, never summed against a
# printed total and never drawn as a budget bar.
UNSTATED = "단계 미상"
STAGES = ["예산안", "본예산", "최종예산", "예산현액", "전년도이월액", "원인행위액", "지출액", "징수액", UNSTATED]
REVENUE_STAGES = ["예산안", "본예산", "최종예산", "예산현액", "징수액"]
BUDGET_STAGES = ["예산안", "본예산", "최종예산"]
EXECUTION_STAGES = ["예산현액", "원인행위액", "지출액"]
# The figure that best stands for a year's budget: the settled budget first.
# 예산현액 adds carry-overs and is counted at a date: it stands for a year
# only when no budget stage is given at all, and then with its date.
REPRESENTATIVE_ORDER = ["최종예산", "본예산", "예산안", "예산현액"]
# Which stage of an earlier year a later year's stage is compared with, as
# Korean budget documents compare them, preferred first. 예산현액 and the
# execution stages are never compared across years: they are counted at a
# date and hold carry-overs.
COMPARABLE = [("최종예산", "최종예산"), ("본예산", "본예산"), ("최종예산", "예산안"), ("예산안", "예산안")]
# Comparisons are made in 백만원 everywhere (tables, sentences, downloads),
# the unit of the budget documents' own comparisons, so a change reads the
# same on every page and never claims more precision than its inputs.
COMPARISON_UNIT = 1000
PRECISION_RANK = {"천원": 0, "만원": 1, "백만원": 2, "억원": 3}
PRECISION_UNIT = {"천원": 1, "만원": 10, "백만원": 1000, "억원": 100_000}  # in 천원

STAGE_HELP = {
    "예산안": "시가 의회에 제출한 예산 계획. 의회 심의 전의 금액입니다.",
    "본예산": "의회가 처음 확정한 그해 예산(당초예산)입니다.",
    "최종예산": "추가경정예산까지 반영한 그해 마지막 예산입니다.",
    "예산현액": "본예산에 지난해에서 넘어온 금액(이월액) 등을 더한, 지금 쓸 수 있는 예산입니다.",
    "전년도이월액": "지난해에 다 쓰지 못해 올해로 넘어온 예산입니다.",
    "원인행위액": "계약 등으로 쓰기로 확정한 금액(지출 약정)입니다.",
    "지출액": "실제로 돈이 나간 금액입니다.",
    "징수액": "세입 가운데 실제로 거두어들인 금액입니다.",
    UNSTATED: "자료가 금액만 적고 예산안·본예산·최종예산·집행액 가운데 어느 단계의 금액인지 밝히지 않은 것입니다. "
              "적힌 그대로 싣지만, 다른 해와 견주거나 그해의 대표 금액·합계로 쓰지 않습니다.",
}

HISTORY_LABELS = {
    "new": "신규", "ended": "종료", "renamed": "이름 변경", "moved": "담당 부서 이동",
    "merged_from": "다른 사업을 합침", "split_from": "다른 사업에서 나뉨", "succeeds": "이전 사업을 이음",
    "succeeded_by": "다음 사업으로 이어짐",
}
BASIS_LABELS = {"stated": "자료에 적힌 사실", "inferred": "추정"}


@dataclass(frozen=True)
class DiscrepancyKind:
    name: str    # the value of a discrepancy's `kind` in content/
    slug: str    # its page: discrepancies/<slug>/index.html
    error: bool  # the documents are wrong or contradict each other
    help: str    # what it means, in plain words


# The kinds of recorded difference, in the order the register shows them:
# the real errors first. The one list: the schema's enum
# (common.schema.json#/$defs/discrepancy_kind) repeats it for editors, and a
# test keeps the two in step.
DISCREPANCY_KINDS = [
    DiscrepancyKind("인쇄 오류", "printing-errors", True,
                    "인쇄된 합계나 금액·비율이 같은 표에 함께 인쇄된 세부 금액과 맞지 않습니다. 자료가 틀리게 찍힌 곳입니다."),
    DiscrepancyKind("문서 간 불일치", "conflicts", True,
                    "두 문서, 또는 한 문서의 두 표가 같은 금액을 서로 다르게 적었습니다. "
                    "어느 쪽이 맞는지 자료가 밝히지 않는 곳이 많습니다."),
    DiscrepancyKind("포함 범위 차이", "scope", False,
                    "합계에 세부사업이 아닌 돈(기본경비, 국고보조금 반환)이나 "
                    "세부 금액이 다루지 않는 것(조직개편 전후의 부서 범위, "
                    "예산현액에 더해진 그해의 변경)이 들어 있어 세부 금액의 합과 다릅니다. 자료의 오류가 아닙니다."),
    DiscrepancyKind("일부 사업만 인쇄", "partial-listings", False,
                    "자료가 합계 아래 세부사업 가운데 일부의 금액만 적어, 적힌 금액을 더하면 합계에 못 미칩니다. "
                    "자료의 오류가 아닙니다."),
    DiscrepancyKind("반올림", "rounding", False,
                    "금액을 백만원이나 천원 단위로 줄여 적으면서 생긴 작은 끝수 차이입니다."),
]
DISCREPANCY_KIND = {k.name: k for k in DISCREPANCY_KINDS}


# No <img>: a picture from elsewhere would be a request leaving the site.
_ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img", "area", "map"}
# Footnotes link by id: kept on the two elements they use, and only with the
# footnotes' own prefixes, so a text cannot take an id the page's links or
# scripts rely on.
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "sup": {"id"}, "li": {"id"}}
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:\d+-")


def _footnote_ids_only(tag: str, attribute: str, value: str) -> str | None:
    return value if attribute != "id" or _FOOTNOTE_ID.match(value) else None


_MARKDOWN = md.Markdown(extensions=["extra", "sane_lists"], output_format="html", extension_configs={"extra": {
    "footnotes": {"UNIQUE_IDS": True, "BACKLINK_TITLE": "본문의 %d번 각주로 돌아가기"}}})
_FOOTNOTES = next(e for e in _MARKDOWN.registeredExtensions if isinstance(e, FootnoteExtension))
_HEADING = re.compile(r"<(/?)h([1-6])\b")


# Unbounded: a bounded cache smaller than a site's texts (10,000 projects
# hold tens of thousands) would convert every one of them again on each
# rebuild in serve.
@cache
def markdown_html(text: str | None, top: int = 2) -> str:
    """Markdown from content/ as safe HTML: a stray <script> or onclick in a
    description must not run in every archived copy of the site.
    One converter, reset between texts: setting up its extensions cost more
    than converting a short description.
    Headings start at h`top` at the highest: the page's own headings stand
    above the text (a `#` must not make a second <h1>)."""
    _MARKDOWN.reset()
    # Footnote ids from the text itself: two texts on one page do not share
    # ids, and the ids do not depend on the order pages are built in.
    _FOOTNOTES.unique_prefix = zlib.crc32((text or "").encode())
    html = nh3.clean(_MARKDOWN.convert(text or ""), tags=_ALLOWED_TAGS, attributes=_ATTRIBUTES,
                     attribute_filter=_footnote_ids_only, link_rel="noopener noreferrer")
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if levels and (shift := top - min(levels)) > 0:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)
    return html


_FOOTNOTE_MARKS = re.compile(r'<sup id="fnref.*?</sup>|<div>\s*<hr>\s*<ol>\s*<li id="fn:.*', re.S)
_FOOTNOTE_LINK = re.compile(r'(id="|href="#)(fn(?:ref\d*)?):(\d+)-')


def unique_footnote_ids(page_html: str) -> str:
    """page_html with the footnote ids of a text shown twice (a discrepancy's
    explanation in its card and in the table) made distinct, so each copy's
    links stay within that copy."""
    if 'id="fn' not in page_html:
        return page_html
    copies: dict[str, int] = {}  # text prefix: copies seen
    listed: set[str] = set()     # prefixes whose current copy's footnote list has begun

    def one(m: re.Match) -> str:
        where, kind, prefix = m.groups()
        if where == 'id="':
            if kind == "fn":
                listed.add(prefix)
            elif prefix in listed or prefix not in copies:  # a reference begins a copy
                listed.discard(prefix)
                copies[prefix] = copies.get(prefix, 0) + 1
        n = copies.get(prefix, 1)
        return m.group(0) if n == 1 else f"{where}{kind}:{prefix}x{n}-"
    return _FOOTNOTE_LINK.sub(one, page_html)


def first_sentence(html_text: str) -> str:
    """The first sentence of a piece of HTML, as plain text (for tooltips and meta)."""
    html_text = _FOOTNOTE_MARKS.sub("", html_text)  # a note's number or its source is not the sentence
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())
    end = text.find("다. ")
    return text[: end + 2] if end >= 0 else text


def short_date(as_of: str) -> str:
    """'24.5.31, as Korean reports write a reference date; short enough for a phone's axis."""
    y, m, d = as_of.split("-")
    return f"'{y[2:]}.{int(m)}.{int(d)}"


def date_words(as_of: str) -> str:
    """2024-05-31 → 2024년 5월 31일."""
    y, m, d = as_of.split("-")
    return f"{y}년 {int(m)}월 {int(d)}일"


@dataclass(frozen=True)
class Section:
    """A heading of a source document as printed (a part, Ⅰ., or a chapter
    of one, 1.), starting at a line of its text."""
    line: int
    title: str
    id: str                         # its place in the document's contents on the sources page
    part: Section | None = None   # the part a chapter is in
    extracted: str | None = None    # the text file's words at line, where they differ

    @property
    def anchor(self) -> str:
        return f"sources/index.html#{self.id}"

    @property
    def path(self) -> str:
        """Ⅱ. 검토의견 › 2. 주요사업별 세출예산 검토(부서별): enough to find it in the printed document."""
        return f"{self.part.title} › {self.title}" if self.part else self.title


# What a document prints about itself (sources.yaml `printed`), in the order
# the sources page lists it, with the words it is listed under.
PRINTED_FIELDS = [("issuer", "기관"), ("meeting", "위원회·회의"), ("session", "회기"), ("date", "날짜"),
                  ("kind", "문서 종류"), ("bill", "의안번호"), ("signed", "작성·발표"),
                  ("as_of", "자료 기준일")]


@dataclass
class Source:
    id: str
    title: str
    organisation: str
    date: str
    kind: str
    units: list[str]
    file: str
    author: str | None = None
    fiscal_years: list[int] = field(default_factory=list)
    summary: str | None = None
    printed: dict = field(default_factory=dict)  # field → {text, line}: what the document prints about itself
    obtain: str | None = None                     # how a reader gets the original, in our own words
    # Its headings in order (parts, each followed by its chapters), made once
    # from sources.yaml's parts and chapters.
    sections: list[Section] = field(default_factory=list)

    def __post_init__(self):
        made: list[Section] = []
        for part in self.sections:
            if isinstance(part, Section):
                made.append(part)
                continue
            top = Section(part["line"], part["title"], f"{self.id}-s{len(made) + 1}", None, part.get("extracted"))
            made.append(top)
            made += [Section(ch["line"], ch["title"], f"{self.id}-s{len(made) + k + 1}", top, ch.get("extracted"))
                     for k, ch in enumerate(part.get("chapters", []))]
        self.sections = made
        self._starts = [s.line for s in made]

    @property
    def anchor(self) -> str:
        return f"sources/index.html#{self.id}"

    @cached_property
    def short(self) -> str:
        return f"{self.organisation} {self.kind}({self.date})"

    def section_at(self, line: int) -> Section | None:
        """The section a line of the text is in: the last to start at or before it."""
        i = bisect_right(self._starts, line)
        return self.sections[i - 1] if i else None


@dataclass
class SourceRef:
    source: Source
    line: int
    page: int | None = None

    @cached_property
    def section(self) -> Section | None:
        return self.source.section_at(self.line)

    @property
    def anchor(self) -> str:
        """Where the sources page shows it: its section in the document's contents, else the document."""
        return self.section.anchor if self.section else self.source.anchor

    @property
    def place(self) -> str:
        """The line (and printed page) in the document."""
        return f"{self.line}행, {self.page}쪽" if self.page else f"{self.line}행"

    @cached_property
    def label(self) -> str:
        """디지털도시국 검토보고서(2024-11) · Ⅱ. 검토의견 › 2. 주요사업별 세출예산 검토(부서별) · 3560행:
        the document, the section it is printed in, the line."""
        if self.section is None:
            return f"{self.source.short} {self.place}"
        return f"{self.source.short} · {self.section.path} · {self.place}"


@dataclass
class Figure:
    year: int
    stage: str
    amount: int
    source: SourceRef
    precision: str = "천원"
    as_of: str | None = None
    note: str | None = None
    account: str | None = None  # totals: one account only
    scope: str = "전체"         # totals: 사업비 leaves out 기본경비
    table: str | None = None
    recovered: str | None = None  # not printed; worked out from other figures, and how

    @property
    def stage_label(self) -> str:
        """The stage as a reader should see it: a figure counted at a date carries the date."""
        return f"{self.stage} ({short_date(self.as_of)} 기준)" if self.as_of else self.stage

    @property
    def source_label(self) -> str:
        """Its source's label, and the table it is printed in where the document prints it in more than one."""
        return f"{self.source.label} ({self.table})" if self.table else self.source.label

    @property
    def detail(self) -> str:
        """What sets this figure apart from others of the same year and stage."""
        parts = [self.account, "세부사업만(기본경비 제외)" if self.scope == "사업비" else None, self.table]
        return " · ".join(p for p in parts if p)



@dataclass
class RevenueFigure(Figure):
    """One printed row of a revenue (세입) table."""
    item: str = ""
    parent: str | None = None


@dataclass
class NamePeriod:
    name: str
    start: int
    end: int | None
    source: SourceRef | None = None
    start_date: str | None = None  # the day, where a source gives it
    end_date: str | None = None
    start_note: str | None = None  # in words, where the sources give no date
    end_note: str | None = None

    @property
    def span(self) -> str:
        """When the name was used, saying no more than the sources do: a day
        where they give one, words where they give none, else the years."""
        start = date_words(self.start_date) if self.start_date else self.start_note or str(self.start)
        if self.end is None:
            return f"{start}–"
        end = date_words(self.end_date) if self.end_date else self.end_note or str(self.end)
        return start if end == start else f"{start} – {end}" if " " in start + end else f"{start}–{end}"


class FigureSet:
    """Figures of one project or department, indexed by year and stage.

    Totals printed for one account only are listed (all) but never stand for
    the year (get, representative): they are parts, not the whole.
    """

    def __init__(self, figures: list[Figure]):
        self.all = sorted(figures, key=lambda f: (f.year, STAGES.index(f.stage), f.source.source.date,
                                                  f.account or "", f.scope, f.table or ""))
        self._by: dict[tuple[int, str], list[Figure]] = defaultdict(list)
        # How many stages each table of a report gives for a year: between two
        # tables of one report that disagree, the fuller one is used for all
        # stages, so one row of a page never mixes the two.
        self._coverage: dict[tuple, set] = defaultdict(set)
        self._chosen: dict[tuple[int, str], Figure | None] = {}
        for f in self.all:
            if f.account is None:
                self._by[(f.year, f.stage)].append(f)
                self._coverage[(f.year, f.source.source.id, f.table)].add(f.stage)

    def _best(self, figures: list[Figure]) -> Figure:
        """Whole-department before 세부사업-only, then the most precise, then the
        newest report, then the fuller table of that report."""
        return max(figures, key=lambda f: (f.scope == "전체", -PRECISION_RANK[f.precision],
                                           f.as_of or f.source.source.date,
                                           len(self._coverage[(f.year, f.source.source.id, f.table)])))

    @cached_property
    def years(self) -> list[int]:
        return sorted({year for year, _ in self._by})

    def get(self, year: int, stage: str) -> Figure | None:
        # Asked for again and again (every table, chart and comparison): kept.
        key = (year, stage)
        if key not in self._chosen:
            found = self._by.get(key)
            self._chosen[key] = self._best(found) if found else None
        return self._chosen[key]

    def like(self, basis: Figure) -> Figure | None:
        """This set's figure printed alongside basis: same year, stage, report,
        table and scope. Used to put departments side by side without mixing
        reports (a department renamed mid-year appears in some reports only)."""
        for f in self._by.get((basis.year, basis.stage), []):
            if (f.source.source.id, f.table, f.scope) == (basis.source.source.id, basis.table, basis.scope):
                return f
        return None

    def change(self, before_year: int, after_year: int, new: bool = False, ended: bool = False) -> Change:
        """The one comparison of this set between two years, used by every
        page, sentence and download: the first comparable pair of stages
        (COMPARABLE) both years give. Without one, the years' representative
        figures are shown and no number is derived from them; new/ended: the
        project began after (ended before) the later (earlier) year."""
        for earlier, later in COMPARABLE:
            before, after = self.get(before_year, earlier), self.get(after_year, later)
            if before is not None and after is not None:
                return Change(before, after, "change")
        before, after = self.representative(before_year), self.representative(after_year)
        if after is not None and after.amount and not (before and before.amount) and new:
            return Change(before, after, "new")
        if before is not None and before.amount and not (after and after.amount) and ended:
            return Change(before, after, "ended")
        return Change(before, after, "none" if before is None or after is None else "incomparable")

    def representative(self, year: int) -> Figure | None:
        for stage in REPRESENTATIVE_ORDER:
            f = self.get(year, stage)
            if f:
                return f
        return None

    def snapshots(self, stages: list[str] = EXECUTION_STAGES) -> list[dict]:
        """Execution (or collection) as each report saw it: one row per year,
        document, table and date, so figures in one row always come from one
        printed table. Whole totals only (an account's share is a part)."""
        rows: dict[tuple, dict] = {}
        for f in self.all:
            if f.stage not in stages or f.account or f.scope != "전체":
                continue
            key = (f.year, f.source.source.id, f.table, f.as_of)
            row = rows.setdefault(key, {"year": f.year, "source": f.source, "as_of": f.as_of, "table": f.table})
            if f.stage not in row:
                row[f.stage] = f
        return sorted(rows.values(), key=lambda r: (r["year"], r["as_of"] or "", r["source"].line))


@dataclass(frozen=True)
class Change:
    """Two years of one set side by side, and what may be derived from them.

    The change is worked out from the two amounts as shown (in 백만원), so a
    reader who subtracts the shown amounts gets the shown change; the rate
    from the same two shown amounts. kind: "change" (a comparable pair),
    "new" / "ended" (순증 / 순감), "incomparable" (both years have figures,
    of stages that are not compared), "none" (a year has no figure),
    "partial" (a department set up during the earlier year)."""
    before: Figure | None
    after: Figure | None
    kind: str

    @property
    def comparable(self) -> bool:
        return self.kind in ("change", "new", "ended")

    @property
    def before_shown(self) -> int:
        return money.to_millions(self.before.amount) if self.before else 0

    @property
    def after_shown(self) -> int:
        return money.to_millions(self.after.amount) if self.after else 0

    @property
    def delta(self) -> int | None:
        """In 백만원, from the shown amounts; None when nothing may be derived."""
        return self.after_shown - self.before_shown if self.comparable else None

    @property
    def rate(self) -> Decimal | None:
        """Percent, one decimal, half up; None for 순증 or without a pair."""
        if self.kind != "change" or not self.before_shown:
            return None
        return money.percent(self.delta or 0, self.before_shown)

    @property
    def rounded(self) -> bool:
        """Whether a shown amount differs from the figure's own digits."""
        return any(f is not None and f.amount % COMPARISON_UNIT for f in (self.before, self.after))


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
    goals: list[Program] = field(default_factory=list)
    units: list[Program] = field(default_factory=list)
    edition: dict | None = None  # {date, label}: this edition, as a citation names it
    pages: dict[str, str] = field(default_factory=dict)  # pages/*.md by name: Markdown, each a page
    # Each pair of years' comparisons, made once: compare pages count the pairs they link.
    _changes: dict = field(default_factory=dict, repr=False)

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


# --- building ----------------------------------------------------------------

@overload
def _ref(sources: dict[str, Source], raw: dict) -> SourceRef: ...
@overload
def _ref(sources: dict[str, Source], raw: dict | None) -> SourceRef | None: ...
def _ref(sources: dict[str, Source], raw: dict | None) -> SourceRef | None:
    if raw is None:
        return None
    return SourceRef(sources[raw["doc"]], raw["line"], raw.get("page"))


def _names(sources, raw: list[dict]) -> list[NamePeriod]:
    return [NamePeriod(n["name"], n["from"], n.get("to"), _ref(sources, n.get("source")),
                       n.get("from_date"), n.get("to_date"), n.get("from_note"), n.get("to_note")) for n in raw]


def _figures(sources, raw: list[dict]) -> list[Figure]:
    return [Figure(f["year"], f["stage"], f["amount"], _ref(sources, f["source"]),
                   f.get("precision", "천원"), f.get("as_of"), f.get("note") or None,
                   f.get("account"), f.get("scope", "전체"), f.get("table"), f.get("recovered"))
            for f in raw]


def _with_refs(sources, items: list[dict], html_keys=(), defaults: dict | None = None) -> list[dict]:
    """Plain dicts for templates, with optional keys present (templates are strict)."""
    out = []
    for item in items:
        item = {**(defaults or {}), **item}
        if "difference" in item:
            item["difference_text"] = money.signed(item["difference"]) if item["difference"] is not None else None
            scope = "세부사업만(기본경비 제외)" if item.get("scope") == "사업비" else None
            tables = f"{item['table']} − {item['other_table']}" if item.get("other_table") else item.get("table")
            if item.get("row"):  # a cell of a foundation_budget table
                tables = " − ".join(f"{tb} '{r}' {c}" for tb, r, c in
                                    ((item["table"], item["row"], item.get("column")),
                                     (item.get("other_table"), item.get("other_row"), item.get("other_column"))) if tb)
            item["detail"] = " · ".join(x for x in (item.get("account"), scope, tables) if x)
        if "source" in item:
            item["source"] = _ref(sources, item["source"])
        for k in html_keys:
            if k in item:
                item[k + "_html"] = markdown_html(item[k], 4)  # below a section's h2 and an entry's h3
        out.append(item)
    return out


_DISCREPANCY = {"account": None, "difference": None}


def _kept(doc, key: str, depends_on, make):
    """What make() builds from one file and what it depends on, built again
    only when either changed. serve keeps a file's Document while the file is
    unchanged, so an edit rebuilds its own file's part, not every file's."""
    held = doc.made.get(key)
    if held is None or held[0] is not depends_on:
        held = doc.made[key] = (depends_on, make())
    return held[1]


def _project_parts(sources, p: dict) -> dict:
    """What of a project comes from its file alone (and the sources)."""
    history = p.get("history", [])
    return dict(
        files=frozenset([f"projects/{p['id']}.yaml"] + [f"departments/{d['department']}.yaml" for d in p["departments"]]
                        + [f"projects/{h['project']}.yaml" for h in history if h.get("project")]
                        + [f"departments/{h['department']}.yaml" for h in history if h.get("department")]),
        former_names=_with_refs(sources, p.get("former_names", [])),
        keywords=p.get("keywords", []),
        description_html=markdown_html(p["description"]),
        figures=FigureSet(_figures(sources, p["figures"])),
        breakdown=[{**b, "source": _ref(sources, b["source"]),
                    "items": [{"code": None, **i} for i in b["items"]]} for b in p.get("breakdown", [])],
        notes=_with_refs(sources, p.get("notes", []), ("text",)),
        foundation_budget=[{**fb, "source": _ref(sources, fb["source"]),
                            "columns": [{"year": None, "stage": None, "change": None, **c} for c in fb["columns"]],
                            "rows": [{"group": None, "parent": None, "note": None, **r} for r in fb["rows"]]}
                           for fb in p.get("foundation_budget", [])],
        discrepancies=_with_refs(sources, p.get("discrepancies", []), ("explanation",), _DISCREPANCY),
        history=_with_refs(sources, p.get("history", []), ("explanation",),
                           {"project": None, "name": None, "department": None, "source": None}))


def build_site(content: Content) -> Site:
    site_doc, sources_doc = content.one("site"), content.one("sources")
    assert site_doc is not None and sources_doc is not None  # validate() requires both
    site_raw = site_doc.data
    sources = _kept(sources_doc, "sources", None, lambda: {s["id"]: Source(**s) for s in sources_doc.data["sources"]})

    departments: dict[str, Department] = {}
    for doc in content.of_kind("department"):
        d = doc.data
        dept = Department(
            id=d["id"], names=_names(sources, d["names"]), summary_html=markdown_html(d.get("summary")),
            duties=_with_refs(sources, d.get("duties", [])), staff=_with_refs(sources, d.get("staff", [])),
            lineage=_with_refs(sources, d.get("lineage", []), ("explanation",),
                               {"department": None, "year": None, "date": None}),
            totals=FigureSet([]), discrepancies=_with_refs(sources, d.get("discrepancies", []), ("explanation",), _DISCREPANCY),
            tasks=_with_refs(sources, d.get("tasks", []), ("summary",), {"amount": None, "precision": "천원"}))
        dept.totals = FigureSet(_figures(sources, d.get("totals", [])))
        departments[dept.id] = dept

    projects: dict[str, Project] = {}
    for doc in content.of_kind("project"):
        p = doc.data
        # Per year, the placement by named documents last: the department after a reorganisation.
        placed = sorted(p["departments"], key=lambda d: (d["year"], "documents" in d))
        project = Project(
            id=p["id"], name=p["name"],
            departments={d["year"]: departments[d["department"]] for d in placed},
            placements=[(d["year"], frozenset(d["documents"]) if "documents" in d else None, departments[d["department"]])
                        for d in placed],
            account=p["account"], status=p.get("status"),
            **_kept(doc, "own", sources, partial(_project_parts, sources, p)))
        projects[project.id] = project
        for dept in {id(d): d for _, _, d in project.placements}.values():
            dept.projects.append(project)

    for dept in departments.values():
        dept.projects.sort(key=lambda pr: pr.name)

    bureau_raw = site_raw["bureau"]
    bureau = Bureau(_names(sources, bureau_raw["names"]),
                    FigureSet(_figures(sources, bureau_raw.get("totals", []))),
                    _with_refs(sources, bureau_raw.get("discrepancies", []), ("explanation",), _DISCREPANCY),
                    _with_refs(sources, bureau_raw.get("notes", []), ("text",)),
                    _with_refs(sources, bureau_raw.get("events", []), ("text",), {"date": None, "before": None, "after": None}))
    site = Site(site_raw["title"], site_raw["description"], site_raw["base_url"], bureau,
                sources, departments, projects, edition=site_raw.get("edition"),
                pages={name: text for name, (text, _) in content.pages.items()})
    if (revenue := content.one("revenue")) is not None:
        site.revenue = Revenue(
            [RevenueFigure(**vars(f), item=r["item"], parent=r.get("parent"))
             for f, r in zip(_figures(sources, revenue.data["items"]), revenue.data["items"])],
            _with_refs(sources, revenue.data.get("discrepancies", []), ("explanation",), _DISCREPANCY))
    if (glossary := content.one("glossary")) is not None:
        site.glossary = [Term(t["term"], t.get("id") or f"term-{i + 1}", t.get("aliases", []),
                              markdown_html(t["definition"]), _ref(sources, t.get("source")))
                         for i, t in enumerate(glossary.data["terms"])]
    if (programs := content.one("programs")) is not None:
        site.goals = [Program(g["name"], FigureSet(_figures(sources, g["totals"])),
                              _with_refs(sources, g.get("discrepancies", []), ("explanation",), _DISCREPANCY),
                              number=g.get("number"), department=departments.get(g.get("department")))
                      for g in programs.data["goals"]]
        site.units = [Program(u["name"], FigureSet(_figures(sources, u["totals"])),
                              _with_refs(sources, u.get("discrepancies", []), ("explanation",), _DISCREPANCY),
                              goal=u.get("goal"), department=departments.get(u.get("department")),
                              projects=[projects[pid] for pid in u.get("projects", [])])
                      for u in programs.data["units"]]
    return site
