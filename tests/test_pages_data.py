"""The Data page end to end (AppTest): templates, import (bad file, mapping, commit), restore, quality, rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.engine import Coverage, Dataset
from geo.rules import Rules
from loaders.store import Store, file_sha256
from loaders.templates import TEMPLATE_KINDS, boundary_example_geojson, template_bytes, template_filename
from page_support import DATA_PAGE, DEMO, assert_no_exception, coverage_of, run_page, texts, tiny_store
from ui.fmt import fmt_int, fmt_pct
from ui.i18n import t
from ui.quality_view import filter_findings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_CSV = b"\x00\x01\x02\xff\xfe garbage \x00" * 40
# Monthly reports for the tiny store, with headers the detector does not know.
ODD_REPORTS = (
    "Nomor Posyandu;Periode Laporan;Hadir Kegiatan;Balita\n"
    "PSY-B1;2026-11;ya;12\n"
    "PSY-B2;2026-11;ya;7\n"
).encode()


def _upload(at, name: str, content: bytes, mime: str = "application/octet-stream") -> None:
    at.file_uploader[0].set_value((name, content, mime)).run()
    assert_no_exception(at)


def _kind(at, kind: str) -> None:
    at.segmented_control(key="ilp_w_impor_jenis").set_value(kind).run()


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


@pytest.mark.parametrize("kind", ["reports", "facilities", "boundaries"])
def test_bad_file_shows_indonesian_error_and_store_is_untouched(
    kind: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_buttons: None
) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    before = file_sha256(store.path)
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DATA_PAGE)
    _kind(at, kind)
    _upload(at, "rusak.csv", BAD_CSV, "text/csv")
    errors = texts(at.main.error)
    assert errors.startswith("Berkas tidak dapat diimpor: ")
    assert "rusak.csv" in errors
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
    labels = [n.label for n in at.main.number_input]
    assert labels[:2] == ["Minimal bulan buka", "Jendela (bulan)"]
    assert "RPJMN 2020-2024: 10 bulan dalam setahun." in texts(at.main.caption)
    at.main.number_input[0].set_value(6)
    next(b for b in at.main.button if (b.key or "").startswith("FormSubmitter:ilp_rules_form")).click().run()
    assert_no_exception(at)
    assert at.session_state["ilp_rules"]["posyandu_min_bulan"] == 6
    assert t("aturan.diterapkan") in texts(at.main.success)
    at.switch_page("pages/ringkasan.py").run()
    strict = Coverage(Dataset.from_store(Store(DEMO)), rules=Rules(posyandu_min_bulan=6))
    row = strict.indicators(strict.latest_month, by="kabupaten").iloc[0]
    cards = {m.label: m.value for m in at.main.metric}
    assert cards["Posyandu aktif"] == fmt_pct(row["pct_posyandu_aktif"])
    assert cards["Jumlah desa"] == fmt_int(row["desa"])


def test_invalid_rules_are_refused(app_on_demo: Path, app_buttons: None) -> None:
    at = run_page(DATA_PAGE)
    at.main.number_input[0].set_value(12)  # minimum months open
    at.main.number_input[1].set_value(6)  # window shorter than the minimum
    next(b for b in at.main.button if (b.key or "").startswith("FormSubmitter:ilp_rules_form")).click().run()
    assert "Aturan tidak diterapkan: Minimal bulan buka posyandu (12)" in texts(at.main.error)
    assert "ilp_rules" not in at.session_state or not at.session_state["ilp_rules"]


def test_english_interface(app_on_demo: Path) -> None:
    at = run_page(DATA_PAGE, {"lang": "en"})
    tabs = ["Import data", "Version history", "Templates", "Data quality", "Rules"]
    assert [tab.label for tab in at.main.tabs] == tabs
    assert "Minimum months open" in [n.label for n in at.main.number_input]


def test_tasikmalaya_quality_table(monkeypatch: pytest.MonkeyPatch, tasikmalaya_store_path: Path) -> None:
    monkeypatch.setenv("ILP_STORE", str(tasikmalaya_store_path))
    cov = coverage_of(tasikmalaya_store_path)
    at = run_page(DATA_PAGE)
    table = next(f.value for f in at.main.dataframe if "Temuan" in f.value.columns)
    assert len(table) == len(cov.quality(cov.latest_month))
    assert "Berhenti melapor" in set(table["Temuan"])
    log = next(f.value for f in at.main.dataframe if "Baris dibaca" in f.value.columns)
    assert log["Versi"].tolist() == [4, 3, 2, 1]
