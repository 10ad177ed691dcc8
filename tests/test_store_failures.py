"""A store that cannot be written: a message, exit 2, an unchanged store, nothing left behind.

A nearly full file system (a small tmpfs, mounted by the test when it runs as
root, as CI does), a read-only file system, a store file marked read-only,
and an immutable store file (``chattr +i``). After each failure the next
import works and numbers its version as if the failure never happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import run_cli, store_state

from loaders.store import Store

KAB = "52.71"


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@contextlib.contextmanager
def _tmpfs(folder: Path, *, size_kb: int) -> Iterator[Path]:
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mounted = _run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)])
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _run(["umount", "-l", str(folder)])


def _import(kind: str, path: Path, store: Store) -> subprocess.CompletedProcess[str]:
    return run_cli("import", kind, str(path), "--store", str(store.path))


def _fill(folder: Path, *, leave_kb: int) -> Path:
    """Fill the file system of ``folder`` up to ``leave_kb`` KB free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "pengisi.bin"
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - leave_kb * 1024))
    return filler


def _no_leftovers(store: Store) -> None:
    names = [p.name for p in store.path.parent.iterdir()] + [p.name for p in store.snapshot_dir.iterdir()]
    assert [n for n in names if ".tmp-" in n or ".partial" in n] == []


@pytest.mark.parametrize(
    ("leave_kb", "kind", "source"),
    [
        (40, "facilities", f"posyandu_{KAB}.csv"),  # refused before anything is written
        (420, "facilities", f"posyandu_{KAB}.csv"),
        (1500, "reports", "laporan_posyandu_32.06.csv"),  # room for the copies, not for 60,000 report rows
    ],
)
def test_full_disk_is_a_message_and_the_next_import_works(
    shared_data: Path, tmp_path: Path, leave_kb: int, kind: str, source: str
) -> None:
    with _tmpfs(tmp_path / "disk", size_kb=8192) as disk:
        store = Store(disk / "ilp.gpkg")
        assert _import("boundaries", shared_data / "boundaries" / f"desa_{KAB}.geojson", store).returncode == 0
        filler = _fill(disk, leave_kb=leave_kb)
        before = store_state(store)

        result = _import(kind, shared_data / "fasilitas" / source, store)

        assert result.returncode == 2, result.stderr
        assert "Disk penuh" in result.stderr
        assert "Penyimpanan tidak berubah" in result.stderr
        assert "Traceback" not in result.stderr
        assert store_state(store) == before
        _no_leftovers(store)

        filler.unlink()
        again = _import(kind, shared_data / "fasilitas" / source, store)
        assert again.returncode == 0, again.stderr
        assert "tersimpan sebagai versi data 2" in again.stdout
        assert store.snapshot_versions() == [1, 2]
        _no_leftovers(store)


def test_read_only_file_system_is_a_message(shared_data: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", size_kb=4096) as disk:
        store = Store(disk / "ilp.gpkg")
        assert _import("boundaries", shared_data / "boundaries" / f"desa_{KAB}.geojson", store).returncode == 0
        before = store_state(store)
        assert _run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
        try:
            result = _import("facilities", shared_data / "fasilitas" / f"pustu_{KAB}.csv", store)
        finally:
            _run(["mount", "-o", "remount,rw", str(disk)])
        assert result.returncode == 2, result.stderr
        assert "tidak boleh ditulis" in result.stderr
        assert "Traceback" not in result.stderr
        assert store_state(store) == before
        again = _import("facilities", shared_data / "fasilitas" / f"pustu_{KAB}.csv", store)
        assert again.returncode == 0, again.stderr
        assert "tersimpan sebagai versi data 2" in again.stdout


def test_read_only_store_file_is_honoured(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "ilp.gpkg")
    assert _import("boundaries", shared_data / "boundaries" / f"desa_{KAB}.geojson", store).returncode == 0
    store.path.chmod(0o444)
    before = store_state(store)

    result = _import("facilities", shared_data / "fasilitas" / f"pustu_{KAB}.csv", store)

    assert result.returncode == 2, result.stderr
    assert "bertanda hanya-baca" in result.stderr
    assert "chmod u+w ilp.gpkg" in result.stderr
    assert store_state(store) == before
    store.path.chmod(0o644)
    assert _import("facilities", shared_data / "fasilitas" / f"pustu_{KAB}.csv", store).returncode == 0
    assert store.version() == 2


def test_immutable_store_file_leaves_no_snapshot_of_an_unlogged_version(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "ilp.gpkg")
    assert _import("boundaries", shared_data / "boundaries" / f"desa_{KAB}.geojson", store).returncode == 0
    if _run(["chattr", "+i", str(store.path)]).returncode != 0:
        pytest.skip("chattr +i is not available here (needs root and a file system that supports it)")
    try:
        before = store_state(store)
        result = _import("facilities", shared_data / "fasilitas" / f"pustu_{KAB}.csv", store)
        after = store_state(store)
    finally:
        _run(["chattr", "-i", str(store.path)])
    assert result.returncode == 2, result.stderr
    assert "tidak boleh ditulis" in result.stderr
    assert after == before
    assert store.snapshot_versions() == [1]  # no v00002 for a version the log does not have
    _no_leftovers(store)

    restore = run_cli("restore", "2", "--store", str(store.path))
    assert restore.returncode == 2
    assert "Versi 2 tidak ditemukan" in restore.stderr
    again = _import("facilities", shared_data / "fasilitas" / f"pustu_{KAB}.csv", store)
    assert again.returncode == 0, again.stderr
    assert "tersimpan sebagai versi data 2" in again.stdout
