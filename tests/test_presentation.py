"""Presentation mode's filter bar (ui.presentation): on every page, live, in the URL; Ringkasan keeps its charts.

Run through the whole app (``app.py``) with ``mode=presentasi`` on a user store written by the demo
generator; the cards are compared with the engine's indicators of the desa the filters select.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import DATA_PAGE, DESA_PAGE, PETA_PAGE, PUSKESMAS_PAGE, assert_no_exception, coverage_of, run_page
from streamlit.testing.v1 import AppTest

from geo import statuses
from geo.engine import Coverage
from ui import presentation
from ui.fmt import fmt_int, fmt_pct
from ui.i18n import status_label, t

PRESENTASI = {"mode": "presentasi"}
FILTER_KEYS = (presentation.W_KECAMATAN, presentation.W_PUSKESMAS, presentation.W_STATUS, presentation.W_BULAN)
PAGES_WITH_FILTERS = (None, PETA_PAGE, PUSKESMAS_PAGE, DESA_PAGE)


@pytest.fixture(scope="module")
def engine(user_store_path: Path) -> Coverage:
    return coverage_of(user_store_path)


def _kecamatan(engine: Coverage) -> tuple[str, str]:
    """The kecamatan with most desa (ties: lowest code) and the one after it in code order."""
    table = engine.desa_table(engine.latest_month)
    sizes = table.groupby(table["kode_kecamatan"].astype(str)).size()
    ranked = sorted(sizes.index, key=lambda k: (-sizes[k], k))
    return ranked[0], ranked[1]


def _desa_of(engine: Coverage, kecamatan: str) -> list[str]:
    table = engine.desa_table(engine.latest_month)
    return sorted(table.loc[table["kode_kecamatan"].astype(str) == kecamatan, "kode_desa"].astype(str))


def _expected_cards(engine: Coverage, month: str, codes: list[str] | None) -> dict[str, str]:
    """The key card texts the engine gives for these desa (None: every desa) in ``month``."""
    row = engine.indicators(month, by="kabupaten", kode_desa=codes).iloc[0]
    return {
        t("metric.desa", lang="id"): fmt_int(row["desa"]),
        t("metric.desa_tanpa_keduanya", lang="id"): fmt_int(row["desa_tanpa_keduanya"]),
        t("metric.pct_desa_pustu_aktif", lang="id"): fmt_pct(row["pct_desa_pustu_aktif"]),
        t("metric.pct_desa_posyandu_aktif", lang="id"): fmt_pct(row["pct_desa_posyandu_aktif"]),
    }


def _cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def _bar_keys(at: AppTest) -> set[str]:
    keys = {w.key for w in at.main.selectbox} | {b.key for b in at.main.button}
    return keys | {w.key for w in at.get("button_group")}


# -- present on every page ----------------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES_WITH_FILTERS)
def test_filter_bar_on_every_page(user_store: Path, page: str | None) -> None:
    at = run_page(page, PRESENTASI)
    keys = _bar_keys(at)
    wanted = {*FILTER_KEYS, presentation.W_HALAMAN, presentation.PREV_KEY, presentation.NEXT_KEY}
    assert wanted <= keys, wanted - keys
    assert "Keluar dari mode presentasi" in [b.label for b in at.main.button]
    halaman = at.get("button_group")
    assert [w.key for w in halaman].count(presentation.W_HALAMAN) == 1
    assert 'id="ilp-panah-bulan"' in "".join(h.proto.body for h in at.get("html"))  # the arrow keys' script


def test_data_page_bar_switches_pages_only(user_store: Path) -> None:
    at = run_page(DATA_PAGE, PRESENTASI)
    keys = _bar_keys(at)
    assert presentation.W_HALAMAN in keys and "ilp_exit_presentasi" in keys
    assert not set(FILTER_KEYS) & keys


def test_no_bar_outside_presentation_mode(user_store: Path) -> None:
    at = run_page(None)
    assert presentation.W_HALAMAN not in _bar_keys(at)
    assert presentation.W_KECAMATAN not in _bar_keys(at)


# -- live filters ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", [None, PETA_PAGE])
def test_kecamatan_changes_cards_and_url(
    user_store: Path, app_buttons: None, engine: Coverage, page: str | None
) -> None:
    at = run_page(page, PRESENTASI)
    month = engine.latest_month
    assert _cards(at) == _expected_cards(engine, month, None)
    first, second = _kecamatan(engine)
    for kode in (first, second):
        at.selectbox(key=presentation.W_KECAMATAN).set_value(kode).run()
        assert_no_exception(at)
        assert _cards(at) == _expected_cards(engine, month, _desa_of(engine, kode))
        assert at.query_params["kecamatan"] == kode and at.query_params["mode"] == "presentasi"
        assert at.session_state["ilp_kecamatan"] == [kode]  # the one view state: the sidebar's widget agrees
    at.selectbox(key=presentation.W_KECAMATAN).set_value("").run()
    assert _cards(at) == _expected_cards(engine, month, None)
    assert "kecamatan" not in at.query_params


def test_puskesmas_and_status_filter_the_cards(user_store: Path, app_buttons: None, engine: Coverage) -> None:
    at = run_page(None, PRESENTASI)
    month = engine.latest_month
    table = engine.desa_table(month)
    puskesmas = sorted(table["kode_puskesmas"].dropna().astype(str).unique())[0]
    at.selectbox(key=presentation.W_PUSKESMAS).set_value(puskesmas).run()
    served = table[table["kode_puskesmas"].astype(str) == puskesmas]
    assert _cards(at) == _expected_cards(engine, month, sorted(served["kode_desa"].astype(str)))
    assert at.query_params["puskesmas"] == puskesmas
    at.selectbox(key=presentation.W_PUSKESMAS).set_value("").run()
    at.selectbox(key=presentation.W_STATUS).set_value("tanpa_pustu").run()
    chosen = table[table["status"].astype(str) == "tanpa_pustu"]
    assert _cards(at) == _expected_cards(engine, month, sorted(chosen["kode_desa"].astype(str)))
    assert at.query_params["status"] == "tanpa_pustu" and "puskesmas" not in at.query_params


def test_kecamatan_lets_go_of_a_puskesmas_serving_none_of_it(
    user_store: Path, app_buttons: None, engine: Coverage
) -> None:
    """Choosing a kecamatan the chosen puskesmas does not serve must not leave an empty view."""
    table = engine.desa_table(engine.latest_month)
    first, _ = _kecamatan(engine)
    elsewhere = table[table["kode_kecamatan"].astype(str) != first]
    serving_first = set(table.loc[table["kode_kecamatan"].astype(str) == first, "kode_puskesmas"].dropna().astype(str))
    outside = sorted(set(elsewhere["kode_puskesmas"].dropna().astype(str)) - serving_first)[0]
    at = run_page(None, {**PRESENTASI, "puskesmas": outside})
    at.selectbox(key=presentation.W_KECAMATAN).set_value(first).run()
    assert at.query_params["kecamatan"] == first and "puskesmas" not in at.query_params
    assert _cards(at) == _expected_cards(engine, engine.latest_month, _desa_of(engine, first))


def test_several_kecamatan_from_the_url_are_kept(user_store: Path, app_buttons: None, engine: Coverage) -> None:
    first, second = _kecamatan(engine)
    both = ",".join(sorted((first, second)))
    at = run_page(None, {**PRESENTASI, "kecamatan": both})
    box = at.selectbox(key=presentation.W_KECAMATAN)
    assert box.value == presentation.SEVERAL and box.format_func(box.value) == "2 kecamatan"
    at.selectbox(key=presentation.W_BULAN).set_value(engine.months[0]).run()  # another filter: the two stay
    assert at.query_params["kecamatan"] == both
    assert _cards(at) == _expected_cards(engine, engine.months[0], _desa_of(engine, first) + _desa_of(engine, second))


# -- month -------------------------------------------------------------------------------------------------------
def test_month_buttons_step_through_report_months(user_store: Path, app_buttons: None, engine: Coverage) -> None:
    months = list(engine.months)
    at = run_page(None, PRESENTASI)
    assert at.query_params["bulan"] == months[-1]
    assert at.button(key=presentation.NEXT_KEY).disabled  # the latest month: nothing after it
    for expected in (months[-2], months[-3]):
        at.button(key=presentation.PREV_KEY).click().run()
        assert at.query_params["bulan"] == expected
        assert at.selectbox(key=presentation.W_BULAN).value == expected
        assert at.session_state["ilp_bulan"] == expected
        assert _cards(at) == _expected_cards(engine, expected, None)
    at.button(key=presentation.NEXT_KEY).click().run()
    assert at.query_params["bulan"] == months[-2]
    at.selectbox(key=presentation.W_BULAN).set_value(months[0]).run()
    assert at.query_params["bulan"] == months[0]
    assert at.button(key=presentation.PREV_KEY).disabled and not at.button(key=presentation.NEXT_KEY).disabled


# -- pages -----------------------------------------------------------------------------------------------------
def test_page_switch_keeps_filters(user_store: Path, app_buttons: None, engine: Coverage) -> None:
    first, _ = _kecamatan(engine)
    at = run_page(None, PRESENTASI)
    at.selectbox(key=presentation.W_KECAMATAN).set_value(first).run()
    at.button_group(key=presentation.W_HALAMAN).set_value("peta").run()
    assert_no_exception(at)
    assert at.main.title[0].value == t("peta.title", lang="id")
    assert at.button_group(key=presentation.W_HALAMAN).value == "peta"
    assert at.query_params["kecamatan"] == first and at.query_params["mode"] == "presentasi"
    assert _cards(at) == _expected_cards(engine, engine.latest_month, _desa_of(engine, first))
    at.button_group(key=presentation.W_HALAMAN).set_value("data").run()
    assert at.main.title[0].value == t("page.data", lang="id")
    assert at.session_state["ilp_kecamatan"] == [first]


def test_exit_button_leaves_the_mode(user_store: Path, app_buttons: None) -> None:
    at = run_page(PETA_PAGE, PRESENTASI)
    at.button(key="ilp_exit_presentasi").click().run()
    assert "mode" not in at.query_params
    assert presentation.W_KECAMATAN not in _bar_keys(at)
    assert at.sidebar.multiselect(key="ilp_kecamatan") is not None


# -- Ringkasan keeps its charts ---------------------------------------------------------------------------------
def test_ringkasan_presentation_has_bars_and_trend(user_store: Path, engine: Coverage) -> None:
    at = run_page(None, PRESENTASI)
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the gap bars and the trend
    kinds = [_figure_types(c) for c in charts]
    assert {"bar"} == kinds[0] and "scatter" in kinds[1]
    assert len(at.main.metric) == 4
    assert t("ringkasan.trend", lang="id") in [s.value for s in at.main.subheader]


def _figure_types(chart: object) -> set[str]:
    import json

    spec = json.loads(chart.proto.spec)  # type: ignore[attr-defined]
    return {trace.get("type", "scatter") for trace in spec["data"]}


def test_ringkasan_bars_follow_the_month(user_store: Path, app_buttons: None, engine: Coverage) -> None:
    """The bars count the desa per status and kecamatan of the chosen month (◀: the month before the latest)."""
    import json

    at = run_page(None, PRESENTASI)
    at.button(key=presentation.PREV_KEY).click().run()
    month = engine.months[-2]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    rows = engine.indicators(month, by="kecamatan").set_index("nama")
    traces = [trace for trace in spec["data"] if trace.get("y")]
    assert len(traces) == len(statuses.STATUSES) and traces[0]["y"]
    for entry, trace in zip(statuses.STATUSES, traces, strict=True):
        assert trace["name"] == status_label(entry.code, lang="id")
        expected = {name: int(rows.loc[name, entry.count_column]) for name in trace["y"]}
        assert dict(zip(trace["y"], trace["x"], strict=True)) == expected, entry.code


def test_puskesmas_page_takes_a_puskesmas_serving_the_kecamatan(
    user_store: Path, app_buttons: None, engine: Coverage
) -> None:
    """From a kecamatan view to the Puskesmas page and back: never a puskesmas that empties the view."""
    month = engine.latest_month
    table = engine.desa_table(month)
    kode = _kecamatan(engine)[1]
    in_kecamatan = table[table["kode_kecamatan"].astype(str) == kode]
    serving = set(in_kecamatan["kode_puskesmas"].dropna().astype(str))
    at = run_page(None, PRESENTASI)
    at.selectbox(key=presentation.W_KECAMATAN).set_value(kode).run()
    at.button_group(key=presentation.W_HALAMAN).set_value("puskesmas").run()
    assert_no_exception(at)
    chosen = at.query_params["puskesmas"]
    assert chosen in serving and at.query_params["kecamatan"] == kode
    at.button_group(key=presentation.W_HALAMAN).set_value("ringkasan").run()
    both = in_kecamatan[in_kecamatan["kode_puskesmas"].astype(str) == chosen]
    assert _cards(at) == _expected_cards(engine, month, sorted(both["kode_desa"].astype(str)))
