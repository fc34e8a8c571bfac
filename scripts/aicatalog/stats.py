"""The Stats page's figures: what the catalog holds, counted from the validated entries.

Pure functions from projects to chart Series (aicatalog.charts draws them at build
time as inline SVG with a text alternative and a data table), so each figure can be
tested as numbers. Licences are grouped into families by their identifiers; the
catalog's own LicenseRefs and the registry's bespoke licences are named in words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from .charts import Series, share_rows
from .model import KINDS, Project
from .profile import LEVEL_LABELS
from .profile import LEVELS as PROFILE_LEVELS
from .profile_view import profile_level
from .views import KIND_LABELS, LEVELS, PARTS, part_license, part_openness

#: Licence families, tried in order against an expression's first identifier.
FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Apache", re.compile(r"^Apache-")),
    ("MIT", re.compile(r"^(MIT|MIT-0)$")),
    ("BSD", re.compile(r"^(0?BSD)")),
    ("GPL family (GPL, LGPL, AGPL)", re.compile(r"^(A|L)?GPL-")),
    ("Mozilla (MPL)", re.compile(r"^MPL-")),
    ("Public domain (CC0, Unlicense)", re.compile(r"^(CC0-|Unlicense$)")),
    ("Creative Commons", re.compile(r"^CC-BY")),
    ("Open data (ODbL, ODC, CDLA)", re.compile(r"^(ODbL|ODC-|PDDL|CDLA-)")),
    ("OpenRAIL", re.compile(r"(?i)openrail")),
    ("Proprietary", re.compile(r"^LicenseRef-Proprietary$")),
    ("Not released", re.compile(r"^LicenseRef-None$")),
    ("No licence stated", re.compile(r"^LicenseRef-Unstated$")),
    ("Mixed licences", re.compile(r"^LicenseRef-Mixed$")),
    ("Not applicable", re.compile(r"^LicenseRef-NotApplicable$")),
    ("Bespoke licence", re.compile(r"^LicenseRef-")),
)
OTHER = "Other licences"


def family(expression: str) -> str:
    """The family of a licence expression, by its first identifier."""
    first = re.split(r"[\s()]+", expression.strip("() "))[0]
    return next((name for name, pattern in FAMILIES if pattern.search(first)), OTHER)


def by_kind(projects: Sequence[Project]) -> Series:
    counts = Counter(p.kind for p in projects)
    rows = tuple((KIND_LABELS[k][1], counts[k]) for k in KINDS if counts[k])
    return Series(
        "stats-kinds",
        "Entries by kind",
        f"How many of the {len(projects)} entries are of each kind.",
        rows,
    )


def by_openness(projects: Sequence[Project], part: str) -> Series:
    counts = Counter(part_openness(p, part) for p in projects)
    total = sum(counts[level] for level in LEVELS)
    noun = {"code": "code", "weights": "model weights", "data": "data"}[part]
    rows = tuple((level.replace("-", " "), counts[level]) for level in LEVELS if counts[level])
    return Series(
        f"stats-openness-{part}",
        f"Openness of {noun}",
        f"The {total} entries with a licence for their {noun}, by the openness derived from it.",
        rows,
    )


def licence_families(projects: Sequence[Project]) -> Series:
    counts: Counter[str] = Counter()
    for project in projects:
        for part in PARTS:
            expression = part_license(project, part)
            if expression:
                counts[family(expression)] += 1
    rows = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return Series(
        "stats-families",
        "Licences by family",
        f"Every licensed part (code, weights, data) of every entry, {sum(counts.values())} "
        "in all, grouped by the family of its licence.",
        rows,
        unit="licensed parts",
    )


def first_releases(projects: Sequence[Project]) -> Series:
    years = Counter(p.first_release for p in projects if p.first_release)
    rows = tuple((str(y), years[y]) for y in sorted(years))
    return Series(
        "stats-first-release",
        "First releases per year",
        f"The year of the first public release, for the {sum(years.values())} entries "
        "that record it.",
        rows,
    )


def open_weights_share(projects: Iterable[Project]) -> Series:
    models = [p for p in projects if p.kind == "model" and p.first_release]
    years = sorted({p.first_release for p in models if p.first_release})
    counts = []
    for year in years:
        released = [p for p in models if p.first_release == year]
        label = f"{year} ({len(released)} model{'' if len(released) == 1 else 's'})"
        counts.append((label, sum(p.openness.weights == "open" for p in released), len(released)))
    return Series(
        "stats-open-weights",
        "Share of models with open weights, by year of first release",
        f"Of the {len(models)} models that record their first release, the percentage "
        "each year whose weights are under an open licence.",
        share_rows(counts),
        unit="percent",
    )


def model_levels(projects: Iterable[Project]) -> Series:
    levels = Counter(profile_level(p) for p in projects if p.kind == "model")
    rows = tuple((LEVEL_LABELS[lvl], levels[lvl]) for lvl in PROFILE_LEVELS if levels[lvl])
    return Series(
        "stats-levels",
        "Profile levels of models",
        f"The {sum(n for _, n in rows)} models by the level derived from their nine components.",
        rows,
        unit="models",
    )


def all_series(projects: Sequence[Project]) -> list[Series]:
    """Every figure of the Stats page, in page order."""
    return [
        by_kind(projects),
        by_openness(projects, "code"),
        by_openness(projects, "weights"),
        licence_families(projects),
        first_releases(projects),
        open_weights_share(projects),
        model_levels(projects),
    ]
