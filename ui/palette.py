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


def status_color(status: object) -> str:
    """Fill colour of a desa status (grey for anything unknown)."""
    return STATUS_COLORS.get(str(status), UNKNOWN_COLOR)
