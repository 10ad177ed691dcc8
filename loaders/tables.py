"""Read spreadsheet tables (XLSX, CSV) robustly, every cell as a string.

Also holds the small helpers the three tabular importers (facilities,
reports, working areas) share: :class:`IssueLog`, :func:`catatan_frame`,
:func:`parse_counts`, :func:`text_values`, :func:`prepared_table_import`.

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
* CSV: separator ``,`` ``;`` tab or ``|`` detected; UTF-8 with or without BOM,
  UTF-16 with BOM, else cp1252.
* Refused with an Indonesian :class:`~loaders.exceptions.InputError` naming the
  file: missing or empty files, header-only tables, binary garbage, HTML pages
  renamed to .csv/.xlsx, old .xls, corrupt XLSX, and files over the size cap
  (:data:`MAX_BYTES_TABEL`, :data:`MAX_BYTES_LAPORAN`).

File-level notes (e.g. formulas without values) are attached to a frame as
``frame.attrs["catatan"]`` (a list of Indonesian sentences).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import ParseError

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

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
from loaders.import_report import ImportReport, RowIssue
from loaders.prepared import PreparedImport
from loaders.store import file_sha256

ROW_COLUMN: Final = "__baris__"
NOTES_ATTR: Final = "catatan"
HEADER_SCAN_ROWS: Final = 10
MIN_HEADER_MATCHES: Final = 2
MEGABYTE: Final = 1024 * 1024
# Size caps: a facility or working-area table is a few thousand rows (well
# under 1 MB); a monthly report of a whole province over years stays far below
# 200 MB. Anything larger is refused before it is read (split the file).
MAX_BYTES_TABEL: Final = 50 * MEGABYTE
MAX_BYTES_LAPORAN: Final = 200 * MEGABYTE

XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
_SNIFF_BYTES: Final = 64 * 1024
_SEPARATORS: Final = (";", ",", "\t", "|")
_SAMPLE_LINES: Final = 200
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_HTML_RE: Final = re.compile(r"<!doctype\s+html|<html|<head>|<body|<table", re.IGNORECASE)
_MERGE_RE: Final = re.compile(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"')
_PREFIX_RE: Final = re.compile(r"Sheet '([^']*)': ")
_CELL_RE: Final = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.DOTALL)
_XLSX_ERRORS: Final = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    InvalidFileException,
    ParseError,
    EOFError,
)

Merge = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row (1-based, inclusive)


def read_tables(path: Path, *, sheet: str | None = None, max_bytes: int = MAX_BYTES_TABEL) -> dict[str, pd.DataFrame]:
    """Read every sheet of an XLSX file, or one CSV file, as raw string frames.

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
        rows, has an unresolvable merged header, or ``sheet`` does not exist.
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
    text = _decode(head, strict=False)
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
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13) or byte == 127)
    return control > max(2, len(head) // 50)


def _decode(data: bytes, *, strict: bool = True) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if not strict:
            return data.decode("utf-8", errors="replace")
    return data.decode("cp1252", errors="replace")


# -- CSV --------------------------------------------------------------------------
def _read_csv(path: Path) -> dict[str, pd.DataFrame | None]:
    text = _decode(path.read_bytes())
    sample = text[:_SNIFF_BYTES].splitlines(keepends=True)[:_SAMPLE_LINES]
    separator, width = _detect_separator(sample)
    if width < 2:
        msg = (
            f"Berkas {path.name} tidak tampak sebagai tabel: pemisah kolom (koma, titik koma atau tab) "
            "tidak ditemukan. Simpan tabel dari Excel sebagai CSV lalu impor lagi."
        )
        raise InputError(msg)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
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
    grid.index = np.arange(1, len(grid) + 1)
    return {path.stem: _build_frame(grid, sheet=path.stem, source=path.name, merges=())}


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


# -- XLSX -------------------------------------------------------------------------
def _read_xlsx(path: Path, *, sheet: str | None) -> dict[str, pd.DataFrame | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _XLSX_ERRORS as exc:
        msg = (
            f"Berkas {path.name} rusak atau bukan XLSX yang sah ({type(exc).__name__}). "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg) from exc
    try:
        names = _select_sheets(book.sheetnames, sheet=sheet, source=path.name)
        frames: dict[str, pd.DataFrame | None] = {}
        with zipfile.ZipFile(path) as archive:
            for name in names:
                frames[name] = _read_sheet(book[name], archive=archive, source=path.name)
    except InputError:
        raise
    except _XLSX_ERRORS as exc:
        msg = (
            f"Berkas {path.name} rusak: sheet tidak dapat dibaca ({type(exc).__name__}). "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx, kemudian impor lagi."
        )
        raise InputError(msg) from exc
    finally:
        book.close()
    return frames


def _select_sheets(names: Sequence[str], *, sheet: str | None, source: str) -> list[str]:
    if sheet is None:
        return list(names)
    wanted = [n for n in names if n.strip().lower() == sheet.strip().lower()]
    if not wanted:
        msg = f"Sheet '{sheet}' tidak ada di berkas {source}. Sheet yang ada: {', '.join(names)}."
        raise InputError(msg)
    return wanted[:1]


def _read_sheet(worksheet: object, *, archive: zipfile.ZipFile, source: str) -> pd.DataFrame | None:
    worksheet.reset_dimensions()
    rows = [[_cell_text(v) for v in row] for row in worksheet.iter_rows(min_row=1, values_only=True)]
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return None
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object).astype(str)
    grid.index = np.arange(1, len(grid) + 1)
    merges, formulas = _sheet_xml_facts(archive, getattr(worksheet, "_worksheet_path", None))
    frame = _build_frame(grid, sheet=worksheet.title, source=source, merges=merges)
    if frame is not None and formulas:
        empty_formulas = [ref for ref in formulas if _cell_is_empty(grid, ref)]
        if empty_formulas:
            shown = ", ".join(empty_formulas[:5]) + (" ..." if len(empty_formulas) > 5 else "")
            frame.attrs[NOTES_ATTR] = [
                *frame.attrs.get(NOTES_ATTR, []),
                f"Sheet '{worksheet.title}': {len(empty_formulas)} sel berisi rumus tanpa nilai tersimpan ({shown}) "
                "dan dibaca kosong. Buka berkas di Excel/LibreOffice lalu simpan ulang agar nilainya ikut tersimpan.",
            ]
    return frame


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


def _sheet_xml_facts(archive: zipfile.ZipFile, sheet_path: str | None) -> tuple[list[Merge], list[str]]:
    """Read merged ranges and formula cells without cached value from the sheet XML."""
    if not sheet_path:
        return [], []
    try:
        xml = archive.read(sheet_path.lstrip("/"))
    except KeyError:
        return [], []
    merges = [range_boundaries(ref.decode("ascii")) for ref in _MERGE_RE.findall(xml)]
    formulas: list[str] = []
    if b"<f" in xml:
        for match in _CELL_RE.finditer(xml):
            inner = match.group(2) or b""
            if b"<f" in inner and not re.search(rb"<v>[^<]+</v>", inner):
                formulas.append(match.group(1).decode("ascii"))
    return merges, formulas


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
