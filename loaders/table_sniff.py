"""Recognise a tabular upload before it is read: present, not empty, under its size cap, XLSX or text.

HTML pages saved as ``.csv``/``.xlsx``, old ``.xls`` (OLE) files, binary
garbage and text files named ``.xlsx`` are refused here with an Indonesian
:class:`~loaders.exceptions.InputError` naming the file. The read sizes
shared by the CSV and XLSX readers live here too.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Final

from loaders.exceptions import InputError
from loaders.limits import MEGABYTE

__all__ = ["CHUNK_BYTES", "SNIFF_BYTES", "XLSX_SUFFIXES", "ZIP_MAGIC", "check_file", "sniff"]

XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
SNIFF_BYTES: Final = 64 * 1024
"""Bytes read from the start of a file (or an XML part) to recognise it."""
CHUNK_BYTES: Final = 1 << 20
"""Bytes read at a time from a CSV file or an XLSX part."""
ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_HTML_RE: Final = re.compile(r"<!doctype\s+html|<html|<head>|<body|<table", re.IGNORECASE)


def check_file(path: Path, *, max_bytes: int) -> bytes:
    """Refuse a missing, empty or too large file; return its first :data:`SNIFF_BYTES` bytes."""
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
        return handle.read(SNIFF_BYTES)


def sniff(path: Path, head: bytes) -> str:
    """Return ``xlsx`` or ``text``; raise for HTML, old XLS and binary files."""
    if head.startswith(ZIP_MAGIC):
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
