"""Imports read in a child process: the project's errors come back as they are, runaway readers become messages.

Every case runs twice: from a single-threaded caller (the CLI: a direct fork)
and from a caller with other threads running (the Streamlit server: a child of
``loaders.fork_server``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders import isolation
from loaders.exceptions import ImportCrashError, InputError
from loaders.isolation import run_limited
from loaders.limits import MEGABYTE

PROJECT_DIR = Path(__file__).resolve().parents[1]


def _double(value: int, *, extra: int = 0) -> int:
    return 2 * value + extra


def _refuse(name: str) -> None:
    msg = f"Berkas {name} ditolak."
    raise InputError(msg)


def _hog(megabytes: int) -> int:
    chunks = [bytearray(MEGABYTE) for _ in range(megabytes)]
    return len(chunks)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _defect() -> None:
    raise ZeroDivisionError("bagi nol")


@pytest.fixture(params=["single-threaded", "threaded"])
def caller(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Take the direct-fork path (the CLI) or the fork-server path (the Streamlit server, with other threads).

    In a full test run other tests leave threads behind, so the direct-fork path
    is chosen here explicitly rather than by counting threads.
    """
    if request.param == "single-threaded":
        monkeypatch.setattr(isolation, "_single_threaded", lambda: True)
        yield request.param
        return
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        yield request.param
    finally:
        stop.set()
        helper.join()


def test_result_and_keyword_arguments_come_back(caller: str) -> None:
    assert run_limited(_double, 20, extra=2) == 42


def test_project_error_is_raised_unchanged(caller: str) -> None:
    with pytest.raises(InputError, match=r"^Berkas data\.csv ditolak\.$"):
        run_limited(_refuse, "data.csv")


def test_memory_limit_is_a_message(caller: str) -> None:
    with pytest.raises(ImportCrashError, match=r"memerlukan lebih dari 0,2 GB memori \(batas memori impor\)"):
        run_limited(_hog, 600, memory_bytes=200 * MEGABYTE, what="bom.xlsx")


def test_time_limit_is_a_message(caller: str) -> None:
    with pytest.raises(ImportCrashError, match=r"Pemeriksaan lambat\.csv dihentikan setelah 1 detik"):
        run_limited(_sleep, 30, seconds=1, what="lambat.csv")


def test_a_child_killed_from_outside_is_a_message(caller: str) -> None:
    with pytest.raises(ImportCrashError, match="batas memori impor"):
        run_limited(_die)


def test_a_defect_names_its_type(caller: str) -> None:
    with pytest.raises(ImportCrashError, match=r"galat internal \(ZeroDivisionError: bagi nol\)"):
        run_limited(_defect)


# Like Streamlit, whose __main__ is the app script: a threaded caller whose main module must never run again.
UNGUARDED_MAIN = """
import sys, threading
print("main module ran", flush=True)
from pathlib import Path
from loaders.importing import prepare_import
from loaders.store import Store
stop = threading.Event()
threading.Thread(target=stop.wait).start()
prepared = prepare_import("facilities", Path(sys.argv[1]), store=Store(sys.argv[2]), isolated=True)
print("pustu", prepared.report.diterima, flush=True)
stop.set()
"""


def test_fork_server_child_does_not_rerun_the_main_module(tmp_path: Path) -> None:
    script = tmp_path / "app_like.py"
    script.write_text(UNGUARDED_MAIN, encoding="utf-8")
    csv = tmp_path / "pustu.csv"
    csv.write_text("Nama Pustu,Kode Desa,Latitude,Longitude\nPustu A,99.01.01.2001,-7.69,108.00\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    result = subprocess.run(
        [sys.executable, str(script), str(csv), str(tmp_path / "ilp.gpkg")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["main module ran", "pustu 1"]
