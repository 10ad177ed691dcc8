"""The facility importer on tiny inline tables (loaders/facilities.py)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point
from tabular_fixtures import DESA_32_05, DESA_32_06, issues_by, store_with_desa, write_text

from loaders import model
from loaders.exceptions import InputError
from loaders.facilities import kind_from_name, prepare_facilities, slug
from loaders.prepared import commit_prepared
from loaders.store import ChangeRecord, Store

POSYANDU_CSV = """Kode Posyandu;Nama Posyandu;Kode Desa;Latitude;Longitude;Strata;Jumlah Kader
PSY-1;Posyandu Mawar 1;3206012001;-7,45;108,05;MANDIRI;5
PSY-2;Posyandu Melati 2;32.06.01.2001;108,06;-7,46;Madya;tujuh
PSY-3;Posyandu Dahlia 3;32.06.01.2001;;;Purnama;4
PSY-4;Posyandu Anggrek 4;32.06.01.2002;abc;108,15;Pratama;3
PSY-1;Posyandu Mawar 1;32.06.01.2001;-7,45;108,05;Mandiri;5
PSY-5;Posyandu Kenanga 5;32.06.01.2002;-6,90;107,50;Purnama;6
PSY-6;Posyandu Teratai 6;32.06.01.2001;-7,45;108,15;Super;6
PSY-7;<b>Posyandu</b> <script>alert(1)</script>;99.99;-7,45;108,25;Madya;-2
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return store_with_desa(tmp_path / "store" / "ilp.gpkg")


def test_posyandu_csv_values_and_findings(tmp_path: Path, store: Store) -> None:
    path = write_text(tmp_path / "posyandu_32.06.csv", POSYANDU_CSV)
    prepared = prepare_facilities(path, store=store)
    report = prepared.report
    layer = prepared.layers["fasilitas"].set_index("id_fasilitas")

    assert (report.jenis_impor, report.baris_dibaca, report.diterima, report.ditolak) == ("fasilitas", 8, 8, 0)
    assert layer.index.tolist() == ["PSY-1", "PSY-2", "PSY-3", "PSY-4", "PSY-1~2", "PSY-5", "PSY-6", "PSY-7"]
    assert set(layer["jenis"]) == {"posyandu"}
    assert layer.loc["PSY-1", "kode_desa"] == "32.06.01.2001"  # undotted code normalised
    assert (layer.loc["PSY-1", "lat"], layer.loc["PSY-1", "lon"]) == (-7.45, 108.05)
    # swapped and fixed
    assert (layer.loc["PSY-2", "lat"], layer.loc["PSY-2", "lon"]) == (-7.46, 108.06)
    assert bool(layer.loc["PSY-2", "koordinat_ditukar"]) and not bool(layer.loc["PSY-1", "koordinat_ditukar"])
    assert layer.loc["PSY-2", "geometry"].equals(Point(108.06, -7.46))
    # no / garbage coordinates: kept without a point
    assert layer.loc["PSY-3", "geometry"] is None and layer.loc["PSY-4", "geometry"] is None
    assert layer["status"].eq(model.AKTIF).all()
    assert layer.loc["PSY-1", "strata"] == "mandiri" and layer.loc["PSY-6", "strata"] == "Super"
    assert layer.loc["PSY-1", "jumlah_kader"] == 5 and pd.isna(layer.loc["PSY-2", "jumlah_kader"])
    assert pd.isna(layer.loc["PSY-7", "jumlah_kader"]) and pd.isna(layer.loc["PSY-7", "kode_desa"])
    assert layer.loc["PSY-7", "nama"] == "<b>Posyandu</b> <script>alert(1)</script>"
    assert layer["berkas_sumber"].eq("posyandu_32.06.csv").all()
    assert layer["baris_sumber"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9]

    assert issues_by(report, "koordinat_ditukar") == [(3, "PSY-2")]
    assert issues_by(report, "tanpa_koordinat") == [(4, "PSY-3"), (5, "PSY-4")]
    assert issues_by(report, "koordinat_tidak_sah") == [(5, "PSY-4")]
    assert issues_by(report, "duplikat_kode") == [(6, "PSY-1")]
    assert issues_by(report, "di_luar_wilayah") == [(7, "PSY-5")]
    assert issues_by(report, "desa_berbeda") == [(8, "PSY-6")]
    assert issues_by(report, "kode_desa_tidak_sah") == [(9, None)]
    assert issues_by(report, "angka_tidak_sah") == [(3, None), (9, None)]
    assert issues_by(report, "strata_tidak_dikenal") == [(8, None)]
    assert report.diperbaiki == 1

    messages = {i.jenis: i.alasan for i in report.masalah}
    assert messages["koordinat_ditukar"] == (
        "Lintang dan bujur posyandu PSY-2 tertukar (108.060000, -7.460000); "
        "diperbaiki menjadi lintang -7.460000, bujur 108.060000."
    )
    assert (
        "sudah ada di baris 2; baris ini tetap disimpan sebagai PSY-1~2 dan hanya dihitung sekali"
        in messages["duplikat_kode"]
    )
    assert "berada di luar wilayah desa yang tersimpan" in messages["di_luar_wilayah"]
    assert "Lintang 'abc' bukan angka koordinat" in messages["koordinat_tidak_sah"]
    assert "Kode desa '99.99' bukan kode Kemendagri" in messages["kode_desa_tidak_sah"]
    assert (
        "berada di desa 32.06.01.2002 (Cipatujah), bukan di desa yang tercantum 32.06.01.2001 (Ciheras)"
        in messages["desa_berbeda"]
    )

    catatan = prepared.catatan
    assert prepared.catatan_sumber == "fasilitas:posyandu"
    # only what the engine cannot recompute from the stored layers (loaders.findings): the unreadable coordinate
    assert catatan[["jenis", "tingkat", "subjek", "baris"]].values.tolist() == [
        ["koordinat_tidak_sah", "sedang", "PSY-4", 5]
    ]
    assert prepared.mapping["Kode Posyandu"] == "kode" and prepared.mapping["Latitude"] == "lat"


def test_committed_layer_keeps_text_verbatim(tmp_path: Path, store: Store) -> None:
    path = write_text(tmp_path / "posyandu.csv", POSYANDU_CSV)
    committed = commit_prepared(store, prepare_facilities(path, store=store))
    assert committed.versi == 2
    stored = store.read_fasilitas().set_index("id_fasilitas")
    assert stored.loc["PSY-7", "nama"] == "<b>Posyandu</b> <script>alert(1)</script>"
    assert bool(stored.loc["PSY-2", "koordinat_ditukar"])
    assert stored.loc["PSY-3"].geometry is None or stored.loc["PSY-3"].geometry.is_empty
    catatan = store.read_catatan()
    assert set(catatan["sumber"]) == {"fasilitas:posyandu"} and set(catatan["versi"]) == {2}
    assert catatan["jenis"].tolist() == ["koordinat_tidak_sah"]


PUSTU_CSV = """Nama Pustu,Kode Desa,Puskesmas Induk,Latitude,Longitude,Perawat,Bidan,Status
Pustu Ciheras,32.06.01.2001,Cipatujah,-7.45,108.05,1,2,Aktif
Pustu Ciheras,32.06.01.2001,Cipatujah,-7.45,108.05,1,2,aktif
Pustu Cipatujah,32.06.01.2002,Tidak Ada,-7.45,108.15,0,1,Tidak aktif
Pustu Satu,32.06.01.2002,,-7.45,108.15,x,1,nonaktif
Pustu Dua,32.06.01.2002,,-7.45,108.15,0,1,ya
Pustu Tiga,32.06.01.2002,,-7.45,108.15,0,1,0
Pustu Empat,32.06.01.2002,,-7.45,108.15,0,1,kadang
Pustu Lima,32.06.01.2002,,-7.45,108.15,0,1,
,32.06.01.2002,,-7.45,108.15,0,1,Aktif
"""


def test_pustu_ids_status_and_induk(tmp_path: Path, store: Store) -> None:
    puskesmas = write_text(
        tmp_path / "puskesmas.csv",
        "Kode Puskesmas;Nama Puskesmas;Latitude;Longitude\nP3206010101;Cipatujah;-7,45;108,15\n",
    )
    commit_prepared(store, prepare_facilities(puskesmas, store=store))
    prepared = prepare_facilities(write_text(tmp_path / "pustu.csv", PUSTU_CSV), store=store)
    report = prepared.report
    pustu = prepared.layers["fasilitas"].query("jenis == 'pustu'").set_index("id_fasilitas")
    assert pustu.index.tolist() == [
        "PUSTU-32.06.01.2001-pustu-ciheras",
        "PUSTU-32.06.01.2001-pustu-ciheras~2",
        "PUSTU-32.06.01.2002-pustu-cipatujah",
        "PUSTU-32.06.01.2002-pustu-satu",
        "PUSTU-32.06.01.2002-pustu-dua",
        "PUSTU-32.06.01.2002-pustu-tiga",
        "PUSTU-32.06.01.2002-pustu-empat",
        "PUSTU-32.06.01.2002-pustu-lima",
    ]
    assert pustu["status"].tolist()[:6] == ["aktif", "aktif", "tidak aktif", "tidak aktif", "aktif", "tidak aktif"]
    assert pustu["status"].isna().tolist()[6:] == [True, True]
    assert pustu["kode"].isna().all()
    assert pustu.loc["PUSTU-32.06.01.2001-pustu-ciheras", "kode_puskesmas"] == "P3206010101"
    assert pd.isna(pustu.loc["PUSTU-32.06.01.2002-pustu-cipatujah", "kode_puskesmas"])
    assert pustu["perawat"].tolist()[:3] == [1, 1, 0] and pd.isna(pustu["perawat"].iloc[3])
    assert issues_by(report, "duplikat_kode") == [(3, "PUSTU-32.06.01.2001-pustu-ciheras")]
    assert issues_by(report, "status_tidak_dikenal") == [(8, None)]
    assert issues_by(report, "status_kosong") == [(9, None)]
    assert issues_by(report, "nama_kosong") == [(10, None)]
    assert (report.baris_dibaca, report.diterima, report.ditolak) == (9, 8, 1)
    # the puskesmas imported before is kept (other kind)
    assert prepared.layers["fasilitas"]["jenis"].value_counts().to_dict() == {"pustu": 8, "puskesmas": 1}


def test_pustu_without_status_column_gets_one_file_level_warning(tmp_path: Path, store: Store) -> None:
    text = "Nama Pustu;Kode Desa\nPustu A;32.06.01.2001\nPustu B;32.06.01.2002\n"
    prepared = prepare_facilities(write_text(tmp_path / "pustu.csv", text), store=store)
    assert prepared.layers["fasilitas"]["status"].isna().all()
    assert issues_by(prepared.report, "status_kosong") == [(None, None)]
    warning = next(i.alasan for i in prepared.report.masalah if i.jenis == "status_kosong")
    assert warning.startswith("Tidak ada kolom Status: status 2 pustu tidak diketahui sehingga tidak dihitung aktif.")


def test_three_sheet_workbook_is_one_import(tmp_path: Path, store: Store) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Puskesmas"
    sheet.append(["Kode Puskesmas", "Nama Puskesmas", "Koordinat"])
    sheet.append(["P3206010101", "Cipatujah", "-7.45, 108.15"])
    sheet = book.create_sheet("PUSTU")
    sheet.append(["Nama Pustu", "Kode Desa", "Koordinat", "Status"])
    sheet.append(["Pustu Ciheras", "32.06.01.2001", "-7.45, 108.05", "Aktif"])
    sheet = book.create_sheet("Data Posyandu")
    sheet.append(["Kode Posyandu", "Nama Posyandu", "Kode Desa", "Koordinat"])
    sheet.append(["PSY-1", "Mawar", "32.06.01.2001", "108.05, -7.45"])
    sheet.append(["PSY-2", "Melati", "32.06.01.2001", ""])
    notes = book.create_sheet("Petunjuk")
    notes.append(["Petunjuk", "Keterangan"])
    notes.append(["Isi data", "di sheet lain"])
    path = tmp_path / "fasilitas.xlsx"
    book.save(path)
    prepared = prepare_facilities(path, store=store)
    layer = prepared.layers["fasilitas"]
    assert layer["jenis"].tolist() == ["puskesmas", "pustu", "posyandu", "posyandu"]
    assert layer["kode_puskesmas"].tolist()[0] == "P3206010101"
    assert prepared.catatan_sumber == "fasilitas:posyandu+puskesmas+pustu"
    assert "Data Posyandu!Koordinat" in prepared.mapping
    swapped = [i for i in prepared.report.masalah if i.jenis == "koordinat_ditukar"]
    assert swapped[0].alasan.startswith("Sheet 'Data Posyandu': Lintang dan bujur posyandu PSY-1 tertukar")
    assert swapped[0].baris == 2
    assert (
        "Sheet 'Petunjuk' dilewati: jenis fasilitasnya tidak dikenali dari nama maupun judul kolom."
        in prepared.report.catatan
    )
    only = prepare_facilities(path, store=store, sheet="pustu")
    assert only.layers["fasilitas"]["jenis"].tolist() == ["pustu"] and only.catatan_sumber == "fasilitas:pustu"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Puskesmas", "puskesmas"),
        ("Data Posyandu", "posyandu"),
        ("pustu_32.05", "pustu"),
        ("Puskesmas Pembantu", "pustu"),
        ("Sheet1", None),
    ],
)
def test_kind_from_name(name: str, kind: str | None) -> None:
    assert kind_from_name(name) == kind


def test_kind_from_type_flag_then_headers(tmp_path: Path, store: Store) -> None:
    text = "Kode;Nama;Kode Desa\nK1;Satu;32.06.01.2001\n"
    path = write_text(tmp_path / "data.csv", text)
    assert prepare_facilities(path, store=store, jenis="puskesmas").layers["fasilitas"]["jenis"].tolist() == [
        "puskesmas"
    ]
    guessed = write_text(tmp_path / "data2.csv", "Nama;Perawat;Bidan;Kode Desa\nPustu A;1;1;32.06.01.2001\n")
    prepared = prepare_facilities(guessed, store=store)
    assert prepared.layers["fasilitas"]["id_fasilitas"].tolist() == ["PUSTU-32.06.01.2001-pustu-a"]
    assert "Berkas dibaca sebagai data pustu (ditebak dari judul kolom)." in prepared.report.catatan
    with pytest.raises(
        InputError, match=r"Jenis fasilitas di berkas data\.csv tidak dapat ditentukan.*--type puskesmas"
    ):
        prepare_facilities(path, store=store)


def test_mapping_override(tmp_path: Path, store: Store) -> None:
    path = write_text(tmp_path / "posyandu.csv", "ID;Nama Faskes;Lokasi Desa\nPSY-1;Mawar;32.06.01.2001\n")
    prepared = prepare_facilities(
        path, store=store, mapping={"ID": "kode", "Nama Faskes": "nama", "Lokasi Desa": "kode_desa"}
    )
    assert prepared.layers["fasilitas"][["id_fasilitas", "nama", "kode_desa"]].values.tolist() == [
        ["PSY-1", "Mawar", "32.06.01.2001"]
    ]
    assert prepared.mapping == {"ID": "kode", "Nama Faskes": "nama", "Lokasi Desa": "kode_desa"}


def test_kode_desa_filled_from_desa_and_kecamatan_names(tmp_path: Path, store: Store) -> None:
    text = "Kode Posyandu;Nama Posyandu;Desa;Kecamatan\nPSY-1;Mawar;ciheras;Karangnunggal\nPSY-2;Melati;Ciheras;\n"
    prepared = prepare_facilities(write_text(tmp_path / "posyandu.csv", text), store=store)
    codes = prepared.layers["fasilitas"]["kode_desa"].tolist()
    assert codes[0] == "32.06.02.2001" and pd.isna(codes[1])  # the second name is ambiguous
    assert issues_by(prepared.report, "kode_desa_dari_nama") == [(2, None)]


def test_unknown_declared_desa_is_the_engines_kode_desa_tidak_dikenal(tmp_path: Path, store: Store) -> None:
    path = write_text(tmp_path / "posyandu.csv", "Kode Posyandu;Nama Posyandu;Kode Desa\nPSY-9;Melati;32.06.01.9999\n")
    report = prepare_facilities(path, store=store).report
    assert issues_by(report, "kode_desa_tidak_dikenal") == [(2, "PSY-9")]  # one name with the engine's finding
    reasons = {issue.jenis: issue.alasan for issue in report.masalah}
    assert reasons["kode_desa_tidak_dikenal"] == "Kode desa 32.06.01.9999 tidak ada di batas desa yang tersimpan."


def test_replaces_same_kind_in_same_kabupaten_only(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg", DESA_32_06 + DESA_32_05)
    garut_text = "Kode Posyandu;Nama;Latitude;Longitude\nG-1;Garut;-7,25;107,95\nG-2;Tanpa titik;;\n"
    garut = write_text(tmp_path / "posyandu_garut.csv", garut_text)
    tasik = "Kode Posyandu;Nama;Kode Desa;Latitude;Longitude\nT-1;Tasik;32.06.01.2001;-7,45;108,05\n"
    pustu = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Aktif\n")
    for path in (garut, write_text(tmp_path / "posyandu_tasik.csv", tasik), pustu):
        commit_prepared(store, prepare_facilities(path, store=store))
    again = write_text(tmp_path / "posyandu_tasik2.csv", tasik.replace("T-1;Tasik", "T-2;Tasik baru"))
    prepared = prepare_facilities(again, store=store)
    assert sorted(prepared.layers["fasilitas"]["id_fasilitas"]) == ["G-1", "G-2", "PUSTU-32.06.01.2001-pustu-a", "T-2"]
    assert (
        "1 fasilitas lama dengan jenis dan kabupaten yang sama diganti oleh isi berkas ini." in prepared.report.catatan
    )


def test_plausibility_rule_without_desa(tmp_path: Path) -> None:
    store = Store(tmp_path / "kosong.gpkg")
    text = "Kode Posyandu;Nama;Latitude;Longitude\nA;Satu;-7,45;108,05\nB;Dua;108,05;-7,45\nC;Tiga;48,85;2,35\n"
    prepared = prepare_facilities(write_text(tmp_path / "posyandu.csv", text), store=store)
    assert issues_by(prepared.report, "koordinat_ditukar") == [(3, "B")]
    assert issues_by(prepared.report, "di_luar_wilayah") == [(4, "C")]
    assert "di luar wilayah Indonesia" in next(
        i.alasan for i in prepared.report.masalah if i.jenis == "di_luar_wilayah"
    )
    assert issues_by(prepared.report, "desa_berbeda") == []


def test_rows_without_code_are_rejected_and_nothing_valid_is_an_error(tmp_path: Path, store: Store) -> None:
    mixed = write_text(tmp_path / "posyandu.csv", "Kode Posyandu;Nama Posyandu\n;Tanpa kode\nPSY-1;\n")
    prepared = prepare_facilities(mixed, store=store)
    assert issues_by(prepared.report, "kode_kosong") == [(2, None)]
    assert prepared.layers["fasilitas"]["nama"].tolist() == ["PSY-1"]
    none_valid = write_text(tmp_path / "posyandu2.csv", "Kode Posyandu;Nama Posyandu\n;Satu\n;Dua\n")
    with pytest.raises(
        InputError, match=r"Tidak ada baris fasilitas yang sah di posyandu2\.csv: semua 2 baris ditolak"
    ):
        prepare_facilities(none_valid, store=store)


def test_prepare_writes_nothing(tmp_path: Path, store: Store) -> None:
    before = store.path.read_bytes()
    prepare_facilities(write_text(tmp_path / "posyandu.csv", POSYANDU_CSV), store=store)
    assert store.path.read_bytes() == before
    assert store.version() == 1


def test_slug() -> None:
    assert slug("Pustu Kota Kulon") == "pustu-kota-kulon"
    assert slug("  Pustu Señor (2) ") == "pustu-senor-2"


def test_store_commit_roundtrip_of_a_mixed_layer(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg")
    path = write_text(tmp_path / "posyandu.csv", POSYANDU_CSV)
    commit_prepared(store, prepare_facilities(path, store=store))
    layer = store.read_fasilitas()
    assert isinstance(layer, gpd.GeoDataFrame)
    assert layer["id_fasilitas"].is_unique
    assert len(layer) == 8
    store.commit(layers={}, record=ChangeRecord(jenis_impor="uji"))
    assert len(store.read_fasilitas()) == 8


def test_repaired_rows_of_different_sheets_are_counted_apart() -> None:
    from loaders.import_report import DIPERBAIKI, ImportReport, RowIssue
    from loaders.tables import IssueLog

    log = IssueLog()
    log.add(DIPERBAIKI, "koordinat_ditukar", "Sheet 'Pustu': koordinat ditukar", baris=2)
    log.add(DIPERBAIKI, "koordinat_ditukar", "Sheet 'Posyandu': koordinat ditukar", baris=2)
    log.add(DIPERBAIKI, "kode_desa", "Sheet 'Posyandu': kode dinormalkan", baris=2)
    assert [i.lembar for i in log.items] == ["Pustu", "Posyandu", "Posyandu"]
    report = ImportReport("fasilitas", "f.xlsx", "0", baris_dibaca=4, diterima=4, masalah=tuple(log.items))
    assert report.diperbaiki == 2
    assert ImportReport("x", "f", "0", 1, 1, (RowIssue(DIPERBAIKI, "a", "b", 2),) * 2).diperbaiki == 1
