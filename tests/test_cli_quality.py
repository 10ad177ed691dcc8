"""``cli.py quality``: the Data page's findings table for people (csv/xlsx), the engine's findings (json)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

import cli
from loaders.store import Store
from ui.quality_table import jenis_label, tingkat_label


@pytest.fixture(scope="module")
def findings(user_store_path: Path) -> list[dict[str, object]]:
    """The engine's findings of the demo-generated user store (json: codes)."""
    from geo.engine import Coverage
    from loaders.dataset import read_dataset

    return json.loads(Coverage(read_dataset(Store(user_store_path))).quality(None).to_json(orient="records"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(["quality", *args]) == 0
    return capsys.readouterr().out


def test_json_keeps_codes(capsys: pytest.CaptureFixture[str], user_store_path: Path) -> None:
    rows = json.loads(_run(capsys, "--format", "json", "--store", str(user_store_path)))
    assert rows, "the demo store has planted defects"
    assert {"tingkat", "jenis", "pesan"} <= set(rows[0])
    assert {r["tingkat"] for r in rows} <= {"tinggi", "sedang", "rendah"}


@pytest.mark.parametrize(
    ("lang", "sep", "headers", "high"),
    [
        ("id", ";", ["Tingkat", "Temuan", "Keterangan"], "Tinggi"),
        ("en", ",", ["Severity", "Finding", "Details"], "High"),
    ],
)
def test_csv_is_labelled_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], user_store_path: Path, lang: str, sep: str, headers: list[str], high: str
) -> None:
    text = _run(capsys, "--store", str(user_store_path), "--lang", lang).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    header = rows[0]
    assert [h for h in header if h in headers] == headers
    tingkat = [row[header.index(headers[0])] for row in rows[1:]]
    codes = json.loads(_run(capsys, "--format", "json", "--store", str(user_store_path)))
    assert len(tingkat) == len(codes)
    assert tingkat.count(high) == sum(r["tingkat"] == "tinggi" for r in codes)
    kinds = {row[header.index(headers[1])] for row in rows[1:]}
    assert "_" not in "".join(kinds)  # labels, never codes such as koordinat_luar_wilayah


def test_xlsx_has_title_lines_and_labels(
    user_store_path: Path, tmp_path: Path, findings: list[dict[str, object]]
) -> None:
    out = tmp_path / "temuan.xlsx"
    assert cli.main(["quality", "--format", "xlsx", "--out", str(out), "--store", str(user_store_path)]) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "Temuan"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(values) if "Temuan" in row)
    assert header_row > 0, "month, rules and data version are written above the table"
    assert any("Bulan" in str(v) for row in values[:header_row] for v in row if v)
    labels = {tingkat_label(code) for code in ("tinggi", "sedang", "rendah")}
    column = values[header_row].index("Tingkat")
    assert {row[column] for row in values[header_row + 1 :]} <= labels
    kinds = {row[values[header_row].index("Temuan")] for row in values[header_row + 1 :]}
    assert kinds == {jenis_label(row["jenis"]) for row in findings}
