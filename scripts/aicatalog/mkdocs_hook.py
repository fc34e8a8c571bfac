"""MkDocs hook: render the catalog in memory and hand the pages to MkDocs.

A thin adapter: aicatalog.render does the work, so the site could move to another
builder. Nothing is written into docs/. The catalog folder is AICATALOG_CATALOG
when set (tests and benchmarks build generated catalogs), else catalog/ next to
mkdocs.yml. An invalid catalog stops the build with the validator's messages.

Three shortcuts keep large catalogs fast, without changing the output: page metadata
is handed over as data instead of YAML front matter to be parsed again, pages
whose body is raw HTML only (which Markdown passes through unchanged) skip the
Markdown conversion, and the search plugin reads only the part of a page it would
index (Page.search_body) instead of parsing the whole body to skip the rest.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from aicatalog.diagnostics import Diagnostic, format_report
from aicatalog.error_page import ERROR_PAGES, TITLE, error_body
from aicatalog.render import (
    DEFAULT_REPOSITORY,
    Page,
    RenderError,
    Site,
    SiteOptions,
    render_catalog,
)
from aicatalog.workspace import CatalogError

log = logging.getLogger("mkdocs.hooks.aicatalog")

CATALOG_ENV = "AICATALOG_CATALOG"

#: The hand-written page that includes the repository's CONTRIBUTING.md, and where its
#: edit link points instead (relative to the page's own edit URL, under docs/).
CONTRIBUTE_PAGE = "contribute.md"
CONTRIBUTE_EDIT = "../CONTRIBUTING.md"

#: The command MkDocs runs ("build", "serve", "gh-deploy"), from on_startup.
_command = "build"

#: The generated pages of the current build, by source path (a serve rebuild replaces them).
_pages: dict[str, Page] = {}


def catalog_root(config: MkDocsConfig) -> Path:
    """The catalog folder this build reads."""
    override = os.environ.get(CATALOG_ENV)
    if override:
        return Path(override)
    return Path(config.config_file_path).resolve().parent / "catalog"


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve`, where errors are shown in the browser."""
    global _command
    _command = command


def _error_site(root: str, diagnostics: list[Diagnostic] | None, message: str) -> Site:
    """While serving an invalid catalog: the navigation's pages, each listing the errors."""
    body = error_body(root, diagnostics, message)
    meta: dict[str, Any] = {
        "title": TITLE,
        "description": TITLE,
        "hide": ["navigation", "toc"],
        "search": {"exclude": True},
    }
    return Site({src: Page(meta, body, is_html=True) for src in ERROR_PAGES}, {})


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add every generated page and data file to the build."""
    root = catalog_root(config)
    options = SiteOptions(
        site_url=config.site_url or SiteOptions.site_url,
        repository=config.extra.get("repository", DEFAULT_REPOSITORY),
        directory_urls=config.use_directory_urls,
    )
    try:
        site = render_catalog(root, options, log.warning)
    except CatalogError as exc:
        report = format_report(exc.diagnostics, "text")
        if _command != "serve":
            raise PluginError(f"the catalog at {root} is invalid:\n{report}") from None
        log.error(f"the catalog at {root} is invalid:\n{report}")
        site = _error_site(str(root), exc.diagnostics, "")
    except RenderError as exc:
        if _command != "serve":
            raise PluginError(str(exc)) from None
        log.error(str(exc))
        site = _error_site(str(root), None, str(exc))
    _pages.clear()
    _pages.update(site.pages)
    generated = {src: page.body for src, page in site.pages.items()} | site.data
    for src_uri, content in generated.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} clashes with a generated page; remove it")
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_markdown(markdown: str, *, page: MkDocsPage, **_: object) -> str:
    """Give generated pages their metadata; pure-HTML bodies bypass Markdown."""
    generated = _pages.get(page.file.src_uri)
    if page.file.src_uri == CONTRIBUTE_PAGE and page.edit_url:
        # The page only includes CONTRIBUTING.md: its edit link opens that file.
        page.edit_url = urljoin(page.edit_url, CONTRIBUTE_EDIT)
    if generated is None:
        return markdown
    page.meta = dict(generated.meta)
    return "" if generated.is_html else markdown


#: Material weighs a tag match 1,000 times a title match, so a query word that is also
#: some entries' tag buried the entry named by the query. A tag now weighs a tenth of
#: a title: naming a project finds its page first, tags still count over body text.
TAGS_FIELD = '"tags":{"boost":1000000.0}'
TAGS_FIELD_BOOST = '"tags":{"boost":100.0}'


def on_post_build(*, config: MkDocsConfig) -> None:
    """Weigh tags below titles in the search index (see TAGS_FIELD)."""
    index = Path(config.site_dir) / "search" / "search_index.json"
    if not index.is_file():
        return
    text = index.read_text(encoding="utf-8")
    head, sep, rest = text.partition(TAGS_FIELD)
    if sep and len(head) < 1000:  # only in the config object at the start of the file
        index.write_text(head + TAGS_FIELD_BOOST + rest, encoding="utf-8")


def on_page_content(html: str, *, page: MkDocsPage, **_: object) -> str:
    """Raw-HTML pages: until the search plugin has read the page (in on_page_context), the
    page's content is only what search indexes; on_page_context below puts the body back."""
    generated = _pages.get(page.file.src_uri)
    if generated is None or not generated.is_html:
        return html
    return generated.search_body if generated.search_body is not None else generated.body


@event_priority(-100)  # after the search plugin's on_page_context (priority 0)
def on_page_context(context: Any, *, page: MkDocsPage, **_: object) -> Any:
    """Give a raw-HTML page its whole body back for the theme, once search has read it."""
    generated = _pages.get(page.file.src_uri)
    if generated is not None and generated.is_html:
        page.content = generated.body
    return context
