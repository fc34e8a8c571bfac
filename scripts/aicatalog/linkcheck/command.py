"""`aicatalog links`: check the catalog's URLs (or a list) and report what is really broken."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import click

from ..diagnostics import format_report
from ..durations import parse_duration
from ..options import catalog_option, resolve_catalog
from ..workspace import load_workspace
from . import cache as cache_file
from . import targets as targets_mod
from .check import Settings, check_urls
from .guard import EVERYWHERE, IPNetwork, parse_networks
from .progress import Progress
from .report import FORMATS, Report, as_json, render
from .results import Result, Target


class Duration(click.ParamType):
    """A --max-age value: 90s, 30m, 12h, 1d or 2w."""

    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        try:
            return parse_duration(str(value))
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
) -> None:
    """Check every URL of the catalog: fast, polite to each host, and right about what is broken.

    Each URL is checked once (HEAD, then GET when HEAD fails), however many
    entries use it; problems are reported at each entry's file and line.
    Private, loopback and other non-public addresses are refused, after DNS
    and at every redirect, unless allowed.

    Exit status: 0 when no URL is broken, timed out or in error (redirected
    and blocked are warnings); 1 otherwise; 2 on bad usage.
    """
    settings = Settings(
        concurrency=concurrency,
        per_host=per_host,
        timeout=timeout,
        retries=retries,
        allowed=_allowed(allow_private, networks),
    )
    targets = _targets(catalog_dir, urls_file, ref)
    cache = _load_cache(cache_path)
    now = time.time()
    known: dict[str, Result] = {}
    for target in targets:
        hit = cache.fresh(target.url, now, max_age)
        if hit is not None:
            known[target.url] = hit
    todo = [t.url for t in targets if t.url not in known]

    progress = Progress(sys.stderr, len(targets), live=sys.stderr.isatty())
    for result in known.values():
        progress.update(result)

    def finished(index: int, result: Result) -> None:
        known[todo[index]] = result
        progress.update(result)

    started = time.monotonic()
    try:
        results, _ = check_urls(todo, settings, on_result=finished)
    except KeyboardInterrupt:
        progress.close()
        _save_cache(cache, cache_path, known.values(), max_age)
        click.echo("interrupted; finished results were kept in the cache", err=True)
        sys.exit(130)
    progress.close()
    known.update((r.url, r) for r in results)
    _save_cache(cache, cache_path, known.values(), max_age)

    report = Report([(t, known[t.url]) for t in targets], time.monotonic() - started)
    click.echo(render(report, fmt))
    if json_file is not None:
        try:
            json_file.write_text(as_json(report) + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.FileError(str(json_file), exc.strerror) from exc
    sys.exit(1 if report.failing() else 0)


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
    loaded = load_workspace(root)
    if loaded.catalog is None:
        click.echo(format_report(loaded.diagnostics, "text"), err=True)
        click.echo("the catalog has errors; fix them first (aicatalog validate)", err=True)
        sys.exit(1)
    return targets_mod.from_catalog(loaded.catalog, only)


def _load_cache(path: Path | None) -> cache_file.Cache:
    if path is None:
        return cache_file.Cache({})
    try:
        return cache_file.load(path)
    except cache_file.CacheError as exc:
        click.echo(f"warning: {exc}; starting with an empty cache", err=True)
        return cache_file.Cache({})


def _save_cache(
    cache: cache_file.Cache, path: Path | None, results: Iterable[Result], max_age: float
) -> None:
    if path is None:
        return
    try:
        cache_file.save(cache.updated(results, time.time(), max_age), path)
    except cache_file.CacheError as exc:
        click.echo(f"warning: {exc}", err=True)
