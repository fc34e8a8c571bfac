"""What the site shows of collected activity: is a project alive, is it growing.

Pure functions over the records of catalog/activity.json. "Now" is the newest
collection time in the file, never the clock, so two builds of the same input
stay byte-identical and "active in the last year" means the same thing on every
page of one build. The year is the one `aicatalog validate` uses for its "no push
for over a year" warning, so the site and the checks agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal

from markupsafe import Markup

from .activity import STALE_AFTER, Activity, GitHubActivity, HubActivity, StarSample
from .model import Project

State = Literal["active", "quiet", "unknown"]

#: Browse filter choices for the activity facet, in order.
STATE_LABELS: dict[State, str] = {
    "active": "active in the last year",
    "quiet": "no activity for over a year",
    "unknown": "no activity date collected",
}


def provenances(record: Activity) -> list[GitHubActivity | HubActivity]:
    """Every group of facts in a record (GitHub first, then the Hub items)."""
    return [*([record.github] if record.github else []), *record.hub]


def reference_time(records: Mapping[str, Activity]) -> dt.datetime | None:
    """The newest collection time in the records: the build's "now"."""
    times = (f.provenance.collected for r in records.values() for f in provenances(r))
    return max(times, default=None)


def state(record: Activity | None, now: dt.datetime | None) -> State:
    """Whether the project showed activity (a push or a Hub update) within a year of `now`."""
    last = record.last_activity if record else None
    if last is None or now is None:
        return "unknown"
    return "active" if now - last <= STALE_AFTER else "quiet"


def states(projects: Iterable[Project], records: Mapping[str, Activity]) -> dict[str, State]:
    """Each project's state by id, measured from the records' reference time."""
    now = reference_time(records)
    return {p.id: state(records.get(p.id), now) for p in projects}


def recently_active(
    projects: Iterable[Project], records: Mapping[str, Activity], n: int
) -> list[tuple[Project, dt.datetime]]:
    """The n projects with the latest activity, newest first (ties by name)."""
    dated = [(p, r.last_activity) for p in projects if (r := records.get(p.id)) and r.last_activity]
    dated.sort(key=lambda item: (-item[1].timestamp(), item[0].name.casefold(), item[0].id))
    return dated[:n]


def fastest_growing(
    projects: Iterable[Project], records: Mapping[str, Activity], n: int
) -> list[tuple[Project, int, str]]:
    """The n projects that gained most stars, as (project, stars gained, first sampled month).

    Only projects with two monthly samples or more can be ranked: with one sample there
    is no growth to show, and none is invented.
    """
    grown = []
    for p in projects:
        record = records.get(p.id)
        gained = record.star_growth() if record else None
        if record and record.github and gained is not None and gained > 0:
            grown.append((p, gained, record.github.star_history[0].month))
    grown.sort(key=lambda item: (-item[1], item[0].name.casefold(), item[0].id))
    return grown[:n]


def sources(records: Mapping[str, Activity]) -> list[tuple[str, int, dt.date]]:
    """Where the figures come from: (source, projects it informs, newest collection date),
    most used first, for the attribution on the Data page."""
    projects: Counter[str] = Counter()
    newest: dict[str, dt.date] = {}
    for record in records.values():
        seen = set()
        for facts in provenances(record):
            source, day = facts.provenance.source, facts.provenance.collected.date()
            newest[source] = max(day, newest.get(source, day))
            if source not in seen:
                projects[source] += 1
                seen.add(source)
    return [(s, c, newest[s]) for s, c in sorted(projects.items(), key=lambda i: (-i[1], i[0]))]


def sparkline(history: tuple[StarSample, ...], width: int = 120, height: int = 28) -> Markup:
    """Monthly star counts as a small inline SVG line, labelled for screen readers.

    Built from integers and month strings the activity reader has already checked
    (YYYY-MM), and escaped all the same; empty when there are fewer than two samples.
    """
    if len(history) < 2:
        return Markup("")
    low = min(s.stars for s in history)
    high = max(s.stars for s in history)
    span = (high - low) or 1
    step = width / (len(history) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (s.stars - low) * (height - 4) / span:.1f}"
        for i, s in enumerate(history)
    )
    label = f"Stars per month, {history[0].month} to {history[-1].month}: " + ", ".join(
        f"{s.stars:,}" for s in history
    )
    return Markup(
        '<svg class="aic-spark" role="img" width="%d" height="%d" viewBox="0 0 %d %d">'
        '<title>%s</title><polyline fill="none" stroke="currentColor" stroke-width="2" '
        'points="%s"/></svg>'
    ) % (width, height, width, height, label, points)
