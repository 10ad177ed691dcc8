"""One address, every page: the filters in the URL give the same view state on every page.

The level and scope (provinsi, kabupaten, kecamatan) are part of the address too: a link to a
provinsi or a kecamatan opens that scope on whatever page it lands on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import coverage_of, run_page
from streamlit.testing.v1 import AppTest

from ui.navigation import PAGE_FILES
from ui.scope import scope_level
from ui.state import ViewState

PAGES = tuple(PAGE_FILES.values())  # every page of the navigation, Bandingkan included
# URL key -> session-state key of the sidebar widget
SESSION_KEYS = {
    "provinsi": "ilp_provinsi",
    "kabupaten": "ilp_kabupaten",
    "kecamatan": "ilp_kecamatan",
    "puskesmas": "ilp_puskesmas",
    "status": "ilp_status",
    "bulan": "ilp_bulan",
}
MULTI = ("kecamatan", "status")
AREA_KEYS = ("provinsi", "kabupaten", "kecamatan")  # not puskesmas: the Puskesmas page's picker chooses one


@pytest.fixture(scope="module")
def query(user_store_path: Path) -> dict[str, str]:
    cov = coverage_of(user_store_path)
    month = cov.months[-2]
    table = cov.desa_table(month)
    kecamatan = sorted(table["kode_kecamatan"].astype(str).unique())[:2]
    puskesmas = sorted(table.loc[table["kode_kecamatan"].isin(kecamatan), "kode_puskesmas"].dropna().astype(str))[0]
    return {
        "provinsi": str(table["kode_provinsi"].iloc[0]),
        "kabupaten": str(table["kode_kabupaten"].iloc[0]),
        "kecamatan": ",".join(kecamatan),
        "puskesmas": puskesmas,
        "status": "tanpa_pustu,tanpa_keduanya",
        "bulan": month,
    }


def _session_value(key: str, value: str) -> str | list[str]:
    return value.split(",") if key in MULTI else value


def _area(at: AppTest) -> ViewState:
    """The area filters the page ran with (its session state)."""
    ss = at.session_state
    return ViewState(
        provinsi=ss[SESSION_KEYS["provinsi"]] or None,
        kabupaten=ss[SESSION_KEYS["kabupaten"]] or None,
        kecamatan=tuple(ss[SESSION_KEYS["kecamatan"]]),
    )


@pytest.mark.parametrize("page", PAGES)
def test_same_url_same_state_on_every_page(page: str, query: dict[str, str], user_store: Path) -> None:
    at = run_page(page, query)
    assert not at.exception
    for key, value in query.items():
        assert at.session_state[SESSION_KEYS[key]] == _session_value(key, value), key
    shown = {key: at.query_params[key] for key in query}
    assert shown == query
    assert list(shown)[:3] == ["provinsi", "kabupaten", "kecamatan"]  # the address lists the area top down


@pytest.mark.parametrize("level", ["provinsi", "kabupaten", "kecamatan"])
@pytest.mark.parametrize("page", PAGES)
def test_level_and_scope_survive_on_every_page(page: str, level: str, query: dict[str, str], user_store: Path) -> None:
    """Each level alone in the address (the other filters absent) is the scope on every page, and stays in the URL."""
    alone = {level: query[level].split(",")[0]}
    at = run_page(page, alone)
    for key in AREA_KEYS:
        expected = _session_value(key, alone[key]) if key in alone else ([] if key in MULTI else "")
        assert at.session_state[SESSION_KEYS[key]] == expected, key
    filters = {key: at.query_params[key] for key in at.query_params if key in AREA_KEYS}
    assert filters == alone
    assert scope_level(_area(at)) == level


# -- the provinsi box: only when the data holds more than one provinsi ------------------------------
def _sidebar_boxes(at: AppTest) -> dict[str, list[object]]:
    return {box.label: list(box.options) for box in at.sidebar.selectbox}


def test_one_provinsi_store_has_no_provinsi_box(user_store: Path) -> None:
    at = run_page()
    assert "Provinsi" not in _sidebar_boxes(at)
    assert "Kabupaten/kota" in _sidebar_boxes(at)


@pytest.fixture
def two_provinsi_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The five-desa tiny store with its last two desa moved to a second provinsi (98, one kabupaten)."""
    from page_support import tiny_store

    from loaders import model
    from loaders.dataset import read_dataset
    from loaders.store import ChangeRecord

    store = tiny_store(tmp_path / "dua" / "ilp.gpkg")
    desa = read_dataset(store).desa.copy()
    moved = desa.index[-2:]
    desa.loc[moved, "kode_desa"] = ["98.01.01.2004", "98.01.01.2005"]
    desa.loc[moved, ["kode_kecamatan", "nama_kecamatan"]] = ["98.01.01", "Kecamatan Seberang"]
    desa.loc[moved, ["kode_kabupaten", "nama_kabupaten"]] = ["98.01", "Kabupaten Seberang"]
    desa.loc[moved, ["kode_provinsi", "nama_provinsi"]] = ["98", "Provinsi Seberang"]
    store.commit(layers={model.LAYER_DESA: desa}, record=ChangeRecord(jenis_impor="demo", keterangan="dua provinsi"))
    monkeypatch.setenv("ILP_STORE", str(store.path))
    return store.path


def test_two_provinsi_store_has_a_provinsi_box_that_limits_the_kabupaten(two_provinsi_store: Path) -> None:
    at = run_page()
    boxes = _sidebar_boxes(at)
    assert boxes["Provinsi"] == ["Semua provinsi", "Provinsi Seberang", "Provinsi Uji"]  # by name
    assert boxes["Kabupaten/kota"] == ["Semua kabupaten/kota", "Kabupaten Kecil", "Kabupaten Seberang"]
    at = run_page(None, {"provinsi": "98"})
    boxes = _sidebar_boxes(at)
    assert at.session_state["ilp_provinsi"] == "98"
    assert boxes["Kabupaten/kota"] == ["Semua kabupaten/kota", "Kabupaten Seberang"]
    assert at.query_params["provinsi"] == "98"
    assert at.main.metric[0].value == "2"  # the cards count the provinsi's two desa


def test_kabupaten_outside_the_provinsi_is_dropped_with_a_note(two_provinsi_store: Path) -> None:
    at = run_page(None, {"provinsi": "98", "kabupaten": "99.01"})
    assert at.session_state["ilp_provinsi"] == "98"
    assert at.session_state["ilp_kabupaten"] == ""
    assert "kabupaten" not in at.query_params
    assert "99.01" in "\n".join(str(w.value) for w in (*at.main.warning, *at.main.info, *at.main.markdown))
