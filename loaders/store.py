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
import errno
import hashlib
import os
import shutil
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio
from filelock import FileLock, Timeout

from loaders import model
from loaders.exceptions import StaleImportError, StoreBusyError, StoreError, StoreWriteError, VersionNotFoundError
from loaders.limits import SPARE_BYTES, STORE_LOCK_SECONDS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_STORE = PROJECT_DIR / "store" / "ilp.gpkg"
ENV_STORE = "ILP_STORE"
TEMP_GLOB = ".{stem}.tmp-*.gpkg*"  # staging copies of a write (and their SQLite journals)
PARTIAL_GLOB = ".v*.partial-*.gpkg*"  # snapshots being copied, in the snapshot folder


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
    oleh: str = ""
    """Who made the change: a username, ``"lokal"`` (local mode, no sign-in) or ``"cli:<os user>"``."""


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
            raise StoreError(_unreadable_message(self.path, exc)) from exc
        return int(row[0] or 0)

    def is_empty(self) -> bool:
        """True when the store holds no desa yet (the app then shows the demo).

        One SQLite query (reading the desa layer to count it took 2.4 s for the nation).
        """
        if not self.exists():
            return True
        try:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as con:
                known = con.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (model.LAYER_DESA,)
                ).fetchone()
                row = con.execute(f'SELECT 1 FROM "{model.LAYER_DESA}" LIMIT 1').fetchone() if known else None
        except sqlite3.Error as exc:
            raise StoreError(_unreadable_message(self.path, exc)) from exc
        return row is None

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
            raise StoreError(_unreadable_message(self.path, exc)) from exc

    # -- writing ---------------------------------------------------------------
    def commit(
        self,
        *,
        layers: Mapping[str, pd.DataFrame],
        record: ChangeRecord,
        catatan: pd.DataFrame | None = None,
        catatan_sumber: str | None = None,
        base_version: int | None = None,
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
        base_version
            The data version ``layers`` were prepared against. When given and
            the store has moved on since, nothing is written.

        Returns
        -------
        int
            The new data version.

        Raises
        ------
        StaleImportError
            The store changed since ``base_version``.
        StoreBusyError
            Another write held the lock for longer than the wait allows.
        StoreError
            The store could not be written (full disk, read-only or locked
            file or folder); the store is unchanged.
        """
        with self.writing():
            current = self.version()
            if base_version is not None and current != base_version:
                raise StaleImportError(stale_message(base_version, current))
            new_version = current + 1
            with self._staging() as staging:
                for layer, frame in layers.items():
                    _write_layer(staging, layer, model.conform(frame, layer))
                if catatan_sumber is not None:
                    kept = self.read_catatan()
                    kept = kept[kept["sumber"] != catatan_sumber]
                    fresh = catatan if catatan is not None else model.empty(model.LAYER_CATATAN)
                    fresh = model.conform(fresh, model.LAYER_CATATAN).assign(sumber=catatan_sumber, versi=new_version)
                    _write_layer(staging, model.LAYER_CATATAN, pd.concat([kept, fresh], ignore_index=True))
                log = pd.concat([self.read_log(), _log_row(new_version, record)], ignore_index=True)
                _write_layer(staging, model.LAYER_LOG, log)
                _ensure_all_layers(staging)
                self._publish(staging, new_version)
        return new_version

    def restore(self, version: int, *, oleh: str = "") -> int:
        """Bring back the content of ``version`` as a new data version.

        Works even when the current store file is damaged: the history then
        comes from the newest readable snapshot. ``oleh`` (who restored it) goes
        into the import log.
        """
        with self.writing():
            snapshot = self._snapshot_path(version)
            if version < 1 or not snapshot.is_file():
                known = ", ".join(str(v) for v in self.snapshot_versions()) or "tidak ada"
                msg = f"Versi {version} tidak ditemukan. Versi yang tersedia: {known}."
                raise VersionNotFoundError(msg)
            history = self._history()
            new_version = max([0, *self.snapshot_versions(), *history["versi"].dropna().astype(int).tolist()]) + 1
            record = ChangeRecord(jenis_impor="pulihkan", keterangan=f"Memulihkan versi {version}", oleh=oleh)
            log = pd.concat([history, _log_row(new_version, record)], ignore_index=True)
            with self._staging(source=snapshot) as staging:
                _write_layer(staging, model.LAYER_LOG, log)
                self._publish(staging, new_version)
        return new_version

    @contextlib.contextmanager
    def writing(self, *, timeout: float = STORE_LOCK_SECONDS) -> Iterator[None]:
        """Hold the store's write lock: one writer at a time, across threads and processes.

        Re-entrant within a thread (a commit inside ``writing()`` does not wait
        for itself). On entry the leftovers of failed or killed writes are removed:
        while the lock is held no other write can be under way.

        Raises
        ------
        StoreBusyError
            The lock was not free within ``timeout`` seconds.
        StoreError
            The lock file cannot be created (read-only folder).
        """
        gate = _gate(self.path)
        if not gate.thread_lock.acquire(timeout=timeout):
            raise StoreBusyError(_busy_message(self.path, timeout))
        try:
            if gate.depth == 0:
                _acquire_file_lock(gate, self.path, timeout=timeout)
            gate.depth += 1
            try:
                if gate.depth == 1:
                    self._remove_leftovers()
                yield
            finally:
                gate.depth -= 1
                if gate.depth == 0:
                    gate.file_lock.release()
        finally:
            gate.thread_lock.release()

    def _remove_leftovers(self) -> None:
        """Delete staging and partial files of writes that did not finish (only called under the lock)."""
        leftovers = [*self.path.parent.glob(TEMP_GLOB.format(stem=self.path.stem))]
        if self.snapshot_dir.is_dir():
            leftovers += self.snapshot_dir.glob(PARTIAL_GLOB)
        for leftover in leftovers:
            with contextlib.suppress(OSError):
                leftover.unlink()

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
        """Yield a temporary copy of the store (or of ``source``) with a name unique to this write.

        The copy is always removed afterwards (after a successful publish it no
        longer exists under its name).
        """
        _check_writable(self.path)
        _check_room(self.path)
        staging = self.path.with_name(f".{self.path.stem}.tmp-{os.getpid()}-{uuid.uuid4().hex[:12]}.gpkg")
        origin = source if source is not None else self.path
        try:
            with _os_errors(self.path, "menyalin penyimpanan"):
                if origin.is_file():
                    shutil.copyfile(origin, staging)
            yield staging
        finally:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{staging}{suffix}").unlink(missing_ok=True)

    def _publish(self, staging: Path, version: int) -> None:
        """Flush ``staging``, swap it in for the store, then publish its snapshot.

        The snapshot's copy is written (and flushed) before the store is
        replaced, so a full disk stops the write before anything changes; it
        gets its final name only after the store was replaced, so a snapshot
        never exists for a version that is not in the store's log.
        """
        snapshot = self._snapshot_path(version)
        partial = snapshot.with_name(f".{snapshot.stem}.partial-{uuid.uuid4().hex[:12]}.gpkg")
        try:
            with _os_errors(self.path, "menyimpan versi data baru"):
                _fsync(staging)
                self.snapshot_dir.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(staging, partial)
                _fsync(partial)
                os.replace(staging, self.path)
            with _os_errors(self.path, "menyimpan salinan versi"):
                os.replace(partial, snapshot)
                _fsync_dir(self.path.parent)
                _fsync_dir(self.snapshot_dir)
        finally:
            partial.unlink(missing_ok=True)


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
    except OSError as exc:
        raise StoreWriteError(_os_message(path, f"menulis lapisan '{layer}'", exc)) from exc
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        need = int(pd.DataFrame(frame).memory_usage(deep=True).sum())
        if any(text in str(exc).lower() for text in _NO_SPACE_TEXTS) or _nearly_full(path, need=need):
            raise StoreWriteError(
                _os_message(path, f"menulis lapisan '{layer}'", OSError(errno.ENOSPC, str(exc)))
            ) from exc
        msg = f"Lapisan '{layer}' tidak dapat ditulis ke {path}: {exc}. Penyimpanan tidak berubah."
        raise StoreWriteError(msg) from exc


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
                "waktu": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "jenis_impor": record.jenis_impor,
                "berkas": record.berkas,
                "sha256": record.sha256,
                "baris_dibaca": record.baris_dibaca,
                "diterima": record.diterima,
                "diperbaiki": record.diperbaiki,
                "ditolak": record.ditolak,
                "keterangan": record.keterangan,
                "oleh": record.oleh,
            }
        ]
    ).pipe(model.conform, model.LAYER_LOG)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unreadable_message(path: Path, exc: Exception) -> str:
    return (
        f"Berkas penyimpanan {path} tidak dapat dibaca sebagai GeoPackage ({exc}). "
        "Pulihkan versi sebelumnya atau hapus berkas itu."
    )


# -- the write lock ------------------------------------------------------------------------------
@dataclass
class _Gate:
    """The write lock of one store path within this process."""

    thread_lock: threading.RLock
    file_lock: FileLock
    depth: int = 0


_GATES: dict[Path, _Gate] = {}
_GATES_GUARD = threading.Lock()


def _gate(path: Path) -> _Gate:
    key = path.resolve()
    with _GATES_GUARD:
        gate = _GATES.get(key)
        if gate is None:
            lock_file = key.with_name(key.name + ".lock")
            gate = _Gate(threading.RLock(), FileLock(lock_file, thread_local=False))
            _GATES[key] = gate
        return gate


def _acquire_file_lock(gate: _Gate, path: Path, *, timeout: float) -> None:
    with _os_errors(path, "mengunci penyimpanan"):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            gate.file_lock.acquire(timeout=timeout)
        except Timeout:
            raise StoreBusyError(_busy_message(path, timeout)) from None


def _busy_message(path: Path, timeout: float) -> str:
    return (
        f"Penyimpanan {path.name} sedang dipakai oleh penyimpanan lain (impor atau pemulihan) lebih dari "
        f"{timeout:.0f} detik. Tunggu sebentar lalu simpan lagi; data Anda belum ditulis."
    )


def stale_message(base_version: int, current: int) -> str:
    """The message of :class:`StaleImportError` (the Data page shows it too)."""
    return (
        f"Data berubah sejak pratinjau (versi {base_version} menjadi versi {current}, disimpan oleh pengguna atau "
        "proses lain); periksa lagi. Pratinjau dibuat ulang dari data terbaru; tekan Simpan lagi bila sudah sesuai. "
        "Tidak ada yang ditulis."
    )


# -- failures of the file system -------------------------------------------------------------------
_NO_SPACE: Final = frozenset({errno.ENOSPC, errno.EDQUOT})
_NOT_WRITABLE: Final = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_NO_SPACE_TEXTS: Final = ("no space left", "disk is full")  # how GDAL and SQLite say ENOSPC


def _nearly_full(path: Path, *, need: int) -> bool:
    """True when the disk of ``path`` has less room than ``need`` bytes (what was being written) and some spare.

    GDAL does not always pass ENOSPC on: a layer that could not be dropped for
    lack of room comes back as "layer already exists", a full journal as
    "failed to commit transaction". A write error on a disk this full is
    reported as a full disk.
    """
    try:
        return shutil.disk_usage(path.parent).free < need + SPARE_BYTES
    except OSError:
        return False


def _check_room(path: Path) -> None:
    """Refuse to start a write that cannot fit: a staging copy and a snapshot copy of the store."""
    try:
        size = path.stat().st_size if path.exists() else 0
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return
    need = 2 * size + SPARE_BYTES
    if free < need:
        raise StoreWriteError(_os_message(path, "memeriksa ruang disk", OSError(errno.ENOSPC, "ruang disk kurang")))


def _check_writable(path: Path) -> None:
    """Refuse a store file marked read-only (honoured even for root, who could write it anyway)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreWriteError(_os_message(path, "membaca penyimpanan", exc)) from exc
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        msg = (
            f"Berkas penyimpanan {path} bertanda hanya-baca, jadi tidak diubah. Bila memang boleh diubah, "
            f"buka izin tulisnya (misalnya chmod u+w {path.name}) lalu ulangi; data belum ditulis."
        )
        raise StoreWriteError(msg)


@contextlib.contextmanager
def _os_errors(path: Path, action: str) -> Iterator[None]:
    """Turn an OS error while writing ``path`` into a :class:`StoreError` with an Indonesian message."""
    try:
        yield
    except OSError as exc:
        raise StoreWriteError(_os_message(path, action, exc)) from exc


def _os_message(path: Path, action: str, exc: OSError) -> str:
    if exc.errno in _NO_SPACE:
        advice = (
            "Disk penuh. Kosongkan ruang di disk itu (misalnya hapus salinan versi lama yang tidak diperlukan di "
            f"{path.name}.versi/) lalu ulangi"
        )
    elif exc.errno in _NOT_WRITABLE:
        advice = (
            "Berkas atau foldernya tidak boleh ditulis (hanya-baca, terkunci atau tanpa izin). "
            "Minta pengelola server membuka izin tulisnya lalu ulangi"
        )
    else:
        advice = f"Galat sistem berkas: {exc.strerror or exc}. Periksa disk dan foldernya lalu ulangi"
    return f"Penyimpanan {path} gagal saat {action}. {advice}. Penyimpanan tidak berubah."
