"""What to fix first in a working area: the ranked "Prioritas perbaikan" list (pure pandas).

Only desa with a gap are listed. They are ranked by class (the status's
``priority_class`` in :mod:`geo.statuses`), then by the size of the gap
inside the class (distance when it lacks a pustu, inactive posyandu when it
lacks a posyandu):

1. ``tanpa_keduanya`` (neither an active pustu nor an active posyandu):
   farther from the nearest active pustu first (no active pustu anywhere
   counts as infinitely far), then more inactive posyandu, then more people;
2. ``tanpa_posyandu_aktif``: more inactive posyandu first (a posyandu to
   revive), then more people;
3. ``tanpa_pustu``: farther from the nearest active pustu first, then more
   people.

Ties are broken by desa name, then code, so the order is deterministic. The
result says what to do (``tindakan``, the status's ``action``):
``pustu_dan_posyandu``, ``posyandu`` or ``pustu``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from geo.statuses import STATUSES

# Class of each gap status (lower is more urgent) and what to do, from the registry (geo.statuses).
PRIORITY_CLASS: Final[dict[str, int]] = {s.code: s.priority_class for s in STATUSES if s.priority_class is not None}
ACTION: Final[dict[str, str]] = {s.code: s.action for s in STATUSES if s.action is not None}
NEEDS_PUSTU: Final[tuple[str, ...]] = tuple(s.code for s in STATUSES if s.needs_pustu)
NEEDS_POSYANDU: Final[tuple[str, ...]] = tuple(s.code for s in STATUSES if s.needs_posyandu)
REQUIRED_COLUMNS: Final = ("kode_desa", "nama_desa", "status", "posyandu_total", "posyandu_aktif", "jarak_pustu_km")
OUTPUT_COLUMNS: Final = (
    "peringkat",
    "kelas",
    "kode_desa",
    "nama_desa",
    "status",
    "tindakan",
    "posyandu_tidak_aktif",
    "posyandu_total",
    "jarak_pustu_km",
    "penduduk",
)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` as float64 (missing -> NaN); all NaN when the column is absent."""
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def rank_priorities(table: pd.DataFrame) -> pd.DataFrame:
    """Rank the desa with a gap: what to fix first.

    Parameters
    ----------
    table
        Rows of ``Coverage.desa_table(month)`` (at least
        :data:`REQUIRED_COLUMNS`; ``penduduk`` is used when present). Not
        modified.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OUTPUT_COLUMNS`, one row per desa with a gap (status
        neither ``lengkap`` nor ``tanpa_data``), most urgent first;
        ``peringkat`` counts from 1, ``kelas`` is 1-3 (:data:`PRIORITY_CLASS`),
        ``posyandu_tidak_aktif`` = total - active (0 where ``ada_laporan`` is
        False: not reported yet), ``jarak_pustu_km`` NaN when there is no
        active pustu at all, ``penduduk`` NaN when unknown.

    Raises
    ------
    KeyError
        When a required column is missing.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        msg = f"rank_priorities: kolom tidak ada: {', '.join(missing)}"
        raise KeyError(msg)
    status = table["status"].astype("object")
    gaps = table.loc[status.isin(list(PRIORITY_CLASS))]
    status = gaps["status"].astype("object").astype(str)
    total = _numbers(gaps, "posyandu_total").fillna(0)
    inactive = (total - _numbers(gaps, "posyandu_aktif").fillna(0)).clip(lower=0)
    if "ada_laporan" in gaps.columns:  # posyandu of a kabupaten/kota without reports have not reported: not inactive
        inactive = inactive.where(gaps["ada_laporan"].to_numpy(dtype=bool, na_value=True), 0.0)
    jarak = _numbers(gaps, "jarak_pustu_km")
    penduduk = _numbers(gaps, "penduduk")
    kelas = status.map(PRIORITY_CLASS).astype("int64")
    needs_pustu = status.isin(NEEDS_PUSTU)
    needs_posyandu = status.isin(NEEDS_POSYANDU)
    # Sort keys, ascending: negate "bigger is worse"; no active pustu anywhere = infinitely far.
    key_jarak = np.where(needs_pustu, -jarak.fillna(np.inf), 0.0)
    key_inactive = np.where(needs_posyandu, -inactive, 0.0)
    key_penduduk = -penduduk.fillna(-1.0)
    keys = pd.DataFrame(
        {
            "kelas": kelas.to_numpy(),
            "jarak": key_jarak,
            "inactive": key_inactive,
            "penduduk": key_penduduk.to_numpy(),
            "nama": gaps["nama_desa"].astype("object").fillna("").astype(str).str.lower().to_numpy(),
            "kode": gaps["kode_desa"].astype("object").astype(str).to_numpy(),
        }
    )
    order = keys.sort_values(["kelas", "jarak", "inactive", "penduduk", "nama", "kode"], kind="stable").index
    ranked = pd.DataFrame(
        {
            "kelas": kelas.to_numpy(),
            "kode_desa": gaps["kode_desa"].astype("object").astype(str).to_numpy(),
            "nama_desa": gaps["nama_desa"].astype("object").to_numpy(),
            "status": status.to_numpy(),
            "tindakan": status.map(ACTION).to_numpy(),
            "posyandu_tidak_aktif": inactive.astype("int64").to_numpy(),
            "posyandu_total": total.astype("int64").to_numpy(),
            "jarak_pustu_km": jarak.to_numpy(),
            "penduduk": penduduk.to_numpy(),
        }
    ).iloc[order.to_numpy()]
    ranked = ranked.reset_index(drop=True)
    ranked.insert(0, "peringkat", np.arange(1, len(ranked) + 1, dtype="int64"))
    return ranked.loc[:, list(OUTPUT_COLUMNS)]
