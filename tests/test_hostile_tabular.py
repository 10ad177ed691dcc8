"""Hostile tabular files (XLSX and CSV) are refused within bounds; text is read faithfully.

Every hostile file is generated at test time (:mod:`hostile_tabular`) and sent
through ``python cli.py import`` in a subprocess: exit code 2, an Indonesian
message with the words that matter, the store byte-identical, and a peak RSS
(CLI and any child) under 1 GiB. The subprocess timeout is only a hang guard.
The decoding rules (per-line UTF-8/cp1252, NUL bytes, names over the length
limit) are tested directly.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from cli_support import run_cli_measured, store_state
from hostile_tabular import CASES, FACILITY_HEADER, facility_sheet, inline_row, write_xlsx
from tabular_fixtures import write_text

from loaders import csv_reader, xlsx_book, xlsx_reader
from loaders.exceptions import InputError
from loaders.facilities import prepare_facilities
from loaders.limits import GIGABYTE, MAX_LINE_BYTES, MAX_NAME_LENGTH
from loaders.store import Store
from loaders.tables import NOTES_ATTR, ROW_COLUMN, read_tables, sheet_names
from loaders.working_areas import prepare_working_areas

HANG_GUARD_SECONDS = 60
MIXED = "Ñusa – Café"


@pytest.fixture
def store(small_store: Store) -> Store:
    """A private copy of the small tabular store (conftest)."""
    return small_store


# -- every hostile file through the CLI ----------------------------------------------------------
@pytest.mark.parametrize(("name", "kind", "make", "fragment"), CASES, ids=[case[0] for case in CASES])
def test_hostile_file_is_refused_by_the_cli(
    name: str, kind: str, make: object, fragment: str, tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(store)
    result = run_cli_measured("import", kind, str(path), "--store", str(store.path), timeout=HANG_GUARD_SECONDS)
    assert result.returncode == 2, (name, result.returncode, result.stderr[-2000:])
    assert result.stderr.startswith("Galat: "), result.stderr[-2000:]
    assert path.name in result.stderr, result.stderr
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert store_state(store) == before
    assert result.peak_rss_bytes < GIGABYTE, (name, result.peak_rss_bytes)


def test_sheet_bomb_is_small_on_disk_and_huge_inside(tmp_path: Path) -> None:
    """The generator really makes a ~3 GiB sheet in a few MB (what the refusal above is about)."""
    import zipfile

    from hostile_tabular import xlsx_sheet_bomb

    path = xlsx_sheet_bomb(tmp_path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert path.stat().st_size < 8 * 1024 * 1024
    assert sheet.file_size >= 3 * GIGABYTE


def test_small_versions_of_the_generated_xlsx_are_read(tmp_path: Path) -> None:
    """The generators write valid workbooks: a small one is read normally (the refusals are about size)."""
    path = write_xlsx(tmp_path / "posyandu.xlsx", facility_sheet(3))
    frame = read_tables(path)["Posyandu"]
    assert frame["Kode Posyandu"].tolist() == ["2", "3", "4"]
    assert frame[ROW_COLUMN].tolist() == [2, 3, 4]
    assert sheet_names(path) == ["Posyandu"]


# -- sheet names (the Data page's sheet picker) ----------------------------------------------------
def test_sheet_names_of_a_malformed_workbook_is_an_input_error(tmp_path: Path) -> None:
    from hostile_tabular import xlsx_malformed_workbook

    path = xlsx_malformed_workbook(tmp_path)
    with pytest.raises(InputError, match=r"posyandu_rusak\.xlsx rusak atau bukan XLSX yang sah \(ParseError\)"):
        sheet_names(path)


def test_sheet_names_refuses_a_bomb_before_reading(tmp_path: Path) -> None:
    from hostile_tabular import xlsx_billion_laughs, xlsx_shared_strings_bomb

    with pytest.raises(InputError, match=r"sharedStrings\.xml.*melebihi batas 200 MB per bagian"):
        sheet_names(xlsx_shared_strings_bomb(tmp_path))
    with pytest.raises(InputError, match=r"DTD/entitas XML"):
        sheet_names(xlsx_billion_laughs(tmp_path))


def test_sheet_names_of_a_csv_is_empty(tmp_path: Path) -> None:
    assert sheet_names(write_text(tmp_path / "posyandu.csv", FACILITY_HEADER + "PSY-1;Mawar;x\n")) == []


def test_data_page_sheet_lookup_gives_no_exception(tmp_path: Path) -> None:
    """``ui.upload._sheet_names`` (the Data page) returns [] for a malformed workbook instead of raising."""
    from hostile_tabular import xlsx_malformed_workbook

    from ui.upload import _sheet_names

    assert _sheet_names(xlsx_malformed_workbook(tmp_path)) == []
    assert _sheet_names(write_xlsx(tmp_path / "ok.xlsx", facility_sheet(2), sheet="Pustu")) == ["Pustu"]


# -- XLSX cells ---------------------------------------------------------------------------------------
def _one_row_sheet(*cells: str) -> list[bytes]:
    from hostile_tabular import SHEET_START

    return [
        SHEET_START + b"<sheetData>",
        inline_row(1, "Kode Posyandu", "Nama Posyandu").encode(),
        inline_row(2, *cells).encode(),
        b"</sheetData></worksheet>",
    ]


def test_xlsx_cell_over_the_cell_limit_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "posyandu.xlsx", _one_row_sheet("PSY-1", "N" * 10_001))
    with pytest.raises(InputError) as info:
        read_tables(path)
    message = str(info.value)
    assert "Sheet 'Posyandu' di berkas posyandu.xlsx, baris 2 kolom B: isi sel 10.001 karakter" in message
    assert "melebihi batas 10.000 karakter per sel" in message


def test_xlsx_formula_text_does_not_count_as_a_long_value(tmp_path: Path) -> None:
    """Text in a cell's formula counts towards the read bound (2x the cell limit), not the value limit."""
    from hostile_tabular import SHEET_START

    formula = "1+" * 4000 + "1"
    xml = [
        SHEET_START + b"<sheetData>",
        inline_row(1, "Kode Posyandu", "Jumlah Kader").encode(),
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>PSY-1</t></is></c><c r="B2"><f>{formula}</f><v>4001</v></c>'
        "</row>".encode(),
        b"</sheetData></worksheet>",
    ]
    frame = read_tables(write_xlsx(tmp_path / "posyandu.xlsx", xml))["Posyandu"]
    assert frame["Jumlah Kader"].tolist() == ["4001"]


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        ('<row r="inf">', '<c r="A2"><v>1</v></c>', r"rusak: nomor baris 'inf' tidak sah"),
        ('<row r="nan">', '<c r="A2"><v>1</v></c>', r"rusak: nomor baris 'nan' tidak sah"),
        ('<row r="2">', '<c r="ZZZZ2"><v>1</v></c>', r"rusak: sheet tidak dapat dibaca \(ValueError\)"),
        ('<row r="2">', '<c r="XFD2"><v>1</v></c>', r"berisi sel sampai kolom ke-16\.384, melebihi batas 500 kolom"),
        ('<row r="2">', '<c r="A2" t="s"><v>7</v></c>', r"rusak: sheet tidak dapat dibaca \(IndexError\)"),
        ('<row r="2">', '<c r="A2" t="n"><v>1e999999</v></c>', None),
    ],
)
def test_odd_row_and_cell_references_are_messages(row: str, cell: str, message: str | None, tmp_path: Path) -> None:
    from hostile_tabular import SHEET_START

    xml = [
        SHEET_START + b"<sheetData>",
        inline_row(1, "Kode Posyandu", "Nama Posyandu").encode(),
        f"{row}{cell}</row>".encode(),
        b"</sheetData></worksheet>",
    ]
    path = write_xlsx(tmp_path / "posyandu.xlsx", xml)
    if message is None:
        assert read_tables(path)["Posyandu"]["Kode Posyandu"].tolist() == ["inf"]
        return
    with pytest.raises(InputError, match=message):
        read_tables(path)


# -- CSV decoding -------------------------------------------------------------------------------------
def test_mixed_utf8_and_cp1252_lines_keep_their_text_and_warn(tmp_path: Path) -> None:
    data = (
        FACILITY_HEADER.encode()
        + f"PSY-1;{MIXED};32.06.01.2001\n".encode()
        + f"PSY-2;{MIXED};32.06.01.2001\n".encode("cp1252")
        + b"PSY-3;Melati;32.06.01.2001\n"
        + f"PSY-4;{MIXED} 2;32.06.01.2001\n".encode("cp1252")
    )
    path = tmp_path / "posyandu.csv"
    path.write_bytes(data)
    frame = read_tables(path)["posyandu"]
    assert frame["Nama Posyandu"].tolist() == [MIXED, MIXED, "Melati", f"{MIXED} 2"]
    (note,) = frame.attrs[NOTES_ATTR]
    assert "posyandu.csv bercampur pengodean. Baris 3, 5 bukan UTF-8" in note
    assert "dibaca sebagai Windows-1252 (cp1252)" in note


def test_mixed_encoding_warning_reaches_the_import_report(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes(
        FACILITY_HEADER.encode() + f"PSY-2;{MIXED};32.06.01.2001\n".encode("cp1252") + "PSY-3;Ñ;x\n".encode()
    )
    prepared = prepare_facilities(path, store=store)
    names = prepared.layers["fasilitas"].set_index("id_fasilitas")["nama"]
    assert names["PSY-2"] == MIXED
    assert any("Baris 2 bukan UTF-8" in note for note in prepared.report.catatan)


def test_pure_cp1252_file_is_read_as_cp1252_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes((FACILITY_HEADER + f"PSY-1;{MIXED};32.06.01.2001\nPSY-2;Peñas;x\n").encode("cp1252"))
    frame = read_tables(path)["posyandu"]
    assert frame["Nama Posyandu"].tolist() == [MIXED, "Peñas"]
    assert frame.attrs[NOTES_ATTR] == [
        "Berkas posyandu.csv bukan UTF-8; dibaca sebagai Windows-1252 (cp1252), pengodean CSV Excel lama."
    ]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_utf8_and_utf16_are_read_without_notes(encoding: str, prefix: bytes, tmp_path: Path) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes(prefix + (FACILITY_HEADER + f"PSY-1;{MIXED};32.06.01.2001\r\n").encode(encoding))
    frame = read_tables(path)["posyandu"]
    assert frame.columns.tolist()[:2] == ["Kode Posyandu", "Nama Posyandu"]
    assert frame["Nama Posyandu"].tolist() == [MIXED]
    assert frame.attrs.get(NOTES_ATTR, []) == []


def test_undefined_cp1252_byte_refuses_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes(FACILITY_HEADER.encode() + "PSY-1;Ñusa;x\n".encode() + b"PSY-2;\x8dA\xe9;x\n")
    with pytest.raises(InputError, match=r"posyandu\.csv baris 3 bukan teks UTF-8 maupun Windows-1252 \(byte 0x8D"):
        read_tables(path)


def test_nul_byte_names_its_row_and_nothing_is_cut(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes(FACILITY_HEADER.encode() + b"PSY-2;Melati;x\nPSY-3;Maw\x00ar;x\n")
    before = store_state(store)
    with pytest.raises(InputError, match=r"posyandu\.csv baris 3 berisi karakter NUL \(byte 0\)"):
        prepare_facilities(path, store=store)
    assert store_state(store) == before


def test_nul_in_utf16_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes(b"\xff\xfe" + (FACILITY_HEADER + "PSY-2;Mel\x00ati;x\n").encode("utf-16-le"))
    with pytest.raises(InputError, match=r"baris 2 berisi karakter NUL"):
        read_tables(path)


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_line_ends_split_across_chunks(ending: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are the same whatever the chunk size, also when a CRLF is cut between two chunks."""
    lines = [b"Kode;Nama", b"A;" + b"x" * 13, b"", b"B;y", b"C;\xc3\x91"]
    data = ending.join(lines) + ending
    for chunk in range(1, 12):
        assert list(csv_reader.raw_lines(io.BytesIO(data), source="t.csv", chunk_bytes=chunk)) == lines, chunk


def test_line_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_bytes(FACILITY_HEADER.encode() + b"PSY-1;" + b"N" * MAX_LINE_BYTES + b";x\n")
    with pytest.raises(InputError, match=r"posyandu\.csv baris 2 lebih panjang dari 1 MB"):
        read_tables(path)


# -- names over the length limit: the row is rejected and reported, never cut -------------------------
def test_facility_with_a_too_long_name_is_rejected_and_reported(tmp_path: Path, store: Store) -> None:
    long_name = "Posyandu " + "A" * MAX_NAME_LENGTH
    path = write_text(
        tmp_path / "posyandu.csv",
        FACILITY_HEADER + f"PSY-2;{long_name};32.06.01.2001\nPSY-3;Melati;32.06.01.2001\n",
    )
    prepared = prepare_facilities(path, store=store)
    report = prepared.report
    assert (report.baris_dibaca, report.diterima) == (2, 1)
    (issue,) = [i for i in report.masalah if i.jenis == "nama_terlalu_panjang"]
    assert (issue.baris, issue.kolom, issue.tindakan) == (2, "Nama Posyandu", "ditolak")
    assert issue.alasan.startswith("Nama 209 karakter, melebihi batas 200 karakter; baris ditolak")
    stored = prepared.layers["fasilitas"]
    assert "PSY-2" not in set(stored["id_fasilitas"])
    assert stored["nama"].str.len().max() <= MAX_NAME_LENGTH


def test_name_at_the_limit_is_kept_whole(tmp_path: Path, store: Store) -> None:
    name = "B" * MAX_NAME_LENGTH
    path = write_text(tmp_path / "posyandu.csv", FACILITY_HEADER + f"PSY-2;{name};32.06.01.2001\n")
    prepared = prepare_facilities(path, store=store)
    assert prepared.layers["fasilitas"].set_index("id_fasilitas").loc["PSY-2", "nama"] == name


def test_only_too_long_names_refuse_the_file_with_an_example(tmp_path: Path, store: Store) -> None:
    path = write_text(tmp_path / "posyandu.csv", FACILITY_HEADER + f"PSY-2;{'C' * 5000};32.06.01.2001\n")
    with pytest.raises(InputError, match=r"semua 1 baris ditolak \(contoh: baris 2: Nama 5\.000 karakter, melebihi"):
        prepare_facilities(path, store=store)


def test_working_area_with_a_too_long_desa_name_is_rejected(tmp_path: Path, store: Store) -> None:
    path = write_text(
        tmp_path / "wilayah.csv",
        f"nama_desa;nama_kecamatan;kode_puskesmas\n{'D' * 300};Cipatujah;P1\nCiheras;Cipatujah;P1\n",
    )
    prepared = prepare_working_areas(path, store=store)
    report = prepared.report
    assert (report.baris_dibaca, report.diterima) == (2, 1)
    (issue,) = [i for i in report.masalah if i.jenis == "nama_terlalu_panjang"]
    assert (issue.baris, issue.kolom) == (2, "nama_desa")
    assert "Nama desa 300 karakter, melebihi batas 200 karakter; baris ditolak" in issue.alasan
    assert prepared.layers["wilayah_kerja"]["kode_desa"].tolist() == ["32.06.01.2001"]


# -- the real files still read the same ----------------------------------------------------------------
def _openpyxl_grid(path: Path, sheet: str) -> pd.DataFrame:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = book[sheet]
        worksheet.reset_dimensions()
        rows = [[xlsx_reader.cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], index=range(1, len(rows) + 1), dtype=object)


def test_reference_xlsx_files_read_exactly_as_openpyxl_reads_them(shared_data: Path) -> None:
    files = sorted((shared_data / "fasilitas").glob("*.xlsx"))
    assert files
    for path in files:
        with xlsx_book.open_xlsx(path) as book:
            for part in book.sheets:
                stream = xlsx_reader.SheetStream(book.cell_parser(), sheet=part.name, source=path.name)
                stream.read(book.archive, part.member)
                ours = stream.grid()
                expected = _openpyxl_grid(path, part.name)
                pd.testing.assert_frame_equal(ours.astype(object), expected, check_names=False)
        frames = read_tables(path)
        assert frames and all(len(frame) for frame in frames.values())


def test_reference_csv_files_read_as_pandas_reads_them(shared_data: Path) -> None:
    files = sorted((shared_data / "fasilitas").glob("*.csv"))
    assert files
    for path in files:
        (frame,) = read_tables(path, max_bytes=200 * 1024 * 1024).values()
        separator = csv_reader.detect_separator(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)[:200])[0]
        expected = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert frame.attrs.get(NOTES_ATTR, []) == [], path.name
        assert len(frame) == len(expected), path.name
        for column in expected.columns:
            assert frame[column.strip()].tolist() == expected[column].tolist(), (path.name, column)
