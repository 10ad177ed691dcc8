"""An import killed halfway (SIGKILL) leaves the store exactly as it was.

The real boundary importer runs through the CLI in a subprocess whose store
writes are slowed down by the test itself (:data:`SLOW_CLI` wraps
``loaders.store._write_layer`` with a pause after each layer; production code
has no hook for it), so the kill lands while the staging copy
``.<stem>.tmp-<pid>-<token>.gpkg`` is half written.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from cli_support import PROJECT_DIR, run_cli

from loaders.store import Store, file_sha256

DEMO = PROJECT_DIR / "data" / "demo.gpkg"

pytest.importorskip("loaders.boundaries", reason="loaders.boundaries (the boundary importer) is not written yet")


def _boundary_file(path: Path, *, kecamatan: int) -> Path:
    """A GeoJSON of the demo's desa in the first ``kecamatan`` kecamatan."""
    desa = Store(DEMO).read_desa()
    subset = desa[desa["kode_kecamatan"] <= f"99.01.{kecamatan:02d}"]
    pyogrio.write_dataframe(subset, path, driver="GeoJSON")
    return path


# The CLI with a 5 s pause after every layer written by a commit (the fault is injected here, in the test).
SLOW_CLI = """
import sys, time
import loaders.store as store
real_write = store._write_layer
def slow_write(*args, **kwargs):
    real_write(*args, **kwargs)
    time.sleep(5)
store._write_layer = slow_write
import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def _wait_for(pattern: str, folder: Path, *, process: subprocess.Popen[str], timeout: float = 60.0) -> Path:
    deadline = time.monotonic() + timeout
    while not (found := sorted(folder.glob(pattern))):
        if process.poll() is not None:
            pytest.fail(f"the import ended (exit {process.returncode}) before its staging file appeared")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{pattern} did not appear within {timeout} s")
        time.sleep(0.02)
    return found[0]


def test_killed_import_leaves_store_intact_and_restore_works(tmp_path: Path) -> None:
    store = Store(tmp_path / "ilp.gpkg")
    small = _boundary_file(tmp_path / "batas_kecil.geojson", kecamatan=3)
    full = _boundary_file(tmp_path / "batas_lengkap.geojson", kecamatan=15)

    first = run_cli("import", "boundaries", str(small), "--store", str(store.path))
    assert first.returncode == 0, first.stderr
    assert store.version() == 1
    version_1 = store.read_desa()
    assert version_1["kode_kecamatan"].nunique() == 3
    sha_before = file_sha256(store.path)

    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLI, "import", "boundaries", str(full), "--store", str(store.path)],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    staging = _wait_for(f".{store.path.stem}.tmp-{process.pid}-*.gpkg", store.path.parent, process=process)
    time.sleep(1.0)  # inside the 5 s pause after the first layer write
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert staging.exists()  # the half-written copy is left behind, beside the store
    assert file_sha256(store.path) == sha_before
    assert store.version() == 1
    pd.testing.assert_frame_equal(store.read_desa().drop(columns="geometry"), version_1.drop(columns="geometry"))
    assert store.read_desa().geometry.equals(version_1.geometry)
    assert sorted(p.name for p in store.snapshot_dir.iterdir()) == ["v00001.gpkg"]

    second = run_cli("import", "boundaries", str(full), "--store", str(store.path))
    assert second.returncode == 0, second.stderr
    assert "tersimpan sebagai versi data 2" in second.stdout
    assert not staging.exists()  # the dead process's leftover is cleaned up
    assert len(store.read_desa()) == 200

    restored = run_cli("restore", "1", "--store", str(store.path))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == "Versi 1 dipulihkan sebagai versi data 3."
    pd.testing.assert_frame_equal(store.read_desa().drop(columns="geometry"), version_1.drop(columns="geometry"))
    assert store.read_desa().geometry.equals(version_1.geometry)
    assert store.read_log()["jenis_impor"].tolist() == ["batas", "batas", "pulihkan"]
