"""The Desa profile chart: posyandu visits per life-cycle group, month by month (pure plotly).

Groups are those of :data:`loaders.model.KELOMPOK_SIKLUS_HIDUP` (balita, ibu
hamil, usia sekolah dan remaja, usia produktif, lansia), labelled through
:mod:`ui.i18n` (the Indonesian labels are the model's). Bars are stacked per
month; a line on the second axis shows how many posyandu of the desa opened.
Numbers use the Indonesian separators, hover texts are pre-formatted.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import plotly.graph_objects as go

from ui.charts import SEPARATORS
from ui.drilldown import GROUPS
from ui.fmt import fmt_int, fmt_month
from ui.i18n import get_language, t

# Okabe-Ito colours, one per group (distinct for colour-blind readers).
GROUP_COLORS: Final[dict[str, str]] = {
    "balita": "#E69F00",
    "ibu_hamil": "#CC79A7",
    "usia_sekolah_remaja": "#56B4E9",
    "usia_produktif": "#009E73",
    "lansia": "#0072B2",
}
OPEN_LINE_COLOR: Final = "#222222"
MAX_TICKS: Final = 6  # about this many ticks on each y axis


def group_label(group: str, *, lang: str | None = None) -> str:
    """Label of a life-cycle group column (``ibu_hamil`` -> ``Ibu hamil``)."""
    return t(f"siklus.{group}", lang=lang)


def integer_step(top: float, *, ticks: int = MAX_TICKS) -> int:
    """A whole-number tick step (1, 2, 5, 10, 20, 50, ...) giving at most about ``ticks`` ticks up to ``top``.

    Counts (visits, posyandu) get whole-number ticks only: plotly's own step
    for 0-12 is 2.5, printed rounded as 0, 2, 5, 7, 10, 12.
    """
    wanted = max(float(top), 1.0) / ticks
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= wanted:
                return factor * magnitude
        magnitude *= 10


def activity_chart(monthly: pd.DataFrame, *, large: bool = False) -> go.Figure:
    """Stacked monthly visits per life-cycle group, plus posyandu that opened.

    Parameters
    ----------
    monthly
        From :func:`ui.drilldown.monthly_by_group` (``bulan``,
        ``posyandu_buka`` and one column per group).
    large
        Bigger type (presentation mode).
    """
    lang = get_language()
    frame = monthly.sort_values("bulan")
    labels = [fmt_month(m, lang=lang, short=True) for m in frame["bulan"].astype(str)]
    fig = go.Figure()
    for group in GROUPS:
        values = frame[group].astype("int64").tolist()
        name = group_label(group)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=name,
                marker={"color": GROUP_COLORS[group]},
                customdata=[fmt_int(v) for v in values],
                hovertemplate="%{x}<br>" + name + ": %{customdata}<extra></extra>",
            )
        )
    opened = frame["posyandu_buka"].astype("int64").tolist()
    open_name = t("desap.chart.buka")
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=opened,
            name=open_name,
            yaxis="y2",
            mode="lines+markers",
            line={"color": OPEN_LINE_COLOR, "width": 2, "dash": "dot"},
            customdata=[fmt_int(v) for v in opened],
            hovertemplate="%{x}<br>" + open_name + ": %{customdata}<extra></extra>",
        )
    )
    top = max([1, *opened])
    visits = frame[list(GROUPS)].astype("int64").sum(axis=1)
    most_visits = int(visits.max()) if len(visits) else 0
    fig.update_layout(
        barmode="stack",
        separators=SEPARATORS,
        height=420 if large else 380,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        font={"size": 17 if large else 13},
        plot_bgcolor="#ffffff",
        yaxis={
            "title": t("desap.chart.kunjungan"),
            "tickformat": ",d",
            "gridcolor": "#e5e5e5",
            "tickmode": "linear",
            "tick0": 0,
            "dtick": integer_step(most_visits),
            "rangemode": "tozero",
        },
        yaxis2={
            "title": t("desap.chart.buka"),
            "overlaying": "y",
            "side": "right",
            "range": [0, top + 1],
            "tickformat": "d",
            "tickmode": "linear",
            "tick0": 0,
            "dtick": integer_step(top),
            "showgrid": False,
        },
        xaxis={"type": "category"},
    )
    return fig
