"""What a map sends to the browser, as compact JSON text (pure: no streamlit, no folium).

A map is sent in two parts (see ``ui/js/peta.js`` and :mod:`ui.maps`):

* :func:`geometry_text`: the polygons of one scope (desa of a kabupaten, or the units
  drawn instead of them), quantised and delta-encoded by
  :func:`geo.display.encode_geometry`, with the few names a tooltip and a label need.
  Built once per data version and scope and cached as text: a change of month, status or
  filter never simplifies or serialises geometry again.
* :func:`desa_values` / :func:`unit_values` and :func:`facility_values`: the small lookup
  of each change (status or gap class per feature, the figures of its tooltip, already
  formatted the Indonesian way, and the facility points). Coloured by pustu staffing
  (``warna=tenaga``), :func:`desa_staffing_values` / :func:`unit_staffing_values` take their
  place and the lookup says so under ``"w"`` (:data:`STAFFING_MODE`): the runtime's texts and
  both palettes are in its configuration already, so a change of colouring sends no geometry.

Every text is placed in a ``<script>``: :func:`script_json` escapes ``<`` (so no
``</script>`` can close it) and the line separators JavaScript rejects. The browser sets
every name with ``textContent``, never as HTML.

Geometry row: ``[kode, nama, [extra texts], [lon, lat] of the label or null, encoded(, group)]``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import staffing, statuses
from geo.display import encode_geometry, label_points
from ui.fmt import MISSING, fmt_int, fmt_pct
from ui.palette import gap_class

STATUS_INDEX: Final[dict[str, int]] = {code: i for i, code in enumerate(statuses.CODES)}
DESA_STAFFING_INDEX: Final[dict[str, int]] = {code: i for i, code in enumerate(staffing.DESA_CODES)}
UNIT_STAFFING_INDEX: Final[dict[str, int]] = {code: i for i, code in enumerate(staffing.UNIT_CODES)}
STAFFING_MODE: Final = "tenaga"  # the lookup's "w": coloured by pustu staffing (ui.state.WARNA_TENAGA)
LABEL_DECIMALS: Final = 4


def script_json(value: Any) -> str:
    """``value`` as compact JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return MISSING
    return str(value)


def geometry_rows(
    frame: gpd.GeoDataFrame,
    *,
    decimals: int,
    extra: Sequence[str] = (),
    labels: bool = True,
    group: str | None = None,
    shapes: bool = True,
) -> list[list[Any]]:
    """Rows of :func:`geometry_text` for ``frame`` (columns ``kode``, ``nama``, ``extra``, geometry).

    ``group``: a column whose value is appended to each row (the desa's kecamatan code: the
    browser draws the kecamatan borders where neighbouring desa differ in it, so the borders
    cost no bytes). ``shapes`` False sends the label point only (an empty shape), e.g. the
    kecamatan names over the desa. Features whose geometry is missing or empty are left out.
    """
    usable = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    encoded = encode_geometry(usable.geometry, decimals=decimals) if shapes else [[] for _ in range(len(usable))]
    points = label_points(usable.geometry) if labels else None
    rows: list[list[Any]] = []
    for i, (kode, nama) in enumerate(zip(usable["kode"], usable["nama"], strict=True)):
        label = None
        if points is not None:
            point = points.iloc[i]
            if point is not None and not point.is_empty:
                label = [round(point.x, LABEL_DECIMALS), round(point.y, LABEL_DECIMALS)]
        row = [_text(kode), _text(nama), [_text(usable[c].iloc[i]) for c in extra], label, encoded[i]]
        if group is not None:
            row.append(_text(usable[group].iloc[i]))
        rows.append(row)
    return rows


def geometry_text(rows: list[list[Any]], *, decimals: int, outlines: list[list[Any]] | None = None) -> str:
    """The geometry JSON of one scope: ``{"d": decimals, "f": rows, "o": group rows}``.

    ``outlines``: rows of the groups (kecamatan) whose borders the browser draws over the
    features and whose names it shows (label points only, see :func:`geometry_rows`).
    """
    payload: dict[str, Any] = {"d": int(decimals), "f": rows}
    if outlines:
        payload["o"] = outlines
    return script_json(payload)


def desa_values(table: pd.DataFrame) -> dict[str, list[Any]]:
    """kode_desa -> [status index, active pustu, "active / total posyandu"] of the desa to draw.

    ``table``: rows of ``Coverage.desa_table(month)``; desa without a row are not drawn.
    """
    index = table["status"].astype("object").map(STATUS_INDEX).fillna(len(statuses.CODES) - 1).astype(int)
    return {
        str(kode): [int(i), fmt_int(pustu), f"{fmt_int(aktif)} / {fmt_int(total)}"]
        for kode, i, pustu, aktif, total in zip(
            table["kode_desa"],
            index,
            table["pustu_aktif"],
            table["posyandu_aktif"],
            table["posyandu_total"],
            strict=True,
        )
    }


def unit_values(indicators: pd.DataFrame) -> dict[str, list[Any]]:
    """Unit code -> [gap class (-1: no data), share with a gap, desa, desa without data].

    ``indicators``: ``Coverage.indicators(month, by=<level>)`` of the desa shown; a unit
    whose desa all lack data has no share (class -1, the no-data colour).
    """
    values: dict[str, list[Any]] = {}
    for kode, pct, desa, tanpa in zip(
        indicators["kode"],
        indicators["pct_kesenjangan"],
        indicators["desa"],
        indicators[f"desa_{statuses.TANPA_DATA}"],
        strict=True,
    ):
        if kode is None or kode is pd.NA:
            continue
        share = float(pct)
        values[str(kode)] = [gap_class(share), fmt_pct(share), fmt_int(desa), fmt_int(tanpa) if tanpa else ""]
    return values


def desa_staffing_values(table: pd.DataFrame) -> dict[str, list[Any]]:
    """kode_desa -> [staffing class index, active pustu, staffed pustu, status index] of the desa to draw.

    The class is :func:`geo.staffing.desa_classes` (index into :data:`geo.staffing.DESA_CODES`);
    ``table``: rows of ``Coverage.desa_table(month)``.
    """
    classes = staffing.desa_classes(table).map(DESA_STAFFING_INDEX)
    status = table["status"].astype("object").map(STATUS_INDEX).fillna(len(statuses.CODES) - 1).astype(int)
    return {
        str(kode): [int(c), fmt_int(aktif), fmt_int(standar), int(s)]
        for kode, c, aktif, standar, s in zip(
            table["kode_desa"], classes, table["pustu_aktif"], table["pustu_standar"], status, strict=True
        )
    }


def unit_staffing_values(indicators: pd.DataFrame) -> dict[str, list[Any]]:
    """Unit code -> [staffing class index, % pustu with tenaga lengkap, staffed pustu, desa].

    The class is :func:`geo.staffing.unit_classes` (index into :data:`geo.staffing.UNIT_CODES`);
    ``indicators``: ``Coverage.indicators(month, by=<level>)`` of the desa shown. The share is
    "–" for a unit without active pustu (its class says why).
    """
    classes = staffing.unit_classes(indicators).map(UNIT_STAFFING_INDEX)
    values: dict[str, list[Any]] = {}
    for kode, c, pct, standar, desa in zip(
        indicators["kode"],
        classes,
        indicators["pct_pustu_standar"],
        indicators["pustu_standar"],
        indicators["desa"],
        strict=True,
    ):
        if kode is None or kode is pd.NA:
            continue
        values[str(kode)] = [int(c), fmt_pct(float(pct)), fmt_int(standar), fmt_int(desa)]
    return values


def facility_values(points: pd.DataFrame) -> dict[str, list[list[Any]]]:
    """Layer code -> [[lat, lon, aktif (0/1), nama, jenis, desa, keterangan], ...].

    ``points``: :func:`ui.maps.facility_points` (plain text, not HTML-escaped).
    """
    out: dict[str, list[list[Any]]] = {}
    for row in points.itertuples(index=False):
        out.setdefault(str(row.lapisan), []).append(
            [
                round(float(row.lat), 6),
                round(float(row.lon), 6),
                1 if row.aktif else 0,
                _text(row.nama),
                _text(row.jenis),
                _text(row.desa),
                _text(row.keterangan),
            ]
        )
    return out
