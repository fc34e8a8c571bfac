"""Strict, safe reading of one YAML file, keeping the line of every value.

Catalog files come from strangers' pull requests, so the reader accepts only
plain data: no anchors, aliases or tags (they can hide content or blow up
memory), no duplicate keys (PyYAML would silently keep the last one), no files
over 64 KiB, UTF-8 only. It never raises: every problem becomes a Diagnostic.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .diagnostics import Diagnostic
from .safefiles import UnsafeFile, read_bounded

MAX_BYTES = 64 * 1024

# libyaml's C parser when present (it is in PyYAML's wheels): ~10x faster.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"

#: A path into the document: keys and list indexes, e.g. ("links", "homepage").
Path_ = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A parsed document with the (line, col) of every value and mapping key, 1-based."""

    data: Any = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    #: The text has a backslash: a double-quoted escape may hide a control character.
    escapes: bool = False
    #: The text of every number as written (YAML 1.1 reads 0x7E4 and 33:40 as 2020 too).
    numbers: dict[Path_, str] = field(default_factory=dict)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that exists (1, 1 at worst)."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


def dotted(path: Path_) -> str:
    """("links", "homepage") -> "links.homepage"; ("tags", 2) -> "tags[2]"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reader:
    """Turns a composed node tree into plain Python data, recording positions."""

    def __init__(self, rel: str, doc: YamlDoc) -> None:
        self.rel = rel
        self.doc = doc
        self.constructor = SafeConstructor()

    def error(self, node: yaml.Node, path: Path_, message: str, hint: str | None = None) -> None:
        mark = node.start_mark
        self.doc.problems.append(
            Diagnostic.error(
                self.rel,
                message,
                line=mark.line + 1,
                col=mark.column + 1,
                field=dotted(path),
                hint=hint,
            )
        )

    def read(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.error(key_node, path, "a key must be a plain string")
                    continue
                key = self.scalar(key_node, path)
                if not isinstance(key, str):
                    self.error(
                        key_node, path, f"key {key!r} must be a string", "quote it, or fix the typo"
                    )
                    continue
                child = (*path, key)
                if key in out:
                    first = self.doc.keys[child]
                    self.error(
                        key_node,
                        child,
                        f"duplicate key '{key}' (first at line {first[0]})",
                        "keep one; YAML would silently use only the last",
                    )
                    continue
                self.doc.keys[child] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                out[key] = self.read(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.read(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: Path_) -> Any:
        if node.tag == _STR_TAG:  # most values: skip the constructor's dispatch
            return node.value
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            # YAML 1.2 reads only true/false as booleans; YAML 1.1's yes/no/on/off stay
            # words, so `released: yes` and `commercial_use: no` mean what they say.
            return node.value
        if node.tag in (_INT_TAG, _FLOAT_TAG):
            self.doc.numbers[path] = node.value
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # e.g. a timestamp-looking value that is no real date (2024-02-30).
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "..."
            self.error(node, path, f"cannot read value {shown!r}: {exc}", "quote it")
            return node.value
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


def _mark_problem(rel: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    """A YAML syntax error as a Diagnostic at the place the parser gave up."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    col = mark.column + 1 if mark is not None else 1
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        return Diagnostic.error(
            rel,
            f"character U+{char:04X} is not allowed in YAML",
            line=line,
            col=col,
            hint="remove control characters",
        )
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Diagnostic.error(rel, message, line=line, col=col, hint="check indentation and quoting")


#: Anchors (&), aliases (*), tags (!) and document markers cannot occur without these.
_MAY_HAVE_FEATURES = re.compile(r"[&*!]|^(---|\.\.\.)", re.MULTILINE)


def _refuse_features(rel: str, text: str) -> list[Diagnostic]:
    """Reject anchors, aliases, explicit tags and multiple documents, with their lines."""
    problems: list[Diagnostic] = []
    documents = 0
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                problems.append(
                    Diagnostic.error(
                        rel, "more than one YAML document", line=line, col=col, hint="remove '---'"
                    )
                )
        elif isinstance(event, yaml.AliasEvent):
            problems.append(
                Diagnostic.error(
                    rel,
                    f"alias '*{event.anchor}' is not allowed",
                    line=line,
                    col=col,
                    hint="write the value out in full",
                )
            )
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            problems.append(
                Diagnostic.error(
                    rel,
                    f"anchor '&{event.anchor}' is not allowed",
                    line=line,
                    col=col,
                    hint="write values out in full",
                )
            )
        tag = getattr(event, "tag", None) if isinstance(event, yaml.NodeEvent) else None
        if tag is not None:
            # The parser reports a tag only when the author wrote one (!!python/..., !foo).
            problems.append(
                Diagnostic.error(
                    rel,
                    f"tag '{tag}' is not allowed",
                    line=line,
                    col=col,
                    hint="remove the tag; entries hold plain values only",
                )
            )
    return problems


def read_yaml(path: Path, rel: str) -> YamlDoc:
    """Read `path` (shown as `rel` in messages) strictly. Never raises for bad content."""
    doc = YamlDoc()
    try:
        # No symbolic links, devices or FIFOs; the size is checked before a byte is read.
        raw = read_bounded(path, MAX_BYTES)
    except UnsafeFile as exc:
        doc.problems.append(Diagnostic(rel, 1, 1, "error", "", str(exc), exc.hint))
        return doc
    except OSError as exc:
        doc.problems.append(Diagnostic.error(rel, f"cannot read file: {exc.strerror}"))
        return doc
    return parse_yaml(raw, rel)


def parse_yaml(raw: bytes, rel: str) -> YamlDoc:
    """Parse the bytes of one file; see read_yaml."""
    doc = YamlDoc()
    if len(raw) > MAX_BYTES:
        doc.problems.append(
            Diagnostic.error(
                rel,
                f"file is {len(raw)} bytes; the limit is {MAX_BYTES}",
                hint="an entry needs a few hundred bytes",
            )
        )
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problems.append(
            Diagnostic.error(
                rel,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                line=line,
                col=col,
                hint="save the file as UTF-8",
            )
        )
        return doc
    text = text.removeprefix("\ufeff")
    doc.escapes = "\\" in text
    try:
        if _MAY_HAVE_FEATURES.search(text):  # a full event scan only when one could be there
            doc.problems.extend(_refuse_features(rel, text))
        if doc.problems:
            return doc
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        doc.problems.append(_mark_problem(rel, text, exc))
        return doc
    except RecursionError:
        doc.problems.append(Diagnostic.error(rel, "YAML nesting is too deep"))
        return doc
    if node is None:
        doc.problems.append(Diagnostic.error(rel, "file is empty"))
        return doc
    try:
        doc.data = _Reader(rel, doc).read(node, ())
    except RecursionError:
        doc.problems.append(Diagnostic.error(rel, "YAML nesting is too deep"))
    return doc
