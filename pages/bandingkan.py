"""Bandingkan (compare): two months side by side — what changed since the last meeting.

The month filter is the later month ("sesudah"); the picker here chooses the month it is
compared with ("banding", by default the report month before it). Both stay in the URL.
The status maps of the two months pan and zoom together; below them the desa per change,
the change map (desa level only) and the desa whose status changed. The status filter
does not apply here: every desa of the area is compared.
"""

from __future__ import annotations

import streamlit as st

from ui import compare_views, context, layout
from ui.fmt import fmt_month
from ui.i18n import get_language, t

MAP_HEIGHT = 420  # px: two maps side by side on a 1280 px screen
CHANGE_MAP_HEIGHT = 460

ctx = context.current()
layout.page_header(ctx, t("banding.title"))
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
kode_desa = compare_views.area_desa(ctx)
if not layout.require_desa(kode_desa):
    st.stop()
before, after = compare_views.months(ctx)
compare_views.keep_in_url(ctx, before)
lang = get_language()
was, now = fmt_month(before, lang=lang), fmt_month(after, lang=lang)

compare_views.picker(ctx, before)
st.caption(t("banding.help", sebelum=was, sesudah=now))
if before > after:
    st.caption(t("banding.later", sebelum=was, sesudah=now))
if ctx.state.status:
    st.caption(t("banding.status_filter"))

level = compare_views.show_status_maps(ctx, kode_desa, before=before, after=after, height=MAP_HEIGHT)
table = compare_views.comparison(ctx, before=before, after=after)

counts, change_map = st.columns([1, 4], gap="medium")
with counts:
    st.markdown(f"**{t('banding.cards')}**")
    compare_views.show_counts(table)
with change_map:
    if compare_views.is_desa_level(level):
        compare_views.show_change_map(ctx, table, kode_desa, before=before, after=after, height=CHANGE_MAP_HEIGHT)
    else:
        compare_views.large_scope_note(len(kode_desa))

compare_views.show_change_table(table, before=before, after=after)
