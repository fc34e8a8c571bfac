"""The HTTP engine: check many URLs at once, politely, within a bound known in advance.

Each URL's check is a generator (a `Step`): HEAD first, GET when HEAD fails in
any way, retries with backoff for timeouts, resets, 429 and 5xx, and redirects
followed by hand so every hop goes through the address guard and the host
limits. Before each request it yields what it needs (a slot of a host, not
before some time) and waits in `hosts.Pending` without holding a thread, so a
retry's backoff or a redirect to a busy host never keeps a worker idle.
"""

from __future__ import annotations

import datetime as dt
import math
import queue
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urldefrag, urljoin, urlsplit

import urllib3

from .. import __version__
from ..retryafter import parse_retry_after
from ..urls import IPNetwork, ambiguous_host
from . import classify
from .classify import BadAnswer, Hop
from .guard import AddressPolicy, GetAddrInfo, RefusedAddress, ResolveFailed, Resolver
from .hosts import HostLimits, Job, Need, Pending, Step
from .results import Result, Status
from .retry import backoff
from .transport import PinnedPools, Watchdog

USER_AGENT = f"aicatalog-links/{__version__} (Open Source AI Catalog link checker)"
#: Most of a page read to recognise a bot wall; a large file is never downloaded.
BODY_PEEK = 32 * 1024
_SCHEMES = ("http", "https")
_LENGTH = re.compile(r"[0-9]{1,9}", re.ASCII)
_jitter = random.SystemRandom().random


@dataclass(frozen=True)
class Settings:
    """How hard and how fast to check; the defaults are the command's."""

    concurrency: int = 32
    per_host: int = 4
    timeout: float = 15.0
    retries: int = 2
    #: Longest wait before a retry: caps Retry-After and the exponential backoff.
    max_wait: float = 60.0
    backoff_base: float = 0.5
    max_redirects: int = 10
    #: A request in flight this long no longer counts against a host's limit reduced by 429.
    slow_after: float = 1.0
    #: Non-public networks the checker may still connect to (local testing).
    allowed: tuple[IPNetwork, ...] = ()

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def url_budget(self) -> float:
        """Longest one URL may take: every attempt timing out, and the longest wait between."""
        return self.attempts * self.timeout + self.retries * self.max_wait

    def run_budget(self, per_host_counts: Counter[str]) -> float:
        """Upper bound of a whole run, enforced: URLs still unchecked then are reported `timeout`.

        Each URL takes at most `url_budget`; the busiest host, or the overall
        concurrency, decides how many such rounds a run needs; one more round
        leaves room for redirects to other hosts and hosts slowed by 429.
        """
        if not per_host_counts:
            return 0.0
        total = sum(per_host_counts.values())
        rounds = max(
            math.ceil(total / self.concurrency),
            max(math.ceil(n / self.per_host) for n in per_host_counts.values()),
        )
        return (rounds + 1) * self.url_budget()


def host_of(url: str) -> str:
    """The host a URL's requests count against (lower case; '' when there is none)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


@dataclass
class _Answer:
    status: int
    location: str | None
    wall: str | None
    wait: float | None


@dataclass
class _Failed:
    kind: classify.Failure
    detail: str


@dataclass
class _Visit:
    """The state of one URL's check."""

    deadline: float
    requests: int = 0
    hops: list[Hop] = field(default_factory=list)


_T = TypeVar("_T")
#: Part of a check: yields what each request needs, is sent its slot, returns a _T.
_Part = Generator[Need, float, _T]


class Checker:
    """Makes the checks of URLs (Steps); one Checker serves every worker of a run."""

    def __init__(
        self, settings: Settings, resolver: Resolver, limits: HostLimits, watchdog: Watchdog
    ) -> None:
        self.settings = settings
        self.limits = limits
        self._watchdog = watchdog
        self._pools = PinnedPools(resolver, watchdog, pool_size=settings.concurrency)

    def close(self) -> None:
        self._pools.close()

    def check(self, url: str) -> Step:
        """The check of `url`, as a Step: `_run` drives it, one request per job.

        Whatever happens inside (a server's answer no parser expected, a bug), the
        outcome is a result for this URL: one URL never ends the run.
        """
        started = time.monotonic()
        visit = _Visit(deadline=started + self.settings.url_budget())
        try:
            status, code, final_url, detail = yield from self._follow(visit, url)
        except Exception as exc:  # contained: reported as this URL's error
            status, code, final_url = "error", None, None
            detail = f"internal error while checking: {type(exc).__name__}: {exc}"
        return Result(
            url=url,
            status=status,
            http_status=code,
            final_url=final_url,
            attempts=visit.requests,
            elapsed_ms=round((time.monotonic() - started) * 1000),
            detail=detail,
            checked_at=time.time(),
        )

    def _follow(self, visit: _Visit, url: str) -> _Part[tuple[Status, int | None, str | None, str]]:
        """Follow redirects from `url`: (class, last HTTP status, final URL, detail)."""
        current = url
        seen: Counter[str] = Counter()
        while True:
            final_url = current if visit.hops else None
            problem = _scheme_problem(current)
            if problem:
                return "error", None, final_url, problem
            key = urldefrag(current).url
            seen[key] += 1
            if seen[key] > 2:  # once more is allowed: sites set a cookie and redirect back
                return "error", None, final_url, f"redirect loop back to {current}"
            answer = yield from self._fetch(visit, current)
            if isinstance(answer, _Failed):
                where = f" at {current}" if visit.hops else ""
                return classify.failure_status(answer.kind), None, final_url, answer.detail + where
            if answer.status in classify.REDIRECTS:
                if answer.location is None:
                    detail = f"{classify.phrase(answer.status)} without a Location header"
                    return "broken", answer.status, final_url, detail
                if len(visit.hops) >= self.settings.max_redirects:
                    limit = self.settings.max_redirects
                    return "error", answer.status, final_url, f"more than {limit} redirects"
                try:
                    current = _next_url(current, answer.location)
                except BadAnswer as exc:
                    return "error", answer.status, final_url, str(exc)
                visit.hops.append(Hop(answer.status, current))
                continue
            status, detail = classify.final(answer.status, answer.wall, visit.hops)
            if status == "redirected":
                final_url = classify.moved_to(visit.hops)
            return status, answer.status, final_url, detail

    def _fetch(self, visit: _Visit, url: str) -> _Part[_Answer | _Failed]:
        """One hop: HEAD, falling back to GET, retried while it is worth it."""
        host = host_of(url)
        method = "GET" if self.limits.head_unsupported(host) else "HEAD"
        attempt = 1
        not_before = 0.0  # the first request, and a GET after a HEAD, go when there is room
        while True:
            sent_at = time.monotonic()
            outcome = yield from self._send(visit, method, url, host, not_before, attempt > 1)
            if isinstance(outcome, _Failed):
                if outcome.kind == "reset" and method == "HEAD":
                    method = "GET"  # some servers drop HEAD; that says nothing about the page
                    continue
                if outcome.kind not in classify.RETRYABLE:
                    return outcome
                method = "GET"
                # Backoff spaces the starts of attempts: time spent timing out counts.
                wait = max(0.0, self._backoff(attempt) - (time.monotonic() - sent_at))
            elif classify.is_success(outcome.status) or outcome.status in classify.REDIRECTS:
                return outcome
            elif outcome.status == 429:
                wait = min(outcome.wait or self._backoff(attempt), self.settings.max_wait)
                self.limits.slow_down(host, wait)  # the retry's slot waits out the pause
            elif method == "HEAD" and outcome.wall is None:  # a wall would meet a GET too
                if outcome.status in (405, 501):
                    self.limits.mark_head_unsupported(host)
                method = "GET"
                continue
            elif outcome.wall is not None or outcome.status < 500:
                return outcome
            else:
                wait = min(outcome.wait or self._backoff(attempt), self.settings.max_wait)
            if attempt >= self.settings.attempts or time.monotonic() + wait >= visit.deadline:
                return outcome
            attempt += 1
            # After a 429 the host itself is paused for `wait`: the retry waits for its slot.
            retry_429 = isinstance(outcome, _Answer) and outcome.status == 429
            not_before = time.monotonic() + (0.0 if retry_429 else wait)

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        return backoff(attempt, s.backoff_base, s.max_wait, _jitter)

    def _send(
        self, visit: _Visit, method: str, url: str, host: str, not_before: float, retry: bool
    ) -> _Part[_Answer | _Failed]:
        """One request, inside a host slot and under the watchdog."""
        asked = time.monotonic()
        token = yield Need(host, not_before, retry)
        if not retry:
            # Waiting behind the host's URLs not started yet is not this URL's slowness.
            visit.deadline += time.monotonic() - asked
        try:
            remaining = visit.deadline - time.monotonic()
            if remaining <= 0:
                return _Failed("timeout", "timed out: the URL's time budget ran out")
            timeout = min(self.settings.timeout, remaining)
            visit.requests += 1
            with self._watchdog.watch(time.monotonic() + timeout) as watch:
                try:
                    answer: _Answer | _Failed = self._request(method, url, timeout)
                except (
                    urllib3.exceptions.HTTPError,
                    OSError,
                    RefusedAddress,
                    ResolveFailed,
                    BadAnswer,
                ) as exc:
                    answer = _Failed(*classify.failure(exc))
        finally:
            self.limits.release(host, token)
        # A connection cut by the watchdog can look like a short but complete answer.
        return _Failed("timeout", "timed out") if watch.expired else answer

    def _request(self, method: str, url: str, timeout: float) -> _Answer:
        get = method == "GET"
        response = self._pools.request(method, url, _HEADERS, timeout)
        done = False
        try:
            body = b""
            if not get or _small(response):
                # Read to the end (a HEAD answer has no body), so the connection is kept for
                # the host's next request instead of being closed with the answer unread.
                body, done = _read_all(response)
            elif response.status in classify.WALL_STATUSES:  # a GET's large body
                body = _peek(response)
            headers = response.headers
            return _Answer(
                status=response.status,
                location=_location(response),
                wall=classify.bot_wall(response.status, headers, body),
                wait=parse_retry_after(headers.get("retry-after"), dt.datetime.now(dt.UTC)),
            )
        finally:
            if not done:
                response.close()  # never leave a connection with an unread body in the pool
            response.release_conn()


#: What every request sends (HTTP/1.1 keeps connections open by itself).
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate",
}


def _location(response: urllib3.BaseHTTPResponse) -> str | None:
    """The redirect target as sent; BadAnswer when its bytes are not UTF-8."""
    raw = response.headers.get("location")
    if raw is None or response.status not in classify.REDIRECTS:
        return None
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError as exc:
        shown = raw.encode("latin-1", "replace")
        raise BadAnswer(f"the Location header is not UTF-8 ({shown!r}: {exc})") from exc


def _small(response: urllib3.BaseHTTPResponse) -> bool:
    """Whether the body is declared to fit in one peek: read whole, the connection is kept for
    the host's next request instead of being closed with the body unread."""
    length = response.headers.get("content-length", "")
    return _LENGTH.fullmatch(length) is not None and int(length) <= BODY_PEEK


def _read_all(response: urllib3.BaseHTTPResponse) -> tuple[bytes, bool]:
    """The whole (small or empty) body, and whether it was read to its end."""
    try:
        return response.read(decode_content=True), True
    except (urllib3.exceptions.HTTPError, OSError):
        return b"", False


def _peek(response: urllib3.BaseHTTPResponse) -> bytes:
    """The start of the body (enough to recognise a challenge page), never more."""
    try:
        return response.read(BODY_PEEK, decode_content=True)
    except (urllib3.exceptions.HTTPError, OSError):
        return b""


def _scheme_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme not in _SCHEMES:
        return f"only http and https URLs are checked, not '{parts.scheme or url}'"
    if not parts.hostname:
        return "invalid URL: no host"
    return ambiguous_host(url)


def _next_url(current: str, location: str) -> str:
    """Absolute target of a redirect, keeping the fragment the entry asked for.

    BadAnswer when the Location is no URL at all (`http://[::1`, `http://[zz::1]/`).
    """
    try:
        target = urljoin(current, location)
        fragment = urldefrag(current).fragment
        if fragment and not urldefrag(target).fragment:
            target = f"{target}#{fragment}"
        urlsplit(target).port  # noqa: B018 - raises ValueError for a bad host or port
    except ValueError as exc:
        raise BadAnswer(f"redirect to an invalid URL {location!r} ({exc})") from exc
    return target


@dataclass(frozen=True)
class RunStats:
    """Measurements of a run, for reports and the benchmark."""

    requests: int
    peak_per_host: dict[str, int]
    bound_s: float


def check_urls(
    urls: Sequence[str],
    settings: Settings,
    on_result: Callable[[int, Result], None] | None = None,
    getaddrinfo: GetAddrInfo = socket.getaddrinfo,
) -> tuple[list[Result], RunStats]:
    """Check every URL (distinct, in any order); results come back in the same order.

    `on_result(index, result)` is called in this thread as each finishes.
    `getaddrinfo` is the name resolver (the system's, unless embedding needs another).
    """
    limits = HostLimits(settings.per_host, settings.concurrency, settings.slow_after)
    resolver = Resolver(AddressPolicy(settings.allowed), getaddrinfo)
    watchdog = Watchdog()
    checker = Checker(settings, resolver, limits, watchdog)
    hosts = [host_of(u) for u in urls]
    bound = settings.run_budget(Counter(hosts))
    deadline = time.monotonic() + bound
    pending = Pending(enumerate(hosts), limits)
    done: queue.Queue[tuple[int, BaseException | None]] = queue.Queue()
    results: list[Result | None] = [None] * len(urls)

    def work() -> None:
        while (job := pending.take(deadline)) is not None:
            try:
                result = _run(job, checker, urls, pending)
            except BaseException as exc:  # a bug: hand it to the main thread, loudly
                done.put((job.index, exc))
                return
            if result is not None:
                results[job.index] = result
                pending.finish()
                done.put((job.index, None))

    workers = [
        threading.Thread(target=work, name=f"linkcheck-{i}", daemon=True)
        # A check waiting for a slot or a retry holds no thread: one per request in flight.
        for i in range(min(settings.concurrency, len(urls)))
    ]
    for worker in workers:
        worker.start()
    try:
        for _ in urls:
            try:
                index, error = done.get(timeout=max(0.0, deadline - time.monotonic()) + 1.0)
            except queue.Empty:
                break
            if error is not None:
                raise error
            if on_result is not None:
                on_result(index, results[index])  # type: ignore[arg-type]
    finally:
        pending.close()
        if not any(w.is_alive() for w in workers):
            watchdog.stop()
            checker.close()
    final = [r or _unfinished(u, bound) for u, r in zip(urls, results, strict=True)]
    stats = RunStats(
        requests=sum(r.attempts for r in final),
        peak_per_host=dict(limits.peak),
        bound_s=bound,
    )
    return final, stats


def _run(job: Job, checker: Checker, urls: Sequence[str], pending: Pending) -> Result | None:
    """Send one request of `job` (in the slot it holds) and run its check up to what the next
    request needs; the check's result once it has one, else None (the check waits in
    `pending` for its next slot)."""
    step = job.step
    if step is None:  # a URL not started yet: its first request uses the job's slot
        step = checker.check(urls[job.index])
        try:
            first = next(step)
        except StopIteration as finished:  # no request to make (an invalid URL)
            checker.limits.release(job.host, job.token)
            result: Result = finished.value
            return result
        assert first.host == job.host, (first, job)  # both are host_of(url)
    try:
        need = step.send(job.token)
    except StopIteration as finished:
        result = finished.value
        return result
    pending.park(job.index, step, need)
    return None


def _unfinished(url: str, bound: float) -> Result:
    return Result(
        url=url,
        status="timeout",
        http_status=None,
        final_url=None,
        attempts=0,
        elapsed_ms=0,
        detail=f"not finished within the run's time limit ({bound:.0f} s)",
        checked_at=time.time(),
    )
