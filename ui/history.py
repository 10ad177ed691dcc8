"""The import log of the user's store and restoring an earlier data version (Data page).

Every import, restore and demo write is one data version (``log_impor``).
Restoring brings the content of a chosen version back as a NEW version
(:meth:`loaders.store.Store.restore`), so history is never rewritten; the
user must tick a confirmation first. The dashboard's caches are keyed by the
data version (:mod:`ui.data`), so every page shows the restored data on the
next run.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from loaders.exceptions import StoreError, VersionNotFoundError
from loaders.store import Store
from ui import context, downloads
from ui.access import Access, WriteRefused, require_write
from ui.auth import actor_of
from ui.fmt import fmt_int
from ui.i18n import STRINGS, t
from ui.table_format import plain_code, plain_markdown, styled

LOG_COLUMNS: Final = (
    "versi",
    "waktu",
    "jenis_impor",
    "berkas",
    "baris_dibaca",
    "diterima",
    "diperbaiki",
    "ditolak",
    "keterangan",
    "oleh",
)
COUNT_COLUMNS: Final = ("versi", "baris_dibaca", "diterima", "diperbaiki", "ditolak")
K_RESTORED: Final = "ilp_restore_done"


def import_kind_label(code: object) -> str:
    """Label of a log entry kind (batas, fasilitas, laporan, wilayah_kerja, pulihkan, demo, target, pengguna)."""
    key = f"riwayat.jenis.{code}"
    return t(key) if key in STRINGS else str(code)


def time_text(value: object) -> str:
    """ISO 8601 UTC time as ``2026-11-22 08:30 UTC`` (as given when it cannot be read)."""
    stamp = pd.to_datetime(value, utc=True, errors="coerce")
    return str(value) if pd.isna(stamp) else stamp.strftime("%Y-%m-%d %H:%M UTC")


def log_view(log: pd.DataFrame) -> pd.DataFrame:
    """The log newest first, with labelled kinds and readable times (numbers stay numbers)."""
    ordered = log.sort_values("versi", ascending=False).reset_index(drop=True)
    return ordered.assign(
        waktu=ordered["waktu"].map(time_text),
        jenis_impor=ordered["jenis_impor"].map(import_kind_label),
    )


def render(store: Store) -> None:
    """Draw the log of ``store`` and the restore control."""
    done = st.session_state.pop(K_RESTORED, None)
    if done:
        st.success(done, icon=":material/history:")
    try:
        log = store.read_log()
        current = store.version()
    except StoreError as exc:
        st.error(t("riwayat.gagal_baca", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    if log.empty:
        st.info(t("riwayat.kosong", path=plain_code(store.path)), icon=":material/history:")
        return
    st.caption(t("riwayat.help", versi=fmt_int(current), n=fmt_int(len(log))))
    view = log_view(log)
    st.dataframe(
        styled(view, list(LOG_COLUMNS), integers=list(COUNT_COLUMNS)),
        key="data_tabel_riwayat",
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(view)),
    )
    downloads.table_downloads(view.loc[:, list(LOG_COLUMNS)], name="riwayat_impor", key="data_tabel_riwayat")
    _restore(store, view, current)


def restore_as(access: Access, store: Store, versi: int) -> int:
    """Restore version ``versi`` of ``store`` for ``access`` (a new version); refused for non-admins.

    Raises :class:`~ui.access.WriteRefused` before anything is written when ``access`` may not change data.
    """
    require_write(access)
    return store.restore(versi, oleh=actor_of(access))


def _restore(store: Store, view: pd.DataFrame, current: int) -> None:
    st.subheader(t("riwayat.pulihkan"))
    versions = [int(v) for v in view["versi"] if int(v) != current]
    if not versions:
        st.caption(t("riwayat.satu_versi"))
        return
    described = {
        int(r.versi): t(
            "riwayat.pilihan", versi=int(r.versi), jenis=r.jenis_impor, berkas=r.berkas or "–", waktu=r.waktu
        )
        for r in view.itertuples()
    }
    chosen = st.selectbox(t("riwayat.pilih"), versions, format_func=described.__getitem__, key="ilp_restore_versi")
    sure = st.checkbox(t("riwayat.yakin", versi=chosen, baru=current + 1), key="ilp_restore_yakin")
    label = t("riwayat.tombol", versi=chosen)
    if not st.button(label, disabled=not sure, icon=":material/restore:", key="ilp_restore"):
        return
    try:
        new_version = restore_as(context.current().access, store, int(chosen))
    except (VersionNotFoundError, StoreError, WriteRefused) as exc:
        st.error(t("riwayat.gagal", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    st.session_state[K_RESTORED] = t("riwayat.sukses", versi=chosen, baru=new_version)
    st.session_state.pop("ilp_restore_yakin", None)
    st.rerun()
