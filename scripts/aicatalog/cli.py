"""The `aicatalog` command: one entry point, one sub-command per job.

Exit codes are the same everywhere (aicatalog.exitcodes.ExitCode): 0 clean, 1
problems found, 2 bad usage (click's own convention for usage errors), 3 internal
error (`links` says so instead of a crash's 1, which would read as "links broken").
Sub-commands are imported only when run, so `aicatalog validate` does not pay for the
site renderer or HTTP clients.
"""

from __future__ import annotations

import gc
import importlib

import click

from . import __version__

#: Sub-command name -> "module:attribute" of its click command, in help order.
COMMANDS = {
    "validate": "aicatalog.validate_command:validate_command",
    "render": "aicatalog.render_command:render_command",
    "links": "aicatalog.linkcheck.command:links_command",
    "new": "aicatalog.new_command:new_command",
    "enrich": "aicatalog.enrich.command:enrich_command",
}


class LazyGroup(click.Group):
    """A group that imports a sub-command's module the first time it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(version=__version__, prog_name="aicatalog")
def cli() -> None:
    """Open Source AI Catalog: validate, render and check the catalog."""


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="aicatalog")
    finally:
        # Exiting, nothing needs freeing: spare the interpreter its last full collection,
        # which walks every object left (about 40 ms after a big link check).
        gc.freeze()
