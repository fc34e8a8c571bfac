"""The built site in headless Chromium: search, browse, sorting, theme, accessibility, safety.

Every page is served from 127.0.0.1 under /catalog/ (as on GitHub Pages); a request to
any other origin, a console error, an uncaught exception or a dialog fails the test.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    ViewportSize,
    expect,
    sync_playwright,
)

from aicatalog import pulse
from aicatalog.activity import Activity, load_activity
from aicatalog.fragments import LICENSE_REF_LABELS
from aicatalog.model import Catalog
from aicatalog.render import render_site
from aicatalog.workspace import load_or_raise, load_workspace

from .site_catalogs import (
    PWNED,
    hostile_activity,
    hostile_entries,
    site_catalog,
    smuggled,
    with_activity,
)
from .site_server import CHROMIUM_ARGS, build_or_fail, build_rendered, require_chromium, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class Site:
    url: str
    catalog: Catalog
    activity: dict[str, Activity]

    @property
    def showcase(self) -> str:
        """An entry whose page shows every kind of activity: archived, trend, Hub figures."""
        return next(
            i
            for i, r in sorted(self.activity.items())
            if r.github and r.github.archived and len(r.github.star_history) > 1 and r.hub
        )


@dataclass
class Watch:
    """What a page did that it must not: all of it is reported by `problems`."""

    origin: str
    console: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allow_console: tuple[str, ...] = ()

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(a in message.text for a in self.allow_console):
            self.console.append(message.text)

    def on_request(self, request: Request) -> None:
        if not request.url.startswith((self.origin, "data:")):
            self.foreign.append(request.url)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def problems(self) -> dict[str, list[str]]:
        found = {"console": self.console, "foreign": self.foreign, "dialogs": self.dialogs}
        return {k: v for k, v in found.items() if v}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("browser")
    root = with_activity(site_catalog(work / "catalog", 60))
    built = build_or_fail(root, work / "site")
    with serve(built) as url:
        yield Site(url, load_or_raise(root), load_activity(root))


def open_tab(
    browser: Browser,
    base: str,
    *,
    viewport: ViewportSize | None = None,
    color_scheme: Literal["dark", "light", "no-preference", "null"] | None = None,
    java_script_enabled: bool | None = None,
) -> tuple[Page, Watch]:
    """A fresh page that aborts and records every request leaving 127.0.0.1.

    Desktop-sized unless `viewport` is given; an option left at None is Playwright's default.
    """
    origin = re.match(r"^http://127\.0\.0\.1:\d+", base)
    assert origin is not None
    watch = Watch(origin.group(0))
    ctx = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900},
        color_scheme=color_scheme,
        java_script_enabled=java_script_enabled,
    )
    ctx.route(
        re.compile(r"^(?!http://127\.0\.0\.1:\d+/).*"),
        lambda route: route.abort(),
    )
    page = ctx.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", lambda exc: watch.console.append(f"uncaught: {exc}"))
    page.on("request", watch.on_request)
    page.on("dialog", watch.on_dialog)
    return page, watch


@pytest.fixture
def tab(browser: Browser, site: Site) -> Iterator[tuple[Page, Watch]]:
    page, watch = open_tab(browser, site.url)
    yield page, watch
    page.context.close()
    assert watch.problems() == {}


def search(page: Page, text: str) -> None:
    """Type into Material's search box once its index has loaded."""
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(text, delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)


def browse_ready(page: Page) -> None:
    """Wait until Browse has drawn its rows from browse.json."""
    page.locator("#aic-browse[data-ready]").wait_for(state="attached")


def visible_rows(page: Page) -> int:
    browse_ready(page)
    return page.locator("#aic-table tbody tr:visible").count()


def test_search_finds_pytorch(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url)
    search(page, "pytorch")
    page.locator('.md-search-result__item a[href*="projects/pytorch/"]').first.click()
    page.wait_for_url(re.compile(r".*/catalog/projects/pytorch/(\?.*)?$"))
    assert page.locator("h1").inner_text() == "Pytorch"


def test_browse_filters_narrow_rows_and_the_url_keeps_them(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "browse/")
    total = len(site.catalog.projects)
    assert visible_rows(page) == total
    page.select_option("#aic-f-kind", "model")
    models = [p for p in site.catalog.projects if p.kind == "model"]
    assert visible_rows(page) == len(models)
    assert "kind=model" in page.url
    target = models[0]
    page.fill("#aic-f-text", target.name)
    assert visible_rows(page) == 1
    assert page.locator("#aic-count").inner_text() == f"1 of {total} projects match"

    shared = page.url
    page.goto(site.url)
    page.goto(shared)
    # The filters are restored from the address once browse.json has loaded: wait for it.
    expect(page.locator("#aic-f-kind")).to_have_value("model")
    expect(page.locator("#aic-f-text")).to_have_value(target.name)
    assert visible_rows(page) == 1
    assert page.locator("#aic-table tbody tr:visible a").first.inner_text() == target.name

    page.click("#aic-filters button[type=reset]")
    page.wait_for_function(
        f"document.querySelectorAll('#aic-table tbody tr:not([hidden])').length === {total}"
    )
    assert "kind=" not in page.url


def test_facets_combine(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "browse/?code=closed")
    closed = [p for p in site.catalog.projects if p.openness.code == "closed"]
    assert visible_rows(page) == len(closed) > 0
    domain = next(d for p in closed for d in p.domains)
    page.select_option("#aic-f-domain", domain)
    both = [p for p in closed if domain in p.domains]
    assert visible_rows(page) == len(both)
    page.select_option("#aic-f-status", "active")
    assert visible_rows(page) == sum(p.status == "active" for p in both)
    assert f"code=closed&domain={domain}&status=active" in page.url


def test_home_search_box_opens_browse_filtered(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url)
    page.fill("#aic-home-q", "masakhane")
    page.press("#aic-home-q", "Enter")
    page.wait_for_url("**/browse/?text=masakhane")
    assert visible_rows(page) == 1


def column_values(page: Page, key: str) -> list[str]:
    """The data-value of one column's cells, in the order the rows are shown."""
    browse_ready(page)
    values: list[str] = page.evaluate(
        """key => {
          const th = document.querySelector(`#aic-table th[data-sort="${key}"]`);
          return Array.from(document.querySelectorAll('#aic-table tbody tr'))
            .map(r => r.cells[th.cellIndex].dataset.value);
        }""",
        key,
    )
    return values


def test_sorting_by_column_and_back(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "browse/")
    page.click("th[data-sort=added] button")
    descending = column_values(page, "added")
    assert descending == sorted(descending, reverse=True)  # dates start with the newest
    assert page.get_attribute("th[data-sort=added]", "aria-sort") == "descending"
    page.click("th[data-sort=added] button")
    ascending = column_values(page, "added")
    assert ascending == sorted(descending)
    assert "sort=added&dir=asc" in page.url
    page.reload()
    assert column_values(page, "added") == ascending
    page.click("th[data-sort=kind] button")
    assert page.get_attribute("th[data-sort=kind]", "aria-sort") == "ascending"  # text: A-Z first


def test_stars_sort_as_numbers_with_uncollected_last(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "browse/")
    page.click("th[data-sort=stars] button")
    shown = column_values(page, "stars")
    counted = [v for v in shown if v]
    assert len(counted) < len(shown)
    assert shown[len(counted) :] == [""] * (len(shown) - len(counted))
    numbers = [int(v) for v in counted]
    assert numbers == sorted(numbers, reverse=True)
    assert counted != sorted(counted, reverse=True), "the fixture must tell numbers from text"
    assert "sort=stars&dir=desc" in page.url
    first = page.locator("#aic-table tbody tr").first.locator("td[data-label=Stars]")
    assert first.inner_text() == f"{numbers[0]:,}"
    page.click("th[data-sort=stars] button")
    shown = column_values(page, "stars")
    assert [int(v) for v in shown if v] == sorted(numbers)
    assert shown[len(counted) :] == [""] * (len(shown) - len(counted))  # still last


def test_active_in_the_last_year_filter_narrows_rows_and_stays_in_the_url(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "browse/")
    states = pulse.states(site.catalog.projects, site.activity)
    active = [p for p in site.catalog.projects if states[p.id] == "active"]
    assert 0 < len(active) < len(site.catalog.projects)
    page.select_option("#aic-f-activity", "active")
    assert visible_rows(page) == len(active)
    assert "activity=active" in page.url
    page.select_option("#aic-f-kind", "model")
    assert visible_rows(page) == sum(p.kind == "model" for p in active)
    page.reload()
    # The filters are restored from the address once browse.json has loaded: wait for it.
    expect(page.locator("#aic-f-activity")).to_have_value("active")
    assert visible_rows(page) == sum(p.kind == "model" for p in active)
    names = set(page.locator("#aic-table tbody tr:visible td:first-child a").all_inner_texts())
    assert names == {p.name for p in active if p.kind == "model"}


def test_project_page_shows_activity_and_the_archived_banner(tab, site: Site) -> None:
    page, _ = tab
    record = site.activity[site.showcase]
    page.goto(site.url + f"projects/{site.showcase}/")
    banner = page.get_by_role("note").filter(has_text="Archived on GitHub")
    assert banner.is_visible()
    section = page.locator(".aic-activity")
    assert record.github is not None
    assert f"{record.github.stars:,}" in section.inner_text()
    spark = section.get_by_role("img", name=re.compile(r"^Stars per month, "))
    assert spark.is_visible()
    assert f"{record.hub[0].downloads:,} in the last 30 days" in section.inner_text()


def test_project_page_shows_licence_and_openness(tab, site: Site) -> None:
    page, _ = tab
    project = next(p for p in site.catalog.projects if p.kind == "model")
    page.goto(site.url + f"projects/{project.id}/")
    facts = page.locator("dl.aic-facts").first
    code = project.license.code
    assert LICENSE_REF_LABELS.get(code, code) in facts.inner_text()
    badges = facts.locator(".aic-badge").all_inner_texts()
    assert badges[:2] == [project.openness.code, project.openness.weights]
    edit = page.get_by_role("link", name="Edit this entry")
    assert edit.get_attribute("href").endswith(f"/edit/main/catalog/projects/{project.id}.yml")
    assert page.get_by_role("link", name="Suggest a correction").is_visible()


def test_phone_menu_reaches_every_section(browser: Browser, site: Site) -> None:
    """Pages hide Material's side bar on wide screens; on a phone its drawer is the menu."""
    page, watch = open_tab(browser, site.url, viewport={"width": 390, "height": 844})
    page.goto(site.url + "projects/pytorch/")
    page.locator('label.md-header__button[for="__drawer"]').click()
    drawer = page.locator(".md-nav--primary")
    assert drawer.get_by_role("link", name="Licences").is_visible()
    drawer.get_by_role("link", name="Browse").click()
    page.wait_for_url("**/catalog/browse/")
    assert watch.problems() == {}
    page.context.close()


def test_theme_toggle_switches_to_dark_and_back(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator('label[title="Switch to dark mode"]').click()
    assert page.evaluate(scheme) == "slate"
    page.reload()
    assert page.evaluate(scheme) == "slate"  # the choice is remembered
    page.locator('label[title="Switch to light mode"]').click()
    assert page.evaluate(scheme) == "default"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "browse/",
        "categories/",
        "categories/datasets/",
        "domains/healthcare/",
        "projects/pytorch/",
        "licences/",
        "overview/",
        "tags/",
        "data/",
        "contribute/",
        "stats/",
        "compare/?ids=pytorch,tensorflow",
    ],
)
def test_page_loads_without_errors_or_foreign_requests(tab, site: Site, path: str) -> None:
    page, _ = tab
    response = page.goto(site.url + path)
    assert response is not None
    assert response.status == 200
    page.wait_for_load_state("networkidle")


def test_unknown_address_gets_the_404_page(browser: Browser, site: Site) -> None:
    page, watch = open_tab(browser, site.url)
    watch.allow_console = ("status of 404",)
    response = page.goto(site.url + "projects/no-such-project/")
    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_role("link", name="Browse all projects").click()
    page.wait_for_url("**/catalog/browse/")
    assert watch.problems() == {}
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark", "phone"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "browse/",
        "categories/datasets/",
        "projects/pytorch/",
        "projects/{showcase}/",
        "data/",
        "stats/",
        "compare/?ids=pytorch,{showcase},masakhane",
        "contribute/",
        "licences/",
    ],
)
def test_no_serious_accessibility_violations(browser: Browser, site: Site, path, scheme) -> None:
    if scheme == "phone":
        page, watch = open_tab(browser, site.url, viewport={"width": 390, "height": 844})
    else:
        page, watch = open_tab(browser, site.url, color_scheme=scheme)
    page.goto(site.url + path.format(showcase=site.showcase))
    page.wait_for_load_state("networkidle")
    for drawn in ("#aic-browse", "#aic-compare-page"):
        if page.locator(drawn).count():
            page.locator(f"{drawn}[data-ready]").wait_for(state="attached")
    results = Axe().run(page).response
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert watch.problems() == {}
    page.context.close()


def search_once(page: Page, text: str) -> None:
    """Search for the whole of `text` at once (typing it would show results for its start)."""
    page.wait_for_load_state("networkidle")
    box = page.locator(".md-search__input")
    box.click()
    box.fill(text)
    box.press("End")  # the search runs on key events
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)


def test_search_puts_the_named_project_first(tab, site: Site) -> None:
    """A query that names a project finds its page before the pages that mention it."""
    page, _ = tab
    synthetic = next(p for p in site.catalog.projects if p.id.startswith("p0") and p.kind == "tool")
    named = (site.catalog.by_id()[i] for i in ("tensorflow", "fastai", "fastai-course"))
    for project in (*named, synthetic):
        page.goto(site.url)
        query = project.name.lower()
        search_once(page, query)
        first = page.locator(".md-search-result__item").first.locator("a").first
        href = first.get_attribute("href") or ""
        assert re.search(rf"/projects/{project.id}/(\?h=[^#]*)?(#.*)?$", href), (project.name, href)
        # The snippet is the description, not the facts table flattened.
        snippet = page.locator(".md-search-result__item").first.inner_text()
        assert "Kind" not in snippet.split("\n")[0]
        assert project.description[:30].lower() in snippet.lower().replace("\n", " ")


def test_contribute_template_is_a_code_block(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "contribute/")
    block = page.locator("ol li pre code").filter(has_text="name: Example Library")
    assert block.is_visible()
    text = block.inner_text()
    assert "\nkind: library" in text and "\nlicense:\n  code: Apache-2.0" in text
    steps = block.locator("xpath=ancestor::ol[1]/li")
    assert steps.count() == 5
    edit = page.locator('a[href$="/edit/main/CONTRIBUTING.md"]')
    assert edit.count() == 1


def test_get_it_commands_on_project_pages(tab, site: Site) -> None:
    page, _ = tab
    model = next(p for p in site.catalog.projects if p.kind == "model" and p.get)
    library = next(p for p in site.catalog.projects if p.kind == "library" and p.get)
    page.goto(site.url + f"projects/{model.id}/")
    section = page.locator(".aic-get")
    assert section.get_by_role("heading", name="Get it").is_visible()
    hub_name = dict(model.get)["huggingface"]
    command = f"huggingface-cli download {hub_name}"
    assert section.locator("code.aic-command", has_text=command).is_visible()
    hub = section.get_by_role("link", name="Hugging Face Hub")
    assert hub.get_attribute("href") == f"https://huggingface.co/{hub_name}"
    page.goto(site.url + f"projects/{library.id}/")
    assert (
        page.locator("code.aic-command").inner_text() == f"pip install {dict(library.get)['pypi']}"
    )


def test_stats_chart_has_a_text_alternative_and_its_data(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "stats/")
    models = sum(p.kind == "model" for p in site.catalog.projects)
    chart = page.get_by_role("img", name=re.compile(r"^Entries by kind "))
    assert chart.is_visible()
    name = chart.evaluate("e => e.querySelector('desc').textContent")
    assert f"Models: {models}" in name
    figure = page.locator("#stats-kinds")
    figure.locator("summary").click()
    row = figure.locator("tr", has_text="Models")
    assert row.locator("td").nth(1).inner_text() == str(models)
    assert page.locator("figure.aic-figure svg").count() >= 5


def compare_ready(page: Page) -> None:
    page.locator("#aic-compare-page[data-ready]").wait_for(state="attached")


def compared(page: Page) -> list[str]:
    return page.locator("#aic-compare-table thead th a").all_inner_texts()


def test_compare_draws_a_table_from_the_url_and_keeps_additions_in_it(tab, site: Site) -> None:
    page, _ = tab
    by_id = site.catalog.by_id()
    page.goto(site.url + f"compare/?ids=pytorch,{site.showcase},no-such-id")
    compare_ready(page)
    assert compared(page) == [by_id["pytorch"].name, by_id[site.showcase].name]
    assert "No project has the id “no-such-id”." in page.locator("#aic-compare-status").inner_text()
    table = page.locator("#aic-compare-table")
    kind = table.locator("tr", has=page.locator("th", has_text="Kind")).locator("td")
    labels = {"model": "Model", "library": "Library", "framework": "Framework", "tool": "Tool"}
    assert kind.nth(0).inner_text() == labels.get(by_id["pytorch"].kind, kind.nth(0).inner_text())
    assert "LicenseRef-" not in table.inner_text()
    for heading in ("Code licence", "May I use it commercially?", "Openness level", "Get it"):
        assert table.locator("tbody th", has_text=heading).count() == 1, heading
    commercial = table.locator("tr", has=page.locator("th", has_text="commercially")).locator("td")
    for i in range(2):  # an answer for each, from the registry or the licence's openness
        assert re.match(r"^\w[^:]*: (Yes|No|Nothing)", commercial.nth(i).inner_text())
    assert "ids=pytorch," in page.url and "no-such-id" not in page.url
    page.fill("#aic-compare-input", by_id["masakhane"].name)
    page.press("#aic-compare-input", "Enter")
    assert compared(page)[-1] == by_id["masakhane"].name
    assert page.url.endswith(f"ids=pytorch,{site.showcase},masakhane")
    page.get_by_role("button", name=f"Remove {by_id['pytorch'].name}").click()
    assert page.url.endswith(f"ids={site.showcase},masakhane")


def test_compare_is_reached_from_project_pages_and_from_browse(tab, site: Site) -> None:
    page, _ = tab
    page.goto(site.url + "projects/tensorflow/")
    page.get_by_role("link", name="Compare with…").click()
    page.wait_for_url("**/compare/?ids=tensorflow")
    compare_ready(page)
    assert "Add at least one more project" in page.locator("#aic-compare-status").inner_text()

    page.goto(site.url + "browse/?kind=model")
    browse_ready(page)
    ticks = page.locator("#aic-table tbody .aic-tick")
    names = page.locator("#aic-table tbody tr td:first-child a").all_inner_texts()[:2]
    ticks.nth(0).check()
    assert page.locator("#aic-compare").get_attribute("aria-disabled") == "true"
    ticks.nth(1).check()
    page.locator("#aic-compare").click()
    page.wait_for_url(re.compile(r".*/compare/\?ids=[a-z0-9-]+,[a-z0-9-]+$"))
    compare_ready(page)
    assert compared(page) == names


def test_compare_without_javascript_says_what_it_needs(browser: Browser, site: Site) -> None:
    page, watch = open_tab(browser, site.url, java_script_enabled=False)
    page.goto(site.url + "compare/?ids=pytorch,tensorflow")
    note = page.locator(".aic-compare .aic-status-note")
    assert note.is_visible()
    assert "This comparison needs JavaScript" in note.inner_text()
    page.goto(site.url + "browse/")
    fallback = page.locator("#aic-browse-fallback")
    assert fallback.is_visible() and "needs JavaScript" in fallback.inner_text()
    assert fallback.get_by_role("link").count() >= len(site.catalog.categories)
    assert watch.problems() == {}
    page.context.close()


def test_browse_at_phone_width(browser: Browser, site: Site) -> None:
    page, watch = open_tab(browser, site.url, viewport={"width": 390, "height": 844})
    page.goto(site.url + "browse/")
    assert visible_rows(page) == len(site.catalog.projects)
    fold = page.locator("#aic-filters-fold")
    assert fold.get_attribute("open") is None  # the filters start folded away
    assert not page.locator("#aic-f-kind").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing sticks out sideways
    fold.locator("summary").click()
    page.select_option("#aic-f-kind", "model")
    assert visible_rows(page) == sum(p.kind == "model" for p in site.catalog.projects)
    page.check("#aic-compact")
    assert "view=compact" in page.url
    assert not page.locator("#aic-table tbody .aic-desc").first.is_visible()
    assert watch.problems() == {}
    page.context.close()


def test_a_project_page_built_with_zensical_renders(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same rendered pages, built by Zensical instead of MkDocs (make zensical)."""
    from .test_zensical import build_with_zensical

    built = build_with_zensical(tmp_path_factory.mktemp("zensical-browser"), entries=6)
    with serve(built) as url:
        page, watch = open_tab(browser, url)
        response = page.goto(url + "projects/pytorch/")
        assert response is not None and response.status == 200
        assert page.locator("h1").first.inner_text() == "Pytorch"
        facts = page.locator("dl.aic-facts").first
        assert facts.is_visible() and "Kind" in facts.inner_text()
        assert page.locator(".aic-badge").first.is_visible()
        page.wait_for_load_state("networkidle")
        assert watch.problems() == {}
        page.context.close()


# --- hostile content ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two sites: hostile entries that pass the validator, built the normal way; and the
    same catalog with entries altered as if they had slipped past it, built from the
    rendered Markdown files."""
    work = tmp_path_factory.mktemp("hostile")
    root = site_catalog(work / "catalog", 5, **hostile_entries())
    record = hostile_activity("acme/hostile", "2025-06-01T00:00:00Z")
    text = json.dumps({"version": 1, "projects": {"hostile-script": record}})
    (root / "activity.json").write_text(text, encoding="utf-8")
    valid = build_or_fail(root, work / "valid")
    workspace = load_workspace(root)
    catalog = workspace.valid_catalog()
    altered = tuple(smuggled(p) if p.id.startswith("hostile") else p for p in catalog.projects)
    rendered = render_site(
        dataclasses.replace(workspace, catalog=dataclasses.replace(catalog, projects=altered))
    )
    unvalidated = build_rendered(rendered, work / "unvalidated")
    with serve(valid) as first, serve(unvalidated) as second:
        yield [first, second]


HOVER_EVERYTHING = """
for (const el of document.querySelectorAll("body *")) {
  for (const type of ["mouseover", "mouseenter", "mousemove", "focus", "focusin"]) {
    el.dispatchEvent(new Event(type, {bubbles: type !== "mouseenter" && type !== "focus"}));
  }
}
"""

HOSTILE_PAGES = [
    "projects/hostile-script/",
    "projects/hostile-markdown/",
    "projects/hostile-attribute/",
    "browse/",
    "browse/?text=hostile&view=compact",
    "compare/?ids=hostile-script,hostile-markdown,hostile-attribute",
    "stats/",
    "tags/",
    "categories/language-models/",
    "licences/",
    "data/",
    "",
]


@pytest.mark.parametrize("which", [0, 1], ids=["validated", "slipped-past-validator"])
def test_hostile_entries_stay_inert_text(browser: Browser, hostile_sites, which: int) -> None:
    base = hostile_sites[which]
    page, watch = open_tab(browser, base)
    page.add_init_script(f"{PWNED} = [];")
    for path in HOSTILE_PAGES:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.mouse.move(300, 200)
        page.mouse.move(640, 400)
        # Pointer and focus events on every element at once (hovering each in turn took most
        # of this test's minute): an injected handler anywhere on the page would run.
        page.evaluate(HOVER_EVERYTHING)
        injected = page.evaluate(
            "document.querySelectorAll('[onerror],[onload],[onmouseover],iframe,img[src=x]').length"
        )
        assert injected == 0, path
        assert page.evaluate(PWNED) == [], path
    page.goto(base + "projects/hostile-script/")
    title = page.locator("h1").inner_text()
    assert "<script>" in title  # shown as text
    search(page, "hostile")
    assert page.evaluate(PWNED) == []
    assert watch.problems() == {}
    page.context.close()
