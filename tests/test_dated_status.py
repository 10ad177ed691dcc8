"""Dated facility status (issue 11): the snapshot/date rule of geo.dating and the engine's month-dependent pustu.

Pure table tests of the rule; an inline district where a pustu activates in 2026-03; the acceptance on
Kabupaten Tasikmalaya (two snapshots 2025-06 and 2026-06 that activate 20 pustu, and the same with date
columns), built in memory from the imported store and again through the real importer (``per``, a ``Tanggal
Aktif`` column in the xlsx); a file without dates gives exactly the pre-change engine's figures (literals
recorded from it). The Tasikmalaya tests skip when ``../shared/data`` is absent (``shared_data`` fixture).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_fixtures import (
    Dataset,
    cell,
    dated,
    desa_layer,
    facilities_layer,
    facility,
    laporan_layer,
    months,
    point,
    reports,
    with_history,
)
from reference_districts import district_files

from geo import dating
from geo.compare import compare_months
from geo.engine import Coverage, FacilityDating
from loaders import model
from loaders.dataset import read_dataset
from loaders.exceptions import InputError
from loaders.importing import run_import
from loaders.store import Store

N = None


def _arr(*values: str | None) -> np.ndarray:
    return np.array(list(values), dtype=object)


# -- the rule, as tables ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-06", "2025-06"),
        ("2025-06-15", "2025-06"),
        ("2025-06-15 00:00:00", "2025-06"),
        (" 2025-06 ", "2025-06"),
        ("2025-13", None),
        ("Juni 2025", None),
        ("", None),
        (None, None),
        (pd.NA, None),
        (float("nan"), None),
    ],
)
def test_month_values(raw: object, expected: str | None) -> None:
    assert dating.month_values([raw], 1).tolist() == [expected]


def test_month_values_of_an_absent_column() -> None:
    assert dating.month_values(None, 3).tolist() == [None, None, None]


# rows 0,1: snapshot 2025-06; row 2: snapshot 2026-06 (one group)
PER = _arr("2025-06", "2025-06", "2026-06")
ONE = _arr("g", "g", "g")


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2024-01", [True, True, False]),  # before every snapshot: the earliest one
        ("2025-05", [True, True, False]),
        ("2025-06", [True, True, False]),
        ("2026-05", [True, True, False]),
        ("2026-06", [False, False, True]),
        ("2027-01", [False, False, True]),
    ],
)
def test_snapshot_in_force_before_between_after(month: str, expected: list[bool]) -> None:
    assert dating.in_force(PER, ONE, month).tolist() == expected


def test_rows_of_equal_per_are_one_snapshot() -> None:
    per = _arr("2025-06", "2026-01", "2026-01")  # e.g. a history row and a current row of the same month
    assert dating.in_force(per, _arr("g", "g", "g"), "2026-03").tolist() == [False, True, True]
    assert dating.in_force(per, _arr("g", "g", "g"), "2025-12").tolist() == [True, False, False]


def test_missing_per_is_the_oldest_snapshot() -> None:
    per = _arr(N, N, "2026-06")
    group = _arr("g", "g", "g")
    assert dating.in_force(per, group, "2020-01").tolist() == [True, True, False]
    assert dating.in_force(per, group, "2026-05").tolist() == [True, True, False]
    assert dating.in_force(per, group, "2026-06").tolist() == [False, False, True]


def test_groups_choose_their_snapshot_apart() -> None:
    per = _arr("2025-06", "2026-06", "2026-01")
    group = _arr("pustu|32.06", "pustu|32.06", "pustu|32.05")
    assert dating.in_force(per, group, "2025-12").tolist() == [True, False, True]  # 32.05: earliest known
    assert dating.in_force(per, group, "2026-06").tolist() == [False, True, True]


@pytest.mark.parametrize(
    ("aktif", "nonaktif", "month", "expected"),
    [
        (N, N, "2026-01", True),
        ("2026-03", N, "2026-02", False),
        ("2026-03", N, "2026-03", True),  # active from its first month
        (N, "2026-03", "2026-02", True),
        (N, "2026-03", "2026-03", False),  # no longer active from the nonaktif month
        ("2025-01", "2025-06", "2026-01", False),  # nonaktif before the month
        ("2025-01", "2025-06", "2025-05", True),
        ("2025-01", "2025-06", "2024-12", False),
    ],
)
def test_within_dates(aktif: str | None, nonaktif: str | None, month: str, expected: bool) -> None:
    assert dating.within_dates(_arr(aktif), _arr(nonaktif), month).tolist() == [expected]


def test_held_rows_before_the_first_snapshot_only() -> None:
    no_dates = _arr(N, N, N)
    assert dating.held_rows(PER, ONE, no_dates, no_dates, "2025-05").tolist() == [True, True, False]
    assert dating.held_rows(PER, ONE, no_dates, no_dates, "2025-06").tolist() == [False, False, False]
    assert dating.held_rows(PER, ONE, no_dates, no_dates, "2026-07").tolist() == [False, False, False]


def test_a_missing_per_is_held_and_a_group_with_dates_is_not() -> None:
    no_dates = _arr(N, N, N)
    per = _arr(N, N, "2026-06")
    assert dating.held_rows(per, ONE, no_dates, no_dates, "2026-01").tolist() == [True, True, False]
    dates = _arr(N, "2025-03", N)  # one row of the group states a date: the group states its history
    assert dating.held_rows(per, ONE, dates, no_dates, "2026-01").tolist() == [False, False, False]


def test_epochs_map_months_to_distinct_outcomes() -> None:
    per = _arr("2025-06", "2025-06", "2026-06", "2026-06")
    aktif = _arr(N, N, N, "2026-09")
    nonaktif = _arr(N, "2025-09", N, N)
    group = _arr("g", "g", "g", "g")
    epochs = dating.epochs(per, group, aktif, nonaktif)
    assert epochs.breaks == ("2025-06", "2025-09", "2026-06", "2026-09")
    # up to 2025-08 (before 2025-06 the earliest snapshot, not held: the group has dates, so the same
    # outcome as 2025-06 and one epoch) / 2025-09..2026-05 / 2026-06..08 / from 2026-09
    assert [epochs.epoch(m) for m in ("2024-01", "2025-05", "2025-06", "2025-08", "2025-09")] == [0, 0, 0, 0, 1]
    assert [epochs.epoch(m) for m in ("2026-05", "2026-06", "2026-08", "2026-09", "2030-01")] == [1, 2, 2, 3, 3]
    assert epochs.count == 4
    assert epochs.in_force[0].tolist() == [True, True, False, False]
    assert epochs.held[0].tolist() == [False, False, False, False]
    assert epochs.within[1].tolist() == [True, False, True, False]
    assert epochs.in_force[3].tolist() == [False, False, True, True]
    assert epochs.within[3].tolist() == [True, False, True, True]
    held = dating.epochs(per, group, _arr(N, N, N, N), _arr(N, N, N, N))  # without dates: held before 2025-06
    assert held.count == 3
    assert held.held[held.epoch("2025-05")].tolist() == [True, True, False, False]
    assert held.epoch("2025-06") == held.epoch("2026-05") == 1


def test_epochs_merge_breaks_that_change_nothing() -> None:
    per = _arr(N, N)
    aktif = _arr("2025-01", N)
    nonaktif = _arr(N, "2025-01")  # both change in the same month: one break
    epochs = dating.epochs(per, _arr("g", "g"), aktif, nonaktif)
    assert epochs.breaks == ("2025-01",)
    assert epochs.count == 2
    # one snapshot (2025-03) whose row became active 2025-01: the snapshot's break changes nothing
    same = dating.epochs(_arr("2025-03"), _arr("g"), _arr("2025-01"), _arr(N))
    assert same.breaks == ("2025-01", "2025-03")
    assert same.count == 2
    assert same.epoch("2024-12") == 0
    assert same.epoch("2025-01") == same.epoch("2025-03") == same.epoch("2026-01") == 1
    # one snapshot per group and no dates: the same rows in every month, held before the snapshot
    held = dating.epochs(_arr("2025-01", "2025-01"), _arr("a", "b"), _arr(N, N), _arr(N, N))
    assert held.count == 2
    assert held.held[0].tolist() == [True, True]
    assert held.held[1].tolist() == [False, False]


# -- an inline district: a pustu activates in 2026-03 -----------------------------------------
DESA = [f"32.06.01.200{i + 1}" for i in range(4)]
REPORT_MONTHS = months("2025-01", 18)  # 2025-01 .. 2026-06


def _rows() -> list[dict[str, object]]:
    return [
        facility(model.PUSKESMAS, "Puskesmas Satu", kode="P1", at=point(0.5)),
        facility(model.PUSTU, "Pustu A", at=point(0.3), perawat=1, bidan=1),
        facility(model.PUSTU, "Pustu B", at=point(1.5), perawat=1, bidan=0),
        facility(model.PUSTU, "Pustu C", at=point(2.5), status="tidak aktif", perawat=1, bidan=1),
        *[facility(model.POSYANDU, f"Posyandu {i}", kode=f"Y{i}", kode_desa=DESA[i]) for i in range(4)],
    ]


def _dataset(fasilitas: pd.DataFrame | None = None) -> Dataset:
    rows = [r for i in range(4) for r in reports(f"Y{i}", dict.fromkeys(REPORT_MONTHS, True))]
    return Dataset.from_frames(
        desa=desa_layer([(kode, cell(i, i + 1)) for i, kode in enumerate(DESA)]),
        fasilitas=facilities_layer(_rows()) if fasilitas is None else fasilitas,
        laporan=laporan_layer(rows),
    )


# Recorded from the engine before dated status existed (commit 50d3ad0), month 2026-03.
UNDATED = {
    "pustu_aktif": [1, 1, 0, 0],
    "ada_puskesmas": [True, False, False, False],
    "jarak_pustu_km": [0.2213747250968163, 0.0, 1.1068790633352237, 2.213761568072607],
    "status": ["lengkap", "lengkap", "tanpa_pustu", "tanpa_pustu"],
    "pustu_total": [1, 1, 1, 0],
    "pustu_standar": [1, 0, 0, 0],
    "posyandu_aktif": [1, 1, 1, 1],
}
UNDATED_KECAMATAN = {"desa_pustu_aktif": 2, "pct_desa_pustu_aktif": 50.0, "pct_lengkap": 50.0, "pustu_total": 3}


def _columns(table: pd.DataFrame) -> dict[str, list[object]]:
    return {column: table[column].tolist() for column in UNDATED}


def test_a_file_without_dates_gives_the_figures_of_before() -> None:
    coverage = Coverage(_dataset())
    assert _columns(coverage.desa_table("2026-03")) == UNDATED
    kecamatan = coverage.indicators("2026-03", by="kecamatan").iloc[0]
    assert {k: kecamatan[k] for k in UNDATED_KECAMATAN} == UNDATED_KECAMATAN
    assert coverage.facility_dating() == FacilityDating(dated=False, first_month=None, held_months=())
    assert coverage.facility_dating("puskesmas").dated is False
    trend = coverage.indicator_trend(by="kecamatan")
    assert trend["pct_desa_pustu_aktif"].tolist() == [50.0] * len(REPORT_MONTHS)  # flat: nothing dated


def test_empty_date_columns_and_trivial_dates_give_the_undated_table() -> None:
    """The epoch path reproduces the undated path exactly: empty columns, and dates before every month."""
    plain = Coverage(_dataset())
    empty = dated(facilities_layer(_rows()), per=[N] * 8, tanggal_aktif=[N] * 8, tanggal_nonaktif=[N] * 8)
    early = dated(facilities_layer(_rows()), per=["2024-01"] * 8, tanggal_aktif=["2000-01"] * 8)
    with_empty, with_early = Coverage(_dataset(empty)), Coverage(_dataset(early))
    assert with_empty.facility_dating().dated is False
    assert with_early.facility_dating() == FacilityDating(dated=True, first_month="2000-01", held_months=())
    for month in ("2025-01", "2026-03", "2026-06"):
        expected = plain.desa_table(month)
        pd.testing.assert_frame_equal(with_empty.desa_table(month), expected, check_exact=True)
        pd.testing.assert_frame_equal(with_early.desa_table(month), expected, check_exact=True)
        pd.testing.assert_frame_equal(
            with_early.indicators(month, by="puskesmas"), plain.indicators(month, by="puskesmas"), check_exact=True
        )


def _pustu_b_from_march() -> Coverage:
    aktif = [N, N, "2026-03", N, N, N, N, N]  # row 3 is Pustu B
    return Coverage(_dataset(dated(facilities_layer(_rows()), tanggal_aktif=aktif)))


def test_a_pustu_activating_in_march_changes_exactly_its_desa() -> None:
    coverage = _pustu_b_from_march()
    february, march = coverage.desa_table("2026-02"), coverage.desa_table("2026-03")
    changed = february["kode_desa"][february["status"] != march["status"]].tolist()
    assert changed == ["32.06.01.2002"]
    assert february["status"].tolist() == ["lengkap", "tanpa_pustu", "tanpa_pustu", "tanpa_pustu"]
    assert _columns(march) == UNDATED  # from 2026-03 on: today's figures
    assert february["pustu_aktif"].tolist() == [1, 0, 0, 0]
    assert february["pustu_total"].tolist() == [1, 1, 1, 0]  # a pustu not yet active still exists
    assert february["jarak_pustu_km"].iloc[1] == pytest.approx(1.2 * 1.1068790633352237, rel=1e-4)  # to Pustu A
    assert coverage.facility_dating() == FacilityDating(dated=True, first_month="2026-03", held_months=())
    trend = coverage.indicator_trend(by="kabupaten").set_index("bulan")["desa_pustu_aktif"]
    assert trend.to_dict() == {m: (2 if m >= "2026-03" else 1) for m in REPORT_MONTHS}


def test_compare_sees_the_pustu_change() -> None:
    table = compare_months(_pustu_b_from_march(), before="2026-02", after="2026-03")
    changed = table[table["status_sebelum"] != table["status_sesudah"]]
    assert changed["kode_desa"].tolist() == ["32.06.01.2002"]
    assert changed[["status_sebelum", "status_sesudah"]].values.tolist() == [["tanpa_pustu", "lengkap"]]
    assert (table["perubahan"] != "tetap").sum() == 1
    assert changed["perubahan"].iloc[0] == "membaik"


def test_nonaktif_and_snapshots_in_the_inline_district() -> None:
    """Pustu A closes in 2026-01; an earlier snapshot (2025-06) had no Pustu B; the puskesmas opens 2025-10."""
    current = dated(
        facilities_layer(_rows()),
        per=["2026-01"] * 4 + [N] * 4,
        tanggal_nonaktif=[N, "2026-01", N, N, N, N, N, N],
        tanggal_aktif=["2025-10", N, N, N, N, N, N, N],
    )
    earlier = dated(facilities_layer([_rows()[1], _rows()[3]]), per=["2025-06", "2025-06"])
    coverage = Coverage(with_history(_dataset(current), earlier))
    assert coverage.desa_table("2025-08")["pustu_aktif"].tolist() == [1, 0, 0, 0]  # 2025-06 snapshot
    assert coverage.desa_table("2025-08")["pustu_total"].tolist() == [1, 0, 1, 0]
    assert coverage.desa_table("2025-08")["ada_puskesmas"].tolist() == [False] * 4  # opens 2025-10
    assert coverage.desa_table("2025-10")["ada_puskesmas"].tolist() == [True, False, False, False]
    assert coverage.desa_table("2026-01")["pustu_aktif"].tolist() == [0, 1, 0, 0]  # A closed, B in the snapshot
    assert coverage.desa_table("2026-01")["pustu_total"].tolist() == [1, 1, 1, 0]
    dating_pustu = coverage.facility_dating()
    assert dating_pustu.dated is True
    assert dating_pustu.first_month == "2025-06"
    assert dating_pustu.held_months == ()  # the pustu group has a date column value: it states its history
    assert coverage.facilities["nama"].tolist()[:4] == ["Puskesmas Satu", "Pustu A", "Pustu B", "Pustu C"]
    assert len(coverage.facilities) == 8  # the latest state only
    # judged as of the latest report month (2026-06): Pustu A closed in 2026-01
    assert coverage.facilities["aktif"].tolist()[:4] == [True, False, True, False]
    assert coverage.facilities["sesuai_standar"].tolist()[1:4] == [False, False, False]
    assert coverage.desa_table("2026-06")["pustu_aktif"].tolist() == [0, 1, 0, 0]


def test_facilities_of_an_undated_file_keep_their_status_judgement() -> None:
    facilities = Coverage(_dataset()).facilities
    assert facilities["aktif"].tolist()[:4] == [True, True, True, False]
    assert facilities["sesuai_standar"].tolist()[1:4] == [True, False, False]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(InputError, match="Jenis fasilitas 'klinik' tidak dikenal"):
        Coverage(_dataset()).facility_dating("klinik")


def test_posyandu_are_never_dated() -> None:
    assert _pustu_b_from_march().facility_dating(model.POSYANDU) == FacilityDating(False, None, ())


def test_inputs_are_not_mutated() -> None:
    current = dated(facilities_layer(_rows()), per=["2026-01"] * 8)
    earlier = dated(facilities_layer(_rows()[:3]), per=["2025-06"] * 3)
    before_current, before_earlier = current.copy(), earlier.copy()
    Coverage(with_history(_dataset(current), earlier)).indicator_trend(by="kecamatan")
    pd.testing.assert_frame_equal(current, before_current)
    pd.testing.assert_frame_equal(earlier, before_earlier)


# -- acceptance: Kabupaten Tasikmalaya -------------------------------------------------------
FIRST, SECOND = "2025-06", "2026-06"
ACTIVATED = 20


@pytest.fixture(scope="module")
def tasikmalaya(tasikmalaya_store_path: Path) -> Dataset:
    return read_dataset(Store(tasikmalaya_store_path))


def _activated_rows(fasilitas: pd.DataFrame) -> np.ndarray:
    """20 active pustu, each the only active pustu of its declared desa (so each one changes a desa)."""
    pustu = fasilitas[(fasilitas["jenis"] == model.PUSTU) & (fasilitas["status"].str.lower() == model.AKTIF)]
    single = pustu.groupby("kode_desa")["nama"].transform("size") == 1
    chosen = pustu[single.to_numpy() & pustu["kode_desa"].notna().to_numpy()].sort_values("kode_desa")
    assert len(chosen) >= ACTIVATED
    return chosen.index.to_numpy()[:ACTIVATED]


def _first_state(fasilitas: pd.DataFrame) -> pd.DataFrame:
    first = fasilitas.copy()
    first.loc[_activated_rows(fasilitas), "status"] = "tidak aktif"
    return first


def _kabupaten(coverage: Coverage, month: str) -> pd.Series:
    return coverage.indicators(month, by="kabupaten").iloc[0]


def _snapshots(dataset: Dataset) -> Coverage:
    fasilitas = dataset.fasilitas
    is_pustu = (fasilitas["jenis"] == model.PUSTU).to_numpy()
    per = np.where(is_pustu, SECOND, None)
    current = dated(fasilitas, per=per.tolist())
    first = _first_state(fasilitas)[is_pustu]
    history = dated(first, per=[FIRST] * len(first))
    return Coverage(
        with_history(
            Dataset.from_frames(
                desa=dataset.desa, fasilitas=current, laporan=dataset.laporan, wilayah_kerja=dataset.wilayah_kerja
            ),
            history,
        )
    )


def _alone(dataset: Dataset, fasilitas: pd.DataFrame) -> Coverage:
    return Coverage(
        Dataset.from_frames(
            desa=dataset.desa, fasilitas=fasilitas, laporan=dataset.laporan, wilayah_kerja=dataset.wilayah_kerja
        )
    )


def _check_against_alone(dated_coverage: Coverage, dataset: Dataset) -> None:
    first_alone = _alone(dataset, _first_state(dataset.fasilitas))
    second_alone = _alone(dataset, dataset.fasilitas)
    for month, alone in (("2025-12", first_alone), ("2026-10", second_alone)):
        got, expected = _kabupaten(dated_coverage, month), _kabupaten(alone, month)
        assert got["pct_desa_pustu_aktif"] == expected["pct_desa_pustu_aktif"]
        assert got["desa_pustu_aktif"] == expected["desa_pustu_aktif"]
        pd.testing.assert_frame_equal(dated_coverage.desa_table(month), alone.desa_table(month), check_exact=True)
    first_desa = _kabupaten(first_alone, "2025-12")["desa_pustu_aktif"]
    second_desa = _kabupaten(second_alone, "2026-10")["desa_pustu_aktif"]
    assert second_desa - first_desa == ACTIVATED
    trend = dated_coverage.indicator_trend(by="kabupaten").set_index("bulan")
    first_trend = first_alone.indicator_trend(by="kabupaten").set_index("bulan")
    second_trend = second_alone.indicator_trend(by="kabupaten").set_index("bulan")
    assert trend["pct_desa_pustu_aktif"].nunique() == 2  # no longer flat
    for month in dated_coverage.months:
        source = second_trend if month >= SECOND else first_trend
        for column in ("desa_pustu_aktif", "pct_desa_pustu_aktif", "pustu_standar", "desa_lengkap"):
            assert trend.loc[month, column] == source.loc[month, column], (month, column)


@pytest.mark.slow
def test_tasikmalaya_two_snapshots(tasikmalaya: Dataset) -> None:
    coverage = _snapshots(tasikmalaya)
    _check_against_alone(coverage, tasikmalaya)
    assert coverage.months[0] == "2025-01"
    assert coverage.facility_dating() == FacilityDating(
        dated=True, first_month=FIRST, held_months=("2025-01", "2025-02", "2025-03", "2025-04", "2025-05")
    )
    assert coverage.facility_dating(model.PUSKESMAS).dated is False


@pytest.mark.slow
def test_tasikmalaya_date_columns(tasikmalaya: Dataset) -> None:
    fasilitas = tasikmalaya.fasilitas
    aktif = np.full(len(fasilitas), None, dtype=object)
    aktif[_activated_rows(fasilitas)] = SECOND
    coverage = _alone(tasikmalaya, dated(fasilitas, tanggal_aktif=aktif.tolist()))
    _check_against_alone(coverage, tasikmalaya)
    assert coverage.facility_dating() == FacilityDating(dated=True, first_month=SECOND, held_months=())


@pytest.mark.slow
def test_tasikmalaya_without_dates_is_flat_and_says_so(tasikmalaya: Dataset) -> None:
    coverage = Coverage(tasikmalaya)
    assert coverage.facility_dating() == FacilityDating(dated=False, first_month=None, held_months=())
    assert coverage.indicator_trend(by="kabupaten")["pct_desa_pustu_aktif"].nunique() == 1


# -- the same through the real importer: two imported snapshots, and a Tanggal Aktif column ----------
def _activated_in_file(pustu: pd.DataFrame) -> np.ndarray:
    """Rows of the Pustu sheet: 20 active pustu, each the only active one of its Kode Desa."""
    active = pustu["Status"].str.strip().str.lower() == model.AKTIF
    single = pustu[active].groupby("Kode Desa")["Nama Pustu"].transform("size") == 1
    chosen = pustu[active][single.to_numpy()].sort_values("Kode Desa")
    assert len(chosen) >= ACTIVATED
    return chosen.index.to_numpy()[:ACTIVATED]


def _sheets(shared_data: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(shared_data / "fasilitas" / "fasilitas_32.06.xlsx", sheet_name=None)


def _write(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    with pd.ExcelWriter(path) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def _import_store(shared_data: Path, root: Path, facilities: Path, *, per: str | None) -> Store:
    store = Store(root / "ilp.gpkg")
    for kind, path in district_files(shared_data, "32.06"):
        if kind == "facilities":
            run_import(kind, facilities, store=store, per=per)
        else:
            run_import(kind, path, store=store)
    return store


def _check_imported(coverage: Coverage, today: Coverage, *, changed_from: str) -> None:
    now = _kabupaten(today, "2026-10")
    for month in coverage.months:
        got = _kabupaten(coverage, month)
        expected = now["desa_pustu_aktif"] - (ACTIVATED if month < changed_from else 0)
        assert got["desa_pustu_aktif"] == expected, month
        assert got["pct_desa_pustu_aktif"] == pytest.approx(100.0 * expected / got["desa_ada_data"], abs=1e-12)
    assert _kabupaten(coverage, "2026-10")["pct_desa_pustu_aktif"] == now["pct_desa_pustu_aktif"]


@pytest.mark.slow
def test_tasikmalaya_two_imported_snapshots(shared_data: Path, tmp_path: Path, tasikmalaya: Dataset) -> None:
    sheets = _sheets(shared_data)
    pustu = sheets["Pustu"]
    first = pustu.copy()
    first.loc[_activated_in_file(pustu), "Status"] = "Tidak aktif"
    first_file = _write({**sheets, "Pustu": first}, tmp_path / "fasilitas_2025-06.xlsx")
    store = _import_store(shared_data, tmp_path, first_file, per=FIRST)
    second_file = _write({"Pustu": pustu}, tmp_path / "pustu_2026-06.xlsx")
    run_import("facilities", second_file, store=store, per=SECOND)
    dataset = read_dataset(store)
    assert len(dataset.riwayat_fasilitas) == len(pustu)  # the 2025-06 pustu moved to the history layer
    coverage = Coverage(dataset)
    _check_imported(coverage, Coverage(tasikmalaya), changed_from=SECOND)
    assert coverage.facility_dating() == FacilityDating(
        dated=True, first_month=FIRST, held_months=("2025-01", "2025-02", "2025-03", "2025-04", "2025-05")
    )


@pytest.mark.slow
def test_tasikmalaya_imported_tanggal_aktif(shared_data: Path, tmp_path: Path, tasikmalaya: Dataset) -> None:
    sheets = _sheets(shared_data)
    pustu = sheets["Pustu"].copy()
    pustu["Tanggal Aktif"] = pd.NaT
    pustu.loc[_activated_in_file(pustu), "Tanggal Aktif"] = pd.Timestamp("2026-06-15")
    path = _write({**sheets, "Pustu": pustu}, tmp_path / "fasilitas_tanggal.xlsx")
    coverage = Coverage(read_dataset(_import_store(shared_data, tmp_path, path, per=None)))
    _check_imported(coverage, Coverage(tasikmalaya), changed_from=SECOND)
    assert coverage.facility_dating() == FacilityDating(dated=True, first_month=SECOND, held_months=())
