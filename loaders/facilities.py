"""The facility importer: puskesmas, pustu and posyandu tables -> the ``fasilitas`` layers.

:func:`prepare_facilities` reads an XLSX (every sheet; the sheet name tells
the kind) or a CSV (the file name or ``jenis`` tells the kind; else the
headers), maps the columns, parses codes, statuses, numbers, coordinates and
the month columns ``tanggal_aktif`` / ``tanggal_nonaktif``, fixes swapped
latitude/longitude, flags points outside the district, and gives every row a
stable ``id_fasilitas``. Every import is a snapshot of the month it describes
(``per``, default the current month). It writes nothing: the returned
:class:`~loaders.prepared.PreparedImport` holds both whole new layers,
``fasilitas`` (the latest state) and ``riwayat_fasilitas`` (earlier
snapshots), merged by :func:`merge_snapshot`, the report, and the findings
for the data-quality table.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.placement import point_codes
from loaders import model
from loaders.columns import FACILITY_TARGETS, guess_facility_kind, normalise_header
from loaders.coordinates import DesaIndex, parse_lat_lon, parse_pair, resolve_swaps
from loaders.exceptions import InputError
from loaders.findings import persisted_by
from loaders.import_report import DIPERBAIKI, DITOLAK, PERINGATAN
from loaders.limits import MAX_BYTES_TABEL
from loaders.prepared import PreparedImport
from loaders.reports import parse_months
from loaders.store import Store
from loaders.tables import (
    NOTES_ATTR,
    ROW_COLUMN,
    IssueLog,
    MappedSheet,
    check_name_lengths,
    map_sheets,
    parse_counts,
    prepared_table_import,
    read_tables,
    sheet_prefix,
    text_values,
)
from loaders.working_areas import match_desa_names

JENIS_IMPOR: Final = "fasilitas"
STRATA: Final = ("pratama", "madya", "purnama", "mandiri")
_STATUS: Final = {
    **dict.fromkeys(("aktif", "ya", "y", "1", "true", "buka", "beroperasi", "operasional", "active"), model.AKTIF),
    **dict.fromkeys(
        ("tidakaktif", "nonaktif", "tidak", "t", "n", "0", "false", "tutup", "tidakberoperasi", "mati", "inactive"),
        model.TIDAK_AKTIF,
    ),
}
_LABEL: Final = {model.PUSKESMAS: "puskesmas", model.PUSTU: "pustu", model.POSYANDU: "posyandu"}
_TEXT_FIELDS: Final = (
    "kode",
    "nama",
    "kode_puskesmas",
    "nama_puskesmas_induk",
    "alamat",
    "nama_desa",
    "nama_kecamatan",
)
_COUNT_FIELDS: Final = ("jumlah_kader", "perawat", "bidan")
# Names longer than MAX_NAME_LENGTH reject their row (a name is never cut).
_NAME_FIELDS: Final = ("nama", "nama_puskesmas_induk", "nama_desa", "nama_kecamatan")
# Month columns (YYYY-MM in the store) and their words in messages
_DATE_FIELDS: Final = {"tanggal_aktif": "tanggal aktif", "tanggal_nonaktif": "tanggal nonaktif"}
_PER_RE: Final = re.compile(r"^(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])$")
_PER_YEARS: Final = (1900, 2100)


def current_month(today: date | None = None) -> str:
    """The month of ``today`` (default: the machine's date) as ``YYYY-MM``: the default snapshot month."""
    day = today or date.today()
    return f"{day.year:04d}-{day.month:02d}"


def snapshot_month(per: str | None, *, today: date | None = None) -> str:
    """The snapshot month of an import: ``per`` checked as ``YYYY-MM``, or the current month when None.

    Examples
    --------
    >>> snapshot_month("2025-06")
    '2025-06'
    >>> snapshot_month(None, today=date(2026, 11, 30))
    '2026-11'

    Raises
    ------
    InputError
        ``per`` is not a month ``YYYY-MM`` (e.g. ``2030-13``).
    """
    if per is None:
        return current_month(today)
    text = str(per).strip()
    match = _PER_RE.match(text)
    if match is None or not _PER_YEARS[0] <= int(match["y"]) <= _PER_YEARS[1]:
        msg = (
            f"Bulan keadaan data (--per) '{per}' tidak sah. Tulis sebagai YYYY-MM, misalnya 2025-06 untuk Juni 2025 "
            f"(tahun {_PER_YEARS[0]}-{_PER_YEARS[1]}, bulan 01-12), lalu ulangi."
        )
        raise InputError(msg)
    return text


def month_words(month: str) -> str:
    """``2025-06`` -> ``Juni 2025`` (the text itself when it is not ``YYYY-MM``)."""
    match = _PER_RE.match(str(month))
    return f"{model.BULAN[int(match['m']) - 1]} {match['y']}" if match else str(month)


def prepare_facilities(
    path: Path,
    *,
    store: Store,
    sheet: str | None = None,
    jenis: str | None = None,
    mapping: Mapping[str, str] | None = None,
    per: str | None = None,
) -> PreparedImport:
    """Read and validate a puskesmas/pustu/posyandu table; write nothing.

    Parameters
    ----------
    path
        XLSX (all sheets, or ``sheet``) or CSV file.
    store
        The store the rows are merged into (its desa are used to check
        coordinates; only read here).
    sheet
        Only this sheet of an XLSX file.
    jenis
        ``puskesmas``, ``pustu`` or ``posyandu`` when neither the sheet nor the
        file name tells it (``--type``).
    mapping
        Source column -> field overrides (``--map``).
    per
        The month the file describes, ``YYYY-MM`` (``--per``; default: the
        current month). It decides where the rows go (see :func:`merge_snapshot`).

    Returns
    -------
    PreparedImport
        ``layers["fasilitas"]`` is the whole new current layer and
        ``layers["riwayat_fasilitas"]`` the whole new history layer;
        ``catatan`` holds the duplicate-code, swapped-coordinate,
        missing-coordinate and outside-district findings.

    Raises
    ------
    InputError
        Unreadable file, unknown ``jenis``, ``per`` not a month, kind not
        determinable, missing required columns, or no valid row.
    """
    path = Path(path)
    month = snapshot_month(per)
    if jenis is not None and jenis not in FACILITY_TARGETS:
        msg = f"Jenis fasilitas '{jenis}' tidak dikenal (--type). Pilihan: {', '.join(FACILITY_TARGETS)}."
        raise InputError(msg)
    issues = IssueLog()
    sheets, rows, notes = _read_rows(path, sheet=sheet, jenis=jenis, mapping=mapping, issues=issues)
    read_count = len(rows)
    rows = rows[rows["ok_"]].drop(columns="ok_").reset_index(drop=True)
    if rows.empty:
        msg = (
            f"Tidak ada baris fasilitas yang sah di {path.name}: semua {read_count} baris ditolak "
            f"(contoh: {issues.examples()}). Perbaiki lalu impor lagi."
        )
        raise InputError(msg)
    desa = store.read_desa()
    index = DesaIndex(desa.geometry.to_numpy(), desa["kode_desa"].to_numpy()) if not desa.empty else None
    rows = _place_points(rows, index=index, desa=desa)
    rows = _fill_kode_desa_from_names(rows, desa=desa, issues=issues)
    rows = _assign_ids(rows, issues=issues)
    _point_findings(rows, desa=desa, issues=issues)
    existing = store.read_fasilitas()
    rows = _fill_induk_codes(rows, existing=existing).assign(per=month)
    merged = merge_snapshot(
        rows, existing=existing, history=store.read_layer(model.LAYER_RIWAYAT_FASILITAS), desa=desa, per=month
    )
    notes += [f"Data ini keadaan per {month_words(month)} ({month}).", *merged.notes]
    prepared = prepared_table_import(
        path,
        jenis_impor=JENIS_IMPOR,
        layer=model.LAYER_FASILITAS,
        content=merged.current,
        sheets=sheets,
        baris_dibaca=read_count,
        diterima=len(rows),
        issues=issues,
        notes=notes,
        persisted=persisted_by(JENIS_IMPOR),
        catatan_sumber=f"{JENIS_IMPOR}:" + "+".join(sorted(set(rows["jenis"]))),
    )
    layers = {model.LAYER_FASILITAS: merged.current, model.LAYER_RIWAYAT_FASILITAS: merged.history}
    return dataclasses.replace(prepared, layers=layers)


def _read_rows(
    path: Path, *, sheet: str | None, jenis: str | None, mapping: Mapping[str, str] | None, issues: IssueLog
) -> tuple[list[MappedSheet], pd.DataFrame, list[str]]:
    """Read, type and map every sheet; return the sheets, their parsed rows and file-level notes."""
    frames = read_tables(path, sheet=sheet, max_bytes=MAX_BYTES_TABEL)
    targets, notes = _sheet_kinds(frames, path=path, jenis=jenis)
    sheets, skipped = map_sheets(frames, targets=targets, overrides=mapping, source=path.name, skip_incomplete=False)
    notes += skipped
    several = len(sheets) > 1
    parts = [_parse_sheet(s, source=path.name, several=several, issues=issues) for s in sheets]
    for s in sheets:
        notes += s.frame.attrs.get(NOTES_ATTR, [])
    return sheets, pd.concat(parts, ignore_index=True), notes


# -- kinds of sheets ------------------------------------------------------------------
def kind_from_name(name: str) -> str | None:
    """``puskesmas``/``pustu``/``posyandu`` named in a sheet or file name, or None.

    Examples
    --------
    >>> kind_from_name("Data Posyandu")
    'posyandu'
    >>> kind_from_name("puskesmas_32.05")
    'puskesmas'
    """
    text = name.lower()
    if "pembantu" in text:
        return model.PUSTU
    hits = [kind for kind in FACILITY_TARGETS if kind in text]
    return hits[0] if len(hits) == 1 else None


def _sheet_kinds(
    frames: Mapping[str, pd.DataFrame], *, path: Path, jenis: str | None
) -> tuple[dict[str, str], list[str]]:
    kinds: dict[str, str] = {}
    notes: list[str] = []
    untyped: list[str] = []
    for name, frame in frames.items():
        kind, how = _kind_of(name, frame, jenis=jenis)
        if kind is None:
            untyped.append(name)
            continue
        kinds[name] = kind
        place = "berkas" if path.suffix.lower() not in {".xlsx", ".xlsm"} else f"sheet '{name}'"
        notes.append(f"{place[0].upper()}{place[1:]} dibaca sebagai data {_LABEL[kind]} ({how}).")
    if not kinds:
        where = f"berkas {path.name}" + (f" (sheet: {', '.join(untyped)})" if len(untyped) > 1 else "")
        msg = (
            f"Jenis fasilitas di {where} tidak dapat ditentukan dari nama sheet/berkas maupun judul kolom. "
            "Sebutkan jenisnya dengan --type puskesmas, --type pustu atau --type posyandu "
            "(atau beri nama sheet Puskesmas/Pustu/Posyandu)."
        )
        raise InputError(msg)
    notes += [
        f"Sheet '{name}' dilewati: jenis fasilitasnya tidak dikenali dari nama maupun judul kolom." for name in untyped
    ]
    return kinds, notes


def _kind_of(name: str, frame: pd.DataFrame, *, jenis: str | None) -> tuple[str | None, str]:
    by_name = kind_from_name(name)
    if by_name:
        return by_name, "dari nama"
    if jenis:
        return jenis, "dari --type"
    guessed = guess_facility_kind(c for c in frame.columns if c != ROW_COLUMN)
    return guessed, "ditebak dari judul kolom"


# -- parsing one sheet -----------------------------------------------------------------
def _parse_sheet(sheet: MappedSheet, *, source: str, several: bool, issues: IssueLog) -> pd.DataFrame:
    frame, kind = sheet.frame, sheet.target
    by_field = {field: column for column, field in sheet.mapping.items()}
    prefix = sheet_prefix(sheet.name, several=several)
    out = pd.DataFrame({"baris_sumber": frame[ROW_COLUMN].astype("int64").to_numpy()})
    out["jenis"] = kind
    out["berkas_sumber"] = source
    out["prefix_"] = prefix
    for field in _TEXT_FIELDS:
        out[field] = _text(frame, by_field.get(field))
    out["kode_desa"] = _kode_desa(frame, by_field.get("kode_desa"), prefix=prefix, issues=issues)
    out["status"] = _status(frame, by_field.get("status"), kind=kind, prefix=prefix, issues=issues)
    out["strata"] = _strata(frame, by_field.get("strata"), prefix=prefix, issues=issues)
    for field in _COUNT_FIELDS:
        out[field] = _counts(frame, by_field.get(field), prefix=prefix, issues=issues)
    for field, words in _DATE_FIELDS.items():
        out[field] = _months(frame, by_field.get(field), words=words, prefix=prefix, issues=issues)
    subjects = out["kode"].fillna(out["nama"]).tolist()
    lat, lon = _coordinates(frame, by_field, subjects=subjects, prefix=prefix, issues=issues)
    out["lat"], out["lon"] = lat, lon
    out["ok_"] = _required_present(out, kind=kind, prefix=prefix, issues=issues)
    out["ok_"] = out["ok_"] & ~_dates_reversed(out, by_field, prefix=prefix, issues=issues)
    names = {name: out[name].where(out["ok_"]) for name in _NAME_FIELDS}
    too_long = check_name_lengths(
        names,
        rows=out["baris_sumber"].to_numpy(),
        columns={name: by_field.get(name) for name in _NAME_FIELDS},
        prefix=prefix,
        issues=issues,
    )
    out["ok_"] = out["ok_"] & ~too_long
    return out


def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(pd.NA, index=range(len(frame)), dtype=model.STR)
    return text_values(frame[column]).reset_index(drop=True)


def _kode_desa(frame: pd.DataFrame, column: str | None, *, prefix: str, issues: IssueLog) -> pd.Series:
    raw = _text(frame, column)
    codes = raw.map(lambda v: None if pd.isna(v) else model.normalise_kode_desa(v)).astype(model.STR)
    bad = raw.notna() & codes.isna()
    _warn_cells(
        frame,
        bad,
        values=raw,
        jenis="kode_desa_tidak_sah",
        column=column,
        reason=lambda value: (
            f"{prefix}kode desa '{value}' bukan kode Kemendagri (contoh: 32.06.01.2001); "
            "fasilitas diimpor tanpa kode desa."
        ),
        issues=issues,
    )
    return codes


def _status(frame: pd.DataFrame, column: str | None, *, kind: str, prefix: str, issues: IssueLog) -> pd.Series:
    default = pd.NA if kind == model.PUSTU else model.AKTIF
    raw = _text(frame, column)
    keys = raw.map(lambda v: "" if pd.isna(v) else re.sub(r"[\s\-_]+", "", str(v).lower()))
    status = keys.map(lambda k: _STATUS.get(k, pd.NA)).astype(model.STR)
    status = status.where(raw.notna(), default).astype(model.STR)
    unknown = raw.notna() & status.isna()
    missing = raw.isna() & status.isna()
    if column is None and missing.any():
        issues.add(
            PERINGATAN,
            "status_kosong",
            f"{prefix}Tidak ada kolom Status: status {int(missing.sum())} pustu tidak diketahui sehingga tidak "
            "dihitung aktif. Tambahkan kolom Status (Aktif/Tidak aktif) lalu impor lagi.",
        )
        return status
    _warn_cells(
        frame,
        unknown,
        values=raw,
        jenis="status_tidak_dikenal",
        column=column,
        reason=lambda value: (
            f"{prefix}status '{value}' tidak dikenal "
            "(isi Aktif atau Tidak aktif); status dikosongkan sehingga tidak dihitung aktif."
        ),
        issues=issues,
    )
    _warn_cells(
        frame,
        missing,
        values=raw,
        jenis="status_kosong",
        column=column,
        reason=lambda _value: (
            f"{prefix}kolom '{column}' kosong; status pustu tidak diketahui sehingga tidak dihitung aktif."
        ),
        issues=issues,
    )
    return status


def _strata(frame: pd.DataFrame, column: str | None, *, prefix: str, issues: IssueLog) -> pd.Series:
    raw = _text(frame, column)
    lowered = raw.str.lower()
    unknown = raw.notna() & ~lowered.isin(STRATA)
    _warn_cells(
        frame,
        unknown,
        values=raw,
        jenis="strata_tidak_dikenal",
        column=column,
        reason=lambda value: f"{prefix}strata '{value}' bukan Pratama/Madya/Purnama/Mandiri; disimpan apa adanya.",
        issues=issues,
    )
    return lowered.where(~unknown, raw).astype(model.STR)


def _counts(frame: pd.DataFrame, column: str | None, *, prefix: str, issues: IssueLog) -> pd.Series:
    if column is None:
        return pd.Series(pd.NA, index=range(len(frame)), dtype=model.INT)
    numbers, bad = parse_counts(frame[column].reset_index(drop=True))
    _warn_cells(
        frame,
        bad,
        values=frame[column],
        jenis="angka_tidak_sah",
        column=column,
        reason=lambda value: f"{prefix}nilai '{value}' bukan bilangan bulat >= 0; dikosongkan.",
        issues=issues,
    )
    return numbers


def _months(frame: pd.DataFrame, column: str | None, *, words: str, prefix: str, issues: IssueLog) -> pd.Series:
    """Month cells (YYYY-MM, dates, Excel date cells or serials) as ``YYYY-MM``; a bad cell is left empty."""
    if column is None:
        return pd.Series(pd.NA, index=range(len(frame)), dtype=model.STR)
    raw = _text(frame, column)
    months = parse_months(raw.fillna("")).where(raw.notna(), pd.NA).astype(model.STR)
    _warn_cells(
        frame,
        raw.notna() & months.isna(),
        values=raw,
        jenis="tanggal_tidak_sah",
        column=column,
        reason=lambda value: (
            f"{prefix}{words} '{value}' bukan tanggal atau bulan yang dikenali; dikosongkan (dianggap tidak "
            "diketahui). Tulis YYYY-MM (2025-06), tanggal (2025-06-15 atau 15/06/2025) atau sel tanggal Excel."
        ),
        issues=issues,
    )
    return months


def _dates_reversed(out: pd.DataFrame, by_field: Mapping[str, str], *, prefix: str, issues: IssueLog) -> pd.Series:
    """Rows whose tanggal nonaktif lies before their tanggal aktif (rejected, each with a message)."""
    aktif, nonaktif = out["tanggal_aktif"], out["tanggal_nonaktif"]
    reversed_ = (aktif.notna() & nonaktif.notna() & (nonaktif < aktif)).fillna(False).astype(bool)
    column = by_field.get("tanggal_nonaktif")
    for position in np.flatnonzero(reversed_.to_numpy()):
        issues.add(
            DITOLAK,
            "tanggal_terbalik",
            f"{prefix}tanggal nonaktif {nonaktif.iloc[position]} lebih awal dari tanggal aktif "
            f"{aktif.iloc[position]}; baris ditolak. Perbaiki salah satu tanggal lalu impor lagi.",
            baris=int(out["baris_sumber"].iloc[position]),
            kolom=column,
        )
    return reversed_


def _warn_cells(
    frame: pd.DataFrame,
    flagged: pd.Series,
    *,
    values: pd.Series,
    jenis: str,
    column: str | None,
    reason: Callable[[object], str],
    issues: IssueLog,
) -> None:
    """Record a warning ``jenis`` on ``column`` for each flagged row; ``reason(value)`` words it.

    ``flagged`` and ``values`` are aligned with ``frame`` by position.
    """
    rows = frame[ROW_COLUMN].to_numpy()
    for position in np.flatnonzero(flagged.to_numpy()):
        issues.add(PERINGATAN, jenis, reason(values.iloc[position]), baris=int(rows[position]), kolom=column)


def _coordinates(
    frame: pd.DataFrame, by_field: Mapping[str, str], *, subjects: list[object], prefix: str, issues: IssueLog
) -> tuple[np.ndarray, np.ndarray]:
    lat_col, lon_col, pair_col = by_field.get("lat"), by_field.get("lon"), by_field.get("koordinat")
    n = len(frame)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    rows = frame[ROW_COLUMN].to_numpy()
    lat_cells = frame[lat_col].tolist() if lat_col else [""] * n
    lon_cells = frame[lon_col].tolist() if lon_col else [""] * n
    pair_cells = frame[pair_col].tolist() if pair_col else [""] * n
    for i in range(n):
        use_pair = pair_col is not None and not (str(lat_cells[i]).strip() or str(lon_cells[i]).strip())
        parsed = parse_pair(pair_cells[i]) if use_pair else parse_lat_lon(lat_cells[i], lon_cells[i])
        if parsed.ada:
            lat[i], lon[i] = parsed.lat, parsed.lon
        elif parsed.alasan:
            column = pair_col if use_pair else f"{lat_col}/{lon_col}"
            issues.add(
                PERINGATAN,
                "koordinat_tidak_sah",
                f"{prefix}{parsed.alasan}; fasilitas diimpor tanpa titik.",
                baris=int(rows[i]),
                kolom=column,
                subjek=None if pd.isna(subjects[i]) else str(subjects[i]),
            )
    return lat, lon


def _required_present(out: pd.DataFrame, *, kind: str, prefix: str, issues: IssueLog) -> pd.Series:
    needed = "nama" if kind == model.PUSTU else "kode"
    ok = out[needed].notna()
    for row in out.loc[~ok, "baris_sumber"].tolist():
        what = "nama pustu" if kind == model.PUSTU else f"kode {_LABEL[kind]}"
        issues.add(DITOLAK, f"{needed}_kosong", f"{prefix}{what} kosong; baris ditolak.", baris=int(row))
    no_name = ok & out["nama"].isna()
    for row in out.loc[no_name, "baris_sumber"].tolist():
        issues.add(
            PERINGATAN,
            "nama_kosong",
            f"{prefix}nama {_LABEL[kind]} kosong; kode dipakai sebagai nama.",
            baris=int(row),
        )
    out.loc[no_name, "nama"] = out.loc[no_name, "kode"]
    return ok


# -- points, desa and ids --------------------------------------------------------------
def point_desa(
    lat: np.ndarray, lon: np.ndarray, *, desa: gpd.GeoDataFrame, declared: pd.Series | None = None
) -> np.ndarray:
    """``kode_desa`` each point lies in by the engine's rule (:func:`geo.placement.point_codes`); None: in no desa.

    The declared desa wins when its polygon covers the point; else the desa
    the point lies deepest in, ties to the smallest code. NaN coordinates give None.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    points = np.full(len(lat), None, dtype=object)
    valid = ~(np.isnan(lat) | np.isnan(lon))
    points[valid] = shapely.points(lon[valid], lat[valid])
    return point_codes(points, desa, declared=declared)


def _place_points(rows: pd.DataFrame, *, index: DesaIndex | None, desa: gpd.GeoDataFrame) -> pd.DataFrame:
    lat_in = rows["lat"].to_numpy(dtype=float)
    lon_in = rows["lon"].to_numpy(dtype=float)
    lat, lon, swapped, outside = resolve_swaps(lat_in, lon_in, inside=index.inside if index else None)
    located = point_desa(lat, lon, desa=desa, declared=rows["kode_desa"])
    return rows.assign(
        lat=lat,
        lon=lon,
        lat_asli_=lat_in,
        lon_asli_=lon_in,
        koordinat_ditukar=swapped,
        di_luar_=outside,
        desa_titik_=pd.Series(located, index=rows.index, dtype=model.STR),
    )


def _fill_kode_desa_from_names(rows: pd.DataFrame, *, desa: gpd.GeoDataFrame, issues: IssueLog) -> pd.DataFrame:
    todo = rows["kode_desa"].isna() & rows["nama_desa"].notna()
    if desa.empty or not todo.any():
        return rows
    codes, _ = match_desa_names(rows.loc[todo, "nama_desa"], rows.loc[todo, "nama_kecamatan"], desa=desa)
    found = codes.dropna()
    for position, code in found.items():
        row = rows.loc[position]
        issues.add(
            DIPERBAIKI,
            "kode_desa_dari_nama",
            f"{row['prefix_']}kode desa kosong; diisi {code} dari nama desa '{row['nama_desa']}'.",
            baris=int(row["baris_sumber"]),
        )
    kode_desa = rows["kode_desa"].copy()
    kode_desa.loc[found.index] = found
    return rows.assign(kode_desa=kode_desa)


def slug(text: object) -> str:
    """ASCII lower-case words joined by ``-``: ``Pustu Kota Kulon`` -> ``pustu-kota-kulon``."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _assign_ids(rows: pd.DataFrame, *, issues: IssueLog) -> pd.DataFrame:
    desa_part = rows["kode_desa"].fillna(rows["desa_titik_"])
    pustu_ids = [
        "-".join(p for p in ("PUSTU", d if not pd.isna(d) else "", slug(n)) if p)
        for d, n in zip(desa_part.tolist(), rows["nama"].tolist(), strict=True)
    ]
    base = rows["kode"].astype(object).where(rows["kode"].notna(), None)
    base = base.where(base.notna(), pd.Series(pustu_ids, index=rows.index)).astype(str)
    occurrence = base.groupby(base).cumcount() + 1
    ids = base.where(occurrence == 1, base + "~" + occurrence.astype(str))
    first_row = rows.groupby(base)["baris_sumber"].transform("first")
    for position in np.flatnonzero((occurrence > 1).to_numpy()):
        row = rows.iloc[position]
        issues.add(
            PERINGATAN,
            "duplikat_kode",
            f"{row['prefix_']}{_LABEL[row['jenis']]} {base.iloc[position]} sudah ada "
            f"di baris {first_row.iloc[position]}; baris ini tetap disimpan sebagai {ids.iloc[position]} "
            "dan hanya dihitung sekali.",
            baris=int(row["baris_sumber"]),
            subjek=base.iloc[position],
        )
    return rows.assign(id_fasilitas=ids.astype(model.STR), id_dasar_=base.astype(model.STR))


def _point_findings(rows: pd.DataFrame, *, desa: gpd.GeoDataFrame, issues: IssueLog) -> None:
    names = dict(zip(desa["kode_desa"], desa["nama_desa"], strict=True)) if not desa.empty else {}
    area = "wilayah desa yang tersimpan" if names else "wilayah Indonesia"
    for row in rows.itertuples(index=False):
        where = row.prefix_
        subject = row.id_dasar_
        label = _LABEL[row.jenis]
        if row.koordinat_ditukar:
            issues.add(
                DIPERBAIKI,
                "koordinat_ditukar",
                f"{where}lintang dan bujur {label} {subject} tertukar ({row.lat_asli_:.6f}, {row.lon_asli_:.6f}); "
                f"diperbaiki menjadi lintang {row.lat:.6f}, bujur {row.lon:.6f}.",
                baris=row.baris_sumber,
                subjek=subject,
            )
        if np.isnan(row.lat):
            issues.add(
                PERINGATAN,
                "tanpa_koordinat",
                f"{where}{label} {subject} tidak punya koordinat; diimpor tanpa titik dan tidak tampil di peta.",
                baris=row.baris_sumber,
                subjek=subject,
            )
        elif row.di_luar_:
            issues.add(
                PERINGATAN,
                "di_luar_wilayah",
                f"{where}titik {label} {subject} ({row.lat:.6f}, {row.lon:.6f}) berada di luar {area}; "
                "tetap diimpor, periksa koordinatnya.",
                baris=row.baris_sumber,
                subjek=subject,
            )
        _desa_findings(row, names=names, where=where, issues=issues)


def _desa_findings(row: object, *, names: Mapping[str, str], where: str, issues: IssueLog) -> None:
    declared, point = row.kode_desa, row.desa_titik_
    if not names or pd.isna(declared):
        return
    if declared not in names:
        issues.add(
            PERINGATAN,
            "kode_desa_tidak_dikenal",
            f"{where}kode desa {declared} tidak ada di batas desa yang tersimpan.",
            baris=row.baris_sumber,
            subjek=row.id_dasar_,
        )
    elif not pd.isna(point) and point != declared:
        issues.add(
            PERINGATAN,
            "desa_berbeda",
            f"{where}titik {_LABEL[row.jenis]} {row.id_dasar_} berada di desa {point} ({names.get(point, '?')}), "
            f"bukan di desa yang tercantum {declared} ({names[declared]}).",
            baris=row.baris_sumber,
            subjek=row.id_dasar_,
        )


def _fill_induk_codes(rows: pd.DataFrame, *, existing: gpd.GeoDataFrame) -> pd.DataFrame:
    """Own code for puskesmas; induk code of pustu/posyandu looked up by the induk's name when unique."""
    puskesmas = pd.concat(
        [
            existing.loc[existing["jenis"] == model.PUSKESMAS, ["kode", "nama"]],
            rows.loc[rows["jenis"] == model.PUSKESMAS, ["kode", "nama"]],
        ]
    ).dropna()
    by_name: dict[str, set[str]] = {}
    for code, name in zip(puskesmas["kode"], puskesmas["nama"], strict=True):
        by_name.setdefault(normalise_header(name), set()).add(str(code))
    unique = {name: next(iter(codes)) for name, codes in by_name.items() if len(codes) == 1}
    looked_up = rows["nama_puskesmas_induk"].map(
        lambda n: pd.NA if pd.isna(n) else unique.get(normalise_header(n), pd.NA)
    )
    code = rows["kode_puskesmas"].fillna(looked_up.astype(model.STR))
    code = code.where(rows["jenis"] != model.PUSKESMAS, rows["kode"])
    return rows.assign(kode_puskesmas=code.astype(model.STR))


# -- merging with the store --------------------------------------------------------------
def _point_xy(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of points (NaN for missing or empty geometries)."""
    lat = np.full(len(geometries), np.nan)
    lon = np.full(len(geometries), np.nan)
    present = ~shapely.is_missing(geometries)
    present[present] = ~shapely.is_empty(geometries[present])
    lat[present] = shapely.get_y(geometries[present])
    lon[present] = shapely.get_x(geometries[present])
    return lat, lon


def _kabupaten(kode_desa: pd.Series, fallback: pd.Series) -> pd.Series:
    code = kode_desa.fillna(fallback)
    return code.map(lambda c: pd.NA if pd.isna(c) else model.kode_kabupaten_of(str(c))).astype(model.STR)


def _stored_kabupaten(frame: gpd.GeoDataFrame, *, desa: gpd.GeoDataFrame) -> pd.Series:
    """Kabupaten of stored facility rows: of the declared desa, else of the desa the point lies in."""
    undeclared = frame["kode_desa"].isna().to_numpy()
    point_kode = pd.Series(pd.NA, index=frame.index, dtype=model.STR)
    if undeclared.any():
        lat, lon = _point_xy(frame.geometry.to_numpy()[undeclared])
        point_kode[undeclared] = point_desa(lat, lon, desa=desa)
    return _kabupaten(frame["kode_desa"], point_kode)


@dataclass(frozen=True)
class MergedFacilities:
    """The facility layers after an import (see :func:`merge_snapshot`).

    Attributes
    ----------
    current, history
        The whole new ``fasilitas`` and ``riwayat_fasilitas`` layers.
    notes
        Indonesian sentences for the report (and the import log) on what moved where.
    """

    current: gpd.GeoDataFrame
    history: gpd.GeoDataFrame
    notes: tuple[str, ...]


def merge_snapshot(
    rows: pd.DataFrame,
    *,
    existing: gpd.GeoDataFrame,
    history: gpd.GeoDataFrame,
    desa: gpd.GeoDataFrame,
    per: str,
) -> MergedFacilities:
    """Merge the file's rows, a snapshot of month ``per``, into the current and history layers.

    For each facility kind K of the file, with B the kabupaten of the file's
    rows (every stored row of K when the store holds one kabupaten), the
    *current rows of (K, B)* are the stored ``fasilitas`` rows of kind K in B
    (plus rows whose ``id_fasilitas`` the file uses again). Their snapshot
    month is their greatest ``per`` (NA, written before snapshots existed,
    counts as the oldest).

    - ``per`` newer than or equal to it: the current rows of (K, B) move to
      the history (those of the same ``per`` are replaced, not kept), history
      rows of (K, B, ``per``) are dropped, and the file's rows become current.
    - ``per`` older: the file's rows replace the history rows of
      (K, B, ``per``); the current layer is unchanged.

    Parameters
    ----------
    rows
        The file's accepted rows (``lat``/``lon``, ``desa_titik_``, ``per``).
    existing, history
        The stored ``fasilitas`` and ``riwayat_fasilitas`` layers (not modified).
    desa
        The stored desa (to tell the kabupaten of facilities without kode desa).
    per
        The snapshot month of the file, ``YYYY-MM``.

    Returns
    -------
    MergedFacilities
        Both whole layers and the notes.
    """
    located = rows["lat"].notna() & rows["lon"].notna()
    geometry = gpd.GeoSeries.from_xy(rows["lon"], rows["lat"], crs=model.CRS).where(located.to_numpy(), None)
    new = model.conform(gpd.GeoDataFrame(rows, geometry=geometry, crs=model.CRS), model.LAYER_FASILITAS)
    history = model.conform(history, model.LAYER_RIWAYAT_FASILITAS)
    store_kabs = set(desa["kode_kabupaten"].dropna()) if not desa.empty else set()
    several_kabs = len(store_kabs) > 1
    file_kabs = set(_kabupaten(rows["kode_desa"], rows["desa_titik_"]).dropna()) if several_kabs else set()

    def in_scope(frame: gpd.GeoDataFrame, kind: str) -> pd.Series:
        same_kind = (frame["jenis"] == kind).fillna(False).astype(bool)
        if not several_kabs or not same_kind.any():
            return same_kind
        kab = pd.Series(pd.NA, index=frame.index, dtype=model.STR)
        kab[same_kind] = _stored_kabupaten(frame[same_kind], desa=desa)
        return same_kind & kab.isin(file_kabs).to_numpy()

    keep_current = pd.Series(True, index=existing.index)
    keep_history = pd.Series(True, index=history.index)
    moved: list[gpd.GeoDataFrame] = []
    new_current = pd.Series(False, index=new.index)
    notes: list[str] = []
    for kind in sorted(set(new["jenis"])):
        of_kind = (new["jenis"] == kind).to_numpy()
        label = _LABEL[kind]
        current = in_scope(existing, kind) | existing["id_fasilitas"].isin(set(new.loc[of_kind, "id_fasilitas"]))
        current &= keep_current
        latest = existing.loc[current, "per"].dropna().max() if current.any() else None
        same_per = (history["per"] == per).fillna(False).astype(bool)
        old_history = in_scope(history, kind) & same_per & keep_history
        if latest is None or pd.isna(latest) or per >= latest:
            replaced = current & (existing["per"] == per).fillna(False).astype(bool)
            to_history = current & ~replaced
            moved.append(existing[to_history.to_numpy()])
            keep_current &= ~current
            keep_history &= ~old_history
            new_current |= of_kind
            if int(replaced.sum()):
                notes.append(
                    f"{int(replaced.sum())} fasilitas lama dengan jenis dan kabupaten yang sama diganti oleh isi "
                    "berkas ini."
                )
            if int(to_history.sum()):
                months = ", ".join(sorted({month_words(p) for p in existing.loc[to_history, "per"].dropna()}))
                when = f"keadaan per {months}" if months else "tanpa bulan keadaan"
                notes.append(
                    f"{int(to_history.sum())} {label} sebelumnya ({when}) disimpan sebagai riwayat; "
                    "isi berkas ini menjadi data sekarang."
                )
        else:
            keep_history &= ~old_history
            replaced_note = (
                f", menggantikan {int(old_history.sum())} baris riwayat per bulan itu" if old_history.any() else ""
            )
            notes.append(
                f"Keadaan per {month_words(per)} lebih lama dari data {label} sekarang (per {month_words(latest)}): "
                f"isi berkas disimpan sebagai riwayat{replaced_note}; data {label} sekarang tidak berubah."
            )
    current_layer = pd.concat([existing[keep_current.to_numpy()], new[new_current.to_numpy()]], ignore_index=True)
    history_layer = pd.concat(
        [history[keep_history.to_numpy()], *moved, new[~new_current.to_numpy()]], ignore_index=True
    )
    return MergedFacilities(
        current=model.conform(
            gpd.GeoDataFrame(current_layer, geometry="geometry", crs=model.CRS), model.LAYER_FASILITAS
        ),
        history=model.conform(
            gpd.GeoDataFrame(history_layer, geometry="geometry", crs=model.CRS), model.LAYER_RIWAYAT_FASILITAS
        ),
        notes=tuple(notes),
    )
