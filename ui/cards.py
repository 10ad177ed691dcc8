"""Indicator cards (``st.metric``) with their change against the previous month.

:func:`card_values` is pure (tested); :func:`render_cards` draws them. The
figures are a row of ``Coverage.indicators(..., by='kabupaten')`` (see
:func:`ui.data.headline`), so a card shows exactly the engine's number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import streamlit as st

from geo.rules import Rules
from ui.fmt import fmt_delta, fmt_int, fmt_pct, is_missing
from ui.i18n import t

DeltaColor = Literal["normal", "inverse", "off"]
DeltaArrow = Literal["auto", "off"]


@dataclass(frozen=True)
class Card:
    """One indicator card: which column, shown how."""

    column: str
    percent: bool
    delta_color: DeltaColor = "normal"  # "inverse": a rise is bad (more desa with gaps)


CARDS: Final[tuple[Card, ...]] = (
    Card("desa", percent=False, delta_color="off"),
    Card("pct_desa_pustu_aktif", percent=True),
    Card("pct_pustu_standar", percent=True),  # % active pustu with 1 perawat + 1 bidan (tenaga lengkap)
    Card("pct_desa_posyandu_aktif", percent=True),
    Card("desa_tanpa_keduanya", percent=False, delta_color="inverse"),
    Card("pct_posyandu_aktif", percent=True),
    Card("pct_kelengkapan_laporan", percent=True),
)
KEY_CARDS: Final[tuple[str, ...]] = ("desa", "desa_tanpa_keduanya", "pct_desa_pustu_aktif", "pct_desa_posyandu_aktif")
# Shown after the others only when some desa of the scope have no data (status tanpa_data).
NO_DATA_CARD: Final = "desa_tanpa_data"
# The most cards one row holds beside the sidebar on a 1280 px screen (about 130 px each, labels on two
# lines); more (the "belum ada data" card after the seven) go on two rows of equal length.
MAX_PER_ROW: Final = 7


def per_row(count: int) -> int:
    """Cards per row for ``count`` cards in a page-wide row: all of them up to :data:`MAX_PER_ROW`, else halves."""
    return count if count <= MAX_PER_ROW else -(-count // 2)


@dataclass(frozen=True)
class CardValue:
    """What one ``st.metric`` shows."""

    column: str
    label: str
    value: str
    delta: str | None
    delta_color: DeltaColor
    delta_arrow: DeltaArrow
    help: str
    raw: float | None


def _number(row: Mapping[str, object] | None, column: str) -> float | None:
    if row is None:
        return None
    value = row.get(column)
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def card_values(
    current: Mapping[str, object],
    previous: Mapping[str, object] | None,
    *,
    rules: Rules,
    cards: Sequence[Card] = CARDS,
) -> list[CardValue]:
    """Texts of the cards: value in Indonesian format and the change since ``previous``.

    Parameters
    ----------
    current, previous
        Indicator rows (``summarise`` columns) of the chosen and the previous
        month; ``previous`` None (no earlier month) gives no deltas.
    rules
        For the help text of the posyandu card (its window and minimum).
    cards
        Which cards, in order. A last card "Belum ada data" (desa and
        kabupaten/kota without facility data) follows when ``current``
        counts such desa.
    """
    values: list[CardValue] = []
    for card in cards:
        now, before = _number(current, card.column), _number(previous, card.column)
        change = None if now is None or before is None else now - before
        if card.percent:
            value = fmt_pct(now)
            delta = fmt_delta(change, decimals=1, unit=t("metric.delta_unit"))
        else:
            value = fmt_int(now)
            delta = fmt_delta(change)
        unchanged = change is not None and round(change, 1 if card.percent else 0) == 0
        help_text = t(f"metric.{card.column}.help", min=rules.posyandu_min_bulan, jendela=rules.posyandu_jendela_bulan)
        values.append(
            CardValue(
                column=card.column,
                label=t(f"metric.{card.column}"),
                value=value,
                delta=delta,
                delta_color="off" if unchanged else card.delta_color,
                delta_arrow="off" if unchanged else "auto",
                help=help_text,
                raw=now,
            )
        )
    no_data = _number(current, NO_DATA_CARD)
    if no_data:
        kabupaten = _number(current, "kabupaten_tanpa_data")
        values.append(
            CardValue(
                column=NO_DATA_CARD,
                label=t(f"metric.{NO_DATA_CARD}"),
                value=t(f"metric.{NO_DATA_CARD}.value", desa=fmt_int(no_data), kab=fmt_int(kabupaten)),
                delta=None,
                delta_color="off",
                delta_arrow="off",
                help=t(f"metric.{NO_DATA_CARD}.help"),
                raw=no_data,
            )
        )
    return values


CARDS_KEY: Final = "ilp_kartu"  # container key; ``ui.layout.BASE_CSS`` makes cards inside it compact


def render_cards(values: Sequence[CardValue], *, per_row: int = 3, key: str = CARDS_KEY) -> None:
    """Draw the cards, ``per_row`` to a row (1: stacked), in a container keyed ``key``.

    A key starting with :data:`CARDS_KEY` gets the compact card style (one
    row of six fits a 1280 px screen beside the sidebar); a page drawing
    cards twice passes a second key.
    """
    with st.container(key=key):
        for start in range(0, len(values), per_row):
            columns = st.columns(per_row, border=True)
            for column, card in zip(columns, values[start : start + per_row], strict=False):  # last row may be short
                with column:
                    st.metric(
                        card.label,
                        card.value,
                        delta=card.delta,
                        delta_color=card.delta_color,
                        delta_arrow=card.delta_arrow,
                        help=card.help,
                    )
