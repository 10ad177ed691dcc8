"""Dated facility status: which facility rows are in force in a month (pure functions).

A facility list can be dated two ways (issue 11, contract ``notes/issue11_contract.md``):

* **snapshots**: every row carries ``per``, the month its import describes; the store keeps the
  latest rows in ``fasilitas`` and earlier ones in ``riwayat_fasilitas``;
* **date columns**: ``tanggal_aktif`` (first month active) and ``tanggal_nonaktif`` (first month
  no longer active), both ``YYYY-MM``.

The rule (one home, here). Rows are grouped by ``group`` (the engine uses jenis + kode_kabupaten).
For month ``m`` and each group the rows **in force** are those of the snapshot with the greatest
``per`` <= ``m``; when every snapshot of the group is later than ``m``, those of the earliest one
(the "earliest known state"). A missing ``per`` (rows written before snapshots existed) counts as
the oldest snapshot, earlier than every month. A row in force is **within its dates** in ``m`` when
(``tanggal_aktif`` is missing or <= ``m``) and (``tanggal_nonaktif`` is missing or ``m`` <
``tanggal_nonaktif``); the engine counts it active when, in addition, its status is ``aktif``.

A row is **held** in ``m`` when its group used a snapshot that does not describe ``m`` (missing
``per`` or ``per`` > ``m``) and no row of the group carries a date column: its status is then
today's (or the earliest known) state copied to ``m``. A group whose rows carry dates states its
own history, so it is not held.

Everything only changes at the months listed in the data (every ``per``, ``tanggal_aktif`` and
``tanggal_nonaktif``), so the months fall into a few **epochs** (:func:`epochs`): the masks are
computed once per epoch, and a month is mapped to its epoch by one binary search.

Months are ``YYYY-MM`` strings; they order correctly as strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

BEFORE_ALL: Final = "0000-00"  # a month earlier than every YYYY-MM (the first epoch's representative)
_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})")

__all__ = [
    "BEFORE_ALL",
    "Epochs",
    "FacilityDating",
    "breakpoints",
    "epochs",
    "held_rows",
    "in_force",
    "month_values",
    "within_dates",
]


@dataclass(frozen=True)
class FacilityDating:
    """How dated the status of one kind of facility is (what the pages say about the trend).

    Attributes
    ----------
    dated
        Some rows of this kind carry a date: an earlier snapshot (``riwayat_fasilitas``) or a
        ``tanggal_aktif``/``tanggal_nonaktif`` value. False: the status is held constant over time.
    first_month
        The first month with dated information (the earliest snapshot ``per`` of a group with
        history, or the earliest date-column value), None when not dated.
    held_months
        The months (of those asked about) that used a state not describing them, in order:
        before the first snapshot, the earliest known state is used (see the module docstring).
        Empty when not dated.
    """

    dated: bool
    first_month: str | None
    held_months: tuple[str, ...]


@dataclass(frozen=True)
class Epochs:
    """The distinct outcomes of the rule over all months, for a fixed set of rows.

    Attributes
    ----------
    breaks
        Sorted distinct months at which the outcome may change (:func:`breakpoints`).
    epoch_of_interval
        Epoch of each interval: interval 0 is every month before ``breaks[0]``, interval ``i``
        the months from ``breaks[i-1]`` up to (not including) ``breaks[i]``; intervals with the
        same masks share one epoch.
    in_force, within, held
        Boolean arrays (epochs x rows): :func:`in_force`, :func:`within_dates`, :func:`held_rows`.
    """

    breaks: tuple[str, ...]
    epoch_of_interval: np.ndarray
    in_force: np.ndarray
    within: np.ndarray
    held: np.ndarray

    @property
    def count(self) -> int:
        """How many distinct epochs there are."""
        return int(self.in_force.shape[0])

    def epoch(self, month: str) -> int:
        """The epoch of ``month`` (``YYYY-MM``)."""
        interval = int(np.searchsorted(np.asarray(self.breaks, dtype=object), month, side="right"))
        return int(self.epoch_of_interval[interval])


def month_values(values: pd.Series | Sequence[object] | None, n: int) -> np.ndarray:
    """Object array of ``YYYY-MM`` strings (None where missing or not a month), length ``n``.

    Accepts ``YYYY-MM`` and anything starting with it (``2025-06-15``, ``2025-06-15 00:00``);
    ``None`` (an absent column) gives ``n`` missing values.
    """
    out = np.full(n, None, dtype=object)
    if values is None:
        return out
    series = pd.Series(values, dtype=object).reset_index(drop=True)
    for i, value in enumerate(series):
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            continue
        match = _MONTH.match(str(value).strip())
        if match and 1 <= int(match.group(2)) <= 12:
            out[i] = f"{match.group(1)}-{match.group(2)}"
    return out


def breakpoints(per: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray) -> tuple[str, ...]:
    """Sorted distinct months (of the three arrays, missing values skipped) where the outcome may change."""
    months = {v for column in (per, aktif, nonaktif) for v in column if v is not None}
    return tuple(sorted(months))


def _snapshot_keys(per: np.ndarray) -> np.ndarray:
    """``per`` with missing as the empty string, which sorts before every month (the oldest snapshot)."""
    return np.array(["" if v is None else v for v in per], dtype=object)


def in_force(per: np.ndarray, group: np.ndarray, month: str) -> np.ndarray:
    """Rows of the snapshot in force in ``month`` of their group (see the module docstring).

    Parameters
    ----------
    per
        Snapshot month of each row (None: the oldest snapshot).
    group
        Group key of each row (hashable values).
    month
        ``YYYY-MM``.
    """
    keys = _snapshot_keys(per)
    out = np.zeros(len(keys), dtype=bool)
    if not len(keys):
        return out
    groups, inverse = np.unique(np.asarray(group, dtype=object).astype(str), return_inverse=True)
    for g in range(len(groups)):
        rows = np.flatnonzero(inverse == g)
        snapshots = sorted(set(keys[rows]))
        earlier = [s for s in snapshots if s <= month]
        chosen = earlier[-1] if earlier else snapshots[0]
        out[rows[keys[rows] == chosen]] = True
    return out


def within_dates(aktif: np.ndarray, nonaktif: np.ndarray, month: str) -> np.ndarray:
    """Rows whose dates allow activity in ``month``: (aktif missing or <= month) and (nonaktif missing or > month)."""
    started = np.array([a is None or a <= month for a in aktif], dtype=bool)
    not_ended = np.array([e is None or month < e for e in nonaktif], dtype=bool)
    return started & not_ended


def held_rows(per: np.ndarray, group: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray, month: str) -> np.ndarray:
    """Rows in force in ``month`` whose state is held there (see the module docstring)."""
    force = in_force(per, group, month)
    keys = _snapshot_keys(per)
    undescribed = np.array([k == "" or k > month for k in keys], dtype=bool)
    has_dates = np.array([a is not None or e is not None for a, e in zip(aktif, nonaktif, strict=True)], dtype=bool)
    group_key = np.asarray(group, dtype=object).astype(str)
    dated_groups = set(group_key[has_dates])
    undated_group = np.array([g not in dated_groups for g in group_key], dtype=bool)
    return force & undescribed & undated_group


def epochs(per: np.ndarray, group: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray) -> Epochs:
    """The epochs of the rule for these rows: masks computed once per interval between breakpoints.

    Adjacent intervals with identical masks (a break that changes nothing) share one epoch.
    """
    breaks = breakpoints(per, aktif, nonaktif)
    representatives = (BEFORE_ALL, *breaks)
    masks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    epoch_of_interval = np.zeros(len(representatives), dtype="int64")
    for i, month in enumerate(representatives):
        current = (
            in_force(per, group, month),
            within_dates(aktif, nonaktif, month),
            held_rows(per, group, aktif, nonaktif, month),
        )
        if masks and all(np.array_equal(a, b) for a, b in zip(masks[-1], current, strict=True)):
            epoch_of_interval[i] = len(masks) - 1
            continue
        masks.append(current)
        epoch_of_interval[i] = len(masks) - 1
    n = len(per)

    def _stack(k: int) -> np.ndarray:
        return np.stack([m[k] for m in masks]) if n else np.zeros((len(masks), 0), dtype=bool)

    return Epochs(
        breaks=breaks,
        epoch_of_interval=epoch_of_interval,
        in_force=_stack(0),
        within=_stack(1),
        held=_stack(2),
    )
