"""Options and arguments every `aicatalog` command shares.

Kept apart from cli.py so that command modules can import them without a
circular import through the command group that imports the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .durations import parse_duration

F = TypeVar("F", bound=Callable[..., Any])


def resolve_catalog(value: Path | None) -> Path:
    """The --catalog folder, or the repository's `catalog/`; a usage error when neither exists."""
    if value is not None:
        if not (value / "projects").is_dir():
            raise click.BadParameter(f"'{value}' has no projects/ folder", param_hint="--catalog")
        return value
    from .load import find_catalog  # here: `links --urls` needs no loader, so it starts faster

    found = find_catalog()
    if found is None:
        raise click.UsageError("no catalog/ folder found here or above; pass --catalog DIR")
    return found


def catalog_option(func: F) -> F:
    """The --catalog DIR option every command takes."""
    return click.option(
        "--catalog",
        "catalog_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Catalog folder (default: catalog/ of the current repository).",
    )(func)


class Duration(click.ParamType[float]):
    """A duration option (--max-age of links and enrich): 90s, 30m, 12h, 1d or 2w; a bare
    number is seconds. One type, so both commands read durations the same way."""

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
