"""The engine's judgements of each facility row (``aktif``, ``dihitung``, ``sesuai_standar`` in
``Coverage.facilities``) are the rows behind the desa table's ``pustu_aktif`` and ``pustu_standar``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, point
from page_support import DEMO, coverage_of

from geo.engine import JUDGEMENT_COLUMNS, Coverage
from geo.placement import PLACEMENT_COLUMNS
from loaders import model


def _counts_match_the_desa_table(cov: Coverage) -> None:
    fac = cov.facilities
    counted_pustu = fac[(fac["jenis"] == model.PUSTU).to_numpy(dtype=bool) & fac["dihitung"].to_numpy(dtype=bool)]
    table = cov.desa_table(cov.latest_month or "2026-10").set_index("kode_desa")
    desa = counted_pustu["kode_desa_final"].astype("object")
    for column, judged in (("pustu_aktif", "aktif"), ("pustu_standar", "sesuai_standar")):
        mask = counted_pustu[judged].to_numpy(dtype=bool, na_value=False)
        per_desa = desa[mask].value_counts().reindex(table.index, fill_value=0)
        assert per_desa.to_numpy().tolist() == table[column].to_numpy().tolist(), column
    assert desa.value_counts().reindex(table.index, fill_value=0).tolist() == table["pustu_total"].tolist()


def test_each_row_is_judged_once_by_the_engine() -> None:
    cov = coverage(
        desa_layer([("11.01.01.2001", cell(0, 1)), ("11.01.01.2002", cell(1, 2))]),
        [
            facility(model.PUSTU, "Pustu Satu", at=point(0.2), perawat=1, bidan=1),
            facility(model.PUSTU, "Pustu Dua", at=point(0.4), perawat=2, bidan=0),
            facility(model.PUSTU, "pustu satu ", at=point(0.6), perawat=1, bidan=1),  # "Pustu Satu" again
            facility(model.POSYANDU, "Posyandu", at=point(0.5), kode="PSY-1", kode_desa="11.01.01.2001"),
            facility(model.PUSTU, "Pustu Lain", at=point(1.5), status=model.TIDAK_AKTIF, perawat=1, bidan=1),
            facility(model.PUSKESMAS, "Puskesmas", at=point(1.2), kode="P1"),
            facility(model.PUSKESMAS, "Puskesmas tutup", at=point(1.3), kode="P2", status=model.TIDAK_AKTIF),
        ],
    )
    fac = cov.facilities
    assert list(fac.columns[-len(JUDGEMENT_COLUMNS) - 1 :]) == [*JUDGEMENT_COLUMNS, "geometry"]
    assert list(fac.columns).index(PLACEMENT_COLUMNS[-1]) < list(fac.columns).index(JUDGEMENT_COLUMNS[0])
    assert fac["aktif"].tolist() == [True, True, True, pd.NA, False, True, False]
    assert fac["dihitung"].tolist() == [True, True, False, True, True, True, True]
    assert fac["sesuai_standar"].tolist() == [True, False, True, pd.NA, False, pd.NA, pd.NA]
    assert str(fac["aktif"].dtype) == "boolean" and fac["dihitung"].dtype == np.bool_
    table = cov.desa_table("2026-10").set_index("kode_desa")
    assert table["pustu_aktif"].tolist() == [2, 0]
    assert table["pustu_standar"].tolist() == [1, 0]
    _counts_match_the_desa_table(cov)


def test_demo_counts_equal_the_desa_table() -> None:
    _counts_match_the_desa_table(coverage_of(DEMO))


@pytest.mark.slow
def test_tasikmalaya_counts_equal_the_desa_table(tasikmalaya_store_path: Path) -> None:
    cov = coverage_of(tasikmalaya_store_path)
    assert int(cov.facilities["dihitung"].sum()) > 0
    _counts_match_the_desa_table(cov)
