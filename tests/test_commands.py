"""CLI handlers gaps / summary / quality (cli.py) on a small store."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from engine_fixtures import cell, desa_layer, facilities_layer, facility, laporan_layer, months, point, reports

import cli
from geo.indicators import INDICATOR_COLUMNS
from geo.quality import COLUMNS as QUALITY_COLUMNS
from geo.status import DESA_STATUS_COLUMNS
from loaders import model
from loaders.store import ChangeRecord, Store
from ui.i18n import column_label
from ui.report_book import data_version_text

PROJECT_DIR = Path(__file__).resolve().parents[1]
D1, D2 = "11.01.01.2001", "11.01.02.2001"
JSON_GAPS = ["gaps", "--month", "2026-10", "--format", "json"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cmd") / "ilp.gpkg"
    desa = desa_layer([(D1, cell(0, 1)), (D2, cell(1, 2))])
    fasilitas = facilities_layer(
        [
            facility(model.POSYANDU, "Posyandu Satu", kode="Y1", at=point(0.5)),
            facility(model.POSYANDU, "Posyandu Dua", kode="Y2", at=point(1.5)),
            facility(model.PUSTU, "Pustu Dua", kode_desa=D2, at=point(1.5), perawat=1, bidan=1),
            facility(model.PUSKESMAS, "Puskesmas Satu", kode="P1", at=point(0.3)),
            facility(model.POSYANDU, "Posyandu Hilang", kode="Y3"),
        ]
    )
    laporan = laporan_layer(reports("Y1", {m: True for m in months("2025-11", 12)}) + reports("Y2", {"2026-10": False}))
    Store(path).commit(
        layers={model.LAYER_DESA: desa, model.LAYER_FASILITAS: fasilitas, model.LAYER_LAPORAN: laporan},
        record=ChangeRecord(jenis_impor="uji"),
    )
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False
    )


def test_gaps_json_has_exactly_the_point_4_fields(store_path: Path) -> None:
    result = _run("gaps", "--month", "2026-10", "--format", "json", "--store", str(store_path))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    assert [list(r) for r in records] == [list(DESA_STATUS_COLUMNS)] * 2
    first, second = records
    assert first["kode_desa"] == D1
    assert first["ada_puskesmas"] is True
    assert second["ada_puskesmas"] is False
    assert first["status"] == "tanpa_pustu"
    assert second["status"] == "tanpa_posyandu_aktif"
    assert first["pustu_aktif"] == 0 and second["pustu_aktif"] == 1
    assert first["posyandu_aktif"] == 1 and first["posyandu_lapor"] == 1
    assert isinstance(first["jarak_pustu_km"], float)
    assert second["jarak_pustu_km"] == 0.0
    assert first["puskesmas"] == "Puskesmas Satu"


def test_gaps_json_nan_is_null(tmp_path: Path, store_path: Path) -> None:
    out = tmp_path / "gaps.json"
    assert cli.main([*JSON_GAPS, "--store", str(store_path), "--out", str(out)]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert all(r["jarak_pustu_km"] is not None for r in records)
    # with no active pustu anywhere the distance is NaN -> null
    store = Store(store_path)
    fasilitas = store.read_fasilitas()
    other = Store(tmp_path / "tanpa_pustu.gpkg")
    other.commit(
        layers={
            model.LAYER_DESA: store.read_desa(),
            model.LAYER_FASILITAS: fasilitas[fasilitas["jenis"] != "pustu"],
            model.LAYER_LAPORAN: store.read_laporan(),
        },
        record=ChangeRecord(jenis_impor="uji"),
    )
    assert cli.main([*JSON_GAPS, "--store", str(other.path), "--out", str(out)]) == 0
    assert [r["jarak_pustu_km"] for r in json.loads(out.read_text(encoding="utf-8"))] == [None, None]


def test_gaps_options_change_the_rules(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["gaps", "--month", "2026-10", "--format", "json", "--store", str(store_path)]
    assert cli.main([*base, "--puskesmas-as-pustu"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [list(r) for r in records] == [list(DESA_STATUS_COLUMNS)] * 2
    assert [r["status"] for r in records] == ["lengkap", "tanpa_posyandu_aktif"]
    assert cli.main([*base, "--posyandu-min-bulan", "13", "--posyandu-jendela-bulan", "12"]) == 2
    assert "Minimal bulan buka posyandu (13)" in capsys.readouterr().err


def test_gaps_xlsx(tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gaps.xlsx"
    args = ["gaps", "--month", "2026-10", "--format", "xlsx", "--store", str(store_path), "--out", str(out)]
    assert cli.main(args) == 0
    sheet = openpyxl.load_workbook(out).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    assert rows[0][0] == "Bulan: Oktober 2026"
    assert any(str(row[0]).startswith("- Minimal bulan buka: 10.") for row in rows)
    assert rows[-4][0] == "Versi data: " + data_version_text(store_path, is_demo=False, lang="id")
    header, first, second = rows[-3:]
    assert list(header) == [column_label(c, lang="id") for c in DESA_STATUS_COLUMNS]
    assert first[0] == D1 and first[6] == "Ya" and second[6] == "Tidak"
    assert sheet.freeze_panes is not None
    assert "2 baris ditulis" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gaps", "--month", "2026-13"], "Bulan '2026-13' tidak sah"),
        (["gaps", "--month", "Oktober"], "tulis sebagai YYYY-MM"),
        (["gaps", "--month", "2026-10", "--format", "xlsx"], "Format xlsx harus ditulis ke berkas"),
        (["summary", "--month", "2026-1"], "Bulan '2026-1' tidak sah"),
        (["quality", "--month", "10-2026"], "tidak sah"),
    ],
)
def test_bad_input_exits_2(store_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert cli.main([*args, "--store", str(store_path)]) == 2
    assert message in capsys.readouterr().err


def test_empty_store_says_import_boundaries_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gaps", "--month", "2026-10", "--store", str(tmp_path / "kosong.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "Belum ada batas desa" in err and "python cli.py demo" in err


@pytest.mark.parametrize("command", ["gaps", "summary", "quality"])
@pytest.mark.parametrize("month", ["2001-01", "2025-10", "2026-11", "2030-01"])
def test_month_outside_the_report_range_is_refused(
    store_path: Path, capsys: pytest.CaptureFixture[str], command: str, month: str
) -> None:
    # Before: `gaps --month 2030-01` listed every desa as tanpa_posyandu_aktif without a word.
    assert cli.main([command, "--month", month, "--format", "json", "--store", str(store_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"Galat: Bulan {month} di luar rentang laporan: 2025-11 sampai 2026-10. "
        "Pilih bulan dalam rentang itu (bawaan: bulan terakhir, 2026-10).\n"
    )


@pytest.mark.parametrize("command", ["gaps", "summary"])
def test_month_defaults_to_the_latest_report_month(
    store_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    base = [command, "--format", "json", "--store", str(store_path)]
    assert cli.main([*base, "--month", "2026-10"]) == 0
    given = capsys.readouterr()
    assert cli.main(base) == 0
    default = capsys.readouterr()
    assert default.out == given.out
    assert default.err == "Bulan: 2026-10 (bulan laporan terakhir).\n"
    assert given.err == ""


def test_a_store_without_reports_has_no_month(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Store(store_path)
    other = Store(tmp_path / "tanpa_laporan.gpkg")
    other.commit(
        layers={model.LAYER_DESA: source.read_desa(), model.LAYER_FASILITAS: source.read_fasilitas()},
        record=ChangeRecord(jenis_impor="uji"),
    )
    assert cli.main(["gaps", "--store", str(other.path)]) == 2
    assert capsys.readouterr().err == "Galat: Belum ada laporan posyandu. Impor laporan posyandu dulu.\n"
    assert cli.main(["gaps", "--month", "2026-10", "--store", str(other.path)]) == 2
    assert "Bulan 2026-10 tidak dapat dinilai: belum ada laporan posyandu." in capsys.readouterr().err
    assert cli.main(["quality", "--format", "json", "--store", str(other.path)]) == 0  # quality needs no month


def test_gaps_csv_is_for_people(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gaps", "--store", str(store_path)]) == 0
    text = capsys.readouterr().out.lstrip("\ufeff")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
    assert list(frame.columns) == [column_label(c, lang="id") for c in DESA_STATUS_COLUMNS]
    assert frame[column_label("ada_puskesmas", lang="id")].tolist() == ["Ya", "Tidak"]
    assert frame[column_label("status", lang="id")].tolist()[1] == "Tanpa posyandu aktif"
    assert "," in frame[column_label("jarak_pustu_km", lang="id")].iloc[0]  # decimal comma
    assert cli.main(["gaps", "--lang", "en", "--store", str(store_path)]) == 0
    english = pd.read_csv(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")), dtype=str)
    assert list(english.columns) == [column_label(c, lang="en") for c in DESA_STATUS_COLUMNS]
    assert english[column_label("ada_puskesmas", lang="en")].tolist() == ["Yes", "No"]


def test_summary_csv_rounds_percentages(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["summary", "--by", "kabupaten", "--store", str(store_path)]) == 0
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    values, row = dict(zip(lines[0].split(";"), lines[1].split(";"), strict=True)), lines[1]
    assert len(lines) == 2 and row.startswith("11.01;Kabupaten 11.01;2;")
    label = {c: column_label(c, lang="id") for c in INDICATOR_COLUMNS}
    assert values[label["pct_tanpa_pustu"]] == "50,0"
    assert values[label["pct_kelengkapan_laporan"]] == "100,0"
    assert values[label["desa_tanpa_posyandu_aktif"]] == "1"


@pytest.mark.parametrize(
    ("by", "codes"), [("kecamatan", ["11.01.01", "11.01.02"]), ("puskesmas", ["P1"]), ("provinsi", ["11"])]
)
def test_summary(store_path: Path, capsys: pytest.CaptureFixture[str], by: str, codes: list[str]) -> None:
    assert cli.main(["summary", "--month", "2026-10", "--by", by, "--format", "json", "--store", str(store_path)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["kode"] for r in records] == codes
    assert list(records[0]) == list(INDICATOR_COLUMNS)


def test_quality_json(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["quality", "--format", "json", "--store", str(store_path)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert all(list(r) == list(QUALITY_COLUMNS) for r in records)
    assert sorted((r["jenis"], r["subjek"], r["tingkat"]) for r in records) == [
        ("berhenti_lapor", "Y3", "sedang"),
        ("tanpa_koordinat", "Y3", "sedang"),
    ]
