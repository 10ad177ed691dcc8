"""Map image (PNG) and PDF exports (ui/report_map.py): every file produced is opened and its content checked.

PNG: size, and the pixels of each status colour present (not a blank image). PDF
(pypdf): page count, A4 landscape pages, the legend, area, month and table numbers
in the extracted text equal to the engine's. The Tasikmalaya PNG and PDF go to
``test-artifacts/exports/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Final

import numpy as np
import pytest
from engine_fixtures import cell, coverage, desa_layer
from PIL import Image
from pypdf import PdfReader
from test_report_vector import (
    D1,
    D2,
    D3,
    D4,
    D5,
    FORMULA_NAME,
    KECAMATAN_TWO,
    MARKUP_NAME,
    MONTH,
    small_request,
)

from geo.levels import MAX_DESA_DRAWN
from geo.rules import Rules
from geo.statuses import STATUSES
from loaders.exceptions import InputError
from ui.exports import ExportRequest, render
from ui.fmt import fmt_int, fmt_pct
from ui.i18n import status_label
from ui.report_map import INDICATOR_COLUMNS, OPTIONAL_COLUMNS, PNG_WIDTH_PX, ROWS_PER_PAGE, render_pdf, render_png

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
ARTIFACTS: Final = PROJECT_DIR / "test-artifacts" / "exports"
PNG_SIZE: Final = (PNG_WIDTH_PX, 1130)
COLOUR: Final = {s.code: s.colour for s in STATUSES}


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)


def _colour_pixels(png: bytes) -> dict[str, int]:
    """Pixels within a small distance of each status colour."""
    image = Image.open(io.BytesIO(png))
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return {code: int((np.abs(pixels - _rgb(colour)).sum(axis=2) <= 6).sum()) for code, colour in COLOUR.items()}


def _pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _assert_a4_landscape(reader: PdfReader) -> None:
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def _lines(reader: PdfReader) -> list[str]:
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


# -- the small inline coverage ------------------------------------------------------------
def test_png_size_and_every_status_colour_present() -> None:
    png = render_png(small_request())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == PNG_SIZE
    counts = _colour_pixels(png)
    for code in ("lengkap", "tanpa_keduanya", "tanpa_pustu", "tanpa_posyandu_aktif"):
        assert counts[code] > 2_000, (code, counts)  # the desa's fills (legend swatches are ~600 pixels)
    assert counts["tanpa_data"] < 1_000  # no grey fill: only anti-aliased text edges come near its grey
    pixels = np.asarray(image.convert("RGB"))
    assert (pixels.reshape(-1, 3) != 255).any(axis=1).mean() > 0.15  # not a blank page


def test_png_through_the_export_registry_equals_the_renderer_size() -> None:
    png = render(small_request(lang="en"), "png")
    assert Image.open(io.BytesIO(png)).size == PNG_SIZE


def test_pdf_pages_legend_area_month_and_table() -> None:
    request = small_request()
    reader = _pdf(render_pdf(request))
    # the map, then one page per kecamatan and per puskesmas table (2 kecamatan + total, 1 puskesmas + total)
    assert len(reader.pages) == 3
    _assert_a4_landscape(reader)
    first = reader.pages[0].extract_text()
    assert "Status layanan ILP per desa" in first
    assert "Kabupaten Contoh · Oktober 2026" in first
    assert "Status desa" in first
    assert "Lengkap (2 desa)" in first
    assert "Tanpa keduanya (1 desa)" in first
    assert "Tanpa pustu aktif (1 desa)" in first
    assert "Tanpa posyandu aktif (1 desa)" in first
    assert "Belum ada data" not in first  # only the statuses present
    assert "Jumlah: 5 desa" in first
    assert "Batas kecamatan" in first
    assert "versi data 3, 2026-11-29 10:12" in first
    assert "Sumber: Peta ILP" in first
    assert "Halaman 1 dari 3" in first
    assert "U" in first.split()  # the north arrow's letter
    assert "Posyandu aktif: buka paling sedikit 10 dari 12 bulan" in first
    assert "1 km" in first.splitlines()  # the scale bar: a round length near a fifth of the map's width
    lines = _lines(reader)
    table = request.coverage.indicators(MONTH, by="kecamatan", kode_desa=list(request.kode_desa))
    columns = [c for c in INDICATOR_COLUMNS if c not in OPTIONAL_COLUMNS or table[c].sum() > 0]
    for record in table.to_dict("records"):
        cells = [fmt_pct(record[c], decimals=1) if c.startswith("pct_") else fmt_int(record[c]) for c in columns]
        assert f"{record['nama']} {' '.join(cells)}" in lines
    assert "Indikator per kecamatan, Oktober 2026" in lines
    assert "Indikator per puskesmas, Oktober 2026" in lines
    assert "Halaman 3 dari 3" in reader.pages[2].extract_text()


def test_pdf_in_english() -> None:
    reader = _pdf(render(small_request(lang="en"), "pdf"))
    first = reader.pages[0].extract_text()
    assert "ILP service status per desa" in first
    assert "Kabupaten Contoh · October 2026" in first
    assert "No active pustu (1 desa)" in first
    assert "Complete (2 desa)" in first
    assert "N" in first.split()
    assert "Page 1 of 3" in first
    assert "Indicators per kecamatan, October 2026" in reader.pages[1].extract_text()


def test_puskesmas_head_pdf_covers_the_working_area_desa_by_desa() -> None:
    request = small_request(kode_puskesmas="P2", area="Puskesmas Dua")
    reader = _pdf(render_pdf(request))
    assert len(reader.pages) == 2
    _assert_a4_landscape(reader)
    first = reader.pages[0].extract_text()
    assert "Status layanan ILP per desa, wilayah kerja Puskesmas Dua" in first
    table_page = reader.pages[1].extract_text()
    assert "Desa di wilayah kerja Puskesmas Dua, Oktober 2026" in table_page
    engine = request.coverage.desa_table(MONTH).set_index("kode_desa")
    lines = _lines(reader)
    for kode in (D2, D3, D5):
        row = engine.loc[kode]
        expected = (
            f"{row['nama_desa']} {row['nama_kecamatan']} {status_label(row['status'])} "
            f"{row['pustu_aktif']} {row['pustu_total']} {row['pustu_standar']} {row['posyandu_total']} "
            f"{row['posyandu_aktif']} "
            f"{row['posyandu_lapor']}"
        )
        assert any(line.startswith(expected) for line in lines), expected


def test_hostile_names_are_plain_text_in_the_pdf() -> None:
    reader = _pdf(render_pdf(small_request(kode_puskesmas="P2", area="Puskesmas Dua")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert KECAMATAN_TWO in text  # "$y$" not typeset as mathematics
    assert FORMULA_NAME in text
    assert MARKUP_NAME in text
    assert "Desa 2002" in text and "Desa 2003" in text and "Desa 2001" in text


@pytest.mark.parametrize("renderer", [render_png, render_pdf])
def test_an_empty_view_is_refused(renderer) -> None:
    with pytest.raises(InputError) as caught:
        renderer(small_request(kode_desa=()))
    assert "Tidak ada desa untuk diekspor" in str(caught.value)


def test_a_subset_of_desa_draws_only_their_statuses() -> None:
    png = render_png(small_request(kode_desa=(D1, D3)))
    counts = _colour_pixels(png)
    assert counts["lengkap"] > 2_000
    assert counts["tanpa_keduanya"] == counts["tanpa_pustu"] == counts["tanpa_posyandu_aktif"] == 0
    assert len(_pdf(render_pdf(small_request(kode_desa=(D2, D4)))).pages) == 3


def test_a_view_above_max_desa_drawn_still_renders() -> None:
    # 1,050 desa of ~550 m in 42 kecamatan of 25, no facility data: every desa "Belum ada data" (grey)
    n_kecamatan, per_kecamatan = 42, 25
    rows = []
    for k in range(n_kecamatan):
        for d in range(per_kecamatan):
            x, y = (k % 7) * 5 + d % 5, (k // 7) * 5 + d // 5
            rows.append((f"11.01.{k + 1:02d}.{2001 + d}", cell(x * 0.5, x * 0.5 + 0.5, y * 0.5, y * 0.5 + 0.5)))
    cov = coverage(desa_layer(rows))
    assert len(rows) > MAX_DESA_DRAWN
    request = ExportRequest(
        coverage=cov,
        month=MONTH,
        kode_desa=tuple(kode for kode, _ in rows),
        area="Kabupaten Besar",
        rules=Rules(),
        data_version="versi data 1",
    )
    png = render_png(request)
    assert Image.open(io.BytesIO(png)).size == PNG_SIZE
    counts = _colour_pixels(png)
    assert counts["tanpa_data"] > 50_000
    assert counts["lengkap"] == counts["tanpa_pustu"] == 0
    reader = _pdf(render_pdf(request))
    first = reader.pages[0].extract_text()
    assert "Belum ada data (1.050 desa)" in first
    assert "Jumlah: 1.050 desa" in first
    assert "Batas kecamatan" in first
    assert len(reader.pages) == 1 + math.ceil((n_kecamatan + 1) / ROWS_PER_PAGE) + 1


# -- Kabupaten Tasikmalaya (../shared/data) --------------------------------------------------------


def test_tasikmalaya_png(tasikmalaya_export: ExportRequest) -> None:
    png = render_png(tasikmalaya_export)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report_map_tasikmalaya_2026-10.png").write_bytes(png)
    assert Image.open(io.BytesIO(png)).size == PNG_SIZE
    counts = _colour_pixels(png)
    present = set(tasikmalaya_export.coverage.desa_table(MONTH)["status"])
    assert present == {"lengkap", "tanpa_keduanya", "tanpa_pustu", "tanpa_posyandu_aktif"}
    for code in present:
        assert counts[code] > 1_000, (code, counts)
    assert counts["tanpa_pustu"] > counts["tanpa_keduanya"]  # 186 desa against 16


def test_tasikmalaya_pdf(tasikmalaya_export: ExportRequest) -> None:
    pdf = render_pdf(tasikmalaya_export)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report_map_tasikmalaya_2026-10.pdf").write_bytes(pdf)
    reader = _pdf(pdf)
    codes = list(tasikmalaya_export.kode_desa)
    by_kecamatan = tasikmalaya_export.coverage.indicators(MONTH, by="kecamatan", kode_desa=codes)
    by_puskesmas = tasikmalaya_export.coverage.indicators(MONTH, by="puskesmas", kode_desa=codes)
    assert len(by_kecamatan) == 39
    expected_pages = (
        1 + math.ceil((len(by_kecamatan) + 1) / ROWS_PER_PAGE) + math.ceil((len(by_puskesmas) + 1) / ROWS_PER_PAGE)
    )
    assert len(reader.pages) == expected_pages
    _assert_a4_landscape(reader)
    first = reader.pages[0].extract_text()
    assert "Kabupaten Tasikmalaya · Oktober 2026" in first
    counts = tasikmalaya_export.coverage.desa_table(MONTH)["status"].value_counts()
    for code, n in counts.items():
        assert f"{status_label(code)} ({fmt_int(n)} desa)" in first
    assert "Jumlah: 351 desa" in first
    named = [name for name in by_kecamatan["nama"] if re.search(rf"(^|\n){re.escape(name)}(\n|$)", first)]
    assert len(named) >= 25, named  # kecamatan names on the map (a few left out where they would overlap)
    lines = _lines(reader)
    columns = [c for c in INDICATOR_COLUMNS if c not in OPTIONAL_COLUMNS or by_kecamatan[c].sum() > 0]
    for table in (by_kecamatan, by_puskesmas):
        for record in table.to_dict("records"):
            cells = [fmt_pct(record[c], decimals=1) if c.startswith("pct_") else fmt_int(record[c]) for c in columns]
            assert f"{record['nama']} {' '.join(cells)}" in lines
    total = tasikmalaya_export.coverage.indicators(MONTH, by="kabupaten", kode_desa=codes).iloc[0]
    assert total["desa"] == 351
    assert sum(line.startswith("Kabupaten Tasikmalaya 351 ") for line in lines) == 2  # under both tables
    for page_number in range(1, expected_pages + 1):
        assert f"Halaman {page_number} dari {expected_pages}" in reader.pages[page_number - 1].extract_text()
    assert "Indikator per kecamatan, Oktober 2026 (lanjutan)" in lines
