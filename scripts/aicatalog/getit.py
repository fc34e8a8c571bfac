"""'Get it': how to obtain a project, as copyable commands that link to their registries.

An entry names its packages (`get.pypi`, `get.docker`, `get.huggingface`, ...);
this module turns each into the command a reader would type and, where the
project may name it, the registry page to check it against. Names are validated
by the schema's patterns, so a command can never carry shell syntax.

The Python and npm package indexes get no page link: this project's workplace
rules keep those registries' host names out of the repository.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

#: The `get` fields in the order pages show them.
GET_FIELDS = ("pypi", "conda_forge", "npm", "crates", "docker", "huggingface")


@dataclass(frozen=True)
class GetItem:
    """One way to get a project: which registry, the command, and the registry page."""

    field: str
    registry: str
    command: str
    url: str | None


def _docker_url(image: str) -> str:
    if image.startswith("ghcr.io/"):
        owner, _, name = image.removeprefix("ghcr.io/").partition("/")
        return f"https://github.com/{quote(owner)}/{quote(name)}/pkgs/container/{quote(name)}"
    if "/" not in image:
        return f"https://hub.docker.com/_/{quote(image)}"
    if "." in image.split("/", 1)[0]:  # another registry host: link its own address
        return f"https://{image}"
    return f"https://hub.docker.com/r/{quote(image, safe='/')}"


def _hub(name: str, kind: str) -> GetItem:
    if kind == "dataset":
        return GetItem(
            "huggingface",
            "Hugging Face Hub",
            f'load_dataset("{name}")',
            f"https://huggingface.co/datasets/{quote(name, safe='/')}",
        )
    return GetItem(
        "huggingface",
        "Hugging Face Hub",
        f"huggingface-cli download {name}",
        f"https://huggingface.co/{quote(name, safe='/')}",
    )


def get_items(get: Mapping[str, str], kind: str) -> list[GetItem]:
    """Every way to get a project, in GET_FIELDS order."""
    makers = {
        "pypi": lambda n: GetItem("pypi", "PyPI", f"pip install {n}", None),
        "conda_forge": lambda n: GetItem(
            "conda_forge",
            "conda-forge",
            f"conda install -c conda-forge {n}",
            f"https://anaconda.org/conda-forge/{quote(n)}",
        ),
        "npm": lambda n: GetItem("npm", "npm", f"npm install {n}", None),
        "crates": lambda n: GetItem(
            "crates", "crates.io", f"cargo add {n}", f"https://crates.io/crates/{quote(n)}"
        ),
        "docker": lambda n: GetItem(
            "docker", "Container image", f"docker pull {n}", _docker_url(n)
        ),
        "huggingface": lambda n: _hub(n, kind),
    }
    return [makers[f](get[f]) for f in GET_FIELDS if get.get(f)]
