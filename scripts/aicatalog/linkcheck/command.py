"""`aicatalog links`: check the catalog's URLs (or a list) and report what is really broken."""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TextIO

import click

from ..exitcodes import ExitCode
from ..options import Duration, catalog_option, resolve_catalog
from ..urls import IPNetwork
from . import run
from . import targets as targets_mod
from .check import Settings
from .guard import EVERYWHERE, parse_networks
from .progress import Progress
from .report import FORMATS, Report, as_json, render
from .results import Target


class ShardType(click.ParamType["run.Shard"]):
    """A --shard value: I/N, for example 2/4."""

    name = "I/N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> run.Shard:
        if isinstance(value, run.Shard):
            return value
        try:
            return run.parse_shard(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command("links")
@catalog_option
@click.option(
    "--urls",
    "urls_file",
    type=click.File("r", encoding="utf-8"),
    help="Check the URLs of FILE (one a line; '-' reads stdin) instead of the catalog.",
)
@click.option(
    "--changed-since",
    "ref",
    metavar="GIT_REF",
    help="Check only entries added or changed since this git ref (for pull requests).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=32,
    show_default=True,
    help="Requests in flight at once, overall.",
)
@click.option(
    "--per-host",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Requests in flight at once to one host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=15.0,
    show_default=True,
    help="Seconds per attempt.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    help="Retries after a timeout, reset, 429 or 5xx.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file of past results: good ones are reused, failures rechecked.",
)
@click.option(
    "--max-age",
    type=Duration(),
    default="1d",
    show_default=True,
    help="How long a good cached result is reused.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for a CI summary, github for annotations.",
)
@click.option(
    "--json-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the JSON report to this file (a CI artifact).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow private and loopback addresses (for checking local servers).",
)
@click.option(
    "--allow-network",
    "networks",
    multiple=True,
    metavar="CIDR",
    help="Allow one non-public network, e.g. 127.0.0.2/32 (repeatable).",
)
@click.option(
    "--shard",
    type=ShardType(),
    metavar="I/N",
    help="Check only part I of N (split by host, so per-host limits hold across parts).",
)
@click.option(
    "--merge",
    "merge_reports",
    is_flag=True,
    help="Merge the JSON reports given as arguments (one per shard) into one report.",
)
@click.argument(
    "reports",
    nargs=-1,
    metavar="[REPORT.json ...]",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
def links_command(
    catalog_dir: Path | None,
    urls_file: TextIO | None,
    ref: str | None,
    concurrency: int,
    per_host: int,
    timeout: float,
    retries: int,
    cache_path: Path | None,
    max_age: float,
    fmt: str,
    json_file: Path | None,
    allow_private: bool,
    networks: tuple[str, ...],
    shard: run.Shard | None,
    merge_reports: bool,
    reports: tuple[Path, ...],
) -> None:
    """Check every URL of the catalog: fast, polite to each host, and right about what is broken.

    Each URL is checked once (HEAD, then GET when HEAD fails), however many
    entries use it; problems are reported at each entry's file and line.
    Private, loopback and other non-public addresses are refused, after DNS
    and at every redirect, unless allowed.

    `--shard I/N` checks one part of the URLs; `--merge A.json B.json ...`
    joins the parts' JSON reports into one report in any --format.

    Exit status: 0 when no URL is broken, timed out or in error (redirected
    and blocked are warnings); 1 otherwise; 2 on bad usage; 3 on an internal
    error (a crash, or a report that could not be written), which never means
    that links are broken.
    """
    with _internal_errors():
        if merge_reports or reports:
            checking = (catalog_dir, urls_file, ref, shard, cache_path)
            _check_merge_usage(merge_reports, reports, checking)
            try:
                report = run.merge(reports)
            except run.MergeError as exc:
                raise click.BadParameter(str(exc), param_hint="REPORTS") from exc
            _finish(report, fmt, json_file)
        settings = Settings(
            concurrency=concurrency,
            per_host=per_host,
            timeout=timeout,
            retries=retries,
            allowed=_allowed(allow_private, networks),
        )
        targets = _targets(catalog_dir, urls_file, ref)
        cache, warning = run.open_cache(cache_path)
        if warning is not None:
            click.echo(f"warning: {warning}", err=True)
        plan = run.prepare(targets, cache, time.time(), max_age, shard)
        progress = Progress(sys.stderr, len(plan.targets), live=sys.stderr.isatty())
        for result in plan.cached.values():
            progress.update(result)
        outcome = run.execute(plan, settings, cache_path, max_age, on_result=progress.update)
        progress.close()
        for warning in outcome.warnings:
            click.echo(f"warning: {warning}", err=True)
        if outcome.interrupted:
            click.echo("interrupted; finished results were kept in the cache", err=True)
            sys.exit(130)
        _finish(outcome.report, fmt, json_file)


@contextmanager
def _internal_errors() -> Iterator[None]:
    """A crash of the command exits ExitCode.INTERNAL, never 1 (which says links are broken)."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except Exception:
        traceback.print_exc(file=sys.stderr)
        click.echo(
            f"aicatalog links: internal error, exit status {ExitCode.INTERNAL} "
            "(a bug, not a broken link: please report it with the traceback above)",
            err=True,
        )
        sys.exit(ExitCode.INTERNAL)


def _check_merge_usage(
    merge_reports: bool,
    reports: tuple[Path, ...],
    checking: tuple[object, ...],
) -> None:
    if not merge_reports:
        raise click.UsageError("report files are only read with --merge")
    if not reports:
        raise click.UsageError("--merge needs the JSON reports to merge: --merge a.json b.json")
    if any(value is not None for value in checking):
        raise click.UsageError(
            "--merge only reads reports; it cannot be combined with --catalog, --urls, "
            "--changed-since, --shard or --cache"
        )


def _finish(report: Report, fmt: str, json_file: Path | None) -> NoReturn:
    """Print the report, save the JSON copy, exit 0 or 1 (3 when the copy cannot be written)."""
    click.echo(render(report, fmt))
    if json_file is not None:
        try:
            json_file.write_text(as_json(report) + "\n", encoding="utf-8")
        except OSError as exc:
            click.echo(f"error: cannot write {json_file}: {exc.strerror or exc}", err=True)
            sys.exit(ExitCode.INTERNAL)
    sys.exit(ExitCode.PROBLEMS if report.failing() else ExitCode.CLEAN)


def _allowed(allow_private: bool, networks: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    if allow_private:
        return EVERYWHERE
    try:
        return parse_networks(networks)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-network") from exc


def _targets(catalog_dir: Path | None, urls_file: TextIO | None, ref: str | None) -> list[Target]:
    """The URLs to check, from a list or from the (valid) catalog."""
    if urls_file is not None:
        if ref is not None or catalog_dir is not None:
            raise click.UsageError(
                "--urls checks a list; it cannot be combined with --catalog or --changed-since"
            )
        name = "<stdin>" if urls_file.name == "<stdin>" else urls_file.name
        try:
            return targets_mod.from_lines(urls_file.read(), name)
        except (OSError, UnicodeDecodeError) as exc:
            raise click.FileError(name, str(exc)) from exc
    root = resolve_catalog(catalog_dir)
    only = None
    if ref is not None:
        try:
            only = targets_mod.changed_entries(root, ref)
        except targets_mod.TargetError as exc:
            raise click.BadParameter(str(exc), param_hint="--changed-since") from exc
    # Imported here: a list of URLs needs neither the loader nor the schema validator.
    from ..diagnostics import format_report
    from ..workspace import load_workspace

    loaded = load_workspace(root)
    if loaded.catalog is None or not loaded.ok:
        click.echo(format_report(loaded.diagnostics, "text"), err=True)
        click.echo("the catalog has errors; fix them first (aicatalog validate)", err=True)
        sys.exit(ExitCode.PROBLEMS)
    return targets_mod.from_catalog(loaded.catalog, only)
