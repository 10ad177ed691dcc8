"""Applying the global filters to engine tables (pure pandas, no streamlit).

The sidebar filters select desa: by provinsi, kabupaten, kecamatan, puskesmas (the
desa in its working area, as ``Coverage.desa_table`` assigns them) and by
status in the chosen month. Pages compute indicators on exactly that set of
desa, so the Ringkasan cards equal ``Coverage.indicators(month,
by='kabupaten', kode_desa=<that set>)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from geo.indicators import summarise
from ui.state import FilterOptions

if TYPE_CHECKING:
    from geo.engine import Coverage

ALL_CODE: Final = "*"


# The columns of a desa table the area filters read (``frame_table``: without the month's status).
FRAME_COLUMNS: Final = ("kode_desa", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_puskesmas")


def select_desa(
    table: pd.DataFrame,
    *,
    provinsi: str | None = None,
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
        kode_kecamatan, kode_puskesmas, status; kode_provinsi only with that
        filter, status only with that filter) or :func:`frame_table`.
    provinsi, kabupaten, kecamatan, puskesmas, status
        Filters; None/empty means "all".
    """
    keep = pd.Series(True, index=table.index)
    if provinsi:
        keep &= table["kode_provinsi"].astype("object").eq(provinsi)
    if kabupaten:
        keep &= table["kode_kabupaten"].astype("object").eq(kabupaten)
    if kecamatan:
        keep &= table["kode_kecamatan"].astype("object").isin(list(kecamatan))
    if puskesmas:
        keep &= table["kode_puskesmas"].astype("object").eq(puskesmas)
    if status:
        keep &= table["status"].astype("object").isin(list(status))
    return tuple(table.loc[keep, "kode_desa"].astype(str))


def frame_table(desa: pd.DataFrame, working_areas: pd.DataFrame) -> pd.DataFrame:
    """The month-independent columns :func:`select_desa` reads for the area filters (:data:`FRAME_COLUMNS`).

    Parameters
    ----------
    desa
        The desa layer (kode_desa, kode_kecamatan, kode_kabupaten, kode_provinsi).
    working_areas
        ``Coverage.working_areas`` (kode_desa, kode_puskesmas).
    """
    served = working_areas.loc[:, ["kode_desa", "kode_puskesmas"]].drop_duplicates("kode_desa")
    table = desa.loc[:, ["kode_desa", "kode_provinsi", "kode_kabupaten", "kode_kecamatan"]]
    return table.merge(served, on="kode_desa", how="left").loc[:, list(FRAME_COLUMNS)]


def options_from_tables(
    desa: pd.DataFrame,
    working_areas: pd.DataFrame,
    months: Sequence[str],
) -> FilterOptions:
    """Build the :class:`~ui.state.FilterOptions` of a dataset.

    Parameters
    ----------
    desa
        The desa layer (kode_desa, kode/nama_kecamatan, kode/nama_kabupaten and,
        when present, kode/nama_provinsi).
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
    served = served.merge(desa.loc[:, ["kode_desa", "kode_kabupaten", "kode_kecamatan"]], on="kode_desa", how="left")
    # Vectorised (a loop over groups took 35 s for the ~10,000 puskesmas of the nation).
    code = served["kode_puskesmas"].astype(str).to_numpy(dtype=object)
    first_name = (
        pd.Series(served["nama_puskesmas"].to_numpy(dtype=object, na_value=None), index=code).dropna().astype(str)
    )
    first_name = first_name[~first_name.index.duplicated()]
    kabs = _distinct_sorted(code, served["kode_kabupaten"])
    kecs = _distinct_sorted(code, served["kode_kecamatan"])
    puskesmas = {c: (first_name.get(c, c), kabs.get(c, ())) for c in sorted(set(code))}
    puskesmas_kecamatan = {c: kecs.get(c, ()) for c in puskesmas}
    provinsi, kabupaten_provinsi = _provinsi_of(desa)
    return FilterOptions(
        kabupaten={str(r.kode_kabupaten): _name(r.nama_kabupaten, r.kode_kabupaten) for r in kab.itertuples()},
        kecamatan={
            str(r.kode_kecamatan): (_name(r.nama_kecamatan, r.kode_kecamatan), str(r.kode_kabupaten))
            for r in kec.itertuples()
        },
        puskesmas=puskesmas,
        months=tuple(sorted(str(m) for m in months)),
        desa=frozenset(str(k) for k in desa["kode_desa"].dropna()),
        provinsi=provinsi,
        kabupaten_provinsi=kabupaten_provinsi,
        puskesmas_kecamatan=puskesmas_kecamatan,
    )


def _distinct_sorted(keys: np.ndarray, values: pd.Series) -> dict[str, tuple[str, ...]]:
    """Key -> its distinct non-missing ``values`` as sorted strings."""
    pairs = pd.DataFrame({"k": keys, "v": values.to_numpy(dtype=object, na_value=None)}).dropna()
    pairs = pairs.assign(v=pairs["v"].astype(str)).drop_duplicates().sort_values(["k", "v"])
    return {str(k): tuple(v) for k, v in pairs.groupby("k", sort=False)["v"]}


def _provinsi_of(desa: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """(kode_provinsi -> nama_provinsi, kode_kabupaten -> kode_provinsi); empty without a kode_provinsi column.

    A kabupaten whose desa name several provinsi (not expected) takes the first in table order.
    """
    if "kode_provinsi" not in desa.columns:
        return {}, {}
    names = desa["nama_provinsi"] if "nama_provinsi" in desa.columns else desa["kode_provinsi"]
    prov = pd.DataFrame({"kode": desa["kode_provinsi"], "nama": names}).dropna(subset=["kode"])
    prov = prov.drop_duplicates("kode")
    links = desa.loc[:, ["kode_kabupaten", "kode_provinsi"]].dropna().drop_duplicates("kode_kabupaten")
    return (
        {str(r.kode): _name(r.nama, r.kode) for r in prov.itertuples()},
        {str(r.kode_kabupaten): str(r.kode_provinsi) for r in links.itertuples()},
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
