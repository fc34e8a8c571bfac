"""Licence expressions: what is accepted, the hints, and the derived openness."""

from __future__ import annotations

import pytest

from aicatalog.licenses import check, openness


@pytest.mark.parametrize(
    ("expression", "code", "content"),
    [
        ("MIT", "open", "open"),
        ("Apache-2.0 WITH LLVM-exception", "open", "open"),
        ("MIT OR Apache-2.0", "open", "open"),
        ("CC-BY-4.0", "restricted", "open"),  # open content, but not an OSI software licence
        ("CC0-1.0", "restricted", "open"),
        ("ODbL-1.0", "restricted", "open"),
        ("CC-BY-NC-4.0", "restricted", "restricted"),
        ("CC-BY-NC-SA-4.0 OR LicenseRef-Proprietary", "restricted", "restricted"),
        ("LicenseRef-Llama-3-Community", "restricted", "restricted"),  # a registry licence
        ("LicenseRef-Unstated", "restricted", "restricted"),
        ("LicenseRef-Mixed", "restricted", "restricted"),
        ("LicenseRef-NotApplicable", "not-applicable", "not-applicable"),
        ("LicenseRef-Proprietary", "closed", "closed"),
        ("LicenseRef-None", "closed", "closed"),
        ("MIT OR LicenseRef-Proprietary", "open", "open"),  # a choice: the open one is offered
        ("MIT AND LicenseRef-Proprietary", "closed", "closed"),  # both bind
        ("(MIT AND CC-BY-NC-4.0) OR GPL-3.0-only", "open", "open"),
        ("BUSL-1.1", "restricted", "restricted"),
    ],
)
def test_openness_is_derived_from_the_expression(expression, code, content):
    assert openness(expression) == code
    assert openness(expression, content=True) == content


@pytest.mark.parametrize(
    ("expression", "message", "hint"),
    [
        ("BSD", "'BSD' is not an SPDX identifier", "did you mean 'BSD-3-Clause'?"),
        ("Apache 2.0", "'Apache 2.0' is not an SPDX identifier", "did you mean 'Apache-2.0'?"),
        ("Apach-2.0", "'Apach-2.0' is not an SPDX identifier", "did you mean 'Apache-2.0'?"),
        ("mit", "'mit' is not how SPDX spells it", "write 'MIT' (SPDX ids are case-sensitive)"),
        ("GPL-3.0", "'GPL-3.0' is a deprecated SPDX identifier",
         "use 'GPL-3.0-only' or 'GPL-3.0-or-later', as the licence text says"),
        ("MIT AND (", "not a valid SPDX expression", None),
    ],
)  # fmt: skip
def test_bad_expressions_are_explained(expression, message, hint):
    problem = check(expression)
    assert problem is not None
    assert message in problem.message
    if hint is not None:
        assert problem.hint == hint


def test_our_licence_refs_are_accepted():
    for ref in ("LicenseRef-Proprietary", "LicenseRef-None", "LicenseRef-NotApplicable"):
        assert check(ref) is None
    # Any other LicenseRef is syntactically fine here; the registry rule checks its file.
    assert check("CC-BY-NC-4.0 AND LicenseRef-Llama-3-Community") is None
