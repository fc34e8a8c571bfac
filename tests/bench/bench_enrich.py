"""Benchmark: `aicatalog enrich` on 5,000 GitHub repositories (issue 8).

Target: at most 60 GraphQL requests and under 25 s against a loopback API that
takes 300 ms per query (queries are sent one at a time, as GitHub asks, so the
speed comes from batching); a re-run within --max-age makes no request.
Each run is a fresh `aicatalog enrich` process; medians of 3.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from tests.bench.synth import synthetic_catalog
from tests.bench.timing import aicatalog, timed
from tests.enrich_apis import FakeApis, serve

REPOS = 5_000
LATENCY_S = 0.3
RUNS = 3
MAX_REQUESTS = 60
TARGET_S = 25.0


def enrich(root: Path, base: str, token: str) -> float:
    """Wall time of one enrich process; it must succeed."""
    env = {**os.environ, "GITHUB_TOKEN": token}
    cmd = aicatalog("enrich", "--catalog", str(root), "--github-api", base, "--hub-api", base)
    return timed(cmd, "enrich", env=env)


def measure(root: Path, apis: FakeApis, base: str, cold: bool) -> tuple[list[float], list[int]]:
    times, counts = [], []
    for _ in range(RUNS):
        if cold:
            (root / "activity.json").unlink(missing_ok=True)
        before = len(apis.requests)
        times.append(enrich(root, base, apis.token))
        counts.append(len(apis.requests) - before)
    return times, counts


def main() -> None:
    apis = FakeApis(token="bench-token", latency=LATENCY_S)
    for i in range(REPOS):
        apis.add_repo(f"synth-org/project-{i}", stars=i)
    with tempfile.TemporaryDirectory(prefix="bench-enrich-") as tmp, serve(apis) as base:
        root = synthetic_catalog(Path(tmp) / "catalog", REPOS)
        cold_t, cold_n = measure(root, apis, base, cold=True)
        warm_t, warm_n = measure(root, apis, base, cold=False)
    cold_med, warm_med = statistics.median(cold_t), statistics.median(warm_t)
    met = cold_med < TARGET_S and max(cold_n) <= MAX_REQUESTS and max(warm_n) == 0
    print(
        f"### `aicatalog enrich`: {REPOS:,} repositories, {LATENCY_S * 1000:.0f} ms per "
        f"GraphQL query (fresh process, median of {RUNS})\n"
    )
    print("| run | GraphQL requests | median s | min s | max s | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(
        f"| cold (no activity.json) | {max(cold_n)} | {cold_med:.1f} | {min(cold_t):.1f} | "
        f"{max(cold_t):.1f} | <= {MAX_REQUESTS} requests, < {TARGET_S:.0f} s |"
    )
    print(
        f"| re-run within --max-age | {max(warm_n)} | {warm_med:.1f} | {min(warm_t):.1f} | "
        f"{max(warm_t):.1f} | 0 requests |"
    )
    print(f"\nTargets {'met' if met else 'MISSED'}.\n")


if __name__ == "__main__":
    main()
