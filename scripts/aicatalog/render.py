"""Render the catalog into the site's pages: Markdown from Jinja templates, plus data files.

The result is an in-memory mapping of paths to contents, so the same function
feeds `aicatalog render --out DIR` and the MkDocs hook, and the core never depends
on a site builder. Entries come from strangers: every value taken from an entry
is HTML-escaped by the templates (autoescape) and rendered inside raw HTML blocks,
where Markdown syntax has no effect; front matter is dumped by YAML, pre-escaped
because the theme prints titles and descriptions without escaping; links are
rendered only for https URLs to public hosts.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import yaml

from . import home as home_lists
from . import pages, profile_view, pulse, stats
from .activity import ACTIVITY_FILE
from .browse_data import browse_json
from .charts import bar_chart
from .compare_view import compare_config_json
from .datafiles import (
    ACTIVITY_FIELDS,
    DERIVED_FIELDS,
    projects_csv,
    projects_json,
)
from .feed import atom_feed
from .fragments import badge, external, license_name, openness_line
from .model import Project, Term
from .overview import missing
from .paths import entry_source
from .profile import LEVEL_LABELS, LEVEL_RULES
from .registry_view import ANSWER_WORDS, licence_users, licenses_json
from .relatedness import ranked_related
from .schemafields import schema_fields
from .views import (
    KIND_LABELS,
    LEVELS,
    PARTS,
    by_name,
    facets,
    group_by,
    is_open_source,
    kind_counts,
    part_license,
    part_openness,
    part_summary,
    search_boost,
    tag_groups,
)
from .workspace import BUILD_INPUTS, Workspace, load_workspace

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
SITE_NAME = "Open Source AI Catalog"
DEFAULT_SITE_URL = "https://open-source-ai-catalog.github.io/catalog/"
DEFAULT_REPOSITORY = "https://github.com/open-source-ai-catalog/catalog"
RECENT_ON_HOME = 8
ACTIVE_ON_HOME = 8


class RenderError(Exception):
    """The catalog is valid but the site cannot be rendered from it (e.g. a reserved id)."""


@dataclass(frozen=True)
class SiteOptions:
    """Where the site and its repository live; how the builder lays out page URLs."""

    site_url: str = DEFAULT_SITE_URL
    repository: str = DEFAULT_REPOSITORY
    branch: str = "main"
    directory_urls: bool = True
    templates: Path = TEMPLATES_DIR


@dataclass(frozen=True)
class Page:
    """A generated page: its front matter, and its body.

    Text in `meta` is HTML-escaped already, because the theme prints titles and
    descriptions verbatim. `is_html` marks bodies that are raw HTML only: Markdown
    passes them through unchanged, so a builder may skip converting them.
    """

    meta: dict[str, Any]
    body: str
    is_html: bool
    #: What site search reads of a raw-HTML page: its body without the parts marked
    #: data-search-exclude, so the search index is built without parsing the rest
    #: (None: the body). The index is the same either way.
    search_body: str | None = None

    def text(self) -> str:
        """The page as a Markdown file: YAML front matter, then the body."""
        front = yaml.safe_dump(self.meta, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{front}---\n\n{self.body}"


@dataclass(frozen=True)
class Site:
    """Every generated page and data file by path (relative to the docs root)."""

    pages: dict[str, Page]
    data: dict[str, str]
    #: Problems that do not stop a build but must not pass unnoticed.
    warnings: list[str] = field(default_factory=list)

    def files(self) -> dict[str, str]:
        """Every file's text, pages as Markdown with front matter."""
        return {**{src: page.text() for src, page in self.pages.items()}, **self.data}


def escape_meta(value: Any) -> Any:
    """Front matter values with every string HTML-escaped (lists and mappings walked)."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [escape_meta(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_meta(v) for k, v in value.items()}
    return value


def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        badge=badge,
        external=external,
        license_name=license_name,
        openness_line=openness_line,
        KIND_LABELS=KIND_LABELS,
        LEVELS=LEVELS,
        PARTS=PARTS,
        pages=pages,
        part_license=part_license,
        part_openness=part_openness,
        is_open_source=is_open_source,
        sparkline=pulse.sparkline,
        STATE_LABELS=pulse.STATE_LABELS,
        component_rows=profile_view.component_rows,
        profile_level=profile_view.profile_level,
        level_label=profile_view.level_label,
        licence_terms=profile_view.licence_terms,
        get_it=profile_view.get_it,
        has_code=profile_view.has_code,
    )
    return env


class Build:
    """One rendering of one workspace: what every page builder shares (links, lookups,
    groupings, the build's "now"), each computed once, when a builder first asks."""

    def __init__(self, workspace: Workspace, options: SiteOptions) -> None:
        self.workspace = workspace
        self.catalog = workspace.valid_catalog()
        self.options = options
        self.activity = dict(workspace.activity)
        self.env = _environment(options.templates)
        names = {i: t.name for i, t in self.catalog.registry.terms.items()}
        self.env.globals["license_name"] = lambda e: license_name(e, names)
        self.env.globals["tag_labels"] = {t.id: t.label for t in self.catalog.tags.tags}
        self.categories = {t.id: t for t in self.catalog.categories}
        self.domains = {t.id: t for t in self.catalog.domains}
        #: The projects by name, as every list on the site shows them.
        self.projects = by_name(self.catalog.projects)
        self.now = pulse.reference_time(self.activity)

    @cached_property
    def related(self) -> dict[str, list[Project]]:
        return ranked_related(self.catalog.projects)

    @cached_property
    def licence_users(self) -> dict[str, list[Project]]:
        return licence_users(self.catalog)

    @cached_property
    def states(self) -> dict[str, pulse.State]:
        return pulse.states(self.catalog.projects, self.activity)

    @cached_property
    def summaries(self) -> dict[str, Any]:
        return {part: part_summary(self.projects, part) for part in PARTS}

    @cached_property
    def by_category(self) -> dict[str, list[Project]]:
        return group_by(self.projects, "categories")

    @cached_property
    def by_domain(self) -> dict[str, list[Project]]:
        return group_by(self.projects, "domains")

    def absolute(self, src: str) -> str:
        base = self.options.site_url.rstrip("/") + "/"
        return base + pages.url(src, self.options.directory_urls)

    def page_url(self, project: Project) -> str:
        return self.absolute(pages.project(project.id))

    def page(
        self,
        src: str,
        template: str,
        meta: dict[str, Any],
        search_template: str | None = None,
        **context: Any,
    ) -> Page:
        """Render one page; templates named *.html.j2 render raw HTML only, *.md.j2 Markdown.

        In templates, `url(target)` is the URL of a page relative to this one, for raw
        HTML (which the builder leaves alone); `md(target)` is the source path relative
        to this one, for Markdown links (which the builder checks and rewrites).
        """

        def url(target: str) -> str:
            return pages.relative(src, target, self.options.directory_urls)

        def md(target: str) -> str:
            return posixpath.relpath(target, posixpath.dirname(src) or ".")

        names = {
            "url": url,
            "md": md,
            "project_url": lambda p: url(pages.project(p.id)),
            "category": self.categories,
            "domain": self.domains,
            **context,
        }
        body = self.env.get_template(template).render(names)
        search = self.env.get_template(search_template).render(names) if search_template else None
        # Navigation is in the tabs; the side bar would be empty on wide screens.
        hide = ["navigation", *meta.get("hide", [])]
        meta = escape_meta({**meta, "hide": hide})
        return Page(meta, body, is_html=template.endswith(".html.j2"), search_body=search)

    def edit_url(self, project: Project) -> str:
        o = self.options
        return f"{o.repository}/edit/{o.branch}/{source_of(project)}"

    def issue_url(self, project: Project) -> str:
        query = urlencode(
            {
                "title": f"Correction: {project.name}",
                "body": f"Entry: {source_of(project)}\n\nWhat is wrong, and a source:\n",
            }
        )
        return f"{self.options.repository}/issues/new?{query}"


def source_of(project: Project) -> str:
    """Path of an entry's file in the repository."""
    return entry_source(project.id)


#: What a page builder returns: pages (Page) and data files (text) by source path.
Output = dict[str, "Page | str"]
Builder = Callable[[Build], Output]


def home(b: Build) -> Output:
    meta: dict[str, Any] = {
        "description": "A curated catalog of open-source AI projects, with the licence "
        "of code, weights and data checked for every entry.",
        "hide": ["toc"],
    }
    page = b.page(
        pages.HOME,
        "home.md.j2",
        meta,
        total=len(b.projects),
        kinds=kind_counts(b.projects),
        code=b.summaries["code"],
        weights=b.summaries["weights"],
        categories=b.catalog.categories,
        by_category=b.by_category,
        recent=home_lists.recent_additions(b.projects, b.activity, RECENT_ON_HOME),
        active=home_lists.active_list(b.projects, b.activity, ACTIVE_ON_HOME),
        growing=pulse.fastest_growing(b.projects, b.activity, ACTIVE_ON_HOME),
        now=b.now,
    )
    return {pages.HOME: page}


def browse(b: Build) -> Output:
    meta: dict[str, Any] = {
        "title": "Browse",
        "description": "Every project in the catalog in one table: filter by text, kind, "
        "category, domain, status and openness, and sort by any column.",
        "hide": ["toc"],
        "search": {"exclude": True},
    }
    page = b.page(
        pages.BROWSE,
        "browse.html.j2",
        meta,
        total=len(b.projects),
        facets=facets(b.projects, b.catalog, b.states),
        categories=b.catalog.categories,
        by_category=b.by_category,
        now=b.now,
    )
    return {
        pages.BROWSE: page,
        pages.BROWSE_JSON: browse_json(b.catalog, b.projects, b.activity, b.states),
    }


def _check_terms(terms: tuple[Term, ...], kind: str) -> None:
    for term in terms:
        if term.id in pages.RESERVED_IDS:
            raise RenderError(f"{kind} id '{term.id}' is reserved for the {kind} index page")


def _vocabulary(
    b: Build,
    index: str,
    terms: tuple[Term, ...],
    groups: dict[str, list[Project]],
    page_of: Callable[[str], str],
    noun: str,
) -> Output:
    """The index page of a vocabulary and a page per term."""
    _check_terms(terms, noun)
    title = "Categories" if noun == "category" else "Domains"
    meta: dict[str, Any] = {"title": title, "description": f"The catalog's projects by {noun}."}
    out: Output = {
        index: b.page(
            index, "terms.html.j2", meta, terms=terms, groups=groups, page_of=page_of, noun=noun
        )
    }
    for term in terms:
        # Searching finds the projects themselves; listing them again adds noise.
        meta = {
            "title": term.title,
            "description": term.description,
            "search": {"exclude": True},
        }
        out[page_of(term.id)] = b.page(
            page_of(term.id),
            "term.html.j2",
            meta,
            term=term,
            projects=groups.get(term.id, []),
            index=index,
            noun=noun,
        )
    return out


def categories(b: Build) -> Output:
    return _vocabulary(
        b, pages.CATEGORIES, b.catalog.categories, b.by_category, pages.category, "category"
    )


def domains(b: Build) -> Output:
    return _vocabulary(b, pages.DOMAINS, b.catalog.domains, b.by_domain, pages.domain, "domain")


def projects(b: Build) -> Output:
    out: Output = {}
    for project in b.projects:
        src = pages.project(project.id)
        activity = b.activity.get(project.id)
        meta = {
            "title": project.name,
            "description": project.description,
            # A query that names a project finds its page before pages that mention it.
            "search": {"boost": search_boost(project)},
        }
        out[src] = b.page(
            src,
            "project.html.j2",
            meta,
            search_template="_project_search.html.j2",
            p=project,
            registry=b.catalog.registry,
            a=activity,
            g=activity.github if activity else None,
            related=b.related[project.id],
            source=source_of(project),
            edit_url=b.edit_url(project),
            issue_url=b.issue_url(project),
        )
    return out


def licences(b: Build) -> Output:
    cited = {c.project for t in b.workspace.themes for c in t.citations if c.project}
    meta = {
        "title": "Licences and openness",
        "description": "What open, restricted and closed mean for code, weights and data, "
        "and how many entries fall under each.",
    }
    page = b.page(
        pages.LICENSES,
        "licences.md.j2",
        meta,
        total=len(b.projects),
        summaries=b.summaries,
        cited=len(cited),
        not_open=by_name(p for p in cited if not is_open_source(p)),
        registry=sorted(b.catalog.registry.terms.values(), key=lambda t: t.name.casefold()),
        users=b.licence_users,
        LEVEL_RULES=LEVEL_RULES,
        LEVEL_LABELS=LEVEL_LABELS,
    )
    return {pages.LICENSES: page}


def registry(b: Build) -> Output:
    """A page per licence of the registry, and licenses.json with every licence's terms."""
    o = b.options
    out: Output = {pages.LICENSES_JSON: licenses_json(b.catalog, b.licence_users)}
    for terms in b.catalog.registry.terms.values():
        src = pages.licence(terms.id)
        meta = {"title": terms.name, "description": terms.summary, "search": {"boost": 2}}
        out[src] = b.page(
            src,
            "licence.html.j2",
            meta,
            t=terms,
            users=b.licence_users[terms.id],
            ANSWER_WORDS=ANSWER_WORDS,
            source=f"catalog/licenses/{terms.id}.yml",
            edit_url=f"{o.repository}/edit/{o.branch}/catalog/licenses/{terms.id}.yml",
        )
    return out


def overview(b: Build) -> Output:
    meta = {
        "title": "From the overview",
        "description": "The projects cited by the article the catalog grew from, "
        "grouped by its themes.",
    }
    page = b.page(pages.OVERVIEW, "overview.md.j2", meta, themes=b.workspace.themes)
    return {pages.OVERVIEW: page}


def tags(b: Build) -> Output:
    """The Tags index (grouped, with counts) and a page per tag listing its projects."""
    groups = tag_groups(b.catalog)
    meta: dict[str, Any] = {
        "title": "Tags",
        "description": "Every tag of the catalog by group, with how many projects carry it.",
        "hide": ["toc"],
    }
    out: Output = {pages.TAGS: b.page(pages.TAGS, "tags.html.j2", meta, groups=groups)}
    for group, rows in groups:
        for row in rows:
            src = pages.tag(row.id)
            tag_meta = {
                "title": f"Tag: {row.label}",
                "description": f"Projects tagged {row.label} ({group}).",
                "search": {"exclude": True},
            }
            out[src] = b.page(src, "tag.html.j2", tag_meta, row=row, group=group)
    return out


def data(b: Build) -> Output:
    """The Data page, and the files it documents: projects.json, projects.csv, schema.json."""
    meta = {
        "title": "Data",
        "description": "Download the catalog as JSON or CSV, its JSON Schema, and the "
        "Atom feed of new entries; every field documented.",
    }
    o, schema = b.options, b.workspace.schema
    page = b.page(
        pages.DATA,
        "data.md.j2",
        meta,
        fields=schema_fields(schema),
        derived=DERIVED_FIELDS,
        activity_fields=ACTIVITY_FIELDS,
        collected=len(b.activity),
        sources=pulse.sources(b.activity),
        activity_url=f"{o.repository}/blob/{o.branch}/catalog/{ACTIVITY_FILE}",
        now=b.now,
        total=len(b.projects),
    )
    return {
        pages.DATA: page,
        pages.PROJECTS_JSON: projects_json(b.catalog, b.page_url, b.activity, schema),
        pages.PROJECTS_CSV: projects_csv(b.catalog, b.page_url, b.activity, schema),
        pages.SCHEMA_JSON: b.workspace.schema_text,
    }


def stats_page(b: Build) -> Output:
    """The Stats page: build-time charts of the catalog (aicatalog.stats)."""
    meta: dict[str, Any] = {
        "title": "Stats",
        "description": "The catalog in figures: entries by kind and openness, licence "
        "families, first releases per year, open weights over time, model profile levels.",
        "hide": ["toc"],
    }
    page = b.page(
        pages.STATS,
        "stats.html.j2",
        meta,
        total=len(b.projects),
        series=stats.all_series(b.projects),
        chart=bar_chart,
    )
    return {pages.STATS: page}


def compare(b: Build) -> Output:
    """The Compare page: 2 to 4 entries side by side, drawn from projects.json."""
    meta: dict[str, Any] = {
        "title": "Compare projects",
        "description": "Two to four projects side by side: licences and what they allow, "
        "openness part by part, activity, how to get them.",
        "hide": ["toc"],
        "search": {"exclude": True},
    }
    config = compare_config_json(b.catalog)
    return {pages.COMPARE: b.page(pages.COMPARE, "compare.html.j2", meta, config=config)}


def feed(b: Build) -> Output:
    text = atom_feed(
        b.projects,
        title=SITE_NAME,
        site_url=b.absolute(pages.HOME),
        feed_url=b.absolute(pages.FEED),
        page_url=b.page_url,
    )
    return {pages.FEED: text}


#: The page families, one builder each; a new family is a new builder in this list.
BUILDERS: tuple[Builder, ...] = (
    home,
    browse,
    categories,
    domains,
    projects,
    licences,
    registry,
    overview,
    tags,
    stats_page,
    compare,
    data,
    feed,
)


def render_site(
    workspace: Workspace,
    options: SiteOptions | None = None,
    builders: tuple[Builder, ...] = BUILDERS,
) -> Site:
    """Every page and data file of the site for a valid workspace: each builder's output."""
    b = Build(workspace, options or SiteOptions())
    site_pages: dict[str, Page] = {}
    files: dict[str, str] = {}
    for builder in builders:
        for src, output in builder(b).items():
            if isinstance(output, Page):
                site_pages[src] = output
            else:
                files[src] = output
    warnings = [
        f"{pages.OVERVIEW}: the overview cites '{i}' but the catalog has no entry projects/{i}.yml"
        for i in missing(workspace.themes)
    ]
    return Site(dict(sorted(site_pages.items())), files, warnings)


def write_site(site: Site, out: Path) -> int:
    """Write every file of `site` under `out`, creating folders as needed; how many."""
    files = site.files()
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return len(files)


def render_catalog(root: Path, options: SiteOptions, warn: Callable[[str], None]) -> Site:
    """Load, validate and render the catalog at `root`; warnings go to `warn`.

    Raises CatalogError (any input invalid) or RenderError.
    """
    site = render_site(load_workspace(root, inputs=BUILD_INPUTS), options)
    for message in site.warnings:
        warn(message)
    return site
