"""The validator, read as a spec: each rule, the message a contributor sees, and where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aicatalog.workspace import load_workspace

from .helpers import HEADER, valid_entry

TODAY = dt.date(2026, 11, 24)


def problems(root: Path) -> list[str]:
    """Diagnostics as `file-name:line: field: message (hint)` lines, for readable asserts."""
    result = load_workspace(root, today=TODAY)
    return [f"{Path(d.path).name}:{d.line}: {d.severity}: {d.body()}" for d in result.diagnostics]


def test_valid_entry_loads_into_the_model(make_catalog):
    root = make_catalog(
        {
            "example": valid_entry(domains=["science"], related=["other"]),
            "other": valid_entry(name="Other", links={"homepage": "https://other.org"}),
        }
    )
    result = load_workspace(root, today=TODAY)
    assert result.diagnostics == []
    assert result.catalog is not None
    project = result.catalog.by_id()["example"]
    assert project.openness.code == "open"
    assert project.added == dt.date(2024, 1, 15)
    assert project.location("links.homepage").line == 8
    assert [f for f, _, _ in project.urls()] == [
        "links.homepage",
        "links.repository",
        "license.source",
    ]


def test_unknown_key_suggests_the_right_one(make_catalog):
    entry = valid_entry(links={"homepag": "https://example.org/"})
    out = problems(make_catalog({"example": entry}))
    assert (
        "example.yml:8: error: links.homepag: unknown key 'homepag' (did you mean 'homepage'?)"
        in out
    )
    assert any("missing required field 'homepage'" in line for line in out)


def test_loose_licence_name_gets_an_spdx_hint(make_catalog):
    out = problems(
        make_catalog({"example": valid_entry(license={"code": "BSD", "source": "https://e.org/L"})})
    )
    assert out == [
        "example.yml:11: error: license.code: 'BSD' is not an SPDX identifier "
        "(did you mean 'BSD-3-Clause'?)"
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.org/", "URL must use https"),
        ("https://localhost/x", "'localhost' is not a public host"),
        ("https://127.0.0.1/", "'127.0.0.1' is not a public address"),
        ("https://10.1.2.3/", "'10.1.2.3' is not a public address"),
        ("https://169.254.169.254/latest/meta-data", "'169.254.169.254' is not a public address"),
        ("https://[::1]/", "not a public address"),
        ("https://user:secret@example.org/", "must not contain credentials"),
        ("https://intranet/", "is not a public host name"),
        ("https://127.1/", "does not end in a top-level domain"),
        ("https://printer.local/", "is not a public host"),
        ("javascript:alert(1)", "URL must use https"),
    ],
)
def test_urls_must_be_https_to_public_hosts(make_catalog, url, message):
    out = problems(make_catalog({"example": valid_entry(links={"homepage": url})}))
    assert len(out) == 1, out
    assert "links.homepage" in out[0], out
    assert message in out[0], out


def test_cross_entry_rules(make_catalog):
    a = valid_entry(name="Same Name", related=["missing-id"])
    b = valid_entry(
        name="same name", links={"homepage": "https://EXAMPLE.org", "repository": "https://b.org/x"}
    )
    out = problems(make_catalog({"a-entry": a, "b-entry": b}))
    assert any(
        line.startswith("b-entry.yml:2: error: name: same name as entry 'a-entry'") for line in out
    )
    assert any("links.homepage: same homepage as entry 'a-entry'" in line for line in out)
    assert any("related[0]: no entry with id 'missing-id'" in line for line in out)


def test_vocabulary_ids_must_exist(make_catalog):
    out = problems(
        make_catalog({"example": valid_entry(categories=["deep-lerning"], domains=["helthcare"])})
    )
    assert any("unknown category 'deep-lerning' (did you mean 'deep-learning'?)" in x for x in out)
    assert any("unknown domain 'helthcare' (did you mean 'healthcare'?)" in x for x in out)


def test_id_is_the_file_stem_and_no_id_field(make_catalog):
    out = problems(
        make_catalog(
            {
                "Bad_Name": valid_entry(),
                "ok-name": valid_entry(
                    id="ok-name", name="Other", links={"homepage": "https://o.org"}
                ),
            }
        )
    )
    assert any(
        "file name 'Bad_Name.yml' is not a valid id (rename it to 'bad-name.yml')" in x for x in out
    )
    assert any("ok-name.yml" in x and "no 'id' field" in x for x in out)


def test_models_need_weights_and_datasets_data_licences(make_catalog):
    out = problems(
        make_catalog(
            {
                "m": valid_entry(kind="model"),
                "d": valid_entry(kind="dataset", name="D", links={"homepage": "https://d.org"}),
                "c": valid_entry(
                    kind="model",
                    name="C",
                    links={"homepage": "https://c.org"},
                    license={
                        "code": "MIT",
                        "weights": "LicenseRef-Mixed",
                        "source": "https://c.org/l",
                    },
                ),
            }
        )
    )
    assert any(x.startswith("m.yml") and "a model needs license.weights" in x for x in out)
    assert any(x.startswith("d.yml") and "a dataset needs license.data" in x for x in out)
    assert any(x.startswith("c.yml") and "LicenseRef-Mixed needs license.note" in x for x in out)


def test_unstated_code_licence_needs_a_note(make_catalog):
    lic = {"code": "LicenseRef-Unstated", "source": "https://e.org/l"}
    out = problems(make_catalog({"example": valid_entry(license=lic)}))
    assert out == [
        "example.yml:11: error: license.code: LicenseRef-Unstated needs license.note "
        "(say where you looked for a licence, or which terms apply to which parts)"
    ]


def test_description_is_plain_text(make_catalog):
    for text in (
        "A <b>bold</b> claim about a project that is long enough.",
        "See [the docs](https://x.org) for a project described at length.",
        "Two lines of text\nthat together are long enough here.",
    ):
        out = problems(make_catalog({"example": valid_entry(description=text)}))
        assert out, (text, out)
        assert all("description" in x for x in out), (text, out)


def test_added_in_the_future_and_type_hints(make_catalog):
    out = problems(make_catalog({"example": valid_entry(added="2027-01-01", name=True)}))
    assert any("added: date 2027-01-01 is in the future" in x for x in out)
    assert any("name: must be a string, not the boolean true (quote it" in x for x in out)


def test_yaml_problems_are_reported_with_lines(make_catalog):
    dup = HEADER + "name: A\nname: B\n"
    out = problems(
        make_catalog(
            {
                "dup": dup,
                "alias": HEADER + "a: &x 1\nb: *x\n",
                "syntax": HEADER + "name: [\n",
                "bytes": b"\xff\xfe",
            }
        )
    )
    assert (
        "dup.yml:3: error: name: duplicate key 'name' (first at line 2) "
        "(keep one; YAML would silently use only the last)" in out
    )
    assert any(x.startswith("alias.yml:2") and "anchor '&x' is not allowed" in x for x in out)
    assert any(x.startswith("syntax.yml") and "YAML syntax error" in x for x in out)
    assert any(x.startswith("bytes.yml:1") and "not valid UTF-8" in x for x in out)


def test_oversized_and_misnamed_files(make_catalog):
    big = HEADER + "description: " + "x" * 70_000 + "\n"
    root = make_catalog({"big": big})
    (root / "projects" / "other.yaml").write_text("name: x\n")
    out = problems(root)
    assert any("big.yml:1" in x and "the limit is 65536" in x for x in out)
    assert any("other.yaml:1" in x and "rename it to other.yml" in x for x in out)


def test_archived_is_a_warning_not_an_error(make_catalog):
    result = load_workspace(make_catalog({"example": valid_entry(status="archived")}), today=TODAY)
    assert result.catalog is not None
    assert [(d.severity, d.field) for d in result.diagnostics] == [("warning", "status")]


def test_only_named_files_are_reported_but_duplicates_still_seen(make_catalog):
    root = make_catalog({"a": valid_entry(), "b": valid_entry(), "c": "name: [\n"})
    result = load_workspace(root, only=[root / "projects" / "b.yml"], today=TODAY)
    assert {Path(d.path).name for d in result.diagnostics} == {"b.yml"}


def test_control_characters_are_located(make_catalog):
    out = problems(make_catalog({"ctl": HEADER + "name: A\ndescription: bad \x07 byte\n"}))
    assert out == [
        "ctl.yml:3: error: character U+0007 is not allowed in YAML (remove control characters)"
    ]


def test_escaped_control_characters_in_values_are_refused(make_catalog):
    text = HEADER + (
        'name: Ctl\ndescription: "A description that hides a bell \\x07 in an escape."\n'
        "kind: library\ncategories: [deep-learning]\nlinks:\n"
        '  homepage: "https://example.org/\\x07x"\n'
        "license:\n  code: MIT\n  source: https://example.org/l\nadded: 2024-01-01\n"
    )
    out = problems(make_catalog({"ctl": text}))
    assert "ctl.yml:3: error: description: must not contain control characters" in out
    assert any(x.startswith("ctl.yml:7: error: links.homepage: URL contains white space or "
                            "control characters") for x in out)  # fmt: skip
