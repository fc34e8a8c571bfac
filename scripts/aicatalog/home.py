"""What the home page lists: recent additions grouped by date, lists worth showing.

A list earns its place only when it says something: eight projects "last active" on
one and the same date, or a ranking with nothing in it, are left out rather than
explained away. Pure functions, so the choices are tested without rendering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from . import pulse
from .activity import Activity
from .model import Project


def recent_additions(
    projects: Iterable[Project], records: Mapping[str, Activity], limit: int
) -> list[tuple[dt.date, list[Project]]]:
    """The latest additions grouped by the date they were added, newest date first.

    Within a date, the most recently active come first, then the most starred (entries
    without collected figures last), then by name, so a batch added on one day starts
    with the projects that are alive.
    """

    def activity(p: Project) -> tuple[float, int]:
        record = records.get(p.id)
        when = record.last_activity if record else None
        stars = record.github.stars if record and record.github else None
        return (-when.timestamp() if when else float("inf"), -(stars or -1))

    ordered = sorted(
        projects, key=lambda p: (-p.added.toordinal(), *activity(p), p.name.casefold(), p.id)
    )
    groups: list[tuple[dt.date, list[Project]]] = []
    for project in ordered[:limit]:
        if groups and groups[-1][0] == project.added:
            groups[-1][1].append(project)
        else:
            groups.append((project.added, [project]))
    return groups


def worth_listing(dated: list[tuple[Project, dt.datetime]]) -> bool:
    """A "recently active" list says something only when its dates differ."""
    return len({when.date() for _, when in dated}) > 1


def active_list(
    projects: Iterable[Project], records: Mapping[str, Activity], limit: int
) -> list[tuple[Project, dt.datetime]]:
    """The recently active projects, or nothing when the list would repeat one date."""
    dated = pulse.recently_active(projects, records, limit)
    return dated if worth_listing(dated) else []
