"""How long each import of the five reference districts takes, beside reading the same file raw.

For every file of ``tests/reference_districts.district_files`` (boundaries,
facilities, reports and working areas, in that order) the district is imported
``--repeat`` times into fresh temporary stores with
``loaders.importing.run_import`` (read, validate, commit). The baseline of each
file is reading it with no checks at all, in the same run: ``pyogrio`` for the
GeoJSON, ``pandas.read_csv`` / ``pandas.read_excel`` (every sheet) for tables.

Printed per file: the median import time, the median raw read and the import as
a multiple of the raw read. Nothing is asserted: ``tests/test_tabular_districts.py``
checks what the imports find, this reads the time. The old test bound was
"every import under 5 s".

Usage (from the checkout's root, ``../shared/data`` beside it)::

    python -m benchmarks.import_districts              # all five districts, median of 3
    python -m benchmarks.import_districts 52.71 --repeat 5
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyogrio

from benchmarks.reference import SHARED_DATA, district_arguments, district_files
from benchmarks.timing import median_time, ratio
from loaders.importing import run_import
from loaders.store import Store

OLD_BOUND_S = 5.0


def read_raw(path: Path) -> object:
    """The file read with no checks at all (the baseline)."""
    if path.suffix == ".geojson":
        return pyogrio.read_dataframe(path)
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=None, dtype=str)
    return pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig")


def import_times(kode: str, folder: Path, *, repeat: int) -> dict[Path, list[float]]:
    """Seconds of each ``run_import`` of district ``kode``, ``repeat`` times into fresh stores."""
    seconds: dict[Path, list[float]] = defaultdict(list)
    for run in range(repeat):
        store = Store(folder / f"kab_{kode}_{run}" / "ilp.gpkg")
        for kind, path in district_files(SHARED_DATA, kode):
            started = time.perf_counter()
            run_import(kind, path, store=store)
            seconds[path].append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Print one line per imported file (exit 1 when the reference data is absent)."""
    args = district_arguments(argv, description=__doc__.splitlines()[0], repeat=3)
    print(f"median of {args.repeat}; import = run_import (read, validate, commit); raw = read with no checks")
    print(f"{'district':<9} {'kind':<14} {'file':<30} {'MB':>5} {'raw s':>7} {'import s':>9} {'x raw':>7}")
    slowest = 0.0
    with tempfile.TemporaryDirectory(prefix="ilp_bench_imports_") as tmp:
        for kode in args.districts:
            seconds = import_times(kode, Path(tmp), repeat=args.repeat)
            for kind, path in district_files(SHARED_DATA, kode):
                import_s = statistics.median(seconds[path])
                raw_s, _ = median_time(lambda path=path: read_raw(path), repeat=args.repeat)
                slowest = max(slowest, import_s)
                size_mb = path.stat().st_size / 2**20
                print(
                    f"{kode:<9} {kind:<14} {path.name:<30} {size_mb:5.1f} {raw_s:7.3f} {import_s:9.3f} "
                    f"{ratio(import_s, raw_s):>7}"
                )
    print(f"slowest import {slowest:.2f} s (old test bound: every import under {OLD_BOUND_S:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
