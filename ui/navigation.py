"""The pages of the dashboard and how to move between them (streamlit-aware).

``app.py`` passes :func:`build_pages` to ``st.navigation``. Pages are files
in ``pages/``; each reads the shared state through :func:`ui.context.current`.
:func:`go_to` switches page and carries the whole view state in the URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, NoReturn

import streamlit as st

from ui.i18n import t
from ui.state import serialise

PAGE_FILES: Final[dict[str, str]] = {
    "ringkasan": "pages/ringkasan.py",
    "peta": "pages/peta.py",
    "bandingkan": "pages/bandingkan.py",
    "puskesmas": "pages/puskesmas.py",
    "desa": "pages/desa.py",
    "data": "pages/data.py",
}
PAGE_ICONS: Final[dict[str, str]] = {
    "ringkasan": ":material/dashboard:",
    "peta": ":material/map:",
    "bandingkan": ":material/compare:",
    "puskesmas": ":material/local_hospital:",
    "desa": ":material/home_pin:",
    "data": ":material/database:",
}
DEFAULT_PAGE: Final = "ringkasan"


def build_pages() -> list[st.Page]:
    """The pages, titled in the current language (Ringkasan is the default)."""
    return [
        st.Page(path, title=t(f"page.{name}"), icon=PAGE_ICONS[name], default=name == DEFAULT_PAGE)
        for name, path in PAGE_FILES.items()
    ]


def is_page(page: st.Page, name: str) -> bool:
    """True when ``page`` (what ``st.navigation`` returned) is the page ``name`` of :data:`PAGE_FILES`."""
    return page.url_path == ("" if name == DEFAULT_PAGE else Path(PAGE_FILES[name]).stem)


def ensure_entrypoint() -> None:
    """Make sure ``app.py`` (filters, URL sync, navigation) runs before any page.

    Because the project keeps its pages in ``pages/``, Streamlit starts in its
    legacy "pages directory" mode until some run calls ``st.navigation``; a
    first visitor opening ``/peta`` directly after a server start would then
    get ``pages/peta.py`` alone, without the shell. Switching that mode off
    (process-wide, as ``st.navigation`` itself does) and rerunning sends the
    same request through ``app.py``. :func:`ui.context.current` calls this,
    so every page is covered.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def go_to(page: str) -> NoReturn:
    """Switch to ``page`` (a key of :data:`PAGE_FILES`), keeping the view state in the URL."""
    from ui.session import carry_over, read_state

    carry_over()  # the switch drops every widget's state: the view state is written back on the next run
    st.switch_page(PAGE_FILES[page], query_params=serialise(read_state()))
