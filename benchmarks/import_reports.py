"""How long preparing a large monthly-report file takes, beside parsing the same file.

Writes the CSV of ``tests/test_reports.py::test_sixty_thousand_rows_are_all_accepted``
(60,000 rows by default: 2,800 posyandu codes x 22 months, seeded) into a
temporary folder, with a store holding three desa and two posyandu, then times,
median of ``--repeat`` calls each:

* baseline: ``pandas.read_csv(sep=";", dtype=str)`` of the file (the bare parse);
* ``loaders.tables.read_tables`` (the project's bounded reader, every cell a string);
* ``loaders.reports.prepare_reports`` (read + map + validate; nothing is written).

Printed: the times and each as a multiple of the baseline. Nothing is asserted:
the test checks the 60,000 accepted rows, this reads the time. The old test
bound was "prepare_reports under 5 s".

Usage (from the checkout's root)::

    python -m benchmarks.import_reports
    python -m benchmarks.import_reports --rows 200000 --repeat 3
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from tabular_fixtures import store_with_desa, write_text  # noqa: E402

from benchmarks.timing import median_time, ratio  # noqa: E402
from loaders.facilities import prepare_facilities  # noqa: E402
from loaders.limits import MAX_BYTES_LAPORAN  # noqa: E402
from loaders.prepared import commit_prepared  # noqa: E402
from loaders.reports import prepare_reports  # noqa: E402
from loaders.store import Store  # noqa: E402
from loaders.tables import read_tables  # noqa: E402

COUNT_COLUMNS = ("kader_hadir", "balita", "ibu_hamil", "usia_sekolah_remaja", "usia_produktif", "lansia")
MONTHS = 22
OLD_BOUND_S = 5.0


def write_reports(path: Path, rows: int, *, seed: int = 7) -> Path:
    """The report CSV of the test (``;``-separated, ``rows`` rows, codes ``PSY-00000``...) at ``path``."""
    rng = np.random.default_rng(seed)
    months = pd.period_range("2025-01", periods=MONTHS, freq="M").astype(str)
    n_posyandu = -(-rows // MONTHS)
    codes = np.repeat([f"PSY-{i:05d}" for i in range(n_posyandu)], MONTHS)[:rows]
    counts = rng.integers(0, 40, size=(rows, len(COUNT_COLUMNS)))
    frame = pd.DataFrame(
        {"kode_posyandu": codes, "bulan": np.tile(months, n_posyandu)[:rows], "buka": rng.choice(["ya", "tidak"], rows)}
        | {column: counts[:, i] for i, column in enumerate(COUNT_COLUMNS)}
    )
    frame.to_csv(path, sep=";", index=False)
    return path


def store_with_posyandu(folder: Path) -> Store:
    """The test's store: three desa of 32.06 and the posyandu PSY-1 and PSY-2."""
    store = store_with_desa(folder / "store" / "ilp.gpkg")
    facilities = write_text(folder / "posyandu.csv", "Kode Posyandu;Nama Posyandu\nPSY-1;Mawar\nPSY-2;Melati\n")
    commit_prepared(store, prepare_facilities(facilities, store=store))
    return store


def main(argv: list[str] | None = None) -> int:
    """Print the three times and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="report rows to write, default 60000")
    parser.add_argument("--repeat", type=int, default=5, help="calls per measurement (median), default 5")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ilp_bench_reports_") as tmp:
        folder = Path(tmp)
        path = write_reports(folder / "laporan.csv", args.rows)
        store = store_with_posyandu(folder)
        parse_s, _ = median_time(lambda: pd.read_csv(path, sep=";", dtype=str), repeat=args.repeat)
        read_s, _ = median_time(lambda: read_tables(path, max_bytes=MAX_BYTES_LAPORAN), repeat=args.repeat)
        prepare_s, prepared = median_time(lambda: prepare_reports(path, store=store), repeat=args.repeat)
        size_mb = path.stat().st_size / 2**20
    print(f"{args.rows:,} rows, {size_mb:.1f} MB; median of {args.repeat} calls; {prepared.report.diterima:,} accepted")
    print(f"{'step':<38} {'seconds':>8} {'x read_csv':>10}")
    for name, seconds in (
        ("pandas.read_csv (baseline)", parse_s),
        ("loaders.tables.read_tables", read_s),
        ("loaders.reports.prepare_reports", prepare_s),
    ):
        print(f"{name:<38} {seconds:8.3f} {ratio(seconds, parse_s):>10}")
    print(f"old test bound: prepare_reports under {OLD_BOUND_S:.0f} s for 60,000 rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
