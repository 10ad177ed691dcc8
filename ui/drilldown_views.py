"""Building blocks of the Puskesmas and Desa pages (streamlit-aware).

Cards of a working area, the priority list with its reasons, the facility
tables (the Desa page's map: :mod:`ui.desa_views`). Figures come from the
cached engine access in :mod:`ui.data`; tables are cut by
:mod:`ui.drilldown` and shown through :mod:`ui.table_format`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo import statuses
from geo.priorities import rank_priorities
from ui import cards, data, downloads, layout
from ui.context import PageContext
from ui.drilldown import posyandu_rows, pustu_staffing, with_penduduk
from ui.fmt import fmt_int, fmt_km, previous_month
from ui.i18n import status_label, t
from ui.palette import status_color
from ui.table_format import column_title, month_text, styled, yes_no

TABLE_HEIGHT = 420


def area_card_values(
    ctx: PageContext, kode_puskesmas: str, *, shown: Sequence[cards.Card] = cards.CARDS
) -> list[cards.CardValue]:
    """Indicator cards of the working area of ``kode_puskesmas`` with the change since the previous month.

    The working area must hold at least one desa.
    """
    assert ctx.month is not None and ctx.options is not None
    current = data.area_headline(ctx.source, ctx.rules, ctx.month, kode_puskesmas)
    assert current is not None, f"the working area of {kode_puskesmas} holds no desa"
    before_month = previous_month(ctx.month, ctx.options.months)
    before = data.area_headline(ctx.source, ctx.rules, before_month, kode_puskesmas) if before_month else None
    return cards.card_values(current, before, rules=ctx.rules, cards=shown)


def area_cards(ctx: PageContext, kode_puskesmas: str) -> None:
    """Indicator cards of the working area of ``kode_puskesmas``, in one row like the Ringkasan's (two beyond seven)."""
    values = area_card_values(ctx, kode_puskesmas)
    cards.render_cards(values, per_row=cards.per_row(len(values)), key=layout.ROW_OF_SIX_KEY)


def status_badge(status: str) -> None:
    """The desa status as a coloured badge, with its meaning as help."""
    entry = statuses.BY_CODE.get(status)
    st.badge(
        f"{t('desap.status')}: {status_label(status)}",
        color=entry.badge if entry is not None else "gray",
        help=t(entry.desc_key) if entry is not None else None,
    )


# -- priorities ---------------------------------------------------------------------------
def priority_reason(row: Mapping[str, object]) -> str:
    """Why a desa is on the list, in words (distance, inactive posyandu, population)."""
    parts: list[str] = []
    entry = statuses.BY_CODE.get(str(row["status"]))
    if entry is not None and entry.needs_pustu:
        jarak = row["jarak_pustu_km"]
        parts.append(t("pkm.alasan.tanpa_pustu_data") if pd.isna(jarak) else t("pkm.alasan.jarak", jarak=fmt_km(jarak)))
    if entry is not None and entry.needs_posyandu:
        total = int(row["posyandu_total"])
        parts.append(
            t("pkm.alasan.tanpa_posyandu")
            if total == 0
            else t("pkm.alasan.posyandu", n=fmt_int(row["posyandu_tidak_aktif"]), total=fmt_int(total))
        )
    if not pd.isna(row.get("penduduk")):
        parts.append(t("pkm.alasan.penduduk", n=fmt_int(row["penduduk"])))
    return "; ".join(parts)


def priority_table(ctx: PageContext, table: pd.DataFrame) -> pd.DataFrame:
    """:func:`geo.priorities.rank_priorities` of ``table`` with ``alasan`` (reason text)."""
    ranked = rank_priorities(with_penduduk(table, ctx.coverage().dataset.desa))
    return ranked.assign(alasan=[priority_reason(r) for r in ranked.to_dict("records")])


def priority_styler(ranked: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The priority list for ``st.dataframe``: what to fix, in the colour of the desa status."""
    shown = ranked.assign(tindakan=ranked["tindakan"].map(lambda a: t(f"tindakan.{a}")))
    colours = [f"background-color: {status_color(s)}; color: #111111" for s in ranked["status"]]
    styler = styled(shown, ["peringkat", "nama_desa", "tindakan", "alasan"], integers=["peringkat"])
    label = column_title("tindakan")
    return styler.apply(lambda _column: colours, subset=[label])


# Priority list: column -> width in px (grown in proportion). A stretched st.dataframe widens every
# column that is not pinned, so "No." (three digits) is pinned at its width; the rest share the room.
RANK_WIDTH_PX = 52
PRIORITY_WIDTHS: dict[str, int] = {"nama_desa": 150, "tindakan": 170, "alasan": 420}


def priority_column_config() -> dict[str, object]:
    """Column widths of the priority list: a narrow pinned "No.", the reason text gets the room."""
    config: dict[str, object] = {
        column_title("peringkat"): st.column_config.NumberColumn(width=RANK_WIDTH_PX, pinned=True, format="%d")
    }
    config.update({column_title(c): st.column_config.Column(width=w) for c, w in PRIORITY_WIDTHS.items()})
    return config


# -- facility tables ------------------------------------------------------------------------
def pustu_table(ctx: PageContext, kode_desa: Sequence[str], names: Mapping[str, str]) -> pd.DataFrame:
    """Pustu of ``kode_desa`` with staffing (see :func:`ui.drilldown.pustu_staffing`) and desa names."""
    rows = pustu_staffing(ctx.coverage().facilities, kode_desa)
    return rows.assign(desa=rows["kode_desa"].map(lambda k: names.get(k, k)))


def pustu_styler(rows: pd.DataFrame, *, with_desa: bool = True) -> pd.io.formats.style.Styler:
    """Pustu table: name, (desa,) active, perawat, bidan, meets the standard."""
    shown = rows.assign(aktif=yes_no(rows["aktif"]), sesuai_standar=yes_no(rows["sesuai_standar"]))
    columns = ["nama", "desa", "aktif", "perawat", "bidan", "sesuai_standar"]
    return styled(
        shown,
        columns if with_desa else [c for c in columns if c != "desa"],
        integers=["perawat", "bidan"],
        titles={"nama": t("kol.nama_pustu")},
    )


def posyandu_table(ctx: PageContext, kode_desa: Sequence[str], names: Mapping[str, str]) -> pd.DataFrame:
    """Posyandu of ``kode_desa`` with their activity in the chosen month, and desa names."""
    assert ctx.month is not None
    rows = posyandu_rows(data.posyandu_activity(ctx.source, ctx.rules, ctx.month), kode_desa)
    return rows.assign(desa=rows["kode_desa"].astype("object").map(lambda k: names.get(k, k)))


def posyandu_styler(rows: pd.DataFrame, *, jendela: int, compact: bool = False) -> pd.io.formats.style.Styler:
    """Posyandu table: name, code, desa, active, months open in the window, last report, reporting.

    ``compact`` (one desa, half a page wide): no code, desa and "reported this month" columns (the
    last report month says it), months open as "10/12"; widths from :func:`posyandu_compact_columns`.
    """
    belum = rows["belum_melapor"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    shown = rows.assign(  # a posyandu of a kabupaten/kota without any report is not yet judged: "Belum melapor"
        aktif=yes_no(rows["aktif"]).where(~belum, t("col.belum_melapor")),
        lapor_bulan_ini=yes_no(rows["lapor_bulan_ini"]),
        laporan_terakhir=month_text(rows["laporan_terakhir"]),
    )
    titles = {"nama": t("kol.nama_posyandu"), "kode": t("kol.kode_posyandu")}
    if compact:
        columns = list(POSYANDU_COMPACT_WIDTHS)
        titles["bulan_buka"] = t("kol.bulan_buka_dari")
        return styled(shown, columns, titles=titles, formats={"bulan_buka": lambda v: f"{fmt_int(v)}/{jendela}"})
    columns = ["nama", "kode", "desa", "aktif", "bulan_buka", "laporan_terakhir", "lapor_bulan_ini"]
    titles["bulan_buka"] = t("kol.bulan_buka", jendela=jendela)
    return styled(shown, columns, integers=["bulan_buka"], titles=titles)


# The compact posyandu table (Desa page, beside the map): column -> width in px (grown to the table's width)
POSYANDU_COMPACT_WIDTHS: dict[str, int] = {"nama": 150, "aktif": 105, "bulan_buka": 80, "laporan_terakhir": 110}


def posyandu_compact_columns() -> dict[str, object]:
    """Column widths of the compact posyandu table (keyed by its headers)."""
    titles = {"nama": t("kol.nama_posyandu"), "bulan_buka": t("kol.bulan_buka_dari")}
    return {
        titles.get(column) or column_title(column): st.column_config.Column(width=width)
        for column, width in POSYANDU_COMPACT_WIDTHS.items()
    }


def stopped_styler(rows: pd.DataFrame) -> pd.io.formats.style.Styler:
    """Posyandu that stopped reporting: name, code, desa, last report."""
    shown = rows.assign(laporan_terakhir=month_text(rows["laporan_terakhir"]))
    return styled(
        shown,
        ["nama", "kode", "desa", "laporan_terakhir"],
        titles={"nama": t("kol.nama_posyandu"), "kode": t("kol.kode_posyandu")},
    )


DESA_COLUMNS = (
    "nama_desa",
    "nama_kecamatan",
    "status",
    "pustu_aktif",
    "pustu_standar",
    "posyandu_aktif",
    "posyandu_total",
    "jarak_pustu_km",
)


def desa_table_styler(table: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The desa of a working area: status (in its map colour), pustu (active, fully staffed), posyandu, distance."""
    ordered = table.sort_values(["nama_kecamatan", "nama_desa"], kind="stable").reset_index(drop=True)
    colours = [f"background-color: {status_color(s)}; color: #111111" for s in ordered["status"]]
    shown = ordered.assign(status=ordered["status"].map(status_label))
    styler = styled(
        shown,
        list(DESA_COLUMNS),
        integers=["pustu_aktif", "pustu_standar", "posyandu_aktif", "posyandu_total"],
        km=["jarak_pustu_km"],
    )
    return styler.apply(lambda _column: colours, subset=[column_title("status")])


@dataclass(frozen=True)
class TableFile:
    """What a table's CSV/XLSX buttons write: its rows with raw column codes, a file name, header overrides."""

    frame: pd.DataFrame
    name: str
    titles: Mapping[str, str] | None = None


def desa_file(table: pd.DataFrame) -> TableFile:
    """The desa of a working area as :func:`desa_table_styler` shows them (with their codes)."""
    ordered = table.sort_values(["nama_kecamatan", "nama_desa"], kind="stable").reset_index(drop=True)
    return TableFile(ordered.loc[:, ["kode_desa", *DESA_COLUMNS]], "desa")


def pustu_file(rows: pd.DataFrame, *, with_desa: bool = True) -> TableFile:
    """The pustu table of :func:`pustu_styler`."""
    columns = ["nama", "desa", "aktif", "perawat", "bidan", "sesuai_standar"]
    shown = columns if with_desa else [c for c in columns if c != "desa"]
    return TableFile(rows.loc[:, shown], "pustu", {"nama": t("kol.nama_pustu")})


def posyandu_file(rows: pd.DataFrame, *, jendela: int) -> TableFile:
    """The posyandu table of :func:`posyandu_styler` (every column, also in its compact form)."""
    columns = ["nama", "kode", "desa", "aktif", "bulan_buka", "laporan_terakhir", "lapor_bulan_ini"]
    titles = {
        "nama": t("kol.nama_posyandu"),
        "kode": t("kol.kode_posyandu"),
        "bulan_buka": t("kol.bulan_buka", jendela=jendela),
    }
    return TableFile(rows.loc[:, [*columns, "berhenti_lapor", "belum_melapor"]], "posyandu", titles)


def stopped_file(rows: pd.DataFrame) -> TableFile:
    """The stopped-reporting table of :func:`stopped_styler`."""
    titles = {"nama": t("kol.nama_posyandu"), "kode": t("kol.kode_posyandu")}
    return TableFile(rows.loc[:, ["nama", "kode", "desa", "laporan_terakhir"]], "posyandu_berhenti_melapor", titles)


def priority_file(ranked: pd.DataFrame) -> TableFile:
    """The priority list of :func:`priority_styler` (what to fix in words)."""
    shown = ranked.assign(tindakan=ranked["tindakan"].map(lambda a: t(f"tindakan.{a}")))
    return TableFile(shown.loc[:, ["peringkat", "kode_desa", "nama_desa", "tindakan", "alasan"]], "prioritas")


def show_table(
    styler: pd.io.formats.style.Styler,
    *,
    key: str,
    rows: int,
    columns: dict[str, object] | None = None,
    file: TableFile | None = None,
) -> None:
    """``st.dataframe`` of a styled table, at most :data:`TABLE_HEIGHT` pixels high (``columns``: column config).

    ``file``: the table's CSV/XLSX download buttons under it (:func:`ui.downloads.table_downloads`).
    """
    height = min(TABLE_HEIGHT, 38 + 35 * max(rows, 1))
    st.dataframe(styler, key=key, hide_index=True, width="stretch", height=height, column_config=columns)
    if file is not None:
        downloads.table_downloads(file.frame, name=file.name, key=key, titles=file.titles)
