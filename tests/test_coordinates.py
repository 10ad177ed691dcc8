"""Coordinate parsing and swapped-coordinate repair (loaders/coordinates.py)."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from loaders.coordinates import DesaIndex, in_indonesia, parse_angle, parse_lat_lon, parse_pair, resolve_swaps

# text -> expected decimal degrees (None = not a coordinate)
ANGLES = [
    ("-7.225891", -7.225891),
    ("-7,225891", -7.225891),
    ("107,907026", 107.907026),
    (" 108.028206 ", 108.028206),
    ("+6.5", 6.5),
    ("−7.5", -7.5),  # unicode minus
    ("7°20'15\" LS", -7.3375),
    ("7°20'15\" S", -7.3375),
    ("7°20'15\" LU", 7.3375),
    ("108°12'3\" BT", 108.200833),
    ("108°12'3\" E", 108.200833),
    ("108°12'3\" BB", -108.200833),
    ("7 20 15 S", -7.3375),
    ("S 7 20 15", -7.3375),
    ("7º 20’ 15” LS", -7.3375),  # typographic marks
    ("7°20,25' LS", -7.3375),  # degrees and decimal minutes
    ("-7° 20' 15\"", -7.3375),
    ("7.5 LS", -7.5),
    ("abc", None),
    ("-7.2.3", None),
    ("7°75' S", None),  # minutes >= 60
    ("12a", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), ANGLES)
def test_parse_angle(text: str, expected: float | None) -> None:
    result = parse_angle(text)
    if expected is None:
        assert result.nilai is None
    else:
        assert result.nilai == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("abc", "bukan angka koordinat"), ("7°75' S", "kurang dari 60"), ("7.5° 30'", "derajat berpecahan")],
)
def test_parse_angle_reasons_are_indonesian(text: str, reason: str) -> None:
    assert reason in (parse_angle(text).alasan or "")


def test_parse_angle_reports_the_axis_of_a_hemisphere() -> None:
    assert parse_angle("7 LS").sumbu == "lat"
    assert parse_angle("108 BT").sumbu == "lon"
    assert parse_angle("-7.1").sumbu is None


PAIRS = [
    ("-6.466051, 107.947884", (-6.466051, 107.947884)),
    ("-6.466051,107.947884", (-6.466051, 107.947884)),
    ("-7,2258;107,9070", (-7.2258, 107.907)),
    ("-7.2258 ; 107.9070", (-7.2258, 107.907)),
    ("-7.2258 107.9070", (-7.2258, 107.907)),
    ("-7,2258 107,9070", (-7.2258, 107.907)),
    ("-7,225891,107,907026", (-7.225891, 107.907026)),
    ("-7,2258, 107,9070", (-7.2258, 107.907)),
    ("(-7.1, 108.2)", (-7.1, 108.2)),
    ("7°20'15\" LS 108°12'3\" BT", (-7.3375, 108.200833)),
    ("7°20'15\" LS, 108°12'3\" BT", (-7.3375, 108.200833)),
    ("108°12'3\" BT 7°20'15\" LS", (-7.3375, 108.200833)),  # hemispheres put them in order
    ("108.2, -7.1", (108.2, -7.1)),  # swapped: kept as given, resolve_swaps fixes it
    ("0, 0", None),
    ("x, y", None),
    ("1 2 3", None),
    ("-7.1", None),
    ("-7200000, 108.1", None),  # decimal mark lost
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), PAIRS)
def test_parse_pair(text: str, expected: tuple[float, float] | None) -> None:
    result = parse_pair(text)
    if expected is None:
        assert not result.ada
    else:
        assert (result.lat, result.lon) == pytest.approx(expected, abs=1e-6)


def test_parse_pair_reasons() -> None:
    assert parse_pair("").alasan is None  # empty is simply missing, not garbage
    assert "bukan pasangan koordinat" in (parse_pair("x, y").alasan or "")
    assert "0, 0" in (parse_pair("0,0").alasan or "")
    assert "tanda desimal hilang" in (parse_pair("-7200000, 108.1").alasan or "")


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("-7,1", "108,2", (-7.1, 108.2)),
        ("108.2 BT", "7.1 LS", (-7.1, 108.2)),  # hemisphere letters reveal swapped columns
        ("", "", None),
        ("-7.1", "", None),
        ("abc", "108.2", None),
    ],
)
def test_parse_lat_lon(lat: str, lon: str, expected: tuple[float, float] | None) -> None:
    result = parse_lat_lon(lat, lon)
    if expected is None:
        assert not result.ada
    else:
        assert (result.lat, result.lon) == pytest.approx(expected)


def test_parse_lat_lon_reasons() -> None:
    assert parse_lat_lon("", "").alasan is None
    assert parse_lat_lon("-7.1", "").alasan == "bujur kosong"
    assert (parse_lat_lon("abc", "108").alasan or "").startswith("lintang 'abc' bukan angka koordinat")


def test_resolve_swaps_plausibility_rule_without_desa() -> None:
    lat = np.array([-7.1, 108.2, np.nan, 50.0, 170.0, 10.0])
    lon = np.array([108.2, -7.1, 1.0, 60.0, -7.0, 20.0])
    new_lat, new_lon, swapped, outside = resolve_swaps(lat, lon)
    assert swapped.tolist() == [False, True, False, False, True, False]
    assert outside.tolist() == [False, False, False, True, True, True]
    assert new_lat[1] == -7.1 and new_lon[1] == 108.2
    assert lat[1] == 108.2  # input untouched
    assert np.isnan(new_lat[2])


def test_resolve_swaps_against_district() -> None:
    district = box(108.0, -7.5, 108.5, -7.0)

    def inside(la: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return np.array([district.contains(box(x, y, x, y).centroid) for x, y in zip(lo, la, strict=True)])

    lat = np.array([-7.2, 108.1, -6.0, 100.0])
    lon = np.array([108.1, -7.2, 108.1, -6.0])
    new_lat, new_lon, swapped, outside = resolve_swaps(lat, lon, inside=inside)
    # row 3: latitude 100 is impossible, so it is swapped even though the result is still outside
    assert swapped.tolist() == [False, True, False, True]
    assert outside.tolist() == [False, False, True, True]
    assert (new_lat[1], new_lon[1]) == (-7.2, 108.1)


def test_in_indonesia() -> None:
    assert in_indonesia(np.array([-7.0, 7.5, -7.0]), np.array([108.0, 108.0, 150.0])).tolist() == [True, False, False]


def test_desa_index_tells_points_inside_any_desa() -> None:
    west = box(108.0, -7.5, 108.21, -7.0)  # overlaps east by 0.01 degree
    east = box(108.2, -7.5, 108.5, -7.0)
    index = DesaIndex(np.array([west, east]), np.array(["32.06.01.2001", "32.06.01.2002"]))
    lat = np.array([-7.2, -7.2, -7.2, np.nan])
    lon = np.array([108.1, 108.205, 109.0, 108.1])
    assert index.inside(lat, lon).tolist() == [True, True, False, False]
