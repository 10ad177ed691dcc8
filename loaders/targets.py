"""The targets table of the store (layer ``target``): validate, read, write.

A target says: indicator ``indikator`` should reach ``nilai`` % by month
``bulan``; its traffic light turns "hampir" from ``hampir_pct`` % of the
target (see :mod:`geo.targets`). One row per (indikator, bulan).

Every write goes through :meth:`loaders.store.Store.commit` under the store's
write lock (:meth:`~loaders.store.Store.writing`, shared with imports and
restores across threads and processes): the current targets are read and
changed while the lock is held, so two writers never lose each other's
change. Each change is one new data version with a log row ``target`` that
says what changed; a change that changes nothing writes nothing. A store
written before targets existed has no ``target`` layer and reads as no
targets.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.targets import (
    DEFAULT_HAMPIR_PCT,
    HAMPIR_PCT_MAX,
    HAMPIR_PCT_MIN,
    PERCENT_MAX,
    PERCENT_MIN,
    TARGET_BY_CODE,
    TARGET_INDICATORS,
    Target,
    is_month,
    targets_from_frame,
)
from loaders import model
from loaders.exceptions import InputError
from loaders.limits import MAX_TARGET_NOTE_CHARS, MAX_TARGETS
from loaders.store import ChangeRecord, Store

JENIS_IMPOR: Final = "target"  # the log row of a targets change
FIELDS: Final = ("indikator", "nilai", "bulan", "hampir_pct", "catatan")
# How a message names each field: in the table of the Data page, and on the command line (its option)
FIELD_NAMES: Final = {
    "indikator": "indikator",
    "nilai": "nilai target",
    "bulan": "bulan target",
    "hampir_pct": "batas hampir (%)",
    "catatan": "catatan",
}
CLI_FIELD_NAMES: Final = {
    "indikator": "indikator (--indikator)",
    "nilai": "nilai target (--nilai)",
    "bulan": "bulan target (--bulan)",
    "hampir_pct": "batas hampir (--hampir)",
    "catatan": "catatan (--catatan)",
}
_NUMBER: Final = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class TargetWrite:
    """The result of a targets change: the data version after it, whether anything was written, and what."""

    version: int
    changed: bool
    keterangan: str


# -- validation -------------------------------------------------------------------------------------
def _where(where: str, field: str, names: Mapping[str, str]) -> str:
    return f"{where}: {names[field]}" if where else names[field].capitalize()


def _number(value: object, *, field: str, where: str, low: float, high: float, names: Mapping[str, str]) -> float:
    if isinstance(value, bool) or value is None or value is pd.NA:
        number = math.nan
    elif isinstance(value, numbers.Real):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        number = float(text.replace(",", ".")) if _NUMBER.match(text) else math.nan
    if not math.isfinite(number):
        shown = "kosong" if _text(value) in ("", "nan") else f"'{value}' bukan angka"
        msg = f"{_where(where, field, names)} {shown}. Tulis angka {low:g} sampai {high:g}, misalnya 80."
        raise InputError(msg)
    if not low <= number <= high:
        label = _where(where, field, names)
        msg = f"{label} {number:g} di luar rentang {low:g}-{high:g} (persen). Tulis angka di rentang itu."
        raise InputError(msg)
    return number


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def parse_target(
    *,
    indikator: object,
    nilai: object,
    bulan: object,
    hampir_pct: object = None,
    catatan: object = None,
    where: str = "",
    names: Mapping[str, str] = FIELD_NAMES,
) -> Target:
    """A validated :class:`geo.targets.Target` from raw values (CLI options, an edited table row).

    Parameters
    ----------
    indikator
        A code of :data:`geo.targets.TARGET_INDICATORS`.
    nilai
        The target, 0-100 (%); ``80``, ``80.5`` and ``80,5`` are read.
    bulan
        ``YYYY-MM``: the month by which it should be reached.
    hampir_pct
        "Hampir" from this % of the target, 1-100; empty: 80.
    catatan
        Free text, at most :data:`loaders.limits.MAX_TARGET_NOTE_CHARS` characters.
    where
        Where the values come from, put before each message ("Tabel target baris 3").
    names
        How messages name the fields (:data:`FIELD_NAMES`; the CLI passes :data:`CLI_FIELD_NAMES`).

    Raises
    ------
    InputError
        With an Indonesian message naming the field and what to write.
    """
    code = _text(indikator)
    if code not in TARGET_BY_CODE:
        known = ", ".join(entry.code for entry in TARGET_INDICATORS)
        shown = f"'{code}' tidak dikenal" if code else "kosong"
        msg = f"{_where(where, 'indikator', names)} {shown}. Pilih salah satu: {known}."
        raise InputError(msg)
    value = _number(nilai, field="nilai", where=where, low=PERCENT_MIN, high=PERCENT_MAX, names=names)
    month = _text(bulan)
    if not is_month(month):
        shown = f"'{month}' tidak sah" if month else "kosong"
        msg = f"{_where(where, 'bulan', names)} {shown}. Tulis sebagai YYYY-MM (tahun-bulan), misalnya 2026-12."
        raise InputError(msg)
    hampir = DEFAULT_HAMPIR_PCT
    if _text(hampir_pct):
        hampir = _number(
            hampir_pct, field="hampir_pct", where=where, low=HAMPIR_PCT_MIN, high=HAMPIR_PCT_MAX, names=names
        )
    note = _text(catatan)
    if len(note) > MAX_TARGET_NOTE_CHARS:
        msg = (
            f"{_where(where, 'catatan', names)} terlalu panjang ({len(note)} karakter); "
            f"paling banyak {MAX_TARGET_NOTE_CHARS} karakter. Persingkat catatannya."
        )
        raise InputError(msg)
    return Target(code, value, month, hampir, note)


def validate_table(frame: pd.DataFrame, *, source: str = "Tabel target") -> tuple[Target, ...]:
    """Validate a whole edited targets table (columns :data:`FIELDS`); rows with no value at all are skipped.

    Messages name the row as the table shows it (first row = baris 1) and the field.

    Raises
    ------
    InputError
        The first bad row, a repeated (indikator, bulan), or more than
        :data:`loaders.limits.MAX_TARGETS` rows.
    """
    missing = [name for name in ("indikator", "nilai", "bulan") if name not in frame.columns]
    if missing:
        msg = f"{source} tidak memiliki kolom {', '.join(missing)}. Isi tabel dengan kolom: {', '.join(FIELDS)}."
        raise InputError(msg)
    found: list[Target] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(frame.to_dict("records"), start=1):
        if all(_text(row.get(name)) == "" for name in FIELDS):
            continue
        where = f"{source} baris {number}"
        entry = parse_target(
            indikator=row.get("indikator"),
            nilai=row.get("nilai"),
            bulan=row.get("bulan"),
            hampir_pct=row.get("hampir_pct"),
            catatan=row.get("catatan"),
            where=where,
        )
        key = (entry.indikator, entry.bulan)
        if key in seen:
            msg = (
                f"{where}: target {entry.indikator} untuk bulan {entry.bulan} sudah ada di baris {seen[key]}. "
                "Satu indikator hanya boleh satu target per bulan; hapus salah satunya."
            )
            raise InputError(msg)
        seen[key] = number
        found.append(entry)
    _check_count(len(found), source=source)
    return tuple(found)


def _check_count(count: int, *, source: str) -> None:
    if count > MAX_TARGETS:
        msg = f"{source} berisi {count} target; paling banyak {MAX_TARGETS}. Hapus target yang tidak dipakai lagi."
        raise InputError(msg)


# -- reading ----------------------------------------------------------------------------------------
def targets_frame(targets: Sequence[Target]) -> pd.DataFrame:
    """Targets as a frame of the ``target`` layer, in indicator order (:data:`TARGET_INDICATORS`), then month."""
    order = {entry.code: i for i, entry in enumerate(TARGET_INDICATORS)}
    rows = sorted(targets, key=lambda e: (order.get(e.indikator, len(order)), e.bulan))
    frame = pd.DataFrame(
        [
            {
                "indikator": e.indikator,
                "nilai": e.nilai,
                "bulan": e.bulan,
                "hampir_pct": e.hampir_pct,
                "catatan": e.catatan,
            }
            for e in rows
        ],
        columns=list(FIELDS),
    )
    conformed = model.conform(frame, model.LAYER_TARGET)
    conformed["catatan"] = conformed["catatan"].replace("", pd.NA)
    return conformed


def read_targets(store: Store) -> pd.DataFrame:
    """The targets of ``store`` (the ``target`` layer, in indicator order; empty when it has none)."""
    return targets_frame(targets_from_frame(store.read_layer(model.LAYER_TARGET)))


# -- writing ----------------------------------------------------------------------------------------
def _describe(entry: Target) -> str:
    text = f"{entry.indikator} {entry.nilai:g} % per {entry.bulan}"
    return text if entry.hampir_pct == DEFAULT_HAMPIR_PCT else f"{text} (hampir {entry.hampir_pct:g} %)"


def _changes(before: Sequence[Target], after: Sequence[Target]) -> list[str]:
    """What changed, in words, for the log row."""
    old = {(e.indikator, e.bulan): e for e in before}
    new = {(e.indikator, e.bulan): e for e in after}
    words = [f"target {_describe(new[k])} ditambahkan" for k in new if k not in old]
    words += [
        f"target {_describe(new[k])} diubah (sebelumnya {old[k].nilai:g} %)"
        for k in new
        if k in old and new[k] != old[k]
    ]
    words += [f"target {_describe(old[k])} dihapus" for k in old if k not in new]
    return words


def _write(
    store: Store,
    change: Callable[[tuple[Target, ...]], Sequence[Target]],
    *,
    base_version: int | None,
    oleh: str = "",
) -> TargetWrite:
    """Apply ``change`` (current targets -> new targets) under the write lock; commit when anything changed."""
    with store.writing():
        before = targets_from_frame(read_targets(store))
        after = change(before)
        words = _changes(before, after)
        if not words:
            return TargetWrite(version=store.version(), changed=False, keterangan="Target tidak berubah.")
        _check_count(len(after), source="Tabel target")
        text = "; ".join(words)
        note = text[0].upper() + text[1:] + "."
        record = ChangeRecord(jenis_impor=JENIS_IMPOR, diterima=len(after), keterangan=note, oleh=oleh)
        version = store.commit(
            layers={model.LAYER_TARGET: targets_frame(after)}, record=record, base_version=base_version
        )
    return TargetWrite(version=version, changed=True, keterangan=note)


def set_target(store: Store, target: Target, *, base_version: int | None = None, oleh: str = "") -> TargetWrite:
    """Add ``target`` or replace the target of the same indicator and month (one new data version).

    ``oleh`` (who made the change) goes into the import log.
    """

    def change(before: tuple[Target, ...]) -> tuple[Target, ...]:
        kept = [e for e in before if (e.indikator, e.bulan) != (target.indikator, target.bulan)]
        return (*kept, target)

    return _write(store, change, base_version=base_version, oleh=oleh)


def remove_target(store: Store, *, indikator: str, bulan: str, oleh: str = "") -> TargetWrite:
    """Remove the target of ``indikator`` for ``bulan`` (one new data version).

    Raises
    ------
    InputError
        When there is no such target (the message lists the targets there are).
    """
    code, month = _text(indikator), _text(bulan)

    def change(before: tuple[Target, ...]) -> tuple[Target, ...]:
        kept = tuple(e for e in before if (e.indikator, e.bulan) != (code, month))
        if len(kept) == len(before):
            present = ", ".join(f"{e.indikator} {e.bulan}" for e in before) or "belum ada target"
            msg = (
                f"Target {code} untuk bulan {month} tidak ada, jadi tidak ada yang dihapus. "
                f"Target yang ada: {present} (lihat python cli.py targets list)."
            )
            raise InputError(msg)
        return kept

    change(targets_from_frame(read_targets(store)))  # refuse before taking the lock (checked again under it)
    return _write(store, change, base_version=None, oleh=oleh)


def replace_targets(
    store: Store, targets: Sequence[Target], *, base_version: int | None = None, oleh: str = ""
) -> TargetWrite:
    """Make ``targets`` the whole targets table (the Data page's editor); one new data version when it changed.

    ``base_version``: the data version the editor was shown with; when the store
    has moved on since, nothing is written (:class:`loaders.exceptions.StaleImportError`).
    """
    _check_count(len(targets), source="Tabel target")
    chosen = tuple(targets)
    return _write(store, lambda _before: chosen, base_version=base_version, oleh=oleh)
