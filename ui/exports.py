"""What leaves a meeting: the export formats, declared once (pure: no streamlit here).

Every export (a page's download button, ``python cli.py export``) is one
:class:`ExportRequest` (the desa of the view, the month, the area's name,
the rules, the data version, the language) rendered by one entry of
:data:`FORMATS`:

========  ==============================================  =========================
code      what                                            renderer
========  ==============================================  =========================
xlsx      Excel report: summary + one sheet per puskesmas  :mod:`ui.report_book`
png       map image with legend, scale bar, north arrow    :mod:`ui.report_map`
pdf       A4 landscape: the map, then the indicator table  :mod:`ui.report_map`
geojson   desa of the view with their status fields        :mod:`ui.report_vector`
gpkg      the same as a GeoPackage layer                   :mod:`ui.report_vector`
========  ==============================================  =========================

Renderers only read the engine (:class:`geo.engine.Coverage`): statuses,
indicators and placements are decided there, never here. Everything is
written in ``request.lang`` with Indonesian number formats, without a browser
and without internet. Adding a format: one :class:`ExportFormat` entry and its
renderer (the CLI's ``--format`` choices and the pages' buttons follow).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from geo.rules import Rules
from loaders.exceptions import InputError

if TYPE_CHECKING:
    from geo.engine import Coverage


@dataclass(frozen=True)
class ExportRequest:
    """One export: which desa, which month, how it is titled.

    Attributes
    ----------
    coverage
        The engine (read only).
    month
        ``YYYY-MM``, a month with reports.
    kode_desa
        The desa of the view (filters applied), in display order.
    area
        The area's name for titles ("Kabupaten Tasikmalaya", "Kecamatan Cikatomas",
        "Puskesmas Cikatomas").
    rules
        The engine rules the figures were computed with (written in the header).
    data_version
        The data version as a person reads it ("versi data 7, 2026-11-29 10:12"
        or "data contoh (sintetis)").
    lang
        ``id`` (default) or ``en``.
    kode_puskesmas
        Set when the export is one puskesmas's working area (a puskesmas head's).
    """

    coverage: Coverage
    month: str
    kode_desa: tuple[str, ...]
    area: str
    rules: Rules
    data_version: str
    lang: str = "id"
    kode_puskesmas: str | None = None


@dataclass(frozen=True)
class ExportFormat:
    """One export format: file extension, MIME type, i18n key of its button, renderer ``module:function``."""

    code: str
    extension: str
    mime: str
    renderer: str

    @property
    def label_key(self) -> str:
        """i18n key of the download button's label (``export.<code>``)."""
        return f"export.{self.code}"

    def render(self, request: ExportRequest) -> bytes:
        """The file's bytes (the renderer module is imported on first use: matplotlib is heavy)."""
        module_name, function_name = self.renderer.split(":")
        function: Callable[[ExportRequest], bytes] = getattr(importlib.import_module(module_name), function_name)
        return function(request)


FORMATS: Final[tuple[ExportFormat, ...]] = (
    ExportFormat(
        "xlsx",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ui.report_book:render_xlsx",
    ),
    ExportFormat("png", ".png", "image/png", "ui.report_map:render_png"),
    ExportFormat("pdf", ".pdf", "application/pdf", "ui.report_map:render_pdf"),
    ExportFormat("geojson", ".geojson", "application/geo+json", "ui.report_vector:render_geojson"),
    ExportFormat("gpkg", ".gpkg", "application/geopackage+sqlite3", "ui.report_vector:render_gpkg"),
)
FORMAT_BY_CODE: Final[dict[str, ExportFormat]] = {f.code: f for f in FORMATS}
CODES: Final = tuple(FORMAT_BY_CODE)


def export_format(code: str) -> ExportFormat:
    """The format called ``code``.

    Raises
    ------
    InputError
        For an unknown code (the message lists the known ones).
    """
    try:
        return FORMAT_BY_CODE[code]
    except KeyError:
        msg = f"Format ekspor '{code}' tidak dikenal; pilih salah satu: {', '.join(CODES)}."
        raise InputError(msg) from None


def render(request: ExportRequest, code: str) -> bytes:
    """Render ``request`` as format ``code`` (see :data:`FORMATS`)."""
    return export_format(code).render(request)
