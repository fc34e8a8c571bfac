"""Related entries, ranked: the few most relevant, not every entry that mentions this one.

At hundreds of entries an unranked "related" list grows without bound (PyTorch is
named by dozens). Relevance is counted from what the entries say: an explicit
`related` link either way weighs most, then shared categories, then shared tags.
The rest stays reachable through the category and tag pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .model import Project

LIMIT = 8
EXPLICIT, CATEGORY, TAG = 4, 2, 1
#: A tag this common says little about two entries being alike; it still counts in a
#: score, but does not make every entry a candidate for every other.
COMMON_TAG = 200


def score(a: Project, b: Project, explicit: bool) -> int:
    """How related two entries are: explicit link, shared categories, shared tags."""
    shared_categories = len(set(a.categories) & set(b.categories))
    shared_tags = len(set(a.tags) & set(b.tags))
    return EXPLICIT * explicit + CATEGORY * shared_categories + TAG * shared_tags


def ranked_related(projects: Sequence[Project], limit: int = LIMIT) -> dict[str, list[Project]]:
    """For each id, up to `limit` related entries, most related first (name breaks ties).

    Candidates are the entries linked either way and those sharing a tag that is not
    too common; an entry with no explicit link needs a score of at least 3 (a shared
    category and a shared tag, or three shared tags), so weak matches never fill the list.
    """
    ids = {p.id: p for p in projects}
    links: dict[str, set[str]] = defaultdict(set)
    for p in projects:
        for other in p.related:
            if other in ids and other != p.id:
                links[p.id].add(other)
                links[other].add(p.id)
    by_tag: dict[str, list[str]] = defaultdict(list)
    for p in projects:
        for tag in p.tags:
            by_tag[tag].append(p.id)
    out: dict[str, list[Project]] = {}
    for p in projects:
        candidates = set(links[p.id])
        for tag in p.tags:
            if len(by_tag[tag]) <= COMMON_TAG:
                candidates.update(by_tag[tag])
        candidates.discard(p.id)
        scored: list[tuple[int, str, str]] = []
        for other_id in candidates:
            explicit = other_id in links[p.id]
            value = score(p, ids[other_id], explicit)
            if explicit or value >= CATEGORY + TAG:
                scored.append((-value, ids[other_id].name.casefold(), other_id))
        scored.sort()
        out[p.id] = [ids[other_id] for _, _, other_id in scored[:limit]]
    return out
