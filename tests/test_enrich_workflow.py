"""The weekly enrich workflow: default branch only, least privilege, pinned actions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "enrich.yml"


def load() -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_runs_weekly_and_by_hand_never_on_pull_requests() -> None:
    triggers = load()["on"]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert len(triggers["schedule"]) == 1
    job = load()["jobs"]["enrich"]
    assert "default_branch" in job["if"]
    assert "github.ref" in job["if"]


def test_least_privilege() -> None:
    data = load()
    assert data["permissions"] == {}
    assert data["jobs"]["enrich"]["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_actions_pinned_to_full_shas_with_version_comment() -> None:
    uses = re.findall(r"uses: (\S+)(.*)", WORKFLOW.read_text(encoding="utf-8"))
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.search(r"# v\d+\.\d+\.\d+", comment), ref
    for step in load()["jobs"]["enrich"]["steps"]:
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_tokens_only_through_env_and_zizmor_is_clean() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for step in load()["jobs"]["enrich"]["steps"]:
        assert "${{" not in step.get("run", ""), "no expression inside shell code"
    assert "secrets.GITHUB_TOKEN" in text
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    done = subprocess.run([zizmor, "--offline", str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
