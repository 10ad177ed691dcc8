"""The Ringkasan page's sections: the gap bars per area and the indicator trend (streamlit).

Both modes draw them: the normal layout puts the bars beside the map, the
presentation layout (1280x720) puts cards, map and bars side by side in the
first screen and the trend below. ``large`` enlarges the charts' type for a
projector.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from geo.targets import Target, indicators_with_target, target_in_force, targets_from_frame
from ui import charts, data, session
from ui.context import PageContext
from ui.fmt import fmt_int, fmt_month, fmt_pct
from ui.i18n import column_label, get_language, t

BAR_CONTROLS_PX: Final = 56  # the grouping / show-all row above the bars
BAR_NOTE_PX: Final = 40  # the caption under the bars
PLOT_CONFIG: Final = {"displaylogo": False}
SORT_KEY: Final = "ringkasan_bar_urut"  # widget key of the bars' sort choice
SORT_GAPS: Final = "kesenjangan"  # sort choice: most gaps first (the default)


def store_targets(ctx: PageContext) -> tuple[Target, ...]:
    """The targets of the shown store (``Dataset.target``)."""
    return targets_from_frame(ctx.coverage().dataset.target)


def _sort_target(ctx: PageContext, targets: tuple[Target, ...], *, lang: str) -> Target | None:
    """The sort choice of the bars (an indicator with a target, or gaps); the target in force, None: by gaps."""
    assert ctx.month is not None
    codes = indicators_with_target(targets)
    choice = st.selectbox(
        t("target.urut", lang=lang),
        options=[SORT_GAPS, *codes],
        format_func=lambda c: (
            t("target.urut_kesenjangan", lang=lang)
            if c == SORT_GAPS
            else t("target.urut_jarak", lang=lang, label=column_label(c, lang=lang))
        ),
        key=SORT_KEY,
        label_visibility="collapsed",
    )
    return None if choice in (None, SORT_GAPS) else target_in_force(targets, str(choice), ctx.month)


def _sort_note(target: Target, *, lang: str) -> str:
    """What the bars are sorted by: the target, its value and month."""
    value = fmt_pct(target.nilai, decimals=0 if target.nilai.is_integer() else 1)
    month = fmt_month(target.bulan, lang=lang, short=True)
    return t(
        "target.urut_catatan", lang=lang, label=column_label(target.indikator, lang=lang), nilai=value, bulan=month
    )


def gap_bars(ctx: PageContext, *, height: int, large: bool = False) -> None:
    """The grouping control and the gap bars per area, ``height`` px in all (the map's height beside them)."""
    assert ctx.month is not None
    lang = get_language()
    options = session.scope_groupings()  # the levels below the scope, then puskesmas
    widget_key, on_change = session.page_widget_key("kelompok", options[0], store_key=session.K_KELOMPOK)
    targets = store_targets(ctx)
    sortable = bool(indicators_with_target(targets))  # a sort choice only when some indicator has a target
    columns = st.columns([3, 3, 2] if sortable else [3, 2], vertical_alignment="center")
    group_col, all_col = columns[0], columns[-1]
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
    target = None
    if sortable:
        with columns[1]:
            target = _sort_target(ctx, targets, lang=lang)
    chart_height = height - BAR_CONTROLS_PX - BAR_NOTE_PX
    fitting = charts.bars_fitting(chart_height)
    show_all = False
    if len(groups) > fitting:
        with all_col:
            show_all = st.toggle(t("ringkasan.bar_show_all", total=fmt_int(len(groups))), key="ringkasan_bar_semua")
    words = {"total": fmt_int(len(groups)), "kelompok": t(f"group.{kelompok}", lang=lang).lower()}
    if len(groups) <= fitting:
        figure = charts.gap_bar_chart(groups, large=large, target=target)  # all fit
        st.plotly_chart(figure, width="stretch", config=PLOT_CONFIG)
        if target is not None:
            st.caption(_sort_note(target, lang=lang))
    elif show_all:
        with st.container(height=chart_height, border=False):
            figure = charts.gap_bar_chart(groups, large=large, target=target)
            st.plotly_chart(figure, width="stretch", config=PLOT_CONFIG)
        st.caption(t("ringkasan.bar_all_shown", **words))
    else:
        figure = charts.gap_bar_chart(groups, limit=fitting, height=chart_height, large=large, target=target)
        st.plotly_chart(figure, width="stretch", config=PLOT_CONFIG)
        st.caption(t("ringkasan.bar_top", n=fmt_int(fitting), **words))


def trend(ctx: PageContext, *, large: bool = False) -> None:
    """The trend of the main indicators over the report months (a note when there is only one)."""
    lang = get_language()
    st.subheader(t("ringkasan.trend"))
    months = ctx.options.months if ctx.options is not None else ()
    if len(months) < 2:
        st.info(t("ringkasan.trend_single"))
        return
    series = data.trend(ctx.source, ctx.rules, ctx.state)
    jendela = ctx.rules.posyandu_jendela_bulan
    incomplete = charts.incomplete_window_months(
        series["bulan"].astype(str).tolist(), first_month=months[0], jendela=jendela
    )
    figure = charts.trend_chart(series, incomplete=incomplete, large=large, targets=store_targets(ctx))
    st.plotly_chart(figure, width="stretch", config=PLOT_CONFIG)
    dating = charts.pustu_dating_note(ctx.coverage().facility_dating(), months=months, lang=lang)
    if dating:
        st.caption(dating)
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
