"""What a person waits for after pressing an export button, beside a naive export of the same desa.

For each district of ``../shared/data`` (imported into a temporary store with
the importers, as ``benchmarks.engine_districts`` does) every format of
:data:`ui.exports.FORMATS` is rendered for the month ``--month`` over every
desa of the district (what the Ringkasan page's buttons and ``cli.py export``
produce), median of ``--repeat`` renders each, on a warm engine (the page has
one already). Printed per format: seconds, size, and the ratio against a
baseline from the same run:

* png/pdf: the naive map, ``GeoDataFrame.plot(color=status colour)`` of the
  full-resolution desa saved (png, or a one-page pdf) at the same size and dpi
  with no legend, title, labels, scale bar or table (one line of geopandas);
* geojson/gpkg: ``GeoDataFrame.to_file`` of the desa table with its geometry
  (pyogrio), the same rows and fields unformatted;
* xlsx: ``DataFrame.to_excel`` of the desa table (openpyxl, one sheet, no
  formats), against the report's summary + one sheet per puskesmas.

Nothing is asserted (the export tests check the files); the ratio says what
the formatting costs over the naive export, which varies less between a quiet
and a busy machine than the seconds.

Usage (from the checkout's root, ``../shared/data`` beside it)::

    python -m benchmarks.exports 32.06           # Kabupaten Tasikmalaya, median of 3
    python -m benchmarks.exports --repeat 5      # all five districts
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd

from benchmarks.engine_districts import build_store
from benchmarks.reference import district_arguments
from benchmarks.timing import median_time, ratio
from geo.engine import Coverage
from geo.rules import Rules
from geo.statuses import BY_CODE
from loaders.dataset import read_dataset
from ui import exports

MONTH = "2026-10"
PNG_INCHES = (11.69, 8.27)  # A4 landscape, the report map's page
PNG_DPI = 137  # about 1600 px wide, as ui.report_map


def _naive_map(frame: gpd.GeoDataFrame, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=PNG_INCHES)
    frame.plot(ax=axes, color=frame["status"].map(lambda s: BY_CODE[s].colour), edgecolor="white")
    axes.set_axis_off()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=PNG_DPI)
    plt.close(figure)
    return buffer.getvalue()


def _naive_file(frame: gpd.GeoDataFrame, driver: str, folder: Path) -> bytes:
    path = folder / f"naive.{driver.lower()}"
    if path.exists():
        os.remove(path)
    frame.to_file(path, driver=driver)
    return path.read_bytes()


def _naive_xlsx(frame: gpd.GeoDataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.drop(columns="geometry").to_excel(buffer, index=False)
    return buffer.getvalue()


def _measure(kode: str, folder: Path, *, repeat: int) -> None:
    """Print the lines of district ``kode``."""
    coverage = Coverage(read_dataset(build_store(kode, folder)), rules=Rules())
    table = coverage.desa_table(MONTH)
    desa = coverage.dataset.desa.loc[:, ["kode_desa", "geometry"]]
    frame = gpd.GeoDataFrame(desa.merge(table, on="kode_desa"), geometry="geometry", crs=desa.crs)
    request = exports.ExportRequest(
        coverage=coverage,
        month=MONTH,
        kode_desa=tuple(table["kode_desa"].astype(str)),
        area=f"Kabupaten {table['nama_kabupaten'].iloc[0]}",
        rules=coverage.rules,
        data_version="benchmark",
    )
    naive: dict[str, Callable[[], bytes]] = {
        "xlsx": lambda: _naive_xlsx(frame),
        "png": lambda: _naive_map(frame, "png"),
        "pdf": lambda: _naive_map(frame, "pdf"),
        "geojson": lambda: _naive_file(frame, "GeoJSON", folder),
        "gpkg": lambda: _naive_file(frame, "GPKG", folder),
    }
    for fmt in exports.FORMATS:
        seconds, data = median_time(lambda f=fmt: f.render(request), repeat=repeat)
        base_s, base = median_time(naive[fmt.code], repeat=repeat)
        print(
            f"{kode:<9} {fmt.code:<8} {seconds:>9.2f} {len(data) / 1024:>7.0f} {base_s:>8.2f} "
            f"{len(base) / 1024:>9.0f} {ratio(seconds, base_s):>8}"
        )


def main(argv: list[str] | None = None) -> int:
    """Print one line per district and format (exit 1 when the reference data is absent)."""
    args = district_arguments(argv, description=__doc__.splitlines()[0], repeat=3)
    print(f"median of {args.repeat} renders; month {MONTH}; every desa of the district; warm engine")
    print(f"{'district':<9} {'format':<8} {'export s':>9} {'KB':>7} {'naive s':>8} {'naive KB':>9} {'x naive':>8}")
    with tempfile.TemporaryDirectory(prefix="ilp_bench_exports_") as tmp:
        for kode in args.districts:
            _measure(kode, Path(tmp), repeat=args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
