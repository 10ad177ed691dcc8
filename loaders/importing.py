"""One entry point for every import: check the file, prepare, commit.

The CLI (``python cli.py import KIND FILE``) and the Data page both go through
here. :func:`prepare_import` reads and validates a file without writing
anything (the Data page previews the result); :func:`run_import` also commits
it to the store, atomically.

The kinds, their importers (imported lazily, so a broken or missing importer
only affects its own kind) and their options are declared once, in
:data:`loaders.kinds.KINDS` (re-exported here as :data:`KINDS`).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path

from loaders.exceptions import InputError
from loaders.import_report import ImportReport
from loaders.isolation import run_limited
from loaders.kinds import KINDS, OPTION_FLAGS, ImportKind, import_kind
from loaders.prepared import PreparedImport, commit_prepared
from loaders.store import Store

__all__ = ["KINDS", "ImportKind", "prepare_import", "run_import"]


def prepare_import(
    kind: str,
    path: Path,
    *,
    store: Store,
    sheet: str | None = None,
    layer: str | None = None,
    jenis: str | None = None,
    mapping: Mapping[str, str] | None = None,
    per: str | None = None,
    isolated: bool = False,
) -> PreparedImport:
    """Read and validate ``path`` as data of ``kind``, without writing anything.

    Parameters
    ----------
    kind
        A code of :data:`loaders.kinds.KINDS` (``boundaries``, ``facilities``, ...).
    path
        The source file.
    store
        The store the import will be merged into (read, never written here).
    sheet, layer, jenis, mapping, per
        Importer options; giving one that does not apply to ``kind`` (e.g.
        ``layer`` for facilities) is an error. An empty ``mapping`` counts as
        not given. ``per`` (facilities): the month the file describes, YYYY-MM.
    isolated
        Read the file in a child process with the memory and time limits of
        :mod:`loaders.limits` (:func:`loaders.isolation.run_limited`). The CLI
        and the Data page set it: no file may take a shared server down.

    Returns
    -------
    PreparedImport
        The validated import with its report, ready for :func:`commit_prepared`;
        ``base_version`` is the store's data version before reading.

    Raises
    ------
    InputError
        Unknown kind, missing file, an option that does not apply, or a file
        the importer rejects (Indonesian message naming the file).
    ImportCrashError
        With ``isolated``: the reading ran out of memory or time.
    """
    spec = import_kind(kind)
    source = _existing_file(Path(path))
    given = {"sheet": sheet, "layer": layer, "jenis": jenis, "mapping": dict(mapping) if mapping else None, "per": per}
    options = {name: value for name, value in given.items() if value is not None}
    _check_options(kind, spec, options)
    base_version = store.version()
    if isolated:
        prepared = run_limited(_prepare_with, spec, source, store=store, what=source.name, **options)
    else:
        prepared = _prepare_with(spec, source, store=store, **options)
    return dataclasses.replace(prepared, base_version=base_version)


def run_import(
    kind: str,
    path: Path,
    *,
    store: Store,
    sheet: str | None = None,
    layer: str | None = None,
    jenis: str | None = None,
    mapping: Mapping[str, str] | None = None,
    per: str | None = None,
    isolated: bool = False,
    oleh: str = "",
) -> ImportReport:
    """Import ``path`` as data of ``kind`` into ``store`` and return the report.

    Validation happens entirely before the atomic commit: bad input raises
    :class:`InputError` and leaves the store unchanged. When another write
    lands between reading and committing, the file is validated again against
    the new data under the store's write lock, so neither change is lost.
    Parameters are those of :func:`prepare_import`; ``oleh`` (who imports) goes into the import log.

    Returns
    -------
    ImportReport
        The report, with ``versi`` set to the new data version.
    """
    prepare = functools.partial(
        prepare_import,
        kind,
        path,
        store=store,
        sheet=sheet,
        layer=layer,
        jenis=jenis,
        mapping=mapping,
        per=per,
        isolated=isolated,
    )
    return commit_prepared(store, prepare(), revalidate=prepare, oleh=oleh)


def _existing_file(path: Path) -> Path:
    if not path.exists():
        msg = f"Berkas {path} tidak ditemukan. Periksa nama dan foldernya."
        raise InputError(msg)
    if not path.is_file():
        msg = f"{path} bukan berkas (mungkin sebuah folder). Pilih berkas datanya, misalnya .xlsx, .csv atau .geojson."
        raise InputError(msg)
    return path


def _check_options(kind: str, spec: ImportKind, options: Mapping[str, object]) -> None:
    unused = [name for name in options if name not in spec.options]
    if unused:
        flags = ", ".join(OPTION_FLAGS[name] for name in unused)
        allowed = ", ".join(OPTION_FLAGS[name] for name in sorted(spec.options)) or "tidak ada"
        msg = (
            f"Opsi {flags} tidak berlaku untuk impor {spec.label} ({kind}). "
            f"Opsi yang berlaku: {allowed}. Hapus opsi itu lalu ulangi."
        )
        raise InputError(msg)


def _importer(spec: ImportKind) -> Callable[..., PreparedImport]:
    module = importlib.import_module(spec.module)
    return getattr(module, spec.function)


def _prepare_with(spec: ImportKind, source: Path, **options: object) -> PreparedImport:
    """Run the importer of ``spec`` (module level, so a child process can be given it)."""
    return _importer(spec)(source, **options)
