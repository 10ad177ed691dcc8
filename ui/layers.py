"""The facility layers of the maps, declared as data (pure).

Each :class:`MapLayer` says which rows it draws (a facility kind, and
optionally only the rows the engine judges active or inactive), the symbol of
an active and of an inactive row, its rows in the map legend and whether it
is switched on when a map opens. :mod:`ui.maps` reads this registry to cut
the points, draw the markers, build the layer switch and the legend; it
computes nothing about a facility itself (``aktif`` is the engine's, from
``Coverage.facilities`` or ``Coverage.posyandu_activity(month)``).

The desa layer (status fill) is not here: it is driven by the status
registry :mod:`geo.statuses`.

Adding a layer: one :class:`MapLayer` entry in :data:`FACILITY_LAYERS`, its
label ``map.layer.<code>`` (and any new legend key) in ``ui/i18n.py``, and a
CSS class in ``ui.maps.SYMBOL_CSS`` only for a new symbol shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from loaders import model


@dataclass(frozen=True)
class Symbol:
    """How one facility row is drawn.

    ``css``: classes of the shape (a CSS ``DivIcon``) and of its legend
    swatch; ``size`` / ``small_size``: icon side in px, or the radius of a
    canvas circle (``circle``), normal and small (a whole district in
    presentation mode); ``fill``: a circle's fill colour.
    """

    css: str
    size: float
    small_size: float
    circle: bool = False
    fill: str | None = None


@dataclass(frozen=True)
class MapLayer:
    """One switchable facility layer of the maps.

    ``code``: the ``lapisan`` of its points and the suffix of its label key;
    ``jenis``: the facility kind it draws; ``aktif``: only rows the engine
    judges active (True) or inactive (False), None for both; ``belum_melapor``:
    only posyandu of a kabupaten/kota without any report (True) or of one with
    reports (False), None for both (``Coverage.posyandu_activity``); ``monthly``:
    rows come from ``Coverage.posyandu_activity(month)`` (activity depends on
    the month) instead of ``Coverage.facilities``; ``on`` / ``off``: symbol of
    an active / inactive row; ``legend``: its legend rows (CSS classes, i18n
    key), top to bottom; ``default_on``: shown when a map opens.
    """

    code: str
    jenis: str
    aktif: bool | None
    monthly: bool
    on: Symbol
    off: Symbol
    legend: tuple[tuple[str, str], ...]
    default_on: bool
    belum_melapor: bool | None = None

    @property
    def label_key(self) -> str:
        """i18n key of the layer's name (layer switch, tooltips)."""
        return f"map.layer.{self.code}"

    def symbol(self, *, aktif: bool) -> Symbol:
        """Return the symbol of an active or inactive row."""
        return self.on if aktif else self.off


_PUSKESMAS = Symbol(css="ilp-pkm", size=14, small_size=10)
_POSYANDU_ON = Symbol(css="ilp-dot", size=3.5, small_size=2.5, circle=True, fill="#111111")
_POSYANDU_OFF = Symbol(css="ilp-dot ilp-off", size=3.5, small_size=2.5, circle=True, fill="#ffffff")
_POSYANDU_NONE = Symbol(css="ilp-dot ilp-none", size=3.5, small_size=2.5, circle=True, fill="#8C8C8C")

# Drawing order: later layers on top. The legend lists them the other way round (top layer first).
# A row goes to the first layer of its kind whose filters (aktif, belum_melapor) it passes.
FACILITY_LAYERS: Final[tuple[MapLayer, ...]] = (
    MapLayer(
        code="posyandu_belum_melapor",
        jenis=model.POSYANDU,
        aktif=None,
        belum_melapor=True,
        monthly=True,
        on=_POSYANDU_NONE,
        off=_POSYANDU_NONE,
        legend=(("ilp-dot ilp-none", "map.layer.posyandu_belum_melapor"),),
        default_on=False,
    ),
    MapLayer(
        code="posyandu_tidak_aktif",
        jenis=model.POSYANDU,
        aktif=False,
        belum_melapor=False,
        monthly=True,
        on=_POSYANDU_ON,
        off=_POSYANDU_OFF,
        legend=(("ilp-dot ilp-off", "map.layer.posyandu_tidak_aktif"),),
        default_on=False,
    ),
    MapLayer(
        code="posyandu_aktif",
        jenis=model.POSYANDU,
        aktif=True,
        belum_melapor=False,
        monthly=True,
        on=_POSYANDU_ON,
        off=_POSYANDU_OFF,
        legend=(("ilp-dot", "map.layer.posyandu_aktif"),),
        default_on=False,
    ),
    MapLayer(
        code="pustu",
        jenis=model.PUSTU,
        aktif=None,
        monthly=False,
        on=Symbol(css="ilp-pustu", size=12, small_size=8),
        off=Symbol(css="ilp-pustu ilp-off", size=12, small_size=8),
        legend=(("ilp-pustu", "map.layer.pustu"), ("ilp-pustu ilp-off", "map.pustu_tidak_aktif")),
        default_on=True,
    ),
    MapLayer(
        code="puskesmas",
        jenis=model.PUSKESMAS,
        aktif=None,
        monthly=False,
        on=_PUSKESMAS,
        off=_PUSKESMAS,
        legend=(("ilp-pkm", "map.layer.puskesmas"),),
        default_on=True,
    ),
)
CODES: Final[tuple[str, ...]] = tuple(layer.code for layer in FACILITY_LAYERS)
BY_CODE: Final[dict[str, MapLayer]] = {layer.code: layer for layer in FACILITY_LAYERS}
# Listed top layer first, like the legend.
DEFAULT_ON: Final[tuple[str, ...]] = tuple(layer.code for layer in reversed(FACILITY_LAYERS) if layer.default_on)
LEGEND_ROWS: Final[tuple[tuple[str, str], ...]] = tuple(
    row for layer in reversed(FACILITY_LAYERS) for row in layer.legend
)
