"""Village polygon clean-up: repair invalid polygons, refuse what is not a polygon.

Every accepted geometry leaves as a 2D :class:`shapely.MultiPolygon`. Invalid
polygons (self-intersections, bow-ties, ...) are repaired with
:func:`shapely.make_valid`, keeping only their polygonal parts, and reported as
repaired; null, empty and non-polygonal geometries are reported as rejected.

Before any of that, :func:`check_coordinates` refuses the whole file when it
has more vertices than :data:`~loaders.limits.MAX_VERTICES` or a coordinate
that is not a finite number (NaN, Infinity): such a row cannot be mapped, and
repairing it would silently drop its desa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from loaders.exceptions import InputError
from loaders.import_report import DIPERBAIKI, DITOLAK
from loaders.limits import MAX_VERTICES
from loaders.numbers import angka

_POLYGONAL: Final = frozenset({"Polygon", "MultiPolygon"})
_COORDINATE_BATCH: Final = 10_000
"""Geometries whose coordinates are checked at once (bounds the memory of the check)."""
_MAX_ROWS_LISTED: Final = 5

_TYPE_LABEL: Final = {
    "Point": "titik (Point)",
    "MultiPoint": "titik (MultiPoint)",
    "LineString": "garis (LineString)",
    "MultiLineString": "garis (MultiLineString)",
    "LinearRing": "garis (LinearRing)",
    "GeometryCollection": "kumpulan geometri tanpa poligon (GeometryCollection)",
}


@dataclass(frozen=True)
class GeometryIssue:
    """A repair or a rejection of the geometry at ``position`` (0-based row position)."""

    position: int
    tindakan: str  # ditolak | diperbaiki
    jenis: str
    alasan: str


def check_coordinates(geometries: gpd.GeoSeries, *, berkas: str, max_vertices: int = MAX_VERTICES) -> None:
    """Refuse too many vertices in total, and any coordinate that is not a finite number.

    Parameters
    ----------
    geometries
        The geometries as read (any type, may be null).
    berkas
        File name, for messages.
    max_vertices
        Largest total vertex count accepted.

    Raises
    ------
    InputError
        Naming the limit, or the rows (1-based, file order) with a NaN or
        Infinity coordinate.
    """
    values = np.asarray(geometries.array, dtype=object)
    total = int(shapely.get_num_coordinates(values).sum())
    if total > max_vertices:
        msg = (
            f"Berkas {berkas} berisi {angka(total)} titik sudut (verteks); batasnya {angka(max_vertices)} verteks per "
            "berkas. Sederhanakan geometrinya (QGIS: Vector > Geometry Tools > Simplify, toleransi 0,0001 derajat "
            "atau sekitar 10 m) atau kirim per provinsi/kabupaten, lalu ulangi."
        )
        raise InputError(msg)
    bad: list[tuple[int, str]] = []
    for start in range(0, len(values), _COORDINATE_BATCH):
        coordinates, index = shapely.get_coordinates(values[start : start + _COORDINATE_BATCH], return_index=True)
        finite = np.isfinite(coordinates).all(axis=1)
        if finite.all():
            continue
        for row in np.unique(index[~finite]):
            kind = "NaN" if np.isnan(coordinates[index == row]).any() else "Infinity"
            bad.append((start + int(row) + 1, kind))
    if not bad:
        return
    listed = ", ".join(f"baris {row} ({kind})" for row, kind in bad[:_MAX_ROWS_LISTED])
    more = f" dan {angka(len(bad) - _MAX_ROWS_LISTED)} baris lain" if len(bad) > _MAX_ROWS_LISTED else ""
    msg = (
        f"Berkas {berkas} berisi koordinat yang bukan bilangan terhingga di kolom geometri: {listed}{more}. "
        "Titik seperti itu tidak dapat dipetakan; berkas ditolak seluruhnya agar tidak ada desa yang hilang "
        "tanpa kabar. Perbaiki atau hapus titik itu (QGIS: Vector > Geometry Tools > Check Validity, atau "
        "edit simpulnya) lalu ekspor ulang."
    )
    raise InputError(msg)


def clean_geometries(geometries: gpd.GeoSeries) -> tuple[list[MultiPolygon | None], tuple[GeometryIssue, ...]]:
    """Return one MultiPolygon (or None when rejected) per input geometry, and the issues.

    Parameters
    ----------
    geometries
        The geometries as read (any type, may be null or invalid, 2D or 3D).

    Returns
    -------
    tuple of (list, tuple of GeometryIssue)
        Cleaned geometries in input order (None for rejected rows) and one
        issue per repaired or rejected row.
    """
    values = shapely.force_2d(np.asarray(geometries.array, dtype=object))
    missing = shapely.is_missing(values) | shapely.is_empty(values)
    valid = shapely.is_valid(values)
    cleaned: list[MultiPolygon | None] = []
    issues: list[GeometryIssue] = []
    for position, geom in enumerate(values):
        if missing[position]:
            cleaned.append(None)
            issues.append(_rejected(position, "geometri_kosong", "Geometri kosong: fitur ini tidak punya poligon."))
            continue
        result, issue = _clean_one(position, geom, valid=bool(valid[position]))
        cleaned.append(result)
        if issue is not None:
            issues.append(issue)
    return cleaned, tuple(issues)


def polygonal_types(geometries: gpd.GeoSeries) -> tuple[set[str], set[str]]:
    """Return (polygonal types, other types) present among the non-empty geometries."""
    present = geometries[geometries.notna() & ~geometries.is_empty]
    types = set(present.geom_type.astype(str).unique())
    collections = present[present.geom_type == "GeometryCollection"]
    if any(_polygon_parts(geom) for geom in collections):
        types = (types - {"GeometryCollection"}) | {"Polygon"}
    return types & _POLYGONAL, types - _POLYGONAL


def _clean_one(position: int, geom: BaseGeometry, *, valid: bool) -> tuple[MultiPolygon | None, GeometryIssue | None]:
    kind = geom.geom_type
    if kind in _POLYGONAL and valid:
        return _as_multi(geom), None
    if kind in _POLYGONAL:
        return _repair_invalid(position, geom)
    if kind == "GeometryCollection":
        return _from_collection(position, geom)
    label = _TYPE_LABEL.get(kind, kind)
    return None, _rejected(position, "bukan_poligon", f"Geometri berupa {label}, bukan poligon batas desa.")


def _repair_invalid(position: int, geom: BaseGeometry) -> tuple[MultiPolygon | None, GeometryIssue]:
    reason = shapely.is_valid_reason(geom)
    try:
        repaired = _keep_polygonal(shapely.make_valid(geom))
    except GEOSException as exc:
        alasan = f"Poligon tidak sah ({reason}) dan gagal diperbaiki ({exc}); baris ini tidak diimpor."
        return None, _rejected(position, "geometri_tidak_sah", alasan)
    if repaired is None:
        alasan = f"Poligon tidak sah ({reason}) dan tidak dapat diperbaiki menjadi poligon berluas."
        return None, _rejected(position, "geometri_tidak_sah", alasan)
    alasan = f"Poligon tidak sah ({reason}) diperbaiki otomatis (make_valid); periksa batasnya di peta."
    return repaired, GeometryIssue(position, DIPERBAIKI, "geometri_diperbaiki", alasan)


def _from_collection(position: int, geom: BaseGeometry) -> tuple[MultiPolygon | None, GeometryIssue]:
    try:
        kept = _keep_polygonal(geom)
    except GEOSException:
        kept = None
    if kept is None:
        label = _TYPE_LABEL["GeometryCollection"]
        return None, _rejected(position, "bukan_poligon", f"Geometri berupa {label}, bukan poligon batas desa.")
    alasan = "Geometri berupa GeometryCollection; hanya bagian poligonnya yang dipakai."
    return kept, GeometryIssue(position, DIPERBAIKI, "geometri_diperbaiki", alasan)


def _keep_polygonal(geom: BaseGeometry) -> MultiPolygon | None:
    """Return the polygonal parts of ``geom`` as one valid MultiPolygon, or None if it has no area."""
    parts = _polygon_parts(geom)
    if not parts:
        return None
    merged = shapely.union_all(parts)
    if not merged.is_valid:
        merged = shapely.make_valid(merged)
    polygons = _polygon_parts(merged)
    result = MultiPolygon(polygons) if polygons else None
    if result is None or result.is_empty or result.area <= 0:
        return None
    return result


def _polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if geom.geom_type == "GeometryCollection":
        return [part for sub in geom.geoms for part in _polygon_parts(sub)]
    return []


def _as_multi(geom: BaseGeometry) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def _rejected(position: int, jenis: str, alasan: str) -> GeometryIssue:
    return GeometryIssue(position, DITOLAK, jenis, alasan)
