"""Read a CSV file within bounds: per-line encoding (UTF-16, UTF-8, cp1252), separator, cells as text.

The encoding is decided per file and checked line by line: UTF-16 with BOM;
else every line that is valid UTF-8 (with or without BOM) is read as UTF-8
and every other line as Windows-1252 (cp1252). A file whose non-ASCII lines
are all cp1252 gets a note; a file mixing UTF-8 and cp1252 lines gets a
warning naming the cp1252 rows; a non-UTF-8 line with a byte cp1252 does not
define (0x81 0x8D 0x8F 0x90 0x9D) or a NUL refuses the file, naming the row.
Lines are read in chunks; a line longer than
:data:`~loaders.limits.MAX_LINE_BYTES` is refused before it is decoded, and
rows, columns, cells and cell length are bounded before pandas parses.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

import numpy as np
import pandas as pd
from openpyxl.utils.cell import get_column_letter

from loaders.exceptions import InputError
from loaders.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINE_BYTES, MAX_NAME_LENGTH, MAX_ROWS, MAX_TABLE_CELLS
from loaders.numbers import angka, ukuran
from loaders.table_frames import NOTES_ATTR, build_frame
from loaders.table_sniff import CHUNK_BYTES, SNIFF_BYTES

__all__ = ["detect_separator", "raw_lines", "read_csv"]

_SEPARATORS: Final = (";", ",", "\t", "|")
_SAMPLE_LINES: Final = 200
_LINE_END_RE: Final = re.compile(r"\r\n|\r|\n")
_CP1252_UNDEFINED: Final = frozenset(b"\x81\x8d\x8f\x90\x9d")
_SHOWN_ROWS: Final = 10


@dataclass
class _DecodedText:
    """A CSV file's text (lines joined by a line feed) and what decoding it found."""

    text: str
    lines: int
    cp1252_rows: list[int] = field(default_factory=list)
    utf8_multibyte: bool = False
    encoding: str = "utf-8"


def read_csv(path: Path) -> dict[str, pd.DataFrame | None]:
    """Read a CSV file as ``{file stem: frame}`` (None when it has no non-empty cell), within the bounds."""
    decoded = _decode_csv(path)
    sample = decoded.text[:SNIFF_BYTES].splitlines(keepends=True)[:_SAMPLE_LINES]
    separator, width = detect_separator(sample)
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
    frame = build_frame(grid, sheet=path.stem, source=path.name, merges=())
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
        for number, raw in enumerate(raw_lines(handle, source=path.name), start=1):
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


def raw_lines(handle: IO[bytes], *, source: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Yield the file's lines without their ends (LF, CRLF or CR), each at most MAX_LINE_BYTES long."""
    pending = b""
    number = 0
    while True:
        chunk = handle.read(chunk_bytes)
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


def detect_separator(lines: Sequence[str]) -> tuple[str, int]:
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
