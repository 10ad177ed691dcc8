"""Peta Kesenjangan (gap map): desa by status, facility layers, table of gap desa.

Clicking a desa on the map or selecting a row of the table opens that desa
on the Desa page (the selection goes into the view state and the URL).
"""

from __future__ import annotations

import streamlit as st

from ui import cards, context, layout, maps, session, views
from ui.fmt import fmt_int
from ui.i18n import t

MAP_KEY = "peta_kesenjangan"
TABLE_KEY = "peta_tabel_kesenjangan"

ctx = context.current()
layout.page_header(ctx, t("peta.title"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
kode_desa = ctx.kode_desa()
if not layout.require_desa(kode_desa):
    st.stop()

# -- presentation: key indicators and the full-width map ----------------------------------
if ctx.state.presentasi:
    current, previous, _ = views.headline_pair(ctx)
    key_cards = tuple(c for c in cards.CARDS if c.column in cards.KEY_CARDS)
    cards.render_cards(cards.card_values(current, previous, rules=ctx.rules, cards=key_cards), per_row=len(key_cards))
    big_map = views.status_map(ctx, kode_desa, facilities=True, large=True)
    maps.show_map(big_map, key=f"{MAP_KEY}_besar", height=layout.PRESENTATION_MAP_HEIGHT)
    st.stop()

st.caption(t("peta.help"))
table = views.status_table(ctx, kode_desa)
gaps = views.gap_rows(table)
left, right = st.columns(2, gap="medium")

with left:
    result = maps.show_map(
        views.status_map(ctx, kode_desa, facilities=True),
        key=MAP_KEY,
        height=640,
        returned_objects=["last_active_drawing"],
    )
    clicked = maps.clicked_desa(result)
    if views.is_new_selection("peta_klik", clicked) and clicked in set(kode_desa):
        session.open_desa(clicked)

with right:
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
            height=views.table_height(len(gaps)),
            width="stretch",
        )
        rows = event.selection.rows if event is not None else []
        chosen = str(gaps.loc[rows[0], "kode_desa"]) if rows and rows[0] < len(gaps) else None
        if views.is_new_selection("peta_tabel", chosen) and chosen is not None:
            session.open_desa(chosen)
