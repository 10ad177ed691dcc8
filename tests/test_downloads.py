"""The pages' download buttons (ui.downloads): export formats and every table's CSV/XLSX, in the interface language.

AppTest cannot press a deferred download button (its file is made in the
browser's request), so the pages are checked for their buttons and labels,
and the request a page builds (:func:`ui.downloads.export_request`) is
rendered here and its file opened.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from page_support import DATA_PAGE, DEMO, PETA_PAGE, PUSKESMAS_PAGE, run_page
from scope_fixtures import NATION
from streamlit.testing.v1 import AppTest

from geo.rules import Rules
from loaders.store import Store
from ui import data, downloads
from ui.context import PageContext
from ui.drilldown import working_area_desa
from ui.exports import render
from ui.scope import area_name
from ui.state import FilterOptions, ViewState

TABLE_BUTTONS = ("Unduh CSV", "Unduh XLSX")


def _buttons(at: AppTest) -> dict[str, str]:
    return {b.key: b.label for b in at.get("download_button")}


def _css(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


@pytest.mark.parametrize(
    ("page", "query", "expected"),
    [
        (None, {}, {"ringkasan_ekspor_xlsx": "Laporan Excel", "ringkasan_ekspor_pdf": "Laporan PDF"}),
        (None, {}, {"ringkasan_ekspor_png": "Peta (PNG)"}),
        (
            PETA_PAGE,
            {},
            {
                "peta_ekspor_png": "Peta (PNG)",
                "peta_ekspor_geojson": "GeoJSON",
                "peta_ekspor_gpkg": "GeoPackage",
                "peta_ekspor_xlsx": "Laporan Excel",
            },
        ),
        (PUSKESMAS_PAGE, {}, {"pkm_ekspor_pdf": "Laporan PDF", "pkm_ekspor_xlsx": "Laporan Excel"}),
    ],
)
def test_pages_offer_their_exports(app_on_demo: Path, page: str | None, query: dict, expected: dict) -> None:
    buttons = _buttons(run_page(page, query))
    assert {key: buttons.get(key) for key in expected} == expected


def test_every_table_has_csv_and_xlsx_buttons(app_on_demo: Path) -> None:
    peta = _buttons(run_page(PETA_PAGE))
    assert (peta["peta_tabel_kesenjangan_csv"], peta["peta_tabel_kesenjangan_xlsx"]) == TABLE_BUTTONS
    puskesmas = _buttons(run_page(PUSKESMAS_PAGE))
    for table in ("pkm_prioritas", "pkm_tabel_desa", "pkm_tabel_pustu", "pkm_tabel_posyandu"):
        assert (puskesmas[f"{table}_csv"], puskesmas[f"{table}_xlsx"]) == TABLE_BUTTONS, table
    data_page = _buttons(run_page(DATA_PAGE))
    assert (data_page["ilp_q_csv"], data_page["ilp_q_xlsx"]) == TABLE_BUTTONS


def test_buttons_in_english(app_on_demo: Path) -> None:
    buttons = _buttons(run_page(PETA_PAGE, {"lang": "en"}))
    assert buttons["peta_ekspor_xlsx"] == "Excel report"
    assert buttons["peta_tabel_kesenjangan_csv"] == "Download CSV"


@pytest.mark.parametrize("query", [{}, {"mode": "presentasi"}])
def test_streamlit_english_table_toolbar_is_hidden(app_on_demo: Path, query: dict[str, str]) -> None:
    css = _css(run_page(PETA_PAGE, query))
    assert '[data-testid="stElementToolbar"] { display: none !important; }' in css


# -- the request a page builds, rendered -----------------------------------------------------------------
def _demo_context(state: ViewState) -> PageContext:
    store = Store(DEMO)
    source = data.DataSource(path=str(DEMO), version=store.version(), stamp=DEMO.stat().st_mtime_ns, is_demo=True)
    rules = Rules()
    options = data.filter_options(source, rules)
    state = replace(state, bulan=options.latest_month)
    return PageContext(source=source, rules=rules, state=state, options=options)


def test_export_request_of_the_view_renders_the_report() -> None:
    ctx = _demo_context(ViewState())
    request = downloads.export_request(ctx)
    assert request.month == ctx.options.latest_month
    assert request.area == next(iter(ctx.options.kabupaten.values()))
    assert request.data_version == "Data contoh (sintetis)"
    assert set(request.kode_desa) == set(ctx.options.desa)
    book = openpyxl.load_workbook(io.BytesIO(render(request, "xlsx")))
    assert book.sheetnames[0] == "Ringkasan"
    assert book["Ringkasan"]["A2"].value == f"Wilayah: {request.area}"


def test_export_request_of_a_puskesmas_is_its_working_area() -> None:
    ctx = _demo_context(ViewState())
    kode = next(iter(ctx.options.puskesmas))
    area = working_area_desa(ctx.coverage().working_areas, kode)
    request = downloads.export_request(ctx, kode_puskesmas=kode, kode_desa=area)
    assert request.kode_puskesmas == kode and request.kode_desa == tuple(area)
    nama = ctx.options.puskesmas[kode][0]
    assert request.area == (nama if nama.startswith("Puskesmas") else f"Puskesmas {nama}")
    book = openpyxl.load_workbook(io.BytesIO(render(request, "xlsx")))
    assert len(book.sheetnames) == 2


def test_file_stem() -> None:
    assert downloads.file_stem("peta_ilp", "Kecamatan Cikatomas, Puskesmas X", "2026-10") == (
        "peta_ilp_kecamatan_cikatomas_puskesmas_x_2026_10"
    )
    assert downloads.file_stem("../=x") == "x"


# -- the area's name in export titles (ui.scope.area_name) ------------------------------------------------
ONE_KECAMATAN = FilterOptions(
    kabupaten={"99.01": "Kabupaten Contoh"},
    kecamatan={"99.01.01": ("Sendangkerto", "99.01")},
    puskesmas={"P1": ("Sendangkerto", ("99.01",))},
    provinsi={"99": "Contoh"},
    kabupaten_provinsi={"99.01": "99"},
    puskesmas_kecamatan={"P1": ("99.01.01",)},
)


@pytest.mark.parametrize(
    ("state", "options", "lang", "expected"),
    [
        (ViewState(), NATION, "id", "Indonesia"),
        (ViewState(provinsi="32"), NATION, "id", "Provinsi Jawa Barat"),
        (ViewState(provinsi="32"), NATION, "en", "Jawa Barat Province"),
        (ViewState(kabupaten="32.06"), NATION, "id", "Kabupaten Tasikmalaya"),
        (ViewState(kecamatan=("32.06.01",)), NATION, "id", "Kecamatan Cipatujah"),
        (ViewState(kecamatan=("32.06.01", "32.06.02")), NATION, "id", "Kecamatan Cipatujah dan Karangnunggal"),
        (ViewState(kecamatan=("32.06.01", "32.06.02")), NATION, "en", "Kecamatan Cipatujah and Karangnunggal"),
        (ViewState(kecamatan=("32.06.01", "32.06.02", "32.05.01", "52.71.01")), NATION, "id", "4 kecamatan"),
        (ViewState(kecamatan=("32.06.01",), puskesmas="P1"), NATION, "id", "Kecamatan Cipatujah, Puskesmas Cipatujah"),
        (ViewState(), ONE_KECAMATAN, "id", "Kecamatan Sendangkerto"),  # the data's only kecamatan, none chosen
        (ViewState(puskesmas="P1"), ONE_KECAMATAN, "id", "Puskesmas Sendangkerto"),
    ],
)
def test_area_name(state: ViewState, options: FilterOptions, lang: str, expected: str) -> None:
    assert area_name(state, options, lang=lang) == expected
