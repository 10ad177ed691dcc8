"""An import that has been read and validated but not yet written.

Every importer (``prepare_boundaries``, ``prepare_facilities``,
``prepare_reports``, ``prepare_working_areas``) returns a
:class:`PreparedImport`; the Data page shows its report and mapping, and only
:func:`commit_prepared` writes it to the store, atomically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from loaders.exceptions import StaleImportError
from loaders.import_report import ImportReport
from loaders.store import ChangeRecord, Store, stale_message


@dataclass(frozen=True)
class PreparedImport:
    """A validated import, ready to be committed.

    Attributes
    ----------
    report
        What was read, accepted, repaired and rejected.
    layers
        Layer name -> the *full* new content of that layer (existing rows the
        import keeps are already merged in).
    mapping
        Source column -> canonical field, as detected or given.
    catatan, catatan_sumber
        Findings to keep in the store for the data-quality table, and the key
        under which they replace the findings of an earlier import of the same kind.
    base_version
        The store's data version when the import was prepared (``None``: not
        known, committed without the check).
    """

    report: ImportReport
    layers: Mapping[str, pd.DataFrame]
    mapping: Mapping[str, str] = field(default_factory=dict)
    catatan: pd.DataFrame | None = None
    catatan_sumber: str | None = None
    base_version: int | None = None


def commit_prepared(
    store: Store,
    prepared: PreparedImport,
    *,
    revalidate: Callable[[], PreparedImport] | None = None,
    oleh: str = "",
) -> ImportReport:
    """Write ``prepared`` to ``store`` atomically; return its report with the new version.

    The whole commit holds the store's write lock. ``prepared`` carries the
    full new content of its layers, merged with what the store held when it
    was prepared; if another write has landed since, committing it would undo
    that write. Then the import is prepared again against the current data
    (``revalidate``, still under the lock, so nothing can change meanwhile),
    or, without ``revalidate``, refused.

    Parameters
    ----------
    store
        The target store.
    prepared
        The validated import.
    revalidate
        Prepares the same file again against the current store.
    oleh
        Who imports it (a username, ``"lokal"`` or ``"cli:<os user>"``), for the import log.

    Returns
    -------
    ImportReport
        The report of what was committed, with ``versi`` set.

    Raises
    ------
    StaleImportError
        The store changed since ``prepared`` and no ``revalidate`` was given
        (the Data page then shows a fresh preview).
    """
    with store.writing():
        current = store.version()
        if prepared.base_version is not None and prepared.base_version != current:
            if revalidate is None:
                raise StaleImportError(stale_message(prepared.base_version, current))
            prepared = revalidate()
        return _commit(store, prepared, oleh=oleh)


def _commit(store: Store, prepared: PreparedImport, *, oleh: str) -> ImportReport:
    report = prepared.report
    record = ChangeRecord(
        jenis_impor=report.jenis_impor,
        berkas=report.berkas,
        sha256=report.sha256,
        baris_dibaca=report.baris_dibaca,
        diterima=report.diterima,
        diperbaiki=report.diperbaiki,
        ditolak=report.ditolak,
        keterangan="; ".join(report.catatan),
        oleh=oleh,
    )
    version = store.commit(
        layers=prepared.layers,
        record=record,
        catatan=prepared.catatan,
        catatan_sumber=prepared.catatan_sumber,
        base_version=prepared.base_version,
    )
    return dataclasses.replace(report, versi=version)
