"""The home page's lists: recent additions grouped by date, lists that have something to say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aicatalog.activity import Activity, GitHubActivity, Provenance
from aicatalog.home import recent_additions, worth_listing
from aicatalog.model import Project
from aicatalog.workspace import load_or_raise

from .helpers import valid_entry, write_catalog
from .site_catalogs import COLLECTED


def _projects(tmp_path: Path, specs: list[tuple[str, str, str]]) -> dict[str, Project]:
    entries = {
        i: valid_entry(
            name=name,
            added=added,
            links={"homepage": f"https://{i}.example.org/"},
        )
        for i, added, name in specs
    }
    return {p.id: p for p in load_or_raise(write_catalog(tmp_path / "c", entries)).projects}


def _active(entry_id: str, days_ago: int | None, stars: int | None = None) -> Activity:
    pushed = COLLECTED - dt.timedelta(days=days_ago) if days_ago is not None else None
    github = GitHubActivity(
        repository=f"acme/{entry_id}",
        provenance=Provenance("test", COLLECTED),
        stars=stars,
        pushed=pushed,
    )
    return Activity(entry_id, github, ())


def test_recent_additions_group_by_date_then_order_by_activity(tmp_path: Path) -> None:
    projects = _projects(
        tmp_path,
        [
            ("old", "2024-01-01", "Old"),
            ("quiet", "2025-02-01", "Aardvark"),
            ("busy", "2025-02-01", "Zebra"),
            ("starry", "2025-02-01", "Middle"),
            ("uncollected", "2025-02-01", "Alpha"),
            ("newest", "2025-03-01", "Newest"),
        ],
    )
    records = {
        "quiet": _active("quiet", 300, stars=5),
        "busy": _active("busy", 1, stars=1),
        "starry": _active("starry", 300, stars=900),
    }
    groups = recent_additions(projects.values(), records, 5)
    assert [(d.isoformat(), [p.id for p in ps]) for d, ps in groups] == [
        ("2025-03-01", ["newest"]),
        ("2025-02-01", ["busy", "starry", "quiet", "uncollected"]),
    ]


def test_a_list_of_one_date_says_nothing() -> None:
    day = dt.datetime(2025, 6, 26, tzinfo=dt.UTC)
    p = object()
    assert not worth_listing([(p, day), (p, day + dt.timedelta(hours=3))])  # type: ignore[list-item]
    assert worth_listing([(p, day), (p, day - dt.timedelta(days=1))])  # type: ignore[list-item]
    assert not worth_listing([])
