"""The desa layer of the synthetic demo district (polygons, codes, names, penduduk).

Desa are the clipped Voronoi cells of well-spread seeded points inside an
irregular outline; kecamatan are contiguous groups of desa grown from spread
seeds, each named after its first desa (its *ibu kota*), as is common in
Indonesia. Codes sit under the fictitious province ``99`` "Provinsi Contoh",
kabupaten ``99.01`` "Kabupaten Contoh (sintetis)"; DDDD 1xxx are kelurahan,
2xxx desa, as in Kemendagri codes.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from loaders import demo_geometry as geom
from loaders import model
from loaders.demo_names import place_names

KODE_PROVINSI: Final = "99"
NAMA_PROVINSI: Final = "Provinsi Contoh"
KODE_KABUPATEN: Final = "99.01"
NAMA_KABUPATEN: Final = "Kabupaten Contoh (sintetis)"

JUMLAH_DESA: Final = 200
JUMLAH_KECAMATAN: Final = 15
KELURAHAN_IBU_KOTA: Final = 8  # kelurahan around the district's centre
KECAMATAN_BERKELURAHAN: Final = 3  # other kecamatan whose ibu kota is a kelurahan


def build_desa(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Return the demo desa layer plus a boolean ``ibu_kota`` column (kecamatan seat).

    Rows are sorted by ``kode_desa``; the frame has the model columns of
    ``desa`` (see :data:`loaders.model.SCHEMAS`) and ``ibu_kota``.
    """
    outline = geom.district_outline(rng)
    points = geom.relax(geom.seed_points(outline, rng, count=JUMLAH_DESA), outline)
    cells = geom.voronoi_cells(points, outline)
    centres = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    seeds = geom.farthest_point_seeds(centres, rng, count=JUMLAH_KECAMATAN)
    weights = rng.uniform(0.6, 1.5, size=JUMLAH_KECAMATAN)
    group = geom.grow_groups(centres, geom.adjacency(cells), seeds, weights)
    seeds, group = _number_kecamatan(centres, seeds, group)
    kelurahan = _kelurahan(centres, seeds, group)
    names = place_names(rng, count=JUMLAH_DESA)
    frame = pd.DataFrame(
        {
            "kecamatan_ke": group + 1,
            "kelurahan": kelurahan,
            "ibu_kota": np.isin(np.arange(JUMLAH_DESA), seeds),
            "nama_desa": names,
            "lon": centres[:, 0],
            "lat": centres[:, 1],
        }
    )
    frame["nama_kecamatan"] = frame["kecamatan_ke"].map({k + 1: names[s] for k, s in enumerate(seeds)})
    frame["penduduk"] = _penduduk(rng, kelurahan)
    frame = _codes(frame)
    desa = gpd.GeoDataFrame(frame, geometry=cells, crs=model.CRS)
    desa = desa.sort_values("kode_desa", kind="stable").reset_index(drop=True)
    return model.conform(desa, model.LAYER_DESA).assign(ibu_kota=desa["ibu_kota"].to_numpy())


def _number_kecamatan(centres: np.ndarray, seeds: list[int], group: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Renumber groups north to south (then west to east), as codes are read on a map."""
    means = np.array([centres[group == g].mean(axis=0) for g in range(len(seeds))])
    order = np.lexsort((means[:, 0], -np.round(means[:, 1], 2)))
    rank = np.empty(len(seeds), dtype=int)
    rank[order] = np.arange(len(seeds))
    return [seeds[g] for g in order], rank[group]


def _kelurahan(centres: np.ndarray, seeds: list[int], group: np.ndarray) -> np.ndarray:
    """Urban cells: those nearest the centre in its kecamatan, plus a few kecamatan seats."""
    distance = np.hypot(*(centres - geom.CENTRE).T)
    capital_group = group[int(np.argmin(distance))]
    in_capital = np.flatnonzero(group == capital_group)
    urban = set(in_capital[np.argsort(distance[in_capital])][:KELURAHAN_IBU_KOTA].tolist())
    others = [s for s in seeds if group[s] != capital_group]
    others.sort(key=lambda s: distance[s])
    urban.update(others[:KECAMATAN_BERKELURAHAN])
    return np.isin(np.arange(len(centres)), sorted(urban))


def _penduduk(rng: np.random.Generator, kelurahan: np.ndarray) -> np.ndarray:
    base = rng.lognormal(mean=np.log(3800), sigma=0.45, size=len(kelurahan))
    return np.round(np.where(kelurahan, base * 2.2, base), -1).astype(int)


def _codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add Kemendagri-style codes: kelurahan 1001.., desa 2001.., north to south."""
    out = frame.assign(
        kode_kecamatan=[f"{KODE_KABUPATEN}.{k:02d}" for k in frame["kecamatan_ke"]],
        jenis=np.where(frame["kelurahan"], model.KELURAHAN, model.DESA),
    )
    out = out.sort_values(["kecamatan_ke", "lat", "lon"], ascending=[True, False, True], kind="stable")
    serial = out.groupby(["kecamatan_ke", "kelurahan"]).cumcount() + 1
    first = np.where(out["kelurahan"], 1000, 2000)
    out["kode_desa"] = [f"{k}.{f + s:04d}" for k, f, s in zip(out["kode_kecamatan"], first, serial, strict=True)]
    out = out.sort_index()
    return out.assign(
        kode_kabupaten=KODE_KABUPATEN,
        nama_kabupaten=NAMA_KABUPATEN,
        kode_provinsi=KODE_PROVINSI,
        nama_provinsi=NAMA_PROVINSI,
        sistem_kode=model.KEMENDAGRI,
    )
