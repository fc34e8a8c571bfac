"""The results cache: good results are reused for a while, failures are always checked again.

One JSON file, replaced atomically (written beside it, then renamed), so an
interrupted run leaves the previous cache intact rather than a corrupt one.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..atomicfile import write_atomic
from .results import REUSABLE, STATUSES, Result

VERSION = 1
_FIELDS = ("status", "http_status", "final_url", "detail", "checked_at")


class CacheError(Exception):
    """The cache file cannot be read or written; the message says which and why."""


@dataclass(frozen=True)
class Cache:
    """Past results by URL."""

    entries: Mapping[str, Result]

    def fresh(self, url: str, now: float, max_age: float) -> Result | None:
        """The cached result for `url` if it is reusable and younger than `max_age` seconds."""
        hit = self.entries.get(url)
        if hit is None or hit.status not in REUSABLE or not 0 <= now - hit.checked_at < max_age:
            return None
        when = dt.datetime.fromtimestamp(hit.checked_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return replace(
            hit, attempts=0, elapsed_ms=0, detail=f"{hit.detail} (cached, {when})", from_cache=True
        )

    def updated(self, results: Iterable[Result], now: float, max_age: float) -> Cache:
        """This cache with new results, dropping entries too old to be reused."""
        kept = {u: r for u, r in self.entries.items() if now - r.checked_at < max_age}
        kept.update((r.url, r) for r in results if not r.from_cache)
        return Cache(kept)


def load(path: Path) -> Cache:
    """The cache at `path` (empty when the file does not exist yet).

    CacheError, never anything else, for a file that cannot be used: a symbolic
    link (never followed), not a regular file, not UTF-8, not JSON (or nested
    too deep to read), or not this version's shape.
    """
    try:
        raw = _read_no_follow(path)
    except FileNotFoundError:
        return Cache({})
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise CacheError(f"{path} is a symbolic link; a cache is never followed") from exc
        raise CacheError(f"cannot read the cache {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            found = data.get("version") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"version {found!r}, expected {VERSION}")
        return Cache({url: _result(url, item) for url, item in data["results"].items()})
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise CacheError(f"{path} is not a link cache this version can read ({reason})") from exc


def _read_no_follow(path: Path) -> bytes:
    """The bytes of `path`, refusing a symbolic link (ELOOP) or anything but a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()


def _result(url: str, item: dict[str, Any]) -> Result:
    if (
        item["status"] not in STATUSES
        or not isinstance(item["checked_at"], int | float)
        or not isinstance(item["http_status"], int | None)
        or not isinstance(item["final_url"], str | None)
    ):
        raise ValueError(f"bad entry for {url}")
    return Result(
        url=url,
        status=item["status"],
        http_status=item["http_status"],
        final_url=item["final_url"],
        attempts=0,
        elapsed_ms=0,
        detail=str(item["detail"]),
        checked_at=float(item["checked_at"]),
    )


def save(cache: Cache, path: Path) -> None:
    """Write the cache atomically: readers see the old file or the new one, never half of one."""
    data = {
        "version": VERSION,
        "results": {
            url: {k: v for k, v in asdict(r).items() if k in _FIELDS}
            for url, r in sorted(cache.entries.items())
        },
    }
    if path.is_symlink():
        raise CacheError(f"{path} is a symbolic link; the cache is not written through it")
    try:
        # write_atomic replaces the name itself (rename never follows a link) and makes
        # no folders: a cache in a folder that does not exist is an error, not a mkdir.
        write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False))
    except OSError as exc:
        raise CacheError(f"cannot write the cache {path}: {exc.strerror or exc}") from exc
