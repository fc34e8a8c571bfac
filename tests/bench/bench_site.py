"""Benchmark: full site builds of synthetic catalogs of 1,000 and 5,000 entries (issue 4).

A full build is what `make build` runs: validate + render (in the MkDocs hook) +
`mkdocs build --strict`, in a fresh process into a fresh folder, median of 3. Nine
entries in ten have collected activity (stars, mostly 13 monthly counts, some Hub
figures), as a catalog refreshed by the weekly job would.
Targets: 5,000 entries build in under 25 s; time(5,000) / time(1,000) at most 5.5
(the site grows linearly, not quadratically); a project page under 40 KB of HTML; the
Browse page at most 600 KB (its rows come from browse.json); filtering and sorting
Browse in headless Chromium under 100 ms (median of the queries below, each timed from
the input event to the rows laid out).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.bench.timing import timed
from tests.site_catalogs import site_catalog, with_activity

REPO = Path(__file__).resolve().parents[2]
RUNS = 3
SIZES = (1_000, 5_000)
TARGET_S = 25.0
TARGET_RATIO = 5.5
TARGET_PAGE_KB = 40.0
TARGET_BROWSE_KB = 600.0
TARGET_FILTER_MS = 100.0
#: What the browser benchmark types into Browse's filter, one after the other.
QUERIES = ("vector", "graph neural", "quantum agent 4", "apache", "zzz-nothing", "")


@dataclass(frozen=True)
class Build:
    entries: int
    seconds: float
    site_mb: float
    largest_page: tuple[str, int]
    largest_project_kb: float
    search_index_mb: float
    browse_kb: float
    browse_json_kb: float
    filter_ms: float
    sort_ms: float
    load_ms: float


def build_once(catalog: Path, out: Path) -> float:
    """Wall time of one strict build of `catalog` into `out`; the build must pass."""
    env = {**os.environ, "AICATALOG_CATALOG": str(catalog), "NO_MKDOCS_2_WARNING": "1"}
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "-f",
        str(REPO / "mkdocs.yml"),
        "-d",
        str(out),
    ]
    return timed(cmd, f"build of {catalog}", env=env, cwd=REPO)


def measure(entries: int, work: Path) -> Build:
    catalog = with_activity(site_catalog(work / f"catalog-{entries}", entries))
    total = len(list((catalog / "projects").iterdir()))
    times = [build_once(catalog, work / f"site-{entries}-{run}") for run in range(RUNS)]
    site = work / f"site-{entries}-0"
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.name == "index.html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    projects = [p for p in pages if p.parent.parent.name == "projects"]
    return Build(
        entries=total,
        seconds=statistics.median(times),
        site_mb=sum(p.stat().st_size for p in files) / 1e6,
        largest_page=(str(largest.parent.relative_to(site)) + "/", largest.stat().st_size),
        largest_project_kb=max(p.stat().st_size for p in projects) / 1e3,
        search_index_mb=(site / "search" / "search_index.json").stat().st_size / 1e6,
        browse_kb=(site / "browse" / "index.html").stat().st_size / 1e3,
        browse_json_kb=(site / "browse.json").stat().st_size / 1e3,
        **browse_timings(site),
    )


def browse_timings(site: Path) -> dict[str, float]:
    """Median milliseconds to filter and to sort Browse in headless Chromium, and to load it."""
    from playwright.sync_api import sync_playwright

    from tests.site_server import CHROMIUM, CHROMIUM_ARGS, serve

    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        loads = []
        for _ in range(3):
            page.goto(url + "browse/")
            page.locator("#aic-browse[data-ready]").wait_for(state="attached")
            loads.append(page.evaluate("performance.now()"))
        filters = [
            page.evaluate(
                """q => {
                  const box = document.getElementById('aic-f-text');
                  const t0 = performance.now();
                  box.value = q;
                  box.dispatchEvent(new Event('input', {bubbles: true}));
                  document.body.offsetHeight;  // lay the rows out
                  return performance.now() - t0;
                }""",
                q,
            )
            for _ in range(3)
            for q in QUERIES
        ]
        sorts = [
            page.evaluate(
                """key => {
                  const t0 = performance.now();
                  document.querySelector(`th[data-sort="${key}"] button`).click();
                  document.body.offsetHeight;
                  return performance.now() - t0;
                }""",
                key,
            )
            for _ in range(2)
            for key in ("stars", "name", "added", "active")
        ]
        browser.close()
    return {
        "filter_ms": statistics.median(filters),
        "sort_ms": statistics.median(sorts),
        "load_ms": statistics.median(loads),
    }


def table(builds: list[Build]) -> str:
    rows = [
        "| Entries | Build (median of 3) | Site size | Largest page | Largest project page "
        "| Search index | Browse page | browse.json | Filter | Sort | Browse loaded |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in builds:
        path, size = b.largest_page
        rows.append(
            f"| {b.entries:,} | {b.seconds:.1f} s | {b.site_mb:.1f} MB | {path} "
            f"({size / 1e6:.2f} MB) | {b.largest_project_kb:.1f} KB | {b.search_index_mb:.1f} MB "
            f"| {b.browse_kb:.1f} KB | {b.browse_json_kb:.0f} KB | {b.filter_ms:.1f} ms "
            f"| {b.sort_ms:.1f} ms | {b.load_ms:.0f} ms |"
        )
    small, large = builds[0], builds[-1]
    ratio = large.seconds / small.seconds
    verdict = [
        f"5,000-entry build {large.seconds:.1f} s (target < {TARGET_S:.0f} s): "
        + ("met" if large.seconds < TARGET_S else "MISSED"),
        f"time ratio {ratio:.2f} for {large.entries / small.entries:.1f}x the entries "
        f"(target <= {TARGET_RATIO}): " + ("met" if ratio <= TARGET_RATIO else "MISSED"),
        f"largest project page {large.largest_project_kb:.1f} KB (target < "
        f"{TARGET_PAGE_KB:.0f} KB): "
        + ("met" if large.largest_project_kb < TARGET_PAGE_KB else "MISSED"),
        f"Browse page {large.browse_kb:.1f} KB (target <= {TARGET_BROWSE_KB:.0f} KB): "
        + ("met" if large.browse_kb <= TARGET_BROWSE_KB else "MISSED"),
        f"filtering Browse {large.filter_ms:.1f} ms, sorting {large.sort_ms:.1f} ms, median "
        f"(target < {TARGET_FILTER_MS:.0f} ms): "
        + ("met" if max(large.filter_ms, large.sort_ms) < TARGET_FILTER_MS else "MISSED"),
    ]
    return "\n".join(rows) + "\n\n" + "\n".join(f"- {v}" for v in verdict)


def main() -> None:
    print("## Site build (validate + render + mkdocs build --strict)\n")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        builds = [measure(n, Path(tmp)) for n in SIZES]
    print(table(builds))
    print()
