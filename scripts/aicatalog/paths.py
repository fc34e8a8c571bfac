"""Where things are in a catalog folder, and how messages name files.

The lowest layer: nothing here imports another aicatalog module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

SCHEMA_FILE = "schema.json"
PROJECTS_DIR = "projects"
OVERVIEW_FILE = "overview.yml"
LICENSES_DIR = "licenses"
TAGS_FILE = "tags.yml"
#: The catalog folder as the repository names it, for links to entry files.
CATALOG_DIR = "catalog"


def display_path(path: Path) -> str:
    """Path as messages show it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def entry_path(root: Path, entry_id: str) -> Path:
    """The file of entry `entry_id` in the catalog folder `root`."""
    return root / PROJECTS_DIR / f"{entry_id}.yml"


def entry_source(entry_id: str) -> str:
    """Path of an entry's file in the repository, as links and data files give it."""
    return f"{CATALOG_DIR}/{PROJECTS_DIR}/{entry_id}.yml"


def only_files(files: Iterable[Path] | None) -> Callable[[str], bool]:
    """A filter on display paths: True for the files named (every file when `files` is None)."""
    if files is None:
        return lambda _path: True
    wanted = frozenset(display_path(p) for p in files)
    return wanted.__contains__
