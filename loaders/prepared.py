"""An import that has been read and validated but not yet written.

Every importer (``prepare_boundaries``, ``prepare_facilities``,
``prepare_reports``, ``prepare_working_areas``) returns a
:class:`PreparedImport`; the Data page shows its report and mapping, and only
:func:`commit_prepared` writes it to the store, atomically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from loaders.import_report import ImportReport
from loaders.store import ChangeRecord, Store


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
    """

    report: ImportReport
    layers: Mapping[str, pd.DataFrame]
    mapping: Mapping[str, str] = field(default_factory=dict)
    catatan: pd.DataFrame | None = None
    catatan_sumber: str | None = None


def commit_prepared(store: Store, prepared: PreparedImport) -> ImportReport:
    """Write ``prepared`` to ``store`` atomically; return its report with the new version."""
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
    )
    version = store.commit(
        layers=prepared.layers,
        record=record,
        catatan=prepared.catatan,
        catatan_sumber=prepared.catatan_sumber,
    )
    return dataclasses.replace(report, versi=version)
