"""Turning what a server did into one class per URL, without crying wolf.

Bot walls (a challenge page, LinkedIn's 999) and rate limits say nothing about
whether a page exists, so they are `blocked` warnings, not `broken` errors.
"""

from __future__ import annotations

import http
import http.client
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import urllib3.exceptions

from .guard import RefusedAddress, ResolveFailed
from .results import Status

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})

#: Statuses a bot wall answers with, whose body is worth a look.
WALL_STATUSES = frozenset({403, 429, 503})

#: Bot walls recognised by a response header: (header, value it contains or "" for any, name).
_WALL_HEADERS = (
    ("cf-mitigated", "challenge", "Cloudflare challenge"),
    ("x-amzn-waf-action", "", "AWS WAF challenge"),
    ("x-datadome", "", "DataDome bot protection"),
    ("x-iinfo", "", "Imperva bot protection"),
    ("x-sucuri-id", "", "Sucuri firewall"),
)
#: Bot walls recognised by the start of the page: (marker, name), matched in lower case.
_WALL_MARKERS = (
    ("challenge-platform", "Cloudflare challenge"),
    ("cf-chl", "Cloudflare challenge"),
    ("<title>just a moment", "Cloudflare challenge"),
    ("<title>attention required! | cloudflare", "Cloudflare block page"),
    ("incapsula incident", "Imperva bot protection"),
    ("px-captcha", "PerimeterX bot protection"),
    ("captcha", "a CAPTCHA page"),
)


def bot_wall(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Name of the bot wall that answered, or None when this looks like the site itself."""
    if status == 999:
        return "bot wall (HTTP 999, as LinkedIn answers robots)"
    if status not in WALL_STATUSES:
        return None
    for header, needle, name in _WALL_HEADERS:
        value = headers.get(header)
        if value is not None and needle in value.lower():
            return name
    server = headers.get("server", "").lower()
    text = body.decode("latin-1").lower()
    if server.startswith("akamaighost") and "access denied" in text:
        return "Akamai bot protection"
    return next((name for marker, name in _WALL_MARKERS if marker in text), None)


def is_success(status: int) -> bool:
    """Only a 2xx answer shows the page: 1xx is interim, and 3xx other than REDIRECTS
    (300, 304, 305 Use Proxy, ...) is nothing a browser would display or follow."""
    return 200 <= status < 300


def phrase(status: int) -> str:
    """`HTTP 404 Not Found`: the standard phrase, never the server's own text."""
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


@dataclass(frozen=True)
class Hop:
    """One redirect followed: its status and where it led."""

    status: int
    to: str


def moved_to(hops: list[Hop]) -> str | None:
    """Where the entry should now point: the end of the leading permanent redirects.

    A temporary redirect after them is the site's business (a login, a
    'latest' page), so it stops the suggestion there.
    """
    target = None
    for hop in hops:
        if hop.status not in PERMANENT:
            break
        target = hop.to
    return target


def final(status: int, wall: str | None, hops: list[Hop]) -> tuple[Status, str]:
    """Class and detail for the last response of a URL's redirect chain."""
    after = f" after {len(hops)} redirect(s)" if hops else ""
    if is_success(status):
        target = moved_to(hops)
        if target is not None:
            code = next(h.status for h in hops)
            return "redirected", f"moved permanently ({code}) to {target}; update the entry"
        return "ok", phrase(status) + after
    if status < 200:
        return "error", f"{phrase(status)}{after}: an interim answer where a final one belongs"
    if status < 400:
        why = "browsers do not follow it" if status == 305 else "not a redirect browsers follow"
        return "broken", f"{phrase(status)}{after}: {why}"
    if wall is not None:
        return "blocked", f"{phrase(status)}: {wall}{after}; not proof the page is gone"
    if status == 429:
        return "blocked", f"{phrase(status)}: rate limited{after}; not proof the page is gone"
    return "broken", phrase(status) + after


class BadAnswer(Exception):
    """A server's answer no client can use (a Location that is not UTF-8 or not a URL)."""


Failure = Literal[
    "timeout", "reset", "refused", "dns", "dns_busy", "tls", "address", "invalid", "other"
]

#: Failures worth another attempt (the others will not change in a few seconds).
RETRYABLE: frozenset[Failure] = frozenset({"timeout", "reset", "dns_busy"})


def failure(exc: BaseException) -> tuple[Failure, str]:
    """What kind of failure an exception from a request is, and a short description."""
    if isinstance(exc, RefusedAddress):
        return "address", f"refused: {exc}"
    if isinstance(exc, BadAnswer):
        return "invalid", f"unusable answer: {exc}"
    if isinstance(exc, ResolveFailed):
        return ("dns_busy" if exc.temporary else "dns"), f"DNS: {exc}"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "tls", f"TLS: {_root_message(exc)}"
    if isinstance(exc, urllib3.exceptions.LocationValueError):
        return "invalid", f"invalid URL: {exc}"
    causes = list(_chain(exc))
    for cause in causes:  # the operating system's own reason first: it is the most precise
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return "tls", f"TLS: {cause}"
        if isinstance(cause, ConnectionRefusedError):
            return "refused", "connection refused"
        if isinstance(cause, TimeoutError):
            return "timeout", "timed out"
        if isinstance(cause, _RESETS):
            return "reset", "connection reset by the server"
    for cause in causes:
        # urllib3 files a refused connection under its timeouts, so that one is excluded.
        if isinstance(cause, urllib3.exceptions.TimeoutError) and not isinstance(
            cause, urllib3.exceptions.NewConnectionError
        ):
            return "timeout", "timed out"
        if isinstance(cause, urllib3.exceptions.ProtocolError):
            return "reset", "connection reset by the server"
    return "other", f"request failed: {_root_message(exc)}"


_RESETS = (
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
    http.client.RemoteDisconnected,
    http.client.IncompleteRead,
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (urllib3's wrap the OS's)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [getattr(current, "reason", None), current.__cause__, current.__context__]
        wrapped += list(current.args)
        todo += [w for w in wrapped if isinstance(w, BaseException)]


def _root_message(exc: BaseException) -> str:
    *_, last = _chain(exc)
    return str(last) or type(last).__name__


def failure_status(kind: Failure) -> Status:
    return "timeout" if kind == "timeout" else "error"
