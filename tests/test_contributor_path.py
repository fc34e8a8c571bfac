"""The whole contributor path, walked the way a newcomer walks it, in a copy of the repository.

Scaffold an entry without prompts, see the validator point at what is missing,
fill it in, validate clean, build the site strictly, and find the new project's
page. Only real parts: the console script, the validator, MkDocs with the hook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO

BIN = Path(sys.executable).parent
#: What a build needs from the repository; the aicatalog package itself is installed in .venv.
PARTS = ("catalog", "docs", "templates", "scripts", "mkdocs.yml")
ENTRY = "catalog/projects/newcomer-test-kit.yml"
DESCRIPTION = (
    "A fictional toolkit that exists only in the test suite, to walk the contributor path."
)


def copy_repository(target: Path) -> Path:
    target.mkdir()
    for part in PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


class Shell:
    """Runs commands in the copy as a contributor's shell would, with .venv/bin on PATH."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.env = os.environ | {
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "AICATALOG_CATALOG": str(cwd / "catalog"),
            "NO_COLOR": "1",
        }

    def __call__(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=timeout
        )


@pytest.mark.slow
def test_a_newcomer_adds_a_project_and_finds_its_page(tmp_path):
    clone = copy_repository(tmp_path / "catalog-repo")
    sh = Shell(clone)

    # A project that is already listed is refused, naming the entry that has it.
    pytorch = sh("aicatalog", "new", "--name", "PyTorch", "--homepage", "https://pytorch.org",
                 "--kind", "framework", "--category", "deep-learning", "--yes")  # fmt: skip
    assert pytorch.returncode == 1
    assert "entry 'pytorch' (catalog/projects/pytorch.yml)" in pytorch.stderr

    # 1. Scaffold, the scripted way.
    new = sh(
        "aicatalog", "new", "--name", "Newcomer Test Kit",
        "--homepage", "https://newcomer-kit.example.org",
        "--repository", "https://github.com/example/newcomer-test-kit",
        "--kind", "tool", "--category", "mlops", "--yes",
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    assert f"Created {ENTRY}" in new.stdout

    # 2. The validator points at exactly the fields left to fill in.
    first = sh("aicatalog", "validate", ENTRY)
    assert first.returncode == 1
    pointed = set(re.findall(r"^(\S+?):(\d+):\d+: error: ([\w.]+): ", first.stdout, re.M))
    assert pointed == {(ENTRY, "3", "description"), (ENTRY, "13", "license.code")}

    # 3. Fill them in, as one would in an editor.
    path = clone / ENTRY
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith('description: ""')
    assert lines[12].startswith('  code: ""')
    lines[2] = f"description: {DESCRIPTION}"
    lines[12] = "  code: MIT"
    lines.insert(13, "  source: https://github.com/example/newcomer-test-kit/blob/HEAD/LICENSE")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # 4. Clean, for the entry and the whole catalog.
    assert sh("aicatalog", "validate", ENTRY).returncode == 0
    everything = sh("aicatalog", "validate")
    assert everything.returncode == 0, everything.stdout

    # 5. The strict site build, as CI runs it.
    build = sh("mkdocs", "build", "--strict", "--site-dir", "site", timeout=600)
    assert build.returncode == 0, build.stderr

    # 6. The project has its page, and the catalog's data lists it.
    page = clone / "site" / "projects" / "newcomer-test-kit" / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "Newcomer Test Kit" in html
    assert DESCRIPTION in html
    assert "https://newcomer-kit.example.org" in html
    listed = json.loads((clone / "site" / "projects.json").read_text(encoding="utf-8"))
    assert "newcomer-test-kit" in json.dumps(listed)
