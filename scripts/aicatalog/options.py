"""Options and arguments every `aicatalog` command shares.

Kept apart from cli.py so that command modules can import them without a
circular import through the command group that imports the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

#: Exit statuses every command shares (2 is click's own for usage errors).
EXIT_OK = 0  # clean
EXIT_PROBLEMS = 1  # problems found (invalid entries, broken links)
EXIT_USAGE = 2  # bad usage
EXIT_INTERNAL = 3  # internal error: the command crashed or could not write its report


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
