"""loaders.store: atomic versioned GeoPackage store."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, Point, Polygon

from loaders import model
from loaders import store as store_module
from loaders.exceptions import StoreError, VersionNotFoundError
from loaders.store import DEFAULT_STORE, ChangeRecord, Store, file_sha256, resolve_store_path


def _square(x: float, y: float) -> Polygon:
    return Polygon([(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01)])


def _desa(*codes: str) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "kode_desa": list(codes),
            "nama_desa": [f"Desa {c[-4:]}" for c in codes],
            "jenis": [model.jenis_from_kode(c) for c in codes],
            "kode_kecamatan": [model.kode_kecamatan_of(c) for c in codes],
            "penduduk": [1000 + i for i in range(len(codes))],
        },
        geometry=[_square(110 + 0.01 * i, -7.5) for i in range(len(codes))],
        crs=model.CRS,
    )
    return model.conform(frame, model.LAYER_DESA)


def _fasilitas() -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "id_fasilitas": ["posyandu-1", "pustu-1"],
            "jenis": ["posyandu", "pustu"],
            "kode": ["PSY-1", None],
            "nama": ["Posyandu Melati", "Pustu A"],
            "kode_desa": ["99.01.01.2001", "99.01.01.2002"],
            "lat": [-7.495, None],
            "lon": [110.005, None],
            "jumlah_kader": [5, None],
            "koordinat_ditukar": [True, False],
        },
        geometry=[Point(110.005, -7.495), None],
        crs=model.CRS,
    )
    return model.conform(frame, model.LAYER_FASILITAS)


def _commit(store: Store, frame: pd.DataFrame, *, layer: str = model.LAYER_DESA, jenis: str = "batas") -> int:
    return store.commit(layers={layer: frame}, record=ChangeRecord(jenis_impor=jenis, berkas=f"{jenis}.geojson"))


def test_absent_store_reads_as_empty_canonical_frames(tmp_store: Store) -> None:
    assert not tmp_store.exists()
    assert tmp_store.version() == 0
    assert tmp_store.is_empty()
    for layer in model.SCHEMAS:
        frame = tmp_store.read_layer(layer)
        assert frame.empty
        assert frame.drop(columns="geometry", errors="ignore").dtypes.astype(str).to_dict() == model.SCHEMAS[layer]
        assert isinstance(frame, gpd.GeoDataFrame) == (layer in model.SPATIAL_LAYERS)
    assert not tmp_store.path.exists()  # reading never creates the file


def test_first_commit_creates_every_layer_for_qgis(tmp_store: Store) -> None:
    assert _commit(tmp_store, _desa("99.01.01.2001")) == 1
    layers = dict(pyogrio.list_layers(tmp_store.path))
    assert set(layers) == set(model.SCHEMAS)
    assert layers[model.LAYER_DESA] == "MultiPolygon"
    assert layers[model.LAYER_FASILITAS] == "Point"
    assert pyogrio.read_info(tmp_store.path, layer=model.LAYER_DESA)["crs"] == model.CRS


def test_round_trip_keeps_values_and_dtypes(tmp_store: Store) -> None:
    desa = _desa("99.01.01.2001", "99.01.01.1002")
    fasilitas = _fasilitas()
    tmp_store.commit(
        layers={model.LAYER_DESA: desa, model.LAYER_FASILITAS: fasilitas},
        record=ChangeRecord(jenis_impor="demo"),
    )
    read = tmp_store.read_desa()
    expected = desa.assign(geometry=[MultiPolygon([g]) for g in desa.geometry])
    assert_geodataframe_equal(read, expected)
    facilities = tmp_store.read_fasilitas()
    pd.testing.assert_frame_equal(facilities.drop(columns="geometry"), fasilitas.drop(columns="geometry"))
    assert facilities.geometry.iloc[0].equals(Point(110.005, -7.495))
    assert facilities.geometry.iloc[1] is None
    assert not tmp_store.is_empty()


def test_versions_are_numbered_and_logged(tmp_store: Store) -> None:
    assert _commit(tmp_store, _desa("99.01.01.2001")) == 1
    assert _commit(tmp_store, _desa("99.01.01.2001", "99.01.01.2002")) == 2
    assert tmp_store.version() == 2
    log = tmp_store.read_log()
    assert log.columns.tolist() == model.columns(model.LAYER_LOG)
    assert log["versi"].tolist() == [1, 2]
    assert log["jenis_impor"].tolist() == ["batas", "batas"]
    assert log["waktu"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    snapshots = sorted(p.name for p in tmp_store.snapshot_dir.iterdir())
    assert snapshots == ["v00001.gpkg", "v00002.gpkg"]
    assert file_sha256(tmp_store.snapshot_dir / "v00002.gpkg") == file_sha256(tmp_store.path)
    assert tmp_store.snapshot_dir == tmp_store.path.with_name("ilp.gpkg.versi")


def test_log_records_the_change_record(tmp_store: Store) -> None:
    record = ChangeRecord(
        jenis_impor="fasilitas",
        berkas="fasilitas.xlsx",
        sha256="ab" * 32,
        baris_dibaca=10,
        diterima=8,
        diperbaiki=1,
        ditolak=2,
        keterangan="sheet Posyandu",
    )
    tmp_store.commit(layers={model.LAYER_FASILITAS: _fasilitas()}, record=record)
    row = tmp_store.read_log().iloc[0]
    assert row[["jenis_impor", "berkas", "sha256", "keterangan"]].tolist() == [
        "fasilitas",
        "fasilitas.xlsx",
        "ab" * 32,
        "sheet Posyandu",
    ]
    assert row[["baris_dibaca", "diterima", "diperbaiki", "ditolak"]].tolist() == [10, 8, 1, 2]


def test_commit_replaces_only_the_given_layers(tmp_store: Store) -> None:
    _commit(tmp_store, _desa("99.01.01.2001"))
    _commit(tmp_store, _fasilitas(), layer=model.LAYER_FASILITAS, jenis="fasilitas")
    assert tmp_store.read_desa()["kode_desa"].tolist() == ["99.01.01.2001"]
    assert tmp_store.read_fasilitas()["id_fasilitas"].tolist() == ["posyandu-1", "pustu-1"]


def test_restore_brings_back_a_version_as_a_new_one(tmp_store: Store) -> None:
    _commit(tmp_store, _desa("99.01.01.2001"))
    _commit(tmp_store, _desa("99.01.01.2001", "99.01.01.2002", "99.01.01.2003"))
    assert tmp_store.restore(1) == 3
    assert tmp_store.read_desa()["kode_desa"].tolist() == ["99.01.01.2001"]
    log = tmp_store.read_log()
    assert log["versi"].tolist() == [1, 2, 3]  # history is kept, never rewritten
    assert log["jenis_impor"].tolist() == ["batas", "batas", "pulihkan"]
    assert log.at[2, "keterangan"] == "Memulihkan versi 1"
    assert tmp_store.restore(2) == 4
    assert len(tmp_store.read_desa()) == 3
    assert (tmp_store.snapshot_dir / "v00004.gpkg").is_file()


@pytest.mark.parametrize("version", [0, -1, 3, 99])
def test_restore_unknown_version(tmp_store: Store, version: int) -> None:
    _commit(tmp_store, _desa("99.01.01.2001"))
    _commit(tmp_store, _desa("99.01.01.2002"))
    before = file_sha256(tmp_store.path)
    with pytest.raises(VersionNotFoundError, match=f"Versi {version} tidak ditemukan. Versi yang tersedia: 1, 2."):
        tmp_store.restore(version)
    assert file_sha256(tmp_store.path) == before


def test_restore_on_an_empty_store(tmp_store: Store) -> None:
    with pytest.raises(VersionNotFoundError, match="Versi yang tersedia: tidak ada"):
        tmp_store.restore(1)


def test_catatan_are_replaced_by_sumber(tmp_store: Store) -> None:
    def catatan(*subjek: str) -> pd.DataFrame:
        return pd.DataFrame({"jenis": "duplikat_kode", "tingkat": "sedang", "subjek": list(subjek), "pesan": "x"})

    record = ChangeRecord(jenis_impor="fasilitas")
    tmp_store.commit(layers={}, record=record, catatan=catatan("A", "B"), catatan_sumber="fasilitas:posyandu")
    tmp_store.commit(layers={}, record=record, catatan=catatan("P"), catatan_sumber="fasilitas:pustu")
    tmp_store.commit(layers={}, record=record, catatan=catatan("C"), catatan_sumber="fasilitas:posyandu")
    found = tmp_store.read_catatan().sort_values("subjek")
    assert found[["sumber", "versi", "subjek"]].values.tolist() == [
        ["fasilitas:posyandu", 3, "C"],
        ["fasilitas:pustu", 2, "P"],
    ]
    tmp_store.commit(layers={}, record=record, catatan=None, catatan_sumber="fasilitas:pustu")
    assert tmp_store.read_catatan()["subjek"].tolist() == ["C"]


def test_corrupt_store_gives_store_error(tmp_path: Path) -> None:
    path = tmp_path / "rusak.gpkg"
    path.write_bytes(b"ini bukan GeoPackage" * 100)
    store = Store(path)
    with pytest.raises(StoreError, match=r"rusak\.gpkg tidak dapat dibaca sebagai GeoPackage.*Pulihkan versi"):
        store.version()
    for read in (store.read_desa, store.read_log, store.is_empty):
        with pytest.raises(StoreError, match=r"rusak\.gpkg tidak dapat dibaca sebagai GeoPackage"):
            read()
    with pytest.raises(StoreError, match="tidak dapat dibaca"):
        _commit(store, _desa("99.01.01.2001"))
    assert path.read_bytes() == b"ini bukan GeoPackage" * 100


def test_unknown_layer_is_a_store_error(tmp_store: Store) -> None:
    with pytest.raises(StoreError, match="Lapisan 'jalan' tidak dikenal"):
        tmp_store.read_layer("jalan")


def test_failed_commit_leaves_the_store_byte_identical(tmp_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _commit(tmp_store, _desa("99.01.01.2001"))
    before = file_sha256(tmp_store.path)
    real_write = store_module._write_layer
    written: list[str] = []

    def failing_write(path: Path, layer: str, frame: pd.DataFrame) -> None:
        if written:
            msg = f"Lapisan '{layer}' tidak dapat ditulis ke {path}: disk penuh"
            raise StoreError(msg)
        written.append(layer)
        real_write(path, layer, frame)

    monkeypatch.setattr(store_module, "_write_layer", failing_write)
    with pytest.raises(StoreError, match="disk penuh"):
        tmp_store.commit(
            layers={model.LAYER_DESA: _desa("99.01.01.2009"), model.LAYER_FASILITAS: _fasilitas()},
            record=ChangeRecord(jenis_impor="batas"),
        )
    assert written == [model.LAYER_DESA]
    assert file_sha256(tmp_store.path) == before
    assert tmp_store.version() == 1
    assert sorted(p.name for p in tmp_store.path.parent.iterdir()) == ["ilp.gpkg", "ilp.gpkg.lock", "ilp.gpkg.versi"]


def test_stale_temporary_of_a_dead_process_is_removed(tmp_store: Store) -> None:
    _commit(tmp_store, _desa("99.01.01.2001"))
    stale = tmp_store.path.with_name(".ilp.tmp-999999999.gpkg")
    stale.write_bytes(b"sisa impor yang terhenti")
    _commit(tmp_store, _desa("99.01.01.2002"))
    assert not stale.exists()


def test_resolve_store_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ILP_STORE", raising=False)
    assert resolve_store_path() == DEFAULT_STORE
    assert DEFAULT_STORE.parts[-2:] == ("store", "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(tmp_path / "env.gpkg"))
    assert resolve_store_path() == tmp_path / "env.gpkg"
    assert resolve_store_path(tmp_path / "cli.gpkg") == tmp_path / "cli.gpkg"


def test_restore_rescues_a_damaged_store(tmp_store: Store) -> None:
    _commit(tmp_store, _desa("32.06.01.2001", "32.06.01.2002"))
    _commit(tmp_store, _desa("32.06.01.2001"))
    tmp_store.path.write_bytes(b"bukan geopackage" * 64)
    with pytest.raises(StoreError, match="tidak dapat dibaca sebagai GeoPackage"):
        tmp_store.read_desa()

    assert tmp_store.restore(1) == 3
    assert tmp_store.read_desa()["kode_desa"].tolist() == ["32.06.01.2001", "32.06.01.2002"]
    assert tmp_store.read_log()["jenis_impor"].tolist() == ["batas", "batas", "pulihkan"]
    assert tmp_store.snapshot_versions() == [1, 2, 3]
