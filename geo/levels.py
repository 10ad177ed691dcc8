"""The administrative levels of the maps and filters: the one registry (pure data).

Indonesia is divided into provinsi, kabupaten/kota, kecamatan and desa/kelurahan;
every desa row of the store carries the code and name of each level above it
(``loaders.model``). The dashboard's scope is a place in that hierarchy: the
whole nation, one provinsi, one kabupaten/kota, kecamatan, or a puskesmas's
working area. When the scope holds more than :data:`MAX_DESA_DRAWN` desa, the map
draws the units one level below the scope's own level (the nation: its provinces;
a province: its kabupaten/kota; a large kabupaten: its kecamatan), dissolved from
the desa once per data version; otherwise it draws the desa.

Each :class:`Level` declares, once: its code (also the URL key of its filter and the
``by`` of :func:`geo.indicators.summarise`), the desa-table columns of its code and
name, and how its polygons are prepared for display (``simplify_m``: the
topology-preserving simplification tolerance in metres, ``decimals``: the
coordinate precision sent to the browser), chosen so a unit fills a 1280x720
screen without visible steps while the page stays small.

Adding a level: one :class:`Level` entry in :data:`LEVELS`, in its place from the top
down, and its label ``level.<code>`` in ``ui/i18n.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Level:
    """One administrative level.

    ``code``: the level's name (URL key of its filter, ``by`` of the indicators);
    ``kode_column`` / ``nama_column``: its columns in the desa table;
    ``simplify_m``: display simplification tolerance (metres) of its polygons;
    ``decimals``: decimals of the coordinates sent to the browser.
    """

    code: str
    kode_column: str
    nama_column: str
    simplify_m: float
    decimals: int

    @property
    def label_key(self) -> str:
        """i18n key of the level's name (breadcrumbs, legends)."""
        return f"level.{self.code}"


PROVINSI: Final = "provinsi"
KABUPATEN: Final = "kabupaten"
KECAMATAN: Final = "kecamatan"
DESA: Final = "desa"

# Top down. The nation (no filter) is above the first entry.
LEVELS: Final[tuple[Level, ...]] = (
    Level(PROVINSI, "kode_provinsi", "nama_provinsi", simplify_m=1500.0, decimals=3),
    Level(KABUPATEN, "kode_kabupaten", "nama_kabupaten", simplify_m=400.0, decimals=3),
    Level(KECAMATAN, "kode_kecamatan", "nama_kecamatan", simplify_m=120.0, decimals=4),
    Level(DESA, "kode_desa", "nama_desa", simplify_m=60.0, decimals=4),
)
CODES: Final[tuple[str, ...]] = tuple(level.code for level in LEVELS)
BY_CODE: Final[dict[str, Level]] = {level.code: level for level in LEVELS}
# Units that can be drawn instead of desa (every level but the desa).
UNIT_LEVELS: Final[tuple[str, ...]] = CODES[:-1]
# A scope with more desa than this is drawn as units one level down (issue 9: "about 1,000").
MAX_DESA_DRAWN: Final = 1000


def level(code: str) -> Level:
    """Return the registered level ``code``.

    Raises
    ------
    KeyError
        For a code that is not registered.
    """
    return BY_CODE[code]


def below(code: str | None) -> str:
    """The level one below ``code`` (None: the nation, whose next level is the provinsi).

    Raises
    ------
    KeyError
        For ``desa`` (nothing below) or an unknown code.
    """
    if code is None:
        return CODES[0]
    position = CODES.index(code) if code in CODES else -1
    if position < 0 or position + 1 >= len(CODES):
        raise KeyError(code)
    return CODES[position + 1]
