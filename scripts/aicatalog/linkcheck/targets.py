"""What to check: each URL of the catalog (or of a plain list) once, with every place using it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .results import Source, Target

if TYPE_CHECKING:  # a plain list of URLs never loads the catalog model (start-up time)
    from ..model import Catalog, Project


class TargetError(Exception):
    """The URLs to check cannot be determined (bad git ref, unreadable list); says why."""


def _collect(pairs: Iterable[tuple[str, Source]]) -> list[Target]:
    """Distinct URLs in first-seen order, each with all its sources."""
    by_url: dict[str, list[Source]] = {}
    for url, source in pairs:
        by_url.setdefault(url, []).append(source)
    return [Target(url, tuple(sources)) for url, sources in by_url.items()]


def from_catalog(catalog: Catalog, only: Iterable[Path] | None = None) -> list[Target]:
    """Every URL of every entry (or only of the entries in files `only`)."""
    projects: Iterable[Project] = catalog.projects
    if only is not None:
        wanted = {p.resolve() for p in only}
        projects = [p for p in projects if Path(p.path).resolve() in wanted]
    return _collect(
        (url, Source(where.file, where.line, field))
        for project in projects
        for field, url, where in project.urls()
    )


def from_lines(text: str, name: str) -> list[Target]:
    """URLs of a plain list, one a line; blank lines and lines starting with '#' are skipped."""
    return _collect(
        (line.strip(), Source(name, number, "url"))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    )


def changed_entries(catalog_root: Path, ref: str) -> list[Path]:
    """Entry files added or changed since git `ref`, including uncommitted and untracked ones."""
    root = catalog_root.resolve()
    try:
        commit = _git(root, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}")
    except TargetError as exc:
        raise TargetError(f"'{ref}' is not a commit of the repository at {root} ({exc})") from exc
    changed = _git(
        root,
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-filter=d",
        "--relative",
        commit.strip(),
        "--",
        "projects",
    )
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", "projects")
    names = changed.split("\0") + untracked.split("\0")
    return sorted({root / name for name in names if name.endswith(".yml")})


def _git(cwd: Path, *args: str) -> str:
    """Output of a git command; TargetError with git's own message when it fails."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TargetError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise TargetError(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout
