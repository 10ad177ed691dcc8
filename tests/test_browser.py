"""End-to-end: the dashboard in a headless Chromium against a real district (Kabupaten Tasikmalaya).

A store is built from ``../shared/data`` with the importers, ``streamlit run
app.py`` serves it, and Debian's ``/usr/bin/chromium`` (driven by Playwright,
never downloaded) checks that:

* the overview map draws exactly the desa of the filter (counted inside the
  streamlit-folium frame from the Leaflet layers) and the engine agrees;
* choosing a kecamatan in the sidebar changes the map and the cards, and the
  address then reproduces that view in a new tab;
* no page shows a Streamlit exception box;
* no request leaves localhost (every other request is aborted and listed).

Screenshots of every page, normal and presentation mode, go to
``test-artifacts/screenshots/`` (git-ignored) for a human to look at.

Skips when ``../shared/data`` is absent, and when Chromium or Playwright is
missing, except on CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import pytest
from browser_support import (
    VIEWPORT,
    RequestGuard,
    Server,
    card_values,
    exception_texts,
    folium_frames,
    guarded_context,
    is_local_url,
    screenshot,
    store_server,
    wait_app_idle,
    wait_map_desa,
)

from ui.fmt import fmt_int, fmt_pct
from ui.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

    from geo.engine import Coverage


PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR: Final = PROJECT_DIR / "test-artifacts" / "screenshots"
KABUPATEN: Final = "32.06"  # Kabupaten Tasikmalaya: 351 desa in 39 kecamatan
KABUPATEN_DESA: Final = 351
Viewport = tuple[int, int]  # width, height
VIEWPORT_LARGE: Final[Viewport] = (1920, 1080)
TABS_AT_ONCE: Final = 2  # views loaded in parallel (separate sessions) to keep the test short
PAGES: Final = ("ringkasan", "peta", "puskesmas", "desa", "data")  # url path: "" for ringkasan
PAGES_WITH_DESA_MAP: Final = frozenset({"ringkasan", "peta"})
MAP_TIMEOUT_S: Final = 40.0


# -- fixtures (browser_available, browser, guard and the Tasikmalaya store: tests/conftest.py) -----
@pytest.fixture(scope="module")
def store_path(browser_available: None, tasikmalaya_store_path: Path) -> Path:
    """The session's Tasikmalaya store (``tests/conftest.py``), once the browser is known to be there."""
    return tasikmalaya_store_path


@pytest.fixture(scope="module")
def engine(store_path: Path) -> Coverage:
    """The coverage engine on the same store, default rules (what the app shows by default)."""
    from geo.engine import Coverage
    from loaders.dataset import read_dataset
    from loaders.store import Store

    return Coverage(read_dataset(Store(store_path)))


@pytest.fixture(scope="module")
def desa_table(engine: Coverage) -> pd.DataFrame:
    """``desa_table`` of the latest month (the month the app opens on)."""
    assert engine.latest_month == "2026-10"
    return engine.desa_table(engine.latest_month)


@pytest.fixture(scope="module")
def server(tasikmalaya_server: Server) -> Server:
    """The session's Tasikmalaya server (``tests/conftest.py``)."""
    return tasikmalaya_server


@pytest.fixture(scope="module")
def context(tasikmalaya_context: BrowserContext) -> BrowserContext:
    """The module's browser context on it."""
    return tasikmalaya_context


# -- helpers ------------------------------------------------------------------------------------
def _start(context: BrowserContext, server: Server, guard: RequestGuard, url: str, *, viewport: Viewport) -> Page:
    """A new tab (a new Streamlit session) loading ``url``; does not wait for the app."""
    page = context.new_page()
    page.on("websocket", lambda ws: guard.record_websocket(ws.url))
    if viewport != VIEWPORT:
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    full = url if url.startswith("http") else f"{server.base_url}/{url.lstrip('/')}"
    page.goto(full, wait_until="domcontentloaded")
    return page


def _ready(page: Page, server: Server) -> Page:
    """Wait until the app in ``page`` has finished its run (fails with the server log otherwise)."""
    assert wait_app_idle(page), f"{page.url}: the app did not finish running in time\n{server.log_tail()}"
    return page


def _open(
    context: BrowserContext, server: Server, guard: RequestGuard, url: str, *, viewport: Viewport = VIEWPORT
) -> Page:
    """A new tab on ``url``, waited until the script has finished."""
    return _ready(_start(context, server, guard, url, viewport=viewport), server)


def _no_exception(page: Page, where: str) -> None:
    boxes = exception_texts(page)
    assert not boxes, f"{where}: Streamlit exception box(es):\n" + "\n---\n".join(boxes)


def _codes(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["kode_desa"].astype(str))


def _expected_cards(engine: Coverage, codes: list[str]) -> dict[str, str]:
    """The card texts the engine gives for these desa (labels and formats of the app)."""
    row = engine.indicators(engine.latest_month, by="kabupaten", kode_desa=codes).iloc[0]
    return {
        t("metric.desa", lang="id"): fmt_int(row["desa"]),
        t("metric.desa_tanpa_keduanya", lang="id"): fmt_int(row["desa_tanpa_keduanya"]),
        t("metric.pct_desa_pustu_aktif", lang="id"): fmt_pct(row["pct_desa_pustu_aktif"]),
        t("metric.pct_desa_posyandu_aktif", lang="id"): fmt_pct(row["pct_desa_posyandu_aktif"]),
    }


def _chosen_kecamatan(table: pd.DataFrame) -> tuple[str, str, list[str]]:
    """A kecamatan to filter on: the one with most desa (ties: lowest code); (code, name, its desa)."""
    sizes = table.groupby(table["kode_kecamatan"].astype(str)).size()
    code = sorted(sizes.index, key=lambda k: (-sizes[k], k))[0]
    rows = table[table["kode_kecamatan"].astype(str) == code]
    return code, str(rows["nama_kecamatan"].iloc[0]), _codes(rows)


def _select_kecamatan(page: Page, name: str) -> None:
    """Pick ``name`` in the sidebar's kecamatan multiselect, like a user."""
    label = t("filter.kecamatan", lang="id")
    widget = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(label, exact=True)
    )
    widget.locator("input").first.click()
    widget.locator("input").first.fill(name)
    page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")


# -- tests --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8501/_stcore/health", True),
        ("http://localhost:8501/app/static/vendor/leaflet/leaflet.js", True),
        ("http://[::1]:8501/", True),
        ("data:image/png;base64,AAAA", True),
        ("blob:http://127.0.0.1:8501/5d1c", True),
        ("https://unpkg.com/leaflet@1.9.4/dist/leaflet.js", False),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css", False),
        ("https://fonts.googleapis.com/css?family=Source+Sans", False),
        ("http://127.0.0.1.example.com/x.js", False),
        ("http://10.0.0.5:8501/", False),
    ],
)
def test_is_local_url(url: str, local: bool) -> None:
    assert is_local_url(url) is local


@pytest.mark.browser
def test_request_guard_aborts_and_lists_off_host_requests(browser: Browser) -> None:
    guard = RequestGuard()
    ctx = guarded_context(browser, guard)
    page = ctx.new_page()
    page.set_content(
        '<img src="https://tiles.example.invalid/1/2/3.png">'
        '<script src="https://cdn.example.invalid/leaflet.js"></script>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
    )
    ctx.close()
    assert sorted(guard.offending) == [
        "https://cdn.example.invalid/leaflet.js",
        "https://tiles.example.invalid/1/2/3.png",
    ]
    assert "https://cdn.example.invalid/leaflet.js" in guard.report()


@pytest.mark.browser
@pytest.mark.slow
def test_overview_map_follows_kecamatan_filter_and_url(
    context: BrowserContext, server: Server, engine: Coverage, desa_table: pd.DataFrame, guard: RequestGuard
) -> None:
    kabupaten = desa_table[desa_table["kode_kabupaten"].astype(str) == KABUPATEN]
    assert len(kabupaten) == KABUPATEN_DESA

    page = _open(context, server, guard, f"?kabupaten={KABUPATEN}")
    _no_exception(page, "Ringkasan (Tasikmalaya)")
    drawn = wait_map_desa(page, expected=len(kabupaten), timeout=MAP_TIMEOUT_S)
    assert drawn is not None, f"the overview map drew no desa (blank map?)\n{guard.report()}"
    assert len(drawn) == len(kabupaten) and drawn == _codes(kabupaten)
    before = card_values(page)
    expected_before = _expected_cards(engine, _codes(kabupaten))
    assert {k: before.get(k) for k in expected_before} == expected_before
    assert before[t("metric.desa", lang="id")] == "351"

    code, name, kec_codes = _chosen_kecamatan(kabupaten)
    assert 0 < len(kec_codes) < len(kabupaten)
    _select_kecamatan(page, name)
    page.wait_for_url(re.compile(rf"[?&]kecamatan={re.escape(code)}(&|$)"), timeout=30_000)
    assert wait_app_idle(page), f"the app did not finish after choosing {name}\n{server.log_tail()}"
    _no_exception(page, f"Ringkasan (kecamatan {name})")
    drawn = wait_map_desa(page, expected=len(kec_codes), timeout=MAP_TIMEOUT_S)
    assert drawn is not None and len(drawn) == len(kec_codes), (
        f"map after choosing {name}: {None if drawn is None else len(drawn)} desa drawn, engine: {len(kec_codes)}"
    )
    assert drawn == kec_codes
    after = card_values(page)
    assert after != before
    expected_after = _expected_cards(engine, kec_codes)
    assert {k: after.get(k) for k in expected_after} == expected_after
    assert after[t("metric.desa", lang="id")] == fmt_int(len(kec_codes))

    shared_url = page.url
    assert f"kabupaten={KABUPATEN}" in shared_url
    again = _open(context, server, guard, shared_url)
    _no_exception(again, f"Ringkasan from the shared address {shared_url}")
    drawn_again = wait_map_desa(again, expected=len(kec_codes), timeout=MAP_TIMEOUT_S)
    assert drawn_again == kec_codes
    assert card_values(again) == after
    again.close()
    page.close()
    assert not guard.offending, guard.report()


@dataclass(frozen=True)
class View:
    """One screenshot: a page, its address and mode, the file stem."""

    page: str
    url: str
    stem: str
    presentasi: bool = False
    viewport: Viewport = VIEWPORT
    full: bool = True


def _desa_to_show(table: pd.DataFrame) -> str:
    """A desa with a gap and the most posyandu (its page then has tables and a chart to look at)."""
    rows = table[(table["status"].astype(str) != "lengkap") & (table["posyandu_total"] > 0)]
    rows = rows if len(rows) else table
    ranked = sorted(zip(-rows["posyandu_total"].astype(int), rows["kode_desa"].astype(str), strict=True))
    return ranked[0][1]


def _views(desa: str) -> list[View]:
    views: list[View] = []
    for name in PAGES:
        query = f"kabupaten={KABUPATEN}" + (f"&desa={desa}" if name == "desa" else "")
        url = f"{'' if name == 'ringkasan' else name}?{query}"
        views.append(View(name, url, name))
        views.append(View(name, f"{url}&mode=presentasi", f"{name}_presentasi", presentasi=True))
    views.append(View("ringkasan", f"?kabupaten={KABUPATEN}", "ringkasan_1920", viewport=VIEWPORT_LARGE, full=False))
    return views


def _check_and_shoot(page: Page, view: View) -> list[str]:
    """Problems of one rendered view; saves its screenshot(s)."""
    where = f"{view.stem} ({view.url})"
    exceptions = exception_texts(page)
    problems = [f"{where}: exception box: {text[:500]}" for text in exceptions]
    # (a failed run draws no map: no point in waiting for one)
    if not exceptions and view.page in PAGES_WITH_DESA_MAP:
        if not wait_map_desa(page, timeout=MAP_TIMEOUT_S):
            problems.append(f"{where}: the map drew no desa (blank map)")
    elif not exceptions and folium_frames(page):
        wait_map_desa(page, timeout=15.0)  # let it render before the screenshot; its content is not checked
    sidebar_visible = page.locator('[data-testid="stSidebar"]').is_visible()
    if sidebar_visible == view.presentasi:
        problems.append(f"{where}: sidebar {'shown' if sidebar_visible else 'hidden'} in this mode")
    exit_button = page.get_by_role("button", name=t("presentasi.exit", lang="id"))
    if view.presentasi and not exit_button.is_visible():
        problems.append(f"{where}: no visible button to leave presentation mode")
    if view.page == "data" and not exceptions:
        problems.extend(f"{where}: {problem}" for problem in _uploader_problems(page))
    screenshot(page, SCREENSHOT_DIR / f"{view.stem}.png")
    if view.full:
        screenshot(page, SCREENSHOT_DIR / f"{view.stem}_full.png", full=True)
    return problems


# The uploader's own texts (hidden: font size 0) and the texts drawn over them (::after)
JS_UPLOADER_TEXTS: Final = """
() => {
  const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
  if (!zone) return null;
  const button = zone.querySelector('[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p');
  const hint = document.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  const drawn = (e) => getComputedStyle(e, '::after').content;
  return {button: [button.textContent, getComputedStyle(button).fontSize, drawn(button)],
          hint: [hint.textContent, getComputedStyle(hint).fontSize, drawn(hint)]};
}
"""


def _uploader_problems(page: Page) -> list[str]:
    """The uploader must show Indonesian texts (with the size limit), its English ones hidden."""
    texts = page.evaluate(JS_UPLOADER_TEXTS)
    if texts is None:
        return ["no file uploader on the Data page"]
    expected = {
        "button": ("Upload", t("unggah.pilih", lang="id")),
        "hint": ("200MB per file", t("unggah.batas", lang="id", mb=200)),
    }
    problems = []
    for name, (english, indonesian) in expected.items():
        own, size, drawn = texts[name]
        if own == english and size != "0px":
            problems.append(f"uploader {name}: English {own!r} still visible ({size})")
        if drawn != f'"{indonesian}"':
            problems.append(f"uploader {name}: draws {drawn}, expected {indonesian!r}")
    return problems


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_renders_offline_without_errors(
    context: BrowserContext, server: Server, desa_table: pd.DataFrame, guard: RequestGuard
) -> None:
    desa = _desa_to_show(desa_table)
    views = _views(desa)
    for old in SCREENSHOT_DIR.glob("*.png"):  # this test's own artifacts from an earlier run
        old.unlink()
    problems: list[str] = []
    for first in range(0, len(views), TABS_AT_ONCE):
        batch = views[first : first + TABS_AT_ONCE]
        pages = [_start(context, server, guard, view.url, viewport=view.viewport) for view in batch]
        for view, page in zip(batch, pages, strict=True):
            problems.extend(_check_and_shoot(_ready(page, server), view))
            page.close()
    assert not problems, "\n".join(problems)
    assert not guard.offending, guard.report()
    expected = {f"{v.stem}.png" for v in views} | {f"{v.stem}_full.png" for v in views if v.full}
    written = {p.name: p.stat().st_size for p in SCREENSHOT_DIR.glob("*.png")}
    assert set(written) == expected
    assert min(written.values()) > 10_000  # not blank images


# -- two people saving at once on the Data page ---------------------------------------------------
SAVE_KAB: Final = "52.71"  # Kota Mataram: 50 desa, small files


@pytest.fixture(scope="module")
def writable_store(browser_available: None, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of its own (Kota Mataram's desa only), for the tests that write."""
    from loaders.importing import run_import
    from loaders.store import Store

    store = Store(tmp_path_factory.mktemp("browser_save") / "ilp.gpkg")
    run_import("boundaries", shared_data / "boundaries" / f"desa_{SAVE_KAB}.geojson", store=store)
    return store.path


@pytest.fixture(scope="module")
def writable_server(writable_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on :func:`writable_store`."""
    with store_server(PROJECT_DIR, writable_store, tmp_path_factory.mktemp("browser_save_server")) as running:
        yield running


def _upload_facilities(page: Page, server: Server, source: Path) -> None:
    """Choose 'Fasilitas', upload ``source`` and wait for its preview with the save button."""
    page.locator("[data-testid='stMain'] button", has_text=t("impor.kind.facilities", lang="id")).first.click()
    assert wait_app_idle(page), server.log_tail()
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(source))
    _save_button(page).wait_for(timeout=60_000)
    assert wait_app_idle(page), server.log_tail()


def _save_button(page: Page) -> Locator:
    return page.locator("button", has_text=t("impor.simpan", lang="id"))


def _alerts(page: Page) -> str:
    return "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts())


@pytest.mark.browser
@pytest.mark.slow
def test_two_sessions_saving_at_once_both_changes_survive(
    browser: Browser, writable_server: Server, writable_store: Path, guard: RequestGuard, shared_data: Path
) -> None:
    from loaders.store import Store

    store = Store(writable_store)
    files = {"pustu": shared_data / "fasilitas" / f"pustu_{SAVE_KAB}.csv"}
    files["posyandu"] = shared_data / "fasilitas" / f"posyandu_{SAVE_KAB}.csv"
    ctx = guarded_context(browser, guard)
    try:
        pages = {kind: _open(ctx, writable_server, guard, "data") for kind in files}
        for kind, page in pages.items():
            _upload_facilities(page, writable_server, files[kind])
        assert store.version() == 1
        buttons = [_save_button(page) for page in pages.values()]
        for button in buttons:  # both clicks sent before either session has answered
            button.click(no_wait_after=True)
        for page in pages.values():
            assert wait_app_idle(page, timeout=90), writable_server.log_tail()
        saved = {kind for kind, page in pages.items() if "tersimpan sebagai versi data" in _alerts(page)}
        refused = {kind for kind, page in pages.items() if "Data berubah sejak pratinjau" in _alerts(page)}
        assert saved | refused == set(files) and not saved & refused, {k: _alerts(p) for k, p in pages.items()}
        assert saved, "neither save went through"
        for kind in refused:  # the refused session shows a fresh preview: saving it now keeps both changes
            _save_button(pages[kind]).click()
            assert wait_app_idle(pages[kind], timeout=90), writable_server.log_tail()
            assert "tersimpan sebagai versi data 3" in _alerts(pages[kind])
        print(f"\nconcurrent save: saved at once {sorted(saved)}, refused then saved {sorted(refused)}")
    finally:
        ctx.close()
    log = store.read_log()
    assert log["versi"].astype(int).tolist() == [1, 2, 3]
    kinds = store.read_fasilitas()["jenis"].value_counts()
    assert kinds.get("pustu", 0) > 0 and kinds.get("posyandu", 0) > 0
    assert not guard.offending, guard.report()
