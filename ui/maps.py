"""Folium maps of desa status (or of units by their share of desa with a gap), built to work offline.

How a map reaches the browser (issue 9: "map data prepared once"):

* the *base map* is a folium ``Map`` (local Leaflet only, fitted to the scope) holding the
  map runtime ``ui/js/peta.js`` with its texts (:func:`runtime_config`) and the scope's
  geometry text (:mod:`ui.map_payload`, cached per data version and scope by :mod:`ui.data`);
* the run's *values* (status or class per feature, tooltip figures, facility points) are one
  small script in a ``FeatureGroup`` given to ``st_folium`` as its dynamic feature group.

streamlit-folium keys the browser's map on the base script: a change of month, status or
filter changes only the values, which the runtime applies in place (no redraw of the
geometry, pan and zoom kept); a rerun that changes nothing sends a byte-identical element.
Geometry is never simplified or serialised on such a rerun.

:func:`facility_points` turns engine frames into the facility rows of a map;
:func:`show_map` wraps ``st_folium`` with a limited ``returned_objects``;
:func:`clicked_desa` / :func:`clicked_unit` read a click back.

Offline by construction (see :mod:`ui.assets` for how streamlit-folium loads scripts): the
map's ``default_js``/``default_css`` are the local Leaflet copy only, symbols are canvas
circles and CSS-only ``DivIcon`` shapes, the legend is a plain Leaflet control, and basemap
tiles are off unless ``ILP_TILES`` gives a tile URL template (``ILP_TILES_ATTRIBUTION`` its
credit line).

Names from the data never become HTML: the runtime sets them with ``textContent``, and
:func:`ui.map_payload.script_json` keeps them from closing the ``<script>``.
"""

from __future__ import annotations

import functools
import html
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from geo import staffing
from geo.levels import UNIT_LEVELS
from geo.statuses import STATUSES, TANPA_DATA
from ui import layers
from ui.assets import leaflet_urls
from ui.fmt import fmt_int, fmt_num
from ui.i18n import status_label, t
from ui.map_payload import script_json
from ui.palette import GAP_CLASSES, MAP_BACKGROUND, OUTLINE_COLOR, PUSTU_FILL, status_color

ENV_TILES: Final = "ILP_TILES"
ENV_TILES_ATTRIBUTION: Final = "ILP_TILES_ATTRIBUTION"
RUNTIME_FILE: Final = Path(__file__).resolve().parent / "js" / "peta.js"
RUNTIME_CALL: Final = "(ILP_MAP, ILP_CFG, ILP_GEO);"  # the runtime's last line: its three arguments
DESA_LABEL_ZOOM: Final = 13  # desa names appear from this zoom level on (a desa is then ~100 px wide)
# Room kept free for the legend (bottom-right) when fitting the map: normal, large legend (px)
LEGEND_CLEARANCE_PX: Final = {False: 175, True: 225}
FIT_MAX_ZOOM_LOSS: Final = 0.3  # zoom levels (~20 % smaller) worth giving up to keep the legend off the data

# Facility layer codes, in drawing order (later ones on top): declared in ui.layers
FACILITY_LAYERS: Final = layers.CODES


SYMBOL_CSS: Final = f"""
<style>
.leaflet-container {{ background: {MAP_BACKGROUND}; }}
.ilp-sym {{ display: inline-block; box-sizing: border-box; vertical-align: middle; }}
.ilp-pkm {{ width: 14px; height: 14px; background: #111; border: 2px solid #fff; outline: 1px solid #111;
  color: #fff; font: bold 11px/10px sans-serif; text-align: center; }}
.ilp-pkm::after {{ content: "+"; }}
.ilp-icon {{ background: none; border: none; }}
.ilp-pustu {{ width: 10px; height: 10px; margin: 1px; background: {PUSTU_FILL}; border: 1.5px solid #111;
  transform: rotate(45deg); }}
.ilp-pustu.ilp-off {{ background: #fff; }}
.ilp-dot {{ width: 9px; height: 9px; border-radius: 50%; background: #111; border: 1.5px solid #111; }}
.ilp-dot.ilp-off {{ background: #fff; }}
.ilp-dot.ilp-none {{ background: #8C8C8C; }}
.ilp-pkm.ilp-s {{ width: 10px; height: 10px; border-width: 1px; font-size: 9px; line-height: 7px; }}
.ilp-pustu.ilp-s {{ width: 7px; height: 7px; margin: 0.5px; border-width: 1px; }}
.ilp-swatch {{ width: 14px; height: 10px; border: 1px solid {OUTLINE_COLOR}; margin-right: 5px; }}
.ilp-legend {{ background: rgba(255,255,255,0.9); padding: 5px 8px; border-radius: 4px; color: #111;
  box-shadow: 0 1px 3px rgba(0,0,0,0.3); font: 12px/1.35 sans-serif; max-width: 220px; }}
.ilp-legend.ilp-large {{ font-size: 16px; padding: 7px 10px; max-width: 300px; }}
.ilp-legend.ilp-large .ilp-swatch {{ width: 18px; height: 13px; }}
.ilp-legend-title {{ font-weight: bold; margin: 1px 0 2px; }}
.ilp-legend-title + .ilp-legend-row {{ margin-top: 0; }}
.ilp-legend-row + .ilp-legend-title {{ margin-top: 4px; }}
.ilp-legend-row {{ white-space: nowrap; }}
.ilp-legend-row .ilp-sym {{ margin-right: 5px; }}
.leaflet-control-layers-toggle {{ width: 32px !important; height: 32px !important; }}
.leaflet-control-layers {{ font: 13px/1.4 sans-serif; }}
.leaflet-tooltip table th {{ text-align: left; padding-right: 8px; font-weight: 600; }}
.ilp-tip-hint {{ margin-top: 3px; font-style: italic; color: #444; }}
.ilp-label {{ background: none; border: none; width: 0; height: 0; }}
.ilp-label span {{ position: absolute; transform: translate(-50%, -50%); color: #111; white-space: nowrap;
  font: 600 11px/1.1 sans-serif; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; pointer-events: none; }}
.ilp-label-unit span {{ font-size: 12px; font-weight: 700; }}
.ilp-label-desa span {{ font-size: 10px; font-weight: 500; }}
</style>
"""


@dataclass(frozen=True)
class TileConfig:
    """A basemap: an XYZ tile URL template and its credit line."""

    url: str
    attribution: str


def tiles_from_env(environ: Mapping[str, str] | None = None) -> TileConfig | None:
    """The basemap set by ``ILP_TILES`` (None when unset or empty: plain background)."""
    env = os.environ if environ is None else environ
    url = env.get(ENV_TILES, "").strip()
    if not url or url.lower() in {"none", "off", "0"}:
        return None
    attribution = env.get(ENV_TILES_ATTRIBUTION, "").strip() or "Peta dasar"
    return TileConfig(url=url, attribution=attribution)


# -- data for the map ------------------------------------------------------------------
def facility_points(
    facilities: pd.DataFrame,
    posyandu: pd.DataFrame,
    *,
    kode_desa: Collection[str] | None,
    desa_names: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Facility points of the chosen desa, one row per symbol on the map.

    Parameters
    ----------
    facilities
        ``Coverage.facilities`` (puskesmas and pustu are taken from it, by
        ``kode_desa_final``; the engine's ``aktif`` decides their symbol).
    posyandu
        ``Coverage.posyandu_activity(month)`` (activity of each posyandu).
    kode_desa
        Desa whose facilities are shown (None: all).
    desa_names
        kode_desa -> desa name, for the tooltips.
    lang
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        Columns ``lapisan`` (one of :data:`FACILITY_LAYERS`), ``aktif`` (bool),
        ``nama``, ``jenis``, ``desa``, ``keterangan`` (plain text: the browser sets it as
        text, never as HTML), ``lat``, ``lon``.
        Facilities without coordinates are left out.
    """
    names = dict(desa_names or {})
    keep = None if kode_desa is None else set(kode_desa)
    parts: list[pd.DataFrame] = []
    # One part per facility kind, top layer's kind first; each row goes to the layer of its kind
    # whose ``aktif`` filter it passes (the engine's judgement, never recomputed here).
    for jenis in dict.fromkeys(layer.jenis for layer in reversed(layers.FACILITY_LAYERS)):
        of_kind = [layer for layer in layers.FACILITY_LAYERS if layer.jenis == jenis]
        monthly = of_kind[0].monthly
        rows = posyandu if monthly else facilities[facilities["jenis"].astype("object") == jenis]
        desa_column = "kode_desa" if monthly else "kode_desa_final"
        if keep is not None:
            rows = rows[rows[desa_column].astype("object").isin(keep)]
        desa_col = rows[desa_column].astype("object")
        aktif = rows["aktif"].astype("boolean").to_numpy(dtype=bool, na_value=False)
        belum = (
            rows["belum_melapor"].astype("boolean").to_numpy(dtype=bool, na_value=False)
            if "belum_melapor" in rows.columns
            else np.zeros(len(rows), dtype=bool)
        )
        lapisan = _layer_of(of_kind, aktif, belum)
        if monthly:
            keterangan = np.where(
                belum,
                t("col.belum_melapor", lang=lang),
                [f"{t('map.tip.bulan_buka', lang=lang)}: {fmt_int(b)}" for b in rows["bulan_buka"]],
            )
            lat = pd.to_numeric(rows["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            lon = pd.to_numeric(rows["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        else:
            keterangan = np.where(aktif, t("map.fac.aktif", lang=lang), t("map.fac.tidak_aktif", lang=lang))
            lat, lon = _point_coord(rows, "y"), _point_coord(rows, "x")
        labels = {layer.code: t(layer.label_key, lang=lang) for layer in of_kind}
        parts.append(
            pd.DataFrame(
                {
                    "lapisan": lapisan,
                    "aktif": aktif,
                    "nama": rows["nama"].astype("object").to_numpy(),
                    "jenis": [labels[code] for code in lapisan],
                    "desa": desa_col.map(lambda k: names.get(k, k)).to_numpy(),
                    "keterangan": keterangan,
                    "lat": lat,
                    "lon": lon,
                }
            )
        )
    points = pd.concat(parts, ignore_index=True)
    return points[points["lat"].notna() & points["lon"].notna()].reset_index(drop=True)


def _layer_of(of_kind: Sequence[layers.MapLayer], aktif: np.ndarray, belum: np.ndarray) -> np.ndarray:
    """Code of the layer each row belongs to: the first of ``of_kind`` whose filters it passes."""
    codes = np.full(len(aktif), "", dtype=object)
    for layer in reversed(of_kind):
        passes = np.ones(len(aktif), dtype=bool)
        if layer.aktif is not None:
            passes &= aktif == layer.aktif
        if layer.belum_melapor is not None:
            passes &= belum == layer.belum_melapor
        codes[passes] = layer.code
    return codes


def _point_coord(rows: pd.DataFrame, axis: str) -> np.ndarray:
    """Longitude (``x``) or latitude (``y``) of the point geometry; NaN for missing or empty points."""
    if rows.empty:
        return np.full(0, np.nan)
    if not isinstance(rows, gpd.GeoDataFrame):
        column = "lon" if axis == "x" else "lat"
        return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    geometry = rows.geometry.values
    usable = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    out = np.full(len(rows), np.nan)
    getter = shapely.get_x if axis == "x" else shapely.get_y
    out[usable] = getter(geometry[usable])
    return out


# -- drawing -----------------------------------------------------------------------------
def new_map(
    bounds: Sequence[float] | None,
    *,
    tiles: TileConfig | None = None,
    leaflet_js: str | None = None,
    leaflet_css: str | None = None,
    padding_right: int = 0,
    padding: int = 0,
) -> folium.Map:
    """An empty map fitted to ``bounds`` (minx, miny, maxx, maxy), loading only local Leaflet.

    ``padding_right`` (px) keeps the fitted area clear of a control in the
    right-hand corners (the legend), so it never covers the data at the start.
    ``padding`` (px) is kept free on every side, so symbols drawn at the very
    edge of ``bounds`` (a marker, a polygon's outline) are not cut.
    """
    js, css = leaflet_urls()
    fmap = folium.Map(
        location=None,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,
        zoom_start=10,
        attribution_control=tiles is not None,
        zoom_snap=0.25,  # fit the district tightly, not to the nearest whole zoom level
        zoom_delta=0.5,
    )
    # Instance attributes: only Leaflet itself, from the app's own static folder.
    fmap.default_js = [("leaflet", leaflet_js or js)]
    fmap.default_css = [("leaflet_css", leaflet_css or css)]
    fmap.get_root().header.add_child(Element(SYMBOL_CSS), name="ilp_symbols")
    if tiles is not None:
        folium.TileLayer(
            tiles=tiles.url, attr=html.escape(tiles.attribution), name="basemap", control=False, max_zoom=19
        ).add_to(fmap)
    if bounds is not None and all(np.isfinite(bounds)):
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        _FitBounds([[miny, minx], [maxy, maxx]], padding_right=padding_right, padding=padding).add_to(fmap)
    return fmap


class _FitBounds(MacroElement):
    """Fit the map to ``bounds``, keeping ``padding_right`` px free when that costs little zoom.

    A district taller than the map is wide leaves room at the side: there the
    legend gets its own strip. When keeping the strip free would shrink the
    district by more than :data:`FIT_MAX_ZOOM_LOSS` zoom levels (a narrow
    map), the plain fit wins and the legend may cover a corner. ``padding``
    px stay free on every side in both cases.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var bounds = L.latLngBounds({{ this.bounds|tojson }});
                var free = {{ this.padding_right|tojson }};
                var pad = {{ this.padding|tojson }};
                var options = {paddingTopLeft: [pad, pad], paddingBottomRight: [pad, pad]};
                if (free > 0 && map.getBoundsZoom(bounds, false, L.point(free + 2 * pad, 2 * pad))
                        >= map.getBoundsZoom(bounds, false, L.point(2 * pad, 2 * pad)) - {{ this.max_loss|tojson }}) {
                    options.paddingBottomRight = [pad + free, pad];
                }
                map.fitBounds(bounds, options);
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], *, padding_right: int = 0, padding: int = 0) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.padding_right = int(padding_right)
        self.padding = int(padding)
        self.max_loss = FIT_MAX_ZOOM_LOSS


@dataclass(frozen=True)
class MapData:
    """Everything one map shows, as text ready for the browser (:mod:`ui.map_payload`).

    ``kind``: ``"desa"`` (desa by status) or ``"unit"`` (units by share of desa with a gap);
    ``level``: the level drawn (:data:`geo.levels.CODES`); ``geometry``: the scope's geometry
    text (cached per data version and scope); ``bounds``: its (minx, miny, maxx, maxy);
    ``values``: the lookup of this run (:func:`ui.map_payload.desa_values` or
    :func:`~ui.map_payload.unit_values`, with facility points under ``"p"``) as text;
    ``features``: how many desa or units it colours; ``facilities``: it carries facility points
    (the map then has facility layers and a layer switch).
    """

    kind: str
    level: str
    geometry: str
    bounds: tuple[float, float, float, float] | None
    values: str
    features: int = 0
    facilities: bool = False


def runtime_config(
    kind: str,
    *,
    level: str,
    facilities: bool,
    large: bool = False,
    small: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    """The texts and symbols the map runtime (``ui/js/peta.js``) needs, in the run's language."""
    name_keys = ("col.nama_desa", "col.nama_kecamatan", "col.puskesmas") if kind == "desa" else (f"level.{level}",)
    config: dict[str, Any] = {
        "kind": kind,
        "level": level,
        "large": large,
        "small": small,
        "outline": OUTLINE_COLOR,
        "labelZoom": DESA_LABEL_ZOOM,
        "legendTitle": t("map.legend.title" if kind == "desa" else "map.legend.gap_share", lang=lang),
        "facilitiesTitle": t("map.legend.facilities", lang=lang),
        "statuses": [[s.code, s.colour, status_label(s.code, lang=lang), t(s.desc_key, lang=lang)] for s in STATUSES],
        "classes": [
            [colour, label]
            for colour, label in zip((c for _, c in GAP_CLASSES), gap_class_labels(lang=lang), strict=True)
        ],
        "nodata": [status_color(TANPA_DATA), status_label(TANPA_DATA, lang=lang)],
        "tenaga": staffing_config(kind, lang=lang),
        "tip": {
            "names": [t(k, lang=lang) for k in name_keys],
            "status": t("map.tip.status", lang=lang),
            "pustu": t("col.pustu_aktif", lang=lang),
            "posyandu": t("map.tip.posyandu", lang=lang),
            "share": t("map.tip.gap_share", lang=lang),
            "desa": t("map.tip.desa", lang=lang),
            "nodata": t("map.tip.desa_tanpa_data", lang=lang),
            "drill": t("map.tip.drill", lang=lang),
            "fac": [t(k, lang=lang) for k in ("map.tip.nama", "map.tip.jenis", "col.desa", "map.tip.status")],
        },
        "layers": [],
    }
    if facilities:
        config["layers"] = [
            {
                "code": layer.code,
                "label": html.escape(t(layer.label_key, lang=lang)),  # Leaflet's layer switch sets it as HTML
                "on": layer.default_on,
                "sym": [_symbol(layer.on), _symbol(layer.off)],
                "legend": [[css, t(key, lang=lang), _legend_aktif(css)] for css, key in layer.legend],
            }
            for layer in layers.FACILITY_LAYERS
        ]
    return config


def staffing_config(kind: str, *, lang: str | None = None) -> dict[str, Any]:
    """The pustu staffing colouring's texts and classes (:mod:`geo.staffing`), for ``ui/js/peta.js``.

    Always part of the runtime's configuration (the base script), so switching the colouring
    (``warna``) changes only the values. ``classes``: [colour, label, meaning] per class, in the
    order of :data:`geo.staffing.DESA_CODES` (desa maps) or :data:`~geo.staffing.UNIT_CODES`.
    """
    desa = kind == "desa"
    specs = staffing.DESA_CLASSES if desa else staffing.UNIT_CLASSES
    bands = dict(zip((b.code for b in staffing.BANDS), staffing_band_labels(), strict=True))
    return {
        "title": t("map.legend.staffing" if desa else "map.legend.staffing_share", lang=lang),
        "classes": [
            [spec.colour, bands.get(spec.code) or t(spec.label_key, lang=lang), _band_or_desc(spec, lang=lang)]
            for spec in specs
        ],
        "tip": t("map.tip.staffing", lang=lang),
        "standar": t("col.pustu_standar", lang=lang),
        "share": t("col.pct_pustu_standar", lang=lang),
    }


def _band_or_desc(spec: staffing.StaffingClass, *, lang: str | None) -> str:
    return t("col.pct_pustu_standar", lang=lang) if spec.low is not None else t(spec.desc_key, lang=lang)


def staffing_band_labels() -> list[str]:
    """Legend labels of :data:`geo.staffing.BANDS` (highest first): "≥ 75%", "50–75%", "25–50%", "< 25%"."""
    lows = [float(b.low or 0.0) for b in staffing.BANDS]
    labels = [f"≥ {fmt_num(lows[0])}%"]
    labels += [f"{fmt_num(low)}–{fmt_num(high)}%" for high, low in zip(lows[:-2], lows[1:-1], strict=True)]
    labels.append(f"< {fmt_num(lows[-2])}%")
    return labels


def _symbol(symbol: layers.Symbol) -> list[Any]:
    return [symbol.css, symbol.size, symbol.small_size, symbol.circle, symbol.fill]


def _legend_aktif(css: str) -> bool:
    """Which rows a legend entry stands for: inactive (``ilp-off``) or active symbols."""
    return "ilp-off" not in css.split()


def gap_class_labels(*, lang: str | None = None) -> list[str]:
    """Legend labels of :data:`ui.palette.GAP_CLASSES`: "≤ 20%", "20–40%", ..., "> 80%" (as :func:`ui.fmt.fmt_pct`)."""
    uppers = [upper for upper, _ in GAP_CLASSES]
    labels = [f"≤ {fmt_num(uppers[0])}%"]
    labels += [f"{fmt_num(low)}–{fmt_num(high)}%" for low, high in zip(uppers[:-2], uppers[1:-1], strict=True)]
    labels.append(f"> {fmt_num(uppers[-2])}%")
    return labels


class _PetaBase(MacroElement):
    """The map runtime with its configuration and the scope's geometry (the component's main script)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {% endmacro %}
        """
    )

    def __init__(self, *, config: Mapping[str, Any], geometry: str) -> None:
        super().__init__()
        self._name = "PetaIlp"
        self.config = script_json(dict(config))
        self.geometry = geometry

    def render(self, **kwargs: Any) -> None:
        """Fill in the runtime's three arguments (its map, configuration and geometry)."""
        head, _, _ = runtime_js().rpartition(RUNTIME_CALL)
        self.code = f"{head}({self._parent.get_name()}, {self.config}, {self.geometry});"
        super().render(**kwargs)


class _PetaValues(MacroElement):
    """One run's lookup, applied in place by the runtime (streamlit-folium's dynamic feature group)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.ilpPeta && window.ilpPeta.apply({{ this.values }});
        {% endmacro %}
        """
    )

    def __init__(self, values: str) -> None:
        super().__init__()
        self._name = "PetaIlpValues"
        self.values = values


@functools.cache
def runtime_js() -> str:
    """The map runtime's source (``ui/js/peta.js``), read once."""
    return RUNTIME_FILE.read_text(encoding="utf-8")


def peta_map(
    data: MapData,
    *,
    config: Mapping[str, Any],
    tiles: TileConfig | None = None,
    padding: int = 0,
    large_legend: bool = False,
    leaflet_js: str | None = None,
    leaflet_css: str | None = None,
) -> tuple[folium.Map, folium.FeatureGroup]:
    """The map of ``data``: the base map (geometry, runtime) and the feature group of this run's values.

    Give both to :func:`show_map`. The base map's script changes only with the data version,
    the scope and the language; the values change with the month and the filters and are
    applied in place (the map keeps its pan and zoom).
    """
    fmap = new_map(
        data.bounds,
        tiles=tiles,
        leaflet_js=leaflet_js,
        leaflet_css=leaflet_css,
        padding_right=LEGEND_CLEARANCE_PX[large_legend],
        padding=padding,
    )
    _PetaBase(config=config, geometry=data.geometry).add_to(fmap)
    group = folium.FeatureGroup(name="ilp_nilai", control=False)
    _PetaValues(data.values).add_to(group)
    return fmap, group


def map_html(fmap: folium.Map, group: folium.FeatureGroup | None = None) -> str:
    """The map as one standalone HTML page (what tests inspect), with ``group`` drawn into it."""
    if group is not None and group._parent is None:
        group.add_to(fmap)
    return fmap.get_root().render()


# -- streamlit -----------------------------------------------------------------------------
def show_map(
    fmap: folium.Map,
    group: folium.FeatureGroup | None = None,
    *,
    key: str,
    height: int = 560,
    returned_objects: Sequence[str] = (),
    on_change: Any = None,
) -> dict[str, Any] | None:
    """Render ``fmap`` with streamlit-folium, ``group`` (the run's values) as its dynamic feature group.

    With the default empty ``returned_objects`` the map never reruns the app (panning and
    zooming included). streamlit-folium keys the browser's map on the base script, so a
    change that only touches ``group`` is applied to the map in place, and a rerun that
    changes nothing sends a byte-identical element, which Streamlit's message cache does not
    send again.
    """
    from streamlit_folium import st_folium

    return st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        feature_group_to_add=group,
        on_change=on_change,
    )


def _clicked_properties(result: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if not result:
        return None
    drawing = result.get("last_active_drawing")
    if not isinstance(drawing, Mapping):
        return None
    props = drawing.get("properties")
    return props if isinstance(props, Mapping) else None


def clicked_desa(result: Mapping[str, Any] | None) -> str | None:
    """kode_desa of the desa last clicked on a map shown with ``returned_objects=["last_active_drawing"]``."""
    props = _clicked_properties(result)
    kode = props.get("kode_desa") if props else None
    return str(kode) if kode else None


def clicked_unit(result: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(level, code) of the unit (provinsi, kabupaten/kota, kecamatan) last clicked, or None."""
    props = _clicked_properties(result)
    if not props:
        return None
    level, kode = props.get("tingkat"), props.get("kode")
    if not isinstance(level, str) or level not in UNIT_LEVELS or not kode:
        return None
    return level, str(kode)
