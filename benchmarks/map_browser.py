"""What a person waits for in the browser: cold start to the first drawn map, a month change until it is redrawn.

Used by :mod:`benchmarks.map_scale` with ``--browser`` (in its worker, after the AppTest figures):
``streamlit run app.py`` serves the level's store on a free loopback port (a fresh server: every
``st.cache_*`` empty), and Debian's ``/usr/bin/chromium``, driven by Playwright with
``executable_path`` (never downloaded; the launch, server and request guard of
``tests/browser_support.py``), opens the overview (Ringkasan, ``/``).

- **cold start**: the first open after an import: the store's display disk cache (``<store>.peta``,
  :mod:`loaders.display_cache`, written by the AppTest run before) is removed, then from ``page.goto``
  (server healthy, browser launched, every cache empty) to the first
  drawn map: inside the streamlit-folium frame ``window.ilpPeta`` exists and at least one of its
  ``features`` is on the map (``window.ilpPeta.map.hasLayer(f)``);
- **new session**: the same in a new tab once the server's caches are warm (median of ``repeat``);
- **month change**: the sidebar's "Bulan" selectbox set to another month like a user (click, option),
  timed from the click until the map's drawn style signature (``fillColor`` of every feature on the
  map, in order) differs from the one before (polled every :data:`POLL_S`). A month whose rerun ends
  without any colour change is passed over (counted as ``months_unchanged``); the median is over
  ``repeat`` months that changed the map. A marker set on the frame's ``window`` before the change
  tells whether the map was kept (values applied in place) or the frame was remounted;
- **server peak RSS**: ``VmHWM`` of the Streamlit process after these steps;
- **restart**: a second server on the same store (``st.cache_*`` empty, the disk cache written by the
  first): from ``page.goto`` to the first drawn map.

Polling costs a few milliseconds per call, so the times are upper bounds by about :data:`POLL_S`. The waits
are ``page.wait_for_timeout``, never ``time.sleep``: the request guard's route handler and Playwright's
frame events only run while Playwright is called.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Frame, Page

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
TESTS_DIR: Final = PROJECT_DIR / "tests"
DISPLAY_CACHE_SUFFIX: Final = ".peta"  # loaders.display_cache: the maps' disk cache beside the store
MONTH_LABEL: Final = "Bulan"  # ui.i18n "filter.bulan" (id); the browser context's locale is id-ID
POLL_S: Final = 0.05
MARK: Final = "__mapScaleMark"
SERVER_START_TIMEOUT_S: Final = 180.0
IDLE_SETTLE_S: Final = 1.5  # a rerun idle this long without a colour change: the month changed nothing drawn
MAX_MONTH_TRIES: Final = 3  # months tried per wanted change (some months colour the map the same)

# In the streamlit-folium frame: null before the runtime ran, else whether a feature is drawn,
# the style signature, the number of features on the map and whether our marker survives.
JS_STATE: Final = """
() => {
  const p = window.ilpPeta;
  if (!p || !p.map || !p.features) return null;
  let drawn = 0;
  const sig = p.features.map((f) => {
    if (!p.map.hasLayer(f)) return '';
    drawn += 1;
    return f.options.fillColor || '';
  }).join(',');
  return {
    drawn: drawn, total: p.features.length, sig: sig, mark: window.__mapScaleMark === 1,
    applied: window.__mapScaleApplied || 0,
  };
}
"""
# Marks the frame (a remount loses the mark) and counts the runtime's apply() calls (a wrapper set from
# here: ui/js/peta.js is not changed; the values script looks window.ilpPeta.apply up at each call).
JS_SCRIPT_STATE: Final = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app ? app.getAttribute('data-test-script-state') || '' : null;
}
"""
JS_SET_MARK: Final = """
() => {
  window.__mapScaleMark = 1;
  const p = window.ilpPeta;
  if (!p.__mapScaleWrapped) {
    const original = p.apply;
    p.apply = function () {
      const result = original.apply(this, arguments);
      window.__mapScaleApplied = (window.__mapScaleApplied || 0) + 1;
      return result;
    };
    p.__mapScaleWrapped = true;
  }
  return window.__mapScaleApplied || 0;
}
"""


def _support() -> Any:
    """``tests/browser_support.py`` (server, Chromium launch, request guard, idle wait)."""
    if str(TESTS_DIR) not in sys.path:
        sys.path.insert(0, str(TESTS_DIR))
    import browser_support

    return browser_support


def _map_state(page: Page) -> tuple[Frame, dict[str, Any]] | None:
    """(frame, state) of the first folium frame whose runtime has run; None when there is none yet."""
    from playwright.sync_api import Error as PlaywrightError

    for frame in _support().folium_frames(page):
        try:
            state = frame.evaluate(JS_STATE)
        except PlaywrightError:  # the frame (re)loading: not drawn yet
            continue
        if state is not None:
            return frame, state
    return None


def _time_to_drawn(page: Page, url: str, *, timeout: float) -> tuple[float | None, int, dict[str, float]]:
    """Seconds from navigation to the first drawn map (None: not within ``timeout``), features drawn, milestones.

    Milestones (seconds from navigation, first seen): ``app`` (Streamlit's app element), ``script``
    (the first script run started), ``frame`` (the streamlit-folium frame attached), ``runtime``
    (``window.ilpPeta`` there), ``drawn``.
    """
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    deadline = started + timeout
    marks: dict[str, float] = {}
    while time.perf_counter() < deadline:
        now = time.perf_counter() - started
        state = page.evaluate(JS_SCRIPT_STATE)
        if state is not None:
            marks.setdefault("app", now)
        if state == "running":
            marks.setdefault("script", now)
        if _support().folium_frames(page):
            marks.setdefault("frame", now)
        found = _map_state(page)
        if found is not None:
            marks.setdefault("runtime", now)
            if found[1]["drawn"] > 0:
                marks["drawn"] = time.perf_counter() - started
                return marks["drawn"], int(found[1]["drawn"]), {k: round(v, 2) for k, v in marks.items()}
        page.wait_for_timeout(POLL_S * 1000)  # not time.sleep: Playwright's events and routes run here
    return None, 0, {k: round(v, 2) for k, v in marks.items()}


def _choose_month(page: Page, index: int) -> tuple[str, str] | None:
    """Open the sidebar's month box and click option ``index`` (mod their count) unless it is the current one.

    Returns (month label chosen, current label) or None when the option is the current month.
    """
    from playwright.sync_api import Error as PlaywrightError

    combo = page.get_by_role("combobox", name=MONTH_LABEL, exact=True)
    widget = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has=combo)
    current = widget.get_by_role("combobox").input_value().strip()
    options = page.get_by_role("option")
    for opener in (widget.get_by_role("button", name="Open"), widget.get_by_role("combobox")):
        opener.click()
        try:
            options.first.wait_for(timeout=5_000)
            break
        except PlaywrightError:
            page.keyboard.press("Escape")
    else:
        options.first.wait_for(timeout=5_000)  # raises: the list did not open
    labels = [text.strip() for text in options.all_inner_texts()]
    label = labels[index % len(labels)]
    if label == current:
        page.keyboard.press("Escape")
        return None
    options.nth(index % len(labels)).click()
    return label, current


def _month_change(page: Page, index: int, *, timeout: float) -> dict[str, Any] | None:
    """Choose month option ``index``; seconds until the drawn colours change (None in ``seconds``: no change)."""
    support = _support()
    assert support.wait_app_idle(page, timeout=timeout), "the app did not finish before the month change"
    found = _map_state(page)
    assert found is not None, "no drawn map before the month change"
    frame, before = found
    applied = frame.evaluate(JS_SET_MARK)
    chosen = _choose_month(page, index)
    if chosen is None:
        return None
    started = time.perf_counter()
    deadline = started + timeout
    idle_since: float | None = None
    while time.perf_counter() < deadline:
        state = _map_state(page)
        now = time.perf_counter()
        if state is not None and state[1]["drawn"] > 0:
            kept = bool(state[1]["mark"])
            if (kept and state[1]["applied"] > applied) or not kept:  # new values applied, or a new map drawn
                return {
                    "month": chosen[0],
                    "seconds": now - started,
                    "kept": kept,
                    "recoloured": state[1]["sig"] != before["sig"],
                }
        if now - started > 1.0 and page.evaluate(support.JS_APP_IDLE):
            idle_since = idle_since or now
            if now - idle_since >= IDLE_SETTLE_S:
                return {"month": chosen[0], "seconds": None, "kept": bool(state and state[1]["mark"])}
        else:
            idle_since = None
        page.wait_for_timeout(POLL_S * 1000)  # not time.sleep: Playwright's events and routes run here
    return {"month": chosen[0], "seconds": None, "kept": False, "timeout": True}


def _peak_rss_bytes(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def measure_browser(app: Path, store: Path, *, repeat: int, timeout: float) -> dict[str, Any]:
    """The browser figures of the overview of ``store`` served from ``app`` (see the module docstring).

    ``timeout``: seconds allowed for each wait (first map, each month change). A step that fails
    (Playwright error, app not finishing) ends the measurement with ``error`` set; the figures taken
    until then are kept.
    """
    from playwright.sync_api import Error as PlaywrightError

    support = _support()
    missing = support.browser_missing()
    if missing:
        return {"error": missing}
    out: dict[str, Any] = {}
    cache = Path(f"{store}{DISPLAY_CACHE_SUFFIX}")
    out["disk_cache_removed"] = cache.is_dir()
    shutil.rmtree(cache, ignore_errors=True)  # derived data of the benchmark's own temporary store
    with tempfile.TemporaryDirectory(prefix="map_browser_") as tmp:
        guard = support.RequestGuard()
        with support.launch_chromium() as browser:
            with support.store_server(app, store, Path(tmp)) as server:
                ctx = support.guarded_context(browser, guard)
                ctx.set_default_timeout(timeout * 1000)
                page = ctx.new_page()
                try:
                    _measure(page, ctx, f"{server.base_url}/", out, repeat=repeat, timeout=timeout)
                except (PlaywrightError, AssertionError) as exc:
                    out["error"] = f"{type(exc).__name__}: {str(exc)[:400]}; server log: {server.log_tail(400)!r}"
                out["server_peak_rss_bytes"] = _peak_rss_bytes(server.process.pid)
                out["exceptions"] = support.exception_texts(page)
                ctx.close()
            if "error" not in out:  # a restarted server: empty st caches, the disk cache written above
                with support.store_server(app, store, Path(tmp)) as server:
                    ctx = support.guarded_context(browser, guard)
                    ctx.set_default_timeout(timeout * 1000)
                    seconds, _, marks = _time_to_drawn(ctx.new_page(), f"{server.base_url}/", timeout=timeout)
                    out["restart_s"], out["restart_marks"] = seconds, marks
                    ctx.close()
        out["offending_requests"] = sorted(set(guard.offending))
    return out


def _measure(page: Page, ctx: BrowserContext, url: str, out: dict[str, Any], *, repeat: int, timeout: float) -> None:
    """Cold start, month changes, new sessions (in this order), written into ``out``."""
    out["cold_s"], out["features_drawn"], out["cold_marks"] = _time_to_drawn(page, url, timeout=timeout)
    assert out["cold_s"] is not None, f"no drawn map within {timeout:.0f} s"
    changes, unchanged, index = [], 0, 1
    while len(changes) < repeat and index <= repeat * MAX_MONTH_TRIES:
        change = _month_change(page, index, timeout=timeout)
        index += 1
        if change is None:
            continue
        if change["seconds"] is None:
            unchanged += 1
            continue
        changes.append(change)
    out["month_change_s"] = statistics.median(c["seconds"] for c in changes) if changes else None
    out["month_changes"] = [(c["month"], round(c["seconds"], 3), c["kept"], c["recoloured"]) for c in changes]
    out["months_unchanged"] = unchanged
    out["map_kept"] = all(c["kept"] for c in changes) if changes else None
    warm = []
    for _ in range(repeat):
        tab = ctx.new_page()
        seconds, _, marks = _time_to_drawn(tab, url, timeout=timeout)
        tab.close()
        if seconds is not None:
            warm.append(seconds)
            out["new_session_marks"] = marks
    out["new_session_s"] = statistics.median(warm) if warm else None
