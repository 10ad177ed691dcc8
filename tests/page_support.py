"""Helpers of the AppTest tests of every page (not a test module).

``run_page`` starts the whole app (``app.py``, as a browser would) with
optional URL parameters and switches to a page; every AppTest test runs its
pages through it. ``coverage_of`` gives the engine's figures for a store, and
``tiny_store`` writes a five-desa store whose priority order is known by
construction. The stores themselves (demo, user, Tasikmalaya) are fixtures
of ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box
from streamlit.testing.v1 import AppTest

from geo.engine import Coverage
from loaders import model
from loaders.dataset import read_dataset
from loaders.store import ChangeRecord, Store

PROJECT: Final = Path(__file__).resolve().parents[1]
APP: Final = str(PROJECT / "app.py")
DEMO: Final = PROJECT / "data" / "demo.gpkg"
TIMEOUT: Final = 120
PETA_PAGE: Final = "pages/peta.py"
PUSKESMAS_PAGE: Final = "pages/puskesmas.py"
DESA_PAGE: Final = "pages/desa.py"
DATA_PAGE: Final = "pages/data.py"


def run_page(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """Run ``app.py`` with ``query`` in the URL, then switch to ``page``; fail on any exception box.

    ``page=None`` stays on the page ``app.py`` opens (Ringkasan), as a browser at the bare address does.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    """No Streamlit exception box on the page."""
    assert not at.exception, [e.message for e in at.exception]


def coverage_of(path: Path) -> Coverage:
    """The engine on the store at ``path`` (default rules)."""
    return Coverage(read_dataset(Store(path)))


def texts(elements: Iterable[object]) -> str:
    """All values of some AppTest elements, one per line."""
    return "\n".join(str(getattr(e, "value", "")) for e in elements)


def metric_values(at: AppTest) -> dict[str, str]:
    """Label -> value of every ``st.metric`` on the page."""
    return {m.label: m.value for m in at.main.metric}


def dataframe_with_column(at: AppTest, label: str) -> pd.DataFrame:
    """The first ``st.dataframe`` whose (styled) table has a column ``label``."""
    for frame in at.main.dataframe:
        value = frame.value
        if label in value.columns:
            return value
    raise AssertionError(f"no table with column {label!r}")


# -- a tiny store with a known priority order -------------------------------------------------------
# Five 1 km-wide desa in a row, one puskesmas and one active pustu in desa A.
#   A: pustu + active posyandu              -> lengkap
#   B: 2 inactive posyandu, pustu 1 km away  -> tanpa_keduanya
#   C: no posyandu, pustu 2 km away          -> tanpa_keduanya
#   D: active posyandu, pustu 3 km away      -> tanpa_pustu
#   E: 1 inactive posyandu, pustu 4 km away  -> tanpa_keduanya
# Priority: E, C, B (class 1, farthest pustu first), then D.
TINY_MONTHS: Final = tuple(f"2026-{m:02d}" for m in range(1, 11))
TINY_PRIORITY: Final = ("Desa E", "Desa C", "Desa B", "Desa D")
_STEP: Final = 0.009  # degrees, ~1 km at 7.7 S


def tiny_store(path: Path) -> Store:
    """Write the five-desa store described above at ``path``."""
    names = "ABCDE"
    desa = gpd.GeoDataFrame(
        {
            "kode_desa": [f"99.01.01.200{i + 1}" for i in range(5)],
            "nama_desa": [f"Desa {n}" for n in names],
            "jenis": "desa",
            "kode_kecamatan": "99.01.01",
            "nama_kecamatan": "Kecamatan Kecil",
            "kode_kabupaten": "99.01",
            "nama_kabupaten": "Kabupaten Kecil",
            "kode_provinsi": "99",
            "nama_provinsi": "Provinsi Uji",
            "penduduk": [1000, 2000, 3000, 4000, 500],
            "sistem_kode": "kemendagri",
        },
        geometry=[box(108.0 + i * _STEP, -7.70, 108.0 + (i + 1) * _STEP, -7.691) for i in range(5)],
        crs=model.CRS,
    )
    centre = [(108.0 + (i + 0.5) * _STEP, -7.6955) for i in range(5)]
    rows = [
        _facility("pkm", model.PUSKESMAS, "P9901010101", "Puskesmas Kecil", 0, centre),
        _facility("pustu", model.PUSTU, None, "Pustu A", 0, centre, perawat=1, bidan=1),
        _facility("psy-a", model.POSYANDU, "PSY-A", "Posyandu A", 0, centre),
        _facility("psy-b1", model.POSYANDU, "PSY-B1", "Posyandu B1", 1, centre),
        _facility("psy-b2", model.POSYANDU, "PSY-B2", "Posyandu B2", 1, centre, dx=0.001),
        _facility("psy-d", model.POSYANDU, "PSY-D", "Posyandu D", 3, centre),
        _facility("psy-e", model.POSYANDU, "PSY-E", "Posyandu E", 4, centre),
    ]
    fasilitas = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=model.CRS)
    active = {"PSY-A", "PSY-D"}
    laporan = pd.DataFrame(
        [
            {"kode_posyandu": kode, "bulan": month, "buka": kode in active, "balita": 10, "lansia": 5}
            for kode in ("PSY-A", "PSY-B1", "PSY-B2", "PSY-D", "PSY-E")
            for month in TINY_MONTHS
        ]
    )
    store = Store(path)
    store.commit(
        layers={model.LAYER_DESA: desa, model.LAYER_FASILITAS: fasilitas, model.LAYER_LAPORAN: laporan},
        record=ChangeRecord(jenis_impor="demo", keterangan="toko uji kecil"),
    )
    return store


def _facility(
    ident: str,
    jenis: str,
    kode: str | None,
    nama: str,
    desa: int,
    centre: list[tuple[float, float]],
    *,
    perawat: int | None = None,
    bidan: int | None = None,
    dx: float = 0.0,
) -> dict[str, object]:
    lon, lat = centre[desa]
    return {
        "id_fasilitas": ident,
        "jenis": jenis,
        "kode": kode,
        "nama": nama,
        "kode_desa": f"99.01.01.200{desa + 1}",
        "kode_puskesmas": "P9901010101",
        "lat": lat,
        "lon": lon + dx,
        "status": model.AKTIF,
        "perawat": perawat,
        "bidan": bidan,
        "geometry": Point(lon + dx, lat),
    }


def assert_data_page_refuses(case: tuple, *, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upload the hostile file of ``case`` (name, kind, make, fragment) on the Data page: a message, no exception.

    The error box names the file and carries the case's message fragment, no
    save button is offered, and the store's bytes are unchanged.
    """
    import tempfile

    from loaders.store import file_sha256

    folder = tmp_path / "unggahan"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    _, kind, make, fragment = case
    hostile = make(tmp_path)
    store = tiny_store(tmp_path / "ilp.gpkg")
    before = file_sha256(store.path)
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DATA_PAGE)
    at.segmented_control(key="ilp_w_impor_jenis").set_value(kind).run()
    at.file_uploader[0].set_value((hostile.name, hostile.read_bytes(), "application/octet-stream")).run()
    assert_no_exception(at)
    errors = texts(at.main.error)
    assert errors.startswith("Berkas tidak dapat diimpor: "), errors
    assert hostile.name in errors and fragment in errors, errors
    assert not [b for b in at.main.button if b.key == "ilp_imp_simpan"]
    assert file_sha256(store.path) == before
