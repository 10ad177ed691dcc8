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

_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})")

__all__ = [
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
    present = series.notna().to_numpy(dtype=bool)
    if not present.any():
        return out
    parts = series[present].astype(str).str.strip().str.extract(_MONTH.pattern)
    month = pd.to_numeric(parts[1], errors="coerce")
    valid = (parts[0].notna() & month.between(1, 12)).to_numpy(dtype=bool)
    rows = np.flatnonzero(present)[valid]
    out[rows] = (parts[0][valid] + "-" + parts[1][valid]).to_numpy(dtype=object)
    return out


def breakpoints(per: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray) -> tuple[str, ...]:
    """Sorted distinct months (of the three arrays, missing values skipped) where the outcome may change."""
    months = {v for column in (per, aktif, nonaktif) for v in pd.unique(np.asarray(column, dtype=object)) if v}
    return tuple(sorted(months))


def _number(month: str) -> int:
    """Months since year 0 of a ``YYYY-MM`` string (the epochs take -1 for the months before every break)."""
    year, mon = int(month[:4]), int(month[5:7])
    return year * 12 + mon - 1


def _numbers(months: np.ndarray, *, missing: int) -> np.ndarray:
    """:func:`_number` of each month (None: ``missing``), vectorised."""
    out = np.full(len(months), missing, dtype="int64")
    series = pd.Series(months, dtype=object)
    present = series.notna().to_numpy(dtype=bool)
    if present.any():
        text = series[present].astype(str)
        year = text.str.slice(0, 4).astype("int64").to_numpy()
        out[present] = year * 12 + text.str.slice(5, 7).astype("int64").to_numpy() - 1
    return out


@dataclass(frozen=True)
class _Rows:
    """The rows prepared once for the rule: months as integers, groups as codes, snapshots per group."""

    group: np.ndarray  # group code per row
    per: np.ndarray  # snapshot month number, -1 when missing (the oldest, <= every month)
    missing_per: np.ndarray
    aktif: np.ndarray  # -1 when missing (always started)
    nonaktif: np.ndarray  # beyond every month when missing (never ended)
    pair_group: np.ndarray  # distinct (group, per) pairs sorted by group then per
    pair_per: np.ndarray
    earliest: np.ndarray  # per group: its earliest snapshot
    undated_group: np.ndarray  # per row: no row of its group carries a date column value


def _prepare(per: np.ndarray, group: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray) -> _Rows:
    keys = pd.Series(np.asarray(group, dtype=object)).fillna("").astype(str)
    codes, _ = pd.factorize(keys, sort=True, use_na_sentinel=False)
    per_number = _numbers(np.asarray(per, dtype=object), missing=-1)
    aktif_number = _numbers(np.asarray(aktif, dtype=object), missing=-1)
    nonaktif_number = _numbers(np.asarray(nonaktif, dtype=object), missing=np.iinfo("int64").max)
    pairs = np.unique(np.stack([codes, per_number], axis=1), axis=0) if len(codes) else np.zeros((0, 2), "int64")
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    earliest = np.zeros(n_groups, dtype="int64")
    if len(pairs):
        first = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]])
        earliest[pairs[first, 0]] = pairs[first, 1]
    has_dates = pd.Series(np.asarray(aktif, dtype=object)).notna().to_numpy(dtype=bool) | pd.Series(
        np.asarray(nonaktif, dtype=object)
    ).notna().to_numpy(dtype=bool)
    dated_group = np.zeros(n_groups, dtype=bool)
    dated_group[codes[has_dates]] = True
    return _Rows(
        group=codes,
        per=per_number,
        missing_per=per_number < 0,
        aktif=aktif_number,
        nonaktif=nonaktif_number,
        pair_group=pairs[:, 0],
        pair_per=pairs[:, 1],
        earliest=earliest,
        undated_group=~dated_group[codes],
    )


def _in_force(rows: _Rows, month: int) -> np.ndarray:
    chosen = rows.earliest.copy()
    earlier = np.flatnonzero(rows.pair_per <= month)
    if earlier.size:
        groups = rows.pair_group[earlier]
        last = np.flatnonzero(np.r_[groups[1:] != groups[:-1], True])  # pairs ascend: the greatest per group
        chosen[groups[last]] = rows.pair_per[earlier[last]]
    return rows.per == chosen[rows.group] if len(rows.group) else np.zeros(0, dtype=bool)


def _within(rows: _Rows, month: int) -> np.ndarray:
    return (rows.aktif <= month) & (month < rows.nonaktif)


def _held(rows: _Rows, month: int, force: np.ndarray) -> np.ndarray:
    return force & (rows.missing_per | (rows.per > month)) & rows.undated_group


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
    none = np.full(len(per), None, dtype=object)
    return _in_force(_prepare(per, group, none, none), _number(month))


def within_dates(aktif: np.ndarray, nonaktif: np.ndarray, month: str) -> np.ndarray:
    """Rows whose dates allow activity in ``month``: (aktif missing or <= month) and (nonaktif missing or > month)."""
    none = np.full(len(aktif), None, dtype=object)
    return _within(_prepare(none, none, aktif, nonaktif), _number(month))


def held_rows(per: np.ndarray, group: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray, month: str) -> np.ndarray:
    """Rows in force in ``month`` whose state is held there (see the module docstring)."""
    rows = _prepare(per, group, aktif, nonaktif)
    number = _number(month)
    return _held(rows, number, _in_force(rows, number))


def epochs(per: np.ndarray, group: np.ndarray, aktif: np.ndarray, nonaktif: np.ndarray) -> Epochs:
    """The epochs of the rule for these rows: masks computed once per interval between breakpoints.

    Adjacent intervals with identical masks (a break that changes nothing) share one epoch.
    Vectorised over rows: a few array operations per breakpoint.
    """
    rows = _prepare(per, group, aktif, nonaktif)
    breaks = breakpoints(per, aktif, nonaktif)
    representatives = (-1, *(_number(b) for b in breaks))
    masks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    epoch_of_interval = np.zeros(len(representatives), dtype="int64")
    for i, month in enumerate(representatives):
        force = _in_force(rows, month)
        current = (force, _within(rows, month), _held(rows, month, force))
        if not masks or not all(np.array_equal(a, b) for a, b in zip(masks[-1], current, strict=True)):
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
