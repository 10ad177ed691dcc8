"""Safe handling of user-supplied ZIP archives (zipped Shapefiles, KMZ).

Archives come from users, so every entry is checked before anything is
written: entries with an absolute path, a drive letter or a ``..`` component
("zip slip") refuse the whole archive, and zip bombs are refused before a
single byte is extracted, by the declared total size
(:data:`~loaders.limits.MAX_UNCOMPRESSED_BYTES`) and by the compression ratio
of each large entry (:data:`~loaders.limits.MAX_COMPRESSION_RATIO`). While
extracting, the bytes actually decompressed are counted against the same
bounds, so an archive that lies about its sizes stops at the limit too.
Symbolic links and macOS metadata are never extracted, and a nested archive is
only ever a file (it is not opened). Only the standard library :mod:`zipfile`
is used.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, Final

from loaders.exceptions import InputError
from loaders.limits import (
    COMPRESSION_RATIO_FROM_BYTES,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
)
from loaders.numbers import angka, ukuran

_CHUNK: Final = 1 << 20
_ENCRYPTED_FLAG: Final = 0x1


def check_zip(
    path: Path,
    *,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_entries: int = MAX_ZIP_ENTRIES,
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
        msg = (
            f"Arsip {path.name} berisi {angka(len(infos))} entri (batas {angka(max_entries)}). Kirim hanya berkas "
            "batas desanya."
        )
        raise InputError(msg)
    for info in infos:
        _check_entry_name(path, info.filename)
        if info.flag_bits & _ENCRYPTED_FLAG:
            msg = (
                f"Arsip {path.name} terkunci kata sandi (entri '{info.filename}'). "
                "Buat ulang arsip .zip tanpa kata sandi."
            )
            raise InputError(msg)
        _check_ratio(path, info)
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        msg = (
            f"Isi arsip {path.name} terlalu besar setelah diekstrak ({ukuran(total)}; batas {ukuran(max_bytes)}). "
            "Arsip ini ditolak sebagai pengaman sebelum diekstrak; kirim hanya berkas batas desa yang diperlukan."
        )
        raise InputError(msg)
    return [info for info in infos if _is_payload(info)]


def extract_zip(
    path: Path,
    dest: Path,
    *,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_entries: int = MAX_ZIP_ENTRIES,
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
    return _extract(path, entries, dest, budget=max_bytes)


def extract_members(
    path: Path, infos: Sequence[zipfile.ZipInfo], dest: Path, *, max_bytes: int, what: str
) -> list[Path]:
    """Extract only the entries ``infos`` of ``path`` into ``dest``, at most ``max_bytes`` in total.

    The declared sizes are checked first; the bytes actually decompressed are
    counted while writing, so an entry that lies about its size stops at
    ``max_bytes`` as well. Relative folders inside the archive are kept.

    Parameters
    ----------
    path
        The archive (already checked with :func:`check_zip`).
    infos
        The entries to extract.
    dest
        Existing folder to write into.
    max_bytes
        Largest total size of the entries.
    what
        What the entries are, in Indonesian (``"dokumen KML"``), for the message.

    Returns
    -------
    list of pathlib.Path
        The extracted files, in the order of ``infos``.

    Raises
    ------
    InputError
        The entries are (or turn out to be) larger than ``max_bytes``, or cannot be decompressed.
    """
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise InputError(_members_too_big(path, infos, max_bytes=max_bytes, what=what, size=declared))
    try:
        return _extract(path, infos, dest, budget=max_bytes)
    except _TooBig as exc:
        raise InputError(_members_too_big(path, infos, max_bytes=max_bytes, what=what, size=None)) from exc


class _TooBig(InputError):
    """The bytes actually decompressed passed the budget."""


def _extract(path: Path, infos: Sequence[zipfile.ZipInfo], dest: Path, *, budget: int) -> list[Path]:
    """Write the entries ``infos`` of ``path`` below ``dest``; raise :class:`_TooBig` past ``budget`` bytes."""
    root = dest.resolve()
    written: list[Path] = []
    with _open_zip(path) as archive:
        for info in infos:
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
    unsafe = posix.is_absolute() or bool(PureWindowsPath(name).drive) or ".." in posix.parts or "\x00" in name
    if unsafe:
        msg = (
            f"Arsip {path.name} ditolak: entri '{name}' memakai jalur absolut atau '..' yang dapat menulis di luar "
            "folder tujuan (zip slip). Buat ulang arsip .zip hanya dari berkas-berkas Shapefile-nya."
        )
        raise InputError(msg)


def _is_payload(info: zipfile.ZipInfo) -> bool:
    """Tell whether ``info`` is a regular file other than macOS metadata."""
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
            raise _TooBig(msg)
        sink.write(chunk)
    return written


def _check_ratio(path: Path, info: zipfile.ZipInfo) -> None:
    """Refuse an entry that inflates far more than real data does (a zip bomb), before extracting it."""
    if info.file_size <= COMPRESSION_RATIO_FROM_BYTES:
        return
    if info.file_size <= MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        return
    ratio = info.file_size // max(info.compress_size, 1)
    msg = (
        f"Arsip {path.name} ditolak sebelum diekstrak: entri '{info.filename}' mengembang dari "
        f"{ukuran(info.compress_size)} menjadi {ukuran(info.file_size)} (rasio {angka(ratio)} : 1, batas "
        f"{angka(MAX_COMPRESSION_RATIO)} : 1). Data batas desa asli tidak termampatkan sejauh itu; arsip seperti ini "
        "('zip bomb') dapat menghabiskan memori dan disk server. Buat ulang .zip dari berkas Shapefile aslinya."
    )
    raise InputError(msg)


def _members_too_big(
    path: Path, infos: Sequence[zipfile.ZipInfo], *, max_bytes: int, what: str, size: int | None
) -> str:
    shown = f" ({ukuran(size)})" if size is not None else ""
    names = ", ".join(f"'{info.filename}'" for info in infos[:3]) + (" dst." if len(infos) > 3 else "")
    return (
        f"{what[0].upper()}{what[1:]} {names} di dalam {path.name} terlalu besar{shown}; batasnya "
        f"{ukuran(max_bytes)}. Berkas ditolak sebelum dibaca. Kirim batas desa satu kabupaten/kota saja, atau "
        "sederhanakan geometrinya (QGIS: Vector > Geometry Tools > Simplify) lalu ekspor ulang."
    )


__all__ = ["angka", "check_zip", "extract_members", "extract_zip", "ukuran"]
