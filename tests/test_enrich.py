"""`aicatalog enrich` against a loopback server that answers like GitHub GraphQL and the Hub.

The command runs as a real subprocess (as the workflow runs it), so what it
prints, its exit status and the file it leaves are exactly what users get.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aicatalog.activity import format_time, load_activity
from tests.enrich_apis import FakeApis, serve
from tests.helpers import AICATALOG, linked_entry, valid_entry

TOKEN = "ghp_s3cretTOKENvalue0123456789"
HF_TOKEN = "hf_an0therSECRETvalue98765"


def entry(i: int, repo: str | None = None, **extra: Any) -> dict[str, Any]:
    """Entry number i with its own name, homepage and GitHub repository."""
    repo = f"https://github.com/org{i}/repo{i}" if repo is None else repo
    home = f"https://p{i}.example.org/"
    return linked_entry(home, repo, name=f"Project {i}", status="active", **extra)


def run(
    catalog: Path, base: str, *args: str, token: str | None = TOKEN, **kw: Any
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "HF_TOKEN")}
    if token:
        env["GITHUB_TOKEN"] = token
    env["HF_TOKEN"] = HF_TOKEN
    cmd = [
        AICATALOG,
        "enrich",
        "--catalog",
        str(catalog),
        "--github-api",
        base,
        "--hub-api",
        base,
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, **kw)


def activity(catalog: Path) -> dict[str, Any]:
    data = json.loads((catalog / "activity.json").read_text(encoding="utf-8"))
    projects: dict[str, Any] = data["projects"]
    return projects


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text
        assert HF_TOKEN not in text


@pytest.fixture
def world() -> FakeApis:
    return FakeApis(token=TOKEN)


def test_batches_of_100_with_a_missing_repository_reported_by_line(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    entries = {f"p{i:03d}": entry(i) for i in range(250)}
    catalog = make_catalog(entries)
    for i in range(250):
        if i != 7:
            world.add_repo(f"org{i}/repo{i}", stars=1000 + i)
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1, done.stderr
    assert [r.aliases for r in world.graphql_requests()] == [100, 100, 50]
    assert all(r.authorization == f"Bearer {TOKEN}" for r in world.requests)
    # The missing one is reported (its line is checked below); the rest are kept.
    line = next(x for x in done.stdout.splitlines() if "p007.yml:" in x)
    assert "warning: links.repository: GitHub has no repository org7/repo7" in line
    records = activity(catalog)
    assert len(records) == 249
    assert "p007" not in records
    assert list(records) == sorted(records)
    facts = records["p042"]["github"]
    assert facts["stars"] == 1042
    assert facts["forks"] == 104
    assert facts["license"] == "MIT"
    assert facts["release"] == {
        "tag": "v1.2.3",
        "published": "2026-09-01T00:00:00Z",
    }
    assert facts["source"] == "GitHub GraphQL API"
    assert "GitHub: 249 repositories in 3 request(s)" in done.stdout
    assert_no_secret(done.stdout, done.stderr, (catalog / "activity.json").read_text())


def test_missing_repository_line_number_is_the_link_line(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"gone": entry(1, "https://github.com/nobody/gone")})
    text = (catalog / "projects" / "gone.yml").read_text().splitlines()
    link_line = 1 + next(i for i, t in enumerate(text) if "github.com/nobody/gone" in t)
    with serve(world) as base:
        done = run(catalog, base)
    assert f"gone.yml:{link_line}:" in done.stdout
    assert done.returncode == 1


def test_renamed_repository_is_followed_and_flagged_in_validate(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"moved": entry(1, "https://github.com/old-org/old-name")})
    world.add_repo("new-org/new-name", stars=5)
    world.renames["old-org/old-name"] = "new-org/new-name"
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 0, done.stdout + done.stderr
    facts = activity(catalog)["moved"]["github"]
    assert facts["repository"] == "new-org/new-name"
    assert facts["renamed_from"] == "old-org/old-name"
    check = subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog)], capture_output=True, text=True
    )
    assert check.returncode == 0
    assert (
        "warning: links.repository: repository old-org/old-name was renamed to "
        "new-org/new-name (set links.repository: https://github.com/new-org/new-name)"
        in check.stdout
    )
    # Once within --max-age, the renamed record counts as fresh: no request at all.
    with serve(world) as base:
        again = run(catalog, base)
    assert len(world.graphql_requests()) == 1
    assert "1 fresh record(s) kept" in again.stdout


def test_secondary_limit_waits_retry_after_then_succeeds(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    world.add_repo("org1/repo1")
    world.secondary_limits = 1
    world.retry_after = 1
    with serve(world) as base:
        started = time.monotonic()
        done = run(catalog, base)
        took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert [r.status for r in world.graphql_requests()] == [403, 200]
    assert took >= 1.0
    assert activity(catalog)["one"]["github"]["stars"] == 100


def test_502_splits_the_batch_in_half(make_catalog: Callable[..., Path], world: FakeApis) -> None:
    catalog = make_catalog({f"p{i:03d}": entry(i) for i in range(100)})
    for i in range(100):
        world.add_repo(f"org{i}/repo{i}")
    world.split_above = 50
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 0, done.stderr
    assert [(r.aliases, r.status) for r in world.graphql_requests()] == [
        (100, 502),
        (50, 200),
        (50, 200),
    ]
    assert len(activity(catalog)) == 100


def test_spent_budget_stops_cleanly_and_keeps_earlier_records(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    hub_entry = valid_entry(
        name="Hub",
        links={
            "homepage": "https://h.example.org/",
            "weights": "https://huggingface.co/acme/model-x",
        },
    )
    catalog = make_catalog({f"p{i:03d}": entry(i) for i in range(150)} | {"hub": hub_entry})
    # An earlier record for an entry this run does not reach must survive.
    earlier = {
        "version": 1,
        "projects": {
            "p149": {
                "github": {
                    "repository": "org149/repo149",
                    "source": "seed",
                    "collected": "2025-06-26T00:00:00Z",
                    "stars": 7,
                }
            }
        },
    }
    (catalog / "activity.json").write_text(json.dumps(earlier))
    for i in range(150):
        world.add_repo(f"org{i}/repo{i}")
    world.hub["models/acme/model-x"] = {"id": "acme/model-x", "downloads": 3, "likes": 1}
    world.budget = 1
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1
    assert len(world.graphql_requests()) == 1  # the answer said remaining 0: no second query
    assert "stopped early: GitHub rate-limit budget is spent; it resets at" in done.stderr
    assert "50 left for the next run" in done.stdout
    records = activity(catalog)
    assert len([r for r in records.values() if "github" in r]) == 101
    assert records["p149"]["github"]["stars"] == 7  # untouched earlier record
    # The Hub has its own budget: it is still collected.
    assert records["hub"]["hub"][0]["downloads"] == 3


def test_budget_already_spent_is_a_clean_stop(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    world.add_repo("org1/repo1")
    world.budget = 0
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1
    assert [r.status for r in world.graphql_requests()] == [403]
    assert "rate-limit budget is spent" in done.stderr
    assert not (catalog / "activity.json").exists()


def test_hub_gated_model_dataset_and_missing(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    model = valid_entry(
        name="Gated Model",
        kind="model",
        links={
            "homepage": "https://m.example.org/",
            "weights": "https://huggingface.co/acme/gated-7b",
            "data": "https://huggingface.co/datasets/acme/corpus",
        },
        license={
            "code": "Apache-2.0",
            "weights": "LicenseRef-Mixed",
            "note": "Acme community licence with an acceptable-use policy.",
        },
    )
    missing = valid_entry(
        name="Missing",
        links={
            "homepage": "https://x.example.org/",
            "weights": "https://huggingface.co/acme/missing",
        },
    )
    catalog = make_catalog({"gated": model, "missing": missing})
    world.hub["models/acme/gated-7b"] = {
        "id": "acme/gated-7b",
        "downloads": 123456,
        "likes": 789,
        "gated": "manual",
        "lastModified": "2026-08-01T10:00:00.000Z",
        "private": False,
        "tags": ["transformers", "license:llama3.1", "text-generation"],
    }
    world.hub["datasets/acme/corpus"] = {
        "id": "acme/corpus",
        "downloads": 42,
        "likes": 3,
        "gated": False,
        "lastModified": "2026-07-01T00:00:00.000Z",
        "cardData": {"license": "cc-by-4.0"},
    }
    with serve(world) as base:
        done = run(catalog, base, "--concurrency", "2", token=None)
    # No GitHub repository anywhere: no GitHub token needed, and none sent to the Hub.
    assert done.returncode == 1, done.stderr
    assert {r.path for r in world.requests} == {
        "/api/models/acme/gated-7b",
        "/api/datasets/acme/corpus",
        "/api/models/acme/missing",
    }
    assert all(r.authorization == f"Bearer {HF_TOKEN}" for r in world.requests)
    hub = activity(catalog)["gated"]["hub"]
    assert [h["kind"] for h in hub] == ["dataset", "model"]
    model_facts = hub[1]
    assert model_facts["gated"] is True
    assert model_facts["license"] == "llama3.1"
    assert model_facts["downloads"] == 123456
    assert model_facts["field"] == "links.weights"
    assert model_facts["modified"] == "2026-08-01T10:00:00Z"
    assert hub[0]["gated"] is False
    assert hub[0]["license"] == "cc-by-4.0"
    assert "links.weights: the Hub has no model acme/missing" in done.stdout
    assert_no_secret(done.stdout, done.stderr)


def test_rerun_within_max_age_makes_no_request_and_rewrites_nothing(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    world.add_repo("org1/repo1")
    with serve(world) as base:
        assert run(catalog, base).returncode == 0
        path = catalog / "activity.json"
        before = (path.read_bytes(), path.stat().st_mtime_ns)
        again = run(catalog, base)
        assert again.returncode == 0
        assert len(world.requests) == 1
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before
        assert "1 fresh record(s) kept" in again.stdout
        assert "unchanged" in again.stdout
        forced = run(catalog, base, "--max-age", "0")
    assert forced.returncode == 0
    assert len(world.requests) == 2


def test_without_token_or_network_one_line_and_exit_2(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    with serve(world) as base:
        no_token = run(catalog, base, token=None)
    assert no_token.returncode == 2
    assert no_token.stderr.strip().count("\n") == 0
    assert "GITHUB_TOKEN is not set" in no_token.stderr
    assert world.requests == []
    # A port nothing listens on: the server above is closed now.
    offline = run(catalog, base)
    assert offline.returncode == 2, offline.stdout + offline.stderr
    assert offline.stderr.strip().count("\n") == 0
    assert "cannot reach GitHub" in offline.stderr
    assert "unchanged" in offline.stderr
    assert "Traceback" not in offline.stderr
    assert not (catalog / "activity.json").exists()


def test_token_echoed_by_a_server_is_redacted(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    world.add_repo("org1/repo1")
    world.echo_token_in_errors = True  # the server quotes the Authorization header back
    summary = catalog.parent / "summary.md"
    with serve(world) as base:
        done = run(catalog, base, "--summary", str(summary))
    assert done.returncode == 1
    assert "Resource not accessible by integration (credentials: Bearer ***)" in done.stdout
    assert "Bearer ***" in summary.read_text()
    assert_no_secret(done.stdout, done.stderr, summary.read_text())


def test_refused_token_is_one_clear_line(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    world.token = "a-different-token"
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1
    assert "stopped early: GitHub refused the token (401 Unauthorized)" in done.stderr
    assert "activity.json unchanged" in done.stdout
    assert_no_secret(done.stdout, done.stderr)


def test_plain_http_to_another_host_is_refused(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog({"one": entry(1)})
    done = run(catalog, "http://api.example.org")
    assert done.returncode == 2
    assert "must use https" in done.stderr
    assert_no_secret(done.stdout, done.stderr)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_interrupted_run_keeps_earlier_and_checkpointed_records(
    make_catalog: Callable[..., Path], world: FakeApis, sig: signal.Signals
) -> None:
    catalog = make_catalog({f"p{i:03d}": entry(i) for i in range(200)} | {"old": entry(999)})
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    earlier = {
        "version": 1,
        "projects": {
            "old": {
                "github": {
                    "repository": "org999/repo999",
                    "source": "seed",
                    "collected": format_time(yesterday),
                    "stars": 99,
                }
            }
        },
    }
    (catalog / "activity.json").write_text(json.dumps(earlier))
    for i in range(200):
        world.add_repo(f"org{i}/repo{i}")
    world.stall_after = 1  # answer the first batch, hang on the second
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    with serve(world) as base:
        proc = subprocess.Popen(
            [
                AICATALOG,
                "enrich",
                "--catalog",
                str(catalog),
                "--github-api",
                base,
                "--max-age",
                "30d",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert world.stalled.wait(30)
        time.sleep(0.3)  # the first batch's checkpoint is written before the second query
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    records = activity(catalog)  # valid JSON: never a half file
    assert records["old"]["github"]["stars"] == 99
    assert len(records) == 101  # "old" + the first batch of 100
    assert not list(catalog.glob(".activity.json.*"))  # no temporary file left behind
    if sig == signal.SIGTERM:
        assert proc.returncode == 130
        assert "interrupted: " in err
        assert "keeps 101 record(s)" in err
    assert_no_secret(out, err)


def test_summary_lists_new_warnings(make_catalog: Callable[..., Path], world: FakeApis) -> None:
    catalog = make_catalog({"dead": entry(1), "fine": entry(2)})
    world.add_repo("org1/repo1", isArchived=True)
    world.add_repo("org2/repo2")
    summary = catalog.parent / "summary.md"
    with serve(world) as base:
        done = run(catalog, base, "--summary", str(summary))
    assert done.returncode == 0, done.stderr
    text = summary.read_text()
    assert "### New warnings (1)" in text
    assert "dead.yml" in text
    assert "GitHub says org1/repo1 is archived" in text
    assert "fine.yml" not in text
    github = load_activity(catalog)["dead"].github
    assert github is not None
    assert github.archived is True


def test_records_of_removed_entries_and_links_are_dropped(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1)})
    fresh = format_time(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    facts = {"source": "GitHub GraphQL API", "collected": fresh, "stars": 1}
    earlier = {
        "version": 1,
        "projects": {
            "one": {"github": {"repository": "org1/repo1", **facts}},
            "deleted-entry": {"github": {"repository": "org2/repo2", **facts}},
        },
    }
    (catalog / "activity.json").write_text(json.dumps(earlier))
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 0, done.stderr
    assert world.requests == []
    assert list(activity(catalog)) == ["one"]
    assert "activity.json updated" in done.stdout


def test_refuses_to_run_on_a_bad_catalog_or_activity_file(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    broken = make_catalog({"one": entry(1, kind="not-a-kind")})
    with serve(world) as base:
        done = run(broken, base)
        assert done.returncode == 1  # an invalid catalog is a problem, as for every command
        assert done.stderr.strip() == ("the catalog has 1 error(s); run `aicatalog validate` first")
        catalog = make_catalog({"one": entry(1)})
        corrupt = '{"version": 1,\n "projects": {"one": {"github": {"stars": 1}}}}\n'
        (catalog / "activity.json").write_text(corrupt)
        done = run(catalog, base)
        assert done.returncode == 1
        assert "activity.json:2:1: error: projects.one.github.repository: is missing" in (
            done.stderr
        )
        assert (catalog / "activity.json").read_text() == corrupt  # never overwritten
        unknown = run(catalog, base, "--only", "nope")
        assert unknown.returncode == 2
        assert "no entry with id nope" in unknown.stderr
    assert world.requests == []
