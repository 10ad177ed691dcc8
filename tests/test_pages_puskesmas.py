"""The Puskesmas page end to end (AppTest): choice, working-area figures, priority list, tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from page_support import (
    DEMO,
    PUSKESMAS_PAGE,
    TINY_PRIORITY,
    coverage_of,
    dataframe_with_column,
    metric_values,
    run_page,
    texts,
    tiny_store,
)

from geo.priorities import rank_priorities
from ui import drilldown
from ui.drilldown_views import priority_reason
from ui.fmt import fmt_int, fmt_pct
from ui.i18n import t
from ui.layout import PICKER_PX, PRESENTATION_MAP_HEIGHT
from ui.state import ViewState, serialise

NAN = float("nan")


def _puskesmas_by_name(cov) -> list[tuple[str, str]]:
    wa = cov.working_areas.dropna(subset=["kode_puskesmas"]).drop_duplicates("kode_puskesmas")
    return sorted(zip(wa["nama_puskesmas"].astype(str), wa["kode_puskesmas"].astype(str), strict=True))


def _tab_labels(at) -> list[str]:
    return [tab.label for tab in at.main.tabs]


def test_first_puskesmas_by_default_with_engine_desa_count(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    name, kode = _puskesmas_by_name(cov)[0]
    at = run_page(PUSKESMAS_PAGE)
    assert at.selectbox(key="ilp_w_pilih_puskesmas").value == kode
    expected = len(drilldown.working_area_desa(cov.working_areas, kode))
    assert expected == int((cov.working_areas["kode_puskesmas"] == kode).sum())
    assert metric_values(at)["Jumlah desa"] == fmt_int(expected)
    assert t("pkm.jumlah_desa", n=fmt_int(expected)) in texts(at.main.caption)
    # the page's choice IS the global filter: the sidebar and the address say which puskesmas is shown
    assert at.session_state["ilp_puskesmas"] == kode
    assert at.sidebar.selectbox(key="ilp_puskesmas").value == kode
    assert at.query_params["puskesmas"] == kode
    assert name in texts(at.main.caption)  # the scope line names it


def test_sidebar_and_page_choose_the_same_puskesmas(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    by_name = _puskesmas_by_name(cov)
    at = run_page(PUSKESMAS_PAGE)
    at.sidebar.selectbox(key="ilp_puskesmas").set_value(by_name[2][1]).run()  # chosen in the sidebar ...
    assert at.selectbox(key="ilp_w_pilih_puskesmas").value == by_name[2][1]  # ... the page follows
    at.selectbox(key="ilp_w_pilih_puskesmas").set_value(by_name[4][1]).run()  # chosen on the page ...
    assert at.sidebar.selectbox(key="ilp_puskesmas").value == by_name[4][1]  # ... the sidebar follows
    at.sidebar.selectbox(key="ilp_puskesmas").set_value("").run()  # "Semua puskesmas" on this page:
    assert at.selectbox(key="ilp_w_pilih_puskesmas").value == by_name[4][1]  # the page keeps its choice
    assert at.sidebar.selectbox(key="ilp_puskesmas").value == by_name[4][1]  # and says so in the sidebar
    at.switch_page("pages/ringkasan.py").run()  # other pages are filtered to it, as the sidebar shows
    assert at.session_state["ilp_puskesmas"] == by_name[4][1]
    desa = drilldown.working_area_desa(cov.working_areas, by_name[4][1])
    assert metric_values(at)["Jumlah desa"] == fmt_int(len(desa))


def test_presentation_mode_picker_above_the_map_and_area_cards(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    month = cov.latest_month
    _, kode = _puskesmas_by_name(cov)[1]
    at = run_page(PUSKESMAS_PAGE, {"puskesmas": kode, "mode": "presentasi"})
    picker = at.selectbox(key="ilp_w_pilih_puskesmas")
    assert picker.value == kode and picker.proto.label_visibility.value == 2  # COLLAPSED: the map is its title
    desa = drilldown.working_area_desa(cov.working_areas, kode)
    row = cov.indicators(month, by="kabupaten", kode_desa=desa).iloc[0]
    cards = metric_values(at)
    key_cards = ["Jumlah desa", "Desa dengan pustu aktif", "Desa dengan posyandu aktif", "Desa tanpa keduanya"]
    assert list(cards) == key_cards
    assert cards["Jumlah desa"] == fmt_int(len(desa))
    assert cards["Desa dengan posyandu aktif"] == fmt_pct(row["pct_desa_posyandu_aktif"])
    assert not at.main.dataframe and not at.main.tabs  # cards and map only
    maps = at.get("component_instance")
    assert len(maps) == 1
    assert json.loads(maps[0].proto.json_args)["height"] == PRESENTATION_MAP_HEIGHT - PICKER_PX
    css = "".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stSelectbox"] input[role="combobox"] { font-size: 1.35rem !important; }' in css  # large


def test_choosing_a_puskesmas_sets_the_global_filter(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    month = cov.latest_month
    name, kode = _puskesmas_by_name(cov)[3]
    at = run_page(PUSKESMAS_PAGE)
    at.selectbox(key="ilp_w_pilih_puskesmas").set_value(kode).run()
    assert not at.exception
    assert at.session_state["ilp_puskesmas"] == kode
    assert at.query_params["puskesmas"] == kode
    desa = drilldown.working_area_desa(cov.working_areas, kode)
    row = cov.indicators(month, by="kabupaten", kode_desa=desa).iloc[0]
    cards = metric_values(at)
    assert cards["Jumlah desa"] == fmt_int(len(desa))
    assert cards["Desa dengan pustu aktif"] == fmt_pct(row["pct_desa_pustu_aktif"])
    assert cards["Posyandu aktif"] == fmt_pct(row["pct_posyandu_aktif"])


def test_url_puskesmas_is_preselected_with_its_tables(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    month = cov.latest_month
    _, kode = _puskesmas_by_name(cov)[-1]
    at = run_page(PUSKESMAS_PAGE, serialise(ViewState(puskesmas=kode)))
    assert at.selectbox(key="ilp_w_pilih_puskesmas").value == kode
    desa = drilldown.working_area_desa(cov.working_areas, kode)
    pustu = drilldown.pustu_staffing(cov.facilities, desa)
    posyandu = drilldown.posyandu_rows(cov.posyandu_activity(month), desa)
    stopped = drilldown.stopped_reporting(posyandu)
    assert _tab_labels(at) == [
        f"Desa ({fmt_int(len(desa))})",
        f"Pustu ({fmt_int(len(pustu))})",
        f"Posyandu ({fmt_int(len(posyandu))})",
        f"Berhenti lapor ({fmt_int(len(stopped))})",
    ]
    staff = dataframe_with_column(at, "Sesuai standar")
    assert staff["Pustu"].tolist() == pustu["nama"].tolist()
    assert staff["Sesuai standar"].tolist() == ["Ya" if v else "Tidak" for v in pustu["sesuai_standar"]]
    assert staff["Perawat"].tolist() == [int(v) for v in pustu["perawat"]]
    table = dataframe_with_column(at, "Laporan terakhir")
    assert table["Kode posyandu"].tolist() == posyandu["kode"].tolist()
    assert table["Bulan buka (12 bln terakhir)"].tolist() == posyandu["bulan_buka"].astype(int).tolist()


def test_priority_list_equals_the_engine_ranking(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    month = cov.latest_month
    counts = cov.working_areas["kode_puskesmas"].value_counts()
    table = cov.desa_table(month)
    gaps = table[table["status"] != "lengkap"]["kode_puskesmas"].value_counts()
    kode = str(gaps.index[0])
    at = run_page(PUSKESMAS_PAGE, {"puskesmas": kode})
    area = table[table["kode_puskesmas"] == kode]
    expected = rank_priorities(drilldown.with_penduduk(area, cov.dataset.desa))
    shown = dataframe_with_column(at, "Yang perlu dibenahi")
    assert len(shown) == len(expected) == gaps.iloc[0] and counts[kode] >= len(expected)
    assert shown["Desa"].tolist() == expected["nama_desa"].tolist()
    assert shown["No."].tolist() == list(range(1, len(expected) + 1))


def test_priority_order_on_a_tiny_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(PUSKESMAS_PAGE)
    assert metric_values(at)["Jumlah desa"] == "5"
    shown = dataframe_with_column(at, "Yang perlu dibenahi")
    assert tuple(shown["Desa"]) == TINY_PRIORITY
    assert shown["Yang perlu dibenahi"].tolist() == ["Pustu dan posyandu"] * 3 + ["Pustu aktif"]
    config = next(json.loads(f.proto.columns) for f in at.main.dataframe if "No." in f.value.columns)
    # "No." stays as narrow as its digits: pinned, since a stretched table widens every other column
    assert config["No."] == {"width": 52, "pinned": True, "type_config": {"type": "number", "format": "%d"}}
    assert config["Kesenjangan"]["width"] > config["Yang perlu dibenahi"]["width"] > config["No."]["width"]
    reasons = shown["Kesenjangan"].tolist()
    assert reasons[0].startswith("pustu aktif terdekat 4,0 km; 1 dari 1 posyandu tidak aktif")
    assert "belum ada posyandu" in reasons[1]
    assert reasons[2].startswith("pustu aktif terdekat 1,0 km; 2 dari 2 posyandu tidak aktif; 2.000 penduduk")


def test_english_labels(app_on_demo: Path) -> None:
    at = run_page(PUSKESMAS_PAGE, {"lang": "en"})
    assert at.selectbox(key="ilp_w_pilih_puskesmas").label == "Choose a puskesmas"
    assert "What to fix first" in texts(at.main.subheader)
    assert _tab_labels(at)[3].startswith("Stopped reporting (")


def test_tasikmalaya_largest_working_area(app_on_tasikmalaya: Path) -> None:
    cov = coverage_of(app_on_tasikmalaya)
    month = cov.latest_month
    counts = cov.working_areas["kode_puskesmas"].value_counts()
    kode, n_desa = str(counts.index[0]), int(counts.iloc[0])
    at = run_page(PUSKESMAS_PAGE, {"puskesmas": kode})
    assert metric_values(at)["Jumlah desa"] == fmt_int(n_desa)
    desa = drilldown.working_area_desa(cov.working_areas, kode)
    posyandu = drilldown.posyandu_rows(cov.posyandu_activity(month), desa)
    assert _tab_labels(at)[2] == f"Posyandu ({fmt_int(len(posyandu))})"
    assert t("pkm.sumber.tabel") in texts(at.main.caption)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {
                "status": "tanpa_keduanya",
                "jarak_pustu_km": NAN,
                "posyandu_total": 0,
                "posyandu_tidak_aktif": 0,
                "penduduk": 12345.0,
            },
            "belum ada pustu aktif di data; belum ada posyandu; 12.345 penduduk",
        ),
        (
            {
                "status": "tanpa_posyandu_aktif",
                "jarak_pustu_km": 0.0,
                "posyandu_total": 3,
                "posyandu_tidak_aktif": 3,
                "penduduk": NAN,
            },
            "3 dari 3 posyandu tidak aktif",
        ),
        (
            {
                "status": "tanpa_pustu",
                "jarak_pustu_km": 7.25,
                "posyandu_total": 2,
                "posyandu_tidak_aktif": 1,
                "penduduk": 800.0,
            },
            "pustu aktif terdekat 7,2 km; 800 penduduk",
        ),
    ],
)
def test_priority_reason_texts(row: dict[str, object], expected: str) -> None:
    assert priority_reason(row) == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [(["tabel"], "tabel"), (["turunan"] * 2, "turunan"), (["tabel", "turunan"], "campuran"), ([], None)],
)
def test_working_area_source(sources: list[str], expected: str | None) -> None:
    wa = pd.DataFrame({"kode_desa": [f"D{i}" for i in range(len(sources))], "kode_puskesmas": "P1", "sumber": sources})
    assert drilldown.working_area_source(wa, "P1") == expected
