"""`aicatalog new`: add a catalog entry, by prompts on a terminal or by options in a script.

The command is only the conversation; what an entry looks like and what makes an
answer acceptable live in `scaffold`, so scripted and interactive use agree.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from . import scaffold
from .diagnostics import format_report
from .exitcodes import ExitCode, exit_status
from .model import KINDS
from .options import catalog_option, resolve_catalog
from .paths import display_path
from .scaffold import ATTRIBUTES, Context, Draft, Problem
from .terminal import printable

_REQUIRED = ("--name", "--homepage", "--kind", "--category")
#: Category offered first for kinds where the choice is nearly always the same.
_DEFAULT_CATEGORY = {
    "course": "education",
    "community": "communities",
    "dataset": "datasets",
    "benchmark": "evaluation",
    "platform": "platforms",
}


def _missing(draft: Draft) -> list[Problem]:
    hint = "or run `aicatalog new` on a terminal to be asked"
    return [
        Problem(option, "is required", hint)
        for option in _REQUIRED
        if not getattr(draft, ATTRIBUTES[option])
    ]


def _answer_checker(
    draft: Draft, context: Context, option: str, about_id: bool = False
) -> Callable[[str], str]:
    """A click value_proc: refuse an answer `check` finds a problem with, so click asks again."""
    attr = ATTRIBUTES[option]

    def proc(value: str) -> str:
        answer: dict[str, Any] = {attr: tuple(value.split(",")) if attr == "tags" else value}
        candidate = replace(draft, **answer).cleaned()
        for problem in scaffold.check(candidate, context):
            if problem.option == option and problem.about_id == about_id:
                raise click.BadParameter(problem.text().removeprefix(f"{option}: "))
        return value.strip()

    return proc


def _ask(draft: Draft, context: Context) -> Draft:
    """Prompt for every answer still missing (or refused), checking each as it is typed."""
    for problem in scaffold.check(draft, context):
        click.echo(printable(f"error: {problem.text()}"), err=True)
        attr = ATTRIBUTES.get(problem.option)
        if attr:
            cleared: dict[str, Any] = {attr: () if attr in ("categories", "tags") else None}
            draft = replace(draft, **cleared)
    click.echo("New catalog entry. Optional answers can be left empty and filled in later.")

    def ask(option: str, label: str, optional: bool = False, about_id: bool = False) -> None:
        nonlocal draft
        if getattr(draft, ATTRIBUTES[option]):
            return
        value = click.prompt(
            label,
            default="" if optional else None,
            show_default=False,
            value_proc=_answer_checker(draft, context, option, about_id),
        )
        given: dict[str, Any] = {ATTRIBUTES[option]: value or None}
        draft = replace(draft, **given).cleaned()

    ask("--name", "Project name, as the project writes it")
    id_problems = [p for p in scaffold.check(draft, context) if p.about_id]
    if id_problems:
        click.echo(f"The name gives no usable id: {id_problems[0].message}.")
        ask("--id", "Id for the file name (lowercase-with-hyphens)", about_id=True)
    click.echo(f"Id: {draft.id()}")
    ask("--homepage", "Homepage URL (https://...)")
    ask("--repository", "Source repository URL (optional)", optional=True)
    if not draft.kind:
        kind = click.prompt("Kind", type=click.Choice(KINDS), default="library")
        draft = replace(draft, kind=kind)
    if not draft.categories:
        click.echo("Categories:")
        width = max((len(c.id) for c in context.categories), default=0)
        for term in context.categories:
            click.echo(f"  {term.id:<{width}}  {term.title}")
        category = click.prompt(
            "Main category",
            type=click.Choice([c.id for c in context.categories]),
            show_choices=False,
            default=_DEFAULT_CATEGORY.get(draft.kind or ""),
        )
        draft = replace(draft, categories=(category,))
    ask("--license", "Code licence, SPDX id from the LICENSE file (optional)", optional=True)
    if draft.license:
        ask("--license-source", "URL of that LICENSE file (optional)", optional=True)
    ask("--description", "One or two sentences on what it is (optional)", optional=True)
    return _ask_tags(draft, context)


def _ask_tags(draft: Draft, context: Context) -> Draft:
    """Offer the vocabulary's tags most used in the entry's main category."""
    if draft.tags or not context.rules.tags.tags or not draft.categories:
        return draft
    offered = context.tags_in(draft.categories[0])
    if offered:
        click.echo(f"Tags often used in {draft.categories[0]}: {', '.join(offered)}")
    value = click.prompt(
        "Tags, ids from catalog/tags.yml separated by commas (optional)",
        default="",
        show_default=False,
        value_proc=_answer_checker(draft, context, "--tag"),
    )
    return replace(draft, tags=tuple(value.split(","))).cleaned()


@click.command(
    "new",
    epilog=exit_status(
        "when written", "for a duplicate (or when you decline)", "for bad or missing answers"
    ),
)
@catalog_option
@click.option("--name", help="Display name, as the project writes it.")
@click.option("--id", "entry_id", metavar="ID", help="Entry id (default: made from the name).")
@click.option("--homepage", metavar="URL", help="The project's own home page (https).")
@click.option("--repository", metavar="URL", help="Source repository (https).")
@click.option("--kind", metavar="KIND", help=f"One of: {', '.join(KINDS)}.")
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="ID",
    help="Category id from catalog/categories.yml; repeat for up to 3, main one first.",
)
@click.option("--license", "license_", metavar="SPDX", help="SPDX id of the code licence.")
@click.option("--license-source", metavar="URL", help="URL of the LICENSE file you read.")
@click.option("--description", help="One or two plain sentences, 20-300 characters.")
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="ID",
    help="Tag id from catalog/tags.yml (repeatable); the checks name the id a synonym means.",
)
@click.option("--yes", "-y", is_flag=True, help="Never prompt: take the options as given.")
def new_command(
    catalog_dir: Path | None,
    name: str | None,
    entry_id: str | None,
    homepage: str | None,
    repository: str | None,
    kind: str | None,
    categories: tuple[str, ...],
    license_: str | None,
    license_source: str | None,
    description: str | None,
    tags: tuple[str, ...],
    yes: bool,
) -> None:
    """Create catalog/projects/<id>.yml for a new project, then say what is left to fill in.

    On a terminal it asks for what the options did not give; with --yes (or
    without a terminal) it only uses the options. It refuses a project already in
    the catalog and never overwrites a file.
    """
    root = resolve_catalog(catalog_dir)
    try:
        context = scaffold.load_context(root)
    except scaffold.ContextError as exc:
        click.echo(format_report(exc.diagnostics, "text"), err=True)
        sys.exit(ExitCode.PROBLEMS)
    draft = Draft(
        name=name,
        homepage=homepage,
        kind=kind,
        categories=categories,
        repository=repository,
        license=license_,
        license_source=license_source,
        description=description,
        entry_id=entry_id,
        tags=tags,
    ).cleaned()
    interactive = not yes and sys.stdin.isatty()
    if interactive:
        draft = _ask(draft, context)
    problems = scaffold.check(draft, context) + _missing(draft)
    if problems:
        order = ["", *ATTRIBUTES]
        for problem in sorted(problems, key=lambda p: order.index(p.option)):
            click.echo(printable(f"error: {problem.text()}"), err=True)
        sys.exit(ExitCode.PROBLEMS if all(p.duplicate for p in problems) else ExitCode.USAGE)
    path = scaffold.entry_path(context, draft.id() or "")
    rel = display_path(path)
    if interactive and not click.confirm(f"Write {rel}?", default=True):
        click.echo("Nothing written.")
        sys.exit(ExitCode.PROBLEMS)
    try:
        scaffold.write_entry(draft, context)
    except FileExistsError:
        click.echo(f"error: {rel} already exists; nothing written", err=True)
        sys.exit(ExitCode.PROBLEMS)
    click.echo(f"Created {rel}")
    todo = scaffold.still_to_fill(draft, scaffold.check_written(path, context))
    if todo:
        click.echo("Left to fill in:")
        for line in todo:
            click.echo(f"  {line}")
    if not draft.license_source:
        click.echo("Recommended: license.source, the URL of the LICENSE file you read.")
    if todo:
        click.echo(f"Then check it: aicatalog validate {rel}")
    else:
        click.echo(f"{rel} is valid. Add what you can of the commented optional fields.")
