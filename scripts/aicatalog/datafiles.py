"""The catalog as downloadable data: projects.json, projects.csv and the schema's fields.

Every field of every entry plus what the site derives (openness, page URL, source
file) and the facts collected into activity.json, so people can reuse the catalog
without scraping pages. Output depends on those files alone (no build time), so two
builds of the same input are identical.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from . import pulse
from .activity import Activity, GitHubActivity, HubActivity, format_time
from .model import Catalog, License, Links, Project
from .paths import entry_source
from .profile import DATASET_COMPONENTS, MODEL_COMPONENTS
from .profile_view import component_rows, profile_level
from .schemafields import SchemaField, leaf_fields, schema_fields

OPENNESS_FIELDS = ("code", "weights", "data")
#: The schema's `openness` (the recorded components): published as "profile", beside the
#: derived "openness" of the licensed parts that the data files have always carried.
PROFILE_FIELD = "openness"

#: What the site adds to each record, documented on the Data page with the schema's fields.
DERIVED_FIELDS = {
    "id": "The entry's id: the stem of its file name in catalog/projects/.",
    "openness.code": "open, restricted, closed or not-applicable (no single code base), "
    "derived from license.code.",
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


def _profile(project: Project) -> dict[str, Any]:
    """The recorded components (released, evidence URL, note) and each one's derived grade."""
    out: dict[str, Any] = {}
    for row in component_rows(project):
        c = row.component
        recorded = (("released", c.released), ("url", c.url), ("note", c.note))
        out[c.name] = {**{k: v for k, v in recorded if v}, "grade": row.grade}
    return out


def _model_attributes() -> frozenset[str]:
    """Dotted names the model holds as attributes ("name", "links.homepage", ...)."""
    names = {f.name for f in dataclasses.fields(Project)}
    for prefix, cls in (("links", Links), ("license", License)):
        names |= {f"{prefix}.{f.name}" for f in dataclasses.fields(cls)}
    return frozenset(names)


class _Column(NamedTuple):
    """How to read one schema field of a project: its place in the record and a getter."""

    top: str
    sub: str
    get: Callable[[Project], Any]
    is_list: bool
    is_mapping: bool


def _more(name: str) -> Callable[[Project], Any]:
    return lambda project: project.more.get(name)


@cache
def _columns(fields: tuple[SchemaField, ...]) -> tuple[_Column, ...]:
    """The fields' getters, made once per schema: attributes where the model has them,
    else Project.more (fields added to the schema since the model was written)."""
    typed = _model_attributes()
    out = []
    for field in fields:
        top, _, sub = field.name.partition(".")
        name = field.name
        get = operator.attrgetter(name) if name in typed else _more(name)
        out.append(
            _Column(top, sub, get, field.type.startswith("list of"), field.type == "mapping")
        )
    return tuple(out)


def project_record(
    project: Project,
    page_url: str,
    fields: Sequence[SchemaField],
    record: Activity | None = None,
    now: Now = None,
) -> dict[str, Any]:
    """One entry as JSON-ready data: the schema's `fields` in schema order (mappings keep
    only the values set, lists are never null), then the derived ones."""
    return _record(project, page_url, _columns(tuple(fields)), record, now)


def _record(
    project: Project,
    page_url: str,
    columns: tuple[_Column, ...],
    record: Activity | None,
    now: Now,
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": project.id}
    for column in columns:
        if column.top == PROFILE_FIELD:
            continue  # the recorded components go under "profile", with their grades
        if column.is_mapping:
            out[column.top] = {}
            continue
        value = column.get(project)
        if type(value) is tuple or (value is None and column.is_list):
            value = list(value or ())
        elif isinstance(value, dt.date):
            value = value.isoformat()
        if not column.sub:
            out[column.top] = value
        elif value is not None:
            out[column.top][column.sub] = value
    out["profile"] = _profile(project)
    out["openness"] = {
        **{f: getattr(project.openness, f) for f in OPENNESS_FIELDS},
        "level": profile_level(project),
    }
    out["page"] = page_url
    out["source"] = entry_source(project.id)
    out["activity"] = activity_record(record, now)
    return out


def projects_json(
    catalog: Catalog,
    page_url: Callable[[Project], str],
    activity: Mapping[str, Activity],
    schema: Mapping[str, Any],
) -> str:
    """projects.json: {"count": n, "projects": [record, ...]} sorted by id."""
    now = pulse.reference_time(activity)
    columns = _columns(tuple(schema_fields(schema)))
    records = [_record(p, page_url(p), columns, activity.get(p.id), now) for p in catalog.projects]
    body = {"count": len(records), "projects": records}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def csv_columns(schema: Mapping[str, Any]) -> list[str]:
    """Column names of projects.csv: the schema's fields, mappings flattened with dots, then
    the derived ones."""
    return [
        "id",
        *(f for f in leaf_fields(schema) if f.partition(".")[0] != PROFILE_FIELD),
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
    catalog: Catalog,
    page_url: Callable[[Project], str],
    activity: Mapping[str, Activity],
    schema: Mapping[str, Any],
) -> str:
    """projects.csv: one row per entry, every column of csv_columns()."""
    now = pulse.reference_time(activity)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = csv_columns(schema)
    fields = _columns(tuple(schema_fields(schema)))
    writer.writerow(columns)
    for project in catalog.projects:
        record = _record(project, page_url(project), fields, activity.get(project.id), now)
        flat = dict(_flat(record))
        writer.writerow([_cell(flat.get(c)) for c in columns])
    return out.getvalue()
