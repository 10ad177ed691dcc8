"""Shared fixtures of the Peta ILP test suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest
from browser_support import RequestGuard, Server, browser_missing, guarded_context, launch_chromium, store_server
from reference_districts import district_files

from loaders.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

    from ui.exports import ExportRequest

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


# -- stores shared by the AppTest page tests and the browser tests ------------------------------
TASIKMALAYA: Final = "32.06"  # Kabupaten Tasikmalaya: 351 desa in 39 kecamatan


@pytest.fixture(scope="session")
def tasikmalaya_store_path(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kabupaten Tasikmalaya imported from ``../shared/data`` into a fresh store, once per test session.

    The files and their order are those of :func:`reference_districts.district_files`.
    Read only: a test that writes takes :func:`tasikmalaya_copy` instead.
    """
    from loaders.importing import run_import

    store = Store(tmp_path_factory.mktemp("tasikmalaya") / "ilp.gpkg")
    for kind, source in district_files(shared_data, TASIKMALAYA):
        run_import(kind, source, store=store)
    return store.path


@pytest.fixture(scope="session")
def tasikmalaya_export(tasikmalaya_store_path: Path) -> ExportRequest:
    """Every desa of the Tasikmalaya store in 2026-10 as one export (what ``cli.py export`` renders with no filter)."""
    from geo.engine import Coverage
    from loaders.dataset import read_dataset
    from ui.exports import ExportRequest

    cov = Coverage(read_dataset(Store(tasikmalaya_store_path)))
    return ExportRequest(
        coverage=cov,
        month="2026-10",
        kode_desa=tuple(cov.desa_places()["kode_desa"]),
        area="Kabupaten Tasikmalaya",
        rules=cov.rules,
        data_version="versi data 4",
    )


@pytest.fixture
def app_on_tasikmalaya(monkeypatch: pytest.MonkeyPatch, tasikmalaya_store_path: Path) -> Path:
    """``ILP_STORE`` points at the session's Tasikmalaya store (read only); returns its path."""
    monkeypatch.setenv("ILP_STORE", str(tasikmalaya_store_path))
    return tasikmalaya_store_path


@pytest.fixture
def tasikmalaya_copy(tasikmalaya_store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the session's Tasikmalaya store (the ``.gpkg`` and its ``.versi`` snapshots), to write to."""
    source = Store(tasikmalaya_store_path)
    copy = Store(tmp_path / "tasikmalaya" / "ilp.gpkg")
    copy.path.parent.mkdir(parents=True)
    shutil.copy2(source.path, copy.path)
    shutil.copytree(source.snapshot_dir, copy.snapshot_dir)
    return copy.path


@pytest.fixture(scope="session")
def user_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user store written by the demo generator with another seed than the embedded demo (read only)."""
    from loaders.demo import write_demo

    path = tmp_path_factory.mktemp("pengguna") / "ilp.gpkg"
    write_demo(Store(path), seed=11)
    return path


@pytest.fixture
def user_store(monkeypatch: pytest.MonkeyPatch, user_store_path: Path) -> Path:
    """``ILP_STORE`` points at :func:`user_store_path`; returns that path."""
    monkeypatch.setenv("ILP_STORE", str(user_store_path))
    return user_store_path


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


# -- the browser tests (test_browser.py, test_browser_injection.py) --------------------------------
@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip without Chromium/Playwright, but fail on CI (CI=true), which must run the browser tests."""
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"browser test cannot run on CI: {reason}")
    pytest.skip(f"browser test skipped: {reason}")


@pytest.fixture(scope="session")
def browser(browser_available: None) -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright's bundled driver (no browser download)."""
    with launch_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def guard() -> RequestGuard:
    """Every request leaving localhost, over the whole test module."""
    return RequestGuard()


@pytest.fixture(scope="session")
def tasikmalaya_server(
    browser_available: None, tasikmalaya_store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``streamlit run app.py`` on the session's Tasikmalaya store (read only), shared by the browser modules."""
    with store_server(PROJECT_DIR, tasikmalaya_store_path, tmp_path_factory.mktemp("tasikmalaya_server")) as running:
        yield running


@pytest.fixture(scope="module")
def tasikmalaya_context(browser: Browser, tasikmalaya_server: Server, guard: RequestGuard) -> Iterator[BrowserContext]:
    """A fresh browser context of the module (1280x720, Indonesian locale), every request through ``guard``."""
    ctx = guarded_context(browser, guard)
    yield ctx
    ctx.close()


# -- a small store with desa, one posyandu and one report month (the tabular bad-input tests) -------------
@pytest.fixture(scope="session")
def small_store_template(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Built once: three desa, posyandu PSY-1 and its report for 2026-10 (data version 3)."""
    from tabular_fixtures import small_store

    return small_store(tmp_path_factory.mktemp("small_store"))


@pytest.fixture
def small_store(small_store_template: Store, tmp_path: Path) -> Store:
    """A private copy of :func:`small_store_template` (file and version snapshots)."""
    import shutil

    folder = tmp_path / "store"
    shutil.copytree(small_store_template.path.parent, folder)
    store = Store(folder / small_store_template.path.name)
    assert store.version() == 3
    return store
