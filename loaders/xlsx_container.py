"""Check an XLSX zip container before any XML is parsed: entries, sizes, no DTD, quick tag counts.

The entry count and central directory size come from the zip's end record,
before :class:`zipfile.ZipFile` builds one object per entry; each entry's
declared uncompressed size is capped at
:data:`~loaders.limits.MAX_XLSX_SHEET_XML_BYTES` (zipfile never inflates past
it) and their total at :data:`~loaders.limits.MAX_UNCOMPRESSED_BYTES`; every
XML part's prolog is checked for a DTD (``<!DOCTYPE``/``<!ENTITY``: XXE and
"billion laughs"), which no real XLSX has. :func:`count_tags` counts start
tags in a part by bytes, so far too large sheets fail in seconds.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO, Final
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from openpyxl.utils.exceptions import InvalidFileException

from loaders.exceptions import InputError
from loaders.limits import MAX_UNCOMPRESSED_BYTES, MAX_XLSX_SHEET_XML_BYTES, MAX_ZIP_ENTRIES
from loaders.numbers import angka, ukuran
from loaders.table_sniff import CHUNK_BYTES, SNIFF_BYTES

__all__ = ["XLSX_ERRORS", "checked_archive", "count_tags"]

# A central directory entry takes 46 bytes plus its name; a real XLSX has tens of entries.
_MAX_CENTRAL_DIRECTORY_BYTES: Final = MAX_ZIP_ENTRIES * 512
XLSX_ERRORS: Final = (
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
"""What a corrupt XLSX raises from zipfile, openpyxl or expat (turned into an InputError)."""


def checked_archive(path: Path) -> zipfile.ZipFile:
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
    """Refuse too many entries, an entry or a total over its size cap, or an XML part with a DTD."""
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
            while chunk := member.read(SNIFF_BYTES):
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


def count_tags(archive: zipfile.ZipFile, member: str, pattern: re.Pattern[bytes], *, stop: int) -> int:
    """Count the start tags ``pattern`` finds in a part, in chunks, stopping once past ``stop``."""
    count = 0
    tail = b""
    with archive.open(member) as xml:
        while chunk := xml.read(CHUNK_BYTES):
            data = tail + chunk
            # A tag cut by the chunk end is counted in the next round: keep its start.
            cut = data.rfind(b"<", max(0, len(data) - 64))
            body, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
            count += len(pattern.findall(body))
            if count > stop:
                return count
    return count + len(pattern.findall(tail))
