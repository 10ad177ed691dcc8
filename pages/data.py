"""Data: import, version history and restore, templates, data quality, engine rules, targets.

Imports always go to the user's store (``ILP_STORE`` or ``store/ilp.gpkg``),
never to the embedded demo: while the demo is shown, the page says where the
first import will create the store. Nothing is written before the user has
seen the validation report and pressed "Simpan".
"""

from __future__ import annotations

import streamlit as st

from ui import context, history, layout, quality_view, rules_form, targets_form, template_downloads, upload
from ui.data import user_store
from ui.fmt import fmt_int
from ui.i18n import t
from ui.table_format import plain_code, plain_markdown

ctx = context.current()
layout.page_header(ctx, t("page.data"))
if not ctx.access.can_write:  # the Data page (import, history, restore, rules, targets) is for admins only
    st.error(t("access.tulis_ditolak", peran=plain_code(ctx.access.role)), icon=":material/block:")
    st.stop()
target = user_store()
if ctx.error:
    st.error(t("data.error", pesan=plain_markdown(ctx.error)), icon=":material/error:")
elif ctx.is_demo:
    st.info(t("dataimp.demo", path=plain_code(target.path)), icon=":material/science:")
elif not ctx.source.available:
    st.info(t("dataimp.kosong", path=plain_code(target.path)), icon=":material/upload_file:")
else:
    st.caption(t("dataimp.store", path=plain_code(target.path), versi=fmt_int(ctx.source.version)))

tab_impor, tab_riwayat, tab_templat, tab_kualitas, tab_aturan, tab_target = st.tabs(
    [
        t("dataimp.tab.impor"),
        t("dataimp.tab.riwayat"),
        t("dataimp.tab.templat"),
        t("dataimp.tab.kualitas"),
        t("dataimp.tab.aturan"),
        t("dataimp.tab.target"),
    ]
)
with tab_impor:
    upload.render(target)
with tab_riwayat:
    history.render(target)
with tab_templat:
    template_downloads.render()
with tab_kualitas:
    quality_view.render(ctx)
with tab_aturan:
    rules_form.render(ctx)
with tab_target:
    targets_form.render(ctx, target)
