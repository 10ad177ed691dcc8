"""Helpers of the browser tests (test_browser.py, test_browser_injection.py): server, request guard, page waits.

Their shared fixtures (``browser_available``, ``browser``, ``guard``) are in
``tests/conftest.py`` and build on :func:`browser_missing`,
:func:`launch_chromium`, :class:`RequestGuard`, :func:`guarded_context` and
:func:`store_server` here.

Nothing here downloads a browser: the test drives Debian's ``/usr/bin/chromium``
through Playwright's bundled driver (``executable_path``), with flags that
keep Chromium itself from calling Google hosts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Frame, Page, Route

CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMIUM_ARGS: Final = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
VIEWPORT: Final = (1280, 720)  # width, height of a new context
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
SERVER_START_TIMEOUT_S: Final = 60.0
SERVER_STOP_TIMEOUT_S: Final = 10.0
FOLIUM_FRAME_MARK: Final = "streamlit_folium"

# Inside the streamlit-folium iframe: the kode_desa of every feature on every
# Leaflet map of the frame (the map object is a global of the frame's script).
# null while Leaflet or the map is not there yet.
JS_MAP_DESA: Final = """
() => {
  if (!window.L || !document.querySelector('.leaflet-container')) return null;
  const maps = [];
  for (const key of Object.keys(window)) {
    let value;
    try { value = window[key]; } catch (e) { continue; }
    if (value instanceof window.L.Map) maps.push(value);
  }
  if (!maps.length) return null;
  const kode = new Set();
  for (const map of maps) {
    map.eachLayer((layer) => {
      const props = layer.feature && layer.feature.properties;
      if (props && props.kode_desa) kode.add(String(props.kode_desa));
    });
  }
  return Array.from(kode).sort();
}
"""

# Inside the streamlit-folium iframe: every feature of the map runtime (ui/js/peta.js) that is
# on the map now, as [tingkat, kode, nama] (tingkat "desa" for a desa); null before the runtime.
JS_MAP_FEATURES: Final = """
() => {
  const peta = window.ilpPeta;
  if (!peta || !peta.map || !window.L || !document.querySelector('.leaflet-container')) return null;
  return peta.features.filter((f) => peta.map.hasLayer(f)).map((f) => {
    const p = f.feature.properties;
    return p.kode_desa !== undefined
      ? ['desa', String(p.kode_desa), String(p.nama)]
      : [String(p.tingkat), String(p.kode), String(p.nama)];
  });
}
"""

# Inside the streamlit-folium iframe: a point of the frame (px from its top left) where a click
# lands on the drawn feature with code `kode` and on nothing else (its label point, its centre,
# else a grid point over its bounds: inside the map, inside that polygon only, not under a
# control); null when there is none.
JS_FEATURE_CLICK_POINT: Final = """
(kode) => {
  const peta = window.ilpPeta;
  if (!peta || !peta.map) return null;
  const map = peta.map;
  const drawn = peta.features.filter((f) => map.hasLayer(f));
  const poly = drawn.find((f) => String(f.ilp.kode) === String(kode));
  if (!poly) return null;
  const box = map.getContainer().getBoundingClientRect();
  const size = map.getSize();
  const candidates = [];
  if (poly.ilp.label) candidates.push(['label', L.latLng(poly.ilp.label)]);
  candidates.push(['centre', poly.getCenter()]);
  const b = poly.getBounds(), n = 16;
  for (let i = 1; i < n; i++) {
    for (let j = 1; j < n; j++) {
      const lat = b.getSouth() + (b.getNorth() - b.getSouth()) * i / n;
      const lon = b.getWest() + (b.getEast() - b.getWest()) * j / n;
      candidates.push(['grid', L.latLng(lat, lon)]);
    }
  }
  for (const [how, ll] of candidates) {
    const pt = map.latLngToContainerPoint(ll);
    if (pt.x < 4 || pt.y < 4 || pt.x > size.x - 4 || pt.y > size.y - 4) continue;
    const lp = map.latLngToLayerPoint(ll);
    const hits = drawn.filter((f) => typeof f._containsPoint === 'function' && f._containsPoint(lp));
    if (hits.length !== 1 || hits[0] !== poly) continue;
    const top = document.elementFromPoint(box.left + pt.x, box.top + pt.y);
    if (!top || top.closest('.leaflet-control') || !top.closest('.leaflet-container')) continue;
    return {x: box.left + pt.x, y: box.top + pt.y, how: how};
  }
  return null;
}
"""

# The app's script state (attribute Streamlit sets on its root element) and
# whether any element is still shown faded as stale from the previous run.
JS_APP_IDLE: Final = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  const state = app.getAttribute('data-test-script-state');
  const stale = document.querySelector('[data-stale="true"]');
  const skeleton = document.querySelector('[data-testid="stSkeleton"]');
  return state === 'notRunning' && !stale && !skeleton;
}
"""

# Height of the page's content (Streamlit scrolls inside its main section).
JS_CONTENT_HEIGHT: Final = """
() => Math.max(...[
  '[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', '[data-testid="stMainBlockContainer"]',
  'section.main', 'body',
].map((sel) => { const el = document.querySelector(sel); return el ? el.scrollHeight : 0; }))
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine (loopback hosts, data: and blob:)."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    host = urlsplit(url).hostname
    return host is not None and host.strip("[]") in LOCAL_HOSTS


@dataclass
class RequestGuard:
    """Records and aborts every browser request that would leave localhost."""

    offending: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        """Route handler for ``context.route("**/*", guard.handle)``."""
        url = route.request.url
        if is_local_url(url):
            route.continue_()
            return
        self.offending.append(url)
        route.abort()

    def record_websocket(self, url: str) -> None:
        """Note a WebSocket the page opened (Playwright cannot route those) when it leaves localhost."""
        if not is_local_url(url.replace("ws://", "http://", 1).replace("wss://", "https://", 1)):
            self.offending.append(url)

    def report(self) -> str:
        """The offending URLs, one a line (for an assertion message)."""
        unique = list(dict.fromkeys(self.offending))
        return "requests leaving localhost (aborted):\n" + "\n".join(f"  {u}" for u in unique)


# -- the browser ----------------------------------------------------------------------------------
def browser_missing() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is absent (Debian: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -r requirements.txt)"
    return None


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright's bundled driver (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True, timeout=60_000
        )
        try:
            yield launched
        finally:
            launched.close()


def guarded_context(browser: Browser, guard: RequestGuard, *, viewport: tuple[int, int] = VIEWPORT) -> BrowserContext:
    """A new context (Indonesian locale, Jakarta time) whose requests all go through ``guard``."""
    width, height = viewport
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID", timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(30_000)
    ctx.set_default_navigation_timeout(30_000)
    ctx.route("**/*", guard.handle)
    return ctx


# -- the Streamlit server --------------------------------------------------------------------
@dataclass(frozen=True)
class Server:
    """A running ``streamlit run app.py``."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's combined stdout/stderr."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no server log)"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL built here)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, SIGKILL it when it does not stop in time."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, SERVER_STOP_TIMEOUT_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def streamlit_server(
    app_dir: Path,
    *,
    env: Mapping[str, str],
    log_path: Path,
    timeout: float = SERVER_START_TIMEOUT_S,
    port: int | None = None,
    streamlit_args: Sequence[str] = (),
) -> Iterator[Server]:
    """Run ``streamlit run app.py`` from ``app_dir`` on a free loopback port until the block ends.

    ``port`` (default: a free one) is given when the caller must know it beforehand (an OpenID Connect
    ``redirect_uri``); ``streamlit_args`` are added to the command (e.g. ``--secrets.files=...``).
    The server gets its own process group, killed at exit. Raises
    ``RuntimeError`` (with the server log) when ``/_stcore/health`` does not
    answer within ``timeout`` seconds.
    """
    port = free_port() if port is None else port
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *streamlit_args,
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (fixed command)
            command, cwd=app_dir, env=dict(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(base_url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(f"{server.base_url}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"Streamlit not healthy on port {port} (exit code {process.poll()}):\n{server.log_tail()}"
                raise RuntimeError(msg)
            time.sleep(0.3)
        yield server
    finally:
        _stop(process)


@contextmanager
def store_server(
    app_dir: Path,
    store: Path,
    folder: Path,
    *,
    port: int | None = None,
    streamlit_args: Sequence[str] = (),
    **extra_env: str,
) -> Iterator[Server]:
    """:func:`streamlit_server` reading the store at ``store`` (``ILP_STORE``), its log in ``folder``.

    The test process's own ``ILP_*`` and ``STREAMLIT_*`` variables are left out; ``extra_env`` is added;
    ``port`` and ``streamlit_args`` go to :func:`streamlit_server`.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ILP_", "STREAMLIT_"))}
    env.update({"ILP_STORE": str(store), "PYTHONUNBUFFERED": "1", **extra_env})
    with streamlit_server(
        app_dir, env=env, log_path=folder / "streamlit.log", port=port, streamlit_args=streamlit_args
    ) as running:
        yield running


# -- waiting in the page ----------------------------------------------------------------------
def poll(check: Callable[[], Any], *, timeout: float, interval: float = 0.25) -> Any:
    """Call ``check`` until it returns a truthy value or ``timeout`` passes; its last value."""
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = check()
    return value


def wait_app_idle(page: Page, *, timeout: float = 45.0, settle: float = 0.8) -> bool:
    """Wait until the script has finished and nothing is stale for ``settle`` seconds; False on timeout."""
    deadline = time.monotonic() + timeout
    idle_since: float | None = None
    while time.monotonic() < deadline:
        if page.evaluate(JS_APP_IDLE):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= settle:
                return True
        else:
            idle_since = None
        time.sleep(0.15)
    return False


def folium_frames(page: Page) -> list[Frame]:
    """The streamlit-folium component frames of the page."""
    return [frame for frame in page.frames if FOLIUM_FRAME_MARK in frame.url and not frame.is_detached()]


def map_desa(page: Page) -> list[str] | None:
    """kode_desa drawn on the page's (first) folium map; None when no map has rendered yet."""
    from playwright.sync_api import Error as PlaywrightError

    for frame in folium_frames(page):
        try:
            codes = frame.evaluate(JS_MAP_DESA)
        except PlaywrightError as exc:  # the frame reloading mid-call: not rendered yet
            if "context was destroyed" in str(exc) or "detached" in str(exc).lower():
                continue
            raise
        if codes is not None:
            return list(codes)
    return None


def wait_map_desa(page: Page, *, expected: int | None = None, timeout: float = 30.0) -> list[str] | None:
    """Wait for a map with desa drawn (exactly ``expected`` when given); the codes drawn last seen."""
    seen: list[list[str] | None] = [None]

    def check() -> bool:
        seen[0] = map_desa(page)
        if not seen[0]:
            return False
        return expected is None or len(seen[0]) == expected

    poll(check, timeout=timeout)
    return seen[0]


def poll_page(page: Page, check: Callable[[], Any], *, timeout: float, interval: float = 0.25) -> Any:
    """:func:`poll`, waiting with ``page.wait_for_timeout``: Playwright keeps serving the page meanwhile.

    A plain ``time.sleep`` gives Playwright no turn, so a request held by a route
    handler (the :class:`RequestGuard`) waits until the next call into Playwright.
    """
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        page.wait_for_timeout(interval * 1000)
        value = check()
    return value


@dataclass(frozen=True)
class MapFeatures:
    """What the map runtime (``window.ilpPeta``) of a page has on its map now, each part sorted.

    ``units``: (tingkat, kode, nama) of the units drawn; ``desa``: kode_desa of the desa drawn.
    """

    units: tuple[tuple[str, str, str], ...]
    desa: tuple[str, ...]


def _in_frame(frame: Frame, script: str, arg: Any = None) -> Any:
    """``frame.evaluate(script, arg)``; None while the frame is reloading or gone."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return frame.evaluate(script, arg)
    except PlaywrightError as exc:
        if "context was destroyed" in str(exc) or "detached" in str(exc).lower():
            return None
        raise


def map_features(page: Page) -> MapFeatures | None:
    """Features on the page's first map runtime that draws any (``window.ilpPeta``); None when none does yet."""
    for frame in folium_frames(page):
        rows = _in_frame(frame, JS_MAP_FEATURES)
        if rows:
            units = sorted((str(t), str(k), str(n)) for t, k, n in rows if t != "desa")
            desa = sorted(str(k) for t, k, _ in rows if t == "desa")
            return MapFeatures(units=tuple(units), desa=tuple(desa))
    return None


def wait_map_features(
    page: Page, *, until: Callable[[MapFeatures], bool] | None = None, timeout: float = 30.0
) -> MapFeatures | None:
    """Wait for a map with features drawn (for which ``until`` holds, when given); the features last seen."""
    seen: list[MapFeatures | None] = [None]

    def check() -> bool:
        seen[0] = map_features(page)
        return seen[0] is not None and (until is None or until(seen[0]))

    poll_page(page, check, timeout=timeout)
    return seen[0]


def click_feature(page: Page, kode: str, *, timeout: float = 15.0) -> str:
    """Click, with the mouse, inside the feature ``kode`` drawn on the page's map; how the point was found.

    The frame is scrolled into view and left to settle (Streamlit scrolls smoothly), then the
    point (:data:`JS_FEATURE_CLICK_POINT`) plus the frame's offset is clicked with the page's
    mouse, so the click takes the real path (Leaflet, streamlit-folium, rerun).
    Raises ``LookupError`` when no map draws ``kode`` at a clickable point within ``timeout`` s.
    """
    found: list[tuple[Frame, dict[str, Any]] | None] = [None]

    def check() -> bool:
        for frame in folium_frames(page):
            if _in_frame(frame, JS_FEATURE_CLICK_POINT, kode):
                found[0] = (frame, {})
                return True
        return False

    if not poll_page(page, check, timeout=timeout) or found[0] is None:
        msg = f"no map draws feature {kode!r} at a clickable point (features drawn: {map_features(page)})"
        raise LookupError(msg)
    frame = found[0][0]
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    boxes: list[Any] = [element.bounding_box()]

    def settled() -> bool:
        before, boxes[0] = boxes[0], element.bounding_box()
        return boxes[0] is not None and boxes[0] == before

    poll_page(page, settled, timeout=5.0, interval=0.15)
    point = _in_frame(frame, JS_FEATURE_CLICK_POINT, kode)
    if not point or boxes[0] is None:
        raise LookupError(f"feature {kode!r} is no longer drawn at a clickable point after scrolling to its map")
    x, y = boxes[0]["x"] + float(point["x"]), boxes[0]["y"] + float(point["y"])
    size = page.viewport_size or {"width": VIEWPORT[0], "height": VIEWPORT[1]}
    if not (0 <= x < size["width"] and 0 <= y < size["height"]):
        raise LookupError(f"feature {kode!r}: its point ({x:.0f}, {y:.0f}) is outside the viewport {size}")
    page.mouse.click(x, y)
    return str(point["how"])


def card_values(page: Page) -> dict[str, str]:
    """Label -> value text of every ``st.metric`` card on the page."""
    out: dict[str, str] = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def exception_texts(page: Page) -> list[str]:
    """Texts of the Streamlit exception boxes on the page (empty when there is none)."""
    return [box.inner_text()[:2000] for box in page.locator('[data-testid="stException"]').all()]


def screenshot(page: Page, path: Path, *, full: bool = False, max_height: int = 6000) -> None:
    """Save the viewport, or with ``full`` the whole scrolled content (viewport stretched, then restored)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not full:
        page.screenshot(path=str(path))
        return
    size = page.viewport_size or {"width": 1280, "height": 720}
    height = min(max(int(page.evaluate(JS_CONTENT_HEIGHT)), size["height"]), max_height)
    if height <= size["height"]:
        page.screenshot(path=str(path))
        return
    page.set_viewport_size({"width": size["width"], "height": height})
    try:
        time.sleep(0.6)  # let charts and the map relayout
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
