"""`aicatalog enrich` against APIs that answer oddly (issue 13, items 8, 9, 11, 12, 13).

Real loopback servers (tests/enrich_apis.py, or a raw socket server where an
answer must be malformed on the wire); the command runs as a subprocess.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from aicatalog.activity import load_activity
from tests.conftest import valid_entry
from tests.enrich_apis import FakeApis, serve
from tests.test_enrich import AICATALOG, TOKEN, activity, entry, run


@pytest.fixture
def world() -> FakeApis:
    return FakeApis(token=TOKEN)


def hub_entry(name: str = "acme/m") -> dict:
    """A model entry whose only collectable link is a Hub model (no GitHub repository)."""
    links = {"homepage": "https://m.example.org/", "weights": f"https://huggingface.co/{name}"}
    lic = {"code": "MIT", "weights": "MIT"}
    return valid_entry(name=f"Model {name}", kind="model", links=links, license=lic)


def validate(catalog: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog)], capture_output=True, text=True
    )


def assert_file_is_readable(catalog: Path) -> None:
    load_activity(catalog)  # raises ActivityError if the reader refuses what was written
    done = validate(catalog)
    assert done.returncode == 0, done.stdout + done.stderr


# --- item 8: never write a file its own reader rejects ----------------------------------


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"latestRelease": {"tagName": "", "publishedAt": "2026-09-01T00:00:00Z"}}, "release"),
        ({"licenseInfo": {"spdxId": "X" * 301}}, "license"),
        ({"licenseInfo": {"spdxId": "MIT\ud800"}}, "license"),
    ],
    ids=["empty-tag", "long-spdx", "surrogate-spdx"],
)
def test_a_bad_field_is_left_out_with_a_warning(
    make_catalog: Callable[..., Path], world: FakeApis, facts: dict, field: str
) -> None:
    catalog = make_catalog({"one": entry(1), "two": entry(2)})
    world.add_repo("org1/repo1", stars=11, **facts)
    world.add_repo("org2/repo2", stars=22)
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"the answer's {field}" in done.stdout and "left out" in done.stdout
    records = activity(catalog)
    assert records["one"]["github"]["stars"] == 11 and field not in records["one"]["github"]
    assert records["two"]["github"]["stars"] == 22
    assert_file_is_readable(catalog)
    with serve(world) as base:  # and the next run reads the file it left
        again = run(catalog, base, "--max-age", "0")
    assert again.returncode == 1 and "Traceback" not in again.stderr


def test_a_name_that_is_not_owner_slash_name_drops_the_record(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"one": entry(1), "two": entry(2)})
    world.add_repo("org1/repo1")
    world.repos["org1/repo1"]["nameWithOwner"] = "org 1/repo <1>"
    world.add_repo("org2/repo2", stars=22)
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1
    assert "one.yml:" in done.stdout
    records = activity(catalog)
    assert "one" not in records and records["two"]["github"]["stars"] == 22
    assert_file_is_readable(catalog)


def test_a_hub_answer_with_a_surrogate_licence_keeps_the_rest(
    make_catalog: Callable[..., Path], world: FakeApis
) -> None:
    catalog = make_catalog({"model": hub_entry()})
    world.hub["models/acme/m"] = {"id": "acme/m", "downloads": 5, "tags": ["license:\udc80x"]}
    with serve(world) as base:
        done = run(catalog, base)
    assert done.returncode == 1, done.stdout + done.stderr
    hub = activity(catalog)["model"]["hub"][0]
    assert hub["downloads"] == 5 and "license" not in hub
    load_activity(catalog)
