"""The view state in ``st.session_state`` and its two-way sync with the URL.

Single source of truth: the session-state keys below. The sidebar widgets
are bound to the ``K_*`` widget keys (``app.py`` renders them on every run, so
Streamlit never drops them); ``desa``, ``kelompok`` and the engine rules are
plain keys (the rules are part of the URL too, see :mod:`ui.state`).
:func:`read_state` assembles a :class:`~ui.state.ViewState` from them,
:func:`write_state` goes the other way (only before the widgets of this run
exist, or in a widget callback).

URL sync (``app.py`` does it; pages need not):

* :func:`seed_from_url` reads ``st.query_params`` ONCE per browser session
  (:func:`ui.state.parse_query`), keeping notes on what was ignored;
* :func:`sync_url` writes the state back on every run
  (:func:`ui.state.serialise`), so the address always reproduces the view.

Pages change the state through :func:`open_desa` (select a desa and go to the
Desa page), :func:`set_kelompok`, :func:`set_rules`, or by binding their own
widgets with :func:`page_widget_key`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, fields, replace
from typing import Any, Final

import streamlit as st

from geo.rules import Rules
from loaders.exceptions import InputError
from ui.scope import groupings
from ui.state import (
    MODE_NORMAL,
    MODE_PRESENTASI,
    WARNA_STATUS,
    FilterOptions,
    Note,
    ViewState,
    parse_query,
    reconcile,
    serialise,
)

# Widget-bound keys (sidebar)
K_PROVINSI: Final = "ilp_provinsi"  # selectbox; ALL ("") = every provinsi
K_KABUPATEN: Final = "ilp_kabupaten"  # selectbox; ALL ("") = every kabupaten
K_KECAMATAN: Final = "ilp_kecamatan"  # multiselect: list of codes
K_PUSKESMAS: Final = "ilp_puskesmas"  # selectbox; ALL ("") = every puskesmas
K_STATUS: Final = "ilp_status"  # multiselect: list of status codes
K_BULAN: Final = "ilp_bulan"  # selectbox: YYYY-MM (None when there are no reports)
K_LANG: Final = "ilp_lang"  # radio: id | en
K_PRESENTASI: Final = "ilp_presentasi"  # toggle: bool
# Plain keys
K_DESA: Final = "ilp_desa"
K_BANDING: Final = "ilp_banding"  # the Bandingkan page's second month (its picker writes it: set_banding)
K_KELOMPOK: Final = "ilp_kelompok"
K_WARNA: Final = "ilp_warna"  # what the Peta Kesenjangan map colours by (status | tenaga); part of the URL
K_RULES: Final = "ilp_rules"
K_NOTES: Final = "ilp_notes"
K_SEEDED: Final = "ilp_seeded"
K_CARRIED: Final = "ilp_carried"  # the view state across st.switch_page (:func:`carry_over`)
ALL: Final = ""


def seed_from_url() -> bool:
    """Seed the state from ``st.query_params`` once per session; True on that first run.

    Parameters the URL gets wrong are kept as notes (:func:`notes`). On the run after
    :func:`carry_over` (a page switch), the carried state is written back instead.
    """
    carried = st.session_state.pop(K_CARRIED, None)
    if isinstance(carried, ViewState):
        write_state(carried)
    if st.session_state.get(K_SEEDED):
        return False
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    result = parse_query(params)
    write_state(result.state)
    st.session_state[K_NOTES] = tuple(result.notes)
    st.session_state[K_SEEDED] = True
    return True


def read_state() -> ViewState:
    """The current view state, from session state (defaults for anything unset)."""
    ss = st.session_state
    return ViewState(
        provinsi=ss.get(K_PROVINSI) or None,
        kabupaten=ss.get(K_KABUPATEN) or None,
        kecamatan=tuple(ss.get(K_KECAMATAN) or ()),
        puskesmas=ss.get(K_PUSKESMAS) or None,
        status=tuple(ss.get(K_STATUS) or ()),
        bulan=ss.get(K_BULAN) or None,
        banding=ss.get(K_BANDING) or None,
        desa=ss.get(K_DESA) or None,
        kelompok=ss.get(K_KELOMPOK) or "kecamatan",
        warna=ss.get(K_WARNA) or WARNA_STATUS,
        lang=ss.get(K_LANG) or "id",
        mode=MODE_PRESENTASI if ss.get(K_PRESENTASI) else MODE_NORMAL,
        aturan=rules(),
    )


def write_state(state: ViewState) -> None:
    """Store ``state`` in the session keys (before this run's widgets exist, or in a callback)."""
    ss = st.session_state
    ss[K_PROVINSI] = state.provinsi or ALL
    ss[K_KABUPATEN] = state.kabupaten or ALL
    ss[K_KECAMATAN] = list(state.kecamatan)
    ss[K_PUSKESMAS] = state.puskesmas or ALL
    ss[K_STATUS] = list(state.status)
    ss[K_BULAN] = state.bulan
    ss[K_BANDING] = state.banding
    ss[K_DESA] = state.desa
    ss[K_KELOMPOK] = state.kelompok
    ss[K_WARNA] = state.warna
    ss[K_LANG] = state.lang
    ss[K_PRESENTASI] = state.presentasi
    set_rules(state.aturan)


def carry_over() -> None:
    """Keep the view state for the next run (before ``st.switch_page``).

    ``st.switch_page`` drops the state of every widget, the sidebar's filter
    widgets too (Streamlit's page-change clean-up); :func:`seed_from_url`
    writes the carried state back on the next run, before the widgets exist.
    """
    st.session_state[K_CARRIED] = read_state()


def reconcile_with_data(options: FilterOptions, *, report: bool) -> ViewState:
    """Drop state values the data lacks and fill the default month; store and return the result.

    ``report`` adds notes for what was dropped (on the seeding run: the URL
    asked for it); later runs drop silently (e.g. a kecamatan outside a newly
    chosen kabupaten).
    """
    current = read_state()
    cleaned, dropped = reconcile(current, options)
    if cleaned != current:
        write_state(cleaned)
    if report and dropped:
        add_notes(dropped)
    return cleaned


def sync_url(state: ViewState) -> None:
    """Write ``state`` into the address bar (only when it differs)."""
    wanted = serialise(state)
    current = {key: st.query_params.get(key) for key in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


# -- notes ---------------------------------------------------------------------------
def notes() -> tuple[Note, ...]:
    """Notes about URL parameters that were ignored (until dismissed)."""
    return tuple(st.session_state.get(K_NOTES, ()))


def add_notes(new: tuple[Note, ...]) -> None:
    """Append notes (shown by :func:`ui.layout.show_notes`)."""
    st.session_state[K_NOTES] = notes() + tuple(new)


def clear_notes() -> None:
    """Dismiss every note (a button callback)."""
    st.session_state[K_NOTES] = ()


# -- state changes -------------------------------------------------------------------------
def reset_filters() -> None:
    """Clear the desa filters, keeping month, language and mode (a button callback)."""
    write_state(replace(read_state(), provinsi=None, kabupaten=None, kecamatan=(), puskesmas=None, status=()))


def set_scope(state: ViewState) -> None:
    """Show the area of ``state`` (a drill-down or breadcrumb click: :mod:`ui.scope`; a callback or before the widgets).

    Writes the whole state, so the month, language, mode and rules it carries are kept as they are.
    """
    write_state(state)


def exit_presentation() -> None:
    """Leave presentation mode (a button callback)."""
    st.session_state[K_PRESENTASI] = False


def set_kelompok(kelompok: str) -> None:
    """Set the Ringkasan grouping (kecamatan | puskesmas)."""
    st.session_state[K_KELOMPOK] = kelompok


def set_banding(month: str | None) -> None:
    """Set the month the Bandingkan page compares the chosen month with (part of the URL)."""
    st.session_state[K_BANDING] = month


def set_desa(kode_desa: str | None) -> None:
    """Select a desa (the Desa page shows it)."""
    st.session_state[K_DESA] = kode_desa


def open_desa(kode_desa: str) -> None:
    """Select ``kode_desa`` and switch to the Desa page (stops this run)."""
    from ui.navigation import go_to

    set_desa(kode_desa)
    go_to("desa")


# -- rules ------------------------------------------------------------------------------------
def rules() -> Rules:
    """The engine rules of this session (from the URL or the Data page; defaults otherwise)."""
    stored: Mapping[str, Any] | None = st.session_state.get(K_RULES)
    if not stored:
        return Rules()
    known = {f.name for f in fields(Rules)}
    try:
        return Rules().replace(**{k: v for k, v in stored.items() if k in known})
    except InputError:
        return Rules()


def set_rules(new_rules: Rules) -> None:
    """Use ``new_rules`` for every page of this session (kept as the values that differ from the defaults)."""
    default = asdict(Rules())
    st.session_state[K_RULES] = {k: v for k, v in asdict(new_rules).items() if v != default[k]}


# -- page widgets ---------------------------------------------------------------------------
def page_widget_key(name: str, default: Any, *, store_key: str | None = None) -> tuple[str, Callable[[], None]]:
    """A widget key for a page widget whose value must survive page switches.

    Streamlit deletes a widget's state when its page is left. This keeps the
    value under the plain key ``ilp_page_<name>`` and returns ``(widget_key,
    on_change)``: pass both to the widget, read the value with
    :func:`page_value`. ``store_key`` overrides the plain key (the Ringkasan
    grouping uses :data:`K_KELOMPOK`, which is part of the URL).

    Examples
    --------
    >>> key, on_change = page_widget_key("tab", "ringkas")       # doctest: +SKIP
    >>> st.radio("Tab", ["ringkas", "rinci"], key=key, on_change=on_change)  # doctest: +SKIP
    """
    store_key = store_key or f"ilp_page_{name}"
    widget_key = f"ilp_w_{name}"
    if store_key not in st.session_state:
        st.session_state[store_key] = default
    if widget_key not in st.session_state:
        st.session_state[widget_key] = st.session_state[store_key]

    def _copy() -> None:
        st.session_state[store_key] = st.session_state[widget_key]

    return widget_key, _copy


def scope_groupings() -> tuple[str, ...]:
    """The Ringkasan bar groupings of the current scope (:func:`ui.scope.groupings`).

    A grouping the scope no longer offers (kabupaten/kota after drilling into one) falls back
    to the first one offered, in the stored value and the widget, before the widget exists.
    """
    options = groupings(read_state())
    if st.session_state.get(K_KELOMPOK) not in options:
        st.session_state[K_KELOMPOK] = options[0]
        st.session_state.pop("ilp_w_kelompok", None)
    return options


def page_value(name: str, default: Any = None) -> Any:
    """The persisted value of a page widget made with :func:`page_widget_key`."""
    return st.session_state.get(f"ilp_page_{name}", default)
