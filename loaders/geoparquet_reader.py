"""Read a GeoParquet file safely: footer, 'geo' metadata, CRS, encoding and every WKB geometry checked.

Parquet can repeat one value cheaply (dictionary and run-length encoding), so
a small file can decode to terabytes: the row count in the footer is checked
first (``max_features``), nested (GeoArrow) columns are bounded by the value
counts in the footer, and text and binary columns are read
dictionary-encoded with their decoded size computed before anything is
expanded (:data:`~loaders.limits.MAX_UNCOMPRESSED_BYTES`, and about
:data:`WKB_BYTES_PER_VERTEX` bytes per vertex for ``max_vertices``). Every
failure is an Indonesian :class:`~loaders.exceptions.InputError` naming the
file (and the column or rows where known).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyproj
import shapely
from pyproj.exceptions import CRSError
from shapely.errors import GEOSException

from loaders import model
from loaders.boundary_messages import short_error, too_many_features, too_many_vertices
from loaders.exceptions import InputError
from loaders.limits import MAX_UNCOMPRESSED_BYTES
from loaders.numbers import angka, ukuran

__all__ = ["WKB_BYTES_PER_VERTEX", "read_parquet"]

_NATIVE_ENCODINGS: Final = frozenset(
    {"point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon"}
)
_PARQUET_HINT: Final = (
    "Ekspor ulang dari QGIS (Export > Save Features As > GeoParquet) atau GeoPandas (to_parquet), "
    "atau kirim GeoJSON/GeoPackage."
)
_MAX_ROWS_LISTED: Final = 5
WKB_BYTES_PER_VERTEX: Final = 16
"""A 2D vertex in WKB or a .shp is two doubles; headers make an estimate from the byte count a slight overestimate."""


def read_parquet(path: Path, *, max_features: int, max_vertices: int) -> gpd.GeoDataFrame:
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
            f"Berkas {berkas} bukan berkas Parquet yang utuh ({short_error(exc, path)}). Berkas itu mungkin rusak atau "
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
            msg = (
                f"Isi berkas {berkas} tidak dapat dibaca sebagai GeoParquet ({short_error(exc, path)}). {_PARQUET_HINT}"
            )
            raise InputError(msg) from exc
    table = _decoded(table, column, berkas=berkas, max_vertices=max_vertices)
    shapes = _from_wkb(table.column(column), column=column, berkas=berkas)
    geo_columns = set(_parquet_geo_columns(schema.metadata or {}))
    attributes = table.drop_columns([c for c in table.column_names if c in geo_columns or c == column]).to_pandas()
    geometry = gpd.GeoSeries(shapes, index=attributes.index, crs=crs, name="geometry")
    return gpd.GeoDataFrame(attributes, geometry=geometry, crs=crs)


def _is_bytes_like(kind: pa.DataType) -> bool:
    """Return True for a text or binary Arrow type (dictionary-encoded too)."""
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
        raise InputError(too_many_vertices(berkas, geometry_values // dimensions, max_vertices=max_vertices))
    if other_values > max_vertices:
        msg = (
            f"Berkas {berkas} berisi {angka(other_values)} nilai atribut (batas {angka(max_vertices)}), jauh lebih "
            f"banyak dari jumlah barisnya; berkas seperti ini tidak dibaca. {_PARQUET_HINT}"
        )
        raise InputError(msg)


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
    estimate = sizes.get(column, 0) // WKB_BYTES_PER_VERTEX
    if estimate > max_vertices:
        raise InputError(too_many_vertices(berkas, estimate, max_vertices=max_vertices))
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
    """Every geometry column named in the 'geo' metadata (``[]`` when it is absent or not JSON)."""
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
        msg = f"Berkas {path.name} tidak dapat dibaca sebagai GeoParquet ({short_error(exc, path)}). {_PARQUET_HINT}"
        raise InputError(msg) from exc
    return frame if frame.crs == crs else frame.set_crs(crs, allow_override=True)
