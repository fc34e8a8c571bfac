"""The licence registry: the terms of every non-open licence the catalog uses, as data.

A bespoke model licence (Llama's, Gemma's, a RAIL variant) or a non-commercial
Creative Commons licence says far more than "restricted". Each one gets a file
in `catalog/licenses/<id>.yml` whose terms use fixed keys, so the site can answer
"may I use it commercially? must I pass on restrictions?" from checked data and
tools can rely on the same answers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .diagnostics import Diagnostic, Location
from .licenses import license_keys
from .paths import display_path
from .urls import url_problem
from .yamlfile import YamlDoc, read_yaml

Answer = Literal["yes", "no", "conditional"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "conditional")

#: A registry id: an SPDX id, or `LicenseRef-` and letters, digits, dots and hyphens.
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{1,79}$")

#: Every key of a registry file and what it must hold: (kind, required).
FIELDS: dict[str, tuple[str, bool]] = {
    "id": ("id", True),
    "name": ("text", True),
    "url": ("url", True),
    "steward": ("text", True),
    "source": ("url", True),
    "checked": ("date", True),
    "commercial_use": ("answer", True),
    "commercial_condition": ("text", False),
    "use_restrictions": ("bool", True),
    "restrictions_pass_on": ("bool", True),
    "redistribution": ("answer", True),
    "derivatives": ("answer", True),
    "attribution": ("bool", True),
    "naming_requirement": ("text-or-null", True),
    "summary": ("text", True),
}


@dataclass(frozen=True)
class LicenseTerms:
    """One registry licence: who wrote it, where its text is, and its terms as fixed answers."""

    id: str
    name: str
    url: str
    steward: str
    source: str
    checked: dt.date
    commercial_use: Answer
    use_restrictions: bool
    restrictions_pass_on: bool
    redistribution: Answer
    derivatives: Answer
    attribution: bool
    naming_requirement: str | None
    summary: str
    path: str
    commercial_condition: str | None = None

    def commercial_answer(self) -> str:
        """'May I use it commercially?' in plain words, condition included."""
        if self.commercial_use == "yes":
            return "Yes."
        if self.commercial_use == "no":
            return "No: non-commercial use only."
        return f"Yes, with a condition: {self.commercial_condition}"

    def pass_on_answer(self) -> str:
        """'Must I pass on restrictions?' in plain words."""
        if self.restrictions_pass_on:
            return "Yes: derivatives and copies must carry the same use restrictions."
        if self.use_restrictions:
            return "No, but the use restrictions bind you."
        return "No."


@dataclass(frozen=True)
class Registry:
    """Every licence of the registry, by id."""

    terms: Mapping[str, LicenseTerms]

    def get(self, license_id: str) -> LicenseTerms | None:
        return self.terms.get(license_id)

    def closest(self, license_id: str) -> str | None:
        """The registry id a mistyped or unknown one most likely means."""
        return closest_id(license_id, self.terms)


def closest_id(license_id: str, ids: Iterable[str]) -> str | None:
    """Of `ids`, the one a mistyped or unknown licence id most likely means (case ignored)."""
    folded = {i.casefold(): i for i in ids}
    hit = difflib.get_close_matches(license_id.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[hit[0]] if hit else None


EMPTY = Registry({})


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_value(kind: str, value: Any) -> str | None:
    """Why `value` is not a valid value of `kind`, or None."""
    if kind == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    if kind == "answer":
        return None if value in ANSWERS else "must be one of: yes, no, conditional"
    if kind == "date":
        return None if _is_date(value) else "must be a date YYYY-MM-DD"
    if kind == "url":
        found = url_problem(value) if isinstance(value, str) else ("must be an https URL", None)
        return found[0] if found else None
    if kind == "id":
        ok = isinstance(value, str) and ID_RE.match(value)
        return None if ok else "must be an SPDX id or LicenseRef-<Name> (letters, digits, . and -)"
    if kind == "text-or-null" and value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        return "must be non-empty text"
    return None if len(value) <= 600 else "must be at most 600 characters"


def _field_problems(rel: str, doc: YamlDoc, data: dict[str, Any]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []

    def at(key: str, message: str, hint: str | None = None) -> None:
        line, col = doc.where((key,))
        problems.append(Diagnostic.at(Location(rel, line, col), key, message, hint))

    for key in data:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, list(FIELDS), n=1)
            at(key, f"unknown key '{key}'", f"did you mean '{close[0]}'?" if close else None)
    for key, (kind, required) in FIELDS.items():
        if key not in data:
            if required:
                at(key, f"'{key}' is required", "see catalog/licenses/README.md for every key")
            continue
        problem = _check_value(kind, data[key])
        if problem:
            at(key, f"'{key}' {problem}")
    conditional = data.get("commercial_use") == "conditional"
    if conditional and not data.get("commercial_condition"):
        at("commercial_use", "conditional commercial use needs 'commercial_condition'")
    if not conditional and data.get("commercial_condition"):
        at("commercial_condition", "only a 'conditional' commercial use takes a condition")
    return problems


def read_terms(path: Path) -> tuple[LicenseTerms | None, list[Diagnostic]]:
    """One registry file: its terms, or None and why not. Never raises for bad content."""
    rel = display_path(path)
    doc = read_yaml(path, rel)
    if doc.problems:
        return None, list(doc.problems)
    if not isinstance(doc.data, dict):
        where = Location(rel, 1, 1)
        return None, [Diagnostic.at(where, "", "a licence file must be a mapping of keys")]
    data: dict[str, Any] = doc.data
    problems = _field_problems(rel, doc, data)
    if not problems and data["id"] != path.stem:
        line, col = doc.where(("id",))
        problems.append(
            Diagnostic.at(
                Location(rel, line, col),
                "id",
                f"id '{data['id']}' does not match the file name '{path.name}'",
                f"rename the file to {data['id']}.yml",
            )
        )
    if problems:
        return None, problems
    return (
        LicenseTerms(
            id=data["id"],
            name=data["name"],
            url=data["url"],
            steward=data["steward"],
            source=data["source"],
            checked=dt.date.fromisoformat(data["checked"]),
            commercial_use=data["commercial_use"],
            use_restrictions=data["use_restrictions"],
            restrictions_pass_on=data["restrictions_pass_on"],
            redistribution=data["redistribution"],
            derivatives=data["derivatives"],
            attribution=data["attribution"],
            naming_requirement=data["naming_requirement"],
            summary=" ".join(data["summary"].split()),
            path=rel,
            commercial_condition=data.get("commercial_condition"),
        ),
        [],
    )


def load_registry(folder: Path) -> tuple[Registry, list[Diagnostic]]:
    """Every `*.yml` in `folder` (a missing folder is an empty registry)."""
    if not folder.is_dir():
        return EMPTY, []
    terms: dict[str, LicenseTerms] = {}
    problems: list[Diagnostic] = []
    for path in sorted(folder.iterdir()):
        if path.suffix != ".yml":
            continue
        found, issues = read_terms(path)
        problems.extend(issues)
        clash = next((i for i in terms if found and i.lower() == found.id.lower()), None)
        if found is not None and clash is not None:
            message = f"id '{found.id}' differs from '{clash}' only by case"
            problems.append(Diagnostic.at(Location(found.path, 1, 1), "id", message))
        elif found is not None:
            terms[found.id] = found
    return Registry(terms), problems


def used_by(registry: Registry, expressions: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Registry id -> ids of the entries whose licence expressions name it.

    `expressions` holds (entry id, valid expression) pairs; the licence ids an expression
    names are matched whole, so LicenseRef-Llama-3 does not match LicenseRef-Llama-3.1.
    """
    out: dict[str, list[str]] = {i: [] for i in registry.terms}
    for entry_id, expression in expressions:
        for key in license_keys(expression):
            if key in out and entry_id not in out[key]:
                out[key].append(entry_id)
    return out
