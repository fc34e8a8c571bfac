"""How long to wait before asking a host again: exponential backoff (Retry-After is parsed by
aicatalog.retryafter)."""

from __future__ import annotations

from collections.abc import Callable


def backoff(retry: int, base: float, cap: float, random: Callable[[], float]) -> float:
    """Delay before retry number `retry` (1, 2, ...): base * 2^(retry-1), capped, half jittered.

    The jitter keeps many checkers (or many URLs of one host) from retrying in step.
    """
    delay = min(cap, base * 2 ** min(retry - 1, 64))
    return float(delay * (0.5 + random() / 2))
