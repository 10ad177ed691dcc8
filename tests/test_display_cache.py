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


def test_round_trip_and_other_fingerprints_removed(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    store = tmp_path / "ilp.gpkg"
    assert display_cache.read_units(store, fingerprint="aaa", level="kabupaten") is None
    assert display_cache.write_units(store, units, fingerprint="aaa", level="kabupaten")
    assert display_cache.write_units(store, units, fingerprint="aaa", level="provinsi")
    assert_geodataframe_equal(display_cache.read_units(store, fingerprint="aaa", level="kabupaten"), units)
    assert display_cache.read_units(store, fingerprint="bbb", level="kabupaten") is None  # other desa
    assert display_cache.write_units(store, units, fingerprint="bbb", level="kabupaten")
    names = sorted(p.name for p in display_cache.cache_dir(store).iterdir())
    assert names == ["bbb-kabupaten.parquet"]  # the old desa's files are gone, no partial left
    assert not display_cache.write_units(store, units, fingerprint="", level="kabupaten")  # unreadable store


def test_fingerprint_follows_the_desa_layer_only(small_store) -> None:
    """Facilities or reports imported later keep the fingerprint; another desa name changes it."""
    from loaders import model
    from loaders.store import ChangeRecord

    store = small_store
    first = display_cache.desa_fingerprint(store.path)
    assert len(first) == display_cache.FINGERPRINT_CHARS
    facilities = store.read_fasilitas()
    store.commit(layers={model.LAYER_FASILITAS: facilities.iloc[:-1]}, record=ChangeRecord(jenis_impor="fasilitas"))
    assert display_cache.desa_fingerprint(store.path) == first
    desa = store.read_desa()
    desa.loc[0, "nama_desa"] = "Nama Baru"
    store.commit(layers={model.LAYER_DESA: desa}, record=ChangeRecord(jenis_impor="batas"))
    assert display_cache.desa_fingerprint(store.path) not in ("", first)
    assert display_cache.desa_fingerprint(store.path.with_name("tidak_ada.gpkg")) == ""


def test_damaged_file_is_prepared_again(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    store = tmp_path / "ilp.gpkg"
    folder = display_cache.cache_dir(store)
    folder.mkdir()
    (folder / "aaa-kabupaten.parquet").write_bytes(b"not parquet")
    assert display_cache.read_units(store, fingerprint="aaa", level="kabupaten") is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_not_an_error(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert display_cache.write_units(folder / "ilp.gpkg", units, fingerprint="a", level="kabupaten") is False
    finally:
        folder.chmod(0o755)


def test_unwritable_cache_path_is_not_an_error(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    store = tmp_path / "ilp.gpkg"
    display_cache.cache_dir(store).write_text("a file where the folder should be")
    assert display_cache.write_units(store, units, fingerprint="a", level="kabupaten") is False
