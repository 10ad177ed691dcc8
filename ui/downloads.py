"""Download buttons of the pages: a table's CSV/XLSX, and the exports of :mod:`ui.exports` (streamlit side).

* :func:`table_downloads` goes under a table the page shows: two small
  buttons, "CSV" and "XLSX", formatted like the Excel report
  (:func:`ui.report_book.table_csv` / :func:`ui.report_book.table_xlsx`) in the
  interface language. They replace Streamlit's own English table toolbar,
  which :mod:`ui.layout` hides.
* :func:`export_buttons` offers the page's export formats (Excel report, map
  PNG, PDF, GeoJSON, GeoPackage) for the desa of the view.

Nothing is rendered on a rerun: every button hands Streamlit a callable
(``st.download_button``'s deferred ``data``, Streamlit 1.67), which runs only
when the button is pressed, on its own thread; ``on_click="ignore"`` spares
the page a rerun. The :class:`~ui.exports.ExportRequest` itself is cheap (the
engine and the desa of the view are cached in :mod:`ui.data`). A format whose
renderer module is not installed yet is shown disabled, with a note.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import pandas as pd
import streamlit as st

from loaders.exceptions import StoreError
from ui import report_book, scope
from ui.context import PageContext
from ui.exports import ExportRequest, export_format
from ui.i18n import get_language, t

CSV_MIME: Final = "text/csv"
XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_PREFIX: Final = "peta_ilp"
_UNSAFE: Final = re.compile(r"[^0-9A-Za-z]+")


def file_stem(*parts: str) -> str:
    """A file name without extension from ``parts``: ASCII letters and digits joined by ``_``, lower case.

    >>> file_stem("peta_ilp", "Kecamatan Cikatomas", "2026-10")
    'peta_ilp_kecamatan_cikatomas_2026_10'
    """
    words = (_UNSAFE.sub("_", part).strip("_").lower() for part in parts)
    return "_".join(word for word in words if word) or FILE_PREFIX


def table_downloads(frame: pd.DataFrame, *, name: str, key: str, titles: Mapping[str, str] | None = None) -> None:
    """Two small buttons under a table: its rows as CSV and as XLSX, in the interface language.

    Parameters
    ----------
    frame
        The table with raw column codes (labels and formats are applied in the file).
    name
        File name without extension (``gap_desa`` -> ``gap_desa.csv``).
    key
        Widget key prefix (``<key>_csv``, ``<key>_xlsx``).
    titles
        Header overrides (column -> label), as the page's table shows them.
    """
    lang = get_language()
    table = frame.copy()
    stem = file_stem(name)
    writers = {"csv": (report_book.table_csv, CSV_MIME), "xlsx": (report_book.table_xlsx, XLSX_MIME)}
    with st.container(horizontal=True, gap="small"):
        for fmt, (write, mime) in writers.items():
            st.download_button(
                t(f"unduh.{fmt}"),
                lambda write=write: write(table, lang=lang, titles=titles),
                file_name=f"{stem}.{fmt}",
                mime=mime,
                key=f"{key}_{fmt}",
                icon=":material/download:",
                help=t(f"unduh.{fmt}_help"),
                on_click="ignore",
                type="tertiary",
            )


@st.cache_data(max_entries=16, show_spinner=False)
def _data_version(path: str, version: int, stamp: int, is_demo: bool, lang: str) -> str:
    return report_book.data_version_text(path, is_demo=is_demo, lang=lang)


def data_version(ctx: PageContext) -> str:
    """The data version of the page's source as a person reads it (the demo label for the demo)."""
    source = ctx.source
    try:
        return _data_version(source.path, source.version, source.stamp, source.is_demo, ctx.state.lang)
    except StoreError:
        return t("data.version", versi=source.version)


def export_request(
    ctx: PageContext, *, kode_puskesmas: str | None = None, kode_desa: Sequence[str] | None = None
) -> ExportRequest:
    """The export of the page's view: its desa (``kode_desa`` overrides), month, area name, rules, data version.

    With ``kode_puskesmas`` the area is that puskesmas (a puskesmas head's working area).
    """
    assert ctx.month is not None and ctx.options is not None
    lang = ctx.state.lang
    if kode_puskesmas is not None:
        area = scope.puskesmas_name(kode_puskesmas, ctx.options, lang=lang)
    else:
        area = scope.area_name(ctx.state, ctx.options, lang=lang)
    return ExportRequest(
        coverage=ctx.coverage(),
        month=ctx.month,
        kode_desa=tuple(kode_desa if kode_desa is not None else ctx.kode_desa()),
        area=area,
        rules=ctx.rules,
        data_version=data_version(ctx),
        lang=lang,
        kode_puskesmas=kode_puskesmas,
    )


def renderer_available(code: str) -> bool:
    """True when the renderer module of format ``code`` is installed (formats arrive one by one)."""
    module = export_format(code).renderer.split(":")[0]
    return importlib.util.find_spec(module) is not None


def _deferred(request: ExportRequest, code: str) -> Callable[[], bytes]:
    return lambda: export_format(code).render(request)


def export_buttons(
    ctx: PageContext,
    *,
    formats: Sequence[str],
    key: str,
    kode_puskesmas: str | None = None,
    kode_desa: Sequence[str] | None = None,
) -> None:
    """One download button per export format of ``formats`` (codes of :data:`ui.exports.FORMATS`), in a row.

    The file is made when its button is pressed (see the module notes), named after the
    area and month (``peta_ilp_kabupaten_tasikmalaya_2026_10.xlsx``).
    """
    request = export_request(ctx, kode_puskesmas=kode_puskesmas, kode_desa=kode_desa)
    stem = file_stem(FILE_PREFIX, request.area, request.month)
    with st.container(horizontal=True, gap="small"):
        for code in formats:
            fmt = export_format(code)
            available = renderer_available(code)
            st.download_button(
                t(fmt.label_key),
                _deferred(request, code) if available else b"",
                file_name=f"{stem}{fmt.extension}",
                mime=fmt.mime,
                key=f"{key}_{code}",
                icon=":material/download:",
                help=None if available else t("export.belum_ada", format=t(fmt.label_key)),
                disabled=not available,
                on_click="ignore",
            )
