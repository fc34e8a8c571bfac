"""The openness rules as a contributor meets them: each at its file and line, with a hint,
and what the site then shows (the grid, the level, not applicable, the data files)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from aicatalog import pages
from aicatalog.render import render_site
from aicatalog.workspace import load_workspace

from .helpers import CLOSED_PROFILE, valid_entry
from .test_registry import GOOD as TERMS

TODAY_LICENCE = {**TERMS, "id": "LicenseRef-Acme-Community", "name": "Acme Community Licence"}


def with_registry(root: Path, *terms: dict[str, Any]) -> Path:
    (root / "licenses").mkdir(exist_ok=True)
    for t in terms:
        (root / "licenses" / f"{t['id']}.yml").write_text(yaml.safe_dump(t, sort_keys=False))
    return root


def errors(root: Path) -> list[str]:
    return [
        f"{Path(d.path).name}:{d.line}: {d.body()}"
        for d in load_workspace(root).diagnostics
        if d.severity == "error"
    ]


def model(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": "Open Model",
        "kind": "model",
        "categories": ["language-models"],
        "links": {"homepage": "https://m.example.org/"},
        "license": {
            "code": "Apache-2.0",
            "weights": "LicenseRef-Acme-Community",
            "data": "LicenseRef-None",
            "source": "https://m.example.org/licence",
        },
        "openness": {
            **CLOSED_PROFILE,
            "weights": {"released": "yes", "url": "https://m.example.org/weights"},
        },
    }
    return valid_entry(**{**base, **overrides})


def test_a_registry_licence_is_found_and_a_mistyped_one_is_named(make_catalog):
    ok = with_registry(make_catalog({"open-model": model()}), TODAY_LICENCE)
    assert errors(ok) == []
    lic = {**model()["license"], "weights": "LicenseRef-Acme-Comunity"}
    bad = with_registry(make_catalog({"open-model": model(license=lic)}), TODAY_LICENCE)
    assert errors(bad) == [
        "open-model.yml:11: license.weights: licence 'LicenseRef-Acme-Comunity' has no file in "
        "catalog/licenses/ (did you mean 'LicenseRef-Acme-Community'?)"
    ]


def test_restrictive_spdx_licences_need_their_terms_and_custom_is_retired(make_catalog):
    data = valid_entry(kind="dataset", license={"code": "MIT", "data": "CC-BY-NC-4.0"})
    custom = valid_entry(name="C", links={"homepage": "https://c.example.org/"},
                         license={"code": "LicenseRef-Custom"})  # fmt: skip
    out = errors(make_catalog({"data": data, "custom": custom}))
    assert any("data.yml" in e and "licence 'CC-BY-NC-4.0' has no file in catalog/licenses/" in e
               for e in out), out  # fmt: skip
    assert any("custom.yml" in e and "LicenseRef-Custom is retired" in e for e in out), out


def test_a_model_records_all_nine_components_with_evidence(make_catalog):
    profile = {k: v for k, v in CLOSED_PROFILE.items() if k != "checkpoints"}
    profile["weights"] = {"released": "yes"}
    profile["evaluation"] = {"released": "partial", "url": "https://m.example.org/eval"}
    profile["checkpoints_"] = {"released": "no", "note": "A typo in the key."}
    root = with_registry(make_catalog({"open-model": model(openness=profile)}), TODAY_LICENCE)
    text = "\n".join(errors(root))
    assert "openness.checkpoints_" in text  # the schema refuses the unknown key
    fixed = {k: v for k, v in profile.items() if k != "checkpoints_"}
    root = with_registry(make_catalog({"open-model": model(openness=fixed)}), TODAY_LICENCE)
    out = errors(root)
    assert any(re.fullmatch(r"open-model.yml:\d+: openness: missing components: checkpoints", e)
               for e in out), out  # fmt: skip
    assert any("'weights' is released (yes) but links no evidence" in e for e in out)
    assert any("'evaluation' is partial: say which part in a note" in e for e in out)
    root = make_catalog({"bare": valid_entry(kind="model", openness=None)})
    assert any("a model needs an openness profile" in e for e in errors(root))


def test_released_parts_need_a_licence_that_releases_them(make_catalog):
    data = {"released": "yes", "url": "https://m.example.org/data"}
    profile = {**model()["openness"], "training_data": data}
    root = with_registry(make_catalog({"open-model": model(openness=profile)}), TODAY_LICENCE)
    assert any(
        "'training_data' is released but license.data says LicenseRef-None" in e
        for e in errors(root)
    )
    lic = {**model()["license"], "weights": "LicenseRef-NotApplicable"}
    root = with_registry(make_catalog({"open-model": model(license=lic)}), TODAY_LICENCE)
    assert any("stands alone, in license.code only" in e for e in errors(root))


def test_tags_come_from_the_vocabulary(make_catalog):
    root = make_catalog({"example": valid_entry(tags=["llms", "gpu"])})
    (root / "tags.yml").write_text(
        "- group: G\n  tags:\n    - id: llm\n      label: LLMs\n      synonyms: [llms]\n"
        "    - id: gpu\n      label: GPUs\n"
    )
    (error,) = errors(root)
    assert re.fullmatch(
        r"example.yml:\d+: tags\[0\]: unknown tag 'llms' \(did you mean 'llm'\?\)", error
    )


def test_checked_dates_and_base_models(make_catalog):
    future = valid_entry(checked="2999-01-01")
    stale = valid_entry(name="Stale", links={"homepage": "https://s.example.org/"},
                        checked="2020-01-01", added="2020-01-01")  # fmt: skip
    new = valid_entry(
        name="New", links={"homepage": "https://n.example.org/"}, checked="2024-06-01"
    )
    root = make_catalog({"future": future, "stale": stale, "new": new})
    diagnostics = load_workspace(root).diagnostics
    assert any(d.field == "checked" and "in the future" in d.message for d in diagnostics)
    stale_warning = [d for d in diagnostics if d.severity == "warning" and d.field == "checked"]
    assert [Path(d.path).name for d in stale_warning] == ["stale.yml"]
    root = with_registry(
        make_catalog({"open-model": model(base_model="nothing-here")}), TODAY_LICENCE
    )
    assert any("base_model: no other entry with id 'nothing-here'" in e for e in errors(root))


def test_model_generations_may_share_a_repository_but_not_their_weights(make_catalog):
    shared = {"homepage": "https://m.example.org/", "repository": "https://github.com/m/models"}
    one = model(name="M 1", links={**shared, "weights": "https://huggingface.co/m/one"})
    two = model(name="M 2", links={**shared, "weights": "https://huggingface.co/m/two"})
    bench = valid_entry(name="Bench", kind="benchmark", links=shared)
    root = with_registry(make_catalog({"one": one, "two": two, "bench": bench}), TODAY_LICENCE)
    assert errors(root) == []
    three = model(name="M 3", links={**shared, "weights": "https://huggingface.co/m/one"})
    root = with_registry(make_catalog({"one": one, "three": three}), TODAY_LICENCE)
    assert any("links.weights: same weights as entry 'one'" in e for e in errors(root))


def test_pages_show_the_grid_the_level_and_not_applicable_neutrally(make_catalog):
    community = valid_entry(name="Circle", kind="community", categories=["communities"],
                            links={"homepage": "https://c.example.org/"},
                            license={"code": "LicenseRef-NotApplicable"})  # fmt: skip
    root = with_registry(make_catalog({"open-model": model(), "circle": community}), TODAY_LICENCE)
    site = render_site(load_workspace(root))
    html = site.pages[pages.project("open-model")].body
    assert "Openness, part by part" in html
    assert '<tr class="aic-grade--restricted"><th scope="row">Weights</th>' in html
    assert '<tr class="aic-grade--closed"><th scope="row">Training code</th>' in html
    assert "aic-level--restricted-weights" in html
    assert ">Restricted weights</a>" in html
    circle = site.pages[pages.project("circle")].body
    assert '<span class="aic-badge aic-badge--not-applicable">not applicable</span>' in circle
    assert "aic-badge--closed" not in circle
    assert "No single code base to license." in circle
    assert "?code=not-applicable" in site.pages[pages.HOME].body  # counted apart
    record = next(r for r in json.loads(site.files()[pages.PROJECTS_JSON])["projects"]
                  if r["id"] == "open-model")  # fmt: skip
    assert record["openness"]["level"] == "restricted-weights"
    assert record["profile"]["weights"] == {
        "released": "yes", "url": "https://m.example.org/weights", "grade": "restricted"
    }  # fmt: skip
    terms_page = site.pages[pages.licence("LicenseRef-Acme-Community")].body
    assert (
        '<th scope="row">May I use it commercially?</th><td>Yes, with a condition: A' in terms_page
    )
    assert 'href="../../projects/open-model/">Open Model</a>' in terms_page
    registry = json.loads(site.files()[pages.LICENSES_JSON])
    assert [(r["id"], r["used_by"]) for r in registry] == [
        ("LicenseRef-Acme-Community", ["open-model"])
    ]
