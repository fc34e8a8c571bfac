"""catalog/activity.json: strict reading, stable writing, and the drift warnings of validate."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aicatalog.activity import (
    Activity,
    ActivityError,
    GitHubActivity,
    HubActivity,
    Provenance,
    Release,
    StarSample,
    dump_activity,
    load_activity,
)
from aicatalog.drift import BESPOKE, activity_warnings, hub_license_ids, spdx_ids
from aicatalog.workspace import load_or_raise
from tests.helpers import AICATALOG, valid_entry

T = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)


def gh(**facts: Any) -> dict[str, Any]:
    base = {
        "repository": "ex/ample",
        "source": "GitHub GraphQL API",
        "collected": "2026-11-20T08:30:00Z",
        "stars": 10,
        "pushed": "2026-11-01T00:00:00Z",
        "archived": False,
        "fork": False,
        "license": "MIT",
    }
    base.update(facts)
    return {k: v for k, v in base.items() if v is not None}


def write_activity(catalog: Path, projects: dict[str, Any]) -> None:
    text = json.dumps({"version": 1, "projects": projects}, indent=2)
    (catalog / "activity.json").write_text(text, encoding="utf-8")


def line_of(catalog: Path, entry_id: str, needle: str) -> int:
    lines = (catalog / "projects" / f"{entry_id}.yml").read_text().splitlines()
    return 1 + next(i for i, text in enumerate(lines) if needle in text)


def validate(catalog: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog), *files], capture_output=True, text=True
    )


# --- reading and writing ---------------------------------------------------------------


def test_missing_file_is_empty(tmp_path: Path) -> None:
    assert load_activity(tmp_path) == {}


def test_round_trip_is_exact_and_stable(tmp_path: Path) -> None:
    record = Activity(
        "demo",
        GitHubActivity(
            "o/n",
            Provenance("GitHub GraphQL API", T),
            stars=5,
            forks=1,
            pushed=T,
            created=T,
            release=Release("v1", T),
            archived=False,
            fork=False,
            license="MIT",
            renamed_from="old/n",
            star_history=(StarSample("2026-10", 3), StarSample("2026-11", 5)),
        ),
        (
            HubActivity(
                "model",
                "o/m",
                "links.weights",
                Provenance("Hugging Face Hub API", T),
                downloads=9,
                likes=2,
                gated=True,
                license="llama3.1",
                modified=T,
            ),
        ),
    )
    text = dump_activity({"demo": record, "a-first": Activity("a-first")})
    (tmp_path / "activity.json").write_text(text)
    loaded = load_activity(tmp_path)
    assert loaded["demo"] == record
    assert dump_activity(loaded) == text  # byte-stable: a refresh diffs only what changed
    assert text.index('"a-first"') < text.index('"demo"')
    assert '"2026-11": 5' in text
    assert text.endswith("}\n")


def test_last_activity_and_star_growth_for_the_site() -> None:
    later = T + dt.timedelta(days=3)
    record = Activity(
        "x",
        GitHubActivity(
            "o/n",
            Provenance("s", T),
            stars=30,
            pushed=T,
            star_history=(StarSample("2026-01", 10), StarSample("2026-11", 30)),
        ),
        (HubActivity("model", "o/m", "links.weights", Provenance("s", T), modified=later),),
    )
    assert record.last_activity == later
    assert record.star_growth() == 20
    assert Activity("empty").last_activity is None
    assert Activity("empty").star_growth() is None


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('{"version": 1,\n  "projects": {\n    "x": {\n', 4, "not valid JSON"),
        ('{"version": 2, "projects": {}}', 1, "version: must be 1"),
        (
            '{"version": 1, "projects": {\n "x": {\n  "github": {\n   "stars": -3}}}}',
            3,
            "projects.x.github.repository: is missing",
        ),
        (
            '{"version": 1, "projects": {\n "x": {"github": {"repository": "o/n", "source": "s",\n'
            '  "collected": "2026-01-01T00:00:00Z",\n  "stars": "many"}}}}',
            4,
            "projects.x.github.stars: must be a whole number",
        ),
        (
            '{"version": 1, "projects": {"x": {"github": {"repository": "../../etc", "source": "s",'
            ' "collected": "2026-01-01"}}}}',
            1,
            "must be owner/name",
        ),
        (
            '{"version": 1, "projects": {"x": {"hub": [{"kind": "space", "repository": "o/n"}]}}}',
            1,
            "kind: must be one of model, dataset",
        ),
        ("[1, 2]", 1, "must be an object"),
    ],
)
def test_corrupt_file_names_file_line_and_field(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    (tmp_path / "activity.json").write_text(content)
    with pytest.raises(ActivityError) as caught:
        load_activity(tmp_path)
    diag = caught.value.diagnostic
    assert diag.path.endswith("activity.json")
    assert diag.line == line
    assert message in diag.text()
    assert "aicatalog enrich" in (diag.hint or "")


# --- drift warnings ------------------------------------------------------------------------


def test_licence_id_mapping() -> None:
    assert spdx_ids("GPL-3.0") == frozenset({"GPL-3.0-only", "GPL-3.0-or-later"})
    assert spdx_ids("apache-2.0") == frozenset({"Apache-2.0"})
    assert spdx_ids("NOASSERTION") is None
    assert hub_license_ids("llama3.1") == frozenset({BESPOKE})
    assert hub_license_ids("odbl") == frozenset({"ODbL-1.0"})
    assert hub_license_ids("other") is None


def test_each_drift_warning_points_at_the_line_to_change(make_catalog: Callable[..., Path]) -> None:
    model = valid_entry(
        name="Open Model",
        kind="model",
        status="active",
        links={
            "homepage": "https://m.example.org/",
            "weights": "https://huggingface.co/acme/open-7b",
        },
        license={"code": "Apache-2.0", "weights": "Apache-2.0"},
    )
    catalog = make_catalog(
        {
            "archived": valid_entry(
                name="A",
                status="active",
                links={
                    "homepage": "https://a.example.org/",
                    "repository": "https://github.com/ex/a",
                },
            ),
            "stale": valid_entry(
                name="B",
                status="active",
                links={
                    "homepage": "https://b.example.org/",
                    "repository": "https://github.com/ex/b",
                },
            ),
            "relicensed": valid_entry(
                name="C",
                links={
                    "homepage": "https://c.example.org/",
                    "repository": "https://github.com/ex/c",
                },
            ),
            "forked": valid_entry(
                name="D",
                links={
                    "homepage": "https://d.example.org/",
                    "repository": "https://github.com/ex/d",
                },
            ),
            "model": model,
            "quiet": valid_entry(
                name="E",
                status="maintenance",
                links={
                    "homepage": "https://e.example.org/",
                    "repository": "https://github.com/ex/e",
                },
            ),
            "gpl": valid_entry(
                name="F",
                license={"code": "GPL-3.0-or-later"},
                links={
                    "homepage": "https://f.example.org/",
                    "repository": "https://github.com/ex/f",
                },
            ),
        }
    )
    write_activity(
        catalog,
        {
            "archived": {"github": gh(repository="ex/a", archived=True)},
            # Stale relative to when the facts were collected, not to today.
            "stale": {"github": gh(repository="ex/b", pushed="2025-06-01T00:00:00Z")},
            "relicensed": {"github": gh(repository="ex/c", license="Apache-2.0")},
            "forked": {"github": gh(repository="ex/d", fork=True)},
            "model": {
                "hub": [
                    {
                        "kind": "model",
                        "repository": "acme/open-7b",
                        "field": "links.weights",
                        "source": "Hugging Face Hub API",
                        "collected": "2026-11-20T08:30:00Z",
                        "license": "cc-by-nc-4.0",
                    }
                ]
            },
            "quiet": {"github": gh(repository="ex/e", archived=True, license="GPL-2.0")},
            "gpl": {"github": gh(repository="ex/f", license="GPL-3.0")},  # GitHub's old id
        },
    )
    done = validate(catalog)
    assert done.returncode == 0, done.stdout  # warnings never fail validation
    out = done.stdout
    where = {
        "archived": line_of(catalog, "archived", "status:"),
        "stale": line_of(catalog, "stale", "status:"),
        "relicensed": line_of(catalog, "relicensed", "code:"),
        "forked": line_of(catalog, "forked", "repository:"),
        "model": line_of(catalog, "model", "weights: Apache"),
    }
    assert (
        f"archived.yml:{where['archived']}:9: warning: status: GitHub says ex/a is "
        "archived (set status: archived (or discontinued); per GitHub GraphQL API, "
        "2026-11-20)"
    ) in out
    assert (
        f"stale.yml:{where['stale']}:9: warning: status: no push to ex/b for over a year "
        "(last push 2025-06-01) (set status: maintenance"
    ) in out
    assert (
        f"relicensed.yml:{where['relicensed']}:9: warning: license.code: GitHub detects "
        "Apache-2.0 in ex/c, the entry says MIT"
    ) in out
    assert f"forked.yml:{where['forked']}:15: warning: links.repository: ex/d is a fork" in out
    assert (
        f"model.yml:{where['model']}:12: warning: license.weights: the Hub tags "
        "acme/open-7b with licence 'cc-by-nc-4.0', the entry says Apache-2.0"
    ) in out
    assert "quiet.yml" not in out  # status: maintenance silences activity warnings
    assert "gpl.yml" not in out  # GPL-3.0 from GitHub matches GPL-3.0-or-later
    assert "0 error(s), 5 warning(s)" in out
    # Only the files named, when files are named.
    only = validate(catalog, str(catalog / "projects" / "forked.yml"))
    assert "forked.yml" in only.stdout
    assert "archived.yml" not in only.stdout


def test_no_warning_when_facts_agree(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog({"ok": valid_entry(status="active")})
    write_activity(catalog, {"ok": {"github": gh()}})
    assert activity_warnings(load_or_raise(catalog), load_activity(catalog)) == []
    assert validate(catalog).stdout.strip() == "1 entries, no problems"


def test_corrupt_activity_file_fails_validate_with_its_line(
    make_catalog: Callable[..., Path],
) -> None:
    catalog = make_catalog({"ok": valid_entry()})
    (catalog / "activity.json").write_text('{"version": 1,\n "projects": [}\n')
    done = validate(catalog)
    assert done.returncode == 1
    assert "activity.json:2:" in done.stdout
    assert "not valid JSON" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
