"""Plotly figures of the dashboard (pure: frames in, figures out).

Labels come from :mod:`ui.i18n`, numbers use the Indonesian separators
(``separators=",."``: decimal comma, thousands dot) and hover texts are
pre-formatted with :mod:`ui.fmt`. Status colours are those of the map.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from geo.dating import FacilityDating
from geo.statuses import STATUSES
from geo.targets import Target, sort_by_distance, target_in_force
from ui.fmt import fmt_int, fmt_month, fmt_pct, parse_month
from ui.i18n import get_language, status_label, t
from ui.palette import INDICATOR_COLORS

SEPARATORS: Final = ",."  # plotly: decimal, thousands
BAR_HEIGHT_PX: Final = 24
BAR_CHROME_PX: Final = 95  # legend, x axis and margins of the bar chart
TREND_INDICATORS: Final = (
    "pct_desa_pustu_aktif",
    "pct_desa_posyandu_aktif",
    "pct_posyandu_aktif",
    "pct_kelengkapan_laporan",
)
# Trend indicators computed over the posyandu window (blank while the window is incomplete)
WINDOW_INDICATORS: Final = ("pct_desa_posyandu_aktif", "pct_posyandu_aktif")


def _base_layout(fig: go.Figure, *, height: int, large: bool) -> go.Figure:
    fig.update_layout(
        separators=SEPARATORS,
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        font={"size": 17 if large else 13},
        plot_bgcolor="#ffffff",
        hoverlabel={"font_size": 14},
    )
    return fig


def sort_by_gaps(indicators: pd.DataFrame) -> pd.DataFrame:
    """Groups ordered by desa with a gap (most first), then by the worst gap, then by name."""
    worst = STATUSES[0]  # the registry's display order: worst gap first
    gaps = sum(indicators[s.count_column] for s in STATUSES if s.is_gap)
    frame = indicators.assign(kesenjangan=gaps)
    return frame.sort_values(
        ["kesenjangan", worst.count_column, "nama"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def bars_fitting(height_px: int) -> int:
    """How many bars :func:`gap_bar_chart` fits in a chart ``height_px`` high (at least 3)."""
    return max(3, (height_px - BAR_CHROME_PX) // BAR_HEIGHT_PX)


def gap_bar_chart(
    indicators: pd.DataFrame,
    *,
    limit: int | None = None,
    height: int | None = None,
    large: bool = False,
    target: Target | None = None,
) -> go.Figure:
    """Stacked horizontal bars: desa per status for each group, sorted by gaps.

    Statuses are stacked and listed in :data:`geo.statuses.STATUSES` (the
    order of the map legend): worst gap first, at the base of each bar.

    Parameters
    ----------
    indicators
        ``Coverage.indicators(month, by='kecamatan'|'puskesmas', ...)``.
    limit
        Show only the first ``limit`` groups (most desa with a gap); None: all.
    height
        Figure height (px); default: enough for every bar shown.
    large
        Bigger type (presentation mode).
    target
        Sort by distance to this target instead (furthest first,
        :func:`geo.targets.sort_by_distance`); the hover then names the
        indicator's value.
    """
    frame = sort_by_gaps(indicators) if target is None else sort_by_distance(indicators, target=target)
    if limit is not None:
        frame = frame.head(limit)
    # Plotly reads a little HTML in labels (<a href>, <b>, <br>): a name is escaped so it shows as typed.
    raw_names = frame["nama"].astype("object").fillna(t("status.unknown")).astype(str)
    names = [html.escape(name, quote=False) for name in raw_names]
    fig = go.Figure()
    for entry in STATUSES:
        column = entry.count_column
        values = frame[column].astype(int).tolist()
        share = frame[entry.pct_column].tolist()  # the engine's share, over the desa that count for it
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                orientation="h",
                name=status_label(entry.code),
                marker={"color": entry.colour, "line": {"color": "#333333", "width": 0.4}},
                customdata=[[fmt_int(v), fmt_pct(s)] for v, s in zip(values, share, strict=True)],
                hovertemplate="%{y}<br>" + status_label(entry.code) + ": %{customdata[0]} desa (%{customdata[1]})"
                "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(title=None, tickformat=",d", gridcolor="#e5e5e5", automargin=True)
    shown = height if height is not None else BAR_HEIGHT_PX * len(frame) + BAR_CHROME_PX
    fig = _base_layout(fig, height=max(200, shown), large=large)
    # Legend in the order of the traces (plotly reverses it for stacked bars by default).
    # Two legend entries to a row, whatever the width (four would not fit beside a map).
    fig.update_layout(
        legend={
            "traceorder": "normal",
            "font": {"size": 11 if not large else 16},
            "entrywidth": 0.5,
            "entrywidthmode": "fraction",
        }
    )
    return fig


def incomplete_window_months(months: Sequence[str], *, first_month: str | None, jendela: int) -> tuple[str, ...]:
    """Months whose posyandu window starts before the first report month.

    The window of month M is the ``jendela`` calendar months ending at M; when
    it reaches back before ``first_month`` (the first month with reports) the
    activity of a posyandu cannot be judged yet, so window indicators of M
    are not comparable with later months.

    Parameters
    ----------
    months
        ``YYYY-MM`` months to check.
    first_month
        First month with reports (None: no reports, nothing is incomplete).
    jendela
        Window length in months (``Rules.posyandu_jendela_bulan``).
    """
    first = parse_month(first_month) if first_month else None
    if first is None:
        return ()
    first_index = first[0] * 12 + first[1] - 1
    incomplete = []
    for month in months:
        parsed = parse_month(str(month))
        if parsed is not None and parsed[0] * 12 + parsed[1] - 1 - (jendela - 1) < first_index:
            incomplete.append(str(month))
    return tuple(incomplete)


TARGET_DASH: Final = "dash"


def pustu_dating_note(dating: FacilityDating, *, months: Sequence[str], lang: str | None = None) -> str | None:
    """The note under a trend chart on how dated the pustu status is (None when every month is dated).

    Not dated at all: the status is held constant (the pustu line is flat). Dated, but some of the
    chart's ``months`` lie before the first dated information: those months use the earliest known
    state (:meth:`geo.engine.Coverage.facility_dating`).
    """
    lang = lang or get_language()
    if not dating.dated:
        return t("ringkasan.pustu_tanpa_tanggal", lang=lang)
    held = sorted(set(dating.held_months) & set(months))
    if not held:
        return None
    return t(
        "ringkasan.pustu_awal",
        lang=lang,
        dari=fmt_month(held[0], lang=lang, short=True),
        sampai=fmt_month(held[-1], lang=lang, short=True),
        awal=fmt_month(dating.first_month, lang=lang) if dating.first_month else "–",
    )


def _target_trace(column: str, months: Sequence[str], labels: Sequence[str], targets: Sequence[Target]) -> go.Scatter:
    """The target in force in each month (:func:`geo.targets.target_in_force`), a dashed step line with a label."""
    lang = get_language()
    in_force = [target_in_force(targets, column, month) for month in months]
    values = [float("nan") if entry is None else entry.nilai for entry in in_force]
    last = next(entry for entry in reversed(in_force) if entry is not None)
    label = t(f"metric.{column}")
    name = t(
        "target.garis",
        label=label,
        nilai=fmt_pct(last.nilai, decimals=0 if last.nilai.is_integer() else 1),
        bulan=fmt_month(last.bulan, lang=lang, short=True),
    )
    hover = [
        "" if entry is None else f"{fmt_pct(entry.nilai)} ({fmt_month(entry.bulan, lang=lang, short=True)})"
        for entry in in_force
    ]
    return go.Scatter(
        x=list(labels),
        y=values,
        mode="lines",
        name=name,
        line={"color": INDICATOR_COLORS[column], "width": 1.5, "dash": TARGET_DASH, "shape": "hv"},
        customdata=hover,
        hovertemplate="%{x}<br>Target " + label + ": %{customdata}<extra></extra>",
        meta={"target": column},
    )


def trend_chart(
    trend: pd.DataFrame, *, incomplete: Collection[str] = (), large: bool = False, targets: Sequence[Target] = ()
) -> go.Figure:
    """Lines of the main percentage indicators over the report months.

    Parameters
    ----------
    trend
        One row per month: ``bulan`` + indicator columns (``ui.data.trend``).
    incomplete
        Months whose posyandu window is incomplete (:func:`incomplete_window_months`):
        the :data:`WINDOW_INDICATORS` are left blank there (a gap in the line),
        not drawn as 0 %.
    large
        Bigger type (presentation mode).
    targets
        The store's targets (:func:`geo.targets.targets_from_frame`): each
        trend indicator with a target gets a dashed line of the target in
        force in each month, in the indicator's colour, labelled in the legend.
    """
    lang = get_language()
    frame = trend.sort_values("bulan")
    months = frame["bulan"].astype(str).tolist()
    labels = [fmt_month(m, lang=lang, short=True) for m in months]
    blank = [m in set(incomplete) for m in months]
    fig = go.Figure()
    for column in TREND_INDICATORS:
        values = pd.to_numeric(frame[column], errors="coerce").tolist()
        if column in WINDOW_INDICATORS:
            values = [float("nan") if hide else v for v, hide in zip(values, blank, strict=True)]
        name = t(f"metric.{column}")
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                mode="lines+markers",
                name=name,
                connectgaps=False,
                line={"color": INDICATOR_COLORS[column], "width": 3 if large else 2},
                customdata=[fmt_pct(v) for v in values],
                hovertemplate="%{x}<br>" + name + ": %{customdata}<extra></extra>",
            )
        )
        if any(entry.indikator == column for entry in targets):
            fig.add_trace(_target_trace(column, months, labels, targets))
    fig.update_yaxes(title=t("chart.persen"), range=[0, 100], ticksuffix="%", gridcolor="#e5e5e5")
    fig.update_xaxes(title=None, type="category")
    return _base_layout(fig, height=360 if not large else 420, large=large)
