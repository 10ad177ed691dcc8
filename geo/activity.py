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

from geo.lookup import dictionary_encode, lookup_positions
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
    row_cell
        Per report row: its cell ``posyandu * n_months + column`` (-1: unknown code or invalid month).
    unknown_codes
        ``kode_posyandu, baris``: report codes matching no posyandu, with their row count.
    duplicate_rows
        ``kode_posyandu, bulan, baris``: (code, month) pairs reported more than once.
    """

    month_axis: np.ndarray
    opened_cum: np.ndarray
    last_report: np.ndarray
    row_cell: np.ndarray
    unknown_codes: pd.DataFrame
    duplicate_rows: pd.DataFrame

    @property
    def months(self) -> list[str]:
        """The report months as ``YYYY-MM``, ascending."""
        return [month_label(m) for m in self.month_axis]

    @property
    def row_posyandu(self) -> np.ndarray:
        """Posyandu position of each report row (-1: unknown code or invalid month)."""
        n_months = max(len(self.month_axis), 1)
        return np.where(self.row_cell >= 0, self.row_cell // n_months, -1)

    def first_rows(self, posyandu: np.ndarray | None = None) -> np.ndarray:
        """Positions of the first report row of each (posyandu, month), optionally only of ``posyandu``.

        Sorted by posyandu position, then month.
        """
        rows = np.flatnonzero(self.row_cell >= 0)
        if posyandu is not None:
            wanted = np.zeros(self.opened_cum.shape[0], dtype=bool)
            wanted[np.asarray(posyandu, dtype="int64")] = True
            rows = rows[wanted[self.row_cell[rows] // max(len(self.month_axis), 1)]]
        _, first = np.unique(self.row_cell[rows], return_index=True)
        return rows[first]


def build_report_matrix(laporan: pd.DataFrame, posyandu_codes: pd.Index | pd.Series | np.ndarray) -> ReportMatrix:
    """Build the :class:`ReportMatrix` of ``laporan`` for the posyandu ``posyandu_codes``.

    One Arrow hash lookup of the report codes against the posyandu codes
    (``pyarrow.compute.index_in``), one dictionary encoding of the months,
    one flat cell index per row (``posyandu * n_months + column``) and two
    ``bincount`` over it (rows per cell, opened rows per cell). No per-row
    Python, no sort and no scattered writes into 2-D arrays.

    Parameters
    ----------
    laporan
        Model layer ``laporan``.
    posyandu_codes
        Unique posyandu codes; row ``i`` of the matrices is ``posyandu_codes[i]``.
    """
    column, month_axis = _month_columns(laporan["bulan"])
    n, n_months = len(posyandu_codes), len(month_axis)
    n_cells = n * n_months
    row_pos = lookup_positions(laporan["kode_posyandu"], posyandu_codes)
    known = (row_pos >= 0) & (column >= 0)
    # cell index, built in place in one int64 array (bincount's own index type: no hidden copies)
    cell = row_pos.astype(np.intp)
    cell *= max(n_months, 1)
    cell += column
    cell[~known] = n_cells
    rows_per_cell = np.bincount(cell, minlength=n_cells + 1)[:n_cells]
    buka = laporan["buka"].to_numpy(dtype=bool, na_value=False)
    opened = np.bincount(cell[buka], minlength=n_cells + 1)[:n_cells] > 0

    unknown_rows = np.flatnonzero(~known & (column >= 0) & laporan["kode_posyandu"].notna().to_numpy())
    unknown_f, unknown_uniques = pd.factorize(laporan["kode_posyandu"].iloc[unknown_rows], use_na_sentinel=True)
    duplicate_rows = pd.concat(
        [
            _duplicate_cells(rows_per_cell, pd.Series(posyandu_codes), month_axis),
            _duplicates(unknown_f, column[unknown_rows], pd.Series(unknown_uniques), month_axis),
        ],
        ignore_index=True,
    ).sort_values(["kode_posyandu", "bulan"], ignore_index=True)

    opened_cum = np.zeros((n, n_months + 1), dtype=np.int16 if n_months < 32_000 else np.int32)
    np.cumsum(opened.reshape(n, n_months), axis=1, out=opened_cum[:, 1:])
    last_report = np.where(rows_per_cell.reshape(n, n_months) > 0, month_axis.astype(np.int32), np.int32(-1))
    np.maximum.accumulate(last_report, axis=1, out=last_report)
    return ReportMatrix(
        month_axis=month_axis,
        opened_cum=opened_cum,
        last_report=last_report,
        row_cell=np.where(known, cell, -1).astype(np.int32 if n_cells < 2**31 - 1 else np.int64),
        unknown_codes=_unknown(unknown_f, unknown_uniques),
        duplicate_rows=duplicate_rows,
    )


def _duplicate_cells(rows_per_cell: np.ndarray, names: pd.Series, month_axis: np.ndarray) -> pd.DataFrame:
    """Known (posyandu, month) cells with more than one report row."""
    n_months = max(len(month_axis), 1)
    dup = np.flatnonzero(rows_per_cell > 1)
    return pd.DataFrame(
        {
            "kode_posyandu": pd.Series(names.iloc[dup // n_months].to_numpy(dtype=object), dtype="string"),
            "bulan": pd.Series([month_label(m) for m in month_axis[dup % n_months]], dtype="string"),
            "baris": rows_per_cell[dup].astype("int64"),
        }
    )


def _month_columns(bulan: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Column of each row in the ascending axis of valid months present (-1 when invalid), and the axis."""
    indices, dictionary = dictionary_encode(bulan)
    parsed = np.array([_try_month(v) for v in dictionary], dtype="int64")
    month_axis = np.unique(parsed[parsed >= 0])
    unique_column = np.append(np.where(parsed >= 0, np.searchsorted(month_axis, parsed), -1), -1).astype(np.int32)
    return unique_column[indices], month_axis


def _duplicates(code: np.ndarray, column: np.ndarray, names: pd.Series, month_axis: np.ndarray) -> pd.DataFrame:
    """(code, month) cells with more than one row, for codes ``0..len(names)-1``."""
    n_months = max(len(month_axis), 1)
    cells = np.bincount(code.astype("int64") * n_months + column, minlength=len(names) * n_months)
    return _duplicate_cells(cells, names, month_axis)


def _unknown(code_f: np.ndarray, uniques: pd.Index) -> pd.DataFrame:
    counts = np.bincount(code_f[code_f >= 0], minlength=len(uniques))
    hit = np.flatnonzero(counts)
    frame = pd.DataFrame(
        {"kode_posyandu": pd.Series(np.asarray(uniques, dtype=object)[hit], dtype="string"), "baris": counts[hit]}
    )
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
