"""Look-alike duplicates are duplicates; invisible characters are not allowed in names (#13, 17)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aicatalog.cli import cli
from aicatalog.lookalike import name_key, url_key
from aicatalog.workspace import load_workspace
from tests.helpers import valid_entry


def entry(name: str, homepage: str, repository: str) -> dict[str, Any]:
    return valid_entry(name=name, links={"homepage": homepage, "repository": repository})


FIRST = entry("PyTorch", "https://pytorch.org/", "https://github.com/pytorch/pytorch")


@pytest.mark.parametrize(
    "name",
    ["PyТorch", "Руtorch", "РyTorch", "PyTοrch", "ＰｙＴｏｒｃｈ"],
    ids=["cyrillic-T", "cyrillic-Ru", "cyrillic-R", "greek-o", "fullwidth"],
)
def test_names_that_look_the_same_are_duplicates(
    make_catalog: Callable[..., Path], name: str
) -> None:
    second = entry(name, "https://other.example.org/", "https://github.com/other/other")
    result = load_workspace(make_catalog({"pytorch": FIRST, "zcopy": second}))
    found = [d for d in result.diagnostics if d.path.endswith("zcopy.yml") and d.field == "name"]
    assert any("same name as entry 'pytorch'" in d.message for d in found), result.diagnostics


@pytest.mark.parametrize(
    ("homepage", "repository"),
    [
        ("https://pytorch.org./", "https://github.com/pytorch/pytorch.git"),
        ("https://pytorch.org/?", "https://github.com/pytorch/pytorch#readme"),
        ("https://pytorch.org/#", "https://github.com/pytorch/pytorch/"),
        ("https://www.pytorch.org:443/", "https://github.com./pytorch/pytorch/#readme"),
    ],
)
def test_urls_that_differ_only_in_decoration_are_duplicates(
    make_catalog: Callable[..., Path], homepage: str, repository: str
) -> None:
    second = entry("Something Else", homepage, repository)
    result = load_workspace(make_catalog({"pytorch": FIRST, "zcopy": second}))
    fields = {d.field for d in result.diagnostics if d.path.endswith("zcopy.yml")}
    assert {"links.homepage", "links.repository"} <= fields, result.diagnostics


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200d", "\u200f", "\u061c"])
def test_bidi_and_zero_width_characters_are_refused_in_names(
    make_catalog: Callable[..., Path], char: str
) -> None:
    result = load_workspace(make_catalog({"one": valid_entry(name=f"Py{char}Torch")}))
    [problem] = [d for d in result.diagnostics if d.field == "name"]
    assert problem.severity == "error"
    assert "bidi controls or zero-width characters" in problem.message
    assert f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\ufeff", "\u202e", "\u00ad"])
def test_invisible_characters_do_not_make_a_name_new(char: str) -> None:
    assert name_key(f"Py{char}Torch") == name_key("PyTorch")


def test_different_projects_stay_different() -> None:
    assert name_key("Llama 2") != name_key("Llama 3")
    assert name_key("T5") != name_key("T0")
    assert url_key("https://github.com/a/b") != url_key("https://github.com/a/bc")
    assert url_key("https://example.org/?page=1") != url_key("https://example.org/?page=2")
    assert name_key("Café ML") == name_key("cafe ml")


def test_new_refuses_a_look_alike_of_an_existing_entry(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog({"pytorch": FIRST})
    done = CliRunner().invoke(
        cli,
        [
            "new", "--catalog", str(catalog), "--yes", "--name", "PyТorch",
            "--homepage", "https://pytorch.org./", "--kind", "library",
            "--category", "deep-learning", "--license", "MIT",
            "--description", "A copy of an entry that is already in the catalog, renamed.",
        ],
    )  # fmt: skip
    assert done.exit_code == 1, done.output
    assert "already in the catalog: entry 'pytorch'" in done.output
    assert sorted(p.name for p in (catalog / "projects").iterdir()) == ["pytorch.yml"]
