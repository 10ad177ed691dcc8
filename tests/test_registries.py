"""Contract tests: each registry against its users (one vocabulary, defined once, used everywhere)."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from geo import statuses
from geo.indicators import INDICATOR_COLUMNS, PERCENTAGES
from geo.status import classify
from ui import maps
from ui.i18n import STRINGS, t
from ui.palette import STATUS_COLORS, STATUS_ORDER
from ui.state import STATUSES as STATE_STATUSES

# -- statuses -----------------------------------------------------------------------------
BADGE_COLOURS = ("red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary")  # st.badge


@pytest.mark.parametrize("entry", statuses.STATUSES, ids=lambda s: s.code)
def test_status_has_colour_badge_and_words(entry: statuses.Status) -> None:
    assert re.fullmatch(r"#[0-9A-F]{6}", entry.colour)
    assert entry.badge in BADGE_COLOURS
    for key in (entry.label_key, entry.desc_key):
        indonesian, english = STRINGS[key]
        assert indonesian.strip() and english.strip(), key


@pytest.mark.parametrize("entry", statuses.STATUSES, ids=lambda s: s.code)
def test_status_has_indicator_columns(entry: statuses.Status) -> None:
    assert entry.count_column in INDICATOR_COLUMNS
    assert entry.pct_column in INDICATOR_COLUMNS
    assert PERCENTAGES[entry.pct_column] == (entry.count_column, "desa")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_status_has_a_legend_row_in_display_order(lang: str) -> None:
    legend = maps.legend_html(facilities=False, lang=lang)
    swatches = re.findall(r'style="background:(#[0-9A-Fa-f]{6})"></span>([^<]*)</div>', legend)
    expected = [(s.colour, html.escape(t(s.label_key, lang=lang))) for s in statuses.STATUSES]
    assert swatches == expected


def test_status_codes_are_unique_and_one_is_complete() -> None:
    assert len(set(statuses.CODES)) == len(statuses.CODES)
    assert [s.code for s in statuses.STATUSES if not s.is_gap] == [statuses.LENGKAP]
    gaps = [s for s in statuses.STATUSES if s.is_gap]
    assert sorted(s.priority_class for s in gaps) == list(range(1, len(gaps) + 1))
    assert all(s.action for s in gaps)


def test_classify_yields_exactly_the_registered_codes() -> None:
    pustu_ok = np.array([True, True, False, False])
    posyandu_ok = np.array([True, False, True, False])
    result = classify(pustu_ok=pustu_ok, posyandu_ok=posyandu_ok)
    assert sorted(result.tolist()) == sorted(statuses.CODES)
    for code, has_pustu, has_posyandu in zip(result, pustu_ok, posyandu_ok, strict=True):
        entry = statuses.status(str(code))
        assert (entry.needs_pustu, entry.needs_posyandu) == (not has_pustu, not has_posyandu)


def test_ui_lists_read_the_registry() -> None:
    assert STATUS_ORDER == STATE_STATUSES == statuses.CODES
    assert STATUS_COLORS == {s.code: s.colour for s in statuses.STATUSES}
