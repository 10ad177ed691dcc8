"""Indicators per kecamatan, puskesmas, kabupaten or province (pure functions).

From a desa table (:meth:`geo.engine.Coverage.desa_table`):

* ``desa``: number of desa; ``desa_ada_data``: those whose kabupaten/kota has
  facility data (every status but ``tanpa_data``); ``desa_ada_laporan``: those
  whose kabupaten/kota also has reports; ``kabupaten_tanpa_data``: kabupaten/kota
  of the group with no facility data;
* ``desa_<status>`` and ``pct_<status>``: desa per status and their share of
  ``desa_ada_data`` (of ``desa`` for ``tanpa_data``: the share without data),
  for each status of :mod:`geo.statuses` in its display order;
* ``desa_kesenjangan`` / ``pct_kesenjangan``: desa with a gap (a status that
  ``is_gap``) and their share of ``desa_ada_data`` (what the maps colour units by);
* ``desa_pustu_aktif`` (share of ``desa_ada_data``) / ``desa_posyandu_aktif``
  (share of ``desa_ada_laporan``): desa with >= 1 active pustu / posyandu;
* ``posyandu_total``, ``posyandu_dinilai`` (those of a kabupaten/kota with
  reports; the others are *belum melapor*), ``posyandu_aktif``
  (``pct_posyandu_aktif`` = aktif / dinilai), ``posyandu_lapor``
  (``pct_kelengkapan_laporan`` = posyandu with a report this month / dinilai);
* ``pustu_total``, ``pustu_standar`` (``pct_pustu_standar`` = active pustu
  meeting the staffing standard / active pustu).

So desa without data never weigh on a percentage (README "Aturan").

Percentages are 0-100 floats, NaN when the denominator is 0. Desa without a
puskesmas are grouped under an empty code (NA) named "Tanpa puskesmas".
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from geo.statuses import DESA_ADA_DATA, GAP_CODES, STATUSES, TANPA_DATA
from loaders.exceptions import EngineError, InputError

GROUPS: Final = {
    "kecamatan": ("kode_kecamatan", "nama_kecamatan"),
    "puskesmas": ("kode_puskesmas", "puskesmas"),
    "kabupaten": ("kode_kabupaten", "nama_kabupaten"),
    "provinsi": ("kode_provinsi", "nama_provinsi"),
}
NO_GROUP_NAME: Final = {"puskesmas": "Tanpa puskesmas"}
INDICATOR_COLUMNS: Final = (
    "kode",
    "nama",
    "desa",
    DESA_ADA_DATA,
    "desa_ada_laporan",
    "kabupaten_tanpa_data",
    *(s.count_column for s in STATUSES),
    *(s.pct_column for s in STATUSES),
    "desa_kesenjangan",
    "pct_kesenjangan",
    "desa_pustu_aktif",
    "pct_desa_pustu_aktif",
    "desa_posyandu_aktif",
    "pct_desa_posyandu_aktif",
    "posyandu_total",
    "posyandu_dinilai",
    "posyandu_aktif",
    "pct_posyandu_aktif",
    "posyandu_lapor",
    "pct_kelengkapan_laporan",
    "pustu_total",
    "pustu_standar",
    "pct_pustu_standar",
)
# percentage column -> (numerator, denominator)
PERCENTAGES: Final = {
    **{s.pct_column: (s.count_column, s.denominator) for s in STATUSES},
    "pct_kesenjangan": ("desa_kesenjangan", DESA_ADA_DATA),
    "pct_desa_pustu_aktif": ("desa_pustu_aktif", DESA_ADA_DATA),
    "pct_desa_posyandu_aktif": ("desa_posyandu_aktif", "desa_ada_laporan"),
    "pct_posyandu_aktif": ("posyandu_aktif", "posyandu_dinilai"),
    "pct_kelengkapan_laporan": ("posyandu_lapor", "posyandu_dinilai"),
    "pct_pustu_standar": ("pustu_standar", "pustu_aktif"),
}
REQUIRED: Final = (
    "status",
    "pustu_aktif",
    "posyandu_total",
    "posyandu_aktif",
    "posyandu_lapor",
    "pustu_total",
    "pustu_standar",
)


def summarise(desa_table: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Aggregate a desa table into indicators per group.

    Parameters
    ----------
    desa_table
        Output of :meth:`geo.engine.Coverage.desa_table` (any subset of rows).
    by
        ``'kecamatan'``, ``'puskesmas'``, ``'kabupaten'`` or ``'provinsi'``.

        Columns ``ada_data``/``ada_laporan`` (absent in hand-made tables:
        every desa with a status other than ``tanpa_data`` has both) and
        ``kode_kabupaten`` (absent: one kabupaten) are optional.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by code (no-code group last), columns
        :data:`INDICATOR_COLUMNS`.

    Raises
    ------
    InputError
        For an unknown ``by``.
    EngineError
        When ``desa_table`` lacks a needed column.
    """
    if by not in GROUPS:
        msg = f"Pengelompokan '{by}' tidak dikenal; pilih salah satu: {', '.join(GROUPS)}."
        raise InputError(msg)
    kode_col, nama_col = GROUPS[by]
    missing = [c for c in (kode_col, nama_col, *REQUIRED) if c not in desa_table.columns]
    if missing:
        msg = f"Tabel desa tidak lengkap untuk indikator: kolom {', '.join(missing)} tidak ada."
        raise EngineError(msg)
    counts = _desa_counts(desa_table, kode_col, nama_col)
    grouped = counts.groupby("kode", sort=True, dropna=False)
    table = grouped.sum(numeric_only=True)
    table["kabupaten_tanpa_data"] = _kabupaten_without_data(desa_table, counts).reindex(table.index, fill_value=0)
    table.insert(0, "nama", grouped["nama"].first().astype("string"))
    table = table.reset_index()
    table["kode"] = table["kode"].astype("string")
    table.loc[table["kode"].isna(), "nama"] = NO_GROUP_NAME.get(by, "Tanpa kode")
    for pct, (num, den) in PERCENTAGES.items():
        table[pct] = percentage(table[num].to_numpy(), table[den].to_numpy())
    return table.loc[:, list(INDICATOR_COLUMNS)]


def _flag(desa_table: pd.DataFrame, column: str, default: np.ndarray) -> np.ndarray:
    if column not in desa_table.columns:
        return default
    return desa_table[column].to_numpy(dtype=bool, na_value=False)


def _kabupaten_without_data(desa_table: pd.DataFrame, counts: pd.DataFrame) -> pd.Series:
    """Per group code: distinct kabupaten/kota among its ``tanpa_data`` desa."""
    no_data = counts[f"desa_{TANPA_DATA}"].to_numpy() > 0
    if "kode_kabupaten" in desa_table.columns:
        kabupaten = desa_table["kode_kabupaten"].to_numpy(dtype=object, na_value="")
    else:
        kabupaten = np.full(len(desa_table), "", dtype=object)
    pairs = pd.DataFrame({"kode": counts["kode"].to_numpy(dtype=object)[no_data], "kab": kabupaten[no_data]})
    return pairs.groupby("kode", sort=False, dropna=False)["kab"].nunique().astype("int64")


def _desa_counts(desa_table: pd.DataFrame, kode_col: str, nama_col: str) -> pd.DataFrame:
    status = desa_table["status"].to_numpy(dtype=object, na_value="")
    ada_data = _flag(desa_table, "ada_data", status != TANPA_DATA)
    ada_laporan = _flag(desa_table, "ada_laporan", ada_data) & ada_data
    posyandu_total = desa_table["posyandu_total"].to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "kode": desa_table[kode_col].to_numpy(dtype=object, na_value=None),
            "nama": desa_table[nama_col].to_numpy(dtype=object, na_value=None),
            "desa": np.ones(len(desa_table), dtype="int64"),
            DESA_ADA_DATA: ada_data.astype("int64"),
            "desa_ada_laporan": ada_laporan.astype("int64"),
            **{s.count_column: (status == s.code).astype("int64") for s in STATUSES},
            "desa_kesenjangan": np.isin(status, GAP_CODES).astype("int64"),
            "desa_pustu_aktif": (desa_table["pustu_aktif"].to_numpy() > 0).astype("int64"),
            "desa_posyandu_aktif": (desa_table["posyandu_aktif"].to_numpy() > 0).astype("int64"),
            "posyandu_total": posyandu_total,
            "posyandu_dinilai": np.where(ada_laporan, posyandu_total, 0).astype("int64"),
            "posyandu_aktif": desa_table["posyandu_aktif"].to_numpy(dtype="int64"),
            "posyandu_lapor": desa_table["posyandu_lapor"].to_numpy(dtype="int64"),
            "pustu_total": desa_table["pustu_total"].to_numpy(dtype="int64"),
            "pustu_standar": desa_table["pustu_standar"].to_numpy(dtype="int64"),
            "pustu_aktif": desa_table["pustu_aktif"].to_numpy(dtype="int64"),
        }
    )


def percentage(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``100 * numerator / denominator`` as floats, NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    out = np.full(num.shape, np.nan)
    np.divide(100.0 * num, den, out=out, where=den != 0)
    return out
