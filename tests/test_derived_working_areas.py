"""Working areas (geo/working_areas.py): the given table wins, otherwise derived, plus the fix-up.

(``tests/test_working_areas.py`` tests the working-area *importer*.)
"""

from __future__ import annotations

import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, point
from shapely.geometry import Point

from loaders import model

K1 = "11.01.01"
K2 = "11.01.02"
D1, D2, D3 = f"{K1}.2001", f"{K1}.2002", f"{K1}.2003"
D4 = f"{K2}.2001"


def _owners(cov) -> dict[str, str | None]:
    areas = cov.working_areas
    return {k: (None if pd.isna(p) else p) for k, p in zip(areas["kode_desa"], areas["kode_puskesmas"], strict=True)}


def _puskesmas(kode: str, x: float, y: float = 0.5) -> dict[str, object]:
    return facility(model.PUSKESMAS, f"Puskesmas {kode}", kode=kode, at=point(x, y))


@pytest.fixture
def district():
    """K1: D1 [0,1], D2 [1,2], D3 [2,3]; K2 (no puskesmas): D4 [3,4]."""
    return desa_layer([(D1, cell(0, 1)), (D2, cell(1, 2)), (D3, cell(2, 3)), (D4, cell(3, 4))])


def test_nearest_puskesmas_of_the_kecamatan_then_of_the_district(district) -> None:
    cov = coverage(
        district,
        [
            _puskesmas("P1", 0.5),  # in D1
            _puskesmas("P2", 2.9),  # in D3
            facility(model.PUSKESMAS, "Puskesmas Jauh", kode="P9", at=Point(110.0, -7.0)),  # outside
        ],
    )
    # D2 (centre 1.5): P1 at 1.0, P2 at 1.4 -> P1. D4 has no puskesmas in K2: nearest in the district is P2.
    assert _owners(cov) == {D1: "P1", D2: "P1", D3: "P2", D4: "P2"}
    assert set(cov.working_areas["sumber"]) == {"turunan"}
    assert list(cov.working_areas.columns) == ["kode_desa", "kode_puskesmas", "nama_puskesmas", "sumber"]
    assert cov.working_areas.set_index("kode_desa").loc[D4, "nama_puskesmas"] == "Puskesmas P2"
    quality = cov.quality()
    outside = quality[quality["jenis"] == "di_luar_wilayah"]
    assert outside[["subjek", "tingkat"]].values.tolist() == [["P9", "tinggi"]]
    assert "tidak dipakai untuk menurunkan wilayah kerja" in outside["pesan"].iloc[0]


def test_kecamatan_without_puskesmas_ignores_a_nearer_one_in_another_kabupaten() -> None:
    desa = desa_layer([(D1, cell(0, 1)), (D4, cell(1, 2)), ("11.02.01.2001", cell(2, 3))])
    cov = coverage(desa, [_puskesmas("P1", 0.1), _puskesmas("P5", 2.1)])
    # D4 centre 1.5: P5 (other kabupaten) at 0.6 is nearer than P1 at 1.4, but the district's own wins
    assert _owners(cov)[D4] == "P1"


def test_fix_up_orphan_takes_the_desa_it_stands_in() -> None:
    desa = desa_layer([(D1, cell(0, 1)), (D2, cell(1, 2))])
    # Both stand in D1; P1 is nearer to both desa centres, so P2 would serve nothing.
    cov = coverage(desa, [_puskesmas("P1", 0.8), _puskesmas("P2", 0.1)])
    assert _owners(cov) == {D1: "P2", D2: "P1"}


def test_fix_up_when_the_host_desa_is_the_other_puskesmas_only_desa() -> None:
    desa = desa_layer([(D1, cell(0, 1)), (D4, cell(1, 2)), (f"{K2}.2002", cell(2, 3))])
    # K1 has one desa with two puskesmas; K2 has P3 serving both its desa.
    cov = coverage(desa, [_puskesmas("P1", 0.6), _puskesmas("P2", 0.3), _puskesmas("P3", 2.5)])
    # P2 cannot take D1 (P1's only desa): it takes the nearest desa whose puskesmas keeps one (D4 from P3).
    assert _owners(cov) == {D1: "P1", D4: "P2", f"{K2}.2002": "P3"}
    served = set(cov.working_areas["kode_puskesmas"])
    assert served == {"P1", "P2", "P3"}
    assert (cov.quality()["jenis"] != "puskesmas_tanpa_desa").all()


def test_every_inside_puskesmas_serves_a_desa_in_a_crowded_kecamatan(district) -> None:
    crowded = [_puskesmas(f"P{i}", 0.1 + 0.1 * i) for i in range(1, 5)]  # four puskesmas in D1
    cov = coverage(district, crowded)
    assert set(cov.working_areas["kode_puskesmas"]) == {"P1", "P2", "P3", "P4"}
    assert cov.working_areas["kode_puskesmas"].notna().all()


def test_given_table_wins_and_missing_desa_are_derived(district) -> None:
    table = pd.DataFrame(
        {
            "kode_desa": [D1, "3206012001", D3],
            "kode_puskesmas": ["PX", "PY", "PX"],
            "nama_puskesmas": ["Tabel X", "Y", "Tabel X"],
        }
    )
    cov = coverage(district, [_puskesmas("P1", 0.5), _puskesmas("P2", 2.9)], wilayah_kerja=table)
    areas = cov.working_areas.set_index("kode_desa")
    assert areas.loc[D1, "kode_puskesmas"] == "PX"
    assert areas.loc[D1, "nama_puskesmas"] == "Tabel X"
    assert areas.loc[D1, "sumber"] == "tabel"
    assert areas.loc[D2, "sumber"] == "turunan"
    assert areas.loc[D2, "kode_puskesmas"] == "P1"
    quality = cov.quality()
    missing = quality[quality["jenis"] == "desa_tanpa_wilayah_kerja"]
    assert missing[["subjek", "tingkat"]].values.tolist() == [[D2, "rendah"], [D4, "rendah"]]
    assert "tidak ada dalam tabel wilayah kerja" in missing["pesan"].iloc[0]


def test_table_rows_are_never_changed_by_the_fix_up(district) -> None:
    table = pd.DataFrame({"kode_desa": [D1, D2, D3, D4], "kode_puskesmas": ["P1"] * 4, "nama_puskesmas": ["Satu"] * 4})
    cov = coverage(district, [_puskesmas("P1", 0.5), _puskesmas("P2", 2.9)], wilayah_kerja=table)
    assert set(cov.working_areas["kode_puskesmas"]) == {"P1"}
    quality = cov.quality()
    idle = quality[quality["jenis"] == "puskesmas_tanpa_desa"]
    assert idle["subjek"].tolist() == ["P2"]
    assert "menurut tabel wilayah kerja" in idle["pesan"].iloc[0]


def test_no_puskesmas_at_all_leaves_desa_without_working_area(district) -> None:
    cov = coverage(district, [facility(model.POSYANDU, "Posyandu", kode="Y1", at=point(0.5))])
    assert cov.working_areas["kode_puskesmas"].isna().all()
    assert cov.working_areas["sumber"].isna().all()
    quality = cov.quality()
    missing = quality[quality["jenis"] == "desa_tanpa_wilayah_kerja"]
    assert sorted(missing["subjek"]) == [D1, D2, D3, D4]
    assert set(missing["tingkat"]) == {"sedang"}
    assert cov.desa_table("2026-10")["puskesmas"].isna().all()
