"""The file uploader's texts drawn in the interface language, with the real size limits (ui/uploader_css.py)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from loaders.kinds import CODES
from loaders.tables import MAX_BYTES_LAPORAN, MAX_BYTES_TABEL, MEGABYTE
from ui.uploader_css import (
    BUTTON_TEXT,
    DRAG_TEXT,
    INSTRUCTIONS_TEXT,
    KIND_LIMITS,
    css_string,
    effective_limits,
    megabytes,
    uploader_css,
)

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def _server_limit_mb() -> int:
    return int(tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]["maxUploadSize"])


def test_server_upload_limit_is_the_largest_importer_cap() -> None:
    assert _server_limit_mb() * MEGABYTE == MAX_BYTES_LAPORAN == 200 * 1024 * 1024
    assert set(KIND_LIMITS) == set(CODES)  # every kind of import has its stated limit


@pytest.mark.parametrize(
    ("server_mb", "expected"),
    [
        (200, {"boundaries": 200, "facilities": 50, "working-areas": 50, "reports": 200}),
        (30, {"boundaries": 30, "facilities": 30, "working-areas": 30, "reports": 30}),  # the server caps all
        (500, {"boundaries": 500, "facilities": 50, "working-areas": 50, "reports": 200}),
    ],
)
def test_effective_limit_per_kind(server_mb: int, expected: dict[str, int]) -> None:
    assert effective_limits(server_mb) == expected


@pytest.mark.parametrize(("limit", "mb"), [(MAX_BYTES_TABEL, 50), (MAX_BYTES_LAPORAN, 200), (MEGABYTE // 2, 1), (1, 1)])
def test_megabytes(limit: int, mb: int) -> None:
    assert megabytes(limit) == mb


@pytest.mark.parametrize(
    ("text", "quoted"),
    [("Pilih berkas", '"Pilih berkas"'), ('a "b"', '"a \\"b\\""'), ("a\\b", '"a\\\\b"'), ("a\nb", '"a\\a b"')],
)
def test_css_string(text: str, quoted: str) -> None:
    assert css_string(text) == quoted


def _content_of(css: str, selector: str) -> list[str]:
    """Every ``content:`` string of the rules whose selector ends with ``selector::after``."""
    pattern = re.escape(f"{selector}::after") + r' \{ content: "([^"]*)";'
    return re.findall(pattern, css)


def test_indonesian_texts_replace_the_english_ones() -> None:
    css = uploader_css(server_limit_mb=200, lang="id")
    assert css.startswith('<style id="ilp-unggah">') and css.endswith("</style>")
    for selector in (BUTTON_TEXT, INSTRUCTIONS_TEXT, DRAG_TEXT):
        assert f"{selector} {{ font-size: 0 !important; }}" in css  # the English text is hidden
    assert _content_of(css, BUTTON_TEXT) == ["Pilih berkas"]
    assert _content_of(css, DRAG_TEXT) == ["Lepaskan berkas di sini"]
    assert _content_of(css, INSTRUCTIONS_TEXT) == [
        "Seret berkas ke sini · maks. 200 MB per berkas",  # every uploader: the server's limit
        "Seret berkas ke sini · maks. 50 MB per berkas",  # facilities
        "Seret berkas ke sini · maks. 50 MB per berkas",  # working areas
    ]
    assert '[class*="st-key-ilp_imp_file_facilities_"] [data-testid="stFileUploaderDropzoneInstructions"]' in css
    assert '[class*="st-key-ilp_imp_file_working-areas_"]' in css
    assert "st-key-ilp_imp_file_reports_" not in css and "st-key-ilp_imp_file_boundaries_" not in css
    assert "Berkas ditolak: lebih dari 200 MB." in css  # shown under a refused (too large) file
    drawn = " ".join(re.findall(r'content: "([^"]*)"', css))
    for english in ("Upload", "per file", "Drag and drop", "Browse"):
        assert english not in drawn


def test_english_interface_texts() -> None:
    css = uploader_css(server_limit_mb=200, lang="en")
    assert _content_of(css, BUTTON_TEXT) == ["Choose a file"]
    assert _content_of(css, INSTRUCTIONS_TEXT)[0] == "Drag a file here · max. 200 MB per file"
    assert "File refused: larger than 200 MB." in css


@pytest.mark.parametrize(("large", "size"), [(False, "0.875rem"), (True, "1.05rem")])
def test_text_size_follows_presentation_mode(large: bool, size: str) -> None:
    css = uploader_css(server_limit_mb=200, lang="id", large=large)
    assert f'content: "Pilih berkas"; font-size: {size};' in css
    assert f"flex-basis: 100%; font-size: {size};" in css
