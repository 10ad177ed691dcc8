"""Posyandu activity from the monthly reports (geo/activity.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, laporan_layer, months, point, reports

from geo.activity import activity_for_month, build_report_matrix, month_label, parse_month
from geo.rules import Rules
from loaders import model
from loaders.exceptions import InputError

WINDOW = months("2025-11", 12)  # the 12 months ending at 2026-10
DESA = "11.01.01.2001"


def _activity(rows, month: str = "2026-10", *, rules: Rules = Rules()) -> pd.Series:
    """Activity of posyandu Y1 (the only one) for ``month``."""
    cov = coverage(
        desa_layer([(DESA, cell(0, 1))]),
        [facility(model.POSYANDU, "Posyandu Satu", kode="Y1", at=point(0.5))],
        rows,
        rules=rules,
    )
    return cov.posyandu_activity(month).set_index("kode").loc["Y1"]


@pytest.mark.parametrize(
    ("text", "index"),
    [("2026-10", 2026 * 12 + 9), ("2025-01", 2025 * 12), (" 2024-12 ", 2024 * 12 + 11)],
)
def test_parse_month(text: str, index: int) -> None:
    assert parse_month(text) == index
    assert month_label(index) == text.strip()


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-10", "2026/10", "", "Oktober 2026", None])
def test_parse_month_rejects_other_text(text) -> None:
    with pytest.raises(InputError, match="tidak sah: tulis sebagai YYYY-MM"):
        parse_month(text)


@pytest.mark.parametrize(
    ("opened", "closed", "expected_open", "aktif"),
    [
        (12, 0, 12, True),
        (10, 2, 10, True),  # exactly the threshold
        (9, 3, 9, False),  # one below
        (10, 0, 10, True),  # two months missing count as not opened
        (9, 0, 9, False),  # three months missing
        (0, 12, 0, False),
    ],
)
def test_threshold_of_10_in_12_months(opened: int, closed: int, expected_open: int, aktif: bool) -> None:
    buka = {m: True for m in WINDOW[:opened]} | {m: False for m in WINDOW[opened : opened + closed]}
    row = _activity(reports("Y1", buka))
    assert row["bulan_buka"] == expected_open
    assert bool(row["aktif"]) is aktif


def test_months_outside_the_window_do_not_count() -> None:
    before = {m: True for m in months("2024-11", 12)}  # 12 opened months, all before the window
    inside = {m: True for m in WINDOW[:9]}
    row = _activity(reports("Y1", before | inside))
    assert row["bulan_buka"] == 9
    assert not row["aktif"]
    assert bool(_activity(reports("Y1", before | inside), "2026-07")["aktif"])  # window 2025-08..2026-07: 12 opened


def test_month_before_any_report_is_valid_and_inactive() -> None:
    row = _activity(reports("Y1", {m: True for m in WINDOW}), "2020-01")
    assert row["bulan_buka"] == 0
    assert not row["aktif"]
    assert not row["lapor_bulan_ini"]
    assert pd.isna(row["laporan_terakhir"])
    assert row["berhenti_lapor"]


def test_month_after_the_last_report_counts_missing_months_as_closed() -> None:
    row = _activity(reports("Y1", {m: True for m in WINDOW}), "2027-02")  # 4 months without reports
    assert row["bulan_buka"] == 8
    assert row["laporan_terakhir"] == "2026-10"
    assert row["berhenti_lapor"]


@pytest.mark.parametrize(("buka", "lapor", "opened"), [(True, True, 1), (False, True, 0), (None, True, 0)])
def test_report_row_counts_as_lapor_whatever_buka(buka, lapor: bool, opened: int) -> None:
    row = _activity(reports("Y1", {"2026-10": buka}))
    assert bool(row["lapor_bulan_ini"]) is lapor
    assert row["bulan_buka"] == opened
    assert row["laporan_terakhir"] == "2026-10"


@pytest.mark.parametrize(("last", "stopped"), [("2026-07", True), ("2026-08", False), ("2026-10", False)])
def test_stopped_reporting_after_3_months_without_report(last: str, stopped: bool) -> None:
    row = _activity(reports("Y1", {"2026-01": True, last: True}))
    assert bool(row["berhenti_lapor"]) is stopped
    assert row["laporan_terakhir"] == last


def test_duplicate_report_rows_count_once() -> None:
    rows = reports("Y1", {m: True for m in WINDOW[:9]}) + reports("Y1", {WINDOW[0]: True})
    row = _activity(rows)
    assert row["bulan_buka"] == 9
    assert not row["aktif"]


def test_custom_rules_change_the_window() -> None:
    buka = {m: True for m in WINDOW[-3:]}
    three_of_four = Rules(posyandu_min_bulan=3, posyandu_jendela_bulan=4)
    four_of_four = Rules(posyandu_min_bulan=4, posyandu_jendela_bulan=4)
    assert bool(_activity(reports("Y1", buka), rules=three_of_four)["aktif"])
    assert not bool(_activity(reports("Y1", buka), rules=four_of_four)["aktif"])


def test_report_matrix_lists_unknown_codes_and_duplicates() -> None:
    laporan = laporan_layer(
        reports("Y1", {"2026-01": True, "2026-02": False})
        + reports("Y1", {"2026-02": True})
        + reports("X9", {"2026-01": True, "2026-02": True})
        + reports("X9", {"2026-02": True})
        + [{"kode_posyandu": "Y1", "bulan": "Feb 2026", "buka": True}]
    )
    matrix = build_report_matrix(laporan, pd.Index(["Y0", "Y1"]))
    assert matrix.months == ["2026-01", "2026-02"]
    assert matrix.unknown_codes.values.tolist() == [["X9", 3]]
    assert matrix.duplicate_rows.values.tolist() == [["X9", "2026-02", 2], ["Y1", "2026-02", 2]]
    two_of_two = Rules(posyandu_min_bulan=2, posyandu_jendela_bulan=2)
    activity = activity_for_month(matrix, parse_month("2026-02"), rules=two_of_two)
    assert activity.bulan_buka.tolist() == [0, 2]  # conflicting duplicates: opened when any row says so
    assert activity.aktif.tolist() == [False, True]
    assert matrix.row_posyandu.tolist() == [1, 1, 1, -1, -1, -1, -1]
    assert matrix.first_rows().tolist() == [0, 1]


def test_no_reports_at_all() -> None:
    matrix = build_report_matrix(model.empty(model.LAYER_LAPORAN), pd.Index(["Y1"]))
    assert matrix.months == []
    activity = activity_for_month(matrix, parse_month("2026-10"), rules=Rules())
    assert activity.bulan_buka.tolist() == [0]
    assert activity.laporan_terakhir.tolist() == [-1]
    assert matrix.unknown_codes.empty and matrix.duplicate_rows.empty


def test_posyandu_activity_columns() -> None:
    cov = coverage(
        desa_layer([(DESA, cell(0, 1))]),
        [
            facility(model.POSYANDU, "Posyandu Satu", kode="Y1", at=point(0.5)),
            facility(model.POSYANDU, "Dua", kode="Y2"),
        ],
        reports("Y1", {"2026-10": True}),
    )
    table = cov.posyandu_activity("2026-10")
    assert list(table.columns) == [
        "kode",
        "nama",
        "kode_desa",
        "status",
        "bulan_buka",
        "aktif",
        "lapor_bulan_ini",
        "laporan_terakhir",
        "berhenti_lapor",
        "belum_melapor",
        "lat",
        "lon",
    ]
    assert table["kode"].tolist() == ["Y1", "Y2"]
    assert table["lat"].iloc[0] == pytest.approx(-5.995)
    assert pd.isna(table["lat"].iloc[1])
    assert cov.months == ["2026-10"]
    assert cov.latest_month == "2026-10"
    monthly = cov.posyandu_monthly(kode_desa=DESA)
    assert monthly[["kode_posyandu", "bulan", "kode_desa"]].values.tolist() == [["Y1", "2026-10", DESA]]
    assert cov.posyandu_monthly(kode_desa="99.99.99.9999").empty
