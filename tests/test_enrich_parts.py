"""The pieces of `enrich` on their own: URL parsing, durations, star history, the HTTP client."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click
import pytest

from aicatalog.activity import GitHubActivity, Provenance, StarSample
from aicatalog.atomicfile import write_atomic
from aicatalog.diagnostics import Location
from aicatalog.enrich.github import build_query
from aicatalog.enrich.http import ApiClient, Policy, Stop, Unreachable, api_url_problem, redact
from aicatalog.enrich.hub import Fetched, HubCollector
from aicatalog.enrich.run import star_history
from aicatalog.enrich.targets import GitHubTarget, HubTarget, hub_repository
from aicatalog.options import Duration
from aicatalog.repos import github_repository
from tests.enrich_apis import FakeApis, serve

NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/pytorch/pytorch", "pytorch/pytorch"),
        ("https://github.com/a-b/c.d.git", "a-b/c.d"),
        ("https://github.com/huggingface/transformers/tree/main/src", "huggingface/transformers"),
        ("https://www.github.com/o/n/", "o/n"),
        ("https://github.com/", None),
        ("https://github.com/pytorch", None),
        ("https://github.com/orgs/pytorch", None),
        ("https://github.com/topics/llm", None),
        ("https://gitlab.com/o/n", None),
        ("https://github.com.evil.example/o/n", None),
        ("https://github.com/../x", None),
        ("https://github.com/o/..", None),
    ],
)
def test_github_repository(url: str, expected: str | None) -> None:
    assert github_repository(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://huggingface.co/meta-llama/Llama-3.1-8B", ("model", "meta-llama/Llama-3.1-8B")),
        (
            "https://huggingface.co/datasets/HuggingFaceFW/fineweb",
            ("dataset", "HuggingFaceFW/fineweb"),
        ),
        (
            "https://huggingface.co/openai/whisper-large-v3/tree/main",
            ("model", "openai/whisper-large-v3"),
        ),
        ("https://huggingface.co/", None),
        ("https://huggingface.co/docs/transformers/index", None),
        ("https://huggingface.co/spaces/acme/demo", None),
        ("https://huggingface.co/datasets", None),
        ("https://huggingface.co/papers/2401.00001", None),
        ("https://huggingface.co/meta-llama", None),
        ("https://huggingface.co/datasets/../..", None),
    ],
)
def test_hub_repository(url: str, expected: tuple[str, str] | None) -> None:
    assert hub_repository(url) == expected


def test_max_age_is_read_by_the_shared_duration_option() -> None:
    """enrich --max-age and links --max-age take the same Duration type."""
    duration = Duration()
    assert duration.convert("7d", None, None) == dt.timedelta(days=7).total_seconds()
    assert duration.convert("12h", None, None) == 12 * 3600
    assert duration.convert("90", None, None) == 90  # bare numbers: seconds
    assert duration.convert("0", None, None) == 0
    for bad in ("", "7 days", "-1d", "1y", "d"):
        with pytest.raises(click.BadParameter, match="is not a duration"):
            duration.convert(bad, None, None)


def test_redact_hides_every_secret() -> None:
    secrets = ("ghp_first_secret", None, "hf_second_secret")
    assert redact("a ghp_first_secret b hf_second_secret", secrets) == "a *** b ***"
    assert redact("a test run", ("t",)) == "a test run"  # a 1-letter stand-in is no secret


def test_api_url_rules() -> None:
    assert api_url_problem("https://api.github.com") is None
    assert api_url_problem("http://127.0.0.1:8080") is None
    assert api_url_problem("http://[::1]:8080") is None
    assert "https" in (api_url_problem("http://api.github.com") or "")
    assert "https" in (api_url_problem("http://10.0.0.1") or "")
    assert "credentials" in (api_url_problem("https://user:pw@api.github.com") or "")
    assert api_url_problem("ftp://example.org") == "must be an https URL"


def _gh(stars: int | None, history: tuple[StarSample, ...] = (), repo: str = "o/n"):
    return GitHubActivity(repo, Provenance("test", NOW), stars=stars, star_history=history)


def test_star_history_is_monthly_and_bounded_to_13_months() -> None:
    old = tuple(
        StarSample(f"{2025 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}", m) for m in range(1, 24)
    )
    merged = star_history(_gh(0, old), _gh(999), NOW)
    assert len(merged) == 13
    assert merged[0].month == "2025-11"
    assert merged[-1] == StarSample("2026-11", 999)
    # The same month collected twice keeps the latest count; another repository starts afresh.
    assert star_history(_gh(5, (StarSample("2026-11", 1),)), _gh(7), NOW) == (
        StarSample("2026-11", 7),
    )
    assert star_history(_gh(5, old, repo="x/y"), _gh(7), NOW) == (StarSample("2026-11", 7),)


def test_build_query_uses_aliases_and_variables() -> None:
    loc = Location("f.yml", 1)
    body = build_query([GitHubTarget("a", "o1/n1", loc), GitHubTarget("b", 'evil"/x', loc)])
    assert "r0: repository(owner: $o0, name: $n0, followRenames: true)" in body["query"]
    assert "r1: repository(owner: $o1, name: $n1, followRenames: true)" in body["query"]
    assert body["variables"] == {"o0": "o1", "n0": "n1", "o1": 'evil"', "n1": "x"}
    assert "evil" not in body["query"]  # names never become query text


def test_secondary_limit_without_retry_after_backs_off() -> None:
    world = FakeApis(secondary_limits=2, retry_after=None)
    policy = Policy(backoff=0.2, transient=0.01)
    with serve(world) as base:
        client = ApiClient("GitHub", base, world.token, policy)
        started = time.monotonic()
        response = client.send("POST", "/graphql", json={"query": ""})
        took = time.monotonic() - started
    assert response.status_code == 200
    assert client.requests == 3
    assert took >= 0.2 + 0.4  # exponential: 0.2 s, then 0.4 s


def test_a_wait_longer_than_the_run_allows_stops_it() -> None:
    world = FakeApis(secondary_limits=1, retry_after=3600)
    with serve(world) as base:
        client = ApiClient("GitHub", base, world.token, Policy(max_wait=60))
        with pytest.raises(Stop, match="asked to wait 3600 s"):
            client.send("POST", "/graphql", json={"query": ""})


def test_unreachable_host_fails_fast() -> None:
    with serve(FakeApis()) as base:
        pass  # closed now: nothing listens on that port
    client = ApiClient("GitHub", base, "t", Policy(transient=0.05))
    with pytest.raises(Unreachable, match="cannot reach GitHub"):
        client.send("POST", "/graphql", json={})


def test_hub_429_is_retried_and_all_results_arrive() -> None:
    world = FakeApis(hub_limits=1)
    loc = Location("f.yml", 3)
    targets = [HubTarget(f"p{i}", "model", f"acme/m{i}", "links.weights", loc) for i in range(6)]
    for i in range(6):
        world.hub[f"models/acme/m{i}"] = {"id": f"acme/m{i}", "downloads": i, "likes": 0}
    got: list[Fetched] = []
    with serve(world) as base:
        client = ApiClient("Hugging Face Hub", base, None, Policy())
        HubCollector(client, NOW, concurrency=3).collect(targets, got.append)
    # A target without facts or without a count leaves the list short of six.
    downloads = [f.facts.downloads for f in got if f.facts and f.facts.downloads is not None]
    assert sorted(downloads) == list(range(6))
    assert [r.status for r in world.requests].count(429) == 1
    assert client.requests == 7
    assert all(r.authorization is None for r in world.requests)  # no HF_TOKEN, no header


def test_write_atomic_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "activity.json"
    target.write_text("old")
    write_atomic(target, "new content\n")
    assert target.read_text() == "new content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["activity.json"]
