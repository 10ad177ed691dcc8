"""End-to-end: the map at every scale (issue 9) in a headless Chromium, on Jawa Barat (5,957 desa).

A store of Jawa Barat is built once from ``../shared/data`` (``desa_prov_32.parquet`` with
the boundary importer, synthetic facilities: :func:`benchmarks.map_scale.build_store`),
``streamlit run app.py`` serves it, and Debian's ``/usr/bin/chromium`` (Playwright, never
downloaded) checks on the Ringkasan page that:

* the overview draws the 27 kabupaten/kota of Jawa Barat as units (more than
  :data:`geo.levels.MAX_DESA_DRAWN` desa in the scope), counted inside the streamlit-folium
  frame from the map runtime's features on the map (``window.ilpPeta``);
* a mouse click on Kabupaten Tasikmalaya drills down: the URL follows and the map draws
  exactly its 351 desa; choosing one of its kecamatan (no kabupaten of Jawa Barat holds more
  than 1,000 desa, so its map draws desa, not kecamatan units: the kecamatan is chosen in the
  sidebar) draws exactly that kecamatan's desa;
* each address opened in a new page gives the same map;
* the breadcrumbs lead back up: to the kabupaten's desa, then to the 27 units;
* no Streamlit exception box, no script error in the page or its frames, no request leaving
  localhost.

The time from each navigation or click to the first drawn map is printed (``pytest -s``),
never asserted. Skips when ``../shared/data`` (or its Jawa Barat file) is absent, and when
Chromium or Playwright is missing, except on CI (``CI=true``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import pytest
from browser_support import (
    MapFeatures,
    RequestGuard,
    Server,
    card_values,
    click_feature,
    exception_texts,
    guarded_context,
    store_server,
    wait_app_idle,
    wait_map_features,
)

from geo import levels
from ui.fmt import fmt_int
from ui.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page


PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
JAWA_BARAT_FILE: Final = "desa_prov_32.parquet"  # in ../shared/data/boundaries: 5,957 desa
JAWA_BARAT_DESA: Final = 5957
JAWA_BARAT_KABUPATEN: Final = 27  # kabupaten and kota
STORE_SEED: Final = 2026
KABUPATEN: Final = "32.06"  # Kabupaten Tasikmalaya: 351 desa
KABUPATEN_DESA: Final = 351
MAP_TIMEOUT_S: Final = 120.0  # hang guard: a cold first map of the province (units dissolved once) on a busy machine


# -- fixtures (browser_available, browser, guard, shared_data: tests/conftest.py) ----------------------
@pytest.fixture(scope="session")
def jawa_barat_store_path(browser_available: None, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jawa Barat's desa (boundary importer) and synthetic facilities in a fresh store, built once (read only)."""
    source = shared_data / "boundaries" / JAWA_BARAT_FILE
    if not source.is_file():
        pytest.skip(f"reference file {source} is absent")
    from benchmarks.map_scale import build_store

    path = tmp_path_factory.mktemp("jawa_barat") / "ilp.gpkg"
    build_store("provinsi", path, seed=STORE_SEED)
    return path


@pytest.fixture(scope="module")
def places(jawa_barat_store_path: Path) -> pd.DataFrame:
    """The store's desa layer without geometry (codes and names of every level)."""
    from loaders.store import Store

    desa = Store(jawa_barat_store_path).read_desa()
    frame = pd.DataFrame(desa.drop(columns=desa.geometry.name))
    assert len(frame) == JAWA_BARAT_DESA
    return frame


@pytest.fixture(scope="module")
def server(jawa_barat_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on a free loopback port, reading the Jawa Barat store, no basemap tiles."""
    with store_server(PROJECT_DIR, jawa_barat_store_path, tmp_path_factory.mktemp("browser_levels")) as running:
        yield running


@pytest.fixture(scope="module")
def context(browser: Browser, server: Server, guard: RequestGuard) -> Iterator[BrowserContext]:
    """A context (1280x720, Indonesian locale) whose requests all go through the guard."""
    ctx = guarded_context(browser, guard)
    yield ctx
    ctx.close()


# -- helpers ------------------------------------------------------------------------------------
@dataclass
class Console:
    """Script errors of the pages (uncaught exceptions) and console messages of every frame."""

    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught in {page.url}: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url", "") if message.location else ""
        line = f"[{message.type}] {message.text[:500]} ({where})"
        self.messages.append(line)
        if message.type == "error":
            self.errors.append(line)


def _new_page(context: BrowserContext, guard: RequestGuard, console: Console) -> Page:
    page = context.new_page()
    page.on("websocket", lambda ws: guard.record_websocket(ws.url))
    console.watch(page)
    return page


def _timed(
    page: Page, step: str, action: Callable[[], object], until: Callable[[MapFeatures], bool], server: Server
) -> MapFeatures:
    """Run ``action`` (a navigation or a click), wait for a map for which ``until`` holds, print how long it took."""
    start = time.monotonic()
    action()
    drawn = wait_map_features(page, until=until, timeout=MAP_TIMEOUT_S)
    seconds = time.monotonic() - start
    assert drawn is not None and until(drawn), (
        f"{step}: the map never drew the expected features; last seen: "
        f"{None if drawn is None else (len(drawn.units), len(drawn.desa))} (units, desa)\n{server.log_tail()}"
    )
    print(f"\n{step}: first drawn map after {seconds:.2f} s ({len(drawn.units)} units, {len(drawn.desa)} desa)")
    assert wait_app_idle(page, timeout=MAP_TIMEOUT_S), f"{step}: the app did not finish running\n{server.log_tail()}"
    boxes = exception_texts(page)
    assert not boxes, f"{step}: Streamlit exception box(es):\n" + "\n---\n".join(boxes)
    return drawn


def _desa_of(places: pd.DataFrame, column: str, kode: str) -> tuple[str, ...]:
    return tuple(sorted(places.loc[places[column].astype(str) == kode, "kode_desa"].astype(str)))


def _units_only(expected: tuple[tuple[str, str, str], ...]) -> Callable[[MapFeatures], bool]:
    return lambda drawn: drawn.units == expected and not drawn.desa


def _desa_only(expected: tuple[str, ...]) -> Callable[[MapFeatures], bool]:
    return lambda drawn: drawn.desa == expected and not drawn.units


def _chosen_kecamatan(places: pd.DataFrame) -> tuple[str, str]:
    """The kecamatan of :data:`KABUPATEN` with most desa (ties: lowest code): (code, name)."""
    rows = places[places["kode_kabupaten"].astype(str) == KABUPATEN]
    sizes = rows.groupby(rows["kode_kecamatan"].astype(str)).size()
    code = sorted(sizes.index, key=lambda k: (-sizes[k], k))[0]
    return code, str(rows.loc[rows["kode_kecamatan"].astype(str) == code, "nama_kecamatan"].iloc[0])


def _select_kecamatan(page: Page, name: str) -> None:
    """Pick ``name`` in the sidebar's kecamatan multiselect, like a user."""
    widget = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(t("filter.kecamatan", lang="id"), exact=True)
    )
    widget.locator("input").first.click()
    widget.locator("input").first.fill(name)
    page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")


def _crumb(page: Page, name: str) -> None:
    """Click the breadcrumb ``name`` above the map (a button "name ›")."""
    page.locator('[data-testid="stMain"]').get_by_role("button", name=f"{name} ›", exact=True).click()


def _desa_card(page: Page) -> str | None:
    """The value of the "Desa" card (how many desa the scope holds)."""
    return card_values(page).get(t("metric.desa", lang="id"))


def _query(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


# -- the test -----------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.slow
def test_jawa_barat_overview_drills_down_by_click_and_back_up_by_breadcrumbs(
    context: BrowserContext, server: Server, guard: RequestGuard, places: pd.DataFrame
) -> None:
    console = Console()
    kabupaten = places[["kode_kabupaten", "nama_kabupaten"]].drop_duplicates().astype(str)
    all_units = tuple(sorted((levels.KABUPATEN, k, n) for k, n in kabupaten.itertuples(index=False)))
    assert len(all_units) == JAWA_BARAT_KABUPATEN
    kab_desa = _desa_of(places, "kode_kabupaten", KABUPATEN)
    assert len(kab_desa) == KABUPATEN_DESA
    kec_code, kec_name = _chosen_kecamatan(places)
    kec_desa = _desa_of(places, "kode_kecamatan", kec_code)
    assert 0 < len(kec_desa) < len(kab_desa)
    provinsi_name = str(places["nama_provinsi"].iloc[0])
    kab_name = str(kabupaten.loc[kabupaten["kode_kabupaten"] == KABUPATEN, "nama_kabupaten"].iloc[0])

    # 1. the overview: the 27 kabupaten/kota as units
    page = _new_page(context, guard, console)
    drawn = _timed(
        page,
        "Jawa Barat overview (navigation)",
        lambda: page.goto(f"{server.base_url}/?", wait_until="domcontentloaded"),
        _units_only(all_units),
        server,
    )
    assert len(drawn.units) == JAWA_BARAT_KABUPATEN
    assert {tingkat for tingkat, _, _ in drawn.units} == {levels.KABUPATEN}
    assert _desa_card(page) == fmt_int(JAWA_BARAT_DESA)

    # 2. a click on Kabupaten Tasikmalaya: its 351 desa, the URL follows
    how: list[str] = []
    drawn = _timed(
        page,
        f"click on kabupaten {KABUPATEN}",
        lambda: how.append(click_feature(page, KABUPATEN)),
        _desa_only(kab_desa),
        server,
    )
    print(f"(clicked at the feature's {how[0]} point)")
    page.wait_for_url(re.compile(rf"[?&]kabupaten={re.escape(KABUPATEN)}(&|$)"), timeout=30_000)
    assert len(drawn.desa) == KABUPATEN_DESA
    kabupaten_url = page.url
    print(f"(address: {kabupaten_url})")
    assert _query(kabupaten_url).get("kabupaten") == KABUPATEN
    assert "kecamatan" not in _query(kabupaten_url)
    kabupaten_cards = card_values(page)
    assert kabupaten_cards.get(t("metric.desa", lang="id")) == fmt_int(KABUPATEN_DESA)

    # 3. one of its kecamatan (chosen in the sidebar: a kabupaten of 351 desa is drawn as desa)
    _timed(
        page,
        f"kecamatan {kec_code} chosen in the sidebar",
        lambda: _select_kecamatan(page, kec_name),
        _desa_only(kec_desa),
        server,
    )
    page.wait_for_url(re.compile(rf"[?&]kecamatan={re.escape(kec_code)}(&|$)"), timeout=30_000)
    kecamatan_url = page.url
    print(f"(address: {kecamatan_url})")
    assert _query(kecamatan_url).get("kabupaten") == KABUPATEN
    kecamatan_cards = card_values(page)
    assert kecamatan_cards.get(t("metric.desa", lang="id")) == fmt_int(len(kec_desa))

    # 4. each address in a new page: the same map and cards
    for step, url, expected, cards in (
        ("kabupaten address in a new page", kabupaten_url, kab_desa, kabupaten_cards),
        ("kecamatan address in a new page", kecamatan_url, kec_desa, kecamatan_cards),
    ):
        again = _new_page(context, guard, console)
        _timed(
            again, step, lambda a=again, u=url: a.goto(u, wait_until="domcontentloaded"), _desa_only(expected), server
        )
        assert card_values(again) == cards, step
        again.close()

    # 5. the breadcrumbs lead back up: the kabupaten, then Jawa Barat
    _timed(page, f"breadcrumb {kab_name}", lambda: _crumb(page, kab_name), _desa_only(kab_desa), server)
    page.wait_for_url(lambda url: "kecamatan" not in _query(url), timeout=30_000)
    assert _query(page.url).get("kabupaten") == KABUPATEN
    _timed(page, f"breadcrumb {provinsi_name}", lambda: _crumb(page, provinsi_name), _units_only(all_units), server)
    page.wait_for_url(lambda url: "kabupaten" not in _query(url), timeout=30_000)
    assert _desa_card(page) == fmt_int(JAWA_BARAT_DESA)
    page.close()

    if console.messages:
        print("\nconsole (each message once):\n" + "\n".join(dict.fromkeys(console.messages)))
    assert not console.errors, "script errors in the pages:\n" + "\n".join(console.errors)
    assert not guard.offending, guard.report()
