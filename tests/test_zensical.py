"""The site built with Zensical, Material's successor, from the rendered docs folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicatalog import zensical_site

from .site_catalogs import site_catalog, with_activity

pytestmark = pytest.mark.slow


def build_with_zensical(work: Path, entries: int = 12) -> Path:
    """A fixture catalog built by Zensical; the site folder."""
    catalog = with_activity(site_catalog(work / "catalog", entries))
    zensical_site.prepare(work / "zensical", catalog)
    proc = zensical_site.build(work / "zensical")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work / "zensical" / "site"


@pytest.fixture(scope="module")
def zensical_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("zensical")
    return work, build_with_zensical(work)


def test_every_project_page_is_built(zensical_built: tuple[Path, Path]) -> None:
    work, site = zensical_built
    entries = {p.stem for p in (work / "catalog" / "projects").glob("*.yml")}
    built = {p.parent.name for p in (site / "projects").glob("*/index.html")}
    assert built == entries
    pytorch = (site / "projects/pytorch/index.html").read_text(encoding="utf-8")
    assert "<h1" in pytorch and "Pytorch" in pytorch and 'class="aic-facts"' in pytorch


def test_the_other_pages_and_data_files_are_built(zensical_built: tuple[Path, Path]) -> None:
    _, site = zensical_built
    for page in (
        "index.html",
        "browse/index.html",
        "stats/index.html",
        "compare/index.html",
        "licences/index.html",
        "contribute/index.html",
        "projects.json",
        "browse.json",
        "feed.xml",
    ):
        assert (site / page).is_file(), page
    contribute = (site / "contribute/index.html").read_text(encoding="utf-8")
    assert "Example Library" in contribute  # CONTRIBUTING.md included by the snippet
    assert "<figure" in (site / "stats/index.html").read_text(encoding="utf-8")
