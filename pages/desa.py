"""Desa: the profile of one desa/kelurahan.

The desa comes from the ``desa`` state key (a click on the gap map, a row of
a table, ``?desa=...`` in the address) or the selectbox. Shown: its status in
the chosen month, the distance to the nearest active pustu, a map with its
own pustu and posyandu, its puskesmas, the neighbouring desa in outline and
the line to the nearest active pustu, its facilities, the monthly posyandu
visits per life-cycle group, and the data-quality notes about it or its
facilities. In presentation mode: the picker above a tall map of the desa,
its name, status and figures beside it (like the Puskesmas page). The
sections are drawn by :mod:`ui.desa_views`.
"""

from __future__ import annotations

import streamlit as st

from ui import context, layout, views
from ui import desa_views as dsv
from ui.i18n import t

ctx = context.current()
layout.page_header(ctx, t("page.desa"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
presentasi = ctx.state.presentasi
columns = views.presentation_columns() if presentasi else None
with columns[1] if columns else st.container():
    desa = dsv.choose(ctx, compact=presentasi)
if desa is None:
    st.info(t("desap.none"), icon=":material/home_pin:")
    st.stop()

# -- presentation: the picker above a tall map, the desa's figures beside it ------------------------
if columns is not None:
    with columns[0]:
        dsv.identity(desa)
        dsv.facts(ctx, desa, stacked=True)
    with columns[1]:
        height = layout.PRESENTATION_MAP_HEIGHT - layout.PICKER_PX
        dsv.show_desa_map(ctx, desa, key="desa_peta_besar", height=height, large=True)
    st.stop()

dsv.identity(desa)
dsv.facts(ctx, desa, stacked=False)

# -- map beside the facility tables (the tables get a little more room: five columns) ---------------
left, right = st.columns([5, 6], gap="medium")
with left:
    st.subheader(t("desap.map"))
    dsv.show_desa_map(ctx, desa, key="desa_peta", height=460)
with right:
    dsv.facility_tables(ctx, desa)
dsv.activity(ctx, desa.kode)
dsv.quality(ctx, desa.kode)
