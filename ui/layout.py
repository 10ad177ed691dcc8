"""Shared page furniture: headers, data labels, empty states, notes, presentation mode.

Every page starts with :func:`page_header` (title, the scope line "wilayah ·
bulan", and the "Data contoh (sintetis)" label when the demo is shown) and
guards with :func:`require_data` / :func:`require_month` /
:func:`require_desa`, which explain an empty state instead of leaving a blank
area or raising.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Final

import streamlit as st

from loaders.limits import MAX_URL_NOTES, MAX_URL_PARAMS, MAX_URL_VALUE_CHARS
from ui import rules_form, session
from ui.context import PageContext
from ui.fmt import fmt_month
from ui.i18n import get_language, status_label, t
from ui.state import KEY_IGNORED, URL_KEYS, Note
from ui.table_format import plain_code, plain_markdown
from ui.uploader_css import uploader_css

BASE_STYLE_ID: Final = "ilp-dasar"
# Streamlit's table toolbar (download as CSV, search, fullscreen) speaks English only and has no option
# to turn it off (client.toolbarMode is the app menu): hidden on every page, in both modes. Each table
# has its own buttons in the interface language instead (ui.downloads.table_downloads).
TABLE_TOOLBAR_CSS: Final = '[data-testid="stElementToolbar"] { display: none !important; }'
# Cards key of the Ringkasan row (seven cards beside the sidebar at 1280 px, ui.cards.per_row): narrower gaps
# and padding so a word like "Kelengkapan" fits a card, labels of up to three lines, values aligned.
ROW_OF_SIX_KEY: Final = "ilp_kartu_baris"
# Every page, normal mode: less of Streamlit's empty space above and beside the
# content (a 1280x720 projector shows the title, the cards and the maps), a
# smaller title, and a transparent header bar so the title is not hidden under it.
BASE_CSS: Final = f"""
<style id="{BASE_STYLE_ID}">
[data-testid="stMainBlockContainer"], .block-container {{ padding: 1.4rem 2rem 3rem !important; }}
header[data-testid="stHeader"] {{ background: transparent !important; height: 2.5rem !important; }}
[data-testid="stMainBlockContainer"] h1 {{ font-size: 2rem !important; padding: 0 0 0.1rem !important;
  line-height: 1.25 !important; }}
[data-testid="stMainBlockContainer"] h3 {{ font-size: 1.3rem !important; padding: 0.2rem 0 0.1rem !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stMetricValue"] {{ font-size: 1.85rem !important;
  line-height: 1.25 !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stMetricLabel"] p {{ font-size: 0.85rem !important;
  line-height: 1.25 !important; white-space: normal !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stColumn"] {{ padding: 0.55rem 0.7rem 0.5rem !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stMetric"] {{ gap: 0.15rem !important; }}
.st-key-{ROW_OF_SIX_KEY} [data-testid="stMetricLabel"] {{ min-height: 4.1em; align-items: flex-start; }}
.st-key-{ROW_OF_SIX_KEY} [data-testid="stHorizontalBlock"] {{ gap: 0.5rem !important; }}
.st-key-{ROW_OF_SIX_KEY} [data-testid="stColumn"] {{ padding: 0.5rem 0.45rem 0.45rem 0.6rem !important; }}
{TABLE_TOOLBAR_CSS}
</style>
"""
PRESENTATION_STYLE_ID: Final = "ilp-presentasi"
PRESENTATION_BAR_KEY: Final = "ilp_bar"  # the filter bar of ui.presentation (its container key)
PRESENTATION_TITLE_KEY: Final = "ilp_judul_presentasi"  # the title row of page_header in presentation mode
PRESENTATION_CSS: Final = f"""
<style id="{PRESENTATION_STYLE_ID}">
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{ padding: 0.6rem 1.2rem 0.4rem !important;
  max-width: 100% !important; }}
[data-testid="stAppViewContainer"] {{ font-size: 20px; }}
h1 {{ font-size: 2.1rem !important; padding: 0 0 0.2rem !important; }}
[data-testid="stCaptionContainer"] p {{ font-size: 1.05rem !important; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.15rem !important; }}
[data-testid="stMetricValue"] {{ font-size: 2.5rem !important; line-height: 1.2 !important; }}
[data-testid="stVerticalBlock"] {{ gap: 0.6rem !important; }}
[data-testid="stMetricDelta"] {{ font-size: 1.05rem !important; }}
[data-testid="stWidgetLabel"] p {{ font-size: 1.15rem !important; }}
[data-testid="stSelectbox"] [role="group"] {{ min-height: 3rem !important; }}
[data-testid="stSelectbox"] input[role="combobox"] {{ font-size: 1.35rem !important; }}
[role="listbox"] [role="option"] {{ font-size: 1.2rem !important; }}
[data-testid="stTab"] p, [data-testid="stButtonGroup"] button p {{ font-size: 1.1rem !important; }}
.st-key-{PRESENTATION_BAR_KEY} {{ position: sticky; top: 0; z-index: 990; background: #ffffff;
  border-bottom: 1px solid #d9dce3; padding: 0.1rem 0 0.5rem; gap: 0.45rem !important; }}
.st-key-{PRESENTATION_BAR_KEY} [data-testid="stButtonGroup"] button {{ min-height: 2.6rem; }}
.st-key-{PRESENTATION_BAR_KEY} [data-testid="stBaseButton-secondary"] {{ min-height: 3rem; font-size: 1.3rem; }}
.st-key-{PRESENTATION_BAR_KEY} [data-testid="stBaseButton-tertiary"] p {{ font-size: 1.05rem !important; }}
.st-key-{PRESENTATION_BAR_KEY} .st-key-ilp_bar_sebelum p, .st-key-{PRESENTATION_BAR_KEY} .st-key-ilp_bar_berikut p
  {{ font-size: 1.7rem !important; line-height: 1 !important; }}
.st-key-{PRESENTATION_TITLE_KEY} h1 {{ white-space: nowrap; font-size: 1.8rem !important; padding: 0 !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stColumn"] {{ padding: 0.4rem 0.8rem 0.45rem !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stMetric"] {{ gap: 0.1rem !important; }}
[class*="st-key-ilp_kartu"] [data-testid="stMetricValue"] {{ font-size: 2.2rem !important; }}
.st-key-{PRESENTATION_TITLE_KEY} [data-testid="stCaptionContainer"] p {{ margin: 0 !important; }}
{TABLE_TOOLBAR_CSS}
</style>
"""
PRESENTATION_MAP_HEIGHT: Final = 530  # px: filter bar, title row, then key cards beside the map, fit 1280x720
PICKER_PX: Final = 62  # px of that height a picker above the map takes (Puskesmas, Desa pages)
MAX_LISTED_NAMES: Final = 3
NOTE_VALUE_MAX: Final = 60


# Streamlit drops a whole address with more than 1,000 parameters or 512 Ki characters before the app
# sees it (streamlit.runtime.state.query_params.sanitize_query_string), so no note could say why the
# view ignored it. This fixed script (no user data in it) shortens such an address in the browser: the
# known parameters stay, the first few unknown ones stay (to be named), the rest are counted in
# ``diabaikan=N``; the page then loads once more with it and the URL note names and counts them.
STREAMLIT_MAX_QUERY_FIELDS: Final = 1000
STREAMLIT_MAX_QUERY_CHARS: Final = 512 * 1024
ADDRESS_GUARD_JS: Final = rf"""
<script id="ilp-alamat">
(() => {{
  // The address the page was opened with: the app may already have rewritten the address bar.
  const opened = performance.getEntriesByType('navigation')[0];
  const url = new URL(opened ? opened.name : window.location.href);
  const search = url.search.slice(1);
  const parts = search ? search.split('&') : [];
  if (parts.length <= {STREAMLIT_MAX_QUERY_FIELDS} && search.length <= {STREAMLIT_MAX_QUERY_CHARS}) return;
  const known = new Set({json.dumps(list(URL_KEYS))});
  const kept = [];
  let named = 0, ignored = 0;
  for (const part of parts) {{
    const key = part.split('=', 1)[0];
    let name = null;
    try {{ name = decodeURIComponent(key.replace(/\+/g, ' ')); }} catch (e) {{ name = null; }}
    const short = part.length <= {MAX_URL_VALUE_CHARS};
    if (name !== null && short && known.has(name) && kept.length < {MAX_URL_PARAMS}) {{ kept.push(part); continue; }}
    if (name !== null && short && named < {MAX_URL_NOTES}) {{ kept.push(part); named += 1; continue; }}
    ignored += 1;
  }}
  kept.push('{KEY_IGNORED}=' + ignored);
  window.location.replace(url.pathname + '?' + kept.join('&') + url.hash);
}})();
</script>
"""


def apply_base_style() -> None:
    """Compact page furniture of every page (normal mode; presentation mode adds its own)."""
    st.html(BASE_CSS + _uploader_style(large=False))
    _address_guard()


def apply_presentation_mode() -> None:
    """Hide the sidebar and controls, enlarge type (presentation mode)."""
    st.html(PRESENTATION_CSS + _uploader_style(large=True))
    _address_guard()


def _address_guard() -> None:
    """:data:`ADDRESS_GUARD_JS` in the sidebar (mounted in presentation mode too, where it is hidden)."""
    with st.sidebar:
        st.html(ADDRESS_GUARD_JS, unsafe_allow_javascript=True)


def _uploader_style(*, large: bool) -> str:
    """The file uploader's texts in the interface language, with the real size limits."""
    limit = int(st.get_option("server.maxUploadSize"))
    return uploader_css(server_limit_mb=limit, lang=get_language(), large=large)


def sidebar_data_label(ctx: PageContext) -> None:
    """The data badge in the sidebar (demo label prominently, else the data version)."""
    if ctx.is_demo:
        st.badge(t("data.demo"), icon=":material/science:", color="orange")
        st.caption(t("data.demo_help"))
    elif ctx.source.available:
        st.caption(t("data.version", versi=ctx.source.version))


def scope_text(ctx: PageContext) -> str:
    """``Kabupaten X · 3 kecamatan · Puskesmas Y · status: ... · Oktober 2026 · aturan: ...``.

    The rules are listed only when they differ from the defaults (e.g. a
    shared link with ``?min_bulan=9``), so nobody reads other figures unaware.
    """
    state, options = ctx.state, ctx.options
    parts: list[str] = []
    if options is not None and state.kabupaten:
        parts.append(plain_markdown(options.kabupaten.get(state.kabupaten, state.kabupaten)))
    elif options is not None and len(options.kabupaten) == 1:
        parts.append(plain_markdown(next(iter(options.kabupaten.values()))))
    if options is not None and state.kecamatan:
        names = [plain_markdown(options.kecamatan.get(k, (k, ""))[0]) for k in state.kecamatan]
        parts.append(", ".join(names) if len(names) <= MAX_LISTED_NAMES else t("scope.kecamatan_n", n=len(names)))
    if options is not None and state.puskesmas:
        parts.append(plain_markdown(options.puskesmas.get(state.puskesmas, (state.puskesmas, ()))[0]))
    if state.status:
        parts.append(t("scope.status_n", daftar=", ".join(status_label(s) for s in state.status)))
    wilayah = " · ".join(parts) if parts else t("scope.all")
    bulan = fmt_month(ctx.month, lang=get_language()) if ctx.month else t("filter.no_month")
    line = t("scope.line", wilayah=wilayah, bulan=bulan)
    changed = rules_form.changed_rules(ctx.rules)
    if not changed:
        return line
    listed = ", ".join(
        f"{rules_form.rule_label(n)} {rules_form.rule_value_text(n, getattr(ctx.rules, n))}" for n in changed
    )
    return f"{line} · {t('scope.aturan', daftar=listed)}"


def page_header(ctx: PageContext, title: str, *, note: str | None = None) -> None:
    """Page title, the scope line, the "Data contoh (sintetis)" label for the demo.

    ``note`` (e.g. what the card deltas compare with) is added to the scope
    line, so it costs no extra line on a small screen. In presentation mode
    the title and the scope line share one row (the filter bar of
    :mod:`ui.presentation` above them holds the controls, the button that
    leaves the mode among them).
    """
    scope = (scope_text(ctx) if not note else f"{scope_text(ctx)} — {note}") if ctx.has_data else None
    if ctx.state.presentasi:
        with st.container(key=PRESENTATION_TITLE_KEY, horizontal=True, vertical_alignment="center", gap="medium"):
            st.title(title, width="content", anchor=False)
            if scope:
                st.caption(scope, width="stretch")
            if ctx.is_demo:
                st.badge(t("data.demo"), icon=":material/science:", color="orange", help=t("data.demo_help"))
        return
    st.title(title)
    if not ctx.is_demo:
        if scope:
            st.caption(scope)
        return
    left, right = st.columns([5, 2], vertical_alignment="center")
    with left:
        if scope:
            st.caption(scope)
    with right, st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
        st.badge(t("data.demo"), icon=":material/science:", color="orange", help=t("data.demo_help"))


def show_notes(notes: Sequence[Note]) -> None:
    """List ignored URL parameters in a warning, with a dismiss button."""
    if not notes:
        return
    lines = [f"- {t(f'note.{n.kind}', key=_safe(n.key), value=_safe(n.value))}" for n in notes]
    st.warning("\n".join([t("note.title"), *lines]), icon=":material/link_off:")
    st.button(t("note.dismiss"), on_click=session.clear_notes, key="ilp_dismiss_notes")


def _safe(text: str) -> str:
    """A URL fragment made harmless inside a Markdown code span."""
    return plain_code(text, max_chars=NOTE_VALUE_MAX)


def require_data(ctx: PageContext) -> bool:
    """False (after explaining why) when there is no data or it cannot be read."""
    if ctx.error:
        st.error(t("data.error", pesan=plain_markdown(ctx.error)), icon=":material/error:")
        return False
    if not ctx.has_data:
        st.info(f"**{t('data.none.title')}**\n\n{t('data.none.body')}", icon=":material/upload_file:")
        return False
    return True


def require_month(ctx: PageContext) -> bool:
    """False (after explaining) when there are no report months yet."""
    if ctx.month is None:
        st.info(t("data.no_reports"), icon=":material/calendar_month:")
        return False
    return True


def require_desa(kode_desa: Sequence[str]) -> bool:
    """False (after explaining, with a "clear filters" button) when the filters match no desa."""
    if kode_desa:
        return True
    st.info(f"**{t('data.no_match')}**\n\n{t('data.no_match_hint')}", icon=":material/filter_alt_off:")
    st.button(t("filter.reset"), on_click=session.reset_filters, key="ilp_reset_empty")
    return False


def escape(text: object) -> str:
    """HTML-escape any value for ``st.html`` / ``unsafe_allow_html`` content."""
    return html.escape(str(text))
