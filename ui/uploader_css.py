"""Indonesian (or English) texts drawn over Streamlit's file uploader with CSS (pure: no streamlit here).

Streamlit's uploader has fixed English texts: an "Upload" button, "200MB per
file" beside it, "Drag and drop a file here" while a file is dragged over it,
and a red file chip whose reason ("File must be ... or smaller.") only shows
in an English tooltip. The shell (:func:`ui.layout.apply_base_style` and
:func:`ui.layout.apply_presentation_mode`) adds :func:`uploader_css`, which
hides those texts and draws texts of :mod:`ui.i18n` in their place, with the
size limit that really applies to each kind of import (``max_bytes`` of
:data:`loaders.kinds.KINDS`, capped by the server's ``server.maxUploadSize``
in ``.streamlit/config.toml``, 200 MB):

* reports (``loaders.limits.MAX_BYTES_LAPORAN``) and boundaries: 200 MB;
* facilities and working areas (``loaders.limits.MAX_BYTES_TABEL``, 50 MB):
  the importer refuses larger tables with its own Indonesian message.

The selectors were checked against the DOM Streamlit 1.67 renders
(``tests/test_browser.py`` asserts the texts in a real browser).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from loaders.kinds import KINDS
from loaders.limits import MEGABYTE
from ui.i18n import t

UPLOADER_KEY_PREFIX: Final = "ilp_imp_file_"  # ui.upload keys its uploader "ilp_imp_file_<kind>_<nonce>"
# Kind of import -> byte limit of its importer (None: only the server's upload limit applies)
KIND_LIMITS: Final[dict[str, int | None]] = {kind.code: kind.max_bytes for kind in KINDS}
STYLE_ID: Final = "ilp-unggah"
TEXT_SIZE: Final = {False: "0.875rem", True: "1.05rem"}  # Streamlit's small text; presentation mode

DROPZONE: Final = '[data-testid="stFileUploaderDropzone"]'
BUTTON_TEXT: Final = f'{DROPZONE} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
INSTRUCTIONS_TEXT: Final = '[data-testid="stFileUploaderDropzoneInstructions"] span'
DRAG_TEXT: Final = f"{DROPZONE} > div:not([data-testid]) > span"  # the overlay while a file is dragged over
CHIPS: Final = f'{DROPZONE} [data-testid="stFileChips"]'


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string (for ``content:``)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def megabytes(limit_bytes: int) -> int:
    """A byte limit in whole megabytes (1 MB = 1024 * 1024 bytes, as Streamlit counts them)."""
    return max(1, round(limit_bytes / MEGABYTE))


def effective_limits(server_limit_mb: int) -> dict[str, int]:
    """Kind -> the upload limit in MB that applies to it (the smaller of the importer's and the server's)."""
    return {
        kind: min(server_limit_mb, megabytes(limit)) if limit is not None else server_limit_mb
        for kind, limit in KIND_LIMITS.items()
    }


def _replace(selector: str, text: str, *, size: str) -> str:
    """CSS hiding the text of ``selector`` and drawing ``text`` in its place (same colour)."""
    return (
        f"{selector} {{ font-size: 0 !important; }}\n"
        f"{selector}::after {{ content: {css_string(text)}; font-size: {size}; }}\n"
    )


def uploader_css(*, server_limit_mb: int, lang: str | None = None, large: bool = False) -> str:
    """The ``<style>`` block that draws the uploader's texts in the interface language.

    Parameters
    ----------
    server_limit_mb
        Streamlit's ``server.maxUploadSize`` (MB): the limit of any upload.
    lang
        Interface language (default: the run's language).
    large
        Bigger type (presentation mode).

    Returns
    -------
    str
        A ``<style id="ilp-unggah">`` element for ``st.html``.
    """
    limits = effective_limits(server_limit_mb)
    size = TEXT_SIZE[large]
    parts = [
        f'<style id="{STYLE_ID}">',
        _replace(BUTTON_TEXT, t("unggah.pilih", lang=lang), size=size),
        _replace(INSTRUCTIONS_TEXT, t("unggah.batas", lang=lang, mb=server_limit_mb), size=size),
        _replace(DRAG_TEXT, t("unggah.lepas", lang=lang), size=size),
        f'{CHIPS}:has([aria-invalid="true"]) {{ flex-wrap: wrap; }}\n'
        f'{CHIPS}:has([aria-invalid="true"])::after {{ content: '
        f"{css_string(t('unggah.ditolak', lang=lang, mb=server_limit_mb))}; flex-basis: 100%; "
        f"font-size: {size}; color: #b42318; }}\n",
    ]
    parts.extend(_kind_rules(limits, server_limit_mb, lang=lang))
    parts.append("</style>")
    return "\n".join(parts)


def _kind_rules(limits: Mapping[str, int], server_limit_mb: int, *, lang: str | None) -> list[str]:
    """The size text of the kinds whose importer allows less than the server."""
    rules = []
    for kind, limit_mb in limits.items():
        if limit_mb == server_limit_mb:
            continue
        scope = f'[class*="st-key-{UPLOADER_KEY_PREFIX}{kind}_"]'
        text = css_string(t("unggah.batas", lang=lang, mb=limit_mb))
        rules.append(f"{scope} {INSTRUCTIONS_TEXT}::after {{ content: {text}; }}\n")
    return rules
