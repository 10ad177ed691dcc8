"""The targets table on the Data page: edit, then save as a new data version (streamlit).

The table shows the targets of the user's store (where imports write, never
the embedded demo): indicator (a list of the labels of
:data:`geo.targets.TARGET_INDICATORS`), target %, month (YYYY-MM), the
"hampir" threshold % and a note. "Simpan target" validates the whole table
(:func:`loaders.targets.validate_table`) and writes it in one commit
(:func:`loaders.targets.replace_targets`): a bad row shows its Indonesian
message and nothing is written. The editor's key carries the data version it
was read at, so a save after another change of the store is refused
(:class:`loaders.exceptions.StaleImportError`) instead of overwriting it.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from geo.targets import DEFAULT_HAMPIR_PCT, HAMPIR_PCT_MAX, HAMPIR_PCT_MIN, PERCENT_MAX, PERCENT_MIN, TARGET_INDICATORS
from loaders import targets as store_targets
from loaders.exceptions import InputError, StoreError
from loaders.limits import MAX_TARGET_NOTE_CHARS
from loaders.store import Store
from ui.access import Access, require_write
from ui.auth import actor_of
from ui.context import PageContext
from ui.fmt import fmt_int
from ui.i18n import column_label, get_language, t
from ui.table_format import plain_code, plain_markdown

EDITOR_PREFIX: Final = "ilp_target_editor_v"  # + the data version the table was read at
SAVE_KEY: Final = "ilp_target_simpan"
K_TARGET_NOTE: Final = "ilp_target_note"  # message to show once after a save
MONTH_REGEX: Final = r"^\d{4}-(0[1-9]|1[0-2])$"


def editor_key(version: int) -> str:
    """The widget key of the editor of the targets read at data ``version``."""
    return f"{EDITOR_PREFIX}{version}"


def editor_frame(targets: pd.DataFrame) -> pd.DataFrame:
    """The stored targets in the editor's dtypes (text as strings, numbers as floats; an empty table keeps them)."""
    return pd.DataFrame(
        {
            "indikator": pd.Series(targets["indikator"].tolist(), dtype="string"),
            "nilai": pd.Series(pd.to_numeric(targets["nilai"], errors="coerce").tolist(), dtype="float64"),
            "bulan": pd.Series(targets["bulan"].tolist(), dtype="string"),
            "hampir_pct": pd.Series(pd.to_numeric(targets["hampir_pct"], errors="coerce").tolist(), dtype="float64"),
            "catatan": pd.Series(targets["catatan"].fillna("").tolist(), dtype="string"),
        },
        columns=list(store_targets.FIELDS),
    )


def _column_config(lang: str) -> dict[str, object]:
    codes = [entry.code for entry in TARGET_INDICATORS]
    return {
        "indikator": st.column_config.SelectboxColumn(
            t("target.kol.indikator"),
            options=codes,
            format_func=lambda code: column_label(code, lang=lang),
            required=True,
            width="large",
        ),
        "nilai": st.column_config.NumberColumn(
            t("target.kol.nilai"), min_value=PERCENT_MIN, max_value=PERCENT_MAX, step=0.1, format="%.1f", required=True
        ),
        "bulan": st.column_config.TextColumn(t("target.kol.bulan"), validate=MONTH_REGEX, max_chars=7, required=True),
        "hampir_pct": st.column_config.NumberColumn(
            t("target.kol.hampir_pct"),
            min_value=HAMPIR_PCT_MIN,
            max_value=HAMPIR_PCT_MAX,
            step=1.0,
            format="%.0f",
            default=DEFAULT_HAMPIR_PCT,
        ),
        "catatan": st.column_config.TextColumn(t("target.kol.catatan"), max_chars=MAX_TARGET_NOTE_CHARS),
    }


def save_as(access: Access, store: Store, edited: pd.DataFrame, *, base_version: int) -> store_targets.TargetWrite:
    """Validate ``edited`` and replace the store's targets for ``access``; refused for non-admins.

    Raises :class:`~ui.access.WriteRefused` (an InputError) before anything is read or written when
    ``access`` may not change data; InputError/StoreError as :func:`loaders.targets.replace_targets`.
    """
    require_write(access)
    chosen = store_targets.validate_table(pd.DataFrame(edited), source="Tabel target")
    return store_targets.replace_targets(store, chosen, base_version=base_version, oleh=actor_of(access))


def render(ctx: PageContext, store: Store) -> None:
    """Draw the targets editor of ``store`` (the user's store) and save it on "Simpan target"."""
    lang = get_language()
    note = st.session_state.pop(K_TARGET_NOTE, None)
    if note:
        st.success(note, icon=":material/flag:")
    st.caption(t("target.form_help", bawaan=f"{DEFAULT_HAMPIR_PCT:g}"))
    if ctx.is_demo:
        st.info(t("target.form_demo", path=plain_code(store.path)), icon=":material/science:")
    try:
        version = store.version()
        stored = store_targets.read_targets(store)
    except StoreError as exc:
        st.error(t("data.error", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    if stored.empty:
        st.caption(t("target.tanpa"))
    edited = st.data_editor(
        editor_frame(stored),
        column_config=_column_config(lang),  # type: ignore[arg-type]
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=editor_key(version),
    )
    if not st.button(t("target.simpan"), key=SAVE_KEY, type="primary", icon=":material/save:"):
        return
    try:
        result = save_as(ctx.access, store, pd.DataFrame(edited), base_version=version)
    except (InputError, StoreError) as exc:  # bad row, store moved on, busy or not writable: nothing written
        st.error(t("target.tidak_sah", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    if not result.changed:
        st.caption(t("target.sama"))
        return
    st.session_state[K_TARGET_NOTE] = t("target.disimpan", versi=fmt_int(result.version), keterangan=result.keterangan)
    st.rerun()
