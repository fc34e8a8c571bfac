"""Where each generated page lives, and the links between pages.

Pages are Markdown sources named like files in a docs folder ("projects/pytorch.md").
Links are computed here, as relative URLs, because entry content is rendered as
escaped raw HTML that the site builder does not rewrite; one function keeps every
link in the site consistent with how the builder lays out URLs.
"""

from __future__ import annotations

HOME = "index.md"
BROWSE = "browse.md"
CATEGORIES = "categories/index.md"
DOMAINS = "domains/index.md"
LICENSES = "licences.md"
OVERVIEW = "overview.md"
TAGS = "tags.md"
DATA = "data.md"
CONTRIBUTE = "contribute.md"
STATS = "stats.md"
COMPARE = "compare.md"

PROJECTS_JSON = "projects.json"
PROJECTS_CSV = "projects.csv"
SCHEMA_JSON = "schema.json"
FEED = "feed.xml"
LICENSES_JSON = "licenses.json"
BROWSE_JSON = "browse.json"

#: Names a vocabulary id may not take: its page would collide with the section's index.
RESERVED_IDS = frozenset({"index"})


def project(entry_id: str) -> str:
    return f"projects/{entry_id}.md"


def category(term_id: str) -> str:
    return f"categories/{term_id}.md"


def domain(term_id: str) -> str:
    return f"domains/{term_id}.md"


def tag(tag_id: str) -> str:
    return f"tags/{tag_id}.md"


def licence(license_id: str) -> str:
    """A registry licence's page; lower-cased, as every other page path on the site."""
    return f"licences/{license_id.lower()}.md"


def url(src: str, directory_urls: bool = True) -> str:
    """Site-relative URL of a source: "a/b.md" -> "a/b/" (or "a/b.html"); other files as is."""
    if not src.endswith(".md"):
        return src
    stem = src[: -len(".md")]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def relative(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """URL of `to_src` relative to the page built from `from_src`.

    Always climbs to the site root and back down ("../../projects/x/"): a little
    longer than the shortest form, but a constant-time string join, which matters
    when thousands of pages each carry dozens of links.
    """
    depth = url(from_src, directory_urls).count("/")
    return "../" * depth + url(to_src, directory_urls) or "./"
