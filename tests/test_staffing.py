"""Pustu staffing as an indicator: "% pustu dengan tenaga lengkap (1 perawat + 1 bidan)".

The engine's ``pustu_standar`` / ``pct_pustu_standar`` per desa, puskesmas, kecamatan and
kabupaten against a hand count on an inline fixture, the staffing classes of the map
(:mod:`geo.staffing`) and ``summary --format json``.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pandas as pd
import pytest
from browser_support import RequestGuard, folium_frames, guarded_context, poll_page, store_server
from cli_support import run_cli
from engine_fixtures import cell, coverage, desa_layer, facilities_layer, facility, laporan_layer, point, reports
from page_support import PETA_PAGE, PROJECT, PUSKESMAS_PAGE, coverage_of, dataframe_with_column, run_page
from streamlit.testing.v1 import AppTest

from geo import levels, staffing
from geo.engine import Coverage
from geo.statuses import STATUSES
from loaders import model
from loaders.exceptions import EngineError
from loaders.store import ChangeRecord, Store
from ui.exports import ExportRequest
from ui.fmt import fmt_pct
from ui.i18n import column_label
from ui.map_payload import STATUS_INDEX, script_json, unit_staffing_values
from ui.maps import staffing_band_labels, staffing_config
from ui.report_book import render_xlsx
from ui.report_vector import VECTOR_FIELDS, vector_frame

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

MONTH = "2026-10"
A, B, C, D = "11.01.01.2001", "11.01.01.2002", "11.01.01.2003", "11.01.02.2001"


def _layers() -> tuple[object, list[dict[str, object]], list[dict[str, object]]]:
    """Four desa in a row; two puskesmas; pustu with every perawat/bidan combination, one inactive.

    Hand count (active pustu / with >= 1 perawat and >= 1 bidan):

    * A: A1 (1, 1) standard, A2 (1, 0) not          -> 2 / 1, tenaga_lengkap
    * B: B1 (0, 1) not                              -> 1 / 0, belum_lengkap
    * C: C1 (2, 2) but TIDAK AKTIF                  -> 0 / 0, tanpa_pustu_aktif
    * D: D1 (1, 2) standard, D2 (unknown, unknown)  -> 2 / 1, tenaga_lengkap
    """
    desa = desa_layer([(A, cell(0, 1)), (B, cell(1, 2)), (C, cell(2, 3)), (D, cell(3, 4))])
    rows = [
        facility(model.PUSKESMAS, "Puskesmas Satu", at=point(0.5), kode="P1"),
        facility(model.PUSKESMAS, "Puskesmas Dua", at=point(3.5), kode="P2"),
        facility(model.PUSTU, "Pustu A1", at=point(0.2), perawat=1, bidan=1),
        facility(model.PUSTU, "Pustu A2", at=point(0.8), perawat=1, bidan=0),
        facility(model.PUSTU, "Pustu B1", at=point(1.5), perawat=0, bidan=1),
        facility(model.PUSTU, "Pustu C1", at=point(2.5), perawat=2, bidan=2, status=model.TIDAK_AKTIF),
        facility(model.PUSTU, "Pustu D1", at=point(3.2), perawat=1, bidan=2),
        facility(model.PUSTU, "Pustu D2", at=point(3.8)),
        facility(model.POSYANDU, "Posyandu A", at=point(0.5, 0.2), kode="PSY-A", kode_desa=A),
    ]
    laporan = reports("PSY-A", {MONTH: True})
    return desa, rows, laporan


def _coverage() -> Coverage:
    desa, rows, laporan = _layers()
    return coverage(desa, rows, laporan)  # type: ignore[arg-type]


def _hand_count(cov: Coverage) -> dict[str, tuple[int, int]]:
    """puskesmas code -> (active pustu, staffed) counted from the fixture by hand, per the engine's working areas."""
    per_desa = {A: (2, 1), B: (1, 0), C: (0, 0), D: (2, 1)}
    areas = cov.desa_table(MONTH).set_index("kode_desa")["kode_puskesmas"]
    counts: dict[str, tuple[int, int]] = {}
    for kode, (aktif, standar) in per_desa.items():
        pkm = str(areas[kode])
        before = counts.get(pkm, (0, 0))
        counts[pkm] = (before[0] + aktif, before[1] + standar)
    return counts


def test_desa_table_counts_staffed_active_pustu_by_hand() -> None:
    table = _coverage().desa_table(MONTH).set_index("kode_desa")
    assert table.loc[[A, B, C, D], "pustu_aktif"].tolist() == [2, 1, 0, 2]
    assert table.loc[[A, B, C, D], "pustu_standar"].tolist() == [1, 0, 0, 1]
    assert table.loc[[A, B, C, D], "pustu_total"].tolist() == [2, 1, 1, 2]


def test_completeness_per_puskesmas_equals_the_hand_count() -> None:
    cov = _coverage()
    areas = cov.desa_table(MONTH).set_index("kode_desa")["kode_puskesmas"]
    assert [str(areas[k]) for k in (A, B, C, D)] == ["P1", "P1", "P1", "P2"]  # the engine's working areas
    hand = _hand_count(cov)
    assert hand == {"P1": (3, 1), "P2": (2, 1)}
    table = cov.indicators(MONTH, by="puskesmas").set_index("kode")
    for pkm, (aktif, standar) in hand.items():
        assert int(table.loc[pkm, "pustu_standar"]) == standar, pkm
        assert table.loc[pkm, "pct_pustu_standar"] == pytest.approx(100 * standar / aktif), pkm
    assert table.loc[["P1", "P2"], "pct_pustu_standar"].tolist() == pytest.approx([100 / 3, 50.0])


def test_completeness_per_kecamatan_and_kabupaten() -> None:
    cov = _coverage()
    kecamatan = cov.indicators(MONTH, by="kecamatan").set_index("kode")
    assert kecamatan.loc["11.01.01", ["pustu_standar", "pustu_total"]].tolist() == [1, 4]
    assert kecamatan.loc["11.01.01", "pct_pustu_standar"] == pytest.approx(100 * 1 / 3)  # A1 of A1, A2, B1
    assert kecamatan.loc["11.01.02", "pct_pustu_standar"] == pytest.approx(50.0)  # D1 of D1, D2
    kabupaten = cov.indicators(MONTH, by="kabupaten").set_index("kode")
    assert int(kabupaten.loc["11.01", "pustu_standar"]) == 2
    assert kabupaten.loc["11.01", "pct_pustu_standar"] == pytest.approx(40.0)  # 2 of 5 active pustu


def test_desa_staffing_classes_of_the_fixture() -> None:
    table = _coverage().desa_table(MONTH).set_index("kode_desa")
    classes = staffing.desa_classes(table)
    assert classes.loc[[A, B, C, D]].tolist() == [
        staffing.TENAGA_LENGKAP,
        staffing.BELUM_LENGKAP,
        staffing.TANPA_PUSTU_AKTIF,
        staffing.TENAGA_LENGKAP,
    ]


@pytest.mark.parametrize(
    ("pustu_aktif", "pustu_standar", "ada_data", "expected"),
    [
        (0, 0, True, staffing.TANPA_PUSTU_AKTIF),
        (1, 0, True, staffing.BELUM_LENGKAP),
        (3, 0, True, staffing.BELUM_LENGKAP),
        (1, 1, True, staffing.TENAGA_LENGKAP),
        (2, 1, True, staffing.TENAGA_LENGKAP),  # one staffed pustu serves the desa (module docstring)
        (2, 2, True, staffing.TENAGA_LENGKAP),
        (0, 0, False, staffing.TANPA_DATA),
        (1, 1, False, staffing.TANPA_DATA),
    ],
)
def test_desa_class_table(pustu_aktif: int, pustu_standar: int, ada_data: bool, expected: str) -> None:
    frame = pd.DataFrame({"pustu_aktif": [pustu_aktif], "pustu_standar": [pustu_standar], "ada_data": [ada_data]})
    assert staffing.desa_classes(frame).tolist() == [expected]


def test_desa_classes_without_ada_data_column_and_input_untouched() -> None:
    frame = pd.DataFrame({"pustu_aktif": [0, 1, 1], "pustu_standar": [0, 0, 1]}, index=[7, 8, 9])
    before = frame.copy()
    classes = staffing.desa_classes(frame)
    assert classes.to_dict() == {7: "tanpa_pustu_aktif", 8: "belum_lengkap", 9: "tenaga_lengkap"}
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        (0.0, "kurang_25"),
        (24.99, "kurang_25"),
        (25.0, "25_50"),
        (49.9, "25_50"),
        (50.0, "50_75"),
        (74.99, "50_75"),
        (75.0, "min_75"),
        (100.0, "min_75"),
        (math.nan, staffing.TANPA_PUSTU_AKTIF),
    ],
)
def test_unit_bands(pct: float, expected: str) -> None:
    assert staffing.band(pct) == expected


def test_unit_classes_tell_no_data_from_no_active_pustu() -> None:
    indicators = pd.DataFrame(
        {"desa_ada_data": [3, 2, 0, 4], "pct_pustu_standar": [80.0, math.nan, math.nan, 10.0]}, index=[1, 2, 3, 4]
    )
    assert staffing.unit_classes(indicators).tolist() == ["min_75", "tanpa_pustu_aktif", "tanpa_data", "kurang_25"]


def test_classes_of_the_engine_indicators() -> None:
    indicators = _coverage().indicators(MONTH, by="kecamatan").set_index("kode")
    assert staffing.unit_classes(indicators).to_dict() == {"11.01.01": "25_50", "11.01.02": "50_75"}


def test_missing_columns_are_named() -> None:
    with pytest.raises(EngineError, match="kolom pustu_standar tidak ada"):
        staffing.desa_classes(pd.DataFrame({"pustu_aktif": [1]}))
    with pytest.raises(EngineError, match="kolom pct_pustu_standar tidak ada"):
        staffing.unit_classes(pd.DataFrame({"desa_ada_data": [1]}))


def test_classes_are_declared_once_with_distinct_colours() -> None:
    assert staffing.DESA_CODES == ("tenaga_lengkap", "belum_lengkap", "tanpa_pustu_aktif", "tanpa_data")
    assert staffing.UNIT_CODES == ("min_75", "50_75", "25_50", "kurang_25", "tanpa_pustu_aktif", "tanpa_data")
    assert len({c.colour for c in staffing.UNIT_CLASSES}) == len(staffing.UNIT_CLASSES)
    colour = {c.code: c.colour for c in staffing.UNIT_CLASSES}
    desa_colour = {c.code: c.colour for c in staffing.DESA_CLASSES}
    # a desa's 0 % / 100 % reads like the unit bands of those shares
    assert desa_colour[staffing.BELUM_LENGKAP] == colour["kurang_25"]
    assert desa_colour[staffing.TENAGA_LENGKAP] == colour["min_75"]


def test_summary_json_carries_the_staffing_figures(tmp_path: Path) -> None:
    desa, rows, laporan = _layers()
    store_path = tmp_path / "ilp.gpkg"
    Store(store_path).commit(
        layers={
            model.LAYER_DESA: desa,
            model.LAYER_FASILITAS: facilities_layer(rows),
            model.LAYER_LAPORAN: laporan_layer(laporan),
        },
        record=ChangeRecord(jenis_impor="uji", keterangan="tenaga pustu"),
    )
    expected = _hand_count(_coverage())
    for by, wanted in (
        ("puskesmas", {k: (s, 100 * s / a) for k, (a, s) in expected.items()}),
        ("kecamatan", {"11.01.01": (1, 100 / 3), "11.01.02": (1, 50.0)}),
        ("kabupaten", {"11.01": (2, 40.0)}),
    ):
        result = run_cli("summary", "--store", str(store_path), "--month", MONTH, "--by", by, "--format", "json")
        assert result.returncode == 0, result.stderr
        payload = json.loads(result.stdout)
        assert isinstance(payload, list)  # one object per group (geo.export.to_json_bytes)
        records = payload
        got = {str(r["kode"]): (r["pustu_standar"], r["pct_pustu_standar"]) for r in records}
        assert set(got) == set(wanted), by
        for kode, (standar, pct) in wanted.items():
            assert got[kode][0] == standar, (by, kode)
            assert got[kode][1] == pytest.approx(pct), (by, kode)


# -- the pages (AppTest) ------------------------------------------------------------------------------
@pytest.fixture
def staffing_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The inline fixture as the app's store (``ILP_STORE``)."""
    desa, rows, laporan = _layers()
    path = tmp_path / "ilp.gpkg"
    Store(path).commit(
        layers={
            model.LAYER_DESA: desa,
            model.LAYER_FASILITAS: facilities_layer(rows),
            model.LAYER_LAPORAN: laporan_layer(laporan),
        },
        record=ChangeRecord(jenis_impor="uji", keterangan="tenaga pustu"),
    )
    monkeypatch.setenv("ILP_STORE", str(path))
    return path


def _map(at: AppTest) -> tuple[str, dict]:
    """(the map's base script, the values payload) of the one map on the page."""
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    group = args["feature_group"]
    values, _ = json.JSONDecoder().raw_decode(group, group.index(".apply(") + len(".apply("))
    return args["script"], values


def test_card_shows_the_engines_share_in_indonesian_format(staffing_store: Path) -> None:
    at = run_page()
    cards = {m.label: m.value for m in at.main.metric}
    engine = coverage_of(staffing_store).indicators(MONTH, by="kabupaten").iloc[0]
    assert engine["pct_pustu_standar"] == pytest.approx(40.0)
    assert cards["Pustu dengan tenaga lengkap"] == fmt_pct(engine["pct_pustu_standar"]) == "40,0%"
    labels = [m.label for m in at.main.metric]
    assert labels.index("Pustu dengan tenaga lengkap") == labels.index("Desa dengan pustu aktif") + 1
    (card,) = [m for m in at.main.metric if m.label == "Pustu dengan tenaga lengkap"]
    assert "1 perawat + 1 bidan" in card.proto.help


def test_peta_page_colours_desa_by_staffing_from_the_url(staffing_store: Path) -> None:
    at = run_page(PETA_PAGE, {"warna": "tenaga"})
    script, values = _map(at)
    assert values["w"] == "tenaga"
    table = coverage_of(staffing_store).desa_table(MONTH)
    engine = dict(zip(table["kode_desa"].astype(str), staffing.desa_classes(table), strict=True))
    shown = {kode: staffing.DESA_CODES[v[0]] for kode, v in values["v"].items()}
    assert (
        shown
        == engine
        == {
            A: staffing.TENAGA_LENGKAP,
            B: staffing.BELUM_LENGKAP,
            C: staffing.TANPA_PUSTU_AKTIF,
            D: staffing.TENAGA_LENGKAP,
        }
    )
    assert values["v"][A][1:3] == ["2", "1"]  # active pustu, staffed pustu (tooltip)
    # the legend's texts: its title and the class names, in the runtime's configuration
    for text in ("Tenaga pustu desa", "Tenaga lengkap", "Pustu aktif, tenaga belum lengkap", "Tidak ada pustu aktif"):
        assert json.dumps(text, ensure_ascii=False) in script, text
    assert at.query_params["warna"] == "tenaga"
    control = at.main.button_group[0]
    assert control.label == "Warnai peta menurut" and control.value == "tenaga"


def test_switching_the_colouring_changes_only_the_values(staffing_store: Path) -> None:
    at = run_page(PETA_PAGE)
    script, values = _map(at)
    assert "w" not in values and values["v"][B][0] == list(STATUS_INDEX).index(
        str(coverage_of(staffing_store).desa_table(MONTH).set_index("kode_desa").loc[B, "status"])
    )
    at.main.button_group[0].set_value("tenaga").run()
    after_script, after = _map(at)
    assert after_script == script  # the browser keeps its map: no geometry sent again
    assert after["w"] == "tenaga" and staffing.DESA_CODES[after["v"][B][0]] == staffing.BELUM_LENGKAP
    assert at.query_params["warna"] == "tenaga"
    at.main.button_group[0].set_value("status").run()
    assert "warna" not in at.query_params and "w" not in _map(at)[1]


def test_unit_staffing_values_carry_the_band_of_the_engine_share() -> None:
    indicators = _coverage().indicators(MONTH, by="kecamatan")
    values = unit_staffing_values(indicators)
    assert values == {
        "11.01.01": [staffing.UNIT_CODES.index("25_50"), "33,3%", "1", "3"],
        "11.01.02": [staffing.UNIT_CODES.index("50_75"), "50,0%", "1", "1"],
    }


def test_vector_export_carries_the_staffing_class_of_each_desa() -> None:
    cov = _coverage()
    request = ExportRequest(
        coverage=cov,
        month=MONTH,
        kode_desa=(A, B, C, D),
        area="Kabupaten 11.01",
        rules=cov.rules,
        data_version="uji",
    )
    frame = vector_frame(request)
    assert frame["kelas_tenaga"].tolist() == ["tenaga_lengkap", "belum_lengkap", "tanpa_pustu_aktif", "tenaga_lengkap"]
    assert frame["pustu_standar"].tolist() == [1, 0, 0, 1]
    assert list(VECTOR_FIELDS).index("kelas_tenaga") == list(VECTOR_FIELDS).index("status_label") + 1


def test_staffing_labels_of_columns_and_legend() -> None:
    assert column_label("pct_pustu_standar") == "% pustu dengan tenaga lengkap"
    assert column_label("pustu_standar") == "Pustu dengan tenaga lengkap"
    assert staffing_band_labels() == ["≥ 75%", "50–75%", "25–50%", "< 25%"]
    unit = staffing_config("unit")
    assert [c[1] for c in unit["classes"]] == [
        "≥ 75%",
        "50–75%",
        "25–50%",
        "< 25%",
        "Tidak ada pustu aktif",
        "Belum ada data",
    ]
    assert [c[0] for c in unit["classes"]] == [c.colour for c in staffing.UNIT_CLASSES]
    desa = staffing_config("desa", lang="en")
    assert desa["title"] == "Pustu staffing of the desa"
    assert [c[1] for c in desa["classes"]] == [
        "Fully staffed",
        "Active pustu, staffing incomplete",
        "No active pustu",
        "No data yet",
    ]


def test_tables_of_the_peta_and_puskesmas_pages_show_staffed_pustu(staffing_store: Path) -> None:
    table = coverage_of(staffing_store).desa_table(MONTH).set_index("kode_desa")
    at = run_page(PETA_PAGE)
    gaps = dataframe_with_column(at, "Tenaga lengkap")
    shown = dict(zip(gaps["Desa"].astype(str), gaps["Tenaga lengkap"].astype(int), strict=True))
    expected = {str(table.loc[k, "nama_desa"]): int(table.loc[k, "pustu_standar"]) for k in table.index}
    assert shown and all(expected[name] == value for name, value in shown.items())
    at = run_page(PUSKESMAS_PAGE, {"puskesmas": "P1"})
    desa = dataframe_with_column(at, "Pustu dengan tenaga lengkap")
    shown = dict(zip(desa["Desa"].astype(str), desa["Pustu dengan tenaga lengkap"].astype(int), strict=True))
    assert shown == {str(table.loc[k, "nama_desa"]): int(table.loc[k, "pustu_standar"]) for k in (A, B, C)}


def test_excel_report_summary_has_the_hand_counted_staffing() -> None:
    cov = _coverage()
    request = ExportRequest(
        coverage=cov, month=MONTH, kode_desa=(A, B, C, D), area="Kabupaten 11.01", rules=cov.rules, data_version="uji"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(request)))["Ringkasan"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    for first, expected in (
        ("Kode puskesmas", {"P1": (1, 33.3), "P2": (1, 50.0)}),
        ("Kode kecamatan", {"11.01.01": (1, 33.3), "11.01.02": (1, 50.0)}),
    ):
        start = next(i for i, r in enumerate(rows) if r[0] == first)
        header = rows[start]
        standar = header.index("Pustu dengan tenaga lengkap")
        pct = header.index("% pustu dengan tenaga lengkap")
        got = {}
        for r in rows[start + 1 :]:
            if r[0] is None:
                break
            got[r[0]] = (r[standar], r[pct])
        assert got == expected, first


def test_presentation_beside_the_staffing_map_shows_the_staffing_card(staffing_store: Path) -> None:
    at = run_page(PETA_PAGE, {"mode": "presentasi", "warna": "tenaga"})
    labels = [m.label for m in at.main.metric]
    assert labels == [
        "Jumlah desa",
        "Desa dengan pustu aktif",
        "Pustu dengan tenaga lengkap",
        "Desa dengan posyandu aktif",
    ]
    assert {m.label: m.value for m in at.main.metric}["Pustu dengan tenaga lengkap"] == "40,0%"
    assert _map(at)[1]["w"] == "tenaga"
    at = run_page(PETA_PAGE, {"mode": "presentasi"})
    assert "Desa tanpa keduanya" in [m.label for m in at.main.metric]
    assert "Pustu dengan tenaga lengkap" not in [m.label for m in at.main.metric]


# -- in the browser: the runtime colours by the values, the legend names the classes ------------------------
JS_FILLS = """() => window.ilpPeta
    ? window.ilpPeta.features.filter(p => p._map).map(p => [p.ilp.kode, p.options.fillColor]) : null"""
JS_LEGEND = """() => { const d = document.querySelector('.ilp-legend'); return d ? d.textContent : null; }"""
JS_MARK = """() => { if (!window.ilpPeta) return null; window.ilpPeta.ujiTetap = true; return true; }"""
JS_MARKED = """() => !!(window.ilpPeta && window.ilpPeta.ujiTetap)"""


def _in_map(page: Page, script: str) -> object:
    for frame in folium_frames(page):
        from playwright.sync_api import Error as PlaywrightError

        try:
            value = frame.evaluate(script)
        except PlaywrightError:  # the frame reloading
            continue
        if value is not None:
            return value
    return None


@pytest.mark.browser
def test_browser_map_switches_to_staffing_colours_in_place(
    browser: Browser, guard: RequestGuard, tmp_path: Path
) -> None:
    desa, rows, laporan = _layers()
    store = tmp_path / "ilp.gpkg"
    Store(store).commit(
        layers={
            model.LAYER_DESA: desa,
            model.LAYER_FASILITAS: facilities_layer(rows),
            model.LAYER_LAPORAN: laporan_layer(laporan),
        },
        record=ChangeRecord(jenis_impor="uji", keterangan="tenaga pustu"),
    )
    colour = {c.code: c.colour.lower() for c in staffing.DESA_CLASSES}
    table = _coverage().desa_table(MONTH)
    wanted = {str(k): colour[c] for k, c in zip(table["kode_desa"], staffing.desa_classes(table), strict=True)}
    status_colour = {s.code: s.colour.lower() for s in STATUSES}
    wanted_status = {str(k): status_colour[str(s)] for k, s in zip(table["kode_desa"], table["status"], strict=True)}
    with store_server(PROJECT, store, tmp_path) as server:
        context = guarded_context(browser, guard)
        try:
            page = context.new_page()
            page.goto(f"{server.base_url}/peta?warna=tenaga")

            def fills() -> dict[str, str]:
                pairs = _in_map(page, JS_FILLS) or []
                return {str(k): str(c).lower() for k, c in pairs}  # type: ignore[union-attr]

            assert poll_page(page, lambda: fills() == wanted, timeout=60.0), (fills(), wanted)
            legend = str(_in_map(page, JS_LEGEND))
            for label in ("Tenaga pustu desa", "Tenaga lengkap", "Pustu aktif, tenaga belum lengkap"):
                assert label in legend, legend
            assert "Tidak ada pustu aktif" in legend and "Belum ada data" not in legend  # only classes shown
            assert _in_map(page, JS_MARK) is True
            page.locator('[data-testid="stButtonGroup"] button', has_text="Status desa").click()
            assert poll_page(page, lambda: fills() == wanted_status, timeout=30.0), (fills(), wanted_status)
            assert _in_map(page, JS_MARKED) is True  # the same runtime: the geometry was not sent again
            assert str(_in_map(page, JS_LEGEND)).startswith("Status desa")
            assert "warna=" not in page.url
        finally:
            context.close()


def test_units_are_coloured_by_the_bands_and_the_unit_table_has_the_share(
    staffing_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above MAX_DESA_DRAWN desa (2 here) the map draws kecamatan, coloured by the bands of the engine's share."""
    monkeypatch.setattr(levels, "MAX_DESA_DRAWN", 2)
    at = run_page(PETA_PAGE, {"warna": "tenaga"})
    script, values = _map(at)
    assert '"kind":"unit","level":"kecamatan"' in script
    assert values == {
        "w": "tenaga",
        "v": {
            "11.01.01": [staffing.UNIT_CODES.index("25_50"), "33,3%", "1", "3"],
            "11.01.02": [staffing.UNIT_CODES.index("50_75"), "50,0%", "1", "1"],
        },
    }
    assert '"title":"% pustu dengan tenaga lengkap"' in script  # the unit legend's title
    for text in ("≥ 75%", "50–75%", "25–50%", "< 25%"):
        assert script_json(text) in script, text
    units = dataframe_with_column(at, "% pustu dengan tenaga lengkap")
    shares = dict(zip(units["Kecamatan"].astype(str), units["% pustu dengan tenaga lengkap"], strict=True))
    assert shares == pytest.approx({"Kecamatan 11.01.01": 100 / 3, "Kecamatan 11.01.02": 50.0})
