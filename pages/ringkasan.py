"""Ringkasan (overview): indicator cards, status map, gaps per area, trend.

Every figure is computed on the desa matching the sidebar filters in the
chosen month; the cards equal ``Coverage.indicators(month, by='kabupaten',
kode_desa=<those desa>)`` and show their change against the previous month
under the same filters.
"""

from __future__ import annotations

import streamlit as st

from ui import cards, charts, context, data, layout, maps, session, views
from ui.fmt import fmt_month
from ui.i18n import get_language, t
from ui.state import GROUPINGS

ctx = context.current()
layout.page_header(ctx, t("ringkasan.title"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
kode_desa = ctx.kode_desa()
if not layout.require_desa(kode_desa):
    st.stop()
presentasi = ctx.state.presentasi

# -- cards -----------------------------------------------------------------------
current, previous, previous_month = views.headline_pair(ctx)
shown = cards.CARDS if not presentasi else tuple(c for c in cards.CARDS if c.column in cards.KEY_CARDS)
cards.render_cards(
    cards.card_values(current, previous, rules=ctx.rules, cards=shown), per_row=len(shown) if presentasi else 3
)

# -- presentation: the map, full width -------------------------------------------------
if presentasi:
    big_map = views.status_map(ctx, kode_desa, facilities=False, large=True)
    maps.show_map(big_map, key="ringkasan_peta_besar", height=layout.PRESENTATION_MAP_HEIGHT)
    st.stop()

if previous_month:
    st.caption(t("metric.delta_note", bulan=fmt_month(previous_month, lang=get_language())))
else:
    st.caption(t("metric.no_previous"))

# -- map and gaps per area ---------------------------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("ringkasan.map"))
    maps.show_map(views.status_map(ctx, kode_desa, facilities=False), key="ringkasan_peta", height=520)
with right:
    st.subheader(t("ringkasan.bar"))
    widget_key, on_change = session.page_widget_key("kelompok", "kecamatan", store_key=session.K_KELOMPOK)
    kelompok = st.segmented_control(
        t("ringkasan.group"),
        options=list(GROUPINGS),
        format_func=lambda g, lang=get_language(): t(f"group.{g}", lang=lang),
        key=widget_key,
        on_change=on_change,
        required=True,
    )
    groups = data.group_indicators(ctx.source, ctx.rules, ctx.month, by=kelompok or "kecamatan", kode_desa=kode_desa)
    st.plotly_chart(charts.gap_bar_chart(groups), width="stretch", config={"displaylogo": False})

# -- trend --------------------------------------------------------------------------------
st.subheader(t("ringkasan.trend"))
if ctx.options is not None and len(ctx.options.months) < 2:
    st.info(t("ringkasan.trend_single"))
else:
    trend = data.trend(ctx.source, ctx.rules, ctx.state)
    st.plotly_chart(charts.trend_chart(trend), width="stretch", config={"displaylogo": False})
