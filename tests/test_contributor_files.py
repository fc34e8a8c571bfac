"""The files a contributor meets: they must work, and say what the tools really do.

CONTRIBUTING.md's examples are run, the issue forms are held to GitHub's form
syntax and to the catalog's vocabularies, the editor settings must reach every
entry, and the pre-commit hooks are run the way pre-commit runs them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from aicatalog.cli import cli
from aicatalog.model import KINDS
from aicatalog.workspace import load_workspace

from .helpers import CATALOG, REPO, valid_entry, write_catalog

CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def code_blocks(markdown: str, language: str) -> list[str]:
    """Fenced code blocks of one language, dedented (they may sit inside a list item)."""
    blocks = []
    for match in re.finditer(rf"^( *)```{language}\n(.*?)^\1```", markdown, re.M | re.S):
        indent = len(match[1])
        blocks.append("".join(line[indent:] for line in match[2].splitlines(keepends=True)))
    return blocks


def heading_anchors(markdown: str) -> set[str]:
    """GitHub's anchors for the Markdown headings: lowercase, punctuation dropped, '-' for ' '."""
    headings = re.findall(r"^#+ (.+)$", markdown, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_web_editor_example_is_a_valid_entry(tmp_path):
    [example] = code_blocks(CONTRIBUTING, "yaml")
    root = write_catalog(tmp_path / "catalog", {"example-library": example})
    result = load_workspace(root)
    assert [d.text() for d in result.diagnostics] == []


def test_the_scripted_new_example_works_and_its_output_is_as_shown(tmp_path):
    commands = [
        shlex.split(block.replace("\\\n", " "))
        for block in code_blocks(CONTRIBUTING, "sh")
        if "aicatalog new --name" in block
    ]
    [argv] = commands
    assert argv[0] == ".venv/bin/aicatalog"
    assert argv[1] == "new"
    root = write_catalog(tmp_path / "catalog", {"pytorch": valid_entry(name="PyTorch")})
    result = CliRunner().invoke(cli, ["new", "--catalog", str(root), *argv[2:]])
    assert result.exit_code == 0, result.output
    [shown] = [b for b in code_blocks(CONTRIBUTING, "text") if "Left to fill in" in b]
    path = root / "projects" / "pytorch-lightning.yml"
    # The document shows the interactive run without --license: same lines, minus license.code.
    documented = [line.split("...")[0] for line in shown.splitlines() if "projects/" in line]
    real = result.output.replace(str(path), "catalog/projects/pytorch-lightning.yml")
    assert documented[0] == "Created catalog/projects/pytorch-lightning.yml"
    assert documented[1].strip() in real  # the description placeholder, same line and column
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["license"] == {"code": "Apache-2.0"}


def test_documents_link_to_headings_that_exist():
    anchors = heading_anchors(CONTRIBUTING)
    for document in (
        REPO / ".github" / "PULL_REQUEST_TEMPLATE.md",
        *sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml")),
    ):
        text = document.read_text(encoding="utf-8")
        for anchor in re.findall(r"CONTRIBUTING\.md#([\w-]+)", text):
            assert anchor in anchors, f"{document.name} links to a missing heading #{anchor}"


# --- Issue forms, checked against GitHub's documented form syntax -------------------------

FORM_KEYS = {"name", "description", "title", "labels", "assignees", "body", "projects", "type"}
ELEMENT_ATTRIBUTES = {
    "markdown": {"value"},
    "input": {"label", "description", "placeholder", "value"},
    "textarea": {"label", "description", "placeholder", "value", "render"},
    "dropdown": {"label", "description", "multiple", "options", "default"},
    "checkboxes": {"label", "description", "options"},
}
FORMS = sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))


def form_problems(form: object) -> list[str]:
    """What GitHub would refuse in an issue form (the rules of its form syntax)."""
    if not isinstance(form, dict):
        return ["an issue form is a mapping"]
    problems = [f"unknown key '{k}'" for k in sorted(set(form) - FORM_KEYS)]
    problems += [f"missing '{k}'" for k in ("name", "description", "body") if not form.get(k)]
    ids: set[str] = set()
    for i, element in enumerate(form.get("body") or []):
        kind = element.get("type")
        attributes = element.get("attributes") or {}
        if kind not in ELEMENT_ATTRIBUTES:
            problems.append(f"body[{i}]: unknown type {kind!r}")
            continue
        problems += [
            f"body[{i}]: unknown attribute '{a}'"
            for a in sorted(set(attributes) - ELEMENT_ATTRIBUTES[kind])
        ]
        needed = "value" if kind == "markdown" else "label"
        if not attributes.get(needed):
            problems.append(f"body[{i}]: {kind} needs attributes.{needed}")
        if kind in ("dropdown", "checkboxes"):
            options = attributes.get("options") or []
            labels = [o["label"] if isinstance(o, dict) else o for o in options]
            if not labels or len(set(labels)) != len(labels):
                problems.append(f"body[{i}]: options must be non-empty and distinct")
        element_id = element.get("id")
        if element_id is not None:
            if not re.fullmatch(r"[A-Za-z0-9_-]+", element_id) or element_id in ids:
                problems.append(f"body[{i}]: id {element_id!r} must be unique, [A-Za-z0-9_-]")
            ids.add(element_id)
        if set(element.get("validations") or {}) - {"required"}:
            problems.append(f"body[{i}]: validations takes only 'required'")
        if kind == "markdown" and ("id" in element or "validations" in element):
            problems.append(f"body[{i}]: markdown takes neither id nor validations")
    return problems


def test_there_are_forms_to_suggest_and_to_correct():
    assert [f.name for f in FORMS] == ["correct-entry.yml", "suggest-project.yml"]


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_follows_githubs_syntax(path):
    assert form_problems(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_form_checker_catches_mistakes():
    bad = {
        "name": "x",
        "description": "y",
        "labls": ["a"],
        "body": [
            {"type": "input", "id": "a", "attributes": {"lable": "A"}},
            {"type": "dropdown", "id": "a", "attributes": {"label": "B", "options": ["x", "x"]}},
            {"type": "markdown", "attributes": {"value": "hi"}, "validations": {"required": 1}},
        ],
    }
    assert form_problems(bad) == [
        "unknown key 'labls'",
        "body[0]: unknown attribute 'lable'",
        "body[0]: input needs attributes.label",
        "body[1]: options must be non-empty and distinct",
        "body[1]: id 'a' must be unique, [A-Za-z0-9_-]",
        "body[2]: markdown takes neither id nor validations",
    ]


def _element(form: Path, element_id: str) -> dict[str, Any]:
    body = yaml.safe_load(form.read_text(encoding="utf-8"))["body"]
    element: dict[str, Any] = next(e for e in body if e.get("id") == element_id)
    return element


def test_suggestion_form_offers_exactly_the_catalogs_kinds():
    kind = _element(REPO / ".github/ISSUE_TEMPLATE/suggest-project.yml", "kind")
    assert tuple(kind["attributes"]["options"]) == KINDS


def test_correction_form_names_real_fields():
    schema = json.loads((CATALOG / "schema.json").read_text(encoding="utf-8"))
    field = _element(REPO / ".github/ISSUE_TEMPLATE/correct-entry.yml", "field")
    *named, other = field["attributes"]["options"]
    assert other == "another field"
    assert set(named) <= set(schema["properties"])


# --- Editor support ----------------------------------------------------------------------


def test_vscode_maps_every_entry_and_only_entries_to_the_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    [(schema, pattern)] = settings["yaml.schemas"].items()
    assert (REPO / schema).resolve() == (CATALOG / "schema.json").resolve()
    entries = [p.relative_to(REPO).as_posix() for p in (CATALOG / "projects").glob("*.yml")]
    assert entries
    assert all(fnmatch(e, pattern) for e in entries)
    assert not fnmatch("catalog/categories.yml", pattern)
    assert not fnmatch(".github/workflows/ci.yml", pattern)


def editorconfig_rules(path: str) -> dict[str, str]:
    """The .editorconfig properties for a repository path (sections in order, later wins)."""
    rules: dict[str, str] = {}
    applies = False
    for raw in (REPO / ".editorconfig").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            glob = line[1:-1]
            alternatives = re.fullmatch(r"\*\.\{(.+)\}", glob)
            globs = [f"*.{x}" for x in alternatives[1].split(",")] if alternatives else [glob]
            applies = any(fnmatch(Path(path).name, g) for g in globs)
        elif "=" in line and applies:
            key, value = (part.strip() for part in line.split("=", 1))
            rules[key] = value
    return rules


def test_scaffolded_entries_follow_the_editorconfig(tmp_path):
    root = write_catalog(tmp_path / "catalog", {})
    args = ["--name", "Tab Name Project", "--homepage", "https://t.example.org", "--kind"]
    result = CliRunner().invoke(
        cli, ["new", "--catalog", str(root), *args, "model", "--category", "datasets", "--yes"]
    )
    assert result.exit_code == 0, result.output
    rules = editorconfig_rules("catalog/projects/tab-name-project.yml")
    assert rules == {
        "charset": "utf-8",
        "end_of_line": "lf",
        "insert_final_newline": "true",
        "trim_trailing_whitespace": "true",
        "indent_style": "space",
        "indent_size": "2",
    }
    raw = (root / "projects" / "tab-name-project.yml").read_bytes()
    text = raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    lines = text.splitlines()
    assert all(line == line.rstrip() for line in lines)
    assert all(not line.startswith("\t") for line in lines)
    indents = {len(line) - len(line.lstrip(" ")) for line in lines}
    assert indents <= {0, 2}


# --- pre-commit hooks, run as pre-commit runs them -----------------------------------------


def hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    return {hook["id"]: hook for hook in repo["hooks"]}


def run_hook(
    hook: dict[str, Any], workdir: Path, changed: list[str]
) -> subprocess.CompletedProcess[str]:
    """What `pre-commit run` does for a system hook: match changed files, append them, run."""
    selected = [f for f in changed if re.search(hook["files"], f)] if "files" in hook else changed
    if hook.get("types_or"):
        selected = [f for f in selected if f.endswith((".py", ".pyi"))]
    argv = shlex.split(hook["entry"])
    if hook.get("pass_filenames", True):
        argv += selected
    assert hook["language"] == "system"
    env = os.environ | {"NO_COLOR": "1"}
    return subprocess.run(argv, cwd=workdir, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def clone(tmp_path):
    """A working copy with the repository's catalog and its .venv, as a contributor has."""
    work = tmp_path / "work"
    entries = {"pytorch": valid_entry(name="PyTorch")}
    write_catalog(work / "catalog", entries)
    (work / ".venv").symlink_to(REPO / ".venv")
    return work


def test_validate_hook_reports_a_broken_changed_entry(clone):
    hook = hooks()["aicatalog-validate"]
    good = clone / "catalog" / "projects" / "pytorch.yml"
    assert run_hook(hook, clone, [str(good.relative_to(clone))]).returncode == 0
    bad = clone / "catalog" / "projects" / "broken.yml"
    bad.write_text(good.read_text().replace("PyTorch", "Broken").replace("library", "libary"))
    out = run_hook(hook, clone, ["catalog/projects/broken.yml", "README.md"])
    assert out.returncode == 1
    assert "catalog/projects/broken.yml:4:7: error: kind: 'libary' is not one of" in out.stdout


def test_validate_all_hook_runs_when_the_vocabulary_changes(clone):
    hook = hooks()["aicatalog-validate-all"]
    vocabulary = clone / "catalog" / "categories.yml"
    text = vocabulary.read_text().replace("id: deep-learning", "id: deep-learning-frameworks")
    vocabulary.write_text(text)
    out = run_hook(hook, clone, ["catalog/categories.yml"])
    assert out.returncode == 1
    assert "unknown category 'deep-learning'" in out.stdout
    assert not re.search(hook["files"], "catalog/projects/pytorch.yml")


@pytest.mark.parametrize("hook_id", ["ruff-check", "ruff-format"])
def test_ruff_hooks_refuse_bad_python(clone, hook_id):
    hook = hooks()[hook_id]
    (clone / "good.py").write_text('"""Fine."""\n\nVALUE = 1\n')
    (clone / "bad.py").write_text("import os,sys\nx=1\n")
    assert run_hook(hook, clone, ["good.py", "catalog/schema.json"]).returncode == 0
    assert run_hook(hook, clone, ["bad.py"]).returncode == 1
