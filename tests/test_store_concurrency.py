"""Writers at the same moment: two CLI processes and two threads import into one store, 20 times.

Before the write lock, two saves within a second emptied the store or lost a
change. Here every round starts four imports of different files together
(pustu and posyandu through ``cli.py`` in two processes; puskesmas and
reports through :func:`loaders.importing.run_import` in two threads), while a
reader keeps reading. After every round: each change survives (the round's
marked names are in the store), versions are unique and consecutive, every
logged version has its snapshot and nothing else has one, every snapshot is a
complete store, and the reader never saw an empty one.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from cli_support import PROJECT_DIR

from loaders.importing import run_import
from loaders.store import Store

ROUNDS = 20
KAB = "52.71"


def _marked(source: Path, target: Path, *, round_no: int) -> Path:
    """``source`` (a facility CSV) with the first facility's name marked by the round number."""
    table = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    name = next(column for column in table.columns if column.startswith("Nama"))
    table.loc[0, name] = f"{table.loc[0, name]} putaran {round_no}"
    table.to_csv(target, index=False)
    return target


def _cli(kind: str, path: Path, store: Store) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "cli.py", "import", kind, str(path), "--store", str(store.path)],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_and_two_threads_never_lose_a_change(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "ilp.gpkg")
    fasilitas = shared_data / "fasilitas"
    run_import("boundaries", shared_data / "boundaries" / f"desa_{KAB}.geojson", store=store)
    desa_count = len(store.read_desa())
    reports = fasilitas / f"laporan_posyandu_{KAB}.csv"
    puskesmas = fasilitas / f"puskesmas_{KAB}.csv"

    seen_empty: list[int] = []
    stop = threading.Event()

    def keep_reading() -> None:
        while not stop.is_set():
            if len(store.read_desa()) != desa_count:
                seen_empty.append(store.version())

    reader = threading.Thread(target=keep_reading)
    reader.start()
    errors: list[BaseException] = []
    try:
        for round_no in range(1, ROUNDS + 1):
            pustu = _marked(fasilitas / f"pustu_{KAB}.csv", tmp_path / f"pustu_{round_no}.csv", round_no=round_no)
            posyandu = _marked(
                fasilitas / f"posyandu_{KAB}.csv", tmp_path / f"posyandu_{round_no}.csv", round_no=round_no
            )
            start = threading.Barrier(2)

            def in_thread(kind: str, path: Path, barrier: threading.Barrier = start) -> None:
                barrier.wait()
                try:
                    run_import(kind, path, store=Store(store.path))
                except BaseException as exc:  # noqa: BLE001 - handed to the test thread and asserted empty
                    errors.append(exc)

            threads = [
                threading.Thread(target=in_thread, args=("facilities", puskesmas)),
                threading.Thread(target=in_thread, args=("reports", reports)),
            ]
            processes = [_cli("facilities", pustu, store), _cli("facilities", posyandu, store)]
            for thread in threads:
                thread.start()
            outputs = [process.communicate(timeout=300) for process in processes]
            for thread in threads:
                thread.join(timeout=300)
            assert errors == []
            for process, (stdout, stderr) in zip(processes, outputs, strict=True):
                assert process.returncode == 0, stderr
                assert "tersimpan sebagai versi data" in stdout

            # both facility changes of this round survived, next to the other kinds
            fac = store.read_fasilitas()
            names = set(fac["nama"])
            assert any(name.endswith(f"putaran {round_no}") for name in fac.loc[fac["jenis"] == "pustu", "nama"])
            assert any(name.endswith(f"putaran {round_no}") for name in fac.loc[fac["jenis"] == "posyandu", "nama"])
            assert not any(name.endswith(f"putaran {round_no - 1}") for name in names)
            assert (fac["jenis"] == "puskesmas").sum() > 0
            assert len(store.read_laporan()) > 0

            # versions: unique and consecutive; a snapshot for each, and only for those
            log = store.read_log()
            versions = log["versi"].astype(int).tolist()
            assert versions == list(range(1, 1 + 1 + 4 * round_no))
            assert store.snapshot_versions() == versions
    finally:
        stop.set()
        reader.join()
    assert seen_empty == []

    # every logged version is a complete store
    for version in store.snapshot_versions():
        snapshot = Store(store.snapshot_dir / f"v{version:05d}.gpkg")
        assert len(snapshot.read_desa()) == desa_count
        assert snapshot.read_log()["versi"].astype(int).tolist() == list(range(1, version + 1))
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert [p.name for p in store.snapshot_dir.iterdir() if not p.name.startswith("v")] == []
