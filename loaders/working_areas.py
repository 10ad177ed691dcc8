"""The working-area importer: a table desa -> puskesmas -> the ``wilayah_kerja`` layer.

Each row names a desa (``kode_desa``, or ``nama_desa`` [+ ``kecamatan``]
matched against the store's desa names) and a puskesmas (``kode_puskesmas``
and/or ``nama_puskesmas``, matched against the store's puskesmas). Unknown or
ambiguous desa are rejected row by row; a desa listed twice keeps its later
row. The new layer is the store's working areas minus the file's desa plus the
file's rows. :func:`match_desa_names` is shared with the facility importer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from loaders import model
from loaders.columns import WILAYAH_KERJA, normalise_header
from loaders.exceptions import InputError
from loaders.findings import persisted_by
from loaders.import_report import DITOLAK, PERINGATAN
from loaders.limits import MAX_BYTES_TABEL
from loaders.prepared import PreparedImport
from loaders.store import Store
from loaders.tables import (
    NOTES_ATTR,
    ROW_COLUMN,
    IssueLog,
    check_name_lengths,
    map_sheets,
    prepared_table_import,
    read_tables,
    sheet_prefix,
    text_values,
)

JENIS_IMPOR: Final = "wilayah_kerja"
CATATAN_SUMBER: Final = "wilayah_kerja"
_DESA_PREFIX: Final = re.compile(r"^(desa|kelurahan|kel|ds|des)\b\.?\s*", re.IGNORECASE)
_KEC_PREFIX: Final = re.compile(r"^(kecamatan|kec)\b\.?\s*", re.IGNORECASE)


def desa_key(name: object) -> str:
    """Return the comparable form of a desa name: no prefix ``Desa``/``Kel.``, case, spaces or punctuation."""
    return normalise_header(_DESA_PREFIX.sub("", str(name).strip()))


def kecamatan_key(name: object) -> str:
    """Return the comparable form of a kecamatan name (no prefix ``Kec.``)."""
    return normalise_header(_KEC_PREFIX.sub("", str(name).strip()))


def match_desa_names(
    nama_desa: pd.Series,
    nama_kecamatan: pd.Series | None,
    *,
    desa: pd.DataFrame,
) -> tuple[pd.Series, pd.Series]:
    """Find the kode_desa of desa names (case/space-insensitive), optionally within a kecamatan.

    Parameters
    ----------
    nama_desa
        Desa names (NA where absent).
    nama_kecamatan
        Kecamatan names of the same rows, or None.
    desa
        The store's desa layer (``kode_desa``, ``nama_desa``, ``nama_kecamatan``).

    Returns
    -------
    tuple
        ``(codes, reasons)``: kode_desa where exactly one desa matches (NA
        otherwise) and an Indonesian reason where none or several match.
    """
    lookup: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for code, name, kec in zip(desa["kode_desa"], desa["nama_desa"], desa["nama_kecamatan"], strict=True):
        lookup[desa_key(name)].append((str(code), kecamatan_key(kec), str(kec)))
    if nama_kecamatan is None:
        kecamatan = pd.Series(pd.NA, index=nama_desa.index, dtype=model.STR)
    else:
        kecamatan = nama_kecamatan
    codes: list[object] = []
    reasons: list[object] = []
    for name, kec in zip(nama_desa.tolist(), kecamatan.tolist(), strict=True):
        code, reason = _match_one(name, kec, lookup)
        codes.append(code)
        reasons.append(reason)
    return (
        pd.Series(codes, index=nama_desa.index, dtype=model.STR),
        pd.Series(reasons, index=nama_desa.index, dtype=model.STR),
    )


def _match_one(name: object, kec: object, lookup: Mapping[str, list[tuple[str, str, str]]]) -> tuple[object, object]:
    if pd.isna(name) or not str(name).strip():
        return pd.NA, "nama desa kosong"
    candidates = lookup.get(desa_key(name), [])
    if not candidates:
        return pd.NA, f"desa '{name}' tidak ada di batas desa yang tersimpan"
    if not pd.isna(kec) and str(kec).strip():
        within = [c for c in candidates if c[1] == kecamatan_key(kec)]
        if not within:
            where = ", ".join(sorted({c[2] for c in candidates}))
            return pd.NA, f"desa '{name}' tidak ada di kecamatan '{kec}' (ada di kecamatan: {where})"
        candidates = within
    if len(candidates) > 1:
        where = ", ".join(f"{c[0]} (Kec. {c[2]})" for c in candidates)
        return pd.NA, f"nama desa '{name}' ada lebih dari satu: {where}; tambahkan kolom Kecamatan atau Kode Desa"
    return candidates[0][0], pd.NA


def prepare_working_areas(
    path: Path,
    *,
    store: Store,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> PreparedImport:
    """Read and validate a working-area table (desa -> puskesmas); write nothing.

    Parameters
    ----------
    path
        CSV or XLSX file; every sheet with the needed columns is read.
    store
        The store (its desa and puskesmas are used for matching; only read here).
    sheet
        Only this sheet of an XLSX file.
    mapping
        Source column -> field overrides (``--map``).

    Returns
    -------
    PreparedImport
        ``layers["wilayah_kerja"]`` is the whole new layer.

    Raises
    ------
    InputError
        No desa in the store yet, unreadable file, missing columns, or no valid row.
    """
    path = Path(path)
    desa = store.read_desa()
    if desa.empty:
        msg = (
            f"Wilayah kerja dari {path.name} tidak dapat dicocokkan: penyimpanan belum berisi batas desa. "
            "Impor batas desa terlebih dahulu (python cli.py import boundaries BERKAS)."
        )
        raise InputError(msg)
    frames = read_tables(path, sheet=sheet, max_bytes=MAX_BYTES_TABEL)
    sheets, notes = map_sheets(
        frames,
        targets=dict.fromkeys(frames, WILAYAH_KERJA),
        overrides=mapping,
        source=path.name,
        skip_incomplete=True,
    )
    several = len(sheets) > 1
    issues = IssueLog()
    parts = [
        _without_long_names(_canonical(s.frame, s.mapping, sheet=s.name, several=several), s.mapping, issues=issues)
        for s in sheets
    ]
    for s in sheets:
        notes += s.frame.attrs.get(NOTES_ATTR, [])
    rows = pd.concat(parts, ignore_index=True)
    read_count = len(rows) + sum(1 for i in issues.items if i.jenis == "nama_terlalu_panjang")
    rows = _resolve_desa(rows, desa=desa, issues=issues)
    rows = _resolve_puskesmas(rows, fasilitas=store.read_fasilitas(), issues=issues)
    rows = _drop_duplicates(rows, issues=issues)
    if rows.empty:
        msg = (
            f"Tidak ada baris wilayah kerja yang sah di {path.name}: semua {read_count} baris ditolak "
            f"(contoh: {issues.examples()}). Perbaiki kode/nama desa dan puskesmas lalu impor lagi."
        )
        raise InputError(msg)
    existing = store.read_wilayah_kerja()
    kept = existing[~existing["kode_desa"].isin(rows["kode_desa"])]
    layer = pd.concat([kept, model.conform(rows, model.LAYER_WILAYAH_KERJA)], ignore_index=True)
    layer = model.conform(layer.sort_values("kode_desa", kind="stable"), model.LAYER_WILAYAH_KERJA)
    if len(kept) < len(existing):
        notes.append(f"{len(existing) - len(kept)} baris wilayah kerja lama untuk desa yang sama diganti.")
    return prepared_table_import(
        path,
        jenis_impor=JENIS_IMPOR,
        layer=model.LAYER_WILAYAH_KERJA,
        content=layer,
        sheets=sheets,
        baris_dibaca=read_count,
        diterima=len(rows),
        issues=issues,
        notes=notes,
        persisted=persisted_by(JENIS_IMPOR),
        catatan_sumber=CATATAN_SUMBER,
    )


def _canonical(frame: pd.DataFrame, mapping: Mapping[str, str], *, sheet: str, several: bool) -> pd.DataFrame:
    by_field = {field: column for column, field in mapping.items()}
    out = pd.DataFrame({"baris": frame[ROW_COLUMN].astype("int64")})
    for field in ("kode_desa", "nama_desa", "nama_kecamatan", "kode_puskesmas", "nama_puskesmas"):
        empty = pd.Series(pd.NA, index=out.index, dtype=model.STR)
        out[field] = text_values(frame[by_field[field]]) if field in by_field else empty
    out["kolom_desa"] = by_field.get("kode_desa") or by_field.get("nama_desa")
    out["prefix"] = sheet_prefix(sheet, several=several)
    return out


def _without_long_names(rows: pd.DataFrame, mapping: Mapping[str, str], *, issues: IssueLog) -> pd.DataFrame:
    """Drop the rows whose desa, kecamatan or puskesmas name is too long (each reported as rejected)."""
    if rows.empty:
        return rows
    by_field = {field: column for column, field in mapping.items()}
    fields = ("nama_desa", "nama_kecamatan", "nama_puskesmas")
    too_long = check_name_lengths(
        {name: rows[name] for name in fields},
        rows=rows["baris"].to_numpy(),
        columns={name: by_field.get(name) for name in fields},
        prefix=str(rows["prefix"].iloc[0]),
        issues=issues,
    )
    return rows[~too_long]


def _resolve_desa(rows: pd.DataFrame, *, desa: pd.DataFrame, issues: IssueLog) -> pd.DataFrame:
    """Rows with a known kode_desa (declared, or found by name); the others are rejected."""
    known = set(desa["kode_desa"].dropna())
    by_name, name_reasons = match_desa_names(rows["nama_desa"], rows["nama_kecamatan"], desa=desa)
    codes: list[object] = []
    for position, row in enumerate(rows.to_dict("records")):
        code, reason = _desa_of_row(row["kode_desa"], by_name.iloc[position], name_reasons.iloc[position], known=known)
        if reason:
            issues.add(
                DITOLAK,
                "desa_tidak_dikenal",
                f"{row['prefix']}{reason}; baris ditolak.",
                baris=int(row["baris"]),
                kolom=row["kolom_desa"],
                subjek=None if pd.isna(row["kode_desa"]) else str(row["kode_desa"]),
            )
        codes.append(code)
    result = rows.assign(kode_desa=pd.Series(codes, index=rows.index, dtype=model.STR))
    return result[result["kode_desa"].notna()]


def _desa_of_row(
    declared: object, by_name: object, name_reason: object, *, known: set[str]
) -> tuple[object, str | None]:
    """(kode_desa or NA, reason of rejection or None) of one row."""
    if not pd.isna(declared):
        normalised = model.normalise_kode_desa(declared)
        if normalised is None:
            return pd.NA, f"kode desa '{declared}' bukan kode Kemendagri (contoh yang sah: 32.06.01.2001)"
        if normalised not in known:
            return pd.NA, f"kode desa {normalised} tidak ada di batas desa yang tersimpan"
        return normalised, None
    if pd.isna(by_name):
        return pd.NA, "kode dan nama desa kosong" if pd.isna(name_reason) else str(name_reason)
    return by_name, None


class _PuskesmasLookup:
    """The store's puskesmas by code and by normalised name."""

    def __init__(self, fasilitas: pd.DataFrame) -> None:
        puskesmas = fasilitas[(fasilitas["jenis"] == model.PUSKESMAS) & fasilitas["kode"].notna()]
        self.name_of: dict[str, object] = dict(zip(puskesmas["kode"], puskesmas["nama"], strict=True))
        self.codes_of: dict[str, list[str]] = defaultdict(list)
        for code, name in self.name_of.items():
            if not pd.isna(name):
                self.codes_of[normalise_header(name)].append(code)


def _resolve_puskesmas(rows: pd.DataFrame, *, fasilitas: pd.DataFrame, issues: IssueLog) -> pd.DataFrame:
    """Fill codes/names from the store's puskesmas; reject rows naming no puskesmas."""
    lookup = _PuskesmasLookup(fasilitas)
    codes, names, keep = [], [], []
    for row in rows.to_dict("records"):
        where = row["prefix"]
        if pd.isna(row["kode_puskesmas"]) and pd.isna(row["nama_puskesmas"]):
            issues.add(
                DITOLAK,
                "puskesmas_kosong",
                f"{where}kode dan nama puskesmas kosong; baris ditolak.",
                baris=int(row["baris"]),
                subjek=str(row["kode_desa"]),
            )
            code, name, ok = pd.NA, pd.NA, False
        else:
            code, name, reason = _match_puskesmas(row["kode_puskesmas"], row["nama_puskesmas"], lookup=lookup)
            if reason:
                issues.add(
                    PERINGATAN,
                    "puskesmas_tidak_dikenal",
                    f"{where}{reason}",
                    baris=int(row["baris"]),
                    subjek=str(row["kode_puskesmas"] if not pd.isna(row["kode_puskesmas"]) else row["nama_puskesmas"]),
                )
            ok = True
        codes.append(code)
        names.append(name)
        keep.append(ok)
    result = rows.assign(
        kode_puskesmas=pd.Series(codes, index=rows.index, dtype=model.STR),
        nama_puskesmas=pd.Series(names, index=rows.index, dtype=model.STR),
    )
    return result[np.array(keep, dtype=bool)]


def _match_puskesmas(code: object, name: object, *, lookup: _PuskesmasLookup) -> tuple[object, object, str | None]:
    """(code, name, warning or None) of one row's puskesmas."""
    if not lookup.name_of:
        return code, name, None
    if not pd.isna(code):
        if code in lookup.name_of:
            return code, lookup.name_of[code] if pd.isna(name) else name, None
        return code, name, f"kode puskesmas {code} tidak ada di data puskesmas yang tersimpan; baris tetap diimpor."
    matches = lookup.codes_of.get(normalise_header(name), [])
    if len(matches) == 1:
        return matches[0], name, None
    found = "tidak ada" if not matches else f"cocok dengan {len(matches)} puskesmas ({', '.join(matches)})"
    return pd.NA, name, f"nama puskesmas '{name}' {found} di data puskesmas yang tersimpan; disimpan tanpa kode."


def _drop_duplicates(rows: pd.DataFrame, *, issues: IssueLog) -> pd.DataFrame:
    later = rows.duplicated("kode_desa", keep="last")
    last_row = rows.drop_duplicates("kode_desa", keep="last").set_index("kode_desa")["baris"]
    for row in rows[later].itertuples(index=False):
        issues.add(
            PERINGATAN,
            "wilayah_duplikat",
            f"{row.prefix}desa {row.kode_desa} tercantum lagi di baris {last_row[row.kode_desa]}; "
            "baris yang terakhir yang dipakai.",
            baris=row.baris,
            subjek=row.kode_desa,
        )
    return rows[~later]
