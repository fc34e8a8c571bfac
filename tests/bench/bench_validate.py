"""Benchmark: load and validate synthetic catalogs of 1,000 and 5,000 entries (issue 2).

Target: 5,000 entries validate in under 2 s on the 2-core reference machine.
Each size is timed in a fresh process (so the schema compile and SPDX index load
count, as they do for a contributor running `aicatalog validate`), median of 5.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from tests.bench.synth import synthetic_catalog
from tests.bench.timing import aicatalog, timed

RUNS = 5
SIZES = (1_000, 5_000)
TARGET_S = 2.0


def time_validate(root: Path) -> float:
    """Wall time of `aicatalog validate --catalog root` in a new process; it must pass."""
    return timed(aicatalog("validate", "--catalog", str(root)), "validating the synthetic catalog")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        for n in SIZES:
            root = synthetic_catalog(Path(tmp) / f"c{n}", n)
            times = [time_validate(root) for _ in range(RUNS)]
            rows.append((n, statistics.median(times), min(times), max(times)))
    print("### Load + validate (`aicatalog validate`, fresh process, median of 5)\n")
    print("| entries | median s | min s | max s | target |")
    print("|---:|---:|---:|---:|---|")
    for n, med, lo, hi in rows:
        target = f"< {TARGET_S} s {'met' if med < TARGET_S else 'MISSED'}" if n == 5_000 else ""
        print(f"| {n:,} | {med:.2f} | {lo:.2f} | {hi:.2f} | {target} |")
    print()


if __name__ == "__main__":
    main()
