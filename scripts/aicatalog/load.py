"""Reading entries and vocabularies into the validated model.

Files -> strict YAML -> checks -> frozen dataclasses. These are the loaders the
workspace (aicatalog.workspace, the one way into the data) runs for entries,
categories and domains; nothing else calls them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import licenses, validate
from .diagnostics import Diagnostic, has_errors
from .getit import GET_FIELDS
from .ids import is_kebab
from .model import License, Links, ModelFacts, OpennessLevels, Project, Term
from .paths import PROJECTS_DIR, display_path
from .profile import DATASET_COMPONENTS, MODEL_COMPONENTS, Component, Profile
from .safefiles import hidden_file
from .yamlfile import YamlDoc, dotted, read_yaml

#: Below this many files one process is faster than starting a second.
PARALLEL_FROM = 1500


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


def read_terms(path: Path, kind: str) -> tuple[tuple[Term, ...], list[Diagnostic]]:
    rel = display_path(path)
    doc = read_yaml(path, rel)
    problems = list(doc.problems)
    terms: list[Term] = []
    if doc.problems:
        return (), problems
    if not isinstance(doc.data, list):
        return (), [Diagnostic.error(rel, f"{kind} file must be a list of entries")]
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
                Diagnostic.error(
                    rel,
                    f"each {kind} needs exactly: id, title, description (non-empty text)",
                    line=line,
                    col=col,
                    field=f"[{i}]",
                )
            )
            continue
        if not is_kebab(item["id"]) or item["id"] in seen:
            problems.append(
                Diagnostic.error(
                    rel,
                    f"{kind} id '{item['id']}' must be unique lowercase kebab-case",
                    line=line,
                    col=col,
                    field=f"[{i}].id",
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


def _profile(data: dict[str, Any]) -> Profile | None:
    recorded = data.get("openness")
    if not recorded:
        return None
    order = [*MODEL_COMPONENTS, *DATASET_COMPONENTS]
    return Profile(
        tuple(
            Component(
                name,
                recorded[name]["released"],
                recorded[name].get("url"),
                recorded[name].get("note"),
            )
            for name in order
            if name in recorded
        )
    )


def _facts(data: dict[str, Any]) -> ModelFacts | None:
    if not any(k in data for k in ("parameters", "context_length", "modalities", "base_model")):
        return None
    sizes = data.get("parameters") or ()
    modalities = data.get("modalities") or {}
    return ModelFacts(
        parameters=(sizes,) if isinstance(sizes, str) else tuple(sizes),
        context_length=data.get("context_length"),
        inputs=tuple(modalities.get("input", ())),
        outputs=tuple(modalities.get("output", ())),
        base_model=data.get("base_model"),
    )


def _attributes(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


#: The schema fields the model holds as attributes; build_project keeps others in `more`.
_TYPED = _attributes(Project) | {
    f"{prefix}.{name}"
    for prefix, cls in (("links", Links), ("license", License))
    for name in _attributes(cls)
}


def _lookup(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


#: (dotted name, path) of a schema's URL fields, and of its fields the model has no attribute for.
_Paths = tuple[tuple[str, tuple[str, ...]], ...]


@functools.cache
def _field_paths(schema: validate.Schema) -> tuple[_Paths, _Paths]:
    urls = tuple((name, tuple(name.split("."))) for name in schema.url_fields)
    more = tuple((n, tuple(n.split("."))) for n in schema.leaf_fields if n not in _TYPED)
    return urls, more


def build_project(stem: str, rel: str, doc: YamlDoc, schema: validate.Schema) -> Project:
    """The model of an entry that passed every check (against `schema`)."""
    data = doc.data
    lic = data["license"]
    url_paths, more_paths = _field_paths(schema)
    url_values = tuple(
        (name, url) for name, path in url_paths if isinstance(url := _lookup(data, path), str)
    )
    more = {name: value for name, path in more_paths if (value := _lookup(data, path)) is not None}
    get = data.get("get") or {}
    return Project(
        id=stem,
        name=data["name"],
        description=" ".join(data["description"].split()),
        kind=data["kind"],
        categories=_tuple(data, "categories"),
        links=Links(**{k: v for k, v in data["links"].items() if f"links.{k}" in _TYPED}),
        license=License(**{k: v for k, v in lic.items() if f"license.{k}" in _TYPED}),
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
        checked=dt.date.fromisoformat(data["checked"]) if data.get("checked") else None,
        profile=_profile(data),
        get=tuple((f, get[f]) for f in GET_FIELDS if get.get(f)),
        facts=_facts(data),
        positions=_positions(doc),
        url_values=url_values,
        more=more,
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
            projects.append(build_project(path.stem, rel, doc, schema))
    return diagnostics, projects


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


def entry_files(root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The entry files of the catalog at `root`, and a problem for each file that is not one."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in sorted((root / PROJECTS_DIR).iterdir()):
        if path.name.startswith("."):
            problems.append(hidden_file(display_path(path)))
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        if path.suffix != ".yml":
            hint = f"rename it to {path.stem}.yml" if path.suffix == ".yaml" else None
            problems.append(
                Diagnostic.error(display_path(path), "catalog entries are .yml files", hint=hint)
            )
            continue
        files.append(path)
    return files, problems


def load_entries(
    paths: list[Path], schema_path: Path, vocab: validate.Vocabulary, today: dt.date
) -> tuple[list[Diagnostic], list[Project]]:
    """Read, check and build every entry in `paths` (in parallel for large catalogs),
    then run the checks between entries."""
    check = functools.partial(_load_entries, schema_path=schema_path, vocab=vocab, today=today)
    diagnostics: list[Diagnostic] = []
    projects: list[Project] = []
    for problems, built in _map_chunks(check, paths):
        diagnostics += problems
        projects += built
    diagnostics += validate.check_catalog(projects)
    return diagnostics, projects
