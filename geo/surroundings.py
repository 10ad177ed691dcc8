"""What lies around one desa: the nearest active pustu the engine measured to, and the desa touching it.

Both are read from the public interface of :class:`geo.engine.Coverage`, so they follow
the engine's own rules without repeating them:

* :func:`nearest_pustu`: the distance is the engine's ``jarak_pustu_km`` of the month
  (``Coverage.desa_table``). The engine measures from the desa's point on its surface to the
  metric point of each counted active pustu (its own point when it lies inside the
  district, else the point of the desa it counts in) and keeps the shortest distance; the
  pustu found here is the pustu row whose distance, measured the same way, equals that
  distance. Which pustu are active in a month is the engine's judgement: the row is only
  looked up by its distance, never judged again.
* :func:`touching_desa`: the desa whose polygons touch or overlap the desa's polygon (real
  boundaries overlap slightly along shared borders, so ``intersects``, not ``touches``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import shapely

from geo.metric import metric_crs, point_xy, to_metric
from loaders import model

if TYPE_CHECKING:
    from geo.engine import Coverage

MATCH_TOLERANCE_M: Final = 0.5  # a pustu row is the engine's nearest when its distance is this close to it


@dataclass(frozen=True)
class NearestPustu:
    """The nearest active pustu of a desa in a month, as the engine measured it.

    ``desa_lon``/``desa_lat``: the desa's point the distance is measured from.
    ``nama``, ``kode`` (None when the pustu has none), ``kode_desa`` (the desa it counts in),
    ``lon``/``lat`` (the point the engine measured to): None when no pustu row of
    ``Coverage.facilities`` lies at the engine's distance (the distance still holds).
    """

    jarak_km: float
    desa_lon: float
    desa_lat: float
    nama: str | None
    kode: str | None
    kode_desa: str | None
    lon: float | None
    lat: float | None

    @property
    def found(self) -> bool:
        """The pustu row the distance leads to is known (a point to draw)."""
        return self.lon is not None and self.lat is not None


def _text(value: object) -> str | None:
    return None if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(value)


def nearest_pustu(cov: Coverage, kode_desa: str, month: str) -> NearestPustu | None:
    """The active pustu nearest to desa ``kode_desa`` in ``month`` (``YYYY-MM``), the one the engine measured to.

    Returns None when the desa is unknown or the engine found no active pustu (``jarak_pustu_km`` NaN).
    Ties (two pustu at the same distance) go to the counted, active row first, then to the first row.
    """
    table = cov.desa_table(month, kode_desa=[kode_desa])
    if table.empty or pd.isna(table["jarak_pustu_km"].iloc[0]):
        return None
    jarak_km = float(table["jarak_pustu_km"].iloc[0])
    geometries = cov.desa_geometries()
    codes = geometries["kode_desa"].astype("object").to_numpy()
    polygons = np.asarray(geometries.geometry.values, dtype=object)
    crs = metric_crs(geometries.total_bounds)
    position = {str(k): i for i, k in enumerate(codes)}
    here = shapely.point_on_surface(polygons[position[kode_desa]])
    desa_lon, desa_lat = float(here.x), float(here.y)
    absent = NearestPustu(jarak_km, desa_lon, desa_lat, None, None, None, None, None)

    facilities = cov.facilities
    pustu = facilities[facilities["jenis"].astype("object").eq(model.PUSTU).to_numpy(dtype=bool, na_value=False)]
    if pustu.empty:
        return absent
    # Where the engine puts each pustu: its own point when located inside the district, else its desa's point.
    lon, lat = point_xy(np.asarray(pustu.geometry.values, dtype=object))
    located = pustu["kode_desa_lokasi"].notna().to_numpy(dtype=bool) & np.isfinite(lon) & np.isfinite(lat)
    final = pustu["kode_desa_final"].astype("object")
    by_desa = np.flatnonzero(~located & final.notna().to_numpy(dtype=bool))
    lon, lat = np.where(located, lon, np.nan), np.where(located, lat, np.nan)
    if by_desa.size:
        points = shapely.point_on_surface(polygons[[position[str(final.iloc[i])] for i in by_desa]])
        lon[by_desa], lat[by_desa] = point_xy(points)
    x, y = to_metric(lon, lat, crs)
    x0, y0 = to_metric(np.array([desa_lon]), np.array([desa_lat]), crs)
    gap = np.abs(np.hypot(x - x0[0], y - y0[0]) - jarak_km * 1000.0)
    matching = np.flatnonzero(gap <= MATCH_TOLERANCE_M)
    if matching.size == 0:
        return absent
    counted = pustu["dihitung"].to_numpy(dtype=bool, na_value=False)
    active = pustu["aktif"].astype("boolean").to_numpy(dtype=bool, na_value=False)
    best = min(matching, key=lambda i: (not counted[i], not active[i], gap[i], i))
    row = pustu.iloc[best]
    return NearestPustu(
        jarak_km=jarak_km,
        desa_lon=desa_lon,
        desa_lat=desa_lat,
        nama=_text(row["nama"]),
        kode=_text(row["kode"]) if "kode" in pustu.columns else None,
        kode_desa=_text(row["kode_desa_final"]),
        lon=float(lon[best]),
        lat=float(lat[best]),
    )


def touching_desa(cov: Coverage, kode_desa: str) -> list[str]:
    """kode_desa of the desa whose polygons touch or overlap that of ``kode_desa`` (itself excluded), sorted.

    An unknown ``kode_desa`` has no neighbours (an empty list).
    """
    geometries = cov.desa_geometries()
    codes = geometries["kode_desa"].astype("object").to_numpy()
    polygons = np.asarray(geometries.geometry.values, dtype=object)
    chosen = np.flatnonzero(codes == kode_desa)
    if chosen.size == 0 or polygons[chosen[0]] is None:
        return []
    polygon = polygons[chosen[0]]
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    bounds = shapely.bounds(polygons)
    near = np.flatnonzero(
        (bounds[:, 0] <= maxx) & (bounds[:, 2] >= minx) & (bounds[:, 1] <= maxy) & (bounds[:, 3] >= miny)
    )
    near = near[near != chosen[0]]
    touching = near[shapely.intersects(polygons[near], polygon)]
    return sorted(str(codes[i]) for i in touching)
