"""Terminal output escapes control characters; years are written as years (#13, item 18)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from aicatalog.terminal import md_code, printable
from aicatalog.workspace import load_workspace
from tests.helpers import dump_entry, valid_entry

AICATALOG = str(Path(sys.executable).parent / "aicatalog")


def test_an_escape_sequence_in_a_file_name_is_printed_escaped(
    make_catalog: Callable[..., Path],
) -> None:
    catalog = make_catalog({"good": valid_entry()})
    (catalog / "projects" / "\x1b[2J\x1b[31mred.yml").write_text(dump_entry(valid_entry()))
    done = subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "\x1b" not in done.stdout + done.stderr
    assert "\\x1b[2J\\x1b[31mred.yml:" in done.stdout


def test_printable_and_md_code_leave_nothing_live() -> None:
    assert printable("a\x1b[0mb\u202ec\n") == "a\\x1b[0mb\\u202ec\\x0a"
    assert md_code("x`y") == "``x`y``"
    assert md_code("`") == "`` ` ``"


def entry_text(first_release: str) -> str:
    text = dump_entry(valid_entry())
    return text + f"first_release: {first_release}\n"


@pytest.mark.parametrize("written", ["2020.0", "0x7E4", "33:40", "02020", "2_020", "+2020"])
def test_a_number_that_is_not_written_as_a_year_is_refused(
    make_catalog: Callable[..., Path], written: str
) -> None:
    result = load_workspace(make_catalog({"one": entry_text(written)}))
    problems = [d for d in result.diagnostics if d.field == "first_release"]
    assert problems and problems[0].severity == "error", result.diagnostics
    assert f"'{written}' is not a year" in problems[0].message
    assert result.catalog is None


def test_a_plain_year_is_fine(make_catalog: Callable[..., Path]) -> None:
    result = load_workspace(make_catalog({"one": entry_text("2020")}))
    assert result.catalog is not None, result.diagnostics
    assert result.catalog.projects[0].first_release == 2020
