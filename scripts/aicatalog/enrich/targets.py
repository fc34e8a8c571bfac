"""Which GitHub and Hugging Face Hub repositories a catalog entry points at.

Only URLs that name one repository count: https://github.com/owner/name for
`links.repository`, and https://huggingface.co/owner/name (a model) or
https://huggingface.co/datasets/owner/name in any link field. Site pages such
as huggingface.co/docs/... are not repositories and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..activity import HubKind
from ..diagnostics import Location
from ..model import Project
from ..repos import github_repository, real_segments

_NAME = r"[A-Za-z0-9_.-]+"
_HUB_RE = re.compile(rf"^/(?:(datasets)/)?({_NAME})/({_NAME})(?:/.*)?$")

#: First path segments of huggingface.co that are site pages, not a model's owner.
_HUB_PAGES = frozenset(
    {
        "api",
        "blog",
        "changelog",
        "chat",
        "collections",
        "datasets",
        "docs",
        "enterprise",
        "join",
        "learn",
        "login",
        "models",
        "organizations",
        "papers",
        "posts",
        "pricing",
        "privacy",
        "settings",
        "spaces",
        "tasks",
        "terms-of-service",
    }
)


@dataclass(frozen=True)
class GitHubTarget:
    project: str
    repository: str  # owner/name as the entry writes it
    location: Location

    @property
    def owner(self) -> str:
        return self.repository.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.repository.split("/", 1)[1]


@dataclass(frozen=True)
class HubTarget:
    project: str
    kind: HubKind
    repository: str
    field: str  # "links.weights"
    location: Location

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.repository.casefold()


def hub_repository(url: str) -> tuple[HubKind, str] | None:
    """(kind, owner/name) of a huggingface.co model or dataset URL, else None."""
    parts = urlsplit(url)
    if parts.hostname not in ("huggingface.co", "www.huggingface.co"):
        return None
    match = _HUB_RE.match(parts.path)
    if not match:
        return None
    dataset, owner, name = match.groups()
    if (not dataset and owner.lower() in _HUB_PAGES) or not real_segments(owner, name):
        return None
    return ("dataset" if dataset else "model"), f"{owner}/{name}"


def github_target(project: Project) -> GitHubTarget | None:
    """The entry's GitHub repository, from links.repository only (the one the entry vouches for)."""
    url = project.links.repository
    repo = github_repository(url) if url else None
    if repo is None:
        return None
    return GitHubTarget(project.id, repo, project.location("links.repository"))


def hub_targets(project: Project) -> tuple[HubTarget, ...]:
    """Every distinct Hub model or dataset the entry links to, first link field first."""
    found: dict[tuple[str, str], HubTarget] = {}
    for field, url in project.links.items():
        hit = hub_repository(url)
        if hit is None:
            continue
        target = HubTarget(
            project.id, hit[0], hit[1], f"links.{field}", project.location(f"links.{field}")
        )
        found.setdefault(target.key, target)
    return tuple(found.values())
