"""The XLSX input templates (loaders/templates.py): headers recognised, examples re-import."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from loaders import templates
from loaders.columns import FIELDS, detect_mapping, header_score
from loaders.exceptions import InputError
from loaders.importing import prepare_import
from loaders.prepared import commit_prepared
from loaders.store import Store
from loaders.templates import (
    BOUNDARY_TARGET,
    HEADERS,
    PETUNJUK,
    TEMPLATE_KINDS,
    boundary_example_geojson,
    column_header,
    petunjuk_rows,
    template,
    template_bytes,
)

TABULAR = [(kind, sheet) for kind in TEMPLATE_KINDS for sheet in template(kind).sheets if sheet.target in FIELDS]


def _workbook(kind: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_bytes(kind)))


@pytest.mark.parametrize(
    ("kind", "sheets"),
    [
        ("facilities", ["Puskesmas", "Pustu", "Posyandu", PETUNJUK]),
        ("reports", ["Laporan", PETUNJUK]),
        ("working-areas", ["Wilayah Kerja", PETUNJUK]),
        ("boundaries", ["Atribut", PETUNJUK]),
    ],
)
def test_workbook_sheets(kind: str, sheets: list[str]) -> None:
    assert _workbook(kind).sheetnames == sheets


@pytest.mark.parametrize(("kind", "sheet"), [(k, s) for k in TEMPLATE_KINDS for s in template(k).sheets])
def test_header_and_example_row(kind: str, sheet: templates.TemplateSheet) -> None:
    worksheet = _workbook(kind)[sheet.name]
    rows = list(worksheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(HEADERS[sheet.target].values())
    example = [None if v == "" else v for v in sheet.example()]
    assert list(rows[1]) == example
    assert len(rows) == 2


@pytest.mark.parametrize(("kind", "sheet"), TABULAR, ids=[f"{k}-{s.name}" for k, s in TABULAR])
def test_headers_are_recognised_by_detect_mapping(kind: str, sheet: templates.TemplateSheet) -> None:
    mapping = detect_mapping(sheet.headers(), target=sheet.target)
    assert mapping == dict(zip(sheet.headers(), sheet.fields, strict=True))


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_petunjuk_explains_every_column(kind: str) -> None:
    worksheet = _workbook(kind)[PETUNJUK]
    rows = [r for r in worksheet.iter_rows(values_only=True)]
    explained = {(r[1], r[3]) for r in rows if len(r) > 3 and isinstance(r[0], int)}
    for sheet in template(kind).sheets:
        for field in sheet.fields:
            header = column_header(sheet.target, field)
            if sheet.target == BOUNDARY_TARGET:
                help_text = templates.BOUNDARY_HELP[field][1]
            else:
                help_text = FIELDS[sheet.target][field].bantuan
            assert any(name == header and text.startswith(help_text) for name, text in explained), (header, help_text)


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_petunjuk_is_never_read_as_data(kind: str) -> None:
    """No Petunjuk row holds two recognised header names, so importers skip the sheet."""
    assert all(header_score(row) < 2 for row in petunjuk_rows(kind))


def test_required_marks() -> None:
    rows = {(r[1], r[2]) for r in petunjuk_rows("working-areas") if len(r) == 4 and isinstance(r[0], int)}
    assert ("Kode Desa", "Salah satu: Kode Desa / Nama Desa") in rows
    laporan = {r[1]: r[2] for r in petunjuk_rows("reports") if len(r) == 4 and isinstance(r[0], int)}
    assert laporan["Kode Posyandu"] == "Ya" and laporan["Balita"] == "Tidak"


def test_templates_reimport_in_order(tmp_path: Path) -> None:
    """Boundaries example, then each workbook with its example row: accepted, nothing rejected."""
    store = Store(tmp_path / "ilp.gpkg")
    files = {"boundaries": tmp_path / templates.BOUNDARY_EXAMPLE_FILENAME}
    files["boundaries"].write_bytes(boundary_example_geojson())
    for kind in ("facilities", "working-areas", "reports"):
        files[kind] = tmp_path / templates.template_filename(kind)
        files[kind].write_bytes(template_bytes(kind))
    accepted = {}
    for kind in ("boundaries", "facilities", "working-areas", "reports"):
        prepared = prepare_import(kind, files[kind], store=store)
        assert prepared.report.ditolak == 0, prepared.report.to_text()
        assert not [i for i in prepared.report.masalah if i.tindakan != "peringatan"], prepared.report.to_text()
        accepted[kind] = prepared.report.diterima
        commit_prepared(store, prepared)
    assert accepted == {"boundaries": 1, "facilities": 3, "working-areas": 1, "reports": 1}
    fasilitas = store.read_fasilitas()
    assert sorted(fasilitas["jenis"]) == ["posyandu", "puskesmas", "pustu"]
    assert set(fasilitas["kode_desa"]) == {"32.06.01.2001"}
    assert store.read_wilayah_kerja()["kode_puskesmas"].tolist() == ["P3206010101"]
    laporan = store.read_laporan()
    assert laporan.loc[0, "bulan"] == "2026-10" and bool(laporan.loc[0, "buka"]) and laporan.loc[0, "balita"] == 32
    assert store.version() == 4


def test_each_template_imports_alone_into_an_empty_store(tmp_path: Path) -> None:
    """Facilities and reports need no boundaries: the example row alone is accepted."""
    for kind, expected in (("facilities", 3), ("reports", 1)):
        path = tmp_path / templates.template_filename(kind)
        path.write_bytes(template_bytes(kind))
        prepared = prepare_import(kind, path, store=Store(tmp_path / f"{kind}.gpkg"))
        assert prepared.report.diterima == expected


def test_bytes_are_stable() -> None:
    assert template_bytes("reports") == template_bytes("reports")


def test_unknown_kind() -> None:
    with pytest.raises(InputError, match="Templat 'lainnya' tidak dikenal"):
        template_bytes("lainnya")


def test_column_header_fallback() -> None:
    assert column_header("posyandu", "kode") == "Kode Posyandu"
    assert column_header("puskesmas", "koordinat") == "Koordinat"
