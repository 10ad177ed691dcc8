"""The data-quality findings table (``Coverage.quality``): labels, filters, downloads.

:mod:`ui.quality_table` (pure) turns engine findings into the table users see
and download (labelled columns, labelled kinds and severities; also what
``cli.py quality`` writes); :func:`show_findings` draws it; :func:`render` is the Data page section with
filters (jenis, tingkat, kecamatan); every findings table has its CSV/XLSX
downloads (:func:`findings_file`, :func:`ui.downloads.table_downloads`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from loaders.findings import TINGKAT  # severities, most severe first
from ui import downloads
from ui.context import PageContext
from ui.fmt import fmt_int, fmt_month
from ui.i18n import get_language, t
from ui.quality_table import (
    DESA_FINDING_COLUMNS,
    DOWNLOAD_NAME,
    FINDING_COLUMNS,
    file_titles,
    filter_findings,
    findings_file,
    findings_frame,
    jenis_label,
    tingkat_label,
    with_places,
)

__all__ = ["DESA_FINDING_COLUMNS", "TINGKAT", "render", "show_findings", "with_places"]  # what pages use from here


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
        titles=file_titles(),
    )


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
