"""The Desa page's monthly chart (ui/activity_chart.py): whole-number ticks on both y axes."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.activity_chart import activity_chart, integer_step
from ui.drilldown import GROUPS


@pytest.mark.parametrize(
    ("top", "step"),
    [(0, 1), (1, 1), (6, 1), (7, 2), (12, 2), (13, 5), (30, 5), (31, 10), (99, 20), (1000, 200), (1234, 500)],
)
def test_integer_step(top: float, step: int) -> None:
    assert integer_step(top) == step
    assert top / step <= 6 or top == 0  # never more than about six ticks


def _monthly(opened: list[int], visits: int) -> pd.DataFrame:
    months = [f"2026-{m:02d}" for m in range(1, len(opened) + 1)]
    frame = pd.DataFrame({"bulan": months, "posyandu_buka": opened, "posyandu_lapor": opened})
    return frame.assign(**{group: visits // len(GROUPS) for group in GROUPS})


def _ticks(axis: dict) -> list[float]:
    """The tick values plotly draws for a linear axis with tick0/dtick over ``range``."""
    low, high = axis["range"]
    values, tick = [], float(axis["tick0"])
    while tick <= high:
        if tick >= low:
            values.append(tick)
        tick += axis["dtick"]
    return values


@pytest.mark.parametrize(
    ("opened", "expected"),
    [
        ([12, 11, 12, 10], [0, 2, 4, 6, 8, 10, 12]),  # was 0, 2, 5, 7, 10, 12 (2.5 steps printed rounded)
        ([3, 2, 3], [0, 1, 2, 3, 4]),
        ([0, 0], [0, 1, 2]),
        ([40, 38], [0, 10, 20, 30, 40]),
    ],
)
def test_open_posyandu_axis_has_whole_number_ticks(opened: list[int], expected: list[int]) -> None:
    layout = activity_chart(_monthly(opened, visits=1000)).to_plotly_json()["layout"]
    right = layout["yaxis2"]
    assert right["tickmode"] == "linear" and right["tickformat"] == "d"
    assert right["range"] == [0, max([1, *opened]) + 1]
    assert _ticks(right) == expected
    assert all(float(v).is_integer() for v in _ticks(right))


def test_visits_axis_steps_are_whole_numbers() -> None:
    small = activity_chart(_monthly([1, 1], visits=5)).to_plotly_json()["layout"]["yaxis"]
    assert small["dtick"] == 1 and small["tick0"] == 0 and small["tickmode"] == "linear"
    large = activity_chart(_monthly([10, 12], visits=1000)).to_plotly_json()["layout"]["yaxis"]
    assert large["dtick"] == 200 and large["tickformat"] == ",d"
