"""Politeness per host, and the work waiting for it.

One lock guards it all: the requests in flight to each host, and the queue of
work waiting for a slot (URLs not started yet, and the next requests of checks
under way), so a worker only picks work whose host has room, and a slot freed
anywhere wakes an idle worker.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import Counter, deque
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results import Result


class HostLimits:
    """At most `per_host` requests in flight to a host and `concurrency` overall; fewer, and
    paused, after a host answers 429.

    The reduced limit after a 429 counts only requests younger than `slow_after`
    seconds: one that hangs keeps its own slot (so `per_host` always holds) but
    does not hold up the host's other URLs for its whole timeout.
    """

    def __init__(self, per_host: int, concurrency: int = 1 << 30, slow_after: float = 1.0) -> None:
        #: Idle workers wait here for work; a freed slot wakes one of them, not all.
        self.cond = threading.Condition(threading.Lock())
        self._per_host = per_host
        self._concurrency = concurrency
        self._slow_after = slow_after
        #: Start times (time.monotonic) of the requests in flight, by host.
        self._started: dict[str, list[float]] = {}
        self._total = 0
        self._limit: dict[str, int] = {}
        self._resume_at: dict[str, float] = {}
        self._no_head: set[str] = set()
        #: The most requests ever in flight at once to each host (for reports and benchmarks).
        self.peak: Counter[str] = Counter()

    def has_room(self, host: str, now: float) -> bool:
        """Whether a request to `host` may start now; the caller holds `cond`."""
        started = self._started.get(host, ())
        if len(started) >= self._per_host or self._total >= self._concurrency:
            return False
        if now < self._resume_at.get(host, 0.0):
            return False
        limit = self._limit.get(host, self._per_host)
        if limit >= self._per_host:
            return True
        recent = sum(1 for t in started if now - t < self._slow_after)
        return recent < limit

    def occupy(self, host: str) -> float:
        """Take a slot the caller saw free (holding `cond`); returns the slot's token."""
        token = time.monotonic()
        started = self._started.setdefault(host, [])
        started.append(token)
        self._total += 1
        self.peak[host] = max(self.peak[host], len(started))
        return token

    def wake_time(self, now: float) -> float | None:
        """Seconds until a paused host resumes or a request turns slow (caller holds `cond`)."""
        later = [t - now for t in self._resume_at.values() if t > now]
        for host, limit in self._limit.items():
            if limit < self._per_host:
                turns = (t + self._slow_after - now for t in self._started.get(host, ()))
                later.extend(w for w in turns if w > 0)
        return min(later) if later else None

    def wait(self, deadline: float, until: float | None = None) -> bool:
        """Sleep until a slot may have freed, a host resumes, `until` or `deadline` (all
        time.monotonic); False once past `deadline`. The caller holds `cond`."""
        now = time.monotonic()
        if now >= deadline:
            return False
        timeout = deadline - now
        for wake in (self.wake_time(now), None if until is None else until - now):
            if wake is not None:
                timeout = min(timeout, wake)
        if timeout > 0:
            self.cond.wait(timeout)
        return True

    def release(self, host: str, token: float) -> None:
        """Free a slot (the token `occupy` gave) and wake one idle worker."""
        with self.cond:
            self._started[host].remove(token)
            self._total -= 1
            self.cond.notify()

    def slow_down(self, host: str, pause: float) -> None:
        """The host said 429: halve its limit for the rest of the run and pause it.

        Answers to requests that were already in flight when the host started
        refusing (it is paused then) count as one: they are the same burst.
        """
        with self.cond:
            now = time.monotonic()
            resume_at = self._resume_at.get(host, 0.0)
            if now >= resume_at:
                self._limit[host] = max(1, self._limit.get(host, self._per_host) // 2)
            self._resume_at[host] = max(resume_at, now + pause)

    def head_unsupported(self, host: str) -> bool:
        with self.cond:
            return host in self._no_head

    def mark_head_unsupported(self, host: str) -> None:
        """The host answered HEAD with 405/501: use GET straight away for its other URLs."""
        with self.cond:
            self._no_head.add(host)


@dataclass(frozen=True)
class Need:
    """What a check under way asks for before its next request: a slot of `host`, not before
    `not_before` (time.monotonic). A `retry` goes before any URL not started yet; any other
    next request (GET after HEAD, a redirect hop) after them."""

    host: str
    not_before: float
    retry: bool


#: A check under way: it yields what its next request needs, is sent that request's slot
#: token, and returns the URL's result.
Step = Generator[Need, float, "Result"]


@dataclass(frozen=True)
class Job:
    """Work for a worker, with a slot of `host` already occupied (`token`): the URL at `index`
    to start (`step` None) or a check under way to resume."""

    index: int
    host: str
    token: float
    step: Step | None


class Pending:
    """The work waiting for a slot, in the order that ends a run soonest.

    1. Retries whose time has come: their URL has already waited out one answer,
       and a retry after a timeout may take a whole timeout again.
    2. URLs not started yet, the host with the most of them first whenever it has
       room (longest queue first, not round-robin: a run ends when its busiest host
       is done, so free slots go where the most work is left, as in
       longest-processing-time scheduling).
    3. The other next requests of checks under way: a GET after a HEAD, a
       redirect hop. They follow an answer from a server that answers, so they
       are likely quick, while a URL not started yet may be one that never
       answers: sending every URL's first request first starts the slow ones
       soonest.

    A check waiting here holds no worker and no slot (a worker hands its Step
    back with `park`), so the workers never outnumber the overall limit.
    """

    def __init__(self, items: Iterable[tuple[int, str]], limits: HostLimits) -> None:
        self._limits = limits
        self._by_host: dict[str, deque[int]] = {}
        for index, host in items:
            self._by_host.setdefault(host, deque()).append(index)
        #: Hosts by the number of URLs they have waiting (an insertion-ordered set per count).
        self._by_count: dict[int, dict[str, None]] = {}
        for host, queue in self._by_host.items():
            self._by_count.setdefault(len(queue), {})[host] = None
        #: Retries by host, soonest first: (not_before, sequence, index, step).
        self._retries: dict[str, list[tuple[float, int, int, Step]]] = {}
        #: Other next requests by host, first come first served.
        self._later: dict[str, deque[tuple[int, Step]]] = {}
        self._sequence = itertools.count()
        #: Checks started and not finished (running in a worker or parked here).
        self._active = 0
        self._closed = False

    def take(self, deadline: float) -> Job | None:
        """The next job, with a slot of its host occupied; None when every check is done.

        Returns None too once `deadline` passes, leaving the rest unfinished.
        """
        limits = self._limits
        with limits.cond:
            while self._by_count or self._active:
                job = self._next(time.monotonic())
                if job is not None:
                    return job
                if not limits.wait(deadline, self._next_retry_time(time.monotonic())):
                    return None
            return None

    def park(self, index: int, step: Step, need: Need) -> None:
        """Keep a check under way until its next request can have a slot."""
        with self._limits.cond:
            if self._closed:
                return
            if need.retry:
                entry = (need.not_before, next(self._sequence), index, step)
                heapq.heappush(self._retries.setdefault(need.host, []), entry)
            else:
                self._later.setdefault(need.host, deque()).append((index, step))
            self._limits.cond.notify()  # an idle worker may take it (or what it displaced)

    def finish(self) -> None:
        """A check has its result; the last one lets every idle worker go."""
        with self._limits.cond:
            if self._closed:
                return
            self._active -= 1
            if not self._active and not self._by_count:
                self._limits.cond.notify_all()

    def close(self) -> None:
        """Hand out nothing more (the run is over, finished or not)."""
        with self._limits.cond:
            self._by_count.clear()
            self._retries.clear()
            self._later.clear()
            self._active = 0
            self._closed = True
            self._limits.cond.notify_all()

    def _next(self, now: float) -> Job | None:
        limits = self._limits
        for host, retries in self._retries.items():
            if retries[0][0] <= now and limits.has_room(host, now):
                _, _, index, step = heapq.heappop(retries)
                if not retries:
                    del self._retries[host]
                return Job(index, host, limits.occupy(host), step)
        new = self._first_new_with_room(now)
        if new is not None:
            self._active += 1
            return Job(self._pop(new), new, limits.occupy(new), None)
        for host, later in self._later.items():
            if limits.has_room(host, now):
                index, step = later.popleft()
                if not later:
                    del self._later[host]
                return Job(index, host, limits.occupy(host), step)
        return None

    def _next_retry_time(self, now: float) -> float | None:
        """When the next retry not due yet comes due (one already due waits for a slot, and a
        slot freed wakes the workers anyway)."""
        due = (retries[0][0] for retries in self._retries.values())
        return min((t for t in due if t > now), default=None)

    def _first_new_with_room(self, now: float) -> str | None:
        for count in sorted(self._by_count, reverse=True):
            for host in self._by_count[count]:
                if self._limits.has_room(host, now):
                    return host
        return None

    def _pop(self, host: str) -> int:
        queue = self._by_host[host]
        count = len(queue)
        del self._by_count[count][host]
        if not self._by_count[count]:
            del self._by_count[count]
        if count > 1:
            self._by_count.setdefault(count - 1, {})[host] = None
        return queue.popleft()
