"""End to end on the five reference districts: facilities, reports and working areas.

Each district's boundaries are committed to a temporary store first, then its
facility file(s), monthly reports and (where given) working areas are imported.
The reports must name every defect planted in ``truth_*.json``. Skips when
``../shared/data`` is absent. How long each import takes is measured by
``python -m benchmarks.import_districts``, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pytest
from reference_districts import DISTRICTS, FACILITY_FILES, not_in_source, read_truth

from geo.engine import Coverage
from loaders import findings, model
from loaders.dataset import read_dataset
from loaders.facilities import prepare_facilities
from loaders.import_report import ImportReport
from loaders.prepared import PreparedImport, commit_prepared
from loaders.reports import prepare_reports
from loaders.store import ChangeRecord, Store
from loaders.working_areas import prepare_working_areas

pytestmark = pytest.mark.slow


@dataclass
class DistrictRun:
    kab: str
    truth: dict
    store: Store
    facilities: list[PreparedImport] = field(default_factory=list)
    reports: PreparedImport | None = None
    working_areas: PreparedImport | None = None

    def issues(self, jenis: str, *, of: str = "facilities") -> list[str | None]:
        prepared = self.facilities if of == "facilities" else [getattr(self, of)]
        return [i.subjek for p in prepared for i in p.report.masalah if i.jenis == jenis]


def _commit_boundaries(store: Store, path: Path) -> None:
    try:
        from loaders.boundaries import prepare_boundaries
    except ImportError:
        store.commit(
            layers={model.LAYER_DESA: model.conform(gpd.read_file(path), model.LAYER_DESA)},
            record=ChangeRecord(jenis_impor="batas"),
        )
        return
    commit_prepared(store, prepare_boundaries(path, store=store))


def _imported(run: DistrictRun, prepare: Callable[..., PreparedImport], path: Path) -> PreparedImport:
    prepared = prepare(path, store=run.store)
    commit_prepared(run.store, prepared)
    return prepared


@pytest.fixture(scope="module", params=DISTRICTS)
def run(request: pytest.FixtureRequest, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> DistrictRun:
    kab = request.param
    data = shared_data / "fasilitas"
    store = Store(tmp_path_factory.mktemp(f"kab{kab}") / "ilp.gpkg")
    result = DistrictRun(kab, read_truth(shared_data, kab), store)
    _commit_boundaries(store, shared_data / "boundaries" / f"desa_{kab}.geojson")
    for name in FACILITY_FILES[kab]:
        result.facilities.append(_imported(result, prepare_facilities, data / name))
    result.reports = _imported(result, prepare_reports, data / f"laporan_posyandu_{kab}.csv")
    working = data / f"wilayah_kerja_{kab}.csv"
    if working.is_file():
        result.working_areas = _imported(result, prepare_working_areas, working)
    return result


def _planted(run: DistrictRun, key: str) -> set[str]:
    return set(run.truth["planted"][key]) - not_in_source(run.kab, key)


def test_swapped_coordinates_are_fixed(run: DistrictRun) -> None:
    assert set(run.issues("koordinat_ditukar")) == _planted(run, "posyandu_swapped_latlon")
    layer = run.store.read_fasilitas().set_index("id_fasilitas")
    fixed = layer.loc[sorted(_planted(run, "posyandu_swapped_latlon"))]
    assert fixed["koordinat_ditukar"].all()
    assert (fixed["lat"].abs() < 11).all() and (fixed["lon"] > 95).all()


def test_missing_coordinates_are_reported(run: DistrictRun) -> None:
    assert set(run.issues("tanpa_koordinat")) == _planted(run, "posyandu_without_coordinates")


def test_duplicate_rows_are_reported(run: DistrictRun) -> None:
    assert set(run.issues("duplikat_kode")) == _planted(run, "posyandu_duplicate_rows")
    layer = run.store.read_fasilitas()
    for code in not_in_source(run.kab, "posyandu_duplicate_rows"):
        assert (layer["kode"] == code).sum() == 1, f"{code} is now duplicated in the source: drop the exemption"


def test_puskesmas_outside_district_are_flagged(run: DistrictRun) -> None:
    assert set(run.issues("di_luar_wilayah")) == set(run.truth["puskesmas_outside_district"])


def test_point_in_other_desa_is_noted(run: DistrictRun) -> None:
    assert set(run.issues("desa_berbeda")) >= _planted(run, "posyandu_point_in_other_desa")


def test_facility_counts(run: DistrictRun) -> None:
    layer = run.store.read_fasilitas()
    posyandu = layer[layer["jenis"] == "posyandu"]
    assert posyandu["kode"].nunique() == run.truth["posyandu_unique"]
    assert (layer["jenis"] == "pustu").sum() == run.truth["pustu"]
    assert (layer["jenis"] == "puskesmas").sum() == run.truth["puskesmas_in_list"]
    assert layer["id_fasilitas"].is_unique
    assert sum(p.report.ditolak for p in run.facilities) == 0


def test_report_defects_are_reported(run: DistrictRun) -> None:
    unknown = set(run.issues("laporan_kode_tidak_dikenal", of="reports"))
    assert unknown >= _planted(run, "report_unknown_posyandu")
    duplicates = set(run.issues("laporan_duplikat", of="reports"))
    assert duplicates == {f"{code} {month}" for code, month in run.truth["planted"]["report_duplicate_rows"]}
    report: ImportReport = run.reports.report
    assert report.ditolak == 0
    assert report.diterima == report.baris_dibaca - len(duplicates)
    laporan = run.store.read_laporan()
    assert not laporan.duplicated(["kode_posyandu", "bulan"]).any()
    assert (laporan["bulan"].min(), laporan["bulan"].max()) == tuple(run.truth["months"])


def test_findings_reach_the_quality_table(run: DistrictRun) -> None:
    stored = set(run.store.read_catatan()["jenis"])
    assert "laporan_duplikat" in stored  # the store keeps one report per month: only the import saw the duplicates
    assert not stored & findings.BY_ENGINE  # the engine recomputes those: importers do not store them
    kinds = set(Coverage(read_dataset(run.store)).quality()["jenis"])
    assert {
        "koordinat_ditukar",
        "tanpa_koordinat",
        "duplikat_kode",
        "laporan_duplikat",
        "laporan_kode_tidak_dikenal",
    } <= kinds
    if run.truth["puskesmas_outside_district"]:
        assert "di_luar_wilayah" in kinds


def test_working_areas(run: DistrictRun) -> None:
    if run.working_areas is None:
        pytest.skip(f"no wilayah_kerja file for {run.kab} (the engine derives it)")
    report = run.working_areas.report
    assert (report.diterima, report.ditolak) == (run.truth["desa"], 0)
    assert [i.jenis for i in report.masalah] == []
    wilayah = run.store.read_wilayah_kerja()
    assert len(wilayah) == run.truth["desa"] and wilayah["nama_puskesmas"].notna().all()


def test_header_shapes_are_recognised(run: DistrictRun) -> None:
    mapping = {k.split("!")[-1]: v for p in run.facilities for k, v in p.mapping.items()}
    if run.kab == "32.12":
        assert mapping["Koordinat"] == "koordinat"
    else:
        assert (mapping["Latitude"], mapping["Longitude"]) == ("lat", "lon")
    assert mapping["Kode Posyandu"] == "kode"  # also behind the UTF-8 BOM of Mataram's CSV
    assert mapping["Nama Pustu"] == "nama" and mapping["Status"] == "status"
