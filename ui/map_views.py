"""The status map of a page at every scale: desa, or units one level down, drill-down by click.

What is drawn follows the scope (the area filters: provinsi, kabupaten/kota, kecamatan,
puskesmas): at most :data:`geo.levels.MAX_DESA_DRAWN` desa are drawn as desa by status,
with the kecamatan outlined over them; a larger scope is drawn as the units one level down
(:func:`ui.scope.drawn_level`), coloured by their share of desa with a gap. Clicking a unit
drills down into it (:func:`ui.scope.drill`). ``colouring`` ``tenaga`` (the Peta Kesenjangan
page's ``warna``) colours desa and units by pustu staffing instead (:mod:`geo.staffing`); only
the values change, the geometry text is the same.

Caching (issue 9, "map data prepared once"): the geometry text of a scope is built once per
data version and scope (``st.cache_data`` on short scalars: store path, version, stamp, level,
scope codes), from units dissolved and simplified once per level and parent unit
(``st.cache_resource``, and on disk beside the store: :mod:`loaders.display_cache`). The
values of a run (statuses, classes, facility points) are small and cached per month and
filter signature; they are applied in the browser in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st

from geo import levels
from geo.display import dissolve_units, simplify_coverage
from loaders import display_cache
from loaders.model import CRS
from ui import access, data, map_payload, maps, scope, session
from ui.context import PageContext
from ui.data import DataSource, RulesKey, rules_from_key, rules_key
from ui.fmt import fmt_int
from ui.i18n import get_language, t
from ui.state import WARNA_STATUS, WARNA_TENAGA, ViewState
from ui.table_format import plain_markdown

if TYPE_CHECKING:
    from geo.engine import Coverage

DESA: Final = levels.DESA
Bounds = tuple[float, float, float, float]
DESA_PAGE_SIMPLIFY_M: Final = 10.0  # one desa filling the map: finer outline
DESA_PAGE_DECIMALS: Final = 5
BOUNDS_DECIMALS: Final = 6  # ~0.1 m: the fitted extent, free of the float noise of reprojection


def _coverage(path: str, version: int, stamp: int, rules: RulesKey) -> Coverage:
    return data.coverage(DataSource(path=path, version=version, stamp=stamp), rules_from_key(rules))


def _bounds(frame: gpd.GeoDataFrame) -> Bounds | None:
    if frame.empty:
        return None
    minx, miny, maxx, maxy = (round(float(v), BOUNDS_DECIMALS) for v in frame.total_bounds)
    return (minx, miny, maxx, maxy)


# -- geometry, once per data version and scope --------------------------------------------
@st.cache_resource(max_entries=16, show_spinner=False)
def _units(path: str, version: int, stamp: int, rules: RulesKey, level: str, parent: str | None) -> gpd.GeoDataFrame:
    """Units of ``level`` inside unit ``parent`` (None: all), dissolved from their desa and simplified.

    Only the desa of ``parent`` are dissolved (Jawa Barat's 27 kabupaten/kota, not the
    nation's 514, when a province is opened). Shared and read-only; kept on disk beside the
    store too (:mod:`loaders.display_cache`, keyed by the desa layer's fingerprint): a
    restarted server, or a version that changed only facilities or reports, does not prepare
    them again.
    """
    fingerprint = display_cache.desa_fingerprint(path)
    name = f"{level}-{parent or 'semua'}"
    cached = display_cache.read_units(path, fingerprint=fingerprint, level=name)
    if cached is not None:
        return cached
    cov = _coverage(path, version, stamp, rules)
    places = cov.desa_places()
    geometry = cov.desa_geometries().geometry.to_numpy()
    if parent is not None:
        above = levels.LEVELS[levels.CODES.index(level) - 1]
        keep = places[above.kode_column].astype("object").eq(parent).to_numpy(dtype=bool)
        places, geometry = places[keep].reset_index(drop=True), geometry[keep]
    desa = gpd.GeoDataFrame(places, geometry=geometry, crs=CRS)
    units = dissolve_units(desa, level=level)
    units = units.assign(geometry=simplify_coverage(units.geometry, tolerance_m=levels.level(level).simplify_m))
    display_cache.write_units(path, units, fingerprint=fingerprint, level=name)
    return units


@st.cache_data(max_entries=32, show_spinner=False)
def _unit_geometry(
    path: str, version: int, stamp: int, rules: RulesKey, level: str, parent: str | None
) -> tuple[str, Bounds | None]:
    """(geometry text, bounds) of the units of ``level`` inside unit ``parent`` (None: all)."""
    units = _units(path, version, stamp, rules, level, parent)
    spec = levels.level(level)
    rows = map_payload.geometry_rows(units, decimals=spec.decimals)
    return map_payload.geometry_text(rows, decimals=spec.decimals), _bounds(units)


@st.cache_data(max_entries=32, show_spinner=False)
def _desa_geometry(
    path: str,
    version: int,
    stamp: int,
    rules: RulesKey,
    frame: tuple[str, ...] | str,
    tolerance_m: float,
    decimals: int,
) -> tuple[str, Bounds | None]:
    """(geometry text, bounds) of the desa of ``frame`` with their kecamatan outlined.

    ``frame``: the area filters (:func:`_frame_signature`) or one kode_desa (a str).
    """
    cov = _coverage(path, version, stamp, rules)
    places = cov.desa_places()
    geometry = cov.desa_geometries().geometry.to_numpy()
    if isinstance(frame, str):
        keep = places["kode_desa"].astype("object").eq(frame).to_numpy(dtype=bool)
    else:
        codes = set(
            data.frame_desa(
                DataSource(path=path, version=version, stamp=stamp), rules_from_key(rules), _state_of(frame)
            )
        )
        keep = places["kode_desa"].astype("object").isin(codes).to_numpy(dtype=bool)
    desa = gpd.GeoDataFrame(places[keep].reset_index(drop=True), geometry=geometry[keep], crs=CRS)
    desa = desa.assign(geometry=simplify_coverage(desa.geometry, tolerance_m=tolerance_m))
    named = desa.rename(columns={"kode_desa": "kode", "nama_desa": "nama"})
    rows = map_payload.geometry_rows(
        named, decimals=decimals, extra=("nama_kecamatan", "puskesmas"), group="kode_kecamatan"
    )
    outlines = None
    if desa["kode_kecamatan"].nunique() > 1:  # their borders are drawn by the browser from the desa
        kecamatan = dissolve_units(desa, level=levels.KECAMATAN)
        largest_first = np.argsort(-shapely.area(kecamatan.geometry.to_numpy()), kind="stable")
        outlines = map_payload.geometry_rows(kecamatan.iloc[largest_first], decimals=decimals, shapes=False)
    return map_payload.geometry_text(rows, decimals=decimals, outlines=outlines), _bounds(desa)


def _frame_signature(state: ViewState) -> tuple[str, ...]:
    """The area filters of ``state`` as a short tuple of strings (a cache key)."""
    return (state.provinsi or "", state.kabupaten or "", ",".join(state.kecamatan), state.puskesmas or "")


def _state_of(signature: tuple[str, ...]) -> ViewState:
    provinsi, kabupaten, kecamatan, puskesmas = signature
    return ViewState(
        provinsi=provinsi or None,
        kabupaten=kabupaten or None,
        kecamatan=tuple(k for k in kecamatan.split(",") if k),
        puskesmas=puskesmas or None,
    )


# -- what to draw --------------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def _unit_count(path: str, version: int, stamp: int, rules: RulesKey, frame: tuple[str, ...], level: str) -> int:
    """How many units of ``level`` the desa of ``frame`` (:func:`_frame_signature`) lie in."""
    cov = _coverage(path, version, stamp, rules)
    places = cov.desa_places()
    source = DataSource(path=path, version=version, stamp=stamp)
    codes = set(data.frame_desa(source, rules_from_key(rules), _state_of(frame)))
    inside = places[places["kode_desa"].astype("object").isin(codes).to_numpy(dtype=bool)]
    return int(inside[levels.level(level).kode_column].nunique())


def drawn_level(ctx: PageContext, area: ViewState | None = None) -> str:
    """The level the map of ``area`` (default: the filters) draws: ``desa``, or units one level below.

    A level where the scope holds a single unit (Jawa Barat alone: one provinsi) is passed
    over to the next one down: a map of one area says nothing.
    """
    state = area or ctx.state
    level = scope.drawn_level(state, n_desa=data.frame_desa_count(ctx.source, ctx.rules, state))
    source, frame = ctx.source, _frame_signature(state)
    while level in levels.UNIT_LEVELS and (
        _unit_count(source.path, source.version, source.stamp, rules_key(ctx.rules), frame, level) <= 1
    ):
        level = levels.below(level)
    return level


def _scope_parent(state: ViewState, level: str) -> str | None:
    """Code of the unit whose ``level`` units are drawn (None: every unit of that level in the data).

    The parent is the scope's own area when it is the level just above ``level``; a scope
    further up (a level passed over, see :func:`drawn_level`) holds that single parent only.
    """
    parent_level = levels.CODES[levels.CODES.index(level) - 1] if level != levels.CODES[0] else None
    if parent_level == levels.PROVINSI:
        return state.provinsi
    if parent_level == levels.KABUPATEN:
        return state.kabupaten
    return None


def status_map_data(
    ctx: PageContext,
    kode_desa: Sequence[str],
    *,
    facilities: pd.DataFrame | None = None,
    posyandu: pd.DataFrame | None = None,
    desa: str | None = None,
    area: ViewState | None = None,
    colouring: str = WARNA_STATUS,
) -> maps.MapData:
    """What the page's map draws in this run (:class:`ui.maps.MapData`).

    ``kode_desa``: the desa matching every filter this month (coloured; the others of the
    scope are not drawn). ``facilities``/``posyandu``: facility rows to draw (desa maps
    only). ``desa``: one desa's own map (Desa page) instead of the scope's. ``area``: the
    area whose desa are drawn (its area filters; default: the filters of the run).
    ``colouring``: :data:`ui.state.WARNA_STATUS` (status, gap share) or
    :data:`~ui.state.WARNA_TENAGA` (pustu staffing: ``"w": "tenaga"`` in the values).
    """
    staffed = colouring == WARNA_TENAGA
    assert ctx.month is not None
    source, rules = ctx.source, rules_key(ctx.rules)
    area = area or ctx.state
    level = levels.DESA if desa is not None else drawn_level(ctx, area)
    if level == levels.DESA:
        if desa is not None:
            text, bounds = _desa_geometry(
                source.path, source.version, source.stamp, rules, desa, DESA_PAGE_SIMPLIFY_M, DESA_PAGE_DECIMALS
            )
        else:
            spec = levels.level(levels.DESA)
            text, bounds = _desa_geometry(
                source.path,
                source.version,
                source.stamp,
                rules,
                _frame_signature(area),
                spec.simplify_m,
                spec.decimals,
            )
        table = data.desa_table(ctx.source, ctx.rules, ctx.month)
        chosen = table[table["kode_desa"].isin(set(kode_desa))]
        if staffed:
            values: dict[str, object] = {"v": map_payload.desa_staffing_values(chosen), "w": map_payload.STAFFING_MODE}
        else:
            values = {"v": map_payload.desa_values(chosen)}
        if facilities is not None:
            assert posyandu is not None, "facility layers need the posyandu rows too"
            names = dict(zip(chosen["kode_desa"].astype(str), chosen["nama_desa"].astype(str), strict=True))
            points = maps.facility_points(facilities, posyandu, kode_desa=None, desa_names=names, lang=get_language())
            values["p"] = map_payload.facility_values(points)
        return maps.MapData(
            "desa",
            level,
            text,
            bounds,
            map_payload.script_json(values),
            features=len(chosen),
            facilities=facilities is not None,
        )
    parent = _scope_parent(area, level)
    text, bounds = _unit_geometry(source.path, source.version, source.stamp, rules, level, parent)
    indicators = data.group_indicators(ctx.source, ctx.rules, ctx.month, by=level, state=ctx.state)
    if staffed:
        unit_values = map_payload.unit_staffing_values(indicators)
        payload: dict[str, object] = {"v": unit_values, "w": map_payload.STAFFING_MODE}
    else:
        unit_values = map_payload.unit_values(indicators)
        payload = {"v": unit_values}
    return maps.MapData("unit", level, text, bounds, map_payload.script_json(payload), features=len(unit_values))


def show_status_map(
    ctx: PageContext,
    kode_desa: Sequence[str],
    *,
    key: str,
    height: int,
    facilities: bool,
    large: bool = False,
    small_symbols: bool = False,
    clickable: bool = False,
    area: ViewState | None = None,
    sync: str | None = None,
    colouring: str = WARNA_STATUS,
) -> str | None:
    """Draw the page's status map; return the kode_desa clicked (``clickable``, desa maps), else None.

    ``kode_desa``: the desa to colour (those matching every filter); ``area``: the area whose
    desa the map covers (default: the run's area filters; e.g. a puskesmas's working area).
    A unit map always listens for clicks: a click drills down into the unit (the scope
    changes, the URL follows). Panning and zooming never rerun the page. ``sync``: a group
    name; the maps of one group pan and zoom together in the browser (``ui/js/peta.js``).
    ``colouring``: see :func:`status_map_data`.
    """
    assert ctx.month is not None and ctx.options is not None
    level = drawn_level(ctx, area)
    rows = posyandu = None
    if facilities and level == levels.DESA:
        keep = list(kode_desa)
        rows = _in_desa(ctx.coverage().facilities, "kode_desa_final", keep)
        posyandu = _in_desa(data.posyandu_activity(ctx.source, ctx.rules, ctx.month), "kode_desa", keep)
    map_data = status_map_data(ctx, kode_desa, facilities=rows, posyandu=posyandu, area=area, colouring=colouring)
    if area is None:
        scope_bar(ctx, map_data, key=key)
    return show(
        ctx,
        map_data,
        key=key,
        height=height,
        large=large,
        small_symbols=small_symbols,
        clickable=clickable,
        sync=sync,
    )


def show(
    ctx: PageContext,
    map_data: maps.MapData,
    *,
    key: str,
    height: int,
    large: bool = False,
    small_symbols: bool = False,
    clickable: bool = False,
    padding: int = 0,
    show_layers: Sequence[str] | None = None,
    sync: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str | None:
    """Draw ``map_data``; see :func:`show_status_map`. ``extra``: more runtime configuration (e.g. ``sekitar``)."""
    config = maps.runtime_config(
        map_data.kind,
        level=map_data.level,
        facilities=map_data.facilities,
        large=large,
        small=small_symbols,
        lang=get_language(),
    )
    if sync is not None:
        config["sync"] = sync
    config.update(extra or {})
    if show_layers is not None:
        for layer in config["layers"]:
            layer["on"] = layer["code"] in set(show_layers)
    fmap, group = maps.peta_map(
        map_data, config=config, tiles=maps.tiles_from_env(), padding=padding, large_legend=large
    )
    units = map_data.kind == "unit"
    options = ctx.options
    state = ctx.state

    def _drill() -> None:
        clicked = maps.clicked_unit(st.session_state.get(key))
        if clicked is not None and options is not None:
            session.set_scope(scope.drill(state, level=clicked[0], kode=clicked[1], options=options))

    result = maps.show_map(
        fmap,
        group,
        key=key,
        height=height,
        returned_objects=["last_active_drawing"] if units or clickable else [],
        on_change=_drill if units else None,
    )
    return maps.clicked_desa(result) if clickable and not units else None


def scope_bar(ctx: PageContext, map_data: maps.MapData, *, key: str) -> None:
    """Breadcrumbs from the top of the data to the scope (each leads back up), and what the map shows.

    Shown when there is somewhere to go: above the top, or a map of units.
    """
    assert ctx.options is not None
    crumbs = scope.breadcrumbs(ctx.state, ctx.options)
    if ctx.access.peran == access.PUSKESMAS and ctx.access.kode and crumbs:  # the top is the working area
        own = scope.puskesmas_name(ctx.access.kode, ctx.options, lang=ctx.state.lang)
        crumbs = (replace(crumbs[0], level=None, kode=None, nama=own), *crumbs[1:])
    if len(crumbs) > 1:
        with st.container(horizontal=True, gap="small", vertical_alignment="center", key=f"{key}_remah"):
            for i, crumb in enumerate(crumbs):
                label = plain_markdown(crumb.nama)
                if i == len(crumbs) - 1:
                    st.markdown(f"**{label}**")
                else:
                    st.button(
                        f"{label} ›",
                        key=f"{key}_remah_{i}",
                        type="tertiary",
                        on_click=session.set_scope,
                        args=(crumb.state,),
                    )
    if map_data.kind == "unit":
        st.caption(
            t(
                "map.level_note",
                n=fmt_int(map_data.features),
                tingkat=t(levels.level(map_data.level).label_key).lower(),
                batas=fmt_int(levels.MAX_DESA_DRAWN),
            )
        )


def _in_desa(frame: pd.DataFrame, column: str, kode_desa: Sequence[str]) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` is one of ``kode_desa``."""
    return frame[frame[column].astype("object").isin(kode_desa).to_numpy(dtype=bool)]
