"""Read the worksheets of an XLSX file as grids of text, streamed with expat within the bounds.

Before any sheet is parsed, sheets sharing one part are refused and a quick
byte count of ``<c`` tags over the sheets to read refuses files far over
:data:`~loaders.limits.MAX_TABLE_CELLS`. Each sheet is then streamed: the
``<dimension>`` is checked before the first row, a quick count of ``<row``
tags follows, then rows, cells per row, columns, cells (one budget for all
sheets of the file), characters per cell and NUL characters are counted as
they arrive. Only one cell is held as an element at a time; its value is
converted by openpyxl's own cell parser (formulas give their cached values).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import Element, SubElement
from xml.parsers import expat

import numpy as np
import pandas as pd
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from loaders.exceptions import InputError
from loaders.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_TABLE_CELLS
from loaders.numbers import angka
from loaders.table_frames import NOTES_ATTR, Merge, build_frame
from loaders.table_sniff import CHUNK_BYTES
from loaders.xlsx_book import SheetPart, XlsxBook, open_xlsx
from loaders.xlsx_container import XLSX_ERRORS, count_tags

__all__ = ["SheetStream", "cell_text", "read_xlsx"]


def read_xlsx(path: Path, *, sheet: str | None) -> dict[str, pd.DataFrame | None]:
    """Read the sheets of an XLSX file (all, or ``sheet``) as ``{name: frame or None}``, within the bounds."""
    with open_xlsx(path) as book:
        try:
            wanted = _select_sheets(book.names, sheet=sheet, source=path.name)
            _check_cell_tags(book, [part for part in book.sheets if part.name in wanted], source=path.name)
            frames: dict[str, pd.DataFrame | None] = {}
            budget = MAX_TABLE_CELLS  # for all sheets together: many sheets may not add up to more
            for part in book.sheets:
                if part.name in wanted and part.name not in frames:
                    frames[part.name], used = _read_sheet(book, part, source=path.name, budget=budget)
                    budget -= used
        except InputError:
            raise
        except XLSX_ERRORS as exc:
            msg = (
                f"Berkas {path.name} rusak: sheet tidak dapat dibaca ({type(exc).__name__}). "
                "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
            )
            raise InputError(msg) from exc
    return frames


def _check_cell_tags(book: XlsxBook, parts: Sequence[SheetPart], *, source: str) -> None:
    """Refuse, before parsing any sheet, sheets sharing one part or holding more cells together than allowed.

    A quick byte count of ``<c`` tags over the sheets to read (each part at
    most once; the container check bounds their total size) makes a workbook
    of many large sheets fail in seconds rather than after minutes of parsing.
    """
    members = [part.member for part in parts]
    if len(set(members)) < len(members):
        msg = (
            f"Berkas {source} rusak: beberapa sheet menunjuk ke isi yang sama. "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg)
    cells = 0
    for member in members:
        cells += count_tags(book.archive, member, _CELL_TAG_RE, stop=MAX_TABLE_CELLS - cells)
        if cells > MAX_TABLE_CELLS:
            msg = (
                f"Berkas {source} berisi lebih dari {angka(MAX_TABLE_CELLS)} sel berisi (semua sheet yang dibaca), "
                "melebihi batas sel per tabel. Pecah berkas (misalnya per kecamatan atau per tahun) atau hapus kolom "
                "yang tidak diperlukan, lalu impor lagi."
            )
            raise InputError(msg)


def _select_sheets(names: Sequence[str], *, sheet: str | None, source: str) -> list[str]:
    if sheet is None:
        return list(names)
    wanted = [n for n in names if n.strip().lower() == sheet.strip().lower()]
    if not wanted:
        msg = f"Sheet '{sheet}' tidak ada di berkas {source}. Sheet yang ada: {', '.join(names)}."
        raise InputError(msg)
    return wanted[:1]


def _read_sheet(book: XlsxBook, part: SheetPart, *, source: str, budget: int) -> tuple[pd.DataFrame | None, int]:
    """One sheet as a frame (None when it has no cells) and the number of cells it used of ``budget``."""
    stream = SheetStream(book.cell_parser(), sheet=part.name, source=source, budget=budget)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stream.read(book.archive, part.member)
    grid = stream.grid()
    if grid is None:
        return None, 0
    frame = build_frame(grid, sheet=part.name, source=source, merges=stream.merges)
    if frame is not None and stream.formulas:
        empty_formulas = [ref for ref in stream.formulas if _cell_is_empty(grid, ref)]
        if empty_formulas:
            shown = ", ".join(empty_formulas[:5]) + (" ..." if len(empty_formulas) > 5 else "")
            frame.attrs[NOTES_ATTR] = [
                *frame.attrs.get(NOTES_ATTR, []),
                f"Sheet '{part.name}': {len(empty_formulas)} sel berisi rumus tanpa nilai tersimpan ({shown}) "
                "dan dibaca kosong. Buka berkas di Excel/LibreOffice lalu simpan ulang agar nilainya ikut tersimpan.",
            ]
    return frame, int(grid.size)


_MAIN_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW: Final = f"{_MAIN_NS}}}row"
_CELL: Final = f"{_MAIN_NS}}}c"
_DIMENSION: Final = f"{_MAIN_NS}}}dimension"
_SHEET_DATA: Final = f"{_MAIN_NS}}}sheetData"
_MERGE_CELL: Final = f"{_MAIN_NS}}}mergeCell"
_FORMULA_TAG: Final = f"{{{_MAIN_NS}}}f"
_VALUE_TAG: Final = f"{{{_MAIN_NS}}}v"
_MAX_MERGES: Final = 100_000
# Text read inside one cell element (value, formula, rich-text runs) before its value is even known.
_MAX_CELL_XML_CHARS: Final = 2 * MAX_CELL_CHARS


class SheetStream:
    """One worksheet's XML streamed through expat within the bounds of :mod:`loaders.limits`.

    Only the cell being read is kept as an element (for openpyxl's cell parser,
    which converts shared strings, dates, booleans and errors exactly as
    openpyxl does); finished rows are kept as lists of strings.
    """

    def __init__(self, cells: WorkSheetParser, *, sheet: str, source: str, budget: int = MAX_TABLE_CELLS) -> None:
        self.cells = cells
        self.budget = budget
        self.sheet = sheet
        self.source = source
        self.rows: dict[int, list[str]] = {}
        self.merges: list[Merge] = []
        self.formulas: list[str] = []
        self._row: list[str] | None = None
        self._row_number = 0
        self._row_elements = 0
        self._row_cells = 0
        self._width = 0
        self._source_part: tuple[zipfile.ZipFile, str] | None = None
        self._stack: list[Element] = []
        self._cell_chars = 0

    def read(self, archive: zipfile.ZipFile, member: str) -> None:
        """Parse the sheet XML ``member`` of ``archive`` (its size was checked with the container).

        At ``<sheetData>`` (after ``<dimension>``, which is checked first), a
        quick byte count of ``<row`` tags refuses a sheet with far too many
        rows in about a second, before the slower parse would reach the limit;
        the parse then counts exactly.
        """
        self._source_part = (archive, member)
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        with archive.open(member) as xml:
            while chunk := xml.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def grid(self) -> pd.DataFrame | None:
        """Return the cells as a frame of strings, index = spreadsheet row (gaps filled with empty rows)."""
        width = max((len(r) for r in self.rows.values()), default=0)
        if width == 0:
            return None
        last = max(self.rows)
        empty = [""] * width
        table = [self.rows.get(r, empty) for r in range(1, last + 1)]
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in table], dtype=object).astype(str)
        grid.index = np.arange(1, len(grid) + 1)
        return grid

    # -- expat handlers
    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if self._stack:
            self._cell_chars += 1
            self._check_cell_size()
            self._stack.append(SubElement(self._stack[-1], _et_tag(name), attrs))
        elif name == _CELL and self._row is not None:
            self._row_cells += 1
            if self._row_cells > MAX_COLUMNS:
                self._refuse_columns(self._row_cells)
            self._cell_chars = 0
            self._stack.append(Element(_et_tag(name), attrs))
        elif name == _ROW:
            self._start_row(attrs)
        elif name == _DIMENSION:
            self._check_dimension(attrs.get("ref", ""))
        elif name == _SHEET_DATA:
            self._count_rows_quickly()
        elif name == _MERGE_CELL:
            self._add_merge(attrs.get("ref", ""))

    def _end(self, name: str) -> None:
        if self._stack:
            element = self._stack.pop()
            if not self._stack:
                self._finish_cell(element)
        elif name == _ROW and self._row is not None:
            if self._row_number not in self.rows:
                self.rows[self._row_number] = self._row
            self._row = None

    def _text(self, text: str) -> None:
        if not self._stack:
            return
        self._cell_chars += len(text)
        self._check_cell_size()
        element = self._stack[-1]
        if len(element):  # text after a child element (layout whitespace): not part of a value
            return
        element.text = text if element.text is None else element.text + text

    # -- rows and cells
    def _start_row(self, attrs: dict[str, str]) -> None:
        self._row_elements += 1
        declared = attrs.get("r")
        if declared is None:
            number = self._row_number + 1
        else:
            try:
                number = int(float(declared))
            except (ValueError, OverflowError):
                number = -1
            if number < 1:
                msg = (
                    f"Sheet '{self.sheet}' di berkas {self.source} rusak: nomor baris '{declared[:20]}' tidak sah. "
                    "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
                )
                raise InputError(msg)
        if number > MAX_ROWS + 1 or self._row_elements > MAX_ROWS + 1:
            msg = (
                f"Sheet '{self.sheet}' di berkas {self.source} berisi lebih dari {angka(MAX_ROWS)} baris data "
                f"(ada baris {angka(number)}). Hapus baris kosong atau berformat di bawah tabel (pilih barisnya lalu "
                "Delete) atau pecah berkas (misalnya per kecamatan atau per tahun), lalu impor lagi."
            )
            raise InputError(msg)
        self._row_number = max(number, self._row_number)
        self.cells.row_counter = number
        self.cells.col_counter = 0
        self._row_cells = 0
        self._row = [] if number not in self.rows else None

    def _finish_cell(self, element: Element) -> None:
        cell = self.cells.parse_cell(element)
        column = int(cell["column"])
        if column > MAX_COLUMNS:
            self._refuse_columns(column)
        if column < 1 or self._row is None:
            return
        if column > self._width:
            self._width = column
        if self._row_number * self._width > self.budget:
            self._refuse_total()
        text = cell_text(cell["value"])
        where = f"Sheet '{self.sheet}' di berkas {self.source}, baris {angka(self._row_number)} kolom "
        where += get_column_letter(column)
        if len(text) > MAX_CELL_CHARS:
            msg = (
                f"{where}: isi sel {angka(len(text))} karakter, melebihi batas {angka(MAX_CELL_CHARS)} karakter per "
                "sel. Periksa sel itu (mungkin teks tertempel berulang) lalu impor lagi."
            )
            raise InputError(msg)
        if "\x00" in text:
            msg = (
                f"{where}: sel berisi karakter NUL (kode 0), yang tidak boleh ada dalam teks. Hapus karakter itu "
                "lalu impor lagi."
            )
            raise InputError(msg)
        if element.find(_FORMULA_TAG) is not None and not (element.findtext(_VALUE_TAG) or ""):
            self.formulas.append(f"{get_column_letter(column)}{self._row_number}")
        row = self._row
        if len(row) < column:
            row.extend([""] * (column - len(row)))
        row[column - 1] = text

    def _refuse_total(self) -> None:
        msg = (
            f"Sheet '{self.sheet}' di berkas {self.source} berisi lebih dari {angka(MAX_TABLE_CELLS)} sel "
            f"(baris x kolom, semua sheet yang dibaca; sheet ini sudah {angka(self._row_number)} baris x "
            f"{angka(self._width)} kolom). Hapus kolom atau baris yang tidak diperlukan, atau pecah berkas, lalu "
            "impor lagi."
        )
        raise InputError(msg)

    def _check_cell_size(self) -> None:
        if self._cell_chars > _MAX_CELL_XML_CHARS:
            column = self.cells.col_counter + 1
            msg = (
                f"Sheet '{self.sheet}' di berkas {self.source}, baris {angka(self._row_number)} (sekitar kolom "
                f"{get_column_letter(min(column, 16384))}): isi sel lebih dari {angka(MAX_CELL_CHARS)} karakter, "
                "batas per sel. Periksa sel itu (mungkin teks tertempel berulang) lalu impor lagi."
            )
            raise InputError(msg)

    def _refuse_columns(self, column: int) -> None:
        msg = (
            f"Sheet '{self.sheet}' di berkas {self.source} baris {angka(self._row_number)} berisi sel sampai kolom ke-"
            f"{angka(column)}, melebihi batas {angka(MAX_COLUMNS)} kolom. Hapus kolom kosong atau berformat di "
            "kanan tabel lalu impor lagi."
        )
        raise InputError(msg)

    def _count_rows_quickly(self) -> None:
        rows = _count_row_tags(*self._source_part)
        if rows > MAX_ROWS + 1:
            msg = (
                f"Sheet '{self.sheet}' di berkas {self.source} berisi lebih dari {angka(MAX_ROWS)} baris data "
                f"(sedikitnya {angka(rows)} baris). Hapus baris kosong atau berformat di bawah tabel (pilih "
                "barisnya lalu Delete) atau pecah berkas (misalnya per kecamatan atau per tahun), lalu impor lagi."
            )
            raise InputError(msg)

    def _check_dimension(self, ref: str) -> None:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.split(" ")[0].upper())
        except (ValueError, TypeError):
            return
        rows = (max_row or 1) - (min_row or 1) + 1
        columns = (max_col or 1) - (min_col or 1) + 1
        if (max_row or 0) > MAX_ROWS + 1 or (max_col or 0) > MAX_COLUMNS or rows * columns > MAX_TABLE_CELLS:
            msg = (
                f"Sheet '{self.sheet}' di berkas {self.source} berukuran {angka(max_row or 0)} baris x "
                f"{angka(max_col or 0)} kolom (rentang {ref[:30]}), melebihi batas {angka(MAX_ROWS)} baris data, "
                f"{angka(MAX_COLUMNS)} kolom dan {angka(MAX_TABLE_CELLS)} sel per sheet. Hapus baris/kolom kosong "
                "atau berformat di bawah dan di kanan tabel (pilih lalu Delete), atau pecah berkas (misalnya per "
                "kecamatan atau per tahun), lalu impor lagi."
            )
            raise InputError(msg)

    def _add_merge(self, ref: str) -> None:
        if len(self.merges) >= _MAX_MERGES:
            msg = (
                f"Sheet '{self.sheet}' di berkas {self.source} berisi lebih dari {angka(_MAX_MERGES)} sel gabungan "
                "(merge). Pisahkan gabungan sel (Unmerge) lalu impor lagi."
            )
            raise InputError(msg)
        try:
            merge = range_boundaries(ref.upper())
        except (ValueError, TypeError):
            return
        if None not in merge:
            self.merges.append(merge)


_ROW_TAG_RE: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_TAG_RE: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def _count_row_tags(archive: zipfile.ZipFile, member: str) -> int:
    """Count the ``<row`` start tags of a sheet XML, stopping past the row limit."""
    return count_tags(archive, member, _ROW_TAG_RE, stop=MAX_ROWS + 1)


def _et_tag(name: str) -> str:
    """Turn expat's ``ns}local`` name into ElementTree's ``{ns}local`` tag (what openpyxl compares)."""
    return "{" + name if "}" in name else name


def cell_text(value: object) -> str:
    """Text of a cell value as the user sees it (whole floats without ``.0``, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _cell_is_empty(grid: pd.DataFrame, ref: str) -> bool:
    min_col, min_row, _, _ = range_boundaries(f"{ref}:{ref}")
    if min_row not in grid.index or min_col - 1 >= grid.shape[1]:
        return True
    return not str(grid.at[min_row, min_col - 1]).strip()
