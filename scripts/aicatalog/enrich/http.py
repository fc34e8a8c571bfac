"""One polite HTTP client for both APIs: tokens, rate limits, back-off, and safe messages.

GitHub and the Hub both signal limits the same ways: `x-ratelimit-remaining`
and `x-ratelimit-reset` for the primary budget, 403/429 with `retry-after` for
secondary limits. When the budget is spent the client stops the run (the
caller saves what it has) instead of sleeping for an hour. Tokens live only in
the session's headers: no message, exception or repr here ever contains one.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from .deadline import DeadlineAdapter, deadline

USER_AGENT = "aicatalog-enrich (+https://github.com/open-source-ai-catalog)"
_LOOPBACK_NAMES = ("localhost",)


class Stop(Exception):
    """The run must end now; what was collected so far is kept. The message is safe to print."""


class BudgetSpent(Stop):
    """The primary rate-limit budget is used up until `reset`."""

    def __init__(self, api: str, reset: dt.datetime | None) -> None:
        self.reset = reset
        when = f"; it resets at {reset:%Y-%m-%d %H:%M} UTC" if reset else ""
        super().__init__(f"{api} rate-limit budget is spent{when}")


class Unreachable(Stop):
    """The API could not be reached at all (no network, refused, DNS)."""


class Oversized(Stop):
    """One answer was larger than the client will hold in memory."""


@dataclass(frozen=True)
class Policy:
    """How patient a client is. Defaults follow GitHub's guidance for integrators."""

    timeout: float = 60.0
    #: Seconds one request may take in all, however slowly the server drips its bytes.
    deadline: float = 120.0
    #: Largest answer read into memory (a GraphQL batch of 100 repositories is ~100 KB).
    max_bytes: int = 16 * 1024 * 1024
    #: Tries per request across limits and transient faults.
    attempts: int = 5
    #: First wait after a secondary limit that names no retry-after (GitHub: at least a minute).
    backoff: float = 60.0
    #: First wait after a dropped connection or a 500/503.
    transient: float = 2.0
    #: Tries when the host cannot be reached at all (no network fails fast).
    connect_attempts: int = 2
    #: A longer wait than this ends the run (everything collected is saved) instead of sleeping.
    max_wait: float = 900.0


def api_url_problem(url: str) -> str | None:
    """Why a token must not be sent to `url`: https only, or plain http to this machine (tests)."""
    parts = urlsplit(url)
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return "is not a valid URL"
    if parts.username is not None or parts.password is not None:
        return "must not contain credentials; tokens come from the environment"
    if not host:
        return "has no host"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host in _LOOPBACK_NAMES
        if loopback:
            return None
        return "must use https (plain http is allowed only to 127.0.0.1 for tests)"
    return "must be an https URL"


def redact(text: str, secrets: tuple[str | None, ...]) -> str:
    """`text` with every secret replaced by ***: the last guard before anything is shown."""
    for secret in secrets:
        if secret and len(secret) >= 8:  # shorter "tokens" are test stand-ins, not secrets
            text = text.replace(secret, "***")
    return text


def _int_header(response: requests.Response, name: str) -> int | None:
    """A header as a whole number; None when absent, not a number, infinite or NaN."""
    try:
        return int(float(response.headers[name][:40]))
    except (KeyError, ValueError, OverflowError):
        return None


def _reset_time(response: requests.Response) -> dt.datetime | None:
    """When the budget resets; None for an epoch before 1970 or past the year 9999."""
    epoch = _int_header(response, "x-ratelimit-reset")
    if epoch is None or epoch < 0:
        return None
    try:
        return dt.datetime.fromtimestamp(epoch, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def decode_json(response: requests.Response) -> Any:
    """The answer's JSON; ValueError for anything else (including nesting too deep to parse)."""
    try:
        return response.json()
    except RecursionError:
        raise ValueError("JSON nesting is too deep") from None


def _read_capped(response: requests.Response, limit: int, name: str) -> None:
    """Read a streamed answer into memory, refusing one over `limit` bytes."""
    declared = response.headers.get("content-length", "")
    too_big = Oversized(f"{name} sent an answer over {limit // (1024 * 1024)} MB; it was refused")
    if declared.isdigit() and int(declared) > limit:
        response.close()
        raise too_big
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > limit:
            response.close()
            raise too_big
        chunks.append(chunk)
    response._content = b"".join(chunks)  # what .json() and .text then read


class _TransportError(Exception):
    """No (complete) answer: refused, reset, timed out, past the deadline."""


class ApiClient:
    """Requests to one API base URL, with its token, counting every request it makes."""

    def __init__(self, name: str, base_url: str, token: str | None, policy: Policy) -> None:
        problem = api_url_problem(base_url)
        if problem:
            raise ValueError(f"{name} API URL {problem}")
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.requests = 0
        self._count_lock = threading.Lock()
        self._spent: BudgetSpent | None = None
        self._session = requests.Session()
        adapter = DeadlineAdapter()
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.headers["User-Agent"] = USER_AGENT
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:
        return f"ApiClient({self.name!r}, {self.base_url!r})"

    def close(self) -> None:
        self._session.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        passthrough: tuple[int, ...] = (),
    ) -> requests.Response:
        """The API's answer, after waiting out limits and retrying transient faults.

        Statuses in `passthrough` are returned at once for the caller to handle
        (GitHub's 502/504 on a large batch means: ask for less). Raises Stop
        subclasses when the run cannot go on.
        """
        if self._spent is not None:
            raise self._spent
        url = self.base_url + path
        last, unreachable, wait = f"{self.name} did not answer", False, 0.0
        for attempt in range(self.policy.attempts):
            if attempt:
                self._sleep(wait, last)
            try:
                response = self._request(method, url, json)
            except _TransportError as exc:
                last = str(exc)
                wait, unreachable = self.policy.transient * 2**attempt, True
                if attempt + 1 >= self.policy.connect_attempts:
                    break
                continue
            with self._count_lock:
                self.requests += 1
            unreachable = False
            status = response.status_code
            remaining = _int_header(response, "x-ratelimit-remaining")
            if status in (403, 429) and self._is_limit(response, remaining):
                wait = self._limit_wait(response, remaining, attempt)
                last = f"{self.name} kept answering {status} (rate limited)"
                continue
            if status in passthrough:
                return response
            if status in (500, 502, 503, 504):
                wait = self.policy.transient * 2**attempt
                last = f"{self.name} kept answering {status}"
                continue
            if remaining == 0:
                # This answer is good, but the next request would be refused.
                self._spent = BudgetSpent(self.name, _reset_time(response))
            return response
        if unreachable:
            raise Unreachable(last)
        raise Stop(f"{last} after {self.policy.attempts} attempts")

    def _request(self, method: str, url: str, body: Any) -> requests.Response:
        """One request, read whole within the policy's deadline and size limit."""
        with deadline(self.policy.deadline) as watch:
            try:
                response = self._session.request(
                    method, url, json=body, timeout=self.policy.timeout, stream=True
                )
                _read_capped(response, self.policy.max_bytes, self.name)
            except requests.RequestException as exc:
                why: str | None = type(exc).__name__
            else:
                why = None
        # A socket shut at the deadline may look like a short but complete answer.
        if watch.expired:
            why = f"no complete answer within {self.policy.deadline:g} s"
        if why is not None:
            raise _TransportError(f"cannot reach {self.name} at {self.base_url} ({why})")
        return response

    def _is_limit(self, response: requests.Response, remaining: int | None) -> bool:
        """A 403 is a rate limit only with limit headers; otherwise it is a plain refusal."""
        return (
            response.status_code == 429
            or remaining == 0
            or "retry-after" in response.headers
            or "rate limit" in response.text[:2000].lower()
        )

    def _limit_wait(
        self, response: requests.Response, remaining: int | None, attempt: int
    ) -> float:
        """Seconds to wait before retrying; raises BudgetSpent for the primary limit."""
        retry_after = _int_header(response, "retry-after")
        if retry_after is not None:
            return float(max(retry_after, 0))
        if remaining == 0:
            self._spent = BudgetSpent(self.name, _reset_time(response))
            raise self._spent
        return float(self.policy.backoff * 2**attempt)

    def _sleep(self, seconds: float, why: str) -> None:
        if seconds > self.policy.max_wait:
            raise Stop(f"{why}: asked to wait {seconds:.0f} s, more than this run will wait")
        time.sleep(seconds)
