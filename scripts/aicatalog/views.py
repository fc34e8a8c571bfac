"""What the site's pages show, computed from the validated catalog.

Pure functions from a Catalog to plain data (groupings, counts, orderings), so
templates only lay things out and the same numbers can be tested directly.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .licenses import Openness
from .model import KINDS, STATUSES, Catalog, Project
from .profile import LEVEL_LABELS
from .profile import LEVELS as PROFILE_LEVELS
from .profile_view import profile_level
from .pulse import STATE_LABELS
from .tags import Tag

LEVELS: tuple[Openness, ...] = ("open", "restricted", "closed", "not-applicable")
PARTS = ("code", "weights", "data")

KIND_LABELS = {
    "framework": ("Framework", "Frameworks"),
    "library": ("Library", "Libraries"),
    "model": ("Model", "Models"),
    "dataset": ("Dataset", "Datasets"),
    "tool": ("Tool", "Tools"),
    "platform": ("Platform", "Platforms"),
    "community": ("Community", "Communities"),
    "course": ("Course", "Courses"),
    "benchmark": ("Benchmark", "Benchmarks"),
}


def by_name(projects: Iterable[Project]) -> list[Project]:
    """Projects in reading order: by name regardless of case, id breaking ties."""
    return sorted(projects, key=lambda p: (p.name.casefold(), p.id))


def recent(projects: Iterable[Project], limit: int) -> list[Project]:
    """The latest additions, newest first (id breaks ties so the order is stable)."""
    return sorted(projects, key=lambda p: (-p.added.toordinal(), p.id))[:limit]


def group_by(projects: Iterable[Project], field: str) -> dict[str, list[Project]]:
    """Projects under each value of a list field ("categories", "domains", "tags"), by name."""
    groups: dict[str, list[Project]] = defaultdict(list)
    for project in by_name(projects):
        for value in getattr(project, field):
            groups[value].append(project)
    return dict(groups)


def kind_counts(projects: Iterable[Project]) -> list[tuple[str, int]]:
    """(kind, count) for every kind present, in the schema's order."""
    counts = Counter(p.kind for p in projects)
    return [(kind, counts[kind]) for kind in KINDS if counts[kind]]


def part_openness(project: Project, part: str) -> Openness | None:
    """Openness of one part (code, weights or data); None when the entry has no such licence."""
    value: Openness | None = getattr(project.openness, part)
    return value


def part_license(project: Project, part: str) -> str | None:
    value: str | None = getattr(project.license, part)
    return value


def is_open_source(project: Project) -> bool:
    """Open source in the strict sense: the code, and any weights and data, are open."""
    return all(part_openness(project, part) in (None, "open") for part in PARTS)


@dataclass(frozen=True)
class PartSummary:
    """How open one licensed part is across the catalog."""

    part: str
    total: int
    levels: dict[str, list[Project]]
    licenses: list[tuple[str, int]]

    def count(self, level: str) -> int:
        return len(self.levels[level])


def part_summary(projects: Iterable[Project], part: str) -> PartSummary:
    """Entries by openness level and the most used licence expressions for one part."""
    levels: dict[str, list[Project]] = {level: [] for level in LEVELS}
    licenses: Counter[str] = Counter()
    total = 0
    for project in by_name(projects):
        level = part_openness(project, part)
        expression = part_license(project, part)
        if level is None or expression is None:
            continue
        total += 1
        levels[level].append(project)
        licenses[expression] += 1
    ranked = sorted(licenses.items(), key=lambda item: (-item[1], item[0]))
    return PartSummary(part, total, levels, ranked)


#: One choice of a browse filter: (value in the row's data attribute, label, number of rows).
Option = tuple[str, str, int]


def facets(
    projects: list[Project], catalog: Catalog, states: Mapping[str, str]
) -> dict[str, list[Option]]:
    """The choices of each browse filter that match at least one project, with counts.

    `states` is each project's activity state (see pulse.state); the activity filter is
    offered only when some project has a date to be measured by.
    """
    activity = Counter(states.values())
    kinds = Counter(p.kind for p in projects)
    code: Counter[str] = Counter(p.openness.code for p in projects)
    weights: Counter[str] = Counter(p.openness.weights or "none" for p in projects)
    statuses = Counter(p.status or "unknown" for p in projects)
    categories = Counter(c for p in projects for c in p.categories)
    domains = Counter(d for p in projects for d in p.domains)
    levels = Counter(profile_level(p) for p in projects if p.kind == "model")
    return {
        "kind": [(k, KIND_LABELS[k][0], kinds[k]) for k in KINDS if kinds[k]],
        "category": [
            (t.id, t.title, categories[t.id]) for t in catalog.categories if categories[t.id]
        ],
        "code": [(lvl, lvl.replace("-", " "), code[lvl]) for lvl in LEVELS if code[lvl]],
        "level": [(lvl, LEVEL_LABELS[lvl], levels[lvl]) for lvl in PROFILE_LEVELS if levels[lvl]],
        "weights": [
            (lvl, "no weights" if lvl == "none" else lvl, weights[lvl])
            for lvl in (*LEVELS, "none")
            if weights[lvl]
        ],
        "domain": [(t.id, t.title, domains[t.id]) for t in catalog.domains if domains[t.id]],
        "status": [
            (s, "not stated" if s == "unknown" else s, statuses[s])
            for s in (*STATUSES, "unknown")
            if statuses[s]
        ],
        "activity": [(s, label, activity[s]) for s, label in STATE_LABELS.items() if activity[s]]
        if set(activity) - {"unknown"}
        else [],
    }


@dataclass(frozen=True)
class TagRow:
    """One tag of the Tags index: its id, label and the projects that carry it, by name."""

    id: str
    label: str
    projects: list[Project]


def tag_groups(catalog: Catalog) -> list[tuple[str, list[TagRow]]]:
    """The tags in use, grouped as catalog/tags.yml groups them (one group when there is no
    vocabulary), each with its projects; unused tags are left out."""
    carried = group_by(by_name(catalog.projects), "tags")
    vocabulary = catalog.tags.groups() or [("Tags", [Tag(t, t, "Tags") for t in sorted(carried)])]
    out = []
    for group, tags in vocabulary:
        rows = [TagRow(t.id, t.label, carried[t.id]) for t in tags if carried.get(t.id)]
        if rows:
            out.append((group, rows))
    return out


def search_boost(project: Project) -> float:
    """How much the site search favours a project's page over pages that mention it.

    Material's search scores a title match the same however long the title is (it turns
    off length normalisation), so "fastai" would tie "fastai" with "fastai course" and the
    tie goes to file order. Project pages get 3 to 4 (licence pages 2, the rest 1), more
    for shorter names: a query that is the whole name beats one that is part of a name.
    """
    words = max(1, len(project.name.split()))
    return round(2 + 2 / words, 2)
