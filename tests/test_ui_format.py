"""Indonesian number, percentage, month formatting (ui/fmt.py) and indicator card texts (ui/cards.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.rules import Rules
from ui.cards import CARDS, card_values
from ui.fmt import fmt_delta, fmt_int, fmt_km, fmt_month, fmt_num, fmt_pct, parse_month, previous_month


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1234, "1.234"),
        (1234567, "1.234.567"),
        (-1234, "-1.234"),
        (1234.6, "1.235"),
        (np.int64(2400), "2.400"),
        (pd.NA, "–"),
        (None, "–"),
        (float("nan"), "–"),
        (math.inf, "–"),
        ("abc", "–"),
    ],
)
def test_fmt_int(value: object, expected: str) -> None:
    assert fmt_int(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (0.05, 2, "0,05"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (1000000.25, 2, "1.000.000,25"),
        (3.14159, 3, "3,142"),
    ],
)
def test_fmt_num(value: float, decimals: int, expected: str) -> None:
    assert fmt_num(value, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (56.71, "56,7%"),
        (100, "100,0%"),
        (0, "0,0%"),
        (33.35, "33,4%"),
        (1234.56, "1.234,6%"),
        (float("nan"), "–"),
        (None, "–"),
    ],
)
def test_fmt_pct(value: object, expected: str) -> None:
    assert fmt_pct(value) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (3, {}, "+3"),
        (-2, {}, "-2"),
        (0, {}, "0"),
        (1.25, {"decimals": 1, "unit": "poin"}, "+1,2 poin"),
        (-0.5, {"decimals": 1, "unit": "poin"}, "-0,5 poin"),
        (1500, {}, "+1.500"),
        (float("nan"), {}, None),
        (None, {"unit": "poin"}, None),
    ],
)
def test_fmt_delta(value: object, kwargs: dict, expected: str | None) -> None:
    assert fmt_delta(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("2026-10", {}, "Oktober 2026"),
        ("2025-01", {}, "Januari 2025"),
        ("2025-08", {"short": True}, "Agu 2025"),
        ("2026-05", {"lang": "en"}, "May 2026"),
        ("2026-12", {"lang": "en", "short": True}, "Dec 2026"),
        ("2026-13", {}, "–"),
        ("", {}, "–"),
        (None, {}, "–"),
    ],
)
def test_fmt_month(value: object, kwargs: dict, expected: str) -> None:
    assert fmt_month(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-10", (2026, 10)), (" 2026-01 ", (2026, 1)), ("2026-00", None), ("26-10", None), ("2026/10", None)],
)
def test_parse_month(value: str, expected: tuple[int, int] | None) -> None:
    assert parse_month(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(3.25, "3,2 km"), (12.0, "12,0 km"), (1234.5, "1.234,5 km"), (float("nan"), "–")]
)
def test_fmt_km(value: float, expected: str) -> None:
    assert fmt_km(value) == expected


@pytest.mark.parametrize(
    ("month", "months", "expected"),
    [
        ("2026-10", ["2026-08", "2026-09", "2026-10"], "2026-09"),
        ("2026-10", ["2026-10", "2026-08"], "2026-08"),  # unsorted input, a missing month skipped
        ("2026-08", ["2026-08", "2026-09"], None),
        ("2025-01", ["2026-08"], None),
    ],
)
def test_previous_month(month: str, months: list[str], expected: str | None) -> None:
    assert previous_month(month, months) == expected


def test_card_values_texts_and_deltas() -> None:
    current = {
        "desa": 351,
        "pct_desa_pustu_aktif": 42.45,
        "pct_desa_posyandu_aktif": 92.3,
        "desa_tanpa_keduanya": 16,
        "pct_posyandu_aktif": 72.8,
        "pct_kelengkapan_laporan": float("nan"),
    }
    previous = {
        "desa": 351,
        "pct_desa_pustu_aktif": 40.0,
        "pct_desa_posyandu_aktif": 92.3,
        "desa_tanpa_keduanya": 18,
        "pct_posyandu_aktif": 73.3,
        "pct_kelengkapan_laporan": 88.0,
    }
    cards = {c.column: c for c in card_values(current, previous, rules=Rules())}
    assert [c.column for c in CARDS] == list(cards)
    assert (cards["desa"].value, cards["desa"].delta, cards["desa"].delta_arrow) == ("351", "0", "off")
    assert (cards["pct_desa_pustu_aktif"].value, cards["pct_desa_pustu_aktif"].delta) == ("42,5%", "+2,5 poin")
    assert cards["pct_desa_posyandu_aktif"].delta_color == "off"  # unchanged: neutral, no arrow
    assert (cards["desa_tanpa_keduanya"].delta, cards["desa_tanpa_keduanya"].delta_color) == ("-2", "inverse")
    assert cards["pct_posyandu_aktif"].delta == "-0,5 poin"
    assert (cards["pct_kelengkapan_laporan"].value, cards["pct_kelengkapan_laporan"].delta) == ("–", None)
    assert "10 dari 12 bulan" in cards["pct_posyandu_aktif"].help


def test_card_values_without_previous_month() -> None:
    cards = card_values({"desa": 5, "pct_desa_pustu_aktif": 20.0}, None, rules=Rules())
    assert all(card.delta is None for card in cards)
    assert cards[0].value == "5"
