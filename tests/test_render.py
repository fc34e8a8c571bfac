"""The site renderer without a site builder: pages, links, data files, feed, overview, safety."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from click.testing import CliRunner
from material.plugins.search.plugin import Parser as SearchParser

from aicatalog import pages
from aicatalog.cli import cli
from aicatalog.datafiles import csv_columns
from aicatalog.model import Catalog, Term
from aicatalog.overview import OverviewError, load_themes, missing
from aicatalog.relatedness import ranked_related
from aicatalog.render import RenderError, Site, render_site
from aicatalog.schemafields import schema_fields
from aicatalog.views import (
    by_name,
    facets,
    group_by,
    is_open_source,
    part_summary,
)
from aicatalog.workspace import Workspace, load_or_raise, load_workspace

from .helpers import CATALOG, REPO, valid_entry
from .site_catalogs import cited_ids, hostile_entries, site_catalog, smuggled

SCHEMA = json.loads((CATALOG / "schema.json").read_text())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A valid catalog of 40 synthetic entries, the cited ids and the hostile entries."""
    root = tmp_path_factory.mktemp("render") / "catalog"
    return load_workspace(site_catalog(root, 40, **hostile_entries()))


@pytest.fixture(scope="module")
def catalog(workspace: Workspace) -> Catalog:
    return workspace.valid_catalog()


@pytest.fixture(scope="module")
def site(workspace: Workspace):
    return render_site(workspace)


def body(site: Site, src: str) -> str:
    return site.pages[src].body


# --- links between pages -------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "target", "directory", "flat"),
    [
        ("index.md", "projects/pytorch.md", "projects/pytorch/", "projects/pytorch.html"),
        ("projects/pytorch.md", "index.md", "../../", "../index.html"),
        ("categories/x.md", "projects/y.md", "../../projects/y/", "../projects/y.html"),
        ("categories/index.md", "categories/x.md", "../categories/x/", "../categories/x.html"),
        ("index.md", "index.md", "./", "index.html"),
        ("browse.md", "projects.json", "../projects.json", "projects.json"),
    ],
)
def test_relative_links_resolve_to_the_target(src, target, directory, flat) -> None:
    assert pages.relative(src, target) == directory
    assert pages.relative(src, target, directory_urls=False) == flat


# --- what pages show -----------------------------------------------------------------


def test_every_project_category_and_domain_gets_a_page(catalog: Catalog, site) -> None:
    expected = {pages.project(p.id) for p in catalog.projects}
    expected |= {pages.category(t.id) for t in catalog.categories}
    expected |= {pages.domain(t.id) for t in catalog.domains}
    expected |= {pages.HOME, pages.BROWSE, pages.CATEGORIES, pages.DOMAINS, pages.LICENSES}
    expected |= {pages.OVERVIEW, pages.TAGS, pages.DATA, pages.STATS, pages.COMPARE}
    expected |= {pages.licence(i) for i in catalog.registry.terms}
    expected |= {pages.tag(t) for p in catalog.projects for t in p.tags}
    assert set(site.pages) == expected
    assert set(site.data) == {
        pages.PROJECTS_JSON,
        pages.PROJECTS_CSV,
        pages.SCHEMA_JSON,
        pages.FEED,
        pages.LICENSES_JSON,
        pages.BROWSE_JSON,
    }


def test_related_projects_show_on_both_sides(catalog: Catalog) -> None:
    related = ranked_related(catalog.projects)
    pointing = next(p for p in catalog.projects if p.related)
    target = pointing.related[0]
    assert target in [r.id for r in related[pointing.id]]
    assert pointing.id in [r.id for r in related[target]]


def test_project_page_shows_facts_licence_openness_and_edit_links(catalog: Catalog, site) -> None:
    project = next(p for p in catalog.projects if p.kind == "model" and p.id.startswith("p0"))
    html = body(site, pages.project(project.id))
    assert f"<code>{project.license.code}</code>" in html
    assert f'aic-badge--{project.openness.code}">{project.openness.code}<' in html
    assert f'aic-badge--{project.openness.weights}">' in html
    assert project.steward is not None
    assert project.steward in html
    assert f'href="{project.license.source}"' in html
    edit = f"https://github.com/open-source-ai-catalog/catalog/edit/main/catalog/projects/{project.id}.yml"
    assert f'href="{edit}">Edit this entry<' in html
    assert "/issues/new?title=Correction" in html
    assert ">Suggest a correction<" in html
    for category in project.categories:
        assert f'href="../../categories/{category}/"' in html
    meta = site.pages[pages.project(project.id)].meta
    assert "tags" not in meta  # tags are chips under the title, linking to the tag pages
    for tag in project.tags:
        assert f'<a class="aic-tag" href="../../tags/{tag}/">' in html
    assert meta["description"]


def test_archived_projects_say_so(catalog: Catalog, site) -> None:
    statuses = {p.id: p.status for p in catalog.projects}
    for entry_id, status in statuses.items():
        note = "listed for reference and no longer developed" in body(site, pages.project(entry_id))
        assert note == (status in ("archived", "discontinued"))


def test_category_page_lists_exactly_its_projects(catalog: Catalog, site) -> None:
    groups = group_by(catalog.projects, "categories")
    for term in catalog.categories:
        html = body(site, pages.category(term.id))
        linked = set(re.findall(r'href="\.\./\.\./projects/([a-z0-9-]+)/"', html))
        assert linked == {p.id for p in groups.get(term.id, [])}


def test_browse_rows_come_from_browse_json_with_their_facets(catalog: Catalog, site) -> None:
    html = body(site, pages.BROWSE)
    data = json.loads(site.data[pages.BROWSE_JSON])
    columns = data["columns"]
    rows = [dict(zip(columns, r, strict=True)) for r in data["rows"]]
    assert [r["id"] for r in rows] == [p.id for p in by_name(catalog.projects)]
    options = facets(list(catalog.projects), catalog, {})
    for value, _label, count in options["kind"]:
        assert sum(r["kind"] == value for r in rows) == count
        assert f'<option value="{value}">' in html
    assert site.pages[pages.BROWSE].meta["search"] == {"exclude": True}
    # The page itself does not grow with the catalog: no row is in it, and without
    # JavaScript it links to every category page, which list every project.
    assert "<tr data-" not in html and "<tbody></tbody>" in html
    for term in catalog.categories:
        assert f'href="../categories/{term.id}/"' in html
    assert 'data-src="../browse.json"' in html


def test_licence_counts_add_up(catalog: Catalog) -> None:
    code = part_summary(catalog.projects, "code")
    assert code.total == len(catalog.projects)
    assert sum(code.count(level) for level in ("open", "restricted", "closed")) == code.total
    weights = part_summary(catalog.projects, "weights")
    assert weights.total == sum(p.license.weights is not None for p in catalog.projects)


def test_licences_page_reports_the_counts(catalog: Catalog, site) -> None:
    html = body(site, pages.LICENSES)
    code = part_summary(catalog.projects, "code")
    assert f'<a href="#open-code">{code.count("open")}</a>' in html
    assert f"The code of {code.count('open')} of {code.total} " in html


def test_home_counts_projects_by_kind(catalog: Catalog, site) -> None:
    html = body(site, pages.HOME)
    assert f'<span class="aic-stat__value">{len(catalog.projects)}</span> projects' in html
    models = sum(p.kind == "model" for p in catalog.projects)
    assert f'?kind=model"><span class="aic-stat__value">{models}</span> models' in html


# --- the overview page ----------------------------------------------------------------


def test_overview_links_every_cited_entry_and_flags_closed_ones(catalog: Catalog, site) -> None:
    html = body(site, pages.OVERVIEW)
    ids = catalog.by_id()
    for entry_id in cited_ids():
        assert f'<a href="../projects/{entry_id}/">' in html
    not_open = [i for i in cited_ids() if not is_open_source(ids[i])]
    assert not_open, "the fixture should cite some entries that are not open source"
    assert html.count("Not open source:") == len(not_open)
    assert site.warnings == []


def test_overview_names_cited_ids_that_have_no_entry(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "c", 3)
    (root / "projects" / "whisper.yml").unlink()
    site = render_site(load_workspace(root))
    assert site.warnings == [
        "overview.md: the overview cites 'whisper' but the catalog has no entry "
        "projects/whisper.yml"
    ]
    assert 'whisper</span> <span class="aic-muted">(no entry in the catalog yet)' in body(
        site, pages.OVERVIEW
    )


def test_overview_cites_entries_of_the_shipped_catalog() -> None:
    """Every project the article cites has an entry in catalog/ (the real one)."""
    themes = load_themes(CATALOG / "overview.yml", load_or_raise(CATALOG).by_id())
    assert missing(themes) == []


def test_malformed_overview_file_is_a_clear_error(tmp_path: Path, catalog: Catalog) -> None:
    bad = tmp_path / "overview.yml"
    bad.write_text("- title: Only a title\n  projects: [{id: pytorch}]\n")
    with pytest.raises(OverviewError, match=r"theme 1, project 1: line must be non-empty text"):
        load_themes(bad, catalog.by_id())


def test_reserved_vocabulary_id_is_refused(workspace: Workspace, catalog: Catalog) -> None:
    clash = dataclasses.replace(catalog, domains=(Term("index", "Index", "Clashes."),))
    with pytest.raises(RenderError, match="domain id 'index' is reserved"):
        render_site(dataclasses.replace(workspace, catalog=clash))


# --- data files ------------------------------------------------------------------------


def test_projects_json_has_every_field_and_derived_openness(catalog: Catalog, site) -> None:
    data = json.loads(site.data[pages.PROJECTS_JSON])
    assert data["count"] == len(catalog.projects) == len(data["projects"])
    record = next(r for r in data["projects"] if r["id"] == "pytorch")
    fields = {f.name.split(".")[0] for f in schema_fields(SCHEMA)}
    assert fields <= set(record)
    project = catalog.by_id()["pytorch"]
    assert record["openness"]["code"] == project.openness.code
    assert record["page"] == "https://open-source-ai-catalog.github.io/catalog/projects/pytorch/"
    assert record["source"] == "catalog/projects/pytorch.yml"


def test_projects_csv_round_trips_and_defuses_formulas(tmp_path: Path) -> None:
    root = site_catalog(
        tmp_path / "c",
        2,
        formula=valid_entry(name="=HYPERLINK(1)", steward="@SUM(A1)", added="2024-03-01"),
    )
    site = render_site(load_workspace(root))
    rows = list(csv.DictReader(io.StringIO(site.data[pages.PROJECTS_CSV])))
    assert list(rows[0]) == csv_columns(SCHEMA)
    row = next(r for r in rows if r["id"] == "formula")
    assert row["name"] == "'=HYPERLINK(1)"
    assert row["steward"] == "'@SUM(A1)"
    assert row["openness.code"] == "open"
    assert row["links.homepage"] == "https://example.org/"


def test_schema_fields_document_every_property() -> None:
    names = {f.name for f in schema_fields(SCHEMA)}
    assert set(SCHEMA["properties"]) <= names
    assert {f"links.{k}" for k in SCHEMA["properties"]["links"]["properties"]} <= names
    required = {f.name for f in schema_fields(SCHEMA) if f.required}
    assert required >= set(SCHEMA["required"])


def test_feed_lists_newest_additions_first(catalog: Catalog, site) -> None:
    root = ET.fromstring(site.data[pages.FEED])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    published = [d for e in entries if (d := e.findtext("a:published", namespaces=ns)) is not None]
    assert len(published) == len(entries)  # every entry has its date
    assert published == sorted(published, reverse=True)
    assert len(published) == min(50, len(catalog.projects))
    newest = max(p.added for p in catalog.projects).isoformat()
    assert root.findtext("a:updated", namespaces=ns) == f"{newest}T00:00:00Z"
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "<script>window.__pwned.push('name')</script>" in titles  # escaped XML, exact text


def test_rendering_is_deterministic(workspace: Workspace, site) -> None:
    again = render_site(workspace)
    assert again.files() == site.files()


# --- safety ------------------------------------------------------------------------------


class _Active(HTMLParser):
    """Collects what could run in a browser: script elements, on* handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg", "img"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            local = re.match(r"^(#[a-z0-9:-]+|[a-z0-9./-]*(\?[^:]*)?(#[a-z0-9-]+)?)$", value or "")
            remote = (value or "").startswith("https://")
            if name in ("href", "src") and not (local or remote):
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


def test_hostile_values_render_as_inert_text(workspace: Workspace, catalog: Catalog) -> None:
    """Even unvalidated values cannot add markup, handlers or script URLs to any page."""
    victim = catalog.by_id()["pytorch"]
    hostile = dataclasses.replace(
        catalog,
        projects=tuple(smuggled(p) if p.id == victim.id else p for p in catalog.projects),
    )
    site = render_site(dataclasses.replace(workspace, catalog=hostile))
    for src, page in site.pages.items():
        found = active_content(page.body)
        if src == pages.STATS:  # the site's own charts, drawn from numbers
            found = [f for f in found if f != "<svg>"]
        assert found == [], src
        for value in (page.meta.get("title", ""), page.meta.get("description", "")):
            assert "<" not in value, src
            assert '"' not in value, src
    html = site.pages[pages.project(victim.id)].body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<span class="aic-unsafe-link">javascript:alert(6)</span>' in html
    assert '<span class="aic-unsafe-link">http://127.0.0.1/admin</span>' in html
    assert "https://example.org/&#34;&gt;&lt;script&gt;" in html
    assert "Licence source</span>" in html  # a data: licence source is not linked


def test_pure_html_pages_are_what_markdown_would_make_of_them(site) -> None:
    """Pages marked is_html skip Markdown in the site build: prove Markdown leaves them alone."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    html_pages = [src for src, page in site.pages.items() if page.is_html]
    assert pages.BROWSE in html_pages
    assert pages.project("pytorch") in html_pages
    for src in html_pages:
        converted = markdown.markdown(body(site, src), extensions=extensions)
        assert converted.strip() == body(site, src).strip(), src


# --- the command ----------------------------------------------------------------------------


def test_render_command_writes_pages_and_data(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "c", 5)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "--catalog", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "projects" / "pytorch.md").read_text().startswith("---\ntitle: Pytorch\n")
    assert json.loads((out / "projects.json").read_text())["count"] == 5 + len(cited_ids())
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert f"wrote {len(written)} files to {out}" in result.output


def test_render_command_reports_an_invalid_catalog_by_file_and_line(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "c", 2, broken=valid_entry(kind="modle"))
    result = CliRunner().invoke(cli, ["render", "--catalog", str(root), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert re.search(r"broken\.yml:\d+:\d+: error: kind: 'modle' is not one of", result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "index.md").exists()


def test_render_command_warns_about_missing_citations(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "c", 2)
    (root / "projects" / "helm.yml").unlink()
    result = CliRunner().invoke(
        cli, ["render", "--catalog", str(root), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0
    assert "the overview cites 'helm'" in result.output


def test_our_licence_refs_read_as_words_with_the_id_kept(tmp_path):
    lic = {"code": "LicenseRef-Synth-Community", "weights": "LicenseRef-Synth-Community",
           "data": "LicenseRef-None", "source": "https://example.org/licence"}  # fmt: skip
    root = site_catalog(tmp_path / "catalog", 1, bespoke=valid_entry(kind="model", license=lic))
    site = render_site(load_workspace(root))
    page = site.pages["projects/bespoke.md"].body
    assert (
        'Code <span class="aic-licence-ref" title="LicenseRef-Synth-Community">'
        "Synth Community Licence</span>" in page
    )
    assert 'Data <span class="aic-licence-ref" title="LicenseRef-None">not released</span>' in page
    assert "<code>LicenseRef" not in page
    # The registry answers the reader's two questions next to the licences.
    assert "<strong>May I use it commercially?</strong> Yes, with a condition: A separate" in page
    assert "<strong>Must I pass on restrictions?</strong> Yes: derivatives" in page
    assert 'href="../../licences/licenseref-synth-community/"' in page
    browse = json.loads(site.data[pages.BROWSE_JSON])
    columns = browse["columns"]
    [row] = [r for r in browse["rows"] if r[0] == "bespoke"]
    assert row[columns.index("code_licence")] == "Synth Community Licence"
    assert row[columns.index("code_plain")] is False
    for name, rendered in site.pages.items():
        if name.startswith("licences/licenseref-") or name == pages.DATA:
            continue  # a licence's own page names its identifier; Data documents the fields
        text = re.sub(r"<[^>]*>", "", rendered.body)  # text, not attributes
        assert "LicenseRef-" not in text.replace("`LicenseRef-", ""), name
    visible = re.sub(r"<[^>]*>", "", site.pages["licences.md"].body)  # text, not attributes
    assert "LicenseRef-" not in visible


def _indexed(html: str) -> list[tuple[str, str]]:
    """What Material's site search indexes of a page body: (section title, text) pairs."""
    parser = SearchParser()
    parser.feed(html)
    parser.close()
    return [
        ("".join(s.title).strip(), "".join(s.text).strip())
        for s in parser.data
        if not s.is_excluded()
    ]


def test_search_reads_the_same_from_a_project_pages_search_body_as_from_its_body(site) -> None:
    """The build hands site search only Page.search_body (parsing whole pages to skip most
    of them was a third of a large build): it must index exactly what the body would."""
    projects = [p for src, p in site.pages.items() if src.startswith("projects/")]
    assert projects and all(p.search_body is not None for p in projects)
    for page in projects:
        assert _indexed(page.search_body) == _indexed(page.body)
        assert _indexed(page.body)  # the description at least
