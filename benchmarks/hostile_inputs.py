"""How fast and how lean every hostile file is refused, beside a good import of the same kind.

Each case of ``tests/hostile_geo.py`` and ``tests/hostile_tabular.py`` (the
generators the tests use; nothing hostile is stored) is written to a temporary
folder and imported with ``python cli.py import KIND FILE`` into a store that
already holds Kota Mataram. Printed per case: exit code, wall seconds and peak
RSS of the CLI process tree (``wait4``), and both as ratios against a good
import of Kota Mataram's own file of that kind measured in the same run (the
baseline). The issue's target is "refused within 10 s with peak RSS under 1 GB";
the tests assert the exit code, the message, the unchanged store and the
memory, never the time: the time is read here.

Usage (from the checkout's root, ``../shared/data`` beside it)::

    python -m benchmarks.hostile_inputs              # every case
    python -m benchmarks.hostile_inputs zip kml      # the cases whose name contains one of the words
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

from cli_support import run_cli, run_cli_measured  # noqa: E402

from loaders.limits import GIGABYTE  # noqa: E402

BASELINES = {
    "boundaries": "boundaries/desa_52.71.geojson",
    "facilities": "fasilitas/posyandu_52.71.csv",
    "reports": "fasilitas/laporan_posyandu_52.71.csv",
    "working-areas": "fasilitas/pustu_52.71.csv",  # no working-area file for 52.71: a table of the same size
}
BASELINE_KIND = {"working-areas": "facilities"}
RUNS = 3


def _cases() -> list[tuple[str, str, object, str]]:
    import hostile_geo

    cases = list(hostile_geo.CASES)
    try:
        import hostile_tabular
    except ImportError:
        return cases
    return cases + list(hostile_tabular.CASES)


def _fresh_store(folder: Path) -> Path:
    store = folder / "store" / "ilp.gpkg"
    result = run_cli("import", "boundaries", str(SHARED_DATA / BASELINES["boundaries"]), "--store", str(store))
    if result.returncode != 0:
        raise SystemExit(f"could not build the base store: {result.stderr}")
    return store


def _measure(kind: str, path: Path, store: Path, folder: Path) -> tuple[int, float, float]:
    """Median seconds and peak RSS over RUNS imports into a copy of ``store`` (the store stays as built)."""
    seconds, peaks, code = [], [], 0
    for run in range(RUNS):
        copy = folder / f"copy{run}" / "ilp.gpkg"
        copy.parent.mkdir(parents=True)
        shutil.copyfile(store, copy)
        result = run_cli_measured("import", kind, str(path), "--store", str(copy), timeout=300)
        seconds.append(result.seconds)
        peaks.append(result.peak_rss_bytes)
        code = result.returncode
        shutil.rmtree(copy.parent)
    return code, statistics.median(seconds), max(peaks)


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a hostile case was not refused with exit code 2."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", nargs="*", help="only the cases whose name contains one of these words")
    args = parser.parse_args(argv)
    if not SHARED_DATA.is_dir():
        raise SystemExit(f"{SHARED_DATA} is absent: put ../shared beside the checkout")
    cases = [case for case in _cases() if not args.words or any(word in case[0] for word in args.words)]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="ilp_bench_hostile_") as tmp:
        folder = Path(tmp)
        store = _fresh_store(folder)
        baselines: dict[str, tuple[float, float]] = {}
        for kind in sorted({case[1] for case in cases}):
            source = SHARED_DATA / BASELINES[kind]
            code, seconds, peak = _measure(BASELINE_KIND.get(kind, kind), source, store, folder)
            baselines[kind] = (seconds, peak)
            print(f"baseline {kind:<14} {source.name:<32} exit {code}  {seconds:6.2f} s  {peak / 2**20:7.0f} MB")
        print()
        print(f"{'case':<32} {'kind':<13} exit {'seconds':>8} {'x base':>7} {'peak MB':>8} {'x base':>7}  file")
        for name, kind, make, _fragment in cases:
            case_dir = folder / name
            case_dir.mkdir()
            path = make(case_dir)  # type: ignore[operator]
            size = path.stat().st_size
            code, seconds, peak = _measure(kind, path, store, folder)
            base_s, base_peak = baselines[kind]
            failures += code != 2
            print(
                f"{name:<32} {kind:<13} {code:>4} {seconds:8.2f} {seconds / base_s:7.2f} {peak / 2**20:8.0f} "
                f"{peak / base_peak:7.2f}  {size / 2**20:,.1f} MB"
            )
            shutil.rmtree(case_dir)
        print(f"\ntarget: refused (exit 2) within 10 s, peak RSS under {GIGABYTE / 2**30:.0f} GiB; medians of {RUNS}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
