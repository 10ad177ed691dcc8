"""Read spreadsheet tables (XLSX, CSV) robustly and within bounds, every cell as a string.

Also holds the small helpers the three tabular importers (facilities,
reports, working areas) share: :class:`IssueLog`, :func:`catatan_frame`,
:func:`parse_counts`, :func:`text_values`, :func:`prepared_table_import`,
:func:`check_name_lengths`.

:func:`read_tables` returns one raw frame per sheet (a CSV is one sheet named
after the file stem). Every cell is text exactly as shown (empty cells are
``""``); the importers parse numbers, dates and coordinates themselves. The
column :data:`ROW_COLUMN` holds the spreadsheet row number of each data row as
the user sees it (the header is row 1 in a plain file).

What is handled:

* XLSX: every sheet, formulas give their cached values (``data_only``); the
  header row is found among the first :data:`HEADER_SCAN_ROWS` rows (title
  rows above it are skipped); merged header cells over a row of sub-headers
  (``Koordinat`` over ``Latitude | Longitude``) are resolved, merged data cells
  are filled down; formulas without a cached value are noted.
* CSV: separator ``,`` ``;`` tab or ``|`` detected. The encoding is decided
  per file and checked line by line: UTF-16 with BOM; else every line that is
  valid UTF-8 (with or without BOM) is read as UTF-8 and every other line as
  Windows-1252 (cp1252). A file whose non-ASCII lines are all cp1252 gets a
  note; a file mixing UTF-8 and cp1252 lines is read without mojibake and gets
  a warning naming the cp1252 rows (check their text); a non-UTF-8 line with a
  byte cp1252 does not define (0x81 0x8D 0x8F 0x90 0x9D) refuses the file.
* Refused with an Indonesian :class:`~loaders.exceptions.InputError` naming the
  file: missing or empty files, header-only tables, binary garbage, HTML pages
  renamed to .csv/.xlsx, old .xls, corrupt XLSX, files over the size cap
  (:data:`~loaders.limits.MAX_BYTES_TABEL`, :data:`~loaders.limits.MAX_BYTES_LAPORAN`),
  a NUL character (naming its row), and every bound of :mod:`loaders.limits`.

Bounds, checked before or while reading (never after loading everything):

* XLSX container, before openpyxl opens it: number of zip entries and size of
  the central directory (from the end record), each entry's declared
  uncompressed size (:data:`~loaders.limits.MAX_XLSX_SHEET_XML_BYTES`; zipfile
  never inflates past it) and their total
  (:data:`~loaders.limits.MAX_UNCOMPRESSED_BYTES`); every XML part's prolog is
  checked for a DTD (``<!DOCTYPE``/``<!ENTITY``: XXE and "billion laughs"),
  which no real XLSX has.
* Parts openpyxl reads whole into a tree (content types, workbook, its
  relationships, styles) are capped at :data:`~loaders.limits.MAX_XLSX_PART_XML_BYTES`;
  :func:`openpyxl.load_workbook` itself is not used (in read-only mode it scans
  every sheet without a ``<dimension>`` to its end while opening).
* Before any sheet is parsed, quick byte counts of ``<c`` tags (all sheets to
  read) and ``<si`` tags (shared strings) refuse files far over
  :data:`~loaders.limits.MAX_TABLE_CELLS` or
  :data:`~loaders.limits.MAX_XLSX_SHARED_STRINGS` in seconds.
* XLSX sheets and shared strings are streamed with expat (no tree of the
  whole part): the ``<dimension>`` is checked before the first row, a quick
  count of ``<row`` tags follows, then rows, cells per row, columns, cells
  (one budget for all sheets of the file), characters per cell and NUL
  characters are counted as they arrive. Only one cell is held as an element
  at a time; its value is converted by openpyxl's own cell parser.
* CSV lines are read in chunks; a line longer than
  :data:`~loaders.limits.MAX_LINE_BYTES` is refused before it is decoded, and
  rows, columns, cells and cell length are bounded before pandas parses.

File-level notes (e.g. formulas without values, cp1252 rows) are attached to a
frame as ``frame.attrs["catatan"]`` (a list of Indonesian sentences).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final
from xml.etree.ElementTree import Element, ParseError, SubElement
from xml.parsers import expat

import numpy as np
import pandas as pd
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS

from loaders import model
from loaders.columns import (
    FIELDS,
    check_override_fields,
    check_required,
    detect_mapping,
    header_score,
    known_headers,
    normalise_header,
    override_applies,
)
from loaders.exceptions import InputError
from loaders.import_report import DITOLAK, ImportReport, RowIssue
from loaders.limits import (
    GIGABYTE,
    MAX_BYTES_LAPORAN,
    MAX_BYTES_TABEL,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    MAX_NAME_LENGTH,
    MAX_ROWS,
    MAX_TABLE_CELLS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_XLSX_PART_XML_BYTES,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_SHEET_XML_BYTES,
    MAX_ZIP_ENTRIES,
    MEGABYTE,
)
from loaders.prepared import PreparedImport
from loaders.store import file_sha256

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

ROW_COLUMN: Final = "__baris__"
NOTES_ATTR: Final = "catatan"
HEADER_SCAN_ROWS: Final = 10
MIN_HEADER_MATCHES: Final = 2

XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
_SNIFF_BYTES: Final = 64 * 1024
_CHUNK: Final = 1 << 20
_SEPARATORS: Final = (";", ",", "\t", "|")
_SAMPLE_LINES: Final = 200
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_HTML_RE: Final = re.compile(r"<!doctype\s+html|<html|<head>|<body|<table", re.IGNORECASE)
_PREFIX_RE: Final = re.compile(r"Sheet '([^']*)': ")
_LINE_END_RE: Final = re.compile(r"\r\n|\r|\n")
_CP1252_UNDEFINED: Final = frozenset(b"\x81\x8d\x8f\x90\x9d")
_SHOWN_ROWS: Final = 10
# A central directory entry takes 46 bytes plus its name; a real XLSX has tens of entries.
_MAX_CENTRAL_DIRECTORY_BYTES: Final = MAX_ZIP_ENTRIES * 512
_XLSX_ERRORS: Final = (
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OSError,
    InvalidFileException,
    ParseError,
    EOFError,
    OverflowError,
    expat.ExpatError,
)

Merge = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row (1-based, inclusive)


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
    head = _check_file(path, max_bytes=max_bytes)
    kind = _sniff(path, head)
    frames = _read_xlsx(path, sheet=sheet) if kind == "xlsx" else _read_csv(path)
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
            if handle.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
                return []
    except OSError:
        return []
    with _open_xlsx(path, contents=False) as book:
        return book.names


# -- numbers and sizes in messages -------------------------------------------------------
def angka(value: int) -> str:
    """Format a whole number the Indonesian way: ``1000000`` -> ``1.000.000``."""
    return f"{value:,}".replace(",", ".")


def ukuran(size: int) -> str:
    """Format a byte size the Indonesian way: ``50 MB``, ``1 GB``, ``3,0 GB``, ``12 KB``."""
    if size >= GIGABYTE:
        whole = size % GIGABYTE == 0
        return f"{size // GIGABYTE} GB" if whole else f"{size / GIGABYTE:.1f}".replace(".", ",") + " GB"
    if size >= MEGABYTE:
        return f"{angka(round(size / MEGABYTE))} MB"
    return f"{angka(max(1, round(size / 1024)))} KB"


# -- file checks ----------------------------------------------------------------
def _check_file(path: Path, *, max_bytes: int) -> bytes:
    if not path.is_file():
        msg = f"Berkas {path} tidak ditemukan. Periksa nama dan foldernya."
        raise InputError(msg)
    size = path.stat().st_size
    if size == 0:
        msg = f"Berkas {path.name} kosong (0 byte). Simpan ulang tabelnya dari Excel lalu impor lagi."
        raise InputError(msg)
    if size > max_bytes:
        msg = (
            f"Berkas {path.name} berukuran {size / MEGABYTE:.0f} MB, melebihi batas {max_bytes // MEGABYTE} MB "
            "untuk jenis impor ini. Pecah berkas menjadi beberapa bagian (misalnya per kecamatan atau per tahun) "
            "dan impor satu per satu."
        )
        raise InputError(msg)
    with open(path, "rb") as handle:
        return handle.read(_SNIFF_BYTES)


def _sniff(path: Path, head: bytes) -> str:
    """Return ``xlsx`` or ``text``; raise for HTML, old XLS and binary files."""
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        msg = (
            f"Berkas {path.name} berformat Excel lama (.xls) atau dokumen Office lain. "
            "Buka di Excel/LibreOffice lalu simpan sebagai .xlsx atau .csv, kemudian impor lagi."
        )
        raise InputError(msg)
    text = _decode_head(head)
    if text.lstrip("\ufeff \t\r\n").startswith("<") and _HTML_RE.search(text[:4096]):
        msg = (
            f"Berkas {path.name} berisi halaman web (HTML), bukan tabel CSV/XLSX; mungkin hasil unduhan yang gagal "
            "atau ekspor aplikasi web. Buka di Excel lalu simpan sebagai .xlsx atau .csv, kemudian impor lagi."
        )
        raise InputError(msg)
    if _looks_binary(head):
        msg = (
            f"Berkas {path.name} bukan tabel teks (CSV) maupun XLSX: isinya biner atau rusak. "
            "Ekspor ulang datanya sebagai .csv atau .xlsx."
        )
        raise InputError(msg)
    if path.suffix.lower() in XLSX_SUFFIXES:
        msg = (
            f"Berkas {path.name} bernama .xlsx tetapi isinya bukan XLSX (tampaknya teks). "
            "Ganti akhiran nama menjadi .csv atau simpan ulang dari Excel sebagai .xlsx."
        )
        raise InputError(msg)
    return "text"


def _looks_binary(head: bytes) -> bool:
    """Many control bytes (NUL included): binary. A stray NUL is left to the line check, which names its row."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    control = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13) or byte == 127)
    return control > max(2, len(head) // 50)


def _decode_head(data: bytes) -> str:
    """Decode the first bytes leniently (only for recognising HTML)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")


# -- CSV --------------------------------------------------------------------------
@dataclass
class _DecodedText:
    """A CSV file's text (lines joined by a line feed) and what decoding it found."""

    text: str
    lines: int
    cp1252_rows: list[int] = field(default_factory=list)
    utf8_multibyte: bool = False
    encoding: str = "utf-8"


def _read_csv(path: Path) -> dict[str, pd.DataFrame | None]:
    decoded = _decode_csv(path)
    sample = decoded.text[:_SNIFF_BYTES].splitlines(keepends=True)[:_SAMPLE_LINES]
    separator, width = _detect_separator(sample)
    if width < 2:
        msg = (
            f"Berkas {path.name} tidak tampak sebagai tabel: pemisah kolom (koma, titik koma atau tab) "
            "tidak ditemukan. Simpan tabel dari Excel sebagai CSV lalu impor lagi."
        )
        raise InputError(msg)
    if width > MAX_COLUMNS:
        msg = (
            f"Berkas {path.name} berisi {angka(width)} kolom, melebihi batas {angka(MAX_COLUMNS)} kolom. "
            "Periksa pemisah kolomnya atau hapus kolom yang tidak diperlukan, lalu impor lagi."
        )
        raise InputError(msg)
    if decoded.lines * width > MAX_TABLE_CELLS:
        msg = (
            f"Berkas {path.name} berisi {angka(decoded.lines)} baris x {angka(width)} kolom, melebihi batas "
            f"{angka(MAX_TABLE_CELLS)} sel per tabel. Pecah berkas (misalnya per kecamatan atau per tahun) "
            "atau hapus kolom yang tidak diperlukan, lalu impor lagi."
        )
        raise InputError(msg)
    try:
        grid = pd.read_csv(
            io.StringIO(decoded.text),
            sep=separator,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            quotechar='"',
            engine="c",
        )
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+), saw (\d+)", str(exc))
        where = f" Baris {line.group(1)} berisi {line.group(2)} kolom, sedangkan judul {width} kolom." if line else ""
        msg = (
            f"Berkas {path.name} tidak dapat dibaca sebagai CSV berpemisah '{_separator_name(separator)}'.{where} "
            "Periksa tanda kutip dan pemisah di baris itu, atau simpan ulang dari Excel."
        )
        raise InputError(msg) from exc
    decoded.text = ""  # pandas holds the cells now
    grid.index = np.arange(1, len(grid) + 1)
    _check_cell_lengths(grid, source=path.name)
    frame = _build_frame(grid, sheet=path.stem, source=path.name, merges=())
    if frame is not None:
        frame.attrs[NOTES_ATTR] = [*frame.attrs.get(NOTES_ATTR, []), *_encoding_notes(decoded, source=path.name)]
    return {path.stem: frame}


def _decode_csv(path: Path) -> _DecodedText:
    """Decode a CSV line by line within the line and row bounds (see the module docstring)."""
    with open(path, "rb") as handle:
        start = handle.read(2)
        handle.seek(0)
        if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return _decode_utf16(handle, source=path.name)
        lines: list[str] = []
        decoded = _DecodedText(text="", lines=0)
        for number, raw in enumerate(_raw_lines(handle, source=path.name), start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            _check_row_count(number, source=path.name)
            if b"\x00" in raw:
                _refuse_nul(path.name, number)
            try:
                line = raw.decode("utf-8")
                decoded.utf8_multibyte = decoded.utf8_multibyte or not raw.isascii()
            except UnicodeDecodeError:
                undefined = sorted(_CP1252_UNDEFINED.intersection(raw))
                if undefined:
                    shown = ", ".join(f"0x{byte:02X}" for byte in undefined)
                    msg = (
                        f"Berkas {path.name} baris {angka(number)} bukan teks UTF-8 maupun Windows-1252 (byte "
                        f"{shown} tidak bermakna di keduanya); pengodean berkas tidak dikenali. Buka di Excel lalu "
                        "simpan sebagai 'CSV UTF-8 (Comma delimited)', kemudian impor lagi."
                    )
                    raise InputError(msg) from None
                line = raw.decode("cp1252")
                decoded.cp1252_rows.append(number)
            lines.append(line)
        decoded.lines = len(lines)
        decoded.encoding = "cp1252" if decoded.cp1252_rows and not decoded.utf8_multibyte else "utf-8"
        decoded.text = "\n".join(lines)
        return decoded


def _decode_utf16(handle: IO[bytes], *, source: str) -> _DecodedText:
    try:
        text = handle.read().decode("utf-16")
    except UnicodeDecodeError as exc:
        msg = (
            f"Berkas {source} diawali penanda UTF-16 tetapi isinya bukan UTF-16 yang sah (byte ke-{exc.start}). "
            "Buka di Excel lalu simpan sebagai 'CSV UTF-8 (Comma delimited)', kemudian impor lagi."
        )
        raise InputError(msg) from None
    lines = _LINE_END_RE.split(text.removesuffix("\n").removesuffix("\r"))
    for number, line in enumerate(lines, start=1):
        _check_row_count(number, source=source)
        if len(line) * 2 > MAX_LINE_BYTES:
            _refuse_long_line(source, number)
        if "\x00" in line:
            _refuse_nul(source, number)
    return _DecodedText(text="\n".join(lines), lines=len(lines), encoding="utf-16")


def _raw_lines(handle: IO[bytes], *, source: str) -> Iterator[bytes]:
    """Yield the file's lines without their ends (LF, CRLF or CR), each at most MAX_LINE_BYTES long."""
    pending = b""
    number = 0
    while True:
        chunk = handle.read(_CHUNK)
        data = pending + chunk if pending else chunk
        if not chunk:
            line = data.rstrip(b"\r\n")
            if line:
                if len(line) > MAX_LINE_BYTES:
                    _refuse_long_line(source, number + 1)
                yield line
            return
        pieces = data.splitlines(keepends=True)
        last = pieces[-1]
        # The last piece may continue in the next chunk (no line end yet, or a lone CR before LF).
        complete = pieces if last.endswith(b"\n") else pieces[:-1]
        pending = b"" if last.endswith(b"\n") else last
        for piece in complete:
            number += 1
            line = piece.rstrip(b"\r\n")
            if len(line) > MAX_LINE_BYTES:
                _refuse_long_line(source, number)
            yield line
        if len(pending) > MAX_LINE_BYTES + 1:
            _refuse_long_line(source, number + 1)


def _check_row_count(number: int, *, source: str) -> None:
    if number > MAX_ROWS + 1:
        msg = (
            f"Berkas {source} berisi lebih dari {angka(MAX_ROWS)} baris data (batas per berkas). "
            "Pecah berkas (misalnya per kecamatan atau per tahun) dan impor satu per satu."
        )
        raise InputError(msg)


def _refuse_long_line(source: str, number: int) -> None:
    msg = (
        f"Berkas {source} baris {angka(number)} lebih panjang dari {ukuran(MAX_LINE_BYTES)} (batas panjang satu "
        "baris), misalnya karena teks atau nama yang sangat panjang, atau berkas yang bukan tabel. Periksa baris itu "
        "(nama paling panjang "
        f"{angka(MAX_NAME_LENGTH)} karakter, isi sel paling panjang {angka(MAX_CELL_CHARS)} karakter) lalu impor lagi."
    )
    raise InputError(msg)


def _refuse_nul(source: str, number: int) -> None:
    msg = (
        f"Berkas {source} baris {angka(number)} berisi karakter NUL (byte 0), yang tidak boleh ada dalam teks "
        "dan biasanya tanda berkas rusak. Hapus karakter itu (atau ekspor ulang tabelnya dari Excel) lalu impor lagi."
    )
    raise InputError(msg)


def _check_cell_lengths(grid: pd.DataFrame, *, source: str) -> None:
    for column in grid.columns:
        lengths = grid[column].str.len()
        if len(lengths) and int(lengths.max()) > MAX_CELL_CHARS:
            row = int(lengths.idxmax())
            msg = (
                f"Berkas {source} baris {angka(row)} kolom {get_column_letter(int(column) + 1)}: isi sel "
                f"{angka(int(lengths.max()))} karakter, melebihi batas {angka(MAX_CELL_CHARS)} karakter per sel. "
                "Periksa sel itu (mungkin teks tertempel berulang atau tanda kutip yang tidak ditutup) lalu impor lagi."
            )
            raise InputError(msg)


def _rows_text(rows: Sequence[int]) -> str:
    shown = ", ".join(angka(r) for r in rows[:_SHOWN_ROWS])
    return shown + (f" dan {angka(len(rows) - _SHOWN_ROWS)} baris lain" if len(rows) > _SHOWN_ROWS else "")


def _encoding_notes(decoded: _DecodedText, *, source: str) -> list[str]:
    if not decoded.cp1252_rows:
        return []
    if decoded.encoding == "cp1252":
        return [f"Berkas {source} bukan UTF-8; dibaca sebagai Windows-1252 (cp1252), pengodean CSV Excel lama."]
    return [
        f"Peringatan: berkas {source} bercampur pengodean. Baris {_rows_text(decoded.cp1252_rows)} bukan UTF-8 "
        "yang sah dan dibaca sebagai Windows-1252 (cp1252); baris lain dibaca sebagai UTF-8. Periksa huruf "
        "beraksen di baris itu; sebaiknya simpan berkas sebagai 'CSV UTF-8' lalu impor lagi."
    ]


def _detect_separator(lines: Sequence[str]) -> tuple[str, int]:
    """Pick the separator giving the most columns consistently; return it and the widest row."""
    best: tuple[tuple[bool, int, float], str, int] | None = None
    for separator in _SEPARATORS:
        widths = [len(row) for row in csv.reader(lines, delimiter=separator) if any(cell.strip() for cell in row)]
        if not widths:
            continue
        values, counts = np.unique(widths, return_counts=True)
        mode = int(values[np.argmax(counts)])
        share = float(counts.max()) / len(widths)
        score = (share >= 0.8 and mode >= 2, mode, share)
        if best is None or score > best[0]:
            best = (score, separator, max(widths))
    if best is None:
        return ",", 0
    return best[1], best[2]


def _separator_name(separator: str) -> str:
    return {"\t": "tab", ";": "titik koma", ",": "koma", "|": "garis tegak"}[separator]


# -- XLSX: the container ------------------------------------------------------------------
@dataclass(frozen=True)
class _SheetPart:
    """One worksheet of a workbook: its name and its XML part in the archive."""

    name: str
    member: str


class _XlsxBook:
    """A checked XLSX: its zip archive, its worksheets, and (when asked) shared strings and styles.

    openpyxl's own parts are used for the workbook, relationships and styles,
    but not :func:`openpyxl.load_workbook`: in read-only mode it scans every
    sheet without a ``<dimension>`` to its end while opening the file, and
    keeps every shared string's element. Sheets and shared strings are read by
    this module's bounded streams instead.
    """

    def __init__(self, path: Path, *, contents: bool) -> None:
        self.source = path.name
        self.archive = _checked_archive(path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
                self._reader = reader
                self._check_tree_part(ARC_CONTENT_TYPES)
                reader.read_manifest()
                workbook_part = _find_workbook_part(reader.package).PartName[1:]
                self._check_tree_part(workbook_part)
                self._check_tree_part(get_rels_path(workbook_part))
                reader.read_workbook()
                self.sheets = [
                    _SheetPart(sheet.name, rel.target.lstrip("/"))
                    for sheet, rel in reader.parser.find_sheets()
                    if rel.target.lstrip("/") in reader.valid_files and "chartsheet" not in rel.Type
                ]
                self.strings: list[str] = []
                if contents:
                    part = reader.package.find(SHARED_STRINGS)
                    if part is not None:
                        self.strings = _read_shared_strings(self.archive, part.PartName[1:], source=path.name)
                    self._check_tree_part(ARC_STYLE)
                    apply_stylesheet(reader.archive, reader.wb)
        except InputError:
            self.close()
            raise
        except _XLSX_ERRORS as exc:
            self.close()
            msg = (
                f"Berkas {path.name} rusak atau bukan XLSX yang sah ({type(exc).__name__}). "
                "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
            )
            raise InputError(msg) from exc

    def _check_tree_part(self, member: str) -> None:
        """Refuse a part that openpyxl would read whole into a tree when it is over MAX_XLSX_PART_XML_BYTES."""
        try:
            size = self.archive.getinfo(member).file_size
        except KeyError:
            return
        if size > MAX_XLSX_PART_XML_BYTES:
            msg = (
                f"Berkas {self.source}: bagian '{member}' di dalamnya berukuran {ukuran(size)} setelah diekstrak, "
                f"melebihi batas {ukuran(MAX_XLSX_PART_XML_BYTES)} untuk bagian ini (di XLSX yang wajar hanya "
                "beberapa KB). Berkas ditolak sebagai pengaman; buka di Excel/LibreOffice lalu simpan ulang sebagai "
                ".xlsx, kemudian impor lagi."
            )
            raise InputError(msg)

    @property
    def names(self) -> list[str]:
        """The worksheet names in workbook order."""
        return [sheet.name for sheet in self.sheets]

    def cell_parser(self) -> WorkSheetParser:
        """Openpyxl's cell parser with this workbook's shared strings, date styles and epoch."""
        book = self._reader.wb
        return WorkSheetParser(
            None,
            self.strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )

    def close(self) -> None:
        """Close both archives (openpyxl's and the checked one)."""
        reader = getattr(self, "_reader", None)
        if reader is not None:
            reader.archive.close()
        self.archive.close()

    def __enter__(self) -> _XlsxBook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _open_xlsx(path: Path, *, contents: bool = True) -> _XlsxBook:
    """Check the XLSX container (:func:`_checked_archive`), then read its workbook part."""
    return _XlsxBook(path, contents=contents)


_SI: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"
_T: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}t"
_RPH: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}rPh"


def _refuse_shared_strings(source: str, count: int) -> None:
    msg = (
        f"Berkas {source} berisi lebih dari {angka(MAX_XLSX_SHARED_STRINGS)} teks berbeda (daftar teks bersama, "
        f"sedikitnya {angka(count)}), melebihi batas per berkas. Pecah berkas (misalnya per kecamatan atau per "
        "tahun) lalu impor lagi."
    )
    raise InputError(msg)


def _read_shared_strings(archive: zipfile.ZipFile, member: str, *, source: str) -> list[str]:
    """Read the shared strings part as a stream: at most MAX_XLSX_SHARED_STRINGS strings of bounded length.

    Same text as openpyxl's ``read_string_table`` (text runs ``<t>`` of each
    ``<si>`` outside phonetic runs, ``x005F_`` escapes removed).
    """
    declared = _count_tags(archive, member, _SI_TAG_RE, stop=MAX_XLSX_SHARED_STRINGS)
    if declared > MAX_XLSX_SHARED_STRINGS:
        _refuse_shared_strings(source, declared)
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_si": False, "in_t": False, "phonetic": 0, "chars": 0}

    def start(name: str, _attrs: dict[str, str]) -> None:
        if name == _SI:
            state.update(in_si=True, chars=0)
            parts.clear()
        elif name == _RPH:
            state["phonetic"] += 1
        elif name == _T and state["in_si"] and not state["phonetic"]:
            state["in_t"] = True

    def end(name: str) -> None:
        if name == _SI:
            state["in_si"] = False
            strings.append("".join(parts).replace("x005F_", ""))
            if len(strings) > MAX_XLSX_SHARED_STRINGS:
                _refuse_shared_strings(source, len(strings))
        elif name == _RPH:
            state["phonetic"] -= 1
        elif name == _T:
            state["in_t"] = False

    def text(data: str) -> None:
        if state["in_t"]:
            state["chars"] += len(data)
            if state["chars"] > MAX_CELL_CHARS:
                msg = (
                    f"Berkas {source}: teks ke-{angka(len(strings) + 1)} di daftar teks bersama (shared strings) "
                    f"lebih dari {angka(MAX_CELL_CHARS)} karakter, batas isi satu sel. Periksa sel yang berisi teks "
                    "sangat panjang lalu impor lagi."
                )
                raise InputError(msg)
            parts.append(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(member) as xml:
        while chunk := xml.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return strings


def _checked_archive(path: Path) -> zipfile.ZipFile:
    """Open the XLSX zip after checking its entries, their declared sizes and the XML prologs.

    The entry count and central directory size come from the end record, before
    :class:`zipfile.ZipFile` builds one object per entry.
    """
    with open(path, "rb") as handle:
        entries, directory_bytes = _end_record(handle)
    if entries > MAX_ZIP_ENTRIES or directory_bytes > _MAX_CENTRAL_DIRECTORY_BYTES:
        msg = (
            f"Berkas {path.name} berisi {angka(entries)} bagian (entri zip; daftar isinya {ukuran(directory_bytes)}), "
            f"melebihi batas {angka(MAX_ZIP_ENTRIES)} bagian. XLSX yang wajar hanya berisi puluhan bagian; "
            "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        msg = (
            f"Berkas {path.name} rusak atau bukan XLSX yang sah ({type(exc).__name__}). "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg) from exc
    try:
        _check_members(archive, source=path.name)
    except BaseException:
        archive.close()
        raise
    return archive


def _end_record(handle: IO[bytes]) -> tuple[int, int]:
    """(entries, central directory bytes) declared by the zip's end record (ZIP64 too); (0, 0) when absent."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 22 + 65_535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0, 0
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator.startswith(b"PK\x06\x07") and (entries == 0xFFFF or directory == 0xFFFFFFFF):
        handle.seek(int.from_bytes(locator[8:16], "little"))
        record = handle.read(56)
        if record.startswith(b"PK\x06\x06") and len(record) == 56:
            entries = int.from_bytes(record[32:40], "little")
            directory = int.from_bytes(record[40:48], "little")
    return entries, directory


def _check_members(archive: zipfile.ZipFile, *, source: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        msg = (
            f"Berkas {source} berisi {angka(len(infos))} bagian (entri zip), melebihi batas "
            f"{angka(MAX_ZIP_ENTRIES)} bagian. Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
        )
        raise InputError(msg)
    for info in infos:
        if info.file_size > MAX_XLSX_SHEET_XML_BYTES:
            msg = (
                f"Berkas {source}: bagian '{info.filename}' di dalamnya berukuran {ukuran(info.file_size)} setelah "
                f"diekstrak, melebihi batas {ukuran(MAX_XLSX_SHEET_XML_BYTES)} per bagian (satu sheet XLSX). Berkas "
                "ditolak sebagai pengaman (kemungkinan 'bom zip'). Bila datanya memang sebanyak itu, pecah menjadi "
                "beberapa berkas (misalnya per kecamatan atau per tahun); bila tidak, simpan ulang dari Excel."
            )
            raise InputError(msg)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        msg = (
            f"Berkas {source} berukuran {ukuran(total)} setelah diekstrak, melebihi batas "
            f"{ukuran(MAX_UNCOMPRESSED_BYTES)}. Berkas ditolak sebagai pengaman (kemungkinan 'bom zip'); pecah "
            "datanya menjadi beberapa berkas atau simpan ulang dari Excel, lalu impor lagi."
        )
        raise InputError(msg)
    for info in infos:
        if not info.is_dir():
            _check_prolog(archive, info, source=source)


class _PrologDone(Exception):
    """Raised from expat's handler at the root element: the prolog held no DTD."""


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, source: str) -> None:
    """Refuse an XML part whose prolog declares a DTD; stop reading at its root element.

    A DTD can only appear before the root element, so this reads a few bytes
    of a real part. Parts that are not XML (images) end the check at their
    first byte.
    """
    parser = expat.ParserCreate()
    found: list[str] = []

    def doctype(*_args: object) -> None:
        found.append("DOCTYPE")
        raise _PrologDone

    def root(*_args: object) -> None:
        raise _PrologDone

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with archive.open(info) as member:
            while chunk := member.read(_SNIFF_BYTES):
                parser.Parse(chunk, False)
    except (_PrologDone, expat.ExpatError):
        pass
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        msg = (
            f"Berkas {source} rusak: bagian '{info.filename}' tidak dapat dibaca ({type(exc).__name__}). "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg) from exc
    if found:
        msg = (
            f"Berkas {source}: bagian '{info.filename}' memuat deklarasi DTD/entitas XML (<!DOCTYPE>), yang tidak "
            "pernah ada di XLSX dari Excel/LibreOffice dan dapat dipakai untuk menyerang server (XXE, 'billion "
            "laughs'). Berkas ditolak; buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg)


# -- XLSX: sheets ---------------------------------------------------------------------------
def _read_xlsx(path: Path, *, sheet: str | None) -> dict[str, pd.DataFrame | None]:
    with _open_xlsx(path) as book:
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
        except _XLSX_ERRORS as exc:
            msg = (
                f"Berkas {path.name} rusak: sheet tidak dapat dibaca ({type(exc).__name__}). "
                "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
            )
            raise InputError(msg) from exc
    return frames


def _check_cell_tags(book: _XlsxBook, parts: Sequence[_SheetPart], *, source: str) -> None:
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
        cells += _count_tags(book.archive, member, _CELL_TAG_RE, stop=MAX_TABLE_CELLS - cells)
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


def _read_sheet(book: _XlsxBook, part: _SheetPart, *, source: str, budget: int) -> tuple[pd.DataFrame | None, int]:
    """One sheet as a frame (None when it has no cells) and the number of cells it used of ``budget``."""
    stream = _SheetStream(book.cell_parser(), sheet=part.name, source=source, budget=budget)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stream.read(book.archive, part.member)
    grid = stream.grid()
    if grid is None:
        return None, 0
    frame = _build_frame(grid, sheet=part.name, source=source, merges=stream.merges)
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


class _SheetStream:
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
            while chunk := xml.read(_CHUNK):
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
        text = _cell_text(cell["value"])
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
_SI_TAG_RE: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_CELL_TAG_RE: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def _count_row_tags(archive: zipfile.ZipFile, member: str) -> int:
    """Count the ``<row`` start tags of a sheet XML, stopping past the row limit."""
    return _count_tags(archive, member, _ROW_TAG_RE, stop=MAX_ROWS + 1)


def _count_tags(archive: zipfile.ZipFile, member: str, pattern: re.Pattern[bytes], *, stop: int) -> int:
    """Count the start tags ``pattern`` finds in a part, in chunks, stopping once past ``stop``."""
    count = 0
    tail = b""
    with archive.open(member) as xml:
        while chunk := xml.read(_CHUNK):
            data = tail + chunk
            # A tag cut by the chunk end is counted in the next round: keep its start.
            cut = data.rfind(b"<", max(0, len(data) - 64))
            body, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
            count += len(pattern.findall(body))
            if count > stop:
                return count
    return count + len(pattern.findall(tail))


def _et_tag(name: str) -> str:
    """Turn expat's ``ns}local`` name into ElementTree's ``{ns}local`` tag (what openpyxl compares)."""
    return "{" + name if "}" in name else name


def _cell_text(value: object) -> str:
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


# -- header and frame ---------------------------------------------------------------
def _build_frame(grid: pd.DataFrame, *, sheet: str, source: str, merges: Sequence[Merge]) -> pd.DataFrame | None:
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


# -- helpers shared by the tabular importers ----------------------------------------
class IssueLog:
    """Collects the :class:`RowIssue` findings of one import, in order."""

    def __init__(self) -> None:
        self.items: list[RowIssue] = []

    def add(
        self,
        tindakan: str,
        jenis: str,
        alasan: str,
        *,
        baris: int | None = None,
        kolom: str | None = None,
        subjek: str | None = None,
    ) -> None:
        """Record one finding; the reason's first letter (after a sheet prefix) is capitalised.

        A reason starting with ``Sheet 'X': `` also records ``X`` as the issue's sheet, so
        rows of different sheets with the same number are told apart.
        """
        sheet = _PREFIX_RE.match(alasan)
        lembar = sheet.group(1) if sheet else None
        self.items.append(RowIssue(tindakan, jenis, _sentence(alasan), baris, kolom, subjek, lembar))

    def extend(self, issues: Iterable[RowIssue]) -> None:
        """Record several findings."""
        self.items.extend(issues)

    def examples(self, count: int = 3) -> str:
        """Return the first findings as ``baris N: reason`` text, for an error message."""
        shown = [f"baris {i.baris}: {i.alasan}" if i.baris is not None else i.alasan for i in self.items[:count]]
        return "; ".join(shown) or "tidak ada baris yang cocok"


def _sentence(text: str) -> str:
    match = _PREFIX_RE.match(text)
    start = match.end() if match else 0
    return text[:start] + text[start : start + 1].upper() + text[start + 1 :]


def catatan_frame(issues: Iterable[RowIssue], *, tingkat: Mapping[str, str]) -> pd.DataFrame:
    """Return the findings whose ``jenis`` is in ``tingkat``, in the model's ``catatan_impor`` shape.

    Parameters
    ----------
    issues
        Findings of the import.
    tingkat
        Finding kind -> severity (``tinggi`` | ``sedang`` | ``rendah``); other kinds are left out.
    """
    rows = [
        {"jenis": i.jenis, "tingkat": tingkat[i.jenis], "subjek": i.subjek, "pesan": i.alasan, "baris": i.baris}
        for i in issues
        if i.jenis in tingkat
    ]
    frame = pd.DataFrame(rows, columns=["jenis", "tingkat", "subjek", "pesan", "baris"])
    return model.conform(frame, model.LAYER_CATATAN)


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text cells as whole numbers >= 0.

    Returns
    -------
    tuple
        ``(numbers, bad)``: an ``Int64`` series (NA where empty or invalid) and
        a boolean series marking non-empty cells that are not a whole number >= 0.
    """
    text = values.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin(["-", "nan", "none", "null"])
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False).where(~empty), errors="coerce")
    valid = numbers.notna() & (numbers >= 0) & (numbers == numbers.round())
    bad = ~empty & ~valid
    return numbers.where(valid).round().astype("Int64"), bad.astype(bool)


def text_values(values: pd.Series) -> pd.Series:
    """Cells stripped of surrounding spaces, with empty cells as NA (string dtype)."""
    text = values.astype(str).str.strip()
    return text.where(text != "").astype(model.STR)


def sheet_prefix(sheet: str, *, several: bool) -> str:
    """``"Sheet 'X': "`` when a workbook has several sheets, else empty."""
    return f"Sheet '{sheet}': " if several else ""


NAME_LABELS: Final = {
    "nama": "nama",
    "nama_puskesmas_induk": "nama puskesmas induk",
    "nama_puskesmas": "nama puskesmas",
    "nama_desa": "nama desa",
    "nama_kecamatan": "nama kecamatan",
}


def check_name_lengths(
    names: Mapping[str, pd.Series],
    *,
    rows: Sequence[int],
    columns: Mapping[str, str | None],
    prefix: str,
    issues: IssueLog,
) -> np.ndarray:
    """Reject (and report) rows with a name longer than :data:`~loaders.limits.MAX_NAME_LENGTH`; never cut one.

    Parameters
    ----------
    names
        Field (a key of :data:`NAME_LABELS`) -> its cells, all aligned by position.
    rows
        Spreadsheet row number of each position.
    columns
        Field -> source column, for the report.
    prefix
        ``"Sheet 'X': "`` or empty (:func:`sheet_prefix`).
    issues
        Receives one ``nama_terlalu_panjang`` rejection per row.

    Returns
    -------
    numpy.ndarray
        True where a row has a name that is too long.
    """
    count = len(rows)
    too_long = np.zeros(count, dtype=bool)
    for name_field, values in names.items():
        lengths = values.astype(model.STR).str.len().fillna(0).astype("int64").to_numpy()
        bad = lengths > MAX_NAME_LENGTH
        for position in np.flatnonzero(bad & ~too_long):
            issues.add(
                DITOLAK,
                "nama_terlalu_panjang",
                f"{prefix}{NAME_LABELS[name_field]} {angka(int(lengths[position]))} karakter, melebihi batas "
                f"{angka(MAX_NAME_LENGTH)} karakter; baris ditolak (nama tidak dipotong). Perpendek namanya lalu "
                "impor lagi.",
                baris=int(rows[position]),
                kolom=columns.get(name_field),
            )
        too_long |= bad
    return too_long


@dataclass(frozen=True)
class MappedSheet:
    """One sheet ready for parsing: its raw frame and its column mapping."""

    name: str
    target: str
    frame: pd.DataFrame
    mapping: dict[str, str]


def map_sheets(
    frames: Mapping[str, pd.DataFrame],
    *,
    targets: Mapping[str, str],
    overrides: Mapping[str, str] | None,
    source: str,
    skip_incomplete: bool,
) -> tuple[list[MappedSheet], list[str]]:
    """Detect the column mapping of each sheet and check its required columns.

    Parameters
    ----------
    frames
        Sheet name -> raw frame, from :func:`read_tables`.
    targets
        Sheet name -> import target (sheets not listed are not used).
    overrides
        ``--map`` overrides; each applies to the sheets that have that column.
    source
        File name, for messages.
    skip_incomplete
        Leave out (with a note) sheets missing required columns, as long as one
        sheet is usable; otherwise such a sheet is an error.

    Returns
    -------
    tuple
        The usable sheets and Indonesian notes about skipped sheets.

    Raises
    ------
    InputError
        Unknown override field, override column found in no sheet, or missing
        required columns.
    """
    given = dict(overrides or {})
    check_override_fields(given, targets=sorted(set(targets.values())))
    several = len(targets) > 1
    mapped: list[MappedSheet] = []
    notes: list[str] = []
    errors: list[InputError] = []
    used: set[str] = set()
    for name, target in targets.items():
        frame = frames[name]
        columns = [c for c in frame.columns if c != ROW_COLUMN]
        own = {c: f for c, f in given.items() if override_applies(c, columns) and f in FIELDS[target]}
        mapping = detect_mapping(columns, target=target, overrides=own)
        where = f"sheet '{name}' berkas {source}" if several else f"berkas {source}"
        try:
            check_required(mapping, target=target, where=where, columns=columns)
        except InputError as exc:
            if not skip_incomplete:
                raise
            errors.append(exc)
            notes.append(f"Sheet '{name}' dilewati: {exc}")
            continue
        used |= set(own)
        mapped.append(MappedSheet(name, target, frame, mapping))
    if not mapped:
        raise errors[0]
    unused = [c for c in given if c not in used]
    if unused:
        msg = (
            f"--map: kolom {', '.join(repr(c) for c in unused)} tidak ada di {source} "
            "(atau field-nya tidak berlaku untuk sheet yang memuat kolom itu). Periksa ejaan judul kolom."
        )
        raise InputError(msg)
    return mapped, notes


def mapping_for_report(sheets: Sequence[MappedSheet]) -> dict[str, str]:
    """Source column -> field of all sheets (``Sheet!Kolom`` keys when there are several)."""
    several = len(sheets) > 1
    return {(f"{s.name}!{c}" if several else c): f for s in sheets for c, f in s.mapping.items()}


def prepared_table_import(
    path: Path,
    *,
    jenis_impor: str,
    layer: str,
    content: pd.DataFrame,
    sheets: Sequence[MappedSheet],
    baris_dibaca: int,
    diterima: int,
    issues: IssueLog,
    notes: Sequence[str],
    tingkat: Mapping[str, str],
    catatan_sumber: str,
) -> PreparedImport:
    """Return the :class:`PreparedImport` of a tabular import: its report, one layer, mapping and findings.

    Parameters
    ----------
    path
        The imported file (its name and SHA-256 go into the report).
    jenis_impor
        Kind of import (``fasilitas`` | ``laporan`` | ``wilayah_kerja``).
    layer, content
        Name and full new content of the one layer the import writes.
    sheets
        The mapped sheets; their mappings become the report's mapping.
    baris_dibaca, diterima
        Rows read and rows accepted.
    issues
        Findings of the import.
    notes
        File-level notes, in order.
    tingkat
        Finding kind -> severity of the findings kept in the store (see :func:`catatan_frame`).
    catatan_sumber
        Key under which the findings replace those of an earlier import of the same kind.
    """
    report = ImportReport(
        jenis_impor=jenis_impor,
        berkas=path.name,
        sha256=file_sha256(path),
        baris_dibaca=baris_dibaca,
        diterima=diterima,
        masalah=tuple(issues.items),
        catatan=tuple(notes),
    )
    return PreparedImport(
        report=report,
        layers={layer: content},
        mapping=mapping_for_report(sheets),
        catatan=catatan_frame(issues.items, tingkat=tingkat),
        catatan_sumber=catatan_sumber,
    )
