"""Imports read in a child process: the project's errors come back as they are, runaway readers become messages."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from loaders.exceptions import ImportCrashError, InputError
from loaders.isolation import run_limited
from loaders.limits import MEGABYTE


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


def test_result_and_keyword_arguments_come_back() -> None:
    assert run_limited(_double, 20, extra=2) == 42


def test_project_error_is_raised_unchanged() -> None:
    with pytest.raises(InputError, match=r"^Berkas data\.csv ditolak\.$"):
        run_limited(_refuse, "data.csv")


def test_memory_limit_is_a_message() -> None:
    with pytest.raises(ImportCrashError, match=r"memerlukan lebih dari 0,2 GB memori \(batas memori impor\)"):
        run_limited(_hog, 600, memory_bytes=200 * MEGABYTE, what="bom.xlsx")


def test_time_limit_is_a_message() -> None:
    with pytest.raises(ImportCrashError, match=r"Pemeriksaan lambat\.csv dihentikan setelah 1 detik"):
        run_limited(_sleep, 30, seconds=1, what="lambat.csv")


def test_a_child_killed_from_outside_is_a_message() -> None:
    with pytest.raises(ImportCrashError, match="batas memori impor"):
        run_limited(_die)


def test_a_defect_names_its_type() -> None:
    with pytest.raises(ImportCrashError, match=r"galat internal \(ZeroDivisionError: bagi nol\)"):
        run_limited(_defect)


def test_threaded_caller_uses_the_fork_server() -> None:
    """The Streamlit server has many threads: the child then comes from a clean fork server."""
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert threading.active_count() > 1
        assert run_limited(_double, 5) == 10
        with pytest.raises(InputError, match="ditolak"):
            run_limited(_refuse, "x.csv")
    finally:
        stop.set()
        helper.join()
