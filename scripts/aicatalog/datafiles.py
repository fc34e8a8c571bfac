"""The catalog as downloadable data: projects.json, projects.csv and the schema's fields.

Every field of every entry plus what the site derives (openness, page URL, source
file) and the facts collected into activity.json, so people can reuse the catalog
without scraping pages. Output depends on those files alone (no build time), so two
builds of the same input are identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import pulse
from .activity import Activity, GitHubActivity, HubActivity, format_time
from .getit import GET_FIELDS
from .model import LINK_FIELDS, Catalog, Project
from .profile import DATASET_COMPONENTS, MODEL_COMPONENTS
from .profile_view import component_rows, profile_level

LICENSE_FIELDS = ("code", "weights", "data", "note", "source")
OPENNESS_FIELDS = ("code", "weights", "data")
LIST_FIELDS = ("categories", "tags", "domains", "programming_languages", "related")

#: What the site adds to each record, documented on the Data page with the schema's fields.
DERIVED_FIELDS = {
    "id": "The entry's id: the stem of its file name in catalog/projects/.",
    "openness.code": "open, restricted or closed, derived from license.code.",
    "openness.weights": "Derived from license.weights; empty when there is no weights licence.",
    "openness.data": "Derived from license.data; empty when there is no data licence.",
    "openness.level": "Models: the profile level (open-science, open-tooling, open-weights, "
    "restricted-weights, closed), derived from the components by the rule on the Licences page.",
    "profile.<component>": "Each recorded component as the entry states it (released, url, "
    "note) and its grade (open, partial, restricted, closed), derived from released and the "
    "licence that covers it; the CSV has the grade.",
    "page": "Absolute URL of the entry's page on this site.",
    "source": "Path of the entry's YAML file in the repository.",
}

#: The build's "now": the newest collection time in activity.json (see aicatalog.pulse).
Now = dt.datetime | None


def _time(value: dt.datetime | None) -> str | None:
    return format_time(value) if value else None


def _github(get: Callable[[GitHubActivity], Any]) -> Callable[[Activity, Now], Any]:
    """A fact of the GitHub group, None when the record has no GitHub facts."""
    return lambda record, _now: get(record.github) if record.github else None


def _hub(get: Callable[[tuple[HubActivity, ...]], Any]) -> Callable[[Activity, Now], Any]:
    """A fact summed up over the entry's Hub items, None when it has none."""
    return lambda record, _now: get(record.hub) if record.hub else None


def _total(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _distinct(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v})


#: The collected facts (catalog/activity.json) each record carries under "activity":
#: name -> (meaning, for the Data page; value of a record, given the build's "now").
_ACTIVITY: dict[str, tuple[str, Callable[[Activity, Now], Any]]] = {
    "state": (
        "active (a push or Hub update within a year before the newest collection date), "
        "quiet (none for over a year), or unknown (no date collected).",
        pulse.state,
    ),
    "last_activity": (
        "Time of the latest push to the repository or update on the Hub.",
        lambda r, _: _time(r.last_activity),
    ),
    "repository": (
        "The GitHub repository the figures describe: owner/name, renames followed.",
        _github(lambda g: g.repository),
    ),
    "renamed_from": (
        "The owner/name the entry links to, when GitHub redirects it to another.",
        _github(lambda g: g.renamed_from),
    ),
    "stars": ("GitHub stars.", _github(lambda g: g.stars)),
    "stars_gained": (
        "Stars gained from the first to the last monthly sample; empty with one sample.",
        lambda r, _: r.star_growth(),
    ),
    "stars_since": (
        "Month (YYYY-MM) of the first sample that stars_gained counts from.",
        _github(lambda g: g.star_history[0].month if len(g.star_history) > 1 else None),
    ),
    "forks": ("GitHub forks.", _github(lambda g: g.forks)),
    "pushed": ("Time of the latest push to the repository.", _github(lambda g: _time(g.pushed))),
    "created": ("Time the repository was created.", _github(lambda g: _time(g.created))),
    "release": (
        "Tag of the latest release on GitHub.",
        _github(lambda g: g.release.tag if g.release else None),
    ),
    "release_date": (
        "Publication time of that release.",
        _github(lambda g: _time(g.release.published) if g.release else None),
    ),
    "archived": (
        "true when GitHub marks the repository archived (read-only).",
        _github(lambda g: g.archived),
    ),
    "fork": ("true when the repository is a fork of another.", _github(lambda g: g.fork)),
    "detected_license": (
        "The SPDX id GitHub detects in the repository.",
        _github(lambda g: g.license),
    ),
    "github_collected": (
        "When the GitHub figures were collected.",
        _github(lambda g: _time(g.provenance.collected)),
    ),
    "github_source": (
        "Where the GitHub figures come from.",
        _github(lambda g: g.provenance.source),
    ),
    "hub_repositories": (
        "The entry's Hugging Face Hub repositories (models and datasets), owner/name.",
        _hub(lambda hub: [h.repository for h in hub]),
    ),
    "hub_downloads": (
        "Hub downloads over the last 30 days, summed over those repositories.",
        _hub(lambda hub: _total(h.downloads for h in hub)),
    ),
    "hub_likes": ("Hub likes, summed over them.", _hub(lambda hub: _total(h.likes for h in hub))),
    "hub_gated": (
        "true when any of them is gated: the Hub asks you to accept terms before downloading.",
        _hub(lambda hub: None if all(h.gated is None for h in hub) else any(h.gated for h in hub)),
    ),
    "hub_licenses": (
        "The licence tags the Hub shows for them.",
        _hub(lambda hub: _distinct(h.license for h in hub)),
    ),
    "hub_modified": (
        "Time of the latest update on the Hub.",
        _hub(lambda hub: _time(max((h.modified for h in hub if h.modified), default=None))),
    ),
    "hub_collected": (
        "When the Hub figures were collected (the newest, if several).",
        _hub(lambda hub: _time(max(h.provenance.collected for h in hub))),
    ),
    "hub_source": (
        "Where the Hub figures come from.",
        _hub(lambda hub: _distinct(h.provenance.source for h in hub)),
    ),
}

#: The activity fields as the data files name them, documented on the Data page.
ACTIVITY_FIELDS = {f"activity.{name}": meaning for name, (meaning, _) in _ACTIVITY.items()}

#: Spreadsheets run cells starting with these as formulas; such cells get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def activity_record(record: Activity | None, now: Now) -> dict[str, Any]:
    """The collected facts of one entry, keyed as _ACTIVITY (None where nothing was collected).

    `now` is the newest collection time of the whole file (pulse.reference_time).
    """
    facts = record or Activity("")
    return {name: value(facts, now) for name, (_, value) in _ACTIVITY.items()}


def _model_facts(project: Project) -> dict[str, Any]:
    facts = project.facts
    return {
        "parameters": list(facts.parameters) if facts else [],
        "context_length": facts.context_length if facts else None,
        "modalities": {"input": list(facts.inputs), "output": list(facts.outputs)}
        if facts and facts.inputs
        else {},
        "base_model": facts.base_model if facts else None,
    }


def _profile(project: Project) -> dict[str, Any]:
    """The recorded components (released, evidence URL, note) and each one's derived grade."""
    out: dict[str, Any] = {}
    for row in component_rows(project):
        c = row.component
        recorded = (("released", c.released), ("url", c.url), ("note", c.note))
        out[c.name] = {**{k: v for k, v in recorded if v}, "grade": row.grade}
    return out


def project_record(
    project: Project, page_url: str, record: Activity | None = None, now: Now = None
) -> dict[str, Any]:
    """One entry as JSON-ready data: schema fields in schema order, then derived ones."""
    out: dict[str, Any] = {
        "id": project.id,
        "name": project.name,
        "description": project.description,
        "kind": project.kind,
        "categories": list(project.categories),
        "links": dict(project.links.items()),
        "license": {
            f: getattr(project.license, f)
            for f in LICENSE_FIELDS
            if getattr(project.license, f) is not None
        },
        "added": project.added.isoformat(),
        "tags": list(project.tags),
        "domains": list(project.domains),
        "steward": project.steward,
        "first_release": project.first_release,
        "status": project.status,
        "programming_languages": list(project.programming_languages),
        "related": list(project.related),
        "checked": project.checked.isoformat() if project.checked else None,
        "get": dict(project.get),
        **_model_facts(project),
        "profile": _profile(project),
        "openness": {
            **{f: getattr(project.openness, f) for f in OPENNESS_FIELDS},
            "level": profile_level(project),
        },
        "page": page_url,
        "source": f"catalog/projects/{project.id}.yml",
        "activity": activity_record(record, now),
    }
    return out


def projects_json(
    catalog: Catalog, page_url: Callable[[Project], str], activity: dict[str, Activity]
) -> str:
    """projects.json: {"count": n, "projects": [record, ...]} sorted by id."""
    now = pulse.reference_time(activity)
    records = [project_record(p, page_url(p), activity.get(p.id), now) for p in catalog.projects]
    body = {"count": len(records), "projects": records}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def csv_columns() -> list[str]:
    """Column names of projects.csv: nested fields flattened with dots."""
    return [
        "id",
        "name",
        "description",
        "kind",
        *LIST_FIELDS,
        "added",
        "checked",
        "steward",
        "first_release",
        "status",
        "parameters",
        "context_length",
        "base_model",
        "modalities.input",
        "modalities.output",
        *(f"links.{f}" for f in LINK_FIELDS),
        *(f"license.{f}" for f in LICENSE_FIELDS),
        *(f"get.{f}" for f in GET_FIELDS),
        *(f"openness.{f}" for f in OPENNESS_FIELDS),
        "openness.level",
        *(f"profile.{c}" for c in dict.fromkeys((*MODEL_COMPONENTS, *DATASET_COMPONENTS))),
        "page",
        "source",
        *ACTIVITY_FIELDS,
    ]


def _flat(record: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in record.items():
        if key == "profile":  # one column per component: its grade (details in the JSON)
            for component, facts in value.items():
                yield f"profile.{component}", facts["grade"]
        elif isinstance(value, dict):
            for sub, inner in value.items():
                yield f"{key}.{sub}", inner
        else:
            yield key, value


def _cell(value: Any) -> str:
    """A CSV cell: lists joined with '; ', nothing as empty, formula-like text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def projects_csv(
    catalog: Catalog, page_url: Callable[[Project], str], activity: dict[str, Activity]
) -> str:
    """projects.csv: one row per entry, every column of csv_columns()."""
    now = pulse.reference_time(activity)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = csv_columns()
    writer.writerow(columns)
    for project in catalog.projects:
        record = project_record(project, page_url(project), activity.get(project.id), now)
        flat = dict(_flat(record))
        writer.writerow([_cell(flat.get(c)) for c in columns])
    return out.getvalue()


@dataclass(frozen=True)
class SchemaField:
    """One documented field of an entry, read from schema.json."""

    name: str
    type: str
    required: bool
    description: str


def _type_of(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return {"url": "https URL", "license_expression": "SPDX expression"}.get(name, "text")
    if "enum" in spec:
        return "one of: " + ", ".join(map(str, spec["enum"]))
    kind = spec.get("type", "")
    if kind == "array":
        return "list of " + _type_of(spec.get("items", {})).removeprefix("one of: ")
    if kind == "string" and spec.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return {"string": "text", "integer": "whole number", "object": "mapping"}.get(kind, kind)


def schema_fields(schema: dict[str, Any]) -> list[SchemaField]:
    """Every field of an entry, nested ones as "links.homepage", in the schema's order."""
    out: list[SchemaField] = []

    def walk(props: dict[str, Any], required: list[str], prefix: str) -> None:
        for name, spec in props.items():
            out.append(
                SchemaField(
                    prefix + name,
                    _type_of(spec),
                    name in required,
                    spec.get("description", ""),
                )
            )
            if spec.get("type") == "object" and "properties" in spec:
                walk(spec["properties"], spec.get("required", []), f"{prefix}{name}.")

    walk(schema.get("properties", {}), schema.get("required", []), "")
    return out
