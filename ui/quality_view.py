"""The data-quality findings table (``Coverage.quality``): labels, filters, downloads.

:func:`findings_frame` (pure) turns engine findings into the table users see
and download (labelled columns, labelled kinds and severities);
:func:`show_findings` draws it; :func:`render` is the Data page section with
filters (jenis, tingkat, kecamatan); every findings table has its CSV/XLSX
downloads (:func:`findings_file`, :func:`ui.downloads.table_downloads`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd
import streamlit as st

from loaders.findings import TINGKAT  # severities, most severe first
from ui import downloads
from ui.context import PageContext
from ui.fmt import fmt_int, fmt_month
from ui.i18n import STRINGS, get_language, t
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
    table = labelled(findings_file(findings, columns), list(columns), titles={"jenis": t("kol.jenis_temuan")})
    return table.astype("object").map(text_or_dash)


def findings_file(findings: pd.DataFrame, columns: Sequence[str] = FINDING_COLUMNS) -> pd.DataFrame:
    """The findings as their CSV/XLSX write them: ``columns`` (raw codes), kinds and severities labelled."""
    shown = findings.assign(
        tingkat=findings["tingkat"].map(tingkat_label),
        jenis=findings["jenis"].map(jenis_label),
        jenis_fasilitas=findings["jenis_fasilitas"].map(fasilitas_label),
    )
    return shown.loc[:, list(columns)].reset_index(drop=True)


def show_findings(
    findings: pd.DataFrame,
    *,
    key: str,
    columns: Sequence[str] = FINDING_COLUMNS,
    download_key: str | None = None,
) -> None:
    """Draw the findings table (from :func:`with_places` rows), with ``columns``, and its download buttons.

    ``download_key``: the buttons' key prefix (default ``key``).
    """
    table = findings_frame(findings, columns)
    height = min(460, 38 + 35 * max(len(table), 1))
    wide = {t("kol.pesan"): st.column_config.TextColumn(width="large")}
    st.dataframe(table, key=key, hide_index=True, width="stretch", height=height, column_config=wide)
    downloads.table_downloads(
        findings_file(findings, columns),
        name=DOWNLOAD_NAME,
        key=download_key or key,
        titles={"jenis": t("kol.jenis_temuan")},
    )


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


def render(ctx: PageContext) -> None:
    """The Data page section: findings of the chosen month with filters and downloads."""
    if not ctx.has_data:
        st.info(t("kualitas.no_data"))
        return
    cov = ctx.coverage()
    findings = with_places(cov.quality(ctx.month), cov.dataset.desa)
    bulan = fmt_month(ctx.month or cov.latest_month, lang=get_language())
    st.caption(t("kualitas.help", bulan=bulan, n=ctx.rules.laporan_berhenti_bulan))
    if findings.empty:
        st.success(t("kualitas.none"), icon=":material/check_circle:")
        return
    kinds = sorted(findings["jenis"].dropna().astype(str).unique(), key=jenis_label)
    kecamatan = (
        findings.dropna(subset=["kode_kecamatan"]).drop_duplicates("kode_kecamatan").sort_values("nama_kecamatan")
    )
    kec_names = dict(zip(kecamatan["kode_kecamatan"].astype(str), kecamatan["nama_kecamatan"].astype(str), strict=True))
    col_jenis, col_tingkat, col_kec = st.columns(3)
    chosen_jenis = col_jenis.multiselect(
        t("kualitas.filter.jenis"), kinds, format_func=jenis_label, placeholder=t("kualitas.semua"), key="ilp_q_jenis"
    )
    chosen_tingkat = col_tingkat.multiselect(
        t("kualitas.filter.tingkat"),
        list(TINGKAT),
        format_func=tingkat_label,
        placeholder=t("kualitas.semua"),
        key="ilp_q_tingkat",
    )
    chosen_kec = col_kec.multiselect(
        t("kualitas.filter.kecamatan"),
        list(kec_names),
        format_func=lambda k: kec_names.get(k, k),
        placeholder=t("kualitas.semua"),
        key="ilp_q_kecamatan",
    )
    shown = filter_findings(findings, jenis=chosen_jenis, tingkat=chosen_tingkat, kecamatan=chosen_kec)
    counts = shown["tingkat"].astype("object").value_counts()
    st.caption(
        t(
            "kualitas.jumlah",
            n=fmt_int(len(shown)),
            total=fmt_int(len(findings)),
            tinggi=fmt_int(counts.get("tinggi", 0)),
            sedang=fmt_int(counts.get("sedang", 0)),
            rendah=fmt_int(counts.get("rendah", 0)),
        )
    )
    show_findings(shown, key="data_tabel_kualitas", download_key="ilp_q")
