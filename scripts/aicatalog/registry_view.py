"""What pages and data files show of the licence registry: users, answers, licenses.json."""

from __future__ import annotations

import json
from dataclasses import asdict

from .model import Catalog, Project
from .registry import Answer, used_by

ANSWER_WORDS: dict[Answer, str] = {
    "yes": "Yes.",
    "no": "No.",
    "conditional": "Yes, under the licence's conditions.",
}


def licence_users(catalog: Catalog) -> dict[str, list[Project]]:
    """Registry id -> the entries whose code, weights or data licence names it, by name."""
    by_id = catalog.by_id()
    pairs = [
        (p.id, expression)
        for p in catalog.projects
        for expression in (p.license.code, p.license.weights, p.license.data)
        if expression
    ]
    return {
        license_id: sorted((by_id[i] for i in ids), key=lambda p: (p.name.casefold(), p.id))
        for license_id, ids in used_by(catalog.registry, pairs).items()
    }


def licenses_json(catalog: Catalog, users: dict[str, list[Project]]) -> str:
    """Every registry licence with its terms and the ids of the entries that use it."""
    records = []
    for license_id in sorted(catalog.registry.terms):
        terms = asdict(catalog.registry.terms[license_id])
        terms["checked"] = terms["checked"].isoformat()
        terms["source_file"] = terms.pop("path")
        terms["used_by"] = [p.id for p in users.get(license_id, [])]
        records.append(terms)
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
