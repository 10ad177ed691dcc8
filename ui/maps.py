"""Folium maps of desa status and facilities, built to work offline.

Building (no streamlit): :func:`desa_features` and :func:`facility_points`
turn engine frames into the few escaped properties a tooltip needs;
:func:`status_map` draws them. Showing (streamlit): :func:`show_map` wraps
``st_folium`` with a limited ``returned_objects``; :func:`clicked_desa` reads
the clicked desa back.

Offline by construction (see :mod:`ui.assets` for how streamlit-folium loads
scripts): the map's ``default_js``/``default_css`` are replaced by the local
Leaflet copy only (no jQuery, Bootstrap, awesome-markers or fonts), symbols
are canvas ``CircleMarker`` and CSS-only ``DivIcon`` shapes, the legend is
plain HTML in a Leaflet control, and basemap tiles are off unless
``ILP_TILES`` gives a tile URL template (``ILP_TILES_ATTRIBUTION`` its
credit line). With no tiles the polygons and facilities render on a plain
background.

Every user-supplied string that reaches the map (desa, kecamatan, puskesmas,
facility names) is passed through :func:`html.escape`: Leaflet tooltips set
``innerHTML``.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.statuses import STATUSES
from ui import layers
from ui.assets import leaflet_urls
from ui.fmt import MISSING, fmt_int
from ui.i18n import status_label, t
from ui.palette import MAP_BACKGROUND, OUTLINE_COLOR, PUSTU_FILL, status_color

ENV_TILES: Final = "ILP_TILES"
ENV_TILES_ATTRIBUTION: Final = "ILP_TILES_ATTRIBUTION"
COORD_DECIMALS: Final = 5  # ~1 m: enough for display, keeps the page small
# Room kept free for the legend (bottom-right) when fitting the map: normal, large legend (px)
LEGEND_CLEARANCE_PX: Final = {False: 175, True: 225}
FIT_MAX_ZOOM_LOSS: Final = 0.3  # zoom levels (~20 % smaller) worth giving up to keep the legend off the data

# Facility layer codes, in drawing order (later ones on top): declared in ui.layers
FACILITY_LAYERS: Final = layers.CODES

DESA_PROPERTIES: Final = ("kode_desa", "desa", "kecamatan", "puskesmas", "status", "status_label", "pustu", "posyandu")
TOOLTIP_FIELDS: Final = ("desa", "kecamatan", "puskesmas", "status_label", "pustu", "posyandu")
FACILITY_PROPERTIES: Final = ("nama", "jenis", "desa", "keterangan")

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
def _escaped(values: pd.Series) -> pd.Series:
    return values.astype("object").map(lambda v: MISSING if _missing(v) else html.escape(str(v)))


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _rounded(geometry: gpd.GeoSeries, decimals: int) -> gpd.GeoSeries:
    values = shapely.transform(geometry.values, lambda coords: np.round(coords, decimals))
    return gpd.GeoSeries(values, index=geometry.index, crs=geometry.crs)


def desa_features(
    geometries: gpd.GeoDataFrame,
    status: pd.DataFrame,
    *,
    lang: str | None = None,
    decimals: int = COORD_DECIMALS,
) -> gpd.GeoDataFrame:
    """Desa polygons with only the properties the map needs, strings escaped.

    Parameters
    ----------
    geometries
        ``kode_desa`` + geometry (``Coverage.desa_geometries``), EPSG:4326.
    status
        Rows of ``Coverage.desa_status`` for the desa to draw (the filter);
        desa without a row are not drawn.
    lang
        Language of the status labels (default: the run's language).
    decimals
        Coordinates are rounded to this many decimals.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by kode_desa, columns :data:`DESA_PROPERTIES` + geometry.
    """
    merged = geometries.loc[:, ["kode_desa", "geometry"]].merge(
        status.loc[
            :,
            [
                "kode_desa",
                "nama_desa",
                "nama_kecamatan",
                "puskesmas",
                "status",
                "pustu_aktif",
                "posyandu_aktif",
                "posyandu_total",
            ],
        ],
        on="kode_desa",
        how="inner",
    )
    merged = merged[merged.geometry.notna() & ~merged.geometry.is_empty]
    props = pd.DataFrame(
        {
            "kode_desa": _escaped(merged["kode_desa"]),
            "desa": _escaped(merged["nama_desa"]),
            "kecamatan": _escaped(merged["nama_kecamatan"]),
            "puskesmas": _escaped(merged["puskesmas"]),
            "status": merged["status"].astype("object").map(str),
            "status_label": merged["status"].map(lambda s: html.escape(status_label(s, lang=lang))),
            "pustu": merged["pustu_aktif"].map(fmt_int),
            "posyandu": [
                f"{fmt_int(a)} / {fmt_int(n)}"
                for a, n in zip(merged["posyandu_aktif"], merged["posyandu_total"], strict=True)
            ],
        }
    )
    frame = gpd.GeoDataFrame(props, geometry=_rounded(merged.geometry, decimals), crs=geometries.crs)
    return frame.set_index(pd.Index(merged["kode_desa"].astype(str).to_numpy(), name="id"))


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
        ``nama``, ``jenis``, ``desa``, ``keterangan`` (escaped), ``lat``, ``lon``.
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
        lapisan = _layer_of(of_kind, aktif)
        if monthly:
            keterangan = [f"{t('map.tip.bulan_buka', lang=lang)}: {fmt_int(b)}" for b in rows["bulan_buka"]]
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
    points = points[points["lat"].notna() & points["lon"].notna()].reset_index(drop=True)
    for column in ("nama", "desa", "keterangan", "jenis"):
        points[column] = _escaped(points[column])
    return points


def _layer_of(of_kind: Sequence[layers.MapLayer], aktif: np.ndarray) -> np.ndarray:
    """Code of the layer each row belongs to: the first of ``of_kind`` whose ``aktif`` filter it passes."""
    codes = np.full(len(aktif), "", dtype=object)
    for layer in reversed(of_kind):
        passes = np.ones(len(aktif), dtype=bool) if layer.aktif is None else aktif == layer.aktif
        codes[passes] = layer.code
    return codes


def _point_coord(rows: pd.DataFrame, axis: str) -> np.ndarray:
    """Longitude (``x``) or latitude (``y``) of the point geometry; NaN for missing or empty points."""
    if not isinstance(rows, gpd.GeoDataFrame) or rows.empty:
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


def _desa_style(feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "fillColor": status_color(feature["properties"].get("status")),
        "color": OUTLINE_COLOR,
        "weight": 0.6,
        "fillOpacity": 0.78,
    }


def _desa_highlight(_feature: dict[str, Any]) -> dict[str, Any]:
    return {"weight": 2.5, "color": "#000000", "fillOpacity": 0.9}


def add_desa_layer(fmap: folium.Map, features: gpd.GeoDataFrame, *, lang: str | None = None) -> folium.GeoJson:
    """Draw the desa polygons coloured by status, with a tooltip."""
    data = json.loads(features.loc[:, [*DESA_PROPERTIES, "geometry"]].to_json(drop_id=False))
    aliases = [
        html.escape(t(key, lang=lang))
        for key in (
            "col.nama_desa",
            "col.nama_kecamatan",
            "col.puskesmas",
            "map.tip.status",
            "col.pustu_aktif",
            "map.tip.posyandu",
        )
    ]
    layer = folium.GeoJson(
        data,
        name=html.escape(t("map.layer.desa", lang=lang)),
        style_function=_desa_style,
        highlight_function=_desa_highlight,
        tooltip=folium.GeoJsonTooltip(fields=list(TOOLTIP_FIELDS), aliases=aliases, sticky=True),
        smooth_factor=0.5,
    )
    layer.add_to(fmap)
    return layer


def _points_geojson(points: pd.DataFrame) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "id": str(i),
            "properties": {k: row[k] for k in FACILITY_PROPERTIES},
            "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
        }
        for i, row in points.iterrows()
    ]
    return {"type": "FeatureCollection", "features": features}


def _facility_marker(
    layer: layers.MapLayer, *, aktif: bool, small: bool = False
) -> folium.Marker | folium.CircleMarker:
    """The marker of the layer's symbol for an active or inactive row (:mod:`ui.layers`)."""
    symbol = layer.symbol(aktif=aktif)
    size = symbol.small_size if small else symbol.size
    if symbol.circle:
        return folium.CircleMarker(
            radius=size, color="#111111", weight=1.2, fill=True, fill_color=symbol.fill, fill_opacity=1.0
        )
    # Leaflet positions a DivIcon with a CSS transform on its element, so the
    # shape (which may itself be rotated) is an inner element.
    side = int(size)
    icon = folium.DivIcon(
        html=f'<div class="ilp-sym {symbol.css}{" ilp-s" if small else ""}"></div>',
        icon_size=(side, side),
        icon_anchor=(side // 2, side // 2),
        class_name="ilp-icon",
    )
    return folium.Marker(icon=icon)


def add_facility_layers(
    fmap: folium.Map,
    points: pd.DataFrame,
    *,
    show: Collection[str] = layers.DEFAULT_ON,
    small: bool = False,
    lang: str | None = None,
) -> list[folium.FeatureGroup]:
    """One switchable layer per facility kind (:data:`FACILITY_LAYERS`); ``show`` are on at start.

    ``small`` draws smaller symbols (a whole district on a projector, where
    full-size symbols would hide the desa colours).
    """
    aliases = [html.escape(t(k, lang=lang)) for k in ("map.tip.nama", "map.tip.jenis", "col.desa", "map.tip.status")]
    groups: list[folium.FeatureGroup] = []
    for layer in layers.FACILITY_LAYERS:
        rows = points[points["lapisan"] == layer.code]
        group = folium.FeatureGroup(name=html.escape(t(layer.label_key, lang=lang)), show=layer.code in show)
        for aktif in (True, False):
            subset = rows[rows["aktif"] == aktif]
            if subset.empty:
                continue
            folium.GeoJson(
                _points_geojson(subset),
                marker=_facility_marker(layer, aktif=aktif, small=small),
                tooltip=folium.GeoJsonTooltip(fields=list(FACILITY_PROPERTIES), aliases=aliases),
            ).add_to(group)
        group.add_to(fmap)
        groups.append(group)
    return groups


class _Legend(MacroElement):
    """A Leaflet control holding static legend HTML (no external resources), plus a metric scale bar."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", "ilp-legend{{ ' ilp-large' if this.large else '' }}");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            L.control.scale({imperial: false, position: "bottomleft"}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str, *, position: str = "bottomright", large: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = legend_html
        self.position = position
        self.large = large


def legend_html(*, facilities: bool, lang: str | None = None) -> str:
    """HTML of the legend: the four statuses (and the facility symbols)."""
    rows = [f'<div class="ilp-legend-title">{html.escape(t("map.legend.title", lang=lang))}</div>']
    for status in STATUSES:
        label = html.escape(status_label(status.code, lang=lang))
        desc = html.escape(t(status.desc_key, lang=lang))
        rows.append(
            f'<div class="ilp-legend-row" title="{desc}"><span class="ilp-sym ilp-swatch" '
            f'style="background:{status.colour}"></span>{label}</div>'
        )
    if facilities:
        rows.append(f'<div class="ilp-legend-title">{html.escape(t("map.legend.facilities", lang=lang))}</div>')
        for css, key in layers.LEGEND_ROWS:
            rows.append(
                f'<div class="ilp-legend-row"><span class="ilp-sym {css}"></span>{html.escape(t(key, lang=lang))}</div>'
            )
    return "".join(rows)


def add_legend(fmap: folium.Map, *, facilities: bool, large: bool = False, lang: str | None = None) -> None:
    """Put the status (and facility) legend in the bottom-right corner of the map (scale bar bottom-left)."""
    _Legend(legend_html(facilities=facilities, lang=lang), large=large).add_to(fmap)


def status_map(
    features: gpd.GeoDataFrame,
    points: pd.DataFrame | None = None,
    *,
    tiles: TileConfig | None = None,
    large_legend: bool = False,
    small_symbols: bool = False,
    show: Collection[str] = layers.DEFAULT_ON,
    bounds: Sequence[float] | None = None,
    padding: int = 0,
    leaflet_js: str | None = None,
    leaflet_css: str | None = None,
    lang: str | None = None,
) -> folium.Map:
    """The desa status map: polygons, optional facility layers, legend and layer switch.

    The map is fitted to the drawn desa (or ``bounds``); the layer switch
    (with facilities) is a collapsed button in the top-right corner, the
    legend sits in the bottom-right corner, kept off the data when that
    costs little zoom.

    Parameters
    ----------
    features
        From :func:`desa_features`.
    points
        From :func:`facility_points`; None draws no facility layers.
    tiles
        Basemap, or None for a plain background (offline).
    large_legend
        Bigger legend type (presentation mode).
    small_symbols
        Smaller facility symbols (a whole district in presentation mode).
    show
        Facility layers (:data:`FACILITY_LAYERS`) switched on at the start.
    bounds
        (minx, miny, maxx, maxy) to fit instead of the desa's bounds (e.g. a
        desa with its puskesmas outside it).
    padding
        Pixels kept free on every side of the fitted area.
    leaflet_js, leaflet_css
        URLs of Leaflet (default: the app's static copy, :func:`ui.assets.leaflet_urls`).
    lang
        Language of labels and tooltips.
    """
    if bounds is None:
        bounds = features.total_bounds if len(features) else None
    fmap = new_map(
        bounds,
        tiles=tiles,
        leaflet_js=leaflet_js,
        leaflet_css=leaflet_css,
        padding_right=LEGEND_CLEARANCE_PX[large_legend],
        padding=padding,
    )
    add_desa_layer(fmap, features, lang=lang)
    if points is not None:
        add_facility_layers(fmap, points, show=show, small=small_symbols, lang=lang)
        folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    add_legend(fmap, facilities=points is not None, large=large_legend, lang=lang)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The map as one standalone HTML page (what tests inspect)."""
    return fmap.get_root().render()


# -- streamlit -----------------------------------------------------------------------------
def show_map(
    fmap: folium.Map,
    *,
    key: str,
    height: int = 560,
    returned_objects: Sequence[str] = (),
    on_change: Any = None,
) -> dict[str, Any] | None:
    """Render ``fmap`` with streamlit-folium, returning only ``returned_objects``.

    With the default empty ``returned_objects`` the map never reruns the app.
    """
    from streamlit_folium import st_folium

    return st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        on_change=on_change,
    )


def clicked_desa(result: Mapping[str, Any] | None) -> str | None:
    """kode_desa of the desa last clicked on a map shown with ``returned_objects=["last_active_drawing"]``."""
    if not result:
        return None
    drawing = result.get("last_active_drawing")
    if not isinstance(drawing, Mapping):
        return None
    props = drawing.get("properties")
    if not isinstance(props, Mapping):
        return None
    kode = props.get("kode_desa")
    return html.unescape(str(kode)) if kode else None
