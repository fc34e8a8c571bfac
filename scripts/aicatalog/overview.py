"""The projects the seed article cites, grouped by its themes and resolved against the catalog.

The themes and our one-line summaries live in catalog/overview.yml; licence facts
come from the entries, so the page cannot claim something is open source when its
entry says otherwise. The file is read like an entry (strict YAML, every problem at
its line); a citation of an id the catalog lacks is a warning, never dropped.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, has_errors
from .ids import is_kebab
from .model import Project
from .paths import display_path
from .yamlfile import Path_, YamlDoc, dotted, read_yaml

THEME_KEYS = ("title", "intro", "projects")
CITATION_KEYS = ("id", "line")


class OverviewError(Exception):
    """overview.yml is not the expected list of themes."""


@dataclass(frozen=True)
class Citation:
    id: str
    line: str
    project: Project | None


@dataclass(frozen=True)
class Theme:
    title: str
    intro: str
    citations: tuple[Citation, ...]


class _Reader:
    """One overview file's checks: each problem at the line of the value it is about."""

    def __init__(self, rel: str, doc: YamlDoc) -> None:
        self.rel = rel
        self.doc = doc
        self.problems: list[Diagnostic] = []

    def error(self, path: Path_, message: str, hint: str | None = None) -> None:
        line, col = self.doc.where(path)
        self.problems.append(
            Diagnostic.error(self.rel, message, line=line, col=col, field=dotted(path), hint=hint)
        )

    def mapping(self, value: Any, path: Path_, keys: tuple[str, ...], what: str) -> bool:
        """True when `value` is a mapping, whose keys are then checked (a missing one is
        reported as empty); any other key is reported here."""
        if not isinstance(value, dict):
            self.error(path, f"{what} needs {', '.join(keys)}")
            return False
        for key in sorted(str(k) for k in value if k not in keys):
            self.error((*path, key), f"{what}: unknown key '{key}'", "allowed: " + ", ".join(keys))
        return True

    def text(self, value: Any, path: Path_, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.error(path, f"{where} must be non-empty text")
            return ""
        return value.strip()


def _citation(
    r: _Reader, item: Any, path: Path_, where: str, projects: Mapping[str, Project]
) -> Citation | None:
    if not r.mapping(item, path, CITATION_KEYS, where):
        return None
    entry_id = r.text(item.get("id"), (*path, "id"), f"{where}: id")
    line = r.text(item.get("line"), (*path, "line"), f"{where}: line")
    if entry_id and not is_kebab(entry_id):
        r.error((*path, "id"), f"{where}: id '{entry_id}' is not an entry id")
        return None
    return Citation(entry_id, line, projects.get(entry_id)) if entry_id and line else None


def _theme(r: _Reader, item: Any, i: int, projects: Mapping[str, Project]) -> Theme | None:
    where = f"theme {i + 1}"
    if not r.mapping(item, (i,), THEME_KEYS, where):
        return None
    title = r.text(item.get("title"), (i, "title"), f"{where}: title")
    intro = r.text(item.get("intro"), (i, "intro"), f"{where}: intro")
    cited = item.get("projects")
    if not isinstance(cited, list) or not cited:
        r.error((i, "projects"), f"{where}: projects must be a non-empty list")
        return None
    citations = [
        _citation(r, c, (i, "projects", j), f"{where}, project {j + 1}", projects)
        for j, c in enumerate(cited)
    ]
    found = tuple(c for c in citations if c is not None)
    return Theme(title, intro, found) if title and intro and len(found) == len(cited) else None


def read_themes(
    path: Path, projects: Mapping[str, Project], entry_ids: Container[str]
) -> tuple[tuple[Theme, ...], list[Diagnostic]]:
    """The themes of `path` with every problem; no file means no themes.

    Each citation is resolved to its entry in `projects` (None when missing); a cited
    id with no file among `entry_ids` is a warning at its line.
    """
    if not path.exists():
        return (), []
    rel = display_path(path)
    doc = read_yaml(path, rel)
    if doc.problems:
        return (), list(doc.problems)
    r = _Reader(rel, doc)
    if not isinstance(doc.data, list):
        r.error((), "must be a list of themes (title, intro, projects)")
        return (), r.problems
    themes = [_theme(r, item, i, projects) for i, item in enumerate(doc.data)]
    if has_errors(r.problems):
        return (), r.problems
    found = tuple(t for t in themes if t is not None)
    for i, theme in enumerate(found):
        for j, c in enumerate(theme.citations):
            if c.id not in entry_ids:
                line, col = doc.where((i, "projects", j, "id"))
                r.problems.append(
                    Diagnostic.warning(
                        rel,
                        f"the overview cites '{c.id}' but the catalog has no entry "
                        f"projects/{c.id}.yml",
                        line=line,
                        col=col,
                        field=f"[{i}].projects[{j}].id",
                        hint="add the entry, or remove the citation",
                    )
                )
    return found, r.problems


def load_themes(path: Path, projects: Mapping[str, Project]) -> list[Theme]:
    """The themes of `path`, each citation resolved; OverviewError naming every error."""
    themes, problems = read_themes(path, projects, projects)
    errors = [d.text() for d in problems if d.severity == "error"]
    if errors:
        raise OverviewError("\n".join(errors))
    return list(themes)


def missing(themes: tuple[Theme, ...] | list[Theme]) -> list[str]:
    """Ids cited by the article that have no entry, in page order."""
    return [c.id for t in themes for c in t.citations if c.project is None]
