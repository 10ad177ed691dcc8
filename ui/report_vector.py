"""GeoJSON and GeoPackage exports of the desa in view with their status fields (pure: no streamlit here).

One feature per desa of ``request.kode_desa`` (in that order, each code once),
with the engine's fields for ``request.month`` (:meth:`geo.engine.Coverage.desa_table`;
statuses are decided there, never here) and the desa's full-resolution boundary
from the store (no display simplification: a GIS analyst measures on it), in
EPSG:4326. Field names are the engine's column names (:data:`VECTOR_FIELDS`,
stable across languages so a GIS project keeps working); the values that a
person reads are in ``request.lang`` (``status_label``). Written with pyogrio
(GDAL) to a temporary file that is read back as bytes:

* GeoJSON: RFC 7946 (EPSG:4326, counter-clockwise exterior rings), coordinates
  rounded to :data:`GEOJSON_DECIMALS` decimals (about 0.1 m);
* GeoPackage: one layer :data:`GPKG_LAYER`, booleans as GeoPackage booleans.

Every geometry is written as a MultiPolygon (one geometry type per layer).

Names are data, never markup or formulas: a desa called ``=HYPERLINK(...)`` or
``<b>`` is written as that plain text.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo import staffing
from loaders import model
from loaders.exceptions import InputError
from ui.i18n import status_label

if TYPE_CHECKING:
    from ui.exports import ExportRequest

GPKG_LAYER: Final = "desa_ilp"
GEOJSON_LAYER: Final = "desa_ilp"
GEOJSON_DECIMALS: Final = 6
# Engine columns written, in this order, after kode_desa and before the month and status fields.
PLACE_FIELDS: Final = (
    "kode_desa",
    "nama_desa",
    "jenis",
    "kode_kecamatan",
    "nama_kecamatan",
    "kode_kabupaten",
    "nama_kabupaten",
    "kode_provinsi",
    "nama_provinsi",
    "kode_puskesmas",
    "puskesmas",
)
COUNT_FIELDS: Final = (
    "pustu_aktif",
    "pustu_total",
    "pustu_standar",
    "ada_puskesmas",
    "posyandu_total",
    "posyandu_aktif",
    "posyandu_lapor",
    "jarak_pustu_km",
    "ada_data",
    "ada_laporan",
)
# kelas_tenaga: the desa's pustu staffing class (geo.staffing.DESA_CODES: tenaga_lengkap, belum_lengkap, ...)
VECTOR_FIELDS: Final = (*PLACE_FIELDS, "bulan", "status", "status_label", "kelas_tenaga", *COUNT_FIELDS)
# Distance to the nearest active pustu: metres are enough for planning.
DISTANCE_DECIMALS: Final = 3


def desa_rows(request: ExportRequest) -> pd.DataFrame:
    """The engine's desa table for ``request.month`` over ``request.kode_desa``, in that order.

    Each code once (first occurrence kept); index 0..n-1. Shared by the map renderer.

    Raises
    ------
    InputError
        When ``request.kode_desa`` is empty, or names desa the store does not hold
        (the message names up to five of them), or the month is not ``YYYY-MM``.
    """
    codes = list(dict.fromkeys(str(kode) for kode in request.kode_desa))
    if not codes:
        msg = (
            "Tidak ada desa untuk diekspor: tampilan saat ini kosong. "
            "Longgarkan filter (kecamatan, puskesmas, status) lalu ekspor lagi."
        )
        raise InputError(msg)
    table = request.coverage.desa_table(request.month, kode_desa=codes)
    known = pd.Index(table["kode_desa"].astype("string").to_numpy(dtype=object))
    unknown = [kode for kode in codes if kode not in known]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        msg = (
            f"{len(unknown)} kode desa yang diminta untuk ekspor tidak ada di data: {shown}. "
            "Muat ulang halaman atau pilih ulang wilayah lalu ekspor lagi."
        )
        raise InputError(msg)
    return table.iloc[known.get_indexer(codes)].reset_index(drop=True)


def vector_frame(request: ExportRequest) -> gpd.GeoDataFrame:
    """The features of both formats: :data:`VECTOR_FIELDS` + full-resolution geometry (EPSG:4326).

    Raises
    ------
    InputError
        As :func:`desa_rows`.
    """
    rows = desa_rows(request)
    geometries = request.coverage.desa_geometries()
    geometry_of = pd.Series(geometries.geometry.to_numpy(), index=geometries["kode_desa"].astype("string").to_numpy())
    data = pd.DataFrame(
        {field: rows[field].astype("string") for field in PLACE_FIELDS},
    )
    data["bulan"] = pd.array([request.month] * len(rows), dtype="string")
    data["status"] = rows["status"].astype("string")
    data["status_label"] = pd.array(
        [status_label(code, lang=request.lang) for code in rows["status"]],
        dtype="string",
    )
    data["kelas_tenaga"] = staffing.desa_classes(rows).astype("string").to_numpy()
    for field in COUNT_FIELDS:
        values = rows[field]
        if field == "jarak_pustu_km":
            values = values.astype("Float64").round(DISTANCE_DECIMALS)
        elif field.startswith("ada_"):
            values = values.astype("boolean")
        else:
            values = values.astype("Int64")
        data[field] = values.to_numpy()
    geometry = geometry_of.reindex(rows["kode_desa"].astype("string").to_numpy()).to_numpy()
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=model.CRS), crs=model.CRS)


def _written(frame: gpd.GeoDataFrame, *, suffix: str, driver: str, layer: str, **options: object) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ilp-ekspor-") as folder:
        path = Path(folder) / f"{layer}{suffix}"
        pyogrio.write_dataframe(frame, path, layer=layer, driver=driver, promote_to_multi=True, **options)
        return path.read_bytes()


def render_geojson(request: ExportRequest) -> bytes:
    """GeoJSON (RFC 7946, EPSG:4326, 6 decimals) of the desa in view with their status fields.

    Raises
    ------
    InputError
        As :func:`desa_rows`.
    """
    frame = vector_frame(request)
    return _written(
        frame,
        suffix=".geojson",
        driver="GeoJSON",
        layer=GEOJSON_LAYER,
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_DECIMALS), "WRITE_NAME": "NO"},
    )


def render_gpkg(request: ExportRequest) -> bytes:
    """GeoPackage with one layer ``desa_ilp`` (EPSG:4326) of the desa in view with their status fields.

    Raises
    ------
    InputError
        As :func:`desa_rows`.
    """
    frame = vector_frame(request)
    return _written(frame, suffix=".gpkg", driver="GPKG", layer=GPKG_LAYER)
