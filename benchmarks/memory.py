"""Memory probes for the benchmark workers (Linux ``/proc``): resident size and its peak, and resetting the peak."""

from __future__ import annotations

import re
from pathlib import Path


def status_kb(field: str) -> int | None:
    """A ``/proc/self/status`` field in kB, e.g. ``VmRSS`` or ``VmHWM`` (None off Linux)."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", text, flags=re.MULTILINE)
    return int(found.group(1)) if found else None


def reset_peak() -> bool:
    """Reset the process's peak RSS (VmHWM) to its current RSS; False when not possible (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return status_kb("VmHWM") is not None
