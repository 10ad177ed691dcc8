"""Upload folders are deleted when their session ends and, after a crash, when a server starts (ui/upload_folder.py)."""

from __future__ import annotations

import gc
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from page_support import DATA_PAGE, assert_no_exception, run_page, tiny_store

from ui import upload_folder
from ui.upload_folder import PREFIX, UploadFolder, folder_prefix, owner_pid, pid_alive, sweep_orphans


@pytest.fixture
def tmp_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``tempfile`` (and so every upload folder) points at a fresh folder."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    assert not pid_alive(proc.pid)
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The id of a running process (not this one)."""
    proc = subprocess.Popen(["sleep", "60"])
    yield proc.pid
    proc.kill()
    proc.wait()


@pytest.mark.parametrize(
    ("name", "pid"),
    [
        ("ilp_impor_4321_ab3k_9zq", 4321),
        ("ilp_impor_1_x", 1),
        ("ilp_impor_k2j4h5g_", None),  # before the pid was in the name
        ("ilp_impor_", None),
        ("ilp_impor_12/../x", None),
        ("lain_4321_x", None),
    ],
)
def test_owner_pid(name: str, pid: int | None) -> None:
    assert owner_pid(name) == pid


def test_folder_prefix_names_this_process() -> None:
    assert folder_prefix() == f"{PREFIX}{os.getpid()}_"
    assert owner_pid(folder_prefix() + "abcdefgh") == os.getpid()


def test_sweep_deletes_only_folders_of_gone_processes(tmp_path: Path, dead_pid: int, live_pid: int) -> None:
    dead = tmp_path / f"{PREFIX}{dead_pid}_abc12345"
    (dead / "sub").mkdir(parents=True)
    (dead / "sub" / "laporan.csv").write_text("a,b\n")
    legacy = tmp_path / f"{PREFIX}k2j4h5g_"
    legacy.mkdir()
    (legacy / "batas.geojson").write_text("{}")
    own = tmp_path / f"{folder_prefix()}own12345"
    own.mkdir()
    live = tmp_path / f"{PREFIX}{live_pid}_live1234"
    live.mkdir()
    other = tmp_path / "lain_folder"
    other.mkdir()
    a_file = tmp_path / f"{PREFIX}{dead_pid}_berkas"
    a_file.write_text("x")
    target = tmp_path / "target"
    (target / "isi").mkdir(parents=True)
    link = tmp_path / f"{PREFIX}{dead_pid}_tautan"
    link.symlink_to(target, target_is_directory=True)

    removed = sweep_orphans(tmp_path)

    assert sorted(removed) == sorted([dead, legacy])
    assert not dead.exists() and not legacy.exists()
    assert own.is_dir() and live.is_dir() and other.is_dir() and a_file.is_file()
    assert link.is_symlink() and (target / "isi").is_dir()  # never followed
    assert sweep_orphans(tmp_path) == []  # nothing left to do


def test_sweep_of_a_missing_root_is_empty(tmp_path: Path) -> None:
    assert sweep_orphans(tmp_path / "tidak_ada") == []


def test_upload_folder_finalizer(tmp_root: Path) -> None:
    holder = UploadFolder()
    path = holder.path
    assert path.parent == tmp_root and path.name.startswith(folder_prefix())
    (path / "x.csv").write_text("a\n")
    assert holder.alive
    del holder
    gc.collect()
    assert not path.exists()
    explicit = UploadFolder()
    explicit.cleanup()
    assert not explicit.path.exists() and not explicit.alive
    explicit.cleanup()  # twice is harmless


def test_session_upload_folder_goes_with_the_session(
    tmp_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = tiny_store(tmp_path / "store" / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DATA_PAGE)
    at.segmented_control(key="ilp_w_impor_jenis").set_value("reports").run()
    at.file_uploader[0].set_value(("laporan.csv", b"kode_posyandu,bulan,buka\nPSY-A,2026-11,ya\n", "text/csv")).run()
    assert_no_exception(at)
    folders = [p for p in tmp_root.iterdir() if p.name.startswith(folder_prefix())]
    assert len(folders) == 1
    saved = list(folders[0].rglob("laporan.csv"))
    assert len(saved) == 1 and saved[0].read_bytes().startswith(b"kode_posyandu")
    assert isinstance(at.session_state[upload_folder.K_FOLDER], UploadFolder)
    del at  # the session ends: its state is dropped
    gc.collect()
    assert not folders[0].exists()


def test_first_run_of_a_server_sweeps(
    tmp_root: Path, dead_pid: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    orphan = tmp_root / f"{PREFIX}{dead_pid}_orphan12"
    orphan.mkdir()
    (orphan / "laporan.csv").write_text("a\n")
    monkeypatch.setenv("ILP_STORE", str(tiny_store(tmp_path / "store" / "ilp.gpkg").path))
    upload_folder.sweep_once.cache_clear()  # as in a new server process
    try:
        run_page(DATA_PAGE)
        assert not orphan.exists()
        orphan.mkdir()  # a later folder of a dead process waits for the next server start
        run_page(DATA_PAGE)
        assert orphan.is_dir()
    finally:
        upload_folder.sweep_once.cache_clear()
