"""Benchmark: how fast does the store give back a province's desa layer?

Imports ``../shared/data/boundaries/desa_prov_32.parquet`` (Provinsi Jawa
Barat, 5,957 desa) into a temporary store with the real boundary importer
(or, when that is not available, :func:`loaders.model.conform` +
:meth:`Store.commit`), then times :meth:`Store.read_desa` (median of 5 runs)
next to two baselines measured in the same run: ``geopandas.read_parquet`` of
the source file and a raw ``pyogrio.read_dataframe`` of the store's ``desa``
layer (what ``read_desa`` does before conforming dtypes). Target: under 2 s.

Run from the checkout's root::

    python -m benchmarks.store_load            # or: python benchmarks/store_load.py
    python -m benchmarks.store_load --repeat 9 --keep /tmp/jabar.gpkg
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if str(PROJECT_DIR) not in sys.path:  # run as a script
    sys.path.insert(0, str(PROJECT_DIR))

import geopandas as gpd  # noqa: E402
import pyogrio  # noqa: E402

from benchmarks.timing import median_time  # noqa: E402
from loaders import model  # noqa: E402
from loaders.store import ChangeRecord, Store  # noqa: E402

SOURCE = PROJECT_DIR.parent / "shared" / "data" / "boundaries" / "desa_prov_32.parquet"
TARGET_S = 2.0


def load_store(path: Path, *, source: Path = SOURCE) -> tuple[str, float]:
    """Import ``source`` into a store at ``path``; return (how, seconds)."""
    started = time.perf_counter()
    try:
        from loaders.importing import run_import

        run_import("boundaries", source, store=Store(path))
        how = "importir batas (loaders.importing.run_import)"
    except ImportError:
        frame = gpd.read_parquet(source)
        Store(path).commit(
            layers={model.LAYER_DESA: model.conform(frame, model.LAYER_DESA)},
            record=ChangeRecord(jenis_impor="batas", berkas=source.name),
        )
        how = "model.conform + Store.commit (importir batas belum ada)"
    return how, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; exit 1 when the source file is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median), default 5")
    parser.add_argument("--keep", type=Path, help="write the store here instead of a temporary folder")
    args = parser.parse_args(argv)
    if not SOURCE.is_file():
        print(f"Data acuan tidak ada: {SOURCE} (letakkan shared/ di samping checkout).", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "jabar.gpkg"
        how, import_s = load_store(path, source=SOURCE)
        store = Store(path)
        read_s, desa = median_time(store.read_desa, repeat=args.repeat)
        parquet_s, _ = median_time(lambda: gpd.read_parquet(SOURCE), repeat=args.repeat)
        raw_s, _ = median_time(
            lambda: pyogrio.read_dataframe(path, layer=model.LAYER_DESA, use_arrow=True), repeat=args.repeat
        )
        size_mb = path.stat().st_size / 1e6
        rows = len(desa)  # type: ignore[arg-type]
    print(f"Sumber: {SOURCE.name} -> {rows:,} desa; penyimpanan {size_mb:.1f} MB")
    print(f"Diisi dengan {how} dalam {import_s:.2f} s")
    print(f"Median dari {args.repeat} kali:")
    print(f"  Store.read_desa()                  {read_s:7.3f} s   (target < {TARGET_S:.1f} s)")
    ratio_parquet, ratio_raw = read_s / parquet_s, read_s / raw_s
    print(f"  geopandas.read_parquet (sumber)    {parquet_s:7.3f} s   rasio read_desa/parquet = {ratio_parquet:5.2f}x")
    print(f"  pyogrio.read_dataframe (mentah)    {raw_s:7.3f} s   rasio read_desa/mentah  = {ratio_raw:5.2f}x")
    print("HASIL: " + ("di bawah target" if read_s < TARGET_S else "MELEBIHI target"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
