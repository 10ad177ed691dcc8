"""Working areas (wilayah kerja): which puskesmas serves each desa.

Rules (documented for the dinas in the README):

1. A desa listed in the given table (layer ``wilayah_kerja``) goes to the
   puskesmas of the table (``sumber = 'tabel'``); the table always wins.
2. Every other desa is derived (``sumber = 'turunan'``) from the puskesmas
   inside the district (a puskesmas whose point lies in no desa polygon is
   excluded and reported): the puskesmas standing in the desa's kecamatan;
   with several, the nearest; with none, the nearest in the desa's
   kabupaten. "Nearest" is the straight-line distance in the metric CRS from
   the desa's representative point to the puskesmas point; ties go to the
   smallest ``kode_puskesmas``. A kabupaten without any puskesmas inside
   leaves its desa without working area (reported).
3. Fix-up, so every puskesmas inside the district serves at least one desa:
   a puskesmas left without desa takes the (derived) desa it stands in,
   provided the puskesmas currently serving that desa keeps at least one
   desa. When it cannot (the desa also hosts another puskesmas whose only
   desa it is, or it was given by the table), it takes the nearest derived
   desa of its kecamatan, then of its kabupaten, whose current puskesmas
   keeps at least one desa (ties: smallest ``kode_desa``). A puskesmas for
   which no such desa exists stays without desa and is reported. Table rows
   are never changed by the fix-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from loaders import model

TABEL: Final = "tabel"
TURUNAN: Final = "turunan"
COLUMNS: Final = ("kode_desa", "kode_puskesmas", "nama_puskesmas", "sumber")


@dataclass(frozen=True)
class DesaPoints:
    """Desa in position order: kecamatan/kabupaten group ids and metric representative points."""

    kode_desa: np.ndarray
    kecamatan: np.ndarray
    kabupaten: np.ndarray
    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class PuskesmasPoints:
    """Puskesmas inside the district (one per code), sorted by code.

    ``desa`` is the position of the desa it stands in; ``x, y`` its metric point.
    """

    kode: np.ndarray
    nama: np.ndarray
    desa: np.ndarray
    x: np.ndarray
    y: np.ndarray


def assign(desa: DesaPoints, puskesmas: PuskesmasPoints, table: pd.DataFrame) -> pd.DataFrame:
    """Return the working area of every desa (see the module docstring).

    Parameters
    ----------
    desa
        Every desa of the layer, in position order.
    puskesmas
        The puskesmas inside the district, one per code, sorted by code.
    table
        Model layer ``wilayah_kerja`` (may be empty).

    Returns
    -------
    pandas.DataFrame
        ``kode_desa, kode_puskesmas, nama_puskesmas, sumber`` in desa order;
        desa without working area have NA puskesmas and ``sumber``.
    """
    n = len(desa.kode_desa)
    given_kode, given_nama = _table_lookup(desa.kode_desa, table)
    from_table = ~pd.isna(given_kode)
    owner = _derive(desa, puskesmas, free=~from_table)
    owner = _fix_up(desa, puskesmas, owner, free=~from_table, table_codes=given_kode)
    kode = np.asarray(given_kode, dtype=object).copy()
    nama = np.asarray(given_nama, dtype=object).copy()
    derived = (~from_table) & (owner >= 0)
    kode[derived] = puskesmas.kode[owner[derived]]
    nama[derived] = puskesmas.nama[owner[derived]]
    sumber = np.full(n, None, dtype=object)
    sumber[from_table] = TABEL
    sumber[derived] = TURUNAN
    return pd.DataFrame(
        {
            "kode_desa": pd.Series(desa.kode_desa, dtype=model.STR),
            "kode_puskesmas": pd.Series(kode, dtype=model.STR),
            "nama_puskesmas": pd.Series(nama, dtype=model.STR),
            "sumber": pd.Series(sumber, dtype=model.STR),
        }
    )


def _table_lookup(kode_desa: np.ndarray, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Puskesmas code and name given by the table for each desa (None when not listed)."""
    n = len(kode_desa)
    kode = np.full(n, None, dtype=object)
    nama = np.full(n, None, dtype=object)
    if table.empty:
        return kode, nama
    rows = table.dropna(subset=["kode_desa", "kode_puskesmas"])
    normalised = rows["kode_desa"].map(model.normalise_kode_desa)
    rows = rows.assign(kode_desa=normalised).dropna(subset=["kode_desa"]).drop_duplicates("kode_desa")
    pos = pd.Index(kode_desa).get_indexer(rows["kode_desa"])
    hit = pos >= 0
    kode[pos[hit]] = rows["kode_puskesmas"].to_numpy(dtype=object)[hit]
    nama[pos[hit]] = rows["nama_puskesmas"].to_numpy(dtype=object, na_value=None)[hit]
    return kode, nama


def _nearest_by_group(
    desa_pos: np.ndarray,
    desa_group: np.ndarray,
    desa: DesaPoints,
    pusk_group: np.ndarray,
    puskesmas: PuskesmasPoints,
) -> tuple[np.ndarray, np.ndarray]:
    """For each desa position, the nearest puskesmas sharing its group id.

    Builds every (desa, puskesmas of its group) pair with a ragged numpy
    expansion (no merge, no sort of the pairs), then keeps the nearest per
    desa with ``minimum.reduceat``; ties go to the smaller puskesmas
    position, i.e. the smaller code.

    Returns
    -------
    tuple of numpy.ndarray
        Desa positions that found one, and the puskesmas position of each.
    """
    order = np.argsort(pusk_group, kind="stable")
    order = order[pusk_group[order] >= 0]  # -1: no code, never a match
    sorted_groups = pusk_group[order]
    groups = np.where(desa_group[desa_pos] >= 0, desa_group[desa_pos], -2)
    start = np.searchsorted(sorted_groups, groups, side="left")
    counts = np.searchsorted(sorted_groups, groups, side="right") - start
    has = counts > 0
    if not has.any():
        return np.empty(0, dtype="int64"), np.empty(0, dtype="int64")
    start, counts, found = start[has], counts[has], desa_pos[has]
    segment_start = np.cumsum(counts) - counts
    d = np.repeat(found, counts)
    within = np.arange(counts.sum()) - np.repeat(segment_start, counts)
    p = order[np.repeat(start, counts) + within]  # ascending p (code) inside each desa's segment
    dist2 = (desa.x[d] - puskesmas.x[p]) ** 2 + (desa.y[d] - puskesmas.y[p]) ** 2
    dist2 = np.where(np.isnan(dist2), np.inf, dist2)
    nearest = dist2 == np.repeat(np.minimum.reduceat(dist2, segment_start), counts)
    hits = np.flatnonzero(nearest)
    segment = np.repeat(np.arange(len(found)), counts)[hits]
    first = hits[np.r_[True, segment[1:] != segment[:-1]]]  # first minimum per desa = smallest code on ties
    return found, p[first]


def _derive(desa: DesaPoints, puskesmas: PuskesmasPoints, *, free: np.ndarray) -> np.ndarray:
    """Derived puskesmas position of every free desa (-1: none, or not free)."""
    owner = np.full(len(desa.kode_desa), -1, dtype="int64")
    if len(puskesmas.kode) == 0:
        return owner
    pending = np.flatnonzero(free)
    for desa_group, pusk_group in (
        (desa.kecamatan, desa.kecamatan[puskesmas.desa]),
        (desa.kabupaten, desa.kabupaten[puskesmas.desa]),
    ):
        found, nearest = _nearest_by_group(pending, desa_group, desa, pusk_group, puskesmas)
        owner[found] = nearest
        pending = pending[owner[pending] < 0]
    return owner


def _fix_up(
    desa: DesaPoints,
    puskesmas: PuskesmasPoints,
    owner: np.ndarray,
    *,
    free: np.ndarray,
    table_codes: np.ndarray,
) -> np.ndarray:
    """Give a desa to each inside puskesmas left without one (rule 3); returns a new owner array."""
    owner = owner.copy()
    n_pusk = len(puskesmas.kode)
    if n_pusk == 0:
        return owner
    counts = np.bincount(owner[owner >= 0], minlength=n_pusk)
    counts += _table_counts(puskesmas.kode, table_codes)
    orphans = np.flatnonzero(counts == 0)
    if orphans.size == 0:
        return owner
    orphans = _take_host_desa(puskesmas, owner, counts, orphans, free=free)
    for orphan in orphans:  # the rare rest, each step vectorised over one kabupaten
        target = _nearest_spare_desa(desa, puskesmas, owner, counts, int(orphan), free=free)
        if target >= 0:
            if owner[target] >= 0:
                counts[owner[target]] -= 1
            owner[target] = orphan
            counts[orphan] += 1
    return owner


def _table_counts(kode: np.ndarray, table_codes: np.ndarray) -> np.ndarray:
    given = pd.Series(table_codes).dropna()
    if given.empty:
        return np.zeros(len(kode), dtype="int64")
    return pd.Index(kode).map(given.value_counts()).fillna(0).to_numpy(dtype="int64")


def _take_host_desa(
    puskesmas: PuskesmasPoints,
    owner: np.ndarray,
    counts: np.ndarray,
    orphans: np.ndarray,
    *,
    free: np.ndarray,
) -> np.ndarray:
    """Vectorised first pass: orphans take their host desa when its owner keeps >= 1 desa.

    Updates ``owner`` and ``counts`` in place (both are local to the fix-up);
    returns the orphans still without desa.
    """
    host = puskesmas.desa[orphans]
    current = owner[host]
    ok = free[host] & ((current < 0) | (counts[np.clip(current, 0, None)] >= 2))
    candidates = pd.DataFrame({"orphan": orphans[ok], "host": host[ok], "current": current[ok]})
    candidates = candidates.drop_duplicates("host", keep="first")  # two orphans in one desa: smaller code wins
    rank = candidates.groupby("current").cumcount().to_numpy()
    spare = np.where(candidates["current"] >= 0, counts[np.clip(candidates["current"], 0, None)] - 1, np.inf)
    taken = candidates[rank < spare]
    owned = taken["current"].to_numpy()
    np.subtract.at(counts, owned[owned >= 0], 1)
    owner[taken["host"].to_numpy()] = taken["orphan"].to_numpy()
    counts[taken["orphan"].to_numpy()] += 1
    return np.setdiff1d(orphans, taken["orphan"].to_numpy())


def _nearest_spare_desa(
    desa: DesaPoints,
    puskesmas: PuskesmasPoints,
    owner: np.ndarray,
    counts: np.ndarray,
    orphan: int,
    *,
    free: np.ndarray,
) -> int:
    """Host desa first, then nearest in kecamatan, then in kabupaten, whose owner keeps a desa; -1 if none."""
    host = int(puskesmas.desa[orphan])
    pool = np.flatnonzero((desa.kabupaten == desa.kabupaten[host]) & free)
    current = owner[pool]
    pool = pool[(current < 0) | (counts[np.clip(current, 0, None)] >= 2)]
    if pool.size == 0:
        return -1
    dist2 = (desa.x[pool] - puskesmas.x[orphan]) ** 2 + (desa.y[pool] - puskesmas.y[orphan]) ** 2
    other_kecamatan = desa.kecamatan[pool] != desa.kecamatan[host]
    not_host = pool != host
    return int(pool[np.lexsort((pool, dist2, other_kecamatan, not_host))[0]])
