"""The coverage engine against the ground truth of the five reference districts.

For each district a store is built once (module scope) through the real
importers (``loaders.importing.run_import``: boundaries, facilities,
reports, and working areas where given), then the engine runs for 2026-10
with the default rules and must reproduce ``truth_*.json`` exactly. Skips
when ``../shared/data`` is absent. How long the engine takes per district is
measured by ``python -m benchmarks.engine_districts``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from reference_districts import DISTRICTS, district_files, not_in_source, read_truth

from geo.engine import Coverage
from loaders.dataset import read_dataset
from loaders.importing import run_import
from loaders.store import Store

pytestmark = pytest.mark.slow

MONTH = "2026-10"
WITHOUT_TABLE = ["32.12", "17.02"]
# planted list -> quality jenis that must name every code of it
PLANTED_JENIS = {
    "posyandu_swapped_latlon": "koordinat_ditukar",
    "posyandu_without_coordinates": "tanpa_koordinat",
    "posyandu_point_in_other_desa": "desa_berbeda",
    "posyandu_duplicate_rows": "duplikat_kode",
    "report_unknown_posyandu": "laporan_kode_tidak_dikenal",
    "report_duplicate_rows": "laporan_duplikat",
}


@dataclass(frozen=True)
class District:
    kode: str
    truth: dict
    store: Store
    coverage: Coverage
    table: pd.DataFrame
    quality: pd.DataFrame


def _build_store(data: Path, kode: str, root: Path) -> Store:
    store = Store(root / "ilp.gpkg")
    for kind, path in district_files(data, kode):
        run_import(kind, path, store=store)
    return store


@pytest.fixture(scope="module", params=DISTRICTS)
def district(request: pytest.FixtureRequest, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> District:
    kode = request.param
    store = _build_store(shared_data, kode, tmp_path_factory.mktemp(f"truth_{kode}"))
    truth = read_truth(shared_data, kode)
    coverage = Coverage(read_dataset(store))
    table = coverage.desa_table(MONTH)
    return District(kode, truth, store, coverage, table, coverage.quality(MONTH))


def _codes(frame: pd.DataFrame, mask: pd.Series) -> set[str]:
    return set(frame.loc[mask, "kode_desa"])


def test_every_desa_is_in_the_table(district: District) -> None:
    assert len(district.table) == district.truth["desa"]
    assert district.truth["reference_month"] == MONTH


def test_desa_without_active_posyandu(district: District) -> None:
    table = district.table
    assert _codes(table, table["posyandu_aktif"] == 0) == set(district.truth["desa_without_active_posyandu"])


def test_desa_without_active_pustu(district: District) -> None:
    table = district.table
    assert _codes(table, table["pustu_aktif"] == 0) == set(district.truth["desa_without_active_pustu"])


def test_total_active_posyandu(district: District) -> None:
    assert int(district.table["posyandu_aktif"].sum()) == district.truth["posyandu_active"]
    assert int(district.table["posyandu_total"].sum()) == district.truth["posyandu_unique"]


@pytest.mark.parametrize("planted", list(PLANTED_JENIS))
def test_planted_defects_are_found(district: District, planted: str) -> None:
    listed = district.truth["planted"][planted]
    codes = {item[0] if isinstance(item, list) else item for item in listed}
    quality = district.quality
    found = set(quality.loc[quality["jenis"] == PLANTED_JENIS[planted], "subjek"])
    exempt = not_in_source(district.kode, planted)
    assert codes - exempt <= found
    fasilitas = district.store.read_fasilitas()
    for code in exempt:
        assert (fasilitas["kode"] == code).sum() == 1  # the truth file is wrong about it, not the engine


def test_puskesmas_outside_the_district_are_reported(district: District) -> None:
    quality = district.quality
    outside = quality[(quality["jenis"] == "di_luar_wilayah") & (quality["jenis_fasilitas"] == "puskesmas")]
    assert set(outside["subjek"]) == set(district.truth["puskesmas_outside_district"])
    assert set(outside["tingkat"]) <= {"tinggi"}


def test_working_areas(district: District) -> None:
    areas = district.coverage.working_areas
    assert areas["kode_puskesmas"].notna().all()  # every desa has a puskesmas
    if district.kode in WITHOUT_TABLE:
        assert set(areas["sumber"]) == {"turunan"}
        facilities = district.coverage.facilities
        placed = facilities["kode_desa_final"].notna()
        inside = facilities[(facilities["jenis"] == "puskesmas") & ~facilities["di_luar_wilayah"] & placed]
        assert set(inside["kode"]) <= set(areas["kode_puskesmas"])  # every inside puskesmas serves >= 1 desa
        assert not set(district.truth["puskesmas_outside_district"]) & set(areas["kode_puskesmas"])
    else:
        assert set(areas["sumber"]) == {"tabel"}
