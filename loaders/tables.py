"""Read spreadsheet tables (XLSX, CSV) robustly and within bounds, every cell as a string.

:func:`read_tables` returns one raw frame per sheet (a CSV is one sheet named
after the file stem). Every cell is text exactly as shown (empty cells are
``""``); the importers parse numbers, dates and coordinates themselves. The
column :data:`ROW_COLUMN` holds the spreadsheet row number of each data row as
the user sees it (the header is row 1 in a plain file). :func:`sheet_names`
lists the sheets of an XLSX within the same bounds.

The work is done by single-topic modules; this one is the entry point and
keeps importable what the importers and pages import from it:

* :mod:`loaders.table_sniff`: file present, not empty, under the size cap
  (:data:`~loaders.limits.MAX_BYTES_TABEL`, :data:`~loaders.limits.MAX_BYTES_LAPORAN`),
  XLSX or text; HTML pages, old .xls and binary files refused.
* :mod:`loaders.csv_reader`: CSV separator ``,`` ``;`` tab or ``|``, per-line
  UTF-16/UTF-8/cp1252 decoding (a note or a warning naming cp1252 rows),
  lines, rows, columns, cells and cell length bounded before pandas parses.
* :mod:`loaders.xlsx_container`: the XLSX zip checked before any XML is
  parsed (entries, declared sizes, no DTD in any XML prolog).
* :mod:`loaders.xlsx_book`: the workbook, styles and shared strings
  (streamed, :data:`~loaders.limits.MAX_XLSX_SHARED_STRINGS`); parts openpyxl
  reads whole capped at :data:`~loaders.limits.MAX_XLSX_PART_XML_BYTES`.
* :mod:`loaders.xlsx_reader`: every sheet streamed with expat (formulas give
  their cached values; formulas without one are noted), one
  :data:`~loaders.limits.MAX_TABLE_CELLS` budget for all sheets of a file.
* :mod:`loaders.table_frames`: the header row found among the first
  :data:`HEADER_SCAN_ROWS` rows (title rows above it skipped), merged header
  cells over a row of sub-headers resolved, merged data cells filled down.
* :mod:`loaders.table_import`: the helpers the three tabular importers share
  (:class:`IssueLog`, :func:`map_sheets`, :func:`check_name_lengths`, ...).

Everything a user's file can get wrong is an Indonesian
:class:`~loaders.exceptions.InputError` naming the file (and the row or
column where known). File-level notes (e.g. formulas without values, cp1252
rows) are attached to a frame as ``frame.attrs["catatan"]`` (a list of
Indonesian sentences).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.csv_reader import read_csv
from loaders.exceptions import InputError
from loaders.limits import MAX_BYTES_LAPORAN, MAX_BYTES_TABEL, MEGABYTE
from loaders.numbers import angka, ukuran
from loaders.table_frames import HEADER_SCAN_ROWS, NOTES_ATTR, ROW_COLUMN
from loaders.table_import import (
    IssueLog,
    MappedSheet,
    catatan_frame,
    check_name_lengths,
    map_sheets,
    mapping_for_report,
    parse_counts,
    prepared_table_import,
    sheet_prefix,
    text_values,
)
from loaders.table_sniff import ZIP_MAGIC, check_file, sniff
from loaders.xlsx_book import open_xlsx
from loaders.xlsx_reader import read_xlsx

__all__ = [
    "HEADER_SCAN_ROWS",
    "MAX_BYTES_LAPORAN",
    "MAX_BYTES_TABEL",
    "MEGABYTE",
    "NOTES_ATTR",
    "ROW_COLUMN",
    "IssueLog",
    "MappedSheet",
    "angka",
    "catatan_frame",
    "check_name_lengths",
    "map_sheets",
    "mapping_for_report",
    "parse_counts",
    "prepared_table_import",
    "read_tables",
    "sheet_names",
    "sheet_prefix",
    "text_values",
    "ukuran",
]


def read_tables(path: Path, *, sheet: str | None = None, max_bytes: int = MAX_BYTES_TABEL) -> dict[str, pd.DataFrame]:
    """Read every sheet of an XLSX file, or one CSV file, as raw string frames, within the bounds.

    Parameters
    ----------
    path
        The XLSX or CSV file.
    sheet
        Only this sheet of an XLSX file (case-insensitive); ignored for CSV.
    max_bytes
        Files larger than this are refused (the message says to split them).

    Returns
    -------
    dict
        Sheet name (CSV: file stem) -> frame of strings with the header names as
        columns plus :data:`ROW_COLUMN` (spreadsheet row number). Sheets without
        data rows are left out.

    Raises
    ------
    InputError
        The file is missing, empty, too large, not a table, corrupt, has no data
        rows, has an unresolvable merged header, ``sheet`` does not exist, or a
        bound of :mod:`loaders.limits` is exceeded.
    """
    path = Path(path)
    head = check_file(path, max_bytes=max_bytes)
    kind = sniff(path, head)
    frames = read_xlsx(path, sheet=sheet) if kind == "xlsx" else read_csv(path)
    kept = {name: frame for name, frame in frames.items() if frame is not None and len(frame)}
    if not kept:
        what = f"sheet '{sheet}' di berkas {path.name}" if sheet and kind == "xlsx" else f"berkas {path.name}"
        has_header = any(frame is not None for frame in frames.values())
        reason = "hanya berisi judul kolom, tanpa baris data" if has_header else "kosong (tidak ada tabel)"
        msg = f"{what[0].upper()}{what[1:]} {reason}. Isi data mulai baris di bawah judul kolom lalu impor lagi."
        raise InputError(msg)
    return kept


def sheet_names(path: Path) -> list[str]:
    """Sheet names of an XLSX file, read within the same bounds as :func:`read_tables`.

    Returns
    -------
    list of str
        The sheet names in workbook order; ``[]`` for a file that is not a zip
        container (e.g. a CSV), which has no sheets.

    Raises
    ------
    InputError
        The XLSX container is over a bound, holds a DTD, or its workbook is corrupt.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            if handle.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
                return []
    except OSError:
        return []
    with open_xlsx(path, contents=False) as book:
        return book.names
