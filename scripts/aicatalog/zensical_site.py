"""Build the site with Zensical instead of MkDocs: `make zensical`.

Material for MkDocs reaches end of life in May 2027; Zensical, its successor, reads
mkdocs.yml but runs no MkDocs hooks. So the pages are rendered first, exactly as the
hook would hand them over (`aicatalog render`), into a complete docs folder next to
a copy of the hand-written docs/, and Zensical builds that:

    WORK/docs/          docs/ plus every generated page and data file
    WORK/CONTRIBUTING.md  for the Contribute page's snippet include
    WORK/mkdocs.yml     the repository's, with relative paths and without hooks
    WORK/site/          the built site

What the MkDocs hook adds beyond rendering is not there under Zensical: the Contribute
page's edit link opens docs/contribute.md, the search index keeps Material's tag weight,
and `serve` does not show catalog errors in the browser.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .render import DEFAULT_REPOSITORY, SiteOptions, render_catalog, write_site
from .workspace import CatalogError

REPO = Path(__file__).resolve().parents[2]


def prepare(work: Path, catalog: Path | None = None, repo: Path = REPO) -> Path:
    """Lay out WORK for a Zensical build of `catalog` (default: the repository's); the config."""
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = work / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(repo / "docs", docs)
    options = SiteOptions(
        site_url=config.get("site_url") or SiteOptions.site_url,
        repository=config.get("extra", {}).get("repository", DEFAULT_REPOSITORY),
    )
    site = render_catalog(catalog or repo / "catalog", options, lambda m: print(m, file=sys.stderr))
    write_site(site, docs)
    shutil.copy(repo / "CONTRIBUTING.md", work / "CONTRIBUTING.md")
    # Zensical wants paths relative to the config file (absolute ones make it panic).
    config.update(docs_dir="docs", site_dir="site")
    config["theme"]["custom_dir"] = "docs/overrides"
    for mkdocs_only in ("hooks", "watch"):
        config.pop(mkdocs_only, None)
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build(work: Path, *, strict: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `zensical build` in WORK (prepared); the site is WORK/site."""
    cmd = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml", "--clean"]
    return subprocess.run(
        [*cmd, *(["--strict"] if strict else [])],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, help="catalog folder (default: catalog/)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "zensical")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        prepare(args.out.resolve(), args.catalog)
    except CatalogError as exc:
        from .diagnostics import format_report

        print(format_report(exc.diagnostics, "text"), file=sys.stderr)
        return 1
    proc = build(args.out.resolve())
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode == 0:
        print(f"Built with Zensical into {args.out / 'site'}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
