"""Peta ILP dashboard: the Streamlit entry point and router.

Run with ``streamlit run app.py`` (settings in ``.streamlit/config.toml``).

Every run, before the chosen page runs:

0. sign-in (:func:`ui.auth.require_sign_in`): in local mode (no sign-in configured) nothing;
   on a dinas server the sign-in page until someone known is signed in, before any data is read;
1. the map assets (Leaflet) are copied into ``static/vendor/`` once per process;
2. the view state is seeded from the URL once per session, then checked
   against the data (unknown codes dropped with a note);
3. ``st.navigation`` picks the page (on the Puskesmas page, its puskesmas
   becomes the global filter before the sidebar shows the filters);
4. the sidebar (data label, language, global filters, presentation toggle) is
   drawn and the state is written back to the URL; in presentation mode, where
   the sidebar is hidden, :mod:`ui.presentation` draws a filter bar (filters,
   month, pages) above the page instead;
5. the page runs. Pages are thin: they read
   :func:`ui.context.current` and call ``geo``/``loaders`` through
   :mod:`ui.data`.

The shared page API lives in ``ui/`` (see ``ui/__init__.py``).
"""

from __future__ import annotations

import streamlit as st

from ui import assets, auth, context, layout, navigation, picker, presentation, session, sidebar
from ui.i18n import set_language

navigation.ensure_entrypoint()  # leave Streamlit's legacy pages/ mode (see its docstring)
st.set_page_config(layout="wide", page_title="Peta ILP", page_icon="🗺️")  # emoji icon: no CDN favicon
auth.require_sign_in()  # server sign-in (st.secrets) before any data is read; local mode: nothing to do


@st.cache_resource(show_spinner=False)
def _vendor_assets() -> str:
    """Copy Leaflet into static/vendor/ once per server process."""
    return str(assets.ensure_leaflet_assets())


_vendor_assets()
first_run = session.seed_from_url()
set_language(session.read_state().lang)
ctx = context.prepare(report_notes=first_run)
page = st.navigation(navigation.build_pages(), position="hidden" if ctx.state.presentasi else "sidebar")
if navigation.is_page(page, "puskesmas"):
    ctx = presentation.adopt_kecamatan_puskesmas(ctx)  # with a kecamatan chosen: a puskesmas serving it
    picker.adopt_puskesmas(ctx)  # the page shows one puskesmas: the sidebar filter says which
sidebar.render(ctx)
ctx = context.refresh()
set_language(ctx.state.lang)
session.sync_url(ctx.state)
if ctx.state.presentasi:
    layout.apply_presentation_mode()
    presentation.render(ctx, page)  # the sidebar is hidden: filters, month and pages on the page itself
else:
    layout.apply_base_style()
layout.show_notes(session.notes())
page.run()
