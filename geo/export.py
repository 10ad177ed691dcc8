"""Tables to downloadable bytes: CSV, JSON or XLSX.

* CSV: UTF-8, comma separated, ``.`` decimals (machine readable; the
  dashboard formats numbers the Indonesian way on screen only).
* JSON: a list of objects, one per row; booleans ``true``/``false``, NaN and
  empty values ``null``.
* XLSX: one sheet, header row frozen.

A geometry column is dropped (use GeoPackage/GeoJSON for geometry).
"""

from __future__ import annotations

import io
import json
import math
from typing import Final

import numpy as np
import pandas as pd

from loaders.exceptions import InputError

FORMATS: Final = ("csv", "json", "xlsx")
SHEET_NAME: Final = "data"


def frame_to_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """Serialise ``frame`` as ``fmt`` (``'csv'``, ``'json'`` or ``'xlsx'``).

    Raises
    ------
    InputError
        For an unknown format.
    """
    table = _plain(frame)
    if fmt == "csv":
        return table.to_csv(index=False).encode("utf-8")
    if fmt == "json":
        return to_json_bytes(table)
    if fmt == "xlsx":
        return _xlsx(table)
    msg = f"Format '{fmt}' tidak dikenal; pilih salah satu: {', '.join(FORMATS)}."
    raise InputError(msg)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    geometry = [c for c in frame.columns if str(frame[c].dtype) == "geometry"]
    return pd.DataFrame(frame.drop(columns=geometry))


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    """A list of row objects; numpy/pandas scalars become JSON values, NaN/NA become null."""
    records = [
        {column: _json_value(value) for column, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def _json_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return str(value)


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table = frame.astype({c: "object" for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)})
    table = table.where(table.notna(), None)
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        table.to_excel(writer, sheet_name=SHEET_NAME, index=False)
        writer.sheets[SHEET_NAME].freeze_panes(1, 0)
    return buffer.getvalue()
