"""The acceptance run of the coverage engine, exactly as a user types it.

For each of the five reference districts: every file goes in through
``python cli.py import ...`` with no manual mapping, then
``python cli.py gaps --month 2026-10 --format json`` (and without ``--month``: the latest report
month is the reference month) must list exactly the desa of
``desa_without_active_posyandu`` (``posyandu_aktif == 0``) and of
``desa_without_active_pustu`` (``pustu_aktif == 0``) in ``truth_*.json``.
``cli.main`` runs in this process (the same code path as the command line,
without paying Python's start-up five times per district). Skips when
``../shared/data`` is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reference_districts import DISTRICTS, district_files, read_truth

import cli

pytestmark = pytest.mark.slow

GAPS_FIELDS = [
    "kode_desa",
    "nama_desa",
    "kode_kecamatan",
    "nama_kecamatan",
    "puskesmas",
    "pustu_aktif",
    "ada_puskesmas",
    "posyandu_total",
    "posyandu_aktif",
    "posyandu_lapor",
    "jarak_pustu_km",
    "status",
]


@pytest.mark.parametrize("kode", DISTRICTS)
def test_gaps_json_reproduces_the_truth(
    kode: str, shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "ilp.gpkg")
    for kind, path in district_files(shared_data, kode):
        assert cli.main(["import", kind, str(path), "--store", store]) == 0, capsys.readouterr().err
    out = tmp_path / "gaps.json"
    assert cli.main(["gaps", "--month", "2026-10", "--format", "json", "--out", str(out), "--store", store]) == 0

    records = json.loads(out.read_text(encoding="utf-8"))
    truth = read_truth(shared_data, kode)
    assert len(records) == truth["desa"]
    assert all(list(record) == GAPS_FIELDS for record in records)
    no_posyandu = {r["kode_desa"] for r in records if r["posyandu_aktif"] == 0}
    no_pustu = {r["kode_desa"] for r in records if r["pustu_aktif"] == 0}
    assert no_posyandu == set(truth["desa_without_active_posyandu"])
    assert no_pustu == set(truth["desa_without_active_pustu"])
    assert sum(r["posyandu_aktif"] for r in records) == truth["posyandu_active"]

    # Without --month the CLI takes the latest report month, the truth's reference month.
    latest = tmp_path / "gaps_bawaan.json"
    assert cli.main(["gaps", "--format", "json", "--out", str(latest), "--store", store]) == 0
    assert f"Bulan: {truth['reference_month']} (bulan laporan terakhir)." in capsys.readouterr().err
    assert latest.read_bytes() == out.read_bytes()
