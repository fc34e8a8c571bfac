"""load_workspace: every input the build reads, checked, with diagnostics at file and line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil

from aicatalog.workspace import INPUTS, Loading, Workspace, load_workspace

from .helpers import CATALOG, valid_entry

OVERVIEW = """\
- title: Frameworks
  intro: Where it started.
  projects:
    - id: example
      line: The example.
    - id: nowhere
      line: Cited, but no entry.
"""


def test_shipped_catalog_reads_every_input() -> None:
    workspace = load_workspace(CATALOG)
    assert workspace.ok
    assert workspace.catalog is not None
    assert workspace.themes
    assert workspace.activity
    assert workspace.schema["$defs"]["url"]
    assert workspace.schema_text == (CATALOG / "schema.json").read_text(encoding="utf-8")
    assert {t.id for t in workspace.categories} == {t.id for t in workspace.catalog.categories}


def test_overview_citation_without_entry_is_a_warning_at_its_line(make_catalog) -> None:
    root = make_catalog({"example": valid_entry()})
    (root / "overview.yml").write_text(OVERVIEW)
    workspace = load_workspace(root)
    assert workspace.ok
    [warning] = workspace.diagnostics
    assert warning.severity == "warning"
    assert warning.path.endswith("overview.yml")
    assert warning.line == 6
    assert "the overview cites 'nowhere'" in warning.message
    [theme] = workspace.themes
    assert [c.project.id if c.project else None for c in theme.citations] == ["example", None]


def test_malformed_overview_is_an_error_at_each_line(make_catalog) -> None:
    root = make_catalog({"example": valid_entry()})
    text = "- title: Frameworks\n  intro: ''\n  projects:\n    - id: example\n      lines: typo\n"
    (root / "overview.yml").write_text(text)
    workspace = load_workspace(root)
    assert not workspace.ok
    assert workspace.catalog is not None  # the entries themselves are fine
    found = {(d.line, d.message) for d in workspace.diagnostics}
    assert (2, "theme 1: intro must be non-empty text") in found
    assert (5, "theme 1, project 1: unknown key 'lines'") in found
    assert (4, "theme 1, project 1: line must be non-empty text") in found


def test_a_corrupt_activity_file_is_reported_even_for_named_files(make_catalog) -> None:
    root = make_catalog({"example": valid_entry()})
    (root / "activity.json").write_text("{")
    workspace = load_workspace(root, only=[root / "projects" / "example.yml"])
    assert not workspace.ok
    assert [d.path.endswith("activity.json") for d in workspace.diagnostics] == [True]


def test_a_new_input_is_one_more_loader(make_catalog) -> None:
    """How the lead adds the licence registry or the tag vocabulary: a loader that stores
    what it read under a Workspace field and reports its problems."""

    @dataclasses.dataclass(frozen=True)
    class WithGlossary(Workspace):
        glossary: tuple[str, ...] = ()

    def read_glossary(state: Loading) -> None:
        path = state.root / "glossary.json"
        state.values["glossary"] = tuple(json.loads(path.read_text()))

    root = make_catalog({"example": valid_entry()})
    (root / "glossary.json").write_text('["vision", "speech"]')
    state = Loading(root, dt.date(2025, 1, 1), lambda _: True)
    for read in (*INPUTS, read_glossary):
        read(state)
    assert WithGlossary(root=root, **state.values).glossary == ("vision", "speech")


def test_a_broken_schema_stops_the_other_loaders(tmp_path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG, root)
    (root / "schema.json").write_text("{")
    workspace = load_workspace(root)
    assert [d.message.startswith("cannot load schema") for d in workspace.diagnostics] == [True]
    assert workspace.catalog is None
