"""The Desa page end to end (AppTest): choice, status, distance, facilities, chart, quality notes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from page_support import DEMO, DESA_PAGE, coverage_of, metric_values, run_page, texts, tiny_store

from loaders.model import KELOMPOK_SIKLUS_HIDUP
from loaders.store import ChangeRecord
from ui import drilldown
from ui.activity_chart import group_label
from ui.drilldown_views import posyandu_styler
from ui.fmt import fmt_km
from ui.i18n import status_label, t
from ui.quality_table import DESA_FINDING_COLUMNS, findings_frame, with_places
from ui.table_format import plain_markdown

JARAK = "Jarak ke pustu aktif terdekat"


def _quality_table(at) -> pd.DataFrame:
    frames = [f.value for f in at.main.dataframe if "Keterangan" in f.value.columns and "Temuan" in f.value.columns]
    assert len(frames) == 1
    return frames[0]


def _desa_with_most_notes(cov) -> str:
    quality = cov.quality(cov.latest_month)
    codes = cov.desa_table(cov.latest_month)["kode_desa"]
    counts = {k: len(drilldown.desa_quality(quality, cov.facilities, k)) for k in codes}
    return max(counts, key=lambda k: (counts[k], k))


def test_no_desa_chosen_explains(app_on_demo: Path) -> None:
    at = run_page(DESA_PAGE)
    assert t("desap.none") in texts(at.main.info)
    assert at.selectbox(key="ilp_w_pilih_desa").value is None
    assert not at.main.metric


def test_desa_from_url_shows_status_distance_and_quality_notes(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    month = cov.latest_month
    kode = _desa_with_most_notes(cov)
    row = cov.desa_table(month).set_index("kode_desa").loc[kode]
    at = run_page(DESA_PAGE, {"desa": kode})
    assert at.selectbox(key="ilp_w_pilih_desa").value == kode
    cards = metric_values(at)
    assert f"Status: {status_label(row['status'])}" in texts(at.main.markdown)
    assert cards[JARAK] == fmt_km(row["jarak_pustu_km"])
    assert cards["Posyandu aktif / total"] == f"{row['posyandu_aktif']} / {row['posyandu_total']}"
    notes = drilldown.desa_quality(cov.quality(month), cov.facilities, kode)
    assert len(notes) >= 2
    assert t("desap.kualitas", n=len(notes)) in texts(at.main.subheader)
    shown = _quality_table(at)
    expected = findings_frame(with_places(notes, cov.dataset.desa), DESA_FINDING_COLUMNS)
    assert shown["Keterangan"].tolist() == expected["Keterangan"].tolist()
    assert list(shown.columns) == ["Tingkat", "Temuan", "Fasilitas", "Nama", "Keterangan"]


def test_chart_and_facility_tables(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    month = cov.latest_month
    table = cov.desa_table(month)
    kode = str(table.sort_values(["posyandu_total", "kode_desa"], ascending=[False, True])["kode_desa"].iloc[0])
    at = run_page(DESA_PAGE, {"desa": kode})
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    posyandu = drilldown.posyandu_rows(cov.posyandu_activity(month), [kode])
    assert t("desap.posyandu", n=len(posyandu)) in texts(at.main.subheader)
    shown = next(f.value for f in at.main.dataframe if "Laporan terakhir" in f.value.columns)
    assert shown["Posyandu"].tolist() == posyandu["nama"].tolist()
    assert list(shown.columns) == ["Posyandu", "Aktif", "Bulan buka", "Laporan terakhir"]
    assert shown["Bulan buka"].tolist() == posyandu["bulan_buka"].astype(int).tolist()  # shown as "n/12"
    monthly = drilldown.monthly_by_group(cov.posyandu_monthly(kode_desa=kode), months=cov.months)
    assert monthly["balita"].sum() > 0 and len(monthly) == len(cov.months)


def test_group_labels_are_the_model_labels() -> None:
    assert {g: group_label(g, lang="id") for g in KELOMPOK_SIKLUS_HIDUP} == KELOMPOK_SIKLUS_HIDUP
    assert group_label("lansia", lang="en") == "Older people"


def test_choosing_a_desa_updates_state_and_url(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    kode = str(cov.desa_table(cov.latest_month)["kode_desa"].iloc[5])
    at = run_page(DESA_PAGE)
    at.selectbox(key="ilp_w_pilih_desa").set_value(kode).run()
    assert not at.exception
    assert at.session_state["ilp_desa"] == kode
    assert at.query_params["desa"] == kode
    assert JARAK in metric_values(at)


def test_far_pustu_warns_with_the_rule_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    cov = coverage_of(store.path)
    row = cov.desa_table(cov.latest_month).set_index("kode_desa").loc["99.01.01.2005"]
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2005"})
    assert metric_values(at)[JARAK] == fmt_km(row["jarak_pustu_km"]) == "4,0 km"
    assert not at.main.warning  # 4 km is within the default 5 km
    at.session_state["ilp_rules"] = {"jarak_maks_pustu_km": 3.0}
    at.run()
    assert t("desap.jauh", jarak="4,0 km", maks="3,0 km") in texts(at.main.warning)
    assert t("desap.kualitas_none") in texts(at.main.success)


def test_no_active_pustu_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    fasilitas = store.read_fasilitas()
    fasilitas.loc[fasilitas["jenis"] == "pustu", "status"] = "tidak aktif"
    store.commit(layers={"fasilitas": fasilitas}, record=ChangeRecord(jenis_impor="fasilitas"))
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2001"})
    assert metric_values(at)[JARAK] == t("desap.jarak_none")
    assert ":yellow-badge[Status: Tanpa pustu aktif]" in texts(at.main.markdown)


def test_english_interface(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    kode = str(cov.desa_table(cov.latest_month)["kode_desa"].iloc[0])
    at = run_page(DESA_PAGE, {"desa": kode, "lang": "en"})
    assert "Distance to the nearest active pustu" in metric_values(at)
    assert "Posyandu activity per month" in texts(at.main.subheader)


def test_tasikmalaya_desa_with_planted_defects(app_on_tasikmalaya: Path) -> None:
    cov = coverage_of(app_on_tasikmalaya)
    month = cov.latest_month
    kode = _desa_with_most_notes(cov)
    notes = drilldown.desa_quality(cov.quality(month), cov.facilities, kode)
    row = cov.desa_table(month).set_index("kode_desa").loc[kode]
    at = run_page(DESA_PAGE, {"desa": kode})
    assert metric_values(at)[JARAK] == fmt_km(row["jarak_pustu_km"])
    assert len(_quality_table(at)) == len(notes) >= 1


# -- pure helpers of the Desa and Puskesmas pages -------------------------------------------------------
FACILITIES = pd.DataFrame(
    {
        "id_fasilitas": ["a", "b", "c", "d", "e"],
        "jenis": ["pustu", "pustu", "pustu", "posyandu", "pustu"],
        "kode": [None, None, None, "PSY-9", None],
        "nama": ["Pustu Satu", "Pustu Dua", "pustu satu ", "Posyandu Sembilan", "Pustu Lain"],
        "kode_desa": ["D1", "D1", "D1", "D9", "D2"],
        "kode_desa_final": ["D1", "D1", "D1", "D1", "D2"],
        "kode_puskesmas": [None] * 5,
        "status": ["aktif", "aktif", "aktif", "aktif", "tidak aktif"],
        "perawat": [1, 2, 1, None, 1],
        "bidan": [1, 0, 1, None, 1],
        # the engine's judgements (Coverage.facilities): "pustu satu " is "Pustu Satu" again, not counted
        "aktif": pd.array([True, True, True, pd.NA, False], dtype="boolean"),
        "dihitung": [True, True, False, True, True],
        "sesuai_standar": pd.array([True, False, True, pd.NA, False], dtype="boolean"),
    }
).astype({"perawat": "Int64", "bidan": "Int64", "kode": "string", "kode_desa": "string", "kode_desa_final": "string"})


def test_pustu_staffing_counts_each_pustu_once_with_the_standard() -> None:
    rows = drilldown.pustu_staffing(FACILITIES, ["D1", "D2"])
    assert rows["nama"].tolist() == ["Pustu Dua", "Pustu Satu", "Pustu Lain"]
    assert rows["sesuai_standar"].tolist() == [False, True, False]  # no bidan; ok; inactive
    assert rows["aktif"].tolist() == [True, True, False]
    assert rows["perawat"].tolist() == [2, 1, 1]


def test_desa_quality_by_desa_or_facility() -> None:
    quality = pd.DataFrame(
        {
            "jenis": ["berhenti_lapor", "tanpa_koordinat", "desa_tanpa_wilayah_kerja", "duplikat_kode"],
            "tingkat": ["sedang"] * 4,
            "jenis_fasilitas": ["posyandu", "pustu", None, "posyandu"],
            "subjek": ["PSY-9", "id:c", "D1", "PSY-7"],
            "nama": ["Posyandu Sembilan", "Pustu", None, "Lain"],
            "kode_desa": [None, None, "D1", "D3"],
            "pesan": ["p1", "p2", "p3", "p4"],
        }
    ).astype({"kode_desa": "string", "subjek": "string"})
    assert drilldown.desa_quality(quality, FACILITIES, "D1")["pesan"].tolist() == ["p1", "p2", "p3"]
    assert drilldown.desa_quality(quality, FACILITIES, "D9")["pesan"].tolist() == ["p1"]  # declared there
    assert drilldown.desa_quality(quality, FACILITIES, "D2").empty


def test_monthly_by_group_sums_per_month_with_missing_months() -> None:
    monthly = pd.DataFrame(
        {
            "kode_posyandu": ["A", "B", "A"],
            "bulan": ["2026-01", "2026-01", "2026-03"],
            "buka": pd.array([True, False, True], dtype="boolean"),
            **{g: pd.array([1, None, 5], dtype="Int64") for g in KELOMPOK_SIKLUS_HIDUP},
        }
    )
    table = drilldown.monthly_by_group(monthly, months=["2026-01", "2026-02", "2026-03"])
    assert table["bulan"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert table["posyandu_lapor"].tolist() == [2, 0, 1]
    assert table["posyandu_buka"].tolist() == [1, 0, 1]
    assert table["lansia"].tolist() == [1, 0, 5]


def test_presentation_mode_picker_above_a_tall_map_figures_beside_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json

    from ui.layout import PICKER_PX, PRESENTATION_MAP_HEIGHT

    store = tiny_store(tmp_path / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2005", "mode": "presentasi"})  # Desa E: pustu 4 km away
    picker = at.selectbox(key="ilp_w_pilih_desa")
    assert picker.value == "99.01.01.2005" and picker.proto.label_visibility.value == 2  # collapsed
    assert "Desa E" in texts(at.main.subheader)
    assert metric_values(at) == {"Pustu aktif": "0", "Posyandu aktif / total": "0 / 1", JARAK: fmt_km(4.0)}
    components = at.get("component_instance")
    assert len(components) == 1
    assert json.loads(components[0].proto.json_args)["height"] == PRESENTATION_MAP_HEIGHT - PICKER_PX
    assert not at.main.dataframe and not at.get("plotly_chart")


@pytest.mark.parametrize("page", ["pages/desa.py", "pages/puskesmas.py"])
def test_presentation_mode_shows_map_without_tables(app_on_demo: Path, page: str) -> None:
    cov = coverage_of(DEMO)
    kode = str(cov.desa_table(cov.latest_month)["kode_desa"].iloc[0])
    at = run_page(page, {"desa": kode, "mode": "presentasi"})
    assert not at.main.dataframe
    assert at.main.metric


def test_user_text_is_not_read_as_markup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    desa = store.read_desa()
    hostile = "Desa *Tebal* <script>alert(1)</script> [tautan](http://contoh)"
    desa.loc[desa["kode_desa"] == "99.01.01.2001", "nama_desa"] = hostile
    store.commit(layers={"desa": desa}, record=ChangeRecord(jenis_impor="batas"))
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2001"})
    assert plain_markdown(hostile) in [h.value for h in at.main.subheader]
    assert "\\<script\\>" in plain_markdown(hostile) and "\\[tautan\\]" in plain_markdown(hostile)


def test_compact_posyandu_table_shows_months_open_of_the_window() -> None:
    rows = pd.DataFrame(
        {
            "kode": ["PSY-1"],
            "nama": ["Posyandu Mawar"],
            "kode_desa": ["D1"],
            "desa": ["Desa Satu"],
            "aktif": [True],
            "bulan_buka": [10],
            "lapor_bulan_ini": [False],
            "laporan_terakhir": ["2026-09"],
            "berhenti_lapor": [False],
            "belum_melapor": [False],
        }
    )
    html = posyandu_styler(rows, jendela=12, compact=True).to_html()
    assert ">10/12<" in html and ">Sep 2026<" in html and ">Ya<" in html and "PSY-1" not in html
    assert "Lapor bulan ini" not in html  # the last report month already says it; the table fits half a page
    full = posyandu_styler(rows, jendela=12).to_html()
    assert "Bulan buka (12 bln terakhir)" in full and "PSY-1" in full and "Desa Satu" in full


def _map_args(at) -> dict:
    """streamlit-folium's component arguments of the one map on the page."""
    import json

    components = at.get("component_instance")
    assert len(components) == 1
    return json.loads(components[0].proto.json_args)


def _map_script(at) -> str:
    """The Leaflet script of the one folium map on the page (streamlit-folium's component arguments)."""
    return _map_args(at)["script"]


def test_desa_map_is_the_shell_status_map_fitted_to_desa_and_puskesmas(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2003"})  # Desa C; its puskesmas stands in Desa A, 2 km west
    args = _map_args(at)
    script = args["script"]
    # the one map runtime of every page (collapsed layer switch, legend bottom-right), every facility layer on
    assert script.count("window.ilpPeta = {") == 1 and script.count('"code":"pustu","label":"Pustu","on":true') == 1
    assert '"on":false' not in script
    # this desa only, its facilities and its puskesmas as this run's values (applied in place)
    assert '"v":{"99.01.01.2003":' in args["feature_group"] and '"puskesmas":[[' in args["feature_group"]
    # fitted to Desa C's box AND the puskesmas (lon 108.0045), with room at every edge
    assert "L.latLngBounds([[-7.7, 108.0045], [-7.691, 108.027]])" in script
    assert "var pad = 50;" in script
    assert "var free = 175;" in script  # the legend's strip, as on the shell's status map


def test_posyandu_of_a_kabupaten_without_reports_is_not_reported_yet_not_inactive() -> None:
    rows = pd.DataFrame(
        {
            "kode": ["PSY-1", "PSY-2"],
            "nama": ["Posyandu Mawar", "Posyandu Melati"],
            "kode_desa": ["D1", "D1"],
            "desa": ["Desa Satu", "Desa Satu"],
            "aktif": [False, False],
            "bulan_buka": [0, 3],
            "lapor_bulan_ini": [False, True],
            "laporan_terakhir": [None, "2026-10"],
            "berhenti_lapor": [False, False],
            "belum_melapor": [True, False],
        }
    )
    shown = posyandu_styler(rows, jendela=12, compact=True).data
    assert shown.iloc[:, 1].tolist() == ["Belum melapor", "Tidak"]  # the "Aktif" column
