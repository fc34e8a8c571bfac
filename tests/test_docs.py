"""The README's command reference cannot drift from the commands: every command and every
option is documented, with the same names and choices as `--help`, and an exit status."""

from __future__ import annotations

import re

import click
import pytest

from aicatalog.cli import COMMANDS, cli

from .helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
#: "### `aicatalog validate [--catalog DIR] ...`", optionally after a few words.
_SYNOPSIS = re.compile(r"^### [^`\n]*`aicatalog (\w+)( [^`]*)?`$", re.MULTILINE)


def synopses() -> dict[str, str]:
    return {m[1]: m[2] or "" for m in _SYNOPSIS.finditer(README)}


def section(name: str) -> str:
    """The README text from the command's heading to the next heading of any level."""
    start = next(m for m in _SYNOPSIS.finditer(README) if m[1] == name).end()
    end = re.compile(r"^#{1,3} ", re.MULTILINE).search(README, start)
    return README[start : end.start() if end else len(README)]


def command(name: str) -> click.Command:
    with click.Context(cli) as ctx:
        found = cli.get_command(ctx, name)
    assert found is not None
    return found


def options(name: str) -> list[click.Option]:
    return [p for p in command(name).params if isinstance(p, click.Option)]


def long_name(option: click.Option) -> str:
    return next(o for o in option.opts if o.startswith("--"))


def test_every_command_has_a_synopsis_in_the_readme() -> None:
    assert set(synopses()) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_synopsis_names_exactly_the_options_of_help(name: str) -> None:
    documented = re.findall(r"--[a-z][a-z-]*", synopses()[name])
    assert sorted(set(documented)) == sorted(long_name(o) for o in options(name))
    assert len(documented) == len(set(documented)), "an option is listed twice"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_choices_and_repeatable_options_read_as_in_help(name: str) -> None:
    synopsis = synopses()[name]
    for option in options(name):
        if isinstance(option.type, click.Choice):
            assert f"{long_name(option)} {'|'.join(map(str, option.type.choices))}" in synopsis
        if option.multiple:
            assert re.search(rf"{long_name(option)} [A-Z_]+ \.\.\.\]", synopsis), long_name(option)
    for argument in (p for p in command(name).params if isinstance(p, click.Argument)):
        assert argument.metavar is not None, "name the argument as the README does"
        assert argument.metavar in synopsis


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_help_text(name: str) -> None:
    for option in options(name):
        assert option.help, f"{name} {long_name(option)} has no help text"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_exit_status_is_stated_in_help_and_readme(name: str) -> None:
    help_text = " ".join(command(name).get_help(click.Context(command(name))).split())
    assert "Exit status: 0" in help_text
    assert "Exit status" in section(name)
