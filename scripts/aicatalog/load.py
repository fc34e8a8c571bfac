"""Load a catalog folder into the validated model.

Files -> strict YAML -> checks -> frozen dataclasses: the one way into the
data, shared by every command, the site build and the tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import licenses, validate
from .diagnostics import Diagnostic, has_errors
from .model import Catalog, License, Links, OpennessLevels, Project, Term
from .safefiles import hidden_file
from .yamlfile import YamlDoc, dotted, read_yaml

SCHEMA_FILE = "schema.json"
PROJECTS_DIR = "projects"


class CatalogError(Exception):
    """The catalog has errors; `diagnostics` says where."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the catalog")


@dataclass(frozen=True)
class LoadResult:
    """The catalog (None when any error was found) and every diagnostic, sorted by place."""

    catalog: Catalog | None
    diagnostics: list[Diagnostic]


def display_path(path: Path) -> str:
    """Path as messages show it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def find_catalog(start: Path | None = None) -> Path | None:
    """The `catalog/` folder of the repository around `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "catalog"
        if (candidate / PROJECTS_DIR).is_dir():
            return candidate
        if folder.name == "catalog" and (folder / PROJECTS_DIR).is_dir():
            return folder
    return None


def _read_terms(path: Path, kind: str) -> tuple[tuple[Term, ...], list[Diagnostic]]:
    rel = display_path(path)
    doc = read_yaml(path, rel)
    problems = list(doc.problems)
    terms: list[Term] = []
    if doc.problems:
        return (), problems
    if not isinstance(doc.data, list):
        return (), [Diagnostic(rel, 1, 1, "error", "", f"{kind} file must be a list of entries")]
    seen: set[str] = set()
    for i, item in enumerate(doc.data):
        line, col = doc.where((i,))
        fields = ("id", "title", "description")
        if (
            not isinstance(item, dict)
            or set(item) != set(fields)
            or not all(isinstance(item[f], str) and item[f].strip() for f in fields)
        ):
            problems.append(
                Diagnostic(
                    rel,
                    line,
                    col,
                    "error",
                    f"[{i}]",
                    f"each {kind} needs exactly: id, title, description (non-empty text)",
                )
            )
            continue
        if not validate.ID_RE.match(item["id"]) or item["id"] in seen:
            problems.append(
                Diagnostic(
                    rel,
                    line,
                    col,
                    "error",
                    f"[{i}].id",
                    f"{kind} id '{item['id']}' must be unique lowercase kebab-case",
                )
            )
            continue
        seen.add(item["id"])
        terms.append(Term(item["id"], item["title"], item["description"]))
    return tuple(terms), problems


def _positions(doc: YamlDoc) -> dict[str, tuple[int, int]]:
    return {dotted(path): position for path, position in doc.values.items()}


def _tuple(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(data.get(key) or ())


def build_project(stem: str, rel: str, doc: YamlDoc) -> Project:
    """The model of an entry that passed every check."""
    data = doc.data
    lic = data["license"]
    return Project(
        id=stem,
        name=data["name"],
        description=" ".join(data["description"].split()),
        kind=data["kind"],
        categories=_tuple(data, "categories"),
        links=Links(**data["links"]),
        license=License(**lic),
        openness=OpennessLevels(
            code=licenses.openness(lic["code"]),
            weights=licenses.openness(lic["weights"], content=True) if lic.get("weights") else None,
            data=licenses.openness(lic["data"], content=True) if lic.get("data") else None,
        ),
        added=dt.date.fromisoformat(data["added"]),
        path=rel,
        tags=_tuple(data, "tags"),
        domains=_tuple(data, "domains"),
        steward=data.get("steward"),
        first_release=data.get("first_release"),
        status=data.get("status"),
        programming_languages=_tuple(data, "programming_languages"),
        related=_tuple(data, "related"),
        positions=_positions(doc),
    )


def _load_entries(
    paths: list[Path], schema_path: Path, vocab: validate.Vocabulary, today: dt.date
) -> tuple[list[Diagnostic], list[Project]]:
    """Read, check and build the entries in `paths`: the per-file part of loading."""
    schema = validate.load_schema(schema_path)  # cached, and inherited by forked workers
    diagnostics: list[Diagnostic] = []
    projects: list[Project] = []
    for path in paths:
        rel = display_path(path)
        doc = read_yaml(path, rel)
        problems = doc.problems or validate.check_entry(rel, path.stem, doc, schema, vocab, today)
        diagnostics += problems
        if not has_errors(problems):
            projects.append(build_project(path.stem, rel, doc))
    return diagnostics, projects


#: Below this many files one process is faster than starting a second.
PARALLEL_FROM = 1500


def _map_chunks(
    work: Callable[[list[Path]], tuple[list[Diagnostic], list[Project]]], paths: list[Path]
) -> list[tuple[list[Diagnostic], list[Project]]]:
    """Run `work` over `paths`, split across the CPUs (via fork) when the catalog is large.

    Per-file work is independent and CPU-bound (YAML parsing, schema checks), so a
    second core nearly halves the time for catalogs of thousands of entries.
    """
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [work(paths)]
    size = -(-len(paths) // workers)
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(work, chunks))


def load_catalog(
    root: Path,
    only: Iterable[Path] | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """Read and check every file of the catalog at `root`.

    With `only`, diagnostics are limited to those files (cross-entry checks still
    see the whole catalog, so a new entry that duplicates an old one is caught).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    diagnostics: list[Diagnostic] = []
    schema_path = root / SCHEMA_FILE
    try:
        schema_path = schema_path.resolve()
        validate.load_schema(schema_path)
    except (OSError, ValueError) as exc:
        rel = display_path(schema_path)
        return LoadResult(None, [Diagnostic(rel, 1, 1, "error", "", f"cannot load schema: {exc}")])
    categories, problems = _read_terms(root / "categories.yml", "category")
    diagnostics += problems
    domains, problems = _read_terms(root / "domains.yml", "domain")
    diagnostics += problems
    vocab = validate.Vocabulary([c.id for c in categories], [d.id for d in domains])

    projects_dir = root / PROJECTS_DIR
    if not projects_dir.is_dir():
        rel = display_path(projects_dir)
        return LoadResult(None, [Diagnostic(rel, 1, 1, "error", "", "no projects folder here")])
    entry_files: list[Path] = []
    for path in sorted(projects_dir.iterdir()):
        if path.name.startswith("."):
            diagnostics.append(hidden_file(display_path(path)))
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        if path.suffix != ".yml":
            diagnostics.append(
                Diagnostic(
                    display_path(path),
                    1,
                    1,
                    "error",
                    "",
                    "catalog entries are .yml files",
                    f"rename it to {path.stem}.yml" if path.suffix == ".yaml" else None,
                )
            )
            continue
        entry_files.append(path)
    check = functools.partial(_load_entries, schema_path=schema_path, vocab=vocab, today=today)
    projects: list[Project] = []
    for problems, built in _map_chunks(check, entry_files):
        diagnostics += problems
        projects += built
    diagnostics += validate.check_catalog(projects)

    if only is not None:
        wanted = {display_path(p) for p in only}
        diagnostics = [d for d in diagnostics if d.path in wanted]
    diagnostics.sort()
    if has_errors(diagnostics):
        return LoadResult(None, diagnostics)
    catalog = Catalog(root=root, projects=tuple(projects), categories=categories, domains=domains)
    return LoadResult(catalog, diagnostics)


def load_or_raise(root: Path) -> Catalog:
    """The valid catalog at `root`, or CatalogError carrying every diagnostic."""
    result = load_catalog(root)
    if result.catalog is None:
        raise CatalogError(result.diagnostics)
    return result.catalog
