"""Sign-in for a dinas server, decided once from ``st.secrets`` (nothing configured: local mode).

Three modes (:func:`settings`):

``lokal`` (default)
    No sign-in configured: one person on their own laptop, every page open
    (:data:`ui.access.LOCAL`, admin rights). A badge says so ("Mode lokal: tanpa login").
``oidc``
    ``st.secrets`` has Streamlit's own ``[auth]`` section: Streamlit's OpenID Connect
    login (``st.login`` / ``st.user`` / ``st.logout``, Authlib). The signed-in email
    maps to a role through the users file (:mod:`loaders.users`).
``password``
    ``[peta_ilp] login = "password"``: streamlit-authenticator's login form against
    the bcrypt hashes of the users file; the re-sign-in cookie is signed with
    ``[peta_ilp] cookie_key`` and lasts ``cookie_expiry_days`` (default 1). After
    :data:`~loaders.limits.MAX_LOGIN_FAILURES` failed attempts a username is refused
    for :data:`~loaders.limits.LOGIN_LOCK_SECONDS`, counted on the server across
    sessions (:class:`LoginLimiter`).

A sign-in mode without its secret shows an Indonesian error naming the missing key
and stops before any data is read. :func:`require_sign_in` runs at the very top of
``app.py``; :func:`current_access` (called by :func:`ui.context.prepare`) gives the
session's :class:`~ui.access.Access`, re-reading the role from the users file every
run so a role change or a removed user applies at once. In both sign-in modes a
session also ends on the server after ``cookie_expiry_days``, even if its tab stays open.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import streamlit as st

from loaders import users as users_file
from loaders.exceptions import InputError
from loaders.limits import LOGIN_LOCK_SECONDS, MAX_LOGIN_COUNTERS, MAX_LOGIN_FAILURES
from ui.access import LOCAL, Access, parse_role

MODE_LOCAL: Final = "lokal"
MODE_OIDC: Final = "oidc"
MODE_PASSWORD: Final = "password"
SECTION: Final = "peta_ilp"
MIN_COOKIE_KEY_CHARS: Final = 32
DEFAULT_EXPIRY_DAYS: Final = 1.0
COOKIE_NAME: Final = "peta_ilp_masuk"
LOCAL_BADGE: Final = "Mode lokal: tanpa login"
LOCAL_ACTOR: Final = "lokal"

K_ACCESS: Final = "ilp_access"
K_SIGNED_IN_AT: Final = "ilp_masuk_sejak"
K_SIGN_OUT: Final = "ilp_keluar"
K_OIDC_LOGIN: Final = "ilp_masuk_oidc"
K_NOTICE: Final = "_ilp_masuk_pesan"
# streamlit-authenticator's own session keys
K_STATUS: Final = "authentication_status"
K_USERNAME: Final = "username"

LOGIN_FIELDS: Final = {
    "Form name": "Masuk ke Peta ILP",
    "Username": "Nama pengguna",
    "Password": "Kata sandi",
    "Login": "Masuk",
    "Captcha": "Kode captcha",
}
WRONG_PASSWORD: Final = (
    "Nama pengguna atau kata sandi salah. Periksa keduanya lalu coba lagi. "
    f"Setelah {MAX_LOGIN_FAILURES} kali gagal, nama pengguna itu ditolak selama {LOGIN_LOCK_SECONDS // 60} menit."
)


@dataclass(frozen=True)
class Settings:
    """The sign-in mode read from ``st.secrets``; ``problem`` (Indonesian) when it cannot start."""

    mode: str
    cookie_key: str = ""
    expiry_days: float = DEFAULT_EXPIRY_DAYS
    problem: str = ""


def _secrets() -> Mapping[str, Any]:
    """``st.secrets`` as a mapping, empty when there is no secrets file."""
    if not st.secrets.load_if_toml_exists():
        return {}
    return st.secrets


def settings() -> Settings:
    """Decide the sign-in mode from ``st.secrets`` (see the module docstring)."""
    secrets = _secrets()
    section = secrets.get(SECTION) or {}
    auth = secrets.get("auth") or {}
    login = str(section.get("login", "")).strip().lower()
    expiry, problem = _expiry(section)
    if login == MODE_PASSWORD:
        key = str(section.get("cookie_key", ""))
        if not key:
            problem = (
                "Mode masuk dengan kata sandi memerlukan kunci cookie: tambahkan cookie_key di bagian [peta_ilp] "
                "berkas .streamlit/secrets.toml (teks acak minimal 32 karakter), lalu jalankan ulang aplikasi."
            )
        elif len(key) < MIN_COOKIE_KEY_CHARS:
            problem = (
                f"[peta_ilp] cookie_key di .streamlit/secrets.toml terlalu pendek ({len(key)} karakter): pakai teks "
                f"acak minimal {MIN_COOKIE_KEY_CHARS} karakter, lalu jalankan ulang aplikasi."
            )
        return Settings(MODE_PASSWORD, cookie_key=key, expiry_days=expiry, problem=problem)
    if login == MODE_OIDC or auth:
        if not auth:
            problem = (
                '[peta_ilp] login = "oidc" memerlukan bagian [auth] di .streamlit/secrets.toml (redirect_uri, '
                "cookie_secret, client_id, client_secret, server_metadata_url). "
                "Lihat README, bagian Server untuk seluruh dinas."
            )
        elif not str(auth.get("cookie_secret", "")):
            problem = (
                "Mode masuk OpenID Connect memerlukan rahasia cookie: tambahkan cookie_secret di bagian [auth] "
                "berkas .streamlit/secrets.toml (teks acak minimal 32 karakter), lalu jalankan ulang aplikasi."
            )
        return Settings(MODE_OIDC, expiry_days=expiry, problem=problem)
    if login:
        problem = (
            f'[peta_ilp] login = "{login[:40]}" di .streamlit/secrets.toml tidak dikenal: tulis "password" atau '
            '"oidc", atau hapus baris itu untuk mode lokal.'
        )
        return Settings(MODE_PASSWORD, problem=problem)
    return Settings(MODE_LOCAL)


def _expiry(section: Mapping[str, Any]) -> tuple[float, str]:
    raw = section.get("cookie_expiry_days", DEFAULT_EXPIRY_DAYS)
    try:
        days = float(raw)
    except (TypeError, ValueError):
        days = math.nan
    if not math.isfinite(days) or not 0 < days <= 365:
        return DEFAULT_EXPIRY_DAYS, (
            f"[peta_ilp] cookie_expiry_days = {str(raw)[:40]} di .streamlit/secrets.toml tidak sah: tulis jumlah hari "
            "lebih dari 0 sampai 365 (misalnya 1), lalu jalankan ulang aplikasi."
        )
    return days, ""


# -- the failed sign-in counter (server-side, every session) ----------------------------------------
class LoginLimiter:
    """Failed password sign-ins per username, shared by every session of the server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[int, float]] = OrderedDict()  # username -> (failures, locked until)

    def seconds_left(self, username: str, now: float) -> float:
        """Seconds ``username`` is still refused (0 when it may try)."""
        with self._lock:
            entry = self._entries.get(username)
            if entry is None:
                return 0.0
            if entry[1] and entry[1] <= now:  # the lock has run out: start counting again
                del self._entries[username]
                return 0.0
            return max(0.0, entry[1] - now)

    def locked(self, now: float) -> dict[str, float]:
        """Every username refused right now, with its seconds left."""
        with self._lock:
            names = list(self._entries)
        return {name: left for name in names if (left := self.seconds_left(name, now)) > 0}

    def record_failure(self, username: str, now: float) -> float:
        """Count one failure; return the seconds ``username`` is now refused (0 below the limit)."""
        with self._lock:
            failures, _until = self._entries.pop(username, (0, 0.0))
            failures += 1
            until = now + LOGIN_LOCK_SECONDS if failures >= MAX_LOGIN_FAILURES else 0.0
            self._entries[username] = (failures, until)
            while len(self._entries) > MAX_LOGIN_COUNTERS:
                self._entries.popitem(last=False)
            return max(0.0, until - now)

    def reset(self, username: str | None = None) -> None:
        """Forget the failures of ``username`` (after a good sign-in), or of everyone."""
        with self._lock:
            if username is None:
                self._entries.clear()
            else:
                self._entries.pop(username, None)


@st.cache_resource(show_spinner=False)
def limiter() -> LoginLimiter:
    """The one :class:`LoginLimiter` of this server process."""
    return LoginLimiter()


def wait_text(seconds: float) -> str:
    """How long to wait, in Indonesian words ("4 menit 5 detik")."""
    total = max(1, math.ceil(seconds))
    minutes, rest = divmod(total, 60)
    parts = [f"{minutes} menit"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest} detik")
    return " ".join(parts)


def locked_message(seconds: float) -> str:
    """The refusal shown while a username is locked."""
    return (
        f"Terlalu banyak percobaan masuk yang gagal ({MAX_LOGIN_FAILURES} kali) untuk nama pengguna ini. "
        f"Coba lagi dalam {wait_text(seconds)}. Lupa kata sandi? Minta admin dinas menetapkan yang baru "
        "(python cli.py users add USERNAME --ganti ...)."
    )


# -- who is signed in ---------------------------------------------------------------------------------
def _read_users() -> dict[str, users_file.User]:
    """The users file; a broken one stops the app with its message (the server's admin must fix it)."""
    try:
        return users_file.read_users(users_file.users_path())
    except InputError as exc:
        st.error(str(exc))
        st.stop()
        raise  # st.stop raises; this keeps type checkers aware


def _identity(config: Settings, users: Mapping[str, users_file.User]) -> users_file.User | None:
    """The user of this session, or None when nobody (known) is signed in. Renders nothing."""
    if config.mode == MODE_PASSWORD:
        if st.session_state.get(K_STATUS) is not True:
            return None
        user = users.get(str(st.session_state.get(K_USERNAME) or ""))
        return user if user is not None and user.has_password else None
    if not _oidc_logged_in():
        return None
    return users_file.find_by_email(users, _oidc_email())


def _oidc_logged_in() -> bool:
    """``st.user.is_logged_in``, False when Streamlit gives no such key (no [auth] section it can see)."""
    return st.user.get("is_logged_in") is True


def _oidc_email() -> str:
    """The signed-in email; empty when the identity provider says it is not verified (``email_verified`` false)."""
    if st.user.get("email_verified") is False:
        return ""
    return str(st.user.get("email") or "")


def _access_of(user: users_file.User) -> Access:
    try:
        return parse_role(user.peran, pengguna=user.username)
    except InputError as exc:
        st.error(f"Peran pengguna {user.username} di berkas pengguna tidak dapat dipakai: {exc}")
        st.stop()
        raise


def current_access() -> Access:
    """The session's :class:`~ui.access.Access` (:data:`~ui.access.LOCAL` in local mode).

    Re-reads the users file, so a changed role applies on the next run. Without a signed-in
    user in a sign-in mode the run stops (fail closed); :func:`require_sign_in` has then
    already shown the sign-in page.
    """
    config = settings()
    if config.mode == MODE_LOCAL:
        st.session_state[K_ACCESS] = LOCAL
        return LOCAL
    if config.problem:
        st.stop()
    user = _identity(config, _read_users())
    if user is None:
        st.stop()
    access = _access_of(user)
    st.session_state[K_ACCESS] = access
    return access


def actor_of(access: Access) -> str:
    """Who ``access`` is, for the store's import log: the username, or ``"lokal"`` in local mode."""
    return access.pengguna or LOCAL_ACTOR


# -- the gate at the top of app.py --------------------------------------------------------------------
def require_sign_in() -> Access:
    """Sign the session in (or show why not, then stop); return its Access. Runs before any data is read."""
    config = settings()
    if config.mode == MODE_LOCAL:
        st.session_state[K_ACCESS] = LOCAL
        return LOCAL
    if config.problem:
        st.error(config.problem)
        st.stop()
    users = _read_users()
    if config.mode == MODE_PASSWORD:
        authenticator = _password_gate(config, users)
    else:
        authenticator = None
        _oidc_gate(users)
    _check_expiry(config, authenticator)
    return current_access()


def _check_expiry(config: Settings, authenticator: Any) -> None:
    """End the session on the server ``expiry_days`` after it signed in, even with its tab left open."""
    now = time.time()
    since = st.session_state.get(K_SIGNED_IN_AT)
    if not isinstance(since, float):
        st.session_state[K_SIGNED_IN_AT] = now
        return
    if now - since <= config.expiry_days * 86_400:
        return
    st.session_state.pop(K_SIGNED_IN_AT, None)
    st.session_state[K_NOTICE] = "Sesi Anda sudah berakhir. Silakan masuk lagi."
    if config.mode == MODE_OIDC:
        st.logout()
        st.stop()
    _sign_out_password(authenticator)
    st.rerun()


def _password_gate(config: Settings, users: Mapping[str, users_file.User]) -> Any:
    """streamlit-authenticator's form until a known user is signed in (then returns the authenticator)."""
    import streamlit_authenticator as stauth
    from streamlit_authenticator.utilities import LoginError

    now = time.time()
    counter = limiter()
    refused = counter.locked(now)
    entries: dict[str, dict[str, Any]] = {
        user.username: {
            "name": user.nama or user.username,
            "email": user.email,
            "password": user.sandi,
            "failed_login_attempts": MAX_LOGIN_FAILURES if user.username in refused else 0,
        }
        for user in users.values()
        if user.has_password
    }
    authenticator = stauth.Authenticate(
        {"usernames": dict(entries)}, COOKIE_NAME, config.cookie_key, config.expiry_days, auto_hash=False
    )
    if st.session_state.get(K_SIGN_OUT) and st.session_state.get(K_STATUS):
        _sign_out_password(authenticator)
        st.session_state[K_NOTICE] = "Anda sudah keluar."
    signed_in = st.session_state.get(K_STATUS) is True
    if signed_in and _identity(config, users) is None:  # removed from the users file (or its password) meanwhile
        _sign_out_password(authenticator)
        st.session_state[K_NOTICE] = "Pengguna ini tidak lagi terdaftar di server. Hubungi admin dinas."
        signed_in = False
    if signed_in:
        return authenticator
    _notice()
    try:
        authenticator.login(location="main", max_login_attempts=MAX_LOGIN_FAILURES, fields=dict(LOGIN_FIELDS))
    except LoginError as exc:
        if "attempts" in str(exc):
            st.error(locked_message(max(refused.values(), default=LOGIN_LOCK_SECONDS)))
        else:  # a re-sign-in cookie of a user no longer in the users file
            st.error("Pengguna ini tidak lagi terdaftar di server. Hubungi admin dinas.")
        st.stop()
    now = time.time()
    for name, entry in entries.items():
        if name not in refused and entry.get("failed_login_attempts", 0) > 0:
            left = counter.record_failure(name, now)
            if left:
                st.error(locked_message(left))
                st.stop()
    status = st.session_state.get(K_STATUS)
    if status is True:
        counter.reset(str(st.session_state.get(K_USERNAME)))
        st.session_state[K_SIGNED_IN_AT] = time.time()
        return authenticator
    if status is False:
        st.error(WRONG_PASSWORD)
    st.stop()


def _sign_out_password(authenticator: Any) -> None:
    """Sign out through streamlit-authenticator (its session keys, and its cookie deleted in the browser)."""
    if authenticator is not None and st.session_state.get(K_STATUS):
        authenticator.logout(location="unrendered")
    st.session_state[K_STATUS] = None
    st.session_state[K_USERNAME] = None
    st.session_state.pop(K_SIGNED_IN_AT, None)
    st.session_state.pop(K_ACCESS, None)


def _oidc_gate(users: Mapping[str, users_file.User]) -> None:
    if not _oidc_logged_in():
        st.session_state.pop(K_SIGNED_IN_AT, None)
        st.subheader("Masuk ke Peta ILP")
        _notice()
        st.write("Masuk dengan akun kantor Anda (penyedia identitas dinas).")
        if st.button("Masuk", key=K_OIDC_LOGIN, type="primary"):
            st.login()
        st.stop()
    if st.session_state.get(K_SIGN_OUT):
        st.session_state.pop(K_SIGNED_IN_AT, None)
        st.logout()
        st.stop()
    email = _oidc_email()
    if not email and st.user.get("email_verified") is False:
        st.error(
            f"Email {st.user.get('email') or ''} belum diverifikasi oleh penyedia identitas, jadi tidak dipakai "
            "untuk masuk. Verifikasi email di akun kantor Anda, atau hubungi admin penyedia identitas."
        )
        if st.button("Keluar", key=K_SIGN_OUT):
            st.logout()
        st.stop()
    if users_file.find_by_email(users, email) is None:
        st.error(
            f"Email {email or '(tidak ada)'} belum terdaftar di server Peta ILP, jadi tidak ada data yang ditampilkan. "
            f"Minta admin dinas menambahkan Anda: python cli.py users add USERNAME --peran PERAN --email {email} "
            "--tanpa-sandi."
        )
        if st.button("Keluar", key=K_SIGN_OUT):
            st.logout()
        st.stop()
    st.session_state.setdefault(K_SIGNED_IN_AT, time.time())


def _notice() -> None:
    text = st.session_state.pop(K_NOTICE, None)
    if text:
        st.info(text)


# -- the sidebar: who is signed in, sign out, or the local badge --------------------------------------
def render_account() -> None:
    """In the sidebar: the local-mode badge, or who is signed in with their role and a sign-out button."""
    access = st.session_state.get(K_ACCESS)
    if not isinstance(access, Access) or access.is_local:
        st.sidebar.caption(f"🔓 {LOCAL_BADGE}")
        return
    user = _read_users().get(access.pengguna or "")
    name = user.nama if user is not None and user.nama else access.pengguna
    st.sidebar.caption(f"Masuk sebagai **{name}** ({access.pengguna}) · peran: {access.role}")
    st.sidebar.button("Keluar", key=K_SIGN_OUT)


def local_badge() -> str | None:
    """The local-mode badge text, or None when someone is signed in (for the presentation bar)."""
    access = st.session_state.get(K_ACCESS)
    if not isinstance(access, Access) or access.is_local:
        return LOCAL_BADGE
    return None
