"""The openness profile: each component's grade and the level, at every boundary."""

from __future__ import annotations

import pytest

from aicatalog.profile import MODEL_COMPONENTS, grade, level


@pytest.mark.parametrize(
    ("released", "licence", "expected"),
    [
        ("no", "open", "closed"),
        ("no", None, "closed"),
        ("yes", "open", "open"),
        ("partial", "open", "partial"),
        ("yes", None, "open"),  # a document: no licence gates it
        ("partial", None, "partial"),
        ("yes", "restricted", "restricted"),
        ("partial", "restricted", "restricted"),
        ("yes", "closed", "restricted"),
        ("partial", "closed", "partial"),  # the main part is not released; a part is
    ],
)
def test_component_grade(released, licence, expected):
    assert grade(released, licence) == expected


ALL_OPEN = {name: "open" for name in MODEL_COMPONENTS}


def with_(**changes):
    return {**ALL_OPEN, **changes}


@pytest.mark.parametrize(
    ("graded", "expected"),
    [
        (ALL_OPEN, "open-science"),
        (with_(checkpoints="closed", evaluation="closed"), "open-science"),  # not required
        (with_(training_data="partial"), "open-tooling"),
        (with_(training_data="restricted"), "open-tooling"),
        (with_(data_card="partial"), "open-tooling"),
        (with_(model_card="closed"), "open-tooling"),
        (with_(technical_report="closed"), "open-tooling"),
        (with_(weights="partial"), "open-tooling"),  # science needs all weights
        (with_(training_code="partial"), "open-weights"),
        (with_(inference_code="closed"), "open-weights"),
        (with_(training_code="restricted"), "open-weights"),
        (with_(weights="restricted"), "restricted-weights"),
        (with_(weights="closed"), "closed"),
        ({}, "closed"),
    ],
)
def test_level_boundaries(graded, expected):
    assert level(graded) == expected
