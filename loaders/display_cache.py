"""A disk cache of the maps' prepared unit polygons, beside the store (derived data, never the only copy).

Dissolving 82,802 desa into provinces and kabupaten/kota and simplifying them takes tens of
seconds; the result depends only on the store's data version. The dashboard keeps it in
memory per data version, and here on disk, so a restarted server draws the national
overview without preparing it again: ``<store>.peta/v<version>-<stamp>-<level>.parquet``
(GeoParquet). A new data version makes the old files useless; writing a file removes the
files of other versions.

Nothing here is needed for correctness: a missing, unreadable or unwritable cache only means
the polygons are prepared again (a read-only store folder is fine). Files are written to a
unique temporary name and moved into place, so a reader never sees half a file.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import Final

import geopandas as gpd
from pyogrio.errors import DataSourceError

CACHE_SUFFIX: Final = ".peta"
_LOG = logging.getLogger(__name__)


def cache_dir(store_path: str | os.PathLike[str]) -> Path:
    """The cache folder of the store at ``store_path`` (``<store>.peta``)."""
    return Path(f"{os.fspath(store_path)}{CACHE_SUFFIX}")


def _name(*, version: int, stamp: int, level: str) -> str:
    return f"v{int(version)}-{int(stamp)}-{level}.parquet"


def read_units(store_path: str | os.PathLike[str], *, version: int, stamp: int, level: str) -> gpd.GeoDataFrame | None:
    """The cached units of ``level`` for this data version, or None (absent or unreadable)."""
    path = cache_dir(store_path) / _name(version=version, stamp=stamp, level=level)
    if not path.is_file():
        return None
    try:
        return gpd.read_parquet(path)
    except (OSError, ValueError, DataSourceError) as exc:  # a damaged cache file: prepare again
        _LOG.warning("Cache peta %s tidak terbaca (%s); disiapkan ulang.", path, exc)
        return None


def write_units(
    store_path: str | os.PathLike[str], units: gpd.GeoDataFrame, *, version: int, stamp: int, level: str
) -> bool:
    """Keep ``units`` for this data version; remove other versions' files. False when it could not be written."""
    folder = cache_dir(store_path)
    name = _name(version=version, stamp=stamp, level=level)
    partial = folder / f".{name}.{uuid.uuid4().hex}.partial"
    try:
        folder.mkdir(exist_ok=True)
        units.to_parquet(partial)
        partial.replace(folder / name)
        current = f"v{int(version)}-{int(stamp)}-"
        for old in folder.iterdir():
            if not old.name.startswith(current) and not old.name.endswith(".partial"):
                old.unlink(missing_ok=True)
    except OSError as exc:  # read-only folder, full disk: the cache is only an optimisation
        _LOG.warning("Cache peta tidak dapat ditulis di %s (%s).", folder, exc)
        if partial.parent.is_dir():
            partial.unlink(missing_ok=True)
        return False
    return True
