"""The desa statuses: the one registry every module reads (pure data).

A desa has one status per month (:func:`geo.status.classify`). Each status is
declared once here, in the one display order (worst gap first: map legend,
chart stacking, status filter, gap tables), with:

* ``colour``: the map and table fill (Okabe-Ito palette, distinct for the
  common forms of colour blindness and in greyscale);
* ``badge``: the nearest ``st.badge`` colour (Desa page);
* ``needs_pustu`` / ``needs_posyandu``: what the desa lacks;
* ``has_data``: False only for ``tanpa_data`` (a desa of a kabupaten/kota with
  no facility data in the store); such desa are left out of the denominator of
  every percentage (``denominator``) and are never a gap;
* ``priority_class`` and ``action``: its place and its "what to do" in the
  priority list (:mod:`geo.priorities`); None for a desa without a gap;
* derived names: ``count_column``/``pct_column`` (:mod:`geo.indicators`),
  ``label_key``/``desc_key`` (:mod:`ui.i18n`).

Adding a status: one :class:`Status` entry here, its two i18n keys in
``ui/i18n.py``, and the rule that yields it in :func:`geo.status.classify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Status:
    """One desa status and everything the code shows or decides about it."""

    code: str
    colour: str
    badge: str
    needs_pustu: bool
    needs_posyandu: bool
    priority_class: int | None
    action: str | None
    has_data: bool = True

    @property
    def is_gap(self) -> bool:
        """True when the desa lacks something (listed in gap tables and priorities)."""
        return self.has_data and (self.needs_pustu or self.needs_posyandu)

    @property
    def denominator(self) -> str:
        """Indicator column its share is taken of: desa with data, or all desa for ``tanpa_data``."""
        return DESA_ADA_DATA if self.has_data else "desa"

    @property
    def count_column(self) -> str:
        """Indicator column counting desa with this status (``desa_<code>``)."""
        return f"desa_{self.code}"

    @property
    def pct_column(self) -> str:
        """Indicator column with their share of :attr:`denominator` (``pct_<code>``)."""
        return f"pct_{self.code}"

    @property
    def label_key(self) -> str:
        """i18n key of the short label."""
        return f"status.{self.code}"

    @property
    def desc_key(self) -> str:
        """i18n key of the one-line meaning."""
        return f"status.{self.code}.desc"


TANPA_KEDUANYA: Final = "tanpa_keduanya"
TANPA_PUSTU: Final = "tanpa_pustu"
TANPA_POSYANDU_AKTIF: Final = "tanpa_posyandu_aktif"
LENGKAP: Final = "lengkap"
TANPA_DATA: Final = "tanpa_data"
# Indicator column: desa whose kabupaten/kota has facility data (every status share but tanpa_data's is of these).
DESA_ADA_DATA: Final = "desa_ada_data"

STATUSES: Final[tuple[Status, ...]] = (
    Status(
        code=TANPA_KEDUANYA,
        colour="#D55E00",  # vermillion
        badge="red",
        needs_pustu=True,
        needs_posyandu=True,
        priority_class=1,
        action="pustu_dan_posyandu",
    ),
    Status(
        code=TANPA_PUSTU,
        colour="#F0E442",  # yellow
        badge="yellow",
        needs_pustu=True,
        needs_posyandu=False,
        priority_class=3,
        action="pustu",
    ),
    Status(
        code=TANPA_POSYANDU_AKTIF,
        colour="#56B4E9",  # sky blue
        badge="blue",
        needs_pustu=False,
        needs_posyandu=True,
        priority_class=2,
        action="posyandu",
    ),
    Status(
        code=LENGKAP,
        colour="#009E73",  # bluish green
        badge="green",
        needs_pustu=False,
        needs_posyandu=False,
        priority_class=None,
        action=None,
    ),
    Status(
        code=TANPA_DATA,
        colour="#8C8C8C",  # grey: no data yet, not a judgement (darker than ui.palette.UNKNOWN_COLOR)
        badge="gray",
        needs_pustu=False,
        needs_posyandu=False,
        priority_class=None,
        action=None,
        has_data=False,
    ),
)
CODES: Final[tuple[str, ...]] = tuple(s.code for s in STATUSES)
GAP_CODES: Final[tuple[str, ...]] = tuple(s.code for s in STATUSES if s.is_gap)
BY_CODE: Final[dict[str, Status]] = {s.code: s for s in STATUSES}


def status(code: str) -> Status:
    """Return the registered status ``code``.

    Raises
    ------
    KeyError
        For a code that is not registered.
    """
    return BY_CODE[code]
