"""The one parser of HTTP `Retry-After` (RFC 9110, section 10.2.3), for every client here.

A server's header is a stranger's text: it may be delay-seconds (`120`), an HTTP
date, or anything else (`²`, which str.isdigit() accepts and float() refuses,
`inf`, `-5`, a thousand digits). Anything unusable is None, never an exception,
and a usable value is always a finite number of seconds >= 0, at most HUGE.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

#: The longest wait this parser reports (about 31.7 years); callers cap it further.
HUGE = 1e9
_SECONDS = re.compile(r"[0-9]+", re.ASCII)
#: More digits than this is a wait beyond HUGE anyway (and int() of thousands of digits raises).
_MAX_DIGITS = 12


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait that `value` asks for, from `now` (aware); None when it is unusable.

    Delay-seconds must be ASCII digits only (no sign, no fraction, no Unicode
    digits); a date in the past means "now" (0.0).
    """
    if value is None:
        return None
    text = value.strip(" \t")
    if not text:
        return None
    if _SECONDS.fullmatch(text):
        if len(text.lstrip("0")) > _MAX_DIGITS:
            return HUGE
        return min(float(int(text)), HUGE)
    return _http_date(text, now)


def _http_date(text: str, now: dt.datetime) -> float | None:
    if not text.isascii() or len(text) > 64:
        return None
    try:
        when = email.utils.parsedate_to_datetime(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - now).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, seconds), HUGE)
