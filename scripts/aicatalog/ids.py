"""The one rule for ids (entries, categories, domains): lowercase kebab-case, 2-64 characters."""

from __future__ import annotations

import re

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MIN_LENGTH = 2
MAX_LENGTH = 64


def is_kebab(text: str) -> bool:
    """Lowercase words of letters and digits joined by single hyphens (any length)."""
    return ID_RE.match(text) is not None


def is_valid_id(text: str) -> bool:
    """An acceptable entry id: kebab-case and 2-64 characters long."""
    return is_kebab(text) and MIN_LENGTH <= len(text) <= MAX_LENGTH


def slug(text: str) -> str:
    """`text` squeezed into kebab-case (may be empty): 'My_Project!' -> 'my-project'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
