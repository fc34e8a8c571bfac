"""What the link checker knows about URLs: where each is used, and what checking it found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "redirected", "broken", "blocked", "timeout", "error"]


@dataclass(frozen=True)
class StatusRow:
    """What a class means everywhere: whether it fails the run, whether the cache may reuse
    it, where the report lists it, and how it is described."""

    failing: bool
    #: A later run may reuse the result for --max-age instead of asking again.
    reusable: bool
    #: Position among the problems a report lists (failures first); None: not a problem.
    problem_rank: int | None
    label: str


#: THE table of classes, in the order summaries count them. Every other module reads it.
STATUS_TABLE: dict[Status, StatusRow] = {
    "ok": StatusRow(False, True, None, "the page answered 2xx"),
    "redirected": StatusRow(False, True, 4, "moved permanently: update the entry"),
    "broken": StatusRow(True, False, 2, "the page is gone or the server fails"),
    "blocked": StatusRow(False, True, 3, "a bot wall or rate limit: not proof of anything"),
    "timeout": StatusRow(True, False, 1, "no answer in time"),
    "error": StatusRow(True, False, 0, "DNS, TLS, connection, redirect or address problem"),
}

#: Every class, in the order summaries count them.
STATUSES: tuple[Status, ...] = tuple(STATUS_TABLE)

#: Classes that fail a run; `redirected` and `blocked` are warnings, since neither
#: proves the link is broken.
FAILING: frozenset[Status] = frozenset(s for s, row in STATUS_TABLE.items() if row.failing)

#: Results worth reusing from the cache: the link worked (or a bot wall said nothing new).
REUSABLE: frozenset[Status] = frozenset(s for s, row in STATUS_TABLE.items() if row.reusable)


@dataclass(frozen=True)
class Source:
    """One place that uses a URL: a catalog file (or a URL list), its line and field."""

    file: str
    line: int
    field: str


@dataclass(frozen=True)
class Target:
    """A URL to check, once, however many places use it."""

    url: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Result:
    """The verdict on one URL.

    `attempts` counts the HTTP requests sent for it (HEAD, GET fallback,
    retries, redirect hops), 0 when the verdict came from the cache.
    `final_url` is where the redirects ended, or for `redirected` the address
    the entry should be updated to.
    """

    url: str
    status: Status
    http_status: int | None
    final_url: str | None
    attempts: int
    elapsed_ms: int
    detail: str
    #: Wall-clock time (seconds since the epoch) of the check, for the cache.
    checked_at: float
    from_cache: bool = False

    @property
    def failing(self) -> bool:
        return self.status in FAILING
