"""Map payload and server rerun time of the dashboard at three levels, beside a naive folium map.

Run from the checkout's root, with ``../shared/data`` beside it::

    python -m benchmarks.map_scale                                  # kabupaten + provinsi, --repeat 5
    python -m benchmarks.map_scale --levels kabupaten,provinsi,nasional --repeat 3
    python -m benchmarks.map_scale --levels nasional --timeout 1800
    python -m benchmarks.map_scale --app /tmp/main_at_commit_x      # measure another checkout's app

Levels (each measured in a fresh Python process, the ``--worker`` mode of this module, so the
``st.cache_*`` of one level never helps another and the peak memory is the level's own):

- ``kabupaten``: Kabupaten Tasikmalaya (32.06, 351 desa), every reference file of ``../shared/data``
  imported into a temporary store with the real importers.
- ``provinsi``: Jawa Barat, ``desa_prov_32.parquet`` (5,957 desa) imported with the boundary importer;
  facilities and reports from :mod:`benchmarks.national_data` laid onto the real desa (see
  :func:`facilities_on_real_desa`).
- ``nasional``: ``desa_indonesia.parquet`` (82,802 desa) committed with ``model.conform`` +
  ``Store.commit`` (the boundary importer would take minutes), facilities and reports as for
  ``provinsi``. Bounded by ``--timeout`` seconds; what it could not measure is printed.

Per level and page (Ringkasan: the overview map; Peta Kesenjangan: the gap map with facilities), in
``streamlit.testing.v1.AppTest`` with ``ILP_STORE`` pointing at the level's store:

- **payload**: bytes of the ``json_args`` of the ``streamlit_folium.st_folium`` component instance the
  server sends to the browser on that run (script, header, html, defaults: everything the page view
  carries for the map; Streamlit re-sends it on every rerun);
- **rerun, nothing changed**: median of ``--repeat`` ``at.run()`` without any change;
- **rerun after a filter change**: median of ``--repeat`` ``at.run()`` after choosing another month
  in the sidebar (a month not asked before, while there are any: the engine's caches do not help);
- **cold start**: the first ``at.run()`` of the app and the first run of the page (AppTest, server side).

The naive baseline, built in the same process from the same store: ``Store.read_desa()`` (every
column, raw geometry, read once and not timed), then ``folium.GeoJson(gdf.to_json())`` on a plain
``folium.Map`` serialised exactly as ``st_folium`` serialises it (the component call is captured, not
sent); its time (median of ``--repeat``) and ``json_args`` size. Ratios are ``baseline / app``: above
1 the app is smaller or faster than the naive map, below 1 it is larger or slower. Issue 9's targets
are printed beside the figures; nothing is asserted.

Browser-side figures (filter change until the map is redrawn, cold start to the first drawn map) are
not measured by this module; they are listed as not measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from benchmarks.memory import reset_peak, status_kb
from benchmarks.timing import median_time

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
SHARED_DATA: Final = PROJECT_DIR.parent / "shared" / "data"
BOUNDARIES: Final = SHARED_DATA / "boundaries"
LEVELS: Final = ("kabupaten", "provinsi", "nasional")
DEFAULT_LEVELS: Final = ("kabupaten", "provinsi")
KABUPATEN: Final = "32.06"
SOURCES: Final = {"provinsi": "desa_prov_32.parquet", "nasional": "desa_indonesia.parquet"}
PAGES: Final = {"ringkasan": None, "peta": "pages/peta.py"}  # None: the page app.py opens
PAGE_LABELS: Final = {"ringkasan": "Ringkasan (overview)", "peta": "Peta Kesenjangan (gap map)"}
COMPONENT: Final = "st_folium"
MONTH_KEY: Final = "ilp_bulan"  # ui.session.K_BULAN (not imported: the parent process stays light)
APPTEST_TIMEOUT_S: Final = 1800
DEFAULT_TIMEOUT_S: Final = 1800
KB: Final = 1000
MB: Final = 1000**2
# Issue 9 targets: payload bytes, rerun after a filter change (s), per level
TARGETS: Final = {
    "kabupaten": (300 * KB, 0.25),
    "provinsi": (1 * MB, 0.5),
    "nasional": (1.5 * MB, 1.0),
}
TARGET_VS_NAIVE: Final = 5.0


# -- the worker: one level in its own process ------------------------------------------------------
def facilities_on_real_desa(desa: Any, *, seed: int) -> tuple[Any, Any]:
    """Facilities and reports of :mod:`benchmarks.national_data`, moved onto real desa polygons.

    The generator is run with as many kabupaten as ``desa`` has. Synthetic
    kabupaten *k* (in code order) becomes real kabupaten *k*; a facility's
    synthetic desa *j* (by its point, else its declared code) becomes real desa
    ``j mod n`` of that kabupaten (in code order), its point that desa's
    ``representative_point``, and a declared ``kode_desa`` is mapped the same way
    (so the generator's 1 % wrongly declared posyandu stay wrong). Facilities
    without coordinates keep none. Reports are the generator's, unchanged.

    Parameters
    ----------
    desa
        The real desa layer (canonical columns, EPSG:4326); not modified.
    seed
        Seed of the generator.

    Returns
    -------
    tuple
        (fasilitas GeoDataFrame, laporan DataFrame) in the canonical shapes.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    from benchmarks import national_data as nd

    real = desa.sort_values("kode_desa").reset_index(drop=True)
    real_kab = sorted(real["kode_kabupaten"].astype(str).unique())
    data = nd.generate(nd.NationalSpec(kabupaten=len(real_kab), seed=seed))
    synth = data.desa.sort_values("kode_desa").reset_index(drop=True)
    synth_kab = sorted(synth["kode_kabupaten"].astype(str).unique())
    # synthetic desa code -> real desa code
    real_codes_of = {k: g["kode_desa"].astype(str).to_numpy() for k, g in real.groupby("kode_kabupaten")}
    mapping: dict[str, str] = {}
    for s_kab, r_kab in zip(synth_kab, real_kab, strict=True):
        s_codes = synth.loc[synth["kode_kabupaten"] == s_kab, "kode_desa"].astype(str).to_numpy()
        r_codes = real_codes_of[r_kab]
        mapping.update({s: r_codes[i % len(r_codes)] for i, s in enumerate(s_codes)})
    fas = data.fasilitas
    lon = fas["lon"].to_numpy(dtype=float, na_value=np.nan)
    lat = fas["lat"].to_numpy(dtype=float, na_value=np.nan)
    located = ~(np.isnan(lon) | np.isnan(lat))
    tree = shapely.STRtree(synth.geometry.values)
    hits = tree.query(shapely.points(lon[located], lat[located]), predicate="intersects")
    where = np.full(len(fas), -1)
    located_idx = np.flatnonzero(located)
    where[located_idx[hits[0][::-1]]] = hits[1][::-1]  # first hit wins
    synth_codes = synth["kode_desa"].astype(str).to_numpy()
    declared = fas["kode_desa"].astype("object").to_numpy()
    home = np.where(where >= 0, synth_codes[np.maximum(where, 0)], declared)
    real_home = np.array([mapping.get(c) if isinstance(c, str) else None for c in home], dtype=object)
    real_declared = [mapping.get(c) if isinstance(c, str) else None for c in declared]
    anchor = real.set_index(real["kode_desa"].astype(str)).geometry.representative_point()
    new_x = np.full(len(fas), np.nan)
    new_y = np.full(len(fas), np.nan)
    movable = located & pd.notna(real_home)
    points = anchor.reindex(real_home[movable]).values
    new_x[movable], new_y[movable] = shapely.get_x(points), shapely.get_y(points)
    moved = fas.assign(
        kode_desa=pd.array(real_declared, dtype="string"),
        lon=pd.array(np.where(movable, new_x, np.nan), dtype="Float64"),
        lat=pd.array(np.where(movable, new_y, np.nan), dtype="Float64"),
    )
    geometry = gpd.GeoSeries(
        [shapely.Point(x, y) if ok else None for x, y, ok in zip(new_x, new_y, movable, strict=True)],
        crs=fas.crs,
    )
    return gpd.GeoDataFrame(moved.drop(columns="geometry"), geometry=geometry.values, crs=fas.crs), data.laporan


def _polygons_only(frame: Any) -> tuple[Any, int]:
    """``frame`` with each GeometryCollection replaced by the union of its polygons (a new frame), and how many.

    The national file holds one; the boundary importer would repair it, ``model.conform`` does not,
    and folium's bounds (``st_folium``) fail on a geometry without ``coordinates``.
    """
    import shapely

    geometry = frame.geometry.values
    collections = shapely.get_type_id(geometry) == shapely.GeometryType.GEOMETRYCOLLECTION
    if not collections.any():
        return frame, 0
    fixed = geometry.copy()
    for i in collections.nonzero()[0]:
        parts = shapely.get_parts(geometry[i])
        polygonal = [p for p in parts if shapely.get_type_id(p) in (3, 6)]  # Polygon, MultiPolygon
        fixed[i] = shapely.union_all(polygonal)
    return frame.set_geometry(fixed), int(collections.sum())


def build_store(level: str, path: Path, *, seed: int) -> str:
    """Write the level's store at ``path``; return how it was filled."""
    import geopandas as gpd

    from loaders import model
    from loaders.importing import run_import
    from loaders.store import ChangeRecord, Store

    store = Store(path)
    if level == "kabupaten":
        from benchmarks.reference import district_files

        for kind, source in district_files(SHARED_DATA, KABUPATEN):
            run_import(kind, source, store=store)
        return f"Kabupaten {KABUPATEN}: every reference file imported with the real importers"
    source = BOUNDARIES / SOURCES[level]
    if level == "provinsi":
        run_import("boundaries", source, store=store)
        how = f"{source.name} with the boundary importer"
    else:
        frame, collections = _polygons_only(gpd.read_parquet(source))
        store.commit(
            layers={model.LAYER_DESA: model.conform(frame, model.LAYER_DESA)},
            record=ChangeRecord(jenis_impor="batas", berkas=source.name),
        )
        how = f"{source.name} with model.conform + Store.commit ({collections} GeometryCollection kept as its polygons)"
    fasilitas, laporan = facilities_on_real_desa(store.read_desa(), seed=seed)
    store.commit(
        layers={model.LAYER_FASILITAS: fasilitas, model.LAYER_LAPORAN: laporan},
        record=ChangeRecord(jenis_impor="fasilitas", berkas="benchmarks.national_data"),
    )
    return f"{how}; {len(fasilitas):,} facilities and {len(laporan):,} reports from benchmarks.national_data"


def _payloads(at: Any) -> list[int]:
    """Bytes of ``json_args`` of every st_folium component instance on the page of the last run."""
    sizes = []
    for node in _walk(at._tree):
        if type(node).__name__ != "UnknownElement" or getattr(node, "type", "") != "component_instance":
            continue
        proto = node.proto
        if COMPONENT in proto.component_name:
            sizes.append(len(proto.json_args.encode()))
    return sizes


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def _check(at: Any) -> None:
    if at.exception:
        messages = "; ".join(" / ".join([e.message[:80], *list(e.stack_trace)[-2:]]) for e in at.exception)
        raise RuntimeError(f"the page raised: {messages}")


def measure_pages(store: Path, app: Path, *, repeat: int) -> dict[str, Any]:
    """Cold start, payload and rerun times of each page of :data:`PAGES` (AppTest)."""
    from streamlit.testing.v1 import AppTest

    from loaders.store import Store

    months = sorted(Store(store).read_laporan()["bulan"].dropna().astype(str).unique(), reverse=True)
    os.environ["ILP_STORE"] = str(store)
    results: dict[str, Any] = {}
    at = AppTest.from_file(str(app / "app.py"), default_timeout=APPTEST_TIMEOUT_S)
    started = time.perf_counter()
    at.run()
    results["cold_app_s"] = time.perf_counter() - started
    _check(at)
    asked = 0  # months chosen so far: each change asks for a month not asked before, while there are any
    for name, page in PAGES.items():
        row: dict[str, Any] = {}
        if page is not None:
            started = time.perf_counter()
            at.switch_page(page).run()
            row["first_run_s"] = time.perf_counter() - started
        else:
            row["first_run_s"] = results["cold_app_s"]
        _check(at)
        row["payload_bytes"] = sum(_payloads(at))
        row["maps"] = len(_payloads(at))
        row["rerun_same_s"] = median_time(at.run, repeat=repeat)[0]
        if any(s.key == MONTH_KEY for s in at.selectbox) and months:
            times = []
            for _ in range(repeat):
                at.selectbox(key=MONTH_KEY).set_value(
                    months[1 + asked % (len(months) - 1)] if len(months) > 1 else months[0]
                )
                asked += 1
                started = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - started)
                _check(at)
            row["rerun_filter_s"] = statistics.median(times)
            row["payload_after_filter_bytes"] = sum(_payloads(at))
            at.selectbox(key=MONTH_KEY).set_value(months[0])
            at.run()
        results[name] = row
    return results


def _capture_st_folium(fmap: Any) -> int:
    """Bytes of the ``json_args`` ``st_folium(fmap)`` would send (the component call is captured)."""
    import streamlit_folium

    captured: dict[str, Any] = {}

    def fake(**kwargs: Any) -> None:
        captured.update(kwargs)

    original = streamlit_folium._component_func
    streamlit_folium._component_func = fake
    try:
        streamlit_folium.st_folium(fmap, key="naive", height=560, use_container_width=True, returned_objects=[])
    finally:
        streamlit_folium._component_func = original
    captured.pop("on_change", None)
    return len(json.dumps(captured).encode())


def measure_naive(store: Path, *, repeat: int) -> dict[str, Any]:
    """The naive map of every desa of the store: time (median) and ``json_args`` bytes."""
    import folium

    from loaders.store import Store

    started = time.perf_counter()
    gdf = Store(store).read_desa()
    read_s = time.perf_counter() - started
    sizes: list[int] = []

    def build() -> None:
        fmap = folium.Map(tiles=None)
        folium.GeoJson(gdf.to_json()).add_to(fmap)
        sizes.append(_capture_st_folium(fmap))

    seconds = median_time(build, repeat=repeat)[0]
    return {"desa": len(gdf), "read_s": read_s, "build_s": seconds, "payload_bytes": sizes[-1]}


def run_worker(level: str, *, store: Path, app: Path, repeat: int, seed: int) -> dict[str, Any]:
    """Build the level's store, measure the pages and the naive map; the figures as a dict."""
    for folder in (str(PROJECT_DIR), str(app)):  # the measured app's modules first
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)
    out: dict[str, Any] = {"level": level}
    started = time.perf_counter()
    out["store_how"] = build_store(level, store, seed=seed)
    out["store_s"] = time.perf_counter() - started
    out["naive"] = measure_naive(store, repeat=repeat)
    gc.collect()
    # the peak from here on: the app's, not the data generator's
    out["peak_scope"] = "pages only" if reset_peak() else "whole worker"
    out["pages"] = measure_pages(store, app, repeat=repeat)
    out["peak_rss_bytes"] = (status_kb("VmHWM") or 0) * 1024
    return out


# -- the parent: one worker per level, then the table ------------------------------------------------
def _run_level(level: str, *, app: Path, repeat: int, seed: int, timeout: float | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"map_scale_{level}_") as tmp:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            level,
            "--store",
            str(Path(tmp) / "ilp.gpkg"),
            "--app",
            str(app),
            "--repeat",
            str(repeat),
            "--seed",
            str(seed),
        ]
        started = time.perf_counter()
        try:
            env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}  # for benchmarks.*; the worker puts ``app`` first
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, cwd=app, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            return {"level": level, "error": f"not finished within {timeout:.0f} s (--timeout)"}
        elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return {"level": level, "error": f"worker exit {done.returncode}: {tail}"}
    result = json.loads(lines[-1])
    result["worker_s"] = elapsed
    return result


def _size(n: float) -> str:
    return f"{n / MB:.2f} MB" if n >= MB else f"{n / KB:.0f} KB"


def _times(baseline: float, value: float) -> str:
    """``baseline / value`` as a factor: above 1 the app beats the naive map."""
    return f"{baseline / value:.2f}x" if value > 0 else "-"


def report(results: list[dict[str, Any]], *, repeat: int) -> str:
    """The table of every level's figures, ratios and targets."""
    lines = [
        f"Map payload and server rerun per page, AppTest, median of {repeat}; "
        "naive = folium.GeoJson(gdf.to_json()) of the same desa, every column, raw geometry, no cache.",
        "Ratio = naive / app (above 1: the app is smaller or faster; issue 9 target >= 5x).",
        "",
    ]
    header = (
        f"{'level':<10} {'page':<27} {'payload':>9} {'naive':>9} {'ratio':>7}   "
        f"{'rerun filter':>12} {'naive build':>11} {'ratio':>7}   {'rerun same':>10} {'first run':>9}"
    )
    lines += [header, "-" * len(header)]
    for result in results:
        level = result["level"]
        if "error" in result:
            lines.append(f"{level:<10} not measured: {result['error']}")
            continue
        naive = result["naive"]
        for name, label in PAGE_LABELS.items():
            row = result["pages"][name]
            filt = row.get("rerun_filter_s")
            lines.append(
                f"{level:<10} {label:<27} {_size(row['payload_bytes']):>9} {_size(naive['payload_bytes']):>9} "
                f"{_times(naive['payload_bytes'], row['payload_bytes']):>7}   "
                f"{(f'{filt:.2f} s' if filt is not None else 'no month'):>12} {naive['build_s']:>9.2f} s "
                f"{(_times(naive['build_s'], filt) if filt is not None else '-'):>7}   "
                f"{row['rerun_same_s']:>8.2f} s {row['first_run_s']:>7.2f} s"
            )
    lines.append("")
    for result in results:
        if "error" in result:
            continue
        level, naive = result["level"], result["naive"]
        payload_target, rerun_target = TARGETS[level]
        lines.append(
            f"{level}: {naive['desa']:,} desa; store: {result['store_how']} ({result['store_s']:.1f} s); "
            f"app cold start (AppTest, server) {result['pages']['cold_app_s']:.2f} s; "
            f"peak RSS while the pages ran ({result.get('peak_scope', 'whole worker')}) "
            f"{result['peak_rss_bytes'] / 1024**3:.2f} GB; "
            f"targets: payload <= {_size(payload_target)}, rerun after a filter change <= {rerun_target} s, "
            f">= {TARGET_VS_NAIVE:.0f}x vs naive"
        )
    lines.append("")
    missing = [r["level"] for r in results if "error" in r]
    lines.append(
        "Not measured: browser-side figures (filter change until the map is redrawn, cold start to the first "
        "drawn map; no --browser mode yet)" + (f"; levels {', '.join(missing)} (see above)" if missing else "") + "."
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        default=",".join(DEFAULT_LEVELS),
        help=f"comma-separated, of {', '.join(LEVELS)} (default {','.join(DEFAULT_LEVELS)})",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the facility generator (default 2026)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds allowed for the nasional level, store included (default {DEFAULT_TIMEOUT_S})",
    )
    parser.add_argument("--app", type=Path, default=PROJECT_DIR, help="checkout whose app.py is measured")
    parser.add_argument("--worker", choices=LEVELS, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.level_list = [level.strip() for level in args.levels.split(",") if level.strip()]
    unknown = sorted(set(args.level_list) - set(LEVELS))
    if unknown:
        parser.error(f"unknown level(s) {', '.join(unknown)}; known: {', '.join(LEVELS)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


@contextmanager
def _quiet_streamlit() -> Iterator[None]:
    """Keep Streamlit's bare-mode warnings off the worker's stdout."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    yield


def main(argv: list[str] | None = None) -> int:
    """Run the levels (or, with ``--worker``, one level) and print the table."""
    args = parse_args(argv)
    app = args.app.resolve()
    if args.worker:
        with _quiet_streamlit():
            result = run_worker(args.worker, store=args.store, app=app, repeat=args.repeat, seed=args.seed)
        print(json.dumps(result))
        return 0
    if not SHARED_DATA.is_dir():
        print(f"Data acuan tidak ada: {SHARED_DATA} (letakkan shared/ di samping checkout).", file=sys.stderr)
        return 1
    results = []
    for level in args.level_list:
        print(f"... {level}", file=sys.stderr, flush=True)
        timeout = args.timeout if level == "nasional" else None
        results.append(_run_level(level, app=app, repeat=args.repeat, seed=args.seed, timeout=timeout))
    print(report(results, repeat=args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
