"""End-to-end: names made of Markdown/HTML never make the browser fetch or link anywhere (headless Chromium).

The app serves the store of :func:`test_injection.write_hostile_store` (every
kabupaten, kecamatan, provinsi, puskesmas, pustu, posyandu and desa name is an
image, link, bare URL, HTML or directive payload pointing at 198.51.100.7 or
www.example.com). Every page is visited with the filters that put those names
in the scope line, the Desa page for every desa, a URL with a payload
parameter, and the Data page with an upload whose name and headers are
payloads. For each view:

* no request leaves localhost (every other request is aborted and listed);
* no element of the page (or of its frames) has a ``src``/``href`` (or any
  other attribute) naming the payload hosts;
* the payload is shown as the text it is.

Skips when Chromium or Playwright is missing, except on CI (``CI=true``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest
from browser_support import (
    RequestGuard,
    Server,
    exception_texts,
    guarded_context,
    store_server,
    wait_app_idle,
)
from test_injection import (
    COMBINED,
    HOST,
    KODE_DESA,
    PAYLOADS,
    SCOPE_QUERY,
    write_hostile_store,
)

from ui.i18n import t
from ui.table_format import WORD_JOINER

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR: Final = PROJECT_DIR / "test-artifacts" / "screenshots" / "injection"
HOSTS: Final = (HOST, "example.com")
SCOPE: Final = "&".join(f"{k}={v}" for k, v in SCOPE_QUERY.items())
VIEWS: Final = (
    ("ringkasan", f"?{SCOPE}"),
    ("peta", f"peta?{SCOPE}"),
    ("puskesmas", f"puskesmas?{SCOPE}"),
    ("data", f"data?{SCOPE}"),
    ("presentasi", f"puskesmas?{SCOPE}&mode=presentasi"),
    *((f"desa_{i}", f"desa?desa={kode}") for i, kode in enumerate(KODE_DESA)),
    ("desa_presentasi", f"desa?desa={KODE_DESA[-1]}&mode=presentasi"),
    ("url_param", "?%21%5Bx%5D%28http%3A%2F%2F198.51.100.7%2Fa.png%29=%5Bx%5D%28http%3A%2F%2F198.51.100.7%2F%29"),
)
# Every URL-bearing attribute (src, href, ...) of every element that names a payload host, and every <a>
# with an address off this machine. Text and labels may quote the names (input values, aria-labels).
JS_HOST_ATTRIBUTES: Final = r"""
(hosts) => {
  const urlAttrs = ['src', 'href', 'srcset', 'xlink:href', 'action', 'formaction', 'poster', 'data', 'background',
                    'style', 'ping', 'cite', 'longdesc', 'manifest'];
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      const value = el.getAttribute(name) || '';
      if (urlAttrs.includes(name.toLowerCase()) && hosts.some((h) => value.includes(h))) {
        found.push(`<${el.tagName.toLowerCase()} ${name}="${value}">`);
      }
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.href || '';
    if (/^(https?|ftp|mailto):/i.test(href) && !/^https?:\/\/(127\.0\.0\.1|localhost)[:\/]/i.test(href)) {
      found.push(`<a href="${href}">${a.innerText.slice(0, 80)}</a>`);
    }
  }
  return found;
}
"""
JS_TEXT: Final = "() => document.body ? document.body.innerText : ''"


# -- fixtures (browser_available, browser and guard: tests/conftest.py) -------------------------
@pytest.fixture(scope="module")
def server(browser_available: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on the hostile store."""
    store = write_hostile_store(tmp_path_factory.mktemp("injection_store") / "ilp.gpkg")
    tmp = str(tmp_path_factory.mktemp("tmp"))
    with store_server(PROJECT_DIR, store.path, tmp_path_factory.mktemp("injection_server"), TMPDIR=tmp) as running:
        yield running


@pytest.fixture(scope="module")
def context(browser: Browser, server: Server, guard: RequestGuard) -> Iterator[BrowserContext]:
    """One context (1280x900, Indonesian locale) whose requests all go through the guard."""
    ctx = guarded_context(browser, guard, viewport=(1280, 900))
    yield ctx
    ctx.close()


# -- helpers ------------------------------------------------------------------------------------
def _open(context: BrowserContext, server: Server, guard: RequestGuard, path: str) -> Page:
    page = context.new_page()
    page.on("websocket", lambda ws: guard.record_websocket(ws.url))
    page.goto(f"{server.base_url}/{path}", wait_until="domcontentloaded")
    assert wait_app_idle(page), f"{path}: the app did not finish running\n{server.log_tail()}"
    return page


def _host_attributes(page: Page) -> list[str]:
    found: list[str] = []
    for frame in page.frames:
        if not frame.is_detached():
            found.extend(frame.evaluate(JS_HOST_ATTRIBUTES, list(HOSTS)))
    return found


def _text(page: Page) -> str:
    """The page's visible text, word joiners removed (they are invisible)."""
    return str(page.evaluate(JS_TEXT)).replace(WORD_JOINER, "")


def _check(page: Page, guard: RequestGuard, where: str) -> str:
    """No exception box, no request out, no attribute naming a payload host; returns the visible text."""
    page.wait_for_timeout(1500)  # late requests (images, map tiles) have time to show up
    assert not exception_texts(page), f"{where}: {exception_texts(page)}"
    assert not guard.offending, f"{where}: {guard.report()}"
    found = _host_attributes(page)
    assert not found, f"{where}: elements pointing at a payload host: {found}"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{where}.png"), full_page=True)
    return _text(page)


# -- tests --------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize(("where", "path"), VIEWS, ids=[v[0] for v in VIEWS])
def test_no_request_leaves_and_no_link_or_image_from_names(
    context: BrowserContext, server: Server, guard: RequestGuard, where: str, path: str
) -> None:
    page = _open(context, server, guard, path)
    try:
        text = _check(page, guard, where)
        if where == "url_param":
            assert PAYLOADS[0] in text  # the URL note quotes the parameter as text
        elif where.startswith("desa"):
            assert any(p in text for p in PAYLOADS), f"{where}: the desa name is shown as text"
        else:
            assert f"Kab {COMBINED}" in text, f"{where}: the scope line shows the kabupaten name as text"
    finally:
        page.close()


@pytest.mark.browser
def test_data_page_upload_with_payload_name_and_headers(
    context: BrowserContext, server: Server, guard: RequestGuard
) -> None:
    page = _open(context, server, guard, "data")
    try:
        page.locator("[data-testid='stMain'] button", has_text=t("impor.kind.reports", lang="id")).first.click()
        assert wait_app_idle(page), server.log_tail()
        header = ",".join(f'"{p}"' for p in PAYLOADS)
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            files=[
                {"name": f"{PAYLOADS[1]}.csv", "mimeType": "text/csv", "buffer": f"{header}\n1,2,3,4,5,6\n".encode()}
            ]
        )
        page.locator("[data-testid='stAlert']").first.wait_for(timeout=60_000)
        assert wait_app_idle(page, timeout=90), server.log_tail()
        text = _check(page, guard, "data_upload")
        alerts = "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts()).replace(WORD_JOINER, "")
        assert t("impor.gagal", pesan="", lang="id").strip() in alerts
        assert PAYLOADS[0] in alerts and PAYLOADS[4] in alerts, alerts  # the headers, quoted as text
        assert PAYLOADS[5] in text
    finally:
        page.close()


@pytest.mark.browser
def test_address_too_long_for_streamlit_still_gets_its_note(
    context: BrowserContext, server: Server, guard: RequestGuard
) -> None:
    """Streamlit drops an address with over 1,000 parameters; the page shortens it, then names a few and counts."""
    flood = "&".join(f"p{i}=x" for i in range(1500))
    page = context.new_page()
    page.on("websocket", lambda ws: guard.record_websocket(ws.url))
    try:
        with page.expect_navigation(url=lambda u: "diabaikan=" in u, timeout=60_000):
            page.goto(f"{server.base_url}/?{flood}&bulan=2026-09&{PAYLOADS[2]}=1", wait_until="domcontentloaded")
        assert wait_app_idle(page), server.log_tail()
        text = _check(page, guard, "url_flood")
        assert t("note.title", lang="id") in text
        assert t("note.tidak_dikenal", key="p0", value="x", lang="id").replace("`", "") in text
        assert t("note.lainnya", value="1.493", lang="id") in text  # 1,501 unknown: 8 named, the rest counted
        assert "September 2026" in text  # the known parameter was kept
    finally:
        page.close()
