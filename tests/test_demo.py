"""The embedded synthetic demo: deterministic, sized as stated, defects planted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import shapely

from loaders import model
from loaders.demo import DemoData, build_demo, write_demo
from loaders.store import Store

EMBEDDED = Path(__file__).resolve().parents[1] / "data" / "demo.gpkg"


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return build_demo(seed=2023)


@pytest.fixture(scope="module")
def embedded() -> Store:
    if not EMBEDDED.is_file():
        pytest.fail(f"{EMBEDDED} is missing: run `python cli.py demo --store data/demo.gpkg`")
    return Store(EMBEDDED)


def _assert_same_layer(stored: pd.DataFrame, fresh: pd.DataFrame) -> None:
    """Attributes identical; geometries equal (stored desa are MultiPolygon)."""
    attributes = [c for c in fresh.columns if c != "geometry"]
    pd.testing.assert_frame_equal(stored[attributes].reset_index(drop=True), fresh[attributes].reset_index(drop=True))
    if "geometry" in fresh.columns:
        left, right = stored.geometry.to_numpy(), fresh.geometry.to_numpy()
        missing = shapely.is_missing(right) | shapely.is_empty(right)
        assert (missing == (shapely.is_missing(left) | shapely.is_empty(left))).all()
        assert shapely.equals(left[~missing], right[~missing]).all()


def test_same_seed_gives_same_content(demo: DemoData) -> None:
    again = build_demo(seed=2023)
    for name in ("desa", "fasilitas", "laporan", "catatan"):
        _assert_same_layer(getattr(again, name), getattr(demo, name))
    assert again.defects == demo.defects


def test_other_seed_gives_other_district(demo: DemoData) -> None:
    other = build_demo(seed=7)
    assert other.desa["nama_desa"].tolist() != demo.desa["nama_desa"].tolist()
    assert not shapely.equals(other.desa.geometry.iloc[0], demo.desa.geometry.iloc[0])


def test_embedded_demo_matches_generator(demo: DemoData, embedded: Store) -> None:
    _assert_same_layer(embedded.read_desa(), demo.desa)
    _assert_same_layer(embedded.read_fasilitas(), demo.fasilitas)
    _assert_same_layer(embedded.read_laporan(), demo.laporan)
    catatan = embedded.read_catatan()
    assert catatan["versi"].tolist() == [embedded.version()] * len(catatan)
    _assert_same_layer(catatan.drop(columns="versi"), demo.catatan.drop(columns="versi"))
    assert embedded.read_wilayah_kerja().empty
    log = embedded.read_log()
    assert log[["versi", "jenis_impor", "berkas"]].values.tolist() == [[1, "demo", "Data contoh (sintetis)"]]
    assert "Tidak ada data nyata" in log.at[0, "keterangan"]


def test_sizes(demo: DemoData) -> None:
    desa, fasilitas, laporan = demo.desa, demo.fasilitas, demo.laporan
    jenis = fasilitas["jenis"].value_counts()
    assert len(desa) == 200
    assert desa["kode_kecamatan"].nunique() == 15
    assert jenis["puskesmas"] == 20
    assert 150 <= jenis["pustu"] < 200
    assert 800 <= jenis["posyandu"] <= 1400
    months = sorted(laporan["bulan"].unique())
    assert (len(months), months[0], months[-1]) == (22, "2025-01", "2026-10")


def test_names_and_codes_are_clearly_fictitious(demo: DemoData) -> None:
    desa = demo.desa
    assert set(desa["nama_kabupaten"]) == {"Kabupaten Contoh (sintetis)"}
    assert set(desa["kode_kabupaten"]) == {"99.01"}
    assert set(desa[["kode_provinsi", "nama_provinsi"]].itertuples(index=False)) == {("99", "Provinsi Contoh")}
    assert desa["kode_desa"].is_unique and desa["nama_desa"].is_unique
    assert desa["kode_desa"].map(model.normalise_kode_desa).tolist() == desa["kode_desa"].tolist()
    assert desa["jenis"].tolist() == [model.jenis_from_kode(k) for k in desa["kode_desa"]]
    assert 5 <= (desa["jenis"] == "kelurahan").sum() <= 20
    assert desa["kode_kecamatan"].tolist() == [model.kode_kecamatan_of(k) for k in desa["kode_desa"]]
    assert desa["penduduk"].between(500, 50_000).all()


def test_geometry_is_a_clean_tessellation(demo: DemoData) -> None:
    desa = demo.desa
    assert desa.is_valid.all()
    minx, miny, maxx, maxy = desa.total_bounds
    assert 110.15 < minx < maxx < 110.85 and -7.95 < miny < maxy < -7.35
    union = shapely.union_all(desa.geometry.to_numpy())
    assert union.geom_type == "Polygon"  # one piece, no holes between desa
    assert len(union.interiors) == 0
    assert shapely.area(desa.geometry.to_numpy()).sum() == pytest.approx(union.area, rel=1e-6)  # no overlaps
    for _, group in desa.groupby("kode_kecamatan"):  # kecamatan are contiguous
        assert shapely.union_all(group.geometry.to_numpy()).geom_type == "Polygon"


def test_facility_points_lie_in_their_declared_desa(demo: DemoData) -> None:
    fasilitas = demo.fasilitas[~demo.fasilitas.geometry.is_empty & demo.fasilitas.geometry.notna()]
    polygons = demo.desa.set_index("kode_desa").geometry
    inside = shapely.covers(polygons.loc[fasilitas["kode_desa"]].to_numpy(), fasilitas.geometry.to_numpy())
    assert inside.all()
    assert (fasilitas["lon"] == fasilitas.geometry.x.round(6)).all()
    assert (fasilitas["lat"] == fasilitas.geometry.y.round(6)).all()


def test_facility_fields(demo: DemoData) -> None:
    f = demo.fasilitas
    assert f["id_fasilitas"].is_unique
    pkm, pustu, psy = (f[f["jenis"] == j] for j in ("puskesmas", "pustu", "posyandu"))
    assert pkm["kode"].str.fullmatch(r"P9901\d{6}").all()
    assert pustu["kode"].isna().all()
    assert set(pustu["status"]) == {"aktif", "tidak aktif"}
    assert set(pustu["perawat"]) == {0, 1, 2} and set(pustu["bidan"]) == {0, 1, 2}
    assert psy["kode"].str.fullmatch(r"PSY-9901-\d{5}").all()
    assert set(psy["strata"]) == {"pratama", "madya", "purnama", "mandiri"}
    assert psy["jumlah_kader"].between(3, 10).all()
    assert set(pustu["kode_puskesmas"]) | set(psy["kode_puskesmas"]) <= set(pkm["kode"])
    per_desa = psy.groupby("kode_desa").size()
    assert per_desa.between(3, 8).all()
    assert len(demo.desa) - len(per_desa) == 5  # desa without any posyandu


def test_planted_defects(demo: DemoData) -> None:
    f, d = demo.fasilitas, demo.defects
    psy = f[f["jenis"] == "posyandu"]
    assert sorted(psy.loc[psy["koordinat_ditukar"], "kode"]) == sorted(d.ditukar)
    assert sorted(demo.catatan["subjek"]) == sorted(d.ditukar)
    assert set(demo.catatan["jenis"]) == {"koordinat_ditukar"}
    assert demo.catatan["pesan"].str.contains("tertukar").all()
    no_point = psy[psy["lat"].isna()]
    assert sorted(no_point["kode"]) == sorted(d.tanpa_koordinat)
    assert no_point.geometry.isna().all()
    assert psy["kode"][psy["kode"].duplicated()].tolist() == [d.kode_ganda]
    unknown = set(demo.laporan["kode_posyandu"]) - set(psy["kode"])
    assert unknown == {"PSY-9901-99901", "PSY-9901-99902"}
    with_pkm = {model.kode_kecamatan_of(k) for k in f.loc[f["jenis"] == "puskesmas", "kode_desa"]}
    assert len(set(demo.desa["kode_kecamatan"]) - with_pkm) == 1


def test_report_profiles_are_realistic(demo: DemoData) -> None:
    laporan = demo.laporan
    assert not laporan.duplicated(["kode_posyandu", "bulan"]).any()
    window = laporan[laporan["bulan"] >= "2025-11"]
    open_months = window.groupby("kode_posyandu")["buka"].sum()
    assert (open_months >= 10).mean() > 0.6  # most are aktif
    assert open_months.between(6, 9).sum() >= 50  # some are not
    last = laporan.groupby("kode_posyandu")["bulan"].max()
    assert 3 <= last.between("2026-01", "2026-07").sum() <= 8  # a few stopped reporting lately
    psy = demo.fasilitas[demo.fasilitas["jenis"] == "posyandu"]
    closed_down = psy.loc[psy["status"] == "tidak aktif", "kode"]
    assert len(closed_down) >= 3
    assert (last.reindex(closed_down).fillna("2025-01") <= "2025-12").all()  # stopped during 2025
    counts = laporan.groupby("kode_posyandu").size()
    assert (counts < 22).mean() > 0.3  # months go missing
    closed = laporan[~laporan["buka"]]
    assert (closed[list(model.KELOMPOK_SIKLUS_HIDUP)].sum(axis=1) == 0).all()
    opened = laporan[laporan["buka"]]
    assert (opened["kader_hadir"] >= 2).all() and opened["balita"].median() > 10


def test_write_demo_replaces_everything(tmp_store: Store, demo: DemoData) -> None:
    tmp_store.commit(
        layers={model.LAYER_DESA: demo.desa.head(3)},
        record=pytest.importorskip("loaders.store").ChangeRecord(jenis_impor="batas", berkas="lama.geojson"),
        catatan=pd.DataFrame({"jenis": ["lama"], "pesan": ["temuan lama"]}),
        catatan_sumber="batas",
    )
    assert write_demo(tmp_store, seed=2023) == 2
    assert len(tmp_store.read_desa()) == 200
    catatan = tmp_store.read_catatan()
    assert set(catatan["sumber"]) == {"demo"} and set(catatan["versi"]) == {2}
    assert tmp_store.read_log()["jenis_impor"].tolist() == ["batas", "demo"]


def test_snapshot_folder_is_ignored_by_git(project_dir: Path) -> None:
    if shutil.which("git") is None or not (project_dir / ".git").exists():
        pytest.skip("not a git checkout")
    probe = "data/demo.gpkg.versi/v00001.gpkg"
    result = subprocess.run(["git", "check-ignore", "-q", probe], cwd=project_dir, check=False)
    assert result.returncode == 0
    tracked = subprocess.run(
        ["git", "ls-files", "data"], cwd=project_dir, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "data/demo.gpkg" in tracked
    assert not [p for p in tracked if ".versi" in p]
