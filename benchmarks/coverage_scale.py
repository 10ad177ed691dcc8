"""Coverage engine at national scale: full recompute vs. a floor, memory, one kabupaten.

Run from the checkout's root::

    python -m benchmarks.coverage_scale                 # national size (83,000 desa, 3.6 M reports)
    python -m benchmarks.coverage_scale --scale 0.1     # quick run
    python -m benchmarks.coverage_scale --profile       # + cProfile of the full recompute

The dataset comes from :mod:`benchmarks.national_data` (synthetic, seeded) and
is cached as Parquet in ``benchmarks/out/`` (git-ignored). Every measured step
runs in a fresh Python process (``subprocess``) that loads the cached data,
then measures the step alone:

- time: ``time.perf_counter`` around the step;
- memory: the process's peak resident set size *during the step*, read as
  ``VmHWM`` from ``/proc/self/status`` after resetting the high-water mark
  (``echo 5 > /proc/self/clear_refs``, Linux >= 4.0) right before the step.
  It includes the loaded dataset (which a dashboard process holds too); the
  table also shows the dataset's own RSS and the increment. Where the reset is
  not possible the lifetime ``ru_maxrss`` of the process is shown instead
  (then including the data loading).

Steps: the *floor* (one STRtree spatial join of every facility point to the
desa polygons + one group-by of the report rows: months open per posyandu in
the 12-month window), the *full* recompute (``Coverage(Dataset(...),
rules=Rules())`` + ``desa_table(latest month)``) and the *kabupaten*
recompute (the same on one kabupaten's desa, facilities and reports; timed
warm, after one untimed call, as in a running dashboard). Targets: full/floor
<= 2.0, peak memory < 4 GB, kabupaten < 0.2 s. Nothing is asserted; the run
prints a table and one verdict per target.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

ROOT: Final = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: python benchmarks/coverage_scale.py
    sys.path.insert(0, str(ROOT))

from benchmarks import national_data as nd  # noqa: E402
from benchmarks.memory import reset_peak, status_kb  # noqa: E402

OUT: Final = ROOT / "benchmarks" / "out"
TARGET_RATIO: Final = 2.0
TARGET_MEMORY_GB: Final = 4.0
TARGET_KABUPATEN_S: Final = 0.2
WORKER_TIMEOUT_S: Final = 3600
GB: Final = 1024**3
NATIONAL_KEYS: Final = ("full", "full_month", "full_indicators", "full_facilities", "full_quality")
STEPS: Final = ("floor", "full", "kabupaten", "profile-full", "profile-kabupaten")


# -- memory probes (inside the worker) -------------------------------------------
def _maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


@dataclass
class Probe:
    """Time and peak memory of one measured step."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_bytes: int = 0
    base_bytes: int = 0
    method: str = ""


def measure(step: Callable[[], object]) -> tuple[Probe, object]:
    """Run ``step`` once; return its time, peak RSS (see module doc) and result."""
    import gc

    gc.collect()
    base = (status_kb("VmRSS") or 0) * 1024
    resettable = reset_peak()
    start, cpu_start = time.perf_counter(), time.process_time()
    result = step()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if resettable:
        peak, method = (status_kb("VmHWM") or 0) * 1024, "VmHWM (reset before the step)"
    else:
        peak, method = _maxrss_bytes(), "ru_maxrss (whole process, includes loading)"
    return Probe(seconds=seconds, cpu_seconds=cpu, peak_bytes=peak, base_bytes=base, method=method), result


# -- the measured steps (inside the worker) ----------------------------------------
def floor(data: nd.NationalData, month: str) -> tuple[np.ndarray, object]:
    """One spatial join of all facility points to the desa + one group-by of the reports.

    Returns the desa position of every facility (-1: none or no point) and the
    number of months open per posyandu in the 12 months ending at ``month``.
    """
    import shapely

    polygons = np.asarray(data.desa.geometry.values, dtype=object)
    points = np.asarray(data.fasilitas.geometry.values, dtype=object)
    has_point = ~(shapely.is_missing(points) | shapely.is_empty(points))
    pairs = shapely.STRtree(polygons).query(points[has_point], predicate="intersects")
    _, first = np.unique(pairs[0], return_index=True)
    located = np.full(points.size, -1)
    located[np.flatnonzero(has_point)[pairs[0][first]]] = pairs[1][first]
    window = nd.months_ending(month, 12)
    lap = data.laporan
    in_window = (lap["bulan"] >= window[0]) & (lap["bulan"] <= window[-1])
    months_open = lap[in_window].groupby("kode_posyandu", sort=False)["buka"].sum()
    return located, months_open


def full_recompute(data: nd.NationalData, month: str | None = None) -> object:
    """``Coverage(Dataset(...), rules=Rules())`` + ``desa_table`` of ``month`` (default: the latest)."""
    from geo.engine import Coverage
    from geo.rules import Rules

    coverage = Coverage(data.to_dataset(), rules=Rules())
    coverage.desa_table(month or coverage.latest_month)
    return coverage


def _worker_floor(folder: Path, repeat: int) -> dict[str, object]:
    data = nd.load(folder)
    probe, _ = measure(lambda: floor(data, nd.BULAN_TERAKHIR))
    return {"floor": vars(probe)}


def _worker_full(folder: Path, repeat: int) -> dict[str, object]:
    data = nd.load(folder)
    import geo.engine  # noqa: F401  (import time is not part of the recompute)

    probe, coverage = measure(lambda: full_recompute(data))
    months = coverage.months
    other = months[-2] if len(months) > 1 else months[-1]
    month_probe, _ = measure(lambda: coverage.desa_table(other))
    ind_probe, _ = measure(lambda: coverage.indicators(coverage.latest_month, by="kabupaten"))
    fac_probe, _ = measure(lambda: coverage.facilities)  # may be built lazily on first access
    quality_probe, _ = measure(lambda: coverage.quality(coverage.latest_month))
    return {
        "full": vars(probe),
        "full_month": vars(month_probe),
        "full_indicators": vars(ind_probe),
        "full_facilities": vars(fac_probe),
        "full_quality": vars(quality_probe),
    }


def _worker_kabupaten(folder: Path, repeat: int) -> dict[str, object]:
    data = nd.load(folder)
    import geo.engine  # noqa: F401

    cold, coverage = measure(lambda: full_recompute(data))
    warm = [measure(lambda: full_recompute(data))[0] for _ in range(max(5, repeat))]
    coverage = full_recompute(data)
    earlier = coverage.months[-2::-1][: max(5, repeat)] or coverage.months  # months not asked yet
    per_month = [measure(lambda m=m: coverage.desa_table(m))[0] for m in earlier]
    return {
        "kab_cold": vars(cold),
        "kab_warm": [vars(p) for p in warm],
        "kab_month": [vars(p) for p in per_month],
        "kab_sizes": {"desa": len(data.desa), "fasilitas": len(data.fasilitas), "laporan": len(data.laporan)},
    }


def _worker_profile(folder: Path, repeat: int, *, warm: bool) -> dict[str, object]:
    import cProfile
    import pstats

    data = nd.load(folder)
    import geo.engine  # noqa: F401

    if warm:  # the kabupaten recompute is timed warm, so profile it warm too
        full_recompute(data)
    profiler = cProfile.Profile(time.process_time)  # CPU time: robust on a shared machine
    profiler.enable()
    full_recompute(data)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs()
    title = f"cProfile (process CPU time): Coverage() + desa_table on {folder.name}"
    print(f"\n== {title}, top by cumulative time ==", file=sys.stderr)
    stats.sort_stats("cumulative").print_stats(35)
    print("== top by own time ==", file=sys.stderr)
    stats.sort_stats("tottime").print_stats(15)
    return {}


WORKERS: Final[dict[str, Callable[[Path, int], dict[str, object]]]] = {
    "floor": _worker_floor,
    "full": _worker_full,
    "kabupaten": _worker_kabupaten,
    "profile-full": lambda folder, repeat: _worker_profile(folder, repeat, warm=False),
    "profile-kabupaten": lambda folder, repeat: _worker_profile(folder, repeat, warm=True),
}


def run_worker(step: str, folder: Path, *, repeat: int = 1) -> dict[str, object]:
    """Run one step in a fresh Python process and return what it measured.

    The worker prints one JSON line on stdout; its stderr (profiles, errors)
    passes through. A failed worker returns ``{"error": ...}``.
    """
    command = [sys.executable, "-m", "benchmarks.coverage_scale", "--worker", step, "--data", str(folder)]
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, timeout=WORKER_TIMEOUT_S, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": f"worker '{step}' failed (exit {done.returncode}); see its traceback above"}
    result: dict[str, object] = json.loads(lines[-1])
    return result


# -- the parent: data, runs, table ----------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    """Where the national and kabupaten data are, and how they were obtained."""

    national: Path
    kabupaten: Path
    kode_kabupaten: str
    note: str
    sizes: dict[str, int]


def prepare_data(spec: nd.NationalSpec, *, out: Path, regenerate: bool, kabupaten: str | None) -> Prepared:
    """Generate (or reuse) the cached national dataset and one kabupaten's subset."""
    folder = out / spec.key
    cached = nd.is_cached(folder)
    data: nd.NationalData | None = None
    if cached and not regenerate:
        note = f"cached copy {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}"
    else:
        start = time.perf_counter()
        data = nd.generate(spec)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        nd.save(data, folder)
        written = time.perf_counter() - start
        note = f"generated in {generated:.1f} s (+ {written:.1f} s writing Parquet to {folder.name})"
    if data is None:
        start = time.perf_counter()
        data = nd.load(folder)
        note += f", loaded in {time.perf_counter() - start:.1f} s"
    kode = kabupaten or _middle_kabupaten(data)
    if not (data.desa["kode_kabupaten"] == kode).any():
        msg = f"--kabupaten {kode}: no such kabupaten in the data (e.g. {_middle_kabupaten(data)})"
        raise SystemExit(msg)
    kab_folder = folder / f"kabupaten_{kode}"
    nd.save(nd.kabupaten_subset(data, kode), kab_folder)
    sizes = _sizes(data)
    return Prepared(national=folder, kabupaten=kab_folder, kode_kabupaten=kode, note=note, sizes=sizes)


def _middle_kabupaten(data: nd.NationalData) -> str:
    codes = data.desa["kode_kabupaten"].unique()
    return str(codes[len(codes) // 2])


def _sizes(data: nd.NationalData) -> dict[str, int]:
    import shapely

    jenis = data.fasilitas["jenis"].value_counts()
    vertices = shapely.get_num_coordinates(np.asarray(data.desa.geometry.values, dtype=object))
    return {
        "kabupaten": int(data.desa["kode_kabupaten"].nunique()),
        "kecamatan": int(data.desa["kode_kecamatan"].nunique()),
        "desa": len(data.desa),
        "vertices_mean": round(float(vertices.mean())),
        "puskesmas": int(jenis.get("puskesmas", 0)),
        "pustu": int(jenis.get("pustu", 0)),
        "posyandu": int(jenis.get("posyandu", 0)),
        "laporan": len(data.laporan),
        "wilayah_kerja": len(data.wilayah_kerja),
    }


def _collect(prepared: Prepared, *, repeat: int) -> dict[str, list[dict[str, object]] | dict[str, object]]:
    """Run the workers: floor and full ``repeat`` times each (interleaved), then the kabupaten."""
    floors: list[dict[str, object]] = []
    fulls: list[dict[str, object]] = []
    errors: list[str] = []
    for _ in range(repeat):
        for step, bucket in (("floor", floors), ("full", fulls)):
            result = run_worker(step, prepared.national)
            if "error" in result:
                errors.append(str(result["error"]))
            else:
                bucket.append(result)
    kab = run_worker("kabupaten", prepared.kabupaten, repeat=repeat)
    if "error" in kab:
        errors.append(str(kab["error"]))
    return {"floor": floors, "full": fulls, "kabupaten": kab, "errors": {"list": errors}}


def _fmt_gb(n: float) -> str:
    return f"{n / GB:.2f} GB"


def _row(
    label: str, seconds: list[float], cpu: list[float], peak: float | None = None, base: float | None = None
) -> str:
    if not seconds:
        return f"{label:<50} {'n/a':>9}"
    med, low, cpu_med = statistics.median(seconds), min(seconds), statistics.median(cpu)
    mem = f"{_fmt_gb(peak):>10} {_fmt_gb(peak - base):>11}" if peak is not None and base is not None else ""
    return f"{label:<50} {med:>9.3f} {low:>9.3f} {cpu_med:>9.3f} {len(seconds):>3}  {mem}"


def _probes(results: list[dict[str, object]], key: str) -> list[dict[str, float]]:
    out: list[dict[str, float]] = []
    for result in results:
        value = result.get(key)
        if isinstance(value, list):
            out += value
        elif isinstance(value, dict):
            out.append(value)
    return out


def report(spec: nd.NationalSpec, scale: float, prepared: Prepared, runs: dict) -> str:  # type: ignore[type-arg]
    """The printed table and verdicts."""
    s = prepared.sizes
    lines = [
        f"Peta ILP coverage benchmark: scale {scale:g}, seed {spec.seed}",
        f"  data: {s['kabupaten']} kabupaten, {s['kecamatan']:,} kecamatan, {s['desa']:,} desa "
        f"(mean {s['vertices_mean']} vertices), {s['puskesmas']:,} puskesmas, {s['pustu']:,} pustu, "
        f"{s['posyandu']:,} posyandu, {s['laporan']:,} report rows",
        f"  working areas: {_working_area_note(s['wilayah_kerja'])}",
        f"  {prepared.note}",
    ]
    floor_p = _probes(runs["floor"], "floor")
    full_p = _probes(runs["full"], "full")
    kab = runs["kabupaten"] if "error" not in runs["kabupaten"] else {}
    method = (floor_p or full_p or [{"method": "n/a"}])[0]["method"]
    lines.append(f"  memory: peak RSS of the fresh worker process during the step, {method}")
    header = f"{'step':<50} {'median s':>9} {'min s':>9} {'cpu s':>9} {'n':>3}  {'peak RSS':>10} {'+ over data':>11}"
    lines += ["", header, "-" * len(header)]

    def add(label: str, probes: list[dict[str, float]], *, memory: bool = True) -> None:
        secs = [p["seconds"] for p in probes]
        cpu = [p.get("cpu_seconds", float("nan")) for p in probes]
        peak = max((p["peak_bytes"] for p in probes), default=None) if memory else None
        base = min((p["base_bytes"] for p in probes), default=None) if memory else None
        lines.append(_row(label, secs, cpu, peak, base))

    add("floor: STRtree join + report group-by", floor_p)
    add("full: Coverage() + desa_table(latest)", full_p)
    add("  national desa_table(other month)", _probes(runs["full"], "full_month"))
    add("  national indicators(latest, by=kabupaten)", _probes(runs["full"], "full_indicators"))
    add("  national .facilities, first access", _probes(runs["full"], "full_facilities"))
    add("  national quality(latest), first call", _probes(runs["full"], "full_quality"))
    kab_label = f"kabupaten {prepared.kode_kabupaten}"
    add(f"{kab_label}: Coverage() + desa_table, warm", _probes([kab], "kab_warm"))
    add(f"{kab_label}: same, first call in the process", _probes([kab], "kab_cold"), memory=False)
    add(f"{kab_label}: desa_table(other month)", _probes([kab], "kab_month"), memory=False)
    if kab.get("kab_sizes"):
        k = kab["kab_sizes"]
        lines.append(f"  ({kab_label}: {k['desa']} desa, {k['fasilitas']} facilities, {k['laporan']:,} report rows)")
    lines.append("  (median s, min s: wall clock; cpu s: median process CPU time, all threads)")
    national = [p for key in NATIONAL_KEYS for p in _probes(runs["full"], key)]
    session_peak = max((p["peak_bytes"] for p in national), default=None)
    lines += ["", *_verdicts(floor_p, full_p, _probes([kab], "kab_warm"), session_peak=session_peak)]
    errors = runs["errors"]["list"]
    if errors:
        lines += ["", "errors:", *[f"  {e}" for e in errors]]
    return "\n".join(lines)


def _working_area_note(given: int) -> str:
    return f"given for {given:,} desa, the rest derived" if given else "none given: all derived by the engine"


def _verdicts(
    floor_p: list[dict[str, float]],
    full_p: list[dict[str, float]],
    kab_p: list[dict[str, float]],
    *,
    session_peak: float | None = None,
) -> list[str]:
    def verdict(label: str, ok: bool | None, figure: str) -> str:
        state = "n/a" if ok is None else ("MET" if ok else "NOT MET")
        return f"{label:<42} {state:<8} {figure}"

    out = ["targets:"]
    if floor_p and full_p:
        ratio = statistics.median(p["seconds"] for p in full_p) / statistics.median(p["seconds"] for p in floor_p)
        cpu_ratio = statistics.median(p.get("cpu_seconds", np.nan) for p in full_p) / statistics.median(
            p.get("cpu_seconds", np.nan) for p in floor_p
        )
        figure = f"ratio {ratio:.2f} (wall clock; CPU time ratio {cpu_ratio:.2f})"
        out.append(verdict(f"  full / floor <= {TARGET_RATIO:g}", ratio <= TARGET_RATIO, figure))
    else:
        out.append(verdict(f"  full / floor <= {TARGET_RATIO:g}", None, "not measured"))
    if full_p:
        peak = max(p["peak_bytes"] for p in full_p)
        ok = peak < TARGET_MEMORY_GB * GB
        figure = _fmt_gb(peak)
        if session_peak is not None:
            figure += f" (whole national worker incl. the calls after it: {_fmt_gb(session_peak)})"
        out.append(verdict(f"  full peak memory < {TARGET_MEMORY_GB:g} GB", ok, figure))
    else:
        out.append(verdict(f"  full peak memory < {TARGET_MEMORY_GB:g} GB", None, "not measured"))
    if kab_p:
        med = statistics.median(p["seconds"] for p in kab_p)
        ok = med < TARGET_KABUPATEN_S
        out.append(verdict(f"  kabupaten recompute < {TARGET_KABUPATEN_S:g} s", ok, f"{med:.3f} s (median, warm)"))
    else:
        out.append(verdict(f"  kabupaten recompute < {TARGET_KABUPATEN_S:g} s", None, "not measured"))
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size (default 1.0)")
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes per floor/full measurement (default 1)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generator (default 2026)")
    parser.add_argument("--wilayah-kerja", action="store_true", help="give working areas for 90%% of the kabupaten")
    parser.add_argument("--kabupaten", help="PP.KK of the kabupaten recompute (default: the middle one)")
    parser.add_argument("--regenerate", action="store_true", help="generate the data even when cached")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="full",
        choices=("full", "kabupaten"),
        help="also print a cProfile of the full (default) or kabupaten recompute",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="cache folder (default benchmarks/out)")
    parser.add_argument("--worker", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.scale > 0:
        parser.error("--scale must be more than 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with the hidden ``--worker``, one measured step)."""
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.data, args.repeat)), flush=True)
        return 0
    spec = nd.spec_for(args.scale, seed=args.seed, wilayah_kerja=args.wilayah_kerja)
    prepared = prepare_data(spec, out=args.out, regenerate=args.regenerate, kabupaten=args.kabupaten)
    runs = _collect(prepared, repeat=args.repeat)
    print(report(spec, args.scale, prepared, runs), flush=True)
    if args.profile:
        folder = prepared.national if args.profile == "full" else prepared.kabupaten
        run_worker(f"profile-{args.profile}", folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
