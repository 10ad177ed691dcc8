"""Placeholder: the Puskesmas page is being written (sedang disiapkan).

Replace this file; the shell (app.py, ui/) already registers it in the
navigation. See ui/__init__.py for the page API.
"""

from __future__ import annotations

import streamlit as st

from ui import context, layout
from ui.i18n import t

ctx = context.current()
layout.page_header(ctx, t("page.puskesmas"))
st.info(t("page.placeholder"), icon=":material/construction:")
