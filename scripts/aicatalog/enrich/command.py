"""The `aicatalog enrich` command: refresh catalog/activity.json from GitHub and the Hub.

Exit status (aicatalog.exitcodes): 0 everything collected; 1 problems: an invalid
catalog or activity file, or something not collected (a missing repository, a spent
rate limit, GitHub skipped for want of a token while the Hub was collected); 2
nothing could be done (bad usage, no token and nothing but GitHub to collect, no
network); 130 interrupted (what was collected is kept). Tokens are read from
GITHUB_TOKEN and HF_TOKEN only and are never printed: every line goes through
`redact` as a last guard, and no value equal to a token is written into
activity.json (see sanitize).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import click

from ..activity import Activity, ActivityError, load_activity
from ..diagnostics import Diagnostic
from ..drift import activity_warnings
from ..exitcodes import ExitCode, exit_status
from ..model import Catalog
from ..options import Duration, F, catalog_option, resolve_catalog
from ..paths import display_path
from ..terminal import md_code, printable
from ..workspace import load_workspace
from .http import Unreachable, api_url_problem, redact
from .run import (
    DEFAULT_GITHUB_API,
    DEFAULT_HUB_API,
    Options,
    Report,
    execute,
    prepare,
)


class _Output:
    def __init__(self, secrets: tuple[str | None, ...]) -> None:
        self.secrets = secrets

    def line(self, text: str, err: bool = False) -> None:
        click.echo(printable(redact(text, self.secrets)), err=err)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM (a cancelled CI job) into KeyboardInterrupt, so the final save runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _url_option(name: str, default: str, what: str) -> Callable[[F], F]:
    def check(ctx: click.Context, param: click.Parameter, value: str) -> str:
        problem = api_url_problem(value)
        if problem:
            raise click.BadParameter(problem)
        return value

    return click.option(name, default=default, show_default=True, callback=check, help=what)


def _summary_line(report: Report, path: str) -> str:
    parts = []
    if report.github_collected or report.github_requests:
        parts.append(
            f"GitHub: {report.github_collected} repositories in {report.github_requests} request(s)"
        )
    if report.hub_collected or report.hub_requests:
        parts.append(
            f"Hub: {report.hub_collected} repositories in {report.hub_requests} request(s)"
        )
    parts.append(f"{report.fresh} fresh record(s) kept")
    if report.left:
        parts.append(f"{report.left} left for the next run")
    parts.append(f"{path} {'updated' if report.written else 'unchanged'}")
    return "; ".join(parts)


def _skipped_line(report: Report) -> str:
    return (
        f"GitHub skipped: GITHUB_TOKEN is not set, so {report.github_skipped} repositories "
        "were not collected (GitHub's GraphQL API needs a token; the Hub does not)"
    )


def markdown_summary(report: Report, new_warnings: list[Diagnostic], path: str) -> str:
    """The pull request's body: what the run did and which warnings are new.

    Every value that came from an API or a file (a Hub licence tag, a server's
    error message, a file name) is an inert code span: no links, images, HTML or
    @mentions can come through into the pull request or the job summary.
    """
    lines = ["## Activity refresh", "", md_code(_summary_line(report, path)), ""]
    for reason in report.stopped:
        lines.append(f"- Stopped early: {md_code(str(reason))}")
    if report.github_skipped:
        lines.append(f"- {_skipped_line(report)}")
    for problem in report.problems:
        lines.append(f"- Not collected: {_md_diagnostic(problem)}")
    lines += ["", f"### New warnings ({len(new_warnings)})", ""]
    lines += [f"- {_md_diagnostic(d)}" for d in new_warnings] or ["None."]
    return "\n".join(lines) + "\n"


def _md_diagnostic(d: Diagnostic) -> str:
    return f"{md_code(f'{d.path}:{d.line}')} {md_code(d.body())}"


def _new_warnings(
    catalog: Catalog, before: dict[str, Activity], after: dict[str, Activity]
) -> list[Diagnostic]:
    def key(d: Diagnostic) -> tuple[str, str, str]:
        return d.path, d.field, d.message

    old = {key(d) for d in activity_warnings(catalog, before)}
    return [d for d in activity_warnings(catalog, after) if key(d) not in old]


@click.command(
    "enrich",
    epilog=exit_status(
        "when everything was collected",
        "on problems: an invalid catalog or activity file, or something not collected "
        "(reported; what was collected is saved)",
        "when nothing could be done: bad usage, no GITHUB_TOKEN, no network",
    ),
)
@catalog_option
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="ID",
    help="Collect only these entries (repeatable); other records are kept as they are.",
)
@click.option(
    "--max-age",
    "max_age",
    type=Duration(),
    default="7d",
    show_default=True,
    metavar="DURATION",
    help="Records younger than this are not fetched again (e.g. 12h, 7d, 2w; 0 = all).",
)
@_url_option("--github-api", DEFAULT_GITHUB_API, "GitHub API base URL (GraphQL at /graphql).")
@_url_option("--hub-api", DEFAULT_HUB_API, "Hugging Face Hub base URL (API at /api).")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 16),
    default=4,
    show_default=True,
    help="Parallel Hub requests (GitHub queries are always sent one at a time).",
)
@click.option(
    "--summary",
    "summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a Markdown summary (counts and new warnings) to this file.",
)
def enrich_command(
    catalog_dir: Path | None,
    only: tuple[str, ...],
    max_age: float,
    github_api: str,
    hub_api: str,
    concurrency: int,
    summary: Path | None,
) -> None:
    """Collect stars, pushes, releases and Hub downloads into catalog/activity.json.

    Needs GITHUB_TOKEN in the environment for GitHub (HF_TOKEN is optional);
    without it, GitHub is skipped and the Hub still collected. Exit status: 0 all
    collected, 1 saved but something not collected (or GitHub skipped), 2 nothing done.
    """
    age = dt.timedelta(seconds=max_age)
    root = resolve_catalog(catalog_dir)
    github_token = os.environ.get("GITHUB_TOKEN", "").strip() or None
    hub_token = os.environ.get("HF_TOKEN", "").strip() or None
    out = _Output((github_token, hub_token))
    result = load_workspace(root)
    catalog = result.catalog
    if catalog is None:
        errors = sum(d.severity == "error" for d in result.diagnostics)  # entries' own errors
        out.line(f"the catalog has {errors} error(s); run `aicatalog validate` first", err=True)
        sys.exit(ExitCode.PROBLEMS)
    unknown = sorted(set(only) - {p.id for p in catalog.projects})
    if unknown:
        raise click.BadParameter(f"no entry with id {', '.join(unknown)}", param_hint="--only")
    options = Options(
        max_age=age,
        only=frozenset(only) if only else None,
        github_api=github_api,
        hub_api=hub_api,
        concurrency=concurrency,
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        plan = prepare(catalog, options, now)
    except ActivityError as exc:
        out.line(exc.diagnostic.text(), err=True)
        sys.exit(ExitCode.PROBLEMS)
    shown = display_path(plan.path)
    if plan.github and github_token is None and not plan.hub:
        out.line(
            f"GITHUB_TOKEN is not set: GitHub's GraphQL API needs a token; {shown} is unchanged",
            err=True,
        )
        sys.exit(ExitCode.USAGE)
    try:
        with _sigterm_interrupts():
            report, records = execute(plan, options, github_token, hub_token, now)
    except KeyboardInterrupt:
        saved = len(load_activity(root))
        out.line(f"interrupted: {shown} keeps {saved} record(s) collected so far", err=True)
        sys.exit(130)
    for problem in report.problems:
        out.line(problem.text())
    collected = report.github_collected + report.hub_collected
    if collected == 0 and any(isinstance(s, Unreachable) for s in report.stopped):
        out.line(f"{report.stopped[0]}; {shown} is unchanged", err=True)
        sys.exit(ExitCode.USAGE)
    for reason in report.stopped:
        out.line(f"stopped early: {reason}", err=True)
    if report.github_skipped:
        out.line(_skipped_line(report), err=True)
    out.line(_summary_line(report, shown))
    if summary is not None:
        new = _new_warnings(catalog, plan.records, records)
        summary.write_text(
            redact(markdown_summary(report, new, shown), out.secrets), encoding="utf-8"
        )
    incomplete = report.problems or report.stopped or report.left or report.github_skipped
    sys.exit(ExitCode.PROBLEMS if incomplete else ExitCode.CLEAN)
