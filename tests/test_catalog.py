"""The shipped catalog itself: valid, complete where the article is concerned, well stocked."""

from __future__ import annotations

from collections import Counter

import pytest

from aicatalog.model import Catalog
from aicatalog.workspace import load_workspace

from .helpers import CATALOG

#: Every project, tool, platform, community and course the seed article names.
ARTICLE_IDS = {
    "pytorch", "tensorflow", "transformers", "hugging-face-hub", "github", "fastai",
    "fastai-course", "nanogpt", "alphafold", "scikit-learn", "masakhane", "papers-with-code",
    "google-earth-engine", "ibm-watson-openscale", "open-edx", "edx", "coursera", "arxiv",
    "edtech-hub", "google-ai-education", "mit-opencourseware", "helm", "gpt-2", "whisper",
    "tensor2tensor",
}  # fmt: skip
#: Things the article presents as open-source AI that are closed services.
ARTICLE_CLOSED = {"github", "google-earth-engine", "ibm-watson-openscale", "coursera", "edx"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_workspace(CATALOG)
    errors = [d.text() for d in result.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)
    assert result.catalog is not None
    return result.catalog


def test_every_project_the_article_names_has_an_entry(catalog: Catalog) -> None:
    assert ARTICLE_IDS - set(catalog.by_id()) == set()


def test_closed_services_the_article_calls_open_are_marked_closed(catalog: Catalog) -> None:
    by_id = catalog.by_id()
    assert {i: by_id[i].openness.code for i in ARTICLE_CLOSED} == dict.fromkeys(
        ARTICLE_CLOSED, "closed"
    )


def test_catalog_breadth(catalog: Catalog) -> None:
    assert len(catalog.projects) >= 150


def test_every_category_has_at_least_six_entries(catalog: Catalog) -> None:
    counts = Counter(c for p in catalog.projects for c in p.categories)
    thin = {c.id: counts[c.id] for c in catalog.categories if counts[c.id] < 6}
    assert thin == {}


def test_every_kind_and_licence_form_is_exercised(catalog: Catalog) -> None:
    kinds = {p.kind for p in catalog.projects}
    assert kinds == {"framework", "library", "model", "dataset", "tool", "platform",
                     "community", "course", "benchmark"}  # fmt: skip
    levels = {(part, getattr(p.openness, part)) for p in catalog.projects
              for part in ("code", "weights", "data")}  # fmt: skip
    for part in ("code", "weights", "data"):
        for level in ("open", "restricted", "closed"):
            if (part, level) == ("weights", "closed"):
                continue  # a model whose weights are closed has no place in this catalog
            assert (part, level) in levels, (part, level)
    assert any(p.status == "archived" for p in catalog.projects)


def test_every_entry_records_where_its_licence_was_checked(catalog: Catalog) -> None:
    assert [p.id for p in catalog.projects if not p.license.source] == []
