"""Turn a grid of cell text into a table: find the header row, resolve merged cells, name the columns.

Shared by the CSV and XLSX readers. A grid is a frame of strings whose index
is the spreadsheet row number and whose columns are ``0..n-1``; the result
has the header names as columns plus :data:`ROW_COLUMN`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import pandas as pd
from openpyxl.utils.cell import get_column_letter

from loaders.columns import header_score, known_headers, normalise_header
from loaders.exceptions import InputError

__all__ = ["HEADER_SCAN_ROWS", "MIN_HEADER_MATCHES", "NOTES_ATTR", "ROW_COLUMN", "Merge", "build_frame"]

ROW_COLUMN: Final = "__baris__"
"""Column holding the spreadsheet row number of each data row (the header is row 1 in a plain file)."""
NOTES_ATTR: Final = "catatan"
"""Key of ``frame.attrs`` holding file-level notes (a list of Indonesian sentences)."""
HEADER_SCAN_ROWS: Final = 10
MIN_HEADER_MATCHES: Final = 2

Merge = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row (1-based, inclusive)


def build_frame(grid: pd.DataFrame, *, sheet: str, source: str, merges: Sequence[Merge]) -> pd.DataFrame | None:
    """Turn a grid (index = row number, columns 0..n-1) into a frame with named columns.

    Returns None for a sheet without any non-empty cell.
    """
    filled = grid.apply(lambda col: col.str.strip() != "")
    nonempty_rows = filled.any(axis=1)
    if not nonempty_rows.any():
        return None
    header_row = _find_header(grid, nonempty=nonempty_rows)
    names, last_header_row = _header_names(grid, header_row=header_row, merges=merges, sheet=sheet, source=source)
    body = grid.loc[grid.index > last_header_row]
    body = _fill_merged_data(body, merges=merges)
    keep_rows = body.apply(lambda col: col.str.strip() != "").any(axis=1)
    body = body.loc[keep_rows]
    keep_cols = [i for i, name in enumerate(names) if name or (len(body) and (body[i].str.strip() != "").any())]
    columns = _unique_names([names[i] or f"Kolom {get_column_letter(i + 1)}" for i in keep_cols])
    frame = body[keep_cols].copy()
    frame.columns = columns
    frame = frame.astype(str)
    frame[ROW_COLUMN] = frame.index.astype("int64")
    return frame.reset_index(drop=True)


def _find_header(grid: pd.DataFrame, *, nonempty: pd.Series) -> int:
    """Row number of the header: the first of the first rows with enough known names.

    "Enough" is at least :data:`MIN_HEADER_MATCHES` and more than half of the best
    score, so a title block such as ``Puskesmas: | X | Kecamatan: | Y`` above
    the real header is skipped.
    """
    candidates = [int(r) for r in nonempty.index[nonempty.to_numpy()][:HEADER_SCAN_ROWS]]
    scores = {row: header_score(grid.loc[row]) for row in candidates}
    needed = max(MIN_HEADER_MATCHES, max(scores.values()) // 2 + 1)
    for row in candidates:
        if scores[row] >= needed:
            return row
    for row in candidates:
        if (grid.loc[row].str.strip() != "").sum() >= 2:
            return row
    return candidates[0]


def _header_names(
    grid: pd.DataFrame, *, header_row: int, merges: Sequence[Merge], sheet: str, source: str
) -> tuple[list[str], int]:
    """Header names and the last header row (more than one when header cells are merged)."""
    touching = [m for m in merges if m[1] <= header_row <= m[3]]
    last = max([header_row, *(m[3] for m in touching)])
    horizontal = [m for m in touching if m[2] > m[0]]
    if horizontal and last == header_row:
        last = header_row + 1
    rows = [r for r in range(header_row, last + 1) if r in grid.index]
    names = [_clean_header(_bottom_value(grid, rows, col)) for col in range(grid.shape[1])]
    for min_col, _, max_col, _ in horizontal:
        spanned = [names[c - 1] for c in range(min_col, max_col + 1) if c - 1 < len(names)]
        resolved = (
            len(rows) > 1
            and all(name and normalise_header(name) in known_headers() for name in spanned)
            and len(set(spanned)) == len(spanned)
        )
        if not resolved:
            ref = f"{get_column_letter(min_col)}{header_row}:{get_column_letter(max_col)}{header_row}"
            msg = (
                f"Sheet '{sheet}' di berkas {source}: sel judul kolom {ref} digabung (merge) sehingga "
                "kolom-kolomnya tidak bernama. Pisahkan gabungan sel (Unmerge) dan sisakan satu baris judul "
                "dengan satu nama per kolom, lalu impor lagi."
            )
            raise InputError(msg)
    return names, last


def _bottom_value(grid: pd.DataFrame, rows: Sequence[int], col: int) -> str:
    for row in reversed(rows):
        value = str(grid.at[row, col]).strip()
        if value:
            return value
    return ""


def _clean_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip()


def _fill_merged_data(body: pd.DataFrame, *, merges: Sequence[Merge]) -> pd.DataFrame:
    """Fill merged data cells (e.g. a Kecamatan cell spanning rows) with their top-left value."""
    inside = [m for m in merges if len(body) and m[1] >= body.index[0]]
    if not inside:
        return body
    body = body.copy()
    for min_col, min_row, max_col, max_row in inside:
        value = body.at[min_row, min_col - 1] if min_row in body.index and min_col - 1 < body.shape[1] else ""
        rows = [r for r in range(min_row, max_row + 1) if r in body.index]
        cols = [c for c in range(min_col - 1, max_col) if c < body.shape[1]]
        body.loc[rows, cols] = value
    return body


def _unique_names(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        result.append(name if count == 1 else f"{name} ({count})")
    return result
