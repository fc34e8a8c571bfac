"""The package keeps its shape: short functions, and imports that only go down the layers
described in the README's layout section."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .helpers import REPO

PACKAGE = REPO / "scripts" / "aicatalog"
MAX_FUNCTION_LINES = 80

#: Lowest first. A module may import from its own layer or any layer below, never above.
LAYERS: list[set[str]] = [
    # Foundations: no catalog knowledge beyond one concern each.
    {
        "atomicfile", "diagnostics", "durations", "exitcodes", "ids", "licenses", "pages",
        "paths", "repos", "schemafields", "urls", "yamlfile", "profile", "getit", "charts",
        "registry", "tags", "findings", "lookalike", "safefiles", "terminal", "retryafter",
    },
    # The model: what a catalog and its collected facts are.
    {"model", "activity"},
    # Reading and checking each input.
    {"validate", "openness_rules", "load", "overview", "drift"},
    # The one way into the data.
    {"workspace"},
    # Output: views of the workspace, pages, data files.
    {
        "views", "pulse", "fragments", "datafiles", "feed", "render", "profile_view",
        "registry_view", "relatedness", "home", "stats", "browse_data", "compare_view",
        "error_page",
    },
    # Operations on a catalog: scaffolding, link checking, enrichment.
    {"scaffold", "linkcheck", "enrich"},
    # Commands and adapters: the only modules that talk to a user or a site builder.
    {
        "cli", "options", "validate_command", "render_command", "new_command", "mkdocs_hook",
        "linkcheck.command", "enrich.command", "__main__", "zensical_site",
    },
]  # fmt: skip


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "egg-info" not in str(p))


def dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def layer(module: str) -> int:
    """The layer of a module name inside the package ("enrich.run", "validate")."""
    for candidate in (module, module.split(".")[0]):
        for index, names in enumerate(LAYERS):
            if candidate in names:
                return index
    raise AssertionError(f"aicatalog.{module} is in no layer: add it to LAYERS and the README")


def imported(path: Path) -> set[str]:
    """aicatalog modules `path` imports, as dotted names inside the package."""
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:  # from .x import y, from ..x import y
            base = package[: len(package) - node.level + 1]
            prefix = ".".join([*base, *(node.module.split(".") if node.module else [])])
        elif (node.module or "").startswith("aicatalog"):
            prefix = (node.module or "").removeprefix("aicatalog").lstrip(".")
        else:
            continue
        for alias in node.names:
            name = f"{prefix}.{alias.name}" if prefix else alias.name
            found.add(name if _exists(name) else prefix)
    return {m for m in found if m}


def _exists(name: str) -> bool:
    target = PACKAGE.joinpath(*name.split("."))
    return target.with_suffix(".py").exists() or (target / "__init__.py").exists()


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_no_function_is_longer_than_80_lines(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name} is {length} lines"


@pytest.mark.parametrize("path", modules(), ids=dotted)
def test_imports_only_go_down_the_layers(path: Path) -> None:
    me = dotted(path)
    if me in ("__init__", "linkcheck", "enrich"):
        return
    for other in imported(path):
        assert layer(other) <= layer(me), f"aicatalog.{me} imports aicatalog.{other} (a layer up)"
