"""Synthetic catalogs for benchmarks: N valid entries in a folder, deterministic for a seed.

Realistic in shape (every optional field used, several licence forms, related
links between entries) so validation and site builds do the work they would do
on a real catalog of that size.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from aicatalog.model import KINDS
from aicatalog.profile import MODEL_COMPONENTS
from tests.helpers import REPO, write_catalog

CATEGORIES = [c["id"] for c in yaml.safe_load((REPO / "catalog/categories.yml").read_text())]
DOMAINS = [d["id"] for d in yaml.safe_load((REPO / "catalog/domains.yml").read_text())]
CODE = [
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "GPL-3.0-only",
    "MIT OR Apache-2.0",
    "LicenseRef-Proprietary",
    "AGPL-3.0-only",
]
CONTENT = ["Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "LicenseRef-Synth-Community", "CC0-1.0"]
#: The registry licences synthetic entries use: one copied from the catalog, one made up.
REGISTRY = {
    "LicenseRef-Synth-Community": {
        "id": "LicenseRef-Synth-Community",
        "name": "Synth Community Licence",
        "url": "https://synth.example.org/licence",
        "steward": "Synth Org",
        "source": "https://synth.example.org/licence",
        "checked": "2025-01-01",
        "commercial_use": "conditional",
        "commercial_condition": "A separate licence is needed above one million users.",
        "use_restrictions": True,
        "restrictions_pass_on": True,
        "redistribution": "conditional",
        "derivatives": "conditional",
        "attribution": True,
        "naming_requirement": None,
        "summary": "A made-up bespoke model licence for synthetic catalogs.",
    }
}
COMPONENTS = tuple(MODEL_COMPONENTS)


def profile(i: int, rng: random.Random) -> dict[str, Any]:
    """A model's nine components: weights released, the rest drawn at random."""
    out = {}
    for name in COMPONENTS:
        released = "yes" if name == "weights" else rng.choice(["yes", "partial", "no"])
        component: dict[str, Any] = {"released": released}
        if released != "no":
            component["url"] = f"https://project-{i}.example.org/{name.replace('_', '-')}"
        if released != "yes":
            component["note"] = "Synthetic: what was found."
        out[name] = component
    return out


WORDS = (
    "vector graph tensor neural sparse vision speech token corpus agent robust fast "
    "federated causal bayesian quantum spectral adaptive streaming open"
).split()


def entry(i: int, n: int, rng: random.Random) -> dict[str, Any]:
    """The i-th synthetic entry of a catalog of n."""
    name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
    kind = KINDS[i % len(KINDS)]
    lic: dict[str, Any] = {"code": rng.choice(CODE)}
    if kind == "model":
        lic["weights"] = rng.choice(CONTENT)
    if kind == "dataset":
        lic["data"] = rng.choice(CONTENT)
    if kind == "model":
        lic["data"] = "LicenseRef-Mixed"
        lic["note"] = "Synthetic: the training data keep their own terms."
    lic["source"] = f"https://github.com/synth-org/project-{i}/blob/HEAD/LICENSE"
    words = " ".join(rng.choice(WORDS) for _ in range(18))
    extra: dict[str, Any] = {}
    if kind == "model":
        extra = {
            "openness": profile(i, rng),
            "parameters": rng.sample(["1B", "7B", "70B", "8x7B"], k=2),
            "context_length": rng.choice([4096, 32768, 131072]),
            "modalities": {"input": ["text"], "output": ["text"]},
            "get": {"huggingface": f"synth-org/project-{i}"},
        }
    elif kind in ("library", "framework", "tool"):
        extra = {"get": {"pypi": f"project-{i}"}}
    return {
        "name": name,
        "description": f"Synthetic project {i} for benchmarks: {words}.",
        "kind": kind,
        "categories": rng.sample(CATEGORIES, k=rng.randint(1, 3)),
        "links": {
            "homepage": f"https://project-{i}.example.org/",
            "repository": f"https://github.com/synth-org/project-{i}",
            "documentation": f"https://project-{i}.example.org/docs/",
        },
        "license": lic,
        "steward": f"Org {i % 97}",
        "first_release": 2000 + i % 25,
        "status": rng.choice(["active", "active", "active", "maintenance"]),
        "programming_languages": rng.sample(["Python", "C++", "Rust", "Go", "Julia"], k=2),
        "domains": rng.sample(DOMAINS, k=rng.randint(0, 2)),
        "tags": rng.sample([f"tag-{t}" for t in range(60)], k=rng.randint(1, 5)),
        "related": sorted({f"p{(i + d) % n:05d}" for d in (1, 7, 31)} - {f"p{i:05d}"}),
        "added": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "checked": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
        **extra,
    }


def synthetic_catalog(root: Path, n: int, seed: int = 42) -> Path:
    """Write a valid synthetic catalog of n entries at root and return root."""
    rng = random.Random(seed)
    write_catalog(root, {f"p{i:05d}": entry(i, n, rng) for i in range(n)})
    licences = root / "licenses"
    licences.mkdir(exist_ok=True)
    shutil.copy(REPO / "catalog" / "licenses" / "CC-BY-NC-4.0.yml", licences)
    for license_id, terms in REGISTRY.items():
        text = yaml.safe_dump(terms, sort_keys=False)
        (licences / f"{license_id}.yml").write_text(text, encoding="utf-8")
    return root
