"""The maps' disk cache of prepared units (loaders/display_cache.py)."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import box

from loaders import display_cache


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kode": ["32.06", "32.07"], "nama": ["Tasikmalaya", "Ciamis"], "kode_induk": ["32", "32"], "desa": [351, 265]},
        geometry=[box(108.0, -7.8, 108.4, -7.0), box(108.4, -7.8, 108.8, -7.0)],
        crs="EPSG:4326",
    )


def test_round_trip_and_other_versions_removed(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    store = tmp_path / "ilp.gpkg"
    assert display_cache.read_units(store, version=1, stamp=10, level="kabupaten") is None
    assert display_cache.write_units(store, units, version=1, stamp=10, level="kabupaten")
    assert display_cache.write_units(store, units, version=1, stamp=10, level="provinsi")
    assert_geodataframe_equal(display_cache.read_units(store, version=1, stamp=10, level="kabupaten"), units)
    assert display_cache.read_units(store, version=2, stamp=10, level="kabupaten") is None  # another version
    assert display_cache.write_units(store, units, version=2, stamp=11, level="kabupaten")
    names = sorted(p.name for p in display_cache.cache_dir(store).iterdir())
    assert names == ["v2-11-kabupaten.parquet"]  # version 1's files are gone, no partial left


def test_damaged_file_is_prepared_again(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    store = tmp_path / "ilp.gpkg"
    folder = display_cache.cache_dir(store)
    folder.mkdir()
    (folder / "v1-10-kabupaten.parquet").write_bytes(b"not parquet")
    assert display_cache.read_units(store, version=1, stamp=10, level="kabupaten") is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_not_an_error(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert display_cache.write_units(folder / "ilp.gpkg", units, version=1, stamp=1, level="kabupaten") is False
    finally:
        folder.chmod(0o755)


def test_unwritable_cache_path_is_not_an_error(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    store = tmp_path / "ilp.gpkg"
    display_cache.cache_dir(store).write_text("a file where the folder should be")
    assert display_cache.write_units(store, units, version=1, stamp=1, level="kabupaten") is False
