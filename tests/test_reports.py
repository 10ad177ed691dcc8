"""The monthly posyandu report importer (loaders/reports.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from tabular_fixtures import issues_by, store_with_desa, write_text

from loaders.exceptions import InputError
from loaders.facilities import prepare_facilities
from loaders.prepared import commit_prepared
from loaders.reports import parse_buka, parse_months, prepare_reports
from loaders.store import Store

HEADER = "kode_posyandu;bulan;buka;kader_hadir;balita;ibu_hamil;usia_sekolah_remaja;usia_produktif;lansia\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", "2026-10"),
        ("2026-1", "2026-01"),
        ("2026/10", "2026-10"),
        ("202610", "2026-10"),
        ("10/2026", "2026-10"),
        ("2026-10-01", "2026-10"),
        ("2026-10-01 00:00:00", "2026-10"),
        ("01/10/2026", "2026-10"),  # day first (Indonesian)
        ("31-10-2026", "2026-10"),
        ("10/31/2026", "2026-10"),  # second number cannot be a month: US order
        ("Oktober 2026", "2026-10"),
        ("okt-2026", "2026-10"),
        ("1 Agustus 2025", "2025-08"),
        ("2026 Mei", "2026-05"),
        ("Oct-26", "2026-10"),  # Excel mmm-yy
        ("okt 26", "2026-10"),
        ("46296", "2026-10"),  # Excel serial date
        ("2026-13", None),
        ("13/2026", None),
        ("32/10/2026", None),
        ("bulan sepuluh", None),
        ("", None),
        ("1899-01", None),
    ],
)
def test_parse_months(text: str, expected: str | None) -> None:
    result = parse_months(pd.Series([text])).iloc[0]
    assert (None if pd.isna(result) else result) == expected


def test_parse_months_mixed_column_keeps_row_order() -> None:
    values = pd.Series(["2026-10", "01/11/2026", "2026-12", "x", "Jan 2027"], index=[5, 6, 7, 8, 9])
    result = parse_months(values)
    assert result.index.tolist() == [5, 6, 7, 8, 9]
    assert result.fillna("-").tolist() == ["2026-10", "2026-11", "2026-12", "-", "2027-01"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ya", True),
        ("YA", True),
        (" Ya ", True),
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("y", True),
        ("tidak", False),
        ("Tidak", False),
        ("0", False),
        ("false", False),
        ("n", False),
        ("N", False),
        ("mungkin", None),
        ("", None),
        ("2", None),
    ],
)
def test_parse_buka(text: str, expected: bool | None) -> None:
    result = parse_buka(pd.Series([text])).iloc[0]
    assert (None if pd.isna(result) else bool(result)) == expected


@pytest.fixture
def store_with_posyandu(tmp_path: Path) -> Store:
    store = store_with_desa(tmp_path / "store" / "ilp.gpkg")
    facilities = write_text(tmp_path / "posyandu.csv", "Kode Posyandu;Nama Posyandu\nPSY-1;Mawar\nPSY-2;Melati\n")
    commit_prepared(store, prepare_facilities(facilities, store=store))
    return store


def test_reports_values_duplicates_and_unknown_codes(tmp_path: Path, store_with_posyandu: Store) -> None:
    text = HEADER + (
        "PSY-1;2026-09;ya;4;30;5;6;10;12\n"
        "PSY-1;01/10/2026;Tidak;0;0;0;0;0;0\n"
        "PSY-2;2026-10;1;3;-4;x;;2;1\n"
        "PSY-1;2026-10;ya;5;31;5;6;10;12\n"  # repeats row 3: the later row wins
        "PSY-9;2026-10;ya;1;1;1;1;1;1\n"
        "PSY-9;2026-11;ya;1;1;1;1;1;1\n"
        "PSY-2;2026-14;ya;1;1;1;1;1;1\n"
        "PSY-2;2026-11;barangkali;1;1;1;1;1;1\n"
    )
    prepared = prepare_reports(write_text(tmp_path / "laporan.csv", text), store=store_with_posyandu)
    report = prepared.report
    layer = prepared.layers["laporan"].set_index(["kode_posyandu", "bulan"])
    assert (report.jenis_impor, report.baris_dibaca, report.diterima, report.ditolak) == ("laporan", 8, 5, 2)
    assert layer.index.tolist() == [
        ("PSY-1", "2026-09"),
        ("PSY-1", "2026-10"),
        ("PSY-2", "2026-10"),
        ("PSY-9", "2026-10"),
        ("PSY-9", "2026-11"),
    ]
    assert bool(layer.loc[("PSY-1", "2026-10"), "buka"]) is True and layer.loc[("PSY-1", "2026-10"), "balita"] == 31
    assert pd.isna(layer.loc[("PSY-2", "2026-10"), "balita"]) and pd.isna(layer.loc[("PSY-2", "2026-10"), "ibu_hamil"])
    assert pd.isna(layer.loc[("PSY-2", "2026-10"), "usia_sekolah_remaja"])  # empty: missing, no warning
    assert str(layer["buka"].dtype) == "boolean"

    assert issues_by(report, "laporan_duplikat") == [(3, "PSY-1 2026-10")]
    duplicate = next(i for i in report.masalah if i.jenis == "laporan_duplikat")
    assert duplicate.alasan == (
        "Laporan posyandu PSY-1 bulan 2026-10 tercantum lagi di baris 5; "
        "baris yang terakhir yang dipakai (dihitung sekali)."
    )
    assert issues_by(report, "laporan_kode_tidak_dikenal") == [(6, "PSY-9")]
    unknown = next(i for i in report.masalah if i.jenis == "laporan_kode_tidak_dikenal")
    assert (
        "Kode posyandu PSY-9 tidak ada di data posyandu yang tersimpan (2 baris laporan, pertama di baris 6)"
        in unknown.alasan
    )
    assert issues_by(report, "angka_tidak_sah") == [(4, "PSY-2"), (4, "PSY-2")]
    assert issues_by(report, "bulan_tidak_sah") == [(8, "PSY-2")]
    assert issues_by(report, "buka_tidak_sah") == [(9, "PSY-2")]
    rejected = {i.baris: i.alasan for i in report.masalah if i.tindakan == "ditolak"}
    assert rejected[8] == "Bulan '2026-14' tidak sah (pakai YYYY-MM, mis. 2026-10, atau tanggal); baris ditolak."
    assert "Nilai buka 'barangkali' tidak dikenal (isi ya/tidak" in rejected[9]

    assert prepared.catatan_sumber == "laporan"
    # the unknown code stays in the laporan layer: the engine finds it there (loaders.findings, by_engine)
    assert sorted(prepared.catatan["jenis"]) == ["laporan_duplikat"]
    assert prepared.catatan.set_index("jenis").loc["laporan_duplikat", "subjek"] == "PSY-1 2026-10"


def test_upsert_keeps_other_months_and_replaces_same_key(tmp_path: Path, store_with_posyandu: Store) -> None:
    first = write_text(tmp_path / "a.csv", HEADER + "PSY-1;2026-09;ya;1;1;1;1;1;1\nPSY-1;2026-10;tidak;0;0;0;0;0;0\n")
    commit_prepared(store_with_posyandu, prepare_reports(first, store=store_with_posyandu))
    second = write_text(tmp_path / "b.csv", HEADER + "PSY-1;2026-10;ya;2;2;2;2;2;2\nPSY-2;2026-10;ya;2;2;2;2;2;2\n")
    commit_prepared(store_with_posyandu, prepare_reports(second, store=store_with_posyandu))
    stored = store_with_posyandu.read_laporan()
    assert stored[["kode_posyandu", "bulan", "buka"]].values.tolist() == [
        ["PSY-1", "2026-09", True],
        ["PSY-1", "2026-10", True],
        ["PSY-2", "2026-10", True],
    ]


def test_codes_cannot_be_checked_without_posyandu(tmp_path: Path) -> None:
    store = Store(tmp_path / "kosong.gpkg")
    prepared = prepare_reports(write_text(tmp_path / "l.csv", HEADER + "X;2026-10;ya;1;1;1;1;1;1\n"), store=store)
    assert issues_by(prepared.report, "laporan_kode_belum_diperiksa") == [(None, None)]
    assert prepared.catatan["jenis"].tolist() == ["laporan_kode_belum_diperiksa"]
    assert "belum dapat diperiksa" in prepared.catatan["pesan"].iloc[0]


def test_report_headers_by_synonym_and_xlsx_dates(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Laporan"
    sheet.append(["Kode Posyandu", "Periode", "Posyandu Buka", "Balita", "Lanjut Usia"])
    sheet.append(["PSY-1", dt.datetime(2026, 10, 1), "Ya", 12, 3])
    sheet.append(["PSY-1", dt.datetime(2026, 11, 1), True, 10.0, 2])
    path = tmp_path / "laporan.xlsx"
    book.save(path)
    prepared = prepare_reports(path, store=Store(tmp_path / "s.gpkg"))
    layer = prepared.layers["laporan"]
    assert layer[["bulan", "buka", "balita", "lansia"]].values.tolist() == [
        ["2026-10", True, 12, 3],
        ["2026-11", True, 10, 2],
    ]
    assert prepared.mapping == {
        "Kode Posyandu": "kode_posyandu",
        "Periode": "bulan",
        "Posyandu Buka": "buka",
        "Balita": "balita",
        "Lanjut Usia": "lansia",
    }


def test_sixty_thousand_rows_are_all_accepted(tmp_path: Path, store_with_posyandu: Store) -> None:
    """Their speed is measured by ``python -m benchmarks.import_reports``, not here."""
    rng = np.random.default_rng(7)
    n_posyandu, months = 2800, pd.period_range("2025-01", periods=22, freq="M").astype(str)
    codes = np.repeat([f"PSY-{i:05d}" for i in range(n_posyandu)], len(months))[:60000]
    bulan = np.tile(months, n_posyandu)[:60000]
    counts = rng.integers(0, 40, size=(60000, 6))
    frame = pd.DataFrame(
        {"kode_posyandu": codes, "bulan": bulan, "buka": rng.choice(["ya", "tidak"], 60000)}
        | {
            c: counts[:, i]
            for i, c in enumerate(
                ["kader_hadir", "balita", "ibu_hamil", "usia_sekolah_remaja", "usia_produktif", "lansia"]
            )
        }
    )
    path = tmp_path / "besar.csv"
    frame.to_csv(path, sep=";", index=False)
    prepared = prepare_reports(path, store=store_with_posyandu)
    assert prepared.report.diterima == 60000
    assert len(prepared.layers["laporan"]) == 60000


def test_only_invalid_rows_is_an_error(tmp_path: Path) -> None:
    path = write_text(tmp_path / "l.csv", HEADER + "PSY-1;kemarin;ya;1;1;1;1;1;1\n")
    with pytest.raises(
        InputError,
        match=r"Tidak ada baris laporan yang sah di l\.csv: semua 1 baris ditolak \(contoh: baris 2: Bulan 'kemarin'",
    ):
        prepare_reports(path, store=Store(tmp_path / "s.gpkg"))
