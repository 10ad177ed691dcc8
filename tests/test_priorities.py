"""Unit tests of geo.priorities.rank_priorities (the Prioritas perbaikan list)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.priorities import OUTPUT_COLUMNS, rank_priorities


def _table(rows: list[tuple]) -> pd.DataFrame:
    columns = ["kode_desa", "nama_desa", "status", "posyandu_total", "posyandu_aktif", "jarak_pustu_km", "penduduk"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"kode_desa": "string", "nama_desa": "string", "status": "string", "penduduk": "Int64"})


TINY = _table(
    [
        ("01", "Lengkap", "lengkap", 2, 2, 0.0, 900),
        ("02", "Pustu jauh", "tanpa_pustu", 1, 1, 9.5, 100),
        ("03", "Pustu dekat", "tanpa_pustu", 1, 1, 1.2, 5000),
        ("04", "Keduanya dekat", "tanpa_keduanya", 3, 0, 2.0, 100),
        ("05", "Keduanya jauh", "tanpa_keduanya", 0, 0, 8.0, 100),
        ("06", "Posyandu satu mati", "tanpa_posyandu_aktif", 1, 0, 0.0, 3000),
        ("07", "Posyandu tiga mati", "tanpa_posyandu_aktif", 3, 0, 0.0, 50),
        ("08", "Posyandu satu mati ramai", "tanpa_posyandu_aktif", 1, 0, 0.0, 4000),
        ("09", "Keduanya tanpa pustu sama sekali", "tanpa_keduanya", 0, 0, np.nan, 10),
    ]
)


def test_order_classes_then_gap_size() -> None:
    ranked = rank_priorities(TINY)
    assert ranked["kode_desa"].tolist() == ["09", "05", "04", "07", "08", "06", "02", "03"]
    assert ranked["peringkat"].tolist() == list(range(1, 9))
    assert ranked["kelas"].tolist() == [1, 1, 1, 2, 2, 2, 3, 3]
    assert ranked["tindakan"].tolist() == ["pustu_dan_posyandu"] * 3 + ["posyandu"] * 3 + ["pustu"] * 2
    assert list(ranked.columns) == list(OUTPUT_COLUMNS)


def test_values_carried_over() -> None:
    ranked = rank_priorities(TINY).set_index("kode_desa")
    assert ranked.loc["07", "posyandu_tidak_aktif"] == 3
    assert ranked.loc["04", "posyandu_tidak_aktif"] == 3
    assert ranked.loc["02", "jarak_pustu_km"] == pytest.approx(9.5)
    assert math.isnan(ranked.loc["09", "jarak_pustu_km"])
    assert ranked.loc["03", "penduduk"] == 5000
    assert "01" not in ranked.index


def test_input_not_modified_and_no_penduduk_column() -> None:
    before = TINY.copy()
    ranked = rank_priorities(TINY.drop(columns="penduduk"))
    pd.testing.assert_frame_equal(TINY, before)
    # Without population the name breaks the tie in the posyandu class (06 and 08: one inactive each).
    assert ranked["kode_desa"].tolist() == ["09", "05", "04", "07", "06", "08", "02", "03"]
    assert ranked["penduduk"].isna().all()


def test_no_gaps_gives_empty_frame() -> None:
    ranked = rank_priorities(TINY[TINY["status"] == "lengkap"])
    assert ranked.empty
    assert list(ranked.columns) == list(OUTPUT_COLUMNS)


def test_missing_column_is_reported() -> None:
    with pytest.raises(KeyError, match="jarak_pustu_km"):
        rank_priorities(TINY.drop(columns="jarak_pustu_km"))
