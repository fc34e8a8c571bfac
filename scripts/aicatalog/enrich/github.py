"""GitHub facts through the GraphQL API: up to 100 repositories per query, one query at a time.

GitHub asks integrators not to send GraphQL queries concurrently, so speed
comes from batching: each repository is an aliased `repository(owner:, name:)`
field of one query. `followRenames` (GitHub's default, made explicit) resolves
an old name to the renamed repository, whose `nameWithOwner` then differs. A
502/504 means the query was too heavy: the batch is split in half and retried.
A missing repository is a `NOT_FOUND` error for its alias alone; the rest of
the answer is good and kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..activity import GitHubActivity, Provenance, Release, parse_time
from .http import ApiClient, BudgetSpent, Stop, decode_json
from .targets import GitHubTarget

SOURCE = "GitHub GraphQL API"
BATCH_SIZE = 100
SPLIT_STATUSES = (502, 504)

_FRAGMENT = """fragment Facts on Repository {
  nameWithOwner stargazerCount forkCount pushedAt createdAt isArchived isFork
  licenseInfo { spdxId }
  latestRelease { tagName publishedAt }
}"""


@dataclass(frozen=True)
class Fetched:
    """One repository's answer: facts, or why there are none."""

    target: GitHubTarget
    facts: GitHubActivity | None = None
    problem: str | None = None
    #: Parts of the answer that were left out (an unusable time), one warning each.
    notes: tuple[str, ...] = ()


def build_query(batch: Sequence[GitHubTarget]) -> dict[str, Any]:
    """The GraphQL request body for a batch: aliases r0..rN, names passed as variables."""
    params = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(len(batch)))
    fields = "\n".join(
        f"  r{i}: repository(owner: $o{i}, name: $n{i}, followRenames: true) {{ ...Facts }}"
        for i in range(len(batch))
    )
    variables: dict[str, str] = {}
    for i, target in enumerate(batch):
        variables[f"o{i}"] = target.owner
        variables[f"n{i}"] = target.name
    query = f"query Batch({params}) {{\n{fields}\n  rateLimit {{ cost remaining resetAt }}\n}}\n"
    return {"query": query + _FRAGMENT, "variables": variables}


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def _count(value: Any) -> int | None:
    return value if type(value) is int and value >= 0 else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def parse_repository(target: GitHubTarget, node: dict[str, Any], now: dt.datetime) -> Fetched:
    """Facts from one `Facts` fragment; a malformed node is a problem, not a crash."""
    canonical = node.get("nameWithOwner")
    if not isinstance(canonical, str) or canonical.count("/") != 1 or len(canonical) > 200:
        return Fetched(target, problem="GitHub's answer had no usable nameWithOwner")
    license_node = node.get("licenseInfo")
    license_info: dict[str, Any] = license_node if isinstance(license_node, dict) else {}
    spdx = license_info.get("spdxId")
    release_node = node.get("latestRelease")
    release = None
    if isinstance(release_node, dict) and isinstance(release_node.get("tagName"), str):
        release = Release(release_node["tagName"][:100], _time(release_node.get("publishedAt")))
    facts = GitHubActivity(
        repository=canonical,
        provenance=Provenance(SOURCE, now),
        stars=_count(node.get("stargazerCount")),
        forks=_count(node.get("forkCount")),
        pushed=_time(node.get("pushedAt")),
        created=_time(node.get("createdAt")),
        release=release,
        archived=_flag(node.get("isArchived")),
        fork=_flag(node.get("isFork")),
        # NOASSERTION: GitHub found a licence file it could not identify.
        license=spdx if isinstance(spdx, str) and spdx and spdx != "NOASSERTION" else None,
        renamed_from=None
        if canonical.casefold() == target.repository.casefold()
        else target.repository,
    )
    return Fetched(target, facts, notes=unusable_times(node, ("pushedAt", "createdAt")))


def unusable_times(data: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    """A note for each time in `data` that was given but cannot be read (e.g. year 1 + 01:00)."""
    notes = []
    for key in keys:
        value = data.get(key)
        if value is not None and _time(value) is None:
            shown = repr(value)[:60]
            notes.append(f"the answer's {key} {shown} is not a usable time; it was left out")
    return tuple(notes)


def _error_message(error: dict[str, Any]) -> str:
    return str(error.get("message") or error.get("type") or "unknown error")[:200]


class GitHubCollector:
    """Fetches batches in order and hands each batch's results to a callback as it lands."""

    def __init__(self, client: ApiClient, now: dt.datetime) -> None:
        self.client = client
        self.now = now

    def collect(
        self, targets: Sequence[GitHubTarget], on_batch: Callable[[list[Fetched]], None]
    ) -> None:
        """Every target, BATCH_SIZE at a time; raises Stop when the run must end early."""
        for start in range(0, len(targets), BATCH_SIZE):
            self._fetch(targets[start : start + BATCH_SIZE], on_batch)

    def _fetch(
        self, batch: Sequence[GitHubTarget], on_batch: Callable[[list[Fetched]], None]
    ) -> None:
        response = self.client.send(
            "POST", "/graphql", json=build_query(batch), passthrough=SPLIT_STATUSES
        )
        if response.status_code in SPLIT_STATUSES:
            if len(batch) == 1:
                on_batch([Fetched(batch[0], problem=f"GitHub answered {response.status_code}")])
                return
            half = len(batch) // 2
            self._fetch(batch[:half], on_batch)
            self._fetch(batch[half:], on_batch)
            return
        if response.status_code == 401:
            raise Stop("GitHub refused the token (401 Unauthorized): check GITHUB_TOKEN")
        if response.status_code != 200:
            raise Stop(f"GitHub answered {response.status_code} to a GraphQL query")
        try:
            body = decode_json(response)
        except ValueError:
            raise Stop("GitHub's answer was not JSON") from None
        if not isinstance(body, dict):
            raise Stop("GitHub's answer was not a JSON object")
        on_batch(self._results(batch, body))

    def _results(self, batch: Sequence[GitHubTarget], body: dict[str, Any]) -> list[Fetched]:
        errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            raise BudgetSpent("GitHub", None)
        data = body.get("data")
        if not isinstance(data, dict):
            reason = _error_message(errors[0]) if errors else "no data"
            raise Stop(f"GitHub refused the query: {reason}")
        by_alias: dict[str, dict[str, Any]] = {}
        for error in errors:
            path = error.get("path")
            if isinstance(path, list) and path and isinstance(path[0], str):
                by_alias.setdefault(path[0], error)
        results = []
        for i, target in enumerate(batch):
            node = data.get(f"r{i}")
            if isinstance(node, dict):
                results.append(parse_repository(target, node, self.now))
                continue
            error = by_alias.get(f"r{i}", {})
            if error.get("type") == "NOT_FOUND":
                problem = f"GitHub has no repository {target.repository}"
            else:
                problem = f"GitHub gave no facts for {target.repository}: {_error_message(error)}"
            results.append(Fetched(target, problem=problem))
        return results
