"""What an entry rule reports: a problem at a path in the document, before it has a line.

Shared by the validator's rules and the openness rules, which validate runs as one of
its rules, so both speak the same type and nothing is converted between them.
"""

from __future__ import annotations

from typing import NamedTuple

from .diagnostics import Severity
from .yamlfile import Path_


class Finding(NamedTuple):
    """One problem a rule found: where (a path in the document), what, and how to fix it."""

    path: Path_
    message: str
    hint: str | None = None
    #: Point at the key rather than its value (a missing or unknown key).
    key: bool = False
    severity: Severity = "error"
