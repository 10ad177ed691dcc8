"""The monthly posyandu report importer: long-format table -> the ``laporan`` layer.

One row per posyandu per month (``kode_posyandu;bulan;buka;kader_hadir;balita;
ibu_hamil;usia_sekolah_remaja;usia_produktif;lansia``). Months are normalised to
``YYYY-MM`` (also from dates and Excel date cells), ``buka`` to a boolean;
rows with an invalid month or ``buka`` are rejected with their row number. A
posyandu+month given twice counts once (the later row wins). Codes unknown to
the store's posyandu are kept but reported. The new layer is the store's
reports upserted by (kode_posyandu, bulan). Everything is vectorised: a
60,000-row CSV takes well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from loaders import model
from loaders.columns import FIELDS, LAPORAN
from loaders.exceptions import InputError
from loaders.findings import persisted_by
from loaders.import_report import DITOLAK, PERINGATAN, RowIssue
from loaders.limits import MAX_BYTES_LAPORAN
from loaders.prepared import PreparedImport
from loaders.store import Store
from loaders.tables import (
    NOTES_ATTR,
    ROW_COLUMN,
    IssueLog,
    MappedSheet,
    map_sheets,
    parse_counts,
    prepared_table_import,
    read_tables,
    sheet_prefix,
    text_values,
)

JENIS_IMPOR: Final = "laporan"
CATATAN_SUMBER: Final = "laporan"
KEY: Final = ["kode_posyandu", "bulan"]
COUNT_FIELDS: Final = ("kader_hadir", *model.KELOMPOK_SIKLUS_HIDUP)
BUKA_YA: Final = frozenset({"ya", "y", "yes", "1", "1.0", "true", "buka", "b", "iya"})
BUKA_TIDAK: Final = frozenset({"tidak", "tdk", "no", "n", "0", "0.0", "false", "tutup", "tidak buka"})
_MONTH_NAMES: Final = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_TIME: Final = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_NUMERIC_PATTERNS: Final = (
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$",
    rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}$",
    rf"^(?P<d>\d{{1,2}})[-/.](?P<m>\d{{1,2}})[-/.](?P<y>\d{{4}}){_TIME}$",
    r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$",
    r"^(?P<y>\d{4})(?P<m>\d{2})$",
)
_NAME_PATTERNS: Final = (
    r"^(?:\d{1,2}[\s\-/.]+)?(?P<n>[a-z]+)[\s\-/.,]+(?P<y>\d{4})$",
    r"^(?P<y>\d{4})[\s\-/.,]+(?P<n>[a-z]+)$",
    r"^(?P<n>[a-z]+)[\s\-/.,']+(?P<yy>\d{2})$",  # Excel's mmm-yy: okt-26
)
_SERIAL: Final = r"^(?P<s>\d{5})(?:\.0+)?$"
_EXCEL_EPOCH: Final = pd.Timestamp("1899-12-30")
_YEARS: Final = (1900, 2100)


def parse_months(values: pd.Series) -> pd.Series:
    """Normalise month cells to ``YYYY-MM`` (NA where not a month).

    Accepts ``2026-10``, ``2026/10``, ``202610``, ``10/2026``, dates
    (``2026-10-01``, ``01/10/2026`` day first, ``10/31/2026`` when the second
    number cannot be a month), Excel date cells and serial numbers, and month
    names (``Oktober 2026``, ``okt-2026``, Excel's ``Oct-26``).

    Examples
    --------
    >>> parse_months(pd.Series(["2026-10", "01/10/2026", "Okt 2026", "13-2026"])).tolist()
    ['2026-10', '2026-10', '2026-10', <NA>]
    """
    text = values.astype(str).str.strip().str.lower()
    canonical = text.str.fullmatch(r"(19|20)\d{2}-(0[1-9]|1[0-2])").fillna(False).astype(bool)
    if canonical.all():  # the usual case, without the slower pattern extraction
        return text.astype(model.STR)
    year = pd.Series(np.nan, index=values.index)
    month = pd.Series(np.nan, index=values.index)
    year[canonical] = pd.to_numeric(text[canonical].str[:4]).astype(float)
    month[canonical] = pd.to_numeric(text[canonical].str[5:7]).astype(float)
    for pattern in _NUMERIC_PATTERNS:
        todo = year.isna()
        if not todo.any():
            break
        found = text[todo].str.extract(pattern)
        y, m = _numeric_year_month(found)
        year.loc[todo] = y
        month.loc[todo] = m
    for pattern in _NAME_PATTERNS:
        todo = year.isna()
        if not todo.any():
            break
        found = text[todo].str.extract(pattern)
        year.loc[todo] = (
            pd.to_numeric(found["y"], errors="coerce") if "y" in found else 2000 + pd.to_numeric(found["yy"])
        )
        month.loc[todo] = found["n"].map(_MONTH_NAMES)
    todo = year.isna()
    if todo.any():
        serial = pd.to_numeric(text[todo].str.extract(_SERIAL)["s"], errors="coerce")
        dates = _EXCEL_EPOCH + pd.to_timedelta(serial.where(serial.between(1, 80000)), unit="D")
        year.loc[todo] = dates.dt.year.astype(float)
        month.loc[todo] = dates.dt.month.astype(float)
    valid = year.between(*_YEARS) & month.between(1, 12)
    out = pd.Series(pd.NA, index=values.index, dtype=model.STR)
    if valid.any():
        out.loc[valid] = (
            year[valid].astype(int).astype(str) + "-" + month[valid].astype(int).astype(str).str.zfill(2)
        ).to_numpy()
    return out


def _numeric_year_month(found: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    year = pd.to_numeric(found["y"], errors="coerce")
    month = pd.to_numeric(found["m"], errors="coerce")
    if "d" in found:
        day = pd.to_numeric(found["d"], errors="coerce")
        us_style = (month > 12) & day.between(1, 12)
        month, day = month.where(~us_style, day), day.where(~us_style, month)
        year = year.where(day.between(1, 31))
    return year, month


def parse_buka(values: pd.Series) -> pd.Series:
    """``ya``/``tidak`` (also 1/0, true/false, y/n, case-insensitive) -> boolean; NA otherwise."""
    text = values.astype(str).str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype=model.BOOL)
    out[text.isin(BUKA_YA)] = True
    out[text.isin(BUKA_TIDAK)] = False
    return out


def prepare_reports(
    path: Path,
    *,
    store: Store,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> PreparedImport:
    """Read and validate a monthly posyandu report table; write nothing.

    Parameters
    ----------
    path
        CSV or XLSX file in long format (one row per posyandu per month).
    store
        The store (its posyandu codes are checked and its reports upserted; only read here).
    sheet
        Only this sheet of an XLSX file.
    mapping
        Source column -> field overrides (``--map``).

    Returns
    -------
    PreparedImport
        ``layers["laporan"]`` is the whole new layer; ``catatan`` lists duplicate
        rows and unknown posyandu codes.

    Raises
    ------
    InputError
        Unreadable or too large file, missing columns, or no valid row.
    """
    path = Path(path)
    frames = read_tables(path, sheet=sheet, max_bytes=MAX_BYTES_LAPORAN)
    sheets, notes = map_sheets(
        frames, targets=dict.fromkeys(frames, LAPORAN), overrides=mapping, source=path.name, skip_incomplete=True
    )
    for s in sheets:
        notes += s.frame.attrs.get(NOTES_ATTR, [])
    several = len(sheets) > 1
    issues = IssueLog()
    rows = pd.concat([_canonical(s, several=several) for s in sheets], ignore_index=True)
    read_count = len(rows)
    rows = _parse_rows(rows, issues=issues)
    if rows.empty:
        msg = (
            f"Tidak ada baris laporan yang sah di {path.name}: semua {read_count} baris ditolak "
            f"(contoh: {issues.examples()}). "
            "Isi bulan sebagai YYYY-MM (mis. 2026-10) dan buka sebagai ya/tidak, lalu impor lagi."
        )
        raise InputError(msg)
    rows = _drop_duplicates(rows, issues=issues)
    _check_codes(rows, fasilitas=store.read_fasilitas(), issues=issues)
    final = model.conform(rows, model.LAYER_LAPORAN)
    layer = _upsert(store.read_laporan(), final)
    notes.append(
        f"{len(final)} laporan dari {final['kode_posyandu'].nunique()} posyandu, "
        f"bulan {final['bulan'].min()} s.d. {final['bulan'].max()}."
    )
    return prepared_table_import(
        path,
        jenis_impor=JENIS_IMPOR,
        layer=model.LAYER_LAPORAN,
        content=layer,
        sheets=sheets,
        baris_dibaca=read_count,
        diterima=len(final),
        issues=issues,
        notes=notes,
        persisted=persisted_by(JENIS_IMPOR),
        catatan_sumber=CATATAN_SUMBER,
    )


def _canonical(sheet: MappedSheet, *, several: bool) -> pd.DataFrame:
    by_field = {field: column for column, field in sheet.mapping.items()}
    frame = sheet.frame
    out = pd.DataFrame({"baris": frame[ROW_COLUMN].astype("int64").to_numpy()})
    out["prefix"] = sheet_prefix(sheet.name, several=several)
    for field in FIELDS[LAPORAN]:
        column = by_field.get(field)
        out[f"{field}_asli"] = frame[column].to_numpy() if column else ""
        out[f"{field}_kolom"] = column
    return out


def _parse_rows(rows: pd.DataFrame, *, issues: IssueLog) -> pd.DataFrame:
    kode = text_values(rows["kode_posyandu_asli"])
    bulan = parse_months(rows["bulan_asli"])
    buka = parse_buka(rows["buka_asli"])
    bad = kode.isna() | bulan.isna() | buka.isna()
    for position in np.flatnonzero(bad.to_numpy()):
        row = rows.iloc[position]
        issues.add(**_rejection(row, kode=kode.iloc[position], bulan=bulan.iloc[position], buka=buka.iloc[position]))
    parsed = pd.DataFrame(
        {"kode_posyandu": kode, "bulan": bulan, "buka": buka, "baris": rows["baris"], "prefix": rows["prefix"]}
    )
    for field in COUNT_FIELDS:
        numbers, wrong = parse_counts(rows[f"{field}_asli"].astype(str))
        parsed[field] = numbers
        column = rows[f"{field}_kolom"].iloc[0]
        for position in np.flatnonzero((wrong & ~bad).to_numpy()):
            row = rows.iloc[position]
            issues.add(
                PERINGATAN,
                "angka_tidak_sah",
                f"{row['prefix']}nilai '{row[f'{field}_asli']}' bukan bilangan bulat >= 0; dikosongkan.",
                baris=int(row["baris"]),
                kolom=column,
                subjek=kode.iloc[position],
            )
    return parsed[~bad.to_numpy()].reset_index(drop=True)


def _rejection(row: pd.Series, *, kode: object, bulan: object, buka: object) -> dict[str, object]:
    reasons: list[str] = []
    column = None
    if pd.isna(kode):
        reasons.append("kode posyandu kosong")
        column = row["kode_posyandu_kolom"]
    if pd.isna(bulan):
        reasons.append(f"bulan '{row['bulan_asli']}' tidak sah (pakai YYYY-MM, mis. 2026-10, atau tanggal)")
        column = column or row["bulan_kolom"]
    if pd.isna(buka):
        reasons.append(f"nilai buka '{row['buka_asli']}' tidak dikenal (isi ya/tidak, 1/0, true/false, y/n)")
        column = column or row["buka_kolom"]
    jenis = "bulan_tidak_sah" if pd.isna(bulan) else "buka_tidak_sah" if pd.isna(buka) else "kode_kosong"
    return {
        "tindakan": DITOLAK,
        "jenis": jenis,
        "alasan": f"{row['prefix']}{'; '.join(reasons)}; baris ditolak.",
        "baris": int(row["baris"]),
        "kolom": column,
        "subjek": None if pd.isna(kode) else str(kode),
    }


def _drop_duplicates(rows: pd.DataFrame, *, issues: IssueLog) -> pd.DataFrame:
    earlier = rows.duplicated(KEY, keep="last")
    if not earlier.any():
        return rows
    winner = rows.groupby(KEY, sort=False)["baris"].transform("last")
    for position in np.flatnonzero(earlier.to_numpy()):
        row = rows.iloc[position]
        subject = f"{row['kode_posyandu']} {row['bulan']}"
        issues.add(
            PERINGATAN,
            "laporan_duplikat",
            f"{row['prefix']}laporan posyandu {row['kode_posyandu']} bulan {row['bulan']} "
            f"tercantum lagi di baris {winner.iloc[position]}; baris yang terakhir yang dipakai (dihitung sekali).",
            baris=int(row["baris"]),
            subjek=subject,
        )
    return rows[~earlier.to_numpy()].reset_index(drop=True)


def _check_codes(rows: pd.DataFrame, *, fasilitas: pd.DataFrame, issues: IssueLog) -> None:
    known = set(fasilitas.loc[fasilitas["jenis"] == model.POSYANDU, "kode"].dropna())
    if not known:
        issues.add(
            PERINGATAN,
            "laporan_kode_belum_diperiksa",
            "Penyimpanan belum berisi data posyandu, sehingga kode posyandu di laporan belum dapat diperiksa. "
            "Impor data posyandu lalu impor laporan ini lagi untuk memeriksanya.",
        )
        return
    unknown = rows[~rows["kode_posyandu"].isin(known)]
    if unknown.empty:
        return
    summary = unknown.groupby("kode_posyandu", sort=True).agg(
        jumlah=("baris", "size"), awal=("baris", "first"), prefix=("prefix", "first")
    )
    issues.extend(
        RowIssue(
            PERINGATAN,
            "laporan_kode_tidak_dikenal",
            f"{prefix}Kode posyandu {code} tidak ada di data posyandu yang tersimpan ({jumlah} baris laporan, "
            f"pertama di baris {awal}); laporannya tetap disimpan. Periksa kodenya atau impor posyandu itu.",
            int(awal),
            None,
            str(code),
        )
        for code, jumlah, awal, prefix in zip(
            summary.index, summary["jumlah"], summary["awal"], summary["prefix"], strict=True
        )
    )


def _upsert(existing: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    combined = pd.concat([existing, new], ignore_index=True) if len(existing) else new
    combined = combined.drop_duplicates(KEY, keep="last").sort_values(KEY, kind="stable")
    return model.conform(combined.reset_index(drop=True), model.LAYER_LAPORAN)
