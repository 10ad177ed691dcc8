"""Huge addresses: any number of unknown URL parameters gives a short note; what is read is bounded (ui/state.py).

Streamlit itself drops an address with more than 1,000 parameters or 512 Ki
characters before the app sees it; below that, :func:`ui.state.parse_query`
reads at most ``MAX_URL_PARAMS`` parameters, ``MAX_URL_VALUES`` values of each
and ``MAX_URL_VALUE_CHARS`` characters of a value, lists ``MAX_URL_NOTES``
notes and counts the rest in one ``lainnya`` note.
"""

from __future__ import annotations

from typing import Final

import pytest
from page_support import run_page

from loaders.limits import MAX_URL_NOTES, MAX_URL_PARAMS, MAX_URL_VALUE_CHARS, MAX_URL_VALUES
from ui.fmt import fmt_int
from ui.i18n import t
from ui.state import CUT, KEY_IGNORED, MALFORMED, MORE, REPEATED, UNKNOWN_KEY, Note, ViewState, parse_query

S = ViewState
LONG: Final = MAX_URL_VALUE_CHARS + 3000


def _unknown(n: int, *, start: int = 0) -> dict[str, str]:
    return {f"p{i}": str(i) for i in range(start, start + n)}


def _listed_unknown(n: int) -> tuple[Note, ...]:
    return tuple(Note(UNKNOWN_KEY, f"p{i}", str(i)) for i in range(n))


PARSE_CASES = [
    pytest.param(_unknown(MAX_URL_NOTES), S(), _listed_unknown(MAX_URL_NOTES), id="as-many-as-listed"),
    pytest.param(
        _unknown(MAX_URL_NOTES + 1),
        S(),
        (*_listed_unknown(MAX_URL_NOTES), Note(MORE, "", "1")),
        id="one-more-is-counted",
    ),
    pytest.param(
        _unknown(3000),
        S(),
        (*_listed_unknown(MAX_URL_NOTES), Note(MORE, "", fmt_int(3000 - MAX_URL_NOTES))),
        id="3000-unknown-named-few-counted-rest",
    ),
    pytest.param(
        {"lang": "en", "bulan": "2026-10", **_unknown(3000)},
        S(lang="en", bulan="2026-10"),
        (*_listed_unknown(MAX_URL_NOTES), Note(MORE, "", fmt_int(3000 - MAX_URL_NOTES))),
        id="known-parameters-still-read",
    ),
    pytest.param(
        {**_unknown(MAX_URL_PARAMS), "bulan": "2026-10"},
        S(),
        (*_listed_unknown(MAX_URL_NOTES), Note(MORE, "", fmt_int(MAX_URL_PARAMS - MAX_URL_NOTES + 1))),
        id="parameters-after-the-limit-are-not-read",
    ),
    pytest.param(
        {**_unknown(MAX_URL_NOTES), KEY_IGNORED: "1492", "lang": "en"},
        S(lang="en"),
        (*_listed_unknown(MAX_URL_NOTES), Note(MORE, "", "1.492")),
        id="count-left-by-the-browser-for-an-address-too-long-for-streamlit",
    ),
    pytest.param({KEY_IGNORED: "dua"}, S(), (Note(MALFORMED, KEY_IGNORED, "dua"),), id="count-not-a-number"),
    pytest.param(
        {"bulan": "2" * LONG},
        S(),
        (Note(MALFORMED, "bulan", "2" * MAX_URL_VALUE_CHARS + CUT),),
        id="long-value-cut-and-refused",
    ),
    pytest.param(
        {"foo": "x" * LONG}, S(), (Note(UNKNOWN_KEY, "foo", "x" * MAX_URL_VALUE_CHARS + CUT),), id="long-unknown-value"
    ),
    pytest.param(
        {"k" * LONG: "1"}, S(), (Note(UNKNOWN_KEY, "k" * MAX_URL_VALUE_CHARS + CUT, "1"),), id="long-unknown-key"
    ),
    pytest.param(
        {"kecamatan": "32.06.01," * 30 + "x" * LONG},
        S(kecamatan=("32.06.01",)),
        (Note(MALFORMED, "kecamatan", "x" * (MAX_URL_VALUE_CHARS - 9 * 30) + CUT),),
        id="long-list-cut-last-item-refused",
    ),
    pytest.param(
        {"status": ",".join(["rusak"] * 10_000)},
        S(),
        (
            *(Note(MALFORMED, "status", "rusak"),) * MAX_URL_NOTES,
            Note(MORE, "", fmt_int(MAX_URL_VALUES - MAX_URL_NOTES)),
        ),
        id="values-of-one-parameter-bounded",
    ),
    pytest.param(
        {"kecamatan": [f"32.06.{i:03d}" for i in range(500)]},
        S(kecamatan=tuple(f"32.06.{i:03d}" for i in range(MAX_URL_VALUES))),
        (),
        id="repeats-of-one-parameter-bounded",
    ),
    pytest.param(
        {"bulan": ["2026-09", "x" * LONG]},
        S(),
        (
            Note(REPEATED, "bulan", "2026-09," + "x" * (MAX_URL_VALUE_CHARS - 8) + CUT),
            Note(MALFORMED, "bulan", "x" * MAX_URL_VALUE_CHARS + CUT),
        ),
        id="repeated-long-value",
    ),
]


@pytest.mark.parametrize(("params", "state", "notes"), PARSE_CASES)
def test_parse_query_bounds(params: dict, state: ViewState, notes: tuple[Note, ...]) -> None:
    result = parse_query(params)
    assert result.state == state
    assert result.notes == notes


def test_many_unknown_parameters_give_a_visible_note(monkeypatch: pytest.MonkeyPatch, app_on_demo: object) -> None:
    """Below Streamlit's own limit (1,000 parameters) the page shows the few and the count."""
    at = run_page("pages/ringkasan.py", _unknown(900))
    warning = at.main.warning[0].value
    lines = warning.splitlines()
    assert lines[0] == t("note.title")
    assert lines[1:-1] == [f"- {t('note.tidak_dikenal', key=f'p{i}', value=str(i))}" for i in range(MAX_URL_NOTES)]
    assert lines[-1] == f"- {t('note.lainnya', value=fmt_int(900 - MAX_URL_NOTES))}"
    assert lines[-1] == "- … dan 892 lagi yang diabaikan"
