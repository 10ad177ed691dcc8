"""End-to-end: the Desa page's map in Chromium on a real district (Kabupaten Tasikmalaya).

``streamlit run app.py`` serves the Tasikmalaya store (``tests/conftest.py``); Debian's Chromium
(never downloaded) opens the Desa page of a few desa (the one farthest from an active pustu, the
widest one, one with its own active pustu) and checks on screen:

* the legend box does not overlap the desa polygon's screen box, and the desa lies inside the map;
* the dashed line to the nearest active pustu is drawn from the desa's point to the engine's pustu,
  labelled with the engine's distance; the neighbouring desa are outlined.

Screenshots go to ``test-artifacts/screenshots/desa/`` (git-ignored). No request may leave localhost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest
import shapely
from browser_support import (
    Server,
    exception_texts,
    folium_frames,
    poll,
    screenshot,
    wait_app_idle,
)

from geo.surroundings import nearest_pustu, touching_desa
from ui.fmt import fmt_km

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from geo.engine import Coverage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR: Final = PROJECT_DIR / "test-artifacts" / "screenshots" / "desa"
MAP_TIMEOUT_S: Final = 40.0

# Inside the streamlit-folium frame: screen boxes (relative to the map) of the desa drawn, the legend and the
# map, the dashed line's ends, the permanent labels and how many grey outlines (neighbours) are drawn.
JS_DESA_MAP: Final = """
() => {
  const peta = window.ilpPeta;
  const legend = document.querySelector('.ilp-legend');
  if (!peta || !peta.map || !legend || !legend.children.length) return null;
  const map = peta.map;
  const drawn = peta.features.filter((f) => map.hasLayer(f));
  if (drawn.length !== 1) return null;
  const b = drawn[0].getBounds();
  const sw = map.latLngToContainerPoint(b.getSouthWest()), ne = map.latLngToContainerPoint(b.getNorthEast());
  const box = map.getContainer().getBoundingClientRect(), lg = legend.getBoundingClientRect();
  const lines = [], outlines = [];
  map.eachLayer((layer) => {
    if (layer instanceof L.Polygon) {
      if (layer.options.color === '#8C8C8C' && layer.options.fillOpacity === 0) outlines.push(layer);
    } else if (layer instanceof L.Polyline && layer.options.dashArray === '6 5') {
      lines.push(layer.getLatLngs().map((p) => [p.lat, p.lng]));
    }
  });
  const labels = Array.from(document.querySelectorAll('.ilp-label span')).map((s) => s.textContent);
  return {
    desa: [sw.x, ne.y, ne.x, sw.y],
    legend: [lg.left - box.left, lg.top - box.top, lg.right - box.left, lg.bottom - box.top],
    size: [map.getSize().x, map.getSize().y],
    lines: lines, outlines: outlines.length, labels: labels, legendText: legend.textContent,
  };
}
"""


@pytest.fixture(scope="module")
def engine(browser_available: None, tasikmalaya_store_path: Path) -> Coverage:
    from geo.engine import Coverage
    from loaders.dataset import read_dataset
    from loaders.store import Store

    return Coverage(read_dataset(Store(tasikmalaya_store_path)))


@pytest.fixture(scope="module")
def server(tasikmalaya_server: Server) -> Server:
    """The session's Tasikmalaya server (``tests/conftest.py``)."""
    return tasikmalaya_server


@pytest.fixture(scope="module")
def context(tasikmalaya_context: BrowserContext) -> BrowserContext:
    """The module's browser context on it."""
    return tasikmalaya_context


def _chosen_desa(engine: Coverage) -> dict[str, str]:
    """name -> kode_desa: the desa farthest from an active pustu, the widest desa, the first with its own pustu."""
    table = engine.desa_table(engine.latest_month)
    geometries = engine.desa_geometries().set_index("kode_desa").geometry
    bounds = shapely.bounds(geometries.to_numpy())
    aspect = (bounds[:, 2] - bounds[:, 0]) / (bounds[:, 3] - bounds[:, 1])
    farthest = table.sort_values(["jarak_pustu_km", "kode_desa"], ascending=[False, True]).iloc[0]["kode_desa"]
    own = table[table["pustu_aktif"] > 0].sort_values("kode_desa").iloc[0]["kode_desa"]
    return {"terjauh": str(farthest), "terlebar": str(geometries.index[aspect.argmax()]), "pustu_sendiri": str(own)}


def _read_map(page: Page) -> dict[str, Any] | None:
    from playwright.sync_api import Error as PlaywrightError

    for frame in folium_frames(page):
        try:
            found = frame.evaluate(JS_DESA_MAP)
        except PlaywrightError as exc:  # the frame reloading mid-call
            if "context was destroyed" in str(exc) or "detached" in str(exc).lower():
                continue
            raise
        if found:
            return dict(found)
    return None


@pytest.mark.parametrize("which", ["terjauh", "terlebar", "pustu_sendiri"])
def test_legend_off_the_desa_line_to_the_engines_pustu(
    which: str, engine: Coverage, context: BrowserContext, server: Server
) -> None:
    kode = _chosen_desa(engine)[which]
    month = engine.latest_month
    found = nearest_pustu(engine, kode, month)
    assert found is not None and found.found
    page = context.new_page()
    try:
        page.goto(f"{server.base_url}/desa?desa={kode}", wait_until="domcontentloaded")
        assert wait_app_idle(page), f"the app did not finish in time\n{server.log_tail()}"
        assert not exception_texts(page)
        seen: list[dict[str, Any] | None] = [None]

        def ready() -> bool:
            seen[0] = _read_map(page)
            return bool(seen[0] and seen[0]["outlines"])

        poll(ready, timeout=MAP_TIMEOUT_S)
        shown = seen[0]
        assert shown is not None, f"{kode}: the desa map did not render"
        page.locator('iframe[src*="streamlit_folium"]').first.scroll_into_view_if_needed()
        screenshot(page, SCREENSHOT_DIR / f"desa_{which}_{kode}.png")
    finally:
        page.close()
    left, top, right, bottom = shown["desa"]
    width, height = shown["size"]
    assert 0 <= left < right <= width and 0 <= top < bottom <= height, (kode, shown)  # the desa is on screen
    l_left, l_top, l_right, l_bottom = shown["legend"]
    overlap = left < l_right and l_left < right and top < l_bottom and l_top < bottom
    assert not overlap, f"{kode}: the legend {shown['legend']} covers the desa {shown['desa']}"
    assert shown["outlines"] == len(touching_desa(engine, kode))
    jarak = fmt_km(found.jarak_km)
    assert f"{found.nama} ({jarak})" in shown["legendText"]
    if found.lon == found.desa_lon and found.lat == found.desa_lat:
        assert shown["lines"] == []
    else:
        assert shown["lines"] == [
            [[round(found.desa_lat, 6), round(found.desa_lon, 6)], [round(found.lat, 6), round(found.lon, 6)]]
        ]
        assert jarak in shown["labels"]
