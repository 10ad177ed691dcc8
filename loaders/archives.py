"""Safe handling of user-supplied ZIP archives (zipped Shapefiles, KMZ).

Archives come from users, so every entry is checked before anything is
written: entries with an absolute path, a drive letter or a ``..`` component
("zip slip") refuse the whole archive, and the total uncompressed size is
capped against zip bombs (both as declared in the archive and as actually
read). Only the standard library :mod:`zipfile` is used.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, Final

from loaders.exceptions import InputError

MAX_UNCOMPRESSED_BYTES: Final = 2 * 1024**3  # 2 GB
MAX_ENTRIES: Final = 10_000
_CHUNK: Final = 1 << 20
_ENCRYPTED_FLAG: Final = 0x1


def check_zip(
    path: Path,
    *,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> list[zipfile.ZipInfo]:
    """Return the file entries of ``path`` after checking the archive is safe.

    Parameters
    ----------
    path
        The ZIP archive.
    max_bytes
        Largest total uncompressed size accepted (as declared by the entries).
    max_entries
        Largest number of entries accepted.

    Returns
    -------
    list of zipfile.ZipInfo
        The regular file entries, without directories, symbolic links and
        macOS metadata (``__MACOSX/``, ``._*``).

    Raises
    ------
    InputError
        Corrupt or encrypted archive, unsafe entry path, too many entries or
        too large uncompressed content.
    """
    with _open_zip(path) as archive:
        infos = archive.infolist()
    if len(infos) > max_entries:
        msg = f"Arsip {path.name} berisi {len(infos)} entri (batas {max_entries}). Kirim hanya berkas batas desanya."
        raise InputError(msg)
    for info in infos:
        _check_entry_name(path, info.filename)
        if info.flag_bits & _ENCRYPTED_FLAG:
            msg = (
                f"Arsip {path.name} terkunci kata sandi (entri '{info.filename}'). "
                "Buat ulang arsip .zip tanpa kata sandi."
            )
            raise InputError(msg)
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        msg = (
            f"Isi arsip {path.name} terlalu besar setelah diekstrak ({_human(total)}; batas {_human(max_bytes)}). "
            "Arsip ini ditolak sebagai pengaman; kirim hanya berkas batas desa yang diperlukan."
        )
        raise InputError(msg)
    return [info for info in infos if _is_payload(info)]


def extract_zip(
    path: Path,
    dest: Path,
    *,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> list[Path]:
    """Extract ``path`` safely into the existing folder ``dest``.

    Parameters
    ----------
    path
        The ZIP archive.
    dest
        Folder to extract into (normally a fresh temporary folder).
    max_bytes, max_entries
        Limits, see :func:`check_zip`; ``max_bytes`` is also enforced on the
        bytes actually decompressed.

    Returns
    -------
    list of pathlib.Path
        The extracted files, in archive order.

    Raises
    ------
    InputError
        Anything :func:`check_zip` refuses, or an entry that fails to
        decompress (corrupt data, unsupported compression method).
    """
    entries = check_zip(path, max_bytes=max_bytes, max_entries=max_entries)
    root = dest.resolve()
    written: list[Path] = []
    budget = max_bytes
    with _open_zip(path) as archive:
        for info in entries:
            target = _target_path(path, root, info.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            budget -= _copy_entry(path, archive, info, target, budget=budget)
            written.append(target)
    return written


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        msg = (
            f"Berkas {path.name} bukan arsip ZIP yang utuh ({exc}). Arsip itu mungkin rusak atau terpotong saat "
            "diunduh; buat ulang .zip-nya (berisi .shp, .dbf, .shx dan .prj) lalu unggah lagi."
        )
        raise InputError(msg) from exc
    except OSError as exc:
        msg = f"Berkas {path.name} tidak dapat dibuka: {exc}."
        raise InputError(msg) from exc


def _check_entry_name(path: Path, name: str) -> None:
    """Refuse absolute paths, drive letters and ``..`` components (zip slip)."""
    posix = PurePosixPath(name.replace("\\", "/"))
    unsafe = (
        posix.is_absolute()
        or bool(PureWindowsPath(name).drive)
        or ".." in posix.parts
        or "\x00" in name
    )
    if unsafe:
        msg = (
            f"Arsip {path.name} ditolak: entri '{name}' memakai jalur absolut atau '..' yang dapat menulis di luar "
            "folder tujuan (zip slip). Buat ulang arsip .zip hanya dari berkas-berkas Shapefile-nya."
        )
        raise InputError(msg)


def _is_payload(info: zipfile.ZipInfo) -> bool:
    """True for regular files other than macOS metadata."""
    if info.is_dir():
        return False
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return False
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    return "__MACOSX" not in parts and not parts[-1].startswith("._")


def _target_path(path: Path, root: Path, name: str) -> Path:
    parts = [part for part in PurePosixPath(name.replace("\\", "/")).parts if part not in ("", ".")]
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root):
        msg = f"Arsip {path.name} ditolak: entri '{name}' akan ditulis di luar folder tujuan (zip slip)."
        raise InputError(msg)
    return target


def _copy_entry(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, *, budget: int) -> int:
    """Copy one entry to ``target``; return the bytes written."""
    try:
        with archive.open(info) as source, open(target, "wb") as sink:
            return _copy_limited(path, _chunks(source), sink, budget=budget)
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        msg = (
            f"Entri '{info.filename}' di arsip {path.name} tidak dapat diekstrak ({exc}). Arsip rusak atau memakai "
            "metode kompresi yang tidak didukung; buat ulang .zip dengan kompresi biasa (Deflate)."
        )
        raise InputError(msg) from exc


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    return iter(lambda: source.read(_CHUNK), b"")


def _copy_limited(path: Path, chunks: Iterator[bytes], sink: BinaryIO, *, budget: int) -> int:
    written = 0
    for chunk in chunks:
        written += len(chunk)
        if written > budget:
            msg = (
                f"Isi arsip {path.name} melebihi batas ukuran setelah diekstrak. Arsip ini ditolak sebagai pengaman "
                "terhadap 'zip bomb'; kirim hanya berkas batas desa yang diperlukan."
            )
            raise InputError(msg)
        sink.write(chunk)
    return written


def _human(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB".replace(".", ",")
    return f"{size / 1024**2:.1f} MB".replace(".", ",")


__all__ = ["MAX_ENTRIES", "MAX_UNCOMPRESSED_BYTES", "check_zip", "extract_zip"]
