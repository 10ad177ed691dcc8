"""Bad tabular inputs (facilities, reports, working areas).

Each refused input gives an Indonesian InputError naming the problem, and the
pre-existing store file stays byte-identical. Inputs that are odd but usable
(script tags in names, garbage coordinates, formulas) are imported with
warnings, and preparing them writes nothing either.
"""

from __future__ import annotations

import builtins
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from cli_support import run_cli, store_state
from tabular_fixtures import REPORT_HEADER, write_text

from loaders.exceptions import InputError
from loaders.facilities import prepare_facilities
from loaders.prepared import PreparedImport, commit_prepared
from loaders.reports import prepare_reports
from loaders.store import Store
from loaders.tables import MAX_BYTES_TABEL, MEGABYTE
from loaders.working_areas import prepare_working_areas


@pytest.fixture
def store(small_store: Store) -> Store:
    """A private copy of the small tabular store (conftest)."""
    return small_store


def _merged_header_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Posyandu"
    sheet["A1"] = "DATA POSYANDU"
    sheet.merge_cells("A1:D1")
    sheet.append(["Kode Posyandu", "Nama Posyandu", "Koordinat", None])
    sheet.merge_cells("C2:D2")
    sheet.append(["PSY-1", "Mawar", -7.45, 108.05])
    book.save(path)
    return path


def _junk_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("junk.bin", b"\x00\x01 not a workbook" * 50)
    return path


def _truncated_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Kode Posyandu", "Nama Posyandu"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue()[:400])
    return path


@dataclass(frozen=True)
class Importer:
    """One importer with its options, callable as ``prepare_*`` and expressible as CLI arguments."""

    kind: str  # the CLI's import kind
    options: dict[str, object] = field(default_factory=dict)

    def __call__(self, path: Path, store: Store) -> PreparedImport:
        prepare = {"facilities": prepare_facilities, "reports": prepare_reports, "working-areas": prepare_working_areas}
        return prepare[self.kind](path, store=store, **self.options)

    def cli_args(self) -> list[str]:
        args: list[str] = []
        for name, value in self.options.items():
            if name == "mapping":
                args += [arg for column, target in value.items() for arg in ("--map", f"{column}={target}")]
            else:
                args += [{"sheet": "--sheet", "jenis": "--type"}[name], str(value)]
        return args


def facilities(**options: object) -> Importer:
    return Importer("facilities", options)


def reports(**options: object) -> Importer:
    return Importer("reports", options)


def working_areas(**options: object) -> Importer:
    return Importer("working-areas", options)


# id -> (file factory, importer, expected Indonesian message)
REFUSED: dict[str, tuple[Callable[[Path], Path], Importer, str]] = {
    "empty_csv": (
        lambda d: write_text(d / "posyandu.csv", ""),
        facilities(),
        r"Berkas posyandu\.csv kosong \(0 byte\)",
    ),
    "whitespace_csv": (
        lambda d: write_text(d / "posyandu.csv", "\n\n  \n"),
        facilities(),
        r"posyandu\.csv tidak tampak sebagai tabel",
    ),
    "header_only_csv": (
        lambda d: write_text(d / "posyandu.csv", "Kode Posyandu;Nama Posyandu;Kode Desa\n"),
        facilities(),
        r"Berkas posyandu\.csv hanya berisi judul kolom, tanpa baris data",
    ),
    "binary_garbage_csv": (
        lambda d: (d / "posyandu.csv").write_bytes(bytes(range(256)) * 40) and d / "posyandu.csv",
        facilities(),
        r"Berkas posyandu\.csv bukan tabel teks \(CSV\) maupun XLSX: isinya biner atau rusak",
    ),
    "html_named_xlsx": (
        lambda d: write_text(
            d / "posyandu.xlsx", "<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table></body></html>"
        ),
        facilities(),
        r"Berkas posyandu\.xlsx berisi halaman web \(HTML\), bukan tabel CSV/XLSX",
    ),
    "html_named_csv": (
        lambda d: write_text(d / "laporan.csv", "<html><head><title>Login</title></head></html>"),
        reports(),
        r"laporan\.csv berisi halaman web \(HTML\)",
    ),
    "corrupt_xlsx_zip_of_junk": (
        lambda d: _junk_zip(d / "posyandu.xlsx"),
        facilities(),
        r"posyandu\.xlsx rusak atau bukan XLSX yang sah",
    ),
    "truncated_xlsx": (
        lambda d: _truncated_xlsx(d / "posyandu.xlsx"),
        facilities(),
        r"posyandu\.xlsx rusak atau bukan XLSX yang sah",
    ),
    "old_xls": (
        lambda d: (
            (d / "posyandu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) and d / "posyandu.xls"
        ),
        facilities(),
        r"posyandu\.xls berformat Excel lama \(\.xls\).*simpan sebagai \.xlsx",
    ),
    "text_named_xlsx": (
        lambda d: write_text(d / "posyandu.xlsx", "kode;nama\nA;B\n"),
        facilities(),
        r"bernama \.xlsx tetapi isinya bukan XLSX",
    ),
    "merged_header_rows": (
        lambda d: _merged_header_xlsx(d / "posyandu.xlsx"),
        facilities(),
        r"Sheet 'Posyandu' di berkas posyandu\.xlsx: sel judul kolom C2:D2 digabung \(merge\)"
        r".*Unmerge.*satu baris judul",
    ),
    "report_invalid_months_only": (
        lambda d: write_text(
            d / "laporan.csv", REPORT_HEADER + "PSY-1;Okt-26x;ya;1;1;1;1;1;1\nPSY-1;2026-13;ya;1;1;1;1;1;1\n"
        ),
        reports(),
        r"Tidak ada baris laporan yang sah di laporan\.csv: semua 2 baris ditolak "
        r"\(contoh: baris 2: Bulan 'Okt-26x' tidak sah",
    ),
    "report_unknown_buka_only": (
        lambda d: write_text(
            d / "laporan.csv", REPORT_HEADER + "PSY-1;2026-09;mungkin;1;1;1;1;1;1\nPSY-1;2026-10;?;1;1;1;1;1;1\n"
        ),
        reports(),
        r"semua 2 baris ditolak \(contoh: baris 2: Nilai buka 'mungkin' tidak dikenal \(isi ya/tidak",
    ),
    "report_missing_columns": (
        lambda d: write_text(d / "laporan.csv", "kode_posyandu;tahun\nPSY-1;2026\n"),
        reports(),
        r"Kolom wajib tidak ditemukan di berkas laporan\.csv: bulan, buka",
    ),
    "unknown_type": (
        lambda d: write_text(d / "data.csv", "Kode;Nama\nK1;Satu\n"),
        facilities(jenis="klinik"),
        r"Jenis fasilitas 'klinik' tidak dikenal \(--type\)\. Pilihan: puskesmas, pustu, posyandu",
    ),
    "type_not_determinable": (
        lambda d: write_text(d / "data.csv", "Kode;Nama\nK1;Satu\n"),
        facilities(),
        r"tidak dapat ditentukan dari nama sheet/berkas maupun judul kolom\. Sebutkan jenisnya dengan --type",
    ),
    "unknown_mapping_field": (
        lambda d: write_text(d / "posyandu.csv", "Kode Posyandu;Nama Faskes\nPSY-2;Melati\n"),
        facilities(mapping={"Nama Faskes": "nama_faskes"}),
        r"--map 'Nama Faskes=nama_faskes': field 'nama_faskes' tidak dikenal\. Field yang sah: kode, nama, kode_desa",
    ),
    "mapping_of_absent_column": (
        lambda d: write_text(d / "posyandu.csv", "Kode Posyandu;Nama Posyandu\nPSY-2;Melati\n"),
        facilities(mapping={"Nama Faskes": "nama"}),
        r"--map: kolom 'Nama Faskes' tidak ada di posyandu\.csv",
    ),
    "working_area_unknown_desa_only": (
        lambda d: write_text(d / "wilayah.csv", "kode_desa,kode_puskesmas\n32.06.99.9999,P1\n,P2\n"),
        working_areas(),
        r"Tidak ada baris wilayah kerja yang sah di wilayah\.csv: semua 2 baris ditolak \(contoh: baris 2: Kode desa "
        r"32\.06\.99\.9999 tidak ada di batas desa yang tersimpan",
    ),
    "facility_without_name_column": (
        lambda d: write_text(
            d / "posyandu.csv", "Kode Posyandu;Kode Desa;Latitude;Longitude\nPSY-2;32.06.01.2001;-7,45;108,05\n"
        ),
        facilities(),
        r"Kolom wajib tidak ditemukan di berkas posyandu\.csv: nama\. "
        r"Kolom yang ada: Kode Posyandu, Kode Desa, Latitude, Longitude\. .*--map",
    ),
    "facility_rows_without_code_only": (
        lambda d: write_text(d / "posyandu.csv", "Kode Posyandu;Nama Posyandu\n;Mawar\n ;Melati\n"),
        facilities(),
        r"Tidak ada baris fasilitas yang sah di posyandu\.csv: semua 2 baris ditolak "
        r"\(contoh: baris 2: Kode posyandu kosong",
    ),
    "unknown_sheet": (
        lambda d: _merged_header_xlsx(d / "posyandu.xlsx"),
        facilities(sheet="Pustu"),
        r"Sheet 'Pustu' tidak ada di berkas posyandu\.xlsx\. Sheet yang ada: Posyandu",
    ),
    "missing_file": (lambda d: d / "tidak_ada.csv", facilities(), r"Berkas .*tidak_ada\.csv tidak ditemukan"),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_refused_and_store_unchanged(case: str, tmp_path: Path, store: Store) -> None:
    make, prepare, message = REFUSED[case]
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(store)
    with pytest.raises(InputError, match=message):
        prepare(path, store)
    assert store_state(store) == before


# Refused through argparse itself (its own message), not through the importers.
ARGPARSE_LEVEL = {"unknown_type"}


@pytest.mark.parametrize("case", sorted(set(REFUSED) - ARGPARSE_LEVEL))
def test_every_refused_input_exits_2_from_the_cli(
    case: str, tmp_path: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same inputs through ``cli.main``: exit 2, the message on stderr, the store unchanged."""
    import cli

    make, importer, message = REFUSED[case]
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(store)
    code = cli.main(["import", importer.kind, str(path), "--store", str(store.path), *importer.cli_args()])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("Galat: ")
    assert re.search(message, err, flags=re.S), err
    assert store_state(store) == before


def test_hundred_megabyte_csv_is_refused_before_reading(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size check comes first: the file is never opened, not even for its first bytes."""
    path = tmp_path / "posyandu_besar.csv"
    real_open = builtins.open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, str | os.PathLike) and Path(file).resolve() == path.resolve():
            raise AssertionError(f"{path.name} was opened before it was refused")
        return real_open(file, *args, **kwargs)

    line = b"PSY-3206-00001;Posyandu Mawar 1;32.06.01.2001;-7.45;108.05;Madya;5\n"
    chunk = line * (MEGABYTE // len(line) + 1)
    with open(path, "wb") as handle:
        handle.write(b"Kode Posyandu;Nama Posyandu;Kode Desa;Latitude;Longitude;Strata;Jumlah Kader\n")
        for _ in range(100):
            handle.write(chunk)
    assert path.stat().st_size > 100 * MEGABYTE > MAX_BYTES_TABEL
    before = store_state(store)
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)  # pathlib and zipfile open through io.open
    with pytest.raises(AssertionError, match="was opened"):  # the guard sees every way of opening it
        path.read_bytes()
    with pytest.raises(InputError, match=r"posyandu_besar\.csv berukuran 100 MB, melebihi batas 50 MB.*Pecah berkas"):
        prepare_facilities(path, store=store)
    assert store_state(store) == before


# -- odd but usable inputs: imported with warnings; preparing writes nothing ---------------
def test_html_and_script_in_names_are_stored_verbatim(tmp_path: Path, store: Store) -> None:
    name = '<img src=x onerror="alert(1)"><script>alert("x")</script> & Posyandu'
    path = write_text(tmp_path / "posyandu.csv", f"Kode Posyandu;Nama Posyandu;Alamat\nPSY-2;{name};<b>Jl. Raya</b>\n")
    before = store_state(store)
    prepared = prepare_facilities(path, store=store)
    assert store_state(store) == before
    commit_prepared(store, prepared)
    stored = store.read_fasilitas().set_index("id_fasilitas")
    assert stored.loc["PSY-2", "nama"] == name
    assert stored.loc["PSY-2", "alamat"] == "<b>Jl. Raya</b>"


def test_garbage_in_every_coordinate_cell(tmp_path: Path, store: Store) -> None:
    text = (
        "Kode Posyandu;Nama Posyandu;Latitude;Longitude\n"
        "A;Satu;abc;def\nB;Dua;-7..4;108\nC;Tiga;=A1;#N/A\nD;Empat;0;0\n"
    )
    path = write_text(tmp_path / "posyandu.csv", text)
    before = store_state(store)
    prepared = prepare_facilities(path, store=store)
    assert store_state(store) == before
    report = prepared.report
    assert (report.diterima, report.ditolak) == (4, 0)
    bad = [i for i in report.masalah if i.jenis == "koordinat_tidak_sah"]
    assert [(i.baris, i.kolom) for i in bad] == [(r, "Latitude/Longitude") for r in (2, 3, 4, 5)]
    assert bad[0].alasan == (
        "Lintang 'abc' bukan angka koordinat (contoh yang sah: -7.2258 atau "
        "7°20'15\" LS); fasilitas diimpor tanpa titik."
    )
    assert "Koordinat 0, 0 bukan lokasi yang sah" in bad[3].alasan
    assert prepared.layers["fasilitas"].set_index("id_fasilitas").loc[["A", "B", "C", "D"]].geometry.isna().all()


def test_merged_title_and_formula_column_are_read_with_a_note(tmp_path: Path, store: Store) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Posyandu"
    sheet["A1"] = "REKAP POSYANDU 2026"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "Dinas Kesehatan"
    sheet.merge_cells("A2:E2")
    sheet.append(["Kode Posyandu", "Nama Posyandu", "Latitude", "Longitude", "Jumlah Kader"])
    sheet.append(["PSY-2", "Melati", -7.45, 108.05, "=2+3"])
    path = tmp_path / "posyandu.xlsx"
    book.save(path)
    before = store_state(store)
    prepared = prepare_facilities(path, store=store)
    assert store_state(store) == before
    row = prepared.layers["fasilitas"].set_index("id_fasilitas").loc["PSY-2"]
    assert (row["baris_sumber"], row["lat"], row["lon"]) == (4, -7.45, 108.05)
    assert any(
        "rumus tanpa nilai tersimpan (E4)" in note and "simpan ulang" in note for note in prepared.report.catatan
    )


# -- the same through the command line ------------------------------------------------------
CLI_CASES = {
    "empty_csv": ("facilities", lambda d: write_text(d / "posyandu.csv", ""), [], r"Berkas posyandu\.csv kosong"),
    "html_named_xlsx": (
        "facilities",
        lambda d: write_text(d / "posyandu.xlsx", "<html><body>Sesi berakhir</body></html>"),
        [],
        r"berisi halaman web \(HTML\)",
    ),
    "unknown_mapping_field": (
        "facilities",
        lambda d: write_text(d / "posyandu.csv", "Kode Posyandu;Nama Faskes\nPSY-2;Melati\n"),
        ["--map", "Nama Faskes=namanya"],
        r"field 'namanya' tidak dikenal",
    ),
    "report_invalid_months_only": (
        "reports",
        lambda d: write_text(d / "laporan.csv", REPORT_HEADER + "PSY-1;2026-13;ya;1;1;1;1;1;1\n"),
        [],
        r"Tidak ada baris laporan yang sah",
    ),
    "working_area_unknown_desa_only": (
        "working-areas",
        lambda d: write_text(d / "wilayah.csv", "kode_desa,kode_puskesmas\n32.06.99.9999,P1\n"),
        [],
        r"Tidak ada baris wilayah kerja yang sah",
    ),
}


@pytest.mark.parametrize("case", list(CLI_CASES), ids=list(CLI_CASES))
def test_cli_exit_code_2_and_message(case: str, tmp_path: Path, store: Store) -> None:
    pytest.importorskip("loaders.importing")
    kind, make, extra, message = CLI_CASES[case]
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(store)
    result = run_cli("import", kind, str(path), "--store", str(store.path), *extra)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Galat: ")
    assert re.search(message, result.stderr), result.stderr
    assert store_state(store) == before
