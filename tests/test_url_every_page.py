"""One address, every page: the filters in the URL give the same view state on all five pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import coverage_of, run_page

PAGES = ("pages/ringkasan.py", "pages/peta.py", "pages/puskesmas.py", "pages/desa.py", "pages/data.py")


@pytest.fixture(scope="module")
def query(user_store_path: Path) -> dict[str, str]:
    cov = coverage_of(user_store_path)
    month = cov.months[-2]
    table = cov.desa_table(month)
    kecamatan = sorted(table["kode_kecamatan"].astype(str).unique())[:2]
    puskesmas = sorted(table.loc[table["kode_kecamatan"].isin(kecamatan), "kode_puskesmas"].dropna().astype(str))[0]
    return {
        "kecamatan": ",".join(kecamatan),
        "puskesmas": puskesmas,
        "status": "tanpa_pustu,tanpa_keduanya",
        "bulan": month,
    }


@pytest.mark.parametrize("page", PAGES)
def test_same_url_same_state_on_every_page(page: str, query: dict[str, str], user_store: Path) -> None:
    at = run_page(page, query)
    assert not at.exception
    assert at.session_state["ilp_kecamatan"] == query["kecamatan"].split(",")
    assert at.session_state["ilp_puskesmas"] == query["puskesmas"]
    assert at.session_state["ilp_status"] == query["status"].split(",")
    assert at.session_state["ilp_bulan"] == query["bulan"]
    shown = {key: at.query_params[key] for key in query}
    assert shown == query
