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

A point covered by no desa polygon is outside the district
(``di_luar_wilayah``). When the declared desa and the point disagree,
``jarak_deklarasi_m`` holds the distance in metres between the point and the
declared polygon (0 when they agree, NA without a point or a valid code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.metric import geometries_to_metric, to_metric
from loaders import model

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
    distance_m
        Distance of the point from the declared polygon (NaN when not defined).
    """

    declared: np.ndarray
    located: np.ndarray
    final: np.ndarray
    has_point: np.ndarray
    distance_m: np.ndarray

    @property
    def outside(self) -> np.ndarray:
        """Rows whose point lies in no desa polygon."""
        return self.has_point & (self.located < 0)


def declared_positions(kode_desa: pd.Series, desa_index: pd.Index) -> np.ndarray:
    """Position in ``desa_index`` of each declared code (normalised), -1 when invalid or missing.

    Codes are normalised once per unique value (``3206012001`` -> ``32.06.01.2001``).
    """
    codes, uniques = pd.factorize(kode_desa, use_na_sentinel=True)
    normalised = pd.Index([model.normalise_kode_desa(v) for v in uniques], dtype="object")
    unique_pos = desa_index.get_indexer(normalised) if len(normalised) else np.empty(0, dtype="intp")
    out = np.full(len(codes), -1, dtype="int64")
    known = codes >= 0
    out[known] = unique_pos[codes[known]]
    return out


def locate_points(
    points: np.ndarray,
    tree: shapely.STRtree,
    polygons: np.ndarray,
    *,
    preferred: np.ndarray | None = None,
) -> np.ndarray:
    """Return for each point the position of the polygon it is located in (-1: none).

    One bulk ``STRtree.query(..., predicate="intersects")`` (covers, so border
    points hit both sides); points with several hits are settled by the rule
    in the module docstring, vectorised over the (few) multi-hit pairs.

    Parameters
    ----------
    points
        Shapely points (missing or empty ones get -1).
    tree, polygons
        STRtree over ``polygons`` (ordered by ``kode_desa``, so a smaller
        position is a smaller code).
    preferred
        Per point, a polygon position chosen whenever it covers the point
        (the declared desa), or -1.
    """
    geoms = np.asarray(points, dtype=object)
    result = np.full(len(geoms), -1, dtype="int64")
    usable = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if usable.size == 0 or len(polygons) == 0:
        return result
    hit_pt, hit_poly = tree.query(geoms[usable], predicate="intersects")
    hit_pt = usable[hit_pt]
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
    tree: shapely.STRtree,
    *,
    crs: pyproj.CRS,
) -> Placement:
    """Place every facility row (see the module docstring).

    Parameters
    ----------
    fasilitas
        Model layer ``fasilitas``.
    desa_index
        ``kode_desa`` of the desa layer, sorted ascending (positions = polygons).
    polygons, tree
        Desa polygons in that order and an STRtree over them.
    crs
        Metric CRS for ``distance_m``.
    """
    points = np.asarray(fasilitas.geometry.values, dtype=object)
    has_point = ~(shapely.is_missing(points) | shapely.is_empty(points))
    declared = declared_positions(fasilitas["kode_desa"], desa_index)
    located = locate_points(points, tree, polygons, preferred=declared)
    final = np.where(declared >= 0, declared, located)
    distance = _declared_distance(points, polygons, declared, located, has_point, crs=crs)
    return Placement(declared=declared, located=located, final=final, has_point=has_point, distance_m=distance)


def _declared_distance(
    points: np.ndarray,
    polygons: np.ndarray,
    declared: np.ndarray,
    located: np.ndarray,
    has_point: np.ndarray,
    *,
    crs: pyproj.CRS,
) -> np.ndarray:
    """Metres between a point and its declared polygon; 0 when inside it, NaN when undefined."""
    distance = np.full(len(points), np.nan)
    defined = has_point & (declared >= 0)
    distance[defined] = 0.0
    differ = np.flatnonzero(defined & (located != declared))
    if differ.size == 0:
        return distance
    unique_polys, inverse = np.unique(declared[differ], return_inverse=True)
    metric_polys = geometries_to_metric(polygons[unique_polys], crs)[inverse]
    x, y = to_metric(shapely.get_x(points[differ]), shapely.get_y(points[differ]), crs)
    distance[differ] = shapely.distance(shapely.points(x, y), metric_polys)
    return distance


def placement_columns(placement: Placement, desa_index: pd.Index) -> pd.DataFrame:
    """The five public columns :class:`~geo.engine.Coverage` adds to ``facilities``."""
    codes = np.asarray(desa_index, dtype=object)

    def _codes(pos: np.ndarray) -> pd.Series:
        values = np.full(len(pos), None, dtype=object)
        values[pos >= 0] = codes[pos[pos >= 0]]
        return pd.Series(values, dtype=model.STR)

    cara = np.where(placement.declared >= 0, DEKLARASI, np.where(placement.located >= 0, TITIK, TIDAK_TERLETAK))
    return pd.DataFrame(
        {
            "kode_desa_lokasi": _codes(placement.located),
            "kode_desa_final": _codes(placement.final),
            "cara_penempatan": pd.Series(cara, dtype=model.STR),
            "jarak_deklarasi_m": pd.Series(placement.distance_m, dtype=model.FLOAT),
            "di_luar_wilayah": pd.Series(placement.outside, dtype=bool),
        }
    )
