"""The scope's level, the level the map draws, drill-down and breadcrumbs (ui/scope.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scope_fixtures import NATION

from geo.levels import MAX_DESA_DRAWN
from geo.rules import Rules
from ui.scope import Crumb, breadcrumbs, drawn_level, drill, groupings, scope_level
from ui.state import FilterOptions, ViewState

S = ViewState


def _only(*kabupaten: str) -> FilterOptions:
    """NATION cut to ``kabupaten`` (a store holding just those)."""
    kab = {k: v for k, v in NATION.kabupaten.items() if k in kabupaten}
    prov = {NATION.kabupaten_provinsi[k] for k in kab}
    return replace(
        NATION,
        kabupaten=kab,
        kecamatan={k: v for k, v in NATION.kecamatan.items() if v[1] in kab},
        puskesmas={k: v for k, v in NATION.puskesmas.items() if set(v[1]) & set(kab)},
        provinsi={k: v for k, v in NATION.provinsi.items() if k in prov},
        kabupaten_provinsi={k: v for k, v in NATION.kabupaten_provinsi.items() if k in kab},
    )


JABAR = _only("32.06", "32.05")  # one provinsi, two kabupaten
TASIK = _only("32.06")  # the usual dinas store: one kabupaten (two kecamatan)
KEPT = {"bulan": "2026-09", "status": ("tanpa_pustu",), "kelompok": "puskesmas", "lang": "en", "mode": "presentasi"}
RULES = Rules(posyandu_min_bulan=9)


@pytest.mark.parametrize(
    ("state", "level"),
    [
        pytest.param(S(), None, id="nation"),
        pytest.param(S(provinsi="32"), "provinsi", id="provinsi"),
        pytest.param(S(provinsi="32", kabupaten="32.06"), "kabupaten", id="kabupaten"),
        pytest.param(S(kabupaten="32.06"), "kabupaten", id="kabupaten-without-provinsi"),
        pytest.param(S(kabupaten="32.06", kecamatan=("32.06.01",)), "kecamatan", id="one-kecamatan"),
        pytest.param(S(kecamatan=("32.06.01", "32.05.01")), "kecamatan", id="several-kecamatan"),
        pytest.param(S(puskesmas="P1"), None, id="puskesmas-does-not-change-the-level"),
        pytest.param(S(kabupaten="32.06", puskesmas="P1", status=("lengkap",)), "kabupaten", id="with-puskesmas"),
        pytest.param(S(desa="32.06.01.2001", bulan="2026-10"), None, id="desa-and-month-are-no-area"),
    ],
)
def test_scope_level(state: ViewState, level: str | None) -> None:
    assert scope_level(state) == level


@pytest.mark.parametrize(
    ("state", "n_desa", "level"),
    [
        pytest.param(S(), MAX_DESA_DRAWN, "desa", id="nation-small-data-desa"),
        pytest.param(S(), MAX_DESA_DRAWN + 1, "provinsi", id="nation-provinsi"),
        pytest.param(S(provinsi="32"), 5957, "kabupaten", id="provinsi-kabupaten"),
        pytest.param(S(provinsi="32"), 12, "desa", id="small-provinsi-desa"),
        pytest.param(S(kabupaten="32.06"), 351, "desa", id="kabupaten-desa"),
        pytest.param(S(kabupaten="32.06"), MAX_DESA_DRAWN + 1, "kecamatan", id="large-kabupaten-kecamatan"),
        pytest.param(S(kecamatan=("32.06.01",)), MAX_DESA_DRAWN + 1, "desa", id="kecamatan-always-desa"),
        pytest.param(S(puskesmas="P1"), MAX_DESA_DRAWN + 1, "provinsi", id="puskesmas-nation-level"),
        pytest.param(S(), 0, "desa", id="no-desa"),
    ],
)
def test_drawn_level(state: ViewState, n_desa: int, level: str) -> None:
    assert drawn_level(state, n_desa=n_desa) == level


DRILL_CASES = [
    pytest.param(S(**KEPT), "provinsi", "32", S(provinsi="32", **KEPT), id="nation-to-provinsi"),
    pytest.param(
        S(provinsi="32", **KEPT),
        "kabupaten",
        "32.06",
        S(provinsi="32", kabupaten="32.06", **KEPT),
        id="provinsi-to-kabupaten",
    ),
    pytest.param(S(), "kabupaten", "52.71", S(provinsi="52", kabupaten="52.71"), id="kabupaten-sets-its-provinsi"),
    pytest.param(
        S(kabupaten="32.06"),
        "kecamatan",
        "32.06.02",
        S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.02",)),
        id="kecamatan-sets-kabupaten-and-provinsi",
    ),
    pytest.param(
        S(kecamatan=("32.06.01", "32.05.01"), desa="32.06.01.2001"),
        "kecamatan",
        "32.05.01",
        S(provinsi="32", kabupaten="32.05", kecamatan=("32.05.01",)),
        id="kecamatan-replaces-several-and-clears-desa",
    ),
    pytest.param(
        S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.01",), desa="32.06.01.2001"),
        "provinsi",
        "52",
        S(provinsi="52"),
        id="provinsi-clears-deeper-filters",
    ),
    pytest.param(
        S(provinsi="32", puskesmas="P1"),
        "kabupaten",
        "32.06",
        S(provinsi="32", kabupaten="32.06", puskesmas="P1"),
        id="puskesmas-inside-kept",
    ),
    pytest.param(
        S(provinsi="32", puskesmas="P1"),
        "kabupaten",
        "32.05",
        S(provinsi="32", kabupaten="32.05"),
        id="puskesmas-outside-dropped",
    ),
    pytest.param(
        S(kabupaten="32.06", puskesmas="P1"),
        "kecamatan",
        "32.06.01",
        S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.01",), puskesmas="P1"),
        id="puskesmas-serving-the-kecamatan-kept",
    ),
    pytest.param(
        S(kabupaten="32.06", puskesmas="P1"),
        "kecamatan",
        "32.06.02",
        S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.02",)),
        id="puskesmas-not-serving-the-kecamatan-dropped",
    ),
    pytest.param(S(), "kabupaten", "99.99", S(kabupaten="99.99"), id="unknown-code-set-as-given-no-parent"),
]


@pytest.mark.parametrize(("state", "level", "kode", "expected"), DRILL_CASES)
def test_drill(state: ViewState, level: str, kode: str, expected: ViewState) -> None:
    assert drill(state, level=level, kode=kode, options=NATION) == expected


def test_drill_keeps_the_rules() -> None:
    state = S(aturan=RULES, lang="en")
    assert drill(state, level="provinsi", kode="52", options=NATION) == S(provinsi="52", aturan=RULES, lang="en")


@pytest.mark.parametrize("level", ["desa", "negara", ""])
def test_drill_into_a_desa_or_unknown_level_is_refused(level: str) -> None:
    with pytest.raises(ValueError, match="no drill-down into level"):
        drill(S(), level=level, kode="32.06.01.2001", options=NATION)


def _c(level: str | None, kode: str | None, nama: str, state: ViewState) -> Crumb:
    return Crumb(level=level, kode=kode, nama=nama, state=state)


BREADCRUMB_CASES = [
    pytest.param(NATION, S(), (_c(None, None, "Indonesia", S()),), id="nation-root"),
    pytest.param(
        NATION,
        S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.01",), desa="32.06.01.2001", **KEPT),
        (
            _c(None, None, "Indonesia", S(**KEPT)),
            _c("provinsi", "32", "Jawa Barat", S(provinsi="32", **KEPT)),
            _c("kabupaten", "32.06", "Kabupaten Tasikmalaya", S(provinsi="32", kabupaten="32.06", **KEPT)),
            _c(
                "kecamatan",
                "32.06.01",
                "Cipatujah",
                S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.01",), **KEPT),
            ),
        ),
        id="nation-down-to-kecamatan",
    ),
    pytest.param(
        NATION,
        S(kabupaten="52.71"),
        (
            _c(None, None, "Indonesia", S()),
            _c("provinsi", "52", "Nusa Tenggara Barat", S(provinsi="52")),
            _c("kabupaten", "52.71", "Kota Mataram", S(provinsi="52", kabupaten="52.71")),
        ),
        id="provinsi-implied-by-the-kabupaten",
    ),
    pytest.param(
        NATION,
        S(kecamatan=("32.06.01", "32.06.02"), puskesmas="P1"),
        (
            _c(None, None, "Indonesia", S(puskesmas="P1")),
            _c("provinsi", "32", "Jawa Barat", S(provinsi="32", puskesmas="P1")),
            _c("kabupaten", "32.06", "Kabupaten Tasikmalaya", S(provinsi="32", kabupaten="32.06", puskesmas="P1")),
            _c(
                "kecamatan",
                "32.06.01,32.06.02",
                "Cipatujah, Karangnunggal",
                S(kecamatan=("32.06.01", "32.06.02"), puskesmas="P1"),
            ),
        ),
        id="several-kecamatan-one-step-parents-implied",
    ),
    pytest.param(
        NATION,
        S(kecamatan=("32.06.01", "52.71.01")),
        (
            _c(None, None, "Indonesia", S()),
            _c("kecamatan", "32.06.01,52.71.01", "Cipatujah, Ampenan", S(kecamatan=("32.06.01", "52.71.01"))),
        ),
        id="kecamatan-of-two-provinsi-no-parent-step",
    ),
    pytest.param(
        NATION,
        S(provinsi="52", puskesmas="P1"),
        (
            _c(None, None, "Indonesia", S(puskesmas="P1")),
            _c("provinsi", "52", "Nusa Tenggara Barat", S(provinsi="52")),
        ),
        id="puskesmas-outside-a-step-dropped-from-its-state",
    ),
    pytest.param(JABAR, S(), (_c("provinsi", "32", "Jawa Barat", S()),), id="one-provinsi-root"),
    pytest.param(
        JABAR,
        S(provinsi="32", kabupaten="32.05"),
        (
            _c("provinsi", "32", "Jawa Barat", S()),
            _c("kabupaten", "32.05", "Kabupaten Garut", S(provinsi="32", kabupaten="32.05")),
        ),
        id="one-provinsi-then-kabupaten",
    ),
    pytest.param(TASIK, S(**KEPT), (_c("kabupaten", "32.06", "Kabupaten Tasikmalaya", S(**KEPT)),), id="one-kab"),
    pytest.param(
        TASIK,
        S(kecamatan=("32.06.02",), desa="32.06.02.2001"),
        (
            _c("kabupaten", "32.06", "Kabupaten Tasikmalaya", S()),
            _c("kecamatan", "32.06.02", "Karangnunggal", S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.02",))),
        ),
        id="one-kabupaten-then-kecamatan",
    ),
    pytest.param(
        TASIK,
        S(provinsi="32", kabupaten="32.06"),
        (_c("kabupaten", "32.06", "Kabupaten Tasikmalaya", S()),),
        id="one-kabupaten-filters-set-explicitly-fold",
    ),
    pytest.param(
        replace(NATION, provinsi={}, kabupaten_provinsi={}),
        S(kabupaten="32.05"),
        (_c(None, None, "Indonesia", S()), _c("kabupaten", "32.05", "Kabupaten Garut", S(kabupaten="32.05"))),
        id="data-without-provinsi",
    ),
]


@pytest.mark.parametrize(("options", "state", "crumbs"), BREADCRUMB_CASES)
def test_breadcrumbs(options: FilterOptions, state: ViewState, crumbs: tuple[Crumb, ...]) -> None:
    assert breadcrumbs(state, options) == crumbs


def test_breadcrumb_names_are_plain_text_from_the_data() -> None:
    """Names are passed on as the data holds them: escaping is the renderer's job."""
    options = replace(TASIK, kabupaten={"32.06": "<b>Tasik</b> & *co*"})
    (root,) = breadcrumbs(S(), options)
    assert root.nama == "<b>Tasik</b> & *co*"


def test_breadcrumbs_nation_name_in_english() -> None:
    assert breadcrumbs(S(lang="en"), NATION)[0].nama == "Indonesia"


def test_breadcrumbs_keep_the_rules() -> None:
    crumbs = breadcrumbs(S(provinsi="52", aturan=RULES), NATION)
    assert [c.state.aturan for c in crumbs] == [RULES, RULES]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (ViewState(), ("provinsi", "kabupaten", "kecamatan", "puskesmas")),
        (ViewState(provinsi="32"), ("kabupaten", "kecamatan", "puskesmas")),
        (ViewState(provinsi="32", kabupaten="32.06"), ("kecamatan", "puskesmas")),
        (ViewState(kabupaten="32.06", kecamatan=("32.06.01",)), ("kecamatan", "puskesmas")),
        (ViewState(puskesmas="P1"), ("provinsi", "kabupaten", "kecamatan", "puskesmas")),
    ],
)
def test_groupings_of_a_scope(state: ViewState, expected: tuple[str, ...]) -> None:
    assert groupings(state) == expected
