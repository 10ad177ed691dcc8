"""Every user-facing string exists in Indonesian and English (ui/i18n.py)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from geo.indicators import INDICATOR_COLUMNS
from geo.status import DESA_STATUS_COLUMNS
from ui import i18n
from ui.cards import CARDS
from ui.charts import TREND_INDICATORS
from ui.i18n import STRINGS, column_label, label_columns, set_language, status_label, t
from ui.maps import FACILITY_LAYERS
from ui.navigation import PAGE_FILES
from ui.state import GROUPINGS, MALFORMED, NOT_IN_DATA, REPEATED, STATUSES, UNKNOWN_KEY
from ui.views import GAP_COLUMNS

PROJECT = Path(__file__).resolve().parents[1]
SOURCES = [PROJECT / "app.py", *sorted((PROJECT / "ui").glob("*.py")), *sorted((PROJECT / "pages").glob("*.py"))]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z][a-z_.]*)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_present_with_same_placeholders(key: str) -> None:
    indonesian, english = STRINGS[key]
    assert indonesian.strip() and english.strip()
    assert _placeholders(indonesian) == _placeholders(english)


def test_every_literal_key_used_in_code_exists() -> None:
    used = {key for path in SOURCES for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 50
    assert sorted(used - set(STRINGS)) == []


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([f"metric.{c.column}" for c in CARDS] + [f"metric.{c.column}.help" for c in CARDS], id="cards"),
        pytest.param([f"metric.{c}" for c in TREND_INDICATORS], id="trend"),
        pytest.param([f"status.{s}" for s in STATUSES] + [f"status.{s}.desc" for s in STATUSES], id="statuses"),
        pytest.param([f"page.{p}" for p in PAGE_FILES], id="pages"),
        pytest.param([f"group.{g}" for g in GROUPINGS], id="groupings"),
        pytest.param([f"note.{k}" for k in (UNKNOWN_KEY, MALFORMED, REPEATED, NOT_IN_DATA)], id="url-notes"),
        pytest.param([f"map.layer.{layer}" for layer in FACILITY_LAYERS], id="map-layers"),
    ],
)
def test_dynamic_key_families_exist(keys: list[str]) -> None:
    assert [k for k in keys if k not in STRINGS] == []


@pytest.mark.parametrize(
    "column", sorted({*DESA_STATUS_COLUMNS, *INDICATOR_COLUMNS, *GAP_COLUMNS, "kode_puskesmas", "nama_kabupaten"})
)
def test_every_engine_column_has_a_label(column: str) -> None:
    assert i18n.has_column_label(column)
    assert column_label(column, lang="id") != column
    assert column_label(column, lang="en")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("id", "Tanpa pustu aktif"), ("en", "No active pustu")],
)
def test_language_switch(lang: str, expected: str) -> None:
    set_language(lang)
    try:
        assert status_label("tanpa_pustu") == expected
        assert t("peta.count", n="3", total="10").startswith("3 ")
    finally:
        set_language("id")


def test_unknown_language_falls_back_to_indonesian() -> None:
    set_language("fr")
    assert i18n.get_language() == "id"
    assert t("page.ringkasan") == "Ringkasan"


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        t("tidak.ada")


def test_unknown_status_has_a_label() -> None:
    assert status_label("aneh") == "Tidak diketahui"


def test_label_columns_renames_and_selects() -> None:
    frame = pd.DataFrame({"nama_desa": ["A"], "status": ["lengkap"], "x": [1]})
    labelled = label_columns(frame, ["nama_desa", "status"])
    assert list(labelled.columns) == ["Desa", "Status"]
    assert list(frame.columns) == ["nama_desa", "status", "x"]  # input untouched
