"""The Data page end to end (AppTest): templates, import (bad file, mapping, commit), restore, quality, rules."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from cli_support import store_state
from page_support import DATA_PAGE, DEMO, assert_no_exception, coverage_of, run_page, texts, tiny_store

import ui.data
from geo.engine import Coverage
from geo.rules import Rules
from loaders.dataset import read_dataset
from loaders.exceptions import InputError
from loaders.import_report import ImportReport, RowIssue
from loaders.store import Store, file_sha256
from loaders.tables import ROW_COLUMN
from loaders.templates import TEMPLATE_KINDS, boundary_example_geojson, template_bytes, template_filename
from ui import column_mapping as cm
from ui import report_book
from ui.fmt import fmt_int, fmt_pct
from ui.history import log_view
from ui.i18n import t
from ui.quality_table import filter_findings
from ui.rules_form import changed_rules, rule_caption, rule_label, rule_value_text, rules_from_values
from ui.upload import issue_rows, issues_table, safe_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_CSV = b"\x00\x01\x02\xff\xfe garbage \x00" * 40
# Monthly reports for the tiny store, with headers the detector does not know.
ODD_REPORTS = b"Nomor Posyandu;Periode Laporan;Hadir Kegiatan;Balita\nPSY-B1;2026-11;ya;12\nPSY-B2;2026-11;ya;7\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Saved uploads (``ui.upload`` uses ``tempfile.mkdtemp``) go under the test's tmp_path."""
    folder = tmp_path / "unggahan"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def _upload(at, name: str, content: bytes, mime: str = "application/octet-stream") -> None:
    at.file_uploader[0].set_value((name, content, mime)).run()
    assert_no_exception(at)


def _kind(at, kind: str) -> None:
    at.segmented_control(key="ilp_w_impor_jenis").set_value(kind).run()


def _number(at, label: str):
    return next(n for n in at.main.number_input if n.label == label)


def _save(at) -> None:
    at.button(key="ilp_imp_simpan").click().run()
    assert_no_exception(at)


def test_demo_explains_where_the_store_will_be(app_on_demo: Path) -> None:
    at = run_page(DATA_PAGE)
    assert t("dataimp.demo", path=str(app_on_demo)) in texts(at.main.info)
    assert t("riwayat.kosong", path=str(app_on_demo)) in texts(at.main.info)
    assert not app_on_demo.exists()


def test_templates_download_for_every_kind(app_on_demo: Path) -> None:
    at = run_page(DATA_PAGE)
    labels = [b.label for b in at.main.download_button]
    for kind in TEMPLATE_KINDS:
        assert t("templat.unduh", berkas=template_filename(kind)) in labels
        assert at.download_button(key=f"ilp_templat_{kind}").label.endswith(".xlsx")
    assert t("templat.unduh", berkas="contoh_batas_desa.geojson") in labels


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("reports", "bukan tabel teks (CSV) maupun XLSX: isinya biner atau rusak"),
        ("facilities", "bukan tabel teks (CSV) maupun XLSX: isinya biner atau rusak"),
        ("working-areas", "bukan tabel teks (CSV) maupun XLSX: isinya biner atau rusak"),
        ("boundaries", "tidak dikenali sebagai batas desa. Format yang diterima: GeoJSON"),
    ],
)
def test_bad_file_shows_indonesian_error_and_store_is_untouched(
    kind: str, reason: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_buttons: None
) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    before = file_sha256(store.path)
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DATA_PAGE)
    _kind(at, kind)
    _upload(at, "rusak.csv", BAD_CSV, "text/csv")
    errors = texts(at.main.error)
    assert errors.startswith("Berkas tidak dapat diimpor: ")
    assert "rusak.csv" in errors and reason in errors
    assert t("impor.tidak_ditulis") in texts(at.main.caption)
    assert not [b for b in at.main.button if b.key == "ilp_imp_simpan"]
    assert file_sha256(store.path) == before
    assert store.version() == 1


def test_good_file_commit_creates_a_version_then_restore(app_on_demo: Path, app_buttons: None) -> None:
    store = Store(app_on_demo)
    at = run_page(DATA_PAGE)
    _upload(at, "contoh_batas_desa.geojson", boundary_example_geojson(), "application/geo+json")
    assert texts(at.main.metric) == "1\n1\n0\n0"  # read, accepted, repaired, rejected
    assert not store.exists()  # nothing written before "Simpan"
    _save(at)
    assert store.version() == 1
    assert t("impor.sukses", versi=1, diterima="1", berkas="contoh_batas_desa.geojson") in texts(at.main.success)
    log = store.read_log()
    assert log["jenis_impor"].tolist() == ["batas"] and log["berkas"].tolist() == ["contoh_batas_desa.geojson"]
    assert t("dataimp.store", path=str(app_on_demo), versi="1") in texts(at.main.caption)  # no longer the demo

    _kind(at, "facilities")
    _upload(at, template_filename("facilities"), template_bytes("facilities"), XLSX)
    assert t("impor.efek.facilities", sesudah="3", sebelum="0") in texts(at.main.caption)
    _save(at)
    assert store.version() == 2 and len(store.read_fasilitas()) == 3

    at.selectbox(key="ilp_restore_versi").set_value(1).run()
    restore = at.button(key="ilp_restore")
    assert restore.disabled  # confirmation first
    at.checkbox(key="ilp_restore_yakin").check().run()
    at.button(key="ilp_restore").click().run()
    assert_no_exception(at)
    assert store.version() == 3
    assert store.read_log()["jenis_impor"].tolist() == ["batas", "fasilitas", "pulihkan"]
    assert store.read_fasilitas().empty and len(store.read_desa()) == 1
    assert t("riwayat.sukses", versi=1, baru=3) in texts(at.main.success)


def test_wrong_headers_are_corrected_in_the_mapping_form(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_buttons: None
) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    before = file_sha256(store.path)
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DATA_PAGE)
    _kind(at, "reports")
    _upload(at, "laporan_november.csv", ODD_REPORTS, "text/csv")
    assert "Kolom wajib tidak ditemukan" in texts(at.main.error)
    assert t("peta_kolom.wajib_kurang", daftar="Kode Posyandu, Bulan, Buka") in texts(at.main.warning)
    form = "ilp_imp_map_"
    boxes = {s.label: s for s in at.main.selectbox if (s.key or "").startswith(form)}
    assert set(boxes) == {"Nomor Posyandu", "Periode Laporan", "Hadir Kegiatan", "Balita"}
    assert boxes["Balita"].value == "balita" and boxes["Nomor Posyandu"].value == ""
    boxes["Nomor Posyandu"].set_value("kode_posyandu")
    boxes["Periode Laporan"].set_value("bulan")
    boxes["Hadir Kegiatan"].set_value("buka")
    next(b for b in at.main.button if (b.key or "").startswith("FormSubmitter:" + form)).click().run()
    assert_no_exception(at)
    assert not at.main.error
    assert texts(at.main.metric).split("\n")[:2] == ["2", "2"]
    assert file_sha256(store.path) == before  # still nothing written
    _save(at)
    assert store.version() == 2
    laporan = store.read_laporan()
    november = laporan[laporan["bulan"] == "2026-11"].sort_values("kode_posyandu")
    assert november["kode_posyandu"].tolist() == ["PSY-B1", "PSY-B2"]
    assert november["balita"].tolist() == [12, 7] and november["buka"].all()


def test_quality_table_filters_and_downloads(app_on_demo: Path) -> None:
    cov = coverage_of(DEMO)
    findings = cov.quality(cov.latest_month)
    at = run_page(DATA_PAGE)
    table = next(f.value for f in at.main.dataframe if "Temuan" in f.value.columns)
    assert len(table) == len(findings)
    at.multiselect(key="ilp_q_tingkat").set_value(["sedang"]).run()
    table = next(f.value for f in at.main.dataframe if "Temuan" in f.value.columns)
    assert len(table) == len(filter_findings(findings, tingkat=["sedang"])) == (findings["tingkat"] == "sedang").sum()
    assert set(table["Tingkat"]) == {"Sedang"}
    assert at.download_button(key="ilp_q_csv").label == "Unduh CSV"
    assert at.download_button(key="ilp_q_xlsx").label == "Unduh XLSX"


def test_rules_apply_to_every_page(app_on_demo: Path, app_buttons: None) -> None:
    at = run_page(DATA_PAGE)
    labels = {n.label for n in at.main.number_input}
    assert {"Minimal bulan buka", "Jendela (bulan)", "Jarak maksimum ke pustu (km)"} <= labels
    assert "RPJMN 2020-2024: 10 bulan dalam setahun." in texts(at.main.caption)
    _number(at, "Minimal bulan buka").set_value(6)
    next(b for b in at.main.button if (b.key or "").startswith("FormSubmitter:ilp_rules_form")).click().run()
    assert_no_exception(at)
    assert at.session_state["ilp_rules"] == {"posyandu_min_bulan": 6}
    assert at.query_params["min_bulan"] == "6"  # a shared link carries the rule
    assert t("aturan.diterapkan") in texts(at.main.success)
    at.switch_page("pages/ringkasan.py").run()
    strict = Coverage(read_dataset(Store(DEMO)), rules=Rules(posyandu_min_bulan=6))
    row = strict.indicators(strict.latest_month, by="kabupaten").iloc[0]
    cards = {m.label: m.value for m in at.main.metric}
    assert cards["Posyandu aktif"] == fmt_pct(row["pct_posyandu_aktif"])
    assert cards["Jumlah desa"] == fmt_int(row["desa"])


def test_invalid_rules_are_refused(app_on_demo: Path, app_buttons: None) -> None:
    at = run_page(DATA_PAGE)
    _number(at, "Minimal bulan buka").set_value(12)
    _number(at, "Jendela (bulan)").set_value(6)  # window shorter than the minimum
    next(b for b in at.main.button if (b.key or "").startswith("FormSubmitter:ilp_rules_form")).click().run()
    assert "Aturan tidak diterapkan: Minimal bulan buka posyandu (12)" in texts(at.main.error)
    assert "ilp_rules" not in at.session_state or not at.session_state["ilp_rules"]


def test_english_interface(app_on_demo: Path) -> None:
    at = run_page(DATA_PAGE, {"lang": "en"})
    tabs = ["Import data", "Version history", "Templates", "Data quality", "Rules", "Targets"]
    assert [tab.label for tab in at.main.tabs] == tabs
    assert "Minimum months open" in [n.label for n in at.main.number_input]


def test_tasikmalaya_quality_table(app_on_tasikmalaya: Path) -> None:
    cov = coverage_of(app_on_tasikmalaya)
    at = run_page(DATA_PAGE)
    table = next(f.value for f in at.main.dataframe if "Temuan" in f.value.columns)
    assert len(table) == len(cov.quality(cov.latest_month))
    assert "Berhenti melapor" in set(table["Temuan"])
    log = next(f.value for f in at.main.dataframe if "Baris dibaca" in f.value.columns)
    assert log["Versi"].tolist() == [4, 3, 2, 1]


def test_tasikmalaya_copy_takes_the_writes(tasikmalaya_copy: Path, tasikmalaya_store_path: Path) -> None:
    """A test that writes gets its own copy (file and snapshots); the session's store stays as built."""
    shared = Store(tasikmalaya_store_path)
    before = store_state(shared)
    copy = Store(tasikmalaya_copy)
    assert copy.snapshot_versions() == shared.snapshot_versions() == [1, 2, 3, 4]
    assert copy.restore(1) == 5
    assert len(copy.read_fasilitas()) == 0 and len(copy.read_desa()) == len(shared.read_desa())
    assert store_state(shared) == before


# -- pure helpers of the Data page ------------------------------------------------------------------------
def _frames(columns_by_sheet: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    return {
        name: pd.DataFrame({**dict.fromkeys(cols, ["x"]), ROW_COLUMN: [2]}) for name, cols in columns_by_sheet.items()
    }


def test_sheet_mappings_follow_the_importers() -> None:
    frames = _frames({"Posyandu": ["Kode Posyandu", "Nama", "Desa"], "Lain": ["Foo", "Bar"]})
    sheets = cm.sheet_mappings(frames, kind="facilities", jenis=None, overrides={})
    assert [(s.sheet, s.target) for s in sheets] == [("Posyandu", "posyandu"), ("Lain", None)]
    assert sheets[0].mapping == {"Kode Posyandu": "kode", "Nama": "nama", "Desa": "nama_desa"}
    assert sheets[0].missing() == []
    typed = cm.sheet_mappings(frames, kind="facilities", jenis="pustu", overrides={})
    assert typed[1].target == "pustu" and typed[1].missing() == ["Nama Pustu"]
    reports = cm.sheet_mappings(_frames({"r": ["No", "Periode", "Buka"]}), kind="reports", jenis=None, overrides={})
    assert reports[0].missing() == ["Kode Posyandu"]


def test_overrides_from_choices() -> None:
    frames = _frames({"laporan": ["Nomor", "Periode Laporan", "Tgl", "Buka"]})
    sheets = cm.sheet_mappings(frames, kind="reports", jenis=None, overrides={})
    assert sheets[0].mapping == {"Buka": "buka"}
    choices = {
        ("laporan", "Nomor"): "kode_posyandu",
        ("laporan", "Periode Laporan"): "bulan",
        ("laporan", "Buka"): "buka",
    }
    result = cm.overrides_from_choices(sheets, choices)
    assert result.overrides == {"Nomor": "kode_posyandu", "Periode Laporan": "bulan"}  # "Buka" was detected already
    assert result.problems == () and result.kept == ()
    again = cm.sheet_mappings(frames, kind="reports", jenis=None, overrides=result.overrides)
    assert again[0].mapping == {"Nomor": "kode_posyandu", "Periode Laporan": "bulan", "Buka": "buka"}
    assert again[0].missing() == []
    twice = cm.overrides_from_choices(sheets, {("laporan", "Nomor"): "bulan", ("laporan", "Tgl"): "bulan"})
    assert twice.problems == (t("peta_kolom.ganda", field="Bulan", a="Nomor", b="Tgl", sheet="laporan"),)
    off = cm.overrides_from_choices(sheets, {("laporan", "Buka"): ""})
    assert off.overrides == {} and off.kept == ("Buka",)


def test_upload_helpers() -> None:
    assert safe_name("C:\\Users\\dinkes\\Data Posyandu.xlsx") == "Data Posyandu.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..") == "berkas" and safe_name("") == "berkas"
    report = ImportReport(
        jenis_impor="laporan",
        berkas="x.csv",
        sha256="0",
        baris_dibaca=3,
        diterima=2,
        masalah=(RowIssue("ditolak", "bulan_tidak_sah", "Bulan kosong", 4, "Bulan", "PSY-1"),),
    )
    table = issues_table(report)
    assert list(table.columns) == ["Baris", "Kolom", "Tindakan", "Masalah", "Kode/subjek", "Alasan"]
    assert table.iloc[0].tolist() == ["4", "Bulan", "Ditolak", "Bulan tidak sah", "PSY-1", "Bulan kosong"]
    # the list of problem rows downloads with the same headers and labels (all rows, not only those shown)
    csv = report_book.table_csv(issue_rows(report), lang="id").decode("utf-8-sig").splitlines()
    assert csv == [
        "Baris;Kolom;Tindakan;Masalah;Kode/subjek;Alasan",
        "4;Bulan;Ditolak;Bulan tidak sah;PSY-1;Bulan kosong",
    ]


def test_history_and_rules_helpers() -> None:
    log = pd.DataFrame(
        {"versi": [1, 2], "waktu": ["2026-11-22T08:30:05+00:00", "rusak"], "jenis_impor": ["batas", "pulihkan"]}
    )
    view = log_view(log)
    assert view["versi"].tolist() == [2, 1]
    assert view["waktu"].tolist() == ["rusak", "2026-11-22 08:30 UTC"]
    assert view["jenis_impor"].tolist() == ["Pemulihan", "Batas desa"]
    assert changed_rules(Rules(jarak_maks_pustu_km=3.0, puskesmas_sebagai_pustu=True)) == [
        "puskesmas_sebagai_pustu",
        "jarak_maks_pustu_km",
    ]
    assert rules_from_values({"posyandu_min_bulan": 8}) == Rules(posyandu_min_bulan=8)
    with pytest.raises(InputError, match="Jendela posyandu aktif harus 1 sampai 36 bulan"):
        rules_from_values({"posyandu_jendela_bulan": 40})
    assert rule_label("jarak_maks_pustu_km", lang="en") == "Maximum distance to a pustu (km)"


@pytest.mark.parametrize(
    ("name", "ending"),
    [
        ("posyandu_jendela_bulan", "status aktif posyandu. Bawaan: 12."),
        ("jarak_maks_pustu_km", "ditandai jauh. Bawaan: 5,0."),
        ("puskesmas_sebagai_pustu", "terlayani pustu. Bawaan: tidak."),  # the help says it: not repeated
        ("duplikat_radius_m", "dianggap duplikat. Bawaan: 50."),  # whole metres, as the input shows them
    ],
)
def test_rule_caption_states_the_default_once(name: str, ending: str) -> None:
    caption = rule_caption(name)
    assert caption.count("Bawaan:") == 1
    assert caption.endswith(ending)


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("duplikat_radius_m", 50.0, "50"),
        ("duplikat_radius_m", 125.5, "125,5"),
        ("jarak_maks_pustu_km", 5.0, "5,0"),
        ("jarak_maks_pustu_km", 2.25, "2,2"),
        ("posyandu_min_bulan", 9, "9"),
        ("puskesmas_sebagai_pustu", True, "Ya"),
    ],
)
def test_rule_value_text(name: str, value: object, text: str) -> None:
    assert rule_value_text(name, value) == text


def test_no_data_at_all_still_imports(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_buttons: None) -> None:
    target = tmp_path / "a" / "ilp.gpkg"
    monkeypatch.setenv("ILP_STORE", str(target))
    monkeypatch.setattr(ui.data, "DEMO_STORE", tmp_path / "b" / "demo.gpkg")
    at = run_page(DATA_PAGE)
    assert t("dataimp.kosong", path=str(target)) in texts(at.main.info)
    assert t("kualitas.no_data") in texts(at.main.info)
    _upload(at, "contoh_batas_desa.geojson", boundary_example_geojson(), "application/geo+json")
    _save(at)
    assert Store(target).version() == 1
    assert t("dataimp.store", path=str(target), versi="1") in texts(at.main.caption)


def test_save_after_another_write_is_refused_then_checked_again(app_on_demo: Path, app_buttons: None) -> None:
    """Two people on the Data page: the second save finds the data changed and shows a fresh preview first."""
    store = Store(app_on_demo)
    at = run_page(DATA_PAGE)
    _upload(at, "contoh_batas_desa.geojson", boundary_example_geojson(), "application/geo+json")
    _save(at)
    assert store.version() == 1
    _kind(at, "facilities")
    _upload(at, template_filename("facilities"), template_bytes("facilities"), XLSX)

    other = run_page(DATA_PAGE)  # another session saves the same kind of data first
    _kind(other, "facilities")
    _upload(other, template_filename("facilities"), template_bytes("facilities"), XLSX)
    _save(other)
    assert store.version() == 2

    _save(at)
    assert store.version() == 2  # refused: nothing written over the other session's change
    assert t("impor.berubah") in texts(at.main.warning)
    assert "Data berubah sejak pratinjau" in texts(at.main.warning)
    _save(at)  # the preview was made again against version 2: saving now is safe
    assert store.version() == 3
    assert store.read_log()["jenis_impor"].tolist() == ["batas", "fasilitas", "fasilitas"]
