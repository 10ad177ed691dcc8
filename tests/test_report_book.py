"""The Excel report and the table files (ui.report_book, geo.report): every file is opened and read back.

* The report of a small inline district (tests/engine_fixtures.py), whose
  names start with ``=`` and hold characters Excel forbids in sheet names;
* the report of Kabupaten Tasikmalaya, 2026-10 (``../shared/data``; skipped
  when absent), checked against the engine;
* ``table_csv`` / ``table_xlsx`` in both languages: separators, decimal
  marks, rounding, Ya/Tidak, labels, formula-safe text.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np
import openpyxl
import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, months, point, reports

from geo import report, statuses
from geo.engine import Coverage
from geo.export import FORMULA_STARTS
from loaders import model
from loaders.dataset import read_dataset
from loaders.store import Store
from ui.exports import ExportRequest, render
from ui.i18n import column_label, status_label
from ui.report_book import data_version_text, render_xlsx, sheet_names, table_csv, table_xlsx

MONTH: Final = "2026-10"
MADE: Final = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
HYPERLINK: Final = '=HYPERLINK("http://x.id","klik")'
LONG_PUSKESMAS: Final = "=Puskesmas [Alfa]: nama yang sangat panjang sekali"
FORMULA_POSYANDU: Final = "=1+1"


# -- the small district ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small() -> Coverage:
    """Two kecamatan, two puskesmas; a gap desa named like a formula, an inactive posyandu '=1+1',
    an understaffed active pustu (1 perawat, 0 bidan) and a pustu meeting the standard."""
    desa = desa_layer([("32.06.01.2001", cell(0, 1)), ("32.06.01.2002", cell(1, 2)), ("32.06.02.2001", cell(2, 3))])
    desa.loc[desa["kode_desa"] == "32.06.01.2002", "nama_desa"] = HYPERLINK
    fac = [
        facility(model.PUSKESMAS, LONG_PUSKESMAS, at=point(0.5), kode="P1"),
        facility(model.PUSKESMAS, "Puskesmas Beta", at=point(2.5), kode="P2"),
        facility(model.PUSTU, "Pustu Satu", at=point(0.3), perawat=1, bidan=0),
        facility(model.PUSTU, "Pustu Dua", at=point(2.3), perawat=1, bidan=1),
        facility(model.POSYANDU, FORMULA_POSYANDU, at=point(1.5), kode="PSY1"),
        facility(model.POSYANDU, "Posyandu Mawar", at=point(0.6), kode="PSY2"),
        facility(model.POSYANDU, "Posyandu Melati", at=point(2.6), kode="PSY3"),
    ]
    window = months("2025-11", 12)
    laporan = [
        *reports("PSY1", dict.fromkeys(window, False)),
        *reports("PSY2", dict.fromkeys(window, True)),
        *reports("PSY3", dict.fromkeys(window, True)),
    ]
    return coverage(desa, fac, laporan)


def _request(cov: Coverage, *, lang: str = "id", kode_puskesmas: str | None = None) -> ExportRequest:
    codes = tuple(cov.desa_table(MONTH)["kode_desa"])
    if kode_puskesmas is not None:
        table = cov.desa_table(MONTH)
        codes = tuple(table.loc[table["kode_puskesmas"] == kode_puskesmas, "kode_desa"])
    return ExportRequest(
        coverage=cov,
        month=MONTH,
        kode_desa=codes,
        area="Kabupaten 32.06",
        rules=cov.rules,
        data_version="versi data 3, 2026-11-29 10:12 UTC",
        lang=lang,
        kode_puskesmas=kode_puskesmas,
    )


def _book(data: bytes) -> openpyxl.Workbook:
    assert data[:2] == b"PK"  # an xlsx is a zip
    return openpyxl.load_workbook(io.BytesIO(data))


def _find(sheet: openpyxl.worksheet.worksheet.Worksheet, value: object) -> openpyxl.cell.cell.Cell:
    for row in sheet.iter_rows():
        for c in row:
            if c.value == value:
                return c
    raise AssertionError(f"{value!r} not on sheet {sheet.title}")


def _table(sheet: openpyxl.worksheet.worksheet.Worksheet, header_row: int) -> pd.DataFrame:
    """The table whose header is on ``header_row`` (1-based), down to the first empty row."""
    header = [c.value for c in sheet[header_row] if c.value is not None]
    rows = []
    for row in sheet.iter_rows(min_row=header_row + 1, max_col=len(header), values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return pd.DataFrame(rows, columns=header)


def _header_row(sheet: openpyxl.worksheet.worksheet.Worksheet, first_label: str, *, after: int = 0) -> int:
    for row in sheet.iter_rows(min_row=after + 1, max_col=1):
        if row[0].value == first_label:
            return row[0].row
    raise AssertionError(f"no table starting with {first_label!r} on {sheet.title}")


def test_small_report_sheets_headers_and_formats(small: Coverage) -> None:
    book = _book(render_xlsx(_request(small), made=MADE))
    # Sheets: the summary, then one per puskesmas in name order; the name cut to 31 characters, no []:*?/\
    assert book.sheetnames == ["Ringkasan", "=Puskesmas Alfa nama yang sanga", "Puskesmas Beta"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    summary = book["Ringkasan"]
    lines = [summary.cell(row=r, column=1).value for r in range(1, 7)]
    assert lines == [
        "Laporan cakupan pustu dan posyandu aktif",
        "Wilayah: Kabupaten 32.06",
        "Bulan: Oktober 2026",
        "Aturan: Minimal bulan buka: 10; Jendela (bulan): 12; Puskesmas dihitung sebagai pustu: Tidak; "
        "Jarak maksimum ke pustu (km): 5,0; Berhenti lapor (bulan): 3; Radius duplikat (m): 50",
        "Versi data: versi data 3, 2026-11-29 10:12 UTC",
        "Dibuat 2026-11-30 08:15 UTC dengan Peta ILP",
    ]
    # The rules in words at the end of the summary: label, value, help text of geo.rules.RULES.
    rules = _table(summary, _header_row(summary, "Aturan"))
    assert rules["Aturan"].tolist()[:2] == ["Minimal bulan buka", "Jendela (bulan)"]
    assert rules["Nilai"].tolist()[:3] == ["10", "12", "Tidak"]
    assert rules["Penjelasan"].iloc[0].startswith("Posyandu dihitung aktif bila buka")
    assert summary["A1"].font.b
    # The kecamatan table: Indonesian bold filled headers, frozen below them.
    header = _header_row(summary, "Kode kecamatan")
    assert summary.freeze_panes == f"A{header + 1}"
    first = summary.cell(row=header, column=1)
    assert first.font.b and first.fill.fgColor.rgb.endswith("DCE6F1")
    labels = [c.value for c in summary[header] if c.value is not None]
    assert labels[:5] == ["Kode kecamatan", "Kecamatan", "Desa", "Desa dengan data fasilitas", "Desa berkesenjangan"]
    assert column_label("pct_kesenjangan") in labels
    assert summary.column_dimensions["B"].width >= len("Kecamatan 32.06.01")


def test_small_report_figures_equal_the_engine(small: Coverage) -> None:
    request = _request(small)
    book = _book(render_xlsx(request, made=MADE))
    summary = book["Ringkasan"]
    for by, first_label in (("kecamatan", "Kode kecamatan"), ("puskesmas", "Kode puskesmas")):
        header = _header_row(summary, first_label)
        table = _table(summary, header)
        engine = small.indicators(MONTH, by=by, kode_desa=request.kode_desa)
        assert table[first_label].tolist() == engine["kode"].tolist()
        for column in ("desa", "desa_kesenjangan", "posyandu_aktif", "pustu_standar"):
            assert table[column_label(column)].tolist() == engine[column].tolist()
        expected = [None if np.isnan(v) else round(v, 1) for v in engine["pct_kesenjangan"]]
        assert table[column_label("pct_kesenjangan")].tolist() == expected
        col = list(table.columns).index(column_label("pct_kesenjangan")) + 1
        assert summary.cell(row=header + 1, column=col).number_format == "0.0"
        col = list(table.columns).index(column_label("desa")) + 1
        assert summary.cell(row=header + 1, column=col).number_format == "#,##0"
    assert summary.cell(row=_header_row(summary, "Kode kecamatan") + 1, column=1).value == "32.06.01"


def test_puskesmas_sheet_lists_gaps_silent_posyandu_and_understaffed_pustu(small: Coverage) -> None:
    book = _book(render_xlsx(_request(small), made=MADE))
    sheet = book["=Puskesmas Alfa nama yang sanga"]
    assert sheet["A1"].value == f"Laporan cakupan pustu dan posyandu aktif: {LONG_PUSKESMAS} (kode P1)"
    assert sheet["A1"].data_type == "s"
    assert [sheet.cell(row=r, column=1).value for r in range(2, 4)] == [
        "Wilayah: Kabupaten 32.06",
        "Bulan: Oktober 2026",
    ]
    assert sheet["A4"].value.startswith("Aturan: Minimal bulan buka: 10;")
    # Gap desa: the desa named like a formula stays a text cell with its exact value.
    gaps = _table(sheet, _header_row(sheet, "Kode desa"))
    assert gaps["Kode desa"].tolist() == ["32.06.01.2002"]
    assert gaps["Status"].tolist() == [status_label("tanpa_keduanya")]
    name = _find(sheet, HYPERLINK)
    assert name.data_type == "s" and name.value == HYPERLINK
    assert sheet.freeze_panes == f"A{_header_row(sheet, 'Kode desa') + 1}"
    # Posyandu not active: '=1+1' as text, booleans as Ya/Tidak, months open as a number.
    posyandu = _table(sheet, _header_row(sheet, "Posyandu"))
    assert posyandu["Posyandu"].tolist() == [FORMULA_POSYANDU]
    assert posyandu["Aktif"].tolist() == ["Tidak"]
    assert posyandu["Bulan buka (12 bln terakhir)"].tolist() == [0]
    assert posyandu["Berhenti melapor"].tolist() == ["Tidak"]
    assert _find(sheet, FORMULA_POSYANDU).data_type == "s"
    # Pustu below the staffing standard: the active pustu with no bidan (Pustu Dua, 1+1, is not listed).
    pustu = _table(sheet, _header_row(sheet, "Pustu"))
    assert pustu[["Pustu", "Perawat", "Bidan", "Sesuai standar"]].values.tolist() == [["Pustu Satu", 1, 0, "Tidak"]]
    beta = _table(book["Puskesmas Beta"], _header_row(book["Puskesmas Beta"], "Pustu"))
    assert beta["Pustu"].tolist() == ["Tidak ada."]
    assert _find(book["Puskesmas Beta"], "Tidak ada.").font.i
    # No cell anywhere is a formula, a boolean or an unrounded float.
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type in ("s", "n"), (ws.title, c.coordinate, c.data_type)
                if isinstance(c.value, float):
                    assert round(c.value, 6) == c.value


def test_puskesmas_head_report_has_only_that_puskesmas(small: Coverage) -> None:
    book = _book(render(_request(small, kode_puskesmas="P2"), "xlsx"))
    assert book.sheetnames == ["Ringkasan", "Puskesmas Beta"]
    table = _table(book["Ringkasan"], _header_row(book["Ringkasan"], "Kode kecamatan"))
    assert table["Kode kecamatan"].tolist() == ["32.06.02"]


def test_english_report(small: Coverage) -> None:
    book = _book(render_xlsx(_request(small, lang="en"), made=MADE))
    assert book.sheetnames[0] == "Summary"
    summary = book["Summary"]
    assert summary["A1"].value == "Active pustu and posyandu coverage report"
    assert _find(summary, "Month: October 2026").column == 1
    assert _header_row(summary, "Kecamatan code") > 0
    assert _find(book["=Puskesmas Alfa nama yang sanga"], "No").data_type == "s"


def test_report_content_matches_the_engine(small: Coverage) -> None:
    request = _request(small)
    content = report.report_content(small, MONTH, request.kode_desa)
    assert [p.kode for p in content.parts] == ["P1", "P2"]
    table = small.desa_table(MONTH)
    for part in content.parts:
        own = table[table["kode_puskesmas"] == part.kode]
        assert set(part.gap_desa["kode_desa"]) == set(own.loc[own["status"].isin(statuses.GAP_CODES), "kode_desa"])
        assert len(part.pustu) == int((own["pustu_aktif"] - own["pustu_standar"]).sum())


# -- sheet names -------------------------------------------------------------------------------------
def test_sheet_names_valid_and_unique() -> None:
    names = sheet_names(["Ringkasan", "a/b", "[x]", "History", "'q'", "Sama", "sama", "N" * 40, "N" * 40, ""])
    assert names[:7] == ["Ringkasan", "a b", "x", "History 1", "q", "Sama", "sama (2)"]
    assert names[7] == "N" * 31 and names[8] == "N" * 27 + " (2)"
    assert names[9] == "Sheet"
    assert len({n.lower() for n in names}) == len(names)


# -- data version ------------------------------------------------------------------------------------
def test_data_version_text(tmp_path: Path) -> None:
    from loaders.demo import write_demo

    store = Store(tmp_path / "ilp.gpkg")
    write_demo(store, seed=3)
    text = data_version_text(store.path, is_demo=False, lang="id")
    assert text.startswith(f"versi data {store.version()}, ") and text.endswith(" UTC")
    assert data_version_text(store.path, is_demo=True, lang="id") == "Data contoh (sintetis)"


# -- single tables -------------------------------------------------------------------------------------
TABLE: Final = pd.DataFrame(
    {
        "nama_desa": ["=SUM(A1)", "+62 812", "Cikatomas", None],
        "status": ["tanpa_pustu", "lengkap", "tanpa_keduanya", "tanpa_data"],
        "pustu_aktif": pd.array([1234, 0, 2, pd.NA], dtype="Int64"),
        "pct_kesenjangan": [85.71428571428571, 0.04, np.nan, 100.0],
        "jarak_pustu_km": [3.25, 12.349, 0.0, np.nan],
        "ada_puskesmas": [True, False, True, False],
        "bulan": ["2026-10", "2026-09", "2026-08", "2026-07"],
    }
)


@pytest.mark.parametrize(
    ("lang", "separator", "pct", "yes", "header"),
    [
        ("id", ";", "85,7", "Ya", "% desa berkesenjangan"),
        ("en", ",", "85.7", "Yes", "% desa with a gap"),
    ],
)
def test_table_csv(lang: str, separator: str, pct: str, yes: str, header: str) -> None:
    data = table_csv(TABLE, lang=lang)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the names right
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    assert rows[0][3] == header
    assert rows[0][0] == column_label("nama_desa", lang=lang)
    km = "3,2" if lang == "id" else "3.2"  # 3.25 rounded half to even
    assert rows[1] == ["'=SUM(A1)", status_label("tanpa_pustu", lang=lang), "1234", pct, km, yes, "2026-10"]
    assert rows[2][0] == "'+62 812"  # text that would start a formula gets an apostrophe
    assert rows[2][3] == ("0,0" if lang == "id" else "0.0")
    assert rows[2][4] == ("12,3" if lang == "id" else "12.3")
    assert rows[4][0] == "" and rows[4][2] == "" and rows[4][3] == ("100,0" if lang == "id" else "100.0")
    assert "85.71428571428571" not in text and "True" not in text and "False" not in text
    assert not any(line.startswith(FORMULA_STARTS) for line in text.splitlines())


@pytest.mark.parametrize(("lang", "yes", "no"), [("id", "Ya", "Tidak"), ("en", "Yes", "No")])
def test_table_xlsx(lang: str, yes: str, no: str) -> None:
    original = TABLE.copy()
    book = _book(table_xlsx(TABLE, lang=lang, title_lines=["Desa berkesenjangan", "Bulan: Oktober 2026"]))
    assert book.sheetnames == ["data"]
    sheet = book.active
    assert sheet["A1"].value == "Desa berkesenjangan" and sheet["A2"].value == "Bulan: Oktober 2026"
    header = 4
    assert sheet.freeze_panes == f"A{header + 1}"
    assert [c.value for c in sheet[header]] == [column_label(c, lang=lang) for c in TABLE.columns]
    first = [c for c in sheet[header + 1]]
    assert first[0].value == "=SUM(A1)" and first[0].data_type == "s"
    assert first[1].value == status_label("tanpa_pustu", lang=lang)
    assert first[2].value == 1234 and first[2].number_format == "#,##0"
    assert first[3].value == 85.7 and first[3].number_format == "0.0"
    assert first[4].value == 3.2 and first[4].number_format == "0.0"
    assert first[5].value == yes and sheet.cell(row=header + 2, column=6).value == no
    assert first[6].value == "2026-10" and first[6].data_type == "s"
    last = [c.value for c in sheet[header + 4]]
    assert last[0] is None and last[2] is None and last[4] is None  # missing: empty cells
    pd.testing.assert_frame_equal(TABLE, original)  # the input is not modified


def test_table_titles_override_and_unlabelled_column_is_an_error() -> None:
    frame = pd.DataFrame({"nama": ["Pustu A"], "perawat": pd.array([2], dtype="Int64")})
    text = table_csv(frame, lang="id", titles={"nama": "Pustu"}).decode("utf-8-sig")
    assert text.splitlines()[0] == "Pustu;Perawat"
    with pytest.raises(KeyError):
        table_csv(pd.DataFrame({"kolom_tanpa_label": [1]}), lang="id")


# -- Tasikmalaya, 2026-10 ----------------------------------------------------------------------------
@pytest.mark.slow
def test_tasikmalaya_report_against_the_engine(tasikmalaya_store_path: Path, capsys: pytest.CaptureFixture) -> None:
    cov = Coverage(read_dataset(Store(tasikmalaya_store_path)))
    table = cov.desa_table(MONTH)
    request = ExportRequest(
        coverage=cov,
        month=MONTH,
        kode_desa=tuple(table["kode_desa"]),
        area="Kabupaten Tasikmalaya",
        rules=cov.rules,
        data_version=data_version_text(tasikmalaya_store_path, is_demo=False, lang="id"),
    )
    started = time.perf_counter()
    data = render_xlsx(request, made=MADE)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nTasikmalaya report {MONTH}: {len(data) / 1024:.0f} KiB in {seconds:.2f} s")
    book = _book(data)
    serving = table.dropna(subset=["kode_puskesmas"]).drop_duplicates("kode_puskesmas")
    assert len(book.sheetnames) == 1 + len(serving)
    assert len(set(book.sheetnames)) == len(book.sheetnames)
    summary = book["Ringkasan"]
    assert _find(summary, "Bulan: Oktober 2026").column == 1
    assert request.data_version.startswith("versi data ")
    assert _find(summary, f"Versi data: {request.data_version}").column == 1
    kecamatan = _table(summary, _header_row(summary, "Kode kecamatan"))
    engine = cov.indicators(MONTH, by="kecamatan", kode_desa=request.kode_desa)
    assert len(kecamatan) == len(engine) == 39
    for column in report.INDICATOR_COLUMNS:
        shown = kecamatan[column_label(column)].tolist()
        if column.startswith("pct_"):
            assert shown == [None if np.isnan(v) else round(v, 1) for v in engine[column]], column
        else:
            assert shown == engine[column].tolist(), column
    content = report.report_content(cov, MONTH, request.kode_desa)
    names = sheet_names(["Ringkasan", *(p.nama for p in content.parts)])
    for name, part in zip(names[1:], content.parts, strict=True):
        sheet = book[name]
        own = table[table["kode_puskesmas"] == part.kode]
        gaps = _table(sheet, _header_row(sheet, "Kode desa"))
        expected = set(own.loc[own["status"].isin(statuses.GAP_CODES), "kode_desa"])
        assert set(gaps["Kode desa"].dropna()) - {"Tidak ada."} == expected, name
        assert len(part.pustu) == int((own["pustu_aktif"] - own["pustu_standar"]).sum()), name
    assert sum(len(p.gap_desa) for p in content.parts) == int(
        table.loc[table["kode_puskesmas"].notna(), "status"].isin(statuses.GAP_CODES).sum()
    )


def test_numbers_held_as_objects_stay_numbers() -> None:
    frame = pd.DataFrame(
        {
            "pustu_aktif": pd.Series([1, None, 3], dtype=object),
            "pct_kesenjangan": pd.Series([1.25, None, 2], dtype=object),
        }
    )
    assert table_csv(frame, lang="id").decode("utf-8-sig").splitlines()[1:] == ["1;1,2", ";", "3;2,0"]
    sheet = _book(table_xlsx(frame, lang="id")).active
    assert (sheet["A2"].value, sheet["A2"].number_format) == (1, "#,##0")
    assert (sheet["B4"].value, sheet["B4"].number_format) == (2.0, "0.0")
