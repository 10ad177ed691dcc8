"""Targets: the traffic light, the target in force, validation, the store layer, the CLI and the Excel report."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geo.engine import Coverage
from geo.indicators import INDICATOR_COLUMNS
from geo.rules import Rules
from geo.targets import (
    DISTANCE_COLUMN,
    LIGHTS,
    TARGET_BY_CODE,
    TARGET_INDICATORS,
    Target,
    assess,
    distance,
    indicator_of_card,
    light,
    sort_by_distance,
    target_in_force,
)
from loaders import model
from loaders import targets as store_targets
from loaders.dataset import read_dataset
from loaders.demo import write_demo
from loaders.exceptions import InputError, StaleImportError
from loaders.limits import MAX_TARGET_NOTE_CHARS, MAX_TARGETS
from loaders.store import Store
from tests.cli_support import run_cli, store_state
from ui.i18n import STRINGS

PUSTU: str = "pct_desa_pustu_aktif"
GAPS: str = "pct_tanpa_keduanya"


# -- the traffic light ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "target", "hampir", "higher", "expected"),
    [
        # higher is better, target 80, hampir from 80 % of it (64)
        (100.0, 80.0, 80.0, True, "tercapai"),
        (80.0, 80.0, 80.0, True, "tercapai"),
        (79.99, 80.0, 80.0, True, "hampir"),
        (64.0, 80.0, 80.0, True, "hampir"),
        (63.99, 80.0, 80.0, True, "belum"),
        (0.0, 80.0, 80.0, True, "belum"),
        # another threshold: hampir from 50 % of 80 (40)
        (40.0, 80.0, 50.0, True, "hampir"),
        (39.9, 80.0, 50.0, True, "belum"),
        # hampir 100: nothing is "hampir"
        (79.9, 80.0, 100.0, True, "belum"),
        # target 0 is always reached by a percentage
        (0.0, 0.0, 80.0, True, "tercapai"),
        # lower is better, target 10: tercapai <= 10, hampir while 80 % of the value <= 10 (value <= 12.5)
        (0.0, 10.0, 80.0, False, "tercapai"),
        (10.0, 10.0, 80.0, False, "tercapai"),
        (10.01, 10.0, 80.0, False, "hampir"),
        (12.5, 10.0, 80.0, False, "hampir"),
        (12.51, 10.0, 80.0, False, "belum"),
        (60.0, 10.0, 80.0, False, "belum"),
        # lower is better, hampir 50: value <= 20
        (20.0, 10.0, 50.0, False, "hampir"),
        (20.1, 10.0, 50.0, False, "belum"),
        # lower is better with target 0: only 0 is reached, nothing is "hampir"
        (0.0, 0.0, 80.0, False, "tercapai"),
        (0.1, 0.0, 80.0, False, "belum"),
        # float noise at the target still counts as reached
        (100 * 17 / 40, 42.5, 80.0, True, "tercapai"),
    ],
)
def test_light_on_both_sides_of_each_threshold(
    value: float, target: float, hampir: float, higher: bool, expected: str
) -> None:
    assert light(value, target=target, hampir_pct=hampir, higher_is_better=higher) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_no_value_has_no_light(missing: object) -> None:
    assert light(missing, target=80.0, hampir_pct=80.0, higher_is_better=True) is None  # type: ignore[arg-type]
    assert distance(missing, target=80.0, higher_is_better=True) is None  # type: ignore[arg-type]


def test_distance_is_points_still_to_go_in_both_directions() -> None:
    assert distance(42.5, target=80.0, higher_is_better=True) == 37.5
    assert distance(90.0, target=80.0, higher_is_better=True) == -10.0
    assert distance(25.0, target=10.0, higher_is_better=False) == 15.0
    assert distance(5.0, target=10.0, higher_is_better=False) == -5.0


def test_registry_lights_and_labels() -> None:
    assert [entry.code for entry in LIGHTS] == ["tercapai", "hampir", "belum"]
    for entry in LIGHTS:
        assert entry.label_key in STRINGS
        assert entry.colour.startswith("#")
    for indicator in TARGET_INDICATORS:
        assert indicator.code in INDICATOR_COLUMNS  # a real column of the engine's indicators
        assert indicator.label_key in STRINGS
    assert TARGET_BY_CODE[PUSTU].higher_is_better
    assert not TARGET_BY_CODE[GAPS].higher_is_better
    assert not TARGET_BY_CODE["pct_kesenjangan"].higher_is_better
    assert indicator_of_card("desa_tanpa_keduanya") is TARGET_BY_CODE[GAPS]
    assert indicator_of_card("desa") is None


# -- the target in force ------------------------------------------------------------------------------
def test_target_in_force_is_the_next_deadline_else_the_last() -> None:
    rows = [
        Target(PUSTU, 80.0, "2026-12"),
        Target(PUSTU, 60.0, "2026-06"),
        Target(GAPS, 10.0, "2025-01"),
    ]
    assert target_in_force(rows, PUSTU, "2025-01") == rows[1]
    assert target_in_force(rows, PUSTU, "2026-06") == rows[1]  # its own month still counts
    assert target_in_force(rows, PUSTU, "2026-07") == rows[0]
    assert target_in_force(rows, PUSTU, "2026-12") == rows[0]
    assert target_in_force(rows, PUSTU, "2027-05") == rows[0]  # all passed: the last one
    assert target_in_force(rows, GAPS, "2026-10") == rows[2]
    assert target_in_force(rows, "pct_posyandu_aktif", "2026-10") is None


def test_assess_names_the_target_value_light_and_distance() -> None:
    rows = [Target(PUSTU, 50.0, "2026-12", hampir_pct=80.0)]
    judged = assess(rows, PUSTU, 42.5, month="2026-10")
    assert judged is not None
    assert (judged.target.nilai, judged.target.bulan, judged.value) == (50.0, "2026-12", 42.5)
    assert judged.light == "hampir"
    assert judged.distance == 7.5
    assert assess(rows, GAPS, 10.0, month="2026-10") is None


def test_sort_by_distance_puts_the_furthest_first_and_missing_last() -> None:
    frame = pd.DataFrame(
        {"kode": ["a", "b", "c", "d"], "nama": ["A", "B", "C", "D"], PUSTU: [90.0, 10.0, float("nan"), 50.0]}
    )
    ordered = sort_by_distance(frame, target=Target(PUSTU, 80.0, "2026-12"))
    assert ordered["nama"].tolist() == ["B", "D", "A", "C"]
    assert ordered[DISTANCE_COLUMN].tolist()[:3] == [70.0, 30.0, -10.0]
    lower = pd.DataFrame({"kode": ["a", "b"], "nama": ["A", "B"], GAPS: [5.0, 30.0]})
    assert sort_by_distance(lower, target=Target(GAPS, 10.0, "2026-12"))["nama"].tolist() == ["B", "A"]
    assert PUSTU in frame.columns and DISTANCE_COLUMN not in frame.columns  # input not modified


# -- validation -----------------------------------------------------------------------------------------
def test_parse_target_reads_comma_decimals_and_defaults() -> None:
    entry = store_targets.parse_target(indikator=PUSTU, nilai="72,5", bulan=" 2026-12 ")
    assert entry == Target(PUSTU, 72.5, "2026-12", 80.0, "")
    entry = store_targets.parse_target(indikator=GAPS, nilai=10, bulan="2027-06", hampir_pct="90", catatan="Renstra")
    assert entry == Target(GAPS, 10.0, "2027-06", 90.0, "Renstra")


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"indikator": "pct_xyz"}, ["Indikator (--indikator) 'pct_xyz' tidak dikenal", "pct_desa_pustu_aktif"]),
        ({"indikator": ""}, ["Indikator (--indikator) kosong", "Pilih salah satu"]),
        ({"nilai": "delapan"}, ["Nilai target (--nilai) 'delapan' bukan angka", "0 sampai 100"]),
        ({"nilai": "100,5"}, ["Nilai target (--nilai) 100.5 di luar rentang 0-100"]),
        ({"nilai": "-1"}, ["Nilai target (--nilai) -1 di luar rentang 0-100"]),
        ({"nilai": ""}, ["Nilai target (--nilai) kosong"]),
        ({"bulan": "2026-13"}, ["Bulan target (--bulan) '2026-13' tidak sah", "YYYY-MM"]),
        ({"bulan": "12/2026"}, ["Bulan target (--bulan) '12/2026' tidak sah", "misalnya 2026-12"]),
        ({"hampir_pct": "0"}, ["Batas hampir (--hampir) 0 di luar rentang 1-100"]),
        ({"hampir_pct": "101"}, ["Batas hampir (--hampir) 101 di luar rentang 1-100"]),
        ({"catatan": "x" * (MAX_TARGET_NOTE_CHARS + 1)}, ["Catatan (--catatan) terlalu panjang", "Persingkat"]),
    ],
)
def test_bad_values_are_refused_with_the_field_named(fields: dict[str, str], words: list[str]) -> None:
    values: dict[str, object] = {"indikator": PUSTU, "nilai": "80", "bulan": "2026-12", **fields}
    with pytest.raises(InputError) as caught:
        store_targets.parse_target(**values, names=store_targets.CLI_FIELD_NAMES)  # type: ignore[arg-type]
    for word in words:
        assert word in str(caught.value)


def test_table_validation_names_the_row_and_refuses_repeats() -> None:
    table = pd.DataFrame(
        {
            "indikator": [PUSTU, None, GAPS],
            "nilai": [80.0, None, 250.0],
            "bulan": ["2026-12", None, "2026-12"],
            "hampir_pct": [None, None, None],
            "catatan": ["", "", ""],
        }
    )
    with pytest.raises(InputError, match=r"^Tabel target baris 3: nilai target 250 di luar rentang 0-100"):
        store_targets.validate_table(table)
    repeated = pd.DataFrame({"indikator": [PUSTU, PUSTU], "nilai": [80, 70], "bulan": ["2026-12", "2026-12"]})
    with pytest.raises(
        InputError, match="baris 2: target pct_desa_pustu_aktif untuk bulan 2026-12 sudah ada di baris 1"
    ):
        store_targets.validate_table(repeated)
    good = store_targets.validate_table(table.iloc[:2])  # the empty row is skipped
    assert good == (Target(PUSTU, 80.0, "2026-12"),)
    too_many = pd.DataFrame(
        {"indikator": [PUSTU] * (MAX_TARGETS + 1), "nilai": [1] * (MAX_TARGETS + 1), "bulan": _months(MAX_TARGETS + 1)}
    )
    with pytest.raises(InputError, match=f"paling banyak {MAX_TARGETS}"):
        store_targets.validate_table(too_many)


def _months(count: int) -> list[str]:
    return [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


# -- the store layer --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store written once for this module (copy it before writing)."""
    path = tmp_path_factory.mktemp("target_demo") / "ilp.gpkg"
    write_demo(Store(path), seed=7)
    return path


@pytest.fixture
def demo_copy(demo_base: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ilp.gpkg"
    shutil.copy2(demo_base, copy)
    shutil.copytree(Store(demo_base).snapshot_dir, Store(copy).snapshot_dir)
    return copy


def test_old_store_without_the_layer_has_no_targets(demo_copy: Path, tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(demo_copy) as con:  # a store written before targets existed
        con.execute('DROP TABLE IF EXISTS "target"')
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'target'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'target'")
    store = Store(demo_copy)
    assert store_targets.read_targets(store).empty
    assert read_dataset(store).target.columns.tolist() == list(model.SCHEMAS[model.LAYER_TARGET])
    assert read_dataset(store).target.empty
    assert not store_targets.read_targets(Store(tmp_path / "absent.gpkg")).columns.empty


def test_set_replace_remove_write_versions_and_log_rows(demo_copy: Path) -> None:
    store = Store(demo_copy)
    start = store.version()
    first = store_targets.set_target(store, Target(PUSTU, 80.0, "2026-12"))
    assert (first.version, first.changed) == (start + 1, True)
    same = store_targets.set_target(store, Target(PUSTU, 80.0, "2026-12"))
    assert (same.version, same.changed) == (start + 1, False)  # nothing changed: nothing written
    second = store_targets.set_target(store, Target(PUSTU, 85.0, "2026-12", hampir_pct=90.0, catatan="Renstra"))
    assert second.version == start + 2
    store_targets.set_target(store, Target(GAPS, 10.0, "2026-06"))
    table = store_targets.read_targets(store)
    assert table["indikator"].tolist() == [PUSTU, GAPS]  # registry order
    assert table["nilai"].tolist() == [85.0, 10.0]
    assert table["hampir_pct"].tolist() == [90.0, 80.0]
    assert table["catatan"].tolist()[0] == "Renstra"
    log = store.read_log()
    rows = log[log["jenis_impor"] == "target"]
    assert rows["versi"].tolist() == [start + 1, start + 2, start + 3]
    assert rows["keterangan"].tolist()[1] == (
        "Target pct_desa_pustu_aktif 85 % per 2026-12 (hampir 90 %) diubah (sebelumnya 80 %)."
    )
    removed = store_targets.remove_target(store, indikator=GAPS, bulan="2026-06")
    assert removed.version == start + 4
    assert store.read_log()["keterangan"].iloc[-1] == "Target pct_tanpa_keduanya 10 % per 2026-06 dihapus."
    assert read_dataset(store).target["indikator"].tolist() == [PUSTU]
    before = store_state(store)
    with pytest.raises(InputError, match="Target pct_tanpa_keduanya untuk bulan 2026-06 tidak ada"):
        store_targets.remove_target(store, indikator=GAPS, bulan="2026-06")
    assert store_state(store) == before


def test_replace_refuses_a_store_that_moved_on(demo_copy: Path) -> None:
    store = Store(demo_copy)
    seen = store.version()
    store_targets.set_target(store, Target(PUSTU, 80.0, "2026-12"))  # another writer
    before = store_state(store)
    with pytest.raises(StaleImportError):
        store_targets.replace_targets(store, [Target(GAPS, 10.0, "2026-12")], base_version=seen)
    assert store_state(store) == before


def test_restore_brings_earlier_targets_back(demo_copy: Path) -> None:
    store = Store(demo_copy)
    store_targets.set_target(store, Target(PUSTU, 80.0, "2026-12"))
    kept = store.version()
    store_targets.set_target(store, Target(PUSTU, 90.0, "2026-12"))
    store.restore(kept)
    assert store_targets.read_targets(store)["nilai"].tolist() == [80.0]


# -- the CLI -----------------------------------------------------------------------------------------------
def test_cli_set_list_remove_round_trip(demo_copy: Path) -> None:
    store = Store(demo_copy)
    start = store.version()
    done = run_cli(
        "targets", "set", "--indikator", PUSTU, "--nilai", "80", "--bulan", "2026-12", "--store", str(demo_copy)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Target pct_desa_pustu_aktif 80 % per 2026-12 ditambahkan. Versi data {start + 1}."
    assert store.version() == start + 1
    assert store.read_log()["jenis_impor"].iloc[-1] == "target"
    done = run_cli(
        "targets", "set", "--indikator", GAPS, "--nilai", "12,5", "--bulan", "2027-06", "--hampir", "90",
        "--catatan", "Renstra 2027", "--store", str(demo_copy),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = run_cli("targets", "list", "--store", str(demo_copy))
    assert listed.returncode == 0
    lines = listed.stdout.strip().splitlines()
    assert lines[0].split() == ["indikator", "nilai", "bulan", "hampir_pct", "catatan"]
    assert lines[1].split() == [PUSTU, "80.0", "2026-12", "80.0"]
    assert lines[2].split() == [GAPS, "12.5", "2027-06", "90.0", "Renstra", "2027"]
    done = run_cli("targets", "remove", "--indikator", PUSTU, "--bulan", "2026-12", "--store", str(demo_copy))
    assert done.returncode == 0, done.stderr
    assert store.version() == start + 3
    assert store_targets.read_targets(store)["indikator"].tolist() == [GAPS]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--indikator", "pct_xyz", "--nilai", "80", "--bulan", "2026-12"], "Indikator (--indikator) 'pct_xyz'"),
        (["--indikator", PUSTU, "--nilai", "120", "--bulan", "2026-12"], "Nilai target (--nilai) 120 di luar"),
        (["--indikator", PUSTU, "--nilai", "80", "--bulan", "Des 2026"], "Bulan target (--bulan) 'Des 2026'"),
        (["--indikator", PUSTU, "--nilai", "80", "--bulan", "2026-12", "--hampir", "0"], "Batas hampir (--hampir) 0"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(demo_copy: Path, args: list[str], words: str) -> None:
    store = Store(demo_copy)
    before = store_state(store)
    done = run_cli("targets", "set", *args, "--store", str(demo_copy))
    assert done.returncode == 2
    assert done.stderr.startswith("Galat: ")
    assert words in done.stderr
    assert store_state(store) == before


def test_cli_remove_unknown_and_list_empty(demo_copy: Path) -> None:
    store = Store(demo_copy)
    before = store_state(store)
    listed = run_cli("targets", "list", "--store", str(demo_copy))
    assert listed.returncode == 0
    assert listed.stdout.startswith("Belum ada target di ")
    done = run_cli("targets", "remove", "--indikator", PUSTU, "--bulan", "2026-12", "--store", str(demo_copy))
    assert done.returncode == 2
    assert "Target pct_desa_pustu_aktif untuk bulan 2026-12 tidak ada" in done.stderr
    assert store_state(store) == before
    missing = run_cli("targets", "set", "--indikator", PUSTU, "--store", str(demo_copy))
    assert missing.returncode == 2
    assert "argumen berikut wajib diisi" in missing.stderr


# -- the Excel report --------------------------------------------------------------------------------------
def test_excel_report_has_the_targets_rows(demo_copy: Path) -> None:
    from ui.exports import ExportRequest
    from ui.report_book import render_xlsx

    store = Store(demo_copy)
    coverage = Coverage(read_dataset(store))
    month = coverage.months[-1]
    value = float(coverage.indicators(month, by="kabupaten")[PUSTU].iloc[0])
    store_targets.set_target(store, Target(PUSTU, value + 1.0, "2030-12"))  # just above: hampir
    store_targets.set_target(store, Target(GAPS, 0.0, "2030-12"))
    coverage = Coverage(read_dataset(store))
    gaps_value = float(coverage.indicators(month, by="kabupaten")[GAPS].iloc[0])
    request = ExportRequest(
        coverage=coverage,
        month=month,
        kode_desa=tuple(coverage.dataset.desa["kode_desa"]),
        area="Kabupaten Contoh",
        rules=Rules(),
        data_version="versi data 3",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(request))).worksheets[0]
    rows = [tuple(cell for cell in row[:5]) for row in sheet.iter_rows(values_only=True)]
    start = rows.index(("Target", None, None, None, None))
    assert rows[start + 1] == ("Indikator", "Target (%)", "Bulan target", "Nilai bulan ini (%)", "Lampu")
    assert rows[start + 2] == (
        "% desa dengan pustu aktif",
        round(value + 1.0, 1),
        "Desember 2030",
        round(value, 1),
        "Hampir",
    )
    expected_light = "Tercapai" if gaps_value == 0 else "Belum"
    assert rows[start + 3] == ("% desa tanpa keduanya", 0, "Desember 2030", round(gaps_value, 1), expected_light)


def test_excel_report_without_targets_has_no_targets_section(demo_copy: Path) -> None:
    from ui.exports import ExportRequest
    from ui.report_book import render_xlsx

    coverage = Coverage(read_dataset(Store(demo_copy)))
    request = ExportRequest(
        coverage=coverage,
        month=coverage.months[-1],
        kode_desa=tuple(coverage.dataset.desa["kode_desa"]),
        area="Kabupaten Contoh",
        rules=Rules(),
        data_version="versi data 1",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(request))).worksheets[0]
    assert ("Target",) not in [tuple(row[:1]) for row in sheet.iter_rows(values_only=True)]
