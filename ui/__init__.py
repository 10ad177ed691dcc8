"""Streamlit-aware shared code of the dashboard pages.

Pure modules (no streamlit import; unit-tested): :mod:`ui.state` (view state,
URL parse/serialise/reconcile), :mod:`ui.scope` (the scope's level, the
level the map draws, drill-down, breadcrumbs), :mod:`ui.fmt` (Indonesian numbers and months),
:mod:`ui.i18n` (every string, ``t()``, column and status labels),
:mod:`ui.palette` (colours), :mod:`ui.filters` (applying filters, filter
options, overall indicators), :mod:`ui.charts` (plotly figures),
:mod:`ui.maps` (folium maps; ``show_map`` is the one streamlit call),
:mod:`ui.assets` (offline Leaflet copy), :mod:`ui.uploader_css` (the file
uploader's texts in the interface language, drawn with CSS by the shell).

The engine rules are part of the URL state too (``min_bulan``, ``jendela``,
``pkm_pustu``, ``jarak_km``, ``berhenti``, ``duplikat_m``; only when they
differ from the defaults), so every page computes with ``ctx.rules``.

Streamlit modules: :mod:`ui.data` (cached store/engine access),
:mod:`ui.session` (session state <-> URL), :mod:`ui.context` (the
:class:`~ui.context.PageContext` of a run), :mod:`ui.layout` (headers, empty
states, notes, presentation mode), :mod:`ui.sidebar`, :mod:`ui.navigation`.

A page in ``pages/`` typically reads::

    import streamlit as st
    from ui import context, data, layout
    from ui.i18n import t

    ctx = context.current()
    layout.page_header(ctx, t("page.puskesmas"))
    if not (layout.require_data(ctx) and layout.require_month(ctx)):
        st.stop()
    kode = ctx.kode_desa()                       # filtered desa, chosen month
    if not layout.require_desa(kode):
        st.stop()
    table = data.group_indicators(ctx.source, ctx.rules, ctx.month, by="puskesmas", state=ctx.state)

User text (names, file names, column headers, messages quoting them) goes
through :func:`ui.table_format.plain_markdown` wherever Streamlit reads
Markdown (markdown, captions, alerts, headings, labels, help, tabs, expander
and metric labels, radio/segmented-control options); inside a code span use
:func:`ui.table_format.plain_code`. Selectbox/multiselect options and
dataframe cells are plain text: no escaping there. Plotly labels get
``html.escape``. Uploads are saved with :func:`ui.upload_folder.new_upload_folder`
(deleted with the session).

Presentation mode (1280x720 projector): :mod:`ui.presentation` draws a filter
bar at the top of every page (pages, kecamatan, puskesmas, status, month with
◀ ▶ and the arrow keys) bound to the same view state as the hidden sidebar;
``views.presentation_view`` draws the key cards beside a tall map, and the
Ringkasan page keeps its bars and trend (:mod:`ui.overview`).

Exports (:mod:`ui.exports` declares the formats once; pure renderers
:mod:`ui.report_book` (xlsx, and every table's CSV/XLSX), :mod:`ui.report_map`
(PNG, PDF), :mod:`ui.report_vector` (GeoJSON, GeoPackage), shared with
``cli.py export``); :mod:`ui.downloads` puts their buttons on the pages.
"""
