"""Small HTML fragments the templates repeat on every page, built with escaping.

Plain functions rather than Jinja macros because macro calls dominate the render
time of thousands of pages. `Markup(literal) % args` escapes every argument that
is not Markup already, so entry text stays text here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup, escape

from .model import Project
from .urls import url_problem
from .views import PARTS, part_openness


def safe_url(url: str | None) -> str | None:
    """`url` if it is https to a public host (the only links an entry may create), else None."""
    if url and url_problem(url) is None:
        return url
    return None


#: How the catalog's own LicenseRefs read on a page (the SPDX id stays in the title).
LICENSE_REF_LABELS = {
    "LicenseRef-Unstated": "no licence stated",
    "LicenseRef-Mixed": "mixed licences",
    "LicenseRef-NotApplicable": "not applicable",
    "LicenseRef-Proprietary": "proprietary",
    "LicenseRef-None": "not released",
}


def license_name(expression: str, names: Mapping[str, str] | None = None) -> Markup:
    """A licence expression as code, with every LicenseRef in words a reader knows.

    `names` maps registry ids to their licences' names; the id stays in the title, so
    no page shows a raw `LicenseRef-...`.
    """
    labels = {**LICENSE_REF_LABELS, **(names or {})}

    def ref(token: str) -> Markup:
        return Markup('<span class="aic-licence-ref" title="%s">%s</span>') % (token, labels[token])

    if expression in labels:
        return ref(expression)
    if "LicenseRef-" not in expression:
        return Markup("<code>%s</code>") % expression
    tokens = re.split(r"(\s+|[()])", expression)
    return Markup("").join(ref(t) if t in labels else escape(t) for t in tokens if t)


def badge(level: str) -> Markup:
    """An openness level as a coloured label that says its level in words."""
    words = level.replace("-", " ")
    return Markup('<span class="aic-badge aic-badge--%s">%s</span>') % (level, words)


def external(url: str, text: str) -> Markup:
    """A link out of the site, or plain text when the URL is not a safe public https URL."""
    safe = safe_url(url)
    if safe is None:
        return Markup('<span class="aic-unsafe-link">%s</span>') % text
    return Markup('<a href="%s" rel="nofollow noopener">%s</a>') % (safe, text)


def openness_line(project: Project) -> Markup:
    """ "code open weights restricted": the openness of each licensed part."""
    parts = (
        Markup('<span class="aic-part">%s %s</span>') % (part, badge(level))
        for part in PARTS
        if (level := part_openness(project, part)) is not None
    )
    return Markup(" ").join(parts)
