"""Politeness per host: how many requests may be in flight to each, and when it may be asked again.

One lock guards it all, shared with the queue of URLs waiting to be checked,
so a worker only picks a URL whose host has room, and a slot freed anywhere
wakes whoever can use it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class HostLimits:
    """At most `per_host` requests in flight to a host and `concurrency` overall; fewer, and
    paused, after a host answers 429.

    The reduced limit after a 429 counts only requests younger than `slow_after`
    seconds: one that hangs keeps its own slot (so `per_host` always holds) but
    does not hold up the host's other URLs for its whole timeout.
    """

    def __init__(self, per_host: int, concurrency: int = 1 << 30, slow_after: float = 1.0) -> None:
        self._lock = threading.Lock()
        #: Idle workers wait here for a new URL; a freed slot wakes one of them, not all.
        self.cond = threading.Condition(self._lock)
        #: Checks under way wait here for a slot of their host (a retry, a redirect hop).
        self._host_cond: dict[str, threading.Condition] = {}
        self._per_host = per_host
        self._concurrency = concurrency
        self._slow_after = slow_after
        #: Start times (time.monotonic) of the requests in flight, by host.
        self._started: dict[str, list[float]] = {}
        self._total = 0
        self._limit: dict[str, int] = {}
        self._resume_at: dict[str, float] = {}
        self._no_head: set[str] = set()
        #: Requests of checks already under way that wait for a slot: they go before new URLs.
        self._waiting: Counter[str] = Counter()
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

    def has_room_for_new(self, host: str, now: float) -> bool:
        """Whether a new URL of `host` may start: there is room and no check under way waits."""
        return self._waiting[host] == 0 and self.has_room(host, now)

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

    def wait(self, deadline: float, cond: threading.Condition | None = None) -> bool:
        """Sleep until a slot may have freed, a host resumes or `deadline`; False once past it."""
        now = time.monotonic()
        if now >= deadline:
            return False
        wake = self.wake_time(now)
        (cond or self.cond).wait(min(deadline - now, wake) if wake is not None else deadline - now)
        return True

    @contextmanager
    def slot(self, host: str, deadline: float, reserved: float | None = None) -> Iterator[bool]:
        """Hold a slot of `host` for one request; yields False when `deadline` came first.

        `reserved` is the token of a slot the caller already occupies (handed out with its URL).
        """
        token = reserved if reserved is not None else self._acquire(host, deadline)
        if token is None:
            yield False
            return
        try:
            yield True
        finally:
            self.release(host, token)

    def _acquire(self, host: str, deadline: float) -> float | None:
        with self._lock:
            cond = self._host_cond.setdefault(host, threading.Condition(self._lock))
            self._waiting[host] += 1
            try:
                while not self.has_room(host, time.monotonic()):
                    if not self.wait(deadline, cond):
                        return None
            finally:
                self._waiting[host] -= 1
                if not self._waiting[host]:
                    self.cond.notify()  # new URLs of the host may go again
            return self.occupy(host)

    def release(self, host: str, token: float) -> None:
        """Free a slot: wake the checks under way that wait (few), and one idle worker."""
        with self._lock:
            self._started[host].remove(token)
            self._total -= 1
            for waiting, count in self._waiting.items():
                if count:  # any host's: the slot freed may be the overall limit's
                    self._host_cond[waiting].notify_all()
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


class Pending:
    """URLs waiting for a worker, grouped by host; the host with the most URLs still waiting
    goes first whenever it has room.

    Longest queue first, not round-robin: a run ends when its busiest host is done,
    so free slots go where the most work is left, and the hosts finish together
    instead of one long queue trailing behind (as in longest-processing-time
    scheduling). A URL that never answers then starts sooner, too.
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

    def take(self, deadline: float) -> tuple[int, str, float] | None:
        """The next (index, host, slot token), with a slot of the host already occupied;
        None when done.

        Returns None too once `deadline` passes, leaving the rest unchecked.
        """
        limits = self._limits
        with limits.cond:
            while self._by_count:
                host = self._first_with_room(time.monotonic())
                if host is not None:
                    return self._pop(host), host, limits.occupy(host)
                if not limits.wait(deadline):
                    return None
            return None

    def _first_with_room(self, now: float) -> str | None:
        for count in sorted(self._by_count, reverse=True):
            for host in self._by_count[count]:
                if self._limits.has_room_for_new(host, now):
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

    def close(self) -> None:
        """Hand out nothing more (the run is over, finished or not)."""
        with self._limits.cond:
            self._by_count.clear()
            self._limits.cond.notify_all()
