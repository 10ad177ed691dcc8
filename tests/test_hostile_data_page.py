"""The Data page shows a hostile file's refusal as a message, never an exception (AppTest).

A few cases of each kind from ``hostile_geo`` and ``hostile_tabular`` (the CLI
tests run every case); each is uploaded on the Data page of a small store.
"""

from __future__ import annotations

from pathlib import Path

import hostile_geo
import hostile_tabular
import pytest
from page_support import assert_data_page_refuses

PAGE_CASES = {
    "gpkg_recursive_view",
    "zip_bomb",
    "kmz_bomb",
    "parquet_random_wkb",
    "geojson_nan_row",
    "xlsx_malformed_workbook",
    "xlsx_xxe",
    "xlsx_lying_dimension",
    "csv_nul_byte",
    "xlsx_many_entries",
}
CASES = [case for case in [*hostile_geo.CASES, *hostile_tabular.CASES] if case[0] in PAGE_CASES]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_data_page_shows_the_refusal(
    case: tuple, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_buttons: None
) -> None:
    assert_data_page_refuses(case, tmp_path=tmp_path, monkeypatch=monkeypatch)


def test_every_chosen_case_exists() -> None:
    assert {case[0] for case in CASES} == PAGE_CASES
