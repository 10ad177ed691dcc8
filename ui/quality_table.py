"""The data-quality findings as people read them (pure: no streamlit here).

:func:`findings_file` turns engine findings (``Coverage.quality``, with
:func:`with_places`) into the table the Data page downloads and ``cli.py
quality`` writes as CSV/XLSX: the chosen columns, kinds, severities and
facility kinds labelled in the interface language. :func:`findings_frame` is
the same table with labelled headers and text cells, as the page shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd

from ui.i18n import STRINGS, t
from ui.table_format import labelled, text_or_dash

FINDING_COLUMNS: Final = (
    "tingkat",
    "jenis",
    "jenis_fasilitas",
    "subjek",
    "nama",
    "nama_desa",
    "nama_kecamatan",
    "pesan",
)
DESA_FINDING_COLUMNS: Final = ("tingkat", "jenis", "jenis_fasilitas", "nama", "pesan")
DOWNLOAD_NAME: Final = "temuan_kualitas_data"


def jenis_label(code: object) -> str:
    """Label of a finding kind (``berhenti_lapor`` -> "Berhenti melapor"); unknown codes humanised."""
    key = f"kualitas.jenis.{code}"
    if key in STRINGS:
        return t(key)
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "–"


def tingkat_label(code: object) -> str:
    """Label of a severity (tinggi/sedang/rendah)."""
    key = f"kualitas.tingkat.{code}"
    return t(key) if key in STRINGS else text_or_dash(code)


def fasilitas_label(code: object) -> str:
    """Label of a facility kind ("–" for desa-level findings)."""
    key = f"kualitas.fasilitas.{code}"
    return t(key) if key in STRINGS else "–"


def with_places(quality: pd.DataFrame, desa: pd.DataFrame) -> pd.DataFrame:
    """Findings plus ``nama_desa``, ``kode_kecamatan`` and ``nama_kecamatan`` of their desa."""
    places = desa.loc[:, ["kode_desa", "nama_desa", "kode_kecamatan", "nama_kecamatan"]].drop_duplicates("kode_desa")
    extra = [c for c in ("nama_desa", "kode_kecamatan", "nama_kecamatan") if c in quality.columns]
    return quality.drop(columns=extra).merge(places, on="kode_desa", how="left")


def findings_frame(findings: pd.DataFrame, columns: Sequence[str] = FINDING_COLUMNS) -> pd.DataFrame:
    """The findings as users see them: labelled ``columns`` and values, text only."""
    table = labelled(findings_file(findings, columns), list(columns), titles=file_titles())
    return table.astype("object").map(text_or_dash)


def file_titles(*, lang: str | None = None) -> dict[str, str]:
    """Header overrides of the findings table (``jenis`` is the finding's kind, not the facility's)."""
    return {"jenis": t("kol.jenis_temuan", lang=lang)}


def findings_file(findings: pd.DataFrame, columns: Sequence[str] = FINDING_COLUMNS) -> pd.DataFrame:
    """The findings as their CSV/XLSX write them: ``columns`` (raw codes), kinds and severities labelled."""
    shown = findings.assign(
        tingkat=findings["tingkat"].map(tingkat_label),
        jenis=findings["jenis"].map(jenis_label),
        jenis_fasilitas=findings["jenis_fasilitas"].map(fasilitas_label),
    )
    return shown.loc[:, list(columns)].reset_index(drop=True)


def filter_findings(
    findings: pd.DataFrame, *, jenis: Sequence[str] = (), tingkat: Sequence[str] = (), kecamatan: Sequence[str] = ()
) -> pd.DataFrame:
    """Rows matching every given filter (empty filter = all)."""
    keep = pd.Series(True, index=findings.index)
    if jenis:
        keep &= findings["jenis"].astype("object").isin(list(jenis))
    if tingkat:
        keep &= findings["tingkat"].astype("object").isin(list(tingkat))
    if kecamatan:
        keep &= findings["kode_kecamatan"].astype("object").isin(list(kecamatan))
    return findings[keep.to_numpy(dtype=bool)].reset_index(drop=True)
