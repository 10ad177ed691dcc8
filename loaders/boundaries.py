"""The village-boundary importer: any common boundary file -> the store's ``desa`` layer.

:func:`prepare_boundaries` reads a GeoJSON, Shapefile, GeoPackage, KML or
GeoParquet file (:mod:`loaders.boundary_reader`), recognises its column
convention (:mod:`loaders.boundary_columns`), reprojects it to EPSG:4326
(:mod:`loaders.crs`), builds the desa attributes row by row
(:mod:`loaders.boundary_rows`) and repairs or rejects geometries
(:mod:`loaders.boundary_geometry`). It writes nothing: the Data page previews
the returned :class:`~loaders.prepared.PreparedImport` and
:func:`loaders.prepared.commit_prepared` stores it atomically.

The new ``desa`` layer is the store's current desa minus every desa of a
kabupaten/kota present in the file, plus the file's desa: a province store is
filled district by district, and importing a district again replaces it.
Kabupaten codes are compared by their digits, so a BPS-keyed file (``3206``)
replaces the Kemendagri-keyed desa of the same district (``32.06``) instead of
leaving two overlapping copies; the report says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd

from loaders import model
from loaders.boundary_columns import ColumnMatch, detect_columns
from loaders.boundary_geometry import GeometryIssue, clean_geometries
from loaders.boundary_reader import read_boundary_file
from loaders.boundary_rows import RowResult, build_attributes
from loaders.crs import to_wgs84
from loaders.exceptions import InputError
from loaders.findings import persisted_by, tingkat
from loaders.import_report import DITOLAK, ImportReport, RowIssue
from loaders.prepared import PreparedImport
from loaders.store import Store, file_sha256

JENIS_IMPOR: Final = "batas"
CATATAN_SUMBER: Final = "batas"
_MAX_REASONS: Final = 3


def prepare_boundaries(path: Path, *, store: Store, layer: str | None = None) -> PreparedImport:
    """Read and validate a village boundary file; return the full new ``desa`` layer, unwritten.

    Parameters
    ----------
    path
        GeoJSON (.geojson/.json), Shapefile (.zip or .shp), GeoPackage (.gpkg),
        KML/KMZ or GeoParquet (.parquet) file.
    store
        The store whose current desa the file is merged into (only read here).
    layer
        GeoPackage/KML layer, or Shapefile name inside a .zip; detected when None.

    Returns
    -------
    PreparedImport
        ``layers["desa"]`` is the whole new desa layer; the report (jenis_impor
        ``"batas"``) counts rows read, accepted, repaired and rejected.

    Raises
    ------
    InputError
        Unreadable or unsuitable file, no code column, projected coordinates
        without a CRS, duplicate desa codes, or no acceptable row at all.
    """
    path = Path(path)
    berkas = path.name
    source = read_boundary_file(path, layer=layer)
    match = detect_columns(pd.DataFrame(source.frame.drop(columns=source.frame.geometry.name)), berkas=berkas)
    frame, crs_notes = to_wgs84(source.frame, berkas=berkas)
    rows = build_attributes(match, berkas=berkas)
    geometries, geometry_issues = clean_geometries(frame.geometry)
    issues = _combine_issues(rows, geometry_issues)
    accepted = _accepted_positions(len(frame), issues)
    if not accepted:
        raise InputError(_nothing_accepted(berkas, len(frame), issues))
    desa = _desa_frame(rows, geometries, accepted)
    layer_desa, merge_notes = _merge_with_store(store.read_desa(), desa)
    report = ImportReport(
        jenis_impor=JENIS_IMPOR,
        berkas=berkas,
        sha256=file_sha256(path),
        baris_dibaca=len(frame),
        diterima=len(desa),
        masalah=issues,
        catatan=(*source.notes, *_column_notes(match, berkas=berkas), *crs_notes, *merge_notes),
    )
    return PreparedImport(
        report=report,
        layers={model.LAYER_DESA: layer_desa},
        mapping=match.mapping,
        catatan=_findings(issues, store=store, kabupaten=_kabupaten_digits(desa)),
        catatan_sumber=CATATAN_SUMBER,
    )


def _combine_issues(rows: RowResult, geometry_issues: Sequence[GeometryIssue]) -> tuple[RowIssue, ...]:
    """Attribute and geometry issues, one rejection per row, nothing else for rejected rows."""
    codes = rows.attributes["kode_desa"]
    from_geometry = [
        RowIssue(g.tindakan, g.jenis, g.alasan, g.position + 1, "geometry", _code_at(codes, g.position))
        for g in geometry_issues
    ]
    labelled = [_with_subject(i, codes) for i in rows.issues]
    every = sorted([*labelled, *from_geometry], key=lambda i: (i.baris or 0, i.tindakan != DITOLAK))
    rejected: dict[int, RowIssue] = {}
    others: list[RowIssue] = []
    for issue in every:
        if issue.tindakan == DITOLAK and issue.baris is not None:
            first = rejected.get(issue.baris)
            rejected[issue.baris] = issue if first is None else _join(first, issue)
        else:
            others.append(issue)
    kept = [i for i in others if i.baris not in rejected]
    return tuple(sorted([*rejected.values(), *kept], key=lambda i: i.baris or 0))


def _with_subject(issue: RowIssue, codes: pd.Series) -> RowIssue:
    """Return the issue with its row's desa code as subject, when it has none yet."""
    if issue.subjek is not None or issue.baris is None:
        return issue
    return dataclasses.replace(issue, subjek=_code_at(codes, issue.baris - 1))


def _join(first: RowIssue, second: RowIssue) -> RowIssue:
    alasan = f"{first.alasan} Juga: {second.alasan}"
    return RowIssue(first.tindakan, first.jenis, alasan, first.baris, first.kolom, first.subjek)


def _code_at(codes: pd.Series, position: int) -> str | None:
    value = codes.iloc[position]
    return value if isinstance(value, str) else None


def _accepted_positions(count: int, issues: Iterable[RowIssue]) -> list[int]:
    rejected = {i.baris - 1 for i in issues if i.tindakan == DITOLAK and i.baris is not None}
    return [p for p in range(count) if p not in rejected]


def _nothing_accepted(berkas: str, count: int, issues: Sequence[RowIssue]) -> str:
    reasons: list[str] = []
    for issue in issues:
        if issue.tindakan == DITOLAK and issue.jenis not in {r.split(":")[0] for r in reasons}:
            reasons.append(f"{issue.jenis}: baris {issue.baris}: {issue.alasan.rstrip('.')}")
        if len(reasons) == _MAX_REASONS:
            break
    return (
        f"Tidak ada satu desa pun dari berkas {berkas} yang dapat diterima ({count} baris dibaca, semuanya "
        f"ditolak). Contoh alasannya: {' | '.join(reasons)}. Perbaiki berkasnya lalu ulangi."
    )


def _desa_frame(rows: RowResult, geometries: Sequence[object], accepted: Sequence[int]) -> gpd.GeoDataFrame:
    attributes = rows.attributes.iloc[list(accepted)].reset_index(drop=True)
    shapes = gpd.GeoSeries([geometries[p] for p in accepted], crs=model.CRS)
    return model.conform(gpd.GeoDataFrame(attributes, geometry=shapes, crs=model.CRS), model.LAYER_DESA)


def _digits(value: object) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit()) if isinstance(value, str) else ""


def _kabupaten_digits(desa: pd.DataFrame) -> set[str]:
    return {d for d in desa["kode_kabupaten"].map(_digits) if d}


def _merge_with_store(existing: gpd.GeoDataFrame, desa: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """Existing desa minus the file's kabupaten/kota, plus the file's desa (sorted by code)."""
    kabupaten = _kabupaten_digits(desa)
    replaced = existing["kode_kabupaten"].map(_digits).isin(kabupaten)
    kept = existing[~replaced]
    parts = [frame for frame in (kept, desa) if not frame.empty]
    merged = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    merged = merged.sort_values("kode_desa", kind="stable").reset_index(drop=True)
    layer = model.conform(gpd.GeoDataFrame(merged, geometry="geometry", crs=model.CRS), model.LAYER_DESA)
    return layer, _replacement_notes(existing[replaced], desa)


def _replacement_notes(replaced: pd.DataFrame, desa: pd.DataFrame) -> tuple[str, ...]:
    if replaced.empty:
        return ()
    codes = ", ".join(sorted({str(k) for k in replaced["kode_kabupaten"].dropna()}))
    note = f"Menggantikan {len(replaced)} desa lama dari kabupaten/kota {codes} di penyimpanan."
    old_systems = set(replaced["sistem_kode"].dropna()) - set(desa["sistem_kode"].dropna())
    if old_systems:
        note += f" Desa lama itu memakai kode {', '.join(sorted(old_systems))}; kini diganti kode dari berkas ini."
    return (note,)


def _column_notes(match: ColumnMatch, *, berkas: str) -> tuple[str, ...]:
    used = ", ".join(f"{source} -> {target}" for source, target in match.mapping.items())
    notes = [f"Kolom yang dipakai: {used}.", *match.notes]
    if match.sistem_kode == model.BPS:
        notes.append(
            f"Berkas {berkas} memakai kode desa BPS (kolom {match.fields['kode_desa']}), bukan kode Kemendagri. "
            "Kode BPS tidak dapat dikonversi ke kode Kemendagri dengan rumus, jadi desa disimpan dengan kode "
            "BPS-nya (10 angka tanpa titik, sistem kode 'bps'). Fasilitas dan wilayah kerja berkode desa "
            "Kemendagri tidak akan cocok dengan desa ini; bila ada, pakai berkas batas berkode Kemendagri "
            "(misalnya BIG RBI dengan kolom KDEPUM)."
        )
    return tuple(notes)


def _findings(issues: Sequence[RowIssue], *, store: Store, kabupaten: set[str]) -> pd.DataFrame:
    """Return findings for the data-quality table: this file's, plus earlier boundary findings of other districts."""
    fresh = pd.DataFrame(
        [
            {
                "jenis": i.jenis,
                "tingkat": tingkat(i.jenis),
                "subjek": i.subjek,
                "pesan": i.alasan,
                "baris": i.baris,
            }
            for i in issues
            if i.jenis in persisted_by(JENIS_IMPOR)
        ],
        columns=["jenis", "tingkat", "subjek", "pesan", "baris"],
    )
    earlier = store.read_catatan()
    earlier = earlier[earlier["sumber"] == CATATAN_SUMBER]
    other_district = earlier["subjek"].map(lambda s: bool(_digits(s)) and _digits(s)[:4] not in kabupaten)
    parts = [model.conform(f, model.LAYER_CATATAN) for f in (earlier[other_district.astype(bool)], fresh)]
    return model.conform(pd.concat(parts, ignore_index=True), model.LAYER_CATATAN)
