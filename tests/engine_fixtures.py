"""Tiny inline datasets for the coverage-engine tests.

Desa are unit squares on a grid of 0.01 degree (about 1.1 km) near
106 E, 6 S (UTM zone 48S). Grid coordinates are turned into degrees by one
function, so a point on a shared border is exactly on both polygons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from geo.engine import Coverage, Dataset
from geo.rules import Rules
from loaders import model

BASE_LON = 106.0
BASE_LAT = -6.0
STEP = 0.01  # degrees per grid unit


def gx(x: float) -> float:
    """Longitude of grid x."""
    return BASE_LON + x * STEP


def gy(y: float) -> float:
    """Latitude of grid y."""
    return BASE_LAT + y * STEP


def cell(x0: float, x1: float, y0: float = 0.0, y1: float = 1.0) -> BaseGeometry:
    """A rectangle in grid units."""
    return box(gx(x0), gy(y0), gx(x1), gy(y1))


def point(x: float, y: float = 0.5) -> Point:
    """A point in grid units."""
    return Point(gx(x), gy(y))


def desa_layer(rows: Sequence[tuple[str, BaseGeometry]]) -> gpd.GeoDataFrame:
    """Desa from (kode_desa, geometry); names and parent codes are derived from the code."""
    records = []
    for kode, _ in rows:
        kecamatan = model.kode_kecamatan_of(kode)
        kabupaten = model.kode_kabupaten_of(kode)
        records.append(
            {
                "kode_desa": kode,
                "nama_desa": f"Desa {kode[-4:]}",
                "jenis": model.jenis_from_kode(kode),
                "kode_kecamatan": kecamatan,
                "nama_kecamatan": f"Kecamatan {kecamatan}",
                "kode_kabupaten": kabupaten,
                "nama_kabupaten": f"Kabupaten {kabupaten}",
                "kode_provinsi": model.kode_provinsi_of(kode),
                "nama_provinsi": f"Provinsi {model.kode_provinsi_of(kode)}",
            }
        )
    frame = gpd.GeoDataFrame(records, geometry=[g for _, g in rows], crs=model.CRS)
    return model.conform(frame, model.LAYER_DESA)


def facility(
    jenis: str,
    nama: str,
    *,
    at: Point | None = None,
    kode: str | None = None,
    kode_desa: str | None = None,
    status: str = model.AKTIF,
    perawat: int | None = None,
    bidan: int | None = None,
    koordinat_ditukar: bool = False,
) -> dict[str, object]:
    """One facility row (``id_fasilitas`` is set by :func:`facilities_layer`)."""
    return {
        "jenis": jenis,
        "kode": kode,
        "nama": nama,
        "kode_desa": kode_desa,
        "kode_puskesmas": kode if jenis == model.PUSKESMAS else None,
        "status": status,
        "perawat": perawat,
        "bidan": bidan,
        "koordinat_ditukar": koordinat_ditukar,
        "lat": at.y if at is not None else None,
        "lon": at.x if at is not None else None,
        "geometry": at,
    }


def facilities_layer(rows: Iterable[dict[str, object]]) -> gpd.GeoDataFrame:
    """Facilities from :func:`facility` rows, ids F1, F2, ..."""
    records = list(rows)
    if not records:
        return model.empty(model.LAYER_FASILITAS)
    frame = pd.DataFrame(records)
    frame["id_fasilitas"] = [f"F{i + 1}" for i in range(len(frame))]
    geometry = frame.pop("geometry")
    return model.conform(gpd.GeoDataFrame(frame, geometry=list(geometry), crs=model.CRS), model.LAYER_FASILITAS)


def reports(kode: str, buka: dict[str, bool | None]) -> list[dict[str, object]]:
    """Report rows of one posyandu: month -> buka (None: row with empty buka)."""
    return [{"kode_posyandu": kode, "bulan": bulan, "buka": value} for bulan, value in buka.items()]


def months(first: str, count: int) -> list[str]:
    """``count`` consecutive YYYY-MM months from ``first``."""
    year, month = (int(p) for p in first.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def laporan_layer(rows: Iterable[dict[str, object]]) -> pd.DataFrame:
    """Reports from :func:`reports` rows."""
    records = list(rows)
    if not records:
        return model.empty(model.LAYER_LAPORAN)
    frame = pd.DataFrame(records)
    frame["buka"] = frame["buka"].astype("boolean")
    return model.conform(frame, model.LAYER_LAPORAN)


def coverage(
    desa: gpd.GeoDataFrame,
    fasilitas: Iterable[dict[str, object]] = (),
    laporan: Iterable[dict[str, object]] = (),
    *,
    wilayah_kerja: pd.DataFrame | None = None,
    catatan: pd.DataFrame | None = None,
    rules: Rules = Rules(),
) -> Coverage:
    """A :class:`Coverage` of the given inline layers."""
    dataset = Dataset.from_frames(
        desa=desa,
        fasilitas=facilities_layer(fasilitas),
        laporan=laporan_layer(laporan),
        wilayah_kerja=wilayah_kerja,
        catatan=catatan,
    )
    return Coverage(dataset, rules=rules)


def dated(rows: gpd.GeoDataFrame, **columns: Sequence[str | None]) -> gpd.GeoDataFrame:
    """A copy of facility ``rows`` with dating columns set (``per``, ``tanggal_aktif``, ``tanggal_nonaktif``)."""
    return rows.assign(**{name: pd.array(list(values), dtype=model.STR) for name, values in columns.items()})


def with_history(dataset: Dataset, riwayat: gpd.GeoDataFrame) -> Dataset:
    """``dataset`` with ``riwayat_fasilitas`` (earlier snapshots of facility rows) set (a new Dataset)."""
    return dataclasses.replace(dataset, riwayat_fasilitas=model.conform(riwayat, model.LAYER_RIWAYAT_FASILITAS))
