"""Read a village boundary file of any supported format into one GeoDataFrame.

Formats: GeoJSON, Shapefile (a ``.zip`` holding ``.shp/.dbf/.shx/.prj``, or
the ``.shp`` itself), GeoPackage, KML/KMZ (read with pyogrio, Arrow-backed)
and GeoParquet (``geopandas.read_parquet``; the bundled GDAL has no Parquet
driver). Multi-layer files (GeoPackage, KML) use the layer asked for, else
their single polygon layer.

Everything that can go wrong with a user's file becomes an
:class:`~loaders.exceptions.InputError` with an Indonesian message naming the
file: unknown extension, empty file, an HTML page saved under a GIS
extension, content that does not match the extension, unreadable data, no
features, no polygons.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from loaders.archives import check_zip, extract_zip
from loaders.boundary_geometry import polygonal_types
from loaders.exceptions import InputError

FORMATS: Final = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "Shapefile",
    ".zip": "Shapefile (.zip)",
    ".gpkg": "GeoPackage",
    ".kml": "KML",
    ".kmz": "KMZ",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
}
SUPPORTED: Final = (
    "GeoJSON (.geojson, .json), Shapefile (.zip berisi .shp/.dbf/.shx/.prj, atau .shp), GeoPackage (.gpkg), "
    "KML/KMZ (.kml, .kmz), GeoParquet (.parquet)"
)
_OGR_ERRORS: Final = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
    OSError,
    ValueError,
)
_SNIFF_BYTES: Final = 4096
_MAGIC: Final = {
    ".zip": (b"PK",),
    ".kmz": (b"PK",),
    ".gpkg": (b"SQLite format 3\x00",),
    ".parquet": (b"PAR1",),
    ".geoparquet": (b"PAR1",),
    ".shp": (b"\x00\x00\x27\x0a",),
    ".geojson": (b"{", b"["),
    ".json": (b"{", b"["),
    ".kml": (b"<",),
}
_POLYGON_LAYER_HINT: Final = "Pilih salah satu dengan --layer NAMA (atau pilihan lapisan di halaman Data)."
_GENERIC_GEOMETRY: Final = frozenset({"Unknown", "Geometry", "GeometryCollection"})


@dataclass(frozen=True)
class SourceLayer:
    """The features read from a boundary file.

    Attributes
    ----------
    frame
        Attributes and geometry as read (CRS as declared, possibly None).
    layer
        The layer (or Shapefile in a ``.zip``) that was read, when there was a choice.
    notes
        Indonesian file-level notes for the import report.
    """

    frame: gpd.GeoDataFrame
    layer: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def read_boundary_file(path: Path, *, layer: str | None = None) -> SourceLayer:
    """Read ``path`` (any supported format) and check it holds polygon features.

    Parameters
    ----------
    path
        The boundary file.
    layer
        Layer of a GeoPackage/KML, or Shapefile name (without ``.shp``) inside a
        ``.zip``; detected when None.

    Returns
    -------
    SourceLayer
        The features as read.

    Raises
    ------
    InputError
        The file cannot be used; the Indonesian message names it and says why.
    """
    berkas = path.name
    suffix = _checked_suffix(path)
    _sniff(path, suffix)
    if suffix == ".zip":
        source = _read_zipped_shapefile(path, layer=layer)
    elif suffix in (".parquet", ".geoparquet"):
        source = SourceLayer(_read_parquet(path))
    else:
        if suffix == ".kmz":
            check_zip(path)
        if suffix == ".shp":
            _check_shapefile_parts(path, berkas=berkas)
        source = _read_ogr(path, layer=layer, berkas=berkas)
    _check_content(source.frame, berkas=berkas)
    return source


def _checked_suffix(path: Path) -> str:
    berkas = path.name
    if not path.is_file():
        msg = f"Berkas {berkas} tidak ditemukan atau bukan berkas ({path}). Periksa nama dan foldernya."
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "tanpa ekstensi"
        msg = f"Format berkas {berkas} ({shown}) tidak dikenali sebagai batas desa. Format yang diterima: {SUPPORTED}."
        raise InputError(msg)
    if path.stat().st_size == 0:
        msg = f"Berkas {berkas} kosong (0 byte). Ekspor ulang batas desanya lalu unggah lagi."
        raise InputError(msg)
    return suffix


def _sniff(path: Path, suffix: str) -> None:
    """Refuse HTML pages and content that does not match the extension, before GDAL guesses."""
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    fmt = FORMATS[suffix]
    embedded_html = suffix != ".kml" and b"<html" in text[:512]
    if text.startswith((b"<!doctype html", b"<html")) or embedded_html:
        msg = (
            f"Berkas {path.name} berisi halaman web (HTML), bukan {fmt}. Yang tersimpan kemungkinan halaman galat "
            "atau halaman masuk (login), bukan datanya; unduh ulang berkas aslinya."
        )
        raise InputError(msg)
    start = text if suffix in (".geojson", ".json", ".kml") else head
    if not start.startswith(_MAGIC[suffix]):
        msg = f"Berkas {path.name} bukan {fmt}: isinya tidak sesuai format itu. {_format_hint(suffix)}"
        raise InputError(msg)


def _format_hint(suffix: str) -> str:
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


def _read_ogr(path: Path, *, layer: str | None, berkas: str) -> SourceLayer:
    chosen, notes = _choose_layer(path, layer=layer, berkas=berkas)
    try:
        frame = pyogrio.read_dataframe(path, layer=chosen, use_arrow=True)
    except _OGR_ERRORS as exc:
        raise InputError(_unreadable_message(path, exc, berkas=berkas)) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"Lapisan '{chosen}' di berkas {berkas} tidak berisi geometri (hanya tabel atribut). {_need_polygons()}"
        raise InputError(msg)
    return SourceLayer(frame, chosen, notes)


def _list_layers(path: Path, *, berkas: str) -> list[tuple[str, str | None]]:
    try:
        layers = pyogrio.list_layers(path)
    except _OGR_ERRORS as exc:
        raise InputError(_unreadable_message(path, exc, berkas=berkas)) from exc
    return [(str(name), None if kind is None else str(kind)) for name, kind in layers]


def _choose_layer(path: Path, *, layer: str | None, berkas: str) -> tuple[str, tuple[str, ...]]:
    layers = _list_layers(path, berkas=berkas)
    if not layers:
        msg = f"Berkas {berkas} tidak berisi lapisan data apa pun. {_need_polygons()}"
        raise InputError(msg)
    if layer is not None:
        return _named_layer(layers, layer, berkas=berkas), ()
    if len(layers) == 1:
        return layers[0][0], ()
    polygons = [name for name, kind in layers if kind is not None and "polygon" in kind.lower()]
    candidates = polygons or [name for name, kind in layers if kind in _GENERIC_GEOMETRY]
    if len(candidates) == 1:
        note = f"Berkas {berkas} berisi {len(layers)} lapisan; yang dibaca lapisan poligon '{candidates[0]}'."
        return candidates[0], (note,)
    if candidates:
        msg = (
            f"Berkas {berkas} berisi beberapa lapisan poligon: {', '.join(candidates)}. Tidak jelas mana batas "
            f"desanya. {_POLYGON_LAYER_HINT}"
        )
        raise InputError(msg)
    msg = f"Berkas {berkas} tidak punya lapisan poligon. Lapisan yang ada: {_describe(layers)}. {_need_polygons()}"
    raise InputError(msg)


def _named_layer(layers: Sequence[tuple[str, str | None]], layer: str, *, berkas: str) -> str:
    for name, _ in layers:
        if name == layer or name.lower() == layer.lower():
            return name
    msg = f"Lapisan '{layer}' tidak ada di berkas {berkas}. Lapisan yang ada: {_describe(layers)}."
    raise InputError(msg)


def _describe(layers: Sequence[tuple[str, str | None]]) -> str:
    return ", ".join(f"{name} ({kind or 'tanpa geometri'})" for name, kind in layers)


def _read_zipped_shapefile(path: Path, *, layer: str | None) -> SourceLayer:
    berkas = path.name
    with tempfile.TemporaryDirectory(prefix="ilp-batas-") as folder:
        files = extract_zip(path, Path(folder))
        shapefiles = [f for f in files if f.suffix.lower() == ".shp"]
        if not shapefiles:
            listed = ", ".join(f.name for f in files[:10]) or "kosong"
            msg = (
                f"Arsip {berkas} tidak berisi berkas .shp (isinya: {listed}). Shapefile dalam .zip harus terdiri "
                "dari .shp, .dbf, .shx (dan .prj) bernama sama; GeoJSON, GeoPackage atau KML unggah langsung "
                "tanpa .zip."
            )
            raise InputError(msg)
        shapefile = _choose_shapefile(shapefiles, layer=layer, berkas=berkas)
        _check_shapefile_parts(shapefile, berkas=berkas)
        source = _read_ogr(shapefile, layer=None, berkas=berkas)
    notes = (f"Arsip {berkas} berisi {len(shapefiles)} Shapefile; yang dibaca {shapefile.name}.",)
    return SourceLayer(source.frame, shapefile.stem, notes if len(shapefiles) > 1 else ())


def _choose_shapefile(shapefiles: Sequence[Path], *, layer: str | None, berkas: str) -> Path:
    if layer is not None:
        for shapefile in shapefiles:
            if shapefile.stem.lower() == layer.lower():
                return shapefile
        listed = ", ".join(s.stem for s in shapefiles)
        msg = f"Shapefile '{layer}' tidak ada di arsip {berkas}. Yang ada: {listed}."
        raise InputError(msg)
    if len(shapefiles) == 1:
        return shapefiles[0]
    polygons = [s for s in shapefiles if _shapefile_is_polygon(s)]
    if len(polygons) == 1:
        return polygons[0]
    listed = ", ".join(s.stem for s in (polygons or shapefiles))
    msg = f"Arsip {berkas} berisi beberapa Shapefile: {listed}. Tidak jelas mana batas desanya. {_POLYGON_LAYER_HINT}"
    raise InputError(msg)


def _shapefile_is_polygon(shapefile: Path) -> bool:
    try:
        kinds = [kind for _, kind in pyogrio.list_layers(shapefile)]
    except _OGR_ERRORS:
        return False
    return any(kind is not None and "polygon" in str(kind).lower() for kind in kinds)


def _check_shapefile_parts(shapefile: Path, *, berkas: str) -> None:
    present = {p.suffix.lower() for p in shapefile.parent.iterdir() if p.stem == shapefile.stem}
    missing = [ext for ext in (".shx", ".dbf") if ext not in present]
    if missing:
        msg = (
            f"Shapefile {shapefile.name} ({berkas}) tidak lengkap: berkas {' dan '.join(missing)} tidak ada. "
            "Shapefile terdiri dari beberapa berkas bernama sama (.shp, .shx, .dbf, dan .prj untuk sistem "
            "koordinat); kirim semuanya dalam satu .zip."
        )
        raise InputError(msg)


def _read_parquet(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_parquet(path)
    except (ValueError, OSError, TypeError) as exc:
        msg = (
            f"Berkas {path.name} tidak dapat dibaca sebagai GeoParquet ({_short(exc, path)}). Berkas Parquet tanpa "
            "metadata geometri (GeoParquet) tidak dapat dipakai; ekspor ulang dengan GeoPandas/QGIS sebagai GeoParquet."
        )
        raise InputError(msg) from exc


def _unreadable_message(path: Path, exc: Exception, *, berkas: str) -> str:
    fmt = FORMATS.get(path.suffix.lower(), "data geografis")
    if path.suffix.lower() in (".geojson", ".json"):
        return (
            f"Berkas {berkas} berisi JSON tetapi bukan GeoJSON yang dapat dibaca: tidak ada FeatureCollection "
            "atau Feature dengan geometri, atau isinya rusak/terpotong. Ekspor ulang dari QGIS (Export > Save "
            "Features As > GeoJSON)."
        )
    detail = _short(exc, path)
    return f"Berkas {berkas} tidak dapat dibaca sebagai {fmt} ({detail}). Periksa berkasnya atau ekspor ulang."


def _short(exc: Exception, path: Path) -> str:
    """The first sentence of a library error, without temporary folder names."""
    text = " ".join(str(exc).replace(str(path), path.name).split()).split(";")[0].strip()
    return text if len(text) <= 200 else text[:197] + "..."


def _need_polygons() -> str:
    return "Batas desa harus berupa poligon (Polygon/MultiPolygon) dengan kolom kode desa."


def _check_content(frame: pd.DataFrame, *, berkas: str) -> None:
    if len(frame) == 0:
        msg = (
            f"Berkas {berkas} tidak berisi satu fitur pun (0 desa). Periksa ekspornya (misalnya opsi 'hanya "
            "fitur terpilih' di QGIS saat tidak ada fitur yang dipilih) lalu ulangi."
        )
        raise InputError(msg)
    polygonal, other = polygonal_types(frame.geometry)
    if polygonal:
        return
    if other:
        msg = (
            f"Berkas {berkas} hanya berisi geometri {', '.join(sorted(other))}, bukan poligon batas desa. "
            f"{_need_polygons()}"
        )
    else:
        msg = f"Berkas {berkas} tidak berisi geometri sama sekali (semua fitur tanpa bentuk). {_need_polygons()}"
    raise InputError(msg)
