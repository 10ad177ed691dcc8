"""Targets of the indicators and their traffic light (pure; no streamlit).

Declared once here:

* :data:`TARGET_INDICATORS`: the indicators that can have a target (a
  percentage column of :mod:`geo.indicators`), each with its direction
  (higher is better, or lower is better for the shares of desa with a gap);
* :data:`LIGHTS`: the traffic-light vocabulary (code, colour, i18n key);
* :func:`light`: the light of a value against a target, and
  :func:`distance`: how far a value still is from its target (for sorting);
* :func:`target_in_force`: which target applies to a month.

The traffic light (``hampir_pct`` per target, default :data:`DEFAULT_HAMPIR_PCT`):

* higher is better: ``tercapai`` when value >= target; ``hampir`` when
  value >= hampir_pct % of target; ``belum`` below that;
* lower is better (mirrored): ``tercapai`` when value <= target; ``hampir``
  when hampir_pct % of the value is <= target (value <= target * 100 /
  hampir_pct); ``belum`` above that.

A missing value (no desa, no posyandu) has no light (None).

The target in force for month M: a target names the month by which it should
be reached (``bulan``). For M the target of the earliest ``bulan`` >= M
applies (the next deadline); when every deadline has passed, the last one
(the latest ``bulan``) still applies. The interface shows which month that is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from geo.activity import MONTH_PATTERN
from geo.statuses import LENGKAP, TANPA_KEDUANYA, TANPA_POSYANDU_AKTIF, TANPA_PUSTU

LightCode = Literal["tercapai", "hampir", "belum"]
TERCAPAI: Final = "tercapai"
HAMPIR: Final = "hampir"
BELUM: Final = "belum"
DEFAULT_HAMPIR_PCT: Final = 80.0
PERCENT_MIN: Final = 0.0
PERCENT_MAX: Final = 100.0
HAMPIR_PCT_MIN: Final = 1.0
HAMPIR_PCT_MAX: Final = 100.0
TOLERANCE: Final = 1e-9  # a value equal to its target up to float noise counts as reached


@dataclass(frozen=True)
class TargetIndicator:
    """One indicator that can have a target.

    Attributes
    ----------
    code
        The percentage column of :mod:`geo.indicators` (``pct_desa_pustu_aktif``).
    higher_is_better
        False for shares of desa with a gap (less is better).
    card_columns
        Columns of indicator cards that show this target besides ``code``
        itself (the card "Desa tanpa keduanya" counts the desa of
        ``pct_tanpa_keduanya``).
    """

    code: str
    higher_is_better: bool
    card_columns: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        """The i18n key of its label (:func:`ui.i18n.column_label`)."""
        return f"col.{self.code}"


TARGET_INDICATORS: Final[tuple[TargetIndicator, ...]] = (
    TargetIndicator("pct_desa_pustu_aktif", higher_is_better=True),
    TargetIndicator("pct_desa_posyandu_aktif", higher_is_better=True),
    TargetIndicator(f"pct_{LENGKAP}", higher_is_better=True),
    TargetIndicator("pct_posyandu_aktif", higher_is_better=True),
    TargetIndicator("pct_kelengkapan_laporan", higher_is_better=True),
    TargetIndicator("pct_pustu_standar", higher_is_better=True),
    TargetIndicator(f"pct_{TANPA_KEDUANYA}", higher_is_better=False, card_columns=(f"desa_{TANPA_KEDUANYA}",)),
    TargetIndicator(f"pct_{TANPA_PUSTU}", higher_is_better=False),
    TargetIndicator(f"pct_{TANPA_POSYANDU_AKTIF}", higher_is_better=False),
    TargetIndicator("pct_kesenjangan", higher_is_better=False),
)
TARGET_BY_CODE: Final[Mapping[str, TargetIndicator]] = {entry.code: entry for entry in TARGET_INDICATORS}


@dataclass(frozen=True)
class Light:
    """One traffic-light state: its code, colour (hex), Streamlit badge colour and i18n key."""

    code: LightCode
    colour: str
    badge: str

    @property
    def label_key(self) -> str:
        """The i18n key of its word (``target.lampu.tercapai`` -> "Tercapai")."""
        return f"target.lampu.{self.code}"


LIGHTS: Final[tuple[Light, ...]] = (
    Light(TERCAPAI, colour="#1a9850", badge="green"),
    Light(HAMPIR, colour="#f59e0b", badge="orange"),
    Light(BELUM, colour="#d73027", badge="red"),
)
LIGHT_BY_CODE: Final[Mapping[str, Light]] = {entry.code: entry for entry in LIGHTS}


@dataclass(frozen=True)
class Target:
    """One row of the store layer ``target``: ``nilai`` % of ``indikator`` by month ``bulan``."""

    indikator: str
    nilai: float
    bulan: str
    hampir_pct: float = DEFAULT_HAMPIR_PCT
    catatan: str = ""

    @property
    def higher_is_better(self) -> bool:
        """Direction of the indicator (:data:`TARGET_BY_CODE`)."""
        return TARGET_BY_CODE[self.indikator].higher_is_better


@dataclass(frozen=True)
class Assessment:
    """A value against the target in force: the target, the value, its light and its distance."""

    target: Target
    value: float | None
    light: LightCode | None
    distance: float | None


def is_month(text: str) -> bool:
    """True for a month written ``YYYY-MM`` (the form of a target's ``bulan``)."""
    return MONTH_PATTERN.match(text) is not None


def _missing(value: float | None) -> bool:
    return value is None or pd.isna(value) or not math.isfinite(float(value))


def light(value: float | None, *, target: float, hampir_pct: float, higher_is_better: bool) -> LightCode | None:
    """The traffic light of ``value`` against ``target`` (see the module notes); None without a value.

    Examples
    --------
    >>> light(80.0, target=80.0, hampir_pct=80.0, higher_is_better=True)
    'tercapai'
    >>> light(64.0, target=80.0, hampir_pct=80.0, higher_is_better=True)
    'hampir'
    >>> light(12.5, target=10.0, hampir_pct=80.0, higher_is_better=False)
    'hampir'
    """
    if _missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    share = hampir_pct / 100.0
    if higher_is_better:
        if number >= target - TOLERANCE:
            return TERCAPAI
        return HAMPIR if number >= share * target - TOLERANCE else BELUM
    if number <= target + TOLERANCE:
        return TERCAPAI
    return HAMPIR if share * number <= target + TOLERANCE else BELUM


def distance(value: float | None, *, target: float, higher_is_better: bool) -> float | None:
    """Percentage points still to go to ``target`` (negative: beyond it); None without a value.

    Sorting by it (largest first) puts the areas furthest from the target first.

    Examples
    --------
    >>> distance(42.5, target=80.0, higher_is_better=True)
    37.5
    >>> distance(5.0, target=10.0, higher_is_better=False)
    -5.0
    """
    if _missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    return target - number if higher_is_better else number - target


def targets_from_frame(frame: pd.DataFrame) -> tuple[Target, ...]:
    """The rows of a ``target`` layer frame as :class:`Target` values (unknown indicators skipped)."""
    found: list[Target] = []
    for row in frame.itertuples(index=False):
        code = str(row.indikator)
        if code not in TARGET_BY_CODE or _missing(row.nilai) or pd.isna(row.bulan):
            continue
        hampir = DEFAULT_HAMPIR_PCT if _missing(row.hampir_pct) else float(row.hampir_pct)
        note = "" if pd.isna(row.catatan) else str(row.catatan)
        found.append(Target(code, float(row.nilai), str(row.bulan), hampir, note))
    return tuple(found)


def _as_targets(targets: pd.DataFrame | Iterable[Target]) -> tuple[Target, ...]:
    return targets_from_frame(targets) if isinstance(targets, pd.DataFrame) else tuple(targets)


def target_in_force(targets: pd.DataFrame | Iterable[Target], indikator: str, month: str) -> Target | None:
    """The target of ``indikator`` that applies to ``month`` (``YYYY-MM``); None when it has none.

    The earliest target whose ``bulan`` is ``month`` or later; when all are
    earlier, the latest one.

    Examples
    --------
    >>> rows = [Target("pct_desa_pustu_aktif", 60.0, "2026-06"), Target("pct_desa_pustu_aktif", 80.0, "2026-12")]
    >>> target_in_force(rows, "pct_desa_pustu_aktif", "2026-03").bulan
    '2026-06'
    >>> target_in_force(rows, "pct_desa_pustu_aktif", "2026-07").bulan
    '2026-12'
    >>> target_in_force(rows, "pct_desa_pustu_aktif", "2027-02").bulan
    '2026-12'
    """
    mine = sorted((entry for entry in _as_targets(targets) if entry.indikator == indikator), key=lambda e: e.bulan)
    if not mine:
        return None
    upcoming = [entry for entry in mine if entry.bulan >= month]
    return upcoming[0] if upcoming else mine[-1]


def assess(
    targets: pd.DataFrame | Iterable[Target], indikator: str, value: float | None, *, month: str
) -> Assessment | None:
    """``value`` of ``indikator`` in ``month`` against the target in force; None when it has no target."""
    chosen = target_in_force(targets, indikator, month)
    if chosen is None:
        return None
    direction = chosen.higher_is_better
    number = None if _missing(value) else float(value)  # type: ignore[arg-type]
    return Assessment(
        target=chosen,
        value=number,
        light=light(number, target=chosen.nilai, hampir_pct=chosen.hampir_pct, higher_is_better=direction),
        distance=distance(number, target=chosen.nilai, higher_is_better=direction),
    )


def indicator_of_card(column: str) -> TargetIndicator | None:
    """The target indicator an indicator card of ``column`` shows (None: the card has no target)."""
    if column in TARGET_BY_CODE:
        return TARGET_BY_CODE[column]
    return next((entry for entry in TARGET_INDICATORS if column in entry.card_columns), None)


def indicators_with_target(targets: pd.DataFrame | Iterable[Target]) -> tuple[str, ...]:
    """Codes of the indicators that have at least one target, in :data:`TARGET_INDICATORS` order."""
    present = {entry.indikator for entry in _as_targets(targets)}
    return tuple(entry.code for entry in TARGET_INDICATORS if entry.code in present)


DISTANCE_COLUMN: Final = "jarak_target"


def sort_by_distance(indicators: pd.DataFrame, *, target: Target) -> pd.DataFrame:
    """Groups ordered by distance to ``target`` (furthest first, no value last, then by name).

    Returns a copy with a :data:`DISTANCE_COLUMN` column (percentage points).
    """
    values = pd.to_numeric(indicators[target.indikator], errors="coerce").astype("float64")
    gap = values - target.nilai if not target.higher_is_better else target.nilai - values
    frame = indicators.assign(**{DISTANCE_COLUMN: gap})
    return frame.sort_values(
        [DISTANCE_COLUMN, "nama"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
