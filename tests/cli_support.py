"""Running ``cli.py`` in a subprocess and fingerprinting a store (CLI and bad-input tests; not a test module)."""

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


# A lean launcher: a fresh interpreter starts the CLI and writes "exit-code peak-rss-kb" to a file. A child
# forked straight from a large test process starts with that process's resident pages counted in its peak.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_cli_measured(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> MeasuredRun:
    """Run ``python cli.py *args`` like :func:`run_cli`, and measure its wall time and peak RSS.

    The peak RSS is ``wait4``'s for the CLI process, which on Linux is the
    largest of the process and its waited-for children (the import child),
    measured from a lean launcher so the caller's own memory does not count.
    """
    import os
    import signal
    import tempfile
    import time

    command = [sys.executable, "cli.py", *args]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "rusage.txt"
        started = time.perf_counter()
        launcher = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), *command],
            cwd=PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            stdout, stderr = launcher.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
            stdout, stderr = launcher.communicate()
        seconds = time.perf_counter() - started
        code, peak_kb = report.read_text().split() if report.exists() else ("-9", "0")
    result = MeasuredRun(command, int(code), stdout.decode(), stderr.decode())
    result.seconds = seconds
    result.peak_rss_bytes = int(peak_kb) * 1024
    return result
