"""Sections of the Desa page (streamlit-aware): choice, identity, figures, map, tables, chart, notes.

The map (:func:`show_desa_map`) is the shell's status map (:mod:`ui.map_views`) of one desa
with its own facilities and its puskesmas, and around it (``cfg.sekitar`` of ``ui/js/peta.js``):

* the neighbouring desa (:func:`geo.surroundings.touching_desa`) in thin grey outline, their
  names on hover (month independent: sent once with the geometry);
* the nearest active pustu the engine measured to in the chosen month
  (:func:`geo.surroundings.nearest_pustu`) and a dashed line to it, labelled with the engine's
  ``jarak_pustu_km`` (the run's values, under ``"j"``);
* the view fitted to all of it with a strip kept free for the legend (bottom-right), beside the
  desa or below it, whichever leaves the desa larger (measured in the browser), so the legend
  never covers the desa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.display import simplify_coverage
from geo.surroundings import NearestPustu, nearest_pustu, touching_desa
from loaders.model import CRS
from ui import activity_chart, data, map_payload, map_views, maps, picker
from ui import drilldown as dd
from ui import drilldown_views as dv
from ui import quality_view as qv
from ui.context import PageContext
from ui.data import DataSource, RulesKey, rules_from_key, rules_key
from ui.fmt import fmt_int, fmt_km
from ui.i18n import t
from ui.table_format import plain_markdown

DESA_MAP_PADDING_PX: Final = 50  # free on every side of the desa map: no symbol cut at the edge or under the scale bar
LEGEND_MARGIN_PX: Final = 10  # Leaflet's margin around a corner control (the legend)


@dataclass(frozen=True)
class Desa:
    """The chosen desa: its code, its row of the desa table, kode_desa -> name of every desa, its puskesmas."""

    kode: str
    row: pd.Series
    names: dict[str, str]
    kode_puskesmas: str | None


def choose(ctx: PageContext, *, compact: bool) -> Desa | None:
    """The desa picker over the desa matching the filters (plus the chosen one); the choice, or None."""
    assert ctx.month is not None
    everything = data.desa_table(ctx.source, ctx.rules, ctx.month)
    labels = {
        str(k): f"{n} ({c})"
        for k, n, c in zip(everything["kode_desa"], everything["nama_desa"], everything["nama_kecamatan"], strict=True)
    }
    candidates = sorted(ctx.kode_desa(), key=lambda k: (labels.get(k, k), k))
    chosen = picker.choose_desa(ctx, candidates, labels, compact=compact)
    if chosen is None:
        return None
    row = everything[everything["kode_desa"] == chosen].iloc[0]
    kode_puskesmas = None if pd.isna(row["kode_puskesmas"]) else str(row["kode_puskesmas"])
    names = dd.desa_names(everything)
    if ctx.access.restricted and ctx.options is not None:  # a restricted role: names of its own desa only
        names = {k: v for k, v in names.items() if k in ctx.options.desa}
    return Desa(chosen, row, names, kode_puskesmas)


def identity(desa: Desa) -> None:
    """The desa's name with its status badge beside it, then code, kecamatan and puskesmas."""
    row = desa.row
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.subheader(plain_markdown(row["nama_desa"]), width="content")
        dv.status_badge(str(row["status"]))
    st.caption(
        " · ".join(
            [
                t("desap.kode", kode=plain_markdown(desa.kode)),
                t("desap.kecamatan", nama=plain_markdown(row["nama_kecamatan"])),
                t("desap.puskesmas", nama=plain_markdown(row["puskesmas"]) if not pd.isna(row["puskesmas"]) else "–"),
            ]
        )
    )


def facts(ctx: PageContext, desa: Desa, *, stacked: bool) -> None:
    """Active pustu, active/total posyandu, distance to the nearest active pustu (cards), and their notes."""
    row = desa.row
    jarak = row["jarak_pustu_km"]
    boxes = [st.container(border=True) for _ in range(3)] if stacked else st.columns(3, border=True)
    boxes[0].metric(
        t("col.pustu_aktif"), fmt_int(row["pustu_aktif"]), help=t("desap.pustu_help", total=fmt_int(row["pustu_total"]))
    )
    boxes[1].metric(
        t("map.tip.posyandu"),
        f"{fmt_int(row['posyandu_aktif'])} / {fmt_int(row['posyandu_total'])}",
        help=t(
            "metric.pct_posyandu_aktif.help",
            min=ctx.rules.posyandu_min_bulan,
            jendela=ctx.rules.posyandu_jendela_bulan,
        ),
    )
    boxes[2].metric(
        t("desap.jarak"), t("desap.jarak_none") if pd.isna(jarak) else fmt_km(jarak), help=t("desap.jarak_help")
    )
    if not pd.isna(jarak) and jarak > ctx.rules.jarak_maks_pustu_km:
        st.warning(
            t("desap.jauh", jarak=fmt_km(jarak), maks=fmt_km(ctx.rules.jarak_maks_pustu_km)),
            icon=":material/distance:",
        )
    if bool(row["ada_puskesmas"]):
        key = "desap.ada_puskesmas_pustu" if ctx.rules.puskesmas_sebagai_pustu else "desap.ada_puskesmas"
        st.caption(t(key))


def facility_tables(ctx: PageContext, desa: Desa) -> None:
    """The desa's pustu and posyandu, each under its count (or a line saying there are none)."""
    pustu = dv.pustu_table(ctx, [desa.kode], desa.names)
    st.subheader(t("desap.pustu", n=fmt_int(len(pustu))))
    if pustu.empty:
        st.caption(t("desap.pustu_none"))
    else:
        dv.show_table(
            dv.pustu_styler(pustu, with_desa=False),
            key="desa_tabel_pustu",
            rows=len(pustu),
            file=dv.pustu_file(pustu, with_desa=False),
        )
    posyandu = dv.posyandu_table(ctx, [desa.kode], desa.names)
    st.subheader(t("desap.posyandu", n=fmt_int(len(posyandu))))
    if posyandu.empty:
        st.caption(t("desap.posyandu_none"))
    else:
        dv.show_table(
            dv.posyandu_styler(posyandu, jendela=ctx.rules.posyandu_jendela_bulan, compact=True),
            key="desa_tabel_posyandu",
            rows=len(posyandu),
            columns=dv.posyandu_compact_columns(),
            file=dv.posyandu_file(posyandu, jendela=ctx.rules.posyandu_jendela_bulan),
        )


def activity(ctx: PageContext, kode_desa: str) -> None:
    """The monthly posyandu visits per life-cycle group and the posyandu open, as a chart."""
    cov = ctx.coverage()
    st.subheader(t("desap.chart"))
    monthly = dd.monthly_by_group(cov.posyandu_monthly(kode_desa=kode_desa), months=cov.months)
    if monthly.empty or not monthly["posyandu_lapor"].any():
        st.info(t("desap.chart_none"))
    else:
        st.caption(t("desap.chart_help"))
        st.plotly_chart(activity_chart.activity_chart(monthly), width="stretch", config={"displaylogo": False})


def quality(ctx: PageContext, kode_desa: str) -> None:
    """The data-quality notes about the desa or its facilities."""
    cov = ctx.coverage()
    notes = dd.desa_quality(cov.quality(ctx.month), cov.facilities, kode_desa)
    st.subheader(t("desap.kualitas", n=fmt_int(len(notes))))
    if notes.empty:
        st.success(t("desap.kualitas_none"), icon=":material/check_circle:")
    else:
        places = qv.with_places(notes, cov.dataset.desa)
        qv.show_findings(places, key="desa_tabel_kualitas", columns=qv.DESA_FINDING_COLUMNS)


# -- the map -------------------------------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def _neighbour_rows(path: str, version: int, stamp: int, rules: RulesKey, kode_desa: str) -> list[list[Any]]:
    """Geometry rows (:func:`ui.map_payload.geometry_rows`, no label points) of the desa touching ``kode_desa``.

    Simplified as one coverage with the desa itself, as the desa is (:data:`ui.map_views.DESA_PAGE_SIMPLIFY_M`),
    so their shared borders meet the desa's outline; extra text: the kecamatan name.
    """
    cov = data.coverage(DataSource(path=path, version=version, stamp=stamp), rules_from_key(rules))
    codes = touching_desa(cov, kode_desa)
    if not codes:
        return []
    places = cov.desa_places()
    keep = places["kode_desa"].astype("object").isin([*codes, kode_desa]).to_numpy(dtype=bool)
    geometry = cov.desa_geometries().geometry.to_numpy()[keep]
    around = gpd.GeoDataFrame(places[keep].reset_index(drop=True), geometry=geometry, crs=CRS)
    around = around.assign(geometry=simplify_coverage(around.geometry, tolerance_m=map_views.DESA_PAGE_SIMPLIFY_M))
    around = around[around["kode_desa"].astype("object").ne(kode_desa).to_numpy(dtype=bool)]
    named = around.rename(columns={"kode_desa": "kode", "nama_desa": "nama"})
    return map_payload.geometry_rows(
        named, decimals=map_views.DESA_PAGE_DECIMALS, extra=("nama_kecamatan",), labels=False
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _nearest(path: str, version: int, stamp: int, rules: RulesKey, kode_desa: str, month: str) -> NearestPustu | None:
    cov = data.coverage(DataSource(path=path, version=version, stamp=stamp), rules_from_key(rules))
    return nearest_pustu(cov, kode_desa, month)


def nearest(ctx: PageContext, kode_desa: str) -> NearestPustu | None:
    """The nearest active pustu of ``kode_desa`` in the chosen month (:func:`geo.surroundings.nearest_pustu`)."""
    assert ctx.month is not None
    source = ctx.source
    return _nearest(source.path, source.version, source.stamp, rules_key(ctx.rules), kode_desa, ctx.month)


def neighbours(ctx: PageContext, kode_desa: str) -> list[list[Any]]:
    """Geometry rows of the desa touching ``kode_desa`` (what the map outlines).

    For a role that sees part of the data (:attr:`ui.access.Access.restricted`), a neighbour
    outside its area keeps its outline but not its code, name or kecamatan ("di luar wilayah Anda").
    """
    source = ctx.source
    rows = _neighbour_rows(source.path, source.version, source.stamp, rules_key(ctx.rules), kode_desa)
    if not ctx.access.restricted or ctx.options is None:
        return rows
    allowed, outside = ctx.options.desa, t("desap.map.luar_wilayah")
    return [row if row[0] in allowed else [f"luar-{i}", outside, [""], *row[3:]] for i, row in enumerate(rows, start=1)]


def nearest_outside(ctx: PageContext, found: NearestPustu | None) -> bool:
    """True when the nearest pustu counts in a desa outside a restricted role's area (shown as a distance only)."""
    if found is None or not ctx.access.restricted or ctx.options is None:
        return False
    return found.kode_desa is None or found.kode_desa not in ctx.options.desa


def nearest_values(found: NearestPustu | None, names: dict[str, str]) -> dict[str, Any] | None:
    """The map's ``"j"`` value: desa point ``a`` and pustu point ``b`` ([lat, lon]), name, its desa, distance.

    None when there is no active pustu or its point is unknown (no line is drawn).
    """
    if found is None or not found.found:
        return None
    assert found.lat is not None and found.lon is not None
    return {
        "a": [round(found.desa_lat, 6), round(found.desa_lon, 6)],
        "b": [round(found.lat, 6), round(found.lon, 6)],
        "n": found.nama or "–",
        "d": names.get(found.kode_desa, found.kode_desa) if found.kode_desa else "–",
        "k": fmt_km(found.jarak_km),
    }


def show_desa_map(ctx: PageContext, desa: Desa, *, key: str, height: int, large: bool = False) -> None:
    """The desa (status colour) with its own facilities, its puskesmas, its neighbours and its nearest pustu.

    Fitted to the desa and its puskesmas (and the nearest pustu in the browser), every facility
    layer on (they are this desa's own), the legend's strip kept free. Below the map (not in
    presentation mode) a line names the nearest pustu and its distance, or says there is none.
    """
    assert ctx.month is not None and ctx.options is not None
    kode_desa = desa.kode
    facilities = ctx.coverage().facilities
    own = facilities["kode_desa_final"].astype("object").eq(kode_desa)
    if desa.kode_puskesmas:
        code = facilities["kode"].astype("object").fillna(facilities["kode_puskesmas"].astype("object"))
        own |= facilities["jenis"].astype("object").eq("puskesmas") & code.eq(desa.kode_puskesmas)
    monthly = data.posyandu_activity(ctx.source, ctx.rules, ctx.month)
    shown = facilities[own.fillna(False).to_numpy(dtype=bool)]
    posyandu = monthly[monthly["kode_desa"].astype("object").eq(kode_desa).fillna(False).to_numpy(dtype=bool)]
    map_data = map_views.status_map_data(ctx, [kode_desa], facilities=shown, posyandu=posyandu, desa=kode_desa)
    points = maps.facility_points(shown, posyandu, kode_desa=None)
    bounds = _union_bounds(map_data.bounds, points)
    found = nearest(ctx, kode_desa)
    outside = nearest_outside(ctx, found)
    line = None if outside else nearest_values(found, desa.names)
    values = json.loads(map_data.values)
    if line is not None:
        values["j"] = line
    map_data = replace(map_data, bounds=bounds, values=map_payload.script_json(values))
    sekitar = {
        "tetangga": neighbours(ctx, kode_desa),
        "fit": None if bounds is None else [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
        "pad": DESA_MAP_PADDING_PX,
        "free": maps.LEGEND_CLEARANCE_PX[large],
        "margin": LEGEND_MARGIN_PX,
        "teks": {k: t(f"desap.map.{k}") for k in ("terdekat", "jarak", "tetangga")},
    }
    map_views.show(
        ctx,
        map_data,
        key=key,
        height=height,
        large=large,
        padding=DESA_MAP_PADDING_PX,
        show_layers=maps.FACILITY_LAYERS,
        extra={"sekitar": sekitar},
    )
    if large:
        return
    if found is None:
        st.caption(t("desap.map_help_none"))
    elif outside:
        st.caption(t("desap.map_help_luar", jarak=fmt_km(found.jarak_km)))
    elif line is not None:
        st.caption(t("desap.map_help", nama=plain_markdown(line["n"]), jarak=line["k"]))


def _union_bounds(
    bounds: tuple[float, float, float, float] | None, points: pd.DataFrame
) -> tuple[float, float, float, float] | None:
    """``bounds`` grown to hold every point (lon, lat) of ``points``."""
    boxes = [bounds] if bounds is not None else []
    if len(points):
        boxes.append(
            (
                float(points["lon"].min()),
                float(points["lat"].min()),
                float(points["lon"].max()),
                float(points["lat"].max()),
            )
        )
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
