"""Indonesian messages shared by the boundary readers (OGR formats, GeoPackage, GeoParquet)."""

from __future__ import annotations

from pathlib import Path

from loaders.numbers import angka

__all__ = ["format_hint", "short_error", "too_many_features", "too_many_vertices"]


def format_hint(suffix: str) -> str:
    """Return how to export a file of the format ``suffix`` again (one Indonesian sentence)."""
    hints = {
        ".zip": "Buat ulang arsip .zip berisi .shp, .dbf, .shx dan .prj.",
        ".kmz": "Simpan ulang sebagai KMZ atau KML dari Google Earth/QGIS.",
        ".gpkg": "Ekspor ulang dari QGIS sebagai GeoPackage.",
        ".parquet": "Ekspor ulang sebagai GeoParquet.",
        ".geoparquet": "Ekspor ulang sebagai GeoParquet.",
        ".shp": "Kirim Shapefile lengkap dalam satu .zip (.shp, .dbf, .shx, .prj).",
        ".kml": "Simpan ulang sebagai KML dari Google Earth/QGIS.",
    }
    return hints.get(suffix, "Ekspor ulang dari QGIS (Export > Save Features As > GeoJSON).")


def too_many_features(berkas: str, *, max_features: int, where: str = "") -> str:
    """Return the message for a file with more than ``max_features`` features."""
    return (
        f"Berkas {berkas}{where} berisi lebih dari {angka(max_features)} fitur; batasnya {angka(max_features)} "
        "fitur per berkas (seluruh Indonesia sekitar 83.000 desa), diperiksa sebelum semuanya dibaca. Kirim batas desa "
        "per provinsi atau kabupaten/kota, satu desa satu fitur."
    )


def too_many_vertices(berkas: str, count: int, *, max_vertices: int) -> str:
    """Return the message for a file with about ``count`` vertices, over ``max_vertices``."""
    return (
        f"Berkas {berkas} berisi sekitar {angka(count)} titik sudut (verteks); batasnya {angka(max_vertices)} "
        "verteks per berkas, diperiksa sebelum geometrinya diurai. Sederhanakan geometrinya (QGIS: Vector > "
        "Geometry Tools > Simplify) atau kirim per provinsi/kabupaten, lalu ulangi."
    )


def short_error(exc: Exception, path: Path) -> str:
    """Return the first sentence of a library error, without temporary folder names."""
    text = " ".join(str(exc).replace(str(path), path.name).split()).split(";")[0].strip()
    return text if len(text) <= 200 else text[:197] + "..."
