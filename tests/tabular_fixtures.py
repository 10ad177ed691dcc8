"""Tiny inline desa layers and helpers for the tabular importer tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

from loaders import model
from loaders.import_report import ImportReport
from loaders.store import ChangeRecord, Store

# (kode_desa, nama_desa, nama_kecamatan, geometry)
DESA_32_06 = [
    ("32.06.01.2001", "Ciheras", "Cipatujah", box(108.0, -7.5, 108.1, -7.4)),
    ("32.06.01.2002", "Cipatujah", "Cipatujah", box(108.1, -7.5, 108.2, -7.4)),
    ("32.06.02.2001", "Ciheras", "Karangnunggal", box(108.2, -7.5, 108.3, -7.4)),
]
DESA_32_05 = [("32.05.01.1001", "Kota Kulon", "Garut Kota", box(107.9, -7.3, 108.0, -7.2))]


def desa_frame(rows: list[tuple[str, str, str, object]]) -> gpd.GeoDataFrame:
    """A desa layer in the model's shape from (kode, nama, kecamatan, polygon) rows."""
    frame = gpd.GeoDataFrame(
        {
            "kode_desa": [r[0] for r in rows],
            "nama_desa": [r[1] for r in rows],
            "nama_kecamatan": [r[2] for r in rows],
            "kode_kecamatan": [model.kode_kecamatan_of(r[0]) for r in rows],
            "kode_kabupaten": [model.kode_kabupaten_of(r[0]) for r in rows],
            "kode_provinsi": [model.kode_provinsi_of(r[0]) for r in rows],
            "jenis": [model.jenis_from_kode(r[0]) for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=model.CRS,
    )
    return model.conform(frame, model.LAYER_DESA)


def store_with_desa(path: Path, rows: list[tuple[str, str, str, object]] | None = None) -> Store:
    """A store at ``path`` holding the given desa (default: the three 32.06 desa)."""
    store = Store(path)
    store.commit(layers={model.LAYER_DESA: desa_frame(rows or DESA_32_06)}, record=ChangeRecord(jenis_impor="batas"))
    return store


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` and return the path."""
    path.write_bytes(text.encode(encoding))
    return path


def issues_by(report: ImportReport, jenis: str) -> list[tuple[int | None, str | None]]:
    """(row, subject) of the report's findings of one kind, in order."""
    return [(i.baris, i.subjek) for i in report.masalah if i.jenis == jenis]


REPORT_HEADER = "kode_posyandu;bulan;buka;kader_hadir;balita;ibu_hamil;usia_sekolah_remaja;usia_produktif;lansia\n"


def small_store(folder: Path) -> Store:
    """A store in ``folder`` with the three 32.06 desa, posyandu PSY-1 and its report for 2026-10 (version 3)."""
    from loaders.facilities import prepare_facilities
    from loaders.prepared import commit_prepared
    from loaders.reports import prepare_reports

    store = store_with_desa(folder / "store" / "ilp.gpkg")
    posyandu = write_text(
        folder / "ada_posyandu.csv", "Kode Posyandu;Nama Posyandu;Kode Desa\nPSY-1;Mawar;32.06.01.2001\n"
    )
    commit_prepared(store, prepare_facilities(posyandu, store=store))
    report = write_text(folder / "ada_laporan.csv", REPORT_HEADER + "PSY-1;2026-10;ya;1;1;1;1;1;1\n")
    commit_prepared(store, prepare_reports(report, store=store))
    return store
