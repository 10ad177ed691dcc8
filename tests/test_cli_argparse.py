"""cli.py: argparse's own texts (headings, errors) are Indonesian, and only for the CLI's parser."""

from __future__ import annotations

import argparse
import gettext

import pytest
from cli_support import run_cli

import cli
from ui.cli_text import CATALOGUE, MESSAGES, IndonesianParser


def _error_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        cli.main(args)
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("pemakaian: python cli.py")
    return captured.err.splitlines()[-1]


def test_missing_required_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _error_line(["export", "--store", "s.gpkg"], capsys)
        == "python cli.py export: galat: argumen berikut wajib diisi: --format, --out"
    )
    assert _error_line([], capsys) == "python cli.py: galat: argumen berikut wajib diisi: PERINTAH"


def test_invalid_choice(capsys: pytest.CaptureFixture[str]) -> None:
    assert _error_line(["gaps", "--format", "xml"], capsys) == (
        "python cli.py gaps: galat: argumen --format: pilihan tidak sah: 'xml' "
        "(pilih salah satu: 'csv', 'json', 'xlsx')"
    )
    assert _error_line(["export", "--format", "svg", "--out", "x.svg"], capsys) == (
        "python cli.py export: galat: argumen --format: pilihan tidak sah: 'svg' "
        "(pilih salah satu: 'xlsx', 'png', 'pdf', 'geojson', 'gpkg')"
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["gaps", "--month"], "python cli.py gaps: galat: argumen --month: perlu satu nilai"),
        (["gaps", "--bulan", "2026-10"], "python cli.py: galat: argumen tidak dikenal: --bulan 2026-10"),
        (["demo", "--seed", "abc"], "python cli.py demo: galat: argumen --seed: nilai int tidak sah: 'abc'"),
        (
            ["gaps", "--posyandu-min-bulan", "x"],
            "python cli.py gaps: galat: argumen --posyandu-min-bulan: "
            "--posyandu-min-bulan 'x' tidak sah: isi bilangan bulat, misalnya 10.",
        ),
    ],
)
def test_other_argparse_errors(args: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _error_line(args, capsys) == line


def test_help_headings_are_indonesian() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pemakaian: python cli.py [-h] PERINTAH ...")
    assert "argumen posisi:" in lines
    assert "opsi:" in lines
    assert "  -h, --help  tampilkan bantuan ini lalu keluar" in lines
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in result.stdout

    export = run_cli("export", "--help")
    assert export.returncode == 0
    assert export.stdout.startswith("pemakaian: python cli.py export [-h] --format {xlsx,png,pdf,geojson,gpkg}")
    assert "\nopsi:\n" in export.stdout
    assert "aturan perhitungan (bawaan: geo/rules.py):" in export.stdout


def test_other_parsers_keep_english(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    capsys.readouterr()
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]
    plain = argparse.ArgumentParser(prog="lain")
    plain.add_argument("--x", required=True)
    assert plain.format_help().startswith("usage: lain [-h] --x X")
    assert "show this help message and exit" in plain.format_help()
    with pytest.raises(SystemExit):
        plain.parse_args([])
    assert capsys.readouterr().err.splitlines()[-1] == "lain: error: the following arguments are required: --x"


def test_catalogue() -> None:
    assert CATALOGUE.gettext("usage: ") == "pemakaian: "
    assert CATALOGUE.gettext("not an argparse message") == "not an argparse message"
    assert CATALOGUE.ngettext("expected %s argument", "expected %s arguments", 2) == "perlu %s nilai"
    assert all(text.count("%") == message.count("%") for message, text in MESSAGES.items())
    assert issubclass(IndonesianParser, argparse.ArgumentParser)
