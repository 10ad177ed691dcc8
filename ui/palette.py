"""Colours and map symbols shared by maps, charts and legends (pure).

Status colours come from the Okabe-Ito palette, chosen to stay distinct for
the common forms of colour blindness (and in greyscale: yellow and sky blue
are light, green and vermillion darker). Facilities are drawn in
black/white/purple shapes so they never depend on colour alone.
"""

from __future__ import annotations

from typing import Final

STATUS_COLORS: Final[dict[str, str]] = {
    "lengkap": "#009E73",  # bluish green
    "tanpa_pustu": "#F0E442",  # yellow
    "tanpa_posyandu_aktif": "#56B4E9",  # sky blue
    "tanpa_keduanya": "#D55E00",  # vermillion
}
# The one order of the statuses everywhere (map legend, chart stacking and legend,
# status filter, sorting of gap tables): worst gap first.
STATUS_ORDER: Final[tuple[str, ...]] = ("tanpa_keduanya", "tanpa_pustu", "tanpa_posyandu_aktif", "lengkap")
STATUS_SEVERITY: Final[tuple[str, ...]] = STATUS_ORDER  # older name, kept for callers
UNKNOWN_COLOR: Final = "#BBBBBB"
OUTLINE_COLOR: Final = "#333333"
MAP_BACKGROUND: Final = "#F2F2EE"

# Indicator lines of the trend chart (Okabe-Ito, distinct from one another).
INDICATOR_COLORS: Final[dict[str, str]] = {
    "pct_desa_pustu_aktif": "#0072B2",
    "pct_desa_posyandu_aktif": "#009E73",
    "pct_posyandu_aktif": "#CC79A7",
    "pct_kelengkapan_laporan": "#E69F00",
    "pct_tanpa_keduanya": "#D55E00",
}

PUSTU_FILL: Final = "#CC79A7"  # reddish purple


def status_color(status: object) -> str:
    """Fill colour of a desa status (grey for anything unknown)."""
    return STATUS_COLORS.get(str(status), UNKNOWN_COLOR)
