"""Malformed licence expressions are file:line errors with a hint, never crashes (#13, item 15).

license-expression raises IndexError for '()' and AssertionError for '(OR MIT)';
those crashed validate, the build, `links` and `aicatalog new`.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aicatalog import licenses
from aicatalog.drift import license_keys
from tests.helpers import valid_entry

AICATALOG = str(Path(sys.executable).parent / "aicatalog")
SETTINGS = settings(max_examples=400, deadline=None)

#: What the schema lets through (`^[A-Za-z0-9.+() -]+$`), weighted towards the grammar.
TOKENS = st.sampled_from(
    [
        "MIT",
        "Apache-2.0",
        "GPL-2.0-only",
        "GPL-2.0",
        "GPL-2.0+",
        "LicenseRef-Proprietary",
        "LicenseRef-Llama-3",
        "Classpath-exception-2.0",
        "CC-BY-4.0",
        "AND",
        "OR",
        "WITH",
        "and",
        "or",
        "with",
        "(",
        ")",
        "()",
        "+",
        " ",
        "-",
        ".",
        "x",
    ]
)
EXPRESSIONS = st.one_of(
    st.lists(TOKENS, min_size=1, max_size=12).map(" ".join),
    st.lists(TOKENS, min_size=1, max_size=12).map("".join),
    st.text(alphabet="ABCDIMTORWHNandorwith0123456789.+() -", min_size=1, max_size=40),
)


@SETTINGS
@given(EXPRESSIONS)
@example("()")
@example("(OR MIT)")
@example("MIT AND ()")
@example("(())")
@example("( AND )")
def test_check_never_raises_and_accepted_expressions_have_an_openness(expression: str) -> None:
    problem = licenses.check(expression)
    if problem is not None:
        assert problem.message and problem.hint, problem
        assert len(problem.message) < 400
        return
    for content in (False, True):
        assert licenses.openness(expression, content=content) in (
            "open",
            "restricted",
            "closed",
            "not-applicable",
        )
    assert isinstance(license_keys(expression), frozenset)


@pytest.mark.parametrize("expression", ["()", "(OR MIT)", "MIT AND ()"])
def test_malformed_expressions_are_errors_at_their_line(
    make_catalog: Callable[..., Path], tmp_path: Path, expression: str
) -> None:
    lic = {"code": expression, "source": "https://github.com/ex/ample/blob/HEAD/LICENSE"}
    catalog = make_catalog({"bad": valid_entry(license=lic)})
    lines = (catalog / "projects" / "bad.yml").read_text().splitlines()
    line = 1 + next(i for i, text in enumerate(lines) if "code:" in text)
    done = subprocess.run(
        [AICATALOG, "validate", "--catalog", str(catalog)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"bad.yml:{line}:" in done.stdout and "license.code:" in done.stdout
    assert "is not a valid SPDX expression" in done.stdout and "join SPDX ids" in done.stdout
    render = subprocess.run(
        [AICATALOG, "render", "--catalog", str(catalog), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert render.returncode == 1 and "Traceback" not in render.stderr
    links = subprocess.run(
        [AICATALOG, "links", "--catalog", str(catalog)], capture_output=True, text=True, timeout=60
    )
    assert links.returncode == 1 and "Traceback" not in links.stderr
    assert "is not a valid SPDX expression" in links.stderr
    new = subprocess.run(
        [
            AICATALOG, "new", "--catalog", str(catalog), "--name", "Other", "--yes",
            "--homepage", "https://other.example.org/", "--kind", "library",
            "--category", "deep-learning", "--license", expression,
            "--description", "Another small project used to exercise the licence checks.",
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert new.returncode == 2, new.stdout + new.stderr
    assert "Traceback" not in new.stderr and "--license:" in new.stdout + new.stderr
