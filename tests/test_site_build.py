"""Real `mkdocs build --strict` runs of the shipped catalog and of generated catalogs."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from .helpers import CATALOG, REPO, dump_entry, valid_entry
from .site_catalogs import site_catalog, with_activity
from .site_server import build_or_fail, config_for, mkdocs_build

pytestmark = pytest.mark.slow

SITE_URL = "https://open-source-ai-catalog.github.io/catalog/"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    return build_or_fail(with_activity(site_catalog(work / "catalog", 40)), work / "site")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Refs(HTMLParser):
    """Every href/src, every id, the head's <link>/<script>/<meta>, and the primary nav."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self.nav_links: list[str] = []
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a:
                kind = f"link rel={a.get('rel')}" if tag == "link" else tag
                self.refs.append((kind, a[key]))
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        if tag == "nav" and "md-nav--primary" in a.get("class", ""):
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if self._nav_depth and tag == "a":
            self.nav_links.append(a.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


def parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def test_every_page_type_is_built(fixture_site: Path) -> None:
    for page in (
        "index.html",
        "browse/index.html",
        "categories/index.html",
        "categories/datasets/index.html",
        "domains/index.html",
        "domains/healthcare/index.html",
        "projects/pytorch/index.html",
        "licences/index.html",
        "overview/index.html",
        "tags/index.html",
        "data/index.html",
        "contribute/index.html",
        "stats/index.html",
        "compare/index.html",
        "browse.json",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "projects.json",
        "projects.csv",
        "schema.json",
        "search/search_index.json",
    ):
        assert (fixture_site / page).is_file(), page


def test_internal_links_and_anchors_resolve(fixture_site: Path) -> None:
    """Links inside raw HTML are not checked by MkDocs, so check every one of them here."""
    parsed = {p: parse(p) for p in html_pages(fixture_site)}
    broken = []
    for page, refs in parsed.items():
        if page.name == "404.html":
            continue  # absolute URLs under site_url, checked by the browser tests
        for tag, ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue
            target = (page.parent / parts.path).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(fixture_site)}: <{tag}> {ref}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if parts.fragment not in ids:
                    broken.append(f"{page.relative_to(fixture_site)}: anchor {ref}")
    assert broken == []


def test_nothing_is_fetched_from_other_hosts(fixture_site: Path) -> None:
    for page in html_pages(fixture_site):
        for tag, ref in parse(page).refs:
            fetched = tag in ("script", "img", "iframe", "source") or (
                tag.startswith("link") and not tag.endswith(("canonical", "alternate"))
            )
            if fetched:
                assert not urlsplit(ref).scheme, f"{page}: <{tag}> {ref}"
        assert "fonts.googleapis" not in page.read_text()


def test_contribute_page_is_contributing_md(fixture_site: Path) -> None:
    html = (fixture_site / "contribute/index.html").read_text()
    for line in (REPO / "CONTRIBUTING.md").read_text().splitlines():
        if line.startswith("## "):
            assert f">{line[3:]}<" in html.replace("&rsquo;", "'"), line


def test_pages_carry_a_description_and_the_feed(fixture_site: Path) -> None:
    for page in html_pages(fixture_site):
        if page.name == "404.html":
            continue
        head = page.read_text().split("</head>")[0]
        assert parse(page).meta.get("description"), page
        assert 'type="application/atom+xml"' in head, page
    project = parse(fixture_site / "projects/pytorch/index.html")
    assert project.meta["description"].startswith("Synthetic project")


def test_project_pages_stay_out_of_the_navigation(tmp_path: Path, fixture_site: Path) -> None:
    """The nav (and so every page's size) does not grow with the number of entries."""
    nav = parse(fixture_site / "contribute/index.html").nav_links
    assert nav
    assert not [link for link in nav if "projects/" in link]
    bigger = build_or_fail(
        with_activity(site_catalog(tmp_path / "catalog", 200)), tmp_path / "site"
    )
    for page in ("contribute/index.html", "data/index.html"):
        small = (fixture_site / page).read_text()
        large = (bigger / page).read_text()
        assert len(re.sub(r"\d+", "", large)) == len(re.sub(r"\d+", "", small)), page


def test_tags_have_a_grouped_index_and_a_page_each(fixture_site: Path) -> None:
    catalog = yaml.safe_load((fixture_site.parent / "catalog/projects/pytorch.yml").read_text())
    tags_page = (fixture_site / "tags/index.html").read_text()
    for tag in catalog["tags"]:
        assert f'href="../tags/{tag}/"' in tags_page
        assert "../../projects/pytorch/" in (fixture_site / "tags" / tag / "index.html").read_text()
    project = (fixture_site / "projects/pytorch/index.html").read_text()
    assert f'href="../../tags/{catalog["tags"][0]}/"' in project


def test_data_files_are_published(fixture_site: Path) -> None:
    data = json.loads((fixture_site / "projects.json").read_text())
    assert data["count"] == len(list((fixture_site.parent / "catalog/projects").iterdir()))
    assert (fixture_site / "schema.json").read_bytes() == (CATALOG / "schema.json").read_bytes()
    feed = ET.parse(fixture_site / "feed.xml").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    links = [e.get("href") for e in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert f"{SITE_URL}projects/pytorch/" in links or all(
        link is not None and link.startswith(SITE_URL) for link in links
    )
    sitemap = (fixture_site / "sitemap.xml").read_text()
    assert f"<loc>{SITE_URL}projects/pytorch/</loc>" in sitemap


def test_search_index_has_projects_not_the_big_listings(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert "projects/pytorch/" in locations
    assert not any(loc.startswith(("browse/", "categories/datasets/")) for loc in locations)


def test_search_ranks_names_over_tags_and_indexes_descriptions(fixture_site: Path) -> None:
    """Project pages are boosted (more for short names), tags weigh below titles, and a
    project's indexed text is its description, not its facts table."""
    index = json.loads((fixture_site / "search/search_index.json").read_text())
    fields = index["config"]["fields"]
    assert fields["tags"]["boost"] < fields["title"]["boost"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    pytorch = docs["projects/pytorch/"]
    assert pytorch["boost"] > docs["projects/fastai-course/"]["boost"] > 1
    assert pytorch["text"].startswith("<p>Synthetic project") and "Kind" not in pytorch["text"]
    assert not [loc for loc in docs if loc.startswith("projects/pytorch/#")]


def test_two_builds_are_byte_identical(tmp_path: Path, fixture_site: Path) -> None:
    again = build_or_fail(fixture_site.parent / "catalog", tmp_path / "again")
    first = {p.relative_to(fixture_site): p for p in fixture_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p for p in again.rglob("*") if p.is_file()}
    assert set(first) == set(second)
    timestamps = {Path("sitemap.xml"), Path("sitemap.xml.gz")}
    differ = [
        str(p)
        for p in first
        if p not in timestamps and first[p].read_bytes() != second[p].read_bytes()
    ]
    assert differ == []


def test_invalid_catalog_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "catalog", 3, broken=valid_entry(license={"code": "Apache"}))
    proc = mkdocs_build(root, tmp_path / "site")
    assert proc.returncode == 1
    assert re.search(
        r"projects/broken\.yml:\d+:\d+: error: license\.code: 'Apache' is not an "
        r"SPDX identifier \(did you mean 'Apache-2.0'\?\)",
        proc.stderr,
    )
    assert "Traceback" not in proc.stderr


def test_corrupt_activity_file_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "catalog", 3)
    (root / "activity.json").write_text('{"version": 1,\n "projects": {"p00000": [}}\n')
    proc = mkdocs_build(root, tmp_path / "site")
    assert proc.returncode == 1
    assert "activity.json:2:26: error: not valid JSON: Expecting value (the file is" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_writes_nothing_into_docs(tmp_path: Path) -> None:
    def snapshot() -> dict[str, tuple[int, int]]:
        docs = REPO / "docs"
        return {
            str(p.relative_to(docs)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in docs.rglob("*")
        }

    before = snapshot()
    build_or_fail(site_catalog(tmp_path / "catalog", 3), tmp_path / "site")
    assert snapshot() == before


def test_broken_anchor_in_a_handwritten_page_fails_the_strict_build(tmp_path: Path) -> None:
    """validation: makes broken links and anchors warnings, so --strict refuses them."""
    docs = shutil.copytree(REPO / "docs", tmp_path / "docs")
    page = docs / "contribute.md"
    page.write_text(page.read_text() + "\nSee [the fields](data.md#no-such).\n")
    config = config_for(docs, tmp_path / "mkdocs.yml")
    proc = mkdocs_build(site_catalog(tmp_path / "catalog", 3), tmp_path / "site", config=config)
    assert proc.returncode == 1
    assert "contains a link 'data.md#no-such'" in proc.stderr


def test_the_shipped_catalog_builds_strict(tmp_path: Path) -> None:
    site = build_or_fail(None, tmp_path / "site")
    entries = {p.stem for p in (CATALOG / "projects").glob("*.yml")}
    built = {posixpath.basename(str(p.parent)) for p in (site / "projects").glob("*/index.html")}
    assert built == entries
    assert "PyTorch" in (site / "projects/pytorch/index.html").read_text()


def test_contribute_page_shows_the_entry_template_as_a_code_block(fixture_site: Path) -> None:
    html = (fixture_site / "contribute/index.html").read_text()
    web_editor = html.split('id="in-the-github-web-editor-no-installation"')[1].split("<h3")[0]
    # One ordered list of five steps, the template inside the third as a code block.
    assert web_editor.count("<ol>") == 1
    steps = web_editor.split("<ol>")[1].split("</ol>")[0]
    assert steps.count("<li>") == 5
    block = re.search(r"<pre[^>]*>(?:<span></span>)?<code[^>]*>(.*?)</code></pre>", steps, re.S)
    assert block is not None, "the template is not a code block"
    text = re.sub(r"<[^>]+>", "", block.group(1))
    assert "name: Example Library\n" in text
    assert "kind: library" in text and "\nlicense:\n" in text
    edit = re.findall(r'href="([^"]*/edit/[^"]*)"', html)
    assert edit == ["https://github.com/open-source-ai-catalog/catalog/edit/main/CONTRIBUTING.md"]


def test_pages_carry_share_previews(fixture_site: Path) -> None:
    """OpenGraph and Twitter card meta from the page's own title, description and URL."""

    def meta(page: str) -> dict[str, str]:
        head = (fixture_site / page).read_text().split("</head>")[0]
        found = re.findall(
            r'<meta (?:property|name)="((?:og|twitter):\w+)" content="([^"]*)"', head
        )
        return dict(found)

    project = meta("projects/pytorch/index.html")
    assert project["og:title"] == "Pytorch - Open Source AI Catalog"
    assert project["og:description"].startswith("Synthetic project")
    assert project["og:url"] == f"{SITE_URL}projects/pytorch/"
    assert project["twitter:card"] == "summary"
    assert project["twitter:title"] == project["og:title"]
    assert project["twitter:description"] == project["og:description"]
    home = meta("index.html")
    assert home["og:title"] == "Open Source AI Catalog"
    assert home["og:url"] == SITE_URL


def test_serve_shows_an_invalid_catalog_s_errors_in_the_browser(tmp_path: Path) -> None:
    """`make serve` of an invalid catalog: the pages list the validator's messages, escaped."""
    hostile = valid_entry(license={"code": "<script>alert(1)</script>"})
    root = site_catalog(tmp_path / "catalog", 3, broken=valid_entry(license={"code": "Apache"}))
    (root / "projects" / "hostile.yml").write_text(dump_entry(hostile), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "AICATALOG_CATALOG": str(root), "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [*cmd, "-f", str(REPO / "mkdocs.yml")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        html = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/catalog/", timeout=5) as r:
                    html = r.read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "<h1>The catalog has errors</h1>" in html
    assert re.search(
        r"projects/broken\.yml:\d+:\d+: error: license\.code: &#39;Apache&#39; is not an SPDX "
        r"identifier \(did you mean &#39;Apache-2.0&#39;\?\)",
        html,
    )
    assert "hostile.yml" in html and "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "projects/broken.yml" in output  # the terminal says so too
