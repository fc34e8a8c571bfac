"""Shared test helpers: paths, entries and small catalogs in temporary folders.

Imported by the tests as `from .helpers import ...` (conftest.py only holds fixtures).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from aicatalog.profile import MODEL_COMPONENTS

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "catalog"
#: The `aicatalog` console script of the interpreter running the tests.
AICATALOG = str(Path(sys.executable).parent / "aicatalog")
HEADER = "# yaml-language-server: $schema=../schema.json\n"


#: A model's openness profile with every component recorded as not released.
CLOSED_PROFILE: dict[str, Any] = {
    name: {"released": "no", "note": "Not released, as the makers say."}
    for name in MODEL_COMPONENTS
}


def valid_entry(**overrides: Any) -> dict[str, Any]:
    """A minimal valid entry; keyword arguments replace top-level fields (None removes one).

    A model gets a profile with nothing released unless `openness` is given.
    """
    entry: dict[str, Any] = {
        "name": "Example Project",
        "description": "A small example project used by the test suite to exercise the catalog.",
        "kind": "library",
        "categories": ["deep-learning"],
        "links": {"homepage": "https://example.org/", "repository": "https://github.com/ex/ample"},
        "license": {"code": "MIT", "source": "https://github.com/ex/ample/blob/HEAD/LICENSE"},
        "added": "2024-01-15",
        "checked": "2024-01-15",
    }
    for key, value in overrides.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    if entry.get("kind") == "model" and "openness" not in overrides:
        entry["openness"] = CLOSED_PROFILE
    return entry


def dump_entry(entry: Mapping[str, Any]) -> str:
    """YAML text of an entry, the way contributors write it."""
    return HEADER + yaml.safe_dump(dict(entry), sort_keys=False, allow_unicode=True)


def write_catalog(root: Path, entries: Mapping[str, Mapping[str, Any] | str | bytes]) -> Path:
    """A catalog folder at `root` with the real schema and vocabularies and the given entries.

    Values may be dicts (dumped as YAML), text, or raw bytes (written as they are).
    """
    (root / "projects").mkdir(parents=True, exist_ok=True)
    for name in ("schema.json", "categories.yml", "domains.yml"):
        shutil.copy(CATALOG / name, root / name)
    for entry_id, body in entries.items():
        path = root / "projects" / f"{entry_id}.yml"
        if isinstance(body, bytes):
            path.write_bytes(body)
        elif isinstance(body, str):
            path.write_text(body, encoding="utf-8")
        else:
            path.write_text(dump_entry(body), encoding="utf-8")
    return root


def linked_entry(homepage: str, repository: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid entry with its own homepage (and repository, when given)."""
    links = {"homepage": homepage} | ({"repository": repository} if repository else {})
    return valid_entry(links=links, **overrides)
