"""Tables to downloadable bytes: CSV, JSON or XLSX.

* CSV: UTF-8, comma separated, ``.`` decimals (machine readable; the
  dashboard formats numbers the Indonesian way on screen only).
* JSON: a list of objects, one per row; booleans ``true``/``false``, NaN and
  empty values ``null``.
* XLSX: one sheet, header row frozen.

A geometry column is dropped (use GeoPackage/GeoJSON for geometry).

Text is written as text (formula injection, OWASP "CSV injection"): a name
such as ``=HYPERLINK("http://…"&A1,"klik")`` must never become a live formula
in the spreadsheet a dinas opens. XLSX cells are written with xlsxwriter's
``strings_to_formulas`` and ``strings_to_urls`` off, so every string is a
string cell; in CSV, a text cell starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return gets a leading apostrophe (:func:`neutralise_text`).
Numbers stay numbers (``-3.5`` in a numeric column is written as is).
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
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a text cell as a formula (OWASP CSV injection)."""
TEXT_PREFIX: Final = "'"
XLSX_OPTIONS: Final = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
"""xlsxwriter workbook options: every string is written as a string cell."""


def frame_to_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """Serialise ``frame`` as ``fmt`` (``'csv'``, ``'json'`` or ``'xlsx'``).

    Raises
    ------
    InputError
        For an unknown format.
    """
    table = _plain(frame)
    if fmt == "csv":
        return neutralise_text(table).to_csv(index=False).encode("utf-8")
    if fmt == "json":
        return to_json_bytes(table)
    if fmt == "xlsx":
        return _xlsx(table)
    msg = f"Format '{fmt}' tidak dikenal; pilih salah satu: {', '.join(FORMATS)}."
    raise InputError(msg)


def neutralise_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells and headers cannot start a formula (``'`` before ``= + - @``, tab, CR).

    Only strings change; numbers, booleans and missing values are kept
    (a negative number stays a number). The input is not modified.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            continue
        out[column] = values.astype("object").map(_neutral_cell)
    return out.rename(columns={c: _neutral_cell(c) for c in out.columns if isinstance(c, str)})


def _neutral_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_PREFIX + value
    return value


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
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": dict(XLSX_OPTIONS)}) as writer:
        table.to_excel(writer, sheet_name=SHEET_NAME, index=False)
        writer.sheets[SHEET_NAME].freeze_panes(1, 0)
    return buffer.getvalue()
