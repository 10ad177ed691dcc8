"""Desa status for a month (geo/status.py through Coverage.desa_status / desa_table)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, months, point, reports

from geo.engine import STATUSES, Coverage, Dataset
from geo.rules import Rules
from geo.status import DESA_STATUS_COLUMNS, DESA_TABLE_COLUMNS
from loaders import model
from loaders.exceptions import InputError, NoDesaError

D1, D2, D3, D4 = (f"11.01.01.200{i}" for i in range(1, 5))
WINDOW = months("2025-11", 12)
ONE_UNIT_KM = 0.01 * 111.320 * math.cos(math.radians(6.0))  # one grid unit of longitude at 6 S


def _active(kode: str) -> list[dict[str, object]]:
    return reports(kode, {m: True for m in WINDOW})


def _inactive(kode: str) -> list[dict[str, object]]:
    return reports(kode, {m: True for m in WINDOW[:9]})


FACILITIES = [
    # D1: an active posyandu listed twice, a staffed active pustu -> lengkap
    facility(model.POSYANDU, "Posyandu A", kode="YA", at=point(0.3)),
    facility(model.POSYANDU, "Posyandu A", kode="YA", at=point(0.3)),
    facility(model.PUSTU, "Pustu Satu", kode_desa=D1, at=point(0.5), perawat=1, bidan=1),
    # D2: an inactive posyandu and a puskesmas -> tanpa_keduanya (tanpa_posyandu_aktif with puskesmas as pustu)
    facility(model.POSYANDU, "Posyandu B", kode="YB", at=point(1.5)),
    facility(model.PUSKESMAS, "Puskesmas Dua", kode="P2", at=point(1.7)),
    # D3: an active posyandu, an inactive pustu and an active one without a bidan -> lengkap, not standard
    facility(model.POSYANDU, "Posyandu C", kode="YC", at=point(2.5)),
    facility(model.PUSTU, "Pustu Tutup", kode_desa=D3, at=point(2.2), status=model.TIDAK_AKTIF, perawat=1, bidan=1),
    facility(model.PUSTU, "Pustu Tiga", kode_desa=D3, at=point(2.5), perawat=2, bidan=0),
    # D4: an active posyandu, nothing else -> tanpa_pustu
    facility(model.POSYANDU, "Posyandu D", kode="YD", kode_desa=D4),
]
REPORTS = _active("YA") + _inactive("YB") + _active("YC") + _active("YD")


@pytest.fixture
def desa():
    return desa_layer([(D1, cell(0, 1)), (D2, cell(1, 2)), (D3, cell(2, 3)), (D4, cell(3, 4))])


@pytest.fixture
def table(desa) -> pd.DataFrame:
    return coverage(desa, FACILITIES, REPORTS).desa_table("2026-10").set_index("kode_desa")


def test_desa_status_has_exactly_the_twelve_fields(desa) -> None:
    cov = coverage(desa, FACILITIES, REPORTS)
    status = cov.desa_status("2026-10")
    assert list(status.columns) == list(DESA_STATUS_COLUMNS)
    assert list(DESA_STATUS_COLUMNS) == [
        "kode_desa",
        "nama_desa",
        "kode_kecamatan",
        "nama_kecamatan",
        "puskesmas",
        "pustu_aktif",
        "ada_puskesmas",
        "posyandu_total",
        "posyandu_aktif",
        "posyandu_lapor",
        "jarak_pustu_km",
        "status",
    ]
    assert status["pustu_aktif"].dtype == np.int64
    assert status["ada_puskesmas"].dtype == bool
    assert status["jarak_pustu_km"].dtype == np.float64
    assert status["kode_desa"].tolist() == [D1, D2, D3, D4]
    assert set(status["status"]) <= set(STATUSES)
    assert list(cov.desa_table("2026-10").columns) == list(DESA_TABLE_COLUMNS)
    pd.testing.assert_frame_equal(status, cov.desa_table("2026-10")[list(DESA_STATUS_COLUMNS)])


def test_counts_and_status_per_desa(table) -> None:
    assert table["status"].to_dict() == {D1: "lengkap", D2: "tanpa_keduanya", D3: "lengkap", D4: "tanpa_pustu"}
    assert table["posyandu_total"].tolist() == [1, 1, 1, 1]  # YA listed twice counts once
    assert table["posyandu_aktif"].tolist() == [1, 0, 1, 1]
    assert table["posyandu_lapor"].tolist() == [1, 0, 1, 1]  # YB last reported 2026-07
    assert table["pustu_aktif"].tolist() == [1, 0, 1, 0]
    assert table["pustu_total"].tolist() == [1, 0, 2, 0]
    assert table["pustu_standar"].tolist() == [1, 0, 0, 0]
    assert table["ada_puskesmas"].tolist() == [False, True, False, False]
    assert table["puskesmas"].tolist() == ["Puskesmas Dua"] * 4
    assert table["kode_kabupaten"].tolist() == ["11.01"] * 4
    assert table["jenis"].tolist() == ["desa"] * 4


def test_distance_to_the_nearest_active_pustu(table) -> None:
    # Active pustu at x=0.5 (D1) and x=2.5 (D3); desa centres at 0.5, 1.5, 2.5, 3.5 (inactive one at 2.2 ignored)
    assert table["jarak_pustu_km"].tolist() == pytest.approx([0.0, ONE_UNIT_KM, 0.0, ONE_UNIT_KM], rel=0.01, abs=1e-9)


def test_no_active_pustu_anywhere_gives_nan(desa) -> None:
    rows = [facility(model.PUSTU, "Pustu Tutup", kode_desa=D1, at=point(0.5), status=model.TIDAK_AKTIF)]
    table = coverage(desa, rows).desa_table("2026-10")
    assert table["jarak_pustu_km"].isna().all()
    assert set(table["status"]) == {"tanpa_keduanya"}


def test_pustu_without_point_counts_in_its_desa_at_its_desa_point(desa) -> None:
    table = coverage(desa, [facility(model.PUSTU, "Pustu Tanpa Titik", kode_desa=D2)]).desa_table("2026-10")
    assert table["pustu_aktif"].tolist() == [0, 1, 0, 0]
    assert table["jarak_pustu_km"].tolist() == pytest.approx([ONE_UNIT_KM, 0.0, ONE_UNIT_KM, 2 * ONE_UNIT_KM], rel=0.01)


@pytest.mark.parametrize(("on", "expected"), [(False, "tanpa_keduanya"), (True, "tanpa_posyandu_aktif")])
def test_puskesmas_as_pustu_rule(desa, on: bool, expected: str) -> None:
    cov = coverage(desa, FACILITIES, REPORTS, rules=Rules(puskesmas_sebagai_pustu=on))
    table = cov.desa_status("2026-10").set_index("kode_desa")
    assert table.loc[D2, "status"] == expected
    assert table.loc[D2, "pustu_aktif"] == 0  # the count itself never includes the puskesmas
    assert table.loc[D4, "status"] == "tanpa_pustu"


def test_puskesmas_outside_the_district_does_not_stand_in_a_desa(desa) -> None:
    rows = [facility(model.PUSKESMAS, "Puskesmas Luar", kode="P9", kode_desa=D1, at=point(40.0))]
    table = coverage(desa, rows, rules=Rules(puskesmas_sebagai_pustu=True)).desa_table("2026-10")
    assert not table["ada_puskesmas"].any()


def test_month_before_any_report_makes_every_posyandu_inactive(desa) -> None:
    table = coverage(desa, FACILITIES, REPORTS).desa_status("2019-01").set_index("kode_desa")
    assert table["posyandu_aktif"].sum() == 0
    assert table["posyandu_lapor"].sum() == 0
    assert table["status"].to_dict() == {
        D1: "tanpa_posyandu_aktif",
        D2: "tanpa_keduanya",
        D3: "tanpa_posyandu_aktif",
        D4: "tanpa_keduanya",
    }


def test_threshold_changes_the_status(desa) -> None:
    table = coverage(desa, FACILITIES, REPORTS, rules=Rules(posyandu_min_bulan=9)).desa_status("2026-10")
    assert table.set_index("kode_desa").loc[D2, "status"] == "tanpa_pustu"


def test_unknown_month_text_is_an_input_error(desa) -> None:
    cov = coverage(desa, FACILITIES, REPORTS)
    with pytest.raises(InputError, match="Bulan '2026-13' tidak sah"):
        cov.desa_status("2026-13")


def test_empty_district_is_an_input_error() -> None:
    with pytest.raises(NoDesaError, match="^Belum ada batas desa di data.$") as raised:
        Coverage(Dataset.from_frames(desa=model.empty(model.LAYER_DESA)))
    assert isinstance(raised.value, InputError)  # the engine says what is missing; the CLI says how to fix it


def test_subset_of_desa(desa) -> None:
    cov = coverage(desa, FACILITIES, REPORTS)
    subset = cov.desa_table("2026-10", kode_desa=[D3, D1, "99.99.99.9999"])
    assert subset["kode_desa"].tolist() == [D1, D3]
    assert subset["posyandu_aktif"].tolist() == [1, 1]


def test_desa_geometries(desa) -> None:
    cov = coverage(desa, FACILITIES, REPORTS)
    geometries = cov.desa_geometries()
    assert geometries["kode_desa"].tolist() == [D1, D2, D3, D4]
    assert geometries.crs == model.CRS
    assert geometries.geometry.iloc[0].equals(desa.geometry.iloc[0])
    simplified = cov.desa_geometries(simplify_m=50)
    assert simplified.geometry.is_valid.all()
