"""One address, every page: the filters in the URL give the same view state on all five pages.

The level and scope (provinsi, kabupaten, kecamatan) are part of the address too: a link to a
provinsi or a kecamatan opens that scope on whatever page it lands on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import coverage_of, run_page
from streamlit.testing.v1 import AppTest

from ui.scope import scope_level
from ui.state import ViewState

PAGES = ("pages/ringkasan.py", "pages/peta.py", "pages/puskesmas.py", "pages/desa.py", "pages/data.py")
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
