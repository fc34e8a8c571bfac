"""The page `make serve` shows while the catalog is invalid: the validator's messages.

During `mkdocs serve` the terminal is often out of sight, so instead of stopping, the
hook builds a site whose pages say what is wrong, file by file, and the browser
reloads it when an entry is saved. Messages quote values from entries, so every one
is HTML-escaped; the page is raw HTML, which Markdown leaves alone.
"""

from __future__ import annotations

from markupsafe import Markup

from . import pages
from .diagnostics import Diagnostic

#: The generated pages of the navigation: each shows the errors while there are any.
ERROR_PAGES = (
    pages.HOME,
    pages.BROWSE,
    pages.CATEGORIES,
    pages.DOMAINS,
    pages.LICENSES,
    pages.STATS,
    pages.OVERVIEW,
    pages.TAGS,
    pages.DATA,
)

TITLE = "The catalog has errors"


def error_body(root: str, diagnostics: list[Diagnostic] | None, message: str = "") -> str:
    """The error page's HTML: every diagnostic on its own line, or one message."""
    if diagnostics:
        errors = sum(d.severity == "error" for d in diagnostics)
        items = Markup("").join(
            Markup('<li><code class="aic-diagnostic">%s</code></li>') % d.text()
            for d in diagnostics
        )
        summary = Markup("%d error(s), %d warning(s) in the catalog at <code>%s</code>:") % (
            errors,
            len(diagnostics) - errors,
            root,
        )
        details = Markup('<ul class="aic-diagnostics">%s</ul>') % items
    else:
        summary = Markup("The site cannot be rendered from the catalog at <code>%s</code>:") % root
        details = Markup('<p><code class="aic-diagnostic">%s</code></p>') % message
    return str(
        Markup(
            '<div class="aic-error-page" role="alert">'
            "<h1>%s</h1>"
            "<p>%s</p>%s"
            "<p>Fix the files and save: this page reloads on its own. "
            "<code>aicatalog validate</code> prints the same messages in the terminal.</p>"
            "</div>"
        )
        % (TITLE, summary, details)
    )
