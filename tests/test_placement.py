"""Placing facilities in desa (geo/placement.py) through Coverage.facilities."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facilities_layer, facility, point
from shapely.geometry import Point

from geo.placement import complete, locate_points, place
from loaders import model

A, B, C = "11.01.01.2001", "11.01.01.2002", "11.01.01.2003"


def _placed(desa, rows) -> pd.DataFrame:
    return coverage(desa, rows).facilities.set_index("nama")


@pytest.fixture
def side_by_side():
    """A = [0,1], B = [1,2]: one shared border at x = 1."""
    return desa_layer([(A, cell(0, 1)), (B, cell(1, 2))])


@pytest.fixture
def overlapping():
    """A = [0,1.1] overlaps B = [1,2] on [1,1.1] (real boundaries overlap slightly)."""
    return desa_layer([(A, cell(0, 1.1)), (B, cell(1, 2))])


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (point(1.0, 0.5), A),  # on the shared border: equal depth 0 -> smallest kode_desa
        (point(1.0, 0.0), A),  # on the shared corner
        (point(0.5, 0.5), A),
        (point(1.5, 0.5), B),
    ],
)
def test_point_on_shared_border_goes_to_smallest_code(side_by_side, where, expected) -> None:
    placed = _placed(side_by_side, [facility(model.POSYANDU, "P", kode="P1", at=where)]).loc["P"]
    assert placed["kode_desa_lokasi"] == expected
    assert placed["kode_desa_final"] == expected
    assert placed["cara_penempatan"] == "titik"
    assert not placed["di_luar_wilayah"]


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (1.08, B),  # 0.02 deep in A, 0.08 deep in B -> B
        (1.02, A),  # 0.08 deep in A, 0.02 deep in B -> A
        (1.05, A),  # equally deep -> smallest code
    ],
)
def test_point_in_overlap_goes_to_the_polygon_it_lies_deepest_in(overlapping, x, expected) -> None:
    placed = _placed(overlapping, [facility(model.POSYANDU, "P", kode="P1", at=point(x))]).loc["P"]
    assert placed["kode_desa_lokasi"] == expected


def test_declared_desa_among_covering_polygons_is_the_location(overlapping) -> None:
    # 0.08 deep in B, but declared A also covers the point: located in A, no disagreement
    placed = _placed(overlapping, [facility(model.POSYANDU, "P", kode="P1", kode_desa=A, at=point(1.08))]).loc["P"]
    assert placed["kode_desa_lokasi"] == A
    assert placed["jarak_deklarasi_m"] == 0.0


def test_valid_declared_code_wins_over_the_point_and_distance_is_reported(side_by_side) -> None:
    placed = _placed(side_by_side, [facility(model.POSYANDU, "P", kode="P1", kode_desa=A, at=point(1.5))]).loc["P"]
    assert placed["kode_desa_final"] == A
    assert placed["kode_desa_lokasi"] == B
    assert placed["cara_penempatan"] == "deklarasi"
    # half a grid unit east of A: 0.005 degree of longitude at 6 S
    expected = 0.005 * 111_320 * math.cos(math.radians(6.0))
    assert placed["jarak_deklarasi_m"] == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(
    ("declared", "cara", "final"),
    [
        ("11.01.01.9999", "titik", B),  # not in the desa layer: the point decides
        ("bukan kode", "titik", B),
        ("1101012001", "deklarasi", A),  # undotted Kemendagri code is normalised
        (" 11.01.01.2001 ", "deklarasi", A),
    ],
)
def test_declared_codes_are_checked_against_the_desa_layer(side_by_side, declared, cara, final) -> None:
    row = facility(model.POSYANDU, "P", kode="P1", kode_desa=declared, at=point(1.5))
    placed = _placed(side_by_side, [row]).loc["P"]
    assert placed["cara_penempatan"] == cara
    assert placed["kode_desa_final"] == final


def test_unplaceable_and_outside_facilities(side_by_side) -> None:
    far = Point(110.0, -7.0)
    placed = _placed(
        side_by_side,
        [
            facility(model.POSYANDU, "tanpa apa pun", kode="P1"),
            facility(model.POSYANDU, "di luar", kode="P2", at=far),
            facility(model.POSYANDU, "di luar tapi dinyatakan", kode="P3", kode_desa=B, at=far),
            facility(model.POSYANDU, "tanpa titik", kode="P4", kode_desa=A),
        ],
    )
    assert placed.loc["tanpa apa pun", "cara_penempatan"] == "tidak_terletak"
    assert pd.isna(placed.loc["tanpa apa pun", "kode_desa_final"])
    assert not placed.loc["tanpa apa pun", "di_luar_wilayah"]
    assert placed.loc["di luar", "cara_penempatan"] == "tidak_terletak"
    assert placed.loc["di luar", "di_luar_wilayah"]
    assert placed.loc["di luar tapi dinyatakan", "cara_penempatan"] == "deklarasi"
    assert placed.loc["di luar tapi dinyatakan", "kode_desa_final"] == B
    assert placed.loc["di luar tapi dinyatakan", "di_luar_wilayah"]
    assert placed.loc["di luar tapi dinyatakan", "jarak_deklarasi_m"] > 300_000
    assert placed.loc["tanpa titik", "kode_desa_final"] == A
    assert pd.isna(placed.loc["tanpa titik", "jarak_deklarasi_m"])


def test_facilities_keep_their_columns_and_gain_placement_and_judgements(side_by_side) -> None:
    cov = coverage(side_by_side, [facility(model.PUSTU, "Pustu A", at=point(0.5))])
    facilities = cov.facilities
    added = ["kode_desa_lokasi", "kode_desa_final", "cara_penempatan", "jarak_deklarasi_m", "di_luar_wilayah"]
    judged = ["aktif", "dihitung", "sesuai_standar"]  # geo.engine.JUDGEMENT_COLUMNS
    assert list(facilities.columns) == [*model.columns(model.LAYER_FASILITAS), *added, *judged, "geometry"]
    assert str(facilities["jarak_deklarasi_m"].dtype) == "Float64"
    assert facilities["di_luar_wilayah"].dtype == bool
    assert facilities.crs == model.CRS


def test_locate_points_directly_handles_missing_points() -> None:
    polygons = np.array([cell(0, 1), cell(1, 2)], dtype=object)
    points = np.array([point(0.5), None, Point(), point(1.0), point(5.0)], dtype=object)
    assert locate_points(points, polygons).tolist() == [0, -1, -1, 0, -1]
    preferred = np.array([-1, -1, -1, 1, -1])
    assert locate_points(points, polygons, preferred=preferred).tolist() == [0, -1, -1, 1, -1]


def test_deferred_points_are_located_on_completion(side_by_side) -> None:
    fasilitas = facilities_layer(
        [
            facility(model.POSYANDU, "dinyatakan", kode="P1", kode_desa=A, at=point(1.5)),
            facility(model.POSYANDU, "tanpa kode", kode="P2", at=point(1.5)),
            facility(model.PUSTU, "pustu", kode_desa=A, at=point(1.5)),
        ]
    )
    index = pd.Index([A, B])
    polygons = np.asarray(side_by_side.geometry.values, dtype=object)
    defer = np.array([True, True, False])
    partial = place(fasilitas, index, polygons, defer=defer)
    assert partial.pending.tolist() == [True, False, False]  # only a valid declared desa can wait
    assert partial.located.tolist() == [-1, 1, 1]
    assert partial.final.tolist() == [0, 1, 0]
    assert not partial.outside.any()
    full = complete(partial, np.asarray(fasilitas.geometry.values, dtype=object), polygons)
    eager = place(fasilitas, index, polygons)
    assert full.located.tolist() == eager.located.tolist() == [1, 1, 1]
    assert full.final.tolist() == eager.final.tolist()
    assert not full.pending.any()
