"""One field, one place: the schema alone decides the data files' columns, which fields are
URLs (checked by the validator and the link checker) and what `aicatalog new` writes."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from aicatalog import pages, scaffold
from aicatalog.datafiles import csv_columns
from aicatalog.render import render_site
from aicatalog.schemafields import leaf_fields, url_fields
from aicatalog.workspace import load_workspace

from .helpers import CATALOG, valid_entry

SCHEMA = json.loads((CATALOG / "schema.json").read_text())


def test_every_schema_field_has_its_line_in_the_new_entry_template() -> None:
    text = "".join(
        scaffold.render(scaffold.Draft(kind=kind), dt.date(2025, 1, 1))
        for kind in ("model", "dataset", "library")
    )
    written = set(re.findall(r"^\s*#?\s*([a-z_]+):", text, re.MULTILINE))
    for name in leaf_fields(SCHEMA):
        assert name.rsplit(".", 1)[-1] in written, name


def test_csv_columns_follow_the_schema() -> None:
    columns = csv_columns(SCHEMA)
    assert columns[0] == "id"
    # The recorded openness components are published as profile.<component> (with grades).
    fields = [f for f in leaf_fields(SCHEMA) if not f.startswith("openness.")]
    assert columns[1 : 1 + len(fields)] == fields
    assert "profile.weights" in columns


def test_a_new_url_field_is_checked_linked_and_published(make_catalog) -> None:
    """Adding links.demo to the schema (as $defs/url) is all it takes."""
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["links"]["properties"]["demo"] = {
        "$ref": "#/$defs/url",
        "description": "A live demo.",
    }
    assert "links.demo" in url_fields(schema)
    links = {"homepage": "https://example.org/", "demo": "https://localhost/demo"}
    root = make_catalog({"bad": valid_entry(links=links)})
    (root / "schema.json").write_text(json.dumps(schema))
    problems = load_workspace(root).diagnostics
    assert [d.field for d in problems] == ["links.demo"]
    assert "'localhost' is not a public host" in problems[0].message

    links["demo"] = "https://demo.example.org/"
    (root / "projects" / "bad.yml").unlink()
    good = make_catalog({"good": valid_entry(links=links)})
    (good / "schema.json").write_text(json.dumps(schema))
    workspace = load_workspace(good)
    assert workspace.ok
    project = workspace.valid_catalog().projects[0]
    assert ("links.demo", "https://demo.example.org/") in [(f, u) for f, u, _ in project.urls()]
    site = render_site(workspace)
    rows = list(csv.DictReader(io.StringIO(site.data[pages.PROJECTS_CSV])))
    assert rows[0]["links.demo"] == "https://demo.example.org/"
    record = json.loads(site.data[pages.PROJECTS_JSON])["projects"][0]
    assert record["links"]["demo"] == "https://demo.example.org/"


def test_url_fields_are_links_and_the_licence_source() -> None:
    assert url_fields(SCHEMA) == (
        *(f"links.{name}" for name in SCHEMA["properties"]["links"]["properties"]),
        "license.source",
    )


def test_schema_file_is_published_unchanged(tmp_path: Path, make_catalog) -> None:
    root = make_catalog({"one": valid_entry()})
    site = render_site(load_workspace(root))
    assert site.data[pages.SCHEMA_JSON] == (CATALOG / "schema.json").read_text()
