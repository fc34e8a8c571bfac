"""Synthetic catalogs for benchmarks: N valid entries in a folder, deterministic for a seed.

Realistic in shape (every optional field used, several licence forms, related
links between entries) so validation and site builds do the work they would do
on a real catalog of that size.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from aicatalog.model import KINDS
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
CONTENT = ["Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "LicenseRef-Custom", "CC0-1.0"]
WORDS = (
    "vector graph tensor neural sparse vision speech token corpus agent robust fast "
    "federated causal bayesian quantum spectral adaptive streaming open"
).split()


def entry(i: int, n: int, rng: random.Random) -> dict:
    """The i-th synthetic entry of a catalog of n."""
    name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
    kind = KINDS[i % len(KINDS)]
    lic: dict = {"code": rng.choice(CODE)}
    if kind == "model":
        lic["weights"] = rng.choice(CONTENT)
    if kind == "dataset":
        lic["data"] = rng.choice(CONTENT)
    if "LicenseRef-Custom" in (lic.get("weights"), lic.get("data")):
        lic["note"] = "A bespoke licence with use restrictions, for benchmarking only."
    lic["source"] = f"https://github.com/synth-org/project-{i}/blob/HEAD/LICENSE"
    words = " ".join(rng.choice(WORDS) for _ in range(18))
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
    }


def synthetic_catalog(root: Path, n: int, seed: int = 42) -> Path:
    """Write a valid synthetic catalog of n entries at root and return root."""
    rng = random.Random(seed)
    return write_catalog(root, {f"p{i:05d}": entry(i, n, rng) for i in range(n)})
