"""The `aicatalog` command: one entry point, one sub-command per job.

Exit codes are the same everywhere (aicatalog.exitcodes.ExitCode): 0 clean, 1
problems found, 2 bad usage (click's own convention for usage errors), 3 internal
error (`links` says so instead of a crash's 1, which would read as "links broken").
Sub-commands are imported only when run, so `aicatalog validate` does not pay for the
site renderer or HTTP clients.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

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


def main() -> NoReturn:
    """Console-script entry point.

    When the command is done and its output flushed, the process ends with
    os._exit: the interpreter's own clean-up would free every module and object
    one by one (about 50 ms after a link check) for nothing the operating system
    does not do anyway. Nothing here relies on atexit handlers; every file is
    written and closed before a command returns. A crash is not caught: Python
    prints its traceback and exits as usual.
    """
    try:
        cli(prog_name="aicatalog")
    except SystemExit as done:
        _exit_now(done.code)
    _exit_now(0)


def _exit_now(code: object) -> NoReturn:
    """Exit with `code` as sys.exit would read it (None is 0; a message is printed, then 1)."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (`| head`): the rest has nowhere to go
        pass
    os._exit(code or 0)
