"""Ringkasan (overview): indicator cards, status map, gaps per area, trend.

Every figure is computed on the desa matching the sidebar filters in the
chosen month; the cards equal ``Coverage.indicators(month, by='kabupaten',
kode_desa=<those desa>)`` and show their change against the previous month
under the same filters.

Laid out for a 1280x720 projector: the six cards in one row, then the map
and the gap bars side by side at the same height (the bars show the areas
with most gaps, or all of them in a scrolling box), the trend below.
"""

from __future__ import annotations

import streamlit as st

from ui import cards, charts, context, data, downloads, layout, map_views, session, views
from ui.fmt import fmt_int, fmt_month, previous_month
from ui.i18n import get_language, t

MAP_HEIGHT = 450  # px; the gap bars take the same height beside it
BAR_CONTROLS_PX = 56  # the grouping / show-all row above the bars
BAR_NOTE_PX = 40  # the caption under the bars
EXPORTS = ("xlsx", "pdf", "png")  # the report of the view, with its map

ctx = context.current()
presentasi = ctx.state.presentasi
lang = get_language()


def _delta_note() -> str | None:
    """Say what the card deltas compare with (shown in the header's scope line)."""
    if presentasi or ctx.month is None or ctx.options is None:
        return None
    before = previous_month(ctx.month, ctx.options.months)
    return t("metric.delta_note", bulan=fmt_month(before, lang=lang)) if before else t("metric.no_previous")


layout.page_header(ctx, t("ringkasan.title"), note=_delta_note())
if not (layout.require_data(ctx) and layout.require_month(ctx)):
    st.stop()
kode_desa = ctx.kode_desa()
if not layout.require_desa(kode_desa):
    st.stop()

# -- presentation: key cards beside a tall map ------------------------------------------------
if presentasi:
    views.presentation_view(
        ctx, kode_desa, facilities=False, map_key="ringkasan_peta_besar", height=layout.PRESENTATION_MAP_HEIGHT
    )
    st.stop()

# -- cards: one row of six ----------------------------------------------------------------------
current, previous, _ = views.headline_pair(ctx)
card_values = cards.card_values(current, previous, rules=ctx.rules)  # six, or seven with "belum ada data"
cards.render_cards(card_values, per_row=len(card_values), key=layout.ROW_OF_SIX_KEY)

# -- map and gaps per area, same height -------------------------------------------------------------
left, right = st.columns([4, 3], gap="medium")
with left:
    st.subheader(t("ringkasan.map"))
    map_views.show_status_map(ctx, kode_desa, key="ringkasan_peta", height=MAP_HEIGHT, facilities=False)
with right:
    st.subheader(t("ringkasan.bar"))
    options = session.scope_groupings()  # the levels below the scope, then puskesmas
    widget_key, on_change = session.page_widget_key("kelompok", options[0], store_key=session.K_KELOMPOK)
    group_col, all_col = st.columns([3, 2], vertical_alignment="center")
    with group_col:  # two groupings fit as buttons; more (a provinsi or the nation) as a list
        control = st.segmented_control if len(options) <= 2 else st.selectbox
        kelompok = control(
            t("ringkasan.group"),
            options=list(options),
            format_func=lambda g: t(f"group.{g}", lang=lang),
            key=widget_key,
            on_change=on_change,
            label_visibility="collapsed",
            **({"required": True} if len(options) <= 2 else {}),
        )
    kelompok = kelompok or options[0]
    groups = data.group_indicators(ctx.source, ctx.rules, ctx.month, by=kelompok, state=ctx.state)
    chart_height = MAP_HEIGHT - BAR_CONTROLS_PX - BAR_NOTE_PX
    fitting = charts.bars_fitting(chart_height)
    show_all = False
    if len(groups) > fitting:
        with all_col:
            show_all = st.toggle(t("ringkasan.bar_show_all", total=fmt_int(len(groups))), key="ringkasan_bar_semua")
    words = {"total": fmt_int(len(groups)), "kelompok": t(f"group.{kelompok}", lang=lang).lower()}
    plot_config = {"displaylogo": False}
    if len(groups) <= fitting:
        st.plotly_chart(charts.gap_bar_chart(groups), width="stretch", config=plot_config)  # all fit
    elif show_all:
        with st.container(height=chart_height, border=False):
            st.plotly_chart(charts.gap_bar_chart(groups), width="stretch", config=plot_config)
        st.caption(t("ringkasan.bar_all_shown", **words))
    else:
        figure = charts.gap_bar_chart(groups, limit=fitting, height=chart_height)
        st.plotly_chart(figure, width="stretch", config=plot_config)
        st.caption(t("ringkasan.bar_top", n=fmt_int(fitting), **words))

# -- trend --------------------------------------------------------------------------------
st.subheader(t("ringkasan.trend"))
if ctx.options is not None and len(ctx.options.months) < 2:
    st.info(t("ringkasan.trend_single"))
else:
    trend = data.trend(ctx.source, ctx.rules, ctx.state)
    months = ctx.options.months if ctx.options is not None else ()
    jendela = ctx.rules.posyandu_jendela_bulan
    incomplete = charts.incomplete_window_months(
        trend["bulan"].astype(str).tolist(), first_month=months[0] if months else None, jendela=jendela
    )
    st.plotly_chart(charts.trend_chart(trend, incomplete=incomplete), width="stretch", config={"displaylogo": False})
    if incomplete:
        ordered = sorted(incomplete)
        st.caption(
            t(
                "ringkasan.trend_incomplete",
                dari=fmt_month(ordered[0], lang=lang, short=True),
                sampai=fmt_month(ordered[-1], lang=lang, short=True),
                jendela=jendela,
                awal=fmt_month(months[0], lang=lang),
            )
        )

st.subheader(t("export.judul"))
downloads.export_buttons(ctx, formats=EXPORTS, key="ringkasan_ekspor")
