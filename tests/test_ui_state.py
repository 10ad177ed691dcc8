"""URL <-> view state: parsing, serialising, checking against the data (ui/state.py)."""

from __future__ import annotations

import pytest
from scope_fixtures import NATION

from geo.rules import Rules
from ui.state import (
    MALFORMED,
    NOT_IN_DATA,
    REPEATED,
    RULES_CONFLICT,
    UNKNOWN_KEY,
    FilterOptions,
    Note,
    ViewState,
    parse_query,
    reconcile,
    serialise,
)

S = ViewState


# (query parameters as st.query_params.get_all gives them, expected state, expected notes)
PARSE_CASES = [
    pytest.param({}, S(), (), id="empty-url"),
    pytest.param({"kabupaten": "32.06"}, S(kabupaten="32.06"), (), id="kabupaten"),
    pytest.param({"provinsi": "32"}, S(provinsi="32"), (), id="provinsi"),
    pytest.param({"provinsi": "32", "kabupaten": "32.06"}, S(provinsi="32", kabupaten="32.06"), (), id="provinsi-kab"),
    pytest.param({"provinsi": "Jawa Barat"}, S(), (Note(MALFORMED, "provinsi", "Jawa Barat"),), id="provinsi-name"),
    pytest.param(
        {"provinsi": ["32", "52"]}, S(provinsi="52"), (Note(REPEATED, "provinsi", "32,52"),), id="provinsi-repeated"
    ),
    pytest.param(
        {"kecamatan": "32.06.01,32.06.02"}, S(kecamatan=("32.06.01", "32.06.02")), (), id="kecamatan-comma-list"
    ),
    pytest.param(
        {"kecamatan": ["32.06.01", "32.06.02"]}, S(kecamatan=("32.06.01", "32.06.02")), (), id="kecamatan-repeated-key"
    ),
    pytest.param(
        {"kecamatan": ["32.06.01,32.06.02", "32.06.01"]},
        S(kecamatan=("32.06.01", "32.06.02")),
        (),
        id="repeated-values-deduplicated",
    ),
    pytest.param({"kecamatan": ""}, S(), (), id="empty-value-means-no-filter"),
    pytest.param({"kecamatan": " , ,32.06.03 "}, S(kecamatan=("32.06.03",)), (), id="blank-items-and-spaces"),
    pytest.param({"bulan": "2026-10"}, S(bulan="2026-10"), (), id="month"),
    pytest.param({"bulan": "2026-13"}, S(), (Note(MALFORMED, "bulan", "2026-13"),), id="month-13"),
    pytest.param({"bulan": "okt-2026"}, S(), (Note(MALFORMED, "bulan", "okt-2026"),), id="month-words"),
    pytest.param({"bulan": "2026-1"}, S(), (Note(MALFORMED, "bulan", "2026-1"),), id="month-one-digit"),
    pytest.param(
        {"bulan": "2026-10", "banding": "2025-12"}, S(bulan="2026-10", banding="2025-12"), (), id="two-months"
    ),
    pytest.param({"banding": "2025-13"}, S(), (Note(MALFORMED, "banding", "2025-13"),), id="second-month-13"),
    pytest.param({"bulan": ""}, S(), (), id="empty-month"),
    pytest.param(
        {"bulan": ["2026-09", "2026-10"]},
        S(bulan="2026-10"),
        (Note(REPEATED, "bulan", "2026-09,2026-10"),),
        id="single-key-repeated-last-wins",
    ),
    pytest.param({"bulan": ["2026-10", "2026-10"]}, S(bulan="2026-10"), (), id="single-key-same-value-twice"),
    pytest.param({"foo": "bar"}, S(), (Note(UNKNOWN_KEY, "foo", "bar"),), id="unknown-key"),
    pytest.param({"embed": "true", "embed_options": "light_theme"}, S(), (), id="streamlit-embed-keys-silent"),
    pytest.param(
        {"status": "tanpa_pustu,rusak"},
        S(status=("tanpa_pustu",)),
        (Note(MALFORMED, "status", "rusak"),),
        id="unknown-status",
    ),
    pytest.param(
        {"kecamatan": "32.06.01,<script>"},
        S(kecamatan=("32.06.01",)),
        (Note(MALFORMED, "kecamatan", "<script>"),),
        id="malformed-code-dropped",
    ),
    pytest.param({"puskesmas": "P3206190201"}, S(puskesmas="P3206190201"), (), id="puskesmas-code"),
    pytest.param({"puskesmas": "Puskesmas Ciawi"}, S(), (Note(MALFORMED, "puskesmas", "Puskesmas Ciawi"),), id="name"),
    pytest.param({"desa": "32.06.01.2001"}, S(desa="32.06.01.2001"), (), id="desa"),
    pytest.param({"lang": "en"}, S(lang="en"), (), id="english"),
    pytest.param({"lang": "fr"}, S(), (Note(MALFORMED, "lang", "fr"),), id="unknown-language"),
    pytest.param({"mode": "presentasi"}, S(mode="presentasi"), (), id="presentation"),
    pytest.param({"mode": "kiosk"}, S(), (Note(MALFORMED, "mode", "kiosk"),), id="unknown-mode"),
    pytest.param({"kelompok": "puskesmas"}, S(kelompok="puskesmas"), (), id="grouping"),
    pytest.param({"warna": "tenaga"}, S(warna="tenaga"), (), id="colouring-staffing"),
    pytest.param({"warna": "status"}, S(), (), id="colouring-status-default"),
    pytest.param({"warna": "Tenaga"}, S(), (Note(MALFORMED, "warna", "Tenaga"),), id="colouring-case-sensitive"),
    pytest.param({"warna": "merah"}, S(), (Note(MALFORMED, "warna", "merah"),), id="colouring-unknown"),
    pytest.param(
        {"warna": ["status", "tenaga"]},
        S(warna="tenaga"),
        (Note(REPEATED, "warna", "status,tenaga"),),
        id="colouring-repeated-last-wins",
    ),
    # engine rules (only non-default ones are written; form and range checked; checked together)
    pytest.param({"min_bulan": "9"}, S(aturan=Rules(posyandu_min_bulan=9)), (), id="rule-min-months"),
    pytest.param({"min_bulan": "0"}, S(aturan=Rules(posyandu_min_bulan=0)), (), id="rule-min-months-zero"),
    pytest.param(
        {"jendela": "6", "min_bulan": "5"},
        S(aturan=Rules(posyandu_min_bulan=5, posyandu_jendela_bulan=6)),
        (),
        id="rule-window-with-min-in-any-order",
    ),
    pytest.param({"pkm_pustu": "1"}, S(aturan=Rules(puskesmas_sebagai_pustu=True)), (), id="rule-puskesmas-pustu"),
    pytest.param({"pkm_pustu": "0"}, S(), (), id="rule-puskesmas-pustu-default"),
    pytest.param({"jarak_km": "2.5"}, S(aturan=Rules(jarak_maks_pustu_km=2.5)), (), id="rule-distance"),
    pytest.param({"jarak_km": "2,5"}, S(aturan=Rules(jarak_maks_pustu_km=2.5)), (), id="rule-distance-comma"),
    pytest.param({"jarak_km": "7"}, S(aturan=Rules(jarak_maks_pustu_km=7.0)), (), id="rule-distance-whole"),
    pytest.param({"berhenti": "6"}, S(aturan=Rules(laporan_berhenti_bulan=6)), (), id="rule-stopped"),
    pytest.param({"duplikat_m": "0"}, S(aturan=Rules(duplikat_radius_m=0.0)), (), id="rule-duplicate-radius"),
    pytest.param({"min_bulan": "9.5"}, S(), (Note(MALFORMED, "min_bulan", "9.5"),), id="rule-min-not-whole"),
    pytest.param({"min_bulan": "-1"}, S(), (Note(MALFORMED, "min_bulan", "-1"),), id="rule-min-negative"),
    pytest.param({"jendela": "0"}, S(), (Note(MALFORMED, "jendela", "0"),), id="rule-window-zero"),
    pytest.param({"jendela": "37"}, S(), (Note(MALFORMED, "jendela", "37"),), id="rule-window-too-long"),
    pytest.param({"pkm_pustu": "ya"}, S(), (Note(MALFORMED, "pkm_pustu", "ya"),), id="rule-flag-not-0-1"),
    pytest.param({"jarak_km": "0"}, S(), (Note(MALFORMED, "jarak_km", "0"),), id="rule-distance-zero"),
    pytest.param({"jarak_km": "nan"}, S(), (Note(MALFORMED, "jarak_km", "nan"),), id="rule-distance-nan"),
    pytest.param({"jarak_km": "1e3"}, S(), (Note(MALFORMED, "jarak_km", "1e3"),), id="rule-distance-exponent"),
    pytest.param({"berhenti": "0"}, S(), (Note(MALFORMED, "berhenti", "0"),), id="rule-stopped-zero"),
    pytest.param({"duplikat_m": "9000"}, S(), (Note(MALFORMED, "duplikat_m", "9000"),), id="rule-radius-too-big"),
    pytest.param(
        {"min_bulan": "11", "jendela": "6", "pkm_pustu": "1"},
        S(aturan=Rules(puskesmas_sebagai_pustu=True)),
        (Note(RULES_CONFLICT, "min_bulan", "11"), Note(RULES_CONFLICT, "jendela", "6")),
        id="rule-min-above-window-both-ignored-others-kept",
    ),
    pytest.param(
        {"jendela": "6"}, S(), (Note(RULES_CONFLICT, "jendela", "6"),), id="rule-window-below-default-minimum"
    ),
    pytest.param(
        {"min_bulan": ["8", "9"]},
        S(aturan=Rules(posyandu_min_bulan=9)),
        (Note(REPEATED, "min_bulan", "8,9"),),
        id="rule-repeated-last-wins",
    ),
    pytest.param(
        {"foo": "1", "bulan": "x", "kecamatan": "32.06.01", "lang": "en"},
        S(kecamatan=("32.06.01",), lang="en"),
        (Note(UNKNOWN_KEY, "foo", "1"), Note(MALFORMED, "bulan", "x")),
        id="mixed-good-and-bad-in-url-order",
    ),
]


@pytest.mark.parametrize(("params", "state", "notes"), PARSE_CASES)
def test_parse_query(params: dict, state: ViewState, notes: tuple[Note, ...]) -> None:
    result = parse_query(params)
    assert result.state == state
    assert result.notes == notes


ROUND_TRIP = [
    S(),
    S(provinsi="32"),
    S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.01",), bulan="2026-10"),
    S(kabupaten="32.06", kecamatan=("32.06.01", "32.06.02"), puskesmas="P3206190201"),
    S(status=("tanpa_keduanya", "tanpa_pustu"), bulan="2025-01"),
    S(desa="32.06.01.2001", kelompok="puskesmas", lang="en", mode="presentasi"),
    S(kabupaten="32.06", warna="tenaga", bulan="2026-10"),
    S(kabupaten="52.71", kecamatan=("52.71.01",), status=("lengkap",), bulan="2026-10", desa="52.71.01.1001"),
    S(aturan=Rules(posyandu_min_bulan=9)),
    S(bulan="2026-10", banding="2025-12"),
    S(
        bulan="2026-10",
        aturan=Rules(
            posyandu_min_bulan=4,
            posyandu_jendela_bulan=6,
            puskesmas_sebagai_pustu=True,
            jarak_maks_pustu_km=2.75,
            laporan_berhenti_bulan=2,
            duplikat_radius_m=125.5,
        ),
    ),
    S(aturan=Rules(jarak_maks_pustu_km=0.1, duplikat_radius_m=5000.0)),
]


@pytest.mark.parametrize("state", ROUND_TRIP)
def test_round_trip(state: ViewState) -> None:
    params = serialise(state)
    assert parse_query(params).state == state
    assert parse_query(params).notes == ()


@pytest.mark.parametrize(
    ("state", "params"),
    [
        (S(), {}),
        (S(kecamatan=("a1", "b2"), bulan="2026-10"), {"kecamatan": "a1,b2", "bulan": "2026-10"}),
        (S(lang="en", mode="presentasi"), {"lang": "en", "mode": "presentasi"}),
        (S(banding="2026-08", bulan="2026-10"), {"bulan": "2026-10", "banding": "2026-08"}),
        (S(kabupaten="32.06", provinsi="32"), {"provinsi": "32", "kabupaten": "32.06"}),
        (S(kelompok="kecamatan", lang="id", mode="normal"), {}),
        (S(warna="status"), {}),
        (S(warna="tenaga", bulan="2026-10"), {"bulan": "2026-10", "warna": "tenaga"}),
        (
            S(kelompok="puskesmas", warna="tenaga", lang="en"),
            {"kelompok": "puskesmas", "warna": "tenaga", "lang": "en"},
        ),
        (S(aturan=Rules()), {}),
        (S(aturan=Rules(posyandu_min_bulan=10, jarak_maks_pustu_km=3.0)), {"jarak_km": "3"}),
        (
            S(mode="presentasi", aturan=Rules(posyandu_jendela_bulan=24, puskesmas_sebagai_pustu=True)),
            {"mode": "presentasi", "jendela": "24", "pkm_pustu": "1"},
        ),
    ],
)
def test_serialise_leaves_defaults_out(state: ViewState, params: dict) -> None:
    assert serialise(state) == params


def test_serialise_writes_the_area_from_the_top_down() -> None:
    state = S(provinsi="32", kabupaten="32.06", kecamatan=("32.06.01",), puskesmas="P1", desa="32.06.01.2001")
    assert list(serialise(state)) == ["provinsi", "kabupaten", "kecamatan", "puskesmas", "desa"]


OPTIONS = FilterOptions(
    kabupaten={"32.06": "Kabupaten Tasikmalaya", "32.05": "Kabupaten Garut"},
    kecamatan={
        "32.06.01": ("Cipatujah", "32.06"),
        "32.06.02": ("Karangnunggal", "32.06"),
        "32.05.01": ("Cisewu", "32.05"),
    },
    puskesmas={"P1": ("Puskesmas Cipatujah", ("32.06",)), "P2": ("Puskesmas Cisewu", ("32.05",))},
    months=("2026-08", "2026-09", "2026-10"),
    desa=frozenset({"32.06.01.2001", "32.05.01.2001"}),
)

RECONCILE_CASES = [
    pytest.param(S(), S(bulan="2026-10"), (), id="default-month-is-latest"),
    pytest.param(S(bulan="2026-09"), S(bulan="2026-09"), (), id="known-month-kept"),
    pytest.param(S(bulan="2024-01"), S(bulan="2026-10"), (Note(NOT_IN_DATA, "bulan", "2024-01"),), id="month-no-data"),
    pytest.param(S(banding="2026-08"), S(bulan="2026-10", banding="2026-08"), (), id="second-month-kept"),
    pytest.param(
        S(banding="2024-01"), S(bulan="2026-10"), (Note(NOT_IN_DATA, "banding", "2024-01"),), id="second-month-no-data"
    ),
    pytest.param(S(kabupaten="99.99"), S(bulan="2026-10"), (Note(NOT_IN_DATA, "kabupaten", "99.99"),), id="kab"),
    pytest.param(
        S(kecamatan=("32.06.01", "32.06.99")),
        S(kecamatan=("32.06.01",), bulan="2026-10"),
        (Note(NOT_IN_DATA, "kecamatan", "32.06.99"),),
        id="unknown-kecamatan-dropped",
    ),
    pytest.param(
        S(kabupaten="32.06", kecamatan=("32.05.01", "32.06.02")),
        S(kabupaten="32.06", kecamatan=("32.06.02",), bulan="2026-10"),
        (Note(NOT_IN_DATA, "kecamatan", "32.05.01"),),
        id="kecamatan-outside-kabupaten",
    ),
    pytest.param(
        S(kabupaten="32.06", puskesmas="P2"),
        S(kabupaten="32.06", bulan="2026-10"),
        (Note(NOT_IN_DATA, "puskesmas", "P2"),),
        id="puskesmas-outside-kabupaten",
    ),
    pytest.param(S(desa="32.06.01.9999"), S(bulan="2026-10"), (Note(NOT_IN_DATA, "desa", "32.06.01.9999"),), id="desa"),
    pytest.param(S(warna="tenaga"), S(warna="tenaga", bulan="2026-10"), (), id="colouring-kept"),
    pytest.param(
        S(kabupaten="99.99", warna="tenaga"),
        S(warna="tenaga", bulan="2026-10"),
        (Note(NOT_IN_DATA, "kabupaten", "99.99"),),
        id="colouring-kept-when-area-dropped",
    ),
    pytest.param(
        S(desa="32.05.01.2001", status=("lengkap",), lang="en"),
        S(desa="32.05.01.2001", status=("lengkap",), lang="en", bulan="2026-10"),
        (),
        id="valid-state-untouched",
    ),
]


@pytest.mark.parametrize(("state", "expected", "notes"), RECONCILE_CASES)
def test_reconcile(state: ViewState, expected: ViewState, notes: tuple[Note, ...]) -> None:
    assert reconcile(state, OPTIONS) == (expected, notes)


NATION_CASES = [
    pytest.param(S(provinsi="52"), S(provinsi="52", bulan="2026-10"), (), id="provinsi-kept"),
    pytest.param(S(provinsi="99"), S(bulan="2026-10"), (Note(NOT_IN_DATA, "provinsi", "99"),), id="provinsi-unknown"),
    pytest.param(
        S(provinsi="32", kabupaten="32.05", kecamatan=("32.05.01",)),
        S(provinsi="32", kabupaten="32.05", kecamatan=("32.05.01",), bulan="2026-10"),
        (),
        id="provinsi-kabupaten-kecamatan-kept",
    ),
    pytest.param(
        S(provinsi="52", kabupaten="32.06"),
        S(provinsi="52", bulan="2026-10"),
        (Note(NOT_IN_DATA, "kabupaten", "32.06"),),
        id="kabupaten-outside-provinsi",
    ),
    pytest.param(
        S(provinsi="52", kecamatan=("32.06.01", "52.71.01")),
        S(provinsi="52", kecamatan=("52.71.01",), bulan="2026-10"),
        (Note(NOT_IN_DATA, "kecamatan", "32.06.01"),),
        id="kecamatan-outside-provinsi",
    ),
    pytest.param(
        S(provinsi="52", kabupaten="32.06", kecamatan=("32.06.01",)),
        S(provinsi="52", bulan="2026-10"),
        (Note(NOT_IN_DATA, "kabupaten", "32.06"), Note(NOT_IN_DATA, "kecamatan", "32.06.01")),
        id="kabupaten-and-its-kecamatan-outside-provinsi",
    ),
    pytest.param(
        S(provinsi="32", puskesmas="P3"),
        S(provinsi="32", bulan="2026-10"),
        (Note(NOT_IN_DATA, "puskesmas", "P3"),),
        id="puskesmas-outside-provinsi",
    ),
    pytest.param(
        S(provinsi="99", kabupaten="52.71"),
        S(kabupaten="52.71", bulan="2026-10"),
        (Note(NOT_IN_DATA, "provinsi", "99"),),
        id="unknown-provinsi-dropped-kabupaten-kept",
    ),
]


@pytest.mark.parametrize(("state", "expected", "notes"), NATION_CASES)
def test_reconcile_provinsi(state: ViewState, expected: ViewState, notes: tuple[Note, ...]) -> None:
    assert reconcile(state, NATION) == (expected, notes)


def test_reconcile_provinsi_without_provinsi_in_the_data() -> None:
    """Options built without provinsi (OPTIONS): a provinsi in the URL is not in the data."""
    assert reconcile(S(provinsi="32", kabupaten="32.06"), OPTIONS) == (
        S(kabupaten="32.06", bulan="2026-10"),
        (Note(NOT_IN_DATA, "provinsi", "32"),),
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(lambda o: o.kabupaten_in(None), ["32.05", "32.06", "52.71"], id="kabupaten-all-by-name"),
        pytest.param(lambda o: o.kabupaten_in("32"), ["32.05", "32.06"], id="kabupaten-of-provinsi"),
        pytest.param(lambda o: o.kabupaten_in("99"), [], id="kabupaten-of-unknown-provinsi"),
        pytest.param(lambda o: o.kecamatan_in(None, provinsi="52"), ["52.71.01"], id="kecamatan-of-provinsi"),
        pytest.param(lambda o: o.kecamatan_in("32.06", provinsi="52"), [], id="kecamatan-kabupaten-outside"),
        pytest.param(lambda o: o.kecamatan_in("32.05"), ["32.05.01"], id="kecamatan-of-kabupaten"),
        pytest.param(lambda o: o.puskesmas_in(None, provinsi="32"), ["P1", "P2"], id="puskesmas-of-provinsi"),
        pytest.param(lambda o: o.puskesmas_in(None), ["P3", "P1", "P2"], id="puskesmas-all"),
        pytest.param(lambda o: o.puskesmas_in("52.71"), ["P3"], id="puskesmas-of-kabupaten"),
    ],
)
def test_options_helpers_by_provinsi(call: object, expected: list[str]) -> None:
    assert call(NATION) == expected  # type: ignore[operator]


def test_reconcile_without_reports_leaves_month_empty() -> None:
    options = FilterOptions(kabupaten={"32.06": "Tasikmalaya"}, months=())
    assert reconcile(S(bulan="2026-10"), options) == (S(), (Note(NOT_IN_DATA, "bulan", "2026-10"),))


def test_options_helpers_sorted_by_name() -> None:
    assert OPTIONS.kecamatan_in("32.06") == ["32.06.01", "32.06.02"]
    assert OPTIONS.kecamatan_in(None) == ["32.06.01", "32.05.01", "32.06.02"]
    assert OPTIONS.puskesmas_in("32.05") == ["P2"]
    assert OPTIONS.latest_month == "2026-10"


def test_view_state_flags() -> None:
    assert not S(bulan="2026-10", lang="en").has_filters()
    assert S(status=("lengkap",)).has_filters()
    assert S(provinsi="32").has_filters()
    assert S(mode="presentasi").presentasi
