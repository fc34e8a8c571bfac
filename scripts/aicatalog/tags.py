"""The tag vocabulary (catalog/tags.yml): every tag an id, a label, a group and synonyms.

Free-form tags drift into near-duplicates (benchmark / benchmarks / benchmarking)
and one-offs nobody can browse by. A closed vocabulary keeps tags few and
useful: the validator refuses an unknown tag and names the id it most likely
means, either through a synonym or by spelling.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location
from .paths import display_path
from .yamlfile import YamlDoc, read_yaml

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Tag:
    id: str
    label: str
    group: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagVocabulary:
    """Every tag by id, in file order, and each synonym mapped to its tag id."""

    tags: tuple[Tag, ...]
    synonyms: dict[str, str]

    def ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.tags)

    def groups(self) -> list[tuple[str, list[Tag]]]:
        """(group, its tags) in file order."""
        out: dict[str, list[Tag]] = {}
        for tag in self.tags:
            out.setdefault(tag.group, []).append(tag)
        return list(out.items())

    def suggest(self, word: str) -> str | None:
        """The tag id an unknown tag most likely means: a synonym's id, or the closest id."""
        if word in self.synonyms:
            return self.synonyms[word]
        ids = sorted(self.ids()) + sorted(self.synonyms)
        hit = difflib.get_close_matches(word, ids, n=1, cutoff=0.75)
        if not hit:
            return None
        return self.synonyms.get(hit[0], hit[0])


EMPTY = TagVocabulary((), {})


def _problem(rel: str, doc: YamlDoc, path: tuple[str | int, ...], message: str) -> Diagnostic:
    line, col = doc.where(path)
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return Diagnostic.at(Location(rel, line, col), field, message)


def _read_tag(
    rel: str, doc: YamlDoc, path: tuple[str | int, ...], item: Any, group: str
) -> tuple[Tag | None, list[Diagnostic]]:
    if not isinstance(item, dict) or not {"id", "label"} <= set(item) <= {
        "id",
        "label",
        "synonyms",
    }:
        return None, [_problem(rel, doc, path, "a tag needs id and label, and may have synonyms")]
    synonyms = item.get("synonyms", [])
    if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
        return None, [_problem(rel, doc, (*path, "synonyms"), "synonyms must be a list of words")]
    words = [item["id"], *synonyms]
    if not all(isinstance(w, str) and SLUG.match(w) for w in words):
        return None, [_problem(rel, doc, path, "tag ids and synonyms are lowercase kebab-case")]
    if not isinstance(item["label"], str) or not item["label"].strip():
        return None, [_problem(rel, doc, (*path, "label"), "label must be non-empty text")]
    return Tag(item["id"], item["label"], group, tuple(synonyms)), []


def _read_groups(rel: str, doc: YamlDoc) -> tuple[list[Tag], list[Diagnostic]]:
    tags: list[Tag] = []
    problems: list[Diagnostic] = []
    if not isinstance(doc.data, list):
        return [], [
            _problem(rel, doc, (), "tags.yml is a list of groups: - group: ..., tags: [...]")
        ]
    for g, group in enumerate(doc.data):
        ok = isinstance(group, dict) and set(group) == {"group", "tags"}
        if not ok or not isinstance(group["group"], str) or not isinstance(group["tags"], list):
            problems.append(_problem(rel, doc, (g,), "each group needs 'group' (text) and 'tags'"))
            continue
        for t, item in enumerate(group["tags"]):
            tag, issues = _read_tag(rel, doc, (g, "tags", t), item, group["group"])
            problems.extend(issues)
            if tag is not None:
                tags.append(tag)
    return tags, problems


def load_tags(path: Path) -> tuple[TagVocabulary, list[Diagnostic]]:
    """The vocabulary in `path` (a missing file is an empty vocabulary: any tag goes)."""
    if not path.is_file():
        return EMPTY, []
    rel = display_path(path)
    doc = read_yaml(path, rel)
    if doc.problems:
        return EMPTY, list(doc.problems)
    tags, problems = _read_groups(rel, doc)
    seen: dict[str, str] = {}
    synonyms: dict[str, str] = {}
    for tag in tags:
        for word in (tag.id, *tag.synonyms):
            if word in seen:
                where = Location(rel, 1, 1)
                message = f"'{word}' is used twice (by {seen[word]} and {tag.id})"
                problems.append(Diagnostic.at(where, "tags", message))
            seen[word] = tag.id
        synonyms.update({s: tag.id for s in tag.synonyms})
    return TagVocabulary(tuple(tags), synonyms), problems
