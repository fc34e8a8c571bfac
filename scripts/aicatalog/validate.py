"""Checks on catalog entries: the JSON Schema first, then the rules a schema cannot say.

Each check returns Diagnostics instead of raising, so one run reports every
problem at once, each pointing at a file, line and field with a hint.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import fastjsonschema
import jsonschema

from . import licenses, lookalike, openness_rules
from .diagnostics import Diagnostic
from .findings import Finding
from .ids import MAX_LENGTH, is_valid_id, slug
from .model import Project
from .schemafields import leaf_fields, url_fields
from .urls import url_problem
from .yamlfile import Path_, YamlDoc, dotted

SCHEMA_PATH_IN_CATALOG = "schema.json"
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
        self._fast = fastjsonschema.compile(copy.deepcopy(schema))  # it rewrites $refs
        #: Dotted names of the fields holding URLs, and of every field holding a value.
        self.url_fields = url_fields(schema)
        self.defs: Mapping[str, Any] = schema.get("$defs", {})
        self.leaf_fields = tuple(leaf_fields(schema))

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


# --- the schema, translated keyword by keyword ----------------------------------------------


class SchemaError(NamedTuple):
    """What a message needs of one jsonschema error, typed."""

    keyword: str  # the JSON Schema keyword that failed ("enum", "pattern", ...)
    value: Any  # that keyword's value in the schema (the enum's choices, the bound...)
    instance: Any  # the value in the entry
    spec: Mapping[str, Any]  # the schema of that value
    message: str  # jsonschema's own message

    @classmethod
    def of(cls, error: jsonschema.ValidationError) -> SchemaError:
        spec = error.schema if isinstance(error.schema, Mapping) else {}
        return cls(str(error.validator), error.validator_value, error.instance, spec, error.message)


SchemaMessage = Callable[[SchemaError, Path_, Mapping[str, Any]], Iterator[Finding]]


def _required(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    for name in re.findall(r"'([^']+)' is a required property", error.message):
        where = "the entry" if not path else dotted(path)
        yield Finding((*path, name), f"missing required field '{name}' in {where}", key=True)


def _additional(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    allowed = error.spec.get("properties", {})
    for extra in sorted(set(error.instance) - set(allowed)):
        hint = _did_you_mean(extra, allowed) or "allowed: " + ", ".join(allowed)
        yield Finding((*path, extra), f"unknown key '{extra}'", hint, key=True)


def _enum(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    choices = [str(x) for x in error.value]
    hint = _did_you_mean(error.instance, choices)
    yield Finding(path, f"{error.instance!r} is not one of: {', '.join(choices)}", hint)


def _type(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    inst, wanted = error.instance, str(error.value)
    hint = None
    if isinstance(inst, bool):
        hint = "quote it: YAML reads yes/no/on/off/true/false as booleans"
    elif wanted == "string" and isinstance(inst, (int, float)):
        hint = "quote it"
    yield Finding(path, f"must be {_TYPE_NAMES.get(wanted, wanted)}, not {_describe(inst)}", hint)


def _pattern(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    inst = error.instance
    if error.spec is defs.get("url") or error.spec.get("$ref") == "#/$defs/url":
        msg, hint = url_problem(str(inst)) or ("not an https URL", None)
        yield Finding(path, f"{msg}: {inst!r}", hint)
    elif error.spec.get("pattern") == defs.get("slug", {}).get("pattern"):
        yield Finding(path, f"{inst!r} must be lowercase kebab-case", f"write '{slug(str(inst))}'")
    elif path and path[0] == "name":
        yield Finding(path, "must not start or end with white space")
    else:
        yield Finding(path, f"{inst!r} has characters that are not allowed here")


def _bound(error: SchemaError) -> str:
    return "at least" if error.keyword.startswith("min") else "at most"


def _length(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    n, limit = len(error.instance), error.value
    yield Finding(path, f"is {n} characters long; it must be {_bound(error)} {limit}")


def _items(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    n, limit = len(error.instance), error.value
    yield Finding(path, f"has {n} items; it must have {_bound(error)} {limit}")


def _unique(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    yield Finding(path, "lists the same value twice", "remove the repeat")


def _format(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    yield Finding(path, f"{error.instance!r} is not a valid {error.value}", "write YYYY-MM-DD")


def _range(error: SchemaError, path: Path_, defs: Mapping[str, Any]) -> Iterator[Finding]:
    limit = f"{error.keyword} {error.value}"
    yield Finding(path, f"{error.instance!r} is out of range ({limit})")


#: JSON Schema keyword -> the message for an entry that breaks it (others: jsonschema's own).
SCHEMA_MESSAGES: dict[str, SchemaMessage] = {
    "required": _required,
    "additionalProperties": _additional,
    "enum": _enum,
    "type": _type,
    "pattern": _pattern,
    "minLength": _length,
    "maxLength": _length,
    "minItems": _items,
    "maxItems": _items,
    "uniqueItems": _unique,
    "format": _format,
    "minimum": _range,
    "maximum": _range,
}


def _schema_findings(schema: Schema, data: Any) -> Iterator[Finding]:
    """Every schema error of `data` as contributor-friendly findings."""
    for error in schema.explain.iter_errors(data):
        path: Path_ = tuple(error.absolute_path)
        message = SCHEMA_MESSAGES.get(str(error.validator))
        if message is None:
            yield Finding(path, error.message)
        else:
            yield from message(SchemaError.of(error), path, schema.defs)


# --- the rules a schema cannot say -----------------------------------------------------------


class Vocabulary:
    """The category and domain ids an entry may use, and what the openness rules consult
    (the licence registry's ids, the tag vocabulary)."""

    def __init__(
        self,
        categories: Iterable[str],
        domains: Iterable[str],
        context: openness_rules.Context | None = None,
    ) -> None:
        self.categories = tuple(categories)
        self.domains = tuple(domains)
        self.context = context or openness_rules.Context()


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


class Entry(NamedTuple):
    """What a rule sees of one entry file: its data (a mapping), where it came from, and
    what it is checked against. `reported` holds the fields the schema already
    reported, so a rule does not say the same thing twice. (A named tuple: one is made
    per entry, and thousands of entries are checked per run.)"""

    stem: str
    doc: YamlDoc
    data: dict[str, Any]
    schema: Schema
    vocab: Vocabulary
    today: dt.date
    reported: frozenset[str]

    def strings(self, *path: str | int) -> Iterator[tuple[Path_, str]]:
        """The string at `path`, or each string in the list there, with their paths."""
        return _strings(self.data, path)

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}


Rule = Callable[[Entry], Iterable[Finding]]


def no_id_field(e: Entry) -> Iterator[Finding]:
    if "id" in e.data:
        yield Finding(("id",), "no 'id' field: the id is the file name", "remove it", key=True)


def no_control_characters(e: Entry) -> Iterator[Finding]:
    # The YAML reader refuses raw control characters; only escapes can bring them in.
    for path, text in _all_strings(e.data, ()) if e.doc.escapes else ():
        if _CONTROL_RE.search(text):
            yield Finding(path, "must not contain control characters")


def description_is_plain_prose(e: Entry) -> Iterator[Finding]:
    for path, text in e.strings("description"):
        if "\n" in text.strip() or "\r" in text:
            yield Finding(
                path, "must be one paragraph without line breaks", "use '>-' folded style"
            )
        if _HTML_RE.search(text):
            yield Finding(path, "must be plain text, without HTML tags or entities")
        if _MD_LINK_RE.search(text):
            yield Finding(path, "must not contain links", "put URLs under 'links'")


def urls_are_public_https(e: Entry) -> Iterator[Finding]:
    """Every field the schema declares a URL ($defs/url), wherever it is."""
    for name in e.schema.url_fields:
        for p, url in e.strings(*name.split(".")):
            problem = None if dotted(p) in e.reported else url_problem(url)
            if problem:
                yield Finding(p, f"{problem[0]}: {url!r}", problem[1])


def licences_are_spdx(e: Entry) -> Iterator[Finding]:
    for part in licenses.PARTS:
        for p, expr in e.strings("license", part):
            problem = None if dotted(p) in e.reported else licenses.check(expr)
            if problem:
                yield Finding(p, problem.message, problem.hint)


def vague_licence_has_note(e: Entry) -> Iterator[Finding]:
    """LicenseRef-Unstated and LicenseRef-Mixed say too little alone: the note says more."""
    lic = e.mapping("license")
    vague = [
        (part, ref)
        for part in licenses.PARTS
        for ref in licenses.license_refs(str(lic.get(part, "")))
        if ref in licenses.NEED_NOTE
    ]
    if vague and not lic.get("note"):
        yield Finding(
            ("license", vague[0][0]),
            f"{vague[0][1]} needs license.note",
            "say where you looked for a licence, or which terms apply to which parts",
        )


def openness_is_consistent(e: Entry) -> Iterator[Finding]:
    """The openness rules (registry licences, profile, tags, checked date) on a well-formed
    entry: they rely on the schema's shapes, so they wait until the schema is satisfied."""
    if e.reported:
        return
    yield from openness_rules.run(e.data, dataclasses.replace(e.vocab.context, today=e.today))


#: The licence part a kind must declare besides the code's, and why.
CONTENT_PARTS = {
    "model": ("weights", "open weights are not open source: record the weights licence separately"),
    "dataset": ("data", "record the licence of the data itself"),
}


def content_has_licence(e: Entry) -> Iterator[Finding]:
    kind = e.data.get("kind")
    needed = CONTENT_PARTS.get(kind) if isinstance(kind, str) else None
    if needed and "license" in e.data and not e.mapping("license").get(needed[0]):
        yield Finding(("license",), f"a {kind} needs license.{needed[0]}", needed[1])


def terms_are_known(e: Entry) -> Iterator[Finding]:
    for field, noun, known in (
        ("categories", "category", e.vocab.categories),
        ("domains", "domain", e.vocab.domains),
    ):
        for p, value in e.strings(field):
            if dotted(p) not in e.reported and value not in known:
                hint = _did_you_mean(value, known) or f"see catalog/{field}.yml"
                yield Finding(p, f"unknown {noun} '{value}'", hint)


def not_related_to_itself(e: Entry) -> Iterator[Finding]:
    for p, value in e.strings("related"):
        if value == e.stem:
            yield Finding(p, "an entry cannot be related to itself")


def dates_are_not_in_the_future(e: Entry) -> Iterator[Finding]:
    for p, value in e.strings("added"):
        try:
            added = dt.date.fromisoformat(value)
        except ValueError:
            continue  # reported by the schema's date format
        if added > e.today:
            yield Finding(p, f"date {value} is in the future", f"use today's date, {e.today}")
    first = e.data.get("first_release")
    if isinstance(first, int) and not isinstance(first, bool) and first > e.today.year:
        yield Finding(("first_release",), f"year {first} is in the future")


def written_as_meant(e: Entry) -> Iterator[Finding]:
    """Values that read as meant only at a glance: invisible characters in a name, and a
    first_release YAML reads as a year from 2020.0, 0x7E4 or 33:40 (the raw text decides)."""
    for p, name in e.strings("name"):
        if problem := lookalike.name_problem(name):
            yield Finding(p, problem, "remove them: they hide what the name says")
    written = e.doc.numbers.get(("first_release",))
    if written is not None and not re.fullmatch(r"[0-9]{4}", written):
        yield Finding(
            ("first_release",), f"{written!r} is not a year", "write four digits, e.g. 2020"
        )


def tags_are_known(e: Entry) -> Iterator[Finding]:
    """Tags come from catalog/tags.yml (when it exists); needs no other field to be right."""
    yield from openness_rules.known_tags(e.data, e.vocab.context)


def archived_is_flagged(e: Entry) -> Iterator[Finding]:
    if e.data.get("status") == "archived":
        hint = "readers will see it marked as archived"
        yield Finding(("status",), "project is archived", hint, severity="warning")


#: The rules every entry is checked by after the schema, in the order they report.
RULES: tuple[Rule, ...] = (
    no_id_field,
    written_as_meant,
    no_control_characters,
    description_is_plain_prose,
    urls_are_public_https,
    licences_are_spdx,
    vague_licence_has_note,
    content_has_licence,
    terms_are_known,
    not_related_to_itself,
    dates_are_not_in_the_future,
    openness_is_consistent,
    tags_are_known,
    archived_is_flagged,
)


def _diagnostic(rel: str, doc: YamlDoc, f: Finding) -> Diagnostic:
    line, col = doc.where(f.path, key=f.key)
    severity = Diagnostic.warning if f.severity == "warning" else Diagnostic.error
    return severity(rel, f.message, line=line, col=col, field=dotted(f.path), hint=f.hint)


def _file_name(stem: str) -> Iterator[Finding]:
    if not is_valid_id(stem):
        suggested = slug(stem)[:MAX_LENGTH]
        if not is_valid_id(suggested):  # too short, or nothing usable left
            suggested = f"{suggested}-project" if suggested else "my-project"
        yield Finding(
            (), f"file name '{stem}.yml' is not a valid id", f"rename it to '{suggested}.yml'"
        )


def check_entry(
    rel: str,
    stem: str,
    doc: YamlDoc,
    schema: Schema,
    vocab: Vocabulary,
    today: dt.date,
    rules: Iterable[Rule] = RULES,
) -> list[Diagnostic]:
    """Every problem in one parsed entry file: its name, the schema, then each rule."""
    findings = list(_file_name(stem))
    data = doc.data
    if not isinstance(data, dict):
        findings.append(Finding((), f"an entry must be a mapping of fields, not {_describe(data)}"))
        return [_diagnostic(rel, doc, f) for f in findings]
    from_schema = [] if schema.is_valid(data) else list(_schema_findings(schema, data))
    reported = frozenset(dotted(f.path) for f in from_schema)
    if "id" in data:  # one message for it, from no_id_field, whatever the schema says
        from_schema = [f for f in from_schema if dotted(f.path) != "id"]
    findings += from_schema
    entry = Entry(stem, doc, data, schema, vocab, today, reported)
    for rule in rules:
        findings.extend(rule(entry))
    return [_diagnostic(rel, doc, f) for f in findings]


def _identity_links(project: Project) -> tuple[str, ...]:
    """The links that identify an entry. Model generations often share one repository
    and home page (Llama 3.1 and 3.3, Mistral's models) but never their weights."""
    return ("weights",) if project.kind == "model" else ("homepage", "repository")


def _duplicates(projects: list[Project]) -> Iterator[Diagnostic]:
    """Entries that name the same project. Entries of different kinds may share a home (a
    model and the benchmark released with it); two entries of one kind may not."""
    seen: dict[tuple[str, str], Project] = {}
    for project in projects:
        keys = [("name", lookalike.name_key(project.name), "name")]
        for field in _identity_links(project):
            url = getattr(project.links, field)
            if url:
                keys.append((field, f"{project.kind} {lookalike.url_key(url)}", f"links.{field}"))
        for field, key, dotted_name in keys:
            first = seen.setdefault((field, key), project)
            if first is not project:
                yield Diagnostic.at(
                    project.location(dotted_name),
                    dotted_name,
                    f"same {field} as entry '{first.id}' ({first.path})",
                    "one entry per project: edit the existing entry instead",
                )


def _references(projects: list[Project]) -> Iterator[Diagnostic]:
    """Related ids and base models that name no other entry."""
    ids = {p.id for p in projects}
    for project in projects:
        base = project.facts.base_model if project.facts else None
        if base is not None and (base not in ids or base == project.id):
            message = f"no other entry with id '{base}'"
            hint = _did_you_mean(base, ids)
            yield Diagnostic.at(project.location("base_model"), "base_model", message, hint)
        for i, rel in enumerate(project.related):
            if rel not in ids:
                field = f"related[{i}]"
                message = f"no entry with id '{rel}'"
                yield Diagnostic.at(
                    project.location(field), field, message, _did_you_mean(rel, ids)
                )


#: An entry whose facts were checked this much longer ago than the catalog's newest check.
STALE_CHECK = dt.timedelta(days=365)


def stale_checks(projects: Iterable[Project]) -> list[Diagnostic]:
    """Warn where an entry's facts were last checked over a year before the newest check.

    Measured against the catalog's newest `checked`, not the clock, so a build of
    an old checkout says the same as it did then.
    """
    dated = [(p, p.checked) for p in projects if p.checked]
    if not dated:
        return []
    newest = max(checked for _, checked in dated)
    return [
        Diagnostic.at(
            p.location("checked"),
            "checked",
            f"facts last checked {checked}, over a year before the newest check ({newest})",
            "verify the entry against its sources and set checked: to that day",
            severity="warning",
        )
        for p, checked in dated
        if newest - checked > STALE_CHECK
    ]


def check_catalog(projects: Iterable[Project]) -> list[Diagnostic]:
    """Problems between entries: duplicates, ids that name no entry, stale checks."""
    ordered = sorted(projects, key=lambda p: p.id)
    return [*_duplicates(ordered), *_references(ordered), *stale_checks(ordered)]
