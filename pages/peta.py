"""Temporary peta page (replaced below)."""

from __future__ import annotations

import streamlit as st

from ui import context, layout
from ui.i18n import t

ctx = context.current()
layout.page_header(ctx, t("page.peta"))
st.info(t("page.placeholder"))
