"""What the Compare page's script needs besides projects.json, computed once at build time.

The page compares 2 to 4 entries side by side, drawn in the browser from projects.json
(assets/javascripts/compare.js). Words that the site derives in Python are handed to
the script here, so they read the same as on project pages and never drift: licence
names for LicenseRefs, the registry's plain answers, Get it commands, component,
grade and level labels. The page carries this as a data attribute (escaped by the
template), never as a script element.
"""

from __future__ import annotations

import json
from typing import Any

from .fragments import LICENSE_REF_LABELS
from .getit import GET_FIELDS, get_items
from .model import Catalog
from .profile import DATASET_COMPONENTS, LABELS, LEVEL_LABELS, MODEL_COMPONENTS
from .profile_view import GRADE_LABELS
from .views import KIND_LABELS

#: Placeholder for a package name in the command templates.
NAME = "{name}"
MAX_COMPARED = 4


def _commands(kind: str) -> dict[str, list[str]]:
    """field -> [registry, command template] for an entry of `kind`."""
    items = get_items(dict.fromkeys(GET_FIELDS, NAME), kind)
    return {item.field: [item.registry, item.command] for item in items}


def compare_config(catalog: Catalog) -> dict[str, Any]:
    terms = catalog.registry.terms
    return {
        "max": MAX_COMPARED,
        "kinds": {k: v[0] for k, v in KIND_LABELS.items()},
        "labels": {**LICENSE_REF_LABELS, **{i: t.name for i, t in terms.items()}},
        "terms": {
            i: {"name": t.name, "commercial": t.commercial_answer(), "pass_on": t.pass_on_answer()}
            for i, t in sorted(terms.items())
        },
        "get": {"dataset": _commands("dataset"), "other": _commands("model")},
        "components": [
            [c, LABELS[c]] for c in dict.fromkeys([*MODEL_COMPONENTS, *DATASET_COMPONENTS])
        ],
        "grades": dict(GRADE_LABELS),
        "levels": dict(LEVEL_LABELS),
    }


def compare_config_json(catalog: Catalog) -> str:
    return json.dumps(compare_config(catalog), ensure_ascii=False, separators=(",", ":"))
