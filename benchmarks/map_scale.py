"""Every figure of issue 9's Targets table at three levels, beside a naive folium map built in the same run.

Run from the checkout's root, with ``../shared/data`` beside it::

    python -m benchmarks.map_scale                                  # kabupaten + provinsi, --repeat 5
    python -m benchmarks.map_scale --levels kabupaten,provinsi,nasional --repeat 3 --browser
    python -m benchmarks.map_scale --levels nasional --timeout 3600 --browser --profile
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

1. **payload per page view**: bytes of the ``json_args`` of the ``streamlit_folium.st_folium``
   component instance of the run, and of its ``script`` (map runtime + the scope's geometry) and
   ``feature_group`` (the run's values) arguments; **rerun, nothing changed**: whether the component's
   message (``proto.SerializeToString(deterministic=True)``, what Streamlit hashes for its ForwardMsg
   cache) is byte-identical over ``--repeat`` reruns without a change: then the browser gets a
   reference, not the map (printed ``0 (cached)``), else the bytes and the arguments that changed;
   **month change**: whether ``script`` stays identical (the browser keeps the map and applies the
   values in place), the bytes of the arguments that changed, and the bytes sent (the whole message,
   since it is not identical);
2. **server rerun after a filter change**: median of ``--repeat`` ``at.run()`` after choosing another
   month in the sidebar (a month not asked before, while there are any: the engine's caches do not
   help); also the rerun with nothing changed and each page's first run;
3. with ``--browser`` (:mod:`benchmarks.map_browser`): ``streamlit run app.py`` on the level's store
   and headless Debian Chromium: cold start to the first drawn map (fresh server), a new session once
   the server is warm, and a month change in the sidebar until the map has its new values (median);
4. **memory**: peak RSS (``VmHWM``) of the worker while the pages ran (reset after the store and the
   naive map are built), and with ``--browser`` of the Streamlit server after its steps.

``--profile`` runs one more month change of the gap map under cProfile (in AppTest's script thread)
and prints its top functions by cumulative time.

The naive baseline, built in the same process from the same store: ``Store.read_desa()`` (every
column, raw geometry, read once and not timed), then ``folium.GeoJson(gdf.to_json())`` on a plain
``folium.Map`` serialised exactly as ``st_folium`` serialises it (the component call is captured, not
sent); its time (median of ``--repeat``) and ``json_args`` size. It is re-sent whole on every rerun.
Ratios are ``baseline / app``: above 1 the app is smaller or faster than the naive map. Issue 9's
targets are printed beside the figures (``ok`` / ``MISS``); nothing is asserted. The naive map is
not measured in the browser.
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
import zlib
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
DEFAULT_BROWSER_WAIT_S: Final = 600.0
STACK_TAIL_LINES: Final = 12  # lines of a failed worker's stderr printed
KB: Final = 1000
MB: Final = 1000**2
# Issue 9 targets: payload bytes, rerun after a filter change (s), per level
TARGETS: Final = {
    "kabupaten": (300 * KB, 0.25),
    "provinsi": (1 * MB, 0.5),
    "nasional": (1.5 * MB, 1.0),
}
TARGET_VS_NAIVE: Final = 5.0
# Issue 9 browser targets per level: month change until the map is redrawn (s), cold start to the first map (s)
BROWSER_TARGETS: Final = {"kabupaten": (0.8, 4.0), "provinsi": (1.5, 5.0), "nasional": (2.0, 8.0)}
MEMORY_TARGET_BYTES: Final = {"nasional": 2 * 1024**3}


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


def _components(at: Any) -> list[Any]:
    """The proto of every st_folium component instance on the page of the last run."""
    protos = []
    for node in _walk(at._tree):
        if type(node).__name__ != "UnknownElement" or getattr(node, "type", "") != "component_instance":
            continue
        if COMPONENT in node.proto.component_name:
            protos.append(node.proto)
    return protos


def _wire(protos: list[Any]) -> list[bytes]:
    """Serialised component messages (what Streamlit hashes for its ForwardMsg cache)."""
    return [proto.SerializeToString(deterministic=True) for proto in protos]


def _arg_bytes(protos: list[Any]) -> dict[str, int]:
    """Bytes of each ``json_args`` argument (JSON-encoded), summed over the page's maps."""
    sizes: dict[str, int] = {}
    for proto in protos:
        for name, value in json.loads(proto.json_args).items():
            sizes[name] = sizes.get(name, 0) + len(json.dumps(value).encode())
    return sizes


def _changed_args(before: list[Any], after: list[Any]) -> dict[str, int]:
    """Arguments whose value differs between two runs, with their bytes after the change."""
    if len(before) != len(after):
        return {"(maps added or removed)": sum(len(p.json_args.encode()) for p in after)}
    changed: dict[str, int] = {}
    for old, new in zip(before, after, strict=True):
        old_args, new_args = json.loads(old.json_args), json.loads(new.json_args)
        for name in sorted(set(old_args) | set(new_args)):
            if old_args.get(name) != new_args.get(name):
                changed[name] = changed.get(name, 0) + len(json.dumps(new_args.get(name)).encode())
    return changed


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def _check(at: Any) -> None:
    if at.exception:
        messages = "; ".join(
            " / ".join([e.message[:300], *[line.strip() for line in e.stack_trace][-STACK_TAIL_LINES:]])
            for e in at.exception
        )
        raise RuntimeError(f"the page raised: {messages}")


def _page_figures(at: Any, *, repeat: int, months: list[str], asked: int) -> tuple[dict[str, Any], int]:
    """The figures of the page of the last run (see the module docstring); and the months asked so far."""
    row: dict[str, Any] = {}
    first = _components(at)
    row["maps"] = len(first)
    row["payload_bytes"] = sum(len(p.json_args.encode()) for p in first)
    row["wire_bytes"] = sum(_deflated(p.json_args.encode()) for p in first)
    args = _arg_bytes(first)
    row["script_bytes"] = args.get("script", 0)
    row["feature_group_bytes"] = args.get("feature_group", 0)
    # nothing changed: is the message byte-identical from run to run (then the ForwardMsg cache sends a reference)?
    wires = [_wire(first)]

    def rerun() -> None:
        at.run()
        wires.append(_wire(_components(at)))

    row["rerun_same_s"] = median_time(rerun, repeat=repeat)[0]
    _check(at)
    row["same_identical"] = all(w == wires[0] for w in wires[1:])
    row["same_changed"] = _changed_args(first, _components(at)) if not row["same_identical"] else {}
    if not (any(s.key == MONTH_KEY for s in at.selectbox) and months):
        return row, asked
    times, script_kept, changed, sent = [], [], [], []
    for _ in range(repeat):
        before = _components(at)
        at.selectbox(key=MONTH_KEY).set_value(months[1 + asked % (len(months) - 1)] if len(months) > 1 else months[0])
        asked += 1
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        _check(at)
        after = _components(at)
        diff = _changed_args(before, after)
        script_kept.append("script" not in diff and len(before) == len(after))
        changed.append(sum(diff.values()))
        sent.append(0 if _wire(before) == _wire(after) else sum(len(p.json_args.encode()) for p in after))
        row.setdefault("month_changed_args", sorted(diff))
    row["rerun_filter_s"] = statistics.median(times)
    row["month_script_kept"] = all(script_kept)
    row["month_changed_bytes"] = statistics.median(changed)
    row["month_sent_bytes"] = statistics.median(sent)
    at.selectbox(key=MONTH_KEY).set_value(months[0])
    at.run()
    return row, asked


def _profile_run(at: Any, *, top: int) -> list[str]:
    """``at.run()`` under cProfile in the script's thread (AppTest runs the page in a new thread); top lines.

    The threading profile hook enables the profiler in the first frame of the new thread and
    removes itself.
    """
    import cProfile
    import io
    import pstats
    import threading

    profiler = cProfile.Profile()

    def hook(*_: Any) -> None:
        sys.setprofile(None)
        profiler.enable()

    threading.setprofile(hook)
    try:
        at.run()
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    prefixes = sorted({str(Path(p)) + "/" for p in sys.path if p}, key=len, reverse=True)
    lines = []
    for line in out.getvalue().splitlines():
        for prefix in prefixes:
            line = line.replace(prefix, "")
        if line.strip():
            lines.append(line.rstrip())
    return lines


def measure_pages(store: Path, app: Path, *, repeat: int, profile: bool = False) -> dict[str, Any]:
    """Cold start, payload, message identity and rerun times of each page of :data:`PAGES` (AppTest)."""
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from loaders.store import Store

    config.set_option("client.showErrorDetails", "full")  # the app's config redacts the stack trace
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
        if page is not None:
            started = time.perf_counter()
            at.switch_page(page).run()
            first_run = time.perf_counter() - started
        else:
            first_run = results["cold_app_s"]
        _check(at)
        row, asked = _page_figures(at, repeat=repeat, months=months, asked=asked)
        row["first_run_s"] = first_run
        results[name] = row
    if profile and any(s.key == MONTH_KEY for s in at.selectbox) and len(months) > 1:
        at.selectbox(key=MONTH_KEY).set_value(months[-1])  # the last page (gap map), a month change
        results["profile"] = {"what": f"{list(PAGES)[-1]}: month {months[-1]}", "lines": _profile_run(at, top=30)}
    return results


def _deflated(data: bytes) -> int:
    """Bytes of ``data`` after deflate: what the browser receives with websocket per-message deflate.

    The app turns it on (``server.enableWebsocketCompression`` in ``.streamlit/config.toml``); uvicorn
    negotiates ``server_max_window_bits=12``, so raw deflate with a 4 KB window (level 6) estimates the
    wire size of the component's message (the protobuf around the JSON adds little).
    """
    packer = zlib.compressobj(6, zlib.DEFLATED, -12)
    return len(packer.compress(data) + packer.flush())


def _capture_st_folium(fmap: Any) -> tuple[int, int]:
    """Bytes of the ``json_args`` ``st_folium(fmap)`` would send (the component call is captured), raw and deflated."""
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
    text = json.dumps(captured).encode()
    return len(text), _deflated(text)


def measure_naive(store: Path, *, repeat: int) -> dict[str, Any]:
    """The naive map of every desa of the store: time (median) and ``json_args`` bytes."""
    import folium

    from loaders.store import Store

    started = time.perf_counter()
    gdf = Store(store).read_desa()
    read_s = time.perf_counter() - started
    sizes: list[tuple[int, int]] = []

    def build() -> None:
        fmap = folium.Map(tiles=None)
        folium.GeoJson(gdf.to_json()).add_to(fmap)
        sizes.append(_capture_st_folium(fmap))

    seconds = median_time(build, repeat=repeat)[0]
    return {
        "desa": len(gdf),
        "read_s": read_s,
        "build_s": seconds,
        "payload_bytes": sizes[-1][0],
        "wire_bytes": sizes[-1][1],
    }


def run_worker(
    level: str,
    *,
    store: Path,
    app: Path,
    repeat: int,
    seed: int,
    browser: bool,
    timeout: float,
    profile: bool = False,
) -> dict[str, Any]:
    """Build the level's store, measure the pages and the naive map (and the browser); the figures as a dict."""
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
    out["pages"] = measure_pages(store, app, repeat=repeat, profile=profile)
    out["peak_rss_bytes"] = (status_kb("VmHWM") or 0) * 1024
    if browser:
        from benchmarks.map_browser import measure_browser

        out["browser"] = measure_browser(app, store, repeat=repeat, timeout=timeout)
    return out


# -- the parent: one worker per level, then the table ------------------------------------------------
def _run_level(
    level: str,
    *,
    app: Path,
    repeat: int,
    seed: int,
    timeout: float | None,
    browser: bool,
    wait: float,
    profile: bool,
) -> dict[str, Any]:
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
            "--browser-wait",
            str(wait),
            *(["--browser"] if browser else []),
            *(["--profile"] if profile else []),
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
        tail = "\n    ".join(done.stderr.strip().splitlines()[-STACK_TAIL_LINES:])
        return {"level": level, "error": f"worker exit {done.returncode}: {tail}"}
    result = json.loads(lines[-1])
    result["worker_s"] = elapsed
    return result


def _size(n: float) -> str:
    return f"{n / MB:.2f} MB" if n >= MB else f"{n / KB:.0f} KB" if n >= KB else f"{n:.0f} B"


def _times(baseline: float, value: float) -> str:
    """``baseline / value`` as a factor: above 1 the app beats the naive map."""
    return f"{baseline / value:.1f}x" if value > 0 else "-"


def _mark(value: float | None, target: float) -> str:
    """``ok`` when ``value`` is within ``target``, ``MISS`` when not, ``-`` when not measured."""
    if value is None:
        return "-"
    return "ok" if value <= target else "MISS"


def _secs(value: float | None) -> str:
    return f"{value:.2f} s" if value is not None else "-"


def _table(header: list[str], rows: list[list[str]], *, left: int = 2) -> list[str]:
    """Rows as aligned columns: the first ``left`` left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            str(c).ljust(widths[i]) if i < left else str(c).rjust(widths[i]) for i, c in enumerate(row)
        ).rstrip()

    lines = [fmt(header), "-" * len(fmt(header))]
    return lines + [fmt(row) for row in rows]


def _payload_rows(results: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for result in results:
        if "error" in result:
            continue
        level, naive = result["level"], result["naive"]
        target = TARGETS[level][0]
        for name, label in PAGE_LABELS.items():
            row = result["pages"][name]
            payload = row["payload_bytes"]
            same = "0 (cached)" if row["same_identical"] else f"{_size(payload)} ({','.join(row['same_changed'])})"
            if "month_script_kept" in row:
                month = (
                    f"{'kept' if row['month_script_kept'] else 'CHANGED'}; "
                    f"{_size(row['month_changed_bytes'])} changed ({','.join(row['month_changed_args'])}); "
                    f"{_size(row['month_sent_bytes'])} sent"
                )
            else:
                month = "no month"
            rows.append(
                [
                    level,
                    label,
                    _size(payload),
                    _size(row["script_bytes"]),
                    _size(row["feature_group_bytes"]),
                    _size(naive["payload_bytes"]),
                    _times(naive["payload_bytes"], payload),
                    _size(row["wire_bytes"]),
                    _size(naive["wire_bytes"]),
                    _times(naive["wire_bytes"], row["wire_bytes"]),
                    f"<= {_size(target)} raw {_mark(payload, target)}, wire {_mark(row['wire_bytes'], target)}",
                    same,
                    month,
                ]
            )
    return rows


def _rerun_rows(results: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for result in results:
        if "error" in result:
            continue
        level, naive = result["level"], result["naive"]
        target = TARGETS[level][1]
        for name, label in PAGE_LABELS.items():
            row = result["pages"][name]
            filt = row.get("rerun_filter_s")
            rows.append(
                [
                    level,
                    label,
                    _secs(filt),
                    _secs(naive["build_s"]),
                    _times(naive["build_s"], filt) if filt is not None else "-",
                    f"<= {target} s {_mark(filt, target)}",
                    _secs(row["rerun_same_s"]),
                    _secs(row["first_run_s"]),
                ]
            )
    return rows


def _browser_rows(results: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for result in results:
        if "error" in result:
            continue
        level, got = result["level"], result.get("browser")
        filter_target, cold_target = BROWSER_TARGETS[level]
        if got is None:
            continue
        if got.get("cold_s") is None:
            rows.append([level, "-", "not measured", "-", "-", "-", "-", "-", "-"])
            continue
        change = got.get("month_change_s")
        kept = {True: "kept", False: "REMOUNTED", None: "-"}[got.get("map_kept")]
        changes = got.get("month_changes", [])
        rows.append(
            [
                level,
                f"{got.get('features_drawn', 0):,}",
                _secs(got["cold_s"]),
                f"<= {cold_target:.0f} s {_mark(got['cold_s'], cold_target)}",
                _secs(got.get("new_session_s")),
                _secs(got.get("restart_s")),
                _secs(change),
                f"<= {filter_target} s {_mark(change, filter_target)}",
                f"{kept}; {len(changes)} applied ({sum(c[3] for c in changes)} recoloured), "
                f"{got.get('months_unchanged', 0)} unchanged",
            ]
        )
    return rows


def _memory_rows(results: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for result in results:
        if "error" in result:
            continue
        level = result["level"]
        worker = result["peak_rss_bytes"]
        server = (result.get("browser") or {}).get("server_peak_rss_bytes")
        target = MEMORY_TARGET_BYTES.get(level)
        mark = "-" if target is None else f"<= {target / 1024**3:.0f} GB {_mark(max(worker, server or 0), target)}"
        rows.append(
            [
                level,
                f"{worker / 1024**3:.2f} GB ({result.get('peak_scope', 'whole worker')})",
                f"{server / 1024**3:.2f} GB" if server else "-",
                mark,
            ]
        )
    return rows


def report(results: list[dict[str, Any]], *, repeat: int, browser: bool = False) -> str:
    """Every figure of issue 9's Targets table per level, with ratios against the naive map of the same run."""
    lines = [
        f"Map figures of issue 9 per level, median of {repeat}. naive = folium.GeoJson(gdf.to_json()) of the same "
        "desa (every column, raw geometry, no cache), built and serialised as st_folium does, in the same worker.",
        "Ratio = naive / app (above 1: the app is smaller or faster; target >= 5x). ok / MISS: against issue 9's "
        "target; nothing is asserted.",
        "",
        "1. Map payload per page view (AppTest; json_args of the st_folium component; script = runtime + geometry, "
        "feature_group = the run's values; wire = deflated, what the browser receives with the app's websocket "
        "per-message deflate)",
    ]
    lines += _table(
        [
            "level",
            "page",
            "payload",
            "script",
            "feat.group",
            "naive",
            "ratio",
            "wire",
            "naive wire",
            "ratio",
            "target",
            "rerun, nothing changed",
            "month change: script; changed; sent",
        ],
        _payload_rows(results),
    )
    lines += [
        "",
        "2. Server rerun after a filter change (another month, AppTest, median) beside the naive map's build time",
    ]
    lines += _table(
        ["level", "page", "rerun filter", "naive build", "ratio", "target", "rerun same", "first run"],
        _rerun_rows(results),
    )
    lines += [
        "",
        "3. In the browser (headless Chromium, overview page; cold start: fresh server, display disk cache removed; "
        "new session: same server, warm; restart: new server, disk cache kept; naive: not measured in the browser)",
    ]
    if browser:
        lines += _table(
            [
                "level",
                "drawn",
                "cold start",
                "target",
                "new session",
                "restart",
                "month change",
                "target",
                "map; months",
            ],
            _browser_rows(results),
            left=1,
        )
        for result in results:
            got = result.get("browser") or {}
            problems = [
                f"{what} milestones (s from navigation): " + ", ".join(f"{k} {v:.2f}" for k, v in got[key].items())
                for what, key in (
                    ("cold start", "cold_marks"),
                    ("last new session", "new_session_marks"),
                    ("restart", "restart_marks"),
                )
                if got.get(key)
            ]
            if got.get("month_changes"):
                problems.append(
                    "month changes (month, s, map kept, recoloured): "
                    + "; ".join(f"{m} {s:.2f} {k} {r}" for m, s, k, r in got["month_changes"])
                )
            problems += [f"exception box: {e[:300]!r}" for e in got.get("exceptions", [])]
            problems += [f"request leaving localhost: {u}" for u in got.get("offending_requests", [])]
            if got.get("error"):
                problems.append(got["error"])
            lines += [f"   {result['level']}: {p}" for p in problems]
    else:
        lines.append("   not measured (run with --browser)")
    lines += ["", "4. Memory: peak RSS (VmHWM)"]
    lines += _table(["level", "AppTest worker", "streamlit server", "target"], _memory_rows(results), left=1)
    lines.append("")
    for result in results:
        if "error" in result:
            lines.append(f"{result['level']}: not measured: {result['error']}")
            continue
        naive = result["naive"]
        lines.append(
            f"{result['level']}: {naive['desa']:,} desa; store: {result['store_how']} ({result['store_s']:.1f} s); "
            f"app cold start (AppTest, server) {result['pages']['cold_app_s']:.2f} s; "
            f"worker {result.get('worker_s', 0):.0f} s in all"
        )
    for result in results:
        profiled = result.get("pages", {}).get("profile")
        if profiled:
            lines += ["", f"Profile of one rerun, {result['level']}, {profiled['what']} (cumulative):"]
            lines += [f"   {line}" for line in profiled["lines"]]
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
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also measure in headless Chromium (cold start to the first drawn map, month change until redrawn)",
    )
    parser.add_argument(
        "--browser-wait",
        type=float,
        default=DEFAULT_BROWSER_WAIT_S,
        help=f"seconds allowed for each browser wait (default {DEFAULT_BROWSER_WAIT_S:.0f})",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one month change of the gap map (cProfile, script thread) and print its top functions",
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
            result = run_worker(
                args.worker,
                store=args.store,
                app=app,
                repeat=args.repeat,
                seed=args.seed,
                browser=args.browser,
                timeout=args.browser_wait,
                profile=args.profile,
            )
        print(json.dumps(result))
        return 0
    if not SHARED_DATA.is_dir():
        print(f"Data acuan tidak ada: {SHARED_DATA} (letakkan shared/ di samping checkout).", file=sys.stderr)
        return 1
    results = []
    for level in args.level_list:
        print(f"... {level}", file=sys.stderr, flush=True)
        timeout = args.timeout if level == "nasional" else None
        results.append(
            _run_level(
                level,
                app=app,
                repeat=args.repeat,
                seed=args.seed,
                timeout=timeout,
                browser=args.browser,
                wait=args.browser_wait,
                profile=args.profile,
            )
        )
    print(report(results, repeat=args.repeat, browser=args.browser))
    return 0


if __name__ == "__main__":
    sys.exit(main())
