"""The tag vocabulary: loading, its own mistakes, and the suggestions for unknown tags."""

from __future__ import annotations

from pathlib import Path

from aicatalog.tags import load_tags

GOOD = """\
- group: Language
  tags:
    - id: llm
      label: Large language models
      synonyms: [llms, large-language-models]
    - id: nlp
      label: Natural language processing
- group: Evaluation
  tags:
    - id: benchmark
      label: Benchmarks
      synonyms: [benchmarks, benchmarking]
"""


def test_groups_ids_and_synonyms(tmp_path: Path) -> None:
    path = tmp_path / "tags.yml"
    path.write_text(GOOD)
    vocab, problems = load_tags(path)
    assert problems == []
    assert vocab.ids() == {"llm", "nlp", "benchmark"}
    assert [g for g, _ in vocab.groups()] == ["Language", "Evaluation"]
    assert vocab.suggest("benchmarking") == "benchmark"  # through a synonym
    assert vocab.suggest("llmz") == "llm"  # by spelling
    assert vocab.suggest("quantum-chemistry") is None


def test_a_word_used_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tags.yml"
    path.write_text(GOOD + "    - id: evals\n      label: Evals\n      synonyms: [benchmarks]\n")
    _, problems = load_tags(path)
    assert [p.message for p in problems] == ["'benchmarks' is used twice (by benchmark and evals)"]


def test_bad_shapes_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "tags.yml"
    path.write_text("- group: G\n  tags:\n    - id: Bad_Tag\n      label: Bad\n    - label: x\n")
    _, problems = load_tags(path)
    assert [(p.line, p.message) for p in problems] == [
        (3, "tag ids and synonyms are lowercase kebab-case"),
        (5, "a tag needs id and label, and may have synonyms"),
    ]


def test_a_missing_vocabulary_allows_any_tag(tmp_path: Path) -> None:
    vocab, problems = load_tags(tmp_path / "absent.yml")
    assert problems == []
    assert vocab.ids() == frozenset()
