"""The Bandingkan page (AppTest) on Kabupaten Tasikmalaya: counts and change table as the engine, both months kept.

The expected figures come from the engine's own statuses of both months
(``Coverage.desa_table``), not from :mod:`geo.compare`. Skips when ``../shared/data`` is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd
import pytest
from page_support import assert_no_exception, dataframe_with_column, metric_values, run_page, texts

from geo.engine import Coverage
from geo.rules import Rules
from loaders.dataset import read_dataset
from loaders.store import Store
from ui.compare_views import PICKER_KEY
from ui.i18n import change_label, status_label

PAGE: Final = "pages/bandingkan.py"
BEFORE: Final = "2025-12"
AFTER: Final = "2026-10"
WORSE_FIRST: Final = ("memburuk", "berubah", "membaik")
# What a desa lacks, per status (to classify a change independently of geo.compare).
LACKS: Final = {
    "tanpa_keduanya": {"pustu", "posyandu"},
    "tanpa_pustu": {"pustu"},
    "tanpa_posyandu_aktif": {"posyandu"},
    "lengkap": set(),
}


def _change(was: str, now: str) -> str:
    if was == now:
        return "tetap"
    if LACKS[now] < LACKS[was]:
        return "membaik"
    return "memburuk" if LACKS[now] > LACKS[was] else "berubah"


def _engine_changes(store: Path, rules: Rules, before: str, after: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """The desa whose engine status differs between the months, with their change; the count per change."""
    cov = Coverage(read_dataset(Store(store)), rules=rules)
    was, now = cov.desa_table(before), cov.desa_table(after)
    both = pd.DataFrame(
        {
            "nama_desa": was["nama_desa"].astype(str),
            "kode_desa": was["kode_desa"].astype(str),
            "sebelum": was["status"].astype(str),
            "sesudah": now["status"].astype(str).to_numpy(),
        }
    )
    assert (was["kode_desa"].to_numpy() == now["kode_desa"].to_numpy()).all()
    assert "tanpa_data" not in set(both["sebelum"]) | set(both["sesudah"])  # every Tasikmalaya desa has data
    both["perubahan"] = [_change(a, b) for a, b in zip(both["sebelum"], both["sesudah"], strict=True)]
    counts = {code: int((both["perubahan"] == code).sum()) for code in (*WORSE_FIRST, "tetap")}
    changed = both[both["perubahan"] != "tetap"].copy()
    changed["rank"] = changed["perubahan"].map(WORSE_FIRST.index)
    return changed.sort_values(["rank", "kode_desa"]).reset_index(drop=True), counts


def _shown_counts(at: object) -> dict[str, str]:
    return metric_values(at)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query_rules", "rules"),
    [({}, Rules()), ({"min_bulan": "12"}, Rules(posyandu_min_bulan=12))],
    ids=["default-rules", "twelve-of-twelve"],
)
def test_counts_and_table_match_the_engine_and_the_url_keeps_both_months(
    app_on_tasikmalaya: Path, query_rules: dict[str, str], rules: Rules
) -> None:
    query = {"bulan": AFTER, "banding": BEFORE, **query_rules}
    at = run_page(PAGE, query)
    changed, counts = _engine_changes(app_on_tasikmalaya, rules, BEFORE, AFTER)

    shown = _shown_counts(at)
    for code, n in counts.items():
        assert shown[change_label(code)] == str(n), code
    assert shown[change_label("tanpa_data")] == "0"
    assert {k: at.query_params[k] for k in query} == query  # both months (and the rule) stay in the address
    assert at.session_state["ilp_banding"] == BEFORE

    if changed.empty:
        assert "Tidak ada desa yang statusnya berubah antara Desember 2025 dan Oktober 2026." in texts(at.main.success)
        return
    table = dataframe_with_column(at, "Perubahan")
    assert list(table.columns) == [
        "Desa",
        "Perubahan",
        "Status Des 2025",
        "Status Okt 2026",
        "Kecamatan",
        "Puskesmas",
        "Posyandu aktif Des 2025",
        "Posyandu aktif Okt 2026",
    ]
    assert list(table["Desa"]) == list(changed["nama_desa"])
    assert list(table["Status Des 2025"]) == [status_label(s) for s in changed["sebelum"]]
    assert list(table["Status Okt 2026"]) == [status_label(s) for s in changed["sesudah"]]
    assert list(table["Perubahan"]) == [change_label(c) for c in changed["perubahan"]]
    total = sum(counts.values())
    assert f"{len(changed)} dari {total} desa berubah status" in texts(at.main.caption)


def test_strict_rules_really_change_desa(app_on_tasikmalaya: Path) -> None:
    """The figures the parametrised test checks are not all zero: 15 desa move under 12 of 12 months."""
    changed, counts = _engine_changes(app_on_tasikmalaya, Rules(posyandu_min_bulan=12), BEFORE, AFTER)
    assert counts == {"memburuk": 7, "berubah": 0, "membaik": 8, "tetap": 336}
    assert len(changed) == 15


def test_default_second_month_is_the_report_month_before_and_goes_into_the_url(app_on_tasikmalaya: Path) -> None:
    at = run_page(PAGE, {"bulan": AFTER})
    assert at.query_params["banding"] == "2026-09"
    assert at.query_params["bulan"] == AFTER
    assert at.selectbox(key=PICKER_KEY).value == "2026-09"


def test_a_second_month_without_reports_is_dropped_with_a_note(app_on_tasikmalaya: Path) -> None:
    at = run_page(PAGE, {"bulan": AFTER, "banding": "2030-01"})
    assert "2030-01" in texts(at.warning)
    assert at.query_params["banding"] == "2026-09"


def test_choosing_the_second_month_changes_counts_and_url(app_on_tasikmalaya: Path) -> None:
    at = run_page(PAGE, {"bulan": AFTER, "banding": BEFORE})
    at.selectbox(key=PICKER_KEY).set_value("2025-06").run()
    assert_no_exception(at)
    assert at.query_params["banding"] == "2025-06"
    assert at.query_params["bulan"] == AFTER
    _, counts = _engine_changes(app_on_tasikmalaya, Rules(), "2025-06", AFTER)
    shown = _shown_counts(at)
    assert {code: shown[change_label(code)] for code in counts} == {code: str(n) for code, n in counts.items()}
    assert counts["tetap"] < 351  # 2025-06 differs from 2026-10


def test_above_the_desa_limit_the_change_map_gives_way_to_a_note_and_the_table_stays(
    app_on_tasikmalaya: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scope of more desa than the maps draw (the limit lowered to 100 for Tasikmalaya's 351): units, a note."""
    from geo import levels

    monkeypatch.setattr(levels, "MAX_DESA_DRAWN", 100)
    at = run_page(PAGE, {"bulan": AFTER, "banding": BEFORE, "min_bulan": "12"})
    notes = texts(at.main.info)
    assert "Wilayah ini memuat 351 desa, lebih dari 100: peta perubahan hanya digambar per desa." in notes
    table = dataframe_with_column(at, "Perubahan")
    assert len(table) == 15
    shown = _shown_counts(at)
    assert (shown[change_label("memburuk")], shown[change_label("membaik")]) == ("7", "8")
