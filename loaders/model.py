"""The canonical data model of Peta ILP, used by every other module.

One place declares the layers of the store, their columns and dtypes, the
facility kinds and statuses, and the Kemendagri code helpers. Loaders produce
frames in these shapes (:func:`conform`), the engine and the pages consume them.

Layers
------
desa
    Village (desa/kelurahan) polygons, EPSG:4326, MultiPolygon.
fasilitas
    Puskesmas, pustu and posyandu; point geometry (may be empty). The latest
    known state of every facility: ``per`` is the month (YYYY-MM) the import
    that wrote the row describes (NA: written before snapshots existed);
    ``tanggal_aktif`` / ``tanggal_nonaktif`` the first month the facility is
    active / no longer active (YYYY-MM, NA when unknown).
riwayat_fasilitas
    Rows of earlier facility snapshots, in the schema of ``fasilitas``
    (one set of rows per import kind, kabupaten and ``per``).
laporan
    Monthly posyandu reports, one row per posyandu per month.
wilayah_kerja
    Working areas: desa -> puskesmas, as given by the dinas.
log_impor
    One row per data version (import, restore, demo).
catatan_impor
    Findings of imports (duplicate rows, swapped coordinates, ...) that the
    data-quality table shows later.
target
    Targets of indicators: ``nilai`` % of ``indikator`` (a code of
    :data:`geo.targets.TARGET_INDICATORS`) by month ``bulan`` (YYYY-MM), with
    the "hampir" threshold ``hampir_pct`` (% of the target) and a note.
"""

from __future__ import annotations

import re
from typing import Final

import geopandas as gpd
import pandas as pd

CRS: Final = "EPSG:4326"

# Facility kinds and statuses ------------------------------------------------
PUSKESMAS: Final = "puskesmas"
PUSTU: Final = "pustu"
POSYANDU: Final = "posyandu"
JENIS_FASILITAS: Final = (PUSKESMAS, PUSTU, POSYANDU)

AKTIF: Final = "aktif"
TIDAK_AKTIF: Final = "tidak aktif"

DESA: Final = "desa"
KELURAHAN: Final = "kelurahan"

# Code systems of the desa layer
KEMENDAGRI: Final = "kemendagri"
BPS: Final = "bps"

# Life-cycle groups of the monthly report: column -> Indonesian label
KELOMPOK_SIKLUS_HIDUP: Final = {
    "balita": "Balita",
    "ibu_hamil": "Ibu hamil",
    "usia_sekolah_remaja": "Usia sekolah dan remaja",
    "usia_produktif": "Usia produktif",
    "lansia": "Lansia",
}

# Month names in Indonesian (January first): messages, titles and the dashboard's month labels
BULAN: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Layers ----------------------------------------------------------------------
LAYER_DESA: Final = "desa"
LAYER_FASILITAS: Final = "fasilitas"
LAYER_RIWAYAT_FASILITAS: Final = "riwayat_fasilitas"
LAYER_LAPORAN: Final = "laporan"
LAYER_WILAYAH_KERJA: Final = "wilayah_kerja"
LAYER_LOG: Final = "log_impor"
LAYER_CATATAN: Final = "catatan_impor"
LAYER_TARGET: Final = "target"
# Where a desa lies: the code and name of the desa and of every level above it (desa layer columns).
AREA_COLUMNS: Final = (
    "kode_desa",
    "nama_desa",
    "kode_kecamatan",
    "nama_kecamatan",
    "kode_kabupaten",
    "nama_kabupaten",
    "kode_provinsi",
    "nama_provinsi",
)

STR: Final = "string"
INT: Final = "Int64"
FLOAT: Final = "Float64"
BOOL: Final = "boolean"

# The facility columns, shared by the current layer and its history (declared once).
_FASILITAS_SCHEMA: Final[dict[str, str]] = {
    "id_fasilitas": STR,  # stable, unique per row
    "jenis": STR,  # puskesmas | pustu | posyandu
    "kode": STR,  # own code (puskesmas, posyandu); empty for pustu
    "nama": STR,
    "kode_desa": STR,  # declared desa, may be empty
    "kode_puskesmas": STR,  # puskesmas: own code; pustu/posyandu: induk if known
    "nama_puskesmas_induk": STR,
    "alamat": STR,
    "lat": FLOAT,
    "lon": FLOAT,
    "status": STR,  # aktif | tidak aktif
    "tanggal_aktif": STR,  # YYYY-MM, first month active; NA: unknown
    "tanggal_nonaktif": STR,  # YYYY-MM, first month no longer active; NA: unknown
    "strata": STR,  # posyandu: pratama | madya | purnama | mandiri
    "jumlah_kader": INT,
    "perawat": INT,
    "bidan": INT,
    "koordinat_ditukar": BOOL,  # lat/lon were swapped in the source and fixed
    "berkas_sumber": STR,
    "baris_sumber": INT,
    "per": STR,  # YYYY-MM, the month the import describes (its snapshot); NA: undated
}

SCHEMAS: Final[dict[str, dict[str, str]]] = {
    LAYER_DESA: {
        "kode_desa": STR,
        "nama_desa": STR,
        "jenis": STR,  # desa | kelurahan
        "kode_kecamatan": STR,
        "nama_kecamatan": STR,
        "kode_kabupaten": STR,
        "nama_kabupaten": STR,
        "kode_provinsi": STR,
        "nama_provinsi": STR,
        "penduduk": INT,
        "sistem_kode": STR,  # kemendagri | bps
    },
    LAYER_FASILITAS: _FASILITAS_SCHEMA,
    LAYER_RIWAYAT_FASILITAS: _FASILITAS_SCHEMA,
    LAYER_LAPORAN: {
        "kode_posyandu": STR,
        "bulan": STR,  # YYYY-MM
        "buka": BOOL,
        "kader_hadir": INT,
        "balita": INT,
        "ibu_hamil": INT,
        "usia_sekolah_remaja": INT,
        "usia_produktif": INT,
        "lansia": INT,
    },
    LAYER_WILAYAH_KERJA: {
        "kode_desa": STR,
        "kode_puskesmas": STR,
        "nama_puskesmas": STR,
    },
    LAYER_LOG: {
        "versi": INT,
        "waktu": STR,  # ISO 8601, UTC
        "jenis_impor": STR,  # batas | fasilitas | laporan | wilayah_kerja | pulihkan | demo | target | pengguna
        "berkas": STR,
        "sha256": STR,
        "baris_dibaca": INT,
        "diterima": INT,
        "diperbaiki": INT,
        "ditolak": INT,
        "keterangan": STR,
        "oleh": STR,  # who: a username, "lokal" (local mode) or "cli:<os user>"; empty in stores older than it
    },
    LAYER_CATATAN: {
        "sumber": STR,  # which import wrote it, e.g. "fasilitas:posyandu"; replaced by the next one
        "versi": INT,
        "jenis": STR,  # finding kind code, e.g. "duplikat_laporan"
        "tingkat": STR,  # one of loaders.findings.TINGKAT
        "subjek": STR,  # facility code / id or kode_desa
        "pesan": STR,  # Indonesian message
        "baris": INT,
    },
    LAYER_TARGET: {
        "indikator": STR,  # a code of geo.targets.TARGET_INDICATORS
        "nilai": FLOAT,  # target value, 0-100 (%)
        "bulan": STR,  # YYYY-MM, the month by which it should be reached
        "hampir_pct": FLOAT,  # "hampir" from this % of the target (1-100, default 80)
        "catatan": STR,
    },
}

SPATIAL_LAYERS: Final = frozenset({LAYER_DESA, LAYER_FASILITAS, LAYER_RIWAYAT_FASILITAS})


def columns(layer: str) -> list[str]:
    """Return the attribute columns of ``layer`` in their canonical order."""
    return list(SCHEMAS[layer])


def empty(layer: str) -> pd.DataFrame | gpd.GeoDataFrame:
    """Return an empty frame of ``layer`` with the canonical columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype=d) for c, d in SCHEMAS[layer].items()})
    if layer in SPATIAL_LAYERS:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    return frame


def conform(frame: pd.DataFrame, layer: str) -> pd.DataFrame | gpd.GeoDataFrame:
    """Return a copy of ``frame`` with exactly the columns and dtypes of ``layer``.

    Missing columns are added empty; extra columns are dropped. ``frame`` is
    not modified.
    """
    schema = SCHEMAS[layer]
    out = pd.DataFrame(index=range(len(frame)))
    for col, dtype in schema.items():
        if col in frame.columns:
            values = frame[col].reset_index(drop=True)
            out[col] = _cast(values, dtype)
        else:
            out[col] = pd.Series([pd.NA] * len(frame), dtype=dtype)
    if layer in SPATIAL_LAYERS:
        geometry = (
            gpd.GeoSeries(frame.geometry.reset_index(drop=True), crs=frame.crs or CRS)
            if isinstance(frame, gpd.GeoDataFrame)
            else gpd.GeoSeries([None] * len(frame), crs=CRS)
        )
        return gpd.GeoDataFrame(out, geometry=geometry, crs=CRS)
    return out


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    if dtype == STR:
        return values.astype("object").where(values.notna(), None).astype(STR)
    if dtype == BOOL:
        return values.astype(BOOL)
    if dtype == INT:
        return pd.to_numeric(values, errors="coerce").round().astype(INT)
    return pd.to_numeric(values, errors="coerce").astype(dtype)


# Kemendagri codes -----------------------------------------------------------
_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_DIGITS10 = re.compile(r"^\d{10}$")


def normalise_kode_desa(value: object) -> str | None:
    """Return a Kemendagri desa code as ``PP.KK.CC.DDDD``, or None if it is not one.

    Undotted 10-digit codes are dotted (``3206012001`` -> ``32.06.01.2001``);
    surrounding spaces and a trailing ``.0`` from spreadsheets are ignored.

    Examples
    --------
    >>> normalise_kode_desa("3206012001")
    '32.06.01.2001'
    >>> normalise_kode_desa(" 32.06.01.2001 ")
    '32.06.01.2001'
    >>> normalise_kode_desa("abc") is None
    True
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if text.endswith(".0") and _DIGITS10.match(text[:-2]):
        text = text[:-2]
    if _DOTTED.match(text):
        return text
    if _DIGITS10.match(text):
        return f"{text[0:2]}.{text[2:4]}.{text[4:6]}.{text[6:10]}"
    return None


def jenis_from_kode(kode_desa: str) -> str:
    """Return ``kelurahan`` when DDDD starts with 1, otherwise ``desa``."""
    return KELURAHAN if kode_desa.rsplit(".", 1)[-1].startswith("1") else DESA


def kode_kecamatan_of(kode_desa: str) -> str:
    """``32.06.01.2001`` -> ``32.06.01``."""
    return kode_desa.rsplit(".", 1)[0]


def kode_kabupaten_of(kode_desa: str) -> str:
    """``32.06.01.2001`` -> ``32.06``."""
    return ".".join(kode_desa.split(".")[:2])


def kode_provinsi_of(kode_desa: str) -> str:
    """``32.06.01.2001`` -> ``32``."""
    return kode_desa.split(".")[0]
