"""A new catalog entry from a few answers: its id, its duplicates, its file's text.

`aicatalog new` is often a newcomer's first contact with the catalog. Each answer
is checked by rendering the entry and running the real entry validator on it, so
`new` can never accept a value that `aicatalog validate` would refuse, and the
two cannot drift apart. Fields the contributor has not answered yet are written
as empty placeholders that the validator then points at, line by line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import openness_rules, validate
from .diagnostics import Diagnostic
from .ids import MAX_LENGTH, is_valid_id
from .lookalike import name_key, url_key
from .model import Term
from .paths import PROJECTS_DIR, SCHEMA_FILE, display_path
from .paths import entry_path as _entry_path
from .profile import DATASET_COMPONENTS, MODEL_COMPONENTS
from .workspace import (
    load_workspace,
    read_registry,
    read_schema,
    read_tags,
    read_vocabularies,
)
from .yamlfile import parse_yaml, read_yaml

HEADER = "# yaml-language-server: $schema=../schema.json"
#: Stem used when checking a draft whose name (and so id) is not known yet.
_PLACEHOLDER_ID = "new-entry"
_WIDTH = 100

#: Each answered entry field: the Draft attribute holding it and the option giving it,
#: in the order the command's options (and its messages) come.
FIELDS = {
    "name": ("name", "--name"),
    "links.homepage": ("homepage", "--homepage"),
    "links.repository": ("repository", "--repository"),
    "kind": ("kind", "--kind"),
    "categories": ("categories", "--category"),
    "license.code": ("license", "--license"),
    "license.source": ("license_source", "--license-source"),
    "description": ("description", "--description"),
    "tags": ("tags", "--tag"),
}
#: The Draft attribute behind each option; the id names the file, so it is no entry field.
ATTRIBUTES = {"--id": "entry_id"} | {option: attr for attr, option in FIELDS.values()}

#: What to write into each placeholder, shown in the file and in the to-do list.
GUIDANCE = {
    "description": "one or two plain sentences, 20-300 characters, in your own words",
    "license.code": "SPDX id of the code licence, read from the LICENSE file (e.g. Apache-2.0)",
    "license.weights": "licence of the weights: SPDX id, or a registry id from catalog/licenses/",
    "license.data": "licence of the data itself: SPDX id, or a registry id from catalog/licenses/",
}

#: The licence part a kind must declare besides the code's (validate.content_has_licence).
_CONTENT_PART = {kind: part for kind, (part, _) in validate.CONTENT_PARTS.items()}


@dataclass(frozen=True)
class Draft:
    """Answers so far; None (or no categories) where the contributor has not answered."""

    name: str | None = None
    homepage: str | None = None
    kind: str | None = None
    categories: tuple[str, ...] = ()
    repository: str | None = None
    license: str | None = None
    license_source: str | None = None
    description: str | None = None
    entry_id: str | None = None
    tags: tuple[str, ...] = ()

    def cleaned(self) -> Draft:
        """Surrounding white space dropped, the description folded to one line, '' as None."""

        def tidy(value: str | None) -> str | None:
            return value.strip() or None if value is not None else None

        description = " ".join(self.description.split()) if self.description else None
        return replace(
            self,
            name=tidy(self.name),
            homepage=tidy(self.homepage),
            kind=tidy(self.kind),
            categories=tuple(c.strip() for c in self.categories if c.strip()),
            repository=tidy(self.repository),
            license=tidy(self.license),
            license_source=tidy(self.license_source),
            description=description or None,
            entry_id=tidy(self.entry_id),
            tags=tuple(dict.fromkeys(t.strip() for t in self.tags if t.strip())),
        )

    def id(self) -> str | None:
        """The entry id: the one asked for, else derived from the name."""
        if self.entry_id:
            return self.entry_id
        return derive_id(self.name) if self.name else None

    def supplied(self) -> set[str]:
        """Dotted names of the fields that hold an answer."""
        return {field for field, (attr, _) in FIELDS.items() if getattr(self, attr)}

    def blanks(self) -> tuple[str, ...]:
        """Required fields written as empty placeholders, to be filled in by hand."""
        out = [] if self.description else ["description"]
        if not self.license:
            out.append("license.code")
        part = _CONTENT_PART.get(self.kind or "")
        if part:
            out.append(f"license.{part}")
        return tuple(out)


@dataclass(frozen=True)
class Problem:
    """Why an answer was refused, named by the option that gave it."""

    option: str
    message: str
    hint: str | None = None
    duplicate: bool = False
    #: True when the problem is with the entry's id (derived from the name, or --id).
    about_id: bool = False

    def text(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        where = f"{self.option}: " if self.option else ""
        return f"{where}{self.message}{hint}"


@dataclass(frozen=True)
class Existing:
    """What duplicate checks need of an entry already in the catalog, read leniently."""

    id: str
    path: str
    name: str | None
    urls: dict[str, str]
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @functools.cached_property
    def keys(self) -> dict[str, str]:
        """Look-alike keys of its name, homepage and repository, worked out once: a prompt
        compares every answer with every entry (5,000 entries: 300 ms an answer without)."""
        return _lookalike_keys(self.name, self.urls)


def _lookalike_keys(name: str | None, urls: Mapping[str, str]) -> dict[str, str]:
    """What duplicates are compared by: the name's and the homepage's and repository's
    look-alike keys, for those given, in that order."""
    found = {"name": name_key(name)} if name else {}
    for what in ("homepage", "repository"):
        if what in urls:
            found[what] = url_key(urls[what])
    return found


@dataclass(frozen=True)
class Context:
    """The catalog a draft joins: its schema, vocabularies and current entries."""

    root: Path
    validator: validate.Schema
    categories: tuple[Term, ...]
    domains: tuple[Term, ...]
    existing: tuple[Existing, ...]
    today: dt.date
    #: The licence registry's ids and the tag vocabulary, for the openness rules.
    rules: openness_rules.Context = dataclasses.field(default_factory=openness_rules.Context)

    @property
    def projects_dir(self) -> Path:
        return self.root / PROJECTS_DIR

    def tags_in(self, category: str, limit: int = 12) -> list[str]:
        """The vocabulary's tags most used by entries of `category`, most used first."""
        known = self.rules.tags.ids()
        counts = Counter(
            t for e in self.existing if category in e.categories for t in e.tags if t in known
        )
        return [t for t, _ in counts.most_common(limit)]

    def vocabulary(self) -> validate.Vocabulary:
        return validate.Vocabulary(
            [c.id for c in self.categories], [d.id for d in self.domains], self.rules
        )


class ContextError(Exception):
    """The catalog itself cannot be read (schema or vocabularies broken)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("the catalog's schema or vocabularies have errors")


def derive_id(name: str) -> str:
    """Lowercase kebab-case id from a display name: 'Hugging Face Hub' -> 'hugging-face-hub'.

    Accents are folded to ASCII so 'Café ML' becomes 'cafe-ml'; '+' becomes 'plus' so
    that 'Notebook++' and 'Notebook' do not collide. The result may still be
    invalid (empty, or one letter): callers check it like any id.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    current = ""
    for ch in ascii_name.lower().replace("+", " plus "):
        if ch.isalnum():
            current += ch
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    out = "-".join(words)
    while len(out) > MAX_LENGTH:
        out = out.rsplit("-", 1)[0] if "-" in out else out[:MAX_LENGTH]
    return out


def read_existing(projects_dir: Path) -> tuple[Existing, ...]:
    """Every entry file's id, name, homepage and repository, even from entries with errors.

    Duplicate checks must not depend on the rest of the catalog being valid: a
    newcomer should not be blocked, or let through, because another entry is broken.
    """
    out: list[Existing] = []
    for path in sorted(projects_dir.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        rel = display_path(path)
        data = read_yaml(path, rel).data if path.suffix == ".yml" else None
        data = data if isinstance(data, dict) else {}
        links = data["links"] if isinstance(data.get("links"), dict) else {}
        urls = {k: v for k, v in links.items() if k in ("homepage", "repository") and _text(v)}
        name = data.get("name") if _text(data.get("name")) else None
        words = {k: tuple(v for v in data.get(k) or () if _text(v)) for k in ("categories", "tags")}
        out.append(Existing(path.stem, rel, name, urls, words["categories"], words["tags"]))
    return tuple(out)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def load_context(root: Path, today: dt.date | None = None) -> Context:
    """Everything needed to check drafts against the catalog at `root`.

    Only the workspace's schema and vocabularies are read strictly: the entries are
    read leniently (read_existing), so one broken entry does not block a newcomer.
    """
    workspace = load_workspace(
        root, inputs=(read_schema, read_vocabularies, read_registry, read_tags)
    )
    if not workspace.ok:
        raise ContextError(list(workspace.diagnostics))
    return Context(
        root=root,
        validator=validate.load_schema((root / SCHEMA_FILE).resolve()),
        categories=workspace.categories,
        domains=workspace.domains,
        existing=read_existing(root / PROJECTS_DIR),
        today=today or dt.datetime.now(dt.UTC).date(),
        rules=openness_rules.Context(frozenset(workspace.registry.terms), workspace.tags),
    )


def _scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it.

    Unicode stays readable unless the value holds control characters or line
    separators (NEL, U+2028), which YAML would fold away unless escaped.
    """
    dumped = yaml.safe_dump(value, allow_unicode=value.isprintable(), width=10**6)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _description(text: str | None) -> list[str]:
    """The description as folded block lines (like the hand-written entries), or a placeholder."""
    if not text:
        return [f'description: ""  # {GUIDANCE["description"]}']
    if not text.isprintable() or len(text) + len("description: ") <= _WIDTH:
        return [f"description: {_scalar(text)}"]
    wrapped = textwrap.wrap(text, _WIDTH - 2, break_long_words=False, break_on_hyphens=False)
    return ["description: >-", *(f"  {line}" for line in wrapped)]


def _commented(line: str, comment: str) -> str:
    """`line  # comment` when that fits the line length, else the line alone."""
    with_comment = f"{line}  # {comment}"
    return with_comment if len(with_comment) <= _WIDTH else line


def _value(value: str | None, comment: str | None = None) -> str:
    if value:
        return _scalar(value)
    return '""' + (f"  # {comment}" if comment else "")


def _model_fact_lines(kind: str | None) -> list[str]:
    """Optional facts for a model, or the documentation profile of a dataset, as comments."""
    if kind == "model":
        return [
            "# parameters: [7B, 70B]  # sizes as the makers state them",
            "# context_length: 8192  # tokens, as the model card states",
            "# modalities:",
            "#   input: [text]",
            "#   output: [text]",
            "# base_model: id  # the entry this model was fine-tuned or distilled from",
        ]
    if kind in ("dataset", "benchmark"):
        return [
            "# openness:  # each: released yes, partial or no; url: the evidence",
            *(f'#   {name}: {{released: "", url: ""}}' for name in DATASET_COMPONENTS),
        ]
    return []


def _profile_lines(kind: str | None) -> list[str]:
    """A model's openness profile to fill in: every component, released left blank."""
    if kind != "model":
        return []
    return [
        "openness:  # each part: released yes, partial or no; url: the evidence (or a note)",
        *(f'  {name}: {{released: ""}}' for name in MODEL_COMPONENTS),
    ]


def render(draft: Draft, added: dt.date) -> str:
    """The text of the entry file: required fields (blank ones empty), optional ones as comments."""
    d = draft
    part = _CONTENT_PART.get(d.kind or "")
    categories = ", ".join(d.categories)
    lines = [
        HEADER,
        f"name: {_value(d.name)}",
        *_description(d.description),
        f"kind: {_value(d.kind)}",
        _commented(
            f"categories: [{categories}]", "1-3 ids from catalog/categories.yml, main first"
        ),
        "links:",
        f"  homepage: {_value(d.homepage)}",
        f"  repository: {_scalar(d.repository)}" if d.repository else "  # repository: https://",
        "  # documentation: https://",
        "  # paper: https://arxiv.org/abs/...",
        "  # community: https://",
        f"  # {part}: https://  (page where the {part} are published)" if part else None,
        "license:",
        f"  code: {_value(d.license, GUIDANCE['license.code'])}",
        f"  {part}: {_value(None, GUIDANCE[f'license.{part}'])}" if part else None,
        f"  source: {_scalar(d.license_source)}"
        if d.license_source
        else "  # source: https://  (the LICENSE file you read the licence from)",
        "  # note: where two sources disagree, or with LicenseRef-Unstated / LicenseRef-Mixed",
        f"added: {added.isoformat()}",
        f"checked: {added.isoformat()}  # the day you checked these facts against their sources",
        *_profile_lines(d.kind),
        "# Optional: uncomment and fill in what you can check.",
        "# steward: Organisation or group that maintains it",
        "# first_release: 2020  # year of the first public release",
        "# status: active  # active, maintenance, archived or discontinued",
        "# programming_languages: [Python]",
        "# domains: []  # ids from catalog/domains.yml",
        f"tags: [{', '.join(d.tags)}]" if d.tags else "# tags: []  # ids from catalog/tags.yml",
        "# related: []  # ids of related entries",
        "# get:  # package names, as the makers' install instructions give them",
        "#   pypi: name",
        "#   conda_forge: name",
        "#   npm: name",
        "#   crates: name",
        "#   docker: owner/image",
        "#   huggingface: owner/name  # a model's or dataset's Hub id",
        *_model_fact_lines(d.kind),
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def _option(field: str) -> str | None:
    for prefix, (_, option) in FIELDS.items():
        if field == prefix or field.startswith(prefix + "[") or field.startswith(prefix + "."):
            return option
    return None


def check(draft: Draft, context: Context) -> list[Problem]:
    """Every problem with the answers in `draft` (cleaned); unanswered fields are not problems."""
    problems: list[Problem] = []
    entry_id = draft.id()
    id_option = "--id" if draft.entry_id else "--name"
    if entry_id is not None and not is_valid_id(entry_id):
        shown = f"id {entry_id!r} is not valid" if entry_id else "the name gives no usable id"
        hint = "pass --id with 2-64 lowercase letters, digits and hyphens"
        problems.append(Problem(id_option, shown, hint, about_id=True))
    rel = f"{_PLACEHOLDER_ID}.yml"
    doc = parse_yaml(render(draft, context.today).encode("utf-8"), rel)
    if doc.problems:  # an answer YAML cannot hold, e.g. a control character
        return problems + [Problem("", d.message, d.hint) for d in doc.problems]
    found = validate.check_entry(
        rel, _PLACEHOLDER_ID, doc, context.validator, context.vocabulary(), context.today
    )
    supplied = draft.supplied()
    reported: set[str] = set()
    for diagnostic in found:
        option = _option(diagnostic.field)
        answered = diagnostic.field.split("[")[0] in supplied
        if option is None or not answered or option in reported:
            continue  # a blank the contributor fills in later, or a second line for one answer
        reported.add(option)
        problems.append(Problem(option, diagnostic.message, diagnostic.hint))
    return problems + duplicates(draft, context.existing, id_option)


def duplicates(draft: Draft, existing: Iterable[Existing], id_option: str) -> list[Problem]:
    """One problem per entry that already has this draft's id, name, homepage or repository."""
    entry_id = draft.id()
    answered = {"homepage": draft.homepage, "repository": draft.repository}
    mine = _lookalike_keys(draft.name, {what: url for what, url in answered.items() if url})
    problems: list[Problem] = []
    for other in existing:
        same = [(f"--{what}", what) for what, key in mine.items() if key == other.keys.get(what)]
        if same:
            words = [w for _, w in same]
            what = " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
            problems.append(
                Problem(
                    same[0][0],
                    f"already in the catalog: entry '{other.id}' ({other.path}) has this {what}",
                    "one entry per project: edit that entry instead",
                    duplicate=True,
                )
            )
        elif entry_id == other.id:
            problems.append(
                Problem(
                    id_option,
                    f"id '{entry_id}' is taken by entry '{other.id}' ({other.path})",
                    "choose another with --id",
                    duplicate=True,
                    about_id=True,
                )
            )
    return problems


def entry_path(context: Context, entry_id: str) -> Path:
    return _entry_path(context.root, entry_id)


def write_entry(draft: Draft, context: Context) -> Path:
    """Create the entry's file; never replaces one (FileExistsError if it appeared meanwhile)."""
    entry_id = draft.id()
    if not entry_id:
        raise ValueError("a draft needs a name or an id before it is written")
    path = entry_path(context, entry_id)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(render(draft, context.today))
    return path


def check_written(path: Path, context: Context) -> list[Diagnostic]:
    """The validator's findings on the file just written, sorted by place.

    Only this file is read: the checks between entries that could concern a new
    entry (duplicates) were done on the answers, and a 5,000-entry catalog need
    not be loaded again to say what is left in one file.
    """
    rel = display_path(path)
    doc = read_yaml(path, rel)
    vocabulary = context.vocabulary()
    found = doc.problems or validate.check_entry(
        rel, path.stem, doc, context.validator, vocabulary, context.today
    )
    return sorted(found)


def still_to_fill(draft: Draft, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """What the contributor has left to do, one `path:line:col: field: what to write` each.

    Built from the validator's own findings on the written file (so lines are
    exact), with plain guidance instead of the raw message for the placeholders.
    """
    blanks = set(draft.blanks())
    out: list[str] = []
    seen: set[str] = set()
    for d in diagnostics:
        if d.field in seen or any(b.startswith(d.field + ".") for b in blanks if d.field):
            continue
        seen.add(d.field)
        if d.field in blanks:
            out.append(f"{d.path}:{d.line}:{d.col}: {d.field}: {GUIDANCE[d.field]}")
        else:
            out.append(d.text())
    return out
