"""A disk cache of the maps' prepared unit polygons, beside the store (derived data, never the only copy).

Dissolving 82,802 desa into provinces and kabupaten/kota and simplifying them takes tens of
seconds; the result depends only on the desa layer. The dashboard keeps it in memory per
data version, and here on disk, keyed by a fingerprint of the desa layer
(:func:`desa_fingerprint`), so a restarted server, or a new version that only changed
facilities or reports, draws the national overview without preparing it again:
``<store>.peta/<fingerprint>-<level>.parquet`` (GeoParquet). Writing a file removes the
files of other fingerprints.

Nothing here is needed for correctness: a missing, unreadable or unwritable cache only means
the polygons are prepared again (a read-only store folder is fine). Files are written to a
unique temporary name and moved into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Final

import geopandas as gpd
from pyogrio.errors import DataSourceError

from loaders import model

CACHE_SUFFIX: Final = ".peta"
_LOG = logging.getLogger(__name__)


def cache_dir(store_path: str | os.PathLike[str]) -> Path:
    """The cache folder of the store at ``store_path`` (``<store>.peta``)."""
    return Path(f"{os.fspath(store_path)}{CACHE_SUFFIX}")


FINGERPRINT_COLUMNS: Final = model.AREA_COLUMNS
FINGERPRINT_CHARS: Final = 20


def desa_fingerprint(store_path: str | os.PathLike[str]) -> str:
    """A short hash of the store's desa layer: every code and name, and each geometry's size and last 64 bytes.

    One read-only SQLite pass (0.8 s for the 82,802 desa of the nation); what changes the
    drawn units changes it. An unreadable store gives an empty string (nothing is cached).
    """
    columns = ", ".join(f'"{c}"' for c in FINGERPRINT_COLUMNS)
    digest = hashlib.sha256()
    try:
        with contextlib.closing(sqlite3.connect(f"file:{os.fspath(store_path)}?mode=ro", uri=True)) as con:
            (geometry,) = con.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (model.LAYER_DESA,)
            ).fetchone()
            query = (
                f'SELECT {columns}, LENGTH("{geometry}"), HEX(SUBSTR("{geometry}", -64)) '
                f'FROM "{model.LAYER_DESA}" ORDER BY "kode_desa"'
            )
            for row in con.execute(query):
                digest.update(repr(row).encode())
    except (sqlite3.Error, TypeError) as exc:  # not a GeoPackage, or no desa layer: nothing to key on
        _LOG.warning("Sidik data desa %s tidak terbaca (%s); peta tidak disimpan di disk.", store_path, exc)
        return ""
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def _name(*, fingerprint: str, level: str) -> str:
    return f"{fingerprint}-{level}.parquet"


def read_units(store_path: str | os.PathLike[str], *, fingerprint: str, level: str) -> gpd.GeoDataFrame | None:
    """The cached units of ``level`` for desa with ``fingerprint``, or None (absent or unreadable)."""
    if not fingerprint:
        return None
    path = cache_dir(store_path) / _name(fingerprint=fingerprint, level=level)
    if not path.is_file():
        return None
    try:
        return gpd.read_parquet(path)
    except (OSError, ValueError, DataSourceError) as exc:  # a damaged cache file: prepare again
        _LOG.warning("Cache peta %s tidak terbaca (%s); disiapkan ulang.", path, exc)
        return None


def write_units(store_path: str | os.PathLike[str], units: gpd.GeoDataFrame, *, fingerprint: str, level: str) -> bool:
    """Keep ``units`` for desa with ``fingerprint``; remove other fingerprints' files. False when not written."""
    if not fingerprint:
        return False
    folder = cache_dir(store_path)
    name = _name(fingerprint=fingerprint, level=level)
    partial = folder / f".{name}.{uuid.uuid4().hex}.partial"
    try:
        folder.mkdir(exist_ok=True)
        units.to_parquet(partial)
        partial.replace(folder / name)
        current = f"{fingerprint}-"
        for old in folder.iterdir():
            if not old.name.startswith(current) and not old.name.endswith(".partial"):
                old.unlink(missing_ok=True)
    except OSError as exc:  # read-only folder, full disk: the cache is only an optimisation
        _LOG.warning("Cache peta tidak dapat ditulis di %s (%s).", folder, exc)
        if partial.parent.is_dir():
            partial.unlink(missing_ok=True)
        return False
    return True
