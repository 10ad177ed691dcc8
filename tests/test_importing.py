"""loaders.importing: file checks, option checks, dispatch and commit."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from loaders import model
from loaders.exceptions import InputError
from loaders.import_report import ImportReport
from loaders.importing import KINDS, prepare_import, run_import
from loaders.prepared import PreparedImport
from loaders.store import Store, file_sha256


def _desa_frame() -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"kode_desa": ["99.01.01.2001"], "nama_desa": ["Desa Uji"], "jenis": ["desa"]},
        geometry=[Polygon([(110, -7), (110.1, -7), (110.1, -7.1), (110, -7)])],
        crs=model.CRS,
    )
    return model.conform(frame, model.LAYER_DESA)


def _fake_prepared(path: Path) -> PreparedImport:
    report = ImportReport(jenis_impor="batas", berkas=path.name, sha256="abc", baris_dibaca=1, diterima=1)
    return PreparedImport(report=report, layers={model.LAYER_DESA: _desa_frame()})


@pytest.fixture
def fake_importers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path, dict]]:
    """Replace every importer module by a fake that records its calls."""
    calls: list[tuple[str, Path, dict]] = []
    for spec in KINDS:
        kind = spec.code

        def prepare(path: Path, *, store: Store, kind: str = kind, **options: object) -> PreparedImport:
            assert isinstance(store, Store)
            calls.append((kind, path, options))
            return _fake_prepared(path)

        module = types.ModuleType(spec.module)
        setattr(module, spec.function, prepare)
        monkeypatch.setitem(sys.modules, spec.module, module)
    return calls


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "sumber.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    return path


def test_unknown_kind_is_rejected(source: Path, tmp_store: Store) -> None:
    with pytest.raises(InputError, match="Jenis impor 'desa' tidak dikenal.*boundaries, facilities"):
        prepare_import("desa", source, store=tmp_store)


def test_missing_file_is_named(tmp_path: Path, tmp_store: Store) -> None:
    missing = tmp_path / "tidak_ada.xlsx"
    with pytest.raises(InputError, match=r"Berkas .*tidak_ada\.xlsx tidak ditemukan"):
        run_import("facilities", missing, store=tmp_store)
    assert not tmp_store.exists()


def test_folder_is_not_a_file(tmp_path: Path, tmp_store: Store) -> None:
    with pytest.raises(InputError, match="bukan berkas"):
        run_import("boundaries", tmp_path, store=tmp_store)


@pytest.mark.parametrize(
    ("kind", "option", "flag"),
    [
        ("boundaries", {"sheet": "Desa"}, "--sheet"),
        ("boundaries", {"jenis": "pustu"}, "--type"),
        ("boundaries", {"mapping": {"Nama": "nama_desa"}}, "--map"),
        ("facilities", {"layer": "desa"}, "--layer"),
        ("reports", {"layer": "x"}, "--layer"),
        ("reports", {"jenis": "posyandu"}, "--type"),
        ("working-areas", {"layer": "x"}, "--layer"),
        ("working-areas", {"jenis": "puskesmas"}, "--type"),
    ],
)
def test_option_that_does_not_apply(
    kind: str, option: dict, flag: str, source: Path, tmp_store: Store, fake_importers: list
) -> None:
    with pytest.raises(InputError, match=f"Opsi {flag} tidak berlaku untuk impor .*\\({kind}\\)"):
        run_import(kind, source, store=tmp_store, **option)
    assert fake_importers == []
    assert not tmp_store.exists()


@pytest.mark.parametrize(
    ("kind", "options", "expected"),
    [
        ("boundaries", {"layer": "batas", "mapping": {}}, {"layer": "batas"}),
        ("boundaries", {}, {}),
        (
            "facilities",
            {"sheet": "Pustu", "jenis": "pustu", "mapping": {"Nama Faskes": "nama"}},
            {"sheet": "Pustu", "jenis": "pustu", "mapping": {"Nama Faskes": "nama"}},
        ),
        ("reports", {"sheet": "Laporan"}, {"sheet": "Laporan"}),
        ("working-areas", {"mapping": {"Desa": "kode_desa"}}, {"mapping": {"Desa": "kode_desa"}}),
    ],
)
def test_dispatch_passes_only_given_options(
    kind: str, options: dict, expected: dict, source: Path, tmp_store: Store, fake_importers: list
) -> None:
    prepared = prepare_import(kind, source, store=tmp_store, **options)
    assert fake_importers == [(kind, source, expected)]
    assert prepared.report.berkas == "sumber.csv"
    assert not tmp_store.exists()  # preparing never writes


def test_run_import_commits_a_new_version(source: Path, tmp_store: Store, fake_importers: list) -> None:
    report = run_import("boundaries", source, store=tmp_store)
    assert report.versi == 1
    assert tmp_store.version() == 1
    assert tmp_store.read_desa()["kode_desa"].tolist() == ["99.01.01.2001"]
    log = tmp_store.read_log()
    assert log[["versi", "jenis_impor", "berkas", "baris_dibaca", "diterima"]].values.tolist() == [
        [1, "batas", "sumber.csv", 1, 1]
    ]
    assert run_import("boundaries", source, store=tmp_store).versi == 2


def test_rejected_file_leaves_store_unchanged(
    source: Path, tmp_store: Store, fake_importers: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import("boundaries", source, store=tmp_store)
    before = file_sha256(tmp_store.path)

    def reject(path: Path, **_: object) -> PreparedImport:
        msg = f"Berkas {path.name}: kolom kode_desa tidak ada."
        raise InputError(msg)

    module = types.ModuleType("loaders.boundaries")
    module.prepare_boundaries = reject  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "loaders.boundaries", module)
    with pytest.raises(InputError, match="kolom kode_desa tidak ada"):
        run_import("boundaries", source, store=tmp_store)
    assert file_sha256(tmp_store.path) == before
    assert tmp_store.version() == 1


def test_every_kind_end_to_end_on_mataram(shared_data: Path, tmp_store: Store) -> None:
    for module in ("loaders.boundaries", "loaders.facilities", "loaders.reports", "loaders.working_areas"):
        pytest.importorskip(module, reason=f"{module} is not written yet")
    fasilitas = shared_data / "fasilitas"
    steps = [
        ("boundaries", shared_data / "boundaries" / "desa_52.71.geojson", {}),
        ("facilities", fasilitas / "puskesmas_52.71.csv", {}),
        ("facilities", fasilitas / "pustu_52.71.csv", {"jenis": "pustu"}),
        ("facilities", fasilitas / "posyandu_52.71.csv", {}),
        ("reports", fasilitas / "laporan_posyandu_52.71.csv", {}),
        ("working-areas", fasilitas / "wilayah_kerja_52.71.csv", {}),
    ]
    versions = [run_import(kind, path, store=tmp_store, **options).versi for kind, path, options in steps]
    assert versions == [1, 2, 3, 4, 5, 6]
    desa = tmp_store.read_desa()
    assert len(desa) == 50 and desa["kode_kecamatan"].nunique() == 6
    jenis = tmp_store.read_fasilitas()["jenis"].value_counts().to_dict()
    assert jenis["puskesmas"] == 9 and jenis["pustu"] == 12
    assert tmp_store.read_fasilitas().query("jenis == 'posyandu'")["kode"].nunique() == 292
    laporan = tmp_store.read_laporan()
    assert (laporan["bulan"].min(), laporan["bulan"].max(), laporan["bulan"].nunique()) == ("2025-01", "2026-10", 22)
    assert len(tmp_store.read_wilayah_kerja()) == 50
    log = tmp_store.read_log()
    assert log["jenis_impor"].tolist() == ["batas", "fasilitas", "fasilitas", "fasilitas", "laporan", "wilayah_kerja"]
    assert log["berkas"].tolist() == [path.name for _, path, _ in steps]
