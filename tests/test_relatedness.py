"""Related entries are ranked by relevance and capped, both directions counted."""

from __future__ import annotations

from aicatalog.relatedness import ranked_related
from aicatalog.workspace import load_or_raise
from tests.helpers import valid_entry


def entry(name, categories, tags, related=()):
    return valid_entry(
        name=name,
        links={"homepage": f"https://{name.lower()}.example.org/"},
        categories=list(categories),
        tags=list(tags),
        related=list(related) or None,
    )


def test_explicit_links_rank_first_then_shared_categories_and_tags(make_catalog):
    catalog = load_or_raise(
        make_catalog(
            {
                "hub": entry("Hub", ["deep-learning"], ["gpu", "jax"]),
                "named": entry("Named", ["mlops"], ["cli"], related=["hub"]),  # links to hub
                "close": entry("Close", ["deep-learning"], ["gpu", "jax"]),
                "weak": entry("Weak", ["mlops"], ["gpu"]),  # one shared tag only: not shown
                "tagged": entry("Tagged", ["classical-ml"], ["gpu", "jax", "tpu"]),
            }
        )
    )
    related = {k: [p.id for p in v] for k, v in ranked_related(catalog.projects).items()}
    # close: 2 (category) + 2 (tags) = 4; named: explicit 4; tied scores break by name.
    assert related["hub"] == ["close", "named"]
    assert "weak" not in related["hub"]
    assert "tagged" not in related["hub"]  # two shared tags, no category: too weak
    assert related["named"] == ["hub"]  # the reverse side of hub's incoming link


def test_at_most_eight_are_shown(make_catalog):
    others = {f"p{i}": entry(f"P{i}", ["deep-learning"], ["gpu", "jax"]) for i in range(12)}
    catalog = load_or_raise(
        make_catalog({"hub": entry("Hub", ["deep-learning"], ["gpu"]), **others})
    )
    assert len(ranked_related(catalog.projects)["hub"]) == 8
