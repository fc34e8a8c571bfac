"""The validated catalog as plain, frozen dataclasses.

Everything downstream (site renderer, link checker, enrichment) reads these,
never the YAML, so every consumer sees the same checked facts, and each URL
keeps the file and line it came from for precise reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Location
from .licenses import Openness
from .profile import Profile
from .registry import EMPTY as NO_LICENSES
from .registry import Registry
from .tags import EMPTY as NO_TAGS
from .tags import TagVocabulary

KINDS = (
    "framework",
    "library",
    "model",
    "dataset",
    "tool",
    "platform",
    "community",
    "course",
    "benchmark",
)
STATUSES = ("active", "maintenance", "archived", "discontinued")
LINK_FIELDS = ("homepage", "repository", "documentation", "paper", "community", "weights", "data")


@dataclass(frozen=True)
class Term:
    """An entry of a small vocabulary (a category or a domain)."""

    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Links:
    homepage: str
    repository: str | None = None
    documentation: str | None = None
    paper: str | None = None
    community: str | None = None
    weights: str | None = None
    data: str | None = None

    def items(self) -> Iterator[tuple[str, str]]:
        """(field, url) for every link that is set, in schema order."""
        for name in LINK_FIELDS:
            url = getattr(self, name)
            if url:
                yield name, url


@dataclass(frozen=True)
class License:
    code: str
    weights: str | None = None
    data: str | None = None
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class OpennessLevels:
    """Derived openness of each licensed part; None where the part has no licence."""

    code: Openness
    weights: Openness | None = None
    data: Openness | None = None


@dataclass(frozen=True)
class ModelFacts:
    """What a model is, as data: sizes, context window, modalities and lineage."""

    parameters: tuple[str, ...] = ()
    context_length: int | None = None
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    base_model: str | None = None


@dataclass(frozen=True)
class Project:
    """One catalog entry, validated."""

    id: str
    name: str
    description: str
    kind: str
    categories: tuple[str, ...]
    links: Links
    license: License
    openness: OpennessLevels
    added: dt.date
    path: str
    tags: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    steward: str | None = None
    first_release: int | None = None
    status: str | None = None
    programming_languages: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    #: The day the entry's facts were last verified against their sources.
    checked: dt.date | None = None
    #: What is released, component by component (models and datasets).
    profile: Profile | None = None
    #: How to get it: (registry field, package name) in schema order.
    get: tuple[tuple[str, str], ...] = ()
    facts: ModelFacts | None = None
    #: (line, col) of each field's value, by dotted name ("links.homepage" -> (8, 13)).
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False)
    #: Every URL the entry gives, (dotted field, url) for each field the schema declares a
    #: URL ($defs/url), in schema order: what the link checker checks.
    url_values: tuple[tuple[str, str], ...] = field(default=(), compare=False, hash=False)
    #: Values of schema fields this class has no attribute for yet, by dotted name, so a
    #: field added to the schema reaches the data files without a change here.
    more: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def location(self, dotted: str) -> Location:
        """Location of a field, falling back to the top of the file."""
        line, col = self.positions.get(dotted, (1, 1))
        return Location(self.path, line, col)

    def urls(self) -> Iterator[tuple[str, str, Location]]:
        """Every URL in the entry as (field, url, location): each URL field of the schema
        (links and the licence source when built without a schema)."""
        found = self.url_values or (
            *((f"links.{name}", url) for name, url in self.links.items()),
            *((("license.source", self.license.source),) if self.license.source else ()),
        )
        for name, url in found:
            yield name, url, self.location(name)


@dataclass(frozen=True)
class Catalog:
    """The whole validated catalog: projects sorted by id, plus its vocabularies."""

    root: Path
    projects: tuple[Project, ...]
    categories: tuple[Term, ...]
    domains: tuple[Term, ...]
    registry: Registry = NO_LICENSES
    tags: TagVocabulary = NO_TAGS

    def by_id(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}
