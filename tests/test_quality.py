"""Data-quality findings (geo/quality.py through Coverage.quality)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, point, reports
from shapely.geometry import Point

from geo.quality import COLUMNS
from loaders import model
from loaders.numbers import angka

D1, D2, D3 = "11.01.01.2001", "11.01.01.2002", "11.01.01.2003"
TEN_METRES = 10 / 111_320 / 0.01  # in grid units


@pytest.fixture
def findings() -> pd.DataFrame:
    desa = desa_layer([(D1, cell(0, 1)), (D2, cell(1, 2)), (D3, cell(2, 3))])
    rows = [
        facility(model.PUSKESMAS, "Puskesmas Luar", kode="P9", at=Point(110.0, -7.0)),
        facility(model.PUSKESMAS, "Puskesmas Satu", kode="P1", at=point(0.5)),
        facility(model.POSYANDU, "Posyandu Tukar", kode="Y1", at=point(0.2), koordinat_ditukar=True),
        facility(model.POSYANDU, "Posyandu Tanpa Titik", kode="Y2", kode_desa=D1),
        facility(model.POSYANDU, "Posyandu Salah Desa", kode="Y3", kode_desa=D1, at=point(1.5)),
        facility(model.POSYANDU, "Posyandu Ganda", kode="Y4", at=point(2.2)),
        facility(model.POSYANDU, "Posyandu Ganda", kode="Y4", at=point(2.2)),
        facility(model.PUSTU, "Pustu Mawar", kode_desa=D3, at=point(2.5)),
        facility(model.PUSTU, "pustu mawar ", kode_desa=D3, at=point(2.5 + TEN_METRES)),
        facility(model.POSYANDU, "Posyandu Kode Aneh", kode="Y5", kode_desa="11.01.01.9999", at=point(2.8)),
    ]
    laporan = (
        reports("Y1", {"2026-06": True, "2026-10": True})
        + reports("Y3", {"2026-06": True})
        + reports("Y4", {"2026-10": True, "2026-09": True})
        + reports("Y4", {"2026-10": True})
        + reports("ZZ", {"2026-09": True, "2026-10": True})
    )
    catatan = pd.DataFrame(
        {
            "sumber": ["laporan", "fasilitas:posyandu", "fasilitas:posyandu"],
            "versi": [3, 2, 2],
            "jenis": ["duplikat_laporan", "koordinat_ditukar", "strata_tidak_dikenal"],
            "tingkat": ["rendah", "sedang", "rendah"],
            "subjek": ["Y3 2026-06", "Y1", "Y2"],
            "pesan": [
                "Baris 9: laporan Y3 bulan 2026-06 tercantum lagi.",
                "Baris 3: tertukar.",
                "Baris 4: strata 'x'.",
            ],
            "baris": [9, 3, 4],
        }
    )
    return coverage(desa, rows, laporan, catatan=catatan).quality("2026-10")


def _rows(findings: pd.DataFrame, jenis: str) -> pd.DataFrame:
    return findings[findings["jenis"] == jenis]


def test_columns_and_severity_order(findings) -> None:
    assert list(findings.columns) == list(COLUMNS)
    order = findings["tingkat"].map({"tinggi": 0, "sedang": 1, "rendah": 2})
    assert order.is_monotonic_increasing
    assert set(findings["tingkat"]) <= {"tinggi", "sedang", "rendah"}


def test_outside_swapped_and_missing_coordinates(findings) -> None:
    outside = _rows(findings, "di_luar_wilayah")
    assert outside[["subjek", "tingkat", "jenis_fasilitas"]].values.tolist() == [["P9", "tinggi", "puskesmas"]]
    assert "berada di luar semua batas desa" in outside["pesan"].iloc[0]
    swapped = _rows(findings, "koordinat_ditukar")
    assert swapped["subjek"].tolist() == ["Y1"]  # the import's note about Y1 is the same finding: kept once
    assert "tertukar" in swapped["pesan"].iloc[0]
    missing = _rows(findings, "tanpa_koordinat")
    assert missing[["subjek", "kode_desa"]].values.tolist() == [["Y2", D1]]
    assert "dihitung di desa yang dinyatakan" in missing["pesan"].iloc[0]


def test_declared_desa_differs_with_distance(findings) -> None:
    differ = _rows(findings, "desa_berbeda")
    assert differ[["subjek", "kode_desa", "tingkat"]].values.tolist() == [["Y3", D1, "sedang"]]
    # half a grid unit (0.005 degree of longitude at 6 S, ~553 m) from D1
    assert re.search(rf"desa Desa 2002 \({D2}\), 55\d m dari desa yang dinyatakan Desa 2001", differ["pesan"].iloc[0])


def test_unknown_declared_code(findings) -> None:
    unknown = _rows(findings, "kode_desa_tidak_dikenal")
    assert unknown["subjek"].tolist() == ["Y5"]
    assert "'11.01.01.9999' tidak ada dalam batas desa" in unknown["pesan"].iloc[0]


def test_duplicates_by_code_and_by_name(findings) -> None:
    by_code = _rows(findings, "duplikat_kode")
    assert by_code["subjek"].tolist() == ["Y4"]
    assert "muncul 2 kali" in by_code["pesan"].iloc[0]
    by_name = _rows(findings, "duplikat_nama")
    assert by_name["jenis_fasilitas"].tolist() == ["pustu"]
    assert "jaraknya hanya 10 m" in by_name["pesan"].iloc[0]


def test_reporting_findings(findings) -> None:
    stopped = _rows(findings, "berhenti_lapor").set_index("subjek")
    assert sorted(stopped.index) == ["Y2", "Y3", "Y5"]
    assert "laporan terakhir 2026-06" in stopped.loc["Y3", "pesan"]
    assert "belum pernah ada laporan" in stopped.loc["Y2", "pesan"]
    unknown = _rows(findings, "laporan_kode_tidak_dikenal")
    assert unknown["subjek"].tolist() == ["ZZ"]
    assert unknown["pesan"].iloc[0].startswith("2 baris laporan")
    duplicate = _rows(findings, "laporan_duplikat").set_index("subjek")
    assert sorted(duplicate.index) == ["Y3", "Y4"]  # Y3 from the import's notes (alias, "CODE MONTH" subject)
    assert "bulan 2026-10 tercatat 2 kali" in duplicate.loc["Y4", "pesan"]
    assert duplicate.loc["Y3", "pesan"].startswith("Baris 9")


def test_other_import_notes_are_kept(findings) -> None:
    notes = _rows(findings, "strata_tidak_dikenal")
    assert notes[["subjek", "nama", "kode_desa", "jenis_fasilitas"]].values.tolist() == [
        ["Y2", "Posyandu Tanpa Titik", D1, "posyandu"]
    ]


def test_stopped_reporting_depends_on_the_month() -> None:
    desa = desa_layer([(D1, cell(0, 1))])
    rows = [facility(model.POSYANDU, "Posyandu", kode="Y1", at=point(0.5))]
    cov = coverage(desa, rows, reports("Y1", {"2026-01": True, "2026-09": True}))
    assert _rows(cov.quality("2026-10"), "berhenti_lapor").empty
    assert _rows(cov.quality("2026-08"), "berhenti_lapor")["subjek"].tolist() == ["Y1"]
    assert cov.quality().equals(cov.quality("2026-09"))  # default: latest report month


def test_clean_data_has_no_findings() -> None:
    desa = desa_layer([(D1, cell(0, 1))])
    rows = [
        facility(model.POSYANDU, "Posyandu", kode="Y1", at=point(0.5)),
        facility(model.PUSKESMAS, "Pkm", kode="P1", at=point(0.4)),
    ]
    findings = coverage(desa, rows, reports("Y1", {"2026-10": True})).quality()
    assert findings.empty
    assert list(findings.columns) == list(COLUMNS)


@pytest.mark.parametrize(
    ("value", "decimals", "text"), [(1234.5, 1, "1.234,5"), (553.2, 0, "553"), (1234567, 0, "1.234.567")]
)
def test_indonesian_number_format(value: float, decimals: int, text: str) -> None:
    assert angka(value, decimals) == text


@pytest.mark.parametrize(
    ("jenis", "nama", "label"),
    [
        ("posyandu", "Posyandu Mawar 3", "Posyandu Mawar 3"),
        ("posyandu", "POSYANDU Melati", "POSYANDU Melati"),
        ("posyandu", "Mawar 3", "Posyandu Mawar 3"),
        ("pustu", "Pustu Sukamaju", "Pustu Sukamaju"),
        ("pustu", "Pustulan", "Pustu Pustulan"),
        ("puskesmas", "Cipatujah", "Puskesmas Cipatujah"),
    ],
)
def test_facility_label_does_not_repeat_the_kind(jenis: str, nama: str, label: str) -> None:
    from geo.quality import facility_label

    assert facility_label(jenis, nama) == label
