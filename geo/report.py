"""What the Excel report holds, cut from the engine only (pure: no streamlit, no labels).

Every figure and judgement comes from :class:`geo.engine.Coverage`: the desa
statuses and indicators (:meth:`~geo.engine.Coverage.desa_table`,
:meth:`~geo.engine.Coverage.indicators`), a posyandu's activity in the month
(:meth:`~geo.engine.Coverage.posyandu_activity`) and a pustu's staffing
standard (``sesuai_standar`` of :attr:`~geo.engine.Coverage.facilities`: active
with at least one perawat and one bidan). Here they are only selected and
joined; labels and number formats are the renderer's (:mod:`ui.report_book`).

:func:`report_content` gives

* the indicators per kecamatan and per puskesmas of the desa of the view;
* one :class:`PuskesmasPart` per puskesmas serving those desa, with its gap
  desa (a status that ``is_gap``, :mod:`geo.statuses`), its posyandu that are
  not active or that stopped reporting (``belum_melapor`` ones too: their
  kabupaten/kota has no report yet), and its active pustu below the staffing
  standard.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo import statuses
from loaders import model

if TYPE_CHECKING:
    from geo.engine import Coverage

INDICATOR_COLUMNS: Final = (
    "desa",
    "desa_ada_data",
    "desa_kesenjangan",
    "pct_kesenjangan",
    *(s.count_column for s in statuses.STATUSES),
    "pct_desa_pustu_aktif",
    "pct_desa_posyandu_aktif",
    "posyandu_total",
    "posyandu_aktif",
    "pct_posyandu_aktif",
    "pct_kelengkapan_laporan",
    "pustu_total",
    "pustu_standar",
    "pct_pustu_standar",
)
"""Summary sheet columns (of :data:`geo.indicators.INDICATOR_COLUMNS`), after the unit's code and name."""
GAP_COLUMNS: Final = (
    "kode_desa",
    "nama_desa",
    "nama_kecamatan",
    "status",
    "pustu_aktif",
    "posyandu_aktif",
    "posyandu_total",
    "jarak_pustu_km",
)
POSYANDU_COLUMNS: Final = (
    "nama_posyandu",
    "kode_posyandu",
    "nama_desa",
    "aktif",
    "bulan_buka",
    "lapor_bulan_ini",
    "laporan_terakhir",
    "berhenti_lapor",
    "belum_melapor",
)
STAFFING_COLUMNS: Final = ("nama", "kode_desa", "aktif", "perawat", "bidan", "sesuai_standar")
PUSTU_COLUMNS: Final = ("nama_pustu", "nama_desa", "aktif", "perawat", "bidan", "sesuai_standar")


@dataclass(frozen=True)
class PuskesmasPart:
    """One puskesmas's part of the report (frames with the columns of this module's constants)."""

    kode: str
    nama: str
    gap_desa: pd.DataFrame
    posyandu: pd.DataFrame
    pustu: pd.DataFrame


@dataclass(frozen=True)
class ReportContent:
    """The summary frames and one part per puskesmas, in puskesmas name order."""

    kecamatan: pd.DataFrame
    puskesmas: pd.DataFrame
    parts: tuple[PuskesmasPart, ...]


def report_content(
    coverage: Coverage, month: str, kode_desa: Sequence[str], *, kode_puskesmas: str | None = None
) -> ReportContent:
    """The report of ``kode_desa`` in ``month``.

    Parameters
    ----------
    coverage
        The engine (read only).
    month
        ``YYYY-MM``.
    kode_desa
        The desa of the view.
    kode_puskesmas
        Only this puskesmas gets a part (a puskesmas head's report); default: every
        puskesmas serving one of ``kode_desa`` (desa without a puskesmas are only in the summary).

    Returns
    -------
    ReportContent
        ``kecamatan``: ``kode_kecamatan``, ``nama_kecamatan`` and :data:`INDICATOR_COLUMNS`;
        ``puskesmas``: ``kode_puskesmas``, ``nama_puskesmas`` and the same.
    """
    codes = list(kode_desa)
    kecamatan = _summary(coverage.indicators(month, by="kecamatan", kode_desa=codes), "kecamatan")
    puskesmas = _summary(coverage.indicators(month, by="puskesmas", kode_desa=codes), "puskesmas")
    table = coverage.desa_table(month, kode_desa=codes)
    serving = table.dropna(subset=["kode_puskesmas"]).drop_duplicates("kode_puskesmas")
    if kode_puskesmas is not None:
        serving = serving[serving["kode_puskesmas"].astype("object") == kode_puskesmas]
    serving = serving.sort_values(["puskesmas", "kode_puskesmas"], kind="stable", na_position="last")
    # Each list once over every desa of the view, then split per puskesmas (a sorted list split keeps its order).
    names = dict(zip(table["kode_desa"].astype(str), table["nama_desa"].astype("object"), strict=True))
    puskesmas_of = dict(zip(table["kode_desa"].astype(str), table["kode_puskesmas"].astype("object"), strict=True))
    gaps = _per_puskesmas(gap_desa(table), puskesmas_of, GAP_COLUMNS)
    posyandu = _per_puskesmas(_silent(coverage.posyandu_activity(month), names), puskesmas_of, POSYANDU_COLUMNS)
    pustu = _per_puskesmas(_understaffed(coverage.facilities, names), puskesmas_of, PUSTU_COLUMNS)
    parts = [
        PuskesmasPart(
            kode=kode,
            nama=str(nama) if not pd.isna(nama) else kode,
            gap_desa=gaps.get(kode, gaps[None]),
            posyandu=posyandu.get(kode, posyandu[None]),
            pustu=pustu.get(kode, pustu[None]),
        )
        for kode, nama in zip(serving["kode_puskesmas"].astype(str), serving["puskesmas"], strict=True)
    ]
    return ReportContent(kecamatan=kecamatan, puskesmas=puskesmas, parts=tuple(parts))


def _per_puskesmas(
    rows: pd.DataFrame, puskesmas_of: dict[str, object], columns: Sequence[str]
) -> dict[str | None, pd.DataFrame]:
    """``rows`` (with ``kode_desa``) split per puskesmas of their desa, with ``columns``; ``None``: no rows."""
    key = rows["kode_desa"].astype("object").map(puskesmas_of)
    shown = rows.loc[:, list(columns)]
    groups: dict[str | None, pd.DataFrame] = {
        str(kode): part.reset_index(drop=True) for kode, part in shown.groupby(key, sort=False, dropna=True)
    }
    groups[None] = shown.iloc[:0].reset_index(drop=True)
    return groups


def _summary(indicators: pd.DataFrame, by: str) -> pd.DataFrame:
    kode, nama = f"kode_{by}", f"nama_{by}"
    frame = indicators.rename(columns={"kode": kode, "nama": nama})
    return frame.loc[:, [kode, nama, *INDICATOR_COLUMNS]].reset_index(drop=True)


def gap_desa(table: pd.DataFrame) -> pd.DataFrame:
    """Desa of a desa table with a gap status, worst status first, then by kecamatan and name (:data:`GAP_COLUMNS`)."""
    rank = {code: i for i, code in enumerate(statuses.CODES)}
    status = table["status"].astype("object")
    gaps = table[status.isin(statuses.GAP_CODES).to_numpy(dtype=bool)]
    gaps = gaps.assign(_rank=gaps["status"].astype("object").map(rank))
    gaps = gaps.sort_values(["_rank", "nama_kecamatan", "nama_desa"], kind="stable")
    return gaps.loc[:, list(GAP_COLUMNS)].reset_index(drop=True)


def silent_posyandu(activity: pd.DataFrame, desa_names: dict[str, object]) -> pd.DataFrame:
    """Posyandu of the desa ``desa_names`` (kode -> name) that are not active or stopped reporting.

    ``activity`` is ``Coverage.posyandu_activity(month)``. A posyandu of a kabupaten/kota
    without any report (``belum_melapor``) is listed too (it is not active), and the
    column says why. Sorted by desa name, then posyandu name (:data:`POSYANDU_COLUMNS`).
    """
    return _silent(activity, desa_names).loc[:, list(POSYANDU_COLUMNS)]


def _silent(activity: pd.DataFrame, desa_names: dict[str, object]) -> pd.DataFrame:
    """:func:`silent_posyandu` with the ``kode_desa`` of each row."""
    in_area = activity["kode_desa"].astype("object").isin(set(desa_names)).to_numpy(dtype=bool)
    aktif = activity["aktif"].to_numpy(dtype=bool)
    berhenti = activity["berhenti_lapor"].to_numpy(dtype=bool)
    rows = activity[in_area & (~aktif | berhenti)]
    out = pd.DataFrame(
        {
            "nama_posyandu": rows["nama"].astype("object"),
            "kode_posyandu": rows["kode"].astype("object"),
            "kode_desa": rows["kode_desa"].astype("object"),
            "nama_desa": rows["kode_desa"].astype("object").map(desa_names),
            "aktif": rows["aktif"].astype(bool),
            "bulan_buka": rows["bulan_buka"].astype("int64"),
            "lapor_bulan_ini": rows["lapor_bulan_ini"].astype(bool),
            "laporan_terakhir": rows["laporan_terakhir"].astype("object"),
            "berhenti_lapor": rows["berhenti_lapor"].astype(bool),
            "belum_melapor": rows["belum_melapor"].astype(bool),
        }
    )
    return out.sort_values(["nama_desa", "nama_posyandu", "kode_posyandu"], kind="stable").reset_index(drop=True)


def pustu_staffing(facilities: pd.DataFrame, kode_desa: Collection[str]) -> pd.DataFrame:
    """Pustu counting in ``kode_desa`` with their staff and the staffing standard.

    Reads the engine's judgements in ``Coverage.facilities``: one row per
    pustu the engine counts (``dihitung``: one per name + desa), its
    ``aktif`` and ``sesuai_standar`` (active with at least one perawat and
    one bidan: the rows behind the desa table's ``pustu_standar``). Sorted
    by desa then name.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STAFFING_COLUMNS`; ``perawat``/``bidan`` are Int64 (NA unknown).
    """
    keep = set(kode_desa)
    jenis = facilities["jenis"].astype("object")
    desa = facilities["kode_desa_final"].astype("object")
    counted = facilities["dihitung"].astype(bool)
    rows = facilities[((jenis == model.PUSTU) & counted & desa.isin(keep)).to_numpy(dtype=bool)]
    names = rows["nama"].astype("object")
    out = pd.DataFrame(
        {
            "nama": names.where(names.notna(), None),
            "kode_desa": rows["kode_desa_final"].astype("object"),
            "aktif": rows["aktif"].astype("boolean").fillna(False).astype(bool),
            "perawat": pd.to_numeric(rows["perawat"], errors="coerce").astype("Int64"),
            "bidan": pd.to_numeric(rows["bidan"], errors="coerce").astype("Int64"),
            "sesuai_standar": rows["sesuai_standar"].astype("boolean").fillna(False).astype(bool),
        }
    )
    return out.sort_values(["kode_desa", "nama"], kind="stable", na_position="last").reset_index(drop=True)


def understaffed_pustu(facilities: pd.DataFrame, desa_names: dict[str, object]) -> pd.DataFrame:
    """Active pustu counting in the desa ``desa_names`` (kode -> name) below the staffing standard.

    The rows of :func:`pustu_staffing` (also the Puskesmas page's pustu table: one row per
    pustu the engine counts, with its ``aktif`` and ``sesuai_standar`` judgements) that are active
    and not ``sesuai_standar``. Their number per desa is ``pustu_aktif - pustu_standar`` of the desa
    table. Sorted by desa, then name (:data:`PUSTU_COLUMNS`; ``perawat``/``bidan`` Int64, NA unknown).
    """
    return _understaffed(facilities, desa_names).loc[:, list(PUSTU_COLUMNS)]


def _understaffed(facilities: pd.DataFrame, desa_names: dict[str, object]) -> pd.DataFrame:
    """:func:`understaffed_pustu` with the ``kode_desa`` of each row."""
    rows = pustu_staffing(facilities, desa_names)
    rows = rows[rows["aktif"] & ~rows["sesuai_standar"]]
    out = rows.assign(nama_desa=rows["kode_desa"].map(desa_names)).rename(columns={"nama": "nama_pustu"})
    out = out.loc[:, ["kode_desa", *PUSTU_COLUMNS]]
    return out.sort_values(["nama_desa", "nama_pustu"], kind="stable", na_position="last").reset_index(drop=True)
