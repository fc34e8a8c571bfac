"""The Stats page's figures, as numbers, and the page that draws them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from aicatalog import pages, stats
from aicatalog.render import render_site
from aicatalog.workspace import load_or_raise, load_workspace

from .helpers import CATALOG, valid_entry, write_catalog


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Apache-2.0", "Apache"),
        ("MIT OR Apache-2.0", "MIT"),
        ("(BSD-3-Clause AND MIT)", "BSD"),
        ("AGPL-3.0-only", "GPL family (GPL, LGPL, AGPL)"),
        ("CC-BY-NC-4.0", "Creative Commons"),
        ("CC0-1.0", "Public domain (CC0, Unlicense)"),
        ("LicenseRef-Proprietary", "Proprietary"),
        ("LicenseRef-Llama-3.1-Community", "Bespoke licence"),
        ("LicenseRef-NotApplicable", "Not applicable"),
        ("Zlib", "Other licences"),
    ],
)
def test_licence_families(expression: str, expected: str) -> None:
    assert stats.family(expression) == expected


def test_figures_count_the_entries(tmp_path: Path) -> None:
    def model(year: int, weights: str) -> dict[str, Any]:
        return valid_entry(
            kind="model",
            first_release=year,
            license={"code": "MIT", "weights": weights, "source": "https://ex.org/l"},
        )

    entries = {
        "model-a": model(2023, "Apache-2.0"),
        "model-b": model(2023, "CC-BY-NC-4.0"),
        "model-c": model(2024, "MIT"),
        "library-d": valid_entry(first_release=2024),
    }
    for i, e in enumerate(entries.values()):
        e["links"] = {"homepage": f"https://e{i}.example.org/"}
        e["name"] = f"Entry {i}"
    root = write_catalog(tmp_path / "c", entries)
    (root / "licenses").mkdir()
    shutil.copy(CATALOG / "licenses" / "CC-BY-NC-4.0.yml", root / "licenses")
    catalog = load_or_raise(root)
    projects = list(catalog.projects)
    assert stats.by_kind(projects).rows == (("Libraries", 1), ("Models", 3))
    assert stats.first_releases(projects).rows == (("2023", 2), ("2024", 2))
    assert stats.open_weights_share(projects).rows == (
        ("2023 (2 models)", 50),
        ("2024 (1 model)", 100),
    )
    assert stats.by_openness(projects, "weights").rows == (("open", 2), ("restricted", 1))
    assert dict(stats.licence_families(projects).rows) == {
        "MIT": 5,
        "Apache": 1,
        "Creative Commons": 1,
    }


def test_stats_page_draws_every_figure_with_text_and_table() -> None:
    site = render_site(load_workspace(CATALOG))
    body = site.pages[pages.STATS].body
    assert site.pages[pages.STATS].is_html
    for series in stats.all_series(list(load_or_raise(CATALOG).projects)):
        assert f'<figure class="aic-figure" id="{series.id}">' in body
        assert f'<desc id="{series.id}-d">' in body
        assert f"<summary>Data: {series.title}</summary>" in body
    assert "<script" not in body and "http" not in body.replace("https://", "")
