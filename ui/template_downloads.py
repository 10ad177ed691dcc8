"""Download buttons for the input templates (:mod:`loaders.templates`) on the Data page."""

from __future__ import annotations

from typing import Final

import streamlit as st

from loaders.templates import (
    BOUNDARIES,
    BOUNDARY_EXAMPLE_FILENAME,
    TEMPLATE_KINDS,
    boundary_example_geojson,
    template_bytes,
    template_filename,
)
from ui.i18n import t

XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GEOJSON_MIME: Final = "application/geo+json"


@st.cache_data(max_entries=8, show_spinner=False)
def _workbook(kind: str) -> bytes:
    return template_bytes(kind)


def download_key(kind: str) -> str:
    """Widget key of the download button of ``kind`` (tests find the buttons by it)."""
    return f"ilp_templat_{kind}"


def render() -> None:
    """One download button per input kind, with what the template is for."""
    st.caption(t("templat.help"))
    for kind in TEMPLATE_KINDS:
        with st.container(border=True):
            st.markdown(f"**{t(f'impor.kind.{kind}')}**")
            st.caption(t(f"templat.isi.{kind}"))
            st.download_button(
                t("templat.unduh", berkas=template_filename(kind)),
                _workbook(kind),
                file_name=template_filename(kind),
                mime=XLSX_MIME,
                key=download_key(kind),
                icon=":material/download:",
            )
            if kind == BOUNDARIES:
                st.download_button(
                    t("templat.unduh", berkas=BOUNDARY_EXAMPLE_FILENAME),
                    boundary_example_geojson(),
                    file_name=BOUNDARY_EXAMPLE_FILENAME,
                    mime=GEOJSON_MIME,
                    key=download_key("boundaries_geojson"),
                    icon=":material/download:",
                )
