"""Colours and map symbols shared by maps, charts and legends (pure).

Status colours are declared with the statuses in :mod:`geo.statuses`
(Okabe-Ito palette, chosen to stay distinct for the common forms of colour
blindness, and in greyscale: yellow and sky blue are light, green and
vermillion darker). Facilities are drawn in
black/white/purple shapes so they never depend on colour alone.
"""

from __future__ import annotations

from typing import Final

from geo.statuses import CODES, STATUSES

# Derived from the status registry (geo.statuses), which holds the colours.
STATUS_COLORS: Final[dict[str, str]] = {s.code: s.colour for s in STATUSES}
# The one order of the statuses everywhere (map legend, chart stacking and legend,
# status filter, sorting of gap tables): worst gap first.
STATUS_ORDER: Final[tuple[str, ...]] = CODES
UNKNOWN_COLOR: Final = "#BBBBBB"
OUTLINE_COLOR: Final = "#333333"
MAP_BACKGROUND: Final = "#F2F2EE"

# Indicator lines of the trend chart (Okabe-Ito, distinct from one another).
INDICATOR_COLORS: Final[dict[str, str]] = {
    "pct_desa_pustu_aktif": "#0072B2",
    "pct_desa_posyandu_aktif": "#009E73",
    "pct_posyandu_aktif": "#CC79A7",
    "pct_kelengkapan_laporan": "#E69F00",
    **{s.pct_column: s.colour for s in STATUSES[:1]},  # the worst gap's share, in its map colour
}

PUSTU_FILL: Final = "#CC79A7"  # reddish purple

# Units drawn instead of desa (provinsi, kabupaten/kota, kecamatan) are coloured by their share of
# desa with a gap (``pct_kesenjangan``), in fixed classes: (upper bound in %, colour), ColorBrewer
# OrRd, light to dark. Fixed breaks, not data-driven ones (Jenks, quantiles): a colour means the
# same share in every month and every area, so two maps in a meeting compare at a glance.
# Units without data take the ``tanpa_data`` status colour.
GAP_CLASSES: Final[tuple[tuple[float, str], ...]] = (
    (20.0, "#FEF0D9"),
    (40.0, "#FDCC8A"),
    (60.0, "#FC8D59"),
    (80.0, "#E34A33"),
    (100.0, "#B30000"),
)


def gap_class(pct: float) -> int:
    """Index into :data:`GAP_CLASSES` of a share of desa with a gap (-1 for NaN: no data)."""
    if pct != pct:  # NaN
        return -1
    for index, (upper, _) in enumerate(GAP_CLASSES):
        if pct <= upper:
            return index
    return len(GAP_CLASSES) - 1


def status_color(status: object) -> str:
    """Fill colour of a desa status (grey for anything unknown)."""
    return STATUS_COLORS.get(str(status), UNKNOWN_COLOR)
