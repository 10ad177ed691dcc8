"""Pustu staffing classes: how the maps colour desa and units by pustu staffing (pure data and rules).

The staffing standard of a pustu is one perawat and one bidan (README "Aturan"): the engine
counts per desa ``pustu_standar``, the active pustu with >= 1 perawat and >= 1 bidan
(:func:`geo.engine._judgements`), and :mod:`geo.indicators` gives ``pct_pustu_standar`` =
``pustu_standar`` / ``pustu_aktif`` per kecamatan, puskesmas, kabupaten/kota and provinsi:
"% pustu dengan tenaga lengkap (1 perawat + 1 bidan)". This module is the one home of the
classes a map colours by (the "tenaga pustu" colouring of the Peta Kesenjangan page).

Desa (:data:`DESA_CLASSES`, :func:`desa_classes`):

* ``tanpa_data``: the desa's kabupaten/kota has no facility data (``ada_data`` False);
* ``tanpa_pustu_aktif``: no active pustu counts in the desa;
* ``belum_lengkap``: active pustu, none of them staffed to the standard;
* ``tenaga_lengkap``: at least one active pustu of the desa has >= 1 perawat and >= 1 bidan.

A desa with two active pustu of which one is staffed is ``tenaga_lengkap``: the ILP aim is one
staffed pustu in every desa, and that desa has it. (Its pustu still count one by one in
``pct_pustu_standar``: 50 % for that desa's group share.)

Units (:data:`UNIT_CLASSES`, :func:`unit_classes`): four fixed bands of ``pct_pustu_standar``,
like the Ministry's DREAMS map of "kelengkapan 2 jenis tenaga" (< 25, 25 to < 50, 50 to < 75,
>= 75 %), then ``tanpa_pustu_aktif`` (the unit has data but no active pustu: no share) and
``tanpa_data`` (no desa of the unit has facility data). Fixed breaks, like
:data:`ui.palette.GAP_CLASSES`: a colour means the same share in every month and area.

Colours: ColorBrewer RdYlBu (4 classes, marked safe for colour blindness, ordered in
greyscale) from red (few staffed) to blue (most staffed); white for no active pustu, the
``tanpa_data`` status grey for no data. A desa whose pustu are not staffed takes the lowest
band's colour, a staffed desa the highest band's, so the desa and unit maps read alike.
Labels are i18n keys ``staffing.<code>`` and ``staffing.<code>.desc`` (:mod:`ui.i18n`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.statuses import BY_CODE, DESA_ADA_DATA, TANPA_DATA
from loaders.exceptions import EngineError

TANPA_PUSTU_AKTIF: Final = "tanpa_pustu_aktif"
BELUM_LENGKAP: Final = "belum_lengkap"
TENAGA_LENGKAP: Final = "tenaga_lengkap"

RED: Final = "#D7191C"
ORANGE: Final = "#FDAE61"
LIGHT_BLUE: Final = "#ABD9E9"
BLUE: Final = "#2C7BB6"
WHITE: Final = "#FFFFFF"
NO_DATA_COLOUR: Final = BY_CODE[TANPA_DATA].colour


@dataclass(frozen=True)
class StaffingClass:
    """One class of the staffing colouring: code, fill colour and (bands only) the lowest share it holds."""

    code: str
    colour: str
    low: float | None = None  # bands: lowest pct_pustu_standar (0-100) of the band; None for the other classes

    @property
    def label_key(self) -> str:
        """i18n key of the short label."""
        return f"staffing.{self.code}"

    @property
    def desc_key(self) -> str:
        """i18n key of the one-line meaning."""
        return f"staffing.{self.code}.desc"


# Desa classes, in legend order (best first, then the desa without a pustu, then no data).
DESA_CLASSES: Final[tuple[StaffingClass, ...]] = (
    StaffingClass(TENAGA_LENGKAP, BLUE),
    StaffingClass(BELUM_LENGKAP, RED),
    StaffingClass(TANPA_PUSTU_AKTIF, WHITE),
    StaffingClass(TANPA_DATA, NO_DATA_COLOUR),
)
DESA_CODES: Final[tuple[str, ...]] = tuple(c.code for c in DESA_CLASSES)

# Unit bands of pct_pustu_standar, highest first (legend order); each holds shares >= its ``low``.
BANDS: Final[tuple[StaffingClass, ...]] = (
    StaffingClass("min_75", BLUE, 75.0),
    StaffingClass("50_75", LIGHT_BLUE, 50.0),
    StaffingClass("25_50", ORANGE, 25.0),
    StaffingClass("kurang_25", RED, 0.0),
)
UNIT_CLASSES: Final[tuple[StaffingClass, ...]] = (
    *BANDS,
    StaffingClass(TANPA_PUSTU_AKTIF, WHITE),
    StaffingClass(TANPA_DATA, NO_DATA_COLOUR),
)
UNIT_CODES: Final[tuple[str, ...]] = tuple(c.code for c in UNIT_CLASSES)

_DESA_REQUIRED: Final = ("pustu_aktif", "pustu_standar")
_UNIT_REQUIRED: Final = (DESA_ADA_DATA, "pct_pustu_standar")


def band(pct: float) -> str:
    """Code of the band of ``pct`` (a 0-100 share of active pustu with tenaga lengkap).

    NaN (no active pustu) is ``tanpa_pustu_aktif``.
    """
    if math.isnan(pct):
        return TANPA_PUSTU_AKTIF
    for spec in BANDS:
        assert spec.low is not None
        if pct >= spec.low:
            return spec.code
    return BANDS[-1].code  # below 0 cannot happen for a share; the lowest band


def _missing(frame: pd.DataFrame, required: tuple[str, ...], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        msg = f"Tabel {what} tidak lengkap untuk kelas tenaga pustu: kolom {', '.join(missing)} tidak ada."
        raise EngineError(msg)


def desa_classes(desa_table: pd.DataFrame) -> pd.Series:
    """Staffing class code of every desa of ``desa_table`` (``Coverage.desa_table`` rows; same index).

    Column ``ada_data`` is optional (absent: every desa has data, as in hand-made tables).

    Raises
    ------
    EngineError
        When ``pustu_aktif`` or ``pustu_standar`` is missing.
    """
    _missing(desa_table, _DESA_REQUIRED, "desa")
    aktif = desa_table["pustu_aktif"].to_numpy(dtype="int64", na_value=0)
    standar = desa_table["pustu_standar"].to_numpy(dtype="int64", na_value=0)
    if "ada_data" in desa_table.columns:
        ada_data = desa_table["ada_data"].to_numpy(dtype=bool, na_value=False)
    else:
        ada_data = np.ones(len(desa_table), dtype=bool)
    codes = np.select(
        [~ada_data, aktif <= 0, standar > 0],
        [TANPA_DATA, TANPA_PUSTU_AKTIF, TENAGA_LENGKAP],
        default=BELUM_LENGKAP,
    )
    return pd.Series(codes, index=desa_table.index, dtype="object", name="kelas_tenaga")


def unit_classes(indicators: pd.DataFrame) -> pd.Series:
    """Staffing class code of every unit of ``indicators`` (``Coverage.indicators`` rows; same index).

    A unit none of whose desa has facility data is ``tanpa_data``; one with data but no
    active pustu ``tanpa_pustu_aktif``; the others take the band of ``pct_pustu_standar``.

    Raises
    ------
    EngineError
        When ``desa_ada_data`` or ``pct_pustu_standar`` is missing.
    """
    _missing(indicators, _UNIT_REQUIRED, "indikator")
    ada_data = indicators[DESA_ADA_DATA].to_numpy(dtype="int64", na_value=0) > 0
    pct = indicators["pct_pustu_standar"].to_numpy(dtype="float64", na_value=np.nan)
    codes = [band(float(p)) if has else TANPA_DATA for p, has in zip(pct, ada_data, strict=True)]
    return pd.Series(codes, index=indicators.index, dtype="object", name="kelas_tenaga")
