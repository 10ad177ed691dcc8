"""What lies around one desa: the nearest active pustu the engine measured to, and the desa touching it.

Both are read from the public interface of :class:`geo.engine.Coverage`, so they follow
the engine's own rules without repeating them:

* :func:`nearest_pustu`: the distance is the engine's ``jarak_pustu_km`` of the month
  (``Coverage.desa_table``). The engine measures from the desa's point on its surface to the
  metric point of each counted active pustu (its own point when it lies inside the
  district, else the point of the desa it counts in) and keeps the shortest distance; the
  pustu found here is the pustu row (current, or of an earlier snapshot: the rows in force in
  an earlier month) whose distance, measured the same way, equals that distance. Which pustu
  are active in a month is the engine's judgement: the row is only looked up by its distance,
  never judged again.
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
    Candidates: every pustu row of ``Coverage.facilities`` at the point the engine measures to, then
    the rows of earlier snapshots (``Dataset.riwayat_fasilitas``: the rows in force in an earlier
    month) at their own point and at their declared desa's point. Ties (two at the same distance) go
    to a counted, active current row first, then to the first row.
    """
    table = cov.desa_table(month, kode_desa=[kode_desa])
    if table.empty or pd.isna(table["jarak_pustu_km"].iloc[0]):
        return None
    jarak_km = float(table["jarak_pustu_km"].iloc[0])
    geometries = cov.desa_geometries()
    codes = geometries["kode_desa"].astype("object").to_numpy()
    polygons = np.asarray(geometries.geometry.values, dtype=object)
    position = {str(k): i for i, k in enumerate(codes)}
    here = shapely.point_on_surface(polygons[position[kode_desa]])
    desa_lon, desa_lat = float(here.x), float(here.y)
    found = _candidates(cov, polygons, position)
    if found.empty:
        return NearestPustu(jarak_km, desa_lon, desa_lat, None, None, None, None, None)
    crs = metric_crs(geometries.total_bounds)
    x, y = to_metric(found["lon"].to_numpy(dtype=float), found["lat"].to_numpy(dtype=float), crs)
    x0, y0 = to_metric(np.array([desa_lon]), np.array([desa_lat]), crs)
    gap = np.abs(np.hypot(x - x0[0], y - y0[0]) - jarak_km * 1000.0)
    matching = np.flatnonzero(gap <= MATCH_TOLERANCE_M)
    if matching.size == 0:
        return NearestPustu(jarak_km, desa_lon, desa_lat, None, None, None, None, None)
    rank = found["rank"].to_numpy(dtype=int)
    best = found.iloc[min(matching, key=lambda i: (rank[i], gap[i], i))]
    return NearestPustu(
        jarak_km=jarak_km,
        desa_lon=desa_lon,
        desa_lat=desa_lat,
        nama=_text(best["nama"]),
        kode=_text(best["kode"]),
        kode_desa=_text(best["kode_desa"]),
        lon=float(best["lon"]),
        lat=float(best["lat"]),
    )


def _candidates(cov: Coverage, polygons: np.ndarray, position: dict[str, int]) -> pd.DataFrame:
    """Every place the engine may have measured a pustu at: ``nama``, ``kode``, ``kode_desa``, ``lon``, ``lat``.

    And ``rank``: 0 a counted active current row, 1 another current row, 2 an earlier snapshot's row.
    """

    def desa_points(kode: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        known = kode.map(lambda k: position.get(str(k), -1) if isinstance(k, str) else -1).to_numpy(dtype=int)
        lon, lat = np.full(len(kode), np.nan), np.full(len(kode), np.nan)
        if (known >= 0).any():
            lon[known >= 0], lat[known >= 0] = point_xy(shapely.point_on_surface(polygons[known[known >= 0]]))
        return lon, lat

    def frame(rows: pd.DataFrame, kode_desa: pd.Series, lon: np.ndarray, lat: np.ndarray, rank: object) -> pd.DataFrame:
        kode = rows["kode"].astype("object") if "kode" in rows.columns else pd.Series(None, index=rows.index)
        return pd.DataFrame(
            {
                "nama": rows["nama"].astype("object").to_numpy(),
                "kode": kode.to_numpy(),
                "kode_desa": kode_desa.astype("object").to_numpy(),
                "lon": lon,
                "lat": lat,
                "rank": rank,
            }
        )

    parts: list[pd.DataFrame] = []
    facilities = cov.facilities
    pustu = facilities[facilities["jenis"].astype("object").eq(model.PUSTU).to_numpy(dtype=bool, na_value=False)]
    if len(pustu):
        # Where the engine puts a current pustu: its own point when located in a desa, else its desa's point.
        lon, lat = point_xy(np.asarray(pustu.geometry.values, dtype=object))
        located = pustu["kode_desa_lokasi"].notna().to_numpy(dtype=bool) & np.isfinite(lon) & np.isfinite(lat)
        final = pustu["kode_desa_final"].astype("object")
        desa_lon, desa_lat = desa_points(final)
        lon, lat = np.where(located, lon, desa_lon), np.where(located, lat, desa_lat)
        counted = pustu["dihitung"].to_numpy(dtype=bool, na_value=False)
        active = pustu["aktif"].astype("boolean").to_numpy(dtype=bool, na_value=False)
        parts.append(frame(pustu, final, lon, lat, np.where(counted & active, 0, 1)))
    history = getattr(cov.dataset, "riwayat_fasilitas", None)
    if history is not None and len(history):
        earlier = history[history["jenis"].astype("object").eq(model.PUSTU).to_numpy(dtype=bool, na_value=False)]
        if len(earlier):
            declared = earlier["kode_desa"].map(model.normalise_kode_desa)
            own_lon, own_lat = point_xy(np.asarray(earlier.geometry.values, dtype=object))
            parts.append(frame(earlier, declared, own_lon, own_lat, 2))
            parts.append(frame(earlier, declared, *desa_points(declared), 2))
    if not parts:
        return pd.DataFrame(columns=["nama", "kode", "kode_desa", "lon", "lat", "rank"])
    out = pd.concat(parts, ignore_index=True)
    usable = np.isfinite(out["lon"].to_numpy(dtype=float)) & np.isfinite(out["lat"].to_numpy(dtype=float))
    return out[usable].reset_index(drop=True)


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
