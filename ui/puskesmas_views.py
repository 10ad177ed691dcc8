"""Sections of the Puskesmas page (streamlit-aware): identity line, priorities, the tables of a working area.

Built from the blocks of :mod:`ui.drilldown_views` (cards, priority list, facility tables) and
the cut-outs of :mod:`ui.drilldown`; the page (``pages/puskesmas.py``) only orders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd
import streamlit as st

from ui import downloads, session, views
from ui import drilldown as dd
from ui import drilldown_views as dv
from ui.context import PageContext
from ui.fmt import fmt_int, fmt_month
from ui.i18n import get_language, t
from ui.table_format import plain_markdown

EXPORTS: Final = ("pdf", "xlsx")  # the working area's report, for the puskesmas head
PRIORITY_HEIGHT_PX: Final = 460  # the priority list's height at most (38 px header + 35 px a row below that)


def identity(ctx: PageContext, kode_puskesmas: str, kode_desa: Sequence[str]) -> None:
    """Code, the desa the puskesmas stands in, how many desa it serves and where the working area comes from."""
    cov = ctx.coverage()
    facility = dd.puskesmas_facility(cov.facilities, kode_puskesmas)
    sumber = dd.working_area_source(cov.working_areas, kode_puskesmas)
    lokasi = dd.facility_desa_name(facility, cov.dataset.desa)
    st.caption(
        " · ".join(
            part
            for part in (
                t("pkm.kode", kode=plain_markdown(kode_puskesmas)),
                t("pkm.lokasi", desa=plain_markdown(lokasi)) if lokasi else None,
                t("pkm.jumlah_desa", n=fmt_int(len(kode_desa))),
                t(f"pkm.sumber.{sumber}") if sumber else None,
            )
            if part
        )
    )


def cards_and_exports(ctx: PageContext, kode_puskesmas: str, kode_desa: Sequence[str]) -> None:
    """The working area's indicator cards, a note when sidebar filters are set, and its report downloads."""
    dv.area_cards(ctx, kode_puskesmas)
    if ctx.state.kecamatan or ctx.state.status:
        st.caption(t("pkm.filter_note"))
    downloads.export_buttons(ctx, formats=EXPORTS, key="pkm_ekspor", kode_puskesmas=kode_puskesmas, kode_desa=kode_desa)


def priorities(ctx: PageContext, table: pd.DataFrame) -> None:
    """The "Prioritas perbaikan" list: the ranked desa with their reasons; a click on a row opens the desa."""
    st.subheader(t("pkm.prioritas"))
    st.caption(t("pkm.prioritas_help"))
    ranked = dv.priority_table(ctx, table)
    if ranked.empty:
        st.success(t("pkm.prioritas_none"), icon=":material/check_circle:")
        return
    event = st.dataframe(
        dv.priority_styler(ranked),
        key="pkm_prioritas",
        column_config=dv.priority_column_config(),
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=min(PRIORITY_HEIGHT_PX, 38 + 35 * len(ranked)),
    )
    prioritas = dv.priority_file(ranked)
    downloads.table_downloads(prioritas.frame, name=prioritas.name, key="pkm_prioritas")
    rows = event.selection.rows if event is not None else []
    picked = str(ranked.loc[rows[0], "kode_desa"]) if rows and rows[0] < len(ranked) else None
    if views.is_new_selection("pkm_prioritas", picked) and picked is not None:
        session.open_desa(picked)


def tables(ctx: PageContext, kode_desa: Sequence[str], table: pd.DataFrame) -> None:
    """Tabs of the working area's desa, pustu (with staffing), posyandu and the posyandu that stopped reporting."""
    names = dd.desa_names(table)
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
