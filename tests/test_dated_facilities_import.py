"""Dated facility status on the loaders side: date columns, snapshots (``--per``) and the history layer.

The two Tasikmalaya snapshots are derived at test time from the synthetic pustu sheet of
``../shared/data/fasilitas/fasilitas_32.06.xlsx`` (157 pustu, 149 aktif): the 2025-06 list has
20 of the active pustu 'Tidak aktif', the 2026-06 list is the sheet as it is (20 more active).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from cli_support import run_cli, store_state
from tabular_fixtures import DESA_32_05, DESA_32_06, desa_frame, issues_by, store_with_desa, write_text

from loaders import model
from loaders.dataset import Dataset, read_dataset
from loaders.exceptions import InputError
from loaders.facilities import current_month, month_words, prepare_facilities, snapshot_month
from loaders.importing import run_import
from loaders.prepared import commit_prepared
from loaders.store import Store

TASIKMALAYA = "32.06"
ACTIVE_2026 = 149  # Status Aktif in the shared sheet
ACTIVATED = 20  # pustu 'Tidak aktif' in 2025-06 that are active in 2026-06
PUSTU_TOTAL = 157
NEW_COLUMNS = ("per", "tanggal_aktif", "tanggal_nonaktif")


# -- fixtures -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tasik_base(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding only the Tasikmalaya desa (copied by every test that writes)."""
    store = Store(tmp_path_factory.mktemp("tasik_base") / "ilp.gpkg")
    run_import("boundaries", shared_data / "boundaries" / f"desa_{TASIKMALAYA}.geojson", store=store)
    return store.path


@pytest.fixture(scope="module")
def snapshots(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pustu list of 2025-06 (20 active pustu set 'Tidak aktif') and of 2026-06 (the sheet as is), as CSV."""
    sheet = pd.read_excel(shared_data / "fasilitas" / f"fasilitas_{TASIKMALAYA}.xlsx", sheet_name="Pustu", dtype=str)
    folder = tmp_path_factory.mktemp("snapshots")
    earlier = sheet.copy()
    active = earlier.index[earlier["Status"] == "Aktif"]
    earlier.loc[active[::7][:ACTIVATED], "Status"] = "Tidak aktif"
    assert (earlier["Status"] == "Aktif").sum() == ACTIVE_2026 - ACTIVATED
    files = {"2025-06": folder / "pustu_2025.csv", "2026-06": folder / "pustu_2026.csv"}
    earlier.to_csv(files["2025-06"], index=False)
    sheet.to_csv(files["2026-06"], index=False)
    return files


def _copy(base: Path, folder: Path) -> Store:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(base, folder / "ilp.gpkg")
    return Store(folder / "ilp.gpkg")


def _content(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both facility layers, sorted, without geometry (for comparing stores)."""

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        plain = pd.DataFrame(frame.drop(columns="geometry"))
        return plain.sort_values(["per", "id_fasilitas"]).reset_index(drop=True)

    return tidy(store.read_fasilitas()), tidy(store.read_layer(model.LAYER_RIWAYAT_FASILITAS))


def _active(frame: pd.DataFrame) -> int:
    return int((frame["status"] == model.AKTIF).sum())


# -- snapshots ----------------------------------------------------------------------------------------------
def test_two_snapshots_newer_second(tasik_base: Path, snapshots: dict[str, Path], tmp_path: Path) -> None:
    store = _copy(tasik_base, tmp_path / "a")
    first = run_import("facilities", snapshots["2025-06"], store=store, per="2025-06")
    second = run_import("facilities", snapshots["2026-06"], store=store, per="2026-06")
    assert (first.versi, second.versi) == (2, 3)  # one data version each
    assert first.diterima == second.diterima == PUSTU_TOTAL
    current, history = _content(store)
    assert len(current) == PUSTU_TOTAL and set(current["per"]) == {"2026-06"} and set(current["jenis"]) == {"pustu"}
    assert _active(current) == ACTIVE_2026
    assert len(history) == PUSTU_TOTAL and set(history["per"]) == {"2025-06"}
    assert _active(history) == ACTIVE_2026 - ACTIVATED
    assert sorted(current["id_fasilitas"]) == sorted(history["id_fasilitas"])  # the same pustu, two states
    log = store.read_log().set_index("versi")["keterangan"]
    assert "Data ini keadaan per Juni 2025 (2025-06)." in log[2]
    assert "Data ini keadaan per Juni 2026 (2026-06)." in log[3]
    assert f"{PUSTU_TOTAL} pustu sebelumnya (keadaan per Juni 2025) disimpan sebagai riwayat" in log[3]
    dataset = read_dataset(store)
    assert len(dataset.fasilitas) == len(dataset.riwayat_fasilitas) == PUSTU_TOTAL
    assert isinstance(dataset.riwayat_fasilitas, gpd.GeoDataFrame)
    assert dataset.riwayat_fasilitas.geometry.notna().sum() == PUSTU_TOTAL  # points kept in the history


def test_opposite_order_gives_the_same_store(tasik_base: Path, snapshots: dict[str, Path], tmp_path: Path) -> None:
    forward = _copy(tasik_base, tmp_path / "forward")
    run_import("facilities", snapshots["2025-06"], store=forward, per="2025-06")
    run_import("facilities", snapshots["2026-06"], store=forward, per="2026-06")
    backward = _copy(tasik_base, tmp_path / "backward")
    run_import("facilities", snapshots["2026-06"], store=backward, per="2026-06")
    current_before = _content(backward)[0]
    late = run_import("facilities", snapshots["2025-06"], store=backward, per="2025-06")
    assert (
        "Keadaan per Juni 2025 lebih lama dari data pustu sekarang (per Juni 2026): isi berkas disimpan sebagai "
        "riwayat; data pustu sekarang tidak berubah." in late.catatan
    )
    pd.testing.assert_frame_equal(_content(backward)[0], current_before)
    for got, expected in zip(_content(backward), _content(forward), strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_same_per_replaces(tasik_base: Path, snapshots: dict[str, Path], tmp_path: Path) -> None:
    store = _copy(tasik_base, tmp_path / "s")
    run_import("facilities", snapshots["2026-06"], store=store, per="2026-06")
    again = run_import("facilities", snapshots["2026-06"], store=store, per="2026-06")
    assert f"{PUSTU_TOTAL} fasilitas lama dengan jenis dan kabupaten yang sama diganti oleh isi berkas ini." in (
        again.catatan
    )
    current, history = _content(store)
    assert len(current) == PUSTU_TOTAL and history.empty
    # an older month imported twice: its history rows are replaced, not doubled
    run_import("facilities", snapshots["2025-06"], store=store, per="2025-06")
    twice = run_import("facilities", snapshots["2025-06"], store=store, per="2025-06")
    assert f"menggantikan {PUSTU_TOTAL} baris riwayat per bulan itu" in " ".join(twice.catatan)
    current, history = _content(store)
    assert len(current) == PUSTU_TOTAL and set(current["per"]) == {"2026-06"}
    assert len(history) == PUSTU_TOTAL and set(history["per"]) == {"2025-06"}
    assert _active(history) == ACTIVE_2026 - ACTIVATED


def test_other_kinds_and_history_untouched_by_a_snapshot(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg")
    posyandu = write_text(tmp_path / "posyandu.csv", "Kode Posyandu;Nama;Kode Desa\nPSY-1;Mawar;32.06.01.2001\n")
    commit_prepared(store, prepare_facilities(posyandu, store=store, per="2025-01"))
    old = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Tidak aktif\n")
    new = write_text(tmp_path / "pustu2.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Aktif\n")
    commit_prepared(store, prepare_facilities(old, store=store, per="2025-06"))
    commit_prepared(store, prepare_facilities(new, store=store, per="2025-09"))
    current = store.read_fasilitas().set_index("id_fasilitas")
    history = store.read_layer(model.LAYER_RIWAYAT_FASILITAS)
    assert current["per"].to_dict() == {"PSY-1": "2025-01", "PUSTU-32.06.01.2001-pustu-a": "2025-09"}
    assert current.loc["PUSTU-32.06.01.2001-pustu-a", "status"] == model.AKTIF
    assert history[["id_fasilitas", "per", "status"]].values.tolist() == [
        ["PUSTU-32.06.01.2001-pustu-a", "2025-06", "tidak aktif"]
    ]


# -- the month of an import ------------------------------------------------------------------------------------
def test_default_per_is_the_current_month(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg")
    path = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Aktif\n")
    report = run_import("facilities", path, store=store)
    today = dt.date.today()
    month = f"{today.year:04d}-{today.month:02d}"
    assert current_month() == month
    assert store.read_fasilitas()["per"].tolist() == [month]
    assert f"Data ini keadaan per {month_words(month)} ({month})." in report.catatan
    assert snapshot_month(None, today=dt.date(2026, 1, 31)) == "2026-01"
    assert month_words("2025-06") == "Juni 2025"


@pytest.mark.parametrize("bad", ["2030-13", "2030-00", "2030-6", "06-2030", "Juni 2030", "", "1800-01"])
def test_bad_per_is_refused(bad: str, tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg")
    path = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Aktif\n")
    with pytest.raises(InputError, match=rf"Bulan keadaan data \(--per\) '{bad}' tidak sah\. Tulis sebagai YYYY-MM"):
        prepare_facilities(path, store=store, per=bad)


def test_cli_per(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "store" / "ilp.gpkg")
    path = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Aktif\n")
    before = store_state(store)
    bad = run_cli("import", "facilities", str(path), "--per", "2030-13", "--store", str(store.path))
    assert bad.returncode == 2
    assert "Bulan keadaan data (--per) '2030-13' tidak sah. Tulis sebagai YYYY-MM, misalnya 2025-06" in bad.stderr
    assert store_state(store) == before
    wrong_kind = run_cli("import", "reports", str(path), "--per", "2025-06", "--store", str(store.path))
    assert wrong_kind.returncode == 2
    assert "Opsi --per tidak berlaku untuk impor laporan posyandu (reports)" in wrong_kind.stderr
    ok = run_cli("import", "facilities", str(path), "--type", "pustu", "--per", "2025-06", "--store", str(store.path))
    assert ok.returncode == 0, ok.stderr
    assert "catatan: Data ini keadaan per Juni 2025 (2025-06)." in ok.stdout
    assert store.read_fasilitas()["per"].tolist() == ["2025-06"]
    assert "keadaan per Juni 2025" in store.read_log()["keterangan"].iloc[-1]


# -- date columns -----------------------------------------------------------------------------------------------
DATES_CSV = """Nama Pustu;Kode Desa;Status;Tanggal Operasional;Tanggal Nonaktif
Pustu A;32.06.01.2001;Aktif;2025-06;
Pustu B;32.06.01.2001;Aktif;2025-06-15;2026-02-01
Pustu C;32.06.01.2002;Aktif;15/06/2025;03/2026
Pustu D;32.06.01.2002;Aktif;45823;
Pustu E;32.06.02.2001;Aktif;2025-06-15 08:30:00;Juli 2026
Pustu F;32.06.02.2001;Aktif;;
"""


def test_date_columns_from_csv_in_every_form(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg")
    prepared = prepare_facilities(write_text(tmp_path / "pustu.csv", DATES_CSV), store=store, per="2026-06")
    layer = prepared.layers[model.LAYER_FASILITAS].set_index("nama")
    assert layer["tanggal_aktif"].tolist() == ["2025-06"] * 5 + [pd.NA]
    assert layer["tanggal_nonaktif"].tolist() == [pd.NA, "2026-02", "2026-03", pd.NA, "2026-07", pd.NA]
    assert prepared.mapping == {
        "Nama Pustu": "nama",
        "Kode Desa": "kode_desa",
        "Status": "status",
        "Tanggal Operasional": "tanggal_aktif",
        "Tanggal Nonaktif": "tanggal_nonaktif",
    }
    assert prepared.report.ditolak == 0 and not issues_by(prepared.report, "tanggal_tidak_sah")


def test_date_columns_from_xlsx_in_every_form(tmp_path: Path) -> None:
    path = tmp_path / "fasilitas.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pustu"
    sheet.append(["Nama Pustu", "Kode Desa", "Status", "Mulai Aktif", "Tgl Tutup"])
    sheet.append(["Pustu A", "32.06.01.2001", "Aktif", dt.datetime(2025, 6, 15), None])  # date cell
    sheet.append(["Pustu B", "32.06.01.2001", "Aktif", dt.datetime(2025, 6, 15, 9, 45), dt.date(2026, 2, 1)])
    sheet.append(["Pustu C", "32.06.01.2002", "Aktif", 45823, "2026-03"])  # serial number, text month
    sheet.append(["Pustu D", "32.06.01.2002", "Aktif", "15/06/2025", "2026-04-30"])
    sheet.append(["Pustu E", "32.06.02.2001", "Aktif", "2025-06", None])
    book.save(path)
    store = store_with_desa(tmp_path / "s.gpkg")
    prepared = prepare_facilities(path, store=store, per="2026-06")
    layer = prepared.layers[model.LAYER_FASILITAS].set_index("nama")
    assert layer["tanggal_aktif"].tolist() == ["2025-06"] * 5
    assert layer["tanggal_nonaktif"].tolist() == [pd.NA, "2026-02", "2026-03", "2026-04", pd.NA]
    assert {"Mulai Aktif": "tanggal_aktif", "Tgl Tutup": "tanggal_nonaktif"}.items() <= prepared.mapping.items()


def test_bad_dates_and_reversed_dates(tmp_path: Path) -> None:
    text = (
        "Nama Pustu;Kode Desa;Status;Tanggal Aktif;Tanggal Tutup\n"
        "Pustu A;32.06.01.2001;Aktif;kemarin;\n"
        "Pustu B;32.06.01.2001;Aktif;2025-06;2025-13\n"
        "Pustu C;32.06.01.2002;Aktif;2025-06;2025-05-31\n"
        "Pustu D;32.06.01.2002;Aktif;2025-06;2025-06\n"
    )
    store = store_with_desa(tmp_path / "s.gpkg")
    prepared = prepare_facilities(write_text(tmp_path / "pustu_tanggal.csv", text), store=store, per="2026-06")
    report = prepared.report
    bad = [(i.baris, i.kolom, i.tindakan, i.alasan) for i in report.masalah if i.jenis == "tanggal_tidak_sah"]
    hint = "Tulis YYYY-MM (2025-06), tanggal (2025-06-15 atau 15/06/2025) atau sel tanggal Excel."
    assert bad == [
        (
            2,
            "Tanggal Aktif",
            "peringatan",
            f"Tanggal aktif 'kemarin' bukan tanggal atau bulan yang dikenali; dikosongkan (dianggap tidak diketahui). "
            f"{hint}",
        ),
        (
            3,
            "Tanggal Tutup",
            "peringatan",
            f"Tanggal nonaktif '2025-13' bukan tanggal atau bulan yang dikenali; dikosongkan (dianggap tidak "
            f"diketahui). {hint}",
        ),
    ]
    reversed_ = [(i.baris, i.kolom, i.tindakan, i.alasan) for i in report.masalah if i.jenis == "tanggal_terbalik"]
    assert reversed_ == [
        (
            4,
            "Tanggal Tutup",
            "ditolak",
            "Tanggal nonaktif 2025-05 lebih awal dari tanggal aktif 2025-06; baris ditolak. "
            "Perbaiki salah satu tanggal lalu impor lagi.",
        )
    ]
    assert (report.baris_dibaca, report.diterima, report.ditolak) == (4, 3, 1)
    layer = prepared.layers[model.LAYER_FASILITAS].set_index("nama")
    assert layer.index.tolist() == ["Pustu A", "Pustu B", "Pustu D"]
    assert pd.isna(layer.loc["Pustu A", "tanggal_aktif"]) and pd.isna(layer.loc["Pustu B", "tanggal_nonaktif"])
    assert (layer.loc["Pustu D", "tanggal_aktif"], layer.loc["Pustu D", "tanggal_nonaktif"]) == ("2025-06", "2025-06")
    text_report = report.to_text()
    assert "pustu_tanggal.csv" in text_report
    assert "[ditolak] baris 4, kolom 'Tanggal Tutup': Tanggal nonaktif 2025-05 lebih awal" in text_report


# -- stores written before the change -----------------------------------------------------------------------------
def _old_schema_store(path: Path) -> Store:
    """A store in the shape written before this change: fasilitas without the three columns, no history layer."""
    facilities = model.conform(
        gpd.GeoDataFrame(
            {
                "id_fasilitas": ["PUSTU-32.06.01.2001-pustu-lama", "PSY-1"],
                "jenis": ["pustu", "posyandu"],
                "kode": [None, "PSY-1"],
                "nama": ["Pustu Lama", "Mawar"],
                "kode_desa": ["32.06.01.2001", "32.06.01.2001"],
                "status": ["tidak aktif", "aktif"],
            },
            geometry=gpd.points_from_xy([108.05, 108.06], [-7.45, -7.46]),
            crs=model.CRS,
        ),
        model.LAYER_FASILITAS,
    ).drop(columns=list(NEW_COLUMNS))
    log = model.conform(
        pd.DataFrame({"versi": [1, 2], "waktu": ["2025-01-01T00:00:00Z"] * 2, "jenis_impor": ["batas", "fasilitas"]}),
        model.LAYER_LOG,
    )
    layers = {
        model.LAYER_DESA: desa_frame(DESA_32_06),
        model.LAYER_FASILITAS: facilities,
        model.LAYER_LAPORAN: model.empty(model.LAYER_LAPORAN),
        model.LAYER_WILAYAH_KERJA: model.empty(model.LAYER_WILAYAH_KERJA),
        model.LAYER_LOG: log,
        model.LAYER_CATATAN: model.empty(model.LAYER_CATATAN),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    for name, frame in layers.items():
        kwargs = {"geometry_type": "Point"} if name == model.LAYER_FASILITAS else {}
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", **kwargs)
    return Store(path)


def test_old_schema_store_opens_and_imports(tmp_path: Path) -> None:
    store = _old_schema_store(tmp_path / "lama" / "ilp.gpkg")
    assert model.LAYER_RIWAYAT_FASILITAS not in {name for name, _ in pyogrio.list_layers(store.path)}
    assert "per" not in pyogrio.read_info(store.path, layer=model.LAYER_FASILITAS)["fields"]
    dataset = read_dataset(store)
    assert dataset.riwayat_fasilitas.empty and list(dataset.riwayat_fasilitas.columns) == [
        *model.columns(model.LAYER_RIWAYAT_FASILITAS),
        "geometry",
    ]
    assert dataset.fasilitas[list(NEW_COLUMNS)].isna().all().all() and len(dataset.fasilitas) == 2
    assert store.version() == 2
    path = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu Baru;32.06.01.2002;Aktif\n")
    report = run_import("facilities", path, store=store, per="2026-06")
    assert report.versi == 3
    assert (
        "1 pustu sebelumnya (tanpa bulan keadaan) disimpan sebagai riwayat; isi berkas ini menjadi data sekarang."
        in (report.catatan)
    )
    assert model.LAYER_RIWAYAT_FASILITAS in {name for name, _ in pyogrio.list_layers(store.path)}
    current = store.read_fasilitas().set_index("id_fasilitas")
    assert current["per"].fillna("-").to_dict() == {"PSY-1": "-", "PUSTU-32.06.01.2002-pustu-baru": "2026-06"}
    history = store.read_layer(model.LAYER_RIWAYAT_FASILITAS)
    assert history["id_fasilitas"].tolist() == ["PUSTU-32.06.01.2001-pustu-lama"] and history["per"].isna().all()


def test_restore_brings_the_history_back(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg")
    old = write_text(tmp_path / "pustu.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Tidak aktif\n")
    new = write_text(tmp_path / "pustu2.csv", "Nama Pustu;Kode Desa;Status\nPustu A;32.06.01.2001;Aktif\n")
    run_import("facilities", old, store=store, per="2025-06")
    run_import("facilities", new, store=store, per="2026-06")
    assert len(store.read_layer(model.LAYER_RIWAYAT_FASILITAS)) == 1
    restored = store.restore(2)
    assert restored == 4
    assert store.read_layer(model.LAYER_RIWAYAT_FASILITAS).empty
    assert store.read_fasilitas()["per"].tolist() == ["2025-06"]
    store.restore(3)
    assert store.read_layer(model.LAYER_RIWAYAT_FASILITAS)["per"].tolist() == ["2025-06"]


def test_dataset_from_frames_takes_the_history() -> None:
    history = pd.DataFrame({"id_fasilitas": ["X"], "jenis": ["pustu"], "per": ["2025-06"]})
    dataset = Dataset.from_frames(desa=desa_frame(DESA_32_06), riwayat_fasilitas=history)
    assert dataset.riwayat_fasilitas["per"].tolist() == ["2025-06"]
    assert Dataset.from_frames(desa=desa_frame(DESA_32_06)).riwayat_fasilitas.empty


# -- the Data page's month field ----------------------------------------------------------------------------------
def test_data_page_month_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_buttons: None, _uploads_in_tmp_path: None
) -> None:
    from page_support import DATA_PAGE, assert_no_exception, run_page, texts, tiny_store

    from ui.i18n import t

    store = tiny_store(tmp_path / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DATA_PAGE)
    at.segmented_control(key="ilp_w_impor_jenis").set_value("facilities").run()
    content = b"Nama Pustu;Kode Desa;Status\nPustu A;99.01.01.2001;Aktif\n"
    at.file_uploader[0].set_value(("pustu.csv", content, "text/csv")).run()
    assert_no_exception(at)
    field = next(w for w in at.main.text_input if w.label == t("impor.per"))
    assert t("impor.per") == "Data ini keadaan per bulan (YYYY-MM)"
    assert field.value == current_month()
    field.set_value("2030-13").run()
    assert "'2030-13' tidak sah. Tulis sebagai YYYY-MM, misalnya 2025-06 untuk Juni 2025" in texts(at.main.error)
    next(w for w in at.main.text_input if w.label == t("impor.per")).set_value("2025-06").run()
    assert "Data ini keadaan per Juni 2025 (2025-06)." in texts(at.main.markdown)
    at.button(key="ilp_imp_simpan").click().run()
    assert_no_exception(at)
    assert store.read_fasilitas().query("jenis == 'pustu'")["per"].tolist() == ["2025-06"]
    assert "keadaan per Juni 2025" in store.read_log()["keterangan"].iloc[-1]


@pytest.fixture
def _uploads_in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Saved uploads (``ui.upload`` uses ``tempfile.mkdtemp``) go under the test's tmp_path."""
    import tempfile

    folder = tmp_path / "unggahan"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


# -- templates ----------------------------------------------------------------------------------------------------
def test_facility_templates_have_the_date_columns(tmp_path: Path) -> None:
    from loaders.templates import petunjuk_rows, template, template_bytes

    for sheet in template("facilities").sheets:
        headers = sheet.headers()
        assert headers[headers.index("Status") + 1 : headers.index("Status") + 3] == [
            "Tanggal Aktif",
            "Tanggal Nonaktif",
        ]
    notes = " ".join(template("facilities").notes)
    assert "Tanggal Aktif dan Tanggal Nonaktif (boleh kosong) ditulis YYYY-MM, misalnya 2025-06" in notes
    assert "--per YYYY-MM" in notes
    rows = [" ".join(str(c) for c in row) for row in petunjuk_rows("facilities")]
    assert any("Tanggal Aktif Tidak Bulan fasilitas mulai aktif: YYYY-MM (2025-06)" in row for row in rows)
    path = tmp_path / "templat_fasilitas.xlsx"
    path.write_bytes(template_bytes("facilities"))
    store = store_with_desa(tmp_path / "s.gpkg")
    layer = prepare_facilities(path, store=store, per="2026-01").layers[model.LAYER_FASILITAS].set_index("jenis")
    assert layer["tanggal_aktif"].to_dict() == {"puskesmas": "2015-01", "pustu": "2025-06", "posyandu": "2020-03"}
    assert layer["tanggal_nonaktif"].isna().all() and set(layer["per"]) == {"2026-01"}


def test_snapshots_per_kabupaten_in_a_two_district_store(tmp_path: Path) -> None:
    store = store_with_desa(tmp_path / "s.gpkg", DESA_32_06 + DESA_32_05)
    garut = write_text(tmp_path / "pustu_garut.csv", "Nama Pustu;Kode Desa;Status\nPustu G;32.05.01.1001;Aktif\n")
    tasik = "Nama Pustu;Kode Desa;Status\nPustu T;32.06.01.2001;{status}\n"
    run_import("facilities", garut, store=store, per="2026-01")
    run_import("facilities", write_text(tmp_path / "t1.csv", tasik.format(status="Aktif")), store=store, per="2025-06")
    older = run_import(
        "facilities", write_text(tmp_path / "t0.csv", tasik.format(status="Tidak aktif")), store=store, per="2025-03"
    )
    assert any(
        note.startswith("Keadaan per Maret 2025 lebih lama dari data pustu sekarang (per Juni 2025)")
        for note in older.catatan
    )
    current = store.read_fasilitas().set_index("id_fasilitas")
    assert current["per"].to_dict() == {
        "PUSTU-32.05.01.1001-pustu-g": "2026-01",
        "PUSTU-32.06.01.2001-pustu-t": "2025-06",
    }
    history = store.read_layer(model.LAYER_RIWAYAT_FASILITAS)
    assert history[["id_fasilitas", "per", "status"]].values.tolist() == [
        ["PUSTU-32.06.01.2001-pustu-t", "2025-03", "tidak aktif"]
    ]
