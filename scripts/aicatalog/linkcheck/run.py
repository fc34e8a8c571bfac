"""One link-check run: decide what to check, check it, keep what was learnt.

`prepare` is pure (targets + cache + clock + shard -> plan), so what a run
would send can be known without a network; `execute` does the checking and
always ends by saving the cache, whether the run finished or was interrupted,
so results found earlier are never lost. `merge` joins the JSON reports of
shards into one report.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache as cache_file
from .check import Settings, check_urls, host_of
from .report import Report
from .results import STATUSES, Result, Source, Target

GetAddrInfo = Callable[..., list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Shard:
    """Part `index` (1-based) of `count`: every URL of one host lands in the same part, so
    the per-host limits hold across shards run side by side."""

    index: int
    count: int

    def holds(self, url: str) -> bool:
        # CRC-32: stable across runs and machines (unlike hash()), and no OpenSSL to load.
        digest = zlib.crc32(host_of(url).encode("utf-8", "surrogatepass"))
        return digest % self.count == self.index - 1


def parse_shard(text: str) -> Shard:
    """'2/4' as Shard(2, 4); ValueError saying what is wrong otherwise."""
    index, slash, count = text.partition("/")
    if not (slash and index.isascii() and count.isascii()):
        raise ValueError(f"'{text}' is not i/n (for example 1/4)")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        raise ValueError(f"'{text}' is not i/n (for example 1/4)") from None
    if not 1 <= shard.index <= shard.count <= 1000:
        raise ValueError(f"'{text}': i must be between 1 and n, n at most 1000")
    return shard


@dataclass(frozen=True)
class Plan:
    """The targets of this run (this shard's only), those the cache answers, the rest to check."""

    targets: list[Target]
    cached: dict[str, Result]
    todo: list[str]
    cache: cache_file.Cache


def prepare(
    targets: Sequence[Target],
    cache: cache_file.Cache,
    now: float,
    max_age: float,
    shard: Shard | None = None,
) -> Plan:
    """What a run will check: this shard's targets, minus fresh good results in the cache."""
    mine = [t for t in targets if shard is None or shard.holds(t.url)]
    cached: dict[str, Result] = {}
    for target in mine:
        hit = cache.fresh(target.url, now, max_age)
        if hit is not None:
            cached[target.url] = hit
    todo = [t.url for t in mine if t.url not in cached]
    return Plan(mine, cached, todo, cache)


def open_cache(path: Path | None) -> tuple[cache_file.Cache, str | None]:
    """The cache at `path` (empty without one), and a warning when the file could not be used."""
    if path is None:
        return cache_file.Cache({}), None
    try:
        return cache_file.load(path), None
    except cache_file.CacheError as exc:
        return cache_file.Cache({}), f"{exc}; starting with an empty cache"


@dataclass
class Outcome:
    """What a run found, whether it was interrupted, and warnings for stderr."""

    report: Report
    interrupted: bool = False
    warnings: list[str] = field(default_factory=list)


def execute(
    plan: Plan,
    settings: Settings,
    cache_path: Path | None,
    max_age: float,
    on_result: Callable[[Result], None] | None = None,
    getaddrinfo: GetAddrInfo | None = None,
) -> Outcome:
    """Check `plan.todo`, report every target, and save the cache (also on Ctrl-C)."""
    known = dict(plan.cached)

    def finished(index: int, result: Result) -> None:
        known[plan.todo[index]] = result
        if on_result is not None:
            on_result(result)

    started = time.monotonic()
    extra = {} if getaddrinfo is None else {"getaddrinfo": getaddrinfo}
    try:
        results, _ = check_urls(plan.todo, settings, on_result=finished, **extra)
    except KeyboardInterrupt:
        outcome = Outcome(Report([], time.monotonic() - started), interrupted=True)
        _save(plan.cache, cache_path, known.values(), max_age, outcome.warnings)
        return outcome
    known.update((r.url, r) for r in results)
    report = Report([(t, known[t.url]) for t in plan.targets], time.monotonic() - started)
    outcome = Outcome(report)
    _save(plan.cache, cache_path, known.values(), max_age, outcome.warnings)
    return outcome


def _save(
    cache: cache_file.Cache,
    path: Path | None,
    results: Iterable[Result],
    max_age: float,
    warnings: list[str],
) -> None:
    if path is None:
        return
    try:
        cache_file.save(cache.updated(results, time.time(), max_age), path)
    except cache_file.CacheError as exc:
        warnings.append(str(exc))


class MergeError(Exception):
    """A report to merge cannot be read or is not a JSON report of `aicatalog links`."""


def merge(paths: Sequence[Path]) -> Report:
    """One report from the JSON reports of shards (`--format json` or `--json-file`).

    A URL in several reports keeps its first result and gathers every place
    that uses it; the run took as long as the slowest shard.
    """
    order: dict[str, tuple[Result, list[Source]]] = {}
    elapsed = 0.0
    for path in paths:
        took, items = _read_report(path)
        elapsed = max(elapsed, took)
        for result, sources in items:
            kept = order.setdefault(result.url, (result, []))
            kept[1].extend(s for s in sources if s not in kept[1])
    checked = [(Target(url, tuple(sources)), result) for url, (result, sources) in order.items()]
    return Report(checked, elapsed)


def _read_report(path: Path) -> tuple[float, list[tuple[Result, list[Source]]]]:
    """(elapsed seconds, results with their sources) of one JSON report; MergeError says why not."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ValueError("not a report of aicatalog links: no 'results' list")
        elapsed = float(data["summary"]["elapsed_s"])
        return elapsed, [_parse_item(item) for item in data["results"]]
    except OSError as exc:
        raise MergeError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except RecursionError as exc:
        raise MergeError(f"{path}: nested too deeply") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise MergeError(f"{path}: {str(exc)[:200]}") from exc


def _parse_item(item: Any) -> tuple[Result, list[Source]]:
    try:
        if item["status"] not in STATUSES:
            raise ValueError(f"unknown status {item['status']!r}")
        result = Result(
            url=str(item["url"]),
            status=item["status"],
            http_status=_int_or_none(item["http_status"]),
            final_url=None if item["final_url"] is None else str(item["final_url"]),
            attempts=int(item["attempts"]),
            elapsed_ms=int(item["elapsed_ms"]),
            detail=str(item["detail"]),
            checked_at=0.0,
        )
        sources = [Source(str(s["file"]), int(s["line"]), str(s["field"])) for s in item["sources"]]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"a result is not in the report format ({exc!r})") from exc
    return result, sources


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
