"""Fixtures shared by the test suite; helpers live in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from .helpers import write_catalog


@pytest.fixture
def make_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_catalog({"id": entry, ...}) -> catalog folder in a fresh temp dir."""
    counter = iter(range(1_000_000))

    def make(entries: Mapping[str, Mapping[str, Any] | str | bytes]) -> Path:
        return write_catalog(tmp_path / f"catalog{next(counter)}", entries)

    return make
