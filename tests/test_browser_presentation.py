"""End-to-end: presentation mode's filter bar at 1280x720 on a real district (Kabupaten Tasikmalaya).

``streamlit run app.py`` serves the Tasikmalaya store (``tests/conftest.py``); Debian's Chromium
(never downloaded) opens the overview in presentation mode and, like a person at the laptop in a
meeting:

* sees the key cards, the map and the gap bars in the first screen, the trend below;
* chooses a kecamatan in the bar: the map draws exactly its desa, the cards give the engine's figures;
* steps the month with ◀, then with the left arrow key (ignored while typing in a list): the map's
  colours are the engine's statuses of that month, the cards its figures;
* switches to the other pages from the bar, the filters kept.

Screenshots go to ``test-artifacts/screenshots/presentasi/`` (git-ignored). No request may leave
localhost.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from browser_support import (
    RequestGuard,
    Server,
    card_values,
    exception_texts,
    folium_frames,
    poll,
    screenshot,
    wait_app_idle,
    wait_map_desa,
)

from ui import presentation
from ui.fmt import fmt_int, fmt_month, fmt_pct
from ui.i18n import t
from ui.layout import PRESENTATION_TITLE_KEY
from ui.palette import status_color

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from geo.engine import Coverage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR: Final = PROJECT_DIR / "test-artifacts" / "screenshots" / "presentasi"
KABUPATEN: Final = "32.06"  # Kabupaten Tasikmalaya: 351 desa
KABUPATEN_DESA: Final = 351
SCREEN_HEIGHT: Final = 720
MAP_TIMEOUT_S: Final = 40.0
APP_TIMEOUT_MS: Final = 30_000

# Inside the streamlit-folium frame: kode_desa -> fill colour of every desa on the map runtime's map now.
JS_MAP_COLOURS: Final = """
() => {
  const peta = window.ilpPeta;
  if (!peta || !peta.map || !document.querySelector('.leaflet-container')) return null;
  const out = {};
  for (const f of peta.features) {
    const kode = f.feature && f.feature.properties && f.feature.properties.kode_desa;
    if (kode !== undefined && peta.map.hasLayer(f)) out[String(kode)] = String(f.options.fillColor).toLowerCase();
  }
  return out;
}
"""


# -- fixtures ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def engine(browser_available: None, tasikmalaya_store_path: Path) -> Coverage:
    from geo.engine import Coverage
    from loaders.dataset import read_dataset
    from loaders.store import Store

    cov = Coverage(read_dataset(Store(tasikmalaya_store_path)))
    assert len(cov.months) >= 3
    return cov


@pytest.fixture(scope="module")
def server(tasikmalaya_server: Server) -> Server:
    """The session's Tasikmalaya server (``tests/conftest.py``)."""
    return tasikmalaya_server


@pytest.fixture(scope="module")
def context(tasikmalaya_context: BrowserContext) -> BrowserContext:
    """The module's browser context on it."""
    return tasikmalaya_context


# -- the engine's view ------------------------------------------------------------------------------------
def _table(engine: Coverage, month: str) -> pd.DataFrame:
    table = engine.desa_table(month)
    return table[table["kode_kabupaten"].astype(str) == KABUPATEN]


def _month_steps(engine: Coverage) -> tuple[str, str, tuple[str, str, str]]:
    """A kecamatan and three consecutive report months where both steps back change some of its desa' status.

    Returns (kode, nama, (month, the month before, the one before that)), the latest such months, then the
    kecamatan whose fewer changes of the two steps is largest (ties: lowest code). Statuses change in few
    months (the posyandu window), so the test steps where a step shows on the map.
    """
    months = list(engine.months)
    status = {m: _table(engine, m).set_index("kode_desa")["status"].astype(str) for m in months}
    kecamatan = _table(engine, months[-1]).set_index("kode_desa")["kode_kecamatan"].astype(str)
    for i in range(len(months) - 1, 1, -1):
        first = (status[months[i]] != status[months[i - 1]]).groupby(kecamatan).sum()
        second = (status[months[i - 1]] != status[months[i - 2]]).groupby(kecamatan).sum()
        both = pd.concat([first, second], axis=1).min(axis=1)
        if both.max() > 0:
            code = sorted(both.index, key=lambda k: (-both[k], k))[0]
            table = _table(engine, months[-1])
            nama = str(table.loc[table["kode_kecamatan"].astype(str) == code, "nama_kecamatan"].iloc[0])
            return code, nama, (months[i], months[i - 1], months[i - 2])
    raise AssertionError("no two consecutive month steps change any desa's status: the map could not show them")


def _desa(engine: Coverage, month: str, kecamatan: str | None) -> list[str]:
    table = _table(engine, month)
    if kecamatan is not None:
        table = table[table["kode_kecamatan"].astype(str) == kecamatan]
    return sorted(table["kode_desa"].astype(str))


def _expected_cards(engine: Coverage, month: str, codes: list[str]) -> dict[str, str]:
    row = engine.indicators(month, by="kabupaten", kode_desa=codes).iloc[0]
    return {
        t("metric.desa", lang="id"): fmt_int(row["desa"]),
        t("metric.desa_tanpa_keduanya", lang="id"): fmt_int(row["desa_tanpa_keduanya"]),
        t("metric.pct_desa_pustu_aktif", lang="id"): fmt_pct(row["pct_desa_pustu_aktif"]),
        t("metric.pct_desa_posyandu_aktif", lang="id"): fmt_pct(row["pct_desa_posyandu_aktif"]),
    }


def _expected_colours(engine: Coverage, month: str, codes: list[str]) -> dict[str, str]:
    table = _table(engine, month).set_index("kode_desa")
    return {kode: status_color(table.loc[kode, "status"]).lower() for kode in codes}


# -- the page -------------------------------------------------------------------------------------------------
def _open(context: BrowserContext, server: Server, guard: RequestGuard, url: str) -> Page:
    page = context.new_page()
    page.on("websocket", lambda ws: guard.record_websocket(ws.url))
    page.goto(f"{server.base_url}/{url.lstrip('/')}", wait_until="domcontentloaded")
    _settled(page, server, url)
    return page


def _settled(page: Page, server: Server, where: str) -> None:
    assert wait_app_idle(page), f"{where}: the app did not finish running in time\n{server.log_tail()}"
    boxes = exception_texts(page)
    assert not boxes, f"{where}: Streamlit exception box(es):\n" + "\n---\n".join(boxes)


def _map_colours(page: Page) -> dict[str, str] | None:
    from playwright.sync_api import Error as PlaywrightError

    for frame in folium_frames(page):
        try:
            colours = frame.evaluate(JS_MAP_COLOURS)
        except PlaywrightError as exc:  # the frame reloading mid-call
            if "context was destroyed" in str(exc) or "detached" in str(exc).lower():
                continue
            raise
        if colours:
            return dict(colours)
    return None


def _wait_colours(page: Page, expected: dict[str, str]) -> dict[str, str] | None:
    seen: list[dict[str, str] | None] = [None]

    def check() -> bool:
        seen[0] = _map_colours(page)
        return seen[0] == expected

    poll(check, timeout=MAP_TIMEOUT_S)
    return seen[0]


def _wait_url(page: Page, key: str, value: str) -> None:
    page.wait_for_url(re.compile(rf"[?&]{key}={re.escape(value)}(&|$)"), timeout=APP_TIMEOUT_MS)


def _bar(page: Page, key: str) -> Any:
    return page.locator(f".st-key-{key}")


def _choose(page: Page, key: str, text: str) -> None:
    """Pick ``text`` in the bar's selectbox ``key``, like a user (type, click the option)."""
    box = _bar(page, key).locator("input").first
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text, exact=True).click()


def _blur(page: Page) -> None:
    """Click the title: the focus leaves any list, as after a click on the page."""
    page.locator(f".st-key-{PRESENTATION_TITLE_KEY} h1").first.click()


def _bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box["y"] + box["height"]


def _first_screen(page: Page, where: str) -> None:
    """Ringkasan at 1280x720: the bar, then the four cards, the map and the gap bars end on screen; the trend below."""
    assert _bottom(page, f".st-key-{presentation.BAR_KEY}") < 130, where
    cards_bottom = max(_bottom(page, f'[data-testid="stMetric"] >> nth={i}') for i in range(4))
    map_bottom = _bottom(page, 'iframe[src*="streamlit_folium"]')
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 2, f"{where}: the gap bars and the trend"
    bars_bottom = _bottom(page, '[data-testid="stPlotlyChart"] >> nth=0')
    assert max(cards_bottom, map_bottom, bars_bottom) <= SCREEN_HEIGHT, (where, cards_bottom, map_bottom, bars_bottom)


def _shoot(page: Page, name: str) -> None:
    screenshot(page, SCREENSHOT_DIR / f"{name}.png")


def _check_view(page: Page, engine: Coverage, month: str, kecamatan: str | None, where: str) -> None:
    """Cards, the desa drawn and their colours are the engine's for ``month`` and ``kecamatan``."""
    codes = _desa(engine, month, kecamatan)
    drawn = wait_map_desa(page, expected=len(codes), timeout=MAP_TIMEOUT_S)
    assert drawn == codes, f"{where}: {None if drawn is None else len(drawn)} desa drawn, engine: {len(codes)}"
    expected = _expected_colours(engine, month, codes)
    colours = _wait_colours(page, expected)
    wrong = sorted(k for k in expected if (colours or {}).get(k) != expected[k])
    assert not wrong, f"{where}: {len(wrong)} desa coloured unlike their status in {month}, e.g. {wrong[:5]}"
    cards = poll(lambda: card_values(page) == _expected_cards(engine, month, codes), timeout=10.0)
    assert cards, f"{where}: cards {card_values(page)} != engine {_expected_cards(engine, month, codes)}"


# -- the test -----------------------------------------------------------------------------------------------------
def test_presentation_bar_filters_month_keys_and_pages(
    context: BrowserContext, server: Server, engine: Coverage, guard: RequestGuard
) -> None:
    months = list(engine.months)
    latest = months[-1]
    page = _open(context, server, guard, f"?kabupaten={KABUPATEN}&mode=presentasi")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    for key in (*(presentation.W_HALAMAN, presentation.PREV_KEY, presentation.NEXT_KEY), presentation.W_KECAMATAN):
        assert _bar(page, key).is_visible(), key
    assert page.get_by_role("button", name=t("presentasi.exit", lang="id")).is_visible()
    _check_view(page, engine, latest, None, "opened")
    assert len(_desa(engine, latest, None)) == KABUPATEN_DESA

    # -- 1280x720: cards, map and gap bars in the first screen, the trend below ------------------------------------
    _first_screen(page, "opened")
    _shoot(page, "1_ringkasan")
    screenshot(page, SCREENSHOT_DIR / "1_ringkasan_full.png", full=True)

    # -- a kecamatan from the bar -----------------------------------------------------------------------------------
    kode, nama, (bulan, sebelum, sebelumnya) = _month_steps(engine)
    before = card_values(page)
    _choose(page, presentation.W_KECAMATAN, nama)
    _wait_url(page, "kecamatan", kode)
    _settled(page, server, f"kecamatan {nama}")
    _check_view(page, engine, latest, kode, f"kecamatan {nama}, {latest}")
    assert card_values(page) != before and "mode=presentasi" in page.url
    _first_screen(page, f"kecamatan {nama}")  # the breadcrumbs above the map now: it still ends on screen
    _shoot(page, "2_kecamatan")

    # -- the month: the list, ◀, then the left arrow key -------------------------------------------------------------
    _choose(page, presentation.W_BULAN, fmt_month(bulan, lang="id"))
    _wait_url(page, "bulan", bulan)
    _settled(page, server, f"month {bulan} from the list")
    _check_view(page, engine, bulan, kode, f"kecamatan {nama}, {bulan} (list)")
    colours = {bulan: _map_colours(page)}
    _bar(page, presentation.PREV_KEY).locator("button:visible").first.click()
    _wait_url(page, "bulan", sebelum)
    _settled(page, server, f"◀ to {sebelum}")
    _check_view(page, engine, sebelum, kode, f"kecamatan {nama}, {sebelum} (◀)")
    colours[sebelum] = _map_colours(page)
    assert colours[sebelum] != colours[bulan], "◀: the map kept its colours"
    _shoot(page, "3_bulan_tombol")

    _bar(page, presentation.W_KECAMATAN).locator("input").first.click()  # typing in a list: the arrow stays there
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    page.wait_for_timeout(1500)
    assert f"bulan={sebelum}" in page.url, "the arrow key changed the month while the focus was in a list"

    _blur(page)
    page.keyboard.press("ArrowLeft")
    _wait_url(page, "bulan", sebelumnya)
    _settled(page, server, f"ArrowLeft to {sebelumnya}")
    _check_view(page, engine, sebelumnya, kode, f"kecamatan {nama}, {sebelumnya} (ArrowLeft)")
    assert _map_colours(page) != colours[sebelum], "ArrowLeft: the map kept its colours"
    _shoot(page, "4_bulan_panah")
    _blur(page)
    page.keyboard.press("ArrowRight")
    _wait_url(page, "bulan", sebelum)
    _settled(page, server, f"ArrowRight to {sebelum}")
    _check_view(page, engine, sebelum, kode, f"kecamatan {nama}, {sebelum} (ArrowRight)")

    # -- the pages, from the bar: the filters stay -------------------------------------------------------------------
    pages = _bar(page, presentation.W_HALAMAN)
    pages.locator("button", has_text=t("page.peta", lang="id")).click()
    page.wait_for_url(re.compile(r"/peta\?"), timeout=APP_TIMEOUT_MS)
    _settled(page, server, "Peta Kesenjangan from the bar")
    for key, value in (("kecamatan", kode), ("bulan", sebelum), ("mode", "presentasi")):
        assert f"{key}={value}" in page.url, (key, page.url)
    assert page.locator("h1").first.inner_text().strip() == t("peta.title", lang="id")
    _check_view(page, engine, sebelum, kode, "Peta Kesenjangan")
    _shoot(page, "5_peta")

    for name, stem in (("puskesmas", "6_puskesmas"), ("desa", "7_desa"), ("data", "8_data")):
        pages.locator("button", has_text=t(f"page.{name}", lang="id")).click()
        page.wait_for_url(re.compile(rf"/{name}\?"), timeout=APP_TIMEOUT_MS)
        _settled(page, server, f"{name} from the bar")
        assert "mode=presentasi" in page.url and f"bulan={sebelum}" in page.url
        assert page.locator("h1").first.inner_text().strip() == t(f"page.{name}", lang="id")
        assert _bar(page, presentation.W_HALAMAN).is_visible()
        assert _bar(page, presentation.W_KECAMATAN).is_visible() == (name != "data")
        if name != "data" and folium_frames(page):
            wait_map_desa(page, timeout=20.0)
        _shoot(page, stem)

    pages.locator("button", has_text=t("page.ringkasan", lang="id")).click()
    page.wait_for_url(re.compile(r"/\?"), timeout=APP_TIMEOUT_MS)
    _settled(page, server, "back to Ringkasan")
    query = parse_qs(urlsplit(page.url).query)
    assert query["kecamatan"] == [kode] and query["bulan"] == [sebelum]
    # the Puskesmas page chose a puskesmas serving the kecamatan: the overview shows their desa in common
    table = _table(engine, sebelum)
    both = table[
        (table["kode_kecamatan"].astype(str) == kode) & (table["kode_puskesmas"].astype(str) == query["puskesmas"][0])
    ]
    assert len(both) > 0
    expected = _expected_cards(engine, sebelum, sorted(both["kode_desa"].astype(str)))
    assert poll(lambda: card_values(page) == expected, timeout=10.0), (card_values(page), expected)
    _shoot(page, "9_ringkasan_kembali")
    page.close()
    assert not guard.offending, guard.report()
