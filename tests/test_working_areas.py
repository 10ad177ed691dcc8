"""The working-area importer (loaders/working_areas.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tabular_fixtures import DESA_32_06, desa_frame, issues_by, store_with_desa, write_text

from loaders.exceptions import InputError
from loaders.facilities import prepare_facilities
from loaders.prepared import commit_prepared
from loaders.store import Store
from loaders.working_areas import desa_key, match_desa_names, prepare_working_areas


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = store_with_desa(tmp_path / "store" / "ilp.gpkg")
    puskesmas = "Kode Puskesmas;Nama Puskesmas\nP3206010101;Cipatujah\nP3206020101;Karang Nunggal\n"
    commit_prepared(store, prepare_facilities(write_text(tmp_path / "puskesmas.csv", puskesmas), store=store))
    return store


@pytest.mark.parametrize(
    ("name", "key"),
    [("Ciheras", "ciheras"), (" DESA Ciheras ", "ciheras"), ("Kel. Suka Rami", "sukarami"), ("Desamulya", "desamulya")],
)
def test_desa_key(name: str, key: str) -> None:
    assert desa_key(name) == key


def test_match_desa_names() -> None:
    desa = desa_frame(DESA_32_06)
    names = pd.Series(["cipatujah", "Ciheras", "CIHERAS", "Ciheras", "Antah"], dtype="string")
    kecamatan = pd.Series([pd.NA, pd.NA, "Kec. Karangnunggal", "Sukaraja", pd.NA], dtype="string")
    codes, reasons = match_desa_names(names, kecamatan, desa=desa)
    assert codes.tolist()[0] == "32.06.01.2002" and codes.tolist()[2] == "32.06.02.2001"
    assert codes.isna().tolist() == [False, True, False, True, True]
    assert (
        "nama desa 'Ciheras' ada lebih dari satu: 32.06.01.2001 (Kec. Cipatujah), 32.06.02.2001 (Kec. Karangnunggal)"
        in reasons[1]
    )
    assert reasons[3] == "desa 'Ciheras' tidak ada di kecamatan 'Sukaraja' (ada di kecamatan: Cipatujah, Karangnunggal)"
    assert reasons[4] == "desa 'Antah' tidak ada di batas desa yang tersimpan"


def test_codes_names_duplicates_and_puskesmas_matching(tmp_path: Path, store: Store) -> None:
    text = (
        "kode_desa,nama_desa,kecamatan,kode_puskesmas,nama_puskesmas\n"
        "32.06.01.2001,Ciheras,,P3206010101,\n"
        "3206012002,,,,Cipatujah\n"
        ",Ciheras,Karangnunggal,,karang nunggal\n"
        ",Ciheras,,P3206010101,Cipatujah\n"
        "32.06.99.9999,,,P3206010101,\n"
        "abc,,,P3206010101,\n"
        "32.06.01.2001,,,P9999,Baru\n"
        "32.06.01.2002,,,,\n"
    )
    prepared = prepare_working_areas(write_text(tmp_path / "wilayah_kerja.csv", text), store=store)
    report = prepared.report
    layer = prepared.layers["wilayah_kerja"]
    assert layer.values.tolist() == [
        ["32.06.01.2001", "P9999", "Baru"],  # later row wins
        ["32.06.01.2002", "P3206010101", "Cipatujah"],
        ["32.06.02.2001", "P3206020101", "karang nunggal"],
    ]
    assert (report.jenis_impor, report.baris_dibaca, report.diterima, report.ditolak) == ("wilayah_kerja", 8, 3, 4)
    assert issues_by(report, "desa_tidak_dikenal") == [(5, None), (6, "32.06.99.9999"), (7, "abc")]
    rejected = {i.baris: i.alasan for i in report.masalah if i.tindakan == "ditolak"}
    assert "Nama desa 'Ciheras' ada lebih dari satu" in rejected[5]
    assert rejected[6] == "Kode desa 32.06.99.9999 tidak ada di batas desa yang tersimpan; baris ditolak."
    assert "Kode desa 'abc' bukan kode Kemendagri" in rejected[7]
    assert rejected[9] == "Kode dan nama puskesmas kosong; baris ditolak."
    assert issues_by(report, "puskesmas_tidak_dikenal") == [(8, "P9999")]
    assert issues_by(report, "wilayah_duplikat") == [(2, "32.06.01.2001")]
    assert prepared.catatan_sumber == "wilayah_kerja"
    assert sorted(prepared.catatan["jenis"]) == ["puskesmas_tidak_dikenal", "wilayah_duplikat"]


def test_existing_rows_of_other_desa_are_kept(tmp_path: Path, store: Store) -> None:
    first = write_text(
        tmp_path / "a.csv", "kode_desa;kode_puskesmas\n32.06.01.2001;P3206010101\n32.06.01.2002;P3206010101\n"
    )
    commit_prepared(store, prepare_working_areas(first, store=store))
    second = write_text(tmp_path / "b.csv", "kode_desa;kode_puskesmas\n32.06.01.2002;P3206020101\n")
    prepared = prepare_working_areas(second, store=store)
    assert prepared.layers["wilayah_kerja"][["kode_desa", "kode_puskesmas"]].values.tolist() == [
        ["32.06.01.2001", "P3206010101"],
        ["32.06.01.2002", "P3206020101"],
    ]
    assert prepared.layers["wilayah_kerja"]["nama_puskesmas"].tolist() == ["Cipatujah", "Karang Nunggal"]


def test_needs_desa_in_store(tmp_path: Path) -> None:
    path = write_text(tmp_path / "w.csv", "kode_desa;kode_puskesmas\n32.06.01.2001;P1\n")
    with pytest.raises(
        InputError, match=r"w\.csv tidak dapat dicocokkan: penyimpanan belum berisi batas desa.*import boundaries"
    ):
        prepare_working_areas(path, store=Store(tmp_path / "kosong.gpkg"))


def test_missing_columns(tmp_path: Path, store: Store) -> None:
    path = write_text(tmp_path / "w.csv", "Lokasi;PKM\nCipatujah;P3206010101\n")
    with pytest.raises(InputError, match=r"Kolom wajib tidak ditemukan di berkas w\.csv: kode_desa atau nama_desa"):
        prepare_working_areas(path, store=store)
    prepared = prepare_working_areas(path, store=store, mapping={"Lokasi": "nama_desa", "PKM": "kode_puskesmas"})
    assert prepared.layers["wilayah_kerja"].values.tolist() == [["32.06.01.2002", "P3206010101", "Cipatujah"]]
    assert prepared.mapping == {"Lokasi": "nama_desa", "PKM": "kode_puskesmas"}
