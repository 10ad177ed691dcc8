"""Helpers the three tabular importers (facilities, reports, working areas) share.

:class:`IssueLog` collects row findings, :func:`map_sheets` maps each sheet's
columns, :func:`check_name_lengths` rejects rows with over-long names,
:func:`parse_counts` and :func:`text_values` parse cells, and
:func:`prepared_table_import` builds the :class:`~loaders.prepared.PreparedImport`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from loaders import model
from loaders.columns import FIELDS, check_override_fields, check_required, detect_mapping, override_applies
from loaders.exceptions import InputError
from loaders.findings import tingkat
from loaders.import_report import DITOLAK, ImportReport, RowIssue
from loaders.limits import MAX_NAME_LENGTH
from loaders.numbers import angka
from loaders.prepared import PreparedImport
from loaders.store import file_sha256
from loaders.table_frames import ROW_COLUMN

__all__ = [
    "NAME_LABELS",
    "IssueLog",
    "MappedSheet",
    "catatan_frame",
    "check_name_lengths",
    "map_sheets",
    "mapping_for_report",
    "parse_counts",
    "prepared_table_import",
    "sheet_prefix",
    "text_values",
]

_PREFIX_RE: Final = re.compile(r"Sheet '([^']*)': ")


class IssueLog:
    """Collects the :class:`RowIssue` findings of one import, in order."""

    def __init__(self) -> None:
        self.items: list[RowIssue] = []

    def add(
        self,
        tindakan: str,
        jenis: str,
        alasan: str,
        *,
        baris: int | None = None,
        kolom: str | None = None,
        subjek: str | None = None,
    ) -> None:
        """Record one finding; the reason's first letter (after a sheet prefix) is capitalised.

        A reason starting with ``Sheet 'X': `` also records ``X`` as the issue's sheet, so
        rows of different sheets with the same number are told apart.
        """
        sheet = _PREFIX_RE.match(alasan)
        lembar = sheet.group(1) if sheet else None
        self.items.append(RowIssue(tindakan, jenis, _sentence(alasan), baris, kolom, subjek, lembar))

    def extend(self, issues: Iterable[RowIssue]) -> None:
        """Record several findings."""
        self.items.extend(issues)

    def examples(self, count: int = 3) -> str:
        """Return the first findings as ``baris N: reason`` text, for an error message."""
        shown = [f"baris {i.baris}: {i.alasan}" if i.baris is not None else i.alasan for i in self.items[:count]]
        return "; ".join(shown) or "tidak ada baris yang cocok"


def _sentence(text: str) -> str:
    match = _PREFIX_RE.match(text)
    start = match.end() if match else 0
    return text[:start] + text[start : start + 1].upper() + text[start + 1 :]


def catatan_frame(issues: Iterable[RowIssue], *, kinds: Collection[str]) -> pd.DataFrame:
    """Return the findings whose ``jenis`` is in ``kinds``, in the model's ``catatan_impor`` shape.

    Parameters
    ----------
    issues
        Findings of the import.
    kinds
        The finding kinds the importer stores (:func:`loaders.findings.persisted_by`); each gets its
        registered severity (:data:`loaders.findings.FINDINGS`). Other kinds are left out.
    """
    rows = [
        {"jenis": i.jenis, "tingkat": tingkat(i.jenis), "subjek": i.subjek, "pesan": i.alasan, "baris": i.baris}
        for i in issues
        if i.jenis in kinds
    ]
    frame = pd.DataFrame(rows, columns=["jenis", "tingkat", "subjek", "pesan", "baris"])
    return model.conform(frame, model.LAYER_CATATAN)


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text cells as whole numbers >= 0.

    Returns
    -------
    tuple
        ``(numbers, bad)``: an ``Int64`` series (NA where empty or invalid) and
        a boolean series marking non-empty cells that are not a whole number >= 0.
    """
    text = values.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin(["-", "nan", "none", "null"])
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False).where(~empty), errors="coerce")
    valid = numbers.notna() & (numbers >= 0) & (numbers == numbers.round())
    bad = ~empty & ~valid
    return numbers.where(valid).round().astype("Int64"), bad.astype(bool)


def text_values(values: pd.Series) -> pd.Series:
    """Cells stripped of surrounding spaces, with empty cells as NA (string dtype)."""
    text = values.astype(str).str.strip()
    return text.where(text != "").astype(model.STR)


def sheet_prefix(sheet: str, *, several: bool) -> str:
    """``"Sheet 'X': "`` when a workbook has several sheets, else empty."""
    return f"Sheet '{sheet}': " if several else ""


NAME_LABELS: Final = {
    "nama": "nama",
    "nama_puskesmas_induk": "nama puskesmas induk",
    "nama_puskesmas": "nama puskesmas",
    "nama_desa": "nama desa",
    "nama_kecamatan": "nama kecamatan",
}


def check_name_lengths(
    names: Mapping[str, pd.Series],
    *,
    rows: Sequence[int],
    columns: Mapping[str, str | None],
    prefix: str,
    issues: IssueLog,
) -> np.ndarray:
    """Reject (and report) rows with a name longer than :data:`~loaders.limits.MAX_NAME_LENGTH`; never cut one.

    Parameters
    ----------
    names
        Field (a key of :data:`NAME_LABELS`) -> its cells, all aligned by position.
    rows
        Spreadsheet row number of each position.
    columns
        Field -> source column, for the report.
    prefix
        ``"Sheet 'X': "`` or empty (:func:`sheet_prefix`).
    issues
        Receives one ``nama_terlalu_panjang`` rejection per row.

    Returns
    -------
    numpy.ndarray
        True where a row has a name that is too long.
    """
    count = len(rows)
    too_long = np.zeros(count, dtype=bool)
    for name_field, values in names.items():
        lengths = values.astype(model.STR).str.len().fillna(0).astype("int64").to_numpy()
        bad = lengths > MAX_NAME_LENGTH
        for position in np.flatnonzero(bad & ~too_long):
            issues.add(
                DITOLAK,
                "nama_terlalu_panjang",
                f"{prefix}{NAME_LABELS[name_field]} {angka(int(lengths[position]))} karakter, melebihi batas "
                f"{angka(MAX_NAME_LENGTH)} karakter; baris ditolak (nama tidak dipotong). Perpendek namanya lalu "
                "impor lagi.",
                baris=int(rows[position]),
                kolom=columns.get(name_field),
            )
        too_long |= bad
    return too_long


@dataclass(frozen=True)
class MappedSheet:
    """One sheet ready for parsing: its raw frame and its column mapping."""

    name: str
    target: str
    frame: pd.DataFrame
    mapping: dict[str, str]


def map_sheets(
    frames: Mapping[str, pd.DataFrame],
    *,
    targets: Mapping[str, str],
    overrides: Mapping[str, str] | None,
    source: str,
    skip_incomplete: bool,
) -> tuple[list[MappedSheet], list[str]]:
    """Detect the column mapping of each sheet and check its required columns.

    Parameters
    ----------
    frames
        Sheet name -> raw frame, from :func:`read_tables`.
    targets
        Sheet name -> import target (sheets not listed are not used).
    overrides
        ``--map`` overrides; each applies to the sheets that have that column.
    source
        File name, for messages.
    skip_incomplete
        Leave out (with a note) sheets missing required columns, as long as one
        sheet is usable; otherwise such a sheet is an error.

    Returns
    -------
    tuple
        The usable sheets and Indonesian notes about skipped sheets.

    Raises
    ------
    InputError
        Unknown override field, override column found in no sheet, or missing
        required columns.
    """
    given = dict(overrides or {})
    check_override_fields(given, targets=sorted(set(targets.values())))
    several = len(targets) > 1
    mapped: list[MappedSheet] = []
    notes: list[str] = []
    errors: list[InputError] = []
    used: set[str] = set()
    for name, target in targets.items():
        frame = frames[name]
        columns = [c for c in frame.columns if c != ROW_COLUMN]
        own = {c: f for c, f in given.items() if override_applies(c, columns) and f in FIELDS[target]}
        mapping = detect_mapping(columns, target=target, overrides=own)
        where = f"sheet '{name}' berkas {source}" if several else f"berkas {source}"
        try:
            check_required(mapping, target=target, where=where, columns=columns)
        except InputError as exc:
            if not skip_incomplete:
                raise
            errors.append(exc)
            notes.append(f"Sheet '{name}' dilewati: {exc}")
            continue
        used |= set(own)
        mapped.append(MappedSheet(name, target, frame, mapping))
    if not mapped:
        raise errors[0]
    unused = [c for c in given if c not in used]
    if unused:
        msg = (
            f"--map: kolom {', '.join(repr(c) for c in unused)} tidak ada di {source} "
            "(atau field-nya tidak berlaku untuk sheet yang memuat kolom itu). Periksa ejaan judul kolom."
        )
        raise InputError(msg)
    return mapped, notes


def mapping_for_report(sheets: Sequence[MappedSheet]) -> dict[str, str]:
    """Source column -> field of all sheets (``Sheet!Kolom`` keys when there are several)."""
    several = len(sheets) > 1
    return {(f"{s.name}!{c}" if several else c): f for s in sheets for c, f in s.mapping.items()}


def prepared_table_import(
    path: Path,
    *,
    jenis_impor: str,
    layer: str,
    content: pd.DataFrame,
    sheets: Sequence[MappedSheet],
    baris_dibaca: int,
    diterima: int,
    issues: IssueLog,
    notes: Sequence[str],
    persisted: Collection[str],
    catatan_sumber: str,
) -> PreparedImport:
    """Return the :class:`PreparedImport` of a tabular import: its report, one layer, mapping and findings.

    Parameters
    ----------
    path
        The imported file (its name and SHA-256 go into the report).
    jenis_impor
        Kind of import (``fasilitas`` | ``laporan`` | ``wilayah_kerja``).
    layer, content
        Name and full new content of the one layer the import writes.
    sheets
        The mapped sheets; their mappings become the report's mapping.
    baris_dibaca, diterima
        Rows read and rows accepted.
    issues
        Findings of the import.
    notes
        File-level notes, in order.
    persisted
        Finding kinds kept in the store (see :func:`catatan_frame`).
    catatan_sumber
        Key under which the findings replace those of an earlier import of the same kind.
    """
    report = ImportReport(
        jenis_impor=jenis_impor,
        berkas=path.name,
        sha256=file_sha256(path),
        baris_dibaca=baris_dibaca,
        diterima=diterima,
        masalah=tuple(issues.items),
        catatan=tuple(notes),
    )
    return PreparedImport(
        report=report,
        layers={layer: content},
        mapping=mapping_for_report(sheets),
        catatan=catatan_frame(issues.items, kinds=persisted),
        catatan_sumber=catatan_sumber,
    )
