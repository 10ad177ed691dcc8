"""Hostile boundary files, generated at test time into a temporary folder (not a test module).

Nothing hostile is committed: every file is written by a function of this
module. :data:`CASES` lists them as ``(name, kind, make, fragment)``: ``kind``
is the ``cli.py import`` kind the file is meant for, ``make(folder)`` writes the
file into ``folder`` and returns its path, and ``fragment`` is a piece of the
Indonesian refusal that must appear in the message. ``tests/test_hostile_geo.py``
runs every case through the CLI; a benchmark can reuse the same list.

:data:`ACCEPTED` lists files that must still be accepted (a valid GeoParquet).
"""

from __future__ import annotations

import json
import random
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import Polygon

from loaders.limits import MAX_FEATURES, MAX_KML_BYTES, MAX_UNCOMPRESSED_BYTES, MEGABYTE

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
MATARAM: Final = PROJECT_DIR.parent / "shared" / "data" / "boundaries" / "desa_52.71.geojson"
"""Kota Mataram, 50 desa, one row each: the base of the coordinate and name cases."""
MATARAM_DESA: Final = 50
BAD_ROW: Final = 10
"""The 1-based row (feature) of the Mataram file that the coordinate and name cases spoil."""

Make = Callable[[Path], Path]
Case = tuple[str, str, Make, str]


def square(x: float, y: float, size: float = 0.01) -> Polygon:
    """A small square polygon in degrees."""
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


# -- GeoPackage ---------------------------------------------------------------------------------
def recursive_gpkg_view(folder: Path) -> Path:
    """A GeoPackage whose only layer is an endless ``WITH RECURSIVE`` view registered in gpkg_contents.

    A trigger on the view would write into a canary table if anything ever
    inserted through it; reading must never fire it.
    """
    import geopandas as gpd
    import pyogrio

    path = folder / "view_rekursif.gpkg"
    frame = gpd.GeoDataFrame({"kode_desa": ["52.71.01.1004"]}, geometry=[square(116.07, -8.58)], crs="EPSG:4326")
    pyogrio.write_dataframe(frame, path, layer="sumber", driver="GPKG")
    with sqlite3.connect(path) as db:
        blob = db.execute("SELECT geom FROM sumber").fetchone()[0]
        srs = db.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'sumber'").fetchone()[0]
        for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_ogr_contents", "gpkg_extensions"):
            db.execute(f"DELETE FROM {table} WHERE lower(table_name) = 'sumber'")  # noqa: S608 - fixed names
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        rtree = "SELECT name FROM sqlite_master WHERE name LIKE 'rtree_sumber%' AND type = 'table'"
        for (name,) in db.execute(rtree).fetchall():
            db.execute(f'DROP TABLE IF EXISTS "{name}"')
        db.execute("DROP TABLE sumber")
        db.execute("CREATE TABLE kenari (n INTEGER)")
        db.execute(
            "CREATE VIEW desa AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
            f"SELECT i AS fid, '52.71.01.' || i AS kode_desa, X'{blob.hex()}' AS geom FROM r"
        )
        db.execute("CREATE TRIGGER desa_isi INSTEAD OF INSERT ON desa BEGIN INSERT INTO kenari VALUES (1); END")
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('desa', 'features', 'desa', ?)",
            (srs,),
        )
        db.execute(
            "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
            "VALUES ('desa', 'geom', 'POLYGON', ?, 0, 0)",
            (srs,),
        )
    return path


def gpkg_too_many_features(folder: Path, *, count: int = MAX_FEATURES + 1) -> Path:
    """A GeoPackage table of ``count`` tiny squares (rows copied inside SQLite, fast)."""
    import geopandas as gpd
    import pyogrio

    path = folder / "terlalu_banyak.gpkg"
    frame = gpd.GeoDataFrame({"kode_desa": ["52.71.01.1004"]}, geometry=[square(116.07, -8.58)], crs="EPSG:4326")
    pyogrio.write_dataframe(frame, path, layer="desa", driver="GPKG", SPATIAL_INDEX="NO")
    with sqlite3.connect(path) as db:
        db.execute(
            "WITH RECURSIVE r(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM r WHERE i < ?) "
            "INSERT INTO desa (kode_desa, geom) SELECT '52.71.01.' || i, (SELECT geom FROM desa WHERE fid = 1) FROM r",
            (count,),
        )
        db.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = 'desa'", (count,))
    return path


# -- archives ----------------------------------------------------------------------------------
def zip_bomb(folder: Path, *, size: int = MAX_UNCOMPRESSED_BYTES - MEGABYTE) -> Path:
    """A zipped "Shapefile" whose .shp inflates from about 1 MB to ``size`` bytes of zeros.

    The declared total stays under the uncompressed limit, so only the
    compression-ratio bound can refuse it before extraction.
    """
    path = folder / "bom.zip"
    chunk = b"\x00" * (16 * MEGABYTE)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("desa.shp", "w", force_zip64=True) as sink:
            left = size
            while left > 0:
                sink.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
        zf.writestr("desa.shx", b"\x00" * 100)
        zf.writestr("desa.dbf", b"\x03" + b"\x00" * 31 + b"\x0d")
    return path


def _kml_stream(size: int) -> bytes:
    placemark = (
        b"<Placemark><name>Desa</name><description>52.71.01.1004</description><Polygon><outerBoundaryIs>"
        b"<LinearRing><coordinates>116.07,-8.58 116.08,-8.58 116.08,-8.57 116.07,-8.58</coordinates>"
        b"</LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
    )
    return placemark * max(1, size // len(placemark))


def kmz_bomb(folder: Path, *, size: int = 400 * MEGABYTE) -> Path:
    """A KMZ of a few MB holding a ``size``-byte KML (400 MB like the reported attack)."""
    path = folder / "bom.kmz"
    head = b'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
    block = _kml_stream(8 * MEGABYTE)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("doc.kml", "w", force_zip64=True) as sink:
            sink.write(head)
            written = len(head)
            while written < size:
                sink.write(block)
                written += len(block)
            sink.write(b"</Document></kml>\n")
    return path


def big_kml(folder: Path, *, size: int = MAX_KML_BYTES + MEGABYTE) -> Path:
    """A plain KML just over the KML size limit."""
    path = folder / "besar.kml"
    with open(path, "wb") as sink:
        sink.write(b'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n')
        block = _kml_stream(8 * MEGABYTE)
        written = 0
        while written < size:
            sink.write(block)
            written += len(block)
        sink.write(b"</Document></kml>\n")
    return path


# -- GeoJSON from the Mataram file -------------------------------------------------------------
def _mataram() -> dict[str, Any]:
    return json.loads(MATARAM.read_text(encoding="utf-8"))


def _first_ring(feature: dict[str, Any]) -> list[list[float]]:
    geometry = feature["geometry"]
    coordinates = geometry["coordinates"]
    return coordinates[0][0] if geometry["type"] == "MultiPolygon" else coordinates[0]


def _write_json(data: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    return path


def mataram_with_coordinate(folder: Path, value: float, name: str) -> Path:
    """The Mataram file with the x of the 3rd vertex of row :data:`BAD_ROW` set to ``value`` (NaN, Infinity)."""
    data = _mataram()
    _first_ring(data["features"][BAD_ROW - 1])[2][0] = value
    return _write_json(data, folder / name)


def infinity_coordinate(folder: Path) -> Path:
    """Row 10 has an ``Infinity`` x coordinate (was blamed on the CRS)."""
    return mataram_with_coordinate(folder, float("inf"), "tak_hingga.geojson")


def nan_coordinate(folder: Path) -> Path:
    """Row 10 has a ``NaN`` x coordinate (its desa used to vanish silently: 50 desa became 49)."""
    return mataram_with_coordinate(folder, float("nan"), "nan.geojson")


def long_name(folder: Path, *, length: int = 50 * MEGABYTE) -> Path:
    """Row 10's nama_desa is ``length`` characters long (50 MB)."""
    data = _mataram()
    data["features"][BAD_ROW - 1]["properties"]["nama_desa"] = "A" * length
    return _write_json(data, folder / "nama_panjang.geojson")


def many_features_geojson(folder: Path, *, count: int) -> Path:
    """``count`` tiny squares with valid Kemendagri codes, as GeoJSON."""
    features = [
        {
            "type": "Feature",
            "properties": {"kode_desa": f"52.71.{1 + i // 9000:02d}.{1001 + i % 9000:04d}"},
            "geometry": shapely.geometry.mapping(square(116.0 + 0.001 * (i % 100), -8.6 + 0.001 * (i // 100), 0.0005)),
        }
        for i in range(count)
    ]
    return _write_json({"type": "FeatureCollection", "features": features}, folder / "banyak.geojson")


def many_vertices_geojson(folder: Path, *, vertices: int) -> Path:
    """One desa whose ring has about ``vertices`` vertices."""
    ring = shapely.Point(116.07, -8.58).buffer(0.01, quad_segs=max(1, vertices // 4))
    feature = {
        "type": "Feature",
        "properties": {"kode_desa": "52.71.01.1004"},
        "geometry": shapely.geometry.mapping(ring),
    }
    return _write_json({"type": "FeatureCollection", "features": [feature]}, folder / "titik_banyak.geojson")


# -- GeoParquet ---------------------------------------------------------------------------------
_SQUARES: Final = [square(116.07, -8.58), square(116.09, -8.58), square(116.11, -8.58)]
_CODES: Final = ["52.71.01.1004", "52.71.01.1005", "52.71.01.1006"]


def _geo_metadata(**column: Any) -> dict[str, Any]:
    spec = {"encoding": "WKB", "geometry_types": ["Polygon"], **column}
    return {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": spec}}


def _parquet(
    folder: Path,
    name: str,
    geometry: pa.Array,
    *,
    geo: dict[str, Any] | bytes | None = None,
    codes: list[str] | None = None,
    column: str = "geometry",
) -> Path:
    codes = _CODES[: len(geometry)] if codes is None else codes
    table = pa.table({"kode_desa": pa.array(codes, pa.string()), column: geometry})
    if geo is not None:
        raw = geo if isinstance(geo, bytes) else json.dumps(geo).encode()
        table = table.replace_schema_metadata({b"geo": raw})
    path = folder / name
    pq.write_table(table, path)
    return path


def _wkb(geometries: list[Polygon]) -> pa.Array:
    return pa.array([shapely.to_wkb(g) for g in geometries], pa.binary())


def parquet_valid(folder: Path) -> Path:
    """A valid three-desa GeoParquet (WKB, CRS absent so OGC:CRS84)."""
    return _parquet(folder, "baik.parquet", _wkb(_SQUARES), geo=_geo_metadata())


def parquet_random_wkb(folder: Path) -> Path:
    """Row 2's geometry is 64 random bytes."""
    values = [shapely.to_wkb(_SQUARES[0]), random.Random(7).randbytes(64), shapely.to_wkb(_SQUARES[2])]
    return _parquet(folder, "wkb_acak.parquet", pa.array(values, pa.binary()), geo=_geo_metadata())


def parquet_wkt_labelled_wkb(folder: Path) -> Path:
    """A text column of WKT, labelled WKB in the 'geo' metadata."""
    values = pa.array([g.wkt for g in _SQUARES], pa.string())
    return _parquet(folder, "wkt.parquet", values, geo=_geo_metadata())


def parquet_wkt_bytes(folder: Path) -> Path:
    """WKT text stored as bytes in a binary column labelled WKB: every row fails to parse."""
    values = pa.array([g.wkt.encode() for g in _SQUARES], pa.binary())
    return _parquet(folder, "wkt_biner.parquet", values, geo=_geo_metadata())


def parquet_bogus_crs_string(folder: Path) -> Path:
    """'crs' is a plain string that is no CRS."""
    return _parquet(folder, "crs_teks.parquet", _wkb(_SQUARES), geo=_geo_metadata(crs="bukan sistem koordinat"))


def parquet_bogus_crs_projjson(folder: Path) -> Path:
    """'crs' is a PROJJSON-looking object with nonsense in it."""
    bogus = {"type": "GeographicCRS", "name": "palsu", "datum": {"type": "Nonsense"}, "coordinate_system": 7}
    return _parquet(folder, "crs_palsu.parquet", _wkb(_SQUARES), geo=_geo_metadata(crs=bogus))


def parquet_encoding_point(folder: Path) -> Path:
    """WKB data labelled with the native 'point' encoding."""
    return _parquet(folder, "enc_point.parquet", _wkb(_SQUARES), geo=_geo_metadata(encoding="point"))


def parquet_encoding_geoarrow(folder: Path) -> Path:
    """WKB data labelled 'geoarrow.polygon' (an extension name, not a GeoParquet encoding)."""
    return _parquet(folder, "enc_geoarrow.parquet", _wkb(_SQUARES), geo=_geo_metadata(encoding="geoarrow.polygon"))


def parquet_missing_column(folder: Path) -> Path:
    """The metadata names a geometry column 'geometry' that the table lacks."""
    return _parquet(folder, "tanpa_kolom.parquet", _wkb(_SQUARES), geo=_geo_metadata(), column="bentuk")


def parquet_malformed_geo(folder: Path) -> Path:
    """The 'geo' metadata is not JSON."""
    return _parquet(folder, "geo_rusak.parquet", _wkb(_SQUARES), geo=b'{"primary_column": "geometry", ')


def parquet_not_geo(folder: Path) -> Path:
    """A plain Parquet table: no 'geo' metadata at all."""
    return _parquet(folder, "bukan_geo.parquet", _wkb(_SQUARES))


def parquet_truncated(folder: Path) -> Path:
    """A valid GeoParquet cut in half (footer gone)."""
    whole = parquet_valid(folder).read_bytes()
    path = folder / "terpotong.parquet"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def parquet_empty(folder: Path) -> Path:
    """A valid GeoParquet with zero rows."""
    return _parquet(folder, "kosong.parquet", pa.array([], pa.binary()), geo=_geo_metadata(), codes=[])


def parquet_null_geometries(folder: Path) -> Path:
    """Three rows, every geometry null."""
    return _parquet(folder, "geometri_null.parquet", pa.array([None] * 3, pa.binary()), geo=_geo_metadata())


def parquet_too_many_features(folder: Path, *, count: int = MAX_FEATURES + 1) -> Path:
    """``count`` rows of one small square (dictionary-encoded, a few KB on disk)."""
    blob = shapely.to_wkb(_SQUARES[0])
    geometry = pa.DictionaryArray.from_arrays(pa.array([0] * count, pa.int32()), pa.array([blob], pa.binary()))
    codes = [f"52.71.{1 + i // 9000:02d}.{1001 + i % 9000:04d}" for i in range(count)]
    return _parquet(folder, "terlalu_banyak.parquet", geometry.cast(pa.binary()), geo=_geo_metadata(), codes=codes)


def parquet_dictionary_bomb(folder: Path, *, rows: int = 100_000, vertices: int = 250_000) -> Path:
    """``rows`` rows sharing one dictionary value: a ``vertices``-vertex polygon (4 MB of WKB, 400 GB decoded)."""
    ring = shapely.Point(116.07, -8.58).buffer(0.01, quad_segs=vertices // 4)
    geometry = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array([shapely.to_wkb(ring)]))
    codes = [f"52.71.{1 + i // 9000:02d}.{1001 + i % 9000:04d}" for i in range(rows)]
    return _parquet(folder, "kamus.parquet", geometry, geo=_geo_metadata(), codes=codes)


def parquet_geoarrow_valid(folder: Path) -> Path:
    """A valid three-desa GeoParquet with the native (GeoArrow) polygon encoding."""
    import geopandas as gpd

    path = folder / "geoarrow.parquet"
    frame = gpd.GeoDataFrame({"kode_desa": _CODES}, geometry=_SQUARES, crs="EPSG:4326")
    frame.to_parquet(path, geometry_encoding="geoarrow")
    return path


CASES: Final[list[Case]] = [
    ("gpkg_recursive_view", "boundaries", recursive_gpkg_view, "view"),
    ("gpkg_too_many_features", "boundaries", gpkg_too_many_features, "200.000 fitur"),
    ("zip_bomb", "boundaries", zip_bomb, "zip bomb"),
    ("kmz_bomb", "boundaries", kmz_bomb, "50 MB"),
    ("kml_too_big", "boundaries", big_kml, "50 MB"),
    ("geojson_infinity", "boundaries", infinity_coordinate, "bukan bilangan terhingga"),
    ("geojson_nan_row", "boundaries", nan_coordinate, "bukan bilangan terhingga"),
    ("geojson_50mb_name", "boundaries", long_name, "nama_desa"),
    ("parquet_random_wkb", "boundaries", parquet_random_wkb, "baris 2"),
    ("parquet_wkt_labelled_wkb", "boundaries", parquet_wkt_labelled_wkb, "WKT"),
    ("parquet_wkt_bytes", "boundaries", parquet_wkt_bytes, "baris 1"),
    ("parquet_bogus_crs_string", "boundaries", parquet_bogus_crs_string, "CRS"),
    ("parquet_bogus_crs_projjson", "boundaries", parquet_bogus_crs_projjson, "CRS"),
    ("parquet_encoding_point", "boundaries", parquet_encoding_point, "encoding"),
    ("parquet_encoding_geoarrow", "boundaries", parquet_encoding_geoarrow, "encoding"),
    ("parquet_missing_column", "boundaries", parquet_missing_column, "geometry"),
    ("parquet_malformed_geo", "boundaries", parquet_malformed_geo, "metadata"),
    ("parquet_not_geo", "boundaries", parquet_not_geo, "GeoParquet"),
    ("parquet_truncated", "boundaries", parquet_truncated, "Parquet"),
    ("parquet_empty", "boundaries", parquet_empty, "tidak berisi satu fitur pun"),
    ("parquet_null_geometries", "boundaries", parquet_null_geometries, "tidak berisi geometri sama sekali"),
    ("parquet_too_many_features", "boundaries", parquet_too_many_features, "200.000 fitur"),
    ("parquet_dictionary_bomb", "boundaries", parquet_dictionary_bomb, "setelah diurai"),
]
"""Every hostile boundary file: (name, import kind, make(folder) -> path, message fragment)."""

ACCEPTED: Final[list[tuple[str, str, Make]]] = [
    ("parquet_valid", "boundaries", parquet_valid),
    ("parquet_geoarrow_valid", "boundaries", parquet_geoarrow_valid),
]
"""Files next to the hostile ones that must still import."""
