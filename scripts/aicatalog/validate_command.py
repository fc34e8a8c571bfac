"""`aicatalog validate`: check entries and report problems at their lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import format_report
from .exitcodes import ExitCode, exit_status
from .options import catalog_option, resolve_catalog
from .workspace import load_workspace


@click.command(
    "validate",
    epilog=exit_status("when clean (warnings allowed)", "on any error"),
)
@catalog_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people, github for pull-request annotations, json for tools.",
)
@click.argument(
    "files", nargs=-1, metavar="[FILE ...]", type=click.Path(dir_okay=False, path_type=Path)
)
def validate_command(catalog_dir: Path | None, fmt: str, files: tuple[Path, ...]) -> None:
    """Check every entry (or only the FILEs named), and every other input the build reads
    (vocabularies, activity.json, overview.yml), and report each problem with file:line:col."""
    root = resolve_catalog(catalog_dir)
    workspace = load_workspace(root, only=files or None)
    diagnostics = list(workspace.diagnostics)
    report = format_report(diagnostics, fmt)
    if fmt == "text" and not diagnostics:
        count = len(workspace.catalog.projects) if workspace.catalog else 0
        report = f"{count} entries, no problems"
    if report:
        click.echo(report)
    sys.exit(ExitCode.CLEAN if workspace.ok else ExitCode.PROBLEMS)
