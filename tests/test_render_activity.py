"""What the site shows of catalog/activity.json: project pages, browse, home, data files, Data page.

The fixture catalog goes through the real path (files -> render_catalog), with records
dated 2020, long before any test runs: every "active in the last year" must be
measured from the file's newest collection date, never from the clock.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from click.testing import CliRunner

from aicatalog import pages, pulse
from aicatalog.activity import Activity, GitHubActivity, Provenance, load_activity
from aicatalog.cli import cli
from aicatalog.datafiles import ACTIVITY_FIELDS, csv_columns
from aicatalog.render import Site, SiteOptions, render_catalog, render_site
from aicatalog.workspace import load_or_raise, load_workspace

from .helpers import CATALOG, linked_entry, valid_entry
from .site_catalogs import hostile_activity, site_catalog
from .test_render import active_content

SCHEMA = json.loads((CATALOG / "schema.json").read_text())
COLLECTED = "2020-06-01T12:00:00Z"
API = "GitHub GraphQL API"
MONTHS = [f"2019-{m:02d}" for m in range(6, 13)] + [f"2020-{m:02d}" for m in range(1, 7)]


def gh(repository: str, **facts: Any) -> dict[str, Any]:
    return {"repository": repository, "source": API, "collected": COLLECTED, **facts}


def entry(repository: str, **overrides: Any) -> dict[str, Any]:
    home, repo = f"https://example.org/{repository}", f"https://github.com/{repository}"
    return linked_entry(home, repo, status="active", **overrides)


ENTRIES = {
    "growing": entry("acme/growing", name="Growing Project"),
    "single-count": entry("acme/single", name="Single Count"),
    "archived-repo": entry("acme/archived", name="Archived Repo"),
    "renamed-repo": entry("old-owner/old-name", name="Renamed Repo"),
    "forked-repo": entry("someone/fork", name="Forked Repo"),
    "quiet-repo": entry("acme/quiet", name="Quiet Repo"),
    "hub-model": valid_entry(
        name="Hub Model",
        kind="model",
        links={
            "homepage": "https://example.org/model",
            "weights": "https://huggingface.co/acme/model-7b",
        },
        license={"code": "MIT", "weights": "Apache-2.0", "source": "https://example.org/l"},
    ),
    "hostile-activity": entry("acme/hostile", name="Hostile Activity"),
}

RECORDS: dict[str, dict[str, Any]] = {
    "growing": {
        "github": gh(
            "acme/growing",
            stars=5000,
            forks=321,
            pushed="2020-05-30T08:00:00Z",
            created="2015-02-03T00:00:00Z",
            release={"tag": "v2.1.0", "published": "2020-04-15T10:00:00Z"},
            archived=False,
            fork=False,
            license="MIT",
            star_history={m: 1000 + 333 * i for i, m in enumerate(MONTHS[:-1])}
            | {MONTHS[-1]: 5000},
        )
    },
    "single-count": {
        "github": gh(
            "acme/single", stars=10, pushed="2019-07-01T00:00:00Z", star_history={"2020-06": 10}
        )
    },
    "archived-repo": {
        "github": gh("acme/archived", stars=9, archived=True, pushed="2018-01-01T00:00:00Z")
    },
    "renamed-repo": {
        "github": gh(
            "new-owner/new-name",
            renamed_from="old-owner/old-name",
            stars=1200,
            pushed="2020-03-01T00:00:00Z",
            star_history={"2020-05": 1100, "2020-06": 1200},
        )
    },
    "forked-repo": {
        "github": gh("someone/fork", fork=True, stars=100, pushed="2020-01-01T00:00:00Z")
    },
    "quiet-repo": {"github": gh("acme/quiet", stars=77, pushed="2019-05-01T00:00:00Z")},
    "hub-model": {
        "hub": [
            {
                "kind": "model",
                "repository": "acme/model-7b",
                "field": "links.weights",
                "source": "Hugging Face Hub API",
                "collected": "2020-05-31T00:00:00Z",
                "downloads": 12345,
                "likes": 678,
                "gated": True,
                "license": "apache-2.0",
                "modified": "2020-05-20T00:00:00Z",
            }
        ]
    },
    "hostile-activity": hostile_activity("acme/hostile", COLLECTED),
}


def write_activity(root: Path, records: dict[str, Any]) -> None:
    text = json.dumps({"version": 1, "projects": records}, indent=2)
    (root / "activity.json").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    catalog = site_catalog(tmp_path_factory.mktemp("activity") / "catalog", 3, **ENTRIES)
    write_activity(catalog, RECORDS)
    return catalog


@pytest.fixture(scope="module")
def site(root: Path) -> Site:
    return render_catalog(root, SiteOptions(), lambda message: None)


def page(site: Site, entry_id: str) -> str:
    return site.pages[pages.project(entry_id)].body


def activity_section(html: str) -> str:
    found = re.search(r'<div data-search-exclude class="aic-activity">.*?\n</div>', html, re.S)
    assert found, "no activity section"
    return found.group(0)


# --- project pages ---------------------------------------------------------------------


def test_project_page_shows_github_figures_labelled_with_date_and_source(site: Site) -> None:
    html = activity_section(page(site, "growing"))
    assert "<dt>Stars</dt> <dd>5,000 " in html
    assert "(+4,000 since 2019-06)" in html
    assert "<dt>Forks</dt> <dd>321</dd>" in html
    assert '<dt>Last push</dt> <dd><time datetime="2020-05-30">2020-05-30</time></dd>' in html
    assert "<dt>Latest release</dt> <dd><code>v2.1.0</code>, " in html
    assert '<time datetime="2020-04-15">2020-04-15</time>' in html
    assert '<dt>Created</dt> <dd><time datetime="2015-02-03">' in html
    assert "<dt>Detected licence</dt> <dd><code>MIT</code></dd>" in html
    assert (
        'GitHub figures for <a href="https://github.com/acme/growing" rel="nofollow noopener">'
        'acme/growing</a>, collected <time datetime="2020-06-01">2020-06-01</time> '
        f"from {API}."
    ) in html
    assert '<a href="../../data/#activity">How these figures are collected</a>' in html


def test_star_trend_is_an_svg_line_with_a_text_alternative(site: Site) -> None:
    html = page(site, "growing")
    svg = re.search(r'<svg class="aic-spark" role="img".*?</svg>', html)
    assert svg, "no sparkline"
    title = re.search(r"<title>(.*?)</title>", svg.group(0))
    counts = ", ".join(f"{1000 + 333 * i:,}" for i in range(12)) + ", 5,000"
    assert title
    assert title.group(1) == f"Stars per month, 2019-06 to 2020-06: {counts}"
    points = re.search(r'points="([^"]+)"', svg.group(0))
    assert points
    heights = [float(p.split(",")[1]) for p in points.group(1).split()]
    assert len(heights) == 13
    assert heights == sorted(heights, reverse=True)  # rising line


def test_one_star_count_says_so_and_draws_no_trend(site: Site) -> None:
    html = page(site, "single-count")
    assert '<dd>10 <span class="aic-muted">(one monthly count so far' in html
    assert "<svg" not in html
    assert "since 2020-06" not in html


def test_archived_banner_only_where_github_says_archived(site: Site, root: Path) -> None:
    banner = "<strong>Archived on GitHub.</strong> The repository acme/archived is read-only"
    html = page(site, "archived-repo")
    assert f'<p class="aic-status-note aic-archived" role="note">{banner}' in html
    assert html.index(banner) < html.index('<dl class="aic-facts">')  # before the facts
    others = [p.id for p in load_or_raise(root).projects if p.id != "archived-repo"]
    assert not [i for i in others if "Archived on GitHub" in page(site, i)]


def test_renamed_and_forked_repositories_are_noted(site: Site) -> None:
    renamed = page(site, "renamed-repo")
    assert (
        "The entry links to old-owner/old-name, which GitHub now redirects to new-owner/new-name"
        in renamed
    )
    assert 'href="https://github.com/new-owner/new-name"' in renamed
    assert "someone/fork is a fork of another repository." in page(site, "forked-repo")
    assert "is a fork" not in renamed
    assert "redirects" not in page(site, "forked-repo")


def test_hub_model_shows_downloads_likes_and_gating(site: Site) -> None:
    html = activity_section(page(site, "hub-model"))
    assert "<dt>Downloads</dt> <dd>12,345 in the last 30 days</dd>" in html
    assert "<dt>Likes</dt> <dd>678</dd>" in html
    assert "<dt>Access</dt> <dd>Gated: the Hub asks you to accept terms" in html
    assert "<dt>Hub licence tag</dt> <dd><code>apache-2.0</code></dd>" in html
    assert (
        'Hugging Face Hub model <a href="https://huggingface.co/acme/model-7b" '
        'rel="nofollow noopener">acme/model-7b</a>, collected <time datetime="2020-05-31">'
        "2020-05-31</time> from Hugging Face Hub API."
    ) in html
    assert "GitHub figures" not in html


def test_entries_without_a_record_have_no_activity_section(site: Site) -> None:
    assert "aic-activity" not in page(site, "pytorch")


# --- safety ------------------------------------------------------------------------------

SPARK = re.compile(
    r'<svg class="aic-spark" role="img" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">'
    r'<title>[^<]*</title><polyline fill="none" stroke="currentColor" stroke-width="2" '
    r'points="[0-9., ]+"/></svg>'
)


def test_hostile_activity_values_render_as_inert_text(site: Site) -> None:
    """Strings from activity.json (source, tag, licence) cannot add markup to any page,
    including the Markdown pages once converted; the only SVG is the sparkline's."""
    for src, generated in site.pages.items():
        html = generated.body
        if not generated.is_html:
            html = markdown.markdown(html, extensions=["tables", "attr_list", "toc"])
        assert [x for x in active_content(SPARK.sub("", html)) if x != "<svg>"] == [], src
        assert "javascript:" not in re.sub(r">[^<]*<", "><", html), src  # only in text
    html = page(site, "hostile-activity")
    assert "from &lt;script&gt;window.__pwned.push(&#39;source&#39;)&lt;/script&gt; [x]" in html
    tag = (
        "=HYPERLINK(&#34;x&#34;)&#34;&gt;&lt;img src=x onerror=&#34;window.__pwned.push(1)&#34;&gt;"
    )
    assert f"<code>{tag}</code>" in html
    assert "<code>&lt;b&gt;MIT&lt;/b&gt;</code>" in html
    assert "<code>&lt;img src=x onerror=&#34;window.__pwned.push(&#39;license&#39;)" in html
    assert "from &lt;iframe src=&#34;javascript:window.__pwned" in html
    data = site.pages[pages.DATA].body
    assert "<td>&lt;iframe src=&#34;javascript:" in data
    assert "<td>&lt;script&gt;window.__pwned" in data  # the sources table is raw HTML


# --- browse ---------------------------------------------------------------------------------


def rows(site: Site) -> dict[str, dict[str, Any]]:
    """Browse's rows (from browse.json) by id, each as {column: value}."""
    data = json.loads(site.data[pages.BROWSE_JSON])
    return {r[0]: dict(zip(data["columns"], r, strict=True)) for r in data["rows"]}


def test_browse_rows_carry_stars_last_activity_and_state(site: Site, root: Path) -> None:
    table = rows(site)
    assert len(table) == len(load_or_raise(root).projects)
    growing = table["growing"]
    assert (growing["activity"], growing["stars"], growing["last"]) == (
        "active",
        5000,
        "2020-05-30",
    )
    assert table["quiet-repo"]["activity"] == "quiet"
    hub = table["hub-model"]
    assert (hub["activity"], hub["last"]) == ("active", "2020-05-20")  # a Hub update counts
    none = table["pytorch"]
    assert (none["activity"], none["stars"], none["last"]) == ("unknown", None, None)


def test_active_means_within_a_year_of_the_newest_collection_not_of_today(site: Site) -> None:
    """2020 is long past, yet a push in mid-2019 is "active": the clock is never read."""
    table = rows(site)
    assert table["single-count"]["activity"] == "active"  # pushed 2019-07-01
    assert table["quiet-repo"]["activity"] == "quiet"  # pushed 2019-05-01
    now = dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC)
    year = dt.timedelta(days=365)

    def at(pushed: dt.datetime) -> str:
        record = Activity("x", GitHubActivity("o/n", Provenance(API, now), pushed=pushed))
        return pulse.state(record, now)

    assert at(now - year) == "active"
    assert at(now - year - dt.timedelta(seconds=1)) == "quiet"
    assert pulse.state(Activity("x"), now) == "unknown"


def test_browse_offers_the_activity_filter_and_sorts_numbers_descending_first(site: Site) -> None:
    html = site.pages[pages.BROWSE].body
    states = [r["activity"] for r in rows(site).values()]
    for state, label in pulse.STATE_LABELS.items():
        assert f'<option value="{state}">{label} ({states.count(state)})</option>' in html
    assert '<select id="aic-f-activity" name="activity" data-facet="activity">' in html
    for column in ("stars", "active", "added"):
        assert re.search(rf'<th scope="col"[^>]* data-sort="{column}" data-first="desc">', html)
    assert 'collected up to <time datetime="2020-06-01">2020-06-01</time>' in html


def test_browse_without_activity_has_no_activity_filter(root: Path) -> None:
    site = render_site(dataclasses.replace(load_workspace(root), activity={}))
    html = site.pages[pages.BROWSE].body
    assert "aic-f-activity" not in html
    assert "collected up to" not in html
    assert "## Recently active" not in site.pages[pages.HOME].body


# --- home -------------------------------------------------------------------------------------


def home_list(site: Site, heading: str) -> list[tuple[str, str]]:
    body = site.pages[pages.HOME].body
    section = body.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r'<li><a href="projects/[a-z0-9-]+/">([^<]+)</a> <span[^>]*>([^<]+)', section)


def test_home_lists_recently_active_newest_first(site: Site) -> None:
    listed = home_list(site, "Recently active")
    assert listed[:4] == [
        ("Hostile Activity", "last activity "),
        ("Growing Project", "last activity "),
        ("Hub Model", "last activity "),
        ("Renamed Repo", "last activity "),
    ]
    assert 'last activity <time datetime="2020-05-30">' in site.pages[pages.HOME].body


def test_home_ranks_growth_only_from_two_counts(site: Site) -> None:
    assert home_list(site, "Fastest-growing") == [
        ("Growing Project", "+4,000 stars since 2019-06"),
        ("Renamed Repo", "+100 stars since 2020-05"),
    ]


def test_home_leaves_out_an_empty_growth_ranking(tmp_path: Path) -> None:
    """With one monthly count per project nothing can be ranked: no section explains it away."""
    root = site_catalog(tmp_path / "c", 2, **ENTRIES)
    write_activity(root, {k: RECORDS[k] for k in ("single-count", "quiet-repo", "hub-model")})
    home = render_catalog(root, SiteOptions(), print).pages[pages.HOME].body
    assert "## Fastest-growing" not in home
    assert '<li><a href="projects/single-count/">Single Count</a>' in home  # recently active
    assert 'as collected up to <time datetime="2020-06-01">' in home  # the data's date


def test_home_leaves_out_recently_active_when_every_date_is_the_same(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "c", 2, **ENTRIES)
    when = RECORDS["single-count"]["github"]["pushed"]
    records = {
        k: {**RECORDS[k], "github": {**RECORDS[k]["github"], "pushed": when}}
        for k in ("single-count", "quiet-repo")
    }
    write_activity(root, records)
    home = render_catalog(root, SiteOptions(), print).pages[pages.HOME].body
    assert "## Recently active" not in home


# --- data files and the Data page -------------------------------------------------------------


def test_projects_json_carries_every_documented_activity_field(site: Site) -> None:
    records = {r["id"]: r for r in json.loads(site.data[pages.PROJECTS_JSON])["projects"]}
    for record in records.values():
        assert [f"activity.{k}" for k in record["activity"]] == list(ACTIVITY_FIELDS)
    growing = records["growing"]["activity"]
    assert {k: growing[k] for k in ("state", "stars", "stars_gained", "stars_since")} == {
        "state": "active",
        "stars": 5000,
        "stars_gained": 4000,
        "stars_since": "2019-06",
    }
    assert growing["pushed"] == growing["last_activity"] == "2020-05-30T08:00:00Z"
    assert (growing["release"], growing["release_date"]) == ("v2.1.0", "2020-04-15T10:00:00Z")
    assert (growing["github_collected"], growing["github_source"]) == (COLLECTED, API)
    assert growing["hub_downloads"] is None
    hub = records["hub-model"]["activity"]
    assert hub["hub_repositories"] == ["acme/model-7b"]
    assert (hub["hub_downloads"], hub["hub_likes"], hub["hub_gated"]) == (12345, 678, True)
    assert hub["stars"] is None
    assert hub["state"] == "active"
    renamed = records["renamed-repo"]["activity"]
    assert (renamed["repository"], renamed["renamed_from"]) == (
        "new-owner/new-name",
        "old-owner/old-name",
    )
    assert records["pytorch"]["activity"]["state"] == "unknown"
    assert records["pytorch"]["activity"]["stars"] is None


def test_projects_csv_flattens_activity_and_defuses_formulas(site: Site) -> None:
    table = list(csv.DictReader(io.StringIO(site.data[pages.PROJECTS_CSV])))
    assert list(table[0]) == csv_columns(SCHEMA)
    assert set(ACTIVITY_FIELDS) <= set(csv_columns(SCHEMA))
    by_id = {r["id"]: r for r in table}
    assert by_id["archived-repo"]["activity.archived"] == "true"
    assert by_id["growing"]["activity.archived"] == "false"
    assert by_id["hub-model"]["activity.hub_gated"] == "true"
    assert by_id["growing"]["activity.stars"] == "5000"
    assert by_id["pytorch"]["activity.stars"] == ""
    assert by_id["hostile-activity"]["activity.release"].startswith("'=HYPERLINK")


def test_data_page_documents_each_activity_field_sources_and_attribution(site: Site) -> None:
    html = site.pages[pages.DATA].body
    for name, meaning in ACTIVITY_FIELDS.items():
        assert (
            f"<tr><td><code>{name}</code></td><td>{meaning.replace(chr(39), '&#39;')}</td></tr>"
            in html
        )
    assert "## Collected activity {#activity}" in html
    assert f"<tr><td>{API}</td><td>6</td><td>2020-06-01</td></tr>" in html
    assert "<tr><td>Hugging Face Hub API</td><td>1</td><td>2020-05-31</td></tr>" in html
    assert "8 of the" in html
    assert "the newest were collected on 2020-06-01" in html
    assert (
        "[best-of-ml-python](https://github.com/ml-tooling/best-of-ml-python) by ml-tooling" in html
    )
    assert "`2025-06-26_projects.csv`" in html
    assert "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)" in html
    assert "every Monday" in html


def test_sources_count_projects_once_per_source() -> None:
    day = dt.datetime(2020, 1, 2, tzinfo=dt.UTC)
    a = GitHubActivity("o/a", Provenance("A", day))
    later = GitHubActivity("o/b", Provenance("A", day + dt.timedelta(days=3)))
    records = {"a": Activity("a", a), "b": Activity("b", later), "c": Activity("c")}
    assert pulse.sources(records) == [("A", 2, dt.date(2020, 1, 5))]


def test_the_shipped_seed_shows_on_the_site() -> None:
    """The seeded records of the real catalog reach pages and data files as they are."""
    root = Path(__file__).resolve().parents[1] / "catalog"
    records = load_activity(root)
    site = render_catalog(root, SiteOptions(), lambda message: None)
    pytorch = records["pytorch"].github
    assert pytorch is not None
    assert pytorch.stars is not None
    html = page(site, "pytorch")
    assert f"<dt>Stars</dt> <dd>{pytorch.stars:,} " in html
    assert f"from {pytorch.provenance.source}." in html
    data = json.loads(site.data[pages.PROJECTS_JSON])
    counted = [r for r in data["projects"] if r["activity"]["stars"] is not None]
    assert len(counted) == sum(
        r.github is not None and r.github.stars is not None for r in records.values()
    )


# --- rendering from files --------------------------------------------------------------------


def test_rendering_with_activity_is_deterministic(root: Path, site: Site) -> None:
    again = render_catalog(root, SiteOptions(), lambda message: None)
    assert again.files() == site.files()


def test_corrupt_activity_file_stops_render_with_file_and_line(tmp_path: Path) -> None:
    root = site_catalog(tmp_path / "c", 2, **ENTRIES)
    broken = {**RECORDS, "growing": {"github": gh("acme/growing", stars=-5)}}
    write_activity(root, broken)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "--catalog", str(root), "--out", str(out)])
    assert result.exit_code == 1
    line = next(
        n
        for n, text in enumerate((root / "activity.json").read_text().splitlines(), 1)
        if '"stars": -5' in text
    )
    assert re.search(
        rf"activity\.json:{line}:1: error: projects\.growing\.github\.stars: must be a whole "
        r"number >= 0 \(the file is generated: restore it with git or run `aicatalog enrich`\)",
        result.output,
    ), result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_render_command_writes_activity_into_the_data_files(tmp_path: Path, root: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "--catalog", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "projects.json").read_text())
    growing = next(r for r in data["projects"] if r["id"] == "growing")
    assert growing["activity"]["stars"] == 5000
    assert "Archived on GitHub" in (out / "projects" / "archived-repo.md").read_text()
