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
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import yaml

from . import home, pages, profile_view, pulse, stats
from .activity import ACTIVITY_FILE, Activity, ActivityError, load_activity
from .browse_data import browse_json
from .charts import bar_chart
from .compare_view import compare_config_json
from .datafiles import (
    ACTIVITY_FIELDS,
    DERIVED_FIELDS,
    projects_csv,
    projects_json,
    schema_fields,
)
from .feed import atom_feed
from .fragments import badge, external, license_name, openness_line
from .load import SCHEMA_FILE, CatalogError, load_or_raise
from .model import Catalog, Project, Term
from .overview import load_themes, missing
from .profile import LEVEL_LABELS, LEVEL_RULES
from .registry_view import ANSWER_WORDS, licence_users, licenses_json
from .relatedness import ranked_related
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
)

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


class _Renderer:
    """Renders pages of one catalog; holds what every page needs (links, lookups)."""

    def __init__(self, catalog: Catalog, options: SiteOptions) -> None:
        self.catalog = catalog
        self.options = options
        self.env = _environment(options.templates)
        names = {i: t.name for i, t in catalog.registry.terms.items()}
        self.env.globals["license_name"] = lambda e: license_name(e, names)
        self.related = ranked_related(catalog.projects)
        self.categories = {t.id: t for t in catalog.categories}
        self.domains = {t.id: t for t in catalog.domains}
        self.pages: dict[str, Page] = {}

    def absolute(self, src: str) -> str:
        base = self.options.site_url.rstrip("/") + "/"
        return base + pages.url(src, self.options.directory_urls)

    def page(self, src: str, template: str, meta: dict[str, Any], **context: Any) -> None:
        """Render one page; templates named *.html.j2 render raw HTML only, *.md.j2 Markdown.

        In templates, `url(target)` is the URL of a page relative to this one, for raw
        HTML (which the builder leaves alone); `md(target)` is the source path relative
        to this one, for Markdown links (which the builder checks and rewrites).
        """

        def url(target: str) -> str:
            return pages.relative(src, target, self.options.directory_urls)

        def md(target: str) -> str:
            return posixpath.relpath(target, posixpath.dirname(src) or ".")

        body = self.env.get_template(template).render(
            url=url,
            md=md,
            project_url=lambda p: url(pages.project(p.id)),
            category=self.categories,
            domain=self.domains,
            **context,
        )
        # Navigation is in the tabs; the side bar would be empty on wide screens.
        hide = ["navigation", *meta.get("hide", [])]
        meta = escape_meta({**meta, "hide": hide})
        self.pages[src] = Page(meta, body, is_html=template.endswith(".html.j2"))

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
    return f"catalog/projects/{project.id}.yml"


def _check_terms(terms: tuple[Term, ...], kind: str) -> None:
    for term in terms:
        if term.id in pages.RESERVED_IDS:
            raise RenderError(f"{kind} id '{term.id}' is reserved for the {kind} index page")


def render_site(
    catalog: Catalog,
    options: SiteOptions | None = None,
    activity: dict[str, Activity] | None = None,
) -> Site:
    """Every page and data file of the site for `catalog`, with its collected `activity`."""
    options = options or SiteOptions()
    activity = activity or {}
    now = pulse.reference_time(activity)
    states = pulse.states(catalog.projects, activity)
    _check_terms(catalog.categories, "category")
    _check_terms(catalog.domains, "domain")
    r = _Renderer(catalog, options)
    projects = by_name(catalog.projects)
    by_category = group_by(projects, "categories")
    by_domain = group_by(projects, "domains")
    summaries = {part: part_summary(projects, part) for part in PARTS}
    themes = load_themes(options.templates / "overview.yml", catalog)
    cited = {c.project for t in themes for c in t.citations if c.project}

    r.page(
        pages.HOME,
        "home.md.j2",
        {
            "description": "A curated catalog of open-source AI projects, with the licence "
            "of code, weights and data checked for every entry.",
            "hide": ["toc"],
        },
        total=len(projects),
        kinds=kind_counts(projects),
        code=summaries["code"],
        weights=summaries["weights"],
        categories=catalog.categories,
        by_category=by_category,
        recent=home.recent_additions(projects, activity, RECENT_ON_HOME),
        active=home.active_list(projects, activity, ACTIVE_ON_HOME),
        growing=pulse.fastest_growing(projects, activity, ACTIVE_ON_HOME),
        now=now,
    )
    r.page(
        pages.BROWSE,
        "browse.html.j2",
        {
            "title": "Browse",
            "description": "Every project in the catalog in one table: filter by text, kind, "
            "category, domain, status and openness, and sort by any column.",
            "hide": ["toc"],
            "search": {"exclude": True},
        },
        total=len(projects),
        facets=facets(projects, catalog, states),
        categories=catalog.categories,
        by_category=by_category,
        now=now,
    )
    for index, terms, groups, page_of, noun in (
        (pages.CATEGORIES, catalog.categories, by_category, pages.category, "category"),
        (pages.DOMAINS, catalog.domains, by_domain, pages.domain, "domain"),
    ):
        title = "Categories" if noun == "category" else "Domains"
        r.page(
            index,
            "terms.html.j2",
            {"title": title, "description": f"The catalog's projects by {noun}."},
            terms=terms,
            groups=groups,
            page_of=page_of,
            noun=noun,
        )
        for term in terms:
            r.page(
                page_of(term.id),
                "term.html.j2",
                # Searching finds the projects themselves; listing them again adds noise.
                {"title": term.title, "description": term.description, "search": {"exclude": True}},
                term=term,
                projects=groups.get(term.id, []),
                index=index,
                noun=noun,
            )
    for project in projects:
        src = pages.project(project.id)
        r.page(
            src,
            "project.html.j2",
            {
                "title": project.name,
                "description": project.description,
                "tags": list(project.tags),
                # A query that names a project finds its page before pages that mention it.
                "search": {"boost": search_boost(project)},
            },
            p=project,
            registry=r.catalog.registry,
            a=activity.get(project.id),
            related=r.related[project.id],
            source=source_of(project),
            edit_url=r.edit_url(project),
            issue_url=r.issue_url(project),
        )
    users = licence_users(catalog)
    for terms in catalog.registry.terms.values():
        r.page(
            pages.licence(terms.id),
            "licence.html.j2",
            {"title": terms.name, "description": terms.summary, "search": {"boost": 2}},
            t=terms,
            users=users[terms.id],
            ANSWER_WORDS=ANSWER_WORDS,
            source=f"catalog/licenses/{terms.id}.yml",
            edit_url=f"{options.repository}/edit/{options.branch}/catalog/licenses/{terms.id}.yml",
        )
    r.page(
        pages.LICENSES,
        "licences.md.j2",
        {
            "title": "Licences and openness",
            "description": "What open, restricted and closed mean for code, weights and data, "
            "and how many entries fall under each.",
        },
        total=len(projects),
        summaries=summaries,
        cited=len(cited),
        not_open=by_name(p for p in cited if not is_open_source(p)),
        registry=sorted(catalog.registry.terms.values(), key=lambda t: t.name.casefold()),
        users=users,
        LEVEL_RULES=LEVEL_RULES,
        LEVEL_LABELS=LEVEL_LABELS,
        ANSWER_WORDS=ANSWER_WORDS,
    )
    r.page(
        pages.OVERVIEW,
        "overview.md.j2",
        {
            "title": "From the overview",
            "description": "The projects cited by the article the catalog grew from, "
            "grouped by its themes.",
        },
        themes=themes,
    )
    r.page(
        pages.TAGS,
        "tags.md.j2",
        {"title": "Tags", "description": "Every tag used in the catalog, with its projects."},
    )
    schema_text = (catalog.root / SCHEMA_FILE).read_text(encoding="utf-8")
    r.page(
        pages.DATA,
        "data.md.j2",
        {
            "title": "Data",
            "description": "Download the catalog as JSON or CSV, its JSON Schema, and the "
            "Atom feed of new entries; every field documented.",
        },
        fields=schema_fields(json.loads(schema_text)),
        derived=DERIVED_FIELDS,
        activity_fields=ACTIVITY_FIELDS,
        collected=len(activity),
        sources=pulse.sources(activity),
        activity_url=f"{options.repository}/blob/{options.branch}/catalog/{ACTIVITY_FILE}",
        now=now,
        total=len(projects),
    )

    _stats_page(r, projects)
    _compare_page(r, catalog)

    def page_url(project: Project) -> str:
        return r.absolute(pages.project(project.id))

    data = {
        pages.PROJECTS_JSON: projects_json(catalog, page_url, activity),
        pages.PROJECTS_CSV: projects_csv(catalog, page_url, activity),
        pages.SCHEMA_JSON: schema_text,
        pages.LICENSES_JSON: licenses_json(catalog, users),
        pages.BROWSE_JSON: browse_json(catalog, projects, activity, states),
        pages.FEED: atom_feed(
            projects,
            title=SITE_NAME,
            site_url=r.absolute(pages.HOME),
            feed_url=r.absolute(pages.FEED),
            page_url=page_url,
        ),
    }
    warnings = [
        f"{pages.OVERVIEW}: the overview cites '{i}' but the catalog has no entry projects/{i}.yml"
        for i in missing(themes)
    ]
    return Site(dict(sorted(r.pages.items())), data, warnings)


def _stats_page(r: _Renderer, projects: list[Project]) -> None:
    """The Stats page: build-time charts of the catalog (aicatalog.stats)."""
    r.page(
        pages.STATS,
        "stats.html.j2",
        {
            "title": "Stats",
            "description": "The catalog in figures: entries by kind and openness, licence "
            "families, first releases per year, open weights over time, model profile levels.",
            "hide": ["toc"],
        },
        total=len(projects),
        series=stats.all_series(projects),
        chart=bar_chart,
    )


def _compare_page(r: _Renderer, catalog: Catalog) -> None:
    """The Compare page: 2 to 4 entries side by side, drawn from projects.json."""
    r.page(
        pages.COMPARE,
        "compare.html.j2",
        {
            "title": "Compare projects",
            "description": "Two to four projects side by side: licences and what they allow, "
            "openness part by part, activity, how to get them.",
            "hide": ["toc"],
            "search": {"exclude": True},
        },
        config=compare_config_json(catalog),
    )


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

    Raises CatalogError (invalid entries or activity file), OverviewError or RenderError.
    """
    catalog = load_or_raise(root)
    try:
        activity = load_activity(root)
    except ActivityError as exc:
        raise CatalogError([exc.diagnostic]) from None
    site = render_site(catalog, options, activity)
    for message in site.warnings:
        warn(message)
    return site
