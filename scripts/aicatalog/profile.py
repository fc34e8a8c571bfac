"""The openness profile: which parts of a model (or dataset) are released, and how openly.

An entry records, per component, only what was released and where the evidence
is. How *open* each component is follows from that plus the licence that covers
it (weights from `license.weights`, code from `license.code`, training data from
`license.data`), and the profile level follows from the components. Both are
derived here, in one place, so "open science" means the same on every page.
The levels are in the spirit of the Model Openness Framework's classes but are
our own; they claim no official MOF class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Released = Literal["yes", "partial", "no"]
RELEASED: tuple[Released, ...] = ("yes", "partial", "no")

#: How open one component is, derived: released under an open licence (or a document,
#: which needs none), partly so, released under restrictive terms, or not released.
Grade = Literal["open", "partial", "restricted", "closed"]

Level = Literal["open-science", "open-tooling", "open-weights", "restricted-weights", "closed"]

#: The nine components of a model, in the order pages show them, with the licence
#: field that covers each (None: documentation, which no licence gates here).
MODEL_COMPONENTS: dict[str, str | None] = {
    "weights": "weights",
    "inference_code": "code",
    "training_code": "code",
    "training_data": "data",
    "data_card": None,
    "model_card": None,
    "technical_report": None,
    "evaluation": "code",
    "checkpoints": "weights",
}

#: The subset a dataset may record, plus the code that built it.
DATASET_COMPONENTS: dict[str, str | None] = {
    "data_card": None,
    "technical_report": None,
    "processing_code": "code",
}

LABELS: dict[str, str] = {
    "weights": "Weights",
    "inference_code": "Inference code",
    "training_code": "Training code",
    "training_data": "Training data",
    "data_card": "Data card",
    "model_card": "Model card",
    "technical_report": "Technical report",
    "evaluation": "Evaluation",
    "checkpoints": "Checkpoints",
    "processing_code": "Processing code",
}

LEVEL_LABELS: dict[Level, str] = {
    "open-science": "Open science",
    "open-tooling": "Open tooling",
    "open-weights": "Open weights",
    "restricted-weights": "Restricted weights",
    "closed": "Closed",
}

#: Levels from most to least open, for sorting and facets.
LEVELS: tuple[Level, ...] = tuple(LEVEL_LABELS)

#: What the project page and the Licences page say each level means (the exact rule).
LEVEL_RULES: dict[Level, str] = {
    "open-science": (
        "weights, inference code, training code and training data are all released in full "
        "under open licences, and the data card, model card and technical report are released"
    ),
    "open-tooling": (
        "weights are released under an open licence, and so are the inference and the training "
        "code in full; the training data or its documentation is not fully open"
    ),
    "open-weights": (
        "weights are released under an open licence, but the inference or training code is "
        "not released in full under an open licence"
    ),
    "restricted-weights": (
        "weights are released, but under terms that restrict use (non-commercial clauses, "
        "use-based restrictions, user thresholds)"
    ),
    "closed": "the weights are not released",
}


@dataclass(frozen=True)
class Component:
    """One component as the entry records it: released or not, and the evidence."""

    name: str
    released: Released
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Profile:
    """The recorded components of one entry, in schema order."""

    components: tuple[Component, ...]

    def get(self, name: str) -> Component | None:
        for component in self.components:
            if component.name == name:
                return component
        return None


def grade(released: Released, licence_openness: str | None) -> Grade:
    """How open one component is, from what was released and the openness of its licence.

    `licence_openness` is the derived openness of the covering licence ("open",
    "restricted", "closed", "n/a") or None for documents, which no licence gates.
    """
    if released == "no":
        return "closed"
    if released == "partial" and licence_openness == "closed":
        return "partial"  # the licence covers the main part, which is not released
    if licence_openness is not None and licence_openness != "open":
        return "restricted"
    return "open" if released == "yes" else "partial"


def grades(
    profile: Profile, openness_of: Mapping[str, str | None], components: Mapping[str, str | None]
) -> dict[str, Grade]:
    """Grade of every recorded component; `openness_of` maps licence field -> its openness."""
    out: dict[str, Grade] = {}
    for component in profile.components:
        field = components.get(component.name)
        out[component.name] = grade(component.released, openness_of.get(field) if field else None)
    return out


def level(graded: Mapping[str, Grade]) -> Level:
    """The profile level of a model from its component grades (see LEVEL_RULES)."""
    weights = graded.get("weights", "closed")
    if weights == "closed":
        return "closed"
    if weights == "restricted":
        return "restricted-weights"
    code = (graded.get("inference_code"), graded.get("training_code"))
    if code != ("open", "open"):
        return "open-weights"
    documented = all(
        graded.get(name) == "open" for name in ("data_card", "model_card", "technical_report")
    )
    if weights == "open" and graded.get("training_data") == "open" and documented:
        return "open-science"
    return "open-tooling"
