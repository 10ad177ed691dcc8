"""Issue 12 in a headless Chromium: sign-in on a server, both ways, with each role's view (Kabupaten Tasikmalaya).

* OpenID Connect: ``oidc-provider-mock`` runs on a thread on a free localhost port
  (``tests/oidc_support.py``); ``streamlit run app.py`` gets Streamlit's ``[auth]`` secrets pointing
  at it. A puskesmas head signs in through the provider's form and sees only their working area
  (the Ringkasan "Desa" card), a URL naming another puskesmas gives their own area and a note, the
  Data page refuses them; they sign out. An admin signs in and has the Data page; they sign out.
* Password (streamlit-authenticator, ``[peta_ilp] login = "password"``): a wrong password shows the
  Indonesian error; after 5 wrong attempts the right password is refused with the rate-limit
  message; the right password for another username signs in; the session cookie has an expiry;
  sign out.

Every request of the browser (routed through :class:`browser_support.RequestGuard`, and each one,
redirects included, recorded from the context's ``request`` event) stays on localhost.

The users file is written with ``cli.py users add`` (passwords on stdin). Skips when Chromium,
Playwright, ``oidc-provider-mock``, Authlib, ``../shared/data`` or ``ui/auth.py`` is missing
(a missing browser fails on CI, as in ``tests/test_browser.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest
from browser_support import (
    RequestGuard,
    Server,
    card_values,
    exception_texts,
    free_port,
    guarded_context,
    is_local_url,
    store_server,
    wait_app_idle,
    wait_map_desa,
)
from oidc_support import (
    Account,
    oidc_provider,
    oidc_secrets,
    password_secrets,
    provider_missing,
    write_secrets,
    write_users,
)

from ui.fmt import fmt_int
from ui.i18n import t

if TYPE_CHECKING:
    import pandas as pd
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # oidc-provider-mock 0.3.4 calls Authlib APIs that Authlib 1.9 marks deprecated (its own code, not the app's)
    pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning"),
]

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
KABUPATEN: Final = "32.06"  # Kabupaten Tasikmalaya
COOKIE_SECRET: Final = "rahasia-cookie-tes-" + "x" * 24  # a test value, 32+ characters
COOKIE_EXPIRY_DAYS: Final = 1
MAX_FAILED_ATTEMPTS: Final = 5  # contract of issue 12: the 6th try within 5 minutes is refused
SIGN_IN_TIMEOUT_MS: Final = 45_000
DAY_S: Final = 86_400
MAP_TIMEOUT_S: Final = 40.0
STRANGER: Final = "tamu"  # known to the provider, not to the users file
STRANGER_EMAIL: Final = "tamu@luar.test"
BROWSER_TZ: Final = "Asia/Jakarta"  # browser_support.guarded_context's timezone_id


# -- what the test needs -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def auth_ready(browser_available: None) -> None:
    """Skip with the reason when a piece of the sign-in is not there."""
    reason = provider_missing()
    if reason is not None:
        pytest.skip(f"sign-in browser test skipped: {reason}")
    if not (PROJECT_DIR / "ui" / "auth.py").is_file():
        pytest.skip("sign-in browser test skipped: ui/auth.py (the sign-in modes of issue 12) is not in the checkout")


@dataclass(frozen=True)
class Area:
    """A puskesmas's working area: code, name, its desa codes."""

    kode: str
    nama: str
    desa: tuple[str, ...]


@dataclass(frozen=True)
class Areas:
    """The puskesmas the heads of the test work in, and one they do not."""

    own: Area  # kapus.a (OpenID Connect and password)
    other: Area  # named in a tampered URL; kapus.b's area (password)


def _area(table: pd.DataFrame, kode: str) -> Area:
    rows = table[table["kode_puskesmas"].astype(str) == kode]
    return Area(kode=kode, nama=str(rows["puskesmas"].iloc[0]), desa=tuple(sorted(rows["kode_desa"].astype(str))))


@pytest.fixture(scope="module")
def areas(auth_ready: None, tasikmalaya_store_path: Path) -> Areas:
    """Two puskesmas of Tasikmalaya with the most desa (ties: lowest code), in different kecamatan."""
    from geo.engine import Coverage
    from loaders.dataset import read_dataset
    from loaders.store import Store

    engine = Coverage(read_dataset(Store(tasikmalaya_store_path)))
    table = engine.desa_table(engine.latest_month)
    table = table[(table["kode_kabupaten"].astype(str) == KABUPATEN) & table["kode_puskesmas"].notna()]
    sizes = table.groupby(table["kode_puskesmas"].astype(str)).size()
    ranked = sorted(sizes.index, key=lambda k: (-sizes[k], k))
    own = _area(table, ranked[0])
    own_kecamatan = set(table.loc[table["kode_puskesmas"].astype(str) == own.kode, "kode_kecamatan"].astype(str))
    for kode in ranked[1:]:
        kecamatan = set(table.loc[table["kode_puskesmas"].astype(str) == kode, "kode_kecamatan"].astype(str))
        if not kecamatan & own_kecamatan and sizes[kode] != sizes[own.kode]:
            return Areas(own=own, other=_area(table, kode))
    raise AssertionError("Tasikmalaya has no second puskesmas in another kecamatan with another desa count")


@dataclass(frozen=True)
class People:
    """The users of the test's users file."""

    admin: Account
    kapus_a: Account
    kapus_b: Account
    users_file: Path


@pytest.fixture(scope="module")
def people(areas: Areas, tasikmalaya_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> People:
    """An admin and two puskesmas heads (passwords and emails), written to a users file with ``cli.py users add``."""
    admin = Account("admin.dinas", "admin", "admin@dinkes-tasik.test", "Admin Dinas", "sandi-admin-panjang-1")
    kapus_a = Account("kapus.a", f"puskesmas:{areas.own.kode}", "kapus.a@pkm.test", "Kapus A", "sandi-kapus-a-benar")
    kapus_b = Account("kapus.b", f"puskesmas:{areas.other.kode}", "kapus.b@pkm.test", "Kapus B", "sandi-kapus-b-benar")
    from loaders.store import Store

    users_file = tmp_path_factory.mktemp("pengguna") / "pengguna.json"
    version = Store(tasikmalaya_store_path).version()
    write_users(users_file, [admin, kapus_a, kapus_b], store=tasikmalaya_store_path)
    # the users file is not beside the shared (read-only) store: the CLI logs nothing into it
    assert Store(tasikmalaya_store_path).version() == version
    return People(admin=admin, kapus_a=kapus_a, kapus_b=kapus_b, users_file=users_file)


@dataclass
class Requests:
    """Every request URL the browser made (``request`` event of the context: redirects and frames too)."""

    urls: list[str] = field(default_factory=list)

    def off_host(self) -> list[str]:
        return sorted({url for url in self.urls if not is_local_url(url)})


@pytest.fixture
def session(browser: Browser, guard: RequestGuard) -> Iterator[tuple[BrowserContext, Requests]]:
    """A fresh guarded context (its own cookies) and the record of its requests; checks both at the end."""
    ctx = guarded_context(browser, guard)
    seen = Requests()
    ctx.on("request", lambda request: seen.urls.append(request.url))
    ctx.on("page", lambda page: page.on("websocket", lambda ws: guard.record_websocket(ws.url)))
    yield ctx, seen
    ctx.close()
    assert seen.urls, "the browser made no request at all"
    assert not seen.off_host(), "requests leaving localhost:\n" + "\n".join(seen.off_host())
    assert not guard.offending, guard.report()


# -- page helpers ----------------------------------------------------------------------------------
def _ready(page: Page, server: Server, where: str) -> None:
    assert wait_app_idle(page), f"{where}: the app did not finish running in time\n{server.log_tail()}"
    boxes = exception_texts(page)
    assert not boxes, f"{where}: Streamlit exception box(es):\n" + "\n---\n".join(boxes)


def _goto(page: Page, server: Server, app_url: str, path: str, where: str) -> None:
    page.goto(f"{app_url}/{path.lstrip('/')}", wait_until="domcontentloaded")
    _ready(page, server, where)


def _main_text(page: Page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _desa_card(page: Page) -> str | None:
    return card_values(page).get(t("metric.desa", lang="id"))


def _refusal_prefix() -> str:
    """The words of the Data page's refusal before the role is named."""
    return t("access.tulis_ditolak", lang="id", peran="\0").split("\0", 1)[0].strip()


def _check_puskesmas_head(page: Page, server: Server, app_url: str, areas: Areas) -> None:
    """Ringkasan of a head of ``areas.own``: their desa only; another puskesmas by URL: theirs and a note; no Data."""
    _goto(page, server, app_url, "/", "Ringkasan (kepala puskesmas)")
    assert _desa_card(page) == fmt_int(len(areas.own.desa)), card_values(page)
    drawn = wait_map_desa(page, expected=len(areas.own.desa), timeout=MAP_TIMEOUT_S)
    assert drawn == list(areas.own.desa), f"map: {drawn}"

    _goto(page, server, app_url, f"/?puskesmas={areas.other.kode}", "Ringkasan with another puskesmas in the URL")
    assert _desa_card(page) == fmt_int(len(areas.own.desa)), card_values(page)
    text = _main_text(page) + page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Anda hanya dapat melihat wilayah" in text, text[:3000]
    assert areas.own.nama in text
    assert areas.other.nama not in _main_text(page)

    _goto(page, server, app_url, "/data", "Data page (kepala puskesmas)")
    assert _refusal_prefix() in _main_text(page), _main_text(page)[:3000]


def _sidebar_button(page: Page, name: str):  # noqa: ANN202 (a Playwright Locator)
    return page.locator('[data-testid="stSidebar"]').get_by_role("button", name=name, exact=True)


def _signed_in_as(page: Page, account: Account) -> None:
    """The sidebar names the signed-in user and their role."""
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"({account.username})" in sidebar and account.peran in sidebar, sidebar[:2000]


# -- OpenID Connect ---------------------------------------------------------------------------------
def _oidc_sign_in(page: Page, server: Server, app_url: str, provider_url: str, sub: str) -> None:
    """From the app's sign-in page through the provider's form (typing the user's ``sub``) back to the app."""
    _goto(page, server, app_url, "/", "sign-in page (OpenID Connect)")
    assert "Masuk ke Peta ILP" in _main_text(page)
    assert not card_values(page), "data shown before signing in"
    page.locator('[data-testid="stMain"]').get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{provider_url}/oauth2/authorize**", timeout=SIGN_IN_TIMEOUT_MS)
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{app_url}/**", timeout=SIGN_IN_TIMEOUT_MS)
    _ready(page, server, f"the app after {sub} signed in (OpenID Connect)")


def _oidc_sign_out(page: Page, server: Server, app_url: str, provider_url: str, *, where: str = "sidebar") -> None:
    """Press "Keluar" (in the sidebar, or the main area) and check the app is back at its sign-in page.

    Confirms the provider's end-session page when Streamlit goes there; the Data page then asks to sign in.
    """
    container = page.locator(f'[data-testid="{"stSidebar" if where == "sidebar" else "stMain"}"]')
    container.get_by_role("button", name="Keluar", exact=True).click()
    deadline = time.monotonic() + SIGN_IN_TIMEOUT_MS / 1000
    sign_in = page.locator('[data-testid="stMain"]').get_by_role("button", name="Masuk", exact=True)
    while time.monotonic() < deadline:
        if page.url.startswith(f"{provider_url}/oauth2/end_session"):
            page.get_by_role("button", name="End session", exact=True).click()
        elif page.url.startswith(app_url) and sign_in.count():
            break
        page.wait_for_timeout(250)
    assert sign_in.count(), f"not back at the sign-in page after Keluar (at {page.url})\n{server.log_tail()}"
    _ready(page, server, "sign-in page after Keluar")
    assert not card_values(page)
    _goto(page, server, app_url, "/data", "Data page after Keluar")
    assert "Masuk ke Peta ILP" in _main_text(page)
    assert not page.get_by_role("tab").count(), "the Data page's tabs are shown after signing out"


def test_oidc_puskesmas_head_and_admin(
    session: tuple[BrowserContext, Requests],
    areas: Areas,
    people: People,
    tasikmalaya_store_path: Path,
    tmp_path: Path,
) -> None:
    ctx, _requests = session
    claims = {a.username: {"email": a.email, "name": a.nama} for a in (people.admin, people.kapus_a)}
    claims[STRANGER] = {"email": STRANGER_EMAIL, "name": "Tamu"}
    with oidc_provider(claims) as provider:
        app_port = free_port()
        app_url = f"http://localhost:{app_port}"
        secrets = write_secrets(
            tmp_path / "oidc" / "secrets.toml", oidc_secrets(provider, app_port=app_port, cookie_secret=COOKIE_SECRET)
        )
        with store_server(
            PROJECT_DIR,
            tasikmalaya_store_path,
            tmp_path,
            port=app_port,
            streamlit_args=[f"--secrets.files={secrets}"],
            ILP_USERS=str(people.users_file),
        ) as server:
            page = ctx.new_page()
            _oidc_sign_in(page, server, app_url, provider.base_url, people.kapus_a.username)
            _signed_in_as(page, people.kapus_a)
            _check_puskesmas_head(page, server, app_url, areas)
            _oidc_sign_out(page, server, app_url, provider.base_url)

            _oidc_sign_in(page, server, app_url, provider.base_url, people.admin.username)
            _signed_in_as(page, people.admin)
            _goto(page, server, app_url, "/data", "Data page (admin)")
            assert _refusal_prefix() not in _main_text(page)
            assert page.get_by_role("tab", name=t("dataimp.tab.impor", lang="id")).count() == 1
            _goto(page, server, app_url, "/", "Ringkasan (admin)")
            assert _desa_card(page) is not None and _desa_card(page) != fmt_int(len(areas.own.desa))
            _oidc_sign_out(page, server, app_url, provider.base_url)

            # signed in at the provider, but an email the users file does not hold: refused, no data
            _oidc_sign_in(page, server, app_url, provider.base_url, STRANGER)
            assert f"Email {STRANGER_EMAIL} belum terdaftar" in _main_text(page), _main_text(page)[:2000]
            assert not card_values(page)
            _oidc_sign_out(page, server, app_url, provider.base_url, where="main")
            page.close()


# -- password (streamlit-authenticator) ----------------------------------------------------------------
def _password_attempt(page: Page, server: Server, username: str, password: str) -> str:
    """Type ``username`` and ``password`` into the sign-in form, press Masuk; the main area's text after the run."""
    from ui.auth import LOGIN_FIELDS  # "Nama pengguna", "Kata sandi", "Masuk"

    form = page.locator('[data-testid="stMain"] [data-testid="stForm"]')
    form.get_by_label(LOGIN_FIELDS["Username"], exact=True).fill(username)
    form.get_by_label(LOGIN_FIELDS["Password"], exact=True).fill(password)
    form.get_by_role("button", name=LOGIN_FIELDS["Login"], exact=True).click()
    _ready(page, server, f"sign-in attempt of {username}")
    return _main_text(page)


def _session_cookie(ctx: BrowserContext, name: str) -> dict[str, object] | None:
    found = [c for c in ctx.cookies() if c["name"] == name]
    return dict(found[0]) if found else None


def test_password_wrong_rate_limit_and_sign_in(
    browser: Browser,
    guard: RequestGuard,
    session: tuple[BrowserContext, Requests],
    areas: Areas,
    people: People,
    tasikmalaya_store_path: Path,
    tmp_path: Path,
) -> None:
    from ui.auth import COOKIE_NAME, WRONG_PASSWORD, locked_message

    ctx, _requests = session
    locked_start = locked_message(60).split("Coba lagi", 1)[0].strip()  # the words before the time left
    secrets = write_secrets(
        tmp_path / "sandi" / "secrets.toml",
        password_secrets(cookie_key=COOKIE_SECRET, cookie_expiry_days=COOKIE_EXPIRY_DAYS),
    )
    with store_server(
        PROJECT_DIR,
        tasikmalaya_store_path,
        tmp_path,
        streamlit_args=[f"--secrets.files={secrets}"],
        ILP_USERS=str(people.users_file),
        TZ=BROWSER_TZ,  # the server's clock zone = the browser's (see _check_cookie)
    ) as server:
        app_url = server.base_url.replace("127.0.0.1", "localhost")
        page = ctx.new_page()
        _goto(page, server, app_url, "/", "sign-in form (password)")
        assert "Masuk ke Peta ILP" in _main_text(page)
        assert not card_values(page), "data shown before signing in"

        kapus = people.kapus_a
        for attempt in range(1, MAX_FAILED_ATTEMPTS):
            text = _password_attempt(page, server, kapus.username, f"salah-{attempt}-sandi")
            assert WRONG_PASSWORD in text, f"attempt {attempt}: {text[:2000]}"
            assert not card_values(page)
        text = _password_attempt(page, server, kapus.username, "salah-terakhir-sandi")
        assert locked_start in text, f"attempt {MAX_FAILED_ATTEMPTS}: {text[:2000]}"
        assert kapus.sandi is not None
        text = _password_attempt(page, server, kapus.username, kapus.sandi)
        assert locked_start in text, f"the right password after {MAX_FAILED_ATTEMPTS} failures: {text[:2000]}"
        assert not card_values(page) and _session_cookie(ctx, COOKIE_NAME) is None
        # counted on the server, not in the session: another browser (no cookies) is refused too
        other_ctx = guarded_context(browser, guard)
        other_ctx.on("request", lambda request: _requests.urls.append(request.url))
        other = other_ctx.new_page()
        _goto(other, server, app_url, "/", "sign-in form in another browser")
        text = _password_attempt(other, server, kapus.username, kapus.sandi)
        assert locked_start in text, f"the right password in another browser: {text[:2000]}"
        assert not card_values(other)
        other_ctx.close()

        # another username is not locked: the right password signs in, for its own area
        _goto(page, server, app_url, "/", "sign-in form again")
        fresh = people.kapus_b
        assert fresh.sandi is not None
        _password_attempt(page, server, fresh.username, fresh.sandi)
        _signed_in_as(page, fresh)
        assert _desa_card(page) == fmt_int(len(areas.other.desa)), card_values(page)

        _check_cookie(
            page, ctx, COOKIE_NAME, signed_in_at=time.time(), cookie_key=COOKIE_SECRET, username=fresh.username
        )
        # the cookie signs a new tab in (a new Streamlit session) without the form
        again = ctx.new_page()
        _goto(again, server, app_url, "/", "a new tab with the sign-in cookie")
        _signed_in_as(again, fresh)
        assert _desa_card(again) == fmt_int(len(areas.other.desa)), card_values(again)
        again.close()

        _sidebar_button(page, "Keluar").click()
        _ready(page, server, "after Keluar (password)")
        form = page.locator('[data-testid="stMain"] [data-testid="stForm"]')
        form.wait_for(timeout=SIGN_IN_TIMEOUT_MS)
        assert not card_values(page)
        assert _poll_cookie(page, ctx, COOKIE_NAME, present=False) is None, "the sign-in cookie outlived Keluar"
        _goto(page, server, app_url, "/data", "Data page after Keluar (password)")
        assert "Masuk ke Peta ILP" in _main_text(page) and not page.get_by_role("tab").count()
        page.close()


def _check_cookie(
    page: Page, ctx: BrowserContext, name: str, *, signed_in_at: float, cookie_key: str, username: str
) -> None:
    """The re-sign-in cookie: expires in the browser ``COOKIE_EXPIRY_DAYS`` after signing in, and so does its token.

    Its token (a JWT signed with ``cookie_key``) carries ``exp_date``, which the server checks.
    The browser-side ``expires`` is sent by streamlit-authenticator as the server's naive local
    time and read by the browser as its own local time, so it is only right when both clocks are
    in one zone: the test runs the server with ``TZ`` = the browser's zone (a dinas server and its
    users in WIB).
    """
    import jwt

    cookie = _poll_cookie(page, ctx, name, present=True)
    assert cookie is not None, f"no {name} cookie after signing in: {[c['name'] for c in ctx.cookies()]}"
    low, high = COOKIE_EXPIRY_DAYS * DAY_S - 300, COOKIE_EXPIRY_DAYS * DAY_S + 60
    expires = float(cookie["expires"])  # type: ignore[arg-type]
    assert expires > 0, f"{name} is a session cookie without expiry: {cookie}"
    assert low < expires - signed_in_at <= high, f"cookie lifetime {expires - signed_in_at:.0f} s"
    token = jwt.decode(str(cookie["value"]), cookie_key, algorithms=["HS256"])
    assert token["username"] == username
    assert low < float(token["exp_date"]) - signed_in_at <= high, f"token lifetime {token['exp_date'] - signed_in_at}"


def _poll_cookie(page: Page, ctx: BrowserContext, name: str, *, present: bool) -> dict[str, object] | None:
    """Wait (up to 15 s) until cookie ``name`` is there (``present``) or gone; the cookie then, or None."""
    deadline = time.monotonic() + 15
    cookie = _session_cookie(ctx, name)
    while (cookie is not None) != present and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        cookie = _session_cookie(ctx, name)
    return cookie
