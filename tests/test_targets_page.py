"""Targets in the pages (AppTest): the Ringkasan card's target and traffic light, the trend's target line,
the bars sorted by distance to a target, and the Data page's targets editor.

Targets are set with the CLI (``python cli.py targets set``) on a private copy of a demo store, then the
app reads that store (``ILP_STORE``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.targets import Target, sort_by_distance
from loaders import targets as store_targets
from loaders.demo import write_demo
from loaders.store import Store
from tests.cli_support import run_cli
from tests.page_support import DATA_PAGE, assert_no_exception, coverage_of, run_page, texts
from ui.targets_form import SAVE_KEY, editor_key

PUSTU = "pct_desa_pustu_aktif"
PUSTU_LABEL = "Desa dengan pustu aktif"
FAR_MONTH = "2030-12"  # later than every report month: the target in force in each of them


@pytest.fixture(scope="module")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("target_pages") / "ilp.gpkg"
    write_demo(Store(path), seed=7)
    return path


@pytest.fixture
def store_path(demo_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo store, shown by the app."""
    copy = tmp_path / "ilp.gpkg"
    shutil.copy2(demo_base, copy)
    shutil.copytree(Store(demo_base).snapshot_dir, Store(copy).snapshot_dir)
    monkeypatch.setenv("ILP_STORE", str(copy))
    return copy


def _latest_value(path: Path, column: str = PUSTU) -> tuple[str, float]:
    coverage = coverage_of(path)
    month = coverage.months[-1]
    return month, float(coverage.indicators(month, by="kabupaten")[column].iloc[0])


def _set(path: Path, *args: str) -> None:
    done = run_cli("targets", "set", *args, "--store", str(path))
    assert done.returncode == 0, done.stderr


def _card_line(at: AppTest) -> str:
    lines = [md.value for md in at.main.markdown if "Target " in md.value and "-badge[" in md.value]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("offset", "hampir", "badge", "word"),
    [
        (-0.5, "80", "green", "Tercapai"),  # target just below the value
        (+0.5, "80", "orange", "Hampir"),  # just above, the value >= 80 % of it
        (None, "80", "red", "Belum"),  # far above: the value < 80 % of it
    ],
    ids=["tercapai", "hampir", "belum"],
)
def test_ringkasan_card_shows_target_and_light(
    store_path: Path, offset: float | None, hampir: str, badge: str, word: str
) -> None:
    _, value = _latest_value(store_path)
    target = round(value + offset, 1) if offset is not None else 100.0
    if offset is None:
        assert value < 0.8 * target  # the demo's value leaves room for "belum"
    else:
        assert value >= 0.8 * target
    version = Store(store_path).version()
    _set(store_path, "--indikator", PUSTU, "--nilai", f"{target}", "--bulan", FAR_MONTH, "--hampir", hampir)
    assert Store(store_path).version() == version + 1
    at = run_page()
    shown = f"{target:g}".replace(".", ",")
    assert _card_line(at) == f":{badge}-badge[● {word}] Target {shown}% (Des 2030)"


def test_card_without_target_shows_no_light(store_path: Path) -> None:
    at = run_page()
    assert not [md.value for md in at.main.markdown if "-badge[" in md.value]
    assert not [s for s in at.main.selectbox if s.key == "ringkasan_bar_urut"]  # no sort choice without targets


def test_lower_is_better_card_and_target_month_in_force(store_path: Path) -> None:
    month, value = _latest_value(store_path, "pct_tanpa_keduanya")
    _set(store_path, "--indikator", "pct_tanpa_keduanya", "--nilai", "0", "--bulan", "2020-01")  # passed: the last
    at = run_page()
    light = "green-badge[● Tercapai]" if value == 0 else "red-badge[● Belum]"
    assert _card_line(at) == f":{light} Target maks. 0% (Jan 2020)"
    assert month > "2020-01"


def test_trend_chart_draws_the_target_line(store_path: Path) -> None:
    _set(store_path, "--indikator", PUSTU, "--nilai", "60", "--bulan", "2025-06")
    _set(store_path, "--indikator", PUSTU, "--nilai", "90", "--bulan", FAR_MONTH)
    at = run_page()
    assert_no_exception(at)
    figures = [json.loads(chart.proto.spec) for chart in at.main.get("plotly_chart")]
    trend = next(fig for fig in figures if any(d.get("name") == PUSTU_LABEL for d in fig["data"]))
    traces = [d for d in trend["data"] if d.get("name", "").startswith("Target ")]
    assert [d["name"] for d in traces] == [f"Target {PUSTU_LABEL}: 90% (Des 2030)"]
    line = traces[0]
    assert line["line"]["dash"] == "dash"
    months = coverage_of(store_path).months
    expected = [60.0 if m <= "2025-06" else 90.0 for m in months]  # the target in force in each month
    assert line["y"] == expected


def test_bars_sort_by_distance_to_target(store_path: Path) -> None:
    _set(store_path, "--indikator", PUSTU, "--nilai", "95", "--bulan", FAR_MONTH)
    at = run_page()
    sort = at.selectbox(key="ringkasan_bar_urut")
    assert sort.options == ["Kesenjangan terbanyak", "Terjauh dari target: % desa dengan pustu aktif"]
    sort.set_value(PUSTU).run()
    assert_no_exception(at)
    coverage = coverage_of(store_path)
    groups = coverage.indicators(coverage.months[-1], by="kecamatan")
    expected = sort_by_distance(groups, target=Target(PUSTU, 95.0, FAR_MONTH))["nama"].tolist()
    figures = [json.loads(chart.proto.spec) for chart in at.main.get("plotly_chart")]
    bars = next(fig for fig in figures if fig["data"] and fig["data"][0].get("type") == "bar")
    assert list(bars["data"][0]["y"]) == expected[: len(bars["data"][0]["y"])]
    assert "Diurutkan menurut jarak ke target" in texts(at.main.caption) or len(bars["data"][0]["y"]) < len(expected)


# -- the Data page's editor ------------------------------------------------------------------------------------
def _data_page_with_edit(version: int, rows: list[dict[str, object]]) -> AppTest:
    at = run_page(DATA_PAGE)
    at.session_state[editor_key(version)] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    at.run()
    at.button(key=SAVE_KEY).click().run()
    assert_no_exception(at)
    return at


def test_data_page_editor_saves_a_target(store_path: Path, app_buttons: None) -> None:
    store = Store(store_path)
    version = store.version()
    row = {"indikator": PUSTU, "nilai": 80.0, "bulan": "2026-12", "hampir_pct": 75.0, "catatan": "Renstra"}
    at = _data_page_with_edit(version, [row])
    assert store.version() == version + 1
    assert store.read_log()["jenis_impor"].iloc[-1] == "target"
    saved = store_targets.read_targets(store)
    assert saved["indikator"].tolist() == [PUSTU]
    assert saved["nilai"].tolist() == [80.0] and saved["hampir_pct"].tolist() == [75.0]
    assert saved["catatan"].tolist() == ["Renstra"]
    assert f"Target disimpan sebagai versi data {version + 1}." in texts(at.main.success)
    editor = at.data_editor(key=editor_key(version + 1))  # the editor now shows the stored row
    assert editor.value["indikator"].tolist() == [PUSTU]


def test_data_page_editor_refuses_a_bad_row_and_writes_nothing(store_path: Path, app_buttons: None) -> None:
    store = Store(store_path)
    version = store.version()
    before = store_path.read_bytes()
    rows = [
        {"indikator": PUSTU, "nilai": 80.0, "bulan": "2026-12"},
        {"indikator": "pct_posyandu_aktif", "nilai": 70.0, "bulan": "2026-13"},
    ]
    at = _data_page_with_edit(version, rows)
    assert store.version() == version
    assert store_path.read_bytes() == before  # not half-written: the good row is not saved either
    errors = texts(at.main.error)
    assert "Target tidak disimpan (tidak ada yang ditulis)" in errors
    assert "Tabel target baris 2: bulan target '2026-13' tidak sah" in errors
