"""Applying the global filters to engine tables (pure pandas, no streamlit).

The sidebar filters select desa: by kabupaten, kecamatan, puskesmas (the
desa in its working area, as ``Coverage.desa_table`` assigns them) and by
status in the chosen month. Pages compute indicators on exactly that set of
desa, so the Ringkasan cards equal ``Coverage.indicators(month,
by='kabupaten', kode_desa=<that set>)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.indicators import summarise
from ui.state import FilterOptions

if TYPE_CHECKING:
    from geo.engine import Coverage

ALL_CODE: Final = "*"


def select_desa(
    table: pd.DataFrame,
    *,
    kabupaten: str | None = None,
    kecamatan: Sequence[str] = (),
    puskesmas: str | None = None,
    status: Sequence[str] = (),
) -> tuple[str, ...]:
    """kode_desa of the rows of a desa table that pass every filter, in table order.

    Parameters
    ----------
    table
        ``Coverage.desa_table(month)`` (needs kode_desa, kode_kabupaten,
        kode_kecamatan, kode_puskesmas, status).
    kabupaten, kecamatan, puskesmas, status
        Filters; None/empty means "all".
    """
    keep = pd.Series(True, index=table.index)
    if kabupaten:
        keep &= table["kode_kabupaten"].astype("object").eq(kabupaten)
    if kecamatan:
        keep &= table["kode_kecamatan"].astype("object").isin(list(kecamatan))
    if puskesmas:
        keep &= table["kode_puskesmas"].astype("object").eq(puskesmas)
    if status:
        keep &= table["status"].astype("object").isin(list(status))
    return tuple(table.loc[keep, "kode_desa"].astype(str))


def options_from_tables(
    desa: pd.DataFrame,
    working_areas: pd.DataFrame,
    months: Sequence[str],
) -> FilterOptions:
    """Build the :class:`~ui.state.FilterOptions` of a dataset.

    Parameters
    ----------
    desa
        The desa layer (kode_desa, kode/nama_kecamatan, kode/nama_kabupaten).
    working_areas
        ``Coverage.working_areas`` (kode_desa, kode_puskesmas, nama_puskesmas).
    months
        ``Coverage.months``.
    """
    kab = (
        desa.loc[:, ["kode_kabupaten", "nama_kabupaten"]]
        .dropna(subset=["kode_kabupaten"])
        .drop_duplicates("kode_kabupaten")
    )
    kec = (
        desa.loc[:, ["kode_kecamatan", "nama_kecamatan", "kode_kabupaten"]]
        .dropna(subset=["kode_kecamatan"])
        .drop_duplicates("kode_kecamatan")
    )
    served = working_areas.loc[:, ["kode_desa", "kode_puskesmas", "nama_puskesmas"]].dropna(subset=["kode_puskesmas"])
    served = served.merge(desa.loc[:, ["kode_desa", "kode_kabupaten"]], on="kode_desa", how="left")
    puskesmas: dict[str, tuple[str, tuple[str, ...]]] = {}
    for code, rows in served.groupby(served["kode_puskesmas"].astype(str), sort=True):
        name = rows["nama_puskesmas"].dropna()
        kabs = tuple(sorted({str(k) for k in rows["kode_kabupaten"].dropna()}))
        puskesmas[code] = (str(name.iloc[0]) if len(name) else code, kabs)
    return FilterOptions(
        kabupaten={str(r.kode_kabupaten): _name(r.nama_kabupaten, r.kode_kabupaten) for r in kab.itertuples()},
        kecamatan={
            str(r.kode_kecamatan): (_name(r.nama_kecamatan, r.kode_kecamatan), str(r.kode_kabupaten))
            for r in kec.itertuples()
        },
        puskesmas=puskesmas,
        months=tuple(sorted(str(m) for m in months)),
        desa=frozenset(str(k) for k in desa["kode_desa"].dropna()),
    )


def _name(value: object, code: object) -> str:
    return str(code) if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def overall_indicators(cov: Coverage, month: str, *, kode_desa: Sequence[str] | None) -> pd.Series:
    """Indicators of all ``kode_desa`` (None: every desa) together, as one row.

    This is ``cov.indicators(month, by='kabupaten', kode_desa=kode_desa)``
    when the desa lie in one kabupaten (the usual case: one dinas, one
    kabupaten). When they span several, the desa table is summarised as one
    group instead, so the cards always describe exactly the filtered desa.
    """
    chosen = None if kode_desa is None else list(kode_desa)
    rows = cov.indicators(month, by="kabupaten", kode_desa=chosen)
    if len(rows) == 1:
        return rows.iloc[0]
    table = cov.desa_table(month, kode_desa=chosen)
    merged = summarise(table.assign(kode_kabupaten=ALL_CODE, nama_kabupaten=ALL_CODE), by="kabupaten")
    return merged.iloc[0]
