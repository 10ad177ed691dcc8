"""The sidebar: data label, language switch, global filters, presentation toggle.

Rendered by ``app.py`` on every run (also in presentation mode, where CSS
hides it), so the widget-bound session keys of :mod:`ui.session` always
survive. Widgets get no default/index: their value is the session state,
which :func:`ui.context.prepare` has already checked against the data.
In presentation mode the filter bar of :mod:`ui.presentation` writes the same
keys from its callbacks; its own widgets have other keys, so the two never
claim one key.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from ui import auth, layout, session
from ui.context import PageContext
from ui.fmt import fmt_month
from ui.i18n import get_language, status_label, t
from ui.state import LANGUAGES, STATUSES

LANGUAGE_NAMES: Final = {"id": "Bahasa Indonesia", "en": "English"}


def render(ctx: PageContext) -> None:
    """Draw the sidebar for ``ctx`` (filters only when there is data)."""
    with st.sidebar:
        st.markdown(f"**{t('app.title')}** · {t('app.subtitle')}")
        auth.render_account()  # "Mode lokal: tanpa login", or who is signed in, their role and "Keluar"
        layout.sidebar_data_label(ctx)
        st.radio(
            t("sidebar.language"),
            options=list(LANGUAGES),
            format_func=LANGUAGE_NAMES.__getitem__,
            horizontal=True,
            key=session.K_LANG,
        )
        if ctx.has_data and ctx.options is not None:
            _filters(ctx)
        st.toggle(t("sidebar.presentasi"), key=session.K_PRESENTASI, help=t("sidebar.presentasi_help"))
        st.caption(t("sidebar.share"))


def _filters(ctx: PageContext) -> None:
    options = ctx.options
    assert options is not None
    state = ctx.state
    # Format functions bind the language now: Streamlit may call them later, outside this run.
    lang = get_language()
    st.subheader(t("sidebar.filters"), divider="gray")
    if len(options.provinsi) > 1:  # a one-kabupaten (or one-provinsi) store shows no provinsi box
        st.selectbox(
            t("filter.provinsi"),
            options=[session.ALL, *sorted(options.provinsi, key=lambda k: (options.provinsi[k], k))],
            format_func=lambda k: options.provinsi.get(k, k) if k else t("filter.all_provinsi", lang=lang),
            key=session.K_PROVINSI,
        )
    kabupaten = [session.ALL, *options.kabupaten_in(state.provinsi)]
    st.selectbox(
        t("filter.kabupaten"),
        options=kabupaten,
        format_func=lambda k: options.kabupaten.get(k, k) if k else t("filter.all_kabupaten", lang=lang),
        key=session.K_KABUPATEN,
    )
    st.multiselect(
        t("filter.kecamatan"),
        options=options.kecamatan_in(state.kabupaten, provinsi=state.provinsi),
        format_func=lambda k: options.kecamatan.get(k, (k, ""))[0],
        placeholder=t("filter.all_kecamatan"),
        key=session.K_KECAMATAN,
    )
    st.selectbox(
        t("filter.puskesmas"),
        options=[session.ALL, *options.puskesmas_in(state.kabupaten, provinsi=state.provinsi)],
        format_func=lambda k: options.puskesmas.get(k, (k, ()))[0] if k else t("filter.all_puskesmas", lang=lang),
        key=session.K_PUSKESMAS,
    )
    st.multiselect(
        t("filter.status"),
        options=list(STATUSES),
        format_func=lambda s: status_label(s, lang=lang),
        placeholder=t("filter.all_status"),
        key=session.K_STATUS,
    )
    if options.months:
        st.selectbox(
            t("filter.bulan"),
            options=list(reversed(options.months)),
            format_func=lambda m: fmt_month(m, lang=lang),
            key=session.K_BULAN,
        )
    else:
        st.caption(t("filter.no_month"))
    st.button(t("filter.reset"), on_click=session.reset_filters, icon=":material/filter_alt_off:")
