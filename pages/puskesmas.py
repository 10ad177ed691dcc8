"""Puskesmas: one working area in detail, for the head of a puskesmas.

Choose a puskesmas (or arrive with ``?puskesmas=...``): cards of its working
area, the map fitted to it, "Prioritas perbaikan" (what to fix first, from
:func:`geo.priorities.rank_priorities`), and tables of its desa, pustu (with
staffing), posyandu (activity in the chosen month) and the posyandu that
stopped reporting. The whole working area is shown; the kecamatan and status
filters of the sidebar do not cut it. The choice is the global puskesmas
filter (the sidebar shows it). In presentation mode: the picker above a tall
map of the working area, its key cards beside it.
"""

from __future__ import annotations

import streamlit as st

from ui import context, downloads, layout, map_views, picker, session, views
from ui import drilldown as dd
from ui import drilldown_views as dv
from ui.fmt import fmt_int, fmt_month
from ui.i18n import get_language, t
from ui.state import ViewState
from ui.table_format import plain_markdown

EXPORTS = ("pdf", "xlsx")  # the working area's report, for the puskesmas head

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

cov = ctx.coverage()
kode_desa = dd.working_area_desa(cov.working_areas, chosen)

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

facility = dd.puskesmas_facility(cov.facilities, chosen)
sumber = dd.working_area_source(cov.working_areas, chosen)
table = views.status_table(ctx, kode_desa)
names = dd.desa_names(table)
lokasi = dd.facility_desa_name(facility, cov.dataset.desa)
st.caption(
    " · ".join(
        part
        for part in (
            t("pkm.kode", kode=plain_markdown(chosen)),
            t("pkm.lokasi", desa=plain_markdown(lokasi)) if lokasi else None,
            t("pkm.jumlah_desa", n=fmt_int(len(kode_desa))),
            t(f"pkm.sumber.{sumber}") if sumber else None,
        )
        if part
    )
)
if not kode_desa:
    st.info(t("pkm.no_desa"), icon=":material/info:")
    st.stop()

dv.area_cards(ctx, chosen)
if ctx.state.kecamatan or ctx.state.status:
    st.caption(t("pkm.filter_note"))
downloads.export_buttons(ctx, formats=EXPORTS, key="pkm_ekspor", kode_puskesmas=chosen, kode_desa=kode_desa)

# -- map, then priorities (full width: the reasons need the room) ---------------------------
st.subheader(t("pkm.map"))
map_views.show_status_map(ctx, kode_desa, key="pkm_peta", height=500, facilities=True, area=ViewState(puskesmas=chosen))
st.subheader(t("pkm.prioritas"))
st.caption(t("pkm.prioritas_help"))
ranked = dv.priority_table(ctx, table)
if ranked.empty:
    st.success(t("pkm.prioritas_none"), icon=":material/check_circle:")
else:
    event = st.dataframe(
        dv.priority_styler(ranked),
        key="pkm_prioritas",
        column_config=dv.priority_column_config(),
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=min(460, 38 + 35 * len(ranked)),
    )
    prioritas = dv.priority_file(ranked)
    downloads.table_downloads(prioritas.frame, name=prioritas.name, key="pkm_prioritas")
    rows = event.selection.rows if event is not None else []
    picked = str(ranked.loc[rows[0], "kode_desa"]) if rows and rows[0] < len(ranked) else None
    if views.is_new_selection("pkm_prioritas", picked) and picked is not None:
        session.open_desa(picked)

# -- tables ----------------------------------------------------------------------------------
pustu = dv.pustu_table(ctx, kode_desa, names)
posyandu = dv.posyandu_table(ctx, kode_desa, names)
stopped = dd.stopped_reporting(posyandu)
tab_desa, tab_pustu, tab_posyandu, tab_stopped = st.tabs(
    [
        t("pkm.tab.desa", n=fmt_int(len(table))),
        t("pkm.tab.pustu", n=fmt_int(len(pustu))),
        t("pkm.tab.posyandu", n=fmt_int(len(posyandu))),
        t("pkm.tab.berhenti", n=fmt_int(len(stopped))),
    ]
)
with tab_desa:
    dv.show_table(dv.desa_table_styler(table), key="pkm_tabel_desa", rows=len(table), file=dv.desa_file(table))
with tab_pustu:
    if pustu.empty:
        st.info(t("pkm.pustu_none"))
    else:
        aktif = int(pustu["aktif"].sum())
        st.caption(t("pkm.pustu_standar", n=fmt_int(pustu["sesuai_standar"].sum()), total=fmt_int(aktif)))
        dv.show_table(dv.pustu_styler(pustu), key="pkm_tabel_pustu", rows=len(pustu), file=dv.pustu_file(pustu))
with tab_posyandu:
    if posyandu.empty:
        st.info(t("pkm.posyandu_none"))
    else:
        st.caption(
            t(
                "pkm.posyandu_ringkas",
                aktif=fmt_int(posyandu["aktif"].sum()),
                total=fmt_int(len(posyandu)),
                min=ctx.rules.posyandu_min_bulan,
                jendela=ctx.rules.posyandu_jendela_bulan,
            )
        )
        dv.show_table(
            dv.posyandu_styler(posyandu, jendela=ctx.rules.posyandu_jendela_bulan),
            key="pkm_tabel_posyandu",
            rows=len(posyandu),
            file=dv.posyandu_file(posyandu, jendela=ctx.rules.posyandu_jendela_bulan),
        )
with tab_stopped:
    bulan = fmt_month(ctx.month, lang=get_language())
    st.caption(t("pkm.berhenti_help", n=ctx.rules.laporan_berhenti_bulan, bulan=bulan))
    if stopped.empty:
        st.success(t("pkm.berhenti_none"), icon=":material/check_circle:")
    else:
        dv.show_table(
            dv.stopped_styler(stopped), key="pkm_tabel_berhenti", rows=len(stopped), file=dv.stopped_file(stopped)
        )
