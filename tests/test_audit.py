"""Who did it (issue 12, audit): the ``oleh`` column of the store's import log.

Every write path records it: the Data page (the signed-in username, or "lokal" without sign-in),
the CLI ("cli:<os user>"), restores, targets, and user changes (a "pengguna" row in the store
beside the users file). Old stores without the column open with it empty.
"""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from cli_support import run_cli
from page_support import DATA_PAGE, assert_no_exception, dataframe_with_column, run_page

from loaders import model, targets, users
from loaders.importing import prepare_import
from loaders.store import ChangeRecord, Store
from loaders.templates import boundary_example_geojson
from ui import history, targets_form, upload
from ui.access import LOCAL, Access

CLI_ACTOR = f"cli:{getpass.getuser()}"
ADMIN = Access("admin", "admin.dinas")


def _oleh(store: Store) -> list[object]:
    column = store.read_log()["oleh"]
    return [None if pd.isna(v) else v for v in column.tolist()]


def test_old_store_without_the_column_opens_with_it_empty(tmp_path: Path) -> None:
    store = Store(tmp_path / "lama.gpkg")
    store.commit(layers={}, record=ChangeRecord(jenis_impor="batas", berkas="lama.geojson"))
    with contextlib.closing(sqlite3.connect(store.path)) as con:
        con.execute(f'ALTER TABLE "{model.LAYER_LOG}" DROP COLUMN oleh')
        con.commit()
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{model.LAYER_LOG}")')]
    assert "oleh" not in columns
    log = store.read_log()
    assert list(log.columns) == list(model.SCHEMAS[model.LAYER_LOG]) and log["oleh"].isna().all()
    store.commit(layers={}, record=ChangeRecord(jenis_impor="fasilitas", oleh="admin.dinas"))
    assert _oleh(store) == [None, "admin.dinas"]


def test_page_writes_record_the_signed_in_user(small_store: Store, tmp_path: Path) -> None:
    source = tmp_path / "batas.geojson"
    source.write_bytes(boundary_example_geojson())
    prepared = prepare_import("boundaries", source, store=small_store)
    upload.commit_as(ADMIN, small_store, prepared)
    history.restore_as(ADMIN, small_store, 2)
    table = targets.targets_frame([targets.parse_target(indikator="pct_desa_pustu_aktif", nilai=80, bulan="2026-12")])
    targets_form.save_as(LOCAL, small_store, table, base_version=small_store.version())
    log = small_store.read_log()
    assert log["jenis_impor"].tolist()[-3:] == ["batas", "pulihkan", "target"]
    assert _oleh(small_store)[-3:] == ["admin.dinas", "admin.dinas", "lokal"]


def test_cli_writes_record_the_os_user(small_store: Store) -> None:
    path = str(small_store.path)
    assert run_cli("restore", "1", "--store", path).returncode == 0
    done = run_cli(
        "targets", "set", "--indikator", "pct_desa_pustu_aktif", "--nilai", "80", "--bulan", "2026-12", "--store", path
    )
    assert done.returncode == 0, done.stderr
    assert (
        run_cli(
            "targets", "remove", "--indikator", "pct_desa_pustu_aktif", "--bulan", "2026-12", "--store", path
        ).returncode
        == 0
    )
    assert small_store.read_log()["jenis_impor"].tolist()[-3:] == ["pulihkan", "target", "target"]
    assert _oleh(small_store)[-3:] == [CLI_ACTOR] * 3
    versions = run_cli("versions", "--store", path)
    header = versions.stdout.splitlines()[0].split()
    assert header[-1] == "oleh" and versions.stdout.splitlines()[-1].split()[-1] == CLI_ACTOR


def test_cli_import_records_the_os_user(tmp_path: Path) -> None:
    source = tmp_path / "batas.geojson"
    source.write_bytes(boundary_example_geojson())
    store = Store(tmp_path / "ilp.gpkg")
    result = run_cli("import", "boundaries", str(source), "--store", str(store.path))
    assert result.returncode == 0, result.stderr
    assert _oleh(store) == [CLI_ACTOR]


def test_user_changes_are_logged_in_the_store_beside_the_users_file(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(users.ENV_USERS, raising=False)
    version = small_store.version()
    desa_before = small_store.read_desa()
    added = run_cli(
        "users",
        "add",
        "sso",
        "--peran",
        "dinas",
        "--email",
        "sso@contoh.id",
        "--tanpa-sandi",
        "--store",
        str(small_store.path),
    )
    assert added.returncode == 0, added.stderr
    assert f"Dicatat di log penyimpanan {small_store.path} sebagai versi data {version + 1}." in added.stdout
    row = small_store.read_log().iloc[-1]
    assert (row["jenis_impor"], row["oleh"]) == ("pengguna", CLI_ACTOR)
    assert row["keterangan"] == "Pengguna sso ditambahkan (peran dinas, masuk dengan OpenID Connect)."
    assert small_store.read_desa().equals(desa_before)  # the data layers are not touched
    assert run_cli("users", "remove", "sso", "--store", str(small_store.path)).returncode == 0
    assert small_store.read_log()["keterangan"].iloc[-1] == "Pengguna sso dihapus (peran dinas)."


def test_user_changes_without_a_store_beside_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(users.ENV_USERS, str(tmp_path / "lain" / "pengguna.json"))
    store = tmp_path / "ilp.gpkg"
    result = run_cli(
        "users", "add", "sso", "--peran", "dinas", "--email", "a@contoh.id", "--tanpa-sandi", "--store", str(store)
    )
    assert result.returncode == 0, result.stderr
    assert "tidak ada penyimpanan di samping berkas pengguna, jadi perubahan ini tidak dicatat di log" in result.stdout
    assert not store.exists()  # no store is created just to hold the log


def test_data_page_history_shows_oleh(app_on_demo: Path, app_buttons: None) -> None:
    store = Store(app_on_demo)
    store.commit(layers={}, record=ChangeRecord(jenis_impor="batas", berkas="a.geojson", oleh="admin.dinas"))
    store.commit(
        layers={}, record=ChangeRecord(jenis_impor="pengguna", keterangan="Pengguna x dihapus.", oleh=CLI_ACTOR)
    )
    at = run_page(DATA_PAGE)
    assert_no_exception(at)
    table = dataframe_with_column(at, "Oleh")
    assert table["Oleh"].tolist() == [CLI_ACTOR, "admin.dinas"]  # newest first
    at.checkbox(key="ilp_restore_yakin").check().run()
    at.button(key="ilp_restore").click().run()
    assert_no_exception(at)
    assert _oleh(store)[-1] == "lokal"  # local mode: no sign-in
