"""The filter bar of presentation mode: live filters, month steps, pages, on the page itself (streamlit).

Presentation mode hides the sidebar (CSS), so ``app.py`` draws this bar at
the top of every page instead (:func:`render`), large enough to use on a
1280x720 projector, in two rows:

1. the pages (one click switches, the view state travels in the URL) and the
   button that leaves the mode;
2. kecamatan, puskesmas, status, and the month with ◀ ▶ step buttons (the
   Data page has no filters: only the first row).

One source of truth: the view state in the session (:mod:`ui.session`). The
hidden sidebar still draws its widgets on the same keys, so the bar's widgets
have their own keys: each is seeded from the state before it is drawn and
writes the state back in its callback; ``app.py`` then writes the URL
(:func:`ui.session.sync_url`) as for the sidebar.

The left and right arrow keys press ◀ and ▶ (:data:`MONTH_KEYS_JS`, a fixed
script without user data, registered once per browser document; ignored
while the focus is in a text field or a list).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import streamlit as st

from ui import auth, context, layout, navigation, picker, session
from ui.context import PageContext
from ui.fmt import fmt_int, fmt_month
from ui.i18n import get_language, status_label, t
from ui.state import STATUSES, FilterOptions

BAR_KEY: Final = layout.PRESENTATION_BAR_KEY  # container key: ``ui.layout.PRESENTATION_CSS`` styles what is inside
W_HALAMAN: Final = "ilp_bar_halaman"
WANTED_PAGE: Final = "ilp_bar_halaman_tujuan"  # plain key: the page clicked, until the switch
W_KECAMATAN: Final = "ilp_bar_kecamatan"
W_PUSKESMAS: Final = "ilp_bar_puskesmas"
W_STATUS: Final = "ilp_bar_status"
W_BULAN: Final = "ilp_bar_bulan"
PREV_KEY: Final = "ilp_bar_sebelum"  # the ◀ button (the left arrow key clicks it)
NEXT_KEY: Final = "ilp_bar_berikut"  # the ▶ button (the right arrow key clicks it)
SEVERAL: Final = "*"  # the kecamatan or status choice "several" (from the URL or the sidebar): kept as it is
PAGES_WITHOUT_FILTERS: Final = frozenset({"data"})
FILTER_COLUMNS: Final = (3, 3, 3, 0.7, 2.4, 0.7)  # kecamatan, puskesmas, status, ◀, month, ▶
# The arrow keys press ◀ / ▶ (found by their Streamlit key class). Mounted in the (hidden) sidebar, where it
# takes no room; the flag on the window keeps one listener per document across reruns and page switches.
MONTH_KEYS_JS: Final = f"""
<script id="ilp-panah-bulan">
(() => {{
  if (window.ilpPanahBulan) return;
  window.ilpPanahBulan = true;
  const typing = 'input, select, textarea, [contenteditable="true"], [role="combobox"], [role="listbox"], '
    + '[role="option"], [role="slider"], [role="spinbutton"], [role="textbox"]';
  document.addEventListener('keydown', (event) => {{
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const key = event.key === 'ArrowLeft' ? '{PREV_KEY}' : event.key === 'ArrowRight' ? '{NEXT_KEY}' : null;
    if (key === null) return;
    const focus = document.activeElement;
    if (focus && focus.closest && focus.closest(typing)) return;
    // Streamlit draws a button with a help text twice (with and without its tooltip); one is shown.
    const shown = Array.from(document.querySelectorAll('.st-key-' + key + ' button'));
    const button = shown.find((b) => b.offsetParent !== null);
    if (!button || button.disabled) return;
    event.preventDefault();
    // The page itself (focused by a click on it) would show a focus ring after a key: let go of it.
    if (focus && focus.matches && focus.matches('main, [data-testid="stMain"]')) focus.blur();
    button.click();
  }});
}})();
</script>
"""


def page_name(page: st.Page) -> str | None:
    """The key of :data:`ui.navigation.PAGE_FILES` of ``page`` (what ``st.navigation`` returned)."""
    return next((name for name in navigation.PAGE_FILES if navigation.is_page(page, name)), None)


def render(ctx: PageContext, page: st.Page) -> None:
    """Draw the bar above the page (presentation mode); may switch page (then this run stops)."""
    current = page_name(page)
    with st.container(key=BAR_KEY):
        _page_row(current)
        if ctx.has_data and ctx.options is not None and current not in PAGES_WITHOUT_FILTERS:
            _filter_row(ctx, ctx.options)
    with st.sidebar:
        st.html(MONTH_KEYS_JS, unsafe_allow_javascript=True)


def adopt_kecamatan_puskesmas(ctx: PageContext) -> PageContext:
    """Before the Puskesmas page adopts a puskesmas (:func:`ui.picker.adopt_puskesmas`): one serving the kecamatan.

    With a kecamatan chosen and no puskesmas, the page would show the first puskesmas by name, often one
    serving none of the kecamatan's desa, and that choice, the global filter, would then empty the other
    pages. This takes the puskesmas last chosen there when it serves the kecamatan, else the first by
    name that does. Returns the context, refreshed when the state changed.
    """
    state, options = ctx.state, ctx.options
    if options is None or state.puskesmas or not state.kecamatan:
        return ctx
    chosen = set(state.kecamatan)
    serving = [
        k
        for k in options.puskesmas_in(state.kabupaten, provinsi=state.provinsi)
        if chosen & set(options.puskesmas_kecamatan.get(k, ()))
    ]
    if not serving:
        return ctx
    remembered = st.session_state.get(picker.PUSKESMAS_MEMORY)
    st.session_state[session.K_PUSKESMAS] = remembered if remembered in serving else serving[0]
    return context.refresh()


# -- row 1: pages, leave the mode --------------------------------------------------------------------
def _page_row(current: str | None) -> None:
    names = list(navigation.PAGE_FILES)
    badge = auth.local_badge()  # the sidebar (with the same badge) is hidden in presentation mode
    widths = [4.6, 1.1, 1.0] if badge else [5, 1.4]
    pages_col, exit_col, *badge_col = st.columns(widths, vertical_alignment="center")
    with pages_col:
        _seed(W_HALAMAN, current)
        lang = get_language()
        st.segmented_control(
            t("presentasi.halaman"),
            options=names,
            format_func=lambda n: f"{navigation.PAGE_ICONS.get(n, '')} {t(f'page.{n}', lang=lang)}".strip(),
            key=W_HALAMAN,
            on_change=_page_chosen,
            required=True,
            label_visibility="collapsed",
        )
    with exit_col:
        st.button(
            t("presentasi.exit"),
            on_click=session.exit_presentation,
            key="ilp_exit_presentasi",
            type="tertiary",
            icon=":material/close_fullscreen:",
        )
    if badge:
        with badge_col[0]:  # beside the buttons, not below them: the bar stays one row high at 1280x720
            st.badge(badge, icon=":material/lock_open:", color="gray")
    wanted = st.session_state.pop(WANTED_PAGE, None)
    if wanted and wanted != current and wanted in navigation.PAGE_FILES:
        navigation.go_to(wanted)


def _page_chosen() -> None:
    """Remember the page clicked (the widget itself is seeded with the page shown on every run)."""
    st.session_state[WANTED_PAGE] = st.session_state.get(W_HALAMAN)


# -- row 2: kecamatan, puskesmas, status, month ------------------------------------------------------
def _filter_row(ctx: PageContext, options: FilterOptions) -> None:
    state = ctx.state
    lang = get_language()
    kec_col, pkm_col, status_col, prev_col, month_col, next_col = st.columns(
        list(FILTER_COLUMNS), gap="small", vertical_alignment="center"
    )
    with kec_col:
        codes = options.kecamatan_in(state.kabupaten, provinsi=state.provinsi)
        _seed(W_KECAMATAN, _single(state.kecamatan))
        st.selectbox(
            t("filter.kecamatan"),
            options=_with_several(codes, state.kecamatan),
            format_func=lambda k: _kecamatan_text(k, options, n=len(state.kecamatan), lang=lang),
            key=W_KECAMATAN,
            on_change=_kecamatan_changed,
            args=(options,),
            label_visibility="collapsed",
        )
    with pkm_col:
        _seed(W_PUSKESMAS, state.puskesmas or session.ALL)
        st.selectbox(
            t("filter.puskesmas"),
            options=[session.ALL, *options.puskesmas_in(state.kabupaten, provinsi=state.provinsi)],
            format_func=lambda k: options.puskesmas.get(k, (k, ()))[0] if k else t("filter.all_puskesmas", lang=lang),
            key=W_PUSKESMAS,
            on_change=_puskesmas_changed,
            args=(options,),
            label_visibility="collapsed",
        )
    with status_col:
        _seed(W_STATUS, _single(state.status))
        st.selectbox(
            t("filter.status"),
            options=_with_several(list(STATUSES), state.status),
            format_func=lambda s: _status_text(s, n=len(state.status), lang=lang),
            key=W_STATUS,
            on_change=_status_changed,
            label_visibility="collapsed",
        )
    if not options.months:
        with month_col:
            st.caption(t("filter.no_month"))
        return
    months = options.months
    position = months.index(state.bulan) if state.bulan in months else len(months) - 1
    with prev_col:
        st.button(
            "◀",
            key=PREV_KEY,
            on_click=_step_month,
            args=(months, -1),
            disabled=position == 0,
            help=t("presentasi.bulan_sebelum"),
            width="stretch",
        )
    with month_col:
        _seed(W_BULAN, months[position])
        st.selectbox(
            t("filter.bulan"),
            options=list(reversed(months)),
            format_func=lambda m: fmt_month(m, lang=lang),
            key=W_BULAN,
            on_change=_month_changed,
            label_visibility="collapsed",
        )
    with next_col:
        st.button(
            "▶",
            key=NEXT_KEY,
            on_click=_step_month,
            args=(months, 1),
            disabled=position == len(months) - 1,
            help=t("presentasi.bulan_berikut"),
            width="stretch",
        )


def _seed(widget_key: str, value: object) -> None:
    """Put the state's ``value`` into a bar widget before it is drawn (the state is the one truth)."""
    if st.session_state.get(widget_key) != value:
        st.session_state[widget_key] = value


def _single(chosen: Sequence[str]) -> str:
    """The bar's value for a multi-valued filter: all (""), its one value, or :data:`SEVERAL`."""
    return session.ALL if not chosen else chosen[0] if len(chosen) == 1 else SEVERAL


def _with_several(codes: Sequence[str], chosen: Sequence[str]) -> list[str]:
    """All, then "several" when the state holds more than one value, then each code."""
    return [session.ALL, *([SEVERAL] if len(chosen) > 1 else []), *codes]


def _kecamatan_text(kode: str, options: FilterOptions, *, n: int, lang: str) -> str:
    if not kode:
        return t("filter.all_kecamatan", lang=lang)
    if kode == SEVERAL:
        return t("scope.kecamatan_n", lang=lang, n=fmt_int(n))
    return options.kecamatan.get(kode, (kode, ""))[0]


def _status_text(code: str, *, n: int, lang: str) -> str:
    if not code:
        return t("filter.all_status", lang=lang)
    if code == SEVERAL:
        return t("presentasi.status_n", lang=lang, n=fmt_int(n))
    return status_label(code, lang=lang)


# -- callbacks: the bar writes the view state (the sidebar's keys) -------------------------------------
def _kecamatan_changed(options: FilterOptions) -> None:
    """One kecamatan (or all); a puskesmas serving none of its desa is let go (else the view would be empty)."""
    chosen = st.session_state.get(W_KECAMATAN) or session.ALL
    if chosen == SEVERAL:
        return
    st.session_state[session.K_KECAMATAN] = [chosen] if chosen else []
    puskesmas = st.session_state.get(session.K_PUSKESMAS)
    if chosen and puskesmas and chosen not in options.puskesmas_kecamatan.get(puskesmas, ()):
        st.session_state[session.K_PUSKESMAS] = session.ALL


def _puskesmas_changed(options: FilterOptions) -> None:
    """One puskesmas (or all); kecamatan where it serves no desa are let go (else the view would be empty)."""
    chosen = st.session_state.get(W_PUSKESMAS) or session.ALL
    st.session_state[session.K_PUSKESMAS] = chosen
    if chosen:
        served = set(options.puskesmas_kecamatan.get(chosen, ()))
        kept = [k for k in st.session_state.get(session.K_KECAMATAN) or () if k in served]
        st.session_state[session.K_KECAMATAN] = kept


def _status_changed() -> None:
    chosen = st.session_state.get(W_STATUS) or session.ALL
    if chosen != SEVERAL:
        st.session_state[session.K_STATUS] = [chosen] if chosen else []


def _month_changed() -> None:
    chosen = st.session_state.get(W_BULAN)
    if chosen:
        st.session_state[session.K_BULAN] = chosen


def _step_month(months: Sequence[str], step: int) -> None:
    """The previous (``step`` -1) or next (+1) month with reports; nothing beyond the first or last."""
    current = st.session_state.get(session.K_BULAN)
    position = months.index(current) if current in months else len(months) - 1
    target = position + step
    if 0 <= target < len(months):
        st.session_state[session.K_BULAN] = months[target]
