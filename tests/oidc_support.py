"""Helpers of the sign-in browser tests (``tests/test_browser_auth.py``): a local OpenID Connect provider,
the Streamlit secrets file of each sign-in mode, and the users file.

The provider is ``oidc-provider-mock`` (a Flask app) served by werkzeug on a thread, on a free loopback
port, for the length of a ``with`` block. Its pages link a stylesheet on a CDN
(``cdn.jsdelivr.net``); :func:`oidc_provider` replaces that base template with one without it, so
the browser has nothing to fetch outside localhost on the provider's sign-in and sign-out pages.
The users it knows are given up front (``user_claims``): their ``sub`` is what a test types into the
provider's sign-in form, and their claims (``email``, ``name``) are what Streamlit's ``st.user`` gets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
PROVIDER_HOST: Final = "localhost"  # what the app and the browser are told (the server binds 127.0.0.1)
PROVIDER_STOP_TIMEOUT_S: Final = 5.0
CLI_TIMEOUT_S: Final = 120.0

# The provider's own _base.html without the CDN stylesheet (same blocks, so its pages render as before).
LOCAL_BASE_TEMPLATE: Final = """<!doctype html>
<html lang="en">
  <main class="container">{% block content %}{{ content }}{% endblock %}</main>
</html>
"""


def provider_missing() -> str | None:
    """Why the OpenID Connect browser test cannot run here (None when it can)."""
    try:
        with warnings.catch_warnings():  # see oidc_provider
            warnings.simplefilter("ignore", DeprecationWarning)
            import oidc_provider_mock  # noqa: F401
    except ImportError:
        return "the Python package oidc-provider-mock is not installed (pip install -r requirements.txt)"
    try:
        import authlib  # noqa: F401
    except ImportError:
        return "the Python package Authlib (needed by st.login) is not installed (pip install -r requirements.txt)"
    return None


@dataclass(frozen=True)
class Provider:
    """A running local OpenID Connect provider."""

    port: int

    @property
    def base_url(self) -> str:
        """``http://localhost:<port>``."""
        return f"http://{PROVIDER_HOST}:{self.port}"

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document (Streamlit's ``server_metadata_url``)."""
        return f"{self.base_url}/.well-known/openid-configuration"


@contextmanager
def oidc_provider(users: Mapping[str, Mapping[str, object]]) -> Iterator[Provider]:
    """Run ``oidc-provider-mock`` on a free loopback port until the block ends.

    Parameters
    ----------
    users
        ``sub`` -> claims of each predefined user (e.g. ``{"email": ..., "name": ...}``).

    Any client id and secret are accepted (no client registration), the nonce Streamlit sends is honoured.
    """
    import jinja2
    import werkzeug.serving

    with warnings.catch_warnings():  # 0.3.4 imports Authlib modules that Authlib 1.9 marks deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import User, app

    flask_app = app(user_claims=[User(sub=sub, claims=dict(claims)) for sub, claims in users.items()])
    # Looked up before the provider's own templates folder: its pages extend this one.
    own = flask_app.jinja_loader
    assert own is not None
    flask_app.jinja_loader = jinja2.ChoiceLoader([jinja2.DictLoader({"_base.html": LOCAL_BASE_TEMPLATE}), own])
    server = werkzeug.serving.make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(port=int(server.server_port))
    finally:
        server.shutdown()
        thread.join(PROVIDER_STOP_TIMEOUT_S)
        server.server_close()


# -- secrets files (Streamlit's --secrets.files) ------------------------------------------------------
def _toml_value(value: object) -> str:
    """A TOML scalar (string, integer or boolean); JSON's string escapes are valid TOML basic strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def write_secrets(path: Path, sections: Mapping[str, Mapping[str, object]]) -> Path:
    """Write ``sections`` (table -> key -> scalar) as a TOML secrets file at ``path``; returns ``path``."""
    lines: list[str] = []
    for table, values in sections.items():
        lines.append(f"[{table}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def oidc_secrets(
    provider: Provider,
    *,
    app_port: int,
    cookie_secret: str,
    client_id: str = "peta-ilp-tes",
    client_secret: str = "rahasia-klien-tes",  # noqa: S107 (a test value; the mock accepts any)
) -> dict[str, dict[str, object]]:
    """Streamlit's ``[auth]`` section for ``provider`` and an app served on ``localhost:<app_port>``."""
    return {
        "auth": {
            "redirect_uri": f"http://localhost:{app_port}/oauth2callback",
            "cookie_secret": cookie_secret,
            "client_id": client_id,
            "client_secret": client_secret,
            "server_metadata_url": provider.metadata_url,
        }
    }


def password_secrets(*, cookie_key: str, cookie_expiry_days: int = 1) -> dict[str, dict[str, object]]:
    """The ``[peta_ilp]`` section of the password sign-in (contract of issue 12)."""
    return {"peta_ilp": {"login": "password", "cookie_key": cookie_key, "cookie_expiry_days": cookie_expiry_days}}


# -- the users file ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    """One user of the users file (``sandi`` None: an OpenID Connect user without a password)."""

    username: str
    peran: str
    email: str
    nama: str
    sandi: str | None = None


def users_cli_available() -> bool:
    """True once ``loaders/users.py`` and the ``users`` command of ``cli.py`` are in the checkout."""
    cli = PROJECT_DIR / "cli.py"
    return (PROJECT_DIR / "loaders" / "users.py").is_file() and '"users"' in cli.read_text(encoding="utf-8")


def add_users_with_cli(users_file: Path, accounts: list[Account], *, store: Path) -> None:
    """``python cli.py users add ...`` for each account (``ILP_USERS`` = ``users_file``; password on stdin).

    ``ILP_STORE`` is ``store``, so the CLI checks each puskesmas code against it.
    Raises ``AssertionError`` with the CLI's output when a call fails.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("ILP_")}
    env.update({"ILP_USERS": str(users_file), "ILP_STORE": str(store)})
    for account in accounts:
        args = ["users", "add", account.username, "--peran", account.peran, "--email", account.email]
        args += ["--nama", account.nama]
        if account.sandi is not None:
            args.append("--sandi-dari-stdin")
        done = subprocess.run(  # noqa: S603 (fixed command)
            [sys.executable, "cli.py", *args],
            cwd=PROJECT_DIR,
            input="" if account.sandi is None else account.sandi + "\n",
            capture_output=True,
            text=True,
            check=False,
            env=env,
            timeout=CLI_TIMEOUT_S,
        )
        assert done.returncode == 0, f"cli.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"


def write_users_json(users_file: Path, accounts: list[Account]) -> None:
    """The users file of the contract written directly (bcrypt hashes), for when the CLI is not there."""
    import bcrypt

    entries: dict[str, dict[str, str]] = {}
    for account in accounts:
        entry = {"nama": account.nama, "email": account.email, "peran": account.peran}
        if account.sandi is not None:
            entry["sandi"] = bcrypt.hashpw(account.sandi.encode("utf-8"), bcrypt.gensalt(rounds=4)).decode("ascii")
        entries[account.username] = entry
    users_file.parent.mkdir(parents=True, exist_ok=True)
    users_file.write_text(json.dumps({"pengguna": entries}, ensure_ascii=False, indent=2), encoding="utf-8")


def write_users(users_file: Path, accounts: list[Account], *, store: Path) -> Path:
    """The users file holding ``accounts``: through ``cli.py users add`` when it exists; returns the path."""
    if users_cli_available():
        add_users_with_cli(users_file, accounts, store=store)
    else:
        write_users_json(users_file, accounts)
    return users_file
