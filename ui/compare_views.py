"""The Bandingkan page's building blocks: two months side by side (streamlit side of :mod:`geo.compare`).

* :func:`months` — the two months: ``bulan`` (the month filter, "after") and ``banding``
  (the month compared with, "before"; default :func:`geo.compare.default_before`); both stay
  in the URL (:mod:`ui.state`).
* :func:`comparison` — :func:`geo.compare.compare_months` of the desa of the area (the area
  filters; the status filter does not apply: a desa is compared whatever its status), cached
  per data version, rules, months and area.
* :func:`show_status_maps` — the status map of each month, side by side, panning and zooming
  together (``sync`` group of ``ui/js/peta.js``); a large scope draws units there as on every
  page (:mod:`ui.map_views`).
* :func:`show_change_map` — the desa coloured by their change (a change map is a desa map over
  the same geometry whose values are changes: ``cfg.changes`` in ``ui/js/peta.js``). Drawn at
  desa level only: above :data:`geo.levels.MAX_DESA_DRAWN` desa the page says to choose a
  kabupaten/kota or kecamatan, and the table still lists every changed desa.
* :func:`show_counts`, :func:`show_change_table` — desa per change, and the desa whose status
  changed (labelled Indonesian columns, CSV/XLSX buttons).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import pandas as pd
import streamlit as st

from geo import compare, levels
from ui import data, downloads, map_views, maps, session, views
from ui.context import PageContext
from ui.data import RulesKey, rules_from_key, rules_key
from ui.fmt import fmt_int, fmt_month
from ui.i18n import change_label, get_language, status_label, t
from ui.map_payload import STATUS_INDEX, script_json
from ui.state import ViewState
from ui.table_format import styled

SYNC_GROUP: Final = "bandingkan"
PICKER_KEY: Final = "ilp_w_banding"
MAP_KEY: Final = "banding_peta"
TABLE_KEY: Final = "banding_tabel"
CHANGE_INDEX: Final[dict[str, int]] = {code: i for i, code in enumerate(compare.CODES)}
TABLE_COLUMNS: Final = (  # the change first after the desa: it stays in sight on a narrow screen
    "nama_desa",
    "perubahan",
    "status_sebelum",
    "status_sesudah",
    "nama_kecamatan",
    "puskesmas",
    "posyandu_aktif_sebelum",
    "posyandu_aktif_sesudah",
)


def months(ctx: PageContext) -> tuple[str, str]:
    """(before, after): the month compared with (``banding``, or its default) and the chosen month."""
    assert ctx.month is not None and ctx.options is not None
    before = ctx.state.banding or compare.default_before(ctx.options.months, ctx.month)
    assert before is not None
    return before, ctx.month


def keep_in_url(ctx: PageContext, before: str) -> None:
    """Write the month compared with into the state and the address (also when it is the default)."""
    if ctx.state.banding != before:
        session.set_banding(before)
        session.sync_url(replace(ctx.state, banding=before))


def picker(ctx: PageContext, before: str) -> None:
    """The month compared with: a select box of the report months (writes ``banding``)."""
    assert ctx.options is not None
    st.session_state[PICKER_KEY] = before

    def _chosen() -> None:
        session.set_banding(st.session_state[PICKER_KEY])

    lang = get_language()
    st.selectbox(
        t("banding.picker"),
        list(ctx.options.months),
        key=PICKER_KEY,
        on_change=_chosen,
        format_func=lambda m: fmt_month(m, lang=lang),
        width=260,
    )


# -- the comparison ------------------------------------------------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _comparison(
    path: str, version: int, stamp: int, rules: RulesKey, before: str, after: str, frame: tuple[str, ...]
) -> pd.DataFrame:
    source = data.DataSource(path=path, version=version, stamp=stamp)
    rules_obj = rules_from_key(rules)
    kode_desa = data.frame_desa(source, rules_obj, _area_state(frame))
    return compare.compare_months(data.coverage(source, rules_obj), before=before, after=after, kode_desa=kode_desa)


def _area_state(frame: tuple[str, ...]) -> ViewState:
    provinsi, kabupaten, kecamatan, puskesmas = frame
    return ViewState(
        provinsi=provinsi or None,
        kabupaten=kabupaten or None,
        kecamatan=tuple(k for k in kecamatan.split(",") if k),
        puskesmas=puskesmas or None,
    )


def area_signature(state: ViewState) -> tuple[str, ...]:
    """The area filters of ``state`` (a cache key): provinsi, kabupaten, kecamatan, puskesmas."""
    return (state.provinsi or "", state.kabupaten or "", ",".join(state.kecamatan), state.puskesmas or "")


def comparison(ctx: PageContext, *, before: str, after: str) -> pd.DataFrame:
    """:func:`geo.compare.compare_months` of the desa of the area filters (a copy; cached)."""
    source = ctx.source
    frame = area_signature(ctx.state)
    return _comparison(source.path, source.version, source.stamp, rules_key(ctx.rules), before, after, frame).copy()


def area_desa(ctx: PageContext) -> tuple[str, ...]:
    """kode_desa of the area filters (every status)."""
    return data.frame_desa(ctx.source, ctx.rules, replace(ctx.state, status=()))


# -- maps -------------------------------------------------------------------------------------------
def show_status_maps(ctx: PageContext, kode_desa: tuple[str, ...], *, before: str, after: str, height: int) -> str:
    """The status maps of ``before`` (left) and ``after`` (right), moving together; returns the level drawn."""
    area = replace(ctx.state, status=())
    lang = get_language()
    map_data = map_views.status_map_data(ctx, kode_desa, area=area)
    map_views.scope_bar(ctx, map_data, key=MAP_KEY)
    left, right = st.columns(2, gap="small")
    for column, month, name in ((left, before, "sebelum"), (right, after, "sesudah")):
        month_ctx = replace(ctx, state=replace(ctx.state, bulan=month, status=()))
        with column:
            st.markdown(f"**{t('banding.status_map', bulan=fmt_month(month, lang=lang))}**")
            map_views.show_status_map(
                month_ctx,
                kode_desa,
                key=f"{MAP_KEY}_{name}",
                height=height,
                facilities=False,
                area=area,
                sync=SYNC_GROUP,
            )
    return map_data.level


def change_values(table: pd.DataFrame) -> dict[str, list[int]]:
    """kode_desa -> [change index, status index before, status index after] (``ui/js/peta.js``, ``cfg.changes``)."""
    return {
        str(kode): [CHANGE_INDEX[str(change)], STATUS_INDEX[str(was)], STATUS_INDEX[str(now)]]
        for kode, change, was, now in zip(
            table["kode_desa"], table["perubahan"], table["status_sebelum"], table["status_sesudah"], strict=True
        )
    }


def change_config(*, before: str, after: str, lang: str) -> dict[str, object]:
    """The runtime configuration of a change map: a desa map whose colours and legend are the changes."""
    config = maps.runtime_config("desa", level=levels.DESA, facilities=False, lang=lang)
    months_text = {
        "sebelum": fmt_month(before, lang=lang, short=True),
        "sesudah": fmt_month(after, lang=lang, short=True),
    }
    config["changes"] = [
        [c.code, c.colour, change_label(c.code, lang=lang), t(c.desc_key, lang=lang)] for c in compare.CHANGES
    ]
    config["legendTitle"] = t("banding.change_map", lang=lang, **months_text)
    config["tip"] = {
        **config["tip"],  # type: ignore[dict-item]
        "before": t("banding.status_map", lang=lang, bulan=months_text["sebelum"]),
        "after": t("banding.status_map", lang=lang, bulan=months_text["sesudah"]),
        "change": t("banding.tip.change", lang=lang),
    }
    config["sync"] = SYNC_GROUP
    return config


def show_change_map(
    ctx: PageContext, table: pd.DataFrame, kode_desa: tuple[str, ...], *, before: str, after: str, height: int
) -> None:
    """The desa of ``table`` coloured by their change, over the same desa geometry as the status maps."""
    area = replace(ctx.state, status=())
    base = map_views.status_map_data(ctx, kode_desa, area=area)
    values = change_values(table)
    map_data = replace(base, values=script_json({"v": values}), features=len(values))
    config = change_config(before=before, after=after, lang=get_language())
    fmap, group = maps.peta_map(map_data, config=config, tiles=maps.tiles_from_env())
    maps.show_map(fmap, group, key=f"{MAP_KEY}_perubahan", height=height)


# -- counts and table ----------------------------------------------------------------------------
def show_counts(table: pd.DataFrame) -> None:
    """One metric per change: how many desa of the area it has (the unchanged and no-data ones too)."""
    counts = compare.change_counts(table)
    for change in compare.CHANGES:
        st.metric(change_label(change.code), fmt_int(int(counts[change.code])), help=t(change.desc_key))


def labelled_changes(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with status and change codes as their labels in the run's language (a copy)."""
    return table.assign(
        status_sebelum=table["status_sebelum"].map(status_label).astype("object"),
        status_sesudah=table["status_sesudah"].map(status_label).astype("object"),
        perubahan=table["perubahan"].map(change_label).astype("object"),
    )


def column_titles(*, before: str, after: str) -> dict[str, str]:
    """Headers of the change table that name the two months ("Status Des 2025")."""
    lang = get_language()
    was, now = fmt_month(before, lang=lang, short=True), fmt_month(after, lang=lang, short=True)
    status, aktif = t("col.status"), t("col.posyandu_aktif")
    return {
        "status_sebelum": f"{status} {was}",
        "status_sesudah": f"{status} {now}",
        "posyandu_aktif_sebelum": f"{aktif} {was}",
        "posyandu_aktif_sesudah": f"{aktif} {now}",
    }


def _change_colour(label: object) -> str:
    by_label = {change_label(c.code): c.colour for c in compare.CHANGES}
    colour = by_label.get(str(label))
    text = (
        "#ffffff"
        if colour in (compare.change(compare.MEMBURUK).colour, compare.change(compare.MEMBAIK).colour)
        else "#111111"
    )
    return f"background-color: {colour}; color: {text}" if colour else ""


def show_change_table(table: pd.DataFrame, *, before: str, after: str) -> None:
    """The desa whose status changed (worst change first), labelled, with CSV/XLSX buttons."""
    lang = get_language()
    changed = compare.changed_rows(table)
    was, now = fmt_month(before, lang=lang), fmt_month(after, lang=lang)
    st.subheader(t("banding.table"))
    if changed.empty:
        st.success(t("banding.no_changes", sebelum=was, sesudah=now), icon=":material/check_circle:")
        return
    st.caption(t("banding.count", n=fmt_int(len(changed)), total=fmt_int(len(table)), sebelum=was, sesudah=now))
    shown = labelled_changes(changed)
    titles = column_titles(before=before, after=after)
    styler = styled(
        shown,
        TABLE_COLUMNS,
        integers=("posyandu_aktif_sebelum", "posyandu_aktif_sesudah"),
        titles=titles,
    )
    perubahan = t("kol.perubahan")
    st.dataframe(
        styler.map(_change_colour, subset=[perubahan]),
        key=TABLE_KEY,
        hide_index=True,
        width="stretch",
        height=views.table_height(len(changed), max_px=460),
    )
    downloads.table_downloads(
        shown.loc[:, ["kode_desa", *TABLE_COLUMNS]],
        name=f"perubahan_status_{before}_{after}",
        key=f"{TABLE_KEY}_unduh",
        titles=titles,
    )


def large_scope_note(n_desa: int) -> None:
    """Say that the change map is drawn per desa only, and how to get there (choose a smaller area)."""
    st.info(
        t("banding.large_scope", n=fmt_int(n_desa), batas=fmt_int(levels.MAX_DESA_DRAWN)),
        icon=":material/zoom_in:",
    )


def is_desa_level(level: str) -> bool:
    """True when the maps draw desa (the change map is drawn at that level only)."""
    return level == levels.DESA
