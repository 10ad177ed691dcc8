"""Tables of the Puskesmas and Desa pages, cut from engine frames (pure pandas, no streamlit).

Every function takes engine outputs (``Coverage.working_areas``,
``Coverage.facilities``, ``Coverage.posyandu_activity(month)``,
``Coverage.posyandu_monthly(...)``, ``Coverage.quality(month)``, the desa
table) and returns a new frame; inputs are never modified. Labels and number
formats are applied by the pages, not here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

import numpy as np
import pandas as pd

from geo.report import pustu_staffing as pustu_staffing  # the Puskesmas page's pustu table (one home: geo)
from loaders import model

GROUPS: Final = tuple(model.KELOMPOK_SIKLUS_HIDUP)
POSYANDU_COLUMNS: Final = (
    "kode",
    "nama",
    "kode_desa",
    "aktif",
    "bulan_buka",
    "lapor_bulan_ini",
    "laporan_terakhir",
    "berhenti_lapor",
    "belum_melapor",
)


def _text(values: pd.Series) -> pd.Series:
    return values.astype("object").where(values.notna(), None)


def working_area_desa(working_areas: pd.DataFrame, kode_puskesmas: str) -> list[str]:
    """kode_desa served by ``kode_puskesmas`` (``Coverage.working_areas``), sorted."""
    rows = working_areas[working_areas["kode_puskesmas"].astype("object") == kode_puskesmas]
    return sorted(str(k) for k in rows["kode_desa"].dropna().unique())


def working_area_source(working_areas: pd.DataFrame, kode_puskesmas: str) -> str | None:
    """Where the desa of a working area come from.

    ``tabel`` when every desa of the working area comes from the imported table, ``turunan``
    when every one was derived, ``campuran`` for a mix, None for a puskesmas without desa.
    """
    rows = working_areas[working_areas["kode_puskesmas"].astype("object") == kode_puskesmas]
    sources = set(rows["sumber"].dropna().astype(str))
    if not sources:
        return None
    return sources.pop() if len(sources) == 1 else "campuran"


def puskesmas_facility(facilities: pd.DataFrame, kode_puskesmas: str) -> pd.Series | None:
    """The facility row of a puskesmas (by ``kode``, else ``kode_puskesmas``), placed rows first."""
    jenis = facilities["jenis"].astype("object")
    code = facilities["kode"].astype("object").fillna(facilities["kode_puskesmas"].astype("object"))
    rows = facilities[(jenis == model.PUSKESMAS) & (code == kode_puskesmas)]
    if rows.empty:
        return None
    placed = rows["kode_desa_final"].notna().to_numpy()
    return rows.iloc[int(np.argmax(placed)) if placed.any() else 0]


def facility_desa_name(facility: pd.Series | None, desa: pd.DataFrame) -> str | None:
    """Name of the desa a facility row counts in (None when unknown)."""
    if facility is None or pd.isna(facility.get("kode_desa_final")):
        return None
    kode = str(facility["kode_desa_final"])
    rows = desa.loc[desa["kode_desa"].astype("object") == kode, "nama_desa"].dropna()
    return str(rows.iloc[0]) if len(rows) else kode


def with_penduduk(table: pd.DataFrame, desa: pd.DataFrame) -> pd.DataFrame:
    """``table`` (with kode_desa) plus the ``penduduk`` column of the desa layer."""
    people = desa.loc[:, ["kode_desa", "penduduk"]].drop_duplicates("kode_desa")
    base = table.drop(columns=["penduduk"], errors="ignore")
    return base.merge(people, on="kode_desa", how="left")


def posyandu_rows(activity: pd.DataFrame, kode_desa: Collection[str]) -> pd.DataFrame:
    """Posyandu of ``kode_desa`` (``Coverage.posyandu_activity(month)``), sorted by desa then name.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`POSYANDU_COLUMNS`.
    """
    rows = activity[activity["kode_desa"].astype("object").isin(set(kode_desa))]
    out = rows.loc[:, list(POSYANDU_COLUMNS)].copy()
    return out.sort_values(["kode_desa", "nama", "kode"], kind="stable").reset_index(drop=True)


def stopped_reporting(posyandu: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`posyandu_rows` that stopped reporting, longest silence first."""
    stopped = posyandu[posyandu["berhenti_lapor"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    last = stopped["laporan_terakhir"].astype("object").fillna("")
    return (
        stopped.assign(_last=last.to_numpy())
        .sort_values(["_last", "nama"], kind="stable")
        .drop(columns="_last")
        .reset_index(drop=True)
    )


def desa_facility_keys(facilities: pd.DataFrame, kode_desa: str) -> set[str]:
    """Codes and ids of the facilities declared in or counted in ``kode_desa``."""
    in_desa = (facilities["kode_desa_final"].astype("object") == kode_desa) | (
        facilities["kode_desa"].astype("object") == kode_desa
    )
    rows = facilities[in_desa]
    keys = set(rows["kode"].dropna().astype(str)) | set(rows["id_fasilitas"].dropna().astype(str))
    return keys | {f"id:{i}" for i in rows["id_fasilitas"].dropna().astype(str)}


def desa_quality(quality: pd.DataFrame, facilities: pd.DataFrame, kode_desa: str) -> pd.DataFrame:
    """Findings of ``Coverage.quality()`` about ``kode_desa`` or one of its facilities.

    A finding concerns the desa when its ``kode_desa`` or ``subjek`` is the
    desa, or its ``subjek`` is the code/id of a facility declared or counted
    in the desa. Order is the engine's (most severe first).
    """
    keys = desa_facility_keys(facilities, kode_desa) | {kode_desa}
    subjek = quality["subjek"].astype("object")
    mine = quality["kode_desa"].astype("object").eq(kode_desa) | subjek.isin(keys)
    return quality[mine.fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)


def monthly_by_group(monthly: pd.DataFrame, *, months: Sequence[str] | None = None) -> pd.DataFrame:
    """Visits per life-cycle group and month (``Coverage.posyandu_monthly(kode_desa=...)`` rows).

    Parameters
    ----------
    monthly
        Report rows (kode_posyandu, bulan, buka and the group columns).
    months
        Months to show (e.g. ``Coverage.months``); months without a report get zeros.

    Returns
    -------
    pandas.DataFrame
        ``bulan``, ``posyandu_lapor`` (report rows), ``posyandu_buka`` (rows
        with buka), then one column per group of
        :data:`loaders.model.KELOMPOK_SIKLUS_HIDUP` (sum of visits, missing = 0),
        sorted by month.
    """
    frame = pd.DataFrame(
        {
            "bulan": monthly["bulan"].astype("object").astype(str),
            "posyandu_lapor": 1,
            "posyandu_buka": monthly["buka"].astype("boolean").fillna(False).astype("int64"),
            **{g: pd.to_numeric(monthly[g], errors="coerce").fillna(0).astype("int64") for g in GROUPS},
        }
    )
    summed = frame.groupby("bulan", sort=True).sum()
    if months is not None:
        summed = summed.reindex(sorted(set(months) | set(summed.index)), fill_value=0)
    summed = summed.astype("int64")
    summed.index.name = "bulan"
    return summed.reset_index()


def desa_names(table: pd.DataFrame) -> dict[str, str]:
    """kode_desa -> nama_desa of a desa table (the code when the name is missing)."""
    names = table["nama_desa"].astype("object")
    codes = table["kode_desa"].astype(str)
    return {k: (str(n) if n is not None and n is not pd.NA else k) for k, n in zip(codes, names, strict=True)}
