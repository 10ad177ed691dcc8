"""Desa status for one month: counts per desa and the status.

* ``posyandu_total``: unique posyandu (one per code) counting in the desa,
  whatever their status; ``posyandu_aktif``: those active by the rule
  (:mod:`geo.activity`); ``posyandu_lapor``: those with a report row for the
  month (whatever its ``buka``).
* ``pustu_aktif``: pustu with status ``aktif`` counting in the desa (one per
  name and desa); ``pustu_total`` all of them; ``pustu_standar`` active pustu
  with >= 1 perawat and >= 1 bidan (the staffing standard, reported apart).
  When facility status is dated (snapshots or ``tanggal_aktif``/``tanggal_nonaktif``,
  rule in :mod:`geo.dating`) these are the rows in force in the month, and a
  row counts as active only within its dates; else today's rows in every month.
* ``ada_puskesmas``: a puskesmas inside the district stands in the desa (dated:
  in force in the month and within its dates, whatever its status).
* ``jarak_pustu_km``: straight line from the desa's representative point to
  the nearest active pustu anywhere in the data (metric CRS), NaN when there
  is no active pustu at all.
* ``status``: one of the registered statuses (:mod:`geo.statuses`), from
  what the desa lacks: ``lengkap`` (pustu need met and >= 1 active posyandu),
  ``tanpa_pustu``, ``tanpa_posyandu_aktif``, ``tanpa_keduanya``. The pustu
  need is met by ``pustu_aktif > 0``, or by ``ada_puskesmas`` when the rule
  ``puskesmas_sebagai_pustu`` is on.
* ``ada_data``: the desa's kabupaten/kota has facility data (at least one
  facility of any kind and status counts in one of its desa); when not, the
  status is ``tanpa_data`` (no need is judged).
* ``ada_laporan``: the desa's kabupaten/kota has reports (at least one report
  row, any month, of a posyandu counting in one of its desa). When it has
  facility data but no report at all, its posyandu are *belum melapor*, not
  inactive: the posyandu need of a desa there is met when the desa has at
  least one posyandu (a desa with no posyandu at all still lacks one).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from geo import statuses

STATUSES: Final = statuses.CODES  # the registry's codes, in the one display order (geo.statuses)

DESA_STATUS_COLUMNS: Final = (
    "kode_desa",
    "nama_desa",
    "kode_kecamatan",
    "nama_kecamatan",
    "puskesmas",
    "pustu_aktif",
    "ada_puskesmas",
    "posyandu_total",
    "posyandu_aktif",
    "posyandu_lapor",
    "jarak_pustu_km",
    "status",
)
EXTRA_COLUMNS: Final = (
    "kode_puskesmas",
    "kode_kabupaten",
    "nama_kabupaten",
    "kode_provinsi",
    "nama_provinsi",
    "pustu_total",
    "pustu_standar",
    "jenis",
    "ada_data",
    "ada_laporan",
)
DESA_TABLE_COLUMNS: Final = DESA_STATUS_COLUMNS + EXTRA_COLUMNS
MONTH_COLUMNS: Final = ("posyandu_aktif", "posyandu_lapor", "status")


def count_per_desa(desa_pos: np.ndarray, n_desa: int, *, mask: np.ndarray | None = None) -> np.ndarray:
    """How many items fall in each desa position (items with position -1 or masked out are skipped)."""
    keep = desa_pos >= 0
    if mask is not None:
        keep &= mask
    return np.bincount(desa_pos[keep], minlength=n_desa).astype("int64")


def classify(*, pustu_ok: np.ndarray, posyandu_ok: np.ndarray, has_data: np.ndarray | None = None) -> np.ndarray:
    """Status of each desa from its two needs (see the module docstring).

    A desa with data (``has_data``, default all) gets the registered status
    (:data:`geo.statuses.STATUSES`) whose ``needs_pustu``/``needs_posyandu``
    say what it lacks; a desa without data gets the status whose
    ``has_data`` is False (``tanpa_data``), whatever its needs.
    """
    data = np.ones(np.shape(pustu_ok), dtype=bool) if has_data is None else np.asarray(has_data, dtype=bool)
    return np.select(
        [
            data & (pustu_ok != s.needs_pustu) & (posyandu_ok != s.needs_posyandu) if s.has_data else ~data
            for s in statuses.STATUSES
        ],
        list(statuses.CODES),
        default="",
    )


def month_table(
    base: pd.DataFrame,
    *,
    posyandu_aktif: np.ndarray,
    posyandu_lapor: np.ndarray,
    puskesmas_sebagai_pustu: bool,
) -> pd.DataFrame:
    """Return ``base`` (the month-independent desa table) completed for one month.

    Parameters
    ----------
    base
        One row per desa with every column of :data:`DESA_TABLE_COLUMNS`
        except :data:`MONTH_COLUMNS`.
    posyandu_aktif, posyandu_lapor
        Per row of ``base``: active posyandu and posyandu with a report this month.
    puskesmas_sebagai_pustu
        Whether a puskesmas standing in the desa meets its pustu need.
    """
    pustu_ok = base["pustu_aktif"].to_numpy() > 0
    if puskesmas_sebagai_pustu:
        pustu_ok = pustu_ok | base["ada_puskesmas"].to_numpy(dtype=bool)
    belum_melapor = ~base["ada_laporan"].to_numpy(dtype=bool) & (base["posyandu_total"].to_numpy() > 0)
    status = classify(
        pustu_ok=pustu_ok,
        posyandu_ok=(posyandu_aktif > 0) | belum_melapor,
        has_data=base["ada_data"].to_numpy(dtype=bool),
    )
    table = base.assign(
        posyandu_aktif=posyandu_aktif.astype("int64"),
        posyandu_lapor=posyandu_lapor.astype("int64"),
        status=pd.Series(status, index=base.index, dtype="string"),
    )
    return table.loc[:, list(DESA_TABLE_COLUMNS)]
