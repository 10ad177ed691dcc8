"""Posyandu activity from the monthly reports, as integer month arrays.

Months are integer indices (``year * 12 + month - 1``). The reports are
turned once into two posyandu x month matrices over the months present in
the reports (columns sorted ascending):

* ``opened_cum[:, c]``: how many of the first ``c`` report months the
  posyandu opened (``buka`` true), so the months opened in any window is one
  subtraction per posyandu;
* ``last_report[:, c]``: the latest month, up to column ``c``, with a report
  row for the posyandu (-1 for none).

Rules: a posyandu is *aktif* for month M when it opened in at least
``posyandu_min_bulan`` of the ``posyandu_jendela_bulan`` months ending at M;
a month without a report row, or with ``buka`` empty, counts as not opened.
Several rows for one posyandu and month are one report (opened when any row
says so; the first row is kept for the monthly chart) and are listed as
duplicates. ``lapor_bulan_ini``: a report row exists for M, whatever its
``buka``. ``berhenti_lapor``: no report row in the ``laporan_berhenti_bulan``
months ending at M (a posyandu that never reported has stopped too). Reports
whose code is not a known posyandu are ignored and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.rules import Rules
from loaders.exceptions import InputError

MONTH_PATTERN: Final = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: object) -> int:
    """Return the month index of ``'YYYY-MM'``.

    Raises
    ------
    InputError
        When ``text`` is not a month written as YYYY-MM.

    Examples
    --------
    >>> parse_month("2026-10")
    24321
    """
    match = MONTH_PATTERN.match(str(text).strip()) if text is not None else None
    if match is None:
        msg = f"Bulan '{text}' tidak sah: tulis sebagai YYYY-MM (tahun-bulan), misalnya 2026-10."
        raise InputError(msg)
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(index: int) -> str:
    """Return ``'YYYY-MM'`` of a month index (inverse of :func:`parse_month`)."""
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_indices(bulan: pd.Series) -> np.ndarray:
    """Month index of every value of ``bulan`` (-1 when not a valid YYYY-MM); parsed once per unique value."""
    codes, uniques = pd.factorize(bulan, use_na_sentinel=True)
    parsed = np.array([_try_month(v) for v in uniques], dtype="int64")
    out = np.full(len(codes), -1, dtype="int64")
    known = codes >= 0
    out[known] = parsed[codes[known]]
    return out


def _try_month(value: object) -> int:
    try:
        return parse_month(value)
    except InputError:
        return -1


@dataclass(frozen=True)
class ReportMatrix:
    """Posyandu x report-month arrays built once from the reports.

    Attributes
    ----------
    month_axis
        Month index of each column, ascending (the months present in the reports).
    opened_cum
        ``(n_posyandu, n_months + 1)`` cumulative count of opened months.
    last_report
        ``(n_posyandu, n_months)`` latest reported month index up to each column, -1 for none.
    kept_rows, kept_posyandu
        Positions in the report table of the first row of each (known posyandu, month), and
        the posyandu position of each.
    unknown_codes
        ``kode_posyandu, baris``: report codes matching no posyandu, with their row count.
    duplicate_rows
        ``kode_posyandu, bulan, baris``: (code, month) pairs reported more than once.
    """

    month_axis: np.ndarray
    opened_cum: np.ndarray
    last_report: np.ndarray
    kept_rows: np.ndarray
    kept_posyandu: np.ndarray
    unknown_codes: pd.DataFrame
    duplicate_rows: pd.DataFrame

    @property
    def months(self) -> list[str]:
        """The report months as ``YYYY-MM``, ascending."""
        return [month_label(m) for m in self.month_axis]


def build_report_matrix(laporan: pd.DataFrame, posyandu_codes: pd.Index) -> ReportMatrix:
    """Build the :class:`ReportMatrix` of ``laporan`` for the posyandu ``posyandu_codes``.

    One hash pass over the report codes (``pd.factorize``), one over the
    (code, month) keys for duplicates, then numpy fancy indexing; no per-row
    Python.

    Parameters
    ----------
    laporan
        Model layer ``laporan``.
    posyandu_codes
        Unique posyandu codes; row ``i`` of the matrices is ``posyandu_codes[i]``.
    """
    code_f, code_uniques = pd.factorize(laporan["kode_posyandu"], use_na_sentinel=True)
    month = month_indices(laporan["bulan"])
    valid = (code_f >= 0) & (month >= 0)
    month_axis = np.unique(month[valid])
    column = np.searchsorted(month_axis, month)
    first = _first_of_pair(code_f, column, valid, len(month_axis))
    duplicate_rows = _duplicates(laporan, code_f, column, valid, first)

    unique_pos = posyandu_codes.get_indexer(code_uniques) if len(code_uniques) else np.empty(0, dtype="intp")
    row_pos = np.full(len(code_f), -1, dtype="int64")
    row_pos[code_f >= 0] = unique_pos[code_f[code_f >= 0]]
    known = valid & (row_pos >= 0)
    unknown_codes = _unknown(laporan, code_f, code_uniques, valid & (row_pos < 0))

    buka = laporan["buka"].to_numpy(dtype=bool, na_value=False)
    n, t = len(posyandu_codes), len(month_axis)
    opened = np.zeros((n, t), dtype=bool)
    sel = known & buka
    opened[row_pos[sel], column[sel]] = True
    opened_cum = np.zeros((n, t + 1), dtype=np.int16 if t < 32_000 else np.int32)
    np.cumsum(opened, axis=1, out=opened_cum[:, 1:])
    del opened
    last_report = np.full((n, t), -1, dtype=np.int32)
    last_report[row_pos[known], column[known]] = month_axis[column[known]]
    np.maximum.accumulate(last_report, axis=1, out=last_report)

    kept = np.flatnonzero(known & first)
    return ReportMatrix(
        month_axis=month_axis,
        opened_cum=opened_cum,
        last_report=last_report,
        kept_rows=kept,
        kept_posyandu=row_pos[kept],
        unknown_codes=unknown_codes,
        duplicate_rows=duplicate_rows,
    )


def _first_of_pair(code_f: np.ndarray, column: np.ndarray, valid: np.ndarray, n_months: int) -> np.ndarray:
    """True for the first row of each (code, month) pair among valid rows."""
    key = code_f.astype("int64") * (n_months + 1) + column
    key = np.where(valid, key, -1 - np.arange(len(key)))  # invalid rows never duplicate each other
    return ~pd.Series(key).duplicated(keep="first").to_numpy()


def _duplicates(
    laporan: pd.DataFrame,
    code_f: np.ndarray,
    column: np.ndarray,
    valid: np.ndarray,
    first: np.ndarray,
) -> pd.DataFrame:
    dup_rows = np.flatnonzero(valid & ~first)
    columns = {"kode_posyandu": "string", "bulan": "string", "baris": "int64"}
    if dup_rows.size == 0:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})
    frame = laporan.iloc[dup_rows][["kode_posyandu", "bulan"]].astype("string")
    counts = frame.groupby(["kode_posyandu", "bulan"], sort=True).size().rename("baris") + 1
    return counts.reset_index().astype(columns)


def _unknown(laporan: pd.DataFrame, code_f: np.ndarray, uniques: pd.Index, mask: np.ndarray) -> pd.DataFrame:
    if not mask.any():
        return pd.DataFrame({"kode_posyandu": pd.Series(dtype="string"), "baris": pd.Series(dtype="int64")})
    counts = np.bincount(code_f[mask], minlength=len(uniques))
    hit = np.flatnonzero(counts)
    frame = pd.DataFrame({"kode_posyandu": pd.Series(np.asarray(uniques)[hit], dtype="string"), "baris": counts[hit]})
    return frame.sort_values("kode_posyandu", ignore_index=True)


@dataclass(frozen=True)
class MonthActivity:
    """Per posyandu (matrix rows) activity for one month."""

    bulan_buka: np.ndarray
    aktif: np.ndarray
    lapor: np.ndarray
    laporan_terakhir: np.ndarray
    berhenti: np.ndarray


def activity_for_month(matrix: ReportMatrix, month: int, *, rules: Rules) -> MonthActivity:
    """Activity of every posyandu for month index ``month`` under ``rules``.

    A month before every report gives ``bulan_buka`` 0 (inactive) for all.
    """
    axis = matrix.month_axis
    hi = int(np.searchsorted(axis, month, side="right"))
    lo = int(np.searchsorted(axis, month - rules.posyandu_jendela_bulan + 1, side="left"))
    bulan_buka = (matrix.opened_cum[:, hi].astype("int64") - matrix.opened_cum[:, lo]).astype("int64")
    if hi == 0:
        last = np.full(matrix.last_report.shape[0], -1, dtype="int64")
    else:
        last = matrix.last_report[:, hi - 1].astype("int64")
    return MonthActivity(
        bulan_buka=bulan_buka,
        aktif=bulan_buka >= rules.posyandu_min_bulan,
        lapor=last == month,
        laporan_terakhir=last,
        berhenti=last < month - rules.laporan_berhenti_bulan + 1,
    )
