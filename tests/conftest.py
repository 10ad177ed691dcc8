"""Shared fixtures of the Peta ILP test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.store import Store

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"


@pytest.fixture(scope="session")
def project_dir() -> Path:
    """The checkout's root folder (where cli.py lives)."""
    return PROJECT_DIR


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data {SHARED_DATA} is absent (CI puts shared/ beside the checkout)")
    return SHARED_DATA


@pytest.fixture
def tmp_store(tmp_path: Path) -> Store:
    """A store path in a fresh temporary folder (the file does not exist yet)."""
    return Store(tmp_path / "store" / "ilp.gpkg")


# -- shared by the AppTest page tests (Puskesmas, Desa, Data) -----------------------------------
TASIKMALAYA_IMPORTS = (
    ("boundaries", "boundaries/desa_32.06.geojson"),
    ("facilities", "fasilitas/fasilitas_32.06.xlsx"),
    ("working-areas", "fasilitas/wilayah_kerja_32.06.csv"),
    ("reports", "fasilitas/laporan_posyandu_32.06.csv"),
)


@pytest.fixture(scope="module")
def tasikmalaya_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kabupaten Tasikmalaya imported from ``../shared/data`` into a fresh store, once per module."""
    from loaders.importing import run_import

    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data {SHARED_DATA} is absent (CI puts shared/ beside the checkout)")
    path = tmp_path_factory.mktemp("tasikmalaya") / "ilp.gpkg"
    for kind, source in TASIKMALAYA_IMPORTS:
        run_import(kind, SHARED_DATA / source, store=Store(path))
    return path


@pytest.fixture
def app_on_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``ILP_STORE`` points at a missing file: the app shows the embedded demo; returns that store path."""
    path = tmp_path / "belum_ada" / "ilp.gpkg"
    monkeypatch.setenv("ILP_STORE", str(path))
    return path


@pytest.fixture
def app_buttons(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let AppTest deliver button clicks and form submits to the pages.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, so
    ``app.py`` (``ui.navigation.ensure_entrypoint``) leaves the legacy pages/
    mode with a rerun on EVERY test run, and that rerun drops the click. A
    real server does it once per process; this puts AppTest in that steady
    state.
    """
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.pages_manager import PagesManager

    class _SteadyPagesManager(PagesManager):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test_module, "PagesManager", _SteadyPagesManager)
