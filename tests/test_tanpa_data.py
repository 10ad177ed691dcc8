"""Issue 9 item 2: desa of a kabupaten/kota without facility data are ``tanpa_data``, everywhere.

A store with boundaries for two kabupaten (99.01: three desa, 99.02: two desa) and facilities and
reports for 99.01 only. For 2026-10 (ten months of reports, the default rule 10 of 12):

* 99.01.01.2001: pustu + posyandu open every month -> lengkap
* 99.01.01.2002: one posyandu never open, no pustu  -> tanpa_keduanya
* 99.01.01.2003: pustu, no posyandu                 -> tanpa_posyandu_aktif
* 99.02.01.2001, 99.02.01.2002: nothing             -> tanpa_data

so every percentage is over the three desa with data: 1 of 3 lengkap, 2 of 3 with an active pustu,
1 of 3 with an active posyandu; the share without data is 2 of all 5 desa. The engine tests below
add a kabupaten with facilities but no reports (posyandu "belum melapor").
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pytest
from cli_support import run_cli
from engine_fixtures import cell, coverage, desa_layer, facility, months, point, reports
from page_support import coverage_of, metric_values, run_page
from shapely.geometry import Point, box

from geo import statuses
from geo.priorities import rank_priorities
from loaders import model
from loaders.store import ChangeRecord, Store
from ui.cards import card_values

MONTH: Final = "2026-10"
REPORT_MONTHS: Final = tuple(f"2026-{m:02d}" for m in range(1, 11))
WITH_DATA: Final = {
    "99.01.01.2001": statuses.LENGKAP,
    "99.01.01.2002": statuses.TANPA_KEDUANYA,
    "99.01.01.2003": statuses.TANPA_POSYANDU_AKTIF,
}
WITHOUT_DATA: Final = ("99.02.01.2001", "99.02.01.2002")
EXPECTED: Final = {**WITH_DATA, **dict.fromkeys(WITHOUT_DATA, statuses.TANPA_DATA)}
_STEP: Final = 0.009  # degrees, ~1 km


def _store(path: Path) -> Store:
    codes = list(EXPECTED)
    desa = gpd.GeoDataFrame(
        {
            "kode_desa": codes,
            "nama_desa": [f"Desa {k[-6:]}" for k in codes],
            "jenis": "desa",
            "kode_kecamatan": [k[:8] for k in codes],
            "nama_kecamatan": [f"Kecamatan {k[:8]}" for k in codes],
            "kode_kabupaten": [k[:5] for k in codes],
            "nama_kabupaten": [f"Kabupaten {k[:5]}" for k in codes],
            "kode_provinsi": "99",
            "nama_provinsi": "Provinsi Uji",
            "penduduk": 1000,
            "sistem_kode": "kemendagri",
        },
        geometry=[box(108.0 + i * _STEP, -7.70, 108.0 + (i + 1) * _STEP, -7.691) for i in range(len(codes))],
        crs=model.CRS,
    )

    def row(ident: str, jenis: str, kode: str | None, nama: str, desa: int) -> dict[str, object]:
        lon, lat = 108.0 + (desa + 0.5) * _STEP, -7.6955
        return {
            "id_fasilitas": ident,
            "jenis": jenis,
            "kode": kode,
            "nama": nama,
            "kode_desa": codes[desa],
            "kode_puskesmas": "P9901010101",
            "lat": lat,
            "lon": lon,
            "status": model.AKTIF,
            "perawat": 1,
            "bidan": 1,
            "geometry": Point(lon, lat),
        }

    rows = [
        row("pkm", model.PUSKESMAS, "P9901010101", "Puskesmas Uji", 0),
        row("pustu-1", model.PUSTU, None, "Pustu Satu", 0),
        row("pustu-3", model.PUSTU, None, "Pustu Tiga", 2),
        row("psy-1", model.POSYANDU, "PSY-1", "Posyandu Satu", 0),
        row("psy-2", model.POSYANDU, "PSY-2", "Posyandu Dua", 1),
    ]
    fasilitas = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=model.CRS)
    laporan = pd.DataFrame(
        [
            {"kode_posyandu": kode, "bulan": month, "buka": kode == "PSY-1", "balita": 10, "lansia": 5}
            for kode in ("PSY-1", "PSY-2")
            for month in REPORT_MONTHS
        ]
    )
    store = Store(path)
    store.commit(
        layers={model.LAYER_DESA: desa, model.LAYER_FASILITAS: fasilitas, model.LAYER_LAPORAN: laporan},
        record=ChangeRecord(jenis_impor="demo", keterangan="dua kabupaten, data untuk satu"),
    )
    return store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("tanpa_data") / "ilp.gpkg").path


def _check_whole_store(row: dict[str, object]) -> None:
    """Indicators of all five desa: percentages over the three with data."""
    assert (row["desa"], row["desa_ada_data"], row["desa_ada_laporan"], row["kabupaten_tanpa_data"]) == (5, 3, 3, 1)
    assert row["desa_tanpa_data"] == 2
    assert row["pct_tanpa_data"] == pytest.approx(40.0)
    assert row["pct_lengkap"] == pytest.approx(100 / 3)
    assert row["pct_tanpa_keduanya"] == pytest.approx(100 / 3)
    assert row["pct_tanpa_pustu"] == pytest.approx(0.0)
    assert row["pct_desa_pustu_aktif"] == pytest.approx(200 / 3)
    assert row["pct_desa_posyandu_aktif"] == pytest.approx(100 / 3)
    assert row["pct_posyandu_aktif"] == pytest.approx(50.0)
    assert row["pct_kelengkapan_laporan"] == pytest.approx(100.0)
    with_data = [s for s in statuses.STATUSES if s.has_data]
    assert sum(float(row[s.pct_column]) for s in with_data) == pytest.approx(100.0)


# -- engine --------------------------------------------------------------------------------
def test_engine_desa_table_and_indicators(store_path: Path) -> None:
    cov = coverage_of(store_path)
    table = cov.desa_table(MONTH)
    assert dict(zip(table["kode_desa"], table["status"], strict=True)) == EXPECTED
    assert table["ada_data"].tolist() == [True, True, True, False, False]
    overall = cov.indicators(MONTH, by="provinsi")
    assert len(overall) == 1
    _check_whole_store(overall.iloc[0].to_dict())
    per_kabupaten = cov.indicators(MONTH, by="kabupaten").set_index("kode")
    assert per_kabupaten.loc["99.02", "desa_tanpa_data"] == 2
    assert per_kabupaten.loc["99.02", "kabupaten_tanpa_data"] == 1
    assert math.isnan(per_kabupaten.loc["99.02", "pct_desa_pustu_aktif"])  # no desa with data: no percentage
    assert per_kabupaten.loc["99.02", "pct_tanpa_data"] == pytest.approx(100.0)
    assert per_kabupaten.loc["99.01", "kabupaten_tanpa_data"] == 0
    assert per_kabupaten.loc["99.01", "pct_lengkap"] == pytest.approx(100 / 3)


def test_tanpa_data_is_never_a_priority(store_path: Path) -> None:
    ranked = rank_priorities(coverage_of(store_path).desa_table(MONTH))
    assert set(ranked["kode_desa"]) == {"99.01.01.2002", "99.01.01.2003"}


# -- CLI -------------------------------------------------------------------------------------
def test_cli_gaps_json(store_path: Path) -> None:
    result = run_cli("gaps", "--store", str(store_path), "--month", MONTH, "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert {r["kode_desa"]: r["status"] for r in records} == EXPECTED


def test_cli_summary_json(store_path: Path) -> None:
    result = run_cli("summary", "--store", str(store_path), "--month", MONTH, "--by", "provinsi", "--format", "json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    _check_whole_store(row)
    result = run_cli("summary", "--store", str(store_path), "--month", MONTH, "--by", "kabupaten", "--format", "json")
    rows = {r["kode"]: r for r in json.loads(result.stdout)}
    assert rows["99.02"]["desa_tanpa_data"] == 2 and rows["99.02"]["pct_desa_pustu_aktif"] is None


# -- pages -----------------------------------------------------------------------------------
def test_ringkasan_cards(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    monkeypatch.setenv("ILP_STORE", str(store_path))
    at = run_page(None, {"bulan": MONTH})
    values = metric_values(at)
    assert values["Jumlah desa"] == "5"
    assert values["Desa dengan pustu aktif"] == "66,7%"
    assert values["Desa dengan posyandu aktif"] == "33,3%"
    assert values["Posyandu aktif"] == "50,0%"
    assert values["Belum ada data"] == "2 desa · 1 kab/kota"


def test_no_data_card_only_when_some_desa_lack_data() -> None:
    from geo.rules import Rules

    shown = card_values({"desa": 5, "desa_tanpa_data": 0, "kabupaten_tanpa_data": 0}, None, rules=Rules())
    assert "desa_tanpa_data" not in [c.column for c in shown]
    shown = card_values({"desa": 5, "desa_tanpa_data": 2, "kabupaten_tanpa_data": 1}, None, rules=Rules())
    assert (shown[-1].label, shown[-1].value) == ("Belum ada data", "2 desa · 1 kab/kota")


# -- a kabupaten with facilities but no reports: posyandu belum melapor -----------------------------
def _three_kabupaten():  # noqa: ANN202 - a Coverage
    desa = desa_layer(
        [
            ("11.01.01.2001", cell(0, 1)),
            ("11.02.01.2001", cell(1, 2)),
            ("11.02.01.2002", cell(2, 3)),
            ("11.02.01.2003", cell(3, 4)),
            ("11.03.01.2001", cell(4, 5)),
        ]
    )
    fasilitas = [
        facility(model.PUSTU, "Pustu A", at=point(0.5)),
        facility(model.POSYANDU, "Posyandu A", kode="A1", at=point(0.4)),
        facility(model.PUSTU, "Pustu X", at=point(1.5)),
        facility(model.POSYANDU, "Posyandu X", kode="X1", at=point(1.4)),
        facility(model.POSYANDU, "Posyandu Z", kode="Z1", at=point(3.4)),
    ]
    laporan = [row for m in months("2025-11", 12) for row in reports("A1", {m: True})]
    return coverage(desa, fasilitas, laporan)


def test_posyandu_of_a_kabupaten_without_reports_have_not_reported_yet() -> None:
    cov = _three_kabupaten()
    table = cov.desa_table(MONTH).set_index("kode_desa")
    assert table["status"].to_dict() == {
        "11.01.01.2001": statuses.LENGKAP,
        "11.02.01.2001": statuses.LENGKAP,  # pustu + a posyandu that has not reported: not lacking one
        "11.02.01.2002": statuses.TANPA_KEDUANYA,  # no posyandu at all: still lacks one
        "11.02.01.2003": statuses.TANPA_PUSTU,
        "11.03.01.2001": statuses.TANPA_DATA,
    }
    assert table["ada_laporan"].tolist() == [True, False, False, False, False]
    ranked = rank_priorities(cov.desa_table(MONTH)).set_index("kode_desa")
    assert ranked.loc["11.02.01.2003", "posyandu_tidak_aktif"] == 0  # Z1 has not reported: not inactive
    assert ranked.loc["11.02.01.2003", "posyandu_total"] == 1
    activity = cov.posyandu_activity(MONTH).set_index("kode")
    assert activity["belum_melapor"].to_dict() == {"A1": False, "X1": True, "Z1": True}
    assert not activity.loc["X1", "aktif"]
    row = cov.indicators(MONTH, by="provinsi").iloc[0]
    assert (row["desa"], row["desa_ada_data"], row["desa_ada_laporan"]) == (5, 4, 1)
    assert (row["posyandu_total"], row["posyandu_dinilai"], row["posyandu_aktif"]) == (3, 1, 1)
    assert row["pct_posyandu_aktif"] == pytest.approx(100.0)  # X1, Z1 are not inactive, only unreported
    assert row["pct_desa_posyandu_aktif"] == pytest.approx(100.0)
    assert row["pct_lengkap"] == pytest.approx(50.0)  # 2 of the 4 desa with data
    assert row["pct_tanpa_data"] == pytest.approx(20.0)


def test_without_any_facility_every_desa_has_no_data() -> None:
    cov = coverage(desa_layer([("11.01.01.2001", cell(0, 1)), ("11.01.01.2002", cell(1, 2))]))
    assert set(cov.desa_table(MONTH)["status"]) == {statuses.TANPA_DATA}
    row = cov.indicators(MONTH, by="kabupaten").iloc[0]
    assert (row["desa_ada_data"], row["kabupaten_tanpa_data"]) == (0, 1)
    assert math.isnan(row["pct_lengkap"]) and row["pct_tanpa_data"] == pytest.approx(100.0)
