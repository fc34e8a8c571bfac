"""`aicatalog validate` as a contributor runs it: output formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .helpers import valid_entry


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aicatalog", "validate", *args],
        capture_output=True, text=True, cwd=cwd, check=False,
    )  # fmt: skip


def test_clean_catalog_exits_zero(make_catalog):
    root = make_catalog({"example": valid_entry()})
    proc = run("--catalog", str(root))
    assert (proc.returncode, proc.stdout.strip()) == (0, "1 entries, no problems")


def test_errors_exit_one_with_file_line_col(make_catalog):
    root = make_catalog({"example": valid_entry(kind="frameworkk")})
    proc = run("--catalog", str(root))
    assert proc.returncode == 1
    first = proc.stdout.splitlines()[0]
    assert first.endswith(
        "projects/example.yml:4:7: error: kind: 'frameworkk' is not one of: framework, library, "
        "model, dataset, tool, platform, community, course, benchmark (did you mean 'framework'?)"
    )
    assert "Traceback" not in proc.stdout + proc.stderr


def test_github_format_annotates_the_line(make_catalog):
    root = make_catalog(
        {"example": valid_entry(license={"code": "BSD", "source": "https://a.org"})}
    )
    proc = run("--catalog", str(root), "--format", "github")
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=")
    assert ",line=11,col=9::license.code: 'BSD' is not an SPDX identifier" in proc.stdout


def test_json_format_is_a_list_of_objects(make_catalog):
    root = make_catalog({"example": valid_entry(status="archived")})
    proc = run("--catalog", str(root), "--format", "json")
    assert proc.returncode == 0  # warnings do not fail
    [item] = json.loads(proc.stdout)
    lines = (root / "projects" / "example.yml").read_text().splitlines()
    assert item["severity"] == "warning"
    assert item["field"] == "status"
    assert lines[item["line"] - 1].startswith("status: archived")


def test_named_files_only(make_catalog):
    root = make_catalog({"good": valid_entry(), "bad": "name: [\n"})
    good = root / "projects" / "good.yml"
    proc = run("--catalog", str(root), str(good))
    assert proc.returncode == 0, proc.stdout


def test_bad_usage_exits_two(tmp_path):
    proc = run("--catalog", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "has no projects/ folder" in proc.stderr
    proc = run("--format", "xml")
    assert proc.returncode == 2


def test_default_catalog_is_found_from_a_subfolder(make_catalog):
    root = make_catalog({"example": valid_entry()})
    repo = root.parent / "repo"
    repo.mkdir()
    root.rename(repo / "catalog")
    proc = run(cwd=repo / "catalog" / "projects")
    assert proc.returncode == 0
    assert "1 entries" in proc.stdout


def test_the_command_exits_with_its_status_and_all_its_output(make_catalog, tmp_path):
    """`main` ends the process without the interpreter's clean-up: the exit status and every
    byte written must still come out, also when the output is larger than a pipe holds."""
    root = make_catalog({f"p{i}": valid_entry(kind="frameworkk") for i in range(300)})
    proc = run("--catalog", str(root), "--format", "json")
    assert proc.returncode == 1
    assert len(proc.stdout) > 64 * 1024  # more than a pipe buffers: written while read
    assert len(json.loads(proc.stdout)) == 300
    usage = subprocess.run(
        [sys.executable, "-m", "aicatalog", "validate", "--no-such-option"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert usage.returncode == 2 and "No such option" in usage.stderr
