"""Which code-hosting repository a URL names (shared by the drift checks and enrichment)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_NAME = r"[A-Za-z0-9_.-]+"
_GITHUB_RE = re.compile(rf"^/({_NAME})/({_NAME})(?:/.*)?$")

#: First path segments of github.com that are site pages, not an owner.
_GITHUB_PAGES = frozenset(
    {
        "about",
        "apps",
        "collections",
        "enterprise",
        "features",
        "marketplace",
        "orgs",
        "pricing",
        "settings",
        "site",
        "sponsors",
        "topics",
    }
)


def real_segments(*parts: str) -> bool:
    """Not '.' or '..': such a path segment names no repository, it moves up the URL path."""
    return all(part.strip(".") for part in parts)


def github_repository(url: str) -> str | None:
    """owner/name of a github.com repository URL, else None."""
    parts = urlsplit(url)
    if parts.hostname not in ("github.com", "www.github.com"):
        return None
    match = _GITHUB_RE.match(parts.path)
    if not match or match.group(1).lower() in _GITHUB_PAGES:
        return None
    owner, name = match.group(1), match.group(2).removesuffix(".git")
    return f"{owner}/{name}" if real_segments(owner, name) else None
