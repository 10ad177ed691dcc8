"""The column mapping of a tabular upload: shown, and correctable before anything is written.

Pure part (no streamlit): :func:`sheet_mappings` reproduces what the
importers detect (:func:`loaders.columns.detect_mapping` per sheet, with the
same per-sheet targets and the same rule for applying overrides as
:func:`loaders.tables.map_sheets`); :func:`overrides_from_choices` turns the
user's choices into the ``mapping`` overrides that
:func:`loaders.importing.prepare_import` accepts.

Overrides are "source column -> field" and apply to every sheet that has
that column (as ``--map`` on the command line). A column can be given another
field, or a field another column; a column the detector recognised cannot be
switched off by an override (rename its header in the file instead); the
form says so.

Streamlit part: :func:`mapping_form` draws one selectbox per column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd
import streamlit as st

from loaders.columns import (
    FIELDS,
    REQUIRED_GROUPS,
    detect_mapping,
    guess_facility_kind,
    override_applies,
)
from loaders.facilities import kind_from_name
from loaders.kinds import import_kind
from loaders.tables import ROW_COLUMN
from loaders.templates import column_header
from ui.i18n import t
from ui.table_format import plain_markdown

NOT_USED: Final = ""
FORM_COLUMNS: Final = 3


@dataclass(frozen=True)
class SheetMapping:
    """What the importer will read from one sheet.

    Attributes
    ----------
    sheet
        Sheet name (a CSV: the file stem).
    target
        Import target (``puskesmas``, ``pustu``, ``posyandu``, ``laporan``,
        ``wilayah_kerja``), None when the facility kind cannot be told.
    columns
        Header names of the sheet.
    mapping
        Column -> field with the current overrides.
    detected
        Column -> field without any override.
    """

    sheet: str
    target: str | None
    columns: tuple[str, ...]
    mapping: dict[str, str] = field(default_factory=dict)
    detected: dict[str, str] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """Required fields (or groups, "a / b") not mapped yet, as header names."""
        if self.target is None:
            return []
        mapped = set(self.mapping.values())
        fields_of = FIELDS[self.target]
        names = [column_header(self.target, f) for f, s in fields_of.items() if s.required and f not in mapped]
        for group in REQUIRED_GROUPS.get(self.target, ()):
            if not mapped & set(group):
                names.append(" / ".join(column_header(self.target, f) for f in group))
        return names


def sheet_target(kind: str, sheet: str, columns: Sequence[str], *, jenis: str | None, several: bool) -> str | None:
    """Import target of one sheet, as the importers decide it."""
    target = import_kind(kind).mapping_target
    if target is not None:
        return target
    by_name = kind_from_name(sheet)
    if by_name:
        return by_name
    if jenis:
        return jenis
    return guess_facility_kind(columns)


def sheet_mappings(
    frames: Mapping[str, pd.DataFrame], *, kind: str, jenis: str | None, overrides: Mapping[str, str]
) -> list[SheetMapping]:
    """The mapping of every sheet of a tabular upload (``loaders.tables.read_tables`` frames)."""
    several = len(frames) > 1
    result: list[SheetMapping] = []
    for name, frame in frames.items():
        columns = tuple(str(c) for c in frame.columns if c != ROW_COLUMN)
        target = sheet_target(kind, name, columns, jenis=jenis, several=several)
        if target is None:
            result.append(SheetMapping(name, None, columns))
            continue
        own = {c: f for c, f in overrides.items() if override_applies(c, columns) and f in FIELDS[target]}
        result.append(
            SheetMapping(
                name,
                target,
                columns,
                mapping=detect_mapping(list(columns), target=target, overrides=own),
                detected=detect_mapping(list(columns), target=target),
            )
        )
    return result


@dataclass(frozen=True)
class Choices:
    """The outcome of the mapping form."""

    overrides: dict[str, str]
    problems: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # recognised columns the user wanted off (cannot be switched off)


def overrides_from_choices(sheets: Sequence[SheetMapping], choices: Mapping[tuple[str, str], str]) -> Choices:
    """Overrides (column -> field) from the form's choices ((sheet, column) -> field or "").

    A choice equal to what the detector found needs no override. Problems:
    one field chosen for two columns of a sheet, or one column name given
    two different fields in different sheets.
    """
    overrides: dict[str, str] = {}
    problems: list[str] = []
    kept: list[str] = []
    for sheet in sheets:
        if sheet.target is None:
            continue
        picked = {c: choices.get((sheet.sheet, c), sheet.mapping.get(c, NOT_USED)) for c in sheet.columns}
        used: dict[str, str] = {}
        for column, chosen in picked.items():
            if chosen == NOT_USED:
                if sheet.detected.get(column) and sheet.detected[column] not in picked.values():
                    kept.append(column)
                continue
            if chosen in used:
                header = column_header(sheet.target, chosen)
                problems.append(t("peta_kolom.ganda", field=header, a=used[chosen], b=column, sheet=sheet.sheet))
                continue
            used[chosen] = column
            if sheet.detected.get(column) == chosen:
                continue
            if column in overrides and overrides[column] != chosen:
                problems.append(t("peta_kolom.beda_sheet", kolom=column))
                continue
            overrides[column] = chosen
    return Choices(overrides, tuple(dict.fromkeys(problems)), tuple(dict.fromkeys(kept)))


# -- streamlit -----------------------------------------------------------------------------------
def _field_text(target: str, name: str) -> str:
    return t("peta_kolom.tidak_dipakai") if name == NOT_USED else column_header(target, name)


def _widget_key(prefix: str, sheet: str, column: str) -> str:
    return f"{prefix}|{sheet}|{column}"


def mapping_form(sheets: Sequence[SheetMapping], *, form_key: str) -> Choices | None:
    """One selectbox per column, per sheet; returns the choices when the form is submitted."""
    with st.form(form_key, border=True):
        for sheet in sheets:
            st.markdown(f"**{plain_markdown(sheet.sheet)}** · {_target_text(sheet.target)}")
            if sheet.target is None:
                st.caption(t("peta_kolom.jenis_tidak_dikenal"))
                continue
            missing = sheet.missing()
            if missing:
                st.warning(t("peta_kolom.wajib_kurang", daftar=", ".join(missing)), icon=":material/warning:")
            options = [NOT_USED, *FIELDS[sheet.target]]
            grid = st.columns(FORM_COLUMNS)
            for i, column in enumerate(sheet.columns):
                current = sheet.mapping.get(column, NOT_USED)
                grid[i % FORM_COLUMNS].selectbox(
                    plain_markdown(column),
                    options=options,
                    index=options.index(current) if current in options else 0,
                    format_func=lambda name, target=sheet.target: _field_text(target, name),
                    key=_widget_key(form_key, sheet.sheet, column),
                    help=FIELDS[sheet.target][current].bantuan if current in FIELDS[sheet.target] else None,
                )
        submitted = st.form_submit_button(t("peta_kolom.terapkan"), icon=":material/check:")
    if not submitted:
        return None
    choices = {
        (sheet.sheet, column): st.session_state.get(_widget_key(form_key, sheet.sheet, column), NOT_USED)
        for sheet in sheets
        if sheet.target is not None
        for column in sheet.columns
    }
    return overrides_from_choices(sheets, choices)


def _target_text(target: str | None) -> str:
    return t(f"peta_kolom.target.{target}") if target else t("peta_kolom.target.none")


def is_tabular(kind: str) -> bool:
    """True for the kinds whose columns are mapped (not boundaries)."""
    return import_kind(kind).tabular
