"""How long the coverage engine takes on each of the five reference districts, beside reading their data.

Each district of ``../shared/data`` is imported into a temporary store with the
importers (``loaders.importing.run_import``, the files and order of
``tests/reference_districts.district_files``), then, median of ``--repeat``
calls each:

* baseline: ``read_dataset(store)``, reading the five layers from the store;
* engine: ``Coverage(dataset)`` + ``desa_table(2026-10)`` with the default rules
  (what ``tests/test_engine_truth.py`` checks against the truth files).

Printed: both times and the engine as a multiple of the baseline. Nothing is
asserted: the truth test checks the values, this reads the time. The old test
bound was "engine under 2 s per district".

Usage (from the checkout's root, ``../shared/data`` beside it)::

    python -m benchmarks.engine_districts              # all five districts, median of 5
    python -m benchmarks.engine_districts 32.06 --repeat 9
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.reference import SHARED_DATA, district_arguments, district_files
from benchmarks.timing import median_time, ratio
from geo.engine import Coverage
from loaders.dataset import read_dataset
from loaders.importing import run_import
from loaders.store import Store

MONTH = "2026-10"
OLD_BOUND_S = 2.0


def build_store(kode: str, folder: Path) -> Store:
    """District ``kode`` imported into a fresh store in ``folder``."""
    store = Store(folder / f"kab_{kode}" / "ilp.gpkg")
    for kind, path in district_files(SHARED_DATA, kode):
        run_import(kind, path, store=store)
    return store


def main(argv: list[str] | None = None) -> int:
    """Print one line per district (exit 1 when the reference data is absent)."""
    args = district_arguments(argv, description=__doc__.splitlines()[0], repeat=5)
    print(f"median of {args.repeat} calls; engine = Coverage(dataset) + desa_table({MONTH}), default rules")
    print(f"{'district':<9} {'desa':>5} {'facilities':>10} {'reports':>8} {'read s':>8} {'engine s':>9} {'x read':>7}")
    slowest = 0.0
    with tempfile.TemporaryDirectory(prefix="ilp_bench_engine_") as tmp:
        for kode in args.districts:
            store = build_store(kode, Path(tmp))
            read_s, dataset = median_time(lambda store=store: read_dataset(store), repeat=args.repeat)
            engine_s, table = median_time(
                lambda dataset=dataset: Coverage(dataset).desa_table(MONTH), repeat=args.repeat
            )
            slowest = max(slowest, engine_s)
            print(
                f"{kode:<9} {len(table):>5} {len(dataset.fasilitas):>10} {len(dataset.laporan):>8} "
                f"{read_s:8.3f} {engine_s:9.3f} {ratio(engine_s, read_s):>7}"
            )
    print(f"slowest engine run {slowest:.3f} s (old test bound: under {OLD_BOUND_S:.0f} s per district)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
