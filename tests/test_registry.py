"""The licence registry: loading, every rule on a registry file, and the plain answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from aicatalog.registry import load_registry, read_terms, used_by

GOOD: dict[str, Any] = {
    "id": "LicenseRef-Example-Community",
    "name": "Example Community License",
    "url": "https://example.org/licence",
    "steward": "Example Lab",
    "source": "https://example.org/licence",
    "checked": "2026-11-26",
    "commercial_use": "conditional",
    "commercial_condition": "A separate licence is needed above 700 million monthly active users.",
    "use_restrictions": True,
    "restrictions_pass_on": True,
    "redistribution": "conditional",
    "derivatives": "yes",
    "attribution": True,
    "naming_requirement": 'Display "Built with Example".',
    "summary": "Use and change the model; large services need another licence.",
}


def write(folder: Path, data: Any, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem = name or (data["id"] if isinstance(data, dict) and "id" in data else "x")
    path = folder / f"{stem}.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    terms, problems = read_terms(path)
    assert terms is None
    return [p.text() for p in problems]


def test_a_complete_file_loads_with_its_terms(tmp_path: Path) -> None:
    terms, problems = read_terms(write(tmp_path, GOOD))
    assert problems == []
    assert terms is not None
    assert terms.commercial_use == "conditional"
    assert terms.checked.isoformat() == "2026-11-26"
    assert terms.commercial_answer().startswith("Yes, with a condition: A separate licence")
    assert terms.pass_on_answer().startswith("Yes: derivatives")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"commercial_use": "maybe"}, "'commercial_use' must be one of: yes, no, conditional"),
        ({"attribution": "yes"}, "attribution: 'attribution' must be true or false"),
        ({"checked": "2026-13-01"}, "checked: 'checked' must be a date YYYY-MM-DD"),
        ({"url": "http://example.org/licence"}, "url: 'url'"),
        ({"summary": ""}, "summary: 'summary' must be non-empty text"),
        ({"commercial_use": "yes"}, "only a 'conditional' commercial use takes a condition"),
        ({"commercial_condition": None}, "conditional commercial use needs 'commercial_condition'"),
        ({"licence_url": "https://e.org"}, "unknown key 'licence_url'"),
    ],
)  # fmt: skip
def test_each_bad_value_is_named_with_its_line(
    tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    data = {**GOOD, **change}
    data = {k: v for k, v in data.items() if v is not None}
    out = messages(write(tmp_path, data))
    assert any(expected in line for line in out), out
    assert all(line.startswith(f"{tmp_path}") or ".yml:" in line for line in out)


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    data = {k: v for k, v in GOOD.items() if k != "derivatives"}
    out = messages(write(tmp_path, data))
    assert any("'derivatives' is required" in line for line in out)


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    out = messages(write(tmp_path, GOOD, name="LicenseRef-Other"))
    assert any("does not match the file name" in line for line in out)


def test_the_line_of_a_bad_value_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, {**GOOD, "redistribution": "sometimes"})
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "sometimes" in text)
    assert any(f".yml:{line}:" in m for m in messages(path))


def test_unknown_ids_get_the_closest_registry_id(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    registry, problems = load_registry(tmp_path)
    assert problems == []
    assert registry.closest("LicenseRef-Example-Comunity") == "LicenseRef-Example-Community"
    assert registry.closest("LicenseRef-Totally-Different-Thing") is None


def test_hostile_yaml_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "LicenseRef-A.yml").write_bytes(b"id: &a [*a]\n")
    (tmp_path / "LicenseRef-B.yml").write_bytes(b"\xff\xfe")
    (tmp_path / "LicenseRef-C.yml").write_text("- a list\n")
    registry, problems = load_registry(tmp_path)
    assert registry.terms == {}
    assert {Path(p.path).name for p in problems} == {
        "LicenseRef-A.yml",
        "LicenseRef-B.yml",
        "LicenseRef-C.yml",
    }


def test_used_by_matches_whole_ids_only() -> None:
    registry_ids = {"LicenseRef-Llama-3", "LicenseRef-Llama-3.1"}
    from aicatalog.registry import Registry

    registry = Registry({i: None for i in registry_ids})  # type: ignore[misc]
    users = used_by(registry, [("a", "LicenseRef-Llama-3.1"), ("b", "MIT OR LicenseRef-Llama-3")])
    assert users == {"LicenseRef-Llama-3": ["b"], "LicenseRef-Llama-3.1": ["a"]}


def test_yes_and_no_are_words_not_booleans(tmp_path: Path) -> None:
    text = yaml.safe_dump(GOOD, sort_keys=False).replace("derivatives: 'yes'", "derivatives: yes")
    assert "derivatives: yes\n" in text
    path = tmp_path / "LicenseRef-Example-Community.yml"
    path.write_text(text, encoding="utf-8")
    terms, problems = read_terms(path)
    assert problems == []
    assert terms is not None
    assert terms.derivatives == "yes"
