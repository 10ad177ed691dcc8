"""Plotly figures of the dashboard (pure: frames in, figures out).

Labels come from :mod:`ui.i18n`, numbers use the Indonesian separators
(``separators=",."``: decimal comma, thousands dot) and hover texts are
pre-formatted with :mod:`ui.fmt`. Status colours are those of the map.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import plotly.graph_objects as go

from ui.fmt import fmt_int, fmt_month, fmt_pct
from ui.i18n import get_language, status_label, t
from ui.palette import INDICATOR_COLORS, STATUS_COLORS, STATUS_SEVERITY

SEPARATORS: Final = ",."  # plotly: decimal, thousands
BAR_HEIGHT_PX: Final = 24
TREND_INDICATORS: Final = (
    "pct_desa_pustu_aktif",
    "pct_desa_posyandu_aktif",
    "pct_posyandu_aktif",
    "pct_kelengkapan_laporan",
)
STATUS_COUNT_COLUMNS: Final = {
    "lengkap": "desa_lengkap",
    "tanpa_pustu": "desa_tanpa_pustu",
    "tanpa_posyandu_aktif": "desa_tanpa_posyandu_aktif",
    "tanpa_keduanya": "desa_tanpa_keduanya",
}


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
    frame = indicators.assign(kesenjangan=indicators["desa"] - indicators["desa_lengkap"])
    return frame.sort_values(
        ["kesenjangan", "desa_tanpa_keduanya", "nama"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def gap_bar_chart(indicators: pd.DataFrame, *, large: bool = False) -> go.Figure:
    """Stacked horizontal bars: desa per status for each group, sorted by gaps.

    Parameters
    ----------
    indicators
        ``Coverage.indicators(month, by='kecamatan'|'puskesmas', ...)``.
    large
        Bigger type (presentation mode).
    """
    frame = sort_by_gaps(indicators)
    names = frame["nama"].astype("object").fillna(t("status.unknown")).astype(str).tolist()
    fig = go.Figure()
    for status in STATUS_SEVERITY:
        column = STATUS_COUNT_COLUMNS[status]
        values = frame[column].astype(int).tolist()
        share = (frame[column] / frame["desa"].where(frame["desa"] > 0) * 100).tolist()
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                orientation="h",
                name=status_label(status),
                marker={"color": STATUS_COLORS[status], "line": {"color": "#333333", "width": 0.4}},
                customdata=[[fmt_int(v), fmt_pct(s)] for v, s in zip(values, share)],
                hovertemplate="%{y}<br>" + status_label(status) + ": %{customdata[0]} desa (%{customdata[1]})"
                "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(title=t("chart.desa"), tickformat=",d", gridcolor="#e5e5e5")
    height = max(260, BAR_HEIGHT_PX * len(frame) + 110)
    return _base_layout(fig, height=height, large=large)


def trend_chart(trend: pd.DataFrame, *, large: bool = False) -> go.Figure:
    """Lines of the main percentage indicators over the report months.

    Parameters
    ----------
    trend
        One row per month: ``bulan`` + indicator columns (``ui.data.trend``).
    large
        Bigger type (presentation mode).
    """
    lang = get_language()
    frame = trend.sort_values("bulan")
    months = frame["bulan"].astype(str).tolist()
    labels = [fmt_month(m, lang=lang, short=True) for m in months]
    fig = go.Figure()
    for column in TREND_INDICATORS:
        values = pd.to_numeric(frame[column], errors="coerce").tolist()
        name = t(f"metric.{column}")
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                mode="lines+markers",
                name=name,
                line={"color": INDICATOR_COLORS[column], "width": 3 if large else 2},
                customdata=[fmt_pct(v) for v in values],
                hovertemplate="%{x}<br>" + name + ": %{customdata}<extra></extra>",
            )
        )
    fig.update_yaxes(title=t("chart.persen"), range=[0, 100], ticksuffix="%", gridcolor="#e5e5e5")
    fig.update_xaxes(title=None, type="category")
    return _base_layout(fig, height=360 if not large else 420, large=large)
