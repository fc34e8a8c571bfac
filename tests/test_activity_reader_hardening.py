"""The activity reader gives diagnostics, never tracebacks, for hostile values (#13, item 10)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from aicatalog.activity import ActivityError, load_activity
from tests.helpers import AICATALOG, valid_entry
from tests.test_activity import gh, validate

HUGE_INT = "1" + "0" * 5000


def _record_text(**facts: object) -> str:
    body = {"version": 1, "projects": {"ok": {"github": gh(**facts)}}}
    return json.dumps(body, indent=2)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (_record_text(pushed="0001-01-01T00:00:00+01:00"), "projects.ok.github.pushed"),
        (_record_text(created="9999-12-31T23:30:00-01:00"), "projects.ok.github.created"),
        (_record_text(collected="0001-01-01T00:30:00+05:00"), "projects.ok.github.collected"),
        (_record_text(license="\ud800"), "projects.ok.github.license"),
        (_record_text(repository="ex/\udcff"), "projects.ok.github.repository"),
        (_record_text().replace('"stars": 10', f'"stars": {HUGE_INT}'), ""),
    ],
    ids=[
        "year-1-offset",
        "year-9999-offset",
        "collected-year-1",
        "surrogate",
        "surrogate-repo",
        "4300-digits",
    ],
)
def test_hostile_values_are_diagnostics(
    make_catalog: Callable[..., Path], text: str, field: str
) -> None:
    catalog = make_catalog({"ok": valid_entry(status="active")})
    (catalog / "activity.json").write_text(text, encoding="utf-8")
    with pytest.raises(ActivityError) as caught:
        load_activity(catalog)
    assert caught.value.diagnostic.field == field
    done = validate(catalog)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "activity.json:" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_build_refuses_a_surrogate_instead_of_crashing(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    import subprocess

    catalog = make_catalog({"ok": valid_entry(status="active")})
    (catalog / "activity.json").write_text(_record_text(license="\ud800"), encoding="utf-8")
    done = subprocess.run(
        [AICATALOG, "render", "--catalog", str(catalog), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode != 0


def test_a_symlinked_activity_file_is_refused(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog({"ok": valid_entry()})
    os.symlink("/dev/zero", catalog / "activity.json")
    with pytest.raises(ActivityError) as caught:
        load_activity(catalog)
    assert "symbolic link" in caught.value.diagnostic.message
