"""Build sites with the real MkDocs and serve them on 127.0.0.1, as GitHub Pages would.

Builds run `mkdocs build` in a subprocess with the repository's mkdocs.yml, the
way `make build` does. The server mounts the site under the path of `site_url`
(/catalog/) and answers unknown paths with the site's 404 page and status.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from aicatalog.render import Site, write_site

from .helpers import REPO

PREFIX = "/catalog/"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def mkdocs_build(
    catalog: Path | None, out: Path, *, strict: bool = True, config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` of `catalog` (default: the repository's) into `out`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("AICATALOG_CATALOG", None)
    if catalog is not None:
        env["AICATALOG_CATALOG"] = str(catalog)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config or REPO / "mkdocs.yml")]
    cmd += ["-d", str(out), *(["--strict"] if strict else [])]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=600)


def build_or_fail(catalog: Path | None, out: Path, **kwargs: object) -> Path:
    proc = mkdocs_build(catalog, out, **kwargs)  # type: ignore[arg-type]
    assert proc.returncode == 0, proc.stderr
    return out


def config_for(docs: Path, out: Path, *, hooks: bool = True) -> Path:
    """A copy of mkdocs.yml at `out` that builds from the docs folder `docs`.

    Without `hooks` the catalog is not rendered by the build: `docs` must already
    hold the generated pages (see build_rendered).
    """
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(docs / "overrides")
    config["watch"] = [str(REPO / w) for w in config["watch"]]
    config["hooks"] = [str(REPO / h) for h in config["hooks"]] if hooks else []
    out.write_text(yaml.safe_dump(config), encoding="utf-8")
    return out


def build_rendered(site: Site, work: Path) -> Path:
    """Build a rendered Site written out as Markdown files, as another builder would read it.

    The way to put content that never passed the validator through the real theme.
    """
    docs = shutil.copytree(REPO / "docs", work / "docs")
    write_site(site, docs)
    config = config_for(docs, work / "mkdocs.yml", hooks=False)
    proc = mkdocs_build(None, work / "site", strict=False, config=config)
    assert proc.returncode == 0, proc.stderr
    return work / "site"


class _Handler(SimpleHTTPRequestHandler):
    """Static files under PREFIX; anything else, or missing, gets 404.html with a 404."""

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__none__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port); yields the site's base URL."""
    handler = functools.partial(_Handler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


def require_chromium() -> Path:
    """Debian's Chromium; skip without it locally, fail in CI (where it must be installed)."""
    if CHROMIUM.exists() and shutil.which(str(CHROMIUM)):
        return CHROMIUM
    message = f"{CHROMIUM} is missing (bash .ci/run installs Debian's chromium package)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
