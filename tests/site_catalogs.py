"""Catalogs to build sites from: the benchmark's synthetic entries plus the cited ids.

The overview page names the projects the seed article cites and a strict build
fails when one has no entry, so every fixture site includes entries with those ids
(made-up facts, like the rest of the synthetic catalog; nothing here ships).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from aicatalog.activity import (
    ACTIVITY_FILE,
    Activity,
    GitHubActivity,
    HubActivity,
    Provenance,
    Release,
    StarSample,
    dump_activity,
)
from aicatalog.model import Links, Project

from .bench.synth import COMPONENTS, entry, synthetic_catalog
from .helpers import REPO, dump_entry

OVERVIEW = REPO / "catalog" / "overview.yml"


def cited_ids() -> list[str]:
    """Ids the overview page cites, in page order."""
    return [c["id"] for theme in yaml.safe_load(OVERVIEW.read_text()) for c in theme["projects"]]


def site_catalog(root: Path, count: int, **extra: dict[str, Any] | str) -> Path:
    """A valid catalog: `count` synthetic entries, the cited ids, and `extra` id=entry pairs.

    `extra` values are entries (dumped as YAML) or raw file text.
    """
    synthetic_catalog(root, count)
    shutil.copy(OVERVIEW, root / "overview.yml")
    rng = random.Random(7)
    for n, entry_id in enumerate(cited_ids()):
        body: dict[str, Any] | str = {
            **entry(count + n, count, rng),
            "name": entry_id.replace("-", " ").title(),
        }
        extra.setdefault(entry_id, body)
    for entry_id, body in extra.items():
        text = dump_entry(body) if isinstance(body, dict) else body
        (root / "projects" / f"{entry_id}.yml").write_text(text, encoding="utf-8")
    hostile = yaml.safe_dump(HOSTILE_LICENCE, sort_keys=False)
    (root / "licenses" / "LicenseRef-Hostile.yml").write_text(hostile, encoding="utf-8")
    return root


#: Collection time of the synthetic activity: the sites' "now" (deliberately not today).
COLLECTED = dt.datetime(2025, 3, 3, 6, 0, tzinfo=dt.UTC)


def _months_before(when: dt.datetime, count: int) -> list[str]:
    """The `count` months up to and including the month of `when`, oldest first, as YYYY-MM."""
    index = when.year * 12 + when.month - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(index - count + 1, index + 1)]


def synthetic_activity(ids: list[str], seed: int = 11) -> dict[str, Activity]:
    """Made-up facts for entries, in every shape the site shows (deterministic for a seed).

    Every tenth entry has no record; stars span 0 to about 200,000 (so sorting them as
    text would go wrong); pushes up to 900 days old (some quiet); 13 monthly counts for
    most, one for some; releases, archived, forked and renamed repositories, Hub models.
    """
    rng = random.Random(seed)
    source = Provenance("synthetic test data", COLLECTED)
    out = {}
    for i, entry_id in enumerate(sorted(ids)):
        if i % 10 == 9:
            continue
        stars = int(10 ** rng.uniform(0, 5.3))
        months = _months_before(COLLECTED, 13 if i % 4 else 1)
        history = [
            StarSample(m, max(0, stars - 40 * (len(months) - 1 - k) * (i % 7)))
            for k, m in enumerate(months)
        ]
        pushed = COLLECTED - dt.timedelta(days=rng.randint(0, 900), hours=rng.randint(0, 23))
        release = Release(f"v{i % 5}.{i % 11}.0", pushed - dt.timedelta(days=3)) if i % 3 else None
        github = GitHubActivity(
            repository=f"synth-org/{entry_id}",
            provenance=source,
            stars=stars,
            forks=stars // 7,
            pushed=pushed,
            created=pushed - dt.timedelta(days=400 + i),
            release=release,
            archived=i % 17 == 1,
            fork=i % 23 == 2,
            license="MIT",
            renamed_from=f"synth-org/old-{entry_id}" if i % 29 == 3 else None,
            star_history=tuple(history),
        )
        hub: tuple[HubActivity, ...] = ()
        if i % 5 == 1:
            hub = (
                HubActivity(
                    kind="model",
                    repository=f"synth-org/{entry_id}-weights",
                    field="links.weights",
                    provenance=source,
                    downloads=rng.randint(0, 5_000_000),
                    likes=rng.randint(0, 9_000),
                    gated=i % 2 == 0,
                    license="apache-2.0",
                    modified=min(pushed + dt.timedelta(days=1), COLLECTED),
                ),
            )
        out[entry_id] = Activity(entry_id, github, hub)
    return out


def with_activity(root: Path, seed: int = 11) -> Path:
    """Write synthetic_activity for every entry of the catalog at `root` to its activity.json."""
    ids = [p.stem for p in (root / "projects").glob("*.yml")]
    (root / ACTIVITY_FILE).write_text(dump_activity(synthetic_activity(ids, seed)), "utf-8")
    return root


#: What the payloads below do if they ever run: the browser tests watch this array.
PWNED = "window.__pwned"


#: A registry licence whose free text carries markup: pages must show it as text.
HOSTILE_LICENCE = {
    "id": "LicenseRef-Hostile",
    "name": f"<script>{PWNED}.push('licence-name')</script> Licence",
    "url": "https://example.org/hostile-licence",
    "steward": f"<img src=x onerror=\"{PWNED}.push('licence-steward')\">",
    "source": "https://example.org/hostile-licence",
    "checked": "2025-06-01",
    "commercial_use": "conditional",
    "commercial_condition": f"<svg onload=\"{PWNED}.push('condition')\"></svg>",
    "use_restrictions": True,
    "restrictions_pass_on": True,
    "redistribution": "yes",
    "derivatives": "yes",
    "attribution": True,
    "naming_requirement": "[x](javascript:alert(1)) **bold**",
    "summary": f"<iframe srcdoc=\"<script>{PWNED}.push('summary')</script>\"></iframe>",
}


def hostile_entries() -> dict[str, dict[str, Any]]:
    """Entries that pass the validator yet carry HTML, script and Markdown in free text.

    Names, stewards and licence notes may hold any character, so the templates, not
    the validator, are what keeps these inert.
    """
    base = {
        "kind": "model",
        "categories": ["language-models"],
        "license": {
            "code": "MIT",
            "weights": "LicenseRef-Hostile",
            "note": f"<svg onload=\"{PWNED}.push('note')\"></svg> [x](javascript:alert(1))",
            "source": "https://example.org/license",
        },
        "added": "2025-06-01",
        "checked": "2025-06-01",
        "tags": ["hostile"],
        "openness": {
            name: {"released": "no", "note": f"<img src=x onerror=\"{PWNED}.push('{name}')\">"}
            for name in COMPONENTS
        },
    }
    return {
        "hostile-script": {
            **base,
            "name": f"<script>{PWNED}.push('name')</script>",
            "description": "An entry whose name is a script tag; **bold** and `code` stay text.",
            "links": {"homepage": "https://example.org/script"},
            "steward": f"<img src=x onerror=\"{PWNED}.push('steward')\">",
            "related": ["hostile-markdown"],
        },
        "hostile-markdown": {
            **base,
            "name": "[Click me](javascript:alert(1))",
            "description": "A name that is a Markdown link; # no heading, 1 < 2 and 3 > 2 & more.",
            "links": {"homepage": "https://example.org/markdown"},
            "steward": '"><script>alert(1)</script>',
        },
        "hostile-attribute": {
            **base,
            "name": f'Quote" onmouseover="{PWNED}.push(1)" x="',
            "description": "A name that tries to close an attribute and add an event handler.",
            "links": {"homepage": "https://example.org/attribute"},
            "steward": "</title></textarea><!-- -->",
        },
    }


def hostile_activity(repository: str, collected: str) -> dict[str, Any]:
    """An activity.json record (as JSON data) whose free-text fields carry HTML, script,
    Markdown and a spreadsheet formula: the reader accepts any short string there."""
    return {
        "github": {
            "repository": repository,
            "source": f"<script>{PWNED}.push('source')</script> [x](javascript:alert(1)) | cell",
            "collected": collected,
            "stars": 3,
            "pushed": collected,
            "release": {"tag": f'=HYPERLINK("x")"><img src=x onerror="{PWNED}.push(1)">'},
            "license": "<b>MIT</b>",
        },
        "hub": [
            {
                "kind": "model",
                "repository": repository,
                "field": f"<svg onload=\"{PWNED}.push('field')\">",
                "source": f"<iframe src=\"javascript:{PWNED}.push('hub')\"></iframe>",
                "collected": collected,
                "license": f"<img src=x onerror=\"{PWNED}.push('license')\">",
            }
        ],
    }


def smuggled(project: Project) -> Project:
    """The entry as if it had slipped past the validator with hostile values everywhere."""
    script = "<script>alert(1)</script>"
    return dataclasses.replace(
        project,
        name=f"{script}<img src=x onerror=alert(2)>",
        description=f"[click](javascript:alert(3)) {script} <a href='javascript:alert(4)'>x</a>",
        steward="<svg onload=alert(5)>",
        programming_languages=("<b>Py</b>",),
        links=Links(
            homepage="javascript:alert(6)",
            repository="http://127.0.0.1/admin",
            documentation='https://example.org/"><script>alert(7)</script>',
        ),
        license=dataclasses.replace(
            project.license,
            source="data:text/html,<script>x</script>",
            note="<iframe src=javascript:alert(8)>",
        ),
    )
