"""browse.json: the compact data the Browse page draws its rows from.

Browse used to carry every project as a table row, which made the page grow with
the catalog (5 MB at 5,000 entries). Now the page holds the filters and the table
head; the rows come from this file, one array per project with only what a row
shows and the filters test, so both stay small. Licence expressions are given as
the words a reader sees (no raw LicenseRef), next to the expression itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .activity import Activity
from .fragments import LICENSE_REF_LABELS
from .model import Catalog, Project
from .profile_view import profile_level
from .views import KIND_LABELS, LEVELS

#: The fields of each row, in order; the page's script reads them by these names.
COLUMNS = (
    "id",
    "name",
    "description",
    "kind",
    "categories",
    "code",
    "code_licence",
    "code_plain",
    "weights",
    "level",
    "domains",
    "status",
    "activity",
    "tags",
    "stars",
    "last",
    "added",
)


def licence_words(expression: str, names: Mapping[str, str]) -> str:
    """A licence expression with every LicenseRef in words ("proprietary", a licence's name)."""
    labels = {**LICENSE_REF_LABELS, **names}
    if expression in labels:
        return labels[expression]
    return "".join(labels.get(t, t) for t in re.split(r"(\s+|[()])", expression) if t)


def row(
    project: Project, record: Activity | None, state: str, names: Mapping[str, str]
) -> list[Any]:
    github = record.github if record else None
    last = record.last_activity if record else None
    return [
        project.id,
        project.name,
        project.description,
        project.kind,
        list(project.categories),
        project.openness.code,
        licence_words(project.license.code, names),
        "LicenseRef-" not in project.license.code,
        project.openness.weights or "none",
        profile_level(project) or "none",
        list(project.domains),
        project.status or "unknown",
        state,
        list(project.tags),
        github.stars if github and github.stars is not None else None,
        last.date().isoformat() if last else None,
        project.added.isoformat(),
    ]


def browse_json(
    catalog: Catalog,
    projects: list[Project],
    activity: Mapping[str, Activity],
    states: Mapping[str, str],
) -> str:
    """The rows of Browse in reading order, with the labels the page shows for ids."""
    names = {i: t.name for i, t in catalog.registry.terms.items()}
    body: dict[str, Any] = {
        "version": 1,
        "columns": list(COLUMNS),
        "kinds": {k: v[0] for k, v in KIND_LABELS.items()},
        "categories": {t.id: t.title for t in catalog.categories},
        "levels": list(LEVELS),
        "rows": [row(p, activity.get(p.id), states.get(p.id, "unknown"), names) for p in projects],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"
