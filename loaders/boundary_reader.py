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

Every read is bounded before or while it happens (:mod:`loaders.limits`):
the file size (:data:`~loaders.limits.MAX_BYTES_BATAS`); ZIP and KMZ archives
by declared size, compression ratio and actual bytes
(:mod:`loaders.archives`); a KML document by its size, or the KMZ member's
declared and actual size (:data:`~loaders.limits.MAX_KML_BYTES`), before GDAL
parses it; a GeoPackage layer must be a table (inspected with :mod:`sqlite3`
opened read-only before GDAL touches the file: a view can be endless) and its
row count is checked first (:mod:`loaders.gpkg_inspect`); GeoParquet by the
row count in its footer, its metadata and decoded sizes
(:mod:`loaders.geoparquet_reader`). Every
OGR read stops after :data:`~loaders.limits.MAX_FEATURES` + 1 features.
Right after reading, the vertex count (:data:`~loaders.limits.MAX_VERTICES`),
the coordinates (finite numbers only) and the length of every text cell
(:data:`~loaders.limits.MAX_CELL_CHARS`) are checked. The limits are
keyword-only arguments of :func:`read_boundary_file` so tests can lower them.
This module holds the format dispatch, the OGR formats (GeoJSON, Shapefile,
GeoPackage, KML/KMZ) and the checks after reading; shared messages are in
:mod:`loaders.boundary_messages`.
"""

from __future__ import annotations

import re
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from loaders.archives import check_zip, extract_members, extract_zip
from loaders.boundary_geometry import check_coordinates, polygonal_types
from loaders.boundary_messages import format_hint, short_error, too_many_features, too_many_vertices
from loaders.exceptions import InputError
from loaders.geoparquet_reader import WKB_BYTES_PER_VERTEX, read_parquet
from loaders.gpkg_inspect import check_gpkg_layer, check_gpkg_schema
from loaders.limits import (
    MAX_BYTES_BATAS,
    MAX_CELL_CHARS,
    MAX_FEATURES,
    MAX_KML_BYTES,
    MAX_VERTICES,
)
from loaders.numbers import angka, ukuran

__all__ = ["FORMATS", "SUPPORTED", "SourceLayer", "read_boundary_file", "too_many_features"]

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
_GDAL_OVERLONG: Final = re.compile(r"character (\d+): Too many characters")
"""GDAL's GeoJSON reader refusing a string or number of about ten million characters."""
_FEATURE_TOKEN: Final = b'"Feature"'
_JSON_KEY: Final = re.compile(rb'"([^"\\]{1,200})"\s*:\s*$')
_LOCATE_CHUNK: Final = 8 * 1024 * 1024
_LOCATE_WINDOW: Final = 24 * 1024 * 1024
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


def read_boundary_file(
    path: Path,
    *,
    layer: str | None = None,
    max_bytes: int = MAX_BYTES_BATAS,
    max_kml_bytes: int = MAX_KML_BYTES,
    max_features: int = MAX_FEATURES,
    max_vertices: int = MAX_VERTICES,
) -> SourceLayer:
    """Read ``path`` (any supported format) and check it holds polygon features.

    Parameters
    ----------
    path
        The boundary file.
    layer
        Layer of a GeoPackage/KML, or Shapefile name (without ``.shp``) inside a
        ``.zip``; detected when None.
    max_bytes, max_kml_bytes, max_features, max_vertices
        Limits (defaults from :mod:`loaders.limits`): file size, KML document
        size, feature count and total vertex count.

    Returns
    -------
    SourceLayer
        The features as read.

    Raises
    ------
    InputError
        The file cannot be used or passes a limit; the Indonesian message names
        it (and the row, column or layer where known) and says what to do.
    """
    berkas = path.name
    suffix = _checked_suffix(path, max_bytes=max_bytes, max_kml_bytes=max_kml_bytes)
    _sniff(path, suffix)
    if suffix == ".zip":
        source = _read_zipped_shapefile(path, layer=layer, max_features=max_features, max_vertices=max_vertices)
    elif suffix in (".parquet", ".geoparquet"):
        source = SourceLayer(read_parquet(path, max_features=max_features, max_vertices=max_vertices))
    elif suffix == ".kmz":
        source = _read_kmz(path, layer=layer, max_features=max_features, max_kml_bytes=max_kml_bytes)
    else:
        if suffix == ".shp":
            _check_shapefile_parts(path, berkas=berkas)
        if suffix == ".gpkg":
            check_gpkg_schema(path)
        source = _read_ogr(path, layer=layer, berkas=berkas, max_features=max_features)
    _check_content(source.frame, berkas=berkas)
    check_coordinates(source.frame.geometry, berkas=berkas, max_vertices=max_vertices)
    _check_text_lengths(source.frame, berkas=berkas)
    return source


def _checked_suffix(path: Path, *, max_bytes: int, max_kml_bytes: int) -> str:
    berkas = path.name
    if not path.is_file():
        msg = f"Berkas {berkas} tidak ditemukan atau bukan berkas ({path}). Periksa nama dan foldernya."
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "tanpa ekstensi"
        msg = f"Format berkas {berkas} ({shown}) tidak dikenali sebagai batas desa. Format yang diterima: {SUPPORTED}."
        raise InputError(msg)
    size = path.stat().st_size
    if size == 0:
        msg = f"Berkas {berkas} kosong (0 byte). Ekspor ulang batas desanya lalu unggah lagi."
        raise InputError(msg)
    if size > max_bytes:
        msg = (
            f"Berkas {berkas} terlalu besar ({ukuran(size)}; batas berkas batas desa {ukuran(max_bytes)}). "
            "Kirim batas desa satu provinsi atau kabupaten/kota saja, atau simpan sebagai GeoParquet/GeoPackage "
            "yang lebih ringkas."
        )
        raise InputError(msg)
    if suffix == ".kml" and size > max_kml_bytes:
        msg = (
            f"Dokumen KML {berkas} terlalu besar ({ukuran(size)}); batasnya {ukuran(max_kml_bytes)}, diperiksa "
            "sebelum dibaca. Kirim batas desa satu kabupaten/kota saja, atau simpan sebagai GeoPackage/GeoParquet."
        )
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
        msg = f"Berkas {path.name} bukan {fmt}: isinya tidak sesuai format itu. {format_hint(suffix)}"
        raise InputError(msg)


def _read_ogr(path: Path, *, layer: str | None, berkas: str, max_features: int) -> SourceLayer:
    chosen, notes = _choose_layer(path, layer=layer, berkas=berkas)
    if path.suffix.lower() == ".gpkg":
        check_gpkg_layer(path, chosen, max_features=max_features)
    try:
        with warnings.catch_warnings():
            # NaN/Infinity coordinates are refused right after reading, naming their rows (check_coordinates)
            warnings.filterwarnings("ignore", message="invalid value encountered", category=RuntimeWarning)
            frame = pyogrio.read_dataframe(path, layer=chosen, use_arrow=True, max_features=max_features + 1)
    except _OGR_ERRORS as exc:
        raise InputError(_unreadable_message(path, exc, berkas=berkas)) from exc
    if len(frame) > max_features:
        raise InputError(too_many_features(berkas, max_features=max_features, where=f" (lapisan '{chosen}')"))
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"Lapisan '{chosen}' di berkas {berkas} tidak berisi geometri (hanya tabel atribut). {_need_polygons()}"
        raise InputError(msg)
    return SourceLayer(frame, chosen, notes)


def _overlong_token_message(path: Path, offset: int) -> str:
    """Name the row (and the property, when it can be found) of a GeoJSON value GDAL found too long."""
    row, key = _locate_token(path, offset)
    where = f" baris {row}" if row else ""
    where += f" kolom {key}" if key else ""
    return (
        f"Berkas {path.name}{where} berisi teks atau angka yang sangat panjang (jutaan karakter, di sekitar byte "
        f"{angka(offset)}); batasnya {angka(MAX_CELL_CHARS)} karakter per sel, dan nama desa paling banyak 200 "
        "karakter. Isi seperti itu bukan nama atau kode; periksa kolom itu di QGIS (Open Attribute Table), perbaiki "
        "atau hapus isinya, lalu ekspor ulang."
    )


def _locate_token(path: Path, offset: int) -> tuple[int | None, str | None]:
    """Return the feature number (1-based) holding byte ``offset`` of a GeoJSON file, and the property key there."""
    features = 0
    tail = b""
    with open(path, "rb") as handle:
        done = 0
        while done < offset:
            chunk = handle.read(min(_LOCATE_CHUNK, offset - done))
            if not chunk:
                break
            features += (tail[-16:] + chunk).count(_FEATURE_TOKEN) - tail[-16:].count(_FEATURE_TOKEN)
            tail = chunk
            done += len(chunk)
        handle.seek(max(0, offset - _LOCATE_WINDOW))
        window = handle.read(min(offset, _LOCATE_WINDOW))
    quote = window.rfind(b'"')
    match = _JSON_KEY.search(window[max(0, quote - 300) : quote]) if quote >= 0 else None
    key = match.group(1).decode("utf-8", "replace") if match else None
    return (features or None), key


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


def _read_kmz(path: Path, *, layer: str | None, max_features: int, max_kml_bytes: int) -> SourceLayer:
    """Read a KMZ through a copy holding only its KML documents, extracted size-capped (declared and actual).

    GDAL then reads the copy, whose sizes this code wrote itself, and never
    inflates anything from the user's archive.
    """
    documents = [info for info in check_zip(path) if info.filename.lower().endswith(".kml")]
    if not documents:
        msg = f"Berkas {path.name} tidak berisi dokumen KML (doc.kml). {format_hint('.kmz')}"
        raise InputError(msg)
    main = _main_kml(documents)
    documents = [main, *(info for info in documents if info is not main)]
    with tempfile.TemporaryDirectory(prefix="ilp-kmz-") as folder:
        files = extract_members(path, documents, Path(folder) / "isi", max_bytes=max_kml_bytes, what="dokumen KML")
        copy = Path(folder) / path.name
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as archive:
            for file in files:
                archive.write(file, arcname=file.relative_to((Path(folder) / "isi").resolve()).as_posix())
        return _read_ogr(copy, layer=layer, berkas=path.name, max_features=max_features)


def _main_kml(documents: Sequence[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """``doc.kml`` at the root, else the first KML at the root, else the first KML (as Google Earth does)."""
    root = [info for info in documents if len(PurePosixPath(info.filename.replace("\\", "/")).parts) == 1]
    for info in root:
        if info.filename.lower() == "doc.kml":
            return info
    return (root or list(documents))[0]


def _read_zipped_shapefile(path: Path, *, layer: str | None, max_features: int, max_vertices: int) -> SourceLayer:
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
        estimate = shapefile.stat().st_size // WKB_BYTES_PER_VERTEX  # .shp: two doubles per vertex, plus headers
        if estimate > max_vertices:
            raise InputError(too_many_vertices(berkas, estimate, max_vertices=max_vertices))
        source = _read_ogr(shapefile, layer=None, berkas=berkas, max_features=max_features)
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


def _unreadable_message(path: Path, exc: Exception, *, berkas: str) -> str:
    fmt = FORMATS.get(path.suffix.lower(), "data geografis")
    overlong = _GDAL_OVERLONG.search(str(exc))
    if overlong is not None and path.suffix.lower() in (".geojson", ".json"):
        return _overlong_token_message(path, int(overlong.group(1)))
    if path.suffix.lower() in (".geojson", ".json"):
        return (
            f"Berkas {berkas} berisi JSON tetapi bukan GeoJSON yang dapat dibaca: tidak ada FeatureCollection "
            "atau Feature dengan geometri, atau isinya rusak/terpotong. Ekspor ulang dari QGIS (Export > Save "
            "Features As > GeoJSON)."
        )
    detail = short_error(exc, path)
    return f"Berkas {berkas} tidak dapat dibaca sebagai {fmt} ({detail}). Periksa berkasnya atau ekspor ulang."


def _need_polygons() -> str:
    return "Batas desa harus berupa poligon (Polygon/MultiPolygon) dengan kolom kode desa."


def _check_text_lengths(frame: pd.DataFrame, *, berkas: str) -> None:
    """Refuse a text cell longer than :data:`~loaders.limits.MAX_CELL_CHARS`, naming its row and column."""
    for column in frame.columns:
        if column == frame.geometry.name or not (
            pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column])
        ):
            continue
        lengths = frame[column].map(lambda v: len(v) if isinstance(v, str) else 0)
        if lengths.empty or int(lengths.max()) <= MAX_CELL_CHARS:
            continue
        position = int(np.argmax(lengths.to_numpy()))
        msg = (
            f"Berkas {berkas} baris {position + 1} kolom {column} berisi teks {angka(int(lengths.iloc[position]))} "
            f"karakter; batasnya {angka(MAX_CELL_CHARS)} karakter per sel (nama desa paling banyak 200 karakter). "
            "Isi seperti itu bukan nama atau kode; periksa kolom itu di QGIS (Open Attribute Table), perbaiki "
            "atau hapus isinya, lalu ekspor ulang."
        )
        raise InputError(msg)


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
