"""Inspect a GeoPackage with :mod:`sqlite3`, read-only, before GDAL opens it.

A GeoPackage is an SQLite database a user sent, so it is opened read-only
(``mode=ro``, ``query_only``, untrusted schema, extensions disabled) and only
``sqlite_master``, ``gpkg_contents`` and a bounded row count are read: core
tables or layers that are views (an endless query) or virtual tables are
refused, and a layer with more than ``max_features`` rows is refused before
any feature is read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Final

from loaders.boundary_messages import format_hint, too_many_features
from loaders.exceptions import InputError

__all__ = ["check_gpkg_layer", "check_gpkg_schema"]

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
            f"{format_hint('.gpkg')}"
        )
        raise InputError(msg) from exc
    return {str(name).lower(): (str(name), str(kind), str(sql)) for name, kind, sql in rows}


def check_gpkg_schema(path: Path) -> None:
    """Refuse a GeoPackage whose core tables or registered layers are views, before GDAL touches it."""
    objects = _sqlite_objects(path)
    core_views = sorted(name for key, (name, kind, _) in objects.items() if key in _GPKG_CORE and kind != "table")
    if core_views:
        msg = (
            f"GeoPackage {path.name} ditolak: tabel sistem {', '.join(core_views)} berupa view, bukan tabel. "
            f"GeoPackage seperti ini tidak aman dibaca. {format_hint('.gpkg')}"
        )
        raise InputError(msg)
    if "gpkg_contents" not in objects:
        return
    try:
        with _read_only(path) as db:
            registered = [str(row[0]) for row in db.execute("SELECT table_name FROM gpkg_contents").fetchall()]
    except sqlite3.Error as exc:
        msg = (
            f"Daftar lapisan (gpkg_contents) GeoPackage {path.name} tidak dapat dibaca ({exc}). {format_hint('.gpkg')}"
        )
        raise InputError(msg) from exc
    views = [name for name in registered if _gpkg_kind(objects, name) == "view"]
    if views:
        raise InputError(_gpkg_view_message(path, views[0]))


def _gpkg_kind(objects: Mapping[str, tuple[str, str, str]], name: str) -> str | None:
    """``table``, ``view``, ``virtual`` (a virtual table) or another schema type of ``name``; None when absent."""
    found = objects.get(name.lower())
    if found is None:
        return None
    _, kind, sql = found
    return "virtual" if kind == "table" and sql.lstrip().upper().startswith("CREATE VIRTUAL") else kind


def _gpkg_view_message(path: Path, layer: str) -> str:
    """Return the message refusing a layer that is a view."""
    return (
        f"Lapisan '{layer}' di GeoPackage {path.name} berupa view (kueri SQL), bukan tabel. View dapat berisi kueri "
        "yang tak berujung, jadi tidak dibaca. Di QGIS, simpan lapisan itu sebagai tabel biasa (klik kanan > Export > "
        "Save Features As > GeoPackage) lalu unggah berkas barunya."
    )


def check_gpkg_layer(path: Path, layer: str, *, max_features: int) -> None:
    """Refuse a chosen layer that is not a plain table, or has more than ``max_features`` rows (counted by SQLite)."""
    objects = _sqlite_objects(path)
    kind = _gpkg_kind(objects, layer)
    if kind == "view":
        raise InputError(_gpkg_view_message(path, layer))
    if kind != "table":
        shown = "tabel virtual" if kind == "virtual" else "tidak ditemukan sebagai tabel"
        msg = (
            f"Lapisan '{layer}' di GeoPackage {path.name} {shown}; hanya tabel biasa yang dibaca. "
            f"{format_hint('.gpkg')}"
        )
        raise InputError(msg)
    name = objects[layer.lower()][0].replace('"', '""')
    try:
        with _read_only(path) as db:
            count = int(
                db.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{name}" LIMIT ?)', (max_features + 1,)).fetchone()[0]
            )
    except sqlite3.Error as exc:
        msg = f"Lapisan '{layer}' di GeoPackage {path.name} tidak dapat dibaca ({exc}). {format_hint('.gpkg')}"
        raise InputError(msg) from exc
    if count > max_features:
        raise InputError(too_many_features(path.name, max_features=max_features, where=f" (lapisan '{layer}')"))
