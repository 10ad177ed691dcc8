"""The import section of the Data page: upload, preview, mapping, validation report, commit.

Flow (nothing is written before the user presses the commit button):

1. choose the kind of data and upload a file (``st.file_uploader``); it is
   saved to a private temporary folder under its original name, so messages
   and the import log name the user's file;
2. :func:`loaders.importing.prepare_import` reads and validates it against the
   target store (memoised per file, options, mapping and store version); an
   :class:`~loaders.exceptions.InputError` is shown as is (Indonesian, naming
   the file, row or column) and the store is untouched;
3. the first rows, the column mapping (correctable for tabular kinds: the
   corrected mapping re-runs step 2) and the validation report are shown;
4. "Simpan" calls :func:`loaders.prepared.commit_prepared` (atomic, a new data
   version). The dashboard's caches are keyed by the data version
   (:mod:`ui.data`), so the next run reads the new data; nothing to clear.

The target store is always the user's (``resolve_store_path()``), never the
embedded demo.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from loaders import model
from loaders.exceptions import InputError, PetaIlpError, StaleImportError, StoreError
from loaders.facilities import current_month
from loaders.import_report import ImportReport
from loaders.importing import prepare_import
from loaders.kinds import CODES, FACILITY_KINDS, import_kind
from loaders.limits import MAX_BYTES_TABEL
from loaders.prepared import PreparedImport, commit_prepared
from loaders.store import Store
from loaders.tables import ROW_COLUMN, read_tables, sheet_names
from ui import column_mapping as cm
from ui import context, downloads, session, upload_folder
from ui.access import Access, WriteRefused, require_write
from ui.auth import actor_of
from ui.fmt import fmt_int
from ui.i18n import t
from ui.table_format import column_title, labelled, plain_markdown, text_or_dash
from ui.uploader_css import UPLOADER_KEY_PREFIX

XLSX_SUFFIXES: Final = (".xlsx", ".xlsm")
LAYER_SUFFIXES: Final = (".gpkg", ".kml", ".kmz", ".zip")
PREVIEW_ROWS: Final = 10
ISSUE_ROWS_SHOWN: Final = 1000
K_NONCE: Final = "ilp_imp_nonce"  # bumped after a commit: a fresh, empty uploader
K_SAVED: Final = "ilp_imp_saved"  # (file_id, Path) of the saved upload
K_OVERRIDES: Final = "ilp_imp_overrides"  # file_id -> {column: field}
K_REVISION: Final = "ilp_imp_rev"  # bumped when the mapping changes: fresh form widgets
K_PREPARED: Final = "ilp_imp_prepared"  # (key, PreparedImport | None, error | None)
K_DONE: Final = "ilp_imp_done"  # message of the last commit, shown once
K_STALE: Final = "ilp_imp_stale"  # set when a save found the store changed: the fresh preview says so once
K_SHOWN: Final = "ilp_imp_shown"  # data version of the preview drawn beside the save button
K_MAP_NOTE: Final = "ilp_imp_map_note"  # message of the last mapping change
K_TABLES: Final = "ilp_imp_tables"  # ((file_id, sheet), {sheet: SheetPreview}) of the upload


@dataclass(frozen=True)
class Options:
    """Importer options chosen on the page."""

    sheet: str | None = None
    layer: str | None = None
    jenis: str | None = None
    per: str | None = None  # facilities: the month the list describes, YYYY-MM (None: this month)


# -- pure helpers ----------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """The base name of an uploaded file, without folders or control characters ("berkas" if empty)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return cleaned or "berkas"


def action_label(tindakan: object) -> str:
    """Label of an issue action (ditolak/diperbaiki/peringatan)."""
    return t(f"impor.tindakan.{tindakan}") if tindakan in ("ditolak", "diperbaiki", "peringatan") else str(tindakan)


def issue_kind_label(code: object) -> str:
    """An importer's issue code in words (``koordinat_ditukar`` -> "Koordinat ditukar")."""
    text = text_or_dash(code).replace("_", " ")
    return text[:1].upper() + text[1:]


ISSUE_COLUMNS: Final = ("baris", "kolom", "tindakan_impor", "jenis_masalah", "subjek", "alasan_impor")


def issue_rows(report: ImportReport) -> pd.DataFrame:
    """The report's issues, actions and kinds labelled, columns :data:`ISSUE_COLUMNS` (what the download writes)."""
    frame = report.to_frame()
    return pd.DataFrame(
        {
            "baris": frame["Baris"],
            "kolom": frame["Kolom"],
            "tindakan_impor": frame["Tindakan"].map(action_label),
            "jenis_masalah": frame["Jenis"].map(issue_kind_label),
            "subjek": frame["Subjek"],
            "alasan_impor": frame["Alasan"],
        }
    )


def issues_table(report: ImportReport) -> pd.DataFrame:
    """The report's issues with labelled columns and values (text only), as the page shows them."""
    return labelled(issue_rows(report), list(ISSUE_COLUMNS)).astype("object").map(text_or_dash)


def store_state(store: Store) -> tuple[int, int]:
    """(data version, file stamp) of the store: changes with every commit or restore."""
    stamp = store.path.stat().st_mtime_ns if store.exists() else 0
    return store.version(), stamp


def prepare_key(kind: str, file_id: str, options: Options, overrides: dict[str, str], store: Store) -> tuple:
    """What a prepared import depends on: file, options, mapping, and the store's state (last item)."""
    return (kind, file_id, options, tuple(sorted(overrides.items())), store_state(store))


# -- saving the upload ------------------------------------------------------------------------------
def _file_id(uploaded: UploadedFile) -> str:
    return getattr(uploaded, "file_id", "") or hashlib.sha256(uploaded.getvalue()).hexdigest()


def _forget_saved() -> None:
    st.session_state.pop(K_TABLES, None)
    saved = st.session_state.pop(K_SAVED, None)
    if saved is not None:
        shutil.rmtree(Path(saved[1]).parent, ignore_errors=True)


def saved_upload(uploaded: UploadedFile) -> tuple[str, Path]:
    """Save ``uploaded`` once under its own name in a private temporary folder; return (id, path)."""
    file_id = _file_id(uploaded)
    saved = st.session_state.get(K_SAVED)
    if saved is not None and saved[0] == file_id and Path(saved[1]).is_file():
        return file_id, Path(saved[1])
    _forget_saved()
    folder = upload_folder.new_upload_folder()  # deleted with the session (ui.upload_folder)
    path = folder / safe_name(uploaded.name)
    path.write_bytes(uploaded.getvalue())
    st.session_state[K_SAVED] = (file_id, str(path))
    return file_id, path


# -- preparing (memoised in the session) ---------------------------------------------------------------
def prepared_for(
    kind: str, path: Path, file_id: str, options: Options, store: Store
) -> tuple[PreparedImport | None, str | None]:
    """The prepared import of the upload, or the Indonesian error message (re-prepared when anything changed)."""
    overrides = dict(st.session_state.get(K_OVERRIDES, {}).get(file_id, {}))
    key = prepare_key(kind, file_id, options, overrides, store)
    memo = st.session_state.get(K_PREPARED)
    if memo is not None and memo[0] == key:
        return memo[1], memo[2]
    prepared: PreparedImport | None = None
    error: str | None = None
    try:
        with st.spinner(t("impor.memeriksa")):
            prepared = prepare_import(
                kind,
                path,
                store=store,
                sheet=options.sheet,
                layer=options.layer,
                jenis=options.jenis,
                mapping=overrides or None,
                per=options.per,
                isolated=True,
            )
    except PetaIlpError as exc:
        error = str(exc)
    st.session_state[K_PREPARED] = (key, prepared, error)
    return prepared, error


# -- the section -----------------------------------------------------------------------------------------
def render(store: Store) -> None:
    """Draw the import section for ``store`` (the user's store; created by the first commit)."""
    done = st.session_state.pop(K_DONE, None)
    if done:
        st.success(plain_markdown(done), icon=":material/task_alt:")
    if st.session_state.pop(K_STALE, False):
        st.warning(t("impor.berubah"), icon=":material/sync_problem:")
    kind_key, kind_changed = session.page_widget_key("impor_jenis", CODES[0])
    kind = (
        st.segmented_control(
            t("impor.jenis"),
            options=list(CODES),
            format_func=lambda k: t(import_kind(k).label_key),
            key=kind_key,
            on_change=kind_changed,
            required=True,
        )
        or CODES[0]
    )
    st.caption(t(import_kind(kind).help_key))
    nonce = int(st.session_state.get(K_NONCE, 0))
    uploaded = st.file_uploader(
        t("impor.berkas"), key=f"{UPLOADER_KEY_PREFIX}{kind}_{nonce}", help=t("impor.berkas_help")
    )
    if uploaded is None:
        return
    try:
        store_state(store)
    except StoreError as exc:
        st.error(t("impor.store_rusak", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    file_id, path = saved_upload(uploaded)
    options = _options(kind, path, file_id)
    prepared, error = prepared_for(kind, path, file_id, options, store)
    if error:
        st.error(t("impor.gagal", pesan=plain_markdown(error)), icon=":material/error:")
    _preview(kind, path, file_id, options, prepared)
    if cm.is_tabular(kind):
        _mapping_section(kind, path, file_id, options, failed=prepared is None)
    elif prepared is not None and prepared.mapping:
        _boundary_mapping(prepared)
    if prepared is None:
        st.caption(t("impor.tidak_ditulis"))
        return
    _report(prepared.report)
    _effect(kind, prepared, store)
    _commit_button(prepared, store)


def _options(kind: str, path: Path, file_id: str) -> Options:
    """Importer options (sheet, layer, facility kind, month of the data) chosen next to the upload."""
    spec = import_kind(kind)
    sheet = layer = jenis = per = None
    left, right = st.columns(2)
    if "sheet" in spec.options and path.suffix.lower() in XLSX_SUFFIXES:
        names = _sheet_names(path)
        if len(names) > 1:
            sheet = left.selectbox(
                t("impor.sheet"),
                [None, *names],
                format_func=lambda s: t("impor.sheet_semua") if s is None else s,
                key=f"ilp_imp_sheet_{file_id}",
            )
    if "jenis" in spec.options:
        jenis = right.selectbox(
            t("impor.jenis_fasilitas"),
            [None, *FACILITY_KINDS],
            format_func=lambda k: t("impor.jenis_otomatis") if k is None else t(f"kualitas.fasilitas.{k}"),
            key=f"ilp_imp_jenis_{file_id}",
            help=t("impor.jenis_fasilitas_help"),
        )
    if "layer" in spec.options and path.suffix.lower() in LAYER_SUFFIXES:
        typed = left.text_input(t("impor.layer"), key=f"ilp_imp_layer_{file_id}", help=t("impor.layer_help"))
        layer = typed.strip() or None
    if "per" in spec.options:
        typed = left.text_input(
            t("impor.per"), value=current_month(), key=f"ilp_imp_per_{file_id}", help=t("impor.per_help")
        )
        per = typed.strip() or None
    return Options(sheet=sheet, layer=layer, jenis=jenis, per=per)


def _sheet_names(path: Path) -> list[str]:
    """Sheet names of an XLSX upload, read within bounds ([] when refused: the importer then says why)."""
    try:
        return sheet_names(path)
    except InputError:
        return []


def _preview(kind: str, path: Path, file_id: str, options: Options, prepared: PreparedImport | None) -> None:
    with st.expander(t("impor.pratinjau"), expanded=True):
        if import_kind(kind).layer == model.LAYER_DESA:
            if prepared is None:
                st.caption(t("impor.pratinjau_none"))
                return
            desa = pd.DataFrame(prepared.layers[model.LAYER_DESA].drop(columns="geometry"))
            columns = ["kode_desa", "nama_desa", "jenis", "nama_kecamatan", "nama_kabupaten", "penduduk"]
            st.caption(t("impor.pratinjau_batas", n=fmt_int(len(desa))))
            st.dataframe(
                labelled(desa.head(PREVIEW_ROWS), columns).astype("object").map(text_or_dash),
                hide_index=True,
                width="stretch",
            )
            return
        tables = _tables(kind, path, file_id, options)
        if not tables:
            st.caption(t("impor.pratinjau_none"))
            return
        row_label = t("impor.baris_berkas")
        for name, table in tables.items():
            body = table.head.rename(columns={ROW_COLUMN: row_label})
            ordered = [row_label, *[c for c in body.columns if c != row_label]]
            st.caption(t("impor.pratinjau_sheet", sheet=plain_markdown(name), n=fmt_int(table.rows)))
            st.dataframe(body.loc[:, ordered], hide_index=True, width="stretch")


@dataclass(frozen=True)
class SheetPreview:
    """The first rows of one sheet of an upload and its row count."""

    head: pd.DataFrame
    rows: int


def _tables(kind: str, path: Path, file_id: str, options: Options) -> dict[str, SheetPreview]:
    """The sheets of a tabular upload, read once per file and sheet choice ({} when unreadable)."""
    key = (file_id, options.sheet)
    memo = st.session_state.get(K_TABLES)
    if memo is not None and memo[0] == key:
        return memo[1]
    limit = import_kind(kind).max_bytes or MAX_BYTES_TABEL
    try:
        frames = read_tables(path, sheet=options.sheet, max_bytes=limit)
    except InputError:
        frames = {}
    tables = {name: SheetPreview(frame.head(PREVIEW_ROWS), len(frame)) for name, frame in frames.items()}
    st.session_state[K_TABLES] = (key, tables)
    return tables


def _mapping_section(kind: str, path: Path, file_id: str, options: Options, *, failed: bool) -> None:
    frames = {name: table.head for name, table in _tables(kind, path, file_id, options).items()}
    if not frames:
        return
    all_overrides: dict[str, dict[str, str]] = st.session_state.setdefault(K_OVERRIDES, {})
    overrides = all_overrides.get(file_id, {})
    sheets = cm.sheet_mappings(frames, kind=kind, jenis=options.jenis, overrides=overrides)
    revision = int(st.session_state.get(K_REVISION, 0))
    with st.expander(t("peta_kolom.judul"), expanded=failed or bool(overrides)):
        st.caption(t("peta_kolom.help"))
        note = st.session_state.pop(K_MAP_NOTE, None)
        if note:
            st.info(plain_markdown(note), icon=":material/info:")
        choices = cm.mapping_form(sheets, form_key=f"ilp_imp_map_{file_id}_{revision}")
        if overrides:
            st.button(
                t("peta_kolom.reset"), key=f"ilp_imp_map_reset_{file_id}", on_click=_reset_mapping, args=(file_id,)
            )
    if choices is None:
        return
    if choices.problems:
        st.error("\n".join(f"- {plain_markdown(p)}" for p in choices.problems), icon=":material/error:")
        return
    all_overrides[file_id] = choices.overrides
    st.session_state[K_REVISION] = revision + 1
    if choices.kept:
        st.session_state[K_MAP_NOTE] = t("peta_kolom.tetap", daftar=", ".join(choices.kept))
    st.rerun()


def _reset_mapping(file_id: str) -> None:
    st.session_state.setdefault(K_OVERRIDES, {}).pop(file_id, None)
    st.session_state[K_REVISION] = int(st.session_state.get(K_REVISION, 0)) + 1


def _boundary_mapping(prepared: PreparedImport) -> None:
    with st.expander(t("peta_kolom.judul_batas"), expanded=False):
        frame = pd.DataFrame(
            {
                t("peta_kolom.kolom_berkas"): list(prepared.mapping),
                t("peta_kolom.dipakai_sebagai"): [_desa_field(f) for f in prepared.mapping.values()],
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")


def _desa_field(name: str) -> str:
    try:
        return column_title(name)
    except KeyError:
        return name


def _report(report: ImportReport) -> None:
    st.subheader(t("impor.laporan"))
    read_col, ok_col, fixed_col, rejected_col = st.columns(4, border=True)
    read_col.metric(t("impor.dibaca"), fmt_int(report.baris_dibaca))
    ok_col.metric(t("impor.diterima"), fmt_int(report.diterima))
    fixed_col.metric(t("impor.diperbaiki"), fmt_int(report.diperbaiki))
    rejected_col.metric(t("impor.ditolak"), fmt_int(report.ditolak))
    if report.catatan:
        st.markdown("\n".join(f"- {plain_markdown(note)}" for note in report.catatan))
    if report.masalah:
        table = issues_table(report)
        st.caption(t("impor.masalah", n=fmt_int(len(table))))
        height = min(400, 38 + 35 * len(table))
        st.dataframe(table.head(ISSUE_ROWS_SHOWN), hide_index=True, width="stretch", height=height)
        downloads.table_downloads(issue_rows(report), name="masalah_impor", key="impor_masalah_unduh")
    else:
        st.caption(t("impor.tanpa_masalah"))


def _effect(kind: str, prepared: PreparedImport, store: Store) -> None:
    spec = import_kind(kind)
    layer = spec.layer
    try:
        before = len(store.read_layer(layer))
    except StoreError:
        before = 0
    after = len(prepared.layers.get(layer, ()))
    st.caption(t(spec.effect_key, sebelum=fmt_int(before), sesudah=fmt_int(after)))


def commit_as(access: Access, store: Store, prepared: PreparedImport) -> ImportReport:
    """Write ``prepared`` into ``store`` for ``access``: refused (:class:`~ui.access.WriteRefused`) for non-admins.

    The one write of an import; the check is here, at the write, so a forced upload widget changes nothing.
    """
    require_write(access)
    return commit_prepared(store, prepared, oleh=actor_of(access))


def _commit_button(prepared: PreparedImport, store: Store) -> None:
    shown = st.session_state.get(K_SHOWN)
    st.session_state[K_SHOWN] = prepared.base_version
    if not st.button(t("impor.simpan"), type="primary", icon=":material/save:", key="ilp_imp_simpan"):
        return
    if shown != prepared.base_version:  # the click's rerun checked the file again against newer data
        st.session_state[K_STALE] = True
        st.rerun()
    try:
        report = commit_as(context.current().access, store, prepared)  # refuses when the data moved on too
    except StaleImportError:
        st.session_state.pop(K_PREPARED, None)
        st.session_state[K_STALE] = True
        st.rerun()
    except WriteRefused as exc:
        st.error(plain_markdown(exc), icon=":material/block:")
        return
    except StoreError as exc:
        st.error(t("impor.gagal_simpan", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    st.session_state[K_DONE] = t(
        "impor.sukses", versi=report.versi, diterima=fmt_int(report.diterima), berkas=report.berkas
    )
    st.session_state.pop(K_PREPARED, None)
    st.session_state.setdefault(K_OVERRIDES, {}).clear()
    _forget_saved()
    st.session_state[K_NONCE] = int(st.session_state.get(K_NONCE, 0)) + 1
    st.rerun()
