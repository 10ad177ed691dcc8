"""The five reference districts of ``../shared/data`` for the benchmarks.

Which files each district has, and in which order they are imported, come from
``tests/reference_districts.py`` (the tests' one list); this module puts
``tests/`` on ``sys.path`` for it and parses the benchmarks' common arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"
for _folder in (str(PROJECT_DIR / "tests"), str(PROJECT_DIR)):
    if _folder not in sys.path:
        sys.path.insert(0, _folder)

from reference_districts import DISTRICTS, district_files  # noqa: E402

__all__ = ["DISTRICTS", "SHARED_DATA", "district_arguments", "district_files"]


def district_arguments(argv: list[str] | None, *, description: str, repeat: int) -> argparse.Namespace:
    """``districts`` (default all five) and ``--repeat``; exits 1 when ``../shared/data`` is absent."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("districts", nargs="*", default=list(DISTRICTS), help="district codes (default: all five)")
    parser.add_argument("--repeat", type=int, default=repeat, help=f"calls per measurement (median), default {repeat}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.districts) - set(DISTRICTS))
    if unknown:
        parser.error(f"unknown district(s) {', '.join(unknown)}; known: {', '.join(DISTRICTS)}")
    if not SHARED_DATA.is_dir():
        parser.exit(1, f"Data acuan tidak ada: {SHARED_DATA} (letakkan shared/ di samping checkout).\n")
    return args
