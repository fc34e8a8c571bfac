"""Facts from an API pass the reader's own rules before they are saved.

activity.json is read strictly (aicatalog.activity), and `validate`, the site
build and every later `enrich` read it. So a record is written only in a shape
the reader accepts: each fresh group of facts is dumped and read back with the
reader itself, and a field it refuses (an empty release tag, a 301-character
licence id, a lone surrogate, a time out of range) is dropped with a warning;
when the refused field is one the record cannot do without (the repository's
name, the source), the whole group is dropped. A value that holds a token of
this run is dropped the same way: no secret is ever written into a file.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..activity import Activity, GitHubActivity, HubActivity, dump_activity, parse_activity

#: Fields whose loss leaves nothing worth saving.
_ESSENTIAL = frozenset({"repository", "source", "collected", "kind", "field"})
_ID = "x"


def _secret_path(value: Any, secrets: tuple[str, ...], path: tuple[str, ...]) -> tuple[str, ...]:
    """The path of the first string in `value` that contains a secret, () when none does."""
    if isinstance(value, str):
        return path if any(s in value for s in secrets) else ()
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return ()
    for key, child in items:
        found = _secret_path(child, secrets, (*path, str(key)))
        if found:
            return found
    return ()


def _refused(record: Activity, secrets: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
    """(JSON path below the record, why) of the first field that may not be saved, or None."""
    data = json.loads(dump_activity({_ID: record}))
    found = _secret_path(data["projects"][_ID], secrets, ())
    if found:
        return found, "held a token of this run"
    try:
        parse_activity(data)
    except ValueError as exc:
        where = str(getattr(exc, "where", ""))
        parts = where.removeprefix(f"projects.{_ID}.").replace("[", ".").replace("]", "")
        return tuple(parts.split(".")), "was not in a shape activity.json accepts"
    return None


def _without(facts: Any, path: tuple[str, ...]) -> Any | None:
    """`facts` without the field at `path` (a GitHub or Hub group); None if it cannot do."""
    name = path[0] if path else ""
    if name in _ESSENTIAL or not hasattr(facts, name):
        return None
    if name == "release" and path[1:2] == ("published",):
        return replace(facts, release=replace(facts.release, published=None))
    return replace(facts, **{name: () if name == "star_history" else None})


def _clean(facts: Any, secrets: tuple[str, ...]) -> tuple[Any | None, list[str]]:
    notes: list[str] = []
    for _ in range(32):  # each round drops one field; a group has fewer than 32
        hub = isinstance(facts, HubActivity)
        record = Activity(_ID, hub=(facts,)) if hub else Activity(_ID, github=facts)
        refused = _refused(record, secrets)
        if refused is None:
            return facts, notes
        path, why = refused
        path = path[2:] if hub else path[1:]  # below hub.0 / github
        shown = ".".join(path) or "record"
        smaller = _without(facts, path)
        if smaller is None:
            notes.append(f"the answer's {shown} {why}; nothing was saved for it")
            return None, notes
        notes.append(f"the answer's {shown} {why}; that field was left out")
        facts = smaller
    return None, [*notes, "the answer had too many unusable fields; nothing was saved for it"]


def clean_github(
    facts: GitHubActivity, secrets: tuple[str | None, ...] = ()
) -> tuple[GitHubActivity | None, list[str]]:
    """`facts` as the reader will accept them, and one note per field left out."""
    cleaned, notes = _clean(facts, _real_secrets(secrets))
    return cleaned if isinstance(cleaned, GitHubActivity) else None, notes


def clean_hub(
    facts: HubActivity, secrets: tuple[str | None, ...] = ()
) -> tuple[HubActivity | None, list[str]]:
    """`facts` as the reader will accept them, and one note per field left out."""
    cleaned, notes = _clean(facts, _real_secrets(secrets))
    return cleaned if isinstance(cleaned, HubActivity) else None, notes


def _real_secrets(secrets: tuple[str | None, ...]) -> tuple[str, ...]:
    """Tokens long enough to be real (as in http.redact: shorter ones are test stand-ins)."""
    return tuple(s for s in secrets if s and len(s) >= 8)
