"""Every kind of page, declared once: where its pages go, which template
shows them, which content files each is made from, and the function that
makes it (render.py). The list of pages, the stubs the build decides with,
and the freshness rule of each page all come from these declarations.

Adding a page kind is one PageKind in KINDS, a function in render.py and a
template; adding a Markdown page is a file in content/pages/ (no code).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from . import api, editions, render
from .load import GUIDE
from .model import Department, Project, Site
from .model.histories import revenue_items
from .render import Page, changes, composition, histories, names
from .tables import Elsewhere

# What a page is made from, beyond what every page shares (site.yaml, the
# sources, templates, code): the project and department files it shows.
# freshness.py makes a page again only when these, or the shared inputs, change.
ALL = None               # every project and department file
NONE: frozenset[str] = frozenset()


def _file_of(x: Department | Project) -> str:
    # Ids are the file names (validate.py checks it).
    return f"{'departments' if isinstance(x, Department) else 'projects'}/{x.id}.yaml"


def _department_inputs(site: Site, d: Department) -> frozenset[str]:
    # Other departments appear by name (lineage, successors, where a project moved): all of them.
    return frozenset([_file_of(x) for x in site.departments.values()] + [_file_of(p) for p in d.projects])


def _project_inputs(site: Site, p: Project) -> frozenset[str]:
    return p.files  # made with the project, from its file (model.py)


def project_tables(site: Site, p: Project) -> Elsewhere:
    """A project page's tables have no files of their own (tables.files says
    why): without JavaScript, its rows in the whole budget CSV and the project in the API."""
    return Elsewhere("data/budget.csv", api.project_path(p.id),  # written with data/index.html (render.data_page)
                     "JavaScript 없이는 전체 예산 자료(CSV)와 이 사업의 API 자료(JSON)를 받습니다")


def _one(site: Site) -> Iterable[tuple]:
    return [()]


@dataclass(frozen=True)
class PageKind:
    """One kind of page. path: its address, from the key of each page of the
    kind (a project, a pair of years; () for a kind with one page). keys: the
    pages of the kind in a site. inputs: the project and department files a
    page is made from (ALL, NONE, or a function of the site and the key).
    lists_projects: it shows each project as lists do (its description and
    notes left out), so editing those does not make it again. absolute:
    served at any depth (404.html). canonical: another page it repeats.
    files: more files written with each page (path from the site root →
    bytes), made when the page is made (a project's JSON, api.py).
    tables_elsewhere: its tables' downloads are made in the browser, and
    lead there without JavaScript, instead of files of their own (tables.files)."""
    name: str
    template: str
    path: Callable[..., str]
    make: Callable[..., Page]
    keys: Callable[[Site], Iterable[tuple]] = _one
    inputs: frozenset[str] | Callable[..., frozenset[str]] | None = ALL
    lists_projects: bool = False
    absolute: bool = False
    canonical: Callable[..., str | None] | None = None
    scripts: tuple[str, ...] = ()
    files: Callable[..., dict[str, bytes]] | None = None
    tables_elsewhere: Callable[..., Elsewhere] | None = None

    def page(self, site: Site, key: tuple = ()) -> Page:
        """The page for key as the build first sees it: what it is and what it
        is made from, made (make) only when it has to be."""
        page = self._declared(site, key)
        page.make = partial(self._made, site, key)
        return page

    def _declared(self, site: Site, key: tuple) -> Page:
        inputs = self.inputs(site, *key) if callable(self.inputs) else self.inputs
        return Page(self.path(*key), self.template, inputs=inputs, lists_projects=self.lists_projects,
                    absolute=self.absolute, canonical=self.canonical(site) if self.canonical else None,
                    scripts=list(self.scripts))

    def _made(self, site: Site, key: tuple) -> Page:
        page = self.make(site, self._declared(site, key), *key)
        if self.files:
            page.files.update(self.files(site, *key))
        if self.tables_elsewhere:
            elsewhere = self.tables_elsewhere(site, *key)
            for t in page.tables:
                t.elsewhere = elsewhere
        return page


@dataclass(frozen=True)
class _Fixed:
    """The address of a kind's one page."""
    path: str

    def __call__(self) -> str:
        return self.path



def _latest_pair(site: Site) -> str | None:
    _, pairs = render.compare_pairs(site)
    return render.compare_path(*pairs[-1])


KINDS = [
    PageKind("home", "home.html", _Fixed("index.html"), render.home_page),
    PageKind("departments", "departments.html", _Fixed("departments/index.html"), render.departments_index),
    PageKind("projects", "projects.html", _Fixed("projects/index.html"), render.projects_index),
    # A long project index goes on in pages: projects/page-2/ … (render/pages_of.py, limits.PROJECTS_PER_PAGE).
    PageKind("projects page", "projects.html", render.project_index_path, render.projects_index,
             keys=render.project_index_numbers),
    PageKind("sources", "sources.html", _Fixed("sources/index.html"), render.sources_page),
    PageKind("guide", "guide.html", _Fixed(f"{GUIDE}/index.html"), render.guide_page, inputs=NONE),
    PageKind("revenue", "revenue.html", _Fixed("revenue/index.html"), render.revenue_page, inputs=NONE),
    PageKind("glossary", "glossary.html", _Fixed("glossary/index.html"), render.glossary_page, inputs=NONE),
    PageKind("search", "search.html", _Fixed(names.PATH), names.search_page, lists_projects=True),
    # The ㄱㄴㄷ index split by initial when it grows long (issue 28 §3): none below limits.NAMES_ON_ONE_PAGE.
    PageKind("names", "names.html", names.names_path, names.names_page, keys=names.names_keys,
             lists_projects=True),
    PageKind("programs", "programs.html", _Fixed("programs/index.html"), render.programs_page),
    PageKind("discrepancies", "discrepancies.html", _Fixed("discrepancies/index.html"), render.discrepancies_page),
    PageKind("organisation", "organisation.html", _Fixed("organisation/index.html"), render.organisation_page),
    PageKind("discrepancy kind", "discrepancies.html", render.kind_path, render.discrepancy_kind_page,
             keys=lambda site: [(k,) for k in render.kinds_present(site)]),
    PageKind("data", "data.html", _Fixed("data/index.html"), render.data_page),
    # The API's index lists what lists show of each project; it and the schemas are written with this page.
    PageKind("api", "api.html", _Fixed(api.DOC_PAGE), api.doc_page, lists_projects=True),
    PageKind("404", "404.html", _Fixed("404.html"), render.not_found_page, inputs=NONE, absolute=True),
    PageKind("compare index", "compare.html", _Fixed("compare/index.html"), render.compare_index,
             keys=lambda site: [()] if render.compare_pairs(site)[1] else [], canonical=_latest_pair,
             scripts=("compare.js",)),
    PageKind("compare", "compare.html", render.compare_path, render.compare_page,
             keys=lambda site: render.compare_pairs(site)[1], scripts=("compare.js",)),
    PageKind("department", "department.html", lambda d: d.path, render.department_page,
             keys=lambda site: [(d,) for d in sorted(site.departments.values(), key=lambda d: d.id)],
             inputs=_department_inputs, lists_projects=True, scripts=("cite.js",), files=api.department_files),
    # A long list of a department's projects goes on in pages: departments/<id>/projects/page-2/ ….
    PageKind("department projects", "department_projects.html", render.department_list_path,
             render.department_list_page, keys=render.department_list_numbers,
             inputs=lambda site, d, n: _department_inputs(site, d), lists_projects=True),
    PageKind("project", "project.html", lambda p: p.path, render.project_page,
             keys=lambda site: [(p,) for p in sorted(site.projects.values(), key=lambda p: p.id)],
             inputs=_project_inputs, scripts=("cite.js",), files=api.project_files, tables_elsewhere=project_tables),
    # A change list compares every figure of two editions: it depends on all project and department files.
    PageKind("changes", "editions.html", _Fixed(changes.INDEX), changes.changes_index),
    PageKind("change list", "changes.html", editions.change_path, changes.change_page, keys=changes.edition_keys),
    PageKind("markdown", "page.html", lambda name: f"{name}/index.html", render.markdown_page,
             keys=lambda site: [(name,) for name in sorted(site.pages) if name != GUIDE], inputs=NONE),
    # Each revenue item over the years (issue 27 §2), under the revenue page's folder.
    PageKind("revenue item", "revenue_item.html", lambda i: i.path, histories.revenue_item_page,
             keys=lambda site: [(i,) for i in revenue_items(site)], inputs=NONE),
    # A year's budget by department and project, and by 통계목 (issue 27 §1); the index repeats the latest year.
    PageKind("composition index", "composition.html", _Fixed(composition.INDEX), composition.composition_index,
             keys=lambda site: [()] if composition.composition_years(site) else [], canonical=composition.latest_path),
    PageKind("composition", "composition.html", composition.composition_path, composition.composition_page,
             keys=composition.composition_years),
]
KIND = {k.name: k for k in KINDS}

# The folders the site's own pages and files take: a Markdown page may not
# take one. (Keyed kinds live in the folder of a kind's one page: projects/,
# departments/, compare/, discrepancies/.)
# guide.md is the guide page's own Markdown.
TAKEN_NAMES = frozenset({k.path.path.split("/")[0] for k in KINDS if isinstance(k.path, _Fixed)} | {"assets"}) - {GUIDE}


def all_pages(site: Site) -> list[Page]:
    """Every page of the site, none made yet: a page is made only if it
    changed, in the worker process that writes it (publish.py), so pages are
    made in parallel and an edit makes only the pages it touches."""
    return [kind.page(site, key) for kind in KINDS for key in kind.keys(site)]


def page(site: Site, kind: str, *key) -> Page:
    """One page, made: for tests and tools."""
    return KIND[kind].page(site, tuple(key)).ready()
