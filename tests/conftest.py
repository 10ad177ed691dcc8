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
