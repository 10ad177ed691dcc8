"""Desa: the profile of one desa/kelurahan.

The desa comes from the ``desa`` state key (a click on the gap map, a row of
a table, ``?desa=...`` in the address) or the selectbox. Shown: its status in
the chosen month, the distance to the nearest active pustu, a map with its
own pustu and posyandu and its puskesmas, its facilities, the monthly
posyandu visits per life-cycle group, and the data-quality notes about it or
its facilities. In presentation mode: the picker above a tall map of the
desa, its name, status and figures beside it (like the Puskesmas page).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import activity_chart, context, data, layout, picker, views
from ui import drilldown as dd
from ui import drilldown_views as dv
from ui import quality_view as qv
from ui.fmt import fmt_int, fmt_km
from ui.i18n import t
from ui.table_format import plain_markdown

ctx = context.current()
layout.page_header(ctx, t("page.desa"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
cov = ctx.coverage()
everything = data.desa_table(ctx.source, ctx.rules, ctx.month)
labels = {
    str(k): f"{n} ({c})"
    for k, n, c in zip(everything["kode_desa"], everything["nama_desa"], everything["nama_kecamatan"], strict=True)
}
candidates = sorted(ctx.kode_desa(), key=lambda k: (labels.get(k, k), k))
presentasi = ctx.state.presentasi
columns = views.presentation_columns() if presentasi else None
with columns[1] if columns else st.container():
    chosen = picker.choose_desa(ctx, candidates, labels, compact=presentasi)
if chosen is None:
    st.info(t("desap.none"), icon=":material/home_pin:")
    st.stop()
row = everything[everything["kode_desa"] == chosen].iloc[0]
names = dd.desa_names(everything)
kode_puskesmas = None if pd.isna(row["kode_puskesmas"]) else str(row["kode_puskesmas"])


def _identity() -> None:
    """The desa's name with its status badge beside it, then code, kecamatan and puskesmas."""
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.subheader(plain_markdown(row["nama_desa"]), width="content")
        dv.status_badge(str(row["status"]))
    st.caption(
        " · ".join(
            [
                t("desap.kode", kode=plain_markdown(chosen)),
                t("desap.kecamatan", nama=plain_markdown(row["nama_kecamatan"])),
                t("desap.puskesmas", nama=plain_markdown(row["puskesmas"]) if not pd.isna(row["puskesmas"]) else "–"),
            ]
        )
    )


def _facts(*, stacked: bool) -> None:
    """Active pustu, active/total posyandu, distance to the nearest active pustu (cards), and their notes."""
    jarak = row["jarak_pustu_km"]
    boxes = [st.container(border=True) for _ in range(3)] if stacked else st.columns(3, border=True)
    boxes[0].metric(
        t("col.pustu_aktif"), fmt_int(row["pustu_aktif"]), help=t("desap.pustu_help", total=fmt_int(row["pustu_total"]))
    )
    boxes[1].metric(
        t("map.tip.posyandu"),
        f"{fmt_int(row['posyandu_aktif'])} / {fmt_int(row['posyandu_total'])}",
        help=t(
            "metric.pct_posyandu_aktif.help",
            min=ctx.rules.posyandu_min_bulan,
            jendela=ctx.rules.posyandu_jendela_bulan,
        ),
    )
    boxes[2].metric(
        t("desap.jarak"), t("desap.jarak_none") if pd.isna(jarak) else fmt_km(jarak), help=t("desap.jarak_help")
    )
    if not pd.isna(jarak) and jarak > ctx.rules.jarak_maks_pustu_km:
        st.warning(
            t("desap.jauh", jarak=fmt_km(jarak), maks=fmt_km(ctx.rules.jarak_maks_pustu_km)),
            icon=":material/distance:",
        )
    if bool(row["ada_puskesmas"]):
        key = "desap.ada_puskesmas_pustu" if ctx.rules.puskesmas_sebagai_pustu else "desap.ada_puskesmas"
        st.caption(t(key))


# -- presentation: the picker above a tall map, the desa's figures beside it ------------------------
if columns is not None:
    with columns[0]:
        _identity()
        _facts(stacked=True)
    with columns[1]:
        dv.show_desa_map(
            ctx,
            chosen,
            kode_puskesmas=kode_puskesmas,
            key="desa_peta_besar",
            height=layout.PRESENTATION_MAP_HEIGHT - layout.PICKER_PX,
            large=True,
        )
    st.stop()

_identity()
_facts(stacked=False)

# -- map beside the facility tables (the tables get a little more room: five columns) ---------------
left, right = st.columns([5, 6], gap="medium")
with left:
    st.subheader(t("desap.map"))
    dv.show_desa_map(ctx, chosen, kode_puskesmas=kode_puskesmas, key="desa_peta", height=460)
with right:
    pustu = dv.pustu_table(ctx, [chosen], names)
    st.subheader(t("desap.pustu", n=fmt_int(len(pustu))))
    if pustu.empty:
        st.caption(t("desap.pustu_none"))
    else:
        dv.show_table(
            dv.pustu_styler(pustu, with_desa=False),
            key="desa_tabel_pustu",
            rows=len(pustu),
            file=dv.pustu_file(pustu, with_desa=False),
        )
    posyandu = dv.posyandu_table(ctx, [chosen], names)
    st.subheader(t("desap.posyandu", n=fmt_int(len(posyandu))))
    if posyandu.empty:
        st.caption(t("desap.posyandu_none"))
    else:
        dv.show_table(
            dv.posyandu_styler(posyandu, jendela=ctx.rules.posyandu_jendela_bulan, compact=True),
            key="desa_tabel_posyandu",
            rows=len(posyandu),
            columns=dv.posyandu_compact_columns(),
            file=dv.posyandu_file(posyandu, jendela=ctx.rules.posyandu_jendela_bulan),
        )

# -- monthly activity per life-cycle group ---------------------------------------------------------
st.subheader(t("desap.chart"))
monthly = dd.monthly_by_group(cov.posyandu_monthly(kode_desa=chosen), months=cov.months)
if monthly.empty or not monthly["posyandu_lapor"].any():
    st.info(t("desap.chart_none"))
else:
    st.caption(t("desap.chart_help"))
    st.plotly_chart(activity_chart.activity_chart(monthly), width="stretch", config={"displaylogo": False})

# -- data quality ------------------------------------------------------------------------------------
notes = dd.desa_quality(cov.quality(ctx.month), cov.facilities, chosen)
st.subheader(t("desap.kualitas", n=fmt_int(len(notes))))
if notes.empty:
    st.success(t("desap.kualitas_none"), icon=":material/check_circle:")
else:
    places = qv.with_places(notes, cov.dataset.desa)
    qv.show_findings(places, key="desa_tabel_kualitas", columns=qv.DESA_FINDING_COLUMNS)
