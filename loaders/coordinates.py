"""Coordinate parsing and repair for the tabular imports (pure functions).

Cells come as text from :func:`loaders.tables.read_tables`. Accepted forms:

* decimal degrees with a dot or a comma: ``-7.225891``, ``-7,225891``;
* degrees-minutes-seconds with a hemisphere: ``7°20'15" LS``, ``108°12'3" BT``,
  ``7 20 15 S``, ``S 7°20'15"`` (LS/S negative, LU/N positive, BT/E positive,
  BB/W negative), also degrees and decimal minutes ``7°20,25' LS``;
* one cell holding both: ``"-7.2258, 107.9070"``, ``"-7,2258;107,9070"``,
  ``"-7.2258 107.9070"``, ``7°20'15" LS 108°12'3" BT``.

Garbage gives ``None`` with an Indonesian reason. Swapped latitude/longitude
is detected by :func:`resolve_swaps` against the district (a point-in-desa
test) or, without desa polygons, against Indonesia's bounding box.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from shapely import STRtree

LAT: Final = "lat"
LON: Final = "lon"
# Indonesia's bounding box (with a margin), for the plausibility rule.
INDONESIA_LAT: Final = (-11.5, 6.5)
INDONESIA_LON: Final = (94.5, 141.5)

_HEMISPHERES: Final = {
    "LS": (LAT, -1),
    "S": (LAT, -1),
    "LU": (LAT, 1),
    "N": (LAT, 1),
    "U": (LAT, 1),
    "BT": (LON, 1),
    "E": (LON, 1),
    "T": (LON, 1),
    "BB": (LON, -1),
    "W": (LON, -1),
    "B": (LON, -1),
}
_HEMI: Final = r"(?:LS|LU|BT|BB|N|S|E|W|U|T|B)"
_NUM: Final = r"\d+(?:[.,]\d+)?"
_ANGLE_RE: Final = re.compile(
    rf"^(?P<sign>[-+]?)\s*(?P<deg>{_NUM})\s*(?:°|D|DEG)?\s*"
    rf"(?:(?P<min>{_NUM})\s*(?:'|M|MENIT)?\s*"
    rf"(?:(?P<sec>{_NUM})\s*(?:\"|DETIK)?\s*)?)?$"
)
_PREFIX_RE: Final = re.compile(rf"^(?P<hemi>{_HEMI})\s*(?P<rest>[-+\d].*)$")
_SUFFIX_RE: Final = re.compile(rf"^(?P<rest>.*?[\d°'\"\s])\s*(?P<hemi>{_HEMI})$")
_DMS_PAIR_RE: Final = re.compile(rf"^(?P<a>.+?[\d°'\"\s]{_HEMI})\s*[,;]?\s*(?P<b>.+?[\d°'\"\s]{_HEMI})$")
_TRANSLATE: Final = str.maketrans(
    {
        **dict.fromkeys("−–", "-"),
        **dict.fromkeys("º˚", "°"),
        **dict.fromkeys("’′`´", "'"),
        **dict.fromkeys("″”“", '"'),
    }
)


@dataclass(frozen=True)
class Sudut:
    """One parsed angle: value in decimal degrees (or None with ``alasan``).

    ``sumbu`` is ``lat``/``lon`` when a hemisphere letter said which axis it is.
    """

    nilai: float | None
    alasan: str | None = None
    sumbu: str | None = None


@dataclass(frozen=True)
class Koordinat:
    """A parsed latitude/longitude pair; both None when missing or invalid."""

    lat: float | None
    lon: float | None
    alasan: str | None = None

    @property
    def ada(self) -> bool:
        """True when both values are present."""
        return self.lat is not None and self.lon is not None


KOSONG: Final = Koordinat(None, None)


def _clean(text: object) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    cleaned = str(text).translate(_TRANSLATE).replace("''", '"').strip().upper()
    return cleaned.strip("()[]{} ")


def parse_angle(text: object) -> Sudut:
    r"""Parse one latitude or longitude cell.

    Examples
    --------
    >>> parse_angle("-7,225891").nilai
    -7.225891
    >>> round(parse_angle("7°20'15\" LS").nilai, 6)
    -7.3375
    >>> parse_angle("abc").nilai is None
    True
    """
    cleaned = _clean(text)
    if not cleaned:
        return Sudut(None)
    decimal = _parse_decimal(cleaned)
    if decimal is not None:
        return Sudut(decimal) if math.isfinite(decimal) else Sudut(None, f"'{text}' bukan angka koordinat")
    hemi, rest = _split_hemisphere(cleaned)
    match = _ANGLE_RE.match(rest)
    if match is None:
        return Sudut(None, f"'{text}' bukan angka koordinat (contoh yang sah: -7.2258 atau 7°20'15\" LS)")
    return _angle_from_match(match, hemi=hemi, original=text)


def _parse_decimal(text: str) -> float | None:
    candidate = text.replace(" ", "")
    if candidate.count(",") == 1 and "." not in candidate:
        candidate = candidate.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)(E[-+]?\d+)?", candidate):
        return None
    return float(candidate)


def _split_hemisphere(text: str) -> tuple[str | None, str]:
    for pattern in (_SUFFIX_RE, _PREFIX_RE):
        match = pattern.match(text)
        if match:
            return match.group("hemi"), match.group("rest").strip()
    return None, text


def _angle_from_match(match: re.Match[str], *, hemi: str | None, original: object) -> Sudut:
    parts = [match.group(k) for k in ("deg", "min", "sec")]
    deg, minutes, seconds = (float(p.replace(",", ".")) if p else 0.0 for p in parts)
    if parts[1] and not deg.is_integer():
        return Sudut(None, f"'{original}': derajat berpecahan tidak boleh diikuti menit")
    if minutes >= 60 or seconds >= 60:
        return Sudut(None, f"'{original}': menit dan detik harus kurang dari 60")
    if parts[2] and not minutes.is_integer():
        return Sudut(None, f"'{original}': menit berpecahan tidak boleh diikuti detik")
    value = deg + minutes / 60 + seconds / 3600
    sign = -1 if match.group("sign") == "-" else 1
    axis = None
    if hemi:
        axis, sign = _HEMISPHERES[hemi]
    return Sudut(round(sign * value, 8), sumbu=axis)


def parse_lat_lon(lat_text: object, lon_text: object) -> Koordinat:
    """Parse a latitude cell and a longitude cell into a pair.

    Hemisphere letters that name the other axis (``BT`` in the latitude cell)
    mean the cells were swapped; the pair is returned in the right order.
    """
    lat, lon = parse_angle(lat_text), parse_angle(lon_text)
    if lat.nilai is None and lon.nilai is None and not (lat.alasan or lon.alasan):
        return KOSONG
    for part, column in ((lat, "lintang"), (lon, "bujur")):
        if part.alasan:
            return Koordinat(None, None, f"{column} {part.alasan}")
    if lat.nilai is None or lon.nilai is None:
        missing = "bujur" if lon.nilai is None else "lintang"
        return Koordinat(None, None, f"{missing} kosong")
    if lat.sumbu == LON and lon.sumbu == LAT:
        lat, lon = lon, lat
    return _checked(lat.nilai, lon.nilai)


def parse_pair(text: object) -> Koordinat:
    """Parse one cell holding ``lat, lon`` (also ``lat;lon``, ``lat lon`` or DMS pairs).

    Examples
    --------
    >>> parse_pair("-6.466051, 107.947884")
    Koordinat(lat=-6.466051, lon=107.947884, alasan=None)
    >>> parse_pair("").ada
    False
    """
    cleaned = _clean(text)
    if not cleaned:
        return KOSONG
    parts = _split_pair(cleaned)
    if parts is None:
        return Koordinat(None, None, f"'{text}' bukan pasangan koordinat (contoh yang sah: \"-7.2258, 107.9070\")")
    first, second = parse_angle(parts[0]), parse_angle(parts[1])
    if first.nilai is None or second.nilai is None:
        return Koordinat(None, None, f"'{text}' bukan pasangan koordinat yang sah (contoh: \"-7.2258, 107.9070\")")
    if first.sumbu == LON and second.sumbu == LAT:
        first, second = second, first
    return _checked(first.nilai, second.nilai)


def _split_pair(text: str) -> tuple[str, str] | None:
    dms = _DMS_PAIR_RE.match(text)
    if dms and not re.search(r"[;]|,\s", text):
        return dms.group("a").strip(), dms.group("b").strip()
    for pattern in (r"\s*;\s*", r"\s*\|\s*", r",\s+"):
        pieces = re.split(pattern, text)
        if len(pieces) == 2:
            return pieces[0], pieces[1]
        if len(pieces) > 2:
            return None
    commas = text.count(",")
    if commas == 1:
        first, second = text.split(",")
        return first, second
    if commas == 3 and " " not in text:
        a, b, c, d = text.split(",")
        return f"{a},{b}", f"{c},{d}"
    pieces = text.split()
    if len(pieces) == 2:
        return pieces[0], pieces[1]
    return None


def _checked(lat: float, lon: float) -> Koordinat:
    if lat == 0 and lon == 0:
        return Koordinat(None, None, "koordinat 0, 0 bukan lokasi yang sah (isian kosong?)")
    if abs(lat) > 180 or abs(lon) > 180 or (abs(lat) > 90 and abs(lon) > 90):
        return Koordinat(
            None,
            None,
            f"koordinat ({lat:g}, {lon:g}) di luar rentang derajat (lintang -90..90, bujur -180..180); "
            "mungkin tanda desimal hilang",
        )
    return Koordinat(lat, lon)


# -- swapped coordinates -----------------------------------------------------------
def in_indonesia(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Tell where the point lies inside Indonesia's bounding box."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return (lat >= INDONESIA_LAT[0]) & (lat <= INDONESIA_LAT[1]) & (lon >= INDONESIA_LON[0]) & (lon <= INDONESIA_LON[1])


def resolve_swaps(
    lat: np.ndarray,
    lon: np.ndarray,
    *,
    inside: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Swap latitude/longitude where only the swapped point is plausible.

    Parameters
    ----------
    lat, lon
        Parsed values (NaN where missing); not modified.
    inside
        ``inside(lat, lon) -> bool array``: is the point in the district? When
        None, Indonesia's bounding box is used (the plausibility rule).

    Returns
    -------
    tuple
        ``(lat, lon, swapped, outside)``: corrected copies, the rows that were
        swapped, and the rows with a point that is still outside.
    """
    lat = np.asarray(lat, dtype=float).copy()
    lon = np.asarray(lon, dtype=float).copy()
    test = inside if inside is not None else in_indonesia
    present = ~np.isnan(lat) & ~np.isnan(lon)
    ok = np.zeros(len(lat), dtype=bool)
    alt = np.zeros(len(lat), dtype=bool)
    if present.any():
        ok[present] = test(lat[present], lon[present])
        retry = present & ~ok
        if retry.any():
            alt[retry] = test(lon[retry], lat[retry])
    impossible = present & (np.abs(lat) > 90) & (np.abs(lon) <= 90)
    swapped = present & ~ok & (alt | impossible)
    lat[swapped], lon[swapped] = lon[swapped], lat[swapped]
    outside = (present & ~ok & ~swapped) | (swapped & ~alt)
    return lat, lon, swapped, outside


class DesaIndex:
    """Is a point in any desa? (an STRtree over the desa polygons; swap detection).

    Which desa a point is placed in is the engine's rule alone
    (:func:`geo.placement.point_codes`); "in some desa" does not depend on
    that rule, so this index only answers that.

    Parameters
    ----------
    geometries
        Desa polygons (EPSG:4326), in the order of ``codes``.
    codes
        kode_desa of each polygon.
    """

    def __init__(self, geometries: np.ndarray, codes: np.ndarray) -> None:
        self._tree = STRtree(np.asarray(geometries))
        self._codes = np.asarray(codes, dtype=object)

    def hits(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (point position, kode_desa) of every desa each point falls in."""
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        valid = np.flatnonzero(~np.isnan(lat) & ~np.isnan(lon))
        if not len(valid):
            return np.array([], dtype=int), np.array([], dtype=object)
        points = shapely.points(lon[valid], lat[valid])
        pairs = self._tree.query(points, predicate="intersects")
        return valid[pairs[0]], self._codes[pairs[1]]

    def inside(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Tell where the point falls in at least one desa."""
        positions, _ = self.hits(lat, lon)
        mask = np.zeros(len(np.asarray(lat)), dtype=bool)
        mask[positions] = True
        return mask
