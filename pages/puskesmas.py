"""Puskesmas: one working area in detail, for the head of a puskesmas.

Choose a puskesmas (or arrive with ``?puskesmas=...``): cards of its working
area, the map fitted to it, "Prioritas perbaikan" (what to fix first, from
:func:`geo.priorities.rank_priorities`), and tables of its desa, pustu (with
staffing), posyandu (activity in the chosen month) and the posyandu that
stopped reporting. The whole working area is shown; the kecamatan and status
filters of the sidebar do not cut it. The choice is the global puskesmas
filter (the sidebar shows it). In presentation mode: the picker above a tall
map of the working area, its key cards beside it. The sections are drawn by
:mod:`ui.puskesmas_views`.
"""

from __future__ import annotations

import streamlit as st

from ui import context, layout, map_views, picker, views
from ui import drilldown as dd
from ui import drilldown_views as dv
from ui import puskesmas_views as pv
from ui.i18n import t
from ui.state import ViewState

ctx = context.current()
layout.page_header(ctx, t("page.puskesmas"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
presentasi = ctx.state.presentasi
columns = views.presentation_columns() if presentasi else None
with columns[1] if columns else st.container():
    chosen = picker.choose_puskesmas(ctx, compact=presentasi)
if chosen is None:
    st.info(t("pkm.none"), icon=":material/local_hospital:")
    st.stop()
kode_desa = dd.working_area_desa(ctx.coverage().working_areas, chosen)

# -- presentation: the picker above a tall map, key cards of the working area beside it --------
if columns is not None:
    if not kode_desa:
        st.info(t("pkm.no_desa"), icon=":material/info:")
        st.stop()
    views.presentation_view(
        ctx,
        kode_desa,
        facilities=True,
        map_key="pkm_peta_besar",
        height=layout.PRESENTATION_MAP_HEIGHT - layout.PICKER_PX,
        columns=columns,
        values=dv.area_card_values(ctx, chosen, shown=views.key_cards()),
        area=ViewState(puskesmas=chosen),
    )
    st.stop()

pv.identity(ctx, chosen, kode_desa)
if not kode_desa:
    st.info(t("pkm.no_desa"), icon=":material/info:")
    st.stop()
table = views.status_table(ctx, kode_desa)
pv.cards_and_exports(ctx, chosen, kode_desa)

# -- map, then priorities (full width: the reasons need the room), then the tables ----------
st.subheader(t("pkm.map"))
map_views.show_status_map(ctx, kode_desa, key="pkm_peta", height=500, facilities=True, area=ViewState(puskesmas=chosen))
pv.priorities(ctx, table)
pv.tables(ctx, kode_desa, table)
