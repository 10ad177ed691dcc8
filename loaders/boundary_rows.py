"""Turn the recognised columns of a boundary file into desa attributes, row by row.

Row numbers (``baris``) count features from 1, in file order, as QGIS's
attribute table does. A row whose code is empty or invalid, or whose names are
longer than :data:`MAX_NAME_LENGTH`, is rejected; doubtful values that can be
replaced (``jenis``, ``penduduk``, region codes that disagree with the desa
code) give a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import pandas as pd

from loaders import model
from loaders.boundary_columns import ColumnMatch, parse_kode_bps, text_values
from loaders.exceptions import InputError
from loaders.import_report import DITOLAK, PERINGATAN, RowIssue
from loaders.limits import MAX_NAME_LENGTH
from loaders.numbers import angka

NAME_FIELDS: Final = ("nama_desa", "nama_kecamatan", "nama_kabupaten", "nama_provinsi")
REGION_FIELDS: Final = ("kode_kecamatan", "kode_kabupaten", "kode_provinsi")
_MAX_LISTED: Final = 10
# Length of the BPS region prefixes: provinsi 2, kabupaten 4, kecamatan 7 digits
_BPS_PREFIX: Final = {"kode_provinsi": 2, "kode_kabupaten": 4, "kode_kecamatan": 7}
_KEMENDAGRI_REGION: Final[dict[str, Callable[[str], str]]] = {
    "kode_kecamatan": model.kode_kecamatan_of,
    "kode_kabupaten": model.kode_kabupaten_of,
    "kode_provinsi": model.kode_provinsi_of,
}


@dataclass(frozen=True)
class RowResult:
    """Desa attributes of every row (positional index) and what was found."""

    attributes: pd.DataFrame
    issues: tuple[RowIssue, ...]


def build_attributes(match: ColumnMatch, *, berkas: str) -> RowResult:
    """Build the canonical desa attributes (no geometry) of every source row.

    Parameters
    ----------
    match
        The recognised columns (:func:`loaders.boundary_columns.detect_columns`).
    berkas
        File name, for messages.

    Returns
    -------
    RowResult
        Attributes for all rows (rejected rows included; their issues say
        ``ditolak``) and the row issues.

    Raises
    ------
    InputError
        The same desa code appears on more than one row.
    """
    frame = match.frame.reset_index(drop=True)
    codes, issues = _codes(frame, match)
    check_duplicates(codes, berkas=berkas)
    columns: dict[str, pd.Series] = {"kode_desa": codes}
    for name in NAME_FIELDS:
        values, found = _names(frame, match, name)
        columns[name] = values
        issues += found
    jenis, found = _jenis(frame, match, codes)
    columns["jenis"] = jenis
    issues += found
    for name in REGION_FIELDS:
        values, found = _region(frame, match, codes, name)
        columns[name] = values
        issues += found
    columns["penduduk"], found = _penduduk(frame, match)
    issues += found
    columns["sistem_kode"] = pd.Series([match.sistem_kode] * len(frame), dtype=model.STR)
    attributes = model.conform(pd.DataFrame(columns), model.LAYER_DESA).drop(columns="geometry")
    return RowResult(attributes=pd.DataFrame(attributes), issues=tuple(issues))


def check_duplicates(codes: pd.Series, *, berkas: str) -> None:
    """Refuse the file when a desa code appears on more than one row.

    Raises
    ------
    InputError
        Naming up to ten duplicated codes and their row numbers.
    """
    present = codes.dropna()
    duplicated = present[present.duplicated(keep=False)]
    if duplicated.empty:
        return
    rows = {code: [int(p) + 1 for p in positions] for code, positions in duplicated.groupby(duplicated).groups.items()}
    listed = "; ".join(f"{code} (baris {', '.join(map(str, r))})" for code, r in list(rows.items())[:_MAX_LISTED])
    more = f" dan {len(rows) - _MAX_LISTED} kode lain" if len(rows) > _MAX_LISTED else ""
    msg = (
        f"Berkas {berkas} berisi kode desa ganda: {listed}{more}. Berkas batas dengan kode ganda tidak dapat "
        "dipercaya, jadi tidak ada yang diimpor. Pastikan satu desa satu baris (gabungkan bagian-bagian desa yang "
        "sama menjadi satu MultiPolygon, misalnya dengan Vector > Geoprocessing Tools > Dissolve di QGIS) "
        "dan perbaiki kode yang salah, lalu ulangi."
    )
    raise InputError(msg)


def _codes(frame: pd.DataFrame, match: ColumnMatch) -> tuple[pd.Series, list[RowIssue]]:
    column = match.fields["kode_desa"]
    parse = model.normalise_kode_desa if match.sistem_kode == model.KEMENDAGRI else parse_kode_bps
    raw = text_values(frame[column])
    codes = raw.map(parse)
    issues: list[RowIssue] = []
    for position in codes.index[codes.isna()]:
        value = raw[position]
        issues.append(_code_issue(int(position), value, column=column, sistem=match.sistem_kode))
    return codes.astype(model.STR), issues


def _code_issue(position: int, value: str | None, *, column: str, sistem: str) -> RowIssue:
    if value is None:
        return RowIssue(DITOLAK, "kode_kosong", "Kode desa kosong; baris ini tidak diimpor.", position + 1, column)
    if sistem == model.KEMENDAGRI:
        alasan = (
            f"Kode desa '{value}' tidak sah: kode desa Kemendagri berbentuk PP.KK.CC.DDDD "
            "(10 angka, misalnya 32.06.01.2001); baris ini tidak diimpor."
        )
    else:
        alasan = (
            f"Kode desa BPS '{value}' tidak sah: harus 10 angka (boleh diawali 'ID' seperti ADM4_PCODE); "
            "baris ini tidak diimpor."
        )
    return RowIssue(DITOLAK, "kode_tidak_sah", alasan, position + 1, column, value)


def _names(frame: pd.DataFrame, match: ColumnMatch, name: str) -> tuple[pd.Series, list[RowIssue]]:
    column = match.fields.get(name)
    if column is None:
        return pd.Series([None] * len(frame), dtype=model.STR), []
    values = text_values(frame[column])
    too_long = values.map(lambda v: v is not None and len(v) > MAX_NAME_LENGTH)
    issues = [
        RowIssue(
            DITOLAK,
            "nama_terlalu_panjang",
            f"Isi kolom {column} terlalu panjang ({angka(len(values[p]))} karakter, paling banyak {MAX_NAME_LENGTH}); "
            "baris ini tidak diimpor. Periksa apakah kolom itu benar berisi nama.",
            int(p) + 1,
            column,
        )
        for p in values.index[too_long]
    ]
    return values.astype(model.STR), issues


def _jenis(frame: pd.DataFrame, match: ColumnMatch, codes: pd.Series) -> tuple[pd.Series, list[RowIssue]]:
    derived = codes.map(_derived_jenis(match.sistem_kode))
    column = match.fields.get("jenis")
    if column is None:
        return derived.astype(model.STR), []
    given = text_values(frame[column])
    parsed = given.map(_parse_jenis)
    unknown = given.notna() & parsed.isna() & codes.notna()
    issues = [
        RowIssue(
            PERINGATAN,
            "jenis_tidak_dikenal",
            f"Jenis '{given[p]}' tidak dikenal (harus desa atau kelurahan); "
            + (f"dipakai '{derived[p]}' menurut kode desa." if pd.notna(derived[p]) else "dibiarkan kosong."),
            int(p) + 1,
            column,
            codes[p],
        )
        for p in given.index[unknown]
    ]
    return parsed.where(parsed.notna(), derived).astype(model.STR), issues


def _derived_jenis(sistem: str) -> Callable[[object], str | None]:
    def derive(code: object) -> str | None:
        if sistem != model.KEMENDAGRI or not isinstance(code, str):
            return None
        return model.jenis_from_kode(code)

    return derive


def _parse_jenis(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text.startswith("kel"):
        return model.KELURAHAN
    if text == "desa" or text.startswith("desa "):
        return model.DESA
    return None


def _region(frame: pd.DataFrame, match: ColumnMatch, codes: pd.Series, name: str) -> tuple[pd.Series, list[RowIssue]]:
    """Region code derived from the desa code; a disagreeing source column gives a warning."""
    derive = _region_deriver(match.sistem_kode, name)
    derived = codes.map(lambda c: derive(c) if isinstance(c, str) else None)
    column = match.fields.get(name)
    if column is None:
        return derived.astype(model.STR), []
    given = text_values(frame[column])
    differs = given.notna() & derived.notna() & (given.map(_digits) != derived.map(_digits))
    issues = [
        RowIssue(
            PERINGATAN,
            "kode_wilayah_tidak_cocok",
            f"Kolom {column} berisi '{given[p]}', tetapi kode desa {codes[p]} menunjukkan {derived[p]}; "
            f"dipakai {derived[p]}.",
            int(p) + 1,
            column,
            codes[p],
        )
        for p in given.index[differs]
    ]
    return derived.astype(model.STR), issues


def _region_deriver(sistem: str, name: str) -> Callable[[str], str]:
    if sistem == model.KEMENDAGRI:
        return _KEMENDAGRI_REGION[name]
    length = _BPS_PREFIX[name]
    return lambda code: code[:length]


def _digits(value: object) -> str | None:
    return "".join(ch for ch in str(value) if ch.isdigit()) if value is not None else None


def _penduduk(frame: pd.DataFrame, match: ColumnMatch) -> tuple[pd.Series, list[RowIssue]]:
    column = match.fields.get("penduduk")
    if column is None:
        return pd.Series([pd.NA] * len(frame), dtype=model.INT), []
    given = text_values(frame[column])
    numbers = pd.to_numeric(given.map(_plain_number), errors="coerce")
    bad = given.notna() & (numbers.isna() | (numbers < 0))
    issues = [
        RowIssue(
            PERINGATAN,
            "penduduk_tidak_sah",
            f"Jumlah penduduk '{given[p]}' bukan bilangan bulat tidak negatif; dibiarkan kosong.",
            int(p) + 1,
            column,
        )
        for p in given.index[bad]
    ]
    return numbers.where(~bad).round().astype(model.INT), issues


def _plain_number(value: str | None) -> str | None:
    """``"12.345"`` (Indonesian thousands) -> ``"12345"``; ``"1,5"`` -> ``"1.5"``."""
    if value is None:
        return None
    text = value.replace(" ", "")
    if text.count(".") >= 1 and "," not in text and all(len(p) == 3 for p in text.split(".")[1:]):
        return text.replace(".", "")
    return text.replace(".", "").replace(",", ".") if "," in text else text
