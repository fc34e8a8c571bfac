"""Benchmark: `aicatalog new` on the shipped catalog and on synthetic ones of 1,000 and 5,000.

Targets (issue 6, feedback must feel instant): the whole scripted command, in a
fresh process, within the 2 s that validating 5,000 entries may take (it reads
every entry once, for duplicates); checking one typed answer at a prompt (render,
validate, compare with every entry) under 20 ms. Medians of several runs.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from aicatalog import scaffold
from aicatalog.scaffold import Draft
from tests.bench.synth import synthetic_catalog
from tests.bench.timing import aicatalog, timed
from tests.helpers import REPO

RUNS = 5
ANSWER_RUNS = 200
COMMAND_TARGET_S = 2.0
ANSWER_TARGET_MS = 20.0
ANSWERS = [
    "--name", "Benchmark Project",
    "--homepage", "https://bench.example.org",
    "--repository", "https://github.com/example/bench-project",
    "--kind", "library", "--category", "deep-learning", "--license", "MIT",
    "--description", "A project written by the benchmark to time the scaffolding command.",
    "--yes",
]  # fmt: skip


def time_command(root: Path) -> float:
    """Wall time of one scripted `aicatalog new` in a new process; the file is removed after."""
    elapsed = timed(aicatalog("new", "--catalog", str(root), *ANSWERS), "`aicatalog new`")
    (root / "projects" / "benchmark-project.yml").unlink()
    return elapsed


def time_answer(root: Path) -> float:
    """Median milliseconds to check one typed answer, as a prompt does (context loaded once)."""
    context = scaffold.load_context(root)
    draft = Draft(name="Benchmark Project", kind="library", categories=("deep-learning",))
    times = []
    for i in range(ANSWER_RUNS):
        candidate = Draft(**{**draft.__dict__, "homepage": f"https://h{i}.example.org"}).cleaned()
        start = time.perf_counter()
        scaffold.check(candidate, context)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-new-") as tmp:
        shipped = Path(tmp) / "shipped"
        shutil.copytree(REPO / "catalog", shipped)
        catalogs = [("shipped", shipped)]
        catalogs += [(f"{n:,}", synthetic_catalog(Path(tmp) / f"c{n}", n)) for n in (1_000, 5_000)]
        for label, root in catalogs:
            entries = len(list((root / "projects").glob("*.yml")))
            times = [time_command(root) for _ in range(RUNS)]
            rows.append((label, entries, statistics.median(times), max(times), time_answer(root)))
    print(f"### `aicatalog new` (fresh process, median of {RUNS}; one answer, median of 200)\n")
    print("| catalog | entries | command median s | max s | one answer ms | targets |")
    print("|---|---:|---:|---:|---:|---|")
    for label, entries, med, hi, answer in rows:
        met = med < COMMAND_TARGET_S and answer < ANSWER_TARGET_MS
        target = f"< {COMMAND_TARGET_S} s, < {ANSWER_TARGET_MS:.0f} ms {'met' if met else 'MISSED'}"
        print(f"| {label} | {entries:,} | {med:.2f} | {hi:.2f} | {answer:.1f} | {target} |")
    print()


if __name__ == "__main__":
    main()
