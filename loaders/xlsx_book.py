"""Open a checked XLSX workbook: its sheets, shared strings (streamed, bounded) and date styles.

openpyxl's own parts are used for the workbook, its relationships and styles
(each capped at :data:`~loaders.limits.MAX_XLSX_PART_XML_BYTES`, as openpyxl
reads them whole into a tree), but not :func:`openpyxl.load_workbook`. The
shared strings are streamed with expat, counted quickly first
(:data:`~loaders.limits.MAX_XLSX_SHARED_STRINGS`).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.parsers import expat

from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS

from loaders.exceptions import InputError
from loaders.limits import MAX_CELL_CHARS, MAX_XLSX_PART_XML_BYTES, MAX_XLSX_SHARED_STRINGS
from loaders.numbers import angka, ukuran
from loaders.table_sniff import CHUNK_BYTES
from loaders.xlsx_container import XLSX_ERRORS, checked_archive, count_tags

__all__ = ["SheetPart", "XlsxBook", "open_xlsx"]

_SI_TAG_RE: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


@dataclass(frozen=True)
class SheetPart:
    """One worksheet of a workbook: its name and its XML part in the archive."""

    name: str
    member: str


class XlsxBook:
    """A checked XLSX: its zip archive, its worksheets, and (when asked) shared strings and styles.

    openpyxl's own parts are used for the workbook, relationships and styles,
    but not :func:`openpyxl.load_workbook`: in read-only mode it scans every
    sheet without a ``<dimension>`` to its end while opening the file, and
    keeps every shared string's element. Shared strings are read by this
    module's bounded stream instead, sheets by :mod:`loaders.xlsx_reader`.
    """

    def __init__(self, path: Path, *, contents: bool) -> None:
        self.source = path.name
        self.archive = checked_archive(path)
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
                    SheetPart(sheet.name, rel.target.lstrip("/"))
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
        except XLSX_ERRORS as exc:
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

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_xlsx(path: Path, *, contents: bool = True) -> XlsxBook:
    """Check the XLSX container (:func:`~loaders.xlsx_container.checked_archive`), then read its workbook part."""
    return XlsxBook(path, contents=contents)


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
    declared = count_tags(archive, member, _SI_TAG_RE, stop=MAX_XLSX_SHARED_STRINGS)
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
        while chunk := xml.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return strings
