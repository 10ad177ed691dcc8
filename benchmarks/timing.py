"""Shared by the benchmarks: the median wall time of a few calls, and a ratio against a baseline.

The benchmarks print figures, they never fail on them: each one measures a
baseline in the same run (reading the same file raw, reading the store) and
prints the step as a ratio of it, which varies far less between machines and
between a quiet and a busy machine than the seconds do.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def median_time(action: Callable[[], T], *, repeat: int) -> tuple[float, T]:
    """Median wall time in seconds of ``repeat`` calls of ``action``, and the last call's result."""
    if repeat < 1:
        msg = f"repeat must be at least 1, not {repeat}"
        raise ValueError(msg)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def ratio(seconds: float, baseline: float) -> str:
    """``seconds`` as a multiple of ``baseline``, e.g. ``"3.20x"`` (``"-"`` for a zero baseline)."""
    return f"{seconds / baseline:.2f}x" if baseline > 0 else "-"
