"""Puskesmas, pustu and posyandu of the synthetic demo district.

About 20 puskesmas (one per kecamatan, two in the largest, none in one small
kecamatan so working areas must be derived), a pustu in most desa (some
missing, some *tidak aktif*, 0-2 perawat and bidan), and 3-8 posyandu per desa
(a handful of desa have none). Planted defects, as a dinas file would have
them: two posyandu whose lat/lon were swapped (fixed, flagged), two without
coordinates, and one posyandu code entered twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from loaders import model
from loaders.demo_desa import KODE_KABUPATEN
from loaders.demo_geometry import random_point_in
from loaders.demo_names import posyandu_names, street_address

BERKAS: Final = "Data contoh (sintetis)"
JUMLAH_PUSKESMAS: Final = 20
STRATA: Final = ("pratama", "madya", "purnama", "mandiri")
STRATA_P: Final = (0.1, 0.3, 0.4, 0.2)
KADER: Final = {"pratama": (3, 5), "madya": (4, 6), "purnama": (5, 8), "mandiri": (6, 10)}
DESA_TANPA_POSYANDU: Final = 5
KODE_POSYANDU_PREFIX: Final = "PSY-" + KODE_KABUPATEN.replace(".", "") + "-"


@dataclass(frozen=True)
class Defects:
    """Codes of the posyandu that carry a planted defect."""

    ditukar: tuple[str, ...]
    tanpa_koordinat: tuple[str, ...]
    kode_ganda: str


def build_puskesmas(desa: gpd.GeoDataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return the puskesmas rows (model ``fasilitas`` columns, no geometry column yet)."""
    sizes = desa.groupby("kode_kecamatan").size()
    by_size = sizes.sort_values(ascending=True, kind="stable")
    tanpa = str(by_size.index[0])  # the smallest kecamatan has no puskesmas
    extra = JUMLAH_PUSKESMAS - len(sizes) + 1  # kecamatan that get a second puskesmas
    doubles = set(sizes.drop(tanpa).sort_values(ascending=False, kind="stable").index[:extra])
    rows: list[dict[str, object]] = []
    for kode_kec, members in desa.groupby("kode_kecamatan", sort=True):
        if kode_kec == tanpa:
            continue
        hosts = _puskesmas_hosts(members, two=kode_kec in doubles)
        for seq, host in enumerate(hosts, start=1):
            row = members.loc[host]
            nama = row["nama_kecamatan"] if seq == 1 else row["nama_desa"]
            kode = f"P{kode_kec.replace('.', '')}01{seq:02d}"
            rows.append(
                _row(
                    model.PUSKESMAS,
                    kode=kode,
                    nama=f"Puskesmas {nama}",
                    desa_row=row,
                    point=random_point_in(row.geometry, rng, margin=0.003),
                    kode_puskesmas=kode,
                    nama_puskesmas_induk=f"Puskesmas {nama}",
                    alamat=street_address(
                        rng,
                        desa=row["nama_desa"],
                        kecamatan=row["nama_kecamatan"],
                        kelurahan=row["jenis"] == model.KELURAHAN,
                    ),
                )
            )
    return _numbered(rows)


def _puskesmas_hosts(members: gpd.GeoDataFrame, *, two: bool) -> list[int]:
    """The ibu kota desa, and for large kecamatan a second desa well away from it."""
    seat = members.index[members["ibu_kota"]][0]
    if not two:
        return [seat]
    centres = shapely.centroid(members.geometry.to_numpy())
    distance = pd.Series(shapely.distance(centres, members.geometry.loc[seat].centroid), index=members.index)
    distance = distance.sort_values(kind="stable")
    return [seat, distance.index[int(0.75 * (len(distance) - 1))]]


def serving_puskesmas(desa: gpd.GeoDataFrame, puskesmas: pd.DataFrame) -> pd.DataFrame:
    """Which puskesmas serves each desa: the nearest one in its kecamatan, else the nearest at all.

    Returns ``kode_desa``, ``kode_puskesmas``, ``nama_puskesmas`` (used as the
    *induk* of pustu and posyandu; the demo ships no wilayah_kerja table).
    """
    points = np.asarray(puskesmas["geometry"].to_list(), dtype=object)
    kecamatan = puskesmas["kode_desa"].map(model.kode_kecamatan_of)
    rows = []
    for _, row in desa.iterrows():
        same = (kecamatan == row["kode_kecamatan"]).to_numpy()
        candidates = np.flatnonzero(same) if same.any() else np.arange(len(puskesmas))
        distance = shapely.distance(points[candidates], row.geometry.centroid)
        best = puskesmas.iloc[candidates[int(np.argmin(distance))]]
        rows.append({"kode_desa": row["kode_desa"], "kode_puskesmas": best["kode"], "nama_puskesmas": best["nama"]})
    return pd.DataFrame(rows)


def build_pustu(
    desa: gpd.GeoDataFrame, induk: pd.DataFrame, puskesmas: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """One pustu in most desa: fewer in kelurahan and where a puskesmas stands."""
    hosts = set(puskesmas["kode_desa"])
    induk_of = induk.set_index("kode_desa")
    rows: list[dict[str, object]] = []
    for _, row in desa.iterrows():
        chance = 0.12 if row["kode_desa"] in hosts else 0.5 if row["jenis"] == model.KELURAHAN else 0.86
        if rng.random() >= chance:
            continue
        aktif = rng.random() >= 0.08
        perawat = int(rng.choice(3, p=(0.2, 0.6, 0.2))) if aktif else int(rng.integers(0, 2))
        bidan = int(rng.choice(3, p=(0.15, 0.65, 0.2))) if aktif else 0
        rows.append(
            _row(
                model.PUSTU,
                kode=None,
                nama=f"Pustu {row['nama_desa']}",
                desa_row=row,
                point=random_point_in(row.geometry, rng, margin=0.002),
                kode_puskesmas=induk_of.at[row["kode_desa"], "kode_puskesmas"],
                nama_puskesmas_induk=induk_of.at[row["kode_desa"], "nama_puskesmas"],
                status=model.AKTIF if aktif else model.TIDAK_AKTIF,
                perawat=perawat,
                bidan=bidan,
            )
        )
    return _numbered(rows)


def build_posyandu(desa: gpd.GeoDataFrame, induk: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """3-8 posyandu per desa (by penduduk), none in a handful of desa."""
    none = set(rng.choice(desa["kode_desa"].to_numpy(), size=DESA_TANPA_POSYANDU, replace=False).tolist())
    induk_of = induk.set_index("kode_desa")
    rows: list[dict[str, object]] = []
    for _, row in desa.iterrows():
        if row["kode_desa"] in none:
            continue
        count = int(np.clip(round(row["penduduk"] / 800) + rng.integers(-1, 2), 3, 8))
        for nama in posyandu_names(rng, count=count):
            strata = str(rng.choice(STRATA, p=STRATA_P))
            low, high = KADER[strata]
            rows.append(
                _row(
                    model.POSYANDU,
                    kode=f"{KODE_POSYANDU_PREFIX}{len(rows) + 1:05d}",
                    nama=nama,
                    desa_row=row,
                    point=random_point_in(row.geometry, rng, margin=0.001),
                    kode_puskesmas=induk_of.at[row["kode_desa"], "kode_puskesmas"],
                    nama_puskesmas_induk=induk_of.at[row["kode_desa"], "nama_puskesmas"],
                    status=model.AKTIF if rng.random() >= 0.01 else model.TIDAK_AKTIF,
                    strata=strata,
                    jumlah_kader=int(rng.integers(low, high + 1)),
                )
            )
    return _numbered(rows)


def plant_defects(posyandu: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, Defects]:
    """Return a copy of ``posyandu`` with the planted defects, and which codes carry them."""
    picked = rng.choice(len(posyandu), size=5, replace=False)
    swapped, blank, twin = picked[:2], picked[2:4], int(picked[4])
    out = posyandu.copy()
    out.loc[out.index[swapped], "koordinat_ditukar"] = True
    out.loc[out.index[blank], ["lat", "lon"]] = np.nan
    out.loc[out.index[blank], "geometry"] = None
    original = out.iloc[twin]
    duplicate = original.copy()
    shift = rng.uniform(-0.0002, 0.0002, size=2)
    duplicate["lon"], duplicate["lat"] = round(original["lon"] + shift[0], 6), round(original["lat"] + shift[1], 6)
    duplicate["geometry"] = shapely.Point(duplicate["lon"], duplicate["lat"])
    duplicate["nama"] = f"{original['nama']} (entri ganda)"
    out = pd.concat([out, duplicate.to_frame().T], ignore_index=True)
    defects = Defects(
        ditukar=tuple(out.loc[swapped, "kode"]),
        tanpa_koordinat=tuple(out.loc[blank, "kode"]),
        kode_ganda=str(original["kode"]),
    )
    return _numbered(out.to_dict("records")), defects


def swap_notes(posyandu: pd.DataFrame) -> pd.DataFrame:
    """Import findings (``catatan_impor`` rows) for the posyandu whose lat/lon were swapped."""
    swapped = posyandu[posyandu["koordinat_ditukar"].fillna(False).astype(bool)]
    return pd.DataFrame(
        {
            "jenis": "koordinat_ditukar",
            "tingkat": "sedang",  # as written into data/demo.gpkg; the engine recomputes this kind (by_engine)
            "subjek": swapped["kode"].to_numpy(),
            "pesan": [
                f"Lintang dan bujur {n} ({k}) tertukar di berkas sumber (baris {b}); sudah ditukar kembali. "
                "Periksa titiknya di peta."
                for n, k, b in zip(swapped["nama"], swapped["kode"], swapped["baris_sumber"], strict=True)
            ],
            "baris": swapped["baris_sumber"].to_numpy(),
        }
    )


def _row(
    jenis: str, *, kode: str | None, nama: str, desa_row: pd.Series, point: shapely.Point, **fields: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "jenis": jenis,
        "kode": kode,
        "nama": nama,
        "kode_desa": desa_row["kode_desa"],
        "lat": round(point.y, 6),
        "lon": round(point.x, 6),
        "geometry": shapely.Point(round(point.x, 6), round(point.y, 6)),
        "status": model.AKTIF,
        "koordinat_ditukar": False,
        "berkas_sumber": BERKAS,
    }
    row.update(fields)
    return row


def _numbered(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows as a frame with ``baris_sumber`` (sheet row, header = 1) set in order."""
    frame = pd.DataFrame(rows)
    return frame.assign(baris_sumber=np.arange(2, len(frame) + 2))
