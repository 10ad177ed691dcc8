"""Signing in from AppTest without a browser (not a test module): :func:`run_as`.

Password mode as the contract of issue 12 describes it: the secrets name the password
login and a cookie key, ``ILP_USERS`` points at a users file written with
:mod:`loaders.users`, and streamlit-authenticator's own session keys
(``authentication_status``, ``username``) say who is signed in. ``ui/auth.py`` re-reads
the role from the users file on every run (the real sign-in path; nothing is patched).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from loaders import users as users_file
from tests.page_support import APP, TIMEOUT, assert_no_exception, coverage_of

PASSWORD: Final = "Sandi-uji-Panjang-2026"
COOKIE_KEY: Final = "k" * 32


def write_users(path: Path, users: dict[str, str]) -> Path:
    """Write a users file at ``path``: username -> role, every user with :data:`PASSWORD` (bcrypt)."""
    for name, role in users.items():
        users_file.add_user(path, name, peran=role, nama=name, password=PASSWORD, replace_existing=True)
    return path


def run_as(
    username: str,
    role: str,
    page: str | None = None,
    query: dict[str, str] | None = None,
    store: Path | None = None,
    *,
    monkeypatch: pytest.MonkeyPatch,
    users_file: Path,
) -> AppTest:
    """Run ``app.py`` signed in (password mode) as ``username`` with ``role``, then switch to ``page``.

    ``store``: the store the app reads (``ILP_STORE``); ``users_file``: where the users file is
    written (``ILP_USERS``). No exception box is allowed on the page.
    """
    if store is not None:
        monkeypatch.setenv("ILP_STORE", str(store))
    monkeypatch.setenv("ILP_USERS", str(write_users(users_file, {username: role})))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["peta_ilp"] = {"login": "password", "cookie_key": COOKIE_KEY}
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert_no_exception(at)
    return at


def _walk(node: object) -> Iterator[object]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def page_texts(at: AppTest) -> list[str]:
    """Every text the page shows or sends: each element's message (labels, bodies, options, help, map JSON)
    and the contents of every table (``st.dataframe`` / ``st.table`` as CSV).
    """
    out: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind in ("arrow_data_frame", "dataframe", "table") or type(node).__name__ in ("Dataframe", "Table"):
            value = getattr(node, "value", None)
            if isinstance(value, pd.DataFrame):
                out.append(value.to_csv())
            continue
        if proto is None:
            continue
        out.append(text_format.MessageToString(proto, as_utf8=True))
        json_args = getattr(proto, "json_args", "")
        if json_args:
            out.append(json.dumps(json.loads(json_args), ensure_ascii=False))
    return out


def leaks(texts: Iterable[str], forbidden: Iterable[str]) -> set[str]:
    """The ``forbidden`` words (names, codes) found as whole words in ``texts``."""
    joined = "\n".join(texts)
    found = set()
    for word in forbidden:
        if re.search(rf"(?<![0-9A-Za-z.]){re.escape(word)}(?![0-9A-Za-z])", joined):
            found.add(word)
    return found


@dataclass(frozen=True)
class Pair:
    """Two puskesmas of one store: the signed-in one (A) and another (B) whose data must never show."""

    a: str
    b: str
    area_a: frozenset[str]
    area_b: frozenset[str]
    kecamatan_b: tuple[str, ...]
    border_desa_a: str  # a desa of A touching a desa of B (the Desa page's neighbours)
    forbidden: frozenset[str]  # B's desa names and codes, posyandu and pustu names, none of them also A's


def pair_of(store: Path) -> Pair:
    """Two puskesmas sharing a kecamatan, each with several desa, and what of B's must never show to A."""
    cov = coverage_of(store)
    desa = cov.dataset.desa
    areas = cov.working_areas.groupby("kode_puskesmas")["kode_desa"].agg(frozenset)
    kec_of = dict(zip(desa["kode_desa"], desa["kode_kecamatan"], strict=True))
    candidates = sorted(
        (
            (a, b)
            for a in areas.index
            for b in areas.index
            if a < b
            and len(areas[a]) >= 3
            and len(areas[b]) >= 3
            and {kec_of[d] for d in areas[a]} & {kec_of[d] for d in areas[b]}
        ),
    )
    a, b = candidates[0]
    area_a, area_b = areas[a], areas[b] - areas[a]
    geom = desa.set_index("kode_desa").geometry
    border = [d for d in sorted(area_a) if any(geom[d].touches(geom[o]) or geom[d].intersects(geom[o]) for o in area_b)]
    names = dict(zip(desa["kode_desa"], desa["nama_desa"], strict=True))
    fac = cov.facilities
    own_names = {names[d] for d in area_a} | set(fac.loc[fac["kode_desa_final"].isin(area_a), "nama"].astype(str))
    own_names |= set(desa["nama_kecamatan"].astype(str)) | set(desa["nama_kabupaten"].astype(str))
    b_facilities = fac.loc[fac["kode_desa_final"].isin(area_b) & fac["jenis"].isin(["pustu", "posyandu"]), "nama"]
    forbidden = {names[d] for d in area_b} | set(area_b) | set(b_facilities.astype(str))
    return Pair(
        a=a,
        b=b,
        area_a=area_a,
        area_b=area_b,
        kecamatan_b=tuple(sorted({kec_of[d] for d in area_b})),
        border_desa_a=border[0] if border else sorted(area_a)[0],
        forbidden=frozenset(w for w in forbidden if w and w not in own_names),
    )
