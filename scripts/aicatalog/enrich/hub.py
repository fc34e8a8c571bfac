"""Hugging Face Hub facts: one GET /api/models/<id> or /api/datasets/<id> per repository.

The Hub has no batch endpoint for chosen repositories, so requests run on a
small thread pool (`--concurrency`); results are handed back on the calling
thread, so merging and checkpoints need no locks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..activity import HubActivity, Provenance, parse_time
from .github import unusable_times
from .http import ApiClient, Oversized, Stop, decode_json
from .targets import HubTarget

SOURCE = "Hugging Face Hub API"
_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Fetched:
    target: HubTarget
    facts: HubActivity | None = None
    problem: str | None = None
    notes: tuple[str, ...] = ()  # parts of the answer left out, one warning each


def _license(data: dict[str, Any]) -> str | None:
    """The Hub's licence id: the `license:` tag the Hub computes, else the card's own field."""
    for tag in data.get("tags") or []:
        if isinstance(tag, str) and tag.startswith("license:"):
            return tag.removeprefix("license:")[:100] or None
    card = data.get("cardData")
    value = card.get("license") if isinstance(card, dict) else None
    if isinstance(value, list):
        value = value[0] if value else None
    return value[:100] if isinstance(value, str) and value else None


def parse_repository(target: HubTarget, data: dict[str, Any], now: dt.datetime) -> Fetched:
    """Facts from the Hub's repository info (ModelInfo / DatasetInfo shape)."""
    repo = data.get("id")
    if not isinstance(repo, str) or not _REPO_RE.match(repo):
        repo = target.repository
    gated = data.get("gated")  # False, "auto" or "manual"
    modified = data.get("lastModified")
    try:
        modified_at = parse_time(modified) if isinstance(modified, str) else None
    except ValueError:
        modified_at = None

    def count(key: str) -> int | None:
        value = data.get(key)
        return value if type(value) is int and value >= 0 else None

    facts = HubActivity(
        kind=target.kind,
        repository=repo,
        field=target.field,
        provenance=Provenance(SOURCE, now),
        downloads=count("downloads"),
        likes=count("likes"),
        gated=None if gated is None else gated is not False,
        license=_license(data),
        modified=modified_at,
    )
    return Fetched(target, facts, notes=unusable_times(data, ("lastModified",)))


class HubCollector:
    def __init__(self, client: ApiClient, now: dt.datetime, concurrency: int) -> None:
        self.client = client
        self.now = now
        self.concurrency = max(1, concurrency)

    def fetch(self, target: HubTarget) -> Fetched:
        path = f"/api/{target.kind}s/{quote(target.repository, safe='/')}"
        try:
            response = self.client.send("GET", path)
        except Oversized as exc:
            return Fetched(target, problem=str(exc))
        # The Hub answers 401 rather than 404 for names it will not confirm exist.
        if response.status_code in (401, 404):
            return Fetched(target, problem=f"the Hub has no {target.kind} {target.repository}")
        if response.status_code != 200:
            return Fetched(target, problem=f"the Hub answered {response.status_code}")
        try:
            data = decode_json(response)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return Fetched(target, problem="the Hub's answer was not a JSON object")
        return parse_repository(target, data, self.now)

    def collect(self, targets: Sequence[HubTarget], on_result: Callable[[Fetched], None]) -> None:
        """Fetch every target; after a Stop, finish what is in flight, then re-raise it."""
        pending = iter(targets)
        stop: Stop | None = None
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="hub") as pool:
            running: set[Future[Fetched]] = set()
            while True:
                if stop is None:
                    for target in pending:
                        running.add(pool.submit(self.fetch, target))
                        if len(running) >= self.concurrency:
                            break
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        on_result(future.result())
                    except Stop as exc:
                        stop = stop or exc
        if stop is not None:
            raise stop
