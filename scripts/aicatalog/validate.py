"""Checks on catalog entries: the JSON Schema first, then the rules a schema cannot say.

Each check returns Diagnostics instead of raising, so one run reports every
problem at once, each pointing at a file, line and field with a hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from . import licenses, lookalike
from .diagnostics import Diagnostic
from .model import Project
from .urls import url_problem
from .yamlfile import Path_, YamlDoc, dotted

SCHEMA_PATH_IN_CATALOG = "schema.json"
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!]|&#?[a-zA-Z0-9]+;")
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_MD_LINK_RE = re.compile(r"\[[^\]]*\]\([^)]*\)|<https?://|https?://")


class Schema:
    """The catalog's JSON Schema, compiled twice for two jobs.

    fastjsonschema turns the schema into Python code and answers "valid?" about
    50x faster than jsonschema, which matters at thousands of entries; but it
    stops at the first error. jsonschema then explains every error of the rare
    invalid entry. Tests check that the two agree.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        cls = jsonschema.Draft202012Validator
        cls.check_schema(schema)
        self.explain = cls(schema, format_checker=cls.FORMAT_CHECKER)
        self._fast = fastjsonschema.compile(schema)

    def is_valid(self, data: Any) -> bool:
        try:
            self._fast(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True


@cache
def load_schema(path: Path) -> Schema:
    """The catalog's schema.json, compiled once per run."""
    return Schema(json.loads(path.read_text(encoding="utf-8")))


def _close(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _did_you_mean(word: Any, choices: Iterable[str]) -> str | None:
    close = _close(str(word), choices)
    return f"did you mean '{close}'?" if close else None


_TYPE_NAMES = {
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


class _Entry:
    """Context for one file's checks: where things are and how to report them."""

    def __init__(self, rel: str, doc: YamlDoc) -> None:
        self.rel = rel
        self.doc = doc
        self.out: list[Diagnostic] = []

    def add(
        self,
        path: Path_,
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
        severity: str = "error",
    ) -> None:
        line, col = self.doc.where(path, key=key)
        self.out.append(Diagnostic(self.rel, line, col, severity, dotted(path), message, hint))  # type: ignore[arg-type]


def _schema_messages(entry: _Entry, schema: Schema, data: Any) -> None:
    """Translate jsonschema errors into contributor-friendly messages."""
    if schema.is_valid(data):
        return
    defs = schema.explain.schema.get("$defs", {})
    for error in schema.explain.iter_errors(data):
        path: Path_ = tuple(error.absolute_path)
        v = error.validator
        inst = error.instance
        if v == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            for name in missing:
                where = "the entry" if not path else dotted(path)
                entry.add((*path, name), f"missing required field '{name}' in {where}", key=True)
        elif v == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for extra in sorted(set(inst) - set(allowed)):
                hint = _did_you_mean(extra, allowed)
                if hint is None:
                    hint = "allowed: " + ", ".join(allowed)
                entry.add((*path, extra), f"unknown key '{extra}'", hint, key=True)
        elif v == "enum":
            hint = _did_you_mean(inst, [str(x) for x in error.validator_value])
            choices = ", ".join(map(str, error.validator_value))
            entry.add(path, f"{inst!r} is not one of: {choices}", hint)
        elif v == "type":
            want = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
            hint = None
            if isinstance(inst, bool):
                hint = "quote it: YAML reads yes/no/on/off/true/false as booleans"
            elif error.validator_value == "string" and isinstance(inst, (int, float)):
                hint = "quote it"
            entry.add(path, f"must be {want}, not {_describe(inst)}", hint)
        elif v == "pattern":
            if error.schema is defs.get("url") or error.schema.get("$ref") == "#/$defs/url":
                problem = url_problem(str(inst))
                msg, hint = problem or ("not an https URL", None)
                entry.add(path, f"{msg}: {inst!r}", hint)
            elif error.schema.get("pattern") == defs.get("slug", {}).get("pattern"):
                slug = re.sub(r"[^a-z0-9]+", "-", str(inst).lower()).strip("-")
                entry.add(path, f"{inst!r} must be lowercase kebab-case", f"write '{slug}'")
            elif path and path[0] == "name":
                entry.add(path, "must not start or end with white space")
            else:
                entry.add(path, f"{inst!r} has characters that are not allowed here")
        elif v in ("minLength", "maxLength"):
            n = len(inst)
            bound = "at least" if v == "minLength" else "at most"
            entry.add(path, f"is {n} characters long; it must be {bound} {error.validator_value}")
        elif v in ("minItems", "maxItems"):
            bound = "at least" if v == "minItems" else "at most"
            entry.add(path, f"has {len(inst)} items; it must have {bound} {error.validator_value}")
        elif v == "uniqueItems":
            entry.add(path, "lists the same value twice", "remove the repeat")
        elif v == "format":
            entry.add(path, f"{inst!r} is not a valid {error.validator_value}", "write YYYY-MM-DD")
        elif v in ("minimum", "maximum"):
            entry.add(path, f"{inst!r} is out of range ({v} {error.validator_value})")
        else:
            entry.add(path, error.message)


class Vocabulary:
    """The category and domain ids an entry may use."""

    def __init__(self, categories: Iterable[str], domains: Iterable[str]) -> None:
        self.categories = tuple(categories)
        self.domains = tuple(domains)


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """(path, value) for the string at path, or each string in the list at path."""
    value = data
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return
        value = value[part]
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield (*path, i), item


def _all_strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every string value in a document, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _all_strings(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _all_strings(child, (*path, i))


def check_entry(
    rel: str,
    stem: str,
    doc: YamlDoc,
    schema: Schema,
    vocab: Vocabulary,
    today: dt.date,
) -> list[Diagnostic]:
    """Every problem in one parsed entry file, schema and beyond."""
    entry = _Entry(rel, doc)
    if not (ID_RE.match(stem) and 2 <= len(stem) <= 64):
        slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:64] or "my-project"
        entry.add((), f"file name '{stem}.yml' is not a valid id", f"rename it to '{slug}.yml'")
    data = doc.data
    if not isinstance(data, dict):
        entry.add((), f"an entry must be a mapping of fields, not {_describe(data)}")
        return entry.out
    _schema_messages(entry, schema, data)
    reported = {d.field for d in entry.out}
    if "id" in data:
        entry.out = [d for d in entry.out if d.field != "id"]
        entry.add(("id",), "no 'id' field: the id is the file name", "remove it", key=True)

    _check_as_written(entry, data)
    # The YAML reader refuses raw control characters; only escapes can bring them in.
    for path, text in _all_strings(data, ()) if doc.escapes else ():
        if _CONTROL_RE.search(text):
            entry.add(path, "must not contain control characters")
    for path, text in _strings(data, ("description",)):
        if "\n" in text.strip() or "\r" in text:
            entry.add(path, "must be one paragraph without line breaks", "use '>-' folded style")
        if _HTML_RE.search(text):
            entry.add(path, "must be plain text, without HTML tags or entities")
        if _MD_LINK_RE.search(text):
            entry.add(path, "must not contain links", "put URLs under 'links'")

    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    link_paths = [("links", name) for name in links] + [("license", "source")]
    for path in link_paths:
        for p, url in _strings(data, path):
            if dotted(p) in reported:
                continue
            problem = url_problem(url)
            if problem:
                entry.add(p, f"{problem[0]}: {url!r}", problem[1])

    lic = data.get("license") if isinstance(data.get("license"), dict) else {}
    for part in ("code", "weights", "data"):
        for p, expr in _strings(data, ("license", part)):
            if dotted(p) in reported:
                continue
            problem = licenses.check(expr)
            if problem:
                entry.add(p, problem.message, problem.hint)
    vague = [
        (k, ref)
        for k in ("code", "weights", "data")
        for ref in licenses.license_refs(str(lic.get(k, "")))
        if ref in licenses.NEED_NOTE
    ]
    if vague and not lic.get("note"):
        entry.add(
            ("license", vague[0][0]),
            f"{vague[0][1]} needs license.note",
            "say where you looked for a licence, or which terms apply to which parts",
        )
    kind = data.get("kind")
    for needed_kind, part in (("model", "weights"), ("dataset", "data")):
        if kind == needed_kind and "license" in data and not lic.get(part):
            entry.add(
                ("license",),
                f"a {needed_kind} needs license.{part}",
                "open weights are not open source: record the weights licence separately"
                if part == "weights"
                else "record the licence of the data itself",
            )

    for field, known in (("categories", vocab.categories), ("domains", vocab.domains)):
        for p, value in _strings(data, (field,)):
            if dotted(p) not in reported and value not in known:
                hint = _did_you_mean(value, known) or f"see catalog/{field}.yml"
                entry.add(
                    p, f"unknown {field[:-1] if field == 'domains' else 'category'} '{value}'", hint
                )
    for p, value in _strings(data, ("related",)):
        if value == stem:
            entry.add(p, "an entry cannot be related to itself")

    for p, value in _strings(data, ("added",)):
        try:
            added = dt.date.fromisoformat(value)
        except ValueError:
            continue  # reported by the schema's date format
        if added > today:
            entry.add(p, f"date {value} is in the future", f"use today's date, {today}")
    first = data.get("first_release")
    if isinstance(first, int) and not isinstance(first, bool) and first > today.year:
        entry.add(("first_release",), f"year {first} is in the future")

    if data.get("status") == "archived":
        entry.add(
            ("status",),
            "project is archived",
            "readers will see it marked as archived",
            severity="warning",
        )
    return entry.out


def _check_as_written(entry: _Entry, data: dict[str, Any]) -> None:
    """Values that read as meant only at a glance: invisible characters in a name, and a
    first_release YAML reads as a year from 2020.0, 0x7E4 or 33:40 (the raw text decides)."""
    for p, name in _strings(data, ("name",)):
        if problem := lookalike.name_problem(name):
            entry.add(p, problem, "remove them: they hide what the name says")
    written = entry.doc.numbers.get(("first_release",))
    if written is not None and not re.fullmatch(r"[0-9]{4}", written):
        entry.add(("first_release",), f"{written!r} is not a year", "write four digits, e.g. 2020")


def check_catalog(projects: Iterable[Project]) -> list[Diagnostic]:
    """Problems between entries: duplicates and related ids that do not exist."""
    out: list[Diagnostic] = []
    projects = sorted(projects, key=lambda p: p.id)
    ids = {p.id for p in projects}
    seen: dict[tuple[str, str], Project] = {}
    for project in projects:
        keys = [("name", lookalike.name_key(project.name), "name")]
        for field in ("homepage", "repository"):
            url = getattr(project.links, field)
            if url:
                keys.append((field, lookalike.url_key(url), f"links.{field}"))
        for field, key, dotted_name in keys:
            first = seen.get((field, key))
            if first is None:
                seen[(field, key)] = project
                continue
            out.append(
                Diagnostic.at(
                    project.location(dotted_name),
                    dotted_name,
                    f"same {field} as entry '{first.id}' ({first.path})",
                    "one entry per project: edit the existing entry instead",
                )
            )
        for i, rel in enumerate(project.related):
            if rel not in ids:
                field = f"related[{i}]"
                message = f"no entry with id '{rel}'"
                hint = _did_you_mean(rel, ids)
                out.append(Diagnostic.at(project.location(field), field, message, hint))
    return out
