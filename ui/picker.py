"""Page selectboxes bound to the shared view state (streamlit).

* :func:`choose_puskesmas`: the Puskesmas page's choice IS the global
  ``puskesmas`` filter (so the address reproduces the view and the sidebar
  agrees); arriving with ``?puskesmas=...`` preselects it. Arriving without
  one, ``app.py`` calls :func:`adopt_puskesmas` before the sidebar is drawn:
  the page's default choice becomes the filter, so the sidebar never says
  "Semua puskesmas" while the page shows one.
* :func:`choose_desa`: the Desa page's choice is the ``desa`` state key (set
  by clicks on the gap map, in the URL as ``?desa=...``).

Streamlit drops a widget's state when its page is left; both widgets are
re-seeded from the shared state before they are drawn, so coming back to a
page shows the same choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import streamlit as st

from ui import session
from ui.context import PageContext
from ui.i18n import t

PUSKESMAS_WIDGET: Final = "ilp_w_pilih_puskesmas"
PUSKESMAS_MEMORY: Final = "ilp_page_pilih_puskesmas"
DESA_WIDGET: Final = "ilp_w_pilih_desa"


def _seed(widget_key: str, value: object) -> None:
    """Put ``value`` into a widget's state before the widget is drawn in this run."""
    if st.session_state.get(widget_key) != value:
        st.session_state[widget_key] = value


def _puskesmas_changed() -> None:
    chosen = st.session_state.get(PUSKESMAS_WIDGET)
    st.session_state[PUSKESMAS_MEMORY] = chosen
    st.session_state[session.K_PUSKESMAS] = chosen or session.ALL


def default_puskesmas(ctx: PageContext) -> str | None:
    """The puskesmas the page shows: the global filter, else the last one chosen here, else the first by name.

    None when the chosen kabupaten has no puskesmas (or there is no data).
    """
    if ctx.options is None:
        return None
    codes = ctx.options.puskesmas_in(ctx.state.kabupaten)
    if not codes:
        return None
    remembered = st.session_state.get(PUSKESMAS_MEMORY)
    return ctx.state.puskesmas or (remembered if remembered in codes else None) or codes[0]


def adopt_puskesmas(ctx: PageContext) -> None:
    """Make the Puskesmas page's default choice the global filter (before the sidebar widgets exist)."""
    if ctx.state.puskesmas:
        return
    chosen = default_puskesmas(ctx)
    if chosen:
        st.session_state[session.K_PUSKESMAS] = chosen
        st.session_state[PUSKESMAS_MEMORY] = chosen


def choose_puskesmas(ctx: PageContext, *, compact: bool = False) -> str | None:
    """Draw the puskesmas selectbox; return the chosen code (None when there is none).

    The initial choice is :func:`default_puskesmas`. ``compact`` hides the
    label (presentation mode, where the picker sits above the map).
    """
    options = ctx.options
    wanted = default_puskesmas(ctx)
    if options is None or wanted is None:
        return None
    _seed(PUSKESMAS_WIDGET, wanted)
    chosen = st.selectbox(
        t("pkm.pilih"),
        options=options.puskesmas_in(ctx.state.kabupaten),
        format_func=lambda k: options.puskesmas.get(k, (k, ()))[0],
        key=PUSKESMAS_WIDGET,
        on_change=_puskesmas_changed,
        help=None if compact else t("pkm.pilih_help"),
        label_visibility="collapsed" if compact else "visible",
    )
    return str(chosen) if chosen else None


def _desa_changed() -> None:
    session.set_desa(st.session_state.get(DESA_WIDGET))


def choose_desa(
    ctx: PageContext, candidates: Sequence[str], names: Mapping[str, str], *, compact: bool = False
) -> str | None:
    """Draw the desa selectbox over ``candidates`` (plus the selected desa); return the choice.

    Parameters
    ----------
    ctx
        The page context (its ``state.desa`` is the current choice).
    candidates
        kode_desa offered (e.g. those matching the filters), in display order.
    names
        kode_desa -> "Desa, Kecamatan" display text.
    compact
        Hide the label (presentation mode, where the picker sits above the map).
    """
    current = ctx.state.desa
    codes = list(candidates)
    if current and current not in codes:
        codes.insert(0, current)
    _seed(DESA_WIDGET, current)
    chosen = st.selectbox(
        t("desap.pilih"),
        options=codes,
        index=None,
        format_func=lambda k: names.get(k, k),
        placeholder=t("desap.pilih_placeholder"),
        key=DESA_WIDGET,
        on_change=_desa_changed,
        label_visibility="collapsed" if compact else "visible",
    )
    return str(chosen) if chosen else None
