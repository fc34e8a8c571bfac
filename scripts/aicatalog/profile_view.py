"""What a project page shows of openness: the component grid, the level, licence answers.

Pure functions from a validated Project (and the licence registry) to plain rows,
so templates only lay them out and tests can check the derivations directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .getit import GetItem, get_items
from .licenses import license_keys, openness
from .model import Project
from .profile import (
    DATASET_COMPONENTS,
    LABELS,
    LEVEL_LABELS,
    MODEL_COMPONENTS,
    Component,
    Grade,
    Level,
    grade,
    level,
)
from .registry import LicenseTerms, Registry

GRADE_LABELS: dict[Grade, str] = {
    "open": "released, open licence",
    "partial": "partly released",
    "restricted": "released, restrictive terms",
    "closed": "not released",
}


@dataclass(frozen=True)
class ComponentRow:
    """One cell of the openness grid: the component, what was recorded, its derived grade."""

    name: str
    label: str
    component: Component
    grade: Grade
    licence: str | None

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]


def _components(project: Project) -> dict[str, str | None]:
    return MODEL_COMPONENTS if project.kind == "model" else DATASET_COMPONENTS


def component_rows(project: Project) -> list[ComponentRow]:
    """The recorded components with their grades, in schema order."""
    if project.profile is None:
        return []
    covering = _components(project)
    rows = []
    for component in project.profile.components:
        part = covering.get(component.name)
        expression = getattr(project.license, part) if part else None
        licence_openness = (
            openness(expression, content=part != "code")
            if expression
            else ("closed" if part else None)
        )
        rows.append(
            ComponentRow(
                component.name,
                LABELS[component.name],
                component,
                grade(component.released, licence_openness),
                expression,
            )
        )
    return rows


def profile_level(project: Project) -> Level | None:
    """The derived level of a model; None for anything else."""
    if project.kind != "model" or project.profile is None:
        return None
    return level({row.name: row.grade for row in component_rows(project)})


def level_label(value: Level | None) -> str:
    return LEVEL_LABELS[value] if value else ""


def licence_terms(project: Project, registry: Registry) -> list[tuple[str, LicenseTerms]]:
    """(part, terms) for every registry licence the entry names, each licence once."""
    out: list[tuple[str, LicenseTerms]] = []
    seen: set[str] = set()
    for part in ("weights", "code", "data"):
        expression = getattr(project.license, part)
        if not expression:
            continue
        for key in license_keys(expression):
            terms = registry.get(key)
            if terms is not None and key not in seen:
                seen.add(key)
                out.append((part, terms))
    return out


def get_it(project: Project) -> list[GetItem]:
    return get_items(dict(project.get), project.kind)


#: Kinds whose entries are no code base of their own, whatever languages they mention.
NO_CODE_KINDS = frozenset({"dataset", "community", "course"})


def has_code(project: Project) -> bool:
    """Whether the entry is software with code of its own (so it has programming languages):
    not a dataset, community or course, and its code licence is not "not applicable"."""
    return project.kind not in NO_CODE_KINDS and project.openness.code != "not-applicable"
