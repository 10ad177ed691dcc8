"""The Streamlit app end to end with AppTest: Ringkasan and Peta Kesenjangan, URL state, modes.

Stores: the embedded demo (``ILP_STORE`` pointing at a missing file), a user
store written by the demo generator with another seed, a store without
reports, and Kabupaten Tasikmalaya imported from ``../shared/data`` once per
session (skipped when absent); the shared ones are fixtures of
``tests/conftest.py``, and every page runs through ``page_support.run_page``.
Expected figures come straight from the engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from page_support import DEMO, PETA_PAGE, coverage_of, run_page, texts
from streamlit.testing.v1 import AppTest

import ui.data
from geo.engine import Coverage
from geo.rules import Rules
from loaders import model
from loaders.dataset import read_dataset
from loaders.store import ChangeRecord, Store
from ui.fmt import fmt_delta, fmt_int, fmt_pct, previous_month
from ui.state import ViewState, serialise

CARD_COLUMNS = (
    ("desa", False),
    ("pct_desa_pustu_aktif", True),
    ("pct_pustu_standar", True),
    ("pct_desa_posyandu_aktif", True),
    ("desa_tanpa_keduanya", False),
    ("pct_posyandu_aktif", True),
    ("pct_kelengkapan_laporan", True),
)
GAP_LABELS = [
    "Desa",
    "Status",
    "Kecamatan",
    "Puskesmas",
    "Pustu aktif",
    "Tenaga lengkap",
    "Posyandu aktif",
    "Jarak pustu",
]
STATUS_LABELS = [  # palette.STATUS_ORDER
    "Tanpa keduanya",
    "Tanpa pustu aktif",
    "Tanpa posyandu aktif",
    "Lengkap",
    "Belum ada data",
]


# -- helpers -----------------------------------------------------------------------------
def filtered(cov: Coverage, month: str, *, kecamatan=(), status=()) -> list[str]:
    table = cov.desa_table(month)
    keep = pd.Series(True, index=table.index)
    if kecamatan:
        keep &= table["kode_kecamatan"].isin(list(kecamatan))
    if status:
        keep &= table["status"].isin(list(status))
    return table.loc[keep, "kode_desa"].astype(str).tolist()


def expected_cards(
    cov: Coverage, month: str, kode_desa: list[str] | None, *, kode_before: list[str] | None = None
) -> list[tuple[str, str | None]]:
    """(value, delta) of each card from Coverage.indicators(month, by='kabupaten', kode_desa=...).

    The delta compares with the previous month under the same filters
    (``kode_before``: the desa the filters select in that month; default the same desa).
    """
    row = cov.indicators(month, by="kabupaten", kode_desa=kode_desa).iloc[0]
    before = previous_month(month, cov.months)
    chosen_before = kode_desa if kode_before is None else kode_before
    prev = cov.indicators(before, by="kabupaten", kode_desa=chosen_before).iloc[0] if before else None
    cards = []
    for column, percent in CARD_COLUMNS:
        change = None if prev is None else row[column] - prev[column]
        if percent:
            cards.append((fmt_pct(row[column]), fmt_delta(change, decimals=1, unit="poin")))
        else:
            cards.append((fmt_int(row[column]), fmt_delta(change)))
    return cards


def shown_cards(at: AppTest) -> list[tuple[str, str | None]]:
    return [(m.value, m.delta or None) for m in at.main.metric]


# -- Ringkasan -----------------------------------------------------------------------------
def test_ringkasan_cards_equal_engine_figures_on_demo(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    at = run_page()
    assert [m.label for m in at.main.metric] == [
        "Jumlah desa",
        "Desa dengan pustu aktif",
        "Pustu dengan tenaga lengkap",
        "Desa dengan posyandu aktif",
        "Desa tanpa keduanya",
        "Posyandu aktif",
        "Kelengkapan laporan",
    ]
    assert shown_cards(at) == expected_cards(cov, cov.latest_month, None)
    assert at.session_state["ilp_bulan"] == cov.latest_month
    assert at.query_params == {"bulan": cov.latest_month}
    assert "Data contoh (sintetis)" in texts(at.main.markdown)  # page label
    assert "Data contoh (sintetis)" in texts(at.sidebar.markdown)  # sidebar badge
    assert len(at.get("plotly_chart")) == 2  # gap bars and trend


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_ringkasan_top_gap_bars_then_all_and_blank_trend_months(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    by_kecamatan = cov.indicators(cov.latest_month, by="kecamatan")
    assert len(by_kecamatan) == 15 and cov.months[0] == "2025-01"
    at = run_page()
    bars, trend = _figures(at)
    assert [trace["name"] for trace in bars["data"]] == STATUS_LABELS  # stacked and listed like the map legend
    gaps = (by_kecamatan["desa"] - by_kecamatan["desa_lengkap"]).sort_values(ascending=False)
    assert len(bars["data"][0]["y"]) == 10  # as many as fit beside the map
    assert min(gaps.iloc[:10]) >= max(gaps.iloc[10:])  # ... those with most gaps
    captions = texts(at.main.caption)
    assert "10 dari 15 kecamatan dengan desa berkesenjangan terbanyak." in captions
    assert "Perubahan dibanding September 2026 dengan filter yang sama." in captions  # in the scope line
    # trend: the posyandu-window lines are blank while the 12-month window reaches before Jan 2025
    lines = {trace["name"]: trace["y"] for trace in trend["data"]}
    for name in ("Desa dengan posyandu aktif", "Posyandu aktif"):
        assert lines[name][:11] == [None] * 11 and None not in lines[name][11:]
    assert None not in lines["Desa dengan pustu aktif"] and None not in lines["Kelengkapan laporan"]
    assert (
        "Posyandu aktif dan desa dengan posyandu aktif dikosongkan untuk Jan 2025–Nov 2025: "
        "jendela 12 bulan belum lengkap (laporan baru ada sejak Januari 2025)."
    ) in captions

    at.toggle(key="ringkasan_bar_semua").set_value(True).run()
    bars, _ = _figures(at)
    assert len(bars["data"][0]["y"]) == 15
    assert "Semua 15 kecamatan, diurutkan dari desa berkesenjangan terbanyak" in texts(at.main.caption)


def test_url_filters_give_session_state_and_engine_figures(user_store: Path) -> None:
    cov = coverage_of(user_store)
    month = cov.months[-3]
    kecamatan = sorted(cov.desa_table(month)["kode_kecamatan"].astype(str).unique())[:3]
    status = ["tanpa_pustu", "lengkap"]
    query = {"kecamatan": ",".join(kecamatan), "status": ",".join(status), "bulan": month, "kelompok": "puskesmas"}
    at = run_page(query=query)
    assert at.session_state["ilp_kecamatan"] == kecamatan
    assert at.session_state["ilp_status"] == status
    assert at.session_state["ilp_bulan"] == month
    assert at.session_state["ilp_kelompok"] == "puskesmas"
    assert at.query_params == query
    kode = filtered(cov, month, kecamatan=kecamatan, status=status)
    assert 0 < len(kode) < len(cov.desa_table(month))
    assert shown_cards(at)[0][0] == fmt_int(len(kode))
    assert [value for value, _ in shown_cards(at)] == [v for v, _ in expected_cards(cov, month, kode)]
    assert "Data contoh (sintetis)" not in texts(at.main.markdown)
    assert "Versi data 1" in texts(at.sidebar.caption)


def test_state_survives_reruns_and_page_switch(user_store: Path) -> None:
    state = ViewState(kecamatan=("99.01.02",), status=("tanpa_pustu", "tanpa_keduanya"), bulan="2026-09")
    at = run_page(query=serialise(state))
    at.run()
    assert at.query_params == serialise(state)
    at.switch_page(PETA_PAGE).run()
    assert not at.exception
    assert at.query_params == serialise(state)
    assert at.session_state["ilp_status"] == ["tanpa_pustu", "tanpa_keduanya"]
    assert at.main.title[0].value == "Peta Kesenjangan"


def test_deltas_compare_with_previous_month_under_same_filters(user_store: Path) -> None:
    cov = coverage_of(user_store)
    month = cov.latest_month
    before = previous_month(month, cov.months)
    now_desa = filtered(cov, month, status=["tanpa_pustu"])
    before_desa = filtered(cov, before, status=["tanpa_pustu"])
    assert len(now_desa) != len(before_desa)  # the status filter selects other desa last month
    at = run_page(query={"status": "tanpa_pustu"})
    assert shown_cards(at) == expected_cards(cov, month, now_desa, kode_before=before_desa)
    assert shown_cards(at)[0] == (fmt_int(len(now_desa)), fmt_delta(len(now_desa) - len(before_desa)))


def test_bad_url_parameters_are_listed_not_fatal(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    kecamatan = str(cov.desa_table(cov.latest_month)["kode_kecamatan"].iloc[0])
    at = run_page(query={"foo": "bar", "bulan": "2026-13", "kecamatan": f"{kecamatan},99.99.99", "status": "rusak"})
    warning = texts(at.warning)
    assert "diabaikan" in warning
    for fragment in ("`foo`", "`bulan=2026-13`", "`kecamatan=99.99.99`", "`status=rusak`"):
        assert fragment in warning
    assert at.session_state["ilp_kecamatan"] == [kecamatan]
    assert at.session_state["ilp_bulan"] == cov.latest_month
    assert at.query_params == {"kecamatan": kecamatan, "bulan": cov.latest_month}
    assert len(at.main.metric) == len(CARD_COLUMNS)


def test_rules_in_url_give_the_engine_figures_under_those_rules(app_on_demo: Path) -> None:
    strict = Coverage(read_dataset(Store(DEMO)), rules=Rules(posyandu_min_bulan=9))
    month = strict.latest_month
    default_cards = expected_cards(coverage_of(DEMO), month, None)
    at = run_page(query={"min_bulan": "9"})
    assert shown_cards(at) == expected_cards(strict, month, None)
    assert shown_cards(at) != default_cards  # the rule changes the figures on this data
    assert at.session_state["ilp_rules"] == {"posyandu_min_bulan": 9}
    assert at.query_params == {"bulan": month, "min_bulan": "9"}  # written back, defaults left out
    assert "aturan: Minimal bulan buka 9" in texts(at.main.caption)  # the scope line says so
    assert not at.warning
    at.switch_page(PETA_PAGE).run()
    assert at.query_params == {"bulan": month, "min_bulan": "9"}
    assert "aturan: Minimal bulan buka 9" in texts(at.main.caption)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    form = {n.label: n.value for n in at.main.number_input}
    assert form["Minimal bulan buka"] == 9 and form["Jendela (bulan)"] == 12


def test_contradicting_rules_in_url_are_ignored_with_a_note(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    at = run_page(query={"min_bulan": "11", "jendela": "6", "jarak_km": "abc", "pkm_pustu": "1"})
    warning = texts(at.warning)
    assert "`min_bulan=11` tidak dipakai: minimal bulan buka posyandu" in warning
    assert "`jendela=6` tidak dipakai" in warning
    assert "`jarak_km=abc` tidak sah" in warning
    assert at.session_state["ilp_rules"] == {"puskesmas_sebagai_pustu": True}
    assert at.query_params == {"bulan": cov.latest_month, "pkm_pustu": "1"}
    with_pkm = Coverage(read_dataset(Store(DEMO)), rules=Rules(puskesmas_sebagai_pustu=True))
    assert shown_cards(at) == expected_cards(with_pkm, cov.latest_month, None)


def test_unknown_desa_in_url_is_dropped_with_a_note(app_on_demo: Path) -> None:
    at = run_page(PETA_PAGE, {"desa": "99.99.99.9999"})
    assert "`desa=99.99.99.9999` tidak ada di data" in texts(at.warning)
    assert at.session_state["ilp_desa"] is None


def test_filter_matching_nothing_is_explained(user_store: Path) -> None:
    cov = coverage_of(user_store)
    table = cov.desa_table(cov.latest_month)
    counts = table.groupby("kode_kecamatan")["status"].apply(lambda s: (s == "tanpa_keduanya").sum())
    empty_kecamatan = str(counts[counts == 0].index[0])
    query = {"kecamatan": empty_kecamatan, "status": "tanpa_keduanya"}
    for page in (None, PETA_PAGE):
        at = run_page(page, query)
        assert "Tidak ada desa yang cocok dengan filter ini." in texts(at.info)
        assert len(at.main.metric) == 0
        assert "Hapus filter" in [b.label for b in at.main.button]


def test_no_data_at_all(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ILP_STORE", str(tmp_path / "a" / "ilp.gpkg"))
    monkeypatch.setattr(ui.data, "DEMO_STORE", tmp_path / "b" / "demo.gpkg")
    for page in (None, PETA_PAGE):
        at = run_page(page)
        assert "Belum ada data" in texts(at.info)
        assert len(at.sidebar.multiselect) == 0
        assert len(at.main.metric) == 0


def test_store_without_reports(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "batas" / "ilp.gpkg"
    Store(path).commit(layers={model.LAYER_DESA: Store(DEMO).read_desa()}, record=ChangeRecord(jenis_impor="batas"))
    monkeypatch.setenv("ILP_STORE", str(path))
    for page in (None, PETA_PAGE):
        at = run_page(page)
        assert "Belum ada laporan bulanan posyandu" in texts(at.info)
        assert at.session_state["ilp_bulan"] is None


# -- Peta Kesenjangan --------------------------------------------------------------------------
def test_peta_table_lists_the_gap_desa(user_store: Path) -> None:
    cov = coverage_of(user_store)
    month = cov.latest_month
    kecamatan = sorted(cov.desa_table(month)["kode_kecamatan"].astype(str).unique())[:4]
    at = run_page(PETA_PAGE, {"kecamatan": ",".join(kecamatan)})
    table = cov.desa_table(month)
    table = table[table["kode_kecamatan"].isin(kecamatan)]
    gaps = table[table["status"] != "lengkap"]
    shown = at.main.dataframe[0].value
    assert list(shown.columns) == GAP_LABELS
    assert len(shown) == len(gaps) > 0
    assert sorted(shown["Desa"].astype(str)) == sorted(gaps["nama_desa"].astype(str))
    assert set(shown["Status"]) <= {"Tanpa pustu aktif", "Tanpa posyandu aktif", "Tanpa keduanya"}
    assert f"{len(gaps)} dari {len(table)} desa memiliki kesenjangan" in texts(at.main.caption)
    assert "Data contoh (sintetis)" not in texts(at.main.markdown)


def test_peta_on_demo_shows_label(app_on_demo: Path) -> None:
    at = run_page(PETA_PAGE)
    assert at.main.title[0].value == "Peta Kesenjangan"
    assert "Data contoh (sintetis)" in texts(at.main.markdown)
    assert len(at.main.dataframe) == 1


# -- modes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("page", "cards", "charts"), [(None, 4, 2), (PETA_PAGE, 4, 0)])
def test_presentation_mode_hides_sidebar_and_controls(
    app_on_demo: Path, page: str | None, cards: int, charts: int
) -> None:
    at = run_page(page, {"mode": "presentasi"})
    css = "".join(h.proto.body for h in at.get("html"))
    assert 'id="ilp-presentasi"' in css
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    assert at.session_state["ilp_presentasi"] is True
    assert at.query_params["mode"] == "presentasi"
    assert len(at.main.metric) == cards  # key indicators only
    assert len(at.main.dataframe) == 0  # no table: the cards beside a tall map (tests/test_presentation.py)
    assert len(at.get("plotly_chart")) == charts  # Ringkasan keeps its gap bars and trend
    assert "Keluar dari mode presentasi" in [b.label for b in at.main.button]


def test_normal_mode_has_no_presentation_css(app_on_demo: Path) -> None:
    at = run_page()
    assert all("ilp-presentasi" not in h.proto.body for h in at.get("html"))


def test_english_interface(app_on_demo: Path) -> None:
    at = run_page(query={"lang": "en"})
    assert at.main.title[0].value == "Overview"
    assert at.main.metric[1].label == "Desa with an active pustu"
    assert "Sample data (synthetic)" in texts(at.main.markdown)
    at.switch_page(PETA_PAGE).run()
    assert at.main.title[0].value == "Gap Map"
    assert "Status" in list(at.main.dataframe[0].value.columns)
    assert at.query_params["lang"] == "en"


# -- real district ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_tasikmalaya_cards_and_map_page(app_on_tasikmalaya: Path) -> None:
    cov = coverage_of(app_on_tasikmalaya)
    month = cov.latest_month
    kecamatan = ["32.06.01", "32.06.02"]
    at = run_page()
    assert shown_cards(at) == expected_cards(cov, month, None)
    assert shown_cards(at)[0][0] == "351"
    at = run_page(query={"kecamatan": ",".join(kecamatan)})
    assert shown_cards(at) == expected_cards(cov, month, filtered(cov, month, kecamatan=kecamatan))
    at.switch_page(PETA_PAGE).run()
    assert not at.exception
    gaps = [k for k in filtered(cov, month, kecamatan=kecamatan) if k]
    table = cov.desa_table(month)
    n_gaps = int((table[table["kode_desa"].isin(gaps)]["status"] != "lengkap").sum())
    assert len(at.main.dataframe[0].value) == n_gaps
