"""URL <-> view state: parsing, serialising, checking against the data (ui/state.py)."""

from __future__ import annotations

import pytest

from ui.state import (
    MALFORMED,
    NOT_IN_DATA,
    REPEATED,
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
    S(kabupaten="32.06", kecamatan=("32.06.01", "32.06.02"), puskesmas="P3206190201"),
    S(status=("tanpa_keduanya", "tanpa_pustu"), bulan="2025-01"),
    S(desa="32.06.01.2001", kelompok="puskesmas", lang="en", mode="presentasi"),
    S(kabupaten="52.71", kecamatan=("52.71.01",), status=("lengkap",), bulan="2026-10", desa="52.71.01.1001"),
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
        (S(kelompok="kecamatan", lang="id", mode="normal"), {}),
    ],
)
def test_serialise_leaves_defaults_out(state: ViewState, params: dict) -> None:
    assert serialise(state) == params


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
    assert S(mode="presentasi").presentasi
