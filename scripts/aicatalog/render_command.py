"""The `aicatalog render` command: the site's generated pages and data files, into a folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import format_report
from .exitcodes import ExitCode, exit_status
from .options import catalog_option, resolve_catalog
from .render import (
    DEFAULT_REPOSITORY,
    DEFAULT_SITE_URL,
    RenderError,
    SiteOptions,
    render_catalog,
    write_site,
)
from .terminal import printable
from .workspace import CatalogError


def _echo_err(message: str) -> None:
    click.echo(printable(message), err=True)


@click.command(
    "render",
    epilog=exit_status("when written", "when the catalog is invalid or cannot be rendered"),
)
@catalog_option
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the generated pages and data files into.",
)
@click.option("--site-url", default=DEFAULT_SITE_URL, show_default=True, help="Site's public URL.")
@click.option("--repository", default=DEFAULT_REPOSITORY, show_default=True, help="Repository URL.")
def render_command(catalog_dir: Path | None, out_dir: Path, site_url: str, repository: str) -> None:
    """Render every generated page (Markdown) and data file of the site into --out.

    Warnings (such as an article citation without an entry) go to stderr.
    """
    root = resolve_catalog(catalog_dir)
    options = SiteOptions(site_url=site_url, repository=repository)
    try:
        site = render_catalog(root, options, _echo_err)
    except CatalogError as exc:
        _echo_err(format_report(exc.diagnostics, "text"))
        sys.exit(ExitCode.PROBLEMS)
    except RenderError as exc:
        _echo_err(f"error: {exc}")
        sys.exit(ExitCode.PROBLEMS)
    count = write_site(site, out_dir)
    click.echo(f"wrote {count} files to {out_dir}")
