"""Map image (PNG) and PDF report of the desa in view (pure: no streamlit, no browser, no internet).

Drawn with matplotlib (no pyplot: one :class:`~matplotlib.figure.Figure` per page,
so no global backend is chosen) in the bundled DejaVu Sans font. Renders are
serialised by one lock (matplotlib is not thread safe and the PDF font type is an
rc setting).

The map (the PNG, and page 1 of the PDF, one A4 landscape drawing):

* every desa of ``request.kode_desa`` filled with the colour of its status in
  ``request.month`` (:meth:`geo.engine.Coverage.desa_table`: the engine decides;
  colours and order from :data:`geo.statuses.STATUSES`); desa are always drawn,
  whatever their number, since the status is per desa;
* boundaries simplified at a tolerance of the map's extent / :data:`SIMPLIFY_DIVISOR`
  (about a third of a printed pixel at 300 dpi: Tasikmalaya ~35 m, Jawa Barat
  ~120 m), at most :data:`SIMPLIFY_MAX_M`: together (:func:`geo.display.simplify_coverage`,
  shared borders stay shared) up to :data:`geo.levels.MAX_DESA_DRAWN` desa; above that
  each desa on its own, which is ~15x faster (hairline gaps are invisible at that
  scale; the sliver holes they leave in the dissolved units are dropped), and
  above :data:`MAX_DESA_EDGES` desa the desa borders are not drawn;
* heavier borders and names of the units above the desa: the kecamatan when the
  view has at most :data:`MAX_BORDER_UNITS` of them, otherwise the kabupaten/kota,
  otherwise the provinsi (dissolved from the drawn desa by
  :func:`geo.display.dissolve_units`); names are placed largest unit first and a
  name that would overlap one already placed is left out; no names at all above
  :data:`MAX_LABELS` units; desa names too when the view has at most
  :data:`MAX_DESA_LABELS` desa (a puskesmas's working area);
* drawn in the metric CRS of :func:`geo.metric.metric_crs` (a UTM zone for a
  district or a province), so the scale bar (``matplotlib-scalebar``) reads metres
  directly; a north arrow ("U" / "N");
* the title, the area and month, a legend with only the statuses present and their
  desa counts, the data version, the date made, the posyandu rule and a source line,
  all in ``request.lang`` with Indonesian number formats.

The PDF (A4 landscape, :func:`render_pdf`): the map, then the indicator tables
per kecamatan and per puskesmas (a puskesmas head's: its desa, one row each),
paginated with the header repeated and a footer with the area, month, data
version and page n of N. Written with ``PdfPages`` and TrueType (Type 42) fonts
so the text can be searched and copied.

Measured on the 2-core development machine (busy with other work, so ranges):
Kabupaten Tasikmalaya (351 desa) PNG 0.45-1.6 s, PDF (5 pages) 1.4-3.5 s, most
of the PDF's time in subsetting the embedded font; Jawa Barat (5,957 desa, no
facilities) PNG 1.6-4.5 s, PDF (28 pages) 7.5-17 s.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib_scalebar.scalebar import ScaleBar

from geo import levels
from geo.display import METRES_PER_DEGREE, dissolve_units, label_points, simplify_coverage
from geo.metric import metric_crs
from geo.statuses import STATUSES
from loaders import model
from ui.fmt import MISSING, fmt_int, fmt_month, fmt_num, fmt_pct
from ui.i18n import column_label, status_label, t
from ui.report_vector import desa_rows

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

    from ui.exports import ExportRequest

# -- page and image --------------------------------------------------------------------
PAGE_WIDTH_PT: Final = 842.0  # A4 landscape
PAGE_HEIGHT_PT: Final = 595.0
PAGE_SIZE_IN: Final = (PAGE_WIDTH_PT / 72.0, PAGE_HEIGHT_PT / 72.0)
PNG_WIDTH_PX: Final = 1600  # 1600 x 1131: a slide or a WhatsApp image, the A4 proportions
PNG_DPI: Final = PNG_WIDTH_PX / PAGE_SIZE_IN[0]
FONT: Final = "DejaVu Sans"  # bundled with matplotlib: nothing is downloaded
RC: Final[dict[str, object]] = {
    "font.family": FONT,
    "pdf.fonttype": 42,  # TrueType: the PDF's text stays extractable
    "text.parse_math": False,  # a name with "$" is text, not mathtext
    "axes.unicode_minus": False,
}

# -- map --------------------------------------------------------------------------------
MAP_BOX: Final = (0.025, 0.075, 0.685, 0.80)  # left, bottom, width, height (figure fraction)
PANEL_LEFT: Final = 0.73
NORTH_ARROW_BOX: Final = (PANEL_LEFT, 0.36, 0.04, 0.15)  # below the legend (at most 5 statuses + 2 lines)
SIMPLIFY_DIVISOR: Final = 2500.0
SIMPLIFY_MIN_M: Final = 5.0
SIMPLIFY_MAX_M: Final = 1500.0
MAX_BORDER_UNITS: Final = 120
MAX_LABELS: Final = 80
MAX_DESA_LABELS: Final = 40
MAP_MARGIN: Final = 0.03
SCALE_FRACTION: Final = 0.22  # the scale bar's length: about this share of the map's width
SLIVER_COMPACTNESS: Final = 0.15
SLIVER_AREA_TOLERANCES: Final = 100.0
MAX_DESA_EDGES: Final = 10_000  # above this many desa their borders are not drawn (they would grey the fills)
INFO_WRAP_CHARS: Final = 52
DESA_EDGE: Final = "#FFFFFF"
UNIT_EDGE: Final = "#222222"
BORDER_LEVELS: Final = (levels.KECAMATAN, levels.KABUPATEN, levels.PROVINSI)
_LOCK: Final = threading.Lock()

# -- tables -----------------------------------------------------------------------------
TABLE_LEFT_IN: Final = 0.45
TABLE_RIGHT_IN: Final = 0.45
TABLE_TOP_IN: Final = 0.95  # the header's top, from the page's top
HEADER_HEIGHT_IN: Final = 0.48
ROW_HEIGHT_IN: Final = 0.205
FOOTER_IN: Final = 0.55  # the rows stop this far above the page's bottom
TABLE_FONT: Final = 7.5
HEADER_FONT: Final = 6.5
ROWS_PER_PAGE: Final = int((PAGE_SIZE_IN[1] - TABLE_TOP_IN - HEADER_HEIGHT_IN - FOOTER_IN) / ROW_HEIGHT_IN)
NAME_WIDTH_IN: Final = 1.6
INDICATOR_COLUMNS: Final = (
    "desa",
    "desa_lengkap",
    "desa_tanpa_pustu",
    "desa_tanpa_posyandu_aktif",
    "desa_tanpa_keduanya",
    "desa_tanpa_data",
    "pct_kesenjangan",
    "posyandu_total",
    "posyandu_aktif",
    "pct_posyandu_aktif",
    "pct_kelengkapan_laporan",
    "pustu_total",
    "pct_pustu_standar",
)
OPTIONAL_COLUMNS: Final = frozenset({"desa_tanpa_data"})  # shown only when not all zero
DESA_COLUMNS: Final = (
    "nama_kecamatan",
    "status",
    "pustu_aktif",
    "pustu_total",
    "pustu_standar",
    "posyandu_total",
    "posyandu_aktif",
    "posyandu_lapor",
    "jarak_pustu_km",
)


# ===================================================================================
# Public renderers
# ===================================================================================
def render_png(request: ExportRequest) -> bytes:
    """The map as a PNG image of 1600 x 1131 pixels (A4 proportions).

    Raises
    ------
    InputError
        When ``request.kode_desa`` is empty or names unknown desa, or the month is not ``YYYY-MM``.
    """
    prepared = _prepare(request)
    with _LOCK, mpl.rc_context(RC):
        figure = _map_figure(request, prepared)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": "Peta ILP"})
    return buffer.getvalue()


def render_pdf(request: ExportRequest) -> bytes:
    """A4 landscape PDF: the map on page 1, then the indicator tables (see the module notes).

    Raises
    ------
    InputError
        As :func:`render_png`.
    """
    prepared = _prepare(request)
    sections = _table_sections(request, prepared.rows)
    pages = [chunk for section in sections for chunk in section.pages()]
    total = 1 + len(pages)
    buffer = io.BytesIO()
    with _LOCK, mpl.rc_context(RC):
        metadata = {"Title": _title(request, prepared.rows), "Subject": _subtitle(request), "Creator": "Peta ILP"}
        with PdfPages(buffer, metadata=metadata) as pdf:
            map_page = _map_figure(request, prepared)
            _footer(map_page, request, page=1, total=total)
            pdf.savefig(map_page)
            for number, (section, rows, first) in enumerate(pages, start=2):
                figure = _table_figure(request, section, rows, continued=not first)
                _footer(figure, request, page=number, total=total)
                pdf.savefig(figure)
    return buffer.getvalue()


# ===================================================================================
# The map
# ===================================================================================
@dataclass(frozen=True)
class _Prepared:
    """What the map draws, in the metric CRS: desa rows (request order), their shapes and the units above."""

    rows: pd.DataFrame
    desa: np.ndarray  # metric polygons, None where the desa has no geometry
    units: gpd.GeoDataFrame  # kode, nama, geometry (metric); may be empty
    unit_level: str | None
    crs: object


def _prepare(request: ExportRequest) -> _Prepared:
    rows = desa_rows(request)
    geometries = request.coverage.desa_geometries()
    position = pd.Index(geometries["kode_desa"].astype("string").to_numpy(dtype=object))
    picked = geometries.geometry.iloc[position.get_indexer(rows["kode_desa"].astype("string").to_numpy())]
    lonlat = gpd.GeoSeries(picked.to_numpy(), crs=model.CRS)
    present = ~(lonlat.isna() | lonlat.is_empty).to_numpy()
    if not present.any():
        crs = metric_crs((106.0, -7.0, 107.0, -6.0))
        empty = gpd.GeoDataFrame({"kode": [], "nama": []}, geometry=[], crs=crs)
        return _Prepared(rows, np.full(len(rows), None, dtype=object), empty, None, crs)
    bounds = lonlat[present].total_bounds
    crs = metric_crs(bounds)
    extent = gpd.GeoSeries(shapely.box(*bounds), crs=model.CRS).to_crs(crs).total_bounds
    tolerance = min(
        max(max(extent[2] - extent[0], extent[3] - extent[1]) / SIMPLIFY_DIVISOR, SIMPLIFY_MIN_M), SIMPLIFY_MAX_M
    )
    if len(rows) <= levels.MAX_DESA_DRAWN:
        simplified = simplify_coverage(lonlat, tolerance_m=tolerance)
    else:
        simplified = gpd.GeoSeries(_simplified_each(lonlat.to_numpy(), tolerance / METRES_PER_DEGREE), crs=model.CRS)
    unit_level = _unit_level(rows)
    units = gpd.GeoDataFrame({"kode": [], "nama": []}, geometry=[], crs=crs)
    if unit_level is not None:
        columns = [c for c in dict.fromkeys(lv.kode_column for lv in levels.LEVELS[:-1]) if c in rows.columns]
        columns += [levels.level(unit_level).nama_column]
        frame = gpd.GeoDataFrame(
            rows.loc[:, columns].reset_index(drop=True), geometry=simplified.to_numpy(), crs=model.CRS
        )
        dissolved = dissolve_units(frame, level=unit_level)
        units = dissolved.loc[dissolved.geometry.notna(), ["kode", "nama", "geometry"]].to_crs(crs)
        if len(rows) > levels.MAX_DESA_DRAWN:
            units = units.set_geometry(_without_slivers(units.geometry.to_numpy(), tolerance_m=tolerance))
    desa = simplified.to_crs(crs).to_numpy()
    return _Prepared(rows, np.asarray(desa, dtype=object), units.reset_index(drop=True), unit_level, crs)


def _simplified_each(polygons: np.ndarray, tolerance: float) -> np.ndarray:
    """Each polygon simplified on its own (Douglas-Peucker; topology-preserving where that came out invalid or empty).

    About 15x faster than the coverage simplification on Jawa Barat's 5,957 desa; neighbours may
    then show hairline gaps along their shared border, invisible at the scale such a view is printed.
    """
    values = np.asarray(polygons, dtype=object)
    out = shapely.simplify(values, tolerance)
    bad = ~shapely.is_missing(values) & (~shapely.is_valid(out) | shapely.is_empty(out))
    if bad.any():
        out[bad] = shapely.simplify(values[bad], tolerance, preserve_topology=True)
    return out


def _without_slivers(polygons: np.ndarray, *, tolerance_m: float) -> np.ndarray:
    """Metric unit borders without the slivers that desa simplified one by one leave (only the border is cleaned).

    A hole or a part is such a sliver when it is small (below :data:`SLIVER_AREA_TOLERANCES` squared
    tolerances) or thin (``4 pi area / perimeter^2`` below :data:`SLIVER_COMPACTNESS`, up to ten times that
    area); an enclave (a kota inside its kabupaten) is neither and stays a hole, and each unit keeps its
    largest part. The desa fills are not touched: a small island keeps its colour, without a heavy border.
    """
    limit = SLIVER_AREA_TOLERANCES * tolerance_m**2

    def sliver(area: float, perimeter: float) -> bool:
        thin = 4 * math.pi * area / max(perimeter**2, 1e-9) < SLIVER_COMPACTNESS
        return area < limit or (thin and area < 10 * limit)

    out = np.empty(len(polygons), dtype=object)
    for i, geometry in enumerate(polygons):
        parts = list(shapely.get_parts(geometry)) if geometry is not None else []
        if not parts:
            out[i] = geometry
            continue
        largest = max(range(len(parts)), key=lambda j: parts[j].area)
        kept = [
            shapely.Polygon(p.exterior, [r for r in p.interiors if not sliver(shapely.Polygon(r).area, r.length)])
            for j, p in enumerate(parts)
            if j == largest or not sliver(p.area, p.length)
        ]
        out[i] = shapely.MultiPolygon(kept)
    return out


def _unit_level(rows: pd.DataFrame) -> str | None:
    """The first level of :data:`BORDER_LEVELS` with at most :data:`MAX_BORDER_UNITS` units in view."""
    for code in BORDER_LEVELS:
        column = levels.level(code).kode_column
        if column in rows.columns and rows[column].nunique(dropna=True) <= MAX_BORDER_UNITS:
            return code
    return None


def _paths(geometries: np.ndarray) -> list[MplPath]:
    """One compound matplotlib path per polygonal geometry (exterior rings counter-clockwise, holes clockwise)."""
    oriented = shapely.orient_polygons(np.asarray(geometries, dtype=object))
    parts, part_owner = shapely.get_parts(oriented, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    if len(coords):
        starts = np.r_[0, np.flatnonzero(np.diff(coord_ring)) + 1]
        ends = np.r_[starts[1:] - 1, len(coords) - 1]
        codes[starts] = MplPath.MOVETO
        codes[ends] = MplPath.CLOSEPOLY
    owner = part_owner[ring_part[coord_ring]] if len(coords) else np.empty(0, dtype=int)
    cut = np.searchsorted(owner, np.arange(len(oriented) + 1))
    return [MplPath(coords[a:b], codes[a:b]) for a, b in zip(cut[:-1], cut[1:], strict=True)]


def _title(request: ExportRequest, rows: pd.DataFrame) -> str:
    if request.kode_puskesmas is None:
        return t("peta_ekspor.judul", lang=request.lang)
    return t("peta_ekspor.judul_puskesmas", lang=request.lang, nama=_puskesmas_name(request, rows))


def _puskesmas_name(request: ExportRequest, rows: pd.DataFrame) -> str:
    """The name of ``request.kode_puskesmas`` without a leading "Puskesmas" (the texts put it before the name)."""
    match = rows.loc[rows["kode_puskesmas"].astype("string") == request.kode_puskesmas, "puskesmas"].dropna()
    name = str(match.iloc[0]) if len(match) else str(request.kode_puskesmas)
    return re.sub(r"^(?:puskesmas|pkm)\s+", "", name, flags=re.IGNORECASE) or name


def _subtitle(request: ExportRequest) -> str:
    return t(
        "peta_ekspor.subjudul", lang=request.lang, area=request.area, bulan=fmt_month(request.month, lang=request.lang)
    )


def _made_on(lang: str) -> str:
    today = dt.datetime.now(tz=dt.UTC).date()
    return f"{today.day} {fmt_month(f'{today.year:04d}-{today.month:02d}', lang=lang)}"


def _map_figure(request: ExportRequest, prepared: _Prepared) -> Figure:
    figure = Figure(figsize=PAGE_SIZE_IN, dpi=PNG_DPI)
    canvas = FigureCanvasAgg(figure)
    lang = request.lang
    rows = prepared.rows
    figure.text(0.025, 0.955, _title(request, rows), fontsize=17, fontweight="bold", va="center")
    figure.text(0.025, 0.912, _subtitle(request), fontsize=12.5, va="center", color="#333333")

    ax = figure.add_axes(MAP_BOX)
    ax.set_axis_off()
    ax.set_aspect("equal")
    statuses = rows["status"].astype("string").to_numpy(dtype=object)
    drawn = np.array([g is not None and not shapely.is_empty(g) for g in prepared.desa], dtype=bool)
    colours = {s.code: s.colour for s in STATUSES}
    many = len(rows) > levels.MAX_DESA_DRAWN
    if drawn.any():
        paths = _paths(prepared.desa[drawn])
        faces = [colours.get(code, "#FFFFFF") for code in statuses[drawn]]
        edges = 0.0 if len(rows) > MAX_DESA_EDGES else (0.15 if many else 0.4)
        ax.add_collection(
            PathCollection(
                paths,
                facecolors=faces,
                edgecolors=DESA_EDGE if edges else "face",
                linewidths=edges if edges else 0.1,
                zorder=1,
            )
        )
        minx, miny, maxx, maxy = shapely.total_bounds(prepared.desa[drawn])
        _fit(ax, (minx, miny, maxx, maxy))
    if len(prepared.units):
        ax.add_collection(
            PathCollection(
                _paths(prepared.units.geometry.to_numpy()),
                facecolors="none",
                edgecolors=UNIT_EDGE,
                linewidths=1.1,
                zorder=2,
            )
        )
    renderer = canvas.get_renderer()
    placed: list[object] = []
    if len(prepared.units) and len(prepared.units) <= MAX_LABELS:
        order = np.argsort(-prepared.units.geometry.area.to_numpy(), kind="stable")
        points = label_points(prepared.units.geometry)
        _place_labels(
            ax,
            renderer,
            [(points.iloc[i], str(prepared.units["nama"].iloc[i])) for i in order],
            placed,
            size=7.5 if len(prepared.units) <= 45 else 6.2,
            weight="bold",
            colour="#111111",
        )
    if drawn.sum() <= MAX_DESA_LABELS:
        shapes = gpd.GeoSeries(prepared.desa[drawn])
        points = label_points(shapes)
        names = rows["nama_desa"].astype("string").to_numpy(dtype=object)[drawn]
        order = np.argsort(-shapes.area.to_numpy(), kind="stable")
        _place_labels(
            ax,
            renderer,
            [(points.iloc[i], str(names[i])) for i in order],
            placed,
            size=6.5,
            weight="normal",
            colour="#333333",
        )
    value, unit = _scale_length(ax)
    ax.add_artist(
        ScaleBar(
            1.0,
            units="m",
            fixed_value=value,
            fixed_units=unit,
            scale_formatter=lambda length, units: f"{fmt_num(length, decimals=0)} {units}",
            location="lower left",
            box_alpha=0.85,
            border_pad=0.6,
            font_properties={"family": FONT, "size": 8.5},
        )
    )
    _north_arrow(figure, t("peta_ekspor.utara", lang=lang))
    _legend(figure, renderer, request, prepared)
    info = [
        request.data_version,
        t("peta_ekspor.dibuat", lang=lang, tanggal=_made_on(lang)),
        t(
            "peta_ekspor.aturan",
            lang=lang,
            min=request.rules.posyandu_min_bulan,
            jendela=request.rules.posyandu_jendela_bulan,
        ),
    ]
    lines = [part for line in info for part in textwrap.wrap(line, INFO_WRAP_CHARS)]
    for i, line in enumerate(lines):
        figure.text(PANEL_LEFT, 0.075 + (len(lines) - 1 - i) * 0.026, line, fontsize=7.8, color="#333333")
    figure.text(0.025, 0.03, t("peta_ekspor.sumber", lang=lang), fontsize=7.2, color="#444444")
    return figure


def _scale_length(ax: Axes) -> tuple[float, str]:
    """A round length (1, 2 or 5 x 10^n) near :data:`SCALE_FRACTION` of the map's width, in m below 1 km, else km."""
    low, high = ax.get_xlim()
    target = max((high - low) * SCALE_FRACTION, 1.0)
    exponent = math.floor(math.log10(target))
    metres = max(step * 10.0**exponent for step in (1, 2, 5) if step * 10.0**exponent <= target)
    return (metres, "m") if metres < 1000 else (metres / 1000.0, "km")


def _fit(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    """Limits showing ``bounds`` with a margin, widened to the axes' proportions (equal aspect)."""
    minx, miny, maxx, maxy = bounds
    width = max(maxx - minx, 1.0) * (1 + 2 * MAP_MARGIN)
    height = max(maxy - miny, 1.0) * (1 + 2 * MAP_MARGIN)
    box_ratio = (MAP_BOX[3] * PAGE_SIZE_IN[1]) / (MAP_BOX[2] * PAGE_SIZE_IN[0])
    if height / width > box_ratio:
        width = height / box_ratio
    else:
        height = width * box_ratio
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)


def _place_labels(
    ax: Axes,
    renderer: object,
    labels: Sequence[tuple[object, str]],
    placed: list[object],
    *,
    size: float,
    weight: str,
    colour: str,
) -> None:
    """Write each (point, name) unless its box would overlap a name already placed or leave the map."""
    frame = ax.get_window_extent(renderer)
    halo = [patheffects.Stroke(linewidth=2.2, foreground="white")]
    for point, name in labels:
        if point is None or shapely.is_empty(point):
            continue
        style = {"fontsize": size, "fontweight": weight, "ha": "center", "va": "center", "parse_math": False}
        text: Text = ax.text(point.x, point.y, name, color=colour, zorder=5, **style)
        box = text.get_window_extent(renderer).expanded(1.08, 1.25)
        inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
        if not inside or any(box.overlaps(other) for other in placed):
            text.remove()
            continue
        # The white halo is a stroked copy underneath (drawn as a path); the name on top stays text in the PDF.
        ax.text(point.x, point.y, name, color="white", zorder=4, path_effects=halo, **style)
        placed.append(box)


def _north_arrow(figure: Figure, letter: str) -> None:
    """An arrow pointing up with its letter ("U"/"N") below, in the side panel (never over the map)."""
    box = figure.add_axes(NORTH_ARROW_BOX)
    box.set_axis_off()
    box.annotate(
        "",
        xy=(0.5, 1.0),
        xytext=(0.5, 0.3),
        xycoords="axes fraction",
        textcoords="axes fraction",
        arrowprops={"facecolor": "#111111", "edgecolor": "#111111", "width": 3.5, "headwidth": 11, "headlength": 11},
    )
    box.text(0.5, 0.12, letter, transform=box.transAxes, ha="center", va="center", fontsize=13, fontweight="bold")


def _legend(figure: Figure, renderer: object, request: ExportRequest, prepared: _Prepared) -> None:
    lang = request.lang
    counts = prepared.rows["status"].astype("string").value_counts()
    handles: list[object] = []
    labels: list[str] = []
    for status in STATUSES:
        n = int(counts.get(status.code, 0))
        if n:
            handles.append(Patch(facecolor=status.colour, edgecolor="#666666", linewidth=0.5))
            labels.append(
                t("peta_ekspor.legenda_item", lang=lang, label=status_label(status.code, lang=lang), n=fmt_int(n))
            )
    if len(prepared.rows) <= MAX_DESA_EDGES:
        handles.append(Line2D([], [], color="#BBBBBB", linewidth=0.8))
        labels.append(t("peta_ekspor.batas_desa", lang=lang))
    if prepared.unit_level is not None and len(prepared.units):
        handles.append(Line2D([], [], color=UNIT_EDGE, linewidth=1.6))
        labels.append(t(f"peta_ekspor.batas.{prepared.unit_level}", lang=lang))
    panel = figure.add_axes((PANEL_LEFT, 0.3, 1 - PANEL_LEFT - 0.02, 0.58))
    panel.set_axis_off()
    legend = panel.legend(
        handles,
        labels,
        loc="upper left",
        title=t("peta_ekspor.legenda", lang=lang),
        frameon=False,
        fontsize=9.5,
        title_fontsize=11,
        alignment="left",
        handlelength=1.8,
        handleheight=1.2,
        labelspacing=0.7,
        borderaxespad=0.0,
    )
    legend.get_title().set_fontweight("bold")
    bottom = legend.get_window_extent(renderer).transformed(figure.transFigure.inverted()).y0
    figure.text(
        PANEL_LEFT,
        bottom - 0.035,
        t("peta_ekspor.jumlah", lang=lang, n=fmt_int(len(prepared.rows))),
        fontsize=9.5,
        fontweight="bold",
    )


def _footer(figure: Figure, request: ExportRequest, *, page: int, total: int) -> None:
    left = f"{request.area} · {fmt_month(request.month, lang=request.lang)} · {request.data_version}"
    figure.text(0.025, 0.008, left, fontsize=7, color="#555555", va="bottom")
    figure.text(
        0.975,
        0.008,
        t("peta_ekspor.halaman", lang=request.lang, n=page, total=total),
        fontsize=7,
        color="#555555",
        ha="right",
        va="bottom",
    )


# ===================================================================================
# The tables
# ===================================================================================
@dataclass(frozen=True)
class _Column:
    """One printed column: header, width (inches), alignment, and how a value is written."""

    header: str
    width: float
    align: str
    text: Callable[[object], str]


@dataclass(frozen=True)
class _Section:
    """One table: its title, columns, body rows (cells as text) and bold total rows at the end."""

    title: str
    columns: tuple[_Column, ...]
    body: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, ...], ...]

    def pages(self) -> list[tuple[_Section, list[tuple[tuple[str, ...], bool]], bool]]:
        """(section, rows of one page as (cells, bold), first page?) for every page of this section."""
        rows = [(r, False) for r in self.body] + [(r, True) for r in self.totals]
        chunks = [rows[i : i + ROWS_PER_PAGE] for i in range(0, max(len(rows), 1), ROWS_PER_PAGE)]
        return [(self, chunk, i == 0) for i, chunk in enumerate(chunks)]


def _number_text(column: str) -> Callable[[object], str]:
    if column.startswith("pct_"):
        return lambda value: fmt_pct(value, decimals=1)
    if column == "jarak_pustu_km":
        return lambda value: fmt_num(value, decimals=1)
    return fmt_int


def _clip(text: str, width_in: float, size: float) -> str:
    """``text`` cut with an ellipsis to about ``width_in`` inches at font ``size``."""
    limit = max(int(width_in * 72.0 / (size * 0.56)), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _indicator_section(request: ExportRequest, *, by: str, title_key: str) -> _Section:
    lang = request.lang
    codes = list(request.kode_desa)
    table = request.coverage.indicators(request.month, by=by, kode_desa=codes)
    totals = request.coverage.indicators(request.month, by=levels.KABUPATEN, kode_desa=codes)
    columns = [c for c in INDICATOR_COLUMNS if c not in OPTIONAL_COLUMNS or table[c].fillna(0).astype(float).sum() > 0]
    numeric_width = (PAGE_SIZE_IN[0] - TABLE_LEFT_IN - TABLE_RIGHT_IN - NAME_WIDTH_IN) / len(columns)
    name_header = column_label("nama_kecamatan" if by == levels.KECAMATAN else "puskesmas", lang=lang)
    printed = (
        _Column(name_header, NAME_WIDTH_IN, "left", str),
        *(_Column(column_label(c, lang=lang), numeric_width, "right", _number_text(c)) for c in columns),
    )

    def cells(frame: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
        out = []
        for record in frame.to_dict("records"):
            name = record["nama"] if record["nama"] is not None and record["nama"] is not pd.NA else MISSING
            out.append((str(name), *(printed[i + 1].text(record[c]) for i, c in enumerate(columns))))
        return tuple(out)

    title = t(title_key, lang=lang, bulan=fmt_month(request.month, lang=lang))
    return _Section(title, printed, cells(table), cells(totals))


def _desa_section(request: ExportRequest, rows: pd.DataFrame) -> _Section:
    lang = request.lang
    widths = {"nama_kecamatan": 1.5, "status": 1.75}
    fixed = NAME_WIDTH_IN + sum(widths.values())
    rest = (PAGE_SIZE_IN[0] - TABLE_LEFT_IN - TABLE_RIGHT_IN - fixed) / (len(DESA_COLUMNS) - len(widths))

    def text_of(column: str) -> Callable[[object], str]:
        if column == "status":
            return lambda value: status_label(value, lang=lang)
        if column == "nama_kecamatan":
            return str
        return _number_text(column)

    printed = (
        _Column(column_label("nama_desa", lang=lang), NAME_WIDTH_IN, "left", str),
        *(
            _Column(
                column_label(c, lang=lang),
                widths.get(c, rest),
                "left" if c in widths else "right",
                text_of(c),
            )
            for c in DESA_COLUMNS
        ),
    )
    body = tuple(
        (str(record["nama_desa"]), *(printed[i + 1].text(record[c]) for i, c in enumerate(DESA_COLUMNS)))
        for record in rows.to_dict("records")
    )
    title = t(
        "peta_ekspor.tabel.desa",
        lang=lang,
        nama=_puskesmas_name(request, rows),
        bulan=fmt_month(request.month, lang=lang),
    )
    return _Section(title, printed, body, ())


def _table_sections(request: ExportRequest, rows: pd.DataFrame) -> list[_Section]:
    if request.kode_puskesmas is not None:
        return [_desa_section(request, rows)]
    return [
        _indicator_section(request, by=levels.KECAMATAN, title_key="peta_ekspor.tabel.kecamatan"),
        _indicator_section(request, by="puskesmas", title_key="peta_ekspor.tabel.puskesmas"),
    ]


def _wrap(header: str, width_in: float) -> str:
    """The header broken into lines that fit ``width_in`` at :data:`HEADER_FONT`."""
    limit = max(int(width_in * 72.0 / (HEADER_FONT * 0.64)), 6)
    words: list[str] = []
    for word in header.split():
        while len(word) > limit:  # a word wider than the column is hyphenated
            words.append(word[: limit - 1] + "-")
            word = word[limit - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines[:4])


def _table_figure(
    request: ExportRequest,
    section: _Section,
    rows: list[tuple[tuple[str, ...], bool]],
    *,
    continued: bool,
) -> Figure:
    width_in, height_in = PAGE_SIZE_IN
    figure = Figure(figsize=PAGE_SIZE_IN, dpi=72)
    title = section.title + (f" {t('peta_ekspor.lanjutan', lang=request.lang)}" if continued else "")
    figure.text(TABLE_LEFT_IN / width_in, 1 - 0.45 / height_in, title, fontsize=12.5, fontweight="bold", va="center")
    figure.text(
        TABLE_LEFT_IN / width_in,
        1 - 0.68 / height_in,
        request.area,
        fontsize=9,
        color="#333333",
        va="center",
    )

    def x_of(position: int) -> float:
        return TABLE_LEFT_IN + sum(c.width for c in section.columns[:position])

    table_width = x_of(len(section.columns)) - TABLE_LEFT_IN
    top = height_in - TABLE_TOP_IN
    figure.patches.append(
        Rectangle(
            (TABLE_LEFT_IN / width_in, (top - HEADER_HEIGHT_IN) / height_in),
            table_width / width_in,
            HEADER_HEIGHT_IN / height_in,
            transform=figure.transFigure,
            facecolor="#E8ECEF",
            edgecolor="none",
            figure=figure,
        )
    )
    pad = 0.05
    for i, column in enumerate(section.columns):
        left = x_of(i)
        x = left + pad if column.align == "left" else left + column.width - pad
        figure.text(
            x / width_in,
            (top - HEADER_HEIGHT_IN / 2) / height_in,
            _wrap(column.header, column.width - 2 * pad),
            fontsize=HEADER_FONT,
            fontweight="bold",
            ha=column.align,
            va="center",
            linespacing=1.1,
        )
    y = top - HEADER_HEIGHT_IN
    for index, (cells, bold) in enumerate(rows):
        if bold or index % 2 == 1:
            figure.patches.append(
                Rectangle(
                    (TABLE_LEFT_IN / width_in, (y - ROW_HEIGHT_IN) / height_in),
                    table_width / width_in,
                    ROW_HEIGHT_IN / height_in,
                    transform=figure.transFigure,
                    facecolor="#DDE3E8" if bold else "#F5F7F8",
                    edgecolor="none",
                    figure=figure,
                )
            )
        for i, column in enumerate(section.columns):
            left = x_of(i)
            x = left + pad if column.align == "left" else left + column.width - pad
            value = _clip(cells[i], column.width - 2 * pad, TABLE_FONT) if column.align == "left" else cells[i]
            figure.text(
                x / width_in,
                (y - ROW_HEIGHT_IN / 2) / height_in,
                value,
                fontsize=TABLE_FONT,
                fontweight="bold" if bold else "normal",
                ha=column.align,
                va="center",
            )
        y -= ROW_HEIGHT_IN
    figure.lines.append(
        Line2D(
            [TABLE_LEFT_IN / width_in, (TABLE_LEFT_IN + table_width) / width_in],
            [y / height_in, y / height_in],
            transform=figure.transFigure,
            color="#999999",
            linewidth=0.6,
            figure=figure,
        )
    )
    return figure
