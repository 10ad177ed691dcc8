"""Display geometry of the maps at every scale (geo/display.py, issue 9)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal, assert_geoseries_equal
from shapely import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box

from geo import display
from geo.display import decode_geometry, dissolve_units, encode_geometry, label_points, simplify_coverage
from loaders.exceptions import EngineError

CRS = "EPSG:4326"
STEP = 0.01  # one fixture desa: 0.01 degree square (~1.1 km)


# simplify_coverage ---------------------------------------------------------------------


def wiggly_neighbours() -> gpd.GeoSeries:
    """Two desa near Tasikmalaya sharing a border that zigzags +-2 m over 21 vertices."""
    edge = [(108.01 + 2e-5 * (-1) ** k, -7.0 + 0.0005 * k) for k in range(21)]
    west = Polygon([(108.0, -7.0), *edge, (108.0, -6.99)])
    east = Polygon([*edge, (108.02, -6.99), (108.02, -7.0)])
    return gpd.GeoSeries([west, east], index=["barat", "timur"], crs=CRS, name="geometry")


def test_simplify_keeps_the_shared_border_identical() -> None:
    series = wiggly_neighbours()
    before = series.copy()
    simplified = simplify_coverage(series, tolerance_m=50.0)

    west, east = simplified.loc["barat"], simplified.loc["timur"]
    west_border = {tuple(xy) for xy in shapely.get_coordinates(west).tolist() if xy[0] > 108.005}
    east_border = {tuple(xy) for xy in shapely.get_coordinates(east).tolist() if xy[0] < 108.015}
    assert west_border == east_border  # the same vertices, bit for bit
    assert len(west_border) == 2  # the +-2 m zigzag is gone at 50 m
    assert shapely.intersection(west, east).area == 0.0  # no overlap
    assert shapely.union(west, east).area == pytest.approx(west.area + east.area, rel=1e-12)  # no gap
    assert simplified.index.tolist() == ["barat", "timur"] and simplified.crs == series.crs
    assert_geoseries_equal(series, before, check_less_precise=False)  # input untouched


def test_simplify_geometry_collection_keeps_its_polygons() -> None:
    collection = GeometryCollection([box(108.0, -7.0, 108.01, -6.99), Point(108.5, -7.5), LineString([(0, 0), (1, 1)])])
    series = gpd.GeoSeries([collection, box(108.01, -7.0, 108.02, -6.99)], crs=CRS)
    simplified = simplify_coverage(series, tolerance_m=50.0)
    assert simplified.geom_type.tolist() == ["MultiPolygon", "Polygon"]
    # Projected to metres and back: equal to ~1e-9 degree (0.1 mm).
    assert shapely.equals_exact(simplified.iloc[0], MultiPolygon([box(108.0, -7.0, 108.01, -6.99)]), tolerance=1e-9)
    assert series.iloc[0].geom_type == "GeometryCollection"


def test_simplify_missing_and_empty_stay() -> None:
    series = gpd.GeoSeries([box(108.0, -7.0, 108.01, -6.99), None, Polygon()], index=[5, 6, 7], crs=CRS)
    simplified = simplify_coverage(series, tolerance_m=50.0)
    assert simplified.index.tolist() == [5, 6, 7]
    assert simplified.isna().tolist() == [False, True, False]
    assert simplified.iloc[2].is_empty
    assert shapely.equals_exact(simplified.iloc[0], box(108.0, -7.0, 108.01, -6.99), tolerance=1e-9)

    nothing = gpd.GeoSeries([None, Polygon()], crs=CRS)
    assert_geoseries_equal(simplify_coverage(nothing, tolerance_m=50.0), nothing)


@pytest.mark.parametrize("tolerance", [0.0, -5.0])
def test_simplify_tolerance_zero_returns_an_unchanged_copy(tolerance: float) -> None:
    series = wiggly_neighbours()
    simplified = simplify_coverage(series, tolerance_m=tolerance)
    assert simplified is not series
    assert shapely.equals_exact(np.asarray(simplified.array), np.asarray(series.array), tolerance=0).all()


def test_simplify_falls_back_when_geos_refuses_the_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise shapely.errors.GEOSException("not a coverage")

    monkeypatch.setattr(shapely, "coverage_simplify", refuse)
    simplified = simplify_coverage(wiggly_neighbours(), tolerance_m=50.0)
    assert shapely.get_num_coordinates(np.asarray(simplified.array)).tolist() == [5, 5]


@pytest.mark.parametrize(
    ("geometry", "tolerance", "words"),
    [
        ([box(0, 0, 1, 1)], 10.0, "GeoSeries"),
        (gpd.GeoSeries([Point(108, -7)], crs=CRS), 10.0, "Point"),
        (gpd.GeoSeries([box(0, 0, 1, 1)], crs=CRS), float("nan"), "toleransi"),
        (gpd.GeoSeries([box(0, 0, 1, 1)], crs="EPSG:32749"), 10.0, "EPSG:4326"),
    ],
)
def test_simplify_refuses_bad_input(geometry: object, tolerance: float, words: str) -> None:
    with pytest.raises(EngineError, match=words):
        simplify_coverage(geometry, tolerance_m=tolerance)  # type: ignore[arg-type]


# dissolve_units ------------------------------------------------------------------------


def hierarchy_desa() -> gpd.GeoDataFrame:
    """2 provinsi x 2 kabupaten x 2 kecamatan x 2 desa: 16 squares in a row, rows shuffled."""
    rows = []
    for i in range(16):
        prov, kab, kec, des = f"{11 + i // 8}", f"{(i // 4) % 2 + 1:02d}", f"{(i // 2) % 2 + 1:02d}", f"{2001 + i % 2}"
        rows.append(
            {
                "kode_desa": f"{prov}.{kab}.{kec}.{des}",
                "nama_desa": f"Desa {i}",
                "kode_kecamatan": f"{prov}.{kab}.{kec}",
                "nama_kecamatan": f"Kec {prov}.{kab}.{kec}",
                "kode_kabupaten": f"{prov}.{kab}",
                "nama_kabupaten": f"Kab {prov}.{kab}",
                "kode_provinsi": prov,
                "nama_provinsi": f"Prov {prov}",
                "geometry": box(100 + STEP * i, 0, 100 + STEP * (i + 1), STEP),
            }
        )
    frame = gpd.GeoDataFrame(rows, crs=CRS).astype({c: "string" for c in rows[0] if c != "geometry"})
    return frame.iloc[[9, 3, 15, 0, 12, 6, 1, 14, 2, 11, 4, 8, 13, 5, 10, 7]]


def strip(first: int, last: int) -> MultiPolygon:
    """The dissolved squares ``first..last`` of :func:`hierarchy_desa`."""
    return MultiPolygon([box(100 + STEP * first, 0, 100 + STEP * (last + 1), STEP)])


def expected_units(
    kode: list[str], induk: list[str | None], counts: list[int], spans: list[tuple[int, int]], prefix: str
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kode": pd.array(kode, dtype="string"),
            "nama": pd.array([f"{prefix} {k}" for k in kode], dtype="string"),
            "kode_induk": pd.array(induk, dtype="string"),
            "desa": np.array(counts, dtype="int64"),
        },
        geometry=[strip(a, b) for a, b in spans],
        crs=CRS,
    )


def test_dissolve_provinsi() -> None:
    desa = hierarchy_desa()
    before = desa.copy()
    units = dissolve_units(desa, level="provinsi")
    expected = expected_units(["11", "12"], [None, None], [8, 8], [(0, 7), (8, 15)], "Prov")
    assert_geodataframe_equal(units, expected, check_geom_type=True)
    assert_geodataframe_equal(desa, before)


def test_dissolve_kabupaten() -> None:
    units = dissolve_units(hierarchy_desa(), level="kabupaten")
    expected = expected_units(
        ["11.01", "11.02", "12.01", "12.02"],
        ["11", "11", "12", "12"],
        [4] * 4,
        [(0, 3), (4, 7), (8, 11), (12, 15)],
        "Kab",
    )
    assert_geodataframe_equal(units, expected, check_geom_type=True)


def test_dissolve_kecamatan() -> None:
    units = dissolve_units(hierarchy_desa(), level="kecamatan")
    kode = [f"{p}.{k}.{c}" for p in ("11", "12") for k in ("01", "02") for c in ("01", "02")]
    spans = [(2 * i, 2 * i + 1) for i in range(8)]
    expected = expected_units(kode, [k[:5] for k in kode], [2] * 8, spans, "Kec")
    assert_geodataframe_equal(units, expected, check_geom_type=True)


def test_dissolve_leaves_out_missing_codes_and_counts_desa_without_geometry() -> None:
    desa = hierarchy_desa()
    desa.loc[desa["kode_desa"] == "11.01.01.2001", "kode_kabupaten"] = pd.NA  # square 0
    desa.loc[desa["kode_desa"] == "11.01.01.2002", "kode_kabupaten"] = "  "  # square 1
    desa.loc[desa["kode_desa"] == "12.02.02.2002", "geometry"] = None  # square 15
    units = dissolve_units(desa, level="kabupaten")
    assert units["kode"].tolist() == ["11.01", "11.02", "12.01", "12.02"]
    assert units["desa"].tolist() == [2, 4, 4, 4]
    assert units.geometry.iloc[0].equals(strip(2, 3))
    assert units.geometry.iloc[3].equals(strip(12, 14))
    assert dissolve_units(desa, level="provinsi")["desa"].tolist() == [8, 8]


def test_dissolve_geometry_collection_counts_by_its_polygons() -> None:
    desa = hierarchy_desa()
    square = desa["kode_desa"] == "12.01.01.2001"  # square 8
    desa.loc[square, "geometry"] = GeometryCollection([box(100.08, 0, 100.09, STEP), Point(100.085, 0.005)])
    units = dissolve_units(desa, level="kabupaten")
    assert units["desa"].tolist() == [4] * 4
    assert units.geometry.iloc[2].equals(strip(8, 11))
    assert units.geometry.iloc[2].geom_type == "MultiPolygon"


@pytest.mark.parametrize("threaded", [False, True])
def test_dissolve_fills_sliver_holes_but_keeps_real_ones(threaded: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if threaded:  # the pairs of a round split between threads even for one pair
        monkeypatch.setattr(display, "UNION_THREADED_MIN_PAIRS", 1)
    # Two overlapping desa (not a clean coverage) around a ~11 m gap holding a speck, and a ~550 m lake.
    outer = box(108.0, -7.0, 108.03, -6.97)
    sliver = box(108.005, -6.995, 108.0051, -6.9949)
    lake = box(108.01, -6.99, 108.015, -6.985)
    west = shapely.difference(box(108.0, -7.0, 108.0151, -6.97), shapely.union(sliver, lake))
    east = shapely.difference(box(108.015, -7.0, 108.03, -6.97), lake)
    speck = box(108.00503, -6.99497, 108.00507, -6.99493)  # a desa fragment inside the gap
    desa = gpd.GeoDataFrame(
        {"kode_provinsi": ["32"] * 3, "nama_provinsi": ["JAWA BARAT"] * 3},
        geometry=[west, east, speck],
        crs=CRS,
    )
    unit = dissolve_units(desa, level="provinsi").geometry.iloc[0]
    assert unit.geom_type == "MultiPolygon" and unit.is_valid and len(unit.geoms) == 1
    assert unit.equals(MultiPolygon([shapely.difference(outer, lake)]))


@pytest.mark.parametrize(
    ("desa", "level", "words"),
    [
        (gpd.GeoDataFrame({"kode_provinsi": ["32"]}, geometry=[box(0, 0, 1, 1)], crs=CRS), "desa", "tidak dikenal"),
        (
            gpd.GeoDataFrame({"kode_kabupaten": ["32.06"]}, geometry=[box(0, 0, 1, 1)], crs=CRS),
            "kabupaten",
            "nama_kabupaten",
        ),
        (pd.DataFrame({"kode_provinsi": ["32"], "nama_provinsi": ["X"]}), "provinsi", "GeoDataFrame"),
    ],
)
def test_dissolve_refuses_bad_input(desa: object, level: str, words: str) -> None:
    with pytest.raises(EngineError, match=words):
        dissolve_units(desa, level=level)  # type: ignore[arg-type]


def test_dissolve_jawa_barat(shared_data: Path) -> None:
    desa = gpd.read_parquet(shared_data / "boundaries" / "desa_prov_32.parquet")
    units = dissolve_units(desa, level="kabupaten")
    assert len(units) == 27
    assert units["desa"].sum() == 5957
    assert units["kode"].is_monotonic_increasing and units["kode"].is_unique
    assert set(units["kode_induk"]) == {"32"}
    geometry = np.asarray(units.geometry.array)
    assert shapely.is_valid(geometry).all()
    assert (shapely.get_type_id(geometry) == 6).all()
    # The thousands of gaps between desa are filled: only real holes (>= 10 ha) remain.
    holes = shapely.polygons([ring for part in shapely.get_parts(geometry) for ring in shapely.get_rings(part)[1:]])
    assert len(holes) <= 5


# label_points --------------------------------------------------------------------------


def test_label_points_inside_the_largest_part() -> None:
    small, large = box(0, 0, 1, 1), box(10, 0, 14, 4)
    series = gpd.GeoSeries(
        [MultiPolygon([small, large]), box(0, 0, 2, 2), None, Polygon()], index=list("abcd"), crs=CRS
    )
    points = label_points(series)
    assert points.index.tolist() == list("abcd") and points.crs == series.crs
    assert points.iloc[0].within(large)
    assert points.iloc[1].equals(Point(1, 1))
    assert points.isna().tolist() == [False, False, True, True]


# encode_geometry / decode_geometry -----------------------------------------------------


def test_encode_tiny_square_exact() -> None:
    # Exterior of a box: (maxx, miny), (maxx, maxy), (minx, maxy), (minx, miny), closed.
    square = box(108.1234, -7.5678, 108.1236, -7.5676)
    assert encode_geometry(gpd.GeoSeries([square], crs=CRS), decimals=4) == [[[[1081236, -75678, 0, 2, -2, 0, 0, -2]]]]


def test_encode_polygon_with_hole_and_multipolygon() -> None:
    shell = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (1, 2), (2, 2), (2, 1)]])
    geometry = MultiPolygon([shell, box(10, 10, 11, 11)])
    assert encode_geometry(gpd.GeoSeries([geometry, None, Polygon()]), decimals=0) == [
        [
            [[0, 0, 4, 0, 0, 4, -4, 0], [1, 1, 0, 1, 1, 0, 0, -1]],
            [[11, 10, 0, 1, -1, 0, 0, -1]],
        ],
        [],
        [],
    ]


def test_encode_dropping_rules() -> None:
    # Consecutive vertices rounding to the same integers are dropped.
    duplicates = Polygon([(1.0, 0.0), (1.0001, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (0.0002, 0.0)])
    # A hole collapsing to one point is dropped, the polygon kept.
    tiny_hole = Polygon([(0, 0), (3, 0), (3, 3), (0, 3)], [[(1.1, 1.1), (1.2, 1.1), (1.2, 1.2)]])
    # An exterior collapsing to 2 distinct points (A B A B) is dropped with its polygon.
    zigzag = Polygon([(0, 0), (1, 0.1), (0, 0.2), (1, 0.3)])
    encoded = encode_geometry(
        gpd.GeoSeries([duplicates, tiny_hole, zigzag, MultiPolygon([zigzag, box(5, 5, 6, 6)])]), decimals=0
    )
    assert encoded == [
        [[[1, 0, 0, 1, -1, 0, 0, -1]]],
        [[[0, 0, 3, 0, 0, 3, -3, 0]]],
        [],
        [[[6, 5, 0, 1, -1, 0, 0, -1]]],
    ]


def test_decode_round_trip_equals_the_rounded_geometry() -> None:
    rng = np.random.default_rng(9)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 60))
    radius = rng.uniform(0.02, 0.03, 60)
    shell = np.column_stack([108.2 + radius * np.cos(angles), -7.3 + radius * np.sin(angles)])
    hole = [(108.199, -7.301), (108.201, -7.301), (108.201, -7.299), (108.199, -7.299)]
    geometry = MultiPolygon([Polygon(shell, [hole]), box(108.3, -7.3, 108.31, -7.29)])
    for decimals in (3, 4, 6):
        (encoded,) = encode_geometry(gpd.GeoSeries([geometry], crs=CRS), decimals=decimals)
        decoded = decode_geometry(encoded, decimals=decimals)
        rounded = shapely.transform(geometry, lambda xy, d=decimals: np.rint(xy * 10**d) / 10**d)
        assert shapely.equals_exact(decoded, shapely.remove_repeated_points(rounded), tolerance=0)


def test_decode_neighbours_share_the_same_edge() -> None:
    edge = [(108.01, -7.0), (108.0103, -6.996), (108.0098, -6.993), (108.01, -6.99)]
    west = Polygon([(108.0, -7.0), *edge, (108.0, -6.99)])
    east = Polygon([*edge, (108.02, -6.99), (108.02, -7.0)])
    encoded = encode_geometry(gpd.GeoSeries([west, east], crs=CRS), decimals=3)
    west_back, east_back = (decode_geometry(item, decimals=3) for item in encoded)
    west_edge = {tuple(xy) for xy in shapely.get_coordinates(west_back).tolist() if xy[0] > 108.005}
    east_edge = {tuple(xy) for xy in shapely.get_coordinates(east_back).tolist() if xy[0] < 108.015}
    assert west_edge == east_edge == {(108.01, -7.0), (108.01, -6.996), (108.01, -6.993), (108.01, -6.99)}
    assert shapely.intersection(west_back, east_back).area == 0.0


def test_decode_empty_and_bad_rings() -> None:
    assert decode_geometry([], decimals=3).equals(MultiPolygon())
    assert decode_geometry([], decimals=3).is_empty
    with pytest.raises(EngineError, match="minimal 3 titik"):
        decode_geometry([[[1, 2, 3, 4]]], decimals=3)


@pytest.mark.parametrize(
    ("geometry", "decimals", "words"),
    [
        (gpd.GeoSeries([box(0, 0, 1, 1)]), -1, "desimal"),
        (gpd.GeoSeries([box(0, 0, 1, 1)]), True, "desimal"),
        (gpd.GeoSeries([LineString([(0, 0), (1, 1)])]), 3, "LineString"),
        (gpd.GeoSeries([box(0, 0, 1, 1)]), 16, "terlalu besar"),
    ],
)
def test_encode_refuses_bad_input(geometry: gpd.GeoSeries, decimals: int, words: str) -> None:
    with pytest.raises(EngineError, match=words):
        encode_geometry(geometry, decimals=decimals)


def test_sliver_threshold_is_documented_constant() -> None:
    assert display.SLIVER_HOLE_M2 == 100_000.0
