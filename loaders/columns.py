"""Header synonyms of the tabular imports and detection of the column mapping.

Every tabular import (facilities, monthly posyandu reports, working areas)
maps the columns of the user's spreadsheet to *canonical fields*. Headers are
compared after :func:`normalise_header` (lower case, letters and digits only),
so ``Kode Posyandu``, ``kode_posyandu`` and ``KODE-POSYANDU`` are the same.
The user can override detection with ``--map KOLOM=FIELD``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from loaders.exceptions import InputError

PUSKESMAS: Final = "puskesmas"
PUSTU: Final = "pustu"
POSYANDU: Final = "posyandu"
LAPORAN: Final = "laporan"
WILAYAH_KERJA: Final = "wilayah_kerja"
FACILITY_TARGETS: Final = (PUSKESMAS, PUSTU, POSYANDU)


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field of an import target.

    Attributes
    ----------
    synonyms
        Accepted header names, most specific first (compared normalised).
    required
        The column must be present (rows may still be rejected one by one).
    bantuan
        Indonesian help text shown on the Data page and in error messages.
    """

    synonyms: tuple[str, ...]
    required: bool = False
    bantuan: str = ""


def normalise_header(text: object) -> str:
    """Return ``text`` lower-cased, without accents, spaces or punctuation.

    Examples
    --------
    >>> normalise_header(" Kode_Posyandu ")
    'kodeposyandu'
    >>> normalise_header("Lintang (°)")
    'lintang'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


# Shared field specs -----------------------------------------------------------
_NAMA_GENERIK = ("nama", "namobj", "nama fasilitas", "nama faskes", "nama fasyankes")
_KODE_DESA = FieldSpec(
    ("kode desa", "kode_desa", "kdepum", "kode kelurahan", "kode desa kelurahan", "kode desa/kel", "kode wilayah desa"),
    bantuan="Kode Kemendagri desa/kelurahan, misalnya 32.06.01.2001 atau 3206012001.",
)
_NAMA_DESA = FieldSpec(
    ("nama desa", "desa", "kelurahan", "nama kelurahan", "desa kelurahan", "desa/kel", "wadmkd"),
    bantuan="Nama desa/kelurahan; dipakai bila Kode Desa kosong (dicocokkan dengan batas desa).",
)
_NAMA_KECAMATAN = FieldSpec(
    ("nama kecamatan", "kecamatan", "wadmkc"),
    bantuan="Nama kecamatan; membantu mencocokkan nama desa yang sama di kecamatan berbeda.",
)
_LAT = FieldSpec(
    ("latitude", "lintang", "lat", "y", "koordinat y", "garis lintang"),
    bantuan="Lintang dalam derajat desimal (titik atau koma), atau derajat-menit-detik seperti 7°20'15\" LS.",
)
_LON = FieldSpec(
    ("longitude", "bujur", "lon", "lng", "long", "x", "koordinat x", "garis bujur"),
    bantuan="Bujur dalam derajat desimal (titik atau koma), atau derajat-menit-detik seperti 108°12'3\" BT.",
)
_KOORDINAT = FieldSpec(
    ("koordinat", "titik koordinat", "koordinat gps", "lokasi", "coordinates", "latlon", "lat lon", "lat long"),
    bantuan='Satu kolom berisi "lintang, bujur", misalnya "-7.2258, 107.9070".',
)
_STATUS = FieldSpec(
    ("status", "status aktif", "keaktifan", "aktif", "status operasional"),
    bantuan="Aktif atau Tidak aktif (juga ya/tidak, 1/0).",
)
_ALAMAT = FieldSpec(("alamat", "address", "alamat lengkap"), bantuan="Alamat (teks bebas).")
_DATE_FORMS = "YYYY-MM (2025-06), tanggal (2025-06-15 atau 15/06/2025) atau sel tanggal Excel; boleh kosong"
_TANGGAL_AKTIF = FieldSpec(
    (
        "tanggal aktif",
        "mulai aktif",
        "tanggal operasional",
        "tgl aktif",
        "tanggal mulai aktif",
        "tanggal mulai operasional",
        "tgl operasional",
        "bulan aktif",
    ),
    bantuan=f"Bulan fasilitas mulai aktif: {_DATE_FORMS}.",
)
_TANGGAL_NONAKTIF = FieldSpec(
    (
        "tanggal nonaktif",
        "tanggal tutup",
        "tgl tutup",
        "tgl nonaktif",
        "tanggal tidak aktif",
        "tanggal non aktif",
        "bulan nonaktif",
        "bulan tutup",
    ),
    bantuan=f"Bulan fasilitas tidak aktif lagi (bulan pertama tutup): {_DATE_FORMS}.",
)
_INDUK_NAMA = FieldSpec(
    ("puskesmas induk", "nama puskesmas induk", "induk", "nama puskesmas", "puskesmas"),
    bantuan="Nama puskesmas induk.",
)
_INDUK_KODE = FieldSpec(
    ("kode puskesmas induk", "kode puskesmas", "kode induk"),
    bantuan="Kode puskesmas induk, misalnya P3206010101.",
)


def _facility_common() -> dict[str, FieldSpec]:
    return {
        "kode_desa": _KODE_DESA,
        "nama_desa": _NAMA_DESA,
        "nama_kecamatan": _NAMA_KECAMATAN,
        "lat": _LAT,
        "lon": _LON,
        "koordinat": _KOORDINAT,
        "status": _STATUS,
        "tanggal_aktif": _TANGGAL_AKTIF,
        "tanggal_nonaktif": _TANGGAL_NONAKTIF,
        "alamat": _ALAMAT,
    }


def _count(synonyms: tuple[str, ...], what: str) -> FieldSpec:
    return FieldSpec(synonyms, bantuan=f"{what}: bilangan bulat >= 0.")


FIELDS: Final[dict[str, dict[str, FieldSpec]]] = {
    PUSKESMAS: {
        "kode": FieldSpec(
            ("kode puskesmas", "kode", "kode faskes", "kode fasyankes", "id puskesmas"),
            required=True,
            bantuan="Kode puskesmas (Kemenkes), misalnya P3206010101; menjadi id fasilitas.",
        ),
        "nama": FieldSpec(("nama puskesmas", "puskesmas", *_NAMA_GENERIK), required=True, bantuan="Nama puskesmas."),
        **_facility_common(),
    },
    PUSTU: {
        "kode": FieldSpec(("kode pustu", "id pustu"), bantuan="Kode pustu bila ada (biasanya tidak ada)."),
        "nama": FieldSpec(
            ("nama pustu", "pustu", "nama puskesmas pembantu", "puskesmas pembantu", *_NAMA_GENERIK),
            required=True,
            bantuan="Nama pustu; bersama Kode Desa menjadi id fasilitas.",
        ),
        **_facility_common(),
        "nama_puskesmas_induk": _INDUK_NAMA,
        "kode_puskesmas": _INDUK_KODE,
        "perawat": _count(("perawat", "jumlah perawat", "jml perawat"), "Jumlah perawat"),
        "bidan": _count(("bidan", "jumlah bidan", "jml bidan"), "Jumlah bidan"),
    },
    POSYANDU: {
        "kode": FieldSpec(
            ("kode posyandu", "kode", "id posyandu", "kode_posyandu"),
            required=True,
            bantuan="Kode posyandu, misalnya PSY-3206-00001; laporan bulanan merujuk kode ini.",
        ),
        "nama": FieldSpec(("nama posyandu", "posyandu", *_NAMA_GENERIK), required=True, bantuan="Nama posyandu."),
        **_facility_common(),
        "nama_puskesmas_induk": _INDUK_NAMA,
        "kode_puskesmas": _INDUK_KODE,
        "strata": FieldSpec(("strata", "strata posyandu", "tingkat"), bantuan="Pratama, Madya, Purnama atau Mandiri."),
        "jumlah_kader": _count(("jumlah kader", "kader", "jml kader", "jumlah kader aktif"), "Jumlah kader"),
    },
    LAPORAN: {
        "kode_posyandu": FieldSpec(
            ("kode posyandu", "kode_posyandu", "kode", "id posyandu"),
            required=True,
            bantuan="Kode posyandu, sama dengan di data fasilitas.",
        ),
        "bulan": FieldSpec(
            ("bulan", "periode", "bulan laporan", "tanggal", "tanggal kegiatan", "bulan tahun"),
            required=True,
            bantuan="Bulan laporan: YYYY-MM (2026-10), tanggal (2026-10-01 atau 01/10/2026) atau sel tanggal Excel.",
        ),
        "buka": FieldSpec(
            ("buka", "posyandu buka", "status buka", "dibuka", "pelaksanaan", "buka tutup", "kegiatan"),
            required=True,
            bantuan="Apakah posyandu buka bulan itu: ya/tidak, 1/0, true/false, y/n.",
        ),
        "kader_hadir": _count(("kader hadir", "jumlah kader hadir", "kader"), "Kader yang hadir"),
        "balita": _count(("balita", "jumlah balita", "kunjungan balita"), "Kunjungan balita"),
        "ibu_hamil": _count(("ibu hamil", "bumil", "jumlah ibu hamil"), "Kunjungan ibu hamil"),
        "usia_sekolah_remaja": _count(
            ("usia sekolah remaja", "usia sekolah dan remaja", "remaja", "usia sekolah"),
            "Kunjungan usia sekolah dan remaja",
        ),
        "usia_produktif": _count(("usia produktif", "dewasa"), "Kunjungan usia produktif"),
        "lansia": _count(("lansia", "lanjut usia"), "Kunjungan lansia"),
    },
    WILAYAH_KERJA: {
        "kode_desa": _KODE_DESA,
        "nama_desa": _NAMA_DESA,
        "nama_kecamatan": _NAMA_KECAMATAN,
        "kode_puskesmas": FieldSpec(
            ("kode puskesmas", "kode faskes", "kode pkm"), bantuan="Kode puskesmas, misalnya P3206010101."
        ),
        "nama_puskesmas": FieldSpec(("nama puskesmas", "puskesmas"), bantuan="Nama puskesmas."),
    },
}

# At least one field of each group must be mapped (besides FieldSpec.required).
REQUIRED_GROUPS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    WILAYAH_KERJA: (("kode_desa", "nama_desa"), ("kode_puskesmas", "nama_puskesmas")),
}

# Header words that tell the facility kind of an unnamed sheet, checked in this order.
_KIND_HINTS: Final = (
    (POSYANDU, ("kode posyandu", "nama posyandu", "jumlah kader", "strata")),
    (PUSTU, ("nama pustu", "kode pustu", "perawat", "bidan", "puskesmas pembantu")),
    (PUSKESMAS, ("kode puskesmas", "nama puskesmas")),
)


@cache
def _synonym_index(target: str) -> dict[str, tuple[str, int]]:
    """Normalised synonym -> (field, rank); the first field declaring a synonym wins."""
    index: dict[str, tuple[str, int]] = {}
    for field_name, spec in FIELDS[target].items():
        for rank, synonym in enumerate((*spec.synonyms, field_name)):
            index.setdefault(normalise_header(synonym), (field_name, rank))
    return index


@cache
def known_headers() -> frozenset[str]:
    """All normalised header names known to any target."""
    return frozenset(name for target in FIELDS for name in _synonym_index(target))


def header_score(cells: Iterable[object]) -> int:
    """Count the cells of a candidate header row that are known header names."""
    known = known_headers()
    return sum(1 for cell in cells if normalise_header(cell) in known)


def guess_facility_kind(columns: Iterable[str]) -> str | None:
    """Guess puskesmas / pustu / posyandu from header names, or None."""
    names = {normalise_header(c) for c in columns}
    for kind, hints in _KIND_HINTS:
        if any(normalise_header(h) in names for h in hints):
            return kind
    return None


def valid_fields(targets: Iterable[str]) -> list[str]:
    """Return the canonical field names of ``targets`` (in declaration order, no repeats)."""
    seen: dict[str, None] = {}
    for target in targets:
        seen.update(dict.fromkeys(FIELDS[target]))
    return list(seen)


def check_override_fields(overrides: Mapping[str, str], *, targets: Sequence[str]) -> None:
    """Raise InputError when an override names a field none of ``targets`` knows."""
    allowed = valid_fields(targets)
    for column, field_name in overrides.items():
        if field_name not in allowed:
            msg = (
                f"--map '{column}={field_name}': field '{field_name}' tidak dikenal. "
                f"Field yang sah: {', '.join(allowed)}."
            )
            raise InputError(msg)


def detect_mapping(
    columns: Sequence[str],
    *,
    target: str,
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Map source columns to the canonical fields of ``target``.

    Parameters
    ----------
    columns
        Header names as they appear in the file.
    target
        ``puskesmas``, ``pustu``, ``posyandu``, ``laporan`` or ``wilayah_kerja``.
    overrides
        Source column -> field, from ``--map``; wins over detection. Column
        names are matched exactly, else case/space/punctuation-insensitively.

    Returns
    -------
    dict
        Source column -> canonical field, each field at most once (the most
        specific synonym wins when two columns match the same field).

    Raises
    ------
    InputError
        Unknown target, unknown field or a column absent from the file.
    """
    if target not in FIELDS:
        msg = f"Jenis data '{target}' tidak dikenal. Pilihan: {', '.join(FIELDS)}."
        raise InputError(msg)
    resolved = _resolve_overrides(columns, target=target, overrides=overrides or {})
    claimed = set(resolved.values())
    best: dict[str, tuple[int, str]] = {}
    index = _synonym_index(target)
    for column in columns:
        if column in resolved:
            continue
        hit = index.get(normalise_header(column))
        if hit is None or hit[0] in claimed:
            continue
        field_name, rank = hit
        if field_name not in best or rank < best[field_name][0]:
            best[field_name] = (rank, column)
    detected = {column: field_name for field_name, (_, column) in best.items()}
    ordered = {c: (resolved.get(c) or detected.get(c)) for c in columns if c in resolved or c in detected}
    return {c: f for c, f in ordered.items() if f is not None}


def _resolve_overrides(columns: Sequence[str], *, target: str, overrides: Mapping[str, str]) -> dict[str, str]:
    check_override_fields(overrides, targets=[target])
    by_norm = {normalise_header(c): c for c in columns}
    resolved: dict[str, str] = {}
    for column, field_name in overrides.items():
        actual = column if column in columns else by_norm.get(normalise_header(column))
        if actual is None:
            msg = f"--map '{column}={field_name}': kolom '{column}' tidak ada. Kolom yang ada: {', '.join(columns)}."
            raise InputError(msg)
        resolved[actual] = field_name
    return resolved


def override_applies(column: str, columns: Sequence[str]) -> bool:
    """Tell whether an override column names one of ``columns`` (exactly or normalised)."""
    return column in columns or normalise_header(column) in {normalise_header(c) for c in columns}


def check_required(mapping: Mapping[str, str], *, target: str, where: str, columns: Sequence[str]) -> None:
    """Raise InputError naming the missing fields, the columns present and ``--map``.

    Parameters
    ----------
    mapping
        Source column -> field, as from :func:`detect_mapping`.
    target
        Import target.
    where
        Indonesian description of the place, e.g. ``sheet 'Posyandu' berkas x.xlsx``.
    columns
        The header names present (listed in the message).
    """
    mapped = set(mapping.values())
    missing = [name for name, spec in FIELDS[target].items() if spec.required and name not in mapped]
    missing += [" atau ".join(group) for group in REQUIRED_GROUPS.get(target, ()) if not mapped & set(group)]
    if "lat" in mapped and "lon" not in mapped:
        missing.append("lon")
    if "lon" in mapped and "lat" not in mapped:
        missing.append("lat")
    if not missing:
        return
    hints = "; ".join(f"{name}: {_help_of(target, name)}" for name in missing)
    msg = (
        f"Kolom wajib tidak ditemukan di {where}: {', '.join(missing)}. "
        f"Kolom yang ada: {', '.join(columns)}. "
        f'Ganti judul kolom atau petakan dengan --map "JUDUL KOLOM=FIELD" ({hints}).'
    )
    raise InputError(msg)


def _help_of(target: str, name: str) -> str:
    first = name.split(" atau ")[0]
    spec = FIELDS[target].get(first)
    return spec.bantuan if spec else ""
