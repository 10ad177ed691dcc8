"""Placing facilities in desa.

Rules (documented for the dinas in the README):

1. A facility whose declared ``kode_desa`` is valid (present in the desa
   layer) counts in that desa (``cara_penempatan = 'deklarasi'``).
2. Without a valid declared code its point decides (``'titik'``): the desa
   whose polygon *covers* the point (a point exactly on a border is in both).
3. A point in two or more polygons (real boundaries overlap slightly, and
   border points touch both) goes to the polygon the point lies *deepest*
   in, i.e. whose boundary is farthest from the point (distances in degrees,
   rounded to 1e-9 degree ~ 0.1 mm so float noise cannot decide); ties go to
   the smallest ``kode_desa``. When the declared desa is among the covering
   polygons it is chosen: a point inside its declared desa never disagrees
   with it.
4. Without a valid code and without a point inside the district:
   ``'tidak_terletak'`` (listed as unplaced, counted nowhere).

Only rows whose ``final`` desa depends on their point must be located to
compute coverage; :func:`place` can defer the others (a valid declared
desa) and :func:`complete` locates them later, for the facilities table and
the data-quality findings.

A point covered by no desa polygon is outside the district
(``di_luar_wilayah``). When the declared desa and the point disagree,
``jarak_deklarasi_m`` holds the distance in metres between the point and the
declared polygon (0 when they agree, NA without a point or a valid code).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.lookup import lookup_positions, map_distinct
from geo.metric import to_metric
from loaders import model
from loaders.exceptions import NoDesaError

DEKLARASI: Final = "deklarasi"
TITIK: Final = "titik"
TIDAK_TERLETAK: Final = "tidak_terletak"
DEPTH_DECIMALS: Final = 9
PLACEMENT_COLUMNS: Final = (
    "kode_desa_lokasi",
    "kode_desa_final",
    "cara_penempatan",
    "jarak_deklarasi_m",
    "di_luar_wilayah",
)


@dataclass(frozen=True)
class Placement:
    """Positions (into the desa layer, -1 for none) of every facility row.

    Attributes
    ----------
    declared, located, final
        Desa position of the valid declared code, of the point, and the one
        the facility counts in.
    has_point
        The row has a usable (non-empty) point.
    pending
        Rows whose point is not located yet (``located`` is -1 there); see
        :func:`place` and :func:`complete`. ``final`` never depends on them.
    """

    declared: np.ndarray
    located: np.ndarray
    final: np.ndarray
    has_point: np.ndarray
    pending: np.ndarray

    @property
    def outside(self) -> np.ndarray:
        """Rows whose point lies in no desa polygon (pending rows excluded)."""
        return self.has_point & (self.located < 0) & ~self.pending


def sorted_desa(desa: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Desa sorted by code (one row per code), without empty geometries: the polygon order the rule needs.

    Both the engine and the facility importer place points in this order, so
    "ties go to the smallest code" means the same to both.

    Raises
    ------
    NoDesaError
        No desa with a code and a geometry.
    """
    geometry = np.asarray(desa.geometry.values, dtype=object)
    keep = desa["kode_desa"].notna().to_numpy() & ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    if not keep.any():
        raise NoDesaError
    codes = pd.Index(desa["kode_desa"])
    if keep.all() and codes.is_monotonic_increasing and codes.is_unique:
        return desa.reset_index(drop=True)  # already in shape (the store writes it sorted): no copy-sort
    usable = desa[keep].drop_duplicates("kode_desa").sort_values("kode_desa", kind="stable")
    return usable.reset_index(drop=True)


def point_codes(points: np.ndarray, desa: gpd.GeoDataFrame, *, declared: pd.Series | None = None) -> np.ndarray:
    """``kode_desa`` of the desa each point is located in by the rule above (None: no point, or in no desa).

    This is the engine's ``kode_desa_lokasi``; the facility importer asks it
    too (ids, ``desa_berbeda``), so both always agree.

    Parameters
    ----------
    points
        Shapely points (missing or empty ones get None).
    desa
        Desa layer, in any order (:func:`sorted_desa` orders it).
    declared
        Per point, the declared ``kode_desa`` (chosen whenever its polygon covers the point), or None.
    """
    result = np.full(len(points), None, dtype=object)
    try:
        ordered = sorted_desa(desa)
    except NoDesaError:
        return result
    codes = ordered["kode_desa"].to_numpy(dtype=object)
    preferred = None if declared is None else declared_positions(declared.reset_index(drop=True), pd.Index(codes))
    located = locate_points(points, np.asarray(ordered.geometry.values, dtype=object), preferred=preferred)
    found = located >= 0
    result[found] = codes[located[found]]
    return result


def declared_positions(kode_desa: pd.Series, desa_index: pd.Index) -> np.ndarray:
    """Position in ``desa_index`` of each declared code, -1 when invalid or missing.

    One Arrow lookup; a value not found as written is normalised first
    (``3206012001`` -> ``32.06.01.2001``), once per distinct value.
    """
    out = lookup_positions(kode_desa, desa_index).astype("int64")
    misses = np.flatnonzero((out < 0) & kode_desa.notna().to_numpy())
    if misses.size:
        retry = map_distinct(kode_desa.iloc[misses], model.normalise_kode_desa, dtype=model.STR)
        out[misses] = lookup_positions(retry, desa_index)
    return out


def locate_points(
    points: np.ndarray,
    polygons: np.ndarray,
    *,
    preferred: np.ndarray | None = None,
    usable: bool = False,
) -> np.ndarray:
    """Return for each point the position of the polygon it is located in (-1: none).

    One bulk spatial join: an STRtree over the points queried with every
    polygon, ``predicate="intersects"`` (covers, so border points hit both
    sides). Querying with the polygons lets GEOS prepare each polygon once,
    which is several times faster than querying a polygon tree point by
    point. Points with several hits are settled by the rule in the module
    docstring, vectorised over the (few) multi-hit pairs.

    Parameters
    ----------
    points
        Shapely points (missing or empty ones get -1).
    polygons
        Desa polygons ordered by ``kode_desa`` (a smaller position is a smaller code).
    preferred
        Per point, a polygon position chosen whenever it covers the point
        (the declared desa), or -1.
    usable
        The caller guarantees every point is present and non-empty (skips the check).
    """
    geoms = np.asarray(points, dtype=object)
    result = np.full(len(geoms), -1, dtype="int64")
    if usable:
        present = np.arange(len(geoms))
    else:
        present = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if present.size == 0 or len(polygons) == 0:
        return result
    hit_poly, hit_pt = shapely.STRtree(geoms[present]).query(polygons, predicate="intersects")
    hit_pt = present[hit_pt]
    hits = np.bincount(hit_pt, minlength=len(geoms))
    single = hits[hit_pt] == 1
    result[hit_pt[single]] = hit_poly[single]
    multi_pt, multi_poly = hit_pt[~single], hit_poly[~single]
    if multi_pt.size:
        chosen_pt, chosen_poly = _choose(geoms, polygons, multi_pt, multi_poly, preferred)
        result[chosen_pt] = chosen_poly
    return result


def _choose(
    geoms: np.ndarray,
    polygons: np.ndarray,
    pts: np.ndarray,
    polys: np.ndarray,
    preferred: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """For multi-hit pairs, pick per point: declared first, then deepest, then smallest position."""
    unique_polys, inverse = np.unique(polys, return_inverse=True)
    boundaries = shapely.boundary(polygons[unique_polys])[inverse]
    depth = np.round(shapely.distance(geoms[pts], boundaries), DEPTH_DECIMALS)
    not_preferred = np.ones(len(pts), dtype=bool) if preferred is None else preferred[pts] != polys
    order = np.lexsort((polys, -depth, not_preferred, pts))
    sorted_pts = pts[order]
    first = np.flatnonzero(np.r_[True, sorted_pts[1:] != sorted_pts[:-1]])
    return sorted_pts[first], polys[order][first]


def place(
    fasilitas: gpd.GeoDataFrame,
    desa_index: pd.Index,
    polygons: np.ndarray,
    *,
    defer: np.ndarray | None = None,
) -> Placement:
    """Place every facility row (see the module docstring).

    Parameters
    ----------
    fasilitas
        Model layer ``fasilitas``.
    desa_index
        ``kode_desa`` of the desa layer, sorted ascending (positions = polygons).
    polygons
        Desa polygons in that order.
    defer
        Rows whose point may be located later (:func:`complete`); only rows
        with a valid declared desa are deferred, since their ``final`` desa
        is the declared one whatever the point says.
    """
    points = np.asarray(fasilitas.geometry.values, dtype=object)
    has_point = ~(shapely.is_missing(points) | shapely.is_empty(points))
    declared = declared_positions(fasilitas["kode_desa"], desa_index)
    pending = has_point & (declared >= 0)
    pending &= defer if defer is not None else np.zeros(len(points), dtype=bool)
    now = np.flatnonzero(has_point & ~pending)
    located = np.full(len(points), -1, dtype="int64")
    located[now] = locate_points(points[now], polygons, preferred=declared[now], usable=True)
    final = np.where(declared >= 0, declared, located)
    return Placement(declared=declared, located=located, final=final, has_point=has_point, pending=pending)


def complete(placement: Placement, points: np.ndarray, polygons: np.ndarray) -> Placement:
    """``placement`` with its pending points located too (one more bulk join over those points)."""
    if not placement.pending.any():
        return placement
    rows = np.flatnonzero(placement.pending)
    located = placement.located.copy()
    located[rows] = locate_points(
        np.asarray(points, dtype=object)[rows], polygons, preferred=placement.declared[rows], usable=True
    )
    return dataclasses.replace(placement, located=located, pending=np.zeros_like(placement.pending))


def declared_distance(points: np.ndarray, polygons: np.ndarray, placement: Placement, *, crs: pyproj.CRS) -> np.ndarray:
    """Metres between each facility point and its declared polygon; 0 when inside it, NaN when undefined.

    The closest point of the polygon is found in degrees (``shortest_line``)
    and only the two ends are projected: no polygon is reprojected. Near the
    equator the closest point in degrees is the closest in metres to well
    under 1 % of the distance.
    """
    declared, located = placement.declared, placement.located
    points = np.asarray(points, dtype=object)
    distance = np.full(len(points), np.nan)
    defined = placement.has_point & (declared >= 0)
    distance[defined] = 0.0
    differ = np.flatnonzero(defined & (located != declared))
    if differ.size == 0:
        return distance
    lines = shapely.shortest_line(points[differ], polygons[declared[differ]])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    x0, y0 = to_metric(ends[:, 0, 0], ends[:, 0, 1], crs)
    x1, y1 = to_metric(ends[:, 1, 0], ends[:, 1, 1], crs)
    distance[differ] = np.hypot(x1 - x0, y1 - y0)
    return distance


def placement_columns(placement: Placement, desa_index: pd.Index, distance_m: np.ndarray) -> pd.DataFrame:
    """The five public columns :class:`~geo.engine.Coverage` adds to ``facilities``.

    ``distance_m`` comes from :func:`declared_distance`.
    """
    codes = pd.array(np.asarray(desa_index, dtype=object), dtype=model.STR)
    labels = pd.array([DEKLARASI, TITIK, TIDAK_TERLETAK], dtype=model.STR)
    cara = np.where(placement.declared >= 0, 0, np.where(placement.located >= 0, 1, 2))
    return pd.DataFrame(
        {
            "kode_desa_lokasi": codes.take(placement.located, allow_fill=True),
            "kode_desa_final": codes.take(placement.final, allow_fill=True),
            "cara_penempatan": labels.take(cara),
            "jarak_deklarasi_m": pd.array(distance_m, dtype=model.FLOAT),
            "di_luar_wilayah": placement.outside,
        }
    )
