"""The privileged jobs install pinned, hash-checked packages, and the weekly job really runs.

Issue 13, item 14. enrich.yml can push and open pull requests, deploy.yml publishes
the site: both install from requirements/site.lock with --require-hashes, never
from whatever the index serves that day.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import REPO

LOCK = REPO / "requirements" / "site.lock"
WORKFLOWS = REPO / ".github" / "workflows"
#: workflow file -> the job that installs Python packages for a privileged purpose
PRIVILEGED = {"enrich.yml": "enrich", "deploy.yml": "build"}


def workflow(name: str) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from the lock file."""
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    found: dict[str, tuple[str, list[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(r"^([A-Za-z0-9._-]+)==(\S+)\s*(.*)$", line)
        assert match, f"not an exact pin: {line}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", match.group(3))
        found[canonicalize_name(match.group(1))] = (match.group(2), hashes)
    return found


def test_every_locked_package_is_pinned_with_hashes() -> None:
    locked = pins()
    assert locked
    for name, (_, hashes) in locked.items():
        assert hashes, f"{name} has no --hash"


def test_the_lock_covers_every_dependency_at_an_allowed_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = pins()
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted.append(Requirement("setuptools>=68"))  # the build backend, for --no-build-isolation
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is missing from {LOCK.name}"
        assert req.specifier.contains(locked[name][0], prereleases=True), (req, locked[name])


@pytest.mark.parametrize(("name", "job"), PRIVILEGED.items())
def test_privileged_jobs_install_only_from_the_lock(name: str, job: str) -> None:
    runs = [s.get("run", "") for s in workflow(name)["jobs"][job]["steps"]]
    installs = [
        line.strip()
        for run in runs
        for line in run.splitlines()
        if re.search(r"\bpip\b.*\binstall\b|\bmake\b.*\binstall\b|^make\s*$", line)
    ]
    assert installs, f"{name} installs nothing?"
    assert any(
        "--require-hashes" in line and "-r requirements/site.lock" in line for line in installs
    ), installs
    for line in installs:
        assert "pip" in line and "make" not in line, line
        assert "--require-hashes" in line or "--no-index" in line, f"unpinned install: {line}"
    assert not any(re.search(r"\bmake\b", run) for run in runs), "make install ignores the lock"


# --- the weekly job's `if:` under each event -----------------------------------------------


def evaluate(expression: str, context: dict[str, Any]) -> bool:
    """A GitHub Actions expression of the shapes the workflows use (==, ||, &&, format)."""
    python = expression.replace("||", " or ").replace("&&", " and ").replace("!=", " != ")
    python = python.replace("format(", "_format(")
    return bool(
        eval(  # our own workflow's text, in a test
            python,
            {"__builtins__": {}},
            {"github": _Context(context), "_format": lambda f, *a: f.format(*a)},
        )
    )


class _Context:
    """A context object: a missing property is null, as in Actions (null formats as '')."""

    def __init__(self, values: dict[str, Any] | None) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        value = (self._values or {}).get(name)
        return value if isinstance(value, str) else _Context(value)

    def __format__(self, spec: str) -> str:
        return ""  # only null reaches format() here

    def __eq__(self, other: object) -> bool:
        return self._values is None and other in ("", None)

    __hash__ = None  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("event", "ref", "payload", "runs"),
    [
        # A schedule's payload has no `repository`: the job must run all the same.
        ("schedule", "refs/heads/main", {"schedule": "23 5 * * 1"}, True),
        ("workflow_dispatch", "refs/heads/main", {"repository": {"default_branch": "main"}}, True),
        (
            "workflow_dispatch",
            "refs/heads/topic",
            {"repository": {"default_branch": "main"}},
            False,
        ),
    ],
)
def test_the_weekly_job_runs_on_schedule_and_on_the_default_branch_only(
    event: str, ref: str, payload: dict[str, Any], runs: bool
) -> None:
    condition = workflow("enrich.yml")["jobs"]["enrich"]["if"]
    context = {"event_name": event, "ref": ref, "event": payload}
    assert evaluate(condition, context) is runs
