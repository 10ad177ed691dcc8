"""ui/auth.py in AppTest: local badge, password sign-in (wrong password, rate limit, who, sign-out),
a sign-in mode without its secret, and the OpenID Connect sign-in page.

The app runs on the demo (no store); the users file is written with :mod:`loaders.users` at test time.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Final

import pytest
from streamlit.testing.v1 import AppTest

from loaders import users
from loaders.limits import LOGIN_LOCK_SECONDS, MAX_LOGIN_FAILURES
from tests.page_support import APP, TIMEOUT
from ui import auth
from ui.access import LOCAL, Access

PASSWORD: Final = "Sandi-Benar-2026"
COOKIE_KEY: Final = "c" * 32
OIDC: Final = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "s" * 32,
    "client_id": "peta-ilp",
    "client_secret": "rahasia",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def _fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_buttons: None) -> Path:
    """Own users file and store folder per test; the server-side failure counter starts empty; clicks arrive."""
    monkeypatch.setenv("ILP_STORE", str(tmp_path / "ilp.gpkg"))
    path = tmp_path / "pengguna.json"
    monkeypatch.setenv("ILP_USERS", str(path))
    auth.limiter().reset()
    users.add_user(path, "admin.dinas", peran="admin", nama="Admin Dinas", password=PASSWORD)
    users.add_user(path, "kapus.a", peran="puskesmas:P9901010101", nama="Kapus A", password=PASSWORD)
    users.add_user(path, "sso.kapus", peran="dinas", email="kapus@dinkes.go.id")
    return path


def _app(secrets: dict[str, object] | None = None, **section: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if section:
        at.secrets["peta_ilp"] = dict(section)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at


def _password_app() -> AppTest:
    return _app(login="password", cookie_key=COOKIE_KEY)


def _texts(elements: object) -> list[str]:
    return [str(getattr(e, "value", "")) for e in elements]  # type: ignore[attr-defined]


def _submit(at: AppTest, username: str, password: str) -> AppTest:
    by_label = {w.label: w for w in at.text_input}
    by_label["Nama pengguna"].input(username)
    by_label["Kata sandi"].input(password)
    next(b for b in at.button if b.label == "Masuk").click()
    return at.run()


def _shows_no_data(at: AppTest) -> None:
    assert "Data contoh (sintetis)" not in " ".join(_texts(at.sidebar.markdown))
    assert not at.sidebar.selectbox  # no filters: nothing was read


# -- local mode ---------------------------------------------------------------------------------------
def test_local_mode_shows_the_badge_and_every_page_is_open() -> None:
    at = _app().run()
    assert not at.exception
    assert f"🔓 {auth.LOCAL_BADGE}" in _texts(at.sidebar.caption)
    assert at.session_state[auth.K_ACCESS] == LOCAL
    assert not [b for b in at.sidebar.button if b.label == "Keluar"]


def test_local_badge_in_presentation_mode() -> None:
    at = _app()
    at.query_params["mode"] = "presentasi"
    at.run()
    assert not at.exception
    badges = [m.value for m in at.main.markdown if auth.LOCAL_BADGE in m.value]
    assert badges == [f":gray-badge[:material/lock_open: {auth.LOCAL_BADGE}]"]  # beside the bar's buttons


# -- password mode ------------------------------------------------------------------------------------
def test_password_mode_shows_the_sign_in_form_before_any_data() -> None:
    at = _password_app().run()
    assert not at.exception
    assert [w.label for w in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert [b.label for b in at.button] == ["Masuk"]
    _shows_no_data(at)
    assert auth.K_ACCESS not in at.session_state


def test_wrong_password_is_refused_with_an_indonesian_message() -> None:
    at = _submit(_password_app().run(), "kapus.a", "salah-sekali")
    assert not at.exception
    assert [e.value for e in at.error] == [auth.WRONG_PASSWORD]
    assert "Nama pengguna atau kata sandi salah" in auth.WRONG_PASSWORD
    assert at.session_state["authentication_status"] is False
    _shows_no_data(at)


def test_right_password_signs_in_and_shows_who_with_a_sign_out_button() -> None:
    at = _submit(_password_app().run(), "kapus.a", PASSWORD)
    assert not at.exception
    assert at.session_state["authentication_status"] is True
    assert at.session_state[auth.K_ACCESS] == Access("puskesmas", "kapus.a", "P9901010101")
    assert "Masuk sebagai **Kapus A** (kapus.a) · peran: puskesmas:P9901010101" in _texts(at.sidebar.caption)
    assert auth.LOCAL_BADGE not in " ".join(_texts(at.sidebar.caption))
    assert [b.label for b in at.sidebar.button if b.key == auth.K_SIGN_OUT] == ["Keluar"]


def test_sign_out_returns_to_the_sign_in_form() -> None:
    at = _password_app()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin.dinas"
    at.run()
    assert not at.exception
    assert "Masuk sebagai **Admin Dinas** (admin.dinas) · peran: admin" in _texts(at.sidebar.caption)
    at.button(key=auth.K_SIGN_OUT).click().run()
    assert not at.exception
    assert at.session_state["authentication_status"] is None
    assert [w.label for w in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert "Anda sudah keluar." in _texts(at.info)
    _shows_no_data(at)


def test_rate_limit_after_five_failures_across_sessions() -> None:
    at = _password_app().run()
    for attempt in range(1, MAX_LOGIN_FAILURES):
        at = _submit(at, "kapus.a", f"salah-{attempt}")
        assert [e.value for e in at.error] == [auth.WRONG_PASSWORD], attempt
    at = _submit(at, "kapus.a", "salah-5")
    assert [e.value for e in at.error] == [auth.locked_message(LOGIN_LOCK_SECONDS)]
    assert "Coba lagi dalam 5 menit" in at.error[0].value
    # the right password in a new session (another browser) is refused too, without checking it
    other = _submit(_password_app().run(), "kapus.a", PASSWORD)
    assert not other.exception
    assert len(other.error) == 1
    assert "Terlalu banyak percobaan masuk yang gagal (5 kali)" in other.error[0].value
    assert "Coba lagi dalam 4 menit" in other.error[0].value or "Coba lagi dalam 5 menit" in other.error[0].value
    assert other.session_state["authentication_status"] is not True
    _shows_no_data(other)
    # another username is not affected
    admin = _submit(_password_app().run(), "admin.dinas", PASSWORD)
    assert admin.session_state["authentication_status"] is True


def test_limiter_unlocks_after_the_lock_time() -> None:
    counter = auth.LoginLimiter()
    for _ in range(MAX_LOGIN_FAILURES - 1):
        assert counter.record_failure("u", 1000.0) == 0
    assert counter.record_failure("u", 1000.0) == LOGIN_LOCK_SECONDS
    assert counter.seconds_left("u", 1000.0 + 60) == LOGIN_LOCK_SECONDS - 60
    assert counter.locked(1000.0 + 60) == {"u": LOGIN_LOCK_SECONDS - 60}
    assert counter.seconds_left("u", 1000.0 + LOGIN_LOCK_SECONDS) == 0
    assert counter.record_failure("u", 2000.0) == 0  # counting starts again


@pytest.mark.parametrize(
    ("seconds", "words"), [(300, "5 menit"), (245, "4 menit 5 detik"), (59.2, "1 menit"), (3, "3 detik")]
)
def test_wait_text(seconds: float, words: str) -> None:
    assert auth.wait_text(seconds) == words


def test_a_removed_user_is_signed_out_on_the_next_run(_fresh: Path) -> None:
    at = _password_app()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "kapus.a"
    at.run()
    assert at.session_state[auth.K_ACCESS].pengguna == "kapus.a"
    users.remove_user(_fresh, "kapus.a")
    at.run()
    assert not at.exception
    assert at.session_state["authentication_status"] is None
    assert "Pengguna ini tidak lagi terdaftar di server. Hubungi admin dinas." in _texts(at.info)
    _shows_no_data(at)


def test_a_role_change_applies_on_the_next_run(_fresh: Path) -> None:
    at = _password_app()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "kapus.a"
    at.run()
    users.set_role(_fresh, "kapus.a", "admin")
    at.run()
    assert at.session_state[auth.K_ACCESS] == Access("admin", "kapus.a")


# -- a sign-in mode without its secret -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("secrets", "section", "words"),
    [
        ({}, {"login": "password"}, "tambahkan cookie_key di bagian [peta_ilp]"),
        ({}, {"login": "password", "cookie_key": "pendek"}, "cookie_key di .streamlit/secrets.toml terlalu pendek"),
        ({"auth": {k: v for k, v in OIDC.items() if k != "cookie_secret"}}, {}, "cookie_secret di bagian [auth]"),
        ({}, {"login": "oidc"}, "memerlukan bagian [auth]"),
        ({}, {"login": "ldap"}, 'login = "ldap"'),
        ({}, {"login": "password", "cookie_key": COOKIE_KEY, "cookie_expiry_days": 0}, "cookie_expiry_days = 0"),
    ],
)
def test_sign_in_mode_without_its_secret_stops_before_any_data(
    secrets: dict[str, object], section: dict[str, object], words: str
) -> None:
    at = _app(secrets, **section).run()
    assert not at.exception
    assert len(at.error) == 1
    assert words in at.error[0].value
    assert not at.text_input
    assert not at.sidebar.caption  # not even the local badge
    _shows_no_data(at)


# -- OpenID Connect -----------------------------------------------------------------------------------
def test_oidc_without_login_shows_the_sign_in_button() -> None:
    at = _app({"auth": OIDC})
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Masuk"]
    assert "Masuk ke Peta ILP" in _texts(at.subheader)
    _shows_no_data(at)


def test_oidc_email_in_the_users_file_gets_its_role() -> None:
    at = _app({"auth": OIDC})
    at.user = {"is_logged_in": True, "email": "KAPUS@dinkes.go.id"}
    at.run()
    assert not at.exception
    assert at.session_state[auth.K_ACCESS] == Access("dinas", "sso.kapus")
    assert "Masuk sebagai **sso.kapus** (sso.kapus) · peran: dinas" in _texts(at.sidebar.caption)


def test_oidc_email_not_in_the_users_file_is_refused_with_a_sign_out_button() -> None:
    at = _app({"auth": OIDC})
    at.user = {"is_logged_in": True, "email": "orang.lain@contoh.id"}
    at.run()
    assert not at.exception
    assert "Email orang.lain@contoh.id belum terdaftar di server Peta ILP" in at.error[0].value
    assert [b.label for b in at.button] == ["Keluar"]
    _shows_no_data(at)


def test_oidc_unverified_email_is_refused() -> None:
    at = _app({"auth": OIDC})
    at.user = {"is_logged_in": True, "email": "kapus@dinkes.go.id", "email_verified": False}
    at.run()
    assert not at.exception
    assert "Email kapus@dinkes.go.id belum diverifikasi oleh penyedia identitas" in at.error[0].value
    assert auth.K_ACCESS not in at.session_state
    _shows_no_data(at)


def test_a_session_ends_on_the_server_after_the_expiry_days() -> None:
    at = _app(login="password", cookie_key=COOKIE_KEY, cookie_expiry_days=1)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "kapus.a"
    at.run()
    assert at.session_state[auth.K_ACCESS].pengguna == "kapus.a"
    at.session_state[auth.K_SIGNED_IN_AT] = time.time() - 86_400 - 60  # signed in a day and a minute ago
    at.run()
    assert not at.exception
    assert at.session_state["authentication_status"] is None
    assert "Sesi Anda sudah berakhir. Silakan masuk lagi." in _texts(at.info)
    assert [w.label for w in at.text_input] == ["Nama pengguna", "Kata sandi"]
    _shows_no_data(at)


# -- server settings ------------------------------------------------------------------------------------
def test_xsrf_protection_is_not_turned_off() -> None:
    import tomllib

    config = tomllib.loads(Path(APP).with_name(".streamlit").joinpath("config.toml").read_text(encoding="utf-8"))
    assert config.get("server", {}).get("enableXsrfProtection", True) is True
    from streamlit import config as st_config

    assert st_config.get_option("server.enableXsrfProtection") is True
