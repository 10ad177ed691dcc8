"""Reading CSV/XLSX tables and detecting column mappings (loaders/tables.py, loaders/columns.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from loaders.columns import (
    FIELDS,
    check_required,
    detect_mapping,
    guess_facility_kind,
    header_score,
    normalise_header,
)
from loaders.exceptions import InputError
from loaders.tables import NOTES_ATTR, ROW_COLUMN, map_sheets, parse_counts, read_tables


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -- CSV ------------------------------------------------------------------------------
def test_semicolon_csv_with_decimal_comma_keeps_text(tmp_path: Path) -> None:
    path = write(tmp_path / "posyandu_32.05.csv", "Kode Posyandu;Latitude;Longitude\nPSY-1;-7,225891;107,907026\n")
    frames = read_tables(path)
    assert list(frames) == ["posyandu_32.05"]
    frame = frames["posyandu_32.05"]
    assert list(frame.columns) == ["Kode Posyandu", "Latitude", "Longitude", ROW_COLUMN]
    assert frame.iloc[0].tolist()[:3] == ["PSY-1", "-7,225891", "107,907026"]
    assert frame[ROW_COLUMN].tolist() == [2]


def test_comma_csv_with_bom_and_quoted_commas(tmp_path: Path) -> None:
    text = '\ufeffKode Puskesmas,Nama Puskesmas,Alamat\nP1,Ampenan,"Jl. Saleh, Kec. Ampenan"\n'
    frame = read_tables(write(tmp_path / "p.csv", text))["p"]
    assert frame.columns[0] == "Kode Puskesmas"
    assert frame.loc[0, "Alamat"] == "Jl. Saleh, Kec. Ampenan"


def test_tab_separated_and_pipe(tmp_path: Path) -> None:
    tab = read_tables(write(tmp_path / "t.csv", "kode\tnama\nA\tB\n"))["t"]
    pipe = read_tables(write(tmp_path / "p.csv", "kode|nama\nA|B\n"))["p"]
    assert tab.loc[0, "nama"] == "B"
    assert pipe.loc[0, "nama"] == "B"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "e.csv", "kode;nama\nA;Posyandu Señorita café\n", encoding=encoding)
    assert read_tables(path)["e"].loc[0, "nama"] == "Posyandu Señorita café"


def test_title_rows_above_header_and_blank_lines_keep_row_numbers(tmp_path: Path) -> None:
    text = (
        "DATA POSYANDU KABUPATEN GARUT;;\nTahun 2026;;\n;;\n"
        "Kode Posyandu;Nama Posyandu;Strata\nA;Satu;Madya\n;;\nB;Dua;Mandiri\n"
    )
    frame = read_tables(write(tmp_path / "judul.csv", text))["judul"]
    assert list(frame.columns) == ["Kode Posyandu", "Nama Posyandu", "Strata", ROW_COLUMN]
    assert frame["Kode Posyandu"].tolist() == ["A", "B"]
    assert frame[ROW_COLUMN].tolist() == [5, 7]


def test_title_block_with_known_words_is_not_taken_for_the_header(tmp_path: Path) -> None:
    text = (
        "Puskesmas:;Cipatujah;Kecamatan:;Cipatujah\n"
        "Kode Posyandu;Nama Posyandu;Kode Desa;Strata\nA;Satu;32.06.01.2001;Madya\n"
    )
    frame = read_tables(write(tmp_path / "blok.csv", text))["blok"]
    assert list(frame.columns)[:4] == ["Kode Posyandu", "Nama Posyandu", "Kode Desa", "Strata"]
    assert frame[ROW_COLUMN].tolist() == [3]


def test_markup_inside_cells_is_not_taken_for_an_html_page(tmp_path: Path) -> None:
    frame = read_tables(write(tmp_path / "m.csv", "kode;nama\nA;<html><b>x</b>\n"))["m"]
    assert frame.loc[0, "nama"] == "<html><b>x</b>"


def test_duplicate_and_empty_header_names(tmp_path: Path) -> None:
    frame = read_tables(write(tmp_path / "d.csv", "kode;nama;nama;;\nA;x;y;z;\n"))["d"]
    assert list(frame.columns) == ["kode", "nama", "nama (2)", "Kolom D", ROW_COLUMN]


def test_extra_cells_near_the_top_become_unnamed_columns(tmp_path: Path) -> None:
    frame = read_tables(write(tmp_path / "r.csv", "kode;nama\nA;x\nB;y;z;w\n"))["r"]
    assert list(frame.columns) == ["kode", "nama", "Kolom C", "Kolom D", ROW_COLUMN]
    assert frame.loc[1, "Kolom D"] == "w"


def test_ragged_csv_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "kode;nama\n" + "A;x\n" * 300 + "B;y;z;w\n")
    with pytest.raises(InputError, match=r"r\.csv.*titik koma.*Baris 302 berisi 4 kolom, sedangkan judul 2"):
        read_tables(path)


def test_size_cap_refuses_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "besar.csv", "kode;nama\n" + "A;x\n" * 1000)
    with pytest.raises(InputError, match=r"besar\.csv berukuran .* melebihi batas 0 MB.*Pecah berkas"):
        read_tables(path, max_bytes=100)


# -- XLSX -----------------------------------------------------------------------------
def test_xlsx_every_sheet_skips_empty_and_header_only_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Puskesmas"
    book.active.append(["Kode Puskesmas", "Nama Puskesmas"])
    book.active.append(["P1", "Satu"])
    book.create_sheet("Kosong")
    header_only = book.create_sheet("Pustu")
    header_only.append(["Nama Pustu", "Kode Desa"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    frames = read_tables(path)
    assert list(frames) == ["Puskesmas"]
    assert read_tables(path, sheet="puskesmas")["Puskesmas"].loc[0, "Nama Puskesmas"] == "Satu"
    with pytest.raises(
        InputError, match=r"Sheet 'Posyandu' tidak ada di berkas f\.xlsx\. Sheet yang ada: Puskesmas, Kosong, Pustu"
    ):
        read_tables(path, sheet="Posyandu")
    with pytest.raises(InputError, match=r"Sheet 'Pustu' di berkas f\.xlsx hanya berisi judul kolom"):
        read_tables(path, sheet="Pustu")


def test_xlsx_cell_types_become_text(tmp_path: Path) -> None:
    path = tmp_path / "tipe.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Laporan")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["kode_posyandu", "bulan", "buka", "balita", "lat", "kode_desa", "total"])
    sheet.write_string(1, 0, "PSY-1")
    sheet.write_datetime(1, 1, dt.datetime(2026, 10, 1), date_format)
    sheet.write_boolean(1, 2, True)
    sheet.write_number(1, 3, 12.0)
    sheet.write_number(1, 4, -7.225891)
    sheet.write_number(1, 5, 3206012001)
    sheet.write_formula(1, 6, "=D2*2", None, 24)  # cached value, as Excel saves it
    book.close()
    frame = read_tables(path)["Laporan"]
    assert frame.iloc[0].tolist()[:7] == ["PSY-1", "2026-10-01", "TRUE", "12", "-7.225891", "3206012001", "24"]
    assert NOTES_ATTR not in frame.attrs


def test_xlsx_merged_title_and_formula_without_cached_value(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Posyandu"
    sheet["A1"] = "DATA POSYANDU KABUPATEN CONTOH"
    sheet.merge_cells("A1:D1")
    sheet.append(["Kode Posyandu", "Nama Posyandu", "Jumlah Kader", "Total"])
    sheet.append(["PSY-1", "Mawar", 5, "=C3*2"])
    path = tmp_path / "judul.xlsx"
    book.save(path)
    frame = read_tables(path)["Posyandu"]
    assert frame[ROW_COLUMN].tolist() == [3]
    assert frame.loc[0, "Total"] == ""
    assert any("rumus tanpa nilai tersimpan (D3)" in note for note in frame.attrs[NOTES_ATTR])


def test_xlsx_two_row_header_under_merged_cell_is_resolved(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Posyandu"
    sheet.append(["Kode Posyandu", "Nama Posyandu", "Koordinat", None, "Kecamatan"])
    sheet.append([None, None, "Latitude", "Longitude", None])
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    sheet.merge_cells("E1:E2")
    sheet.append(["PSY-1", "Mawar", -7.1, 108.2, "Garut Kota"])
    sheet.append(["PSY-2", "Melati", -7.2, 108.3, None])
    sheet.merge_cells("E3:E4")  # merged data cell: filled down
    path = tmp_path / "dua.xlsx"
    book.save(path)
    frame = read_tables(path)["Posyandu"]
    assert list(frame.columns) == ["Kode Posyandu", "Nama Posyandu", "Latitude", "Longitude", "Kecamatan", ROW_COLUMN]
    assert frame["Kecamatan"].tolist() == ["Garut Kota", "Garut Kota"]
    assert frame[ROW_COLUMN].tolist() == [3, 4]


def test_xlsx_unresolvable_merged_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Posyandu"
    sheet.append(["Kode Posyandu", "Nama Posyandu", "Koordinat", None])
    sheet.merge_cells("C1:D1")
    sheet.append(["PSY-1", "Mawar", -7.1, 108.2])
    path = tmp_path / "gabung.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"gabung\.xlsx: sel judul kolom C1:D1 digabung.*Unmerge.*satu baris judul"):
        read_tables(path)


# -- columns ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Kode_Posyandu ", "kodeposyandu"),
        ("KODE-POSYANDU", "kodeposyandu"),
        ("Lintang (°)", "lintang"),
        ("Désa", "desa"),
    ],
)
def test_normalise_header(text: str, expected: str) -> None:
    assert normalise_header(text) == expected


# The report's canonical header, each column mapped to the field of the same name.
LAPORAN_COLUMNS = [
    "kode_posyandu",
    "bulan",
    "buka",
    "kader_hadir",
    "balita",
    "ibu_hamil",
    "usia_sekolah_remaja",
    "usia_produktif",
    "lansia",
]
DISTRICT_SHAPES = [
    # Tasikmalaya / Rejang Lebong xlsx, Garut ; CSV, Mataram BOM CSV: the same headers
    (
        "posyandu",
        [
            "Kode Posyandu",
            "Nama Posyandu",
            "Kode Desa",
            "Desa",
            "Kecamatan",
            "Latitude",
            "Longitude",
            "Strata",
            "Jumlah Kader",
        ],
        {
            "Kode Posyandu": "kode",
            "Nama Posyandu": "nama",
            "Kode Desa": "kode_desa",
            "Desa": "nama_desa",
            "Kecamatan": "nama_kecamatan",
            "Latitude": "lat",
            "Longitude": "lon",
            "Strata": "strata",
            "Jumlah Kader": "jumlah_kader",
        },
    ),
    (
        "pustu",
        ["Nama Pustu", "Kode Desa", "Desa", "Kecamatan", "Puskesmas Induk", "Koordinat", "Perawat", "Bidan", "Status"],
        {
            "Nama Pustu": "nama",
            "Kode Desa": "kode_desa",
            "Desa": "nama_desa",
            "Kecamatan": "nama_kecamatan",
            "Puskesmas Induk": "nama_puskesmas_induk",
            "Koordinat": "koordinat",
            "Perawat": "perawat",
            "Bidan": "bidan",
            "Status": "status",
        },
    ),
    (
        "puskesmas",
        ["Kode Puskesmas", "Nama Puskesmas", "Alamat", "Lintang", "Bujur"],
        {"Kode Puskesmas": "kode", "Nama Puskesmas": "nama", "Alamat": "alamat", "Lintang": "lat", "Bujur": "lon"},
    ),
    (
        "posyandu",
        ["KODE", "NAMOBJ", "KDEPUM", "Y", "X"],
        {"KODE": "kode", "NAMOBJ": "nama", "KDEPUM": "kode_desa", "Y": "lat", "X": "lon"},
    ),
    (
        "laporan",
        LAPORAN_COLUMNS,
        {c: c for c in LAPORAN_COLUMNS},
    ),
    (
        "wilayah_kerja",
        ["kode_desa", "nama_desa", "kode_puskesmas", "nama_puskesmas"],
        {
            "kode_desa": "kode_desa",
            "nama_desa": "nama_desa",
            "kode_puskesmas": "kode_puskesmas",
            "nama_puskesmas": "nama_puskesmas",
        },
    ),
]


@pytest.mark.parametrize(("target", "columns", "expected"), DISTRICT_SHAPES)
def test_detect_mapping_of_real_shapes(target: str, columns: list[str], expected: dict[str, str]) -> None:
    assert detect_mapping(columns, target=target) == expected


def test_most_specific_synonym_wins() -> None:
    mapping = detect_mapping(["Nama", "Nama Posyandu", "Kode"], target="posyandu")
    assert mapping == {"Nama Posyandu": "nama", "Kode": "kode"}


def test_overrides_win_and_are_matched_loosely() -> None:
    mapping = detect_mapping(
        ["Nama Faskes", "Nama Posyandu", "ID"], target="posyandu", overrides={"nama faskes": "nama", "ID": "kode"}
    )
    assert mapping == {"Nama Faskes": "nama", "ID": "kode"}


def test_unknown_override_field_lists_valid_fields() -> None:
    with pytest.raises(
        InputError, match=r"--map 'Nama=namanya': field 'namanya' tidak dikenal\. Field yang sah: kode, nama,"
    ):
        detect_mapping(["Nama"], target="posyandu", overrides={"Nama": "namanya"})


def test_override_of_absent_column() -> None:
    with pytest.raises(InputError, match=r"kolom 'Tidak Ada' tidak ada\. Kolom yang ada: Nama"):
        detect_mapping(["Nama"], target="posyandu", overrides={"Tidak Ada": "nama"})


def test_check_required_names_missing_fields_and_map_flag() -> None:
    mapping = detect_mapping(["Kode Posyandu", "Latitude"], target="posyandu")
    with pytest.raises(InputError, match=r"Kolom wajib tidak ditemukan di berkas x\.csv: nama, lon\. .*--map"):
        check_required(mapping, target="posyandu", where="berkas x.csv", columns=["Kode Posyandu", "Latitude"])
    with pytest.raises(InputError, match=r"kode_desa atau nama_desa"):
        check_required(
            {"kode_puskesmas": "kode_puskesmas"}, target="wilayah_kerja", where="x", columns=["kode_puskesmas"]
        )


@pytest.mark.parametrize(
    ("columns", "kind"),
    [
        (["Kode Posyandu", "Kode Puskesmas"], "posyandu"),
        (["Nama", "Perawat", "Bidan", "Kode Puskesmas"], "pustu"),
        (["Nama Pustu"], "pustu"),
        (["Kode Puskesmas", "Nama"], "puskesmas"),
        (["Nama", "Alamat"], None),
    ],
)
def test_guess_facility_kind(columns: list[str], kind: str | None) -> None:
    assert guess_facility_kind(columns) == kind


def test_header_score_and_field_help_is_indonesian() -> None:
    assert header_score(["Kode Posyandu", "Nama", "xyz", ""]) == 2
    assert all(spec.bantuan for target in FIELDS.values() for spec in target.values())


def test_map_sheets_applies_overrides_per_sheet(tmp_path: Path) -> None:
    frames = {
        "A": pd.DataFrame({"Faskes": ["x"], "Kode": ["1"], ROW_COLUMN: [2]}),
        "B": pd.DataFrame({"Nama Posyandu": ["y"], "Kode": ["2"], ROW_COLUMN: [2]}),
    }
    sheets, notes = map_sheets(
        frames,
        targets={"A": "posyandu", "B": "posyandu"},
        overrides={"Faskes": "nama"},
        source="f.xlsx",
        skip_incomplete=False,
    )
    assert [s.mapping for s in sheets] == [
        {"Faskes": "nama", "Kode": "kode"},
        {"Nama Posyandu": "nama", "Kode": "kode"},
    ]
    assert notes == []
    with pytest.raises(InputError, match=r"--map: kolom 'Hilang' tidak ada di f\.xlsx"):
        map_sheets(
            frames,
            targets={"A": "posyandu"},
            overrides={"Faskes": "nama", "Hilang": "kode"},
            source="f.xlsx",
            skip_incomplete=False,
        )


def test_parse_counts() -> None:
    numbers, bad = parse_counts(pd.Series(["3", " 4 ", "5,0", "", "-1", "2.5", "abc", "-"]))
    assert numbers.tolist() == [3, 4, 5, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    assert bad.tolist() == [False, False, False, False, True, True, True, False]
