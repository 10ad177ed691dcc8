"""loaders/users.py and ``python cli.py users``: the users file (hashes only, validated, bounded, atomic)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import bcrypt
import pytest
from cli_support import PROJECT_DIR, run_cli, store_state

from loaders import users
from loaders.demo import write_demo
from loaders.exceptions import InputError
from loaders.limits import MAX_PASSWORD_BYTES, MAX_USERS_FILE_BYTES, MIN_PASSWORD_CHARS
from loaders.store import Store

PASSWORD = "Sandi-Rahasia-2026"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "ilp.gpkg"
    write_demo(Store(path))
    return path


@pytest.fixture
def store_copy(demo_store: Path, tmp_path: Path) -> Path:
    """A demo store of its own (the users file is written beside it)."""
    target = tmp_path / "ilp.gpkg"
    target.write_bytes(demo_store.read_bytes())
    shutil.copytree(Store(demo_store).snapshot_dir, Store(target).snapshot_dir)
    return target


def _puskesmas(store: Path) -> str:
    codes = users.known_codes(Store(store))
    assert codes is not None
    return sorted(codes.puskesmas)[0]


# -- the file ------------------------------------------------------------------------------------------
def test_users_file_lives_beside_the_store_unless_ilp_users_says(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(users.ENV_USERS, raising=False)
    assert users.users_path(tmp_path / "data" / "ilp.gpkg") == tmp_path / "data" / "pengguna.json"
    monkeypatch.setenv(users.ENV_USERS, str(tmp_path / "lain.json"))
    assert users.users_path(tmp_path / "data" / "ilp.gpkg") == tmp_path / "lain.json"


def test_add_keeps_only_a_bcrypt_hash(tmp_path: Path) -> None:
    path = tmp_path / "pengguna.json"
    user = users.add_user(path, "kapus.a", peran="admin", nama="Kapus A", email="Kapus@Dinkes.go.id", password=PASSWORD)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    stored = json.loads(text)["pengguna"]["kapus.a"]
    assert stored == {"nama": "Kapus A", "email": "kapus@dinkes.go.id", "peran": "admin", "sandi": user.sandi}
    assert bcrypt.checkpw(PASSWORD.encode(), stored["sandi"].encode())
    assert users.password_matches(PASSWORD, stored["sandi"]) and not users.password_matches("salah", stored["sandi"])
    assert path.stat().st_mode & 0o777 == 0o600
    assert users.read_users(path) == {"kapus.a": user}
    assert not list(tmp_path.glob(".pengguna.json.*.tmp"))  # no temporary file left


def test_set_role_and_remove(tmp_path: Path) -> None:
    path = tmp_path / "pengguna.json"
    users.add_user(path, "kapus.a", peran="puskesmas:P1", password=PASSWORD)
    users.add_user(path, "sso", peran="dinas", email="sso@contoh.id")
    assert users.set_role(path, "kapus.a", "dinas:32.06").peran == "dinas:32.06"
    assert users.read_users(path)["kapus.a"].peran == "dinas:32.06"
    assert users.remove_user(path, "sso").email == "sso@contoh.id"
    assert list(users.read_users(path)) == ["kapus.a"]
    assert users.find_by_email(users.read_users(path), "SSO@contoh.id") is None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"username": "Kapus A"}, "Nama pengguna 'Kapus A' tidak sah"),
        ({"username": "x" * 41}, "tidak sah: pakai 1-40 huruf kecil"),
        ({"peran": "superuser"}, "Peran 'superuser' tidak dikenal. Peran yang sah: admin, dinas"),
        ({"peran": "puskesmas:"}, "Peran 'puskesmas:' tidak dikenal"),
        ({"peran": "puskesmas:P 1"}, "Peran 'puskesmas:P 1' tidak dikenal"),
        ({"email": "bukan-email"}, "Email 'bukan-email' tidak sah"),
        ({"password": "pendek"}, f"paling sedikit {MIN_PASSWORD_CHARS} karakter"),
        ({"password": "é" * 40}, f"paling banyak {MAX_PASSWORD_BYTES} byte"),
        ({"password": None, "email": ""}, "perlu kata sandi (--sandi-dari-stdin) atau email"),
        ({"password": " Sandi-Rahasia-2026"}, "tidak boleh diawali atau diakhiri spasi"),
    ],
)
def test_add_refuses_bad_entries_and_writes_nothing(tmp_path: Path, kwargs: dict, words: str) -> None:
    path = tmp_path / "pengguna.json"
    users.add_user(path, "ada", peran="admin", password=PASSWORD)
    before = path.read_bytes()
    args = {"username": "baru", "peran": "admin", "email": "", "password": PASSWORD} | kwargs
    with pytest.raises(InputError, match=None) as caught:
        users.add_user(path, args.pop("username"), **args)
    assert words in str(caught.value)
    assert path.read_bytes() == before


def test_duplicates_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "pengguna.json"
    users.add_user(path, "a", peran="admin", email="a@contoh.id", password=PASSWORD)
    with pytest.raises(InputError, match="Pengguna 'a' sudah ada. Pakai --ganti"):
        users.add_user(path, "a", peran="dinas", password=PASSWORD)
    with pytest.raises(InputError, match="Email a@contoh.id sudah dipakai pengguna 'a'"):
        users.add_user(path, "b", peran="dinas", email="A@contoh.id")
    replaced = users.add_user(
        path, "a", peran="dinas", email="a@contoh.id", password="Sandi-Baru-2026", replace_existing=True
    )
    assert users.read_users(path)["a"] == replaced and users.password_matches("Sandi-Baru-2026", replaced.sandi)
    with pytest.raises(InputError, match="Pengguna 'c' tidak ada di .*Pengguna yang ada: a"):
        users.remove_user(path, "c")


def test_codes_checked_against_a_readable_store(store_copy: Path) -> None:
    known = users.known_codes(Store(store_copy))
    assert known is not None and known.puskesmas and known.wilayah
    path = store_copy.with_name("pengguna.json")
    code = _puskesmas(store_copy)
    assert users.add_user(path, "kapus", peran=f"puskesmas:{code}", password=PASSWORD, known=known).peran.endswith(code)
    with pytest.raises(InputError, match="Kode puskesmas 'P0000' tidak ada di data penyimpanan"):
        users.add_user(path, "lain", peran="puskesmas:P0000", password=PASSWORD, known=known)
    with pytest.raises(InputError, match="Kode provinsi atau kabupaten/kota '32' tidak ada"):
        users.set_role(path, "kapus", "dinas:32", known=known)
    kabupaten = sorted(known.wilayah)[0]
    assert users.set_role(path, "kapus", f"dinas:{kabupaten}", known=known).peran == f"dinas:{kabupaten}"
    assert users.known_codes(Store(store_copy.with_name("tidak_ada.gpkg"))) is None  # no store: syntax only


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{bukan json", "bukan JSON yang sah"),
        (b"[]", 'harus berisi objek {"pengguna": {...}}'),
        (b'{"pengguna": {"a": {"peran": "admin", "sandi": "rahasia123"}}}', "'sandi' bukan hash bcrypt"),
        (b'{"pengguna": {"a": {"peran": "raja"}}}', "Peran 'raja' tidak dikenal"),
        (b'{"pengguna": {"a": {"peran": "admin", "password": "x"}}}', "kunci password tidak dikenal"),
        (b'{"pengguna": {"A B": {"peran": "admin"}}}', "Nama pengguna 'A B' tidak sah"),
        (b'{"pengguna": {"a": "admin"}}', "isinya harus objek"),
        (b'{"pengguna": {"a": {"peran": 1}}}', "'peran' harus teks pendek"),
    ],
)
def test_a_broken_file_is_refused_naming_file_and_user(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "pengguna.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        users.read_users(path)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "pengguna.json"
    with open(path, "wb") as handle:
        handle.write(b'{"pengguna": {"a": {"peran": "admin", "nama": "')
        handle.write(b"x" * MAX_USERS_FILE_BYTES)
        handle.write(b'"}}}')
    with pytest.raises(InputError, match="lebih besar dari 1024 KB, jadi tidak dibaca"):
        users.read_users(path)


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pengguna.json"
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            users.add_user(path, f"u{i}", peran="dinas", email=f"u{i}@contoh.id")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(users.read_users(path)) == sorted(f"u{i}" for i in range(12))


# -- python cli.py users --------------------------------------------------------------------------------
def test_cli_users_add_list_set_role_remove(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(users.ENV_USERS, raising=False)
    path = store_copy.with_name("pengguna.json")
    code = _puskesmas(store_copy)
    added = _run_with_stdin(
        ["users", "add", "kapus.a", "--peran", f"puskesmas:{code}", "--nama", "Kapus A", "--sandi-dari-stdin"],
        store_copy,
        PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert f"Pengguna kapus.a ditambahkan (peran puskesmas:{code}, masuk dengan kata sandi)" in added.stdout
    assert users.password_matches(PASSWORD, users.read_users(path)["kapus.a"].sandi)
    piped = _run_with_stdin(
        ["users", "add", "sso2", "--peran", "dinas", "--email", "sso2@dinkes.go.id"], store_copy, ""
    )
    assert piped.returncode == 0, piped.stderr  # no terminal and no --sandi-dari-stdin: an OpenID Connect user
    assert "masuk dengan OpenID Connect" in piped.stdout and not users.read_users(path)["sso2"].sandi
    assert run_cli("users", "remove", "sso2", "--store", str(store_copy)).returncode == 0
    sso = run_cli(
        "users",
        "add",
        "sso",
        "--peran",
        "admin",
        "--email",
        "sso@dinkes.go.id",
        "--tanpa-sandi",
        "--store",
        str(store_copy),
    )
    assert sso.returncode == 0, sso.stderr
    listed = run_cli("users", "list", "--store", str(store_copy))
    assert listed.returncode == 0
    assert "kapus.a" in listed.stdout and "sso@dinkes.go.id" in listed.stdout and "OpenID Connect" in listed.stdout
    assert "$2b$" not in listed.stdout and PASSWORD not in listed.stdout
    role = run_cli("users", "set-role", "kapus.a", "admin", "--store", str(store_copy))
    assert role.returncode == 0 and "Peran pengguna kapus.a menjadi admin." in role.stdout
    gone = run_cli("users", "remove", "sso", "--store", str(store_copy))
    assert gone.returncode == 0 and "Pengguna sso dihapus (peran admin)." in gone.stdout
    assert list(users.read_users(path)) == ["kapus.a"]


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["users", "add", "x", "--peran", "puskesmas:P0000", "--sandi-dari-stdin"], PASSWORD, "Kode puskesmas 'P0000'"),
        (["users", "add", "x", "--peran", "raja", "--sandi-dari-stdin"], PASSWORD, "Peran 'raja' tidak dikenal"),
        (["users", "add", "x", "--peran", "admin", "--sandi-dari-stdin"], "pendek", "terlalu pendek"),
        (
            ["users", "add", "x", "--peran", "admin", "--tanpa-sandi"],
            "",
            "perlu kata sandi (--sandi-dari-stdin) atau email",
        ),
        (["users", "add", "x", "--peran", "admin"], PASSWORD, "perlu kata sandi (--sandi-dari-stdin) atau email"),
        (["users", "remove", "tidak.ada"], "", "Pengguna 'tidak.ada' tidak ada"),
        (["users", "set-role", "tidak.ada", "admin"], "", "Pengguna 'tidak.ada' tidak ada"),
    ],
)
def test_cli_refusals_exit_2_and_change_nothing(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str, words: str
) -> None:
    monkeypatch.delenv(users.ENV_USERS, raising=False)
    before = store_state(Store(store_copy))
    result = _run_with_stdin(args, store_copy, stdin + "\n")
    assert result.returncode == 2
    assert words in result.stderr and result.stderr.startswith("Galat: ")
    assert not store_copy.with_name("pengguna.json").exists()
    assert store_state(Store(store_copy)) == before


def _run_with_stdin(args: list[str], store: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "cli.py", *args, "--store", str(store)],
        cwd=PROJECT_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
