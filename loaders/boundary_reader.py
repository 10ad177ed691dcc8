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
row count is checked first; GeoParquet by the row count in its footer. Every
OGR read stops after :data:`~loaders.limits.MAX_FEATURES` + 1 features.
Right after reading, the vertex count (:data:`~loaders.limits.MAX_VERTICES`),
the coordinates (finite numbers only) and the length of every text cell
(:data:`~loaders.limits.MAX_CELL_CHARS`) are checked. The limits are
keyword-only arguments of :func:`read_boundary_file` so tests can lower them.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyogrio
import pyogrio.errors
import pyproj
import shapely
from pyproj.exceptions import CRSError
from shapely.errors import GEOSException

from loaders import model
from loaders.archives import angka, check_zip, extract_members, extract_zip, ukuran
from loaders.boundary_geometry import check_coordinates, polygonal_types
from loaders.exceptions import InputError
from loaders.limits import (
    MAX_BYTES_BATAS,
    MAX_CELL_CHARS,
    MAX_FEATURES,
    MAX_KML_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_VERTICES,
)

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
_GPKG_CORE: Final = frozenset(
    {
        "gpkg_contents",
        "gpkg_geometry_columns",
        "gpkg_spatial_ref_sys",
        "gpkg_extensions",
        "gpkg_ogr_contents",
        "gpkg_data_columns",
        "gpkg_data_column_constraints",
        "gpkg_metadata",
        "gpkg_metadata_reference",
        "gpkg_tile_matrix",
        "gpkg_tile_matrix_set",
    }
)
"""Tables GDAL reads when it opens a GeoPackage: none of them may be a view."""
_NATIVE_ENCODINGS: Final = frozenset(
    {"point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon"}
)
_PARQUET_HINT: Final = (
    "Ekspor ulang dari QGIS (Export > Save Features As > GeoParquet) atau GeoPandas (to_parquet), "
    "atau kirim GeoJSON/GeoPackage."
)
_MAX_ROWS_LISTED: Final = 5
_WKB_BYTES_PER_VERTEX: Final = 16
"""A 2D vertex in WKB or a .shp is two doubles; headers make an estimate from the byte count a slight overestimate."""
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
        source = SourceLayer(_read_parquet(path, max_features=max_features, max_vertices=max_vertices))
    elif suffix == ".kmz":
        source = _read_kmz(path, layer=layer, max_features=max_features, max_kml_bytes=max_kml_bytes)
    else:
        if suffix == ".shp":
            _check_shapefile_parts(path, berkas=berkas)
        if suffix == ".gpkg":
            _check_gpkg_schema(path)
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


def _read_ogr(path: Path, *, layer: str | None, berkas: str, max_features: int) -> SourceLayer:
    chosen, notes = _choose_layer(path, layer=layer, berkas=berkas)
    if path.suffix.lower() == ".gpkg":
        _check_gpkg_layer(path, chosen, max_features=max_features)
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


def too_many_features(berkas: str, *, max_features: int, where: str = "") -> str:
    """Return the message for a file with more than ``max_features`` features."""
    return (
        f"Berkas {berkas}{where} berisi lebih dari {angka(max_features)} fitur; batasnya {angka(max_features)} "
        "fitur per berkas (seluruh Indonesia sekitar 83.000 desa), diperiksa sebelum semuanya dibaca. Kirim batas desa "
        "per provinsi atau kabupaten/kota, satu desa satu fitur."
    )


# -- GeoPackage: inspected with sqlite3 before GDAL opens it -------------------------------------
def _read_only(path: Path) -> closing[sqlite3.Connection]:
    """Open ``path`` with SQLite read-only (``mode=ro``, ``query_only``, untrusted schema), extensions disabled."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    db.execute("PRAGMA query_only = ON")
    db.execute("PRAGMA trusted_schema = OFF")
    return closing(db)


def _sqlite_objects(path: Path) -> dict[str, tuple[str, str, str]]:
    """Lower-case name -> (name, type, SQL) of every schema object, read from ``sqlite_master`` read-only.

    The database is opened read-only (``mode=ro``), extension loading stays
    disabled (the :mod:`sqlite3` default) and nothing but ``sqlite_master`` is
    read, so no view is evaluated and no trigger can fire.
    """
    try:
        with _read_only(path) as db:
            rows = db.execute("SELECT name, type, coalesce(sql, '') FROM sqlite_master").fetchall()
    except sqlite3.Error as exc:
        msg = (
            f"Berkas {path.name} bukan GeoPackage yang utuh ({exc}). Berkas itu mungkin rusak atau terpotong; "
            f"{_format_hint('.gpkg')}"
        )
        raise InputError(msg) from exc
    return {str(name).lower(): (str(name), str(kind), str(sql)) for name, kind, sql in rows}


def _check_gpkg_schema(path: Path) -> None:
    """Refuse a GeoPackage whose core tables or registered layers are views, before GDAL touches it."""
    objects = _sqlite_objects(path)
    core_views = sorted(name for key, (name, kind, _) in objects.items() if key in _GPKG_CORE and kind != "table")
    if core_views:
        msg = (
            f"GeoPackage {path.name} ditolak: tabel sistem {', '.join(core_views)} berupa view, bukan tabel. "
            f"GeoPackage seperti ini tidak aman dibaca. {_format_hint('.gpkg')}"
        )
        raise InputError(msg)
    if "gpkg_contents" not in objects:
        return
    try:
        with _read_only(path) as db:
            registered = [str(row[0]) for row in db.execute("SELECT table_name FROM gpkg_contents").fetchall()]
    except sqlite3.Error as exc:
        msg = (
            f"Daftar lapisan (gpkg_contents) GeoPackage {path.name} tidak dapat dibaca ({exc}). {_format_hint('.gpkg')}"
        )
        raise InputError(msg) from exc
    views = [name for name in registered if _gpkg_kind(objects, name) == "view"]
    if views:
        raise InputError(_gpkg_view_message(path, views[0]))


def _gpkg_kind(objects: Mapping[str, tuple[str, str, str]], name: str) -> str | None:
    found = objects.get(name.lower())
    if found is None:
        return None
    _, kind, sql = found
    return "virtual" if kind == "table" and sql.lstrip().upper().startswith("CREATE VIRTUAL") else kind


def _gpkg_view_message(path: Path, layer: str) -> str:
    return (
        f"Lapisan '{layer}' di GeoPackage {path.name} berupa view (kueri SQL), bukan tabel. View dapat berisi kueri "
        "yang tak berujung, jadi tidak dibaca. Di QGIS, simpan lapisan itu sebagai tabel biasa (klik kanan > Export > "
        "Save Features As > GeoPackage) lalu unggah berkas barunya."
    )


def _check_gpkg_layer(path: Path, layer: str, *, max_features: int) -> None:
    """Refuse a chosen layer that is not a plain table, or has more than ``max_features`` rows (counted by SQLite)."""
    objects = _sqlite_objects(path)
    kind = _gpkg_kind(objects, layer)
    if kind == "view":
        raise InputError(_gpkg_view_message(path, layer))
    if kind != "table":
        shown = "tabel virtual" if kind == "virtual" else "tidak ditemukan sebagai tabel"
        msg = (
            f"Lapisan '{layer}' di GeoPackage {path.name} {shown}; hanya tabel biasa yang dibaca. "
            f"{_format_hint('.gpkg')}"
        )
        raise InputError(msg)
    name = objects[layer.lower()][0].replace('"', '""')
    try:
        with _read_only(path) as db:
            count = int(
                db.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{name}" LIMIT ?)', (max_features + 1,)).fetchone()[0]
            )
    except sqlite3.Error as exc:
        msg = f"Lapisan '{layer}' di GeoPackage {path.name} tidak dapat dibaca ({exc}). {_format_hint('.gpkg')}"
        raise InputError(msg) from exc
    if count > max_features:
        raise InputError(too_many_features(path.name, max_features=max_features, where=f" (lapisan '{layer}')"))


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
        msg = f"Berkas {path.name} tidak berisi dokumen KML (doc.kml). {_format_hint('.kmz')}"
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
        estimate = shapefile.stat().st_size // _WKB_BYTES_PER_VERTEX  # .shp: two doubles per vertex, plus headers
        if estimate > max_vertices:
            raise InputError(_too_many_vertices(berkas, estimate, max_vertices=max_vertices))
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


def _read_parquet(path: Path, *, max_features: int, max_vertices: int) -> gpd.GeoDataFrame:
    """Read a GeoParquet file, checking its footer, 'geo' metadata and every geometry; every failure is a message.

    Parquet can repeat one value cheaply (dictionary and run-length encoding),
    so a small file can decode to terabytes. Text and binary columns are
    therefore read dictionary-encoded and their decoded size is computed
    before anything is expanded (:data:`~loaders.limits.MAX_UNCOMPRESSED_BYTES`,
    and about 16 WKB bytes per vertex for :data:`~loaders.limits.MAX_VERTICES`);
    nested (GeoArrow) columns are bounded by the value counts in the footer.
    """
    berkas = path.name
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        msg = (
            f"Berkas {berkas} bukan berkas Parquet yang utuh ({_short(exc, path)}). Berkas itu mungkin rusak atau "
            f"terpotong saat diunduh. {_PARQUET_HINT}"
        )
        raise InputError(msg) from exc
    with closing(parquet):
        if parquet.metadata.num_rows > max_features:
            raise InputError(too_many_features(berkas, max_features=max_features))
        schema = parquet.schema_arrow
        column, spec = _geo_column(schema.metadata or {}, berkas=berkas)
        if column not in schema.names:
            shown = ", ".join(schema.names) or "(tidak ada)"
            msg = (
                f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: metadata 'geo' menyebut kolom geometri "
                f"'{column}', tetapi kolom itu tidak ada (kolom yang ada: {shown}). {_PARQUET_HINT}"
            )
            raise InputError(msg)
        crs = _parquet_crs(spec, column=column, berkas=berkas)
        encoding = _parquet_encoding(spec, schema.field(column).type, column=column, berkas=berkas)
        _check_parquet_values(parquet, column, spec, berkas=berkas, max_vertices=max_vertices)
        if encoding != "wkb":
            return _read_native_parquet(path, crs=crs)
        textual = [f.name for f in schema if _is_bytes_like(f.type)]
        try:
            with closing(pq.ParquetFile(path, read_dictionary=textual)) as dictionaries:
                table = dictionaries.read()
        except (pa.ArrowException, OSError) as exc:
            msg = f"Isi berkas {berkas} tidak dapat dibaca sebagai GeoParquet ({_short(exc, path)}). {_PARQUET_HINT}"
            raise InputError(msg) from exc
    table = _decoded(table, column, berkas=berkas, max_vertices=max_vertices)
    shapes = _from_wkb(table.column(column), column=column, berkas=berkas)
    geo_columns = set(_parquet_geo_columns(schema.metadata or {}))
    attributes = table.drop_columns([c for c in table.column_names if c in geo_columns or c == column]).to_pandas()
    geometry = gpd.GeoSeries(shapes, index=attributes.index, crs=crs, name="geometry")
    return gpd.GeoDataFrame(attributes, geometry=geometry, crs=crs)


def _is_bytes_like(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return any(
        check(kind)
        for check in (pa.types.is_binary, pa.types.is_large_binary, pa.types.is_string, pa.types.is_large_string)
    )


def _check_parquet_values(
    parquet: pq.ParquetFile, column: str, spec: Mapping[str, Any], *, berkas: str, max_vertices: int
) -> None:
    """Bound nested columns by the leaf value counts in the footer, before reading any data page."""
    metadata = parquet.metadata
    geometry_values = 0
    other_values = 0
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for index in range(row_group.num_columns):
            chunk = row_group.column(index)
            if chunk.path_in_schema.split(".")[0] == column:
                geometry_values += chunk.num_values
            else:
                other_values += chunk.num_values
    types = spec.get("geometry_types")
    dimensions = 2
    if isinstance(types, list) and any(isinstance(t, str) and t.endswith(" Z") for t in types):
        dimensions = 3
    if pa.types.is_nested(parquet.schema_arrow.field(column).type) and geometry_values // dimensions > max_vertices:
        raise InputError(_too_many_vertices(berkas, geometry_values // dimensions, max_vertices=max_vertices))
    if other_values > max_vertices:
        msg = (
            f"Berkas {berkas} berisi {angka(other_values)} nilai atribut (batas {angka(max_vertices)}), jauh lebih "
            f"banyak dari jumlah barisnya; berkas seperti ini tidak dibaca. {_PARQUET_HINT}"
        )
        raise InputError(msg)


def _too_many_vertices(berkas: str, count: int, *, max_vertices: int) -> str:
    return (
        f"Berkas {berkas} berisi sekitar {angka(count)} titik sudut (verteks); batasnya {angka(max_vertices)} "
        "verteks per berkas, diperiksa sebelum geometrinya diurai. Sederhanakan geometrinya (QGIS: Vector > "
        "Geometry Tools > Simplify) atau kirim per provinsi/kabupaten, lalu ulangi."
    )


def _decoded(table: pa.Table, column: str, *, berkas: str, max_vertices: int) -> pa.Table:
    """Expand the dictionary-encoded columns of ``table`` after checking their decoded size."""
    sizes = {name: _decoded_bytes(table.column(name)) for name in table.column_names}
    total = sum(sizes.values())
    if total > MAX_UNCOMPRESSED_BYTES:
        msg = (
            f"Isi berkas {berkas} setelah diurai berukuran {ukuran(total)} (batas {ukuran(MAX_UNCOMPRESSED_BYTES)}), "
            f"padahal berkasnya jauh lebih kecil: ada nilai yang diulang berkali-kali. Berkas ini tidak dibaca. "
            f"{_PARQUET_HINT}"
        )
        raise InputError(msg)
    estimate = sizes.get(column, 0) // _WKB_BYTES_PER_VERTEX
    if estimate > max_vertices:
        raise InputError(_too_many_vertices(berkas, estimate, max_vertices=max_vertices))
    for index, name in enumerate(table.column_names):
        values = table.column(name)
        if pa.types.is_dictionary(values.type):
            plain = pa.chunked_array([chunk.dictionary_decode() for chunk in values.chunks], values.type.value_type)
            table = table.set_column(index, name, plain)
    return table


def _decoded_bytes(values: pa.ChunkedArray) -> int:
    """Bytes of ``values`` once expanded (a dictionary column counts each row's value in full)."""
    total = 0
    for chunk in values.chunks:
        if pa.types.is_dictionary(chunk.type):
            lengths = pc.binary_length(chunk.dictionary)
            total += int(pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0)
        else:
            total += chunk.nbytes
    return total


def _parquet_geo_columns(metadata: Mapping[bytes, bytes]) -> list[str]:
    try:
        columns = json.loads(metadata.get(b"geo", b"{}")).get("columns", {})
    except (ValueError, AttributeError):
        return []
    return [str(c) for c in columns] if isinstance(columns, dict) else []


def _geo_column(metadata: Mapping[bytes, bytes], *, berkas: str) -> tuple[str, Mapping[str, Any]]:
    """Return the primary geometry column and its 'geo' metadata entry."""
    raw = metadata.get(b"geo")
    if raw is None:
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: berkas Parquet ini tidak punya metadata "
            "geometri ('geo'). Berkas Parquet tanpa metadata geometri (GeoParquet) tidak dapat dipakai. "
            f"{_PARQUET_HINT}"
        )
        raise InputError(msg)
    try:
        geo = json.loads(raw)
    except ValueError as exc:
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: metadata 'geo'-nya bukan JSON yang sah ({exc}). "
            f"{_PARQUET_HINT}"
        )
        raise InputError(msg) from exc
    columns = geo.get("columns") if isinstance(geo, dict) else None
    primary = geo.get("primary_column") if isinstance(geo, dict) else None
    if not isinstance(columns, dict) or not isinstance(primary, str) or not isinstance(columns.get(primary), dict):
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: metadata 'geo'-nya tidak lengkap (perlu "
            f"'primary_column' dan keterangan kolom itu di 'columns'). {_PARQUET_HINT}"
        )
        raise InputError(msg)
    return primary, columns[primary]


def _parquet_crs(spec: Mapping[str, Any], *, column: str, berkas: str) -> pyproj.CRS | None:
    """Return the column's CRS: absent means OGC:CRS84 (the GeoParquet default), null means unknown."""
    if "crs" not in spec:
        return pyproj.CRS.from_user_input(model.CRS)
    value = spec["crs"]
    if value is None:
        return None
    try:
        return pyproj.CRS.from_user_input(json.dumps(value) if isinstance(value, dict) else value)
    except (CRSError, TypeError, ValueError) as exc:
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: sistem koordinat (CRS) kolom {column} di metadata "
            f"'geo' tidak dikenali ({shown}). CRS harus PROJJSON yang sah (atau tidak ditulis untuk WGS 84). Tetapkan "
            f"CRS yang benar lalu ekspor ulang. {_PARQUET_HINT}"
        )
        raise InputError(msg) from exc


def _parquet_encoding(spec: Mapping[str, Any], kind: pa.DataType, *, column: str, berkas: str) -> str:
    """``"wkb"`` or a native (GeoArrow) encoding name, checked against the column's Arrow type."""
    encoding = spec.get("encoding")
    text = encoding.lower() if isinstance(encoding, str) else None
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    binary = pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
    textual = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    if text == "wkb" and textual:
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: kolom geometri {column} berisi teks (mungkin "
            f"WKT), padahal metadata 'geo' menyebut encoding WKB (biner). {_PARQUET_HINT}"
        )
        raise InputError(msg)
    if text == "wkb" and binary:
        return "wkb"
    if text in _NATIVE_ENCODINGS and not (binary or textual):
        return text
    if text == "wkb" or text in _NATIVE_ENCODINGS:
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: kolom geometri {column} bertipe {kind}, tidak "
            f"cocok dengan encoding '{encoding}' di metadata 'geo'. {_PARQUET_HINT}"
        )
        raise InputError(msg)
    msg = (
        f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: encoding geometri '{encoding}' di metadata 'geo' "
        f"tidak dikenal (yang sah: WKB, atau {', '.join(sorted(_NATIVE_ENCODINGS))}). {_PARQUET_HINT}"
    )
    raise InputError(msg)


def _from_wkb(values: pa.ChunkedArray, *, column: str, berkas: str) -> np.ndarray:
    """Decode WKB; a row that does not decode is named (1-based, file order)."""
    raw = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
    try:
        shapes = shapely.from_wkb(raw, on_invalid="ignore")
    except (GEOSException, TypeError, ValueError) as exc:  # pragma: no cover - on_invalid="ignore" returns None
        msg = f"Kolom geometri {column} berkas {berkas} tidak dapat dibaca sebagai WKB ({exc}). {_PARQUET_HINT}"
        raise InputError(msg) from exc
    broken = np.flatnonzero(pd.notna(raw) & shapely.is_missing(shapes))
    if broken.size:
        rows = ", ".join(str(int(p) + 1) for p in broken[:_MAX_ROWS_LISTED])
        more = f" dan {angka(broken.size - _MAX_ROWS_LISTED)} baris lain" if broken.size > _MAX_ROWS_LISTED else ""
        msg = (
            f"Berkas {berkas} tidak dapat dibaca sebagai GeoParquet: geometri di kolom {column} baris {rows}{more} "
            f"bukan WKB yang sah (rusak, atau berisi teks seperti WKT). {_PARQUET_HINT}"
        )
        raise InputError(msg)
    return shapes


def _read_native_parquet(path: Path, *, crs: pyproj.CRS | None) -> gpd.GeoDataFrame:
    """GeoArrow (native) encodings, decoded by GeoPandas after the metadata checks above."""
    try:
        frame = gpd.read_parquet(path)
    except (ValueError, TypeError, OSError, pa.ArrowException, GEOSException, CRSError) as exc:
        msg = f"Berkas {path.name} tidak dapat dibaca sebagai GeoParquet ({_short(exc, path)}). {_PARQUET_HINT}"
        raise InputError(msg) from exc
    return frame if frame.crs == crs else frame.set_crs(crs, allow_override=True)


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
    detail = _short(exc, path)
    return f"Berkas {berkas} tidak dapat dibaca sebagai {fmt} ({detail}). Periksa berkasnya atau ekspor ulang."


def _short(exc: Exception, path: Path) -> str:
    """Return the first sentence of a library error, without temporary folder names."""
    text = " ".join(str(exc).replace(str(path), path.name).split()).split(";")[0].strip()
    return text if len(text) <= 200 else text[:197] + "..."


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
