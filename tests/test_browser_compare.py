"""The Bandingkan page in a headless browser: three maps (two months, the changes) that pan and zoom together.

Kabupaten Tasikmalaya from ``../shared/data`` (the session store of ``tests/conftest.py``),
``streamlit run app.py`` on loopback, Chromium at 1280x720. The maps are separate
streamlit-folium frames; ``ui/js/peta.js`` hands a map's view to the maps of its sync group.
The test moves one map from inside its frame and reads the others' centre and zoom, then moves
another one back. A screenshot goes to ``test-artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest
from browser_support import (
    RequestGuard,
    Server,
    folium_frames,
    poll,
    screenshot,
    wait_app_idle,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Frame, Page

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
SCREENSHOTS: Final = PROJECT_DIR / "test-artifacts" / "screenshots"
URL: Final = "bandingkan?bulan=2026-10&banding=2025-12&min_bulan=12"
MAPS: Final = 3  # status before, status after, changes
WAIT_S: Final = 180.0  # hang guard on a busy machine (a cold server computes the store first)
# Centre and zoom of the map runtime of a frame (null while it is not there yet).
JS_VIEW: Final = """
() => {
  const api = window.ilpPeta;
  if (!api || !api.map) return null;
  const c = api.map.getCenter();
  return {lat: c.lat, lng: c.lng, zoom: api.map.getZoom(), sync: api.sync};
}
"""
JS_MOVE: Final = """
(view) => { window.ilpPeta.map.setView([view.lat, view.lng], view.zoom, {animate: false}); return true; }
"""


@pytest.fixture(scope="module")
def server(tasikmalaya_server: Server) -> Server:
    """The session's Tasikmalaya server (``tests/conftest.py``)."""
    return tasikmalaya_server


@pytest.fixture(scope="module")
def context(tasikmalaya_context: BrowserContext) -> BrowserContext:
    """The module's browser context on it."""
    return tasikmalaya_context


def _views(page: Page) -> list[tuple[Frame, dict[str, Any]]]:
    """(frame, centre and zoom) of every map runtime on the page, in page order."""
    from playwright.sync_api import Error as PlaywrightError

    out = []
    for frame in folium_frames(page):
        try:
            view = frame.evaluate(JS_VIEW)
        except PlaywrightError:  # a frame reloading mid-call: not ready yet
            continue
        if view:
            out.append((frame, view))
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return abs(a["lat"] - b["lat"]) < 1e-6 and abs(a["lng"] - b["lng"]) < 1e-6 and a["zoom"] == b["zoom"]


@pytest.mark.browser
def test_the_three_maps_pan_and_zoom_together(context: BrowserContext, server: Server, guard: RequestGuard) -> None:
    page = context.new_page()
    page.on("websocket", lambda ws: guard.record_websocket(ws.url))
    page.goto(f"{server.base_url}/{URL}", wait_until="domcontentloaded")
    assert wait_app_idle(page, timeout=WAIT_S), f"the app did not finish running\n{server.log_tail()}"
    ready = poll(lambda: len(_views(page)) >= MAPS, timeout=WAIT_S)
    assert ready, f"three maps expected, found {[v for _, v in _views(page)]}\n{server.log_tail()}"
    views = _views(page)
    assert len(views) == MAPS
    assert {v["sync"] for _, v in views} == {"bandingkan"}

    first, start = views[0]
    target = {"lat": start["lat"] + 0.02, "lng": start["lng"] - 0.03, "zoom": start["zoom"] + 1}
    first.evaluate(JS_MOVE, target)
    followed = poll(lambda: all(_same(v, target) for _, v in _views(page)), timeout=10)
    assert followed, [v for _, v in _views(page)]

    last, _ = _views(page)[-1]
    back = {"lat": start["lat"], "lng": start["lng"], "zoom": start["zoom"]}
    last.evaluate(JS_MOVE, back)
    followed = poll(lambda: all(_same(v, back) for _, v in _views(page)), timeout=10)
    assert followed, [v for _, v in _views(page)]
    page.wait_for_timeout(500)  # no echo: the views stay where they were put
    assert all(_same(v, back) for _, v in _views(page))

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SCREENSHOTS / "bandingkan_1280x720.png", full=True)
    assert guard.offending == [], guard.report()  # offline: nothing left localhost
    page.close()
