"""Page building blocks that combine cached data with maps, tables and selection.

Used by the Ringkasan and Peta Kesenjangan pages (and free for the others):
the status map of the filtered desa, the month-over-month headline pair, the
gap table, and a guard that turns a map click or table selection into a
single navigation to the Desa page.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import statuses
from ui import cards, data, downloads, map_views, scope, session
from ui.context import PageContext
from ui.fmt import fmt_int, fmt_km, fmt_pct, previous_month
from ui.i18n import column_label, status_label, t
from ui.palette import status_color
from ui.state import WARNA_STATUS, WARNA_TENAGA, ViewState

GAP_COLUMNS = (
    "nama_desa",
    "status",
    "nama_kecamatan",
    "puskesmas",
    "pustu_aktif",
    "pustu_standar",
    "posyandu_aktif",
    "jarak_pustu_km",
)


def status_table(ctx: PageContext, kode_desa: Sequence[str]) -> pd.DataFrame:
    """Rows of ``Coverage.desa_table(month)`` for ``kode_desa`` (table order)."""
    assert ctx.month is not None
    table = data.desa_table(ctx.source, ctx.rules, ctx.month)
    return table[table["kode_desa"].isin(list(kode_desa))].reset_index(drop=True)


PresentationColumns = tuple[DeltaGenerator, DeltaGenerator]
SCOPE_BAR_PX = 48  # px the breadcrumbs above a map take (presentation mode's large type)


def presentation_columns() -> PresentationColumns:
    """The two columns of :func:`presentation_view` (cards, map), for a page that draws into them first."""
    left, right = st.columns([1, 3], gap="small")
    return left, right


def presentation_view(
    ctx: PageContext,
    kode_desa: Sequence[str],
    *,
    facilities: bool,
    map_key: str,
    height: int,
    columns: PresentationColumns | None = None,
    values: Sequence[cards.CardValue] | None = None,
    area: ViewState | None = None,
    colouring: str = WARNA_STATUS,
) -> None:
    """Presentation mode: the key cards stacked on the left, a tall status map beside them.

    Side by side the map gets most of a 1280x720 screen's height, so a
    district (often taller than wide) fills it instead of a thin strip.

    Parameters
    ----------
    ctx, kode_desa
        The run's context and the desa on the map.
    facilities
        Draw the facility layers.
    map_key, height
        Key and height (px) of the map with the breadcrumbs above it, when the
        scope has them (:data:`SCOPE_BAR_PX` of it), so it ends at the same place.
    columns
        From :func:`presentation_columns` when the page already drew above
        the map (e.g. the Puskesmas page's picker); default: new columns.
    values
        The key cards (e.g. of a working area); default: the cards of the
        filtered desa (:func:`headline_pair`).
    area
        The area the map covers (default: the filters; e.g. a puskesmas's working area).
    colouring
        What the map colours by (:data:`ui.state.COLOURINGS`; the Peta page passes its ``warna``).
    """
    if values is None:
        current, previous, _ = headline_pair(ctx)
        targets = ctx.coverage().dataset.target
        values = cards.card_values(
            current, previous, rules=ctx.rules, cards=key_cards(colouring), targets=targets, month=ctx.month
        )
    left, right = columns or presentation_columns()
    with left:
        cards.render_cards(values, per_row=1)
    if area is None and ctx.options is not None and len(scope.breadcrumbs(ctx.state, ctx.options)) > 1:
        height -= SCOPE_BAR_PX  # map_views.scope_bar draws the breadcrumbs above the map
    with right:
        map_views.show_status_map(
            ctx,
            kode_desa,
            key=map_key,
            height=height,
            facilities=facilities,
            large=True,
            small_symbols=True,
            area=area,
            colouring=colouring,
        )


def key_cards(colouring: str = WARNA_STATUS) -> tuple[cards.Card, ...]:
    """The cards presentation mode shows (:data:`ui.cards.KEY_CARDS`), in the normal order.

    Beside a map coloured by pustu staffing (``colouring`` :data:`ui.state.WARNA_TENAGA`):
    :data:`ui.cards.STAFFING_KEY_CARDS`, with the staffing card.
    """
    shown = cards.STAFFING_KEY_CARDS if colouring == WARNA_TENAGA else cards.KEY_CARDS
    return tuple(c for c in cards.CARDS if c.column in shown)


def headline_pair(ctx: PageContext) -> tuple[pd.Series, pd.Series | None, str | None]:
    """(indicators of the chosen month, of the previous month or None, the previous month).

    Both use the same filters; the status filter is evaluated in each month (the previous
    month's is None when no desa matches then). Needs a desa matching in the chosen month.
    """
    assert ctx.month is not None and ctx.options is not None
    current = data.headline(ctx.source, ctx.rules, ctx.month, ctx.state)
    assert current is not None, "no desa matches the filters (check layout.require_desa first)"
    before_month = previous_month(ctx.month, ctx.options.months)
    if before_month is None:
        return current, None, None
    return current, data.headline(ctx.source, ctx.rules, before_month, ctx.state), before_month


def gap_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Desa with a gap (a status that ``is_gap``), worst status first, then by kecamatan and name."""
    rank = {status: i for i, status in enumerate(statuses.CODES)}
    gaps = table[~table["status"].astype("object").isin([s.code for s in statuses.STATUSES if not s.is_gap])]
    gaps = gaps.assign(_rank=gaps["status"].astype("object").map(rank))
    gaps = gaps.sort_values(["_rank", "nama_kecamatan", "nama_desa"], kind="stable")
    return gaps.drop(columns="_rank").reset_index(drop=True)


# Gap table: column -> (header key, width in px). Short Indonesian headers; the
# status column just fits its longest label, names get the most room; together
# they fit beside the sidebar at 1280 px (the full header is each column's help).
GAP_TABLE_LAYOUT: dict[str, tuple[str, int]] = {
    "nama_desa": ("col.nama_desa", 140),
    "status": ("col.status", 140),
    "nama_kecamatan": ("col.nama_kecamatan", 110),
    "puskesmas": ("col.puskesmas", 115),
    "pustu_aktif": ("peta.col.pustu", 75),
    "pustu_standar": ("peta.col.pustu_standar", 90),  # active pustu with 1 perawat + 1 bidan
    "posyandu_aktif": ("peta.col.posyandu", 90),
    "jarak_pustu_km": ("peta.col.jarak", 100),
}


def gap_table_labels() -> dict[str, str]:
    """Column -> header of the gap table, in the run's language."""
    return {column: t(key) for column, (key, _) in GAP_TABLE_LAYOUT.items()}


def gap_table_styler(gaps: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The gap table for ``st.dataframe``: labelled columns, Indonesian numbers, status colours.

    Values stay numeric (sorting by a column sorts numbers); only their
    display is formatted.
    """
    shown = gaps.loc[:, list(GAP_COLUMNS)].assign(status=gaps["status"].map(status_label))
    colours = dict(zip(shown["status"], gaps["status"].map(status_color), strict=True))
    label_of = gap_table_labels()
    labelled = shown.rename(columns=label_of)
    formats = {label_of[c]: fmt_int for c in ("pustu_aktif", "pustu_standar", "posyandu_aktif")}
    formats[label_of["jarak_pustu_km"]] = fmt_km
    return (
        labelled.style.format(formats)
        .format(_text_or_dash, subset=[label_of[c] for c in ("nama_desa", "nama_kecamatan", "puskesmas")])
        .map(lambda s: f"background-color: {colours.get(s, '#ffffff')}; color: #111111", subset=[label_of["status"]])
    )


def _text_or_dash(value: object) -> str:
    return "–" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def gap_table_columns() -> dict[str, st.column_config.Column]:
    """Column widths (px) and help texts of the gap table (keyed by the headers of :func:`gap_table_styler`)."""
    labels = gap_table_labels()
    config = {}
    for column, (_, width) in GAP_TABLE_LAYOUT.items():
        full = column_label(column)  # the long header, as help where the table shows a shorter one
        config[labels[column]] = st.column_config.Column(width=width, help=full if full != labels[column] else None)
    return config


def table_height(rows: int, *, max_px: int = 600) -> int:
    """Height (px) of an ``st.dataframe`` showing ``rows`` rows without empty space, up to ``max_px``."""
    return min(max_px, 35 * (rows + 1) + 3)


def is_new_selection(name: str, value: str | None) -> bool:
    """True once per new non-empty ``value`` of selection source ``name`` (map click, table row).

    A widget may hand back its last value again on later runs; acting only
    on a change avoids jumping to the Desa page more than once. An empty
    value resets the memory, so selecting the same desa again later works.
    """
    key = f"ilp_last_selection_{name}"
    previous = st.session_state.get(key)
    st.session_state[key] = value
    return value is not None and value != previous


def show_unit_table(ctx: PageContext, *, level: str, key: str) -> None:
    """The gap table of a scope drawn as units: one row per unit, largest share of desa with a gap first.

    Selecting a row drills down into that unit, like a click on the map.
    """
    assert ctx.month is not None and ctx.options is not None
    groups = data.group_indicators(ctx.source, ctx.rules, ctx.month, by=level, state=ctx.state)
    shown = groups.sort_values(["pct_kesenjangan", "desa_kesenjangan"], ascending=False, na_position="last")
    shown = shown.reset_index(drop=True)
    labels = {
        "nama": t(f"level.{level}"),
        "desa": t("map.tip.desa"),
        "desa_ada_data": column_label("desa_ada_data"),
        "desa_kesenjangan": column_label("desa_kesenjangan"),
        "pct_kesenjangan": column_label("pct_kesenjangan"),
        "pct_pustu_standar": column_label("pct_pustu_standar"),
    }
    table = shown.loc[:, list(labels)].rename(columns=labels)
    formats = {labels[c]: fmt_int for c in ("desa", "desa_ada_data", "desa_kesenjangan")}
    formats.update({labels[c]: fmt_pct for c in ("pct_kesenjangan", "pct_pustu_standar")})
    st.subheader(t("peta.unit_table", tingkat=t(f"level.{level}").lower()))
    st.caption(t("peta.unit_help"))
    options, state = ctx.options, ctx.state

    def _drill() -> None:
        rows = st.session_state[key].selection.rows
        if rows and rows[0] < len(shown):
            session.set_scope(scope.drill(state, level=level, kode=str(shown.loc[rows[0], "kode"]), options=options))

    st.dataframe(
        table.style.format(formats).format(_text_or_dash, subset=[labels["nama"]]),
        key=key,
        on_select=_drill,
        selection_mode="single-row",
        hide_index=True,
        height=table_height(len(table), max_px=460),
        width="stretch",
    )
    downloads.table_downloads(
        shown.loc[:, ["kode", *labels]], name=f"kesenjangan_per_{level}", key=key, titles={"nama": labels["nama"]}
    )
