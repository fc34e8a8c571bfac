"""`make bench`: run every benchmark and print its table."""

from __future__ import annotations

import compileall
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import aicatalog

#: Benchmark modules in tests/bench, in the order their tables are printed.
BENCHMARKS = ["bench_validate", "bench_site", "bench_links", "bench_enrich", "bench_new"]


def main() -> None:
    only = sys.argv[1:]
    compile_package()
    for name in BENCHMARKS:
        if only and name.removeprefix("bench_") not in only and name not in only:
            continue
        importlib.import_module(f"tests.bench.{name}").main()


def compile_package() -> None:
    """Byte-compile the package, as pip does when it installs one: an editable checkout run
    with PYTHONDONTWRITEBYTECODE (as CI machines set it) would otherwise compile every
    module at every start, which no installed copy does, and the start-up times would
    measure the compiler."""
    compileall.compile_dir(Path(aicatalog.__file__).parent, quiet=1)


if __name__ == "__main__":
    main()
