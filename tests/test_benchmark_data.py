"""The national benchmark's data generator at a tiny scale: sizes, shapes, codes, geometry, determinism."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from benchmarks import coverage_scale as cs
from benchmarks import national_data as nd
from loaders import model

LAYERS = {
    "desa": model.LAYER_DESA,
    "fasilitas": model.LAYER_FASILITAS,
    "laporan": model.LAYER_LAPORAN,
    "wilayah_kerja": model.LAYER_WILAYAH_KERJA,
    "catatan": model.LAYER_CATATAN,
}


@pytest.fixture(scope="module")
def data() -> nd.NationalData:
    return nd.generate(nd.NationalSpec(kabupaten=3, seed=7))


@pytest.fixture(scope="module")
def data_wk() -> nd.NationalData:
    return nd.generate(nd.NationalSpec(kabupaten=20, seed=11, wilayah_kerja=True))


@pytest.mark.parametrize(
    ("scale", "kabupaten", "desa", "laporan", "provinsi"),
    [
        (1.0, 500, 83_000, 3_600_000, 38),
        (0.1, 50, 8_300, 360_000, 4),
        (0.0001, 1, 166, 7_200, 1),
    ],
)
def test_spec_sizes(scale: float, kabupaten: int, desa: int, laporan: int, provinsi: int) -> None:
    spec = nd.spec_for(scale, seed=1)
    assert (spec.kabupaten, spec.desa, spec.laporan, spec.provinsi) == (kabupaten, desa, laporan, provinsi)


def test_spec_rejects_zero_scale() -> None:
    with pytest.raises(ValueError, match="scale harus lebih dari 0"):
        nd.spec_for(0)


def test_spec_key_changes_with_inputs() -> None:
    specs = [nd.NationalSpec(3, 1), nd.NationalSpec(3, 2), nd.NationalSpec(4, 1), nd.NationalSpec(3, 1, True)]
    keys = {spec.key for spec in specs}
    assert len(keys) == 4


@pytest.mark.parametrize(
    ("last", "count", "expected"),
    [
        ("2026-10", 12, ["2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 11)]),
        ("2026-01", 3, ["2025-11", "2025-12", "2026-01"]),
        ("2025-12", 1, ["2025-12"]),
    ],
)
def test_months_ending(last: str, count: int, expected: list[str]) -> None:
    assert nd.months_ending(last, count) == expected


def test_layers_have_canonical_columns_and_dtypes(data: nd.NationalData) -> None:
    for name, layer in LAYERS.items():
        frame = getattr(data, name)
        expected = list(model.SCHEMAS[layer]) + (["geometry"] if layer in model.SPATIAL_LAYERS else [])
        assert list(frame.columns) == expected, name
        assert {c: str(frame[c].dtype) for c in model.SCHEMAS[layer]} == model.SCHEMAS[layer], name
    assert isinstance(data.desa, gpd.GeoDataFrame) and data.desa.crs == model.CRS
    assert isinstance(data.fasilitas, gpd.GeoDataFrame) and data.fasilitas.crs == model.CRS
    assert data.wilayah_kerja.empty and data.catatan.empty


def test_sizes(data: nd.NationalData) -> None:
    assert len(data.desa) == 3 * 166
    assert data.desa["kode_kecamatan"].nunique() == 3 * 14
    assert data.desa["kode_kabupaten"].nunique() == 3
    assert data.desa.groupby("kode_kecamatan").size().between(11, 12).all()
    assert data.fasilitas["jenis"].value_counts().to_dict() == {"posyandu": 1800, "pustu": 162, "puskesmas": 60}
    assert len(data.laporan) == 1800 * 12
    per_posyandu = data.laporan.groupby("kode_posyandu").size()
    assert len(per_posyandu) == 1800 and (per_posyandu == 12).all()
    assert sorted(data.laporan["bulan"].unique()) == nd.months_ending("2026-10", 12)


def test_codes_are_kemendagri_shaped_and_consistent(data: nd.NationalData) -> None:
    desa = data.desa
    kode = desa["kode_desa"].tolist()
    assert all(model.normalise_kode_desa(k) == k for k in kode)
    assert desa["kode_desa"].is_unique
    assert [model.kode_kecamatan_of(k) for k in kode] == desa["kode_kecamatan"].tolist()
    assert [model.kode_kabupaten_of(k) for k in kode] == desa["kode_kabupaten"].tolist()
    assert [model.kode_provinsi_of(k) for k in kode] == desa["kode_provinsi"].tolist()
    assert [model.jenis_from_kode(k) for k in kode] == desa["jenis"].tolist()
    assert set(desa["nama_provinsi"]) == {"Aceh"} and set(desa["kode_provinsi"]) == {"11"}
    posyandu = data.fasilitas[data.fasilitas["jenis"] == model.POSYANDU]
    assert posyandu["kode"].is_unique and posyandu["kode"].str.fullmatch(r"Y\d{13}").all()
    assert data.fasilitas["id_fasilitas"].is_unique
    assert set(data.laporan["kode_posyandu"]) == set(posyandu["kode"])


def test_polygons_tile_without_gaps_or_overlaps(data: nd.NationalData) -> None:
    geoms = np.asarray(data.desa.geometry.values, dtype=object)
    assert set(shapely.get_type_id(geoms)) == {6}  # MultiPolygon
    assert shapely.is_valid(geoms).all()
    vertices = shapely.get_num_coordinates(geoms)
    assert vertices.min() >= 17 and vertices.max() <= 57 and 30 <= vertices.mean() <= 44
    union = shapely.union_all(geoms)
    assert shapely.area(geoms).sum() == pytest.approx(union.area, rel=1e-9)  # no overlaps
    assert union.geom_type == "Polygon"  # kabupaten blocks are contiguous
    assert len(union.interiors) == 0  # no holes


def test_every_point_lies_in_exactly_one_desa(data: nd.NationalData) -> None:
    fas = data.fasilitas
    points = np.asarray(fas.geometry.values, dtype=object)
    has_point = ~shapely.is_missing(points)
    assert (fas["lat"].notna().to_numpy() == has_point).all()
    pairs = shapely.STRtree(np.asarray(data.desa.geometry.values, dtype=object)).query(
        points[has_point], predicate="intersects"
    )
    assert np.bincount(pairs[0], minlength=has_point.sum()).tolist() == [1] * int(has_point.sum())
    located = data.desa["kode_desa"].to_numpy(dtype=object)[pairs[1][np.argsort(pairs[0])]]
    declared = fas["kode_desa"].to_numpy(dtype=object, na_value=None)[has_point]
    matches = pd.Series([d == loc for d, loc in zip(declared, located, strict=True) if d is not None])
    assert 0.97 <= matches.mean() < 1.0  # a few posyandu declare another desa
    assert ((~has_point) & fas["kode_desa"].isna().to_numpy()).sum() == 0  # no point -> always declared


def test_declared_and_coordinate_shares(data: nd.NationalData) -> None:
    fas = data.fasilitas
    declared = fas.groupby("jenis")["kode_desa"].apply(lambda s: s.notna().mean())
    assert 0.86 <= declared["posyandu"] <= 0.95
    assert 0.85 <= declared["pustu"] <= 0.98
    assert 0.88 <= declared["puskesmas"] <= 1.0
    pustu = fas[fas["jenis"] == model.PUSTU]
    assert pustu["kode"].isna().all() and pustu["kode_desa"].dropna().is_unique  # at most one pustu per desa
    assert set(pustu["status"]) == {model.AKTIF, model.TIDAK_AKTIF}


def test_reports_are_plausible(data: nd.NationalData) -> None:
    lap = data.laporan
    assert 0.75 <= lap["buka"].mean() <= 0.95
    closed = lap[~lap["buka"]]
    assert (closed[list(model.KELOMPOK_SIKLUS_HIDUP)].sum().sum()) == 0 and (closed["kader_hadir"] == 0).all()
    open_months = lap.groupby("kode_posyandu")["buka"].sum()
    assert 0.45 <= (open_months >= 10).mean() <= 0.9  # a mix of active and inactive posyandu


def test_generation_is_deterministic(data: nd.NationalData) -> None:
    again = nd.generate(nd.NationalSpec(kabupaten=3, seed=7))
    assert_geodataframe_equal(again.desa, data.desa)
    assert_geodataframe_equal(again.fasilitas, data.fasilitas)
    assert_frame_equal(again.laporan, data.laporan)
    other = nd.generate(nd.NationalSpec(kabupaten=3, seed=8))
    assert other.desa["kode_kecamatan"].tolist() == data.desa["kode_kecamatan"].tolist()  # layout is fixed
    assert other.desa["kode_desa"].tolist() != data.desa["kode_desa"].tolist()  # kelurahan are drawn
    assert not other.desa.geometry.geom_equals(data.desa.geometry).all()
    assert not other.laporan["buka"].equals(data.laporan["buka"])


def test_given_working_areas(data_wk: nd.NationalData) -> None:
    wk = data_wk.wilayah_kerja
    assert len(wk) % 166 == 0 and 0 < len(wk) < len(data_wk.desa)
    assert {c: str(wk[c].dtype) for c in wk.columns} == model.SCHEMAS[model.LAYER_WILAYAH_KERJA]
    puskesmas = data_wk.fasilitas[data_wk.fasilitas["jenis"] == model.PUSKESMAS]
    assert set(wk["kode_puskesmas"]) <= set(puskesmas["kode"])
    # each desa's puskesmas is the first one of its own kecamatan: P + kecamatan digits + 0101
    assert (wk["kode_puskesmas"] == "P" + wk["kode_desa"].str[:8].str.replace(".", "") + "0101").all()


def test_kabupaten_subset(data: nd.NationalData) -> None:
    kode = data.desa["kode_kabupaten"].iloc[200]
    sub = nd.kabupaten_subset(data, kode)
    assert len(sub.desa) == 166 and set(sub.desa["kode_kabupaten"]) == {kode}
    assert sub.fasilitas["jenis"].value_counts().to_dict() == {"posyandu": 600, "pustu": 54, "puskesmas": 20}
    assert len(sub.laporan) == 600 * 12
    assert set(sub.laporan["kode_posyandu"]) == set(sub.fasilitas.loc[sub.fasilitas["jenis"] == "posyandu", "kode"])


def test_save_load_round_trip(data: nd.NationalData, tmp_path: Path) -> None:
    spec = nd.NationalSpec(kabupaten=3, seed=7)
    assert not nd.is_cached(tmp_path / spec.key)
    nd.save(data, tmp_path / spec.key)
    loaded, source = nd.load_or_generate(spec, cache_root=tmp_path)
    assert source == "cache"
    assert_geodataframe_equal(loaded.desa, data.desa)
    assert_geodataframe_equal(loaded.fasilitas, data.fasilitas)
    assert_frame_equal(loaded.laporan, data.laporan)
    assert_frame_equal(loaded.wilayah_kerja, data.wilayah_kerja)


def test_floor_matches_the_generated_truth(data: nd.NationalData) -> None:
    located, months_open = cs.floor(data, "2026-10")
    has_point = data.fasilitas["lat"].notna().to_numpy()
    assert (located[has_point] >= 0).all() and (located[~has_point] == -1).all()
    expected = data.laporan.groupby("kode_posyandu")["buka"].sum()
    assert months_open.sort_index().astype(int).tolist() == expected.sort_index().astype(int).tolist()


def test_verdicts() -> None:
    fast = [{"seconds": 1.0, "peak_bytes": 1 * cs.GB, "base_bytes": 0}]
    slow = [{"seconds": 3.0, "peak_bytes": 5 * cs.GB, "base_bytes": 0}]
    kab = [{"seconds": 0.1, "peak_bytes": 0, "base_bytes": 0}]
    lines = cs._verdicts(fast, slow, kab)
    assert "NOT MET  ratio 3.00" in lines[1]
    assert "NOT MET  5.00 GB" in lines[2]
    assert "MET      0.100 s" in lines[3]
    assert [line.split()[-1] for line in cs._verdicts([], [], [])[1:]] == ["measured"] * 3
