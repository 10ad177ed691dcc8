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
