"""Peta Kesenjangan (gap map): desa by status, facility layers, table of gap desa.

Clicking a desa on the map or selecting a row of the table opens that desa
on the Desa page (the selection goes into the view state and the URL).

The map takes the full width (a district on a 1280 px screen needs the
room) and the table of gap desa follows below it, wide enough for every
column without scrolling sideways. "Warnai peta menurut" colours the map by
desa status (default) or by pustu staffing (``warna=tenaga`` in the URL,
:mod:`geo.staffing`); the choice changes only the map's values.
"""

from __future__ import annotations

import streamlit as st

from ui import context, downloads, layout, map_views, session, views
from ui.fmt import fmt_int
from ui.i18n import t
from ui.state import COLOURINGS

MAP_KEY = "peta_kesenjangan"
TABLE_KEY = "peta_tabel_kesenjangan"
MAP_HEIGHT = 540  # px, full width
EXPORTS = ("png", "geojson", "gpkg", "xlsx")  # the map as an image and as data, and the report

ctx = context.current()
layout.page_header(ctx, t("peta.title"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
kode_desa = ctx.kode_desa()
if not layout.require_desa(kode_desa):
    st.stop()

# -- presentation: key cards beside a tall map ------------------------------------------------
if ctx.state.presentasi:
    views.presentation_view(
        ctx,
        kode_desa,
        facilities=True,
        map_key=f"{MAP_KEY}_besar",
        height=layout.PRESENTATION_MAP_HEIGHT,
        colouring=ctx.state.warna,
    )
    st.stop()

help_col, colour_col = st.columns([3, 2], vertical_alignment="center")
with help_col:
    st.caption(t("peta.help"))
with colour_col:
    warna_key, warna_changed = session.page_widget_key("warna", ctx.state.warna, store_key=session.K_WARNA)
    st.segmented_control(
        t("peta.warna"),
        options=list(COLOURINGS),
        format_func=lambda code: t(f"peta.warna.{code}"),
        key=warna_key,
        on_change=warna_changed,
        required=True,
        help=t("peta.warna.help"),
    )
clicked = map_views.show_status_map(
    ctx, kode_desa, key=MAP_KEY, height=MAP_HEIGHT, facilities=True, clickable=True, colouring=ctx.state.warna
)
if views.is_new_selection("peta_klik", clicked) and clicked in set(kode_desa):
    session.open_desa(clicked)
downloads.export_buttons(ctx, formats=EXPORTS, key="peta_ekspor")

level = map_views.drawn_level(ctx)
if level != map_views.DESA:  # a large scope: its units, each leading down (thousands of desa rows help no one)
    views.show_unit_table(ctx, level=level, key=f"{TABLE_KEY}_{level}")
    st.stop()
table = views.status_table(ctx, kode_desa)
gaps = views.gap_rows(table)

st.subheader(t("peta.table"))
st.caption(t("peta.count", n=fmt_int(len(gaps)), total=fmt_int(len(table))))
if gaps.empty:
    st.success(t("peta.no_gaps"), icon=":material/check_circle:")
else:
    event = st.dataframe(
        views.gap_table_styler(gaps),
        key=TABLE_KEY,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config=views.gap_table_columns(),
        height=views.table_height(len(gaps), max_px=460),
        width="stretch",
    )
    downloads.table_downloads(gaps.loc[:, ["kode_desa", *views.GAP_COLUMNS]], name="desa_berkesenjangan", key=TABLE_KEY)
    rows = event.selection.rows if event is not None else []
    chosen = str(gaps.loc[rows[0], "kode_desa"]) if rows and rows[0] < len(gaps) else None
    if views.is_new_selection("peta_tabel", chosen) and chosen is not None:
        session.open_desa(chosen)
