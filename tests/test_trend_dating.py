"""The note under the Ringkasan trend on how dated the pustu status is (issue 11).

No dates at all: the pustu line is flat and the chart says so in words. Dated
data whose first snapshot comes after the first report month: the months before
it use the earliest known state, and the note names them. Fully dated: no note.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from page_support import coverage_of, run_page

from geo.dating import FacilityDating
from loaders import model
from loaders.store import ChangeRecord, Store
from ui.charts import pustu_dating_note

MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04")
UNDATED = "Status pustu tidak bertanggal"


@pytest.mark.parametrize(
    ("dating", "lang", "expected"),
    [
        (FacilityDating(dated=False, first_month=None, held_months=()), "id", UNDATED),
        (FacilityDating(dated=False, first_month=None, held_months=()), "en", "Pustu status has no dates"),
        (FacilityDating(dated=True, first_month="2025-03", held_months=()), "id", None),
        (
            FacilityDating(dated=True, first_month="2025-03", held_months=("2025-01", "2025-02")),
            "id",
            "Status pustu Jan 2025–Feb 2025 memakai keadaan paling awal yang diketahui (daftar per Maret 2025)",
        ),
        (  # held months outside the chart's months say nothing
            FacilityDating(dated=True, first_month="2024-06", held_months=("2024-01",)),
            "id",
            None,
        ),
    ],
)
def test_note_per_dating(dating: FacilityDating, lang: str, expected: str | None) -> None:
    note = pustu_dating_note(dating, months=MONTHS, lang=lang)
    if expected is None:
        assert note is None
    else:
        assert note is not None
        assert note.startswith(expected)


def _captions(at: object) -> str:
    return "\n".join(c.value for c in at.main.caption)  # type: ignore[attr-defined]


def test_undated_store_says_the_pustu_line_is_held(monkeypatch: pytest.MonkeyPatch, user_store_path: Path) -> None:
    monkeypatch.setenv("ILP_STORE", str(user_store_path))
    assert not coverage_of(user_store_path).facility_dating().dated
    at = run_page()
    assert UNDATED in _captions(at)


def test_dated_store_has_no_note(monkeypatch: pytest.MonkeyPatch, user_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "dated" / "ilp.gpkg"
    path.parent.mkdir()
    shutil.copy2(user_store_path, path)
    store = Store(path)
    fasilitas = store.read_fasilitas()
    pustu = fasilitas.index[(fasilitas["jenis"] == model.PUSTU).to_numpy()]
    month = coverage_of(path).months[3]
    fasilitas.loc[pustu[:3], "tanggal_aktif"] = month  # three pustu open in the fourth report month
    store.commit(layers={model.LAYER_FASILITAS: fasilitas}, record=ChangeRecord(jenis_impor="fasilitas"))
    dating = coverage_of(path).facility_dating()
    assert dating.dated
    assert dating.held_months == ()
    monkeypatch.setenv("ILP_STORE", str(path))
    at = run_page()
    assert UNDATED not in _captions(at)
    assert "keadaan paling awal" not in _captions(at)
