"""``python cli.py export``: every format of Kabupaten Tasikmalaya 2026-10, produced by the CLI and opened.

The store is Tasikmalaya imported from ``../shared/data`` (the ``tasikmalaya_store_path``
fixture; skips when the folder is absent). Every file is made by a ``cli.py``
subprocess, then opened with the library a recipient would use: openpyxl
(sheets, a value against the engine), PIL (size, not blank), pypdf (pages, A4
landscape, the legend's status label as text), pyogrio (GeoJSON and GeoPackage
feature count and fields). The PNG and PDF are copied to
``test-artifacts/exports/`` with the time each export took (``timings.txt``).
The refusals (unknown codes, a month outside the reports, a failed render) run on
the small demo store.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Final

import pandas as pd
import pyogrio
import pytest
from cli_support import PROJECT_DIR, run_cli, run_cli_measured

import cli
from geo.engine import Coverage
from loaders.dataset import read_dataset
from loaders.exceptions import InputError
from loaders.store import Store
from ui import exports
from ui.filters import select_desa
from ui.i18n import column_label, status_label, t

pytestmark = pytest.mark.slow

MONTH: Final = "2026-10"
ARTIFACTS: Final = PROJECT_DIR / "test-artifacts" / "exports"
A4_LANDSCAPE_PT: Final = (842.0, 595.0)
MAP_FORMATS: Final = ("png", "pdf")
TIMINGS: dict[str, float] = {}


def _renderer_present(code: str) -> bool:
    module = exports.FORMAT_BY_CODE[code].renderer.partition(":")[0]
    return importlib.util.find_spec(module) is not None


def _needs_renderer(code: str) -> None:
    if not _renderer_present(code):
        pytest.skip("renderer not yet present")


@pytest.fixture(scope="module")
def coverage(tasikmalaya_store_path: Path) -> Coverage:
    """The engine on the same store (what every file is checked against)."""
    return Coverage(read_dataset(Store(tasikmalaya_store_path)))


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ekspor")


def _export(store: Path, out: Path, code: str, *extra: str) -> Path:
    """Run ``cli.py export`` (measured), assert success and its stderr line; return ``out``."""
    result = run_cli_measured(
        "export", "--format", code, "--month", MONTH, "--store", str(store), "--out", str(out), *extra, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"Ekspor {code} (" in result.stderr and f"ditulis ke {out}" in result.stderr
    if not extra:
        TIMINGS[code] = result.seconds
    return out


@pytest.fixture(scope="module")
def produced(tasikmalaya_store_path: Path, export_dir: Path) -> dict[str, Path]:
    """Every export format of the whole district, 2026-10 (renderers not yet present are left out)."""
    files = {
        code: _export(tasikmalaya_store_path, export_dir / f"tasikmalaya_{MONTH}{fmt.extension}", code)
        for code, fmt in exports.FORMAT_BY_CODE.items()
        if _renderer_present(code)
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for code in MAP_FORMATS:
        if code in files:
            shutil.copy2(files[code], ARTIFACTS / files[code].name)
    lines = [f"{code}\t{seconds:.1f} s" for code, seconds in TIMINGS.items()]
    (ARTIFACTS / "timings.txt").write_text("Tasikmalaya 2026-10, cli.py export\n" + "\n".join(lines) + "\n")
    return files


def _file(produced: dict[str, Path], code: str) -> Path:
    _needs_renderer(code)
    return produced[code]


# -- xlsx ------------------------------------------------------------------------------------------
def _sheet_rows(path: Path, sheet: str | None = None) -> tuple[list[str], list[tuple[object, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = list((book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True))
    return book.sheetnames, rows


def _table_after(rows: list[tuple[object, ...]], first_label: str) -> pd.DataFrame:
    """The first table whose header row starts with ``first_label`` (until an empty row)."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_label)
    body = []
    for row in rows[start + 1 :]:
        if row is None or all(v is None for v in row):
            break
        body.append(row)
    header = [str(v) for v in rows[start] if v is not None]
    return pd.DataFrame([list(r[: len(header)]) for r in body], columns=header)


def test_xlsx_sheets_and_values_against_the_engine(produced: dict[str, Path], coverage: Coverage) -> None:
    from geo.report import report_content
    from ui.report_book import sheet_names

    path = _file(produced, "xlsx")
    content = report_content(coverage, MONTH, coverage.desa_table(MONTH)["kode_desa"].tolist())
    expected = sheet_names([t("laporan.ringkasan", lang="id"), *(part.nama for part in content.parts)])
    names, rows = _sheet_rows(path)
    assert names == expected
    assert len(names) > 20  # one sheet per puskesmas of the district
    assert rows[0][0] == t("laporan.judul", lang="id")
    assert any(row[0] == t("laporan.wilayah", lang="id", area="Kabupaten Tasikmalaya") for row in rows)

    table = _table_after(rows, column_label("kode_kecamatan", lang="id"))
    engine = coverage.indicators(MONTH, by="kecamatan").set_index("kode")
    assert len(table) == len(engine) == 39
    label = column_label("desa_tanpa_posyandu_aktif", lang="id")
    got = dict(zip(table[column_label("kode_kecamatan", lang="id")], table[label], strict=True))
    assert got == {k: int(v) for k, v in engine["desa_tanpa_posyandu_aktif"].items()}


# -- png / pdf -------------------------------------------------------------------------------------
def test_png_size_and_not_blank(produced: dict[str, Path]) -> None:
    from PIL import Image

    with Image.open(_file(produced, "png")) as image:
        assert image.format == "PNG"
        width, height = image.size
        assert width >= 1200 and height >= 800
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None
    assert len(colours) >= 8  # the map's statuses, outlines, text - not a blank canvas
    most = max(count for count, _ in colours)
    assert most < 0.9 * width * height


def test_pdf_pages_a4_landscape_and_legend_text(produced: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(_file(produced, "pdf"))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4_LANDSCAPE_PT[0], abs=2)
        assert float(box.height) == pytest.approx(A4_LANDSCAPE_PT[1], abs=2)
    first = reader.pages[0].extract_text()
    assert status_label("tanpa_posyandu_aktif", lang="id") in first
    assert "Kabupaten Tasikmalaya" in first


# -- geojson / gpkg ---------------------------------------------------------------------------------
def _vector_fields() -> tuple[str, ...]:
    from ui.report_vector import VECTOR_FIELDS

    return VECTOR_FIELDS


def test_geojson_features_and_fields(produced: dict[str, Path], coverage: Coverage) -> None:
    frame = pyogrio.read_dataframe(_file(produced, "geojson"))
    assert len(frame) == len(coverage.desa_table(MONTH)) == 351
    assert tuple(c for c in frame.columns if c != "geometry") == _vector_fields()
    engine = coverage.desa_table(MONTH).set_index("kode_desa")["status"]
    assert dict(zip(frame["kode_desa"], frame["status"], strict=True)) == engine.astype(str).to_dict()
    assert frame.crs.to_epsg() == 4326


def test_gpkg_features_and_fields(produced: dict[str, Path], coverage: Coverage) -> None:
    from ui.report_vector import GPKG_LAYER

    path = _file(produced, "gpkg")
    assert [name for name, _ in pyogrio.list_layers(path)] == [GPKG_LAYER]
    frame = pyogrio.read_dataframe(path, layer=GPKG_LAYER)
    assert len(frame) == 351
    assert tuple(c for c in frame.columns if c != "geometry") == _vector_fields()
    engine = coverage.desa_table(MONTH).set_index("kode_desa")["posyandu_aktif"]
    assert dict(zip(frame["kode_desa"], frame["posyandu_aktif"], strict=True)) == engine.astype(int).to_dict()


# -- filters -----------------------------------------------------------------------------------------
def _largest_puskesmas(coverage: Coverage) -> str:
    counts = coverage.desa_table(MONTH)["kode_puskesmas"].dropna().astype(str).value_counts()
    return str(counts.index[0])


def test_kecamatan_filter_changes_the_feature_count(
    tasikmalaya_store_path: Path, export_dir: Path, coverage: Coverage
) -> None:
    _needs_renderer("geojson")
    table = coverage.desa_table(MONTH)
    kecamatan = sorted(table["kode_kecamatan"].astype(str).unique())[:2]
    expected = select_desa(table, kecamatan=kecamatan)
    out = _export(tasikmalaya_store_path, export_dir / "dua_kecamatan.geojson", "geojson", "--kecamatan", *kecamatan)
    frame = pyogrio.read_dataframe(out)
    assert 0 < len(frame) < 351
    assert sorted(frame["kode_desa"]) == sorted(expected)
    assert set(frame["kode_kecamatan"]) == set(kecamatan)


def test_puskesmas_filter_is_its_working_area(
    tasikmalaya_store_path: Path, export_dir: Path, coverage: Coverage
) -> None:
    _needs_renderer("gpkg")
    _needs_renderer("xlsx")
    kode = _largest_puskesmas(coverage)
    table = coverage.desa_table(MONTH)
    expected = select_desa(table, puskesmas=kode)
    out = _export(tasikmalaya_store_path, export_dir / "puskesmas.gpkg", "gpkg", "--puskesmas", kode)
    frame = pyogrio.read_dataframe(out)
    assert sorted(frame["kode_desa"]) == sorted(expected)
    assert set(frame["kode_puskesmas"]) == {kode}

    book = _export(tasikmalaya_store_path, export_dir / "puskesmas.xlsx", "xlsx", "--puskesmas", kode)
    names, _ = _sheet_rows(book)
    nama = str(table.loc[table["kode_puskesmas"].astype(str) == kode, "puskesmas"].iloc[0])
    assert len(names) == 2 and names[1].startswith(nama[:25])  # the summary and this puskesmas's sheet


def test_puskesmas_head_pdf_covers_the_working_area(
    tasikmalaya_store_path: Path, export_dir: Path, coverage: Coverage
) -> None:
    from pypdf import PdfReader

    _needs_renderer("pdf")
    kode = _largest_puskesmas(coverage)
    table = coverage.desa_table(MONTH)
    served = table[table["kode_puskesmas"].astype(str) == kode]
    nama = str(served["puskesmas"].iloc[0])
    out = _export(tasikmalaya_store_path, export_dir / f"puskesmas_{kode}_{MONTH}.pdf", "pdf", "--puskesmas", kode)
    shutil.copy2(out, ARTIFACTS / out.name)
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert f"{nama} · Oktober 2026" in first  # the area line names the puskesmas, not the kabupaten
    assert "Kabupaten Tasikmalaya ·" not in first
    assert f"Jumlah: {len(served)} desa" in first
    counted = {label: int(n) for label, n in _legend_counts(first).items()}
    expected = served["status"].astype(str).value_counts()
    assert counted == {status_label(s, lang="id"): int(n) for s, n in expected.items()}


def _legend_counts(text: str) -> dict[str, str]:
    """Legend lines "Lengkap (12 desa)" of a page's text -> {label: count}."""
    import re

    from geo.engine import STATUSES

    labels = "|".join(re.escape(status_label(s, lang="id")) for s in STATUSES)
    return dict(re.findall(rf"({labels}) \((\d+) desa\)", text))


def test_export_month_defaults_to_the_latest(tasikmalaya_store_path: Path, export_dir: Path) -> None:
    _needs_renderer("geojson")
    out = export_dir / "bawaan.geojson"
    result = run_cli("export", "--format", "geojson", "--store", str(tasikmalaya_store_path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Bulan: 2026-10 (bulan laporan terakhir).\n")
    assert set(pyogrio.read_dataframe(out)["bulan"]) == {"2026-10"}


# -- refusals (small demo store) ---------------------------------------------------------------------
@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    path = tmp_path / "demo.gpkg"
    shutil.copy2(PROJECT_DIR / "data" / "demo.gpkg", path)
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kecamatan", "99.01.01", "32.06.99"],
            "Galat: Kecamatan 32.06.99 tidak ada di data. "
            "Lihat kode kecamatan yang ada dengan: python cli.py summary --by kecamatan.",
        ),
        (
            ["--puskesmas", "P0000000000"],
            "Galat: Puskesmas P0000000000 tidak ada di data (wilayah kerja). "
            "Lihat kode puskesmas yang ada dengan: python cli.py summary --by puskesmas.",
        ),
        (
            ["--month", "2030-01"],
            "Galat: Bulan 2030-01 di luar rentang laporan: 2025-01 sampai 2026-10. "
            "Pilih bulan dalam rentang itu (bawaan: bulan terakhir, 2026-10).",
        ),
    ],
)
def test_refusals_write_nothing(demo_store: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "hasil.xlsx"
    result = run_cli("export", "--format", "xlsx", "--store", str(demo_store), "--out", str(out), *args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.gpkg"]


def test_out_folder_must_exist(demo_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "tidak_ada" / "peta.png"
    result = run_cli("export", "--format", "png", "--store", str(demo_store), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr == (
        f"Galat: Folder {out.parent} untuk --out {out} tidak ada. Buat foldernya dulu atau pilih berkas lain.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.gpkg"]


def test_failed_render_keeps_the_old_file(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "laporan.xlsx"
    out.write_bytes(b"ekspor sebelumnya")

    def broken(request: exports.ExportRequest, code: str) -> bytes:
        raise InputError("Peta tidak dapat digambar.")

    monkeypatch.setattr(exports, "render", broken)
    assert cli.main(["export", "--format", "xlsx", "--store", str(demo_store), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "Galat: Peta tidak dapat digambar."
    assert out.read_bytes() == b"ekspor sebelumnya"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.gpkg", "laporan.xlsx"]


def test_export_overwrites_atomically(demo_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _needs_renderer("xlsx")
    out = tmp_path / "laporan.xlsx"
    out.write_bytes(b"ekspor sebelumnya")
    assert cli.main(["export", "--format", "xlsx", "--store", str(demo_store), "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"  # a zip: the new workbook
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.gpkg", "laporan.xlsx"]
    err = capsys.readouterr().err
    assert "Ekspor xlsx (Kabupaten Contoh (sintetis), 2026-10, 200 desa)" in err


def test_export_request_of_the_filters(demo_store: Path) -> None:
    args = cli.build_parser().parse_args(
        ["export", "--format", "pdf", "--out", "x.pdf", "--store", str(demo_store), "--puskesmas", "P9901010101"]
    )
    cov = cli.load_coverage(args)
    request = cli.export_request(cov, args, month="2026-10")
    expected = select_desa(cov.desa_table("2026-10"), puskesmas="P9901010101")
    assert request.kode_desa == expected and len(expected) > 0
    assert request.kode_puskesmas == "P9901010101"
    assert request.area.startswith("Puskesmas ")
    assert request.data_version == t("data.demo", lang="id")
    assert request.month == "2026-10" and request.lang == "id"
