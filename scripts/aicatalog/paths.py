"""How file paths appear in messages; the lowest layer, imported by every reader."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path) -> str:
    """Path as messages show it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel
