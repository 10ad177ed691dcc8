"""Bring user geometries to the store's CRS (EPSG:4326), or say why not.

A file with a CRS is reprojected. A file without one is accepted as
longitude/latitude degrees when its coordinates look like degrees, and refused
when they are clearly projected metres (there is no safe guess of which
projection: UTM 48S, 49S, 50S, TM-3, ...). Coordinates that are still out of
the degree range after reprojection (a wrong CRS label, swapped axes) are
refused too, with what to do in QGIS.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pyproj
from pyproj.exceptions import CRSError, ProjError

from loaders import model
from loaders.exceptions import InputError

_WGS84: Final = pyproj.CRS.from_epsg(4326)
# Generous box around Indonesia (lon min, lat min, lon max, lat max)
INDONESIA_BOUNDS: Final = (90.0, -15.0, 145.0, 10.0)

_SET_CRS_HINT: Final = (
    "Buka berkas itu di QGIS, tetapkan CRS yang benar (klik kanan lapisan > Layer CRS > Set Layer CRS, misalnya "
    "EPSG:32748 WGS 84 / UTM 48S untuk Jawa Barat, atau EPSG:23830 DGN95 / Indonesia TM-3), lalu ekspor ulang; "
    "untuk Shapefile, sertakan berkas .prj di dalam .zip."
)


def to_wgs84(frame: gpd.GeoDataFrame, *, berkas: str) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """Return a copy of ``frame`` in EPSG:4326 and the notes for the import report.

    Parameters
    ----------
    frame
        Geometries as read from the user's file (``frame.crs`` may be None).
    berkas
        File name, for messages.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, tuple of str)
        The frame in EPSG:4326 and Indonesian notes (assumed or converted CRS,
        data outside Indonesia).

    Raises
    ------
    InputError
        No CRS and projected coordinates, a CRS that cannot be converted, or
        coordinates out of the degree range after conversion.
    """
    bounds = _bounds(frame)
    if frame.crs is None:
        out, notes = _assume_degrees(frame, bounds, berkas=berkas)
    elif _is_wgs84(frame.crs):
        out, notes = frame.set_crs(model.CRS, allow_override=True), ()
    else:
        out, notes = _reproject(frame, berkas=berkas)
    out_bounds = _bounds(out)
    _check_degree_range(out_bounds, berkas=berkas)
    return out, notes + _outside_indonesia_note(out_bounds, berkas=berkas)


def _bounds(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Total bounds of the non-empty geometries (NaN when there are none)."""
    present = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if present.empty:
        return np.array([np.nan] * 4)
    return np.asarray(present.total_bounds, dtype=float)


def _is_wgs84(crs: pyproj.CRS) -> bool:
    return crs.equals(_WGS84, ignore_axis_order=True) or crs.to_epsg() == 4326


def _looks_projected(bounds: np.ndarray) -> bool:
    if np.isnan(bounds).any():
        return False
    xs, ys = np.abs(bounds[[0, 2]]), np.abs(bounds[[1, 3]])
    return bool((xs > 180).any() or (ys > 90).any())


def _assume_degrees(
    frame: gpd.GeoDataFrame, bounds: np.ndarray, *, berkas: str
) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    if _looks_projected(bounds):
        msg = (
            f"Berkas {berkas} tidak menyebut sistem koordinat (CRS), dan koordinatnya berupa meter hasil proyeksi "
            f"(x {bounds[0]:.0f} s.d. {bounds[2]:.0f}, y {bounds[1]:.0f} s.d. {bounds[3]:.0f}), bukan derajat bujur/"
            f"lintang, jadi letaknya tidak dapat ditentukan. {_SET_CRS_HINT}"
        )
        raise InputError(msg)
    note = (
        f"Berkas {berkas} tidak menyebut sistem koordinat (CRS); koordinatnya berupa derajat sehingga dianggap "
        "WGS 84 bujur/lintang (EPSG:4326). Periksa letak desa di peta."
    )
    return frame.set_crs(model.CRS), (note,)


def _reproject(frame: gpd.GeoDataFrame, *, berkas: str) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    source = _crs_label(frame.crs)
    try:
        out = frame.to_crs(model.CRS)
    except (CRSError, ProjError, ValueError) as exc:
        msg = f"Sistem koordinat berkas {berkas} ({source}) tidak dapat dikonversi ke EPSG:4326: {exc}. {_SET_CRS_HINT}"
        raise InputError(msg) from exc
    note = f"Koordinat dikonversi dari {source} ke WGS 84 bujur/lintang (EPSG:4326)."
    return out, (note,)


def _crs_label(crs: pyproj.CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def _check_degree_range(bounds: np.ndarray, *, berkas: str) -> None:
    if not _looks_projected(bounds):
        return
    lon_lat_swapped = bool((np.abs(bounds[[0, 2]]) <= 90).all() and (np.abs(bounds[[1, 3]]) <= 180).all())
    if lon_lat_swapped:
        msg = (
            f"Koordinat berkas {berkas} tampaknya tertukar: nilai lintang (y) {bounds[1]:.2f} s.d. {bounds[3]:.2f} "
            "berada di luar -90..90, seperti bujur. Tukar sumbu X dan Y di QGIS (Processing > Swap X and Y "
            "coordinates) lalu ekspor ulang."
        )
    else:
        msg = (
            f"Koordinat berkas {berkas} berada di luar rentang derajat (x {bounds[0]:.0f} s.d. {bounds[2]:.0f}, "
            f"y {bounds[1]:.0f} s.d. {bounds[3]:.0f}) walaupun CRS-nya tertulis derajat; CRS yang tercantum salah. "
            f"{_SET_CRS_HINT}"
        )
    raise InputError(msg)


def _outside_indonesia_note(bounds: np.ndarray, *, berkas: str) -> tuple[str, ...]:
    if np.isnan(bounds).any():
        return ()
    lon_min, lat_min, lon_max, lat_max = INDONESIA_BOUNDS
    inside = bounds[0] >= lon_min and bounds[2] <= lon_max and bounds[1] >= lat_min and bounds[3] <= lat_max
    if inside:
        return ()
    return (
        f"Sebagian geometri berkas {berkas} berada di luar wilayah Indonesia (bujur {bounds[0]:.2f} s.d. "
        f"{bounds[2]:.2f}, lintang {bounds[1]:.2f} s.d. {bounds[3]:.2f}). Periksa CRS berkas sumbernya.",
    )
