"""A facility lies in the same desa whether the importer or the engine is asked (issue 8, one placement rule).

The importer names a pustu without a code ``PUSTU-<desa>-<slug>`` after the desa
its point lies in, and reports ``desa_berbeda`` when the point is not in the
declared desa; the engine places it in ``Coverage.facilities.kode_desa_final``.
Both follow :mod:`geo.placement`: the declared desa when the point lies in it,
else the polygon the point lies deepest in, ties to the smallest code. Points
where two desa overlap are where a different rule ("first hit") disagreed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from engine_fixtures import cell, desa_layer, gx, gy

from geo.engine import Coverage
from loaders import model
from loaders.dataset import read_dataset
from loaders.facilities import point_desa
from loaders.importing import run_import
from loaders.store import Store

A, B = "11.01.01.2001", "11.01.01.2002"
HEADER = ("Nama Pustu", "Kode Desa", "Latitude", "Longitude")


def _boundaries(store: Store, desa: gpd.GeoDataFrame, folder: Path) -> None:
    source = folder / "desa.geojson"
    desa[["kode_desa", "nama_desa", "nama_kecamatan", "nama_kabupaten", "geometry"]].to_file(source, driver="GeoJSON")
    run_import("boundaries", source, store=store)


def _pustu_csv(path: Path, rows: list[tuple[str, str, float, float]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows((name, kode, f"{lat:.12f}", f"{lon:.12f}") for name, kode, lat, lon in rows)
    return path


def _importer_and_engine(store: Store) -> pd.DataFrame:
    """Per pustu: the desa of its id (importer) and ``kode_desa_final`` (engine), by name."""
    facilities = Coverage(read_dataset(store)).facilities
    pustu = facilities[facilities["jenis"] == model.PUSTU].set_index("nama")
    return pd.DataFrame(
        {
            "importer": pustu["id_fasilitas"].str.split("-").str[1],
            "engine": pustu["kode_desa_final"],
            "declared": pustu["kode_desa"],
        }
    )


def test_overlap_points_get_the_same_desa_from_importer_and_engine(tmp_store: Store, tmp_path: Path) -> None:
    desa = desa_layer([(A, cell(0, 1.1)), (B, cell(1, 2))])  # A = [0, 1.1] overlaps B = [1, 2]
    _boundaries(tmp_store, desa, tmp_path)
    rows = [
        ("Pustu Dua", "", gy(0.5), gx(1.02)),  # 0.08 deep in A, 0.02 in B -> A
        ("Pustu Delapan", "", gy(0.5), gx(1.08)),  # 0.02 deep in A, 0.08 in B -> B
        ("Pustu Lima", "", gy(0.5), gx(1.05)),  # equally deep -> smallest code, A
        ("Pustu Delapan Deklarasi", A, gy(0.5), gx(1.08)),  # declared A, and the point lies in A -> A
    ]
    report = run_import("facilities", _pustu_csv(tmp_path / "pustu.csv", rows), store=tmp_store, jenis=model.PUSTU)

    placed = _importer_and_engine(tmp_store)
    assert placed["engine"].to_dict() == {
        "Pustu Dua": A,
        "Pustu Delapan": B,
        "Pustu Lima": A,
        "Pustu Delapan Deklarasi": A,
    }
    undeclared = placed[placed["declared"].isna()]
    assert undeclared["importer"].to_dict() == undeclared["engine"].to_dict()
    assert "desa_berbeda" not in set(report.to_frame()["Jenis"])  # the declared desa holds its point

    lat, lon = np.array([r[2] for r in rows]), np.array([r[3] for r in rows])
    declared = pd.Series([r[1] or None for r in rows], dtype=model.STR)
    assert point_desa(lat, lon, desa=tmp_store.read_desa(), declared=declared).tolist() == [A, B, A, A]


@pytest.mark.slow
def test_every_overlap_in_tasikmalaya_gets_the_same_desa(shared_data: Path, tmp_store: Store, tmp_path: Path) -> None:
    source = shared_data / "boundaries" / "desa_32.06.geojson"
    run_import("boundaries", source, store=tmp_store)
    desa = tmp_store.read_desa()
    polygons = np.asarray(desa.geometry.values, dtype=object)
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    pairs = left < right
    overlaps = shapely.intersection(polygons[left[pairs]], polygons[right[pairs]])
    overlaps = overlaps[shapely.area(overlaps) > 0]
    points = shapely.point_on_surface(overlaps)
    lon, lat = shapely.get_x(points), shapely.get_y(points)
    assert len(points) > 700  # the plan measured 769 overlapping pairs in 32.06
    rows = [(f"Pustu Irisan {i}", "", y, x) for i, (y, x) in enumerate(zip(lat, lon, strict=True))]
    run_import("facilities", _pustu_csv(tmp_path / "pustu.csv", rows), store=tmp_store, jenis=model.PUSTU)

    placed = _importer_and_engine(tmp_store).loc[[row[0] for row in rows]]
    helper = pd.Series(point_desa(lat, lon, desa=desa), index=placed.index, dtype=model.STR)
    disagree = placed[placed["importer"].ne(placed["engine"]) | helper.ne(placed["engine"])]
    assert disagree.empty, f"{len(disagree)} of {len(placed)} overlap points disagree:\n{disagree.head(10)}"
