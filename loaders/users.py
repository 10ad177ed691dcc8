"""The users file of a dinas server: who may sign in, and with which role.

A JSON file ``pengguna.json`` beside the store (the same folder as the store
file), or the path in the environment variable ``ILP_USERS``::

    {"pengguna": {"<username>": {"nama": "...", "email": "...", "peran": "admin",
                                 "sandi": "<bcrypt hash>"}}}

``peran`` is ``admin``, ``dinas``, ``dinas:<kode wilayah>`` (a provinsi or
kabupaten/kota code) or ``puskesmas:<kode>``. Only the role's *syntax* is
checked here (and, when the store can be read, that its code exists); what a
role may see is decided in :mod:`ui.access`. ``sandi`` is a bcrypt hash and
only present for the password sign-in (OpenID Connect users have none); a plain
password is never written.

Reading is bounded (:data:`loaders.limits.MAX_USERS_FILE_BYTES`) and every entry
is validated, so a hand-edited file that is wrong is refused with a message that
names the file and the user. Writes go to a temporary file in the same folder and
replace the file atomically (:func:`os.replace`) under a file lock
(``pengguna.json.lock``), so two ``python cli.py users`` commands cannot lose
each other's change. The file is written readable by its owner only.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import bcrypt
from filelock import FileLock, Timeout

from loaders.exceptions import InputError, StoreError
from loaders.limits import (
    MAX_PASSWORD_BYTES,
    MAX_USERS,
    MAX_USERS_FILE_BYTES,
    MIN_PASSWORD_CHARS,
    STORE_LOCK_SECONDS,
)
from loaders.store import ChangeRecord, Store, resolve_store_path

ENV_USERS: Final = "ILP_USERS"
USERS_FILE_NAME: Final = "pengguna.json"
ROOT_KEY: Final = "pengguna"
JENIS_PENGGUNA: Final = "pengguna"
"""``jenis_impor`` of a user change in the store's import log."""
ROLE_ADMIN: Final = "admin"
ROLE_DINAS: Final = "dinas"
ROLE_PUSKESMAS: Final = "puskesmas"
ROLE_HELP: Final = "admin, dinas, dinas:<kode provinsi/kabupaten> atau puskesmas:<kode puskesmas>"
MAX_USERNAME_CHARS: Final = 40
MAX_EMAIL_CHARS: Final = 254
MAX_TEXT_CHARS: Final = 200
MAX_CODE_CHARS: Final = 40

_USERNAME: Final = re.compile(r"[a-z0-9][a-z0-9._-]*")
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_BCRYPT: Final = re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")
_FIELDS: Final = frozenset({"nama", "email", "peran", "sandi"})


@dataclass(frozen=True)
class User:
    """One entry of the users file (``sandi``: a bcrypt hash, or empty for OpenID Connect users)."""

    username: str
    peran: str
    nama: str = ""
    email: str = ""
    sandi: str = ""

    @property
    def has_password(self) -> bool:
        """True when the user can sign in with a password."""
        return bool(self.sandi)


@dataclass(frozen=True)
class KnownCodes:
    """Codes a role may name, read from the store (:func:`known_codes`)."""

    puskesmas: frozenset[str]
    wilayah: frozenset[str]


def users_path(store_path: str | os.PathLike[str] | None = None) -> Path:
    """Return the users file: ``$ILP_USERS``, else ``pengguna.json`` beside the store."""
    env = os.environ.get(ENV_USERS)
    if env:
        return Path(env).expanduser()
    return resolve_store_path(store_path).with_name(USERS_FILE_NAME)


# -- validation ----------------------------------------------------------------------------
def check_username(username: str, *, where: str = "") -> str:
    """Return ``username`` if valid (lowercase letters, digits, ``.``, ``_``, ``-``; 1-40 characters)."""
    text = str(username)
    if len(text) > MAX_USERNAME_CHARS or not _USERNAME.fullmatch(text):
        msg = (
            f"{where}Nama pengguna '{text[:MAX_USERNAME_CHARS]}' tidak sah: pakai 1-{MAX_USERNAME_CHARS} huruf kecil, "
            "angka, titik, garis bawah atau tanda minus, diawali huruf atau angka (misalnya kapus.cibeureum)."
        )
        raise InputError(msg)
    return text


def check_email(email: str, *, where: str = "") -> str:
    """Return ``email`` in lower case if it looks like an address (empty is allowed)."""
    text = str(email).strip().lower()
    if text and (len(text) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(text)):
        msg = f"{where}Email '{text[:MAX_EMAIL_CHARS]}' tidak sah: tulis alamat lengkap, misalnya kapus@dinkes.go.id."
        raise InputError(msg)
    return text


def check_role(peran: str, *, known: KnownCodes | None = None, where: str = "") -> str:
    """Return ``peran`` if its syntax is valid and, when ``known`` is given, its code exists.

    Raises
    ------
    InputError
        The role is not one of :data:`ROLE_HELP`, or names a code the store does not hold.
    """
    text = str(peran).strip()
    if text in (ROLE_ADMIN, ROLE_DINAS):
        return text
    kind, sep, code = text.partition(":")
    if not sep or kind not in (ROLE_DINAS, ROLE_PUSKESMAS) or len(code) > MAX_CODE_CHARS or not _CODE.fullmatch(code):
        msg = f"{where}Peran '{text[:MAX_TEXT_CHARS]}' tidak dikenal. Peran yang sah: {ROLE_HELP}."
        raise InputError(msg)
    if known is not None:
        pool = known.puskesmas if kind == ROLE_PUSKESMAS else known.wilayah
        if code not in pool:
            what = "puskesmas" if kind == ROLE_PUSKESMAS else "provinsi atau kabupaten/kota"
            example = ", ".join(sorted(pool)[:5]) or "belum ada"
            msg = (
                f"{where}Kode {what} '{code}' tidak ada di data penyimpanan. Periksa kodenya "
                f"(contoh kode yang ada: {example}), atau impor datanya dahulu."
            )
            raise InputError(msg)
    return text


def check_password(password: str) -> None:
    """Refuse a password shorter than the minimum, longer than bcrypt reads, or with spaces at either end.

    The sign-in form (streamlit-authenticator) strips what is typed, so such a password could never match.
    """
    if password != password.strip():
        msg = (
            "Kata sandi tidak boleh diawali atau diakhiri spasi (formulir masuk membuangnya). "
            "Ketik ulang tanpa spasi di ujung."
        )
        raise InputError(msg)
    if len(password) < MIN_PASSWORD_CHARS:
        msg = (
            f"Kata sandi terlalu pendek: paling sedikit {MIN_PASSWORD_CHARS} karakter."
            " Ketik kata sandi yang lebih panjang."
        )
        raise InputError(msg)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        msg = (
            f"Kata sandi terlalu panjang: paling banyak {MAX_PASSWORD_BYTES} byte (bcrypt tidak membaca lebih). "
            "Ketik kata sandi yang lebih pendek."
        )
        raise InputError(msg)


def hash_password(password: str) -> str:
    """Return the bcrypt hash of ``password`` (checked with :func:`check_password` first)."""
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def password_matches(password: str, hashed: str) -> bool:
    """True when ``password`` matches the bcrypt ``hashed`` (False for an empty hash or a too long password)."""
    data = password.encode("utf-8")
    if not hashed or len(data) > MAX_PASSWORD_BYTES:
        return False
    return bcrypt.checkpw(data, hashed.encode("ascii"))


def known_codes(store: Store) -> KnownCodes | None:
    """Puskesmas and provinsi/kabupaten codes of ``store``; None when it is absent, empty or unreadable."""
    try:
        if store.is_empty():
            return None
        desa = store.read_desa()
        fasilitas = store.read_fasilitas()
        wilayah_kerja = store.read_wilayah_kerja()
    except StoreError:
        return None
    puskesmas = fasilitas.loc[fasilitas["jenis"] == "puskesmas", "kode_puskesmas"].dropna().astype(str)
    given = wilayah_kerja["kode_puskesmas"].dropna().astype(str)
    areas = [desa[column].dropna().astype(str) for column in ("kode_provinsi", "kode_kabupaten")]
    return KnownCodes(
        puskesmas=frozenset(puskesmas) | frozenset(given),
        wilayah=frozenset().union(*(frozenset(values) for values in areas)),
    )


# -- reading ---------------------------------------------------------------------------------
def read_users(path: str | os.PathLike[str]) -> dict[str, User]:
    """Read and validate the users file; an absent file has no users.

    Raises
    ------
    InputError
        The file is too large, not JSON of the expected shape, or an entry is invalid
        (the message names the file and the user).
    """
    target = Path(path)
    try:
        with open(target, "rb") as handle:
            data = handle.read(MAX_USERS_FILE_BYTES + 1)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        msg = f"Berkas pengguna {target} tidak dapat dibaca ({exc.strerror}). Periksa izin berkasnya."
        raise InputError(msg) from exc
    if len(data) > MAX_USERS_FILE_BYTES:
        msg = (
            f"Berkas pengguna {target} lebih besar dari {MAX_USERS_FILE_BYTES // 1024} KB, jadi tidak dibaca. "
            "Periksa apakah ini berkas yang benar (python cli.py users list)."
        )
        raise InputError(msg)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = (
            f"Berkas pengguna {target} bukan JSON yang sah ({exc})."
            " Perbaiki berkasnya atau buat ulang dengan python cli.py users add."
        )
        raise InputError(msg) from exc
    entries = document.get(ROOT_KEY) if isinstance(document, dict) else None
    if not isinstance(entries, dict):
        msg = (
            f'Berkas pengguna {target} harus berisi objek {{"{ROOT_KEY}": {{...}}}}.'
            " Perbaiki atau buat ulang berkasnya."
        )
        raise InputError(msg)
    if len(entries) > MAX_USERS:
        msg = (
            f"Berkas pengguna {target} berisi {len(entries)} pengguna; paling banyak {MAX_USERS}."
            " Hapus pengguna yang tidak dipakai."
        )
        raise InputError(msg)
    return {str(name): _user_from(target, str(name), entry) for name, entry in entries.items()}


def _user_from(path: Path, name: str, entry: object) -> User:
    where = f"Berkas pengguna {path}, pengguna '{name[:MAX_USERNAME_CHARS]}': "
    username = check_username(name, where=where)
    if not isinstance(entry, dict):
        raise InputError(f"{where}isinya harus objek dengan kunci {', '.join(sorted(_FIELDS))}. Perbaiki berkasnya.")
    unknown = set(entry) - _FIELDS
    if unknown:
        msg = (
            f"{where}kunci {', '.join(sorted(map(str, unknown)))} tidak dikenal "
            f"(yang sah: {', '.join(sorted(_FIELDS))}). Perbaiki berkasnya."
        )
        raise InputError(msg)
    values = {key: entry.get(key, "") for key in _FIELDS}
    for key, value in values.items():
        if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS + MAX_EMAIL_CHARS:
            raise InputError(f"{where}'{key}' harus teks pendek. Perbaiki berkasnya.")
    sandi = values["sandi"]
    if sandi and not _BCRYPT.fullmatch(sandi):
        msg = (
            f"{where}'sandi' bukan hash bcrypt (kata sandi polos tidak boleh disimpan)."
            f" Tetapkan ulang dengan python cli.py users add {username} --ganti."
        )
        raise InputError(msg)
    return User(
        username=username,
        peran=check_role(values["peran"], where=where),
        nama=values["nama"][:MAX_TEXT_CHARS],
        email=check_email(values["email"], where=where),
        sandi=sandi,
    )


def find_by_email(users: Mapping[str, User], email: str | None) -> User | None:
    """The user whose email is ``email`` (case-insensitive), or None."""
    wanted = (email or "").strip().lower()
    if not wanted:
        return None
    return next((user for user in users.values() if user.email == wanted), None)


# -- writing ---------------------------------------------------------------------------------
@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = FileLock(str(path) + ".lock", thread_local=False)
    try:
        with lock.acquire(timeout=STORE_LOCK_SECONDS):
            yield
    except Timeout as exc:
        msg = (
            f"Berkas pengguna {path} sedang diubah oleh perintah lain lebih dari {STORE_LOCK_SECONDS} detik. Coba lagi."
        )
        raise InputError(msg) from exc


def _write(path: Path, users: Mapping[str, User]) -> None:
    document = {
        ROOT_KEY: {
            name: {
                key: value
                for key, value in (("nama", u.nama), ("email", u.email), ("peran", u.peran), ("sandi", u.sandi))
                if value or key == "peran"
            }
            for name, u in sorted(users.items())
        }
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        msg = (
            f"Berkas pengguna {path} tidak dapat ditulis ({exc.strerror}); tidak ada yang berubah."
            " Periksa izin foldernya."
        )
        raise InputError(msg) from exc


def _change(path: str | os.PathLike[str], change: Callable[[dict[str, User]], User]) -> User:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"Folder berkas pengguna {target.parent} tidak dapat dibuat ({exc.strerror}). Periksa izinnya."
        raise InputError(msg) from exc
    with _locked(target):
        users = read_users(target)
        changed = change(users)
        if len(users) > MAX_USERS:
            msg = (
                f"Berkas pengguna {target} sudah berisi {MAX_USERS} pengguna (batas)."
                " Hapus pengguna yang tidak dipakai."
            )
            raise InputError(msg)
        _write(target, users)
    return changed


def _existing(users: Mapping[str, User], username: str, path: Path) -> User:
    if username not in users:
        known = ", ".join(sorted(users)[:20]) or "belum ada pengguna"
        msg = f"Pengguna '{username}' tidak ada di {path}. Pengguna yang ada: {known} (python cli.py users list)."
        raise InputError(msg)
    return users[username]


def add_user(
    path: str | os.PathLike[str],
    username: str,
    *,
    peran: str,
    email: str = "",
    nama: str = "",
    password: str | None = None,
    known: KnownCodes | None = None,
    replace_existing: bool = False,
) -> User:
    """Add a user (or, with ``replace_existing``, replace one) and return it.

    ``password`` is hashed with bcrypt here; without one the user can only sign
    in through OpenID Connect, so an email is then required.
    """
    name = check_username(username)
    role = check_role(peran, known=known)
    address = check_email(email)
    if len(nama) > MAX_TEXT_CHARS:
        raise InputError(f"Nama lengkap terlalu panjang: paling banyak {MAX_TEXT_CHARS} karakter.")
    if password is None and not address:
        msg = (
            f"Pengguna '{name}' perlu kata sandi (--sandi-dari-stdin) atau email (--email) untuk "
            "masuk lewat OpenID Connect."
        )
        raise InputError(msg)
    hashed = hash_password(password) if password is not None else ""
    user = User(username=name, peran=role, nama=nama.strip(), email=address, sandi=hashed)

    def change(users: dict[str, User]) -> User:
        if name in users and not replace_existing:
            msg = (
                f"Pengguna '{name}' sudah ada."
                " Pakai --ganti untuk menggantinya, atau users set-role untuk mengubah perannya."
            )
            raise InputError(msg)
        if address:
            other = find_by_email({k: v for k, v in users.items() if k != name}, address)
            if other is not None:
                raise InputError(
                    f"Email {address} sudah dipakai pengguna '{other.username}'. Satu email untuk satu pengguna."
                )
        users[name] = user
        return user

    return _change(path, change)


def remove_user(path: str | os.PathLike[str], username: str) -> User:
    """Remove a user and return the removed entry."""
    target = Path(path)
    name = check_username(username)

    if not target.is_file():  # nothing to remove: refuse without creating the folder or the lock file
        _existing({}, name, target)

    def change(users: dict[str, User]) -> User:
        return users.pop(_existing(users, name, target).username)

    return _change(target, change)


def set_role(path: str | os.PathLike[str], username: str, peran: str, *, known: KnownCodes | None = None) -> User:
    """Give a user another role and return the changed entry."""
    target = Path(path)
    name = check_username(username)
    role = check_role(peran, known=known)
    if not target.is_file():
        _existing({}, name, target)

    def change(users: dict[str, User]) -> User:
        users[name] = replace(_existing(users, name, target), peran=role)
        return users[name]

    return _change(target, change)


def audit_store(path: str | os.PathLike[str], store_path: str | os.PathLike[str] | None = None) -> Store | None:
    """The store whose log records changes to the users file ``path``: the store beside it, when it exists."""
    store = Store(resolve_store_path(store_path))
    if store.path.parent.resolve() != Path(path).parent.resolve() or not store.exists():
        return None
    return store


def record_change(store: Store, keterangan: str, *, oleh: str) -> int:
    """Write a user change into ``store``'s import log (``jenis_impor`` "pengguna"); return the new data version.

    The data layers are not touched; the log row is a new data version like every other change.
    """
    return store.commit(layers={}, record=ChangeRecord(jenis_impor=JENIS_PENGGUNA, keterangan=keterangan, oleh=oleh))
