"""Indicators per kecamatan / puskesmas / kabupaten / province (geo/indicators.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, months, point, reports

from geo.indicators import INDICATOR_COLUMNS, percentage, summarise
from loaders import model
from loaders.exceptions import EngineError, InputError


def _desa_table() -> pd.DataFrame:
    """Kecamatan A: 4 desa; kecamatan B: 1 desa without posyandu or pustu; one desa without puskesmas."""
    return pd.DataFrame(
        {
            "kode_desa": ["A1", "A2", "A3", "A4", "B1"],
            "kode_kecamatan": ["11.01.01"] * 4 + ["11.01.02"],
            "nama_kecamatan": ["Alfa"] * 4 + ["Beta"],
            "kode_puskesmas": ["P1", "P1", "P2", "P2", None],
            "puskesmas": ["Satu", "Satu", "Dua", "Dua", None],
            "kode_kabupaten": ["11.01"] * 5,
            "nama_kabupaten": ["Kabupaten"] * 5,
            "kode_provinsi": ["11"] * 5,
            "nama_provinsi": ["Provinsi"] * 5,
            "status": ["lengkap", "lengkap", "tanpa_pustu", "tanpa_keduanya", "tanpa_posyandu_aktif"],
            "pustu_aktif": [1, 2, 0, 0, 0],
            "posyandu_total": [4, 2, 3, 0, 0],
            "posyandu_aktif": [3, 1, 2, 0, 0],
            "posyandu_lapor": [4, 1, 3, 0, 0],
            "pustu_total": [1, 2, 1, 0, 0],
            "pustu_standar": [1, 1, 0, 0, 0],
        }
    )


def test_kecamatan_indicators_hand_computed() -> None:
    table = summarise(_desa_table(), by="kecamatan")
    assert list(table.columns) == list(INDICATOR_COLUMNS)
    alfa = table.set_index("kode").loc["11.01.01"]
    assert alfa["nama"] == "Alfa"
    expected_counts = {
        "desa": 4,
        "desa_lengkap": 2,
        "desa_tanpa_pustu": 1,
        "desa_tanpa_posyandu_aktif": 0,
        "desa_tanpa_keduanya": 1,
        "desa_pustu_aktif": 2,
        "desa_posyandu_aktif": 3,
        "posyandu_total": 9,
        "posyandu_aktif": 6,
        "posyandu_lapor": 8,
        "pustu_total": 4,
        "pustu_standar": 2,
    }
    assert {k: int(alfa[k]) for k in expected_counts} == expected_counts
    expected_pct = {
        "pct_lengkap": 50.0,
        "pct_tanpa_pustu": 25.0,
        "pct_tanpa_posyandu_aktif": 0.0,
        "pct_tanpa_keduanya": 25.0,
        "pct_desa_pustu_aktif": 50.0,
        "pct_desa_posyandu_aktif": 75.0,
        "pct_posyandu_aktif": 100 * 6 / 9,
        "pct_kelengkapan_laporan": 100 * 8 / 9,
        "pct_pustu_standar": 100 * 2 / 3,
    }
    assert {k: float(alfa[k]) for k in expected_pct} == pytest.approx(expected_pct)


def test_zero_denominators_give_nan() -> None:
    beta = summarise(_desa_table(), by="kecamatan").set_index("kode").loc["11.01.02"]
    assert beta["pct_tanpa_posyandu_aktif"] == 100.0
    assert math.isnan(beta["pct_posyandu_aktif"])
    assert math.isnan(beta["pct_kelengkapan_laporan"])
    assert math.isnan(beta["pct_pustu_standar"])


def test_by_puskesmas_puts_desa_without_puskesmas_last() -> None:
    table = summarise(_desa_table(), by="puskesmas")
    assert table["kode"].tolist()[:2] == ["P1", "P2"]
    assert pd.isna(table["kode"].iloc[2])
    assert table["nama"].tolist() == ["Satu", "Dua", "Tanpa puskesmas"]
    assert table["desa"].tolist() == [2, 2, 1]


@pytest.mark.parametrize(("by", "kode", "nama"), [("kabupaten", "11.01", "Kabupaten"), ("provinsi", "11", "Provinsi")])
def test_whole_district_and_province(by: str, kode: str, nama: str) -> None:
    table = summarise(_desa_table(), by=by)
    assert table[["kode", "nama", "desa", "desa_lengkap"]].values.tolist() == [[kode, nama, 5, 2]]
    assert table["pct_lengkap"].iloc[0] == pytest.approx(40.0)


def test_empty_desa_table_gives_no_rows() -> None:
    table = summarise(_desa_table().iloc[0:0], by="kecamatan")
    assert table.empty
    assert list(table.columns) == list(INDICATOR_COLUMNS)


def test_unknown_grouping_and_missing_columns() -> None:
    with pytest.raises(InputError, match="Pengelompokan 'desa' tidak dikenal"):
        summarise(_desa_table(), by="desa")
    with pytest.raises(EngineError, match="kolom pustu_standar tidak ada"):
        summarise(_desa_table().drop(columns="pustu_standar"), by="kecamatan")


def test_percentage_helper() -> None:
    assert percentage([1, 0, 3], [4, 0, 3]).tolist()[0] == 25.0
    assert math.isnan(percentage([1, 0, 3], [4, 0, 3])[1])


def test_coverage_indicators_and_trend() -> None:
    d1, d2 = "11.01.01.2001", "11.01.02.2001"
    cov = coverage(
        desa_layer([(d1, cell(0, 1)), (d2, cell(1, 2))]),
        [
            facility(model.POSYANDU, "Y1", kode="Y1", at=point(0.5)),
            facility(model.PUSTU, "Pustu", at=point(1.5)),
            facility(model.PUSKESMAS, "Puskesmas", kode="P1", at=point(0.2)),
        ],
        reports("Y1", {m: True for m in months("2025-11", 12)}),
    )
    assert cov.indicators("2026-10", by="kecamatan")["desa_lengkap"].tolist() == [0, 0]
    pd.testing.assert_frame_equal(
        cov.indicators("2026-10", by="kecamatan", kode_desa=[d1]),
        summarise(cov.desa_table("2026-10", kode_desa=[d1]), by="kecamatan"),
    )
    trend = cov.indicator_trend(by="kabupaten")
    assert list(trend.columns) == ["bulan", *INDICATOR_COLUMNS]
    assert trend["bulan"].tolist() == cov.months == months("2025-11", 12)
    # Y1 opened every month from 2025-11: active (10 of 12) only from 2026-08
    assert trend["desa_posyandu_aktif"].tolist() == [0] * 9 + [1, 1, 1]
    assert trend["pct_tanpa_pustu"].tolist() == [0.0] * 9 + [50.0] * 3


def test_gap_share_counts_gap_statuses_over_desa_with_data() -> None:
    """``pct_kesenjangan``: desa with a gap status over desa with data (tanpa_data and lengkap are no gap)."""
    table = pd.DataFrame(
        {
            "kode_kecamatan": ["K1"] * 5,
            "nama_kecamatan": ["Satu"] * 5,
            "status": ["tanpa_keduanya", "tanpa_pustu", "lengkap", "lengkap", "tanpa_data"],
            "pustu_aktif": [0, 0, 1, 1, 0],
            "posyandu_total": [1, 2, 2, 1, 3],
            "posyandu_aktif": [0, 1, 1, 1, 0],
            "posyandu_lapor": [0, 1, 1, 1, 0],
            "pustu_total": [0, 0, 1, 1, 0],
            "pustu_standar": [0, 0, 1, 0, 0],
        }
    )
    row = summarise(table, by="kecamatan").iloc[0]
    assert row["desa_kesenjangan"] == 2
    assert row["desa_ada_data"] == 4
    assert row["pct_kesenjangan"] == 50.0
