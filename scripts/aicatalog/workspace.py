"""The one way into the data: every input of a catalog folder, read, checked and frozen.

`load_workspace(root)` runs the input loaders in INPUTS, in order; each reads one
input (schema, vocabularies, entries, activity, overview), stores what it read
and reports its problems at their files and lines. Every command and the site
build consume the Workspace, so `aicatalog validate` checks everything the build
reads. A new input is one loader appended to INPUTS plus one Workspace field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import drift, load, openness_rules, overview, validate
from .activity import Activity, ActivityError, load_activity
from .diagnostics import Diagnostic, has_errors
from .model import Catalog, Project, Term
from .paths import (
    LICENSES_DIR,
    OVERVIEW_FILE,
    PROJECTS_DIR,
    SCHEMA_FILE,
    TAGS_FILE,
    display_path,
    only_files,
)
from .registry import EMPTY as NO_LICENSES
from .registry import Registry, load_registry
from .tags import EMPTY as NO_TAGS
from .tags import TagVocabulary, load_tags


class CatalogError(Exception):
    """The catalog has errors; `diagnostics` says where."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the catalog")


@dataclass(frozen=True)
class Workspace:
    """Everything read from one catalog folder, and every problem found in it, sorted.

    `catalog` is None when the entries (or the schema and vocabularies they are
    checked against) have errors; errors elsewhere (activity.json, overview.yml)
    leave it readable for commands that do not need those inputs, but make the
    workspace not `ok`, and `valid_catalog()` refuses it. Warnings never count.
    """

    root: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: schema.json, decoded, and its text as published with the data files.
    schema: Mapping[str, Any] = field(default_factory=dict)
    schema_text: str = ""
    categories: tuple[Term, ...] = ()
    domains: tuple[Term, ...] = ()
    #: catalog/licenses/: the terms of every restrictive licence entries may name.
    registry: Registry = NO_LICENSES
    #: catalog/tags.yml: the tags entries may use (empty: any tag).
    tags: TagVocabulary = NO_TAGS
    catalog: Catalog | None = None
    #: catalog/activity.json's records by project id ({} when there is no file).
    activity: Mapping[str, Activity] = field(default_factory=dict)
    #: catalog/overview.yml's themes, citations resolved to entries.
    themes: tuple[overview.Theme, ...] = ()

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not has_errors(self.diagnostics)

    def valid_catalog(self) -> Catalog:
        """The catalog of a workspace without errors, or CatalogError carrying every diagnostic."""
        if self.catalog is None or not self.ok:
            raise CatalogError(self.diagnostics)
        return self.catalog

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


@dataclass
class Loading:
    """The state the input loaders share while a workspace is read."""

    root: Path
    today: dt.date
    #: The "only these files" filter: diagnostics elsewhere are dropped (see report).
    keep: Callable[[str], bool]
    values: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Set by a loader whose input the later ones cannot do without.
    stopped: bool = False
    schema_path: Path | None = None
    entry_ids: frozenset[str] = frozenset()
    projects: tuple[Project, ...] = ()

    def report(self, found: Iterable[Diagnostic], everywhere: bool = False) -> None:
        """Keep the diagnostics about the files asked for (all of them when `everywhere`)."""
        self.diagnostics += [d for d in found if everywhere or self.keep(d.path)]

    def stop(self, problem: Diagnostic) -> None:
        self.diagnostics.append(problem)
        self.stopped = True


Input = Callable[[Loading], None]


def read_schema(state: Loading) -> None:
    path = state.root / SCHEMA_FILE
    try:
        state.schema_path = path.resolve()
        text = state.schema_path.read_text(encoding="utf-8")
        validate.load_schema(state.schema_path)
    except (OSError, ValueError) as exc:
        state.stop(Diagnostic.error(display_path(path), f"cannot load schema: {exc}"))
        return
    state.values["schema"] = json.loads(text)
    state.values["schema_text"] = text


def read_vocabularies(state: Loading) -> None:
    for name, kind in (("categories", "category"), ("domains", "domain")):
        terms, problems = load.read_terms(state.root / f"{name}.yml", kind)
        state.values[name] = terms
        state.report(problems)


def read_registry(state: Loading) -> None:
    registry, problems = load_registry(state.root / LICENSES_DIR)
    state.values["registry"] = registry
    state.report(problems)


def read_tags(state: Loading) -> None:
    tags, problems = load_tags(state.root / TAGS_FILE)
    state.values["tags"] = tags
    state.report(problems)


def vocabulary(state: Loading) -> validate.Vocabulary:
    """What entries are checked against: the vocabularies, registry ids and tags read so far."""
    registry = state.values.get("registry", NO_LICENSES)
    tags = state.values.get("tags", NO_TAGS)
    context = openness_rules.Context(frozenset(registry.terms), tags, state.today)
    categories = state.values.get("categories", ())
    domains = state.values.get("domains", ())
    return validate.Vocabulary([c.id for c in categories], [d.id for d in domains], context)


def read_entries(state: Loading) -> None:
    projects_dir = state.root / PROJECTS_DIR
    if not projects_dir.is_dir():
        state.stop(Diagnostic.error(display_path(projects_dir), "no projects folder here"))
        return
    files, problems = load.entry_files(state.root)
    state.report(problems)
    assert state.schema_path is not None
    problems, projects = load.load_entries(files, state.schema_path, vocabulary(state), state.today)
    state.report(problems)
    state.entry_ids = frozenset(p.stem for p in files)
    state.projects = tuple(projects)
    if not has_errors(state.diagnostics):
        state.values["catalog"] = Catalog(
            state.root,
            state.projects,
            state.values.get("categories", ()),
            state.values.get("domains", ()),
            registry=state.values.get("registry", NO_LICENSES),
            tags=state.values.get("tags", NO_TAGS),
        )


def read_activity(state: Loading) -> None:
    """The collected facts; a corrupt file is an error whatever files are named."""
    try:
        state.values["activity"] = load_activity(state.root)
    except ActivityError as exc:
        state.report([exc.diagnostic], everywhere=True)


def check_drift(state: Loading) -> None:
    """Warnings where the collected facts contradict an entry (when the entries have no
    errors). Only `aicatalog validate` shows them: the site build skips this check."""
    catalog = state.values.get("catalog")
    if catalog is not None:
        state.report(drift.activity_warnings(catalog, state.values.get("activity", {})))


def read_overview(state: Loading) -> None:
    by_id = {p.id: p for p in state.projects}
    themes, problems = overview.read_themes(state.root / OVERVIEW_FILE, by_id, state.entry_ids)
    state.values["themes"] = themes
    state.report(problems)


#: The inputs, in the order they are read (later ones may use what earlier ones stored).
INPUTS: tuple[Input, ...] = (
    read_schema,
    read_vocabularies,
    read_registry,
    read_tags,
    read_entries,
    read_activity,
    check_drift,
    read_overview,
)
#: What the site build reads: every input, without the warnings only validate shows.
BUILD_INPUTS: tuple[Input, ...] = tuple(i for i in INPUTS if i is not check_drift)


def load_workspace(
    root: Path,
    only: Iterable[Path] | None = None,
    today: dt.date | None = None,
    inputs: Iterable[Input] = INPUTS,
) -> Workspace:
    """Read and check every input of the catalog folder at `root`.

    With `only`, diagnostics are limited to those files (checks between entries still
    see the whole catalog, so a new entry that duplicates an old one is caught).
    """
    state = Loading(root, today or dt.datetime.now(dt.UTC).date(), only_files(only))
    for read in inputs:
        if state.stopped:
            break
        read(state)
    return Workspace(root=root, diagnostics=sorted(state.diagnostics), **state.values)


def load_or_raise(root: Path) -> Catalog:
    """The valid catalog at `root`, or CatalogError carrying every diagnostic."""
    return load_workspace(root).valid_catalog()
