"""Ringkasan (overview): indicator cards, status map, gaps per area, trend.

Every figure is computed on the desa matching the filters in the chosen
month; the cards equal ``Coverage.indicators(month, by='kabupaten',
kode_desa=<those desa>)`` and show their change against the previous month
under the same filters.

Laid out for a 1280x720 projector: the six cards in one row, then the map
and the gap bars side by side at the same height (the bars show the areas
with most gaps, or all of them in a scrolling box), the trend below. In
presentation mode: the key cards, the map and the bars side by side in the
first screen (under the filter bar), the trend below.
"""

from __future__ import annotations

import streamlit as st

from ui import cards, context, downloads, layout, map_views, overview, views
from ui.fmt import fmt_month, previous_month
from ui.i18n import get_language, t

MAP_HEIGHT = 450  # px; the gap bars take the same height beside it
PRESENTATION_COLUMNS = (1.05, 2, 2)  # key cards, map, bars
EXPORTS = ("xlsx", "pdf", "png")  # the report of the view, with its map

ctx = context.current()
presentasi = ctx.state.presentasi


def _delta_note() -> str | None:
    """Say what the card deltas compare with (shown in the header's scope line)."""
    if presentasi or ctx.month is None or ctx.options is None:
        return None
    before = previous_month(ctx.month, ctx.options.months)
    lang = get_language()
    return t("metric.delta_note", bulan=fmt_month(before, lang=lang)) if before else t("metric.no_previous")


layout.page_header(ctx, t("ringkasan.title"), note=_delta_note())
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
kode_desa = ctx.kode_desa()
if not layout.require_desa(kode_desa):
    st.stop()

if presentasi:  # key cards, map and bars in the first screen; the trend below
    cards_col, map_col, bars_col = st.columns(list(PRESENTATION_COLUMNS), gap="small")
    height = layout.PRESENTATION_MAP_HEIGHT
    views.presentation_view(
        ctx, kode_desa, facilities=False, map_key="ringkasan_peta_besar", height=height, columns=(cards_col, map_col)
    )
    with bars_col:
        overview.gap_bars(ctx, height=height, large=True)
    overview.trend(ctx, large=True)
    st.stop()

current, previous, _ = views.headline_pair(ctx)
targets = ctx.coverage().dataset.target  # the store's targets: a card with one shows it and its light
# seven cards in one row, or two rows of four with "belum ada data"
card_values = cards.card_values(current, previous, rules=ctx.rules, targets=targets, month=ctx.month)
cards.render_cards(card_values, per_row=cards.per_row(len(card_values)), key=layout.ROW_OF_SIX_KEY)

left, right = st.columns([4, 3], gap="medium")
with left:
    st.subheader(t("ringkasan.map"))
    map_views.show_status_map(ctx, kode_desa, key="ringkasan_peta", height=MAP_HEIGHT, facilities=False)
with right:
    st.subheader(t("ringkasan.bar"))
    overview.gap_bars(ctx, height=MAP_HEIGHT)
overview.trend(ctx)

st.subheader(t("export.judul"))
downloads.export_buttons(ctx, formats=EXPORTS, key="ringkasan_ekspor")
