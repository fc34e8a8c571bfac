"""Problems found in catalog files, and the three ways they are printed.

Every problem names a file, a line, a column and a field, so a contributor
(or GitHub's annotation on a pull request) can go straight to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal, NamedTuple, Protocol

Severity = Literal["error", "warning"]


class Location(NamedTuple):
    """Where a value stands in the catalog: the file as messages show it, 1-based line and col.

    A named tuple rather than a dataclass: a catalog holds tens of thousands of them, and
    tuples are cheap to build and to pass between the processes that load large catalogs.
    """

    file: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Place(Protocol):
    """Where a value stands: model.Location has this shape (read-only, as a named tuple is)."""

    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def col(self) -> int: ...


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file."""

    path: str
    line: int
    col: int
    severity: Severity
    field: str
    message: str
    hint: str | None = None

    def __post_init__(self) -> None:
        # A message may quote a value from a file; quote no more than a short excerpt of it.
        object.__setattr__(self, "field", _excerpt(self.field, MAX_FIELD))
        object.__setattr__(self, "message", _excerpt(self.message, MAX_MESSAGE))
        if self.hint is not None:
            object.__setattr__(self, "hint", _excerpt(self.hint, MAX_HINT))

    @classmethod
    def error(
        cls,
        path: str,
        message: str,
        *,
        line: int = 1,
        col: int = 1,
        field: str = "",
        hint: str | None = None,
    ) -> Diagnostic:
        """An error in file `path` (at its top unless `line` and `col` say otherwise)."""
        return cls(path, line, col, "error", field, message, hint)

    @classmethod
    def warning(
        cls,
        path: str,
        message: str,
        *,
        line: int = 1,
        col: int = 1,
        field: str = "",
        hint: str | None = None,
    ) -> Diagnostic:
        """A warning in file `path`: reported, but never fails a run."""
        return cls(path, line, col, "warning", field, message, hint)

    @classmethod
    def at(
        cls,
        where: Place,
        field: str,
        message: str,
        hint: str | None = None,
        severity: Severity = "error",
    ) -> Diagnostic:
        """A diagnostic at a model Location (anything with file, line and col)."""
        return cls(where.file, where.line, where.col, severity, field, message, hint)

    def text(self) -> str:
        """`path:line:col: error: field: message (hint)`, the compiler-style line editors link."""
        where = f"{_one_line(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.severity}: {self.body()}"

    def body(self) -> str:
        """`field: message (hint)` on one line, whatever characters a hostile value holds."""
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return _one_line(f"{field}{self.message}{hint}")

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's line."""
        body = _gh_escape_data(self.body())
        path = _gh_escape_prop(_one_line(self.path))
        return f"::{self.severity} file={path},line={self.line},col={self.col}::{body}"


MAX_FIELD = 120
MAX_MESSAGE = 300
MAX_HINT = 400


def _excerpt(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(text: str) -> str:
    """Escape line breaks and other control characters so one problem stays one line."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def _gh_escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(value: str) -> str:
    return _gh_escape_data(value).replace(":", "%3A").replace(",", "%2C")


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error (warnings never fail a run)."""
    return any(d.severity == "error" for d in diagnostics)


def format_report(diagnostics: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics as `text`, `github` annotations or a `json` list."""
    if fmt == "json":
        return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.github() for d in diagnostics)
    lines = [d.text() for d in diagnostics]
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)
