"""Entry files are read safely: no links, no devices, size first, short excerpts (#13, item 16)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aicatalog.safefiles import UnsafeFile, read_bounded
from aicatalog.workspace import load_workspace
from aicatalog.yamlfile import MAX_BYTES
from tests.helpers import dump_entry, valid_entry

AICATALOG = str(Path(sys.executable).parent / "aicatalog")


def validate(catalog: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("target", ["outside", "/dev/zero", "fifo"])
def test_a_symlinked_entry_is_refused_before_reading(
    make_catalog: Callable[..., Path], tmp_path: Path, target: str
) -> None:
    catalog = make_catalog({"good": valid_entry()})
    if target == "outside":
        secret = tmp_path / "outside.yml"
        secret.write_text(dump_entry(valid_entry(name="Secret thing")))
        target = str(secret)
    elif target == "fifo":
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        target = str(fifo)
    os.symlink(target, catalog / "projects" / "linked.yml")
    started = time.monotonic()
    done = validate(catalog)
    assert time.monotonic() - started < 30
    assert done.returncode == 1, done.stdout + done.stderr
    assert "linked.yml:1:1: error: is a symbolic link" in done.stdout
    assert "Secret thing" not in done.stdout


def test_a_fifo_entry_is_refused_without_blocking(
    make_catalog: Callable[..., Path],
) -> None:
    catalog = make_catalog({"good": valid_entry()})
    os.mkfifo(catalog / "projects" / "pipe.yml")
    done = validate(catalog)
    assert done.returncode == 1
    assert "pipe.yml:1:1: error: is not a regular file" in done.stdout


def test_the_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yml"
    with big.open("wb") as handle:  # a sparse 1 GB file: reading it would take a while
        handle.truncate(1024**3)
    started = time.monotonic()
    with pytest.raises(UnsafeFile, match=f"the limit is {MAX_BYTES}"):
        read_bounded(big, MAX_BYTES)
    assert time.monotonic() - started < 1


def test_annotations_quote_only_a_short_excerpt(make_catalog: Callable[..., Path]) -> None:
    long_value = "x" * 60_000  # the file stays under the 64 KiB limit
    catalog = make_catalog({"long": valid_entry(kind=long_value)})
    for fmt in ("text", "github", "json"):
        done = validate(catalog, "--format", fmt)
        assert done.returncode == 1
        assert "x" * 400 not in done.stdout, fmt
        assert len(done.stdout) < 4000, fmt


def test_a_dot_file_among_the_entries_is_reported(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog({"good": valid_entry()})
    (catalog / "projects" / ".hidden.yml").write_text(dump_entry(valid_entry(name="Hidden")))
    result = load_workspace(catalog)
    assert result.catalog is not None
    [warning] = [d for d in result.diagnostics if d.path.endswith(".hidden.yml")]
    assert warning.severity == "warning" and "starts with a dot" in warning.message
    done = validate(catalog)
    assert ".hidden.yml:1:1: warning:" in done.stdout
