"""The entry's fields as catalog/schema.json declares them: one field, one place.

The data files' columns, the Data page's field list, the URL checks and the link
checker's targets all come from here, so a new field is a schema change (plus its
line in the `aicatalog new` template), and a new property using `$defs/url` is
URL-checked and link-checked without further code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

URL_REF = "#/$defs/url"


@dataclass(frozen=True)
class SchemaField:
    """One documented field of an entry, read from schema.json."""

    name: str
    type: str
    required: bool
    description: str


def _type_of(spec: Mapping[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        names = {"url": "https URL", "license_expression": "SPDX expression"}
        return names.get(str(name), "text")
    if "enum" in spec:
        return "one of: " + ", ".join(map(str, spec["enum"]))
    kind = spec.get("type", "")
    if kind == "array":
        return "list of " + _type_of(spec.get("items", {})).removeprefix("one of: ")
    if kind == "string" and spec.get("format") == "date":
        return "date (YYYY-MM-DD)"
    kind = str(kind)
    return {"string": "text", "integer": "whole number", "object": "mapping"}.get(kind, kind)


def _walk(
    props: Mapping[str, Any], required: list[str], prefix: str
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    for name, spec in props.items():
        yield prefix + name, spec, name in required
        if spec.get("type") == "object" and "properties" in spec:
            yield from _walk(spec["properties"], spec.get("required", []), f"{prefix}{name}.")


def _fields(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    return _walk(schema.get("properties", {}), schema.get("required", []), "")


def schema_fields(schema: Mapping[str, Any]) -> list[SchemaField]:
    """Every field of an entry, nested ones as "links.homepage", in the schema's order."""
    return [
        SchemaField(name, _type_of(spec), required, spec.get("description", ""))
        for name, spec, required in _fields(schema)
    ]


def leaf_fields(schema: Mapping[str, Any]) -> list[str]:
    """Dotted names of the fields that hold values (mappings flattened), in schema order."""
    return [name for name, spec, _ in _fields(schema) if spec.get("type") != "object"]


def url_fields(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """Dotted names of every field whose value is a URL (uses $defs/url), in schema order."""
    return tuple(
        name for name, spec, _ in _fields(schema) if str(spec.get("$ref", "")).endswith(URL_REF)
    )
