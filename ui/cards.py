"""Indicator cards (``st.metric``) with their change against the previous month.

:func:`card_values` is pure (tested); :func:`render_cards` draws them. The
figures are a row of ``Coverage.indicators(..., by='kabupaten')`` (see
:func:`ui.data.headline`), so a card shows exactly the engine's number.

A card whose indicator has a target (:mod:`geo.targets`, the store's
``target`` layer) also shows the target in force for the month and its
traffic light; the light is decided by :func:`geo.targets.assess`, the card
only shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd
import streamlit as st

from geo.rules import Rules
from geo.targets import LIGHT_BY_CODE, Assessment, Target, assess, indicator_of_card
from ui.fmt import fmt_delta, fmt_int, fmt_month, fmt_pct, is_missing
from ui.i18n import get_language, t

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
# Presentation mode's four cards when the map is coloured by pustu staffing (warna=tenaga): the staffing card
# takes the place of "desa tanpa keduanya", a status the map then does not show (five do not fit 720 px).
STAFFING_KEY_CARDS: Final[tuple[str, ...]] = (
    "desa",
    "pct_desa_pustu_aktif",
    "pct_pustu_standar",
    "pct_desa_posyandu_aktif",
)
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
    target: str | None = None  # "Target 80% (Des 2026)"; None: no target
    light: str | None = None  # geo.targets light code (tercapai | hampir | belum); None: no target or no value
    target_help: str = ""


def target_value_text(value: float) -> str:
    """A target in percent: whole numbers without decimals (``80%``), else one (``72,5%``)."""
    return fmt_pct(value, decimals=0 if float(value).is_integer() else 1)


def target_text(target: Target, *, lang: str | None = None) -> str:
    """``Target 80% (Des 2026)``, or ``Target maks. 10% (Des 2026)`` for a lower-is-better indicator."""
    language = lang or get_language()
    key = "target.kartu" if target.higher_is_better else "target.kartu_maks"
    return t(
        key,
        lang=language,
        nilai=target_value_text(target.nilai),
        bulan=fmt_month(target.bulan, lang=language, short=True),
    )


def target_help(target: Target, *, lang: str | None = None) -> str:
    """The rule of the light of ``target`` in words (the card's help)."""
    language = lang or get_language()
    direction = "naik" if target.higher_is_better else "turun"
    return t(
        "target.kartu_help",
        lang=language,
        nilai=target_value_text(target.nilai),
        bulan=fmt_month(target.bulan, lang=language),
        arah=t(f"target.arah_{direction}", lang=language),
        hampir=t(f"target.hampir_{direction}", lang=language, pct=f"{target.hampir_pct:g}"),
    )


def light_word(code: str, *, lang: str | None = None) -> str:
    """The word of a light code (``tercapai`` -> "Tercapai")."""
    return t(LIGHT_BY_CODE[code].label_key, lang=lang)


def light_markdown(code: str | None, *, lang: str | None = None) -> str:
    """A coloured badge with a dot and the word of the light (Streamlit markdown); empty without a light."""
    if code is None:
        return ""
    return f":{LIGHT_BY_CODE[code].badge}-badge[● {light_word(code, lang=lang)}]"


def card_assessment(
    current: Mapping[str, object], column: str, *, targets: pd.DataFrame | Iterable[Target], month: str | None
) -> Assessment | None:
    """The target in force and the light of the card of ``column`` (None: no target or no month)."""
    indicator = indicator_of_card(column)
    if indicator is None or month is None:
        return None
    return assess(targets, indicator.code, _number(current, indicator.code), month=month)


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
    targets: pd.DataFrame | Iterable[Target] = (),
    month: str | None = None,
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
    targets, month
        The store's targets (``Dataset.target``) and the chosen month: a
        card whose indicator has a target shows the target in force for
        ``month`` and its light (:func:`geo.targets.assess`).
    """
    targets = targets if isinstance(targets, pd.DataFrame) else tuple(targets)
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
        judged = card_assessment(current, card.column, targets=targets, month=month)
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
                target=None if judged is None else target_text(judged.target),
                light=None if judged is None else judged.light,
                target_help="" if judged is None else target_help(judged.target),
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
                    if card.target is not None:
                        line = f"{light_markdown(card.light)} {card.target}".strip()
                        st.markdown(line, help=card.target_help)
