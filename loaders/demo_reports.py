"""Monthly posyandu reports of the synthetic demo district (2025-01 .. 2026-10).

Each posyandu follows a seeded profile: most open 10-12 months a year, some
only 6-9 (in a few desa all of them), a few open only from some month of
2025, a few stop reporting in the last months, and those marked *tidak
aktif* stopped during 2025. Some months are simply not reported (no row), fewer
posyandu open in the Lebaran month, and two rows carry codes of no posyandu.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from loaders import model
from loaders.demo_facilities import KODE_POSYANDU_PREFIX

BULAN: Final = tuple(f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13))[:22]  # 2025-01 .. 2026-10
BULAN_LEBARAN: Final = ("2025-03", "2026-03")
BERHENTI_LAPOR: Final = 5  # posyandu with no report in the last months
KODE_TIDAK_DIKENAL: Final = (f"{KODE_POSYANDU_PREFIX}99901", f"{KODE_POSYANDU_PREFIX}99902")
TIDAK_LAPOR_P: Final = 0.03  # chance a month is not reported at all
DESA_LEMAH: Final = 0.08  # share of desa whose posyandu all open irregularly

# Mean visitors of one posyandu session per head of the desa population, per posyandu
_KUNJUNGAN: Final = {
    "balita": 0.08 * 0.7,
    "ibu_hamil": 0.018 * 0.6,
    "usia_sekolah_remaja": 0.25 * 0.05,
    "usia_produktif": 0.5 * 0.04,
    "lansia": 0.1 * 0.3,
}


def build_reports(posyandu: pd.DataFrame, penduduk: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """Return the ``laporan`` rows of the demo posyandu, sorted by code and month.

    Parameters
    ----------
    posyandu
        Posyandu rows (``kode``, ``kode_desa``, ``status``, ``jumlah_kader``);
        a code entered twice reports once. Posyandu whose master status is
        *tidak aktif* stopped reporting during 2025.
    penduduk
        Population per ``kode_desa`` (index), to scale visitor counts.
    rng
        The seeded generator.
    """
    master = posyandu.drop_duplicates("kode")
    per_desa = master.groupby("kode_desa")["kode"].transform("count")
    aktif = master[master["status"] == model.AKTIF]
    stopping = set(rng.choice(aktif["kode"].to_numpy(), size=BERHENTI_LAPOR, replace=False).tolist())
    desa = master["kode_desa"].unique()
    weak = set(rng.choice(desa, size=round(DESA_LEMAH * len(desa)), replace=False).tolist())
    parts: list[dict[str, np.ndarray]] = []
    for (_, row), share in zip(master.iterrows(), per_desa, strict=True):
        p_open = float(rng.uniform(0.45, 0.75)) if row["kode_desa"] in weak else _open_chance(rng)
        if row["status"] != model.AKTIF:
            last = int(rng.integers(3, 12))
        elif row["kode"] in stopping:
            last = len(BULAN) - int(rng.integers(3, 7))
        else:
            last = len(BULAN)
        scale = float(penduduk[row["kode_desa"]]) / share
        parts.append(_one_posyandu(row, scale=scale, p_open=p_open, last=last, rng=rng))
    parts.append(_unknown_codes(rng))
    reports = pd.DataFrame({column: np.concatenate([part[column] for part in parts]) for column in parts[0]})
    reports = reports.sort_values(["kode_posyandu", "bulan"], kind="stable").reset_index(drop=True)
    return model.conform(reports, model.LAYER_LAPORAN)


def _one_posyandu(
    row: pd.Series, *, scale: float, p_open: float, last: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """The reported months (before month number ``last``) of one posyandu, as columns."""
    months = np.array(BULAN)
    first = int(rng.integers(2, 12)) if rng.random() < 0.04 else 0  # a few start during 2025
    reported = (np.arange(len(months)) >= first) & (np.arange(len(months)) < last)
    reported &= rng.random(len(months)) >= TIDAK_LAPOR_P
    lebaran = np.isin(months, BULAN_LEBARAN)
    buka = rng.random(len(months)) < np.where(lebaran, p_open * 0.8, p_open)
    kader = int(row["jumlah_kader"])
    columns = {
        "kode_posyandu": np.full(len(months), row["kode"], dtype=object),
        "bulan": months.astype(object),
        "buka": buka,
        "kader_hadir": np.where(buka, rng.integers(max(2, kader - 3), kader + 1, size=len(months)), 0),
    }
    for column, rate in _KUNJUNGAN.items():
        columns[column] = np.where(buka, rng.poisson(rate * scale, size=len(months)), 0)
    return {column: values[reported] for column, values in columns.items()}


def _open_chance(rng: np.random.Generator) -> float:
    """Monthly chance of opening: most posyandu are regular, some irregular."""
    draw = rng.random()
    if draw < 0.75:
        return float(rng.uniform(0.9, 1.0))
    if draw < 0.93:
        return float(rng.uniform(0.5, 0.78))
    return float(rng.uniform(0.78, 0.9))


def _unknown_codes(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Two report rows for posyandu codes that are in no facility list."""
    return {
        "kode_posyandu": np.array(KODE_TIDAK_DIKENAL, dtype=object),
        "bulan": np.array(BULAN[-2:], dtype=object),
        "buka": np.array([True, True]),
        "kader_hadir": rng.integers(3, 6, size=2),
        "balita": rng.integers(20, 50, size=2),
        "ibu_hamil": rng.integers(1, 6, size=2),
        "usia_sekolah_remaja": rng.integers(2, 12, size=2),
        "usia_produktif": rng.integers(5, 20, size=2),
        "lansia": rng.integers(5, 25, size=2),
    }
