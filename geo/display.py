"""Polygons prepared for the map at every scale (issue 9): pure geometry, no streamlit.

* :func:`simplify_coverage` simplifies a polygon coverage for display without opening
  gaps or overlaps between neighbours (``shapely.coverage_simplify``, in metres).
* :func:`dissolve_units` dissolves the desa into the provinsi, kabupaten/kota or
  kecamatan of :data:`geo.levels.UNIT_LEVELS`.
* :func:`label_points` gives one point inside each polygon for its name label.
* :func:`encode_geometry` / :func:`decode_geometry` are the compact wire format of the
  polygons sent to the browser (quantised, delta-encoded integers).

Every input is EPSG:4326 (longitude, latitude); a GeoSeries without a CRS is read
as such. Inputs are never modified.

Dissolving real boundaries
--------------------------
The real desa boundaries are not a clean coverage: neighbours overlap slightly and
leave thin gaps (the source simplified each desa on its own; 21 % of the edges of
Jawa Barat match no neighbour's edge), so ``shapely.coverage_union_all`` refuses
almost every unit ("incorrectly noded"), and a plain ``shapely.union_all`` per unit
leaves thousands of sliver holes (Jawa Barat: 33,684 holes in 27 kabupaten/kota) and
took ~58 s for the 511 kabupaten/kota of Indonesia (90 s for its 38 provinsi).
:func:`dissolve_units` therefore first tries the coverage union of each unit (fast
for a clean coverage; its result must also be valid), and unites the other units'
desa pairwise, round after round, all units at once (``shapely.union`` on arrays):
the members of a unit in Hilbert-curve order so each pair is a pair of neighbours,
and the holes smaller than :data:`SLIVER_HOLE_M2` filled after every round so the
slivers never pile up in the larger polygons of the next round. A provinsi is united
from its kabupaten/kota polygons. The pairs of a round are split between
:data:`UNION_THREADS` threads. Measured on a 2-core machine busy with other work
(load 4 to 7): Jawa Barat (5,957 desa) to kabupaten/kota 2.4 s; Indonesia (82,802
desa) to 511 kabupaten/kota 40 s of CPU (55 to 72 s wall), to 38 provinsi 47 to 51 s
of CPU, to 7,208 kecamatan 32 s of CPU; run once per data version.
"""

from __future__ import annotations

import functools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.errors import GEOSException

from geo import levels
from geo.metric import WGS84, metric_crs
from loaders.exceptions import EngineError

# Holes smaller than this (square metres) in a dissolved unit are gaps between desa,
# not real enclaves or lakes, and are filled. Real boundaries: the gaps between the
# desa of Indonesia are below ~12,000 m2 for 99.9 % of them; the smallest desa of
# the national file covers ~190,000 m2, so no enclave made of whole desa is filled.
SLIVER_HOLE_M2: Final = 100_000.0
# Metres per degree of latitude (and of longitude at the equator), for the hole areas.
METRES_PER_DEGREE: Final = 111_320.0
# Grid (degrees, ~1 cm) of the snap-rounding union used only when a plain union fails.
ROBUST_UNION_GRID_DEG: Final = 1e-7
# A provinsi is united from its kabupaten/kota, themselves united from the desa (the last
# rounds then merge 511 compact polygons, not ever larger patchworks of desa).
# Kabupaten are united from the desa directly (through the kecamatan it was not faster).
_STAGED_VIA: Final[dict[str, str]] = {levels.PROVINSI: levels.KABUPATEN}
# Threads uniting the pairs of a round (GEOS runs without the GIL): the dissolve runs once
# per data version and takes tens of seconds for all of Indonesia on one core.
UNION_THREADS: Final = 2
# Below this many pairs in a round, one thread (the split costs more than it saves).
UNION_THREADED_MIN_PAIRS: Final = 64
# Largest integer a JavaScript number holds exactly (Number.MAX_SAFE_INTEGER).
JS_MAX_SAFE_INTEGER: Final = 2**53 - 1

_POLYGON: Final = 3
_MULTIPOLYGON: Final = 6
_COLLECTION: Final = 7
_POLYGONAL: Final = (_POLYGON, _MULTIPOLYGON)


# Input checks and polygonal parts ---------------------------------------------------


def _check_series(geometry: object, *, what: str) -> gpd.GeoSeries:
    if not isinstance(geometry, gpd.GeoSeries):
        msg = f"{what}: masukan harus GeoSeries (kolom geometry), bukan {type(geometry).__name__}."
        raise EngineError(msg)
    return geometry


def _check_lonlat(crs: pyproj.CRS | None, *, what: str) -> None:
    if crs is not None and not pyproj.CRS.from_user_input(crs).equals(pyproj.CRS.from_user_input(WGS84)):
        msg = (
            f"{what}: geometri harus dalam bujur/lintang EPSG:4326, bukan {crs.to_string()}. "
            "Ubah dulu sistem koordinatnya ke EPSG:4326."
        )
        raise EngineError(msg)


def _polygonal(geometry: gpd.GeoSeries, *, what: str) -> tuple[np.ndarray, np.ndarray]:
    """The geometries as a new object array, GeometryCollections reduced to their polygonal parts.

    Returns the array and the mask of the usable (not missing, not empty) entries.
    Raises EngineError naming the first row whose geometry is neither polygonal nor a collection.
    """
    values = np.array(geometry.array, dtype=object, copy=True)
    type_id = shapely.get_type_id(values)
    bad = (type_id >= 0) & ~np.isin(type_id, (*_POLYGONAL, _COLLECTION))
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        name = values[position].geom_type
        msg = (
            f"{what}: geometri pada indeks {geometry.index[position]!r} adalah {name}, bukan "
            "Polygon/MultiPolygon. Batas wilayah harus berupa poligon; perbaiki atau hapus baris itu."
        )
        raise EngineError(msg)
    for position in np.flatnonzero(type_id == _COLLECTION):
        values[position] = _collection_polygons(values[position])
    usable = ~(shapely.is_missing(values) | shapely.is_empty(values))
    return values, usable


def _collection_polygons(collection: shapely.Geometry) -> shapely.MultiPolygon:
    parts = shapely.get_parts(collection)
    polygons = shapely.get_parts(parts[np.isin(shapely.get_type_id(parts), _POLYGONAL)])
    return shapely.multipolygons(polygons[~shapely.is_empty(polygons)])


# 1. Simplification ------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _to_lonlat(crs: pyproj.CRS) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)


@functools.lru_cache(maxsize=16)
def _to_metric(crs: pyproj.CRS) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WGS84, crs, always_xy=True)


def _transform(values: np.ndarray, transformer: pyproj.Transformer) -> np.ndarray:
    def apply(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(values, apply)


def simplify_coverage(geometry: gpd.GeoSeries, *, tolerance_m: float) -> gpd.GeoSeries:
    """Simplify polygons for display, keeping the borders shared by neighbours shared.

    The polygons are projected to :func:`geo.metric.metric_crs` of their bounds,
    simplified together with ``shapely.coverage_simplify`` (an edge shared by two
    neighbours is simplified once, so they never gap or overlap afterwards) and
    projected back to longitude/latitude. When GEOS refuses the set as a coverage,
    each polygon is simplified on its own (``shapely.simplify``, topology preserved).

    Parameters
    ----------
    geometry
        Polygons in EPSG:4326 (or without CRS). A GeometryCollection keeps only its
        polygonal parts (a MultiPolygon); missing and empty geometries stay as they are.
    tolerance_m
        Simplification tolerance in metres; ``<= 0`` returns an unchanged copy.

    Returns
    -------
    geopandas.GeoSeries
        New series with the same index, name and CRS.

    Raises
    ------
    EngineError
        For a non-GeoSeries, a projected CRS, a non-finite tolerance or a geometry
        that is not polygonal.

    Examples
    --------
    >>> from shapely import box
    >>> series = gpd.GeoSeries([box(108.0, -7.01, 108.01, -7.0), box(108.01, -7.01, 108.02, -7.0)], crs=4326)
    >>> simplify_coverage(series, tolerance_m=50.0).geom_type.tolist()
    ['Polygon', 'Polygon']
    """
    what = "Penyederhanaan batas peta"
    series = _check_series(geometry, what=what)
    if isinstance(tolerance_m, bool) or not isinstance(tolerance_m, (int, float)) or not math.isfinite(tolerance_m):
        msg = f"{what}: toleransi harus angka meter yang terhingga, bukan {tolerance_m!r}."
        raise EngineError(msg)
    if tolerance_m <= 0:
        return series.copy()
    _check_lonlat(series.crs, what=what)
    values, usable = _polygonal(series, what=what)
    if usable.any():
        polygons = values[usable]
        crs = metric_crs(shapely.total_bounds(polygons))
        metric = _transform(polygons, _to_metric(crs))
        try:
            simplified = shapely.coverage_simplify(metric, float(tolerance_m))
        except GEOSException:
            simplified = shapely.simplify(metric, float(tolerance_m), preserve_topology=True)
        values[usable] = _transform(simplified, _to_lonlat(crs))
    return gpd.GeoSeries(values, index=series.index.copy(), crs=series.crs, name=series.name)


# 2. Dissolving desa into units --------------------------------------------------------


def _fill_small_holes(values: np.ndarray, *, min_m2: float) -> np.ndarray:
    """Polygonal geometries without their interior rings smaller than ``min_m2`` (square metres).

    The area of a hole is its area in square degrees times the square metres of a
    square degree at the hole's mid latitude (accurate to a few % at these sizes).
    A part lying inside a filled hole (a speck in a gap) is dropped: the filled hole
    covers it. Geometries with holes come back as MultiPolygons, the others as they are.
    """
    out = np.array(values, dtype=object, copy=True)
    parts, part_index = shapely.get_parts(out, return_index=True)
    with_holes = np.unique(part_index[shapely.get_num_interior_rings(parts) > 0])
    if with_holes.size == 0:
        return out
    parts, part_index = shapely.get_parts(out[with_holes], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
    holes = rings[~exterior]
    bounds = shapely.bounds(holes)
    scale = METRES_PER_DEGREE**2 * np.cos(np.radians((bounds[:, 1] + bounds[:, 3]) / 2.0))
    keep = exterior.copy()
    keep[~exterior] = shapely.area(shapely.polygons(holes)) * scale >= min_m2
    keep_part = np.ones(len(parts), dtype=bool)
    filled = ~keep
    several = np.bincount(part_index, minlength=len(with_holes)) > 1
    if filled.any() and several.any():
        filled_owner = part_index[ring_part[filled]]
        candidates = np.flatnonzero(several[part_index])
        inside, hole = shapely.STRtree(shapely.polygons(rings[filled])).query(
            shapely.point_on_surface(parts[candidates]), predicate="within"
        )
        same = part_index[candidates[inside]] == filled_owner[hole]
        keep_part[candidates[inside[same]]] = False
    keep &= keep_part[ring_part]
    _, compact = np.unique(ring_part[keep], return_inverse=True)
    polygons = shapely.polygons(rings[keep], indices=compact)
    out[with_holes] = shapely.multipolygons(polygons, indices=part_index[keep_part])
    return out


def _union_pairs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Elementwise union, in :data:`UNION_THREADS` threads (shapely releases the GIL) for many pairs.

    The pairs are split where the vertices (the work) are halved, not the pairs.
    """
    workers = min(UNION_THREADS, os.cpu_count() or 1)
    if workers < 2 or len(left) < UNION_THREADED_MIN_PAIRS:
        return _union_chunk(left, right)
    work = np.cumsum(shapely.get_num_coordinates(left) + shapely.get_num_coordinates(right))
    cuts = np.searchsorted(work, work[-1] * np.arange(1, workers) / workers)
    edges = [0, *np.clip(cuts, 1, len(left) - 1).tolist(), len(left)]
    spans = [slice(start, end) for start, end in zip(edges[:-1], edges[1:], strict=True)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        chunks = list(pool.map(lambda span: _union_chunk(left[span], right[span]), spans))
    return np.concatenate(chunks)


def _union_chunk(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    try:
        return shapely.union(left, right)
    except GEOSException:
        merged = np.empty(len(left), dtype=object)
        for position, (a, b) in enumerate(zip(left, right, strict=True)):
            try:
                merged[position] = shapely.union(a, b)
            except GEOSException:
                merged[position] = shapely.union(
                    shapely.make_valid(a), shapely.make_valid(b), grid_size=ROBUST_UNION_GRID_DEG
                )
        return merged


def _pairwise_union(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Union of ``values`` per ``group`` (non-decreasing ints), one geometry per group, in group order.

    Round after round, the 1st and 2nd, 3rd and 4th... member of every group are
    united (all groups in one vectorised call) and the sliver holes filled, until one
    geometry per group is left.
    """
    values = np.array(values, dtype=object, copy=True)
    group = np.asarray(group)
    while True:
        positions = np.arange(len(group))
        starts = np.r_[True, group[1:] != group[:-1]]
        rank = positions - np.maximum.accumulate(np.where(starts, positions, 0))
        left = (rank % 2 == 0) & np.r_[group[1:] == group[:-1], False]
        if not left.any():
            return values
        first = np.flatnonzero(left)
        merged = _union_pairs(values[first], values[first + 1])
        values[first] = _fill_small_holes(_polygonal_parts(merged), min_m2=SLIVER_HOLE_M2)
        survivors = ~np.r_[False, left[:-1]]
        values = values[survivors]
        group = group[survivors]


def _polygonal_parts(values: np.ndarray) -> np.ndarray:
    """Collections (a union can return one with a stray line) reduced to their polygons."""
    collections = np.flatnonzero(shapely.get_type_id(values) == _COLLECTION)
    if collections.size == 0:
        return values
    out = np.array(values, dtype=object, copy=True)
    for position in collections:
        out[position] = _collection_polygons(out[position])
    return out


def _union_groups(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """One united geometry per group id ``0..n_groups-1`` (None where a group has no geometry)."""
    out = np.full(n_groups, None, dtype=object)
    if len(values) == 0:
        return out
    # Members of a group in Hilbert-curve order, so each round unites near neighbours
    # (twice as fast as the code order on the real data: the merged shapes stay compact).
    hilbert = gpd.GeoSeries(values).hilbert_distance().to_numpy()
    order = np.lexsort((hilbert, group))
    values, group = values[order], group[order]
    bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True])
    pending = np.zeros(len(values), dtype=bool)
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        if end - start == 1:
            out[group[start]] = values[start]
            continue
        try:
            united = shapely.coverage_union_all(values[start:end])
        except GEOSException:
            united = None
        if united is not None and shapely.is_valid(united):
            out[group[start]] = united
        else:
            pending[start:end] = True
    if pending.any():
        out[np.unique(group[pending])] = _pairwise_union(values[pending], group[pending])
    present = np.flatnonzero(~shapely.is_missing(out))
    out[present] = _fill_small_holes(_polygonal_parts(out[present]), min_m2=SLIVER_HOLE_M2)
    return out


def _union_staged(values: np.ndarray, group: np.ndarray, n_groups: int, *, stage: np.ndarray | None) -> np.ndarray:
    """Like :func:`_union_groups`, first uniting per (group, ``stage`` key) when ``stage`` is given."""
    if stage is None:
        return _union_groups(values, group, n_groups)
    sub_id, sub_keys = pd.factorize(pd.Series(group).astype(str) + "|" + pd.Series(stage, dtype="string").fillna(""))
    sub_group = np.zeros(len(sub_keys), dtype=np.int64)
    sub_group[sub_id] = group
    sub_geometry = _union_groups(values, sub_id, len(sub_keys))
    present = ~shapely.is_missing(sub_geometry)
    return _union_groups(sub_geometry[present], sub_group[present], n_groups)


def _as_multipolygons(values: np.ndarray) -> np.ndarray:
    out = np.array(values, dtype=object, copy=True)
    single = np.flatnonzero(shapely.get_type_id(out) == _POLYGON)
    if single.size:
        out[single] = shapely.multipolygons(out[single], indices=np.arange(single.size))
    return out


def dissolve_units(desa: gpd.GeoDataFrame, *, level: str) -> gpd.GeoDataFrame:
    """Dissolve the desa into the units of ``level`` (provinsi, kabupaten or kecamatan).

    Each unit is the union of its desa (see the module notes for how the real,
    slightly overlapping boundaries are united quickly); holes smaller than
    :data:`SLIVER_HOLE_M2` (gaps between desa) are filled. Desa whose code of
    ``level`` is missing or blank are left out; desa without geometry still count.

    Parameters
    ----------
    desa
        Desa table (``loaders.model`` desa layer, EPSG:4326): the code and name
        columns of ``level`` and of its parent level, and a polygonal geometry.
    level
        One of :data:`geo.levels.UNIT_LEVELS`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kode``, ``nama``, ``kode_induk`` (code of the parent unit; NA for
        provinsi), ``desa`` (number of desa, int64) and ``geometry`` (MultiPolygon,
        None for a unit none of whose desa has a geometry); one row per unit code,
        sorted by ``kode``, index 0..n-1, the CRS of ``desa``.

    Raises
    ------
    EngineError
        For an unknown level, a missing column, a projected CRS or a non-polygonal geometry.

    Examples
    --------
    >>> from shapely import box
    >>> desa = gpd.GeoDataFrame(
    ...     {"kode_provinsi": ["32", "32"], "nama_provinsi": ["JAWA BARAT"] * 2},
    ...     geometry=[box(108.0, -7.01, 108.01, -7.0), box(108.01, -7.01, 108.02, -7.0)],
    ...     crs=4326,
    ... )
    >>> dissolve_units(desa, level="provinsi")[["kode", "desa"]].values.tolist()
    [['32', 2]]
    """
    what = "Peta per wilayah"
    if level not in levels.UNIT_LEVELS:
        msg = f"{what}: tingkat wilayah {level!r} tidak dikenal; pilih salah satu dari {', '.join(levels.UNIT_LEVELS)}."
        raise EngineError(msg)
    if not isinstance(desa, gpd.GeoDataFrame):
        msg = f"{what}: data desa harus GeoDataFrame, bukan {type(desa).__name__}."
        raise EngineError(msg)
    unit = levels.level(level)
    position = levels.CODES.index(level)
    parent = levels.LEVELS[position - 1] if position > 0 else None
    needed = [unit.kode_column, unit.nama_column] + ([parent.kode_column] if parent else [])
    missing = [column for column in needed if column not in desa.columns]
    if missing:
        msg = f"{what}: kolom {', '.join(missing)} tidak ada di data desa; impor ulang batas desa yang lengkap."
        raise EngineError(msg)
    _check_lonlat(desa.crs, what=what)
    values, usable = _polygonal(desa.geometry, what=what)

    codes = desa[unit.kode_column].astype("string").str.strip()
    has_code = (codes.notna() & (codes != "")).to_numpy(dtype=bool)
    table = pd.DataFrame(
        {
            "kode": codes[has_code].to_numpy(),
            "nama": desa[unit.nama_column].astype("string").to_numpy()[has_code],
            "kode_induk": (
                desa[parent.kode_column].astype("string").str.strip().to_numpy()[has_code]
                if parent
                else pd.array([pd.NA] * int(has_code.sum()), dtype="string")
            ),
        }
    )
    grouped = table.groupby("kode", sort=True)
    result = pd.DataFrame(
        {
            "kode": pd.array(grouped.size().index, dtype="string"),
            "nama": pd.array(grouped["nama"].first().to_numpy(), dtype="string"),
            "kode_induk": pd.array(grouped["kode_induk"].first().to_numpy(), dtype="string"),
            "desa": grouped.size().to_numpy().astype("int64"),
        }
    )
    group_id = pd.Index(result["kode"]).get_indexer(table["kode"])
    with_geometry = usable[has_code]
    via = _STAGED_VIA.get(level)
    stage = None
    if via is not None and levels.level(via).kode_column in desa.columns:
        stage = desa[levels.level(via).kode_column].astype("string").to_numpy()[has_code][with_geometry]
    geometry = _union_staged(values[has_code][with_geometry], group_id[with_geometry], len(result), stage=stage)
    return gpd.GeoDataFrame(result, geometry=_as_multipolygons(geometry), crs=desa.crs)


# 3. Label points ------------------------------------------------------------------------


def label_points(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """One point inside each polygon, for its name label.

    ``shapely.point_on_surface`` of the polygon, or of the largest part of a
    MultiPolygon (a district's main land, not its biggest island's bounding box).

    Parameters
    ----------
    geometry
        Polygons (a GeometryCollection counts by its polygonal parts).

    Returns
    -------
    geopandas.GeoSeries
        Points with the same index, name and CRS; None for a missing or empty geometry.

    Raises
    ------
    EngineError
        For a non-GeoSeries or a geometry that is not polygonal.

    Examples
    --------
    >>> from shapely import box
    >>> label_points(gpd.GeoSeries([box(0, 0, 2, 2)])).iloc[0].wkt
    'POINT (1 1)'
    """
    what = "Titik label peta"
    series = _check_series(geometry, what=what)
    values, usable = _polygonal(series, what=what)
    points = np.full(len(values), None, dtype=object)
    if usable.any():
        parts, owner = shapely.get_parts(values[usable], return_index=True)
        order = np.lexsort((-shapely.area(parts), owner))
        first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
        points[np.flatnonzero(usable)[owner[first]]] = shapely.point_on_surface(parts[first])
    return gpd.GeoSeries(points, index=series.index.copy(), crs=series.crs, name=series.name)


# 4. Wire format -----------------------------------------------------------------------


def encode_geometry(geometry: gpd.GeoSeries, *, decimals: int) -> list[list[list[list[int]]]]:
    """Encode polygons as quantised, delta-encoded integers for the browser.

    The wire format, per geometry: a list of polygons; per polygon a list of rings
    (exterior first, then holes); per ring a flat list ``[x0, y0, dx1, dy1, ...]``:

    * ``x0 = round(lon * 10**decimals)``, ``y0 = round(lat * 10**decimals)`` (i.e.
      ``round(lon / q)`` with ``q = 10**-decimals``, halves to even);
    * ``dxi, dyi``: difference of the rounded integers from the previous kept vertex;
    * consecutive vertices that round to the same integers are dropped; the closing
      vertex is not repeated (the decoder closes the ring);
    * a ring with fewer than 3 distinct points is dropped; a polygon whose exterior
      is dropped is dropped with its holes;
    * a missing or empty geometry gives ``[]``.

    Decoding: ``x = cumulative sum of the x values / 10**decimals`` (same for y).

    Parameters
    ----------
    geometry
        Polygons in EPSG:4326 (or without CRS); a GeometryCollection counts by its polygonal parts.
    decimals
        Decimals kept (``>= 0``), e.g. :attr:`geo.levels.Level.decimals`.

    Returns
    -------
    list
        One ``list[list[list[int]]]`` per geometry, in the series' order.

    Raises
    ------
    EngineError
        For a non-GeoSeries, a projected CRS, bad ``decimals``, a non-polygonal geometry or
        coordinates whose integers exceed what JavaScript holds exactly.

    Examples
    --------
    >>> from shapely import box
    >>> encode_geometry(gpd.GeoSeries([box(0.1, 0.2, 0.3, 0.4)]), decimals=1)
    [[[[3, 2, 0, 2, -2, 0, 0, -2]]]]
    """
    what = "Pengodean batas peta"
    series = _check_series(geometry, what=what)
    scale = _scale(decimals, what=what)
    _check_lonlat(series.crs, what=what)
    values, usable = _polygonal(series, what=what)
    encoded: list[list[list[list[int]]]] = [[] for _ in range(len(values))]
    if not usable.any():
        return encoded
    parts, part_owner = shapely.get_parts(values[usable], return_index=True)
    part_owner = np.flatnonzero(usable)[part_owner]
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    scaled = np.rint(coords * scale)
    if not (np.isfinite(scaled).all() and (np.abs(scaled) <= JS_MAX_SAFE_INTEGER).all()):
        msg = f"{what}: koordinat tidak terhingga atau terlalu besar untuk {decimals} desimal; periksa geometrinya."
        raise EngineError(msg)
    points = scaled.astype(np.int64)

    starts = np.r_[True, ring_of[1:] != ring_of[:-1]]
    kept = starts | np.r_[False, (points[1:] != points[:-1]).any(axis=1)]
    points, ring_of = points[kept], ring_of[kept]
    # The last kept vertex of a ring equals its first (the ring is closed): drop it.
    last = np.r_[ring_of[1:] != ring_of[:-1], True]
    points, ring_of = points[~last], ring_of[~last]

    order = np.lexsort((points[:, 1], points[:, 0], ring_of))
    sorted_points, sorted_rings = points[order], ring_of[order]
    new_point = np.r_[
        True, (sorted_rings[1:] != sorted_rings[:-1]) | (sorted_points[1:] != sorted_points[:-1]).any(axis=1)
    ]
    distinct = np.bincount(sorted_rings[new_point], minlength=len(rings))
    ring_ok = distinct >= 3

    deltas = points.copy()
    deltas[1:] -= points[:-1]
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    deltas[first] = points[first]
    counts = np.bincount(ring_of, minlength=len(rings))
    ends = np.cumsum(counts) * 2
    flat = deltas.ravel().tolist()

    polygon: list[list[int]] | None = None
    for ring_index in range(len(rings)):
        if exterior[ring_index]:
            polygon = None
            if ring_ok[ring_index]:
                polygon = []
                encoded[part_owner[ring_part[ring_index]]].append(polygon)
        if polygon is not None and ring_ok[ring_index]:
            polygon.append(flat[ends[ring_index] - 2 * counts[ring_index] : ends[ring_index]])
    return encoded


def _scale(decimals: int, *, what: str) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or decimals < 0:
        msg = f"{what}: jumlah desimal harus bilangan bulat >= 0, bukan {decimals!r}."
        raise EngineError(msg)
    return 10 ** int(decimals)


def decode_geometry(encoded: list[list[list[int]]], *, decimals: int) -> shapely.MultiPolygon:
    """Decode one geometry of :func:`encode_geometry` (the reference for the browser's decoder).

    Parameters
    ----------
    encoded
        The polygons of one geometry, as :func:`encode_geometry` returns them.
    decimals
        The decimals it was encoded with.

    Returns
    -------
    shapely.MultiPolygon
        The polygons at the rounded coordinates (``MULTIPOLYGON EMPTY`` for ``[]``).

    Raises
    ------
    EngineError
        For a ring that is not a flat list of at least three integer pairs.

    Examples
    --------
    >>> decode_geometry([[[3, 2, 0, 2, -2, 0, 0, -2]]], decimals=1).wkt
    'MULTIPOLYGON (((0.3 0.2, 0.3 0.4, 0.1 0.4, 0.1 0.2, 0.3 0.2)))'
    """
    what = "Penguraian batas peta"
    scale = _scale(decimals, what=what)
    polygons = []
    for polygon in encoded:
        rings = []
        for ring in polygon:
            values = np.asarray(ring)
            if values.ndim != 1 or values.size < 6 or values.size % 2 or values.dtype.kind not in "iu":
                msg = f"{what}: cincin poligon harus daftar bilangan bulat [x0, y0, dx1, dy1, ...] minimal 3 titik."
                raise EngineError(msg)
            rings.append(np.cumsum(values.astype(np.int64).reshape(-1, 2), axis=0) / scale)
        if rings:
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polygons)
