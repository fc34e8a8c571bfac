"""`aicatalog new` from scripts: what it writes, what it refuses, and that it never clobbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aicatalog import scaffold
from aicatalog.cli import cli
from aicatalog.lookalike import name_key, url_key
from aicatalog.scaffold import Draft
from aicatalog.workspace import load_workspace

from .helpers import valid_entry

TODAY = dt.datetime.now(dt.UTC).date()

PYTORCH = valid_entry(
    name="PyTorch",
    links={"homepage": "https://pytorch.org", "repository": "https://github.com/pytorch/pytorch"},
    checked=TODAY.isoformat(),  # as fresh as the new entry: no stale-check warning
)
GOOD = {
    "--name": "PyTorch Lightning",
    "--homepage": "https://lightning.ai",
    "--repository": "https://github.com/Lightning-AI/pytorch-lightning",
    "--kind": "framework",
    "--category": "deep-learning",
}


def answers(**changes: str) -> list[str]:
    """The good answers as arguments, with some replaced: answers(homepage="http://x")."""
    merged = GOOD | {f"--{key.replace('_', '-')}": value for key, value in changes.items()}
    return [part for option, value in merged.items() for part in (option, value)]


ANSWERS = answers()


def run_new(root: Path, *args: str):
    return CliRunner().invoke(cli, ["new", "--catalog", str(root), *args])


def entry_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "projects").iterdir())}


def test_scripted_new_writes_every_required_field_and_lists_what_is_left(make_catalog):
    root = make_catalog({"pytorch": PYTORCH})
    result = run_new(root, *ANSWERS, "--yes")
    assert result.exit_code == 0, result.output
    path = root / "projects" / "pytorch-lightning.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema.json\n")
    data = yaml.safe_load(text)
    assert data == {
        "name": "PyTorch Lightning",
        "description": "",
        "kind": "framework",
        "categories": ["deep-learning"],
        "links": {
            "homepage": "https://lightning.ai",
            "repository": "https://github.com/Lightning-AI/pytorch-lightning",
        },
        "license": {"code": ""},
        "added": TODAY,
        "checked": TODAY,
    }
    # Optional fields are offered as comments, ready to uncomment.
    for optional in ("# documentation:", "# steward:", "# tags:", "# related:", "# source:"):
        assert optional in text
    lines = text.splitlines()
    assert lines[2].startswith('description: ""')
    assert lines[12].startswith('  code: ""')
    left = result.output.split("Left to fill in:\n", 1)[1].splitlines()
    assert left[0] == f"  {path}:3:14: description: {scaffold.GUIDANCE['description']}"
    assert left[1] == f"  {path}:13:9: license.code: {scaffold.GUIDANCE['license.code']}"
    assert f"Then check it: aicatalog validate {path}" in result.output
    # The validator agrees: only the two placeholders are wrong.
    fields = {d.field for d in load_workspace(root, only=[path]).diagnostics}
    assert fields == {"description", "license.code"}


def test_complete_answers_give_a_valid_entry_the_model_reads_back(make_catalog):
    root = make_catalog({"pytorch": PYTORCH})
    description = (
        "A lightweight wrapper around PyTorch that organises training code and runs it on "
        "CPUs, GPUs and clusters without changes, with checkpointing and logging built in."
    )
    result = run_new(
        root,
        *ANSWERS,
        "--license", "Apache-2.0",
        "--license-source", "https://github.com/Lightning-AI/pytorch-lightning/blob/HEAD/LICENSE",
        "--description", description,
        "--category", "training-at-scale",
        "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output
    loaded = load_workspace(root)
    assert loaded.diagnostics == []
    assert loaded.catalog is not None
    project = loaded.catalog.by_id()["pytorch-lightning"]
    assert project.description == description
    assert project.categories == ("deep-learning", "training-at-scale")
    assert project.license.code == "Apache-2.0"
    assert project.openness.code == "open"
    assert project.added == TODAY
    text = (root / "projects" / "pytorch-lightning.yml").read_text(encoding="utf-8")
    assert "description: >-\n" in text  # long text folded like hand-written entries
    assert max(len(line) for line in text.splitlines()) <= 100


@pytest.mark.parametrize(("kind", "part"), [("model", "weights"), ("dataset", "data")])
def test_models_and_datasets_get_a_placeholder_for_their_own_licence(make_catalog, kind, part):
    root = make_catalog({})
    args = ["--name", "Tiny", "--homepage", "https://tiny.example.org", "--kind", kind]
    result = run_new(root, *args, "--category", "datasets", "--license", "MIT", "--yes")
    assert result.exit_code == 0, result.output
    path = root / "projects" / "tiny.yml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["license"] == {"code": "MIT", part: ""}
    left = result.output.split("Left to fill in:\n", 1)[1]
    assert f"license.{part}: {scaffold.GUIDANCE[f'license.{part}']}" in left
    assert "a model needs" not in left
    assert "a dataset needs" not in left  # said once, plainly


BAD_INPUTS = [
    pytest.param(
        ["--homepage", "http://lightning.ai"],
        "error: --homepage: URL must use https, not 'http': 'http://lightning.ai' (use https://)",
        2,
        id="http-url",
    ),
    pytest.param(
        ["--homepage", "https://192.168.1.10/"],
        "error: --homepage: '192.168.1.10' is not a public address: 'https://192.168.1.10/' "
        "(link to the project's public site)",
        2,
        id="private-address",
    ),
    pytest.param(
        ["--category", "deep-learnin"],
        "error: --category: unknown category 'deep-learnin' (did you mean 'deep-learning'?)",
        2,
        id="unknown-category",
    ),
    pytest.param(
        ["--kind", "frame"],
        "error: --kind: 'frame' is not one of: framework, library, model, dataset, tool, "
        "platform, community, course, benchmark (did you mean 'framework'?)",
        2,
        id="unknown-kind",
    ),
    pytest.param(
        ["--license", "Apache 2"],
        "error: --license: 'Apache 2' is not an SPDX identifier (did you mean 'Apache-2.0'?)",
        2,
        id="bad-licence",
    ),
    pytest.param(
        ["--name", "pytorch"],
        "error: --name: already in the catalog: entry 'pytorch' ({path}) has this name "
        "(one entry per project: edit that entry instead)",
        1,
        id="duplicate-name",
    ),
    pytest.param(
        ["--homepage", "https://www.PyTorch.org/"],
        "error: --homepage: already in the catalog: entry 'pytorch' ({path}) has this homepage "
        "(one entry per project: edit that entry instead)",
        1,
        id="duplicate-homepage",
    ),
    pytest.param(
        ["--repository", "https://github.com/pytorch/pytorch/"],
        "error: --repository: already in the catalog: entry 'pytorch' ({path}) has this "
        "repository (one entry per project: edit that entry instead)",
        1,
        id="duplicate-repository",
    ),
    pytest.param(
        ["--id", "pytorch"],
        "error: --id: id 'pytorch' is taken by entry 'pytorch' ({path}) (choose another with --id)",
        1,
        id="duplicate-id",
    ),
    pytest.param(
        ["--name", "文心"],
        "error: --name: the name gives no usable id "
        "(pass --id with 2-64 lowercase letters, digits and hyphens)",
        2,
        id="name-without-id",
    ),
    pytest.param(
        ["--description", "Too short."],
        "error: --description: is 10 characters long; it must be at least 20",
        2,
        id="short-description",
    ),
]


@pytest.mark.parametrize(("override", "expected", "status"), BAD_INPUTS)
def test_a_bad_answer_gives_one_clear_line_and_writes_nothing(
    make_catalog, override, expected, status
):
    root = make_catalog({"pytorch": PYTORCH})
    before = entry_files(root)
    result = run_new(root, *answers(**{override[0][2:]: override[1]}), "--yes")
    assert result.exit_code == status
    [line] = result.stderr.splitlines()
    assert line.startswith(expected.format(path=root / "projects" / "pytorch.yml"))
    assert result.stdout == ""
    assert entry_files(root) == before


def test_several_bad_answers_are_all_reported_at_once(make_catalog):
    root = make_catalog({})
    result = run_new(
        root, "--name", "X y", "--homepage", "ftp://x.org", "--kind", "model", "--category",
        "nope", "--yes",
    )  # fmt: skip
    assert result.exit_code == 2
    assert [line.split(":")[1].strip() for line in result.stderr.splitlines()] == [
        "--homepage",
        "--category",
    ]
    assert list((root / "projects").iterdir()) == []


def test_missing_answers_without_a_terminal_are_named(make_catalog):
    root = make_catalog({})
    result = run_new(root, "--name", "Solo", "--yes")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {option}: is required (or run `aicatalog new` on a terminal to be asked)"
        for option in ("--homepage", "--kind", "--category")
    ]
    assert list((root / "projects").iterdir()) == []


def test_duplicates_are_found_even_when_other_entries_are_broken(make_catalog):
    broken = valid_entry(name="PyTorch", description=42, links={"homepage": "https://pytorch.org"})
    root = make_catalog({"torch": broken, "garbage": "name: [unclosed\n"})
    result = run_new(root, *answers(homepage="https://pytorch.org/"), "-y")
    assert result.exit_code == 1
    assert "entry 'torch'" in result.stderr
    assert "has this homepage" in result.stderr
    # A broken neighbour does not stop a genuinely new entry either.
    result = run_new(root, *ANSWERS, "--yes")
    assert result.exit_code == 0, result.output
    assert (root / "projects" / "pytorch-lightning.yml").is_file()


def test_each_answer_compares_keys_the_entries_worked_out_once(make_catalog, monkeypatch):
    """A prompt checks every answer against every entry: the entries' look-alike keys are
    derived on the first answer only (at 5,000 entries that was 300 ms an answer)."""
    root = make_catalog(
        {f"p{i}": valid_entry(name=f"Project {i}", links={"homepage": f"https://p{i}.org"})
        for i in range(20)}
    )  # fmt: skip
    context = scaffold.load_context(root)
    calls = {"name": 0, "url": 0}
    real_name, real_url = name_key, url_key

    def counting_name(text: str) -> str:
        calls["name"] += 1
        return real_name(text)

    def counting_url(text: str) -> str:
        calls["url"] += 1
        return real_url(text)

    monkeypatch.setattr(scaffold, "name_key", counting_name)
    monkeypatch.setattr(scaffold, "url_key", counting_url)
    for i in range(3):
        draft = Draft(name=f"Project {i}", homepage=f"https://p{i}.org/").cleaned()
        problems = scaffold.check(draft, context)
        assert [p.duplicate for p in problems if p.duplicate] == [True]
    # 20 entries once, plus the answer's own name and homepage for each of the 3 answers
    assert calls == {"name": 20 + 3, "url": 20 + 3}


def test_write_never_replaces_an_existing_file(make_catalog):
    root = make_catalog({"pytorch": PYTORCH})
    context = scaffold.load_context(root)
    before = (root / "projects" / "pytorch.yml").read_bytes()
    draft = Draft(name="Other", entry_id="pytorch", homepage="https://o.example.org").cleaned()
    with pytest.raises(FileExistsError):
        scaffold.write_entry(draft, context)
    assert (root / "projects" / "pytorch.yml").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Hugging Face Hub", "hugging-face-hub"),
        ("GPT-2", "gpt-2"),
        ("Café  ML!", "cafe-ml"),
        ("Notebook++", "notebook-plus-plus"),
        ("scikit-learn", "scikit-learn"),
        ("fast.ai", "fast-ai"),
        ("文心", ""),
        ("word " * 30, ("word-" * 13)[:-1]),  # cut at a word, within 64
    ],
)
def test_id_from_name(name, entry_id):
    assert scaffold.derive_id(name) == entry_id


@settings(max_examples=150, deadline=None)
@example(name="a\u2028b", description="x: y\n# z", url_tail='\x85"')  # line separators
@example(name="yes", description="- [1]", url_tail="#frag ment")  # YAML look-alikes
@given(
    name=st.text(min_size=1, max_size=80),
    description=st.text(max_size=300),
    url_tail=st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)
def test_any_answer_round_trips_through_the_file_unchanged(name, description, url_tail):
    """No answer can inject YAML: what is read back is exactly what was given (cleaned)."""
    draft = Draft(
        name=name,
        description=description,
        homepage="https://example.org/" + url_tail,
        kind="library",
        categories=("deep-learning",),
        license="MIT",
    ).cleaned()
    text = scaffold.render(draft, TODAY)
    data = yaml.safe_load(text)
    assert set(data) == {
        "name", "description", "kind", "categories", "links", "license", "added", "checked"
    }  # fmt: skip
    assert data["name"] == (draft.name or "")
    assert data["description"] == (draft.description or "")
    assert data["links"] == {"homepage": draft.homepage}


def test_a_model_scaffold_asks_for_every_openness_component():
    draft = Draft(name="Open Model", homepage="https://m.example.org/", kind="model").cleaned()
    data = yaml.safe_load(scaffold.render(draft, TODAY))
    assert list(data["openness"]) == [
        "weights", "inference_code", "training_code", "training_data", "data_card",
        "model_card", "technical_report", "evaluation", "checkpoints",
    ]  # fmt: skip
    assert all(c == {"released": ""} for c in data["openness"].values())
    assert "registry id from catalog/licenses/" in scaffold.GUIDANCE["license.weights"]


def test_tags_are_offered_from_the_vocabulary_and_a_synonym_names_its_id(make_catalog):
    torch = valid_entry(name="PyTorch", tags=["gpu"], links={"homepage": "https://pytorch.org"})
    root = make_catalog({"pytorch": torch})
    (root / "tags.yml").write_text(
        "- group: G\n  tags:\n    - id: gpu\n      label: GPUs\n"
        "    - id: llm\n      label: LLMs\n      synonyms: [llms]\n"
    )
    context = scaffold.load_context(root)
    assert context.tags_in("deep-learning") == ["gpu"]  # what entries of the category use
    refused = run_new(root, *ANSWERS, "--tag", "llms", "--yes")
    assert refused.exit_code == 2
    assert "--tag: unknown tag 'llms' (did you mean 'llm'?)" in refused.output
    written = run_new(root, *ANSWERS, "--tag", "llm", "--tag", "gpu", "--yes")
    assert written.exit_code == 0, written.output
    text = (root / "projects" / "pytorch-lightning.yml").read_text()
    assert "tags: [llm, gpu]" in text
