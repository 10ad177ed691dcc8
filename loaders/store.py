"""The Peta ILP store: one GeoPackage file that QGIS opens as it is.

Layers are declared in :mod:`loaders.model`. Every change is atomic: the new
content is written to a temporary copy beside the store, flushed to disk and
then swapped in with :func:`os.replace`, so a failed or killed import leaves
the store byte-identical to before. Each successful change appends a row to
the ``log_impor`` layer (a new data version) and keeps a snapshot copy of the
resulting file in ``<store>.versi/``, from which :meth:`Store.restore` brings
any earlier version back (as a new version, so history is never rewritten).

Where the store lives: ``--store`` on the command line, else the ``ILP_STORE``
environment variable, else :data:`DEFAULT_STORE` (``store/ilp.gpkg`` in the
project folder, ignored by git).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from loaders import model
from loaders.exceptions import StoreError, VersionNotFoundError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_STORE = PROJECT_DIR / "store" / "ilp.gpkg"
ENV_STORE = "ILP_STORE"
# Test hook: seconds to sleep between layer writes of a commit (used by the
# SIGKILL test to kill an import halfway). Never set in normal use.
ENV_COMMIT_DELAY = "ILP_COMMIT_DELAY"


def resolve_store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the store path: ``explicit``, else ``$ILP_STORE``, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_STORE)
    if env:
        return Path(env).expanduser()
    return DEFAULT_STORE


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ChangeRecord:
    """What a commit writes into the import log (one new data version)."""

    jenis_impor: str
    berkas: str = ""
    sha256: str = ""
    baris_dibaca: int = 0
    diterima: int = 0
    diperbaiki: int = 0
    ditolak: int = 0
    keterangan: str = ""


class Store:
    """A Peta ILP GeoPackage store at ``path``.

    Reading an absent store gives empty layers and version 0; the first commit
    creates the file with every layer.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    # -- reading ---------------------------------------------------------------
    def exists(self) -> bool:
        """True when the store file exists."""
        return self.path.is_file()

    @property
    def snapshot_dir(self) -> Path:
        """Folder holding one snapshot file per data version."""
        return self.path.with_name(self.path.name + ".versi")

    def version(self) -> int:
        """Return the current data version (0 for an absent or empty store)."""
        if not self.exists():
            return 0
        try:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as con:
                row = con.execute(f'SELECT MAX(versi) FROM "{model.LAYER_LOG}"').fetchone()
        except sqlite3.Error as exc:
            msg = f"Berkas penyimpanan {self.path} tidak dapat dibaca sebagai GeoPackage ({exc}). Pulihkan versi sebelumnya atau hapus berkas itu."
            raise StoreError(msg) from exc
        return int(row[0] or 0)

    def is_empty(self) -> bool:
        """True when the store holds no desa yet (the app then shows the demo)."""
        return self.read_layer(model.LAYER_DESA).empty

    def read_layer(self, layer: str) -> pd.DataFrame | gpd.GeoDataFrame:
        """Read one layer in its canonical shape (empty when absent)."""
        if layer not in model.SCHEMAS:
            msg = f"Lapisan '{layer}' tidak dikenal. Lapisan yang ada: {', '.join(model.SCHEMAS)}."
            raise StoreError(msg)
        if not self.exists() or layer not in self._layer_names():
            return model.empty(layer)
        try:
            frame = pyogrio.read_dataframe(
                self.path,
                layer=layer,
                use_arrow=True,
                read_geometry=layer in model.SPATIAL_LAYERS,
            )
        except pyogrio.errors.DataSourceError as exc:
            msg = f"Lapisan '{layer}' di {self.path} tidak dapat dibaca: {exc}"
            raise StoreError(msg) from exc
        return model.conform(frame, layer)

    def read_desa(self) -> gpd.GeoDataFrame:
        """Village polygons."""
        return self.read_layer(model.LAYER_DESA)

    def read_fasilitas(self) -> gpd.GeoDataFrame:
        """Puskesmas, pustu and posyandu."""
        return self.read_layer(model.LAYER_FASILITAS)

    def read_laporan(self) -> pd.DataFrame:
        """Monthly posyandu reports."""
        return self.read_layer(model.LAYER_LAPORAN)

    def read_wilayah_kerja(self) -> pd.DataFrame:
        """Given working areas (desa -> puskesmas)."""
        return self.read_layer(model.LAYER_WILAYAH_KERJA)

    def read_log(self) -> pd.DataFrame:
        """The import log, one row per data version, oldest first."""
        return self.read_layer(model.LAYER_LOG).sort_values("versi").reset_index(drop=True)

    def read_catatan(self) -> pd.DataFrame:
        """Findings recorded by imports."""
        return self.read_layer(model.LAYER_CATATAN)

    def _layer_names(self) -> set[str]:
        try:
            return {str(name) for name, _ in pyogrio.list_layers(self.path)}
        except pyogrio.errors.DataSourceError as exc:
            msg = f"Berkas penyimpanan {self.path} tidak dapat dibaca sebagai GeoPackage ({exc}). Pulihkan versi sebelumnya atau hapus berkas itu."
            raise StoreError(msg) from exc

    # -- writing ---------------------------------------------------------------
    def commit(
        self,
        *,
        layers: Mapping[str, pd.DataFrame],
        record: ChangeRecord,
        catatan: pd.DataFrame | None = None,
        catatan_sumber: str | None = None,
    ) -> int:
        """Replace ``layers`` atomically and record a new data version.

        Parameters
        ----------
        layers
            Layer name -> full new content (conformed to the model here).
        record
            What the import log says of this change.
        catatan, catatan_sumber
            Findings of the import; they replace earlier findings of the same
            ``catatan_sumber``.

        Returns
        -------
        int
            The new data version.
        """
        new_version = self.version() + 1
        with self._staging() as staging:
            for layer, frame in layers.items():
                _write_layer(staging, layer, model.conform(frame, layer))
                _commit_delay()
            if catatan_sumber is not None:
                kept = self.read_catatan()
                kept = kept[kept["sumber"] != catatan_sumber]
                fresh = model.conform(catatan if catatan is not None else model.empty(model.LAYER_CATATAN), model.LAYER_CATATAN)
                fresh = fresh.assign(sumber=catatan_sumber, versi=new_version)
                _write_layer(staging, model.LAYER_CATATAN, pd.concat([kept, fresh], ignore_index=True))
            log = pd.concat([self.read_log(), _log_row(new_version, record)], ignore_index=True)
            _write_layer(staging, model.LAYER_LOG, log)
            _ensure_all_layers(staging)
            self._publish(staging, new_version)
        return new_version

    def restore(self, version: int) -> int:
        """Bring back the content of ``version`` as a new data version.

        Works even when the current store file is damaged: the history then
        comes from the newest readable snapshot.
        """
        snapshot = self._snapshot_path(version)
        if version < 1 or not snapshot.is_file():
            known = ", ".join(str(v) for v in self.snapshot_versions()) or "tidak ada"
            msg = f"Versi {version} tidak ditemukan. Versi yang tersedia: {known}."
            raise VersionNotFoundError(msg)
        history = self._history()
        new_version = max([0, *self.snapshot_versions(), *history["versi"].dropna().astype(int).tolist()]) + 1
        record = ChangeRecord(jenis_impor="pulihkan", keterangan=f"Memulihkan versi {version}")
        log = pd.concat([history, _log_row(new_version, record)], ignore_index=True)
        with self._staging(source=snapshot) as staging:
            _write_layer(staging, model.LAYER_LOG, log)
            self._publish(staging, new_version)
        return new_version

    def snapshot_versions(self) -> list[int]:
        """Versions that have a snapshot file, ascending."""
        found = (p.stem[1:] for p in self.snapshot_dir.glob("v*.gpkg"))
        return sorted(int(stem) for stem in found if stem.isdigit())

    def _snapshot_path(self, version: int) -> Path:
        return self.snapshot_dir / f"v{version:05d}.gpkg"

    def _history(self) -> pd.DataFrame:
        """The import log of the store, or of its newest snapshot if the store is damaged."""
        try:
            return self.read_log()
        except StoreError:
            versions = self.snapshot_versions()
            if not versions:
                raise
            return Store(self._snapshot_path(versions[-1])).read_log()

    @contextlib.contextmanager
    def _staging(self, *, source: Path | None = None) -> Iterator[Path]:
        """Yield a temporary copy of the store (or of ``source``); remove it on failure."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(self.path)
        staging = self.path.with_name(f".{self.path.stem}.tmp-{os.getpid()}.gpkg")
        origin = source if source is not None else self.path
        try:
            if origin.is_file():
                shutil.copyfile(origin, staging)
            yield staging
        finally:
            staging.unlink(missing_ok=True)
            for suffix in ("-journal", "-wal", "-shm"):
                Path(f"{staging}{suffix}").unlink(missing_ok=True)

    def _publish(self, staging: Path, version: int) -> None:
        """Flush ``staging``, keep its snapshot, and swap it in for the store."""
        _fsync(staging)
        self.snapshot_dir.mkdir(parents=True, exist_ok=True)
        snapshot = self._snapshot_path(version)
        partial = snapshot.with_name(f".{snapshot.stem}.partial.gpkg")
        shutil.copyfile(staging, partial)
        _fsync(partial)
        os.replace(partial, snapshot)
        os.replace(staging, self.path)
        _fsync_dir(self.path.parent)


def _write_layer(path: Path, layer: str, frame: pd.DataFrame) -> None:
    kwargs: dict[str, object] = {"layer": layer, "driver": "GPKG"}
    if layer in model.SPATIAL_LAYERS:
        kwargs["promote_to_multi"] = layer == model.LAYER_DESA
        kwargs["geometry_type"] = "MultiPolygon" if layer == model.LAYER_DESA else "Point"
        frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=model.CRS)
    else:
        frame = pd.DataFrame(frame)
    try:
        pyogrio.write_dataframe(frame, path, **kwargs)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        msg = f"Lapisan '{layer}' tidak dapat ditulis ke {path}: {exc}"
        raise StoreError(msg) from exc


def _ensure_all_layers(path: Path) -> None:
    present = {str(name) for name, _ in pyogrio.list_layers(path)}
    for layer in model.SCHEMAS:
        if layer not in present:
            _write_layer(path, layer, model.empty(layer))


def _log_row(version: int, record: ChangeRecord) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "versi": version,
                "waktu": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "jenis_impor": record.jenis_impor,
                "berkas": record.berkas,
                "sha256": record.sha256,
                "baris_dibaca": record.baris_dibaca,
                "diterima": record.diterima,
                "diperbaiki": record.diperbaiki,
                "ditolak": record.ditolak,
                "keterangan": record.keterangan,
            }
        ]
    ).pipe(model.conform, model.LAYER_LOG)


def _commit_delay() -> None:
    delay = os.environ.get(ENV_COMMIT_DELAY)
    if delay:
        time.sleep(float(delay))


def _remove_stale_temporaries(store: Path) -> None:
    """Delete temporary copies left by killed processes (their pid is gone)."""
    for leftover in store.parent.glob(f".{store.stem}.tmp-*.gpkg"):
        pid_text = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            leftover.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
