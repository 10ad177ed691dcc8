"""A deterministic, national-size synthetic dataset for the coverage benchmark.

The dataset is built in memory, directly in the canonical shapes of
:mod:`loaders.model` (same columns, same dtypes; :func:`loaders.model.conform`
is not used because it is slow at millions of rows), vectorised with numpy
and shapely, from one seed.

Layout (full scale, ``scale=1``)
--------------------------------
- 500 kabupaten blocks of 13 x 13 grid cells (0.1 deg x 0.088 deg, about
  11 km x 10 km) laid west to east over lon 95-141, lat -11-6; the last 3 cells
  of each block are dropped, so every kabupaten has 166 desa: **83,000 desa**.
- 14 kecamatan per kabupaten (contiguous runs of 11-12 desa): **7,000 kecamatan**.
- 38 provinces with the real Kemendagri province codes and names, each a
  contiguous run of kabupaten (Aceh in the west, Papua in the east); about
  19 % of the kabupaten of each province are kota (codes 71, 72, ...), whose
  desa are all kelurahan. Codes are ``PP.KK.CC.DDDD`` (DDDD 1xxx = kelurahan,
  2xxx = desa).
- Polygons: the cells of one jittered node grid; each shared edge gets 3-13
  intermediate vertices with a smooth perpendicular meander, so neighbours
  share their borders exactly (no gaps, no overlaps) and each polygon has
  16-56 vertices (about 36 on average). Stored as MultiPolygon, like the store.
- Per kabupaten: 20 puskesmas (one per kecamatan plus 6 extra), 54 pustu in
  distinct desa, 600 posyandu spread unevenly (some desa have none):
  **10,000 puskesmas, 27,000 pustu, 300,000 posyandu**. Every point lies
  inside the desa it was generated in.
- Declared ``kode_desa``: posyandu 90 % right, 1 % a different desa of the
  same kabupaten, 9 % empty (point-in-polygon decides); pustu 92 % declared;
  puskesmas 95 % declared. 0.5 % of posyandu and pustu have no coordinates
  (declared desa only).
- Reports: every posyandu reports every one of the 12 months ending at
  2026-10, month after month (as monthly imports append): **3,600,000 rows**.
  About three quarters of the posyandu open almost every month, the rest
  irregularly; visit counts are zero when the posyandu did not open.
- Working areas: none by default (the engine derives all of them); with
  ``wilayah_kerja=True`` a table desa -> puskesmas of its kecamatan is given
  for 90 % of the kabupaten (the rest is derived).

A ``scale`` below 1 keeps every per-kabupaten figure and takes fewer kabupaten
(and provinces), so ``scale=0.1`` is 50 kabupaten, 8,300 desa, 360,000 reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from loaders import model

if TYPE_CHECKING:
    from geo.engine import Dataset

GENERATOR_VERSION: Final = 1

# National size -----------------------------------------------------------------
KABUPATEN_NASIONAL: Final = 500
PROVINSI_NASIONAL: Final = 38
BLOK: Final = 13  # cells per side of a kabupaten block
DESA_PER_KABUPATEN: Final = BLOK * BLOK - 3  # 166
KECAMATAN_PER_KABUPATEN: Final = 14
PUSKESMAS_PER_KABUPATEN: Final = 20
PUSTU_PER_KABUPATEN: Final = 54
POSYANDU_PER_KABUPATEN: Final = 600
BULAN_TERAKHIR: Final = "2026-10"
JUMLAH_BULAN: Final = 12

# Geometry ----------------------------------------------------------------------
CELL_DX: Final = 0.1  # degrees of longitude
CELL_DY: Final = 0.088  # degrees of latitude
LON_BARAT: Final = 95.0
LAT_UTARA: Final = 6.0
NODE_JITTER: Final = 0.12  # of a cell side
EDGE_VERTICES: Final = (3, 13)  # intermediate vertices per edge, inclusive
MEANDER: Final = (0.05, 0.025, 0.012)  # first harmonic, second harmonic, noise (of edge length)
POINT_MARGIN: Final = 0.22  # bilinear u, v of facility points stay in [margin, 1 - margin]

# Defects and proportions -------------------------------------------------------
POSYANDU_DECLARED: Final = 0.90
POSYANDU_WRONG_DESA: Final = 0.01
PUSTU_DECLARED: Final = 0.92
PUSKESMAS_DECLARED: Final = 0.95
NO_COORDINATES: Final = 0.005
PUSTU_AKTIF: Final = 0.88
POSYANDU_STATUS_AKTIF: Final = 0.97
KELURAHAN_IN_KABUPATEN: Final = 0.08
KOTA_SHARE: Final = 0.19
WORKING_AREA_SHARE: Final = 0.9
SOURCE: Final = "benchmark:sintetis"

PROVINSI: Final[tuple[tuple[str, str], ...]] = (
    ("11", "Aceh"),
    ("12", "Sumatera Utara"),
    ("13", "Sumatera Barat"),
    ("14", "Riau"),
    ("15", "Jambi"),
    ("16", "Sumatera Selatan"),
    ("17", "Bengkulu"),
    ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"),
    ("31", "DKI Jakarta"),
    ("32", "Jawa Barat"),
    ("33", "Jawa Tengah"),
    ("34", "DI Yogyakarta"),
    ("35", "Jawa Timur"),
    ("36", "Banten"),
    ("51", "Bali"),
    ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"),
    ("61", "Kalimantan Barat"),
    ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"),
    ("64", "Kalimantan Timur"),
    ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"),
    ("73", "Sulawesi Selatan"),
    ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"),
    ("81", "Maluku"),
    ("82", "Maluku Utara"),
    ("91", "Papua"),
    ("92", "Papua Barat"),
    ("93", "Papua Selatan"),
    ("94", "Papua Tengah"),
    ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
)

_AWALAN: Final = ("Suka", "Mekar", "Karang", "Sindang", "Cempaka", "Tanjung", "Sumber", "Margo", "Banjar", "Pasir")
_AKHIRAN: Final = ("jaya", "mulya", "sari", "makmur", "rahayu", "asih", "wangi", "mukti", "harja", "laksana")
_BUNGA: Final = ("Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai")
_STRATA: Final = ("pratama", "madya", "purnama", "mandiri")


@dataclass(frozen=True)
class NationalSpec:
    """What to generate: the number of kabupaten, the seed and the working-area choice."""

    kabupaten: int
    seed: int = 2026
    wilayah_kerja: bool = False

    @property
    def provinsi(self) -> int:
        """Number of provinces (38 at full scale, fewer when scaled down)."""
        return max(1, min(PROVINSI_NASIONAL, round(PROVINSI_NASIONAL * self.kabupaten / KABUPATEN_NASIONAL)))

    @property
    def desa(self) -> int:
        """Number of desa polygons."""
        return self.kabupaten * DESA_PER_KABUPATEN

    @property
    def laporan(self) -> int:
        """Number of report rows."""
        return self.kabupaten * POSYANDU_PER_KABUPATEN * JUMLAH_BULAN

    @property
    def key(self) -> str:
        """Folder name of the cached copy (changes with any input of the generator)."""
        wk = "wk" if self.wilayah_kerja else "turunan"
        return f"nasional_v{GENERATOR_VERSION}_kab{self.kabupaten}_seed{self.seed}_{wk}"


def spec_for(scale: float, *, seed: int = 2026, wilayah_kerja: bool = False) -> NationalSpec:
    """Return the spec of ``scale`` times the national size (at least one kabupaten).

    Parameters
    ----------
    scale : float
        Fraction of the national size; 1.0 is 500 kabupaten (83,000 desa).
    seed : int
        Seed of the random generator.
    wilayah_kerja : bool
        Give a working-area table for 90 % of the kabupaten.

    Returns
    -------
    NationalSpec
    """
    if not scale > 0:
        msg = f"scale harus lebih dari 0, bukan {scale}."
        raise ValueError(msg)
    return NationalSpec(kabupaten=max(1, round(KABUPATEN_NASIONAL * scale)), seed=seed, wilayah_kerja=wilayah_kerja)


@dataclass(frozen=True)
class NationalData:
    """The five layers of a dataset, in the canonical shapes of :mod:`loaders.model`."""

    desa: gpd.GeoDataFrame
    fasilitas: gpd.GeoDataFrame
    laporan: pd.DataFrame
    wilayah_kerja: pd.DataFrame
    catatan: pd.DataFrame

    def to_dataset(self) -> Dataset:
        """Return the engine's :class:`geo.engine.Dataset` of these layers."""
        from geo.engine import Dataset

        return Dataset(
            desa=self.desa,
            fasilitas=self.fasilitas,
            laporan=self.laporan,
            wilayah_kerja=self.wilayah_kerja,
            catatan=self.catatan,
        )


# Generation --------------------------------------------------------------------
@dataclass(frozen=True)
class _Layout:
    """Where each desa is: kabupaten, kecamatan, grid cell, and the node grid."""

    nx: int  # cells along x
    ny: int  # cells along y
    kab: np.ndarray  # (desa,) kabupaten index
    kec: np.ndarray  # (desa,) kecamatan index within the kabupaten
    cell_i: np.ndarray  # (desa,) cell column
    cell_j: np.ndarray  # (desa,) cell row (0 = south)
    node_x: np.ndarray  # ((nx+1)*(ny+1),) lon of the jittered nodes
    node_y: np.ndarray


def generate(spec: NationalSpec) -> NationalData:
    """Generate the dataset of ``spec`` (deterministic for a given spec).

    Parameters
    ----------
    spec : NationalSpec
        Size, seed and working-area choice.

    Returns
    -------
    NationalData
        Layers ``desa``, ``fasilitas``, ``laporan``, ``wilayah_kerja`` (empty
        unless ``spec.wilayah_kerja``) and ``catatan`` (empty).
    """
    rng = np.random.default_rng(spec.seed)
    layout = _layout(spec, rng)
    desa = _desa_frame(spec, layout, rng)
    fasilitas, induk = _fasilitas_frame(spec, layout, desa, rng)
    laporan = _laporan_frame(fasilitas, rng)
    wilayah = _wilayah_kerja_frame(spec, desa, induk, rng)
    return NationalData(
        desa=desa,
        fasilitas=fasilitas,
        laporan=laporan,
        wilayah_kerja=wilayah,
        catatan=model.empty(model.LAYER_CATATAN),
    )


def _layout(spec: NationalSpec, rng: np.random.Generator) -> _Layout:
    n = spec.kabupaten
    rows = max(1, min(n, math.ceil(math.sqrt(n * 2.4) / 2.4)))  # blocks per column, about 35 x 15 at full scale
    cols = math.ceil(n / rows)
    slot = np.arange(n)
    bx = slot // rows
    by = np.where(bx % 2 == 0, slot % rows, rows - 1 - slot % rows)  # serpentine: neighbours stay adjacent
    order = np.arange(DESA_PER_KABUPATEN)
    b = order // BLOK
    a = np.where(b % 2 == 0, order % BLOK, BLOK - 1 - order % BLOK)
    flip = rng.random((n, 2)) < 0.5
    a_k = np.where(flip[:, :1], BLOK - 1 - a, a)  # (n, 166)
    b_k = np.where(flip[:, 1:], BLOK - 1 - b, b)
    kec_sizes = [len(c) for c in np.array_split(order, KECAMATAN_PER_KABUPATEN)]
    kec = np.tile(np.repeat(np.arange(KECAMATAN_PER_KABUPATEN), kec_sizes), n)
    nx, ny = cols * BLOK, rows * BLOK
    gi, gj = np.meshgrid(np.arange(nx + 1), np.arange(ny + 1), indexing="ij")
    jitter = rng.uniform(-NODE_JITTER, NODE_JITTER, size=(2, gi.size))
    lat_selatan = LAT_UTARA - ny * CELL_DY
    return _Layout(
        nx=nx,
        ny=ny,
        kab=np.repeat(slot, DESA_PER_KABUPATEN),
        kec=kec,
        cell_i=(bx[:, None] * BLOK + a_k).ravel(),
        cell_j=(by[:, None] * BLOK + b_k).ravel(),
        node_x=LON_BARAT + (gi.ravel() + jitter[0]) * CELL_DX,
        node_y=lat_selatan + (gj.ravel() + jitter[1]) * CELL_DY,
    )


def _node(layout: _Layout, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return i * (layout.ny + 1) + j


def _polygons(layout: _Layout, rng: np.random.Generator) -> np.ndarray:
    """MultiPolygons of the desa cells; neighbours share their meandering edges."""
    nx, ny = layout.nx, layout.ny
    n_nodes = (nx + 1) * (ny + 1)
    # horizontal edge h(i, j): node(i, j) -> node(i+1, j); vertical v(i, j): node(i, j) -> node(i, j+1)
    hi, hj = (g.ravel() for g in np.meshgrid(np.arange(nx), np.arange(ny + 1), indexing="ij"))
    vi, vj = (g.ravel() for g in np.meshgrid(np.arange(nx + 1), np.arange(ny), indexing="ij"))
    start = np.concatenate([_node(layout, hi, hj), _node(layout, vi, vj)])
    end = np.concatenate([_node(layout, hi + 1, hj), _node(layout, vi, vj + 1)])
    counts = rng.integers(EDGE_VERTICES[0], EDGE_VERTICES[1] + 1, size=start.size)
    mid = _edge_vertices(layout, start, end, counts, rng)
    px = np.concatenate([layout.node_x, mid[0]])
    py = np.concatenate([layout.node_y, mid[1]])
    offsets = n_nodes + np.cumsum(counts) - counts  # first intermediate vertex of each edge in (px, py)
    n_h = hi.size

    def h_edge(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return i * (ny + 1) + j

    def v_edge(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return n_h + i * ny + j

    i, j = layout.cell_i, layout.cell_j
    bottom, right = h_edge(i, j), v_edge(i + 1, j)
    top, left = h_edge(i, j + 1), v_edge(i, j)
    one = np.ones_like(i)
    # ring (counter-clockwise): corner, bottom ->, corner, right ^, corner, top <-, corner, left v, closing corner
    seg_start = np.stack(
        [
            _node(layout, i, j),
            offsets[bottom],
            _node(layout, i + 1, j),
            offsets[right],
            _node(layout, i + 1, j + 1),
            offsets[top] + counts[top] - 1,
            _node(layout, i, j + 1),
            offsets[left] + counts[left] - 1,
            _node(layout, i, j),
        ],
        axis=1,
    )
    seg_count = np.stack([one, counts[bottom], one, counts[right], one, counts[top], one, counts[left], one], axis=1)
    seg_step = np.array([1, 1, 1, 1, 1, -1, 1, -1, 1])
    flat_count = seg_count.ravel()
    total = int(flat_count.sum())
    seg_of = np.repeat(np.arange(flat_count.size), flat_count)
    within = np.arange(total) - np.repeat(np.cumsum(flat_count) - flat_count, flat_count)
    index = seg_start.ravel()[seg_of] + within * np.tile(seg_step, i.size)[seg_of]
    ring_of = np.repeat(np.arange(i.size), seg_count.sum(axis=1))
    rings = shapely.linearrings(np.column_stack([px[index], py[index]]), indices=ring_of)
    polygons = shapely.polygons(rings)
    return shapely.multipolygons(polygons, indices=np.arange(i.size))


def _edge_vertices(
    layout: _Layout, start: np.ndarray, end: np.ndarray, counts: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Intermediate vertices of every edge, edge after edge: array (2, counts.sum())."""
    edge = np.repeat(np.arange(start.size), counts)
    k = counts[edge]
    m = np.arange(edge.size) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    t = (m + rng.uniform(-0.25, 0.25, size=edge.size)) / (k + 1)
    s1, s2 = rng.uniform(-1.0, 1.0, size=(2, start.size))
    noise = rng.uniform(-1.0, 1.0, size=edge.size)
    sine = np.sin(np.pi * t)
    offset = MEANDER[0] * s1[edge] * sine + MEANDER[1] * s2[edge] * np.sin(2 * np.pi * t) + MEANDER[2] * noise * sine
    ax, ay = layout.node_x[start][edge], layout.node_y[start][edge]
    dx, dy = layout.node_x[end][edge] - ax, layout.node_y[end][edge] - ay
    return np.stack([ax + t * dx - offset * dy, ay + t * dy + offset * dx])


def _points_in_cells(layout: _Layout, desa_index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(2, n) lon/lat of one random point inside the cell of each given desa."""
    i, j = layout.cell_i[desa_index], layout.cell_j[desa_index]
    corners = [_node(layout, i, j), _node(layout, i + 1, j), _node(layout, i + 1, j + 1), _node(layout, i, j + 1)]
    u, v = rng.uniform(POINT_MARGIN, 1 - POINT_MARGIN, size=(2, desa_index.size))
    weights = [(1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v]
    lon = sum(w * layout.node_x[c] for w, c in zip(weights, corners, strict=True))
    lat = sum(w * layout.node_y[c] for w, c in zip(weights, corners, strict=True))
    return np.stack([lon, lat])


def _text(values: list[str] | np.ndarray) -> pd.arrays.ArrowStringArray:
    return pd.array(np.asarray(values, dtype=object), dtype=model.STR)


def _desa_frame(spec: NationalSpec, layout: _Layout, rng: np.random.Generator) -> gpd.GeoDataFrame:
    n_kab = spec.kabupaten
    prov_of_kab = np.repeat(np.arange(spec.provinsi), [len(c) for c in np.array_split(np.arange(n_kab), spec.provinsi)])
    kab_code, kota = _kabupaten_codes(prov_of_kab)
    prov_code = [PROVINSI[p][0] for p in prov_of_kab]
    kab_full = [f"{p}.{k}" for p, k in zip(prov_code, kab_code, strict=True)]
    kab_name = [
        f"{'Kota' if is_kota else 'Kabupaten'} Sintetis {full}" for full, is_kota in zip(kab_full, kota, strict=True)
    ]
    kab = layout.kab
    kelurahan = kota[kab] | (rng.random(kab.size) < KELURAHAN_IN_KABUPATEN)
    seq = np.tile(np.arange(DESA_PER_KABUPATEN), n_kab)  # position within the kabupaten ...
    kec_first = np.searchsorted(layout.kec[:DESA_PER_KABUPATEN], np.arange(KECAMATAN_PER_KABUPATEN))
    seq = seq - kec_first[layout.kec] + 1  # ... -> position within the kecamatan, from 1
    dddd = np.where(kelurahan, 1000, 2000) + seq
    kec_code = [f"{kab_full[k]}.{c + 1:02d}" for k, c in zip(kab, layout.kec, strict=True)]
    kode = [f"{kc}.{d}" for kc, d in zip(kec_code, dddd, strict=True)]
    names = [f"{_AWALAN[a]}{_AKHIRAN[b]}" for a, b in rng.integers(0, 10, size=(kab.size, 2))]
    kec_names = [
        f"{_AWALAN[(k * 7 + c) % 10]}{_AKHIRAN[(k * 3 + c * 5) % 10]}" for k, c in zip(kab, layout.kec, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "kode_desa": _text(kode),
            "nama_desa": _text(
                [f"{'Kelurahan' if kel else 'Desa'} {nm}" for kel, nm in zip(kelurahan, names, strict=True)]
            ),
            "jenis": _text(np.where(kelurahan, model.KELURAHAN, model.DESA)),
            "kode_kecamatan": _text(kec_code),
            "nama_kecamatan": _text([f"Kecamatan {nm}" for nm in kec_names]),
            "kode_kabupaten": _text(np.asarray(kab_full, dtype=object)[kab]),
            "nama_kabupaten": _text(np.asarray(kab_name, dtype=object)[kab]),
            "kode_provinsi": _text(np.asarray(prov_code, dtype=object)[kab]),
            "nama_provinsi": _text(np.asarray([PROVINSI[p][1] for p in prov_of_kab], dtype=object)[kab]),
            "penduduk": pd.array(rng.integers(800, 12_000, size=kab.size), dtype=model.INT),
            "sistem_kode": _text(np.full(kab.size, model.KEMENDAGRI, dtype=object)),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=_polygons(layout, rng), crs=model.CRS)


def _kabupaten_codes(prov_of_kab: np.ndarray) -> tuple[list[str], np.ndarray]:
    """KK of every kabupaten (01.. for kabupaten, 71.. for kota) and the kota flag."""
    codes: list[str] = []
    kota: list[bool] = []
    for p in np.unique(prov_of_kab):
        m = int((prov_of_kab == p).sum())
        n_kota = round(KOTA_SHARE * m) if m >= 3 else 0
        codes += [f"{x + 1:02d}" for x in range(m - n_kota)] + [f"{71 + x}" for x in range(n_kota)]
        kota += [False] * (m - n_kota) + [True] * n_kota
    return codes, np.asarray(kota, dtype=bool)


@dataclass(frozen=True)
class _Facilities:
    """Generated facilities of one kind before they become frame rows."""

    desa: np.ndarray  # index of the desa the point lies in
    seq: np.ndarray  # number within its kecamatan (puskesmas) or desa (posyandu)


def _allocate(spec: NationalSpec, layout: _Layout, rng: np.random.Generator) -> dict[str, _Facilities]:
    n = spec.kabupaten
    base = np.arange(n)[:, None] * DESA_PER_KABUPATEN
    kec_local = layout.kec[:DESA_PER_KABUPATEN]
    kec_first = np.searchsorted(kec_local, np.arange(KECAMATAN_PER_KABUPATEN))
    kec_size = np.bincount(kec_local, minlength=KECAMATAN_PER_KABUPATEN)
    n_extra = PUSKESMAS_PER_KABUPATEN - KECAMATAN_PER_KABUPATEN
    extra = np.argsort(rng.random((n, KECAMATAN_PER_KABUPATEN)), axis=1)[:, :n_extra]
    pk_kec = np.concatenate([np.tile(np.arange(KECAMATAN_PER_KABUPATEN), (n, 1)), extra], axis=1)
    pk_seq = np.concatenate([np.ones((n, KECAMATAN_PER_KABUPATEN), int), np.full(extra.shape, 2)], axis=1)
    pk_local = kec_first[pk_kec] + (rng.random(pk_kec.shape) * kec_size[pk_kec]).astype(int)
    pustu_local = np.argsort(rng.random((n, DESA_PER_KABUPATEN)), axis=1)[:, :PUSTU_PER_KABUPATEN]
    weight = rng.gamma(1.5, 1.0, size=(n, DESA_PER_KABUPATEN))
    cum = np.cumsum(weight, axis=1)
    cum = (cum / cum[:, -1:] + np.arange(n)[:, None]).ravel()
    draw = np.arange(n).repeat(POSYANDU_PER_KABUPATEN) + rng.random(n * POSYANDU_PER_KABUPATEN)
    py_desa = np.sort(np.minimum(np.searchsorted(cum, draw), n * DESA_PER_KABUPATEN - 1))
    first = np.searchsorted(py_desa, py_desa)
    return {
        model.PUSKESMAS: _Facilities((base + pk_local).ravel(), pk_seq.ravel()),
        model.PUSTU: _Facilities(np.sort((base + pustu_local).ravel()), np.ones(n * PUSTU_PER_KABUPATEN, int)),
        model.POSYANDU: _Facilities(py_desa, np.arange(py_desa.size) - first + 1),
    }


def _fasilitas_frame(
    spec: NationalSpec, layout: _Layout, desa: gpd.GeoDataFrame, rng: np.random.Generator
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The facility layer, and the induk puskesmas (kode, nama) of every desa's kecamatan."""
    alloc = _allocate(spec, layout, rng)
    kode_desa = desa["kode_desa"].to_numpy(dtype=object)
    kode_kec = desa["kode_kecamatan"].to_numpy(dtype=object)
    nama_kec = desa["nama_kecamatan"].to_numpy(dtype=object)
    nama_desa = desa["nama_desa"].to_numpy(dtype=object)
    pk = alloc[model.PUSKESMAS]
    pairs = list(zip(pk.desa, pk.seq, strict=True))
    pk_kode = np.asarray([f"P{kode_kec[d].replace('.', '')}{s:02d}01" for d, s in pairs], dtype=object)
    pk_nama = np.asarray(
        [f"Puskesmas {nama_kec[d].removeprefix('Kecamatan ')}{' II' if s > 1 else ''}" for d, s in pairs],
        dtype=object,
    )
    # induk of each desa: the first puskesmas of its kecamatan
    first_pk = pk.seq == 1
    kec_index = layout.kab * KECAMATAN_PER_KABUPATEN + layout.kec
    induk_of_kec = np.empty(spec.kabupaten * KECAMATAN_PER_KABUPATEN, dtype=np.int64)
    induk_of_kec[kec_index[pk.desa[first_pk]]] = np.flatnonzero(first_pk)
    induk = induk_of_kec[kec_index]  # puskesmas row of each desa
    parts = [
        _puskesmas_part(pk, pk_kode, pk_nama, kode_desa, rng),
        _pustu_part(alloc[model.PUSTU], induk, pk_kode, pk_nama, kode_desa, nama_desa, rng),
        _posyandu_part(alloc[model.POSYANDU], induk, pk_kode, pk_nama, kode_desa, rng),
    ]
    located = np.concatenate([p.pop("_desa") for p in parts])
    columns = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    lon, lat = _points_in_cells(layout, located, rng)
    missing = columns.pop("_tanpa_koordinat")
    n = located.size
    frame = pd.DataFrame(
        {
            "id_fasilitas": _text([f"F{x:07d}" for x in range(1, n + 1)]),
            "jenis": _text(columns["jenis"]),
            "kode": _text(columns["kode"]),
            "nama": _text(columns["nama"]),
            "kode_desa": _text(columns["kode_desa"]),
            "kode_puskesmas": _text(columns["kode_puskesmas"]),
            "nama_puskesmas_induk": _text(columns["nama_puskesmas_induk"]),
            "alamat": _text(np.full(n, None, dtype=object)),
            "lat": pd.array(np.where(missing, np.nan, lat), dtype=model.FLOAT),
            "lon": pd.array(np.where(missing, np.nan, lon), dtype=model.FLOAT),
            "status": _text(columns["status"]),
            "tanggal_aktif": _text(np.full(n, None, dtype=object)),  # undated: the status holds in every month
            "tanggal_nonaktif": _text(np.full(n, None, dtype=object)),
            "strata": _text(columns["strata"]),
            "jumlah_kader": _int_or_na(columns["jumlah_kader"]),
            "perawat": _int_or_na(columns["perawat"]),
            "bidan": _int_or_na(columns["bidan"]),
            "koordinat_ditukar": pd.array(np.zeros(n, dtype=bool), dtype=model.BOOL),
            "berkas_sumber": _text(np.full(n, SOURCE, dtype=object)),
            "baris_sumber": pd.array(np.arange(n) + 2, dtype=model.INT),
            "per": _text(np.full(n, None, dtype=object)),  # no snapshot month (as a store written before them)
        }
    )
    points = shapely.points(lon, lat)
    points[missing] = None
    wilayah = pd.DataFrame({"kode_puskesmas": pk_kode[induk], "nama_puskesmas": pk_nama[induk]})
    return gpd.GeoDataFrame(frame, geometry=points, crs=model.CRS), wilayah


def _int_or_na(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Int64 array from a float array where NaN means missing."""
    return pd.array(values, dtype=model.INT)


def _declared(
    desa_index: np.ndarray, kode_desa: np.ndarray, rng: np.random.Generator, *, share: float, wrong: float = 0.0
) -> np.ndarray:
    """Declared kode_desa: right with ``share``, another desa of the kabupaten with ``wrong``, else None."""
    draw = rng.random(desa_index.size)
    other = (desa_index // DESA_PER_KABUPATEN) * DESA_PER_KABUPATEN + (
        desa_index % DESA_PER_KABUPATEN + rng.integers(1, DESA_PER_KABUPATEN, size=desa_index.size)
    ) % DESA_PER_KABUPATEN
    out = kode_desa[desa_index].copy()
    out[(draw >= share) & (draw < share + wrong)] = kode_desa[other][(draw >= share) & (draw < share + wrong)]
    out[draw >= share + wrong] = None
    return out


def _empty_float(n: int) -> np.ndarray:
    return np.full(n, np.nan)


def _puskesmas_part(
    pk: _Facilities, pk_kode: np.ndarray, pk_nama: np.ndarray, kode_desa: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    n = pk.desa.size
    return {
        "_desa": pk.desa,
        "_tanpa_koordinat": np.zeros(n, dtype=bool),
        "jenis": np.full(n, model.PUSKESMAS, dtype=object),
        "kode": pk_kode,
        "nama": pk_nama,
        "kode_desa": _declared(pk.desa, kode_desa, rng, share=PUSKESMAS_DECLARED),
        "kode_puskesmas": pk_kode,
        "nama_puskesmas_induk": np.full(n, None, dtype=object),
        "status": np.full(n, model.AKTIF, dtype=object),
        "strata": np.full(n, None, dtype=object),
        "jumlah_kader": _empty_float(n),
        "perawat": rng.integers(4, 21, size=n).astype(float),
        "bidan": rng.integers(4, 21, size=n).astype(float),
    }


def _pustu_part(
    pt: _Facilities,
    induk: np.ndarray,
    pk_kode: np.ndarray,
    pk_nama: np.ndarray,
    kode_desa: np.ndarray,
    nama_desa: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    n = pt.desa.size
    declared = _declared(pt.desa, kode_desa, rng, share=PUSTU_DECLARED)
    names = [f"Pustu {nm.split(' ', 1)[1]}" for nm in nama_desa[pt.desa]]
    return {
        "_desa": pt.desa,
        "_tanpa_koordinat": (rng.random(n) < NO_COORDINATES) & (declared != None),  # noqa: E711 (elementwise)
        "jenis": np.full(n, model.PUSTU, dtype=object),
        "kode": np.full(n, None, dtype=object),
        "nama": np.asarray(names, dtype=object),
        "kode_desa": declared,
        "kode_puskesmas": pk_kode[induk[pt.desa]],
        "nama_puskesmas_induk": pk_nama[induk[pt.desa]],
        "status": np.where(rng.random(n) < PUSTU_AKTIF, model.AKTIF, model.TIDAK_AKTIF).astype(object),
        "strata": np.full(n, None, dtype=object),
        "jumlah_kader": _empty_float(n),
        "perawat": rng.choice([0, 1, 1, 2], size=n).astype(float),
        "bidan": rng.choice([0, 1, 1, 1, 2], size=n).astype(float),
    }


def _posyandu_part(
    py: _Facilities,
    induk: np.ndarray,
    pk_kode: np.ndarray,
    pk_nama: np.ndarray,
    kode_desa: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    n = py.desa.size
    declared = _declared(py.desa, kode_desa, rng, share=POSYANDU_DECLARED, wrong=POSYANDU_WRONG_DESA)
    kode = [f"Y{kd.replace('.', '')}{s:03d}" for kd, s in zip(kode_desa[py.desa], py.seq, strict=True)]
    bunga = rng.integers(0, len(_BUNGA), size=n)
    return {
        "_desa": py.desa,
        "_tanpa_koordinat": (rng.random(n) < NO_COORDINATES) & (declared != None),  # noqa: E711 (elementwise)
        "jenis": np.full(n, model.POSYANDU, dtype=object),
        "kode": np.asarray(kode, dtype=object),
        "nama": np.asarray([f"Posyandu {_BUNGA[b]} {s}" for b, s in zip(bunga, py.seq, strict=True)], dtype=object),
        "kode_desa": declared,
        "kode_puskesmas": pk_kode[induk[py.desa]],
        "nama_puskesmas_induk": pk_nama[induk[py.desa]],
        "status": np.where(rng.random(n) < POSYANDU_STATUS_AKTIF, model.AKTIF, model.TIDAK_AKTIF).astype(object),
        "strata": np.asarray(_STRATA, dtype=object)[rng.integers(0, 4, size=n)],
        "jumlah_kader": rng.integers(3, 11, size=n).astype(float),
        "perawat": _empty_float(n),
        "bidan": _empty_float(n),
    }


def months_ending(last: str = BULAN_TERAKHIR, count: int = JUMLAH_BULAN) -> list[str]:
    """The ``count`` months (YYYY-MM) ending at ``last``, oldest first."""
    year, month = (int(x) for x in last.split("-"))
    index = year * 12 + month - 1
    return [f"{(index - k) // 12:04d}-{(index - k) % 12 + 1:02d}" for k in range(count - 1, -1, -1)]


def _laporan_frame(fasilitas: gpd.GeoDataFrame, rng: np.random.Generator) -> pd.DataFrame:
    posyandu = fasilitas[fasilitas["jenis"] == model.POSYANDU]
    codes = pa.array(posyandu["kode"].to_numpy(dtype=object), type=pa.string())
    kader = posyandu["jumlah_kader"].to_numpy(dtype=np.int64)
    n, months = len(posyandu), months_ending()
    regular = rng.random(n) < 0.75
    p_open = np.where(regular, rng.uniform(0.88, 1.0, size=n), rng.uniform(0.3, 0.88, size=n))
    shape = (len(months), n)
    buka = rng.random(shape) < p_open
    lam = {"balita": 35.0, "ibu_hamil": 4.0, "usia_sekolah_remaja": 8.0, "usia_produktif": 15.0, "lansia": 12.0}
    data: dict[str, object] = {
        "kode_posyandu": pd.arrays.ArrowStringArray(codes.take(pa.array(np.tile(np.arange(n), len(months))))),
        "bulan": pd.arrays.ArrowStringArray(pa.array(np.repeat(np.asarray(months, dtype=object), n), type=pa.string())),
        "buka": pd.array(buka.ravel(), dtype=model.BOOL),
        "kader_hadir": pd.array((rng.binomial(kader, 0.8, size=shape) * buka).ravel(), dtype=model.INT),
    }
    for column, mean in lam.items():
        data[column] = pd.array((rng.poisson(mean, size=shape) * buka).ravel(), dtype=model.INT)
    return pd.DataFrame(data)


def _wilayah_kerja_frame(
    spec: NationalSpec, desa: gpd.GeoDataFrame, induk: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    if not spec.wilayah_kerja:
        return model.empty(model.LAYER_WILAYAH_KERJA)
    given_kab = rng.random(spec.kabupaten) < WORKING_AREA_SHARE
    keep = np.repeat(given_kab, DESA_PER_KABUPATEN)
    return pd.DataFrame(
        {
            "kode_desa": desa["kode_desa"].array[keep],
            "kode_puskesmas": _text(induk["kode_puskesmas"].to_numpy()[keep]),
            "nama_puskesmas": _text(induk["nama_puskesmas"].to_numpy()[keep]),
        }
    )


# Subsets and cache -------------------------------------------------------------
def kabupaten_subset(data: NationalData, kode_kabupaten: str) -> NationalData:
    """The data of one kabupaten: its desa, its facilities and their reports.

    A facility belongs to the kabupaten when its declared desa is there or,
    without a declared desa, when its point lies inside the kabupaten.

    Parameters
    ----------
    data : NationalData
        The whole dataset (not modified).
    kode_kabupaten : str
        ``PP.KK``.

    Returns
    -------
    NationalData
    """
    desa = data.desa[data.desa["kode_kabupaten"] == kode_kabupaten].reset_index(drop=True)
    fas = data.fasilitas
    declared_here = fas["kode_desa"].isin(desa["kode_desa"]).to_numpy(dtype=bool)
    area = shapely.union_all(desa.geometry.values)
    shapely.prepare(area)
    lon = fas["lon"].to_numpy(dtype=float, na_value=np.nan)
    lat = fas["lat"].to_numpy(dtype=float, na_value=np.nan)
    inside = shapely.contains_xy(area, lon, lat)
    undeclared = fas["kode_desa"].isna().to_numpy(dtype=bool)
    fasilitas = fas[declared_here | (undeclared & inside)].reset_index(drop=True)
    codes = fasilitas.loc[fasilitas["jenis"] == model.POSYANDU, "kode"]
    laporan = data.laporan[data.laporan["kode_posyandu"].isin(codes)].reset_index(drop=True)
    wilayah = data.wilayah_kerja[data.wilayah_kerja["kode_desa"].isin(desa["kode_desa"])].reset_index(drop=True)
    return NationalData(desa=desa, fasilitas=fasilitas, laporan=laporan, wilayah_kerja=wilayah, catatan=data.catatan)


_FILES: Final = {
    "desa": "desa.parquet",
    "fasilitas": "fasilitas.parquet",
    "laporan": "laporan.parquet",
    "wilayah_kerja": "wilayah_kerja.parquet",
    "catatan": "catatan.parquet",
}


def save(data: NationalData, folder: Path) -> None:
    """Write the five layers as (Geo)Parquet files into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, file in _FILES.items():
        frame = getattr(data, name)
        partial = folder / f".{file}.tmp"
        frame.to_parquet(partial, index=False)
        partial.replace(folder / file)


def load(folder: Path) -> NationalData:
    """Read what :func:`save` wrote, with the canonical dtypes.

    Text columns come back as one Arrow chunk each, like the frames
    ``Store.read_*`` returns (Parquet gives one chunk per row group).
    """
    layers = {
        "desa": (gpd.read_parquet, model.LAYER_DESA),
        "fasilitas": (gpd.read_parquet, model.LAYER_FASILITAS),
        "laporan": (pd.read_parquet, model.LAYER_LAPORAN),
        "wilayah_kerja": (pd.read_parquet, model.LAYER_WILAYAH_KERJA),
        "catatan": (pd.read_parquet, model.LAYER_CATATAN),
    }
    frames = {}
    for name, (reader, layer) in layers.items():
        frame = reader(folder / _FILES[name])
        expected = model.SCHEMAS[layer]
        if (
            list(frame.columns[: len(expected)]) != list(expected)
            or {c: str(frame[c].dtype) for c in expected} != expected
        ):  # a file saved before a column was added to the model: conform fills it
            frame = model.conform(frame, layer)
        frames[name] = _one_chunk(frame)
    return NationalData(**frames)


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every Arrow-backed text column in a single chunk (a new frame)."""
    changes = {}
    for column in frame.columns:
        values = frame[column].array
        if isinstance(values, pd.arrays.ArrowStringArray) and values._pa_array.num_chunks > 1:
            single = pa.chunked_array([values._pa_array.combine_chunks()])
            changes[column] = pd.Series(pd.arrays.ArrowStringArray(single), index=frame.index)
    return frame.assign(**changes) if changes else frame


def is_cached(folder: Path) -> bool:
    """True when ``folder`` holds every file :func:`save` writes."""
    return all((folder / f).is_file() for f in _FILES.values())


def load_or_generate(spec: NationalSpec, *, cache_root: Path | None) -> tuple[NationalData, str]:
    """Return the dataset of ``spec`` from ``cache_root/spec.key`` or generate (and cache) it.

    Returns
    -------
    tuple[NationalData, str]
        The data and where it came from: ``"cache"`` or ``"generated"``.
    """
    if cache_root is None:
        return generate(spec), "generated"
    folder = cache_root / spec.key
    if is_cached(folder):
        return load(folder), "cache"
    data = generate(spec)
    save(data, folder)
    return data, "generated"
