"""cli.py: help texts, exit codes, versions/restore/demo/import error paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import PROJECT_DIR, run_cli

import cli
from loaders import model
from loaders.store import ChangeRecord, Store, file_sha256

COMMANDS = ("import", "versions", "restore", "demo", "gaps", "summary", "quality", "export")


def _store_with_two_versions(path: Path) -> Store:
    store = Store(path)
    for n in (1, 2):
        frame = model.empty(model.LAYER_WILAYAH_KERJA).reindex(range(n)).assign(kode_desa="99.01.01.2001")
        store.commit(layers={model.LAYER_WILAYAH_KERJA: frame}, record=ChangeRecord(jenis_impor="wilayah_kerja"))
    return store


def test_main_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout
    assert "Kode keluar: 0 berhasil, 2 masukan salah" in result.stdout


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "import",
            ["boundaries", "facilities", "reports", "working-areas"]
            + ["--store", "--sheet", "--layer", "--type", "--map"],
        ),
        ("versions", ["--store"]),
        ("restore", ["VERSION", "--store"]),
        ("demo", ["--seed", "--store", "sintetis"]),
        (
            "gaps",
            ["--month", "--format", "--out", "--lang", "bulan laporan terakhir", "json: untuk program"]
            + ["--posyandu-min-bulan", "--posyandu-jendela-bulan", "--puskesmas-as-pustu"],
        ),
        ("summary", ["--month", "--by", "kecamatan", "puskesmas", "kabupaten", "--format", "--out", "--lang"]),
        (
            "export",
            ["--format", "xlsx", "png", "pdf", "geojson", "gpkg", "--month", "--kecamatan", "--puskesmas"]
            + ["--lang", "--store", "--out", "--posyandu-min-bulan", "bulan laporan terakhir"],
        ),
        ("quality", ["--month", "--format", "--out"]),
    ],
)
def test_subcommand_help(command: str, expected: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for word in expected:
        assert word in out, word


def test_unknown_command_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["hapus"])
    assert stop.value.code == 2
    assert "galat: argumen PERINTAH: pilihan tidak sah: 'hapus'" in capsys.readouterr().err


def test_versions_on_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["versions", "--store", str(tmp_path / "kosong.gpkg")]) == 0
    assert capsys.readouterr().out.strip() == "Belum ada versi data."
    assert not (tmp_path / "kosong.gpkg").exists()


def test_versions_lists_the_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store_with_two_versions(tmp_path / "s.gpkg")
    assert cli.main(["versions", "--store", str(tmp_path / "s.gpkg")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["versi", "waktu", "jenis_impor"]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2"]
    assert max(len(line) for line in lines) <= 200  # checksums shortened, notes cut


def test_store_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _store_with_two_versions(tmp_path / "env.gpkg")
    monkeypatch.setenv("ILP_STORE", str(tmp_path / "env.gpkg"))
    assert cli.main(["restore", "1"]) == 0
    assert capsys.readouterr().out.strip() == "Versi 1 dipulihkan sebagai versi data 3."
    assert Store(tmp_path / "env.gpkg").version() == 3


def test_restore_of_a_missing_version_is_bad_input(tmp_path: Path) -> None:
    store = _store_with_two_versions(tmp_path / "s.gpkg")
    before = file_sha256(store.path)
    result = run_cli("restore", "99", "--store", str(store.path))
    assert result.returncode == 2
    assert result.stderr.strip() == "Galat: Versi 99 tidak ditemukan. Versi yang tersedia: 1, 2."
    assert result.stdout == ""
    assert file_sha256(store.path) == before


def test_corrupt_store_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rusak.gpkg"
    path.write_bytes(b"bukan sqlite" * 50)
    assert cli.main(["versions", "--store", str(path)]) == 1
    assert "tidak dapat dibaca sebagai GeoPackage" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "facilities", "tidak-ada.xlsx"], "tidak-ada.xlsx tidak ditemukan"),
        (["import", "facilities", "cli.py", "--layer", "desa"], "Opsi --layer tidak berlaku untuk impor fasilitas"),
        (["import", "boundaries", "cli.py", "--type", "pustu"], "Opsi --type tidak berlaku untuk impor batas desa"),
        (["import", "reports", "cli.py", "--map", "tanpa-sama-dengan"], "--map 'tanpa-sama-dengan' tidak sah"),
    ],
)
def test_import_bad_input_exits_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(PROJECT_DIR)
    store = tmp_path / "s.gpkg"
    assert cli.main([*args, "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Galat: ") and message in err
    assert not store.exists()


def test_demo_command_writes_the_demo(tmp_path: Path) -> None:
    store = tmp_path / "demo.gpkg"
    result = run_cli("demo", "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Data contoh (sintetis) ditulis ke {store} sebagai versi data 1."
    written = Store(store)
    assert len(written.read_desa()) == 200
    assert written.read_log()["jenis_impor"].tolist() == ["demo"]
