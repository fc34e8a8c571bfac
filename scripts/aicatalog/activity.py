"""Living facts about each project, collected by `aicatalog enrich` into catalog/activity.json.

The curated YAML says what a project is; this file says how it is doing (stars,
last push, latest release, Hub downloads), each fact labelled with where and
when it was collected. It is generated, so it is read strictly: a corrupt or
hand-mangled file is an error naming the file and the place, never a traceback,
and a missing file simply means "nothing collected yet".
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .diagnostics import Diagnostic
from .paths import display_path
from .safefiles import UnsafeFile, read_bounded

ACTIVITY_FILE = "activity.json"
FORMAT_VERSION = 1
#: Bound on the monthly star samples kept per repository (13 months: a year-on-year trend).
STAR_MONTHS = 13

HubKind = Literal["model", "dataset"]
HUB_KINDS = ("model", "dataset")
#: No push or Hub update for longer than this: not active (the site and the checks agree).
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class Provenance:
    """Where a group of facts came from and when, shown next to them on the site."""

    source: str
    collected: dt.datetime


@dataclass(frozen=True)
class Release:
    tag: str
    published: dt.datetime | None = None


@dataclass(frozen=True)
class StarSample:
    """Stars a repository had at the end of a month ("YYYY-MM")."""

    month: str
    stars: int


@dataclass(frozen=True)
class GitHubActivity:
    """A GitHub repository's facts; None where the source did not say."""

    repository: str  # canonical owner/name, after renames
    provenance: Provenance
    stars: int | None = None
    forks: int | None = None
    pushed: dt.datetime | None = None
    created: dt.datetime | None = None
    release: Release | None = None
    archived: bool | None = None
    fork: bool | None = None
    license: str | None = None  # SPDX id GitHub detected; None when it detected none
    renamed_from: str | None = None  # owner/name the entry links to, when GitHub redirects it
    star_history: tuple[StarSample, ...] = ()

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}"


@dataclass(frozen=True)
class HubActivity:
    """A Hugging Face Hub repository's facts."""

    kind: HubKind
    repository: str  # "owner/name" as the Hub spells it
    field: str  # the entry's link field that points at it, e.g. "links.weights"
    provenance: Provenance
    downloads: int | None = None  # the Hub's count for the last 30 days
    likes: int | None = None
    gated: bool | None = None
    license: str | None = None  # the Hub's licence tag, e.g. "apache-2.0", "llama3.1"
    modified: dt.datetime | None = None

    @property
    def url(self) -> str:
        prefix = "datasets/" if self.kind == "dataset" else ""
        return f"https://huggingface.co/{prefix}{self.repository}"


@dataclass(frozen=True)
class Activity:
    """Everything collected about one project."""

    id: str
    github: GitHubActivity | None = None
    hub: tuple[HubActivity, ...] = ()

    @property
    def last_activity(self) -> dt.datetime | None:
        """The latest sign of life: a push or a Hub update."""
        times = [h.modified for h in self.hub if h.modified]
        if self.github and self.github.pushed:
            times.append(self.github.pushed)
        return max(times, default=None)

    def star_growth(self) -> int | None:
        """Stars gained over the sampled months (None without two samples)."""
        history = self.github.star_history if self.github else ()
        if len(history) < 2:
            return None
        return history[-1].stars - history[0].stars


class ActivityError(Exception):
    """catalog/activity.json is unreadable; `diagnostic` says where and what to do."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.text())


# --- reading -------------------------------------------------------------------------------


def format_time(value: dt.datetime) -> str:
    """UTC ISO 8601 with a Z, to the second: the one spelling the file uses."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 time (or date) from any source as an aware UTC datetime."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # year 1 or 9999 with an offset: no such time in UTC
        raise ValueError(f"{text!r} is out of range") from None


MAX_TEXT = 300
#: activity.json is generated and small (about 1 KB per project); this bounds a broken one.
MAX_FILE_BYTES = 64 * 1024 * 1024


def is_short_text(value: Any) -> bool:
    """A non-empty string of at most MAX_TEXT characters that UTF-8 can encode (no lone
    surrogates such as a JSON "\\ud800" escape gives, which would crash any later write)."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_TEXT:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Bad(ValueError):
    """A field with the wrong shape, with its dotted place in the file."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(message)


class _Fields:
    """Typed access to one JSON object, raising _Bad with the field's place."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise _Bad(where, "must be an object")
        self.data = data
        self.where = where

    def _get(self, key: str, check: Callable[[Any], bool], want: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                raise _Bad(f"{self.where}.{key}", "is missing")
            return None
        if not check(value):
            raise _Bad(f"{self.where}.{key}", f"must be {want}")
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        return self._get(  # type: ignore[no-any-return]
            key, is_short_text, "a short string of valid Unicode", required
        )

    def count(self, key: str) -> int | None:
        found: int | None = self._get(
            key, lambda v: type(v) is int and v >= 0, "a whole number >= 0", False
        )
        return found

    def flag(self, key: str) -> bool | None:
        found: bool | None = self._get(key, lambda v: isinstance(v, bool), "true or false", False)
        return found

    def time(self, key: str, required: bool = False) -> dt.datetime | None:
        text = self.text(key, required)
        if text is None:
            return None
        try:
            return parse_time(text)
        except ValueError:
            raise _Bad(f"{self.where}.{key}", "must be an ISO 8601 time") from None

    def items(self, key: str) -> list[Any]:
        return self._get(key, lambda v: isinstance(v, list), "a list", False) or []

    def sub(self, key: str) -> _Fields | None:
        value = self.data.get(key)
        return None if value is None else _Fields(value, f"{self.where}.{key}")


_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _provenance(f: _Fields) -> Provenance:
    return Provenance(source=f.text("source", True), collected=f.time("collected", True))  # type: ignore[arg-type]


def _repository(f: _Fields) -> str:
    repo = f.text("repository", True)
    if not _REPO_RE.match(repo or ""):
        raise _Bad(f"{f.where}.repository", "must be owner/name")
    return repo  # type: ignore[return-value]


def _github(f: _Fields) -> GitHubActivity:
    release = None
    if (r := f.sub("release")) is not None:
        release = Release(tag=r.text("tag", True), published=r.time("published"))  # type: ignore[arg-type]
    history = []
    months = f.sub("star_history")
    for month in sorted(months.data if months else {})[-STAR_MONTHS:]:
        if not _MONTH_RE.match(month):
            raise _Bad(f"{f.where}.star_history.{month}", "keys must be months, YYYY-MM")
        history.append(StarSample(month, months.count(month) or 0))  # type: ignore[union-attr]
    return GitHubActivity(
        repository=_repository(f),
        provenance=_provenance(f),
        stars=f.count("stars"),
        forks=f.count("forks"),
        pushed=f.time("pushed"),
        created=f.time("created"),
        release=release,
        archived=f.flag("archived"),
        fork=f.flag("fork"),
        license=f.text("license"),
        renamed_from=f.text("renamed_from"),
        star_history=tuple(history),
    )


def _hub(f: _Fields) -> HubActivity:
    kind = f.text("kind", True)
    if kind not in HUB_KINDS:
        raise _Bad(f"{f.where}.kind", f"must be one of {', '.join(HUB_KINDS)}")
    return HubActivity(
        kind=kind,  # type: ignore[arg-type]
        repository=_repository(f),
        field=f.text("field", True),  # type: ignore[arg-type]
        provenance=_provenance(f),
        downloads=f.count("downloads"),
        likes=f.count("likes"),
        gated=f.flag("gated"),
        license=f.text("license"),
        modified=f.time("modified"),
    )


def parse_activity(data: Any) -> dict[str, Activity]:
    """The records of a decoded activity file; raises _Bad naming the faulty field."""
    top = _Fields(data, "")
    if top.data.get("version") != FORMAT_VERSION:
        raise _Bad("version", f"must be {FORMAT_VERSION}")
    projects = top.sub("projects")
    out: dict[str, Activity] = {}
    for pid in sorted(projects.data if projects else {}):
        rec = _Fields(projects.data[pid], f"projects.{pid}")  # type: ignore[union-attr]
        github = rec.sub("github")
        hubs = [_hub(_Fields(h, f"{rec.where}.hub[{i}]")) for i, h in enumerate(rec.items("hub"))]
        out[pid] = Activity(id=pid, github=_github(github) if github else None, hub=tuple(hubs))
    return out


def _line_of(text: str, where: str) -> int:
    """Line of the deepest key of `where` found in the text, for messages (1 when none is)."""
    line, start = 1, 0
    for key in re.findall(r"[^.\[\]]+", where):
        found = text.find(f'"{key}"', start)
        if found >= 0:
            start = found
            line = text.count("\n", 0, found) + 1
    return line


def load_activity(catalog_root: Path) -> dict[str, Activity]:
    """Records by project id from `<catalog>/activity.json`; {} when the file does not exist.

    Raises ActivityError (a Diagnostic with file and line) when the file is corrupt.
    """
    path = catalog_root / ACTIVITY_FILE
    rel = display_path(path)
    hint = "the file is generated: restore it with git or run `aicatalog enrich`"
    try:
        text = read_bounded(path, MAX_FILE_BYTES).decode("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, UnsafeFile) as exc:
        raise ActivityError(Diagnostic.error(rel, f"cannot read: {exc}", hint=hint)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ActivityError(
            Diagnostic.error(
                rel, f"not valid JSON: {exc.msg}", line=exc.lineno, col=exc.colno, hint=hint
            )
        ) from None
    except RecursionError:
        raise ActivityError(Diagnostic.error(rel, "JSON nesting is too deep", hint=hint)) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        message = f"not valid JSON: {str(exc)[:120]}"
        raise ActivityError(Diagnostic.error(rel, message, hint=hint)) from None
    try:
        return parse_activity(data)
    except _Bad as exc:
        line = _line_of(text, exc.where)
        raise ActivityError(
            Diagnostic.error(rel, str(exc), line=line, field=exc.where, hint=hint)
        ) from None


# --- writing -------------------------------------------------------------------------------


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != []}


def _time(value: dt.datetime | None) -> str | None:
    return format_time(value) if value else None


def _github_json(g: GitHubActivity) -> dict[str, Any]:
    release = g.release and _drop_none(
        {"tag": g.release.tag, "published": _time(g.release.published)}
    )
    return _drop_none(
        {
            "repository": g.repository,
            "source": g.provenance.source,
            "collected": format_time(g.provenance.collected),
            "stars": g.stars,
            "forks": g.forks,
            "pushed": _time(g.pushed),
            "created": _time(g.created),
            "release": release,
            "archived": g.archived,
            "fork": g.fork,
            "license": g.license,
            "renamed_from": g.renamed_from,
            "star_history": {s.month: s.stars for s in g.star_history} or None,
        }
    )


def _hub_json(h: HubActivity) -> dict[str, Any]:
    return _drop_none(
        {
            "kind": h.kind,
            "repository": h.repository,
            "field": h.field,
            "source": h.provenance.source,
            "collected": format_time(h.provenance.collected),
            "downloads": h.downloads,
            "likes": h.likes,
            "gated": h.gated,
            "license": h.license,
            "modified": _time(h.modified),
        }
    )


def dump_activity(records: dict[str, Activity]) -> str:
    """The file text: sorted, indented, one record per project, so a refresh is a readable diff."""
    projects = {}
    for pid in sorted(records):
        rec = records[pid]
        projects[pid] = _drop_none(
            {
                "github": _github_json(rec.github) if rec.github else None,
                "hub": [_hub_json(h) for h in rec.hub],
            }
        )
    body = {"version": FORMAT_VERSION, "projects": projects}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
