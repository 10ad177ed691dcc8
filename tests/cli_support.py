"""Running ``cli.py`` in a subprocess and fingerprinting a store, for the CLI and bad-input tests (not a test module)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from loaders.store import Store

PROJECT_DIR = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python cli.py *args`` from the checkout's root; text output captured, never raises on exit code."""
    return subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )


def store_state(store: Store) -> tuple[bytes, int, list[str], list[str]]:
    """Everything a refused import must leave unchanged.

    The store file's bytes, its data version, the names in its snapshot folder
    and the names in the folder holding it (no staging file left behind).
    """
    return (
        store.path.read_bytes(),
        store.version(),
        sorted(p.name for p in store.snapshot_dir.iterdir()),
        sorted(p.name for p in store.path.parent.iterdir()),
    )


class MeasuredRun(subprocess.CompletedProcess):  # type: ignore[type-arg]
    """A finished ``cli.py`` run with its wall time and the peak resident memory of its process tree."""

    seconds: float
    peak_rss_bytes: int


def run_cli_measured(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> MeasuredRun:
    """Run ``python cli.py *args`` like :func:`run_cli`, and measure it.

    The peak RSS comes from ``wait4`` of the CLI process, which on Linux is the
    largest of the process and its waited-for children (the import child).
    """
    import os
    import tempfile
    import time

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "cli.py", *args], cwd=PROJECT_DIR, stdout=out, stderr=err, env=env)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = MeasuredRun(proc.args, proc.returncode, out.read().decode(), err.read().decode())
    result.seconds = seconds
    result.peak_rss_bytes = usage.ru_maxrss * 1024
    return result
