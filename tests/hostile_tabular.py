"""Generators of hostile tabular files (XLSX and CSV), written at test time into a folder (not a test module).

Nothing hostile is committed: every file is made by a function of this module
into a temporary folder. :data:`CASES` lists them for the tests
(``tests/test_hostile_tabular.py``) and for a benchmark that wants to run the
same files: ``(name, import kind, make(folder) -> Path, expected message fragment)``.

The XLSX files are written with :mod:`zipfile` directly (no openpyxl), so a
sheet can be made of a billion repeated bytes without holding them: the sheet
XML is streamed into the archive in chunks (``ZipFile.open(mode="w",
force_zip64=True)``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

MAIN_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS: Final = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_CT: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_CT: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_SST_CT: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MIB: Final = 1024 * 1024
GIB: Final = 1024 * MIB
SHEET_START: Final = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'.encode()
FACILITY_HEADER: Final = "Kode Posyandu;Nama Posyandu;Kode Desa\n"


# -- building blocks ----------------------------------------------------------------------------
def _content_types(*, shared_strings: bool) -> str:
    sst = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CT}"/>' if shared_strings else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_BOOK_CT}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_CT}"/>{sst}</Types>'
    )


def _package_rels() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )


def workbook_xml(sheet: str = "Posyandu") -> str:
    """The workbook part naming one sheet."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
        f'xmlns:r="{_REL_NS}"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _workbook_rels(*, shared_strings: bool) -> str:
    sst = f'<Relationship Id="rId2" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f"{sst if shared_strings else ''}</Relationships>"
    )


def write_xlsx(
    path: Path,
    sheet_xml: Iterable[bytes],
    *,
    sheet: str = "Posyandu",
    workbook: str | None = None,
    shared_strings: Iterable[bytes] | None = None,
    extra_entries: int = 0,
    parts: Mapping[str, Iterable[bytes]] | None = None,
) -> Path:
    """Write a minimal XLSX whose one sheet's XML is streamed from ``sheet_xml`` (chunks of bytes).

    Parameters
    ----------
    path
        Where to write.
    sheet_xml
        The worksheet part, in chunks (may be gigabytes: it is compressed as it is written).
    sheet
        The sheet's name.
    workbook
        The workbook part's text instead of the normal one (e.g. malformed XML).
    shared_strings
        The shared strings part, in chunks; none when omitted.
    extra_entries
        Number of additional tiny entries (``xl/media/pad_N.bin``).
    parts
        More parts (name -> chunks), e.g. ``xl/styles.xml``.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _content_types(shared_strings=shared_strings is not None))
        archive.writestr("_rels/.rels", _package_rels())
        archive.writestr("xl/workbook.xml", workbook if workbook is not None else workbook_xml(sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(shared_strings=shared_strings is not None))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for chunk in sheet_xml:
                member.write(chunk)
        if shared_strings is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
                for chunk in shared_strings:
                    member.write(chunk)
        for name, chunks in (parts or {}).items():
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
        for number in range(extra_entries):
            archive.writestr(f"xl/media/pad_{number}.bin", b"")
    return path


def inline_row(number: int, *values: str) -> str:
    """One ``<row>`` of inline-string cells (A, B, ...)."""
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>' for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _number_row(number: int) -> str:
    """A compact data row: the row number as code (A) and as name (B); no desa."""
    return f'<row r="{number}"><c r="A{number}"><v>{number}</v></c><c r="B{number}"><v>{number}</v></c></row>'


def facility_sheet(rows: int, *, dimension: str | None = "auto", chunk_rows: int = 50_000) -> Iterator[bytes]:
    """A Posyandu sheet: header plus ``rows`` compact data rows; ``dimension`` ``auto`` states the true range."""
    yield SHEET_START
    if dimension == "auto":
        dimension = f"A1:C{rows + 1}"
    if dimension is not None:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield inline_row(1, "Kode Posyandu", "Nama Posyandu", "Kode Desa").encode()
    for start in range(2, rows + 2, chunk_rows):
        stop = min(start + chunk_rows, rows + 2)
        yield "".join(_number_row(n) for n in range(start, stop)).encode()
    yield b"</sheetData></worksheet>"


def _repeat(chunk: bytes, total: int) -> Iterator[bytes]:
    written = 0
    while written < total:
        piece = chunk[: total - written]
        written += len(piece)
        yield piece


# -- XLSX cases ---------------------------------------------------------------------------------
def xlsx_sheet_bomb(folder: Path, *, inflated: int = 3 * GIB) -> Path:
    """~3 MB on disk, a sheet XML of ``inflated`` bytes: a header row, then one empty row repeated."""
    row = b"<row/>" * (MIB // 6)

    def xml() -> Iterator[bytes]:
        yield SHEET_START + b"<sheetData>" + inline_row(1, "Kode Posyandu", "Nama Posyandu").encode()
        yield from _repeat(row, inflated)
        yield b"</sheetData></worksheet>"

    return write_xlsx(folder / "posyandu_bom.xlsx", xml())


def xlsx_shared_strings_bomb(folder: Path) -> Path:
    """A normal sheet whose shared strings part inflates to 300 MB of whitespace."""

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}">'.encode()
        yield from _repeat(b" " * MIB, 300 * MIB)
        yield b"</sst>"

    return write_xlsx(folder / "posyandu_sst.xlsx", facility_sheet(3), shared_strings=strings())


def xlsx_styles_bomb(folder: Path) -> Path:
    """A normal sheet whose styles part (which openpyxl reads whole into a tree) inflates to 30 MB."""

    def styles() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{MAIN_NS}">'.encode()
        yield from _repeat(b"<numFmts/>" * (MIB // 10), 30 * MIB)
        yield b"</styleSheet>"

    return write_xlsx(folder / "posyandu_gaya.xlsx", facility_sheet(3), parts={"xl/styles.xml": styles()})


def xlsx_many_shared_strings(folder: Path) -> Path:
    """2,000,001 different shared strings (~5 MB on disk): each would cost memory when read."""

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}">'.encode()
        for start in range(0, 2_000_001, 100_000):
            stop = min(start + 100_000, 2_000_001)
            yield "".join(f"<si><t>T{i}</t></si>" for i in range(start, stop)).encode()
        yield b"</sst>"

    return write_xlsx(folder / "posyandu_teks.xlsx", facility_sheet(3), shared_strings=strings())


def xlsx_many_sheets(folder: Path) -> Path:
    """Three sheets of 39,000 rows x 500 empty cells: each sheet within the limits, together over the cells."""
    path = folder / "posyandu_banyak_sheet.xlsx"
    count = 3
    sheets = "".join(f'<sheet name="Posyandu {i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, count + 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_CT}"/>' for i in range(1, count + 1)
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _content_types(shared_strings=False).replace("</Types>", types + "</Types>"),
        )
        archive.writestr("_rels/.rels", _package_rels())
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{_REL_NS}"><sheets>{sheets}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL_NS}">'
            f"{rels}</Relationships>",
        )
        header = SHEET_START + b"<sheetData>" + inline_row(1, "Kode Posyandu", "Nama Posyandu").encode()
        rows = (b"<row>" + b"<c/>" * 500 + b"</row>") * 1000
        for i in range(1, count + 1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as member:
                member.write(header)
                for _ in range(39):
                    member.write(rows)
                member.write(b"</sheetData></worksheet>")
    return path


def xlsx_million_rows(folder: Path) -> Path:
    """1,048,576 rows (Excel's maximum) with the dimension Excel writes."""
    return write_xlsx(folder / "posyandu_sejuta.xlsx", facility_sheet(1_048_575))


def xlsx_million_rows_no_dimension(folder: Path) -> Path:
    """1,048,576 rows and no ``<dimension>``: refused while streaming."""
    return write_xlsx(folder / "posyandu_sejuta_tanpa_dimensi.xlsx", facility_sheet(1_048_575, dimension=None))


def xlsx_lying_dimension(folder: Path) -> Path:
    """The dimension says A1:C2, but the second row is numbered 1,048,576."""

    def xml() -> Iterator[bytes]:
        yield SHEET_START + b'<dimension ref="A1:C2"/><sheetData>'
        yield inline_row(1, "Kode Posyandu", "Nama Posyandu", "Kode Desa").encode()
        yield inline_row(1_048_576, "PSY-1", "Mawar", "32.06.01.2001").encode()
        yield b"</sheetData></worksheet>"

    return write_xlsx(folder / "posyandu_dimensi_bohong.xlsx", xml())


def xlsx_wide_row(folder: Path) -> Path:
    """One row of 10 million empty cells (40 MB of XML, compressed to ~40 KB)."""

    def xml() -> Iterator[bytes]:
        yield SHEET_START + b"<sheetData>" + inline_row(1, "Kode Posyandu", "Nama Posyandu").encode()
        yield b'<row r="2">'
        yield from _repeat(b"<c/>" * (MIB // 4), 40_000_000)
        yield b"</row></sheetData></worksheet>"

    return write_xlsx(folder / "posyandu_lebar.xlsx", xml())


def xlsx_long_name(folder: Path) -> Path:
    """A posyandu name of 50 MB in one inline-string cell."""

    def xml() -> Iterator[bytes]:
        yield SHEET_START + b"<sheetData>" + inline_row(1, "Kode Posyandu", "Nama Posyandu").encode()
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>PSY-1</t></is></c><c r="B2" t="inlineStr"><is><t>'
        yield from _repeat(b"A" * MIB, 50_000_000)
        yield b"</t></is></c></row></sheetData></worksheet>"

    return write_xlsx(folder / "posyandu_nama_panjang.xlsx", xml())


def xlsx_malformed_workbook(folder: Path) -> Path:
    """The workbook part is cut off in the middle of a tag (an XML ParseError)."""
    return write_xlsx(folder / "posyandu_rusak.xlsx", facility_sheet(2), workbook=workbook_xml()[:150])


def xlsx_malformed_sheet(folder: Path) -> Path:
    """The sheet XML breaks off after its rows with a stray closing tag."""

    def xml() -> Iterator[bytes]:
        *body, _end = facility_sheet(2)
        yield from body
        yield b"</sheetData></row></worksheet>"

    return write_xlsx(folder / "posyandu_sheet_rusak.xlsx", xml())


_LAUGHS: Final = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def xlsx_billion_laughs(folder: Path) -> Path:
    """A sheet XML whose DTD expands one entity to 10^9 'lol's."""

    def xml() -> Iterator[bytes]:
        yield f'<?xml version="1.0"?>\n{_LAUGHS}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        yield inline_row(1, "Kode Posyandu", "Nama Posyandu").encode()
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'

    return write_xlsx(folder / "posyandu_lol.xlsx", xml())


def xlsx_xxe(folder: Path) -> Path:
    """A sheet XML with an external entity naming /etc/passwd."""

    def xml() -> Iterator[bytes]:
        doctype = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        yield f'<?xml version="1.0"?>\n{doctype}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        yield inline_row(1, "Kode Posyandu", "Nama Posyandu").encode()
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'

    return write_xlsx(folder / "posyandu_xxe.xlsx", xml())


def xlsx_billion_laughs_in_shared_strings(folder: Path) -> Path:
    """The shared strings part (read by openpyxl when the workbook opens) carries the DTD."""
    strings = f'<?xml version="1.0"?>\n{_LAUGHS}<sst xmlns="{MAIN_NS}"><si><t>&lol9;</t></si></sst>'
    return write_xlsx(folder / "posyandu_lol_sst.xlsx", facility_sheet(2), shared_strings=[strings.encode()])


def xlsx_many_entries(folder: Path) -> Path:
    """A valid sheet plus 10,001 empty entries."""
    return write_xlsx(folder / "posyandu_entri.xlsx", facility_sheet(2), extra_entries=10_001)


# -- CSV cases ------------------------------------------------------------------------------------
def csv_one_long_line(folder: Path) -> Path:
    """50,000,000 bytes on one line: ``a,a,a,...`` (under the 50 MB file cap)."""
    path = folder / "posyandu_satu_baris.csv"
    with open(path, "wb") as handle:
        for chunk in _repeat(b"a," * (MIB // 2), 50_000_000):
            handle.write(chunk)
    return path


def csv_long_name(folder: Path) -> Path:
    """A posyandu whose name is 50,000,000 characters."""
    path = folder / "posyandu_nama_panjang.csv"
    with open(path, "wb") as handle:
        handle.write(FACILITY_HEADER.encode() + b"PSY-1;")
        for chunk in _repeat(b"N" * MIB, 50_000_000):
            handle.write(chunk)
        handle.write(b";32.06.01.2001\n")
    return path


def csv_too_many_rows(folder: Path) -> Path:
    """A report table with 1,000,001 data rows (the limit is 1,000,000)."""
    path = folder / "laporan_terlalu_banyak.csv"
    header = "kode_posyandu;bulan;buka;kader_hadir;balita;ibu_hamil;usia_sekolah_remaja;usia_produktif;lansia\n"
    line = b"PSY-1;2026-10;ya;1;1;1;1;1;1\n"
    with open(path, "wb") as handle:
        handle.write(header.encode())
        for _ in range(10):
            handle.write(line * 100_000)
        handle.write(line)
    return path


def csv_too_many_columns(folder: Path) -> Path:
    """A header of 600 columns."""
    path = folder / "posyandu_lebar.csv"
    header = ";".join(["Kode Posyandu", "Nama Posyandu", *(f"K{i}" for i in range(598))])
    path.write_text(header + "\n" + ";".join(["PSY-1", "Mawar", *("x" * 598)]) + "\n", encoding="utf-8")
    return path


def csv_long_cell(folder: Path) -> Path:
    """A name cell of 20,000 characters (under the line limit, over the cell limit)."""
    path = folder / "posyandu_sel_panjang.csv"
    path.write_text(FACILITY_HEADER + f"PSY-1;{'M' * 20_000};32.06.01.2001\n", encoding="utf-8")
    return path


def csv_nul_byte(folder: Path) -> Path:
    """A NUL byte inside a name on the third line."""
    path = folder / "posyandu_nul.csv"
    path.write_bytes(FACILITY_HEADER.encode() + b"PSY-1;Mawar;32.06.01.2001\nPSY-2;Mel\x00ati;32.06.01.2001\n")
    return path


def csv_undefined_cp1252(folder: Path) -> Path:
    """Line 3 is neither UTF-8 nor cp1252 (byte 0x81)."""
    path = folder / "posyandu_kode_asing.csv"
    path.write_bytes(FACILITY_HEADER.encode() + b"PSY-1;Mawar;32.06.01.2001\nPSY-2;Mel\x81ati;32.06.01.2001\n")
    return path


Make = Callable[[Path], Path]

# (name, import kind, make(folder) -> Path, expected message fragment)
CASES: Final[list[tuple[str, str, Make, str]]] = [
    ("xlsx_sheet_bomb", "facilities", xlsx_sheet_bomb, "melebihi batas 200 MB per bagian"),
    ("xlsx_shared_strings_bomb", "facilities", xlsx_shared_strings_bomb, "melebihi batas 200 MB per bagian"),
    ("xlsx_styles_bomb", "facilities", xlsx_styles_bomb, "melebihi batas 20 MB untuk bagian ini"),
    ("xlsx_many_shared_strings", "facilities", xlsx_many_shared_strings, "lebih dari 2.000.000 teks berbeda"),
    ("xlsx_many_sheets", "facilities", xlsx_many_sheets, "lebih dari 20.000.000 sel berisi (semua sheet"),
    ("xlsx_million_rows", "facilities", xlsx_million_rows, "melebihi batas 1.000.000 baris data"),
    ("xlsx_million_rows_no_dimension", "facilities", xlsx_million_rows_no_dimension, "lebih dari 1.000.000 baris"),
    ("xlsx_lying_dimension", "facilities", xlsx_lying_dimension, "(ada baris 1.048.576)"),
    ("xlsx_wide_row", "facilities", xlsx_wide_row, "melebihi batas 500 kolom"),
    ("xlsx_long_name", "facilities", xlsx_long_name, "lebih dari 10.000 karakter"),
    ("xlsx_malformed_workbook", "facilities", xlsx_malformed_workbook, "rusak atau bukan XLSX yang sah (ParseError)"),
    ("xlsx_malformed_sheet", "facilities", xlsx_malformed_sheet, "rusak: sheet tidak dapat dibaca"),
    ("xlsx_billion_laughs", "facilities", xlsx_billion_laughs, "memuat deklarasi DTD/entitas XML"),
    ("xlsx_xxe", "facilities", xlsx_xxe, "memuat deklarasi DTD/entitas XML"),
    ("xlsx_billion_laughs_sst", "facilities", xlsx_billion_laughs_in_shared_strings, "deklarasi DTD/entitas XML"),
    ("xlsx_many_entries", "facilities", xlsx_many_entries, "melebihi batas 10.000 bagian"),
    ("csv_one_long_line", "facilities", csv_one_long_line, "baris 1 lebih panjang dari 1 MB"),
    ("csv_long_name", "facilities", csv_long_name, "baris 2 lebih panjang dari 1 MB"),
    ("csv_too_many_rows", "reports", csv_too_many_rows, "lebih dari 1.000.000 baris data"),
    ("csv_too_many_columns", "facilities", csv_too_many_columns, "600 kolom, melebihi batas 500 kolom"),
    ("csv_long_cell", "facilities", csv_long_cell, "melebihi batas 10.000 karakter per sel"),
    ("csv_nul_byte", "facilities", csv_nul_byte, "baris 3 berisi karakter NUL"),
    ("csv_undefined_cp1252", "working-areas", csv_undefined_cp1252, "baris 3 bukan teks UTF-8 maupun Windows-1252"),
]
